"""The web app over a store (``newsgraph serve``), built by ``create_app(db_path)``: the JSON API
(``web.api``, its errors ``web.errors``) and the pages (``web.pages``).

Read-only by construction: every request opens the database with SQLite's ``mode=ro``
(``web.deps.Conn``) and the routes only read (``store.queries``, ``store.aggregates``). Ids and
arguments are validated; in the API a bad one is a 422, a missing document or story a 404, both as
``{"error": "..."}``; the pages answer with HTML error pages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from newsgraph import __version__
from newsgraph.store.db import connect_readonly
from newsgraph.web import api, errors, pages


def create_app(db_path: str | Path) -> FastAPI:
    """The FastAPI app over the store at ``db_path``; StoreError now if it cannot be opened read-only.

    ``app.state.db_path`` is the path; routes take a ``web.deps.Conn`` parameter: one read-only
    connection per request, closed after it."""
    path = Path(db_path)
    connect_readonly(path).close()  # fail at start, with one clear line, rather than on every request

    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Articles analysed by newsgraph: documents, quotes, events, entities, claims, stories.",
    )
    app.state.db_path = path
    errors.install(app)
    app.include_router(api.router)
    pages.install(app)  # the web UI: HTML pages and /static; its errors in front of the API's
    return app


__all__ = ["create_app"]
