"""Answers kept between requests, keyed by the store's version: ``ResponseCache`` (an ASGI middleware)
and ``StoreVersion`` (what it is keyed by).

The app only reads, so an answer changes only when a document is written. ``StoreVersion`` reads
``PRAGMA data_version`` on one long-lived read-only connection: SQLite changes it whenever another
connection (an ingest) commits, and reading it costs microseconds. ``ResponseCache`` keeps each GET
answer of status 200 (pages and API alike, by path and query string; not ``/static``, which has its own)
with the version it was computed at:

* same version: the kept answer is sent, nothing is recomputed;
* a newer version, for an answer that was cheap to compute (under ``stale_cost`` seconds): recomputed
  now; requests for the same address meanwhile wait for that one computation instead of starting their
  own;
* a newer version, for an expensive one (the store-wide aggregates: entities, networks, timeline, map
  at thousands of documents): the kept answer is sent at once and recomputed behind it, one such
  refresh at a time, and none sooner than ``refresh_factor`` times its last cost after it was made, so
  that an ingest committing every second cannot keep the server busy recomputing. Such an answer lags
  the store by a few of its computations at most (seconds), never by more than one write burst.

Memory is bounded by ``max_bytes`` (least recently used answers go first; one answer larger than a
quarter of it is not kept).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph.store.db import connect_readonly

MAX_BYTES = 128 * 1024 * 1024
STALE_COST = 0.05  # seconds: answers dearer than this are refreshed behind the kept one
REFRESH_FACTOR = 4.0  # ... and not sooner than this many times their cost after they were made
NOT_KEPT = ("/static/",)


class StoreVersion:
    """A number that changes whenever another connection commits to the store at ``path`` (SQLite's
    ``PRAGMA data_version`` on a read-only connection of its own, opened at first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            if self._conn is None:
                self._conn = connect_readonly(self.path, check_same_thread=False)
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


@dataclass
class Answer:
    """A whole HTTP answer, as the app sent it, and when and at which store version it was computed."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    version: int = 0
    made: float = 0.0  # time.monotonic() when its computation started
    cost: float = 0.0  # seconds the computation took

    async def send(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


Key = tuple[str, bytes]


class ResponseCache:
    """The ASGI middleware described above, in front of ``app``; ``version()`` is the store's version."""

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], int],
        *,
        max_bytes: int = MAX_BYTES,
        stale_cost: float = STALE_COST,
        refresh_factor: float = REFRESH_FACTOR,
        not_kept: Iterable[str] = NOT_KEPT,
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.stale_cost = stale_cost
        self.refresh_factor = refresh_factor
        self.not_kept = tuple(not_kept)
        self.answers: OrderedDict[Key, Answer] = OrderedDict()
        self.bytes = 0
        self.computing: dict[Key, asyncio.Future[Answer]] = {}
        self.refreshing: Key | None = None
        self._tasks: set[asyncio.Task[None]] = set()  # refreshes under way (a reference keeps each alive)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(self.not_kept):
            await self.app(scope, receive, send)
            return
        try:
            version = self.version()
        except sqlite3.Error:  # the store cannot be read now: the route says so in its own words
            await self.app(scope, receive, send)
            return
        key: Key = (scope["path"], scope.get("query_string", b""))
        kept = self.answers.get(key)
        if kept is not None and (kept.version == version or kept.cost >= self.stale_cost):
            self.answers.move_to_end(key)
            if kept.version != version:
                self._refresh_later(key, scope, version, kept)
            await kept.send(send)
            return
        answer = await self._computed(key, scope, version)
        await answer.send(send)

    async def _computed(self, key: Key, scope: Scope, version: int) -> Answer:
        """The answer for ``key`` computed now at ``version``, or the one already being computed."""
        running = self.computing.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self.computing[key] = future
        try:
            answer = await self._compute(scope, version)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters, if any, raise it too
            raise
        else:
            future.set_result(answer)
            self._keep(key, answer)
            return answer
        finally:
            del self.computing[key]

    def _refresh_later(self, key: Key, scope: Scope, version: int, kept: Answer) -> None:
        """Recompute ``key`` behind the kept answer: one refresh at a time, none too soon after the last."""
        if self.refreshing is not None or key in self.computing:
            return
        if time.monotonic() - kept.made < self.refresh_factor * kept.cost:
            return
        self.refreshing = key

        async def refresh() -> None:
            try:
                await self._computed(key, dict(scope), version)
            except Exception:  # a failed refresh keeps the old answer; the next request retries
                pass
            finally:
                self.refreshing = None

        task = asyncio.get_running_loop().create_task(refresh())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _compute(self, scope: Scope, version: int) -> Answer:
        """Run the app for the request of ``scope`` and collect its whole answer."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        asked = False

        async def receive() -> Message:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # a GET has one empty body; the client is never gone before the end
            raise AssertionError("unreachable")

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        made = time.monotonic()
        await self.app(scope, receive, collect)
        return Answer(
            status=int(start["status"]),
            headers=[(bytes(k), bytes(v)) for k, v in start.get("headers", [])],
            body=b"".join(chunks),
            version=version,
            made=made,
            cost=time.monotonic() - made,
        )

    def _keep(self, key: Key, answer: Answer) -> None:
        old = self.answers.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        if answer.status != 200 or len(answer.body) > self.max_bytes // 4:
            return
        self.answers[key] = answer
        self.bytes += len(answer.body)
        while self.bytes > self.max_bytes and self.answers:
            _, dropped = self.answers.popitem(last=False)
            self.bytes -= len(dropped.body)


__all__ = ["Answer", "ResponseCache", "StoreVersion"]
