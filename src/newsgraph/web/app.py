"""The JSON API over a store (``newsgraph serve``), built by ``create_app(db_path)``.

Read-only by construction: every request opens the database with SQLite's ``mode=ro`` and the
routes only read (``store.queries``). Ids and arguments are validated; a bad one is a 422, a missing
document or story a 404, both as ``{"error": "..."}``. Pages (``/``, ``/documents/{id}``) are not
here: add them to the app this returns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from newsgraph import __version__
from newsgraph.store import queries
from newsgraph.store.db import connect_readonly
from newsgraph.store.schema import SCHEMA_VERSION
from newsgraph.web import models

DOC_ID = r"^[0-9a-f]{16}$"
DAY = r"^\d{4}-\d{2}-\d{2}$"

DocId = Annotated[str, PathParam(pattern=DOC_ID, description="a document id: 16 lower-case hex digits")]
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0)]
Day = Annotated[str | None, Query(pattern=DAY, description="YYYY-MM-DD")]


def connection(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the app's store for one request (a route's ``Conn`` parameter)."""
    conn = connect_readonly(request.app.state.db_path, check_same_thread=False)
    try:
        yield conn
    finally:
        conn.close()


Conn = Annotated[sqlite3.Connection, Depends(connection)]


def create_app(db_path: str | Path) -> FastAPI:
    """The FastAPI app over the store at ``db_path``; StoreError now if it cannot be opened read-only.

    ``app.state.db_path`` is the path; routes take a ``Conn`` parameter (module level here): one
    read-only connection per request, closed after it."""
    path = Path(db_path)
    connect_readonly(path).close()  # fail at start, with one clear line, rather than on every request

    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Articles analysed by newsgraph: documents, quotes, events, entities, claims, stories.",
    )
    app.state.db_path = path

    @app.exception_handler(queries.QueryError)
    async def query_error(request: Request, exc: queries.QueryError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if not _is_api(request):
            return await request_validation_exception_handler(request, exc)
        errors = [dict(e) for e in exc.errors()]
        for e in errors:
            e.pop("ctx", None)  # may hold exception objects, which JSON cannot carry
            e.pop("input", None)  # the client's own value, echoed back: left out
        lines = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors]
        return JSONResponse({"error": "invalid request: " + "; ".join(lines), "detail": errors}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if not _is_api(request):
            return await http_exception_handler(request, exc)
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    errors: dict[int | str, dict[str, Any]] = {404: {"model": models.Error}, 422: {"model": models.Error}}

    @app.get("/healthz", response_model=models.Health, tags=["service"])
    def healthz(conn: Conn) -> dict[str, Any]:
        """``{"ok": true}`` while the store can be read."""
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return {"ok": True, "documents": documents, "schema_version": SCHEMA_VERSION}

    @app.get("/api/documents", response_model=models.DocumentPage, responses=errors, tags=["documents"])
    def list_documents(
        conn: Conn,
        q: Annotated[str | None, Query(description='full-text search: words and "phrases", all must occur')] = None,
        source: Annotated[str | None, Query(description="the outlet, exactly (any case)")] = None,
        since: Day = None,
        until: Day = None,
        entity: Annotated[str | None, Query(description="an entity's canonical name, exactly (any case)")] = None,
        event_type: Annotated[str | None, Query(description="a PLOVER event type")] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Documents, newest first, or by relevance with ``q``; ``total`` counts all matches."""
        f = queries.DocumentFilter(q=q, source=source, since=since, until=until, entity=entity, event_type=event_type)
        return queries.search_documents(conn, f, limit=limit, offset=offset)

    @app.get(
        "/api/documents/{doc_id}",
        responses={
            200: {"content": {"application/json": {}}, "description": "the newsgraph.document/1 JSON"},
            **errors,
        },
        response_class=Response,
        tags=["documents"],
    )
    def get_document(conn: Conn, doc_id: DocId) -> Response:
        """The JSON document, as ``newsgraph analyze`` prints it."""
        text = queries.document_json(conn, doc_id)
        if text is None:
            raise HTTPException(404, f"no document {doc_id}")
        return Response(text, media_type="application/json")

    @app.get("/api/quotes", response_model=models.QuotePage, responses=errors, tags=["layers"])
    def list_quotes(
        conn: Conn,
        speaker: Annotated[str | None, Query(description="part of the speaker's canonical name")] = None,
        q: Annotated[str | None, Query(description="full-text search in the quotes")] = None,
        doc_id: Annotated[str | None, Query(pattern=DOC_ID, description="one document's quotes")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Quotes with their speaker, document and offsets into its text."""
        return queries.quotes(conn, speaker=speaker, q=q, doc_id=doc_id, limit=limit, offset=offset)

    @app.get("/api/events", response_model=models.EventPage, responses=errors, tags=["layers"])
    def list_events(
        conn: Conn,
        type: Annotated[str | None, Query(description="a PLOVER event type")] = None,
        actor: Annotated[str | None, Query(description="part of the source's or target's name")] = None,
        since: Day = None,
        until: Day = None,
        doc_id: Annotated[str | None, Query(pattern=DOC_ID, description="one document's events")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Events (PLOVER), latest first."""
        return queries.events(
            conn, type=type, actor=actor, since=since, until=until, doc_id=doc_id, limit=limit, offset=offset
        )

    @app.get("/api/entities", response_model=models.EntityPage, responses=errors, tags=["across documents"])
    def list_entities(
        conn: Conn,
        q: Annotated[str | None, Query(description="part of the canonical name")] = None,
        type: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, NORP, ...")] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Entities merged across documents by name, type and country, with counts (copies counted once)."""
        return queries.entities(conn, q=q, type=type, country=country, limit=limit, offset=offset)

    @app.get("/api/claims", response_model=models.ClaimPage, responses=errors, tags=["across documents"])
    def list_claims(
        conn: Conn,
        q: Annotated[str | None, Query(description="part of the counted noun or the figure's words")] = None,
        noun: Annotated[str | None, Query(description="the counted noun, exactly: troops")] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="whose: US")] = None,
        place: Annotated[str | None, Query(description="a place named in the same paragraph")] = None,
        category: Annotated[str | None, Query(description="a quantity category instead of the defaults")] = None,
        since: Day = None,
        until: Day = None,
        min_sources: Annotated[int, Query(ge=1, description="claims reported by at least this many outlets")] = 2,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The same count of the same thing from different sources, side by side, with disagreements."""
        return queries.claims(
            conn,
            q=q,
            noun=noun,
            country=country,
            place=place,
            category=category,
            since=since,
            until=until,
            min_sources=min_sources,
            limit=limit,
            offset=offset,
        )

    @app.get("/api/stories/{story_id}", response_model=models.Story, responses=errors, tags=["across documents"])
    def get_story(conn: Conn, story_id: DocId) -> dict[str, Any]:
        """A story: its first document and its near-duplicates (wire copies, updated versions). Any of
        its documents' ids finds it."""
        found = queries.story(conn, story_id)
        if found is None:
            owner = queries.story_of(conn, story_id)
            found = queries.story(conn, owner) if owner else None
        if found is None:
            raise HTTPException(404, f"no story {story_id}")
        return found

    from newsgraph.web import pages  # the web UI: HTML pages and /static (needs Conn, defined above)

    pages.install(app)
    return app


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz"
