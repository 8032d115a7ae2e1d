"""The JSON API's errors: a ``QueryError`` or a malformed argument is a 422, a missing document or
story a 404, each as ``{"error": "..."}`` (``install(app)`` adds the handlers). Outside the API
(``/api/...`` and ``/healthz``) they answer as FastAPI does; the pages put their own in front."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from newsgraph.store import queries


def install(app: FastAPI) -> None:
    """Adds the API's exception handlers to the app."""
    app.exception_handler(queries.QueryError)(query_error)
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(HTTPException)(http_error)


async def query_error(request: Request, exc: queries.QueryError) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=422)


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    if not is_api(request):
        return await request_validation_exception_handler(request, exc)
    errors = [dict(e) for e in exc.errors()]
    for e in errors:
        e.pop("ctx", None)  # may hold exception objects, which JSON cannot carry
        e.pop("input", None)  # the client's own value, echoed back: left out
    lines = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors]
    return JSONResponse({"error": "invalid request: " + "; ".join(lines), "detail": errors}, status_code=422)


async def http_error(request: Request, exc: HTTPException) -> Response:
    if not is_api(request):
        return await http_exception_handler(request, exc)
    return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def is_api(request: Request) -> bool:
    """True for the JSON API's paths: ``/api/...`` and ``/healthz``."""
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz"


__all__ = ["http_error", "install", "invalid_request", "is_api", "query_error"]
