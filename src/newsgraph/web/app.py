"""The web app over a store (``newsgraph serve``), built by ``create_app(db_path)``: the JSON API
(``web.api``, its errors ``web.errors``) and the pages (``web.pages``, the API's documentation among them).

Read-only by construction: every request opens the database with SQLite's ``mode=ro``
(``web.deps.Conn``) and the routes only read (``store.queries``, ``store.aggregates``). Ids and
arguments are validated; in the API a bad one is a 422, a missing document or story a 404, both as
``{"error": "..."}``; the pages answer with HTML error pages.

In front of the routes, outermost first: ``web.hosts.HostCheck`` (a request naming a host the server
does not answer to is a 400: DNS rebinding), then ``web.cache.ResponseCache`` (answers kept until the
store changes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from newsgraph import __version__, geo
from newsgraph.store import queries
from newsgraph.store.db import connect_readonly
from newsgraph.web import api, errors, pages
from newsgraph.web.cache import MAX_BYTES, ResponseCache, StoreVersion
from newsgraph.web.hosts import HostCheck, hosts_for


def create_app(
    db_path: str | Path,
    *,
    host: str | None = None,
    allowed_hosts: Iterable[str] = (),
    cache_bytes: int = MAX_BYTES,
) -> FastAPI:
    """The FastAPI app over the store at ``db_path``; StoreError now if it cannot be opened read-only.

    ``host``: the address the server is bound to (``newsgraph serve --host``): requests must name it in
    ``Host`` (with the loopback names when it is a loopback address; see ``web.hosts.hosts_for``);
    None, for an app no server is bound for (tests): the loopback names and TestClient's ``testserver``.
    ``allowed_hosts``: more names to answer to (a proxy's, a DNS name of this machine; ``*``: any).
    ``cache_bytes``: the most memory kept answers take (0: none kept).

    ``app.state.db_path`` is the path; routes take a ``web.deps.Conn`` parameter: one read-only
    connection per request, closed after it."""
    path = Path(db_path)
    connect_readonly(path).close()  # fail at start, with one clear line, rather than on every request
    version = StoreVersion(path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # what the first requests would otherwise pay for, paid as the server starts: the pages' templates
        # compiled, the OpenAPI schema built (FastAPI keeps it; 0.3-0.4 s at its first request), the
        # knowledge base the entity lists read aliases from (its first load was most of the first answer
        # of /, /entities and an entity's page: 0.1-0.15 s) and the countries the map shades
        pages.compile_templates()
        app.openapi()
        queries.load_aliases()
        geo.countries()
        yield
        version.close()

    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Articles analysed by newsgraph: documents, quotes, events, entities, claims, stories.",
        docs_url=None,  # /docs is a page of ours (web.pages): Swagger UI vendored, under the pages' CSP
        redoc_url=None,  # ReDoc needs inline styles and workers from blob: URLs, which the CSP forbids: off
        lifespan=lifespan,
    )
    app.state.db_path = path
    app.state.hosts = hosts_for(host, allowed_hosts)
    errors.install(app)
    app.include_router(api.router)
    pages.install(app)  # the web UI: HTML pages and /static; its errors in front of the API's
    if cache_bytes > 0:
        app.add_middleware(ResponseCache, version=version, max_bytes=cache_bytes)
    app.add_middleware(HostCheck, hosts=app.state.hosts)  # added last: runs first
    return app


__all__ = ["create_app"]
