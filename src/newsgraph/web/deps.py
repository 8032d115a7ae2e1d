"""What the web app's routes take: the per-request read-only connection (``Conn``) and the validated
path and query parameters shared by the JSON API and the pages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam

from newsgraph.dates import DAY_PATTERN, DOC_ID_PATTERN
from newsgraph.store import queries
from newsgraph.store.db import connect_readonly

MAX_INT = 2**63 - 1  # SQLite's largest integer: no offset or id beyond it can be asked for (a 422, not a 500)
DocId = Annotated[str, PathParam(pattern=DOC_ID_PATTERN, description="a document id: 16 lower-case hex digits")]
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]
Day = Annotated[str | None, Query(pattern=DAY_PATTERN, description="YYYY-MM-DD")]
ClusterId = Annotated[int, PathParam(ge=1, le=MAX_INT, description="an event cluster's id: one happening")]


def connection(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the app's store (``app.state.db_path``) for one request (a route's
    ``Conn`` parameter), closed after it."""
    conn = connect_readonly(request.app.state.db_path, check_same_thread=False)
    try:
        yield conn
    finally:
        conn.close()


Conn = Annotated[sqlite3.Connection, Depends(connection)]

__all__ = ["MAX_INT", "ClusterId", "Conn", "Day", "DocId", "Limit", "Offset", "connection"]
