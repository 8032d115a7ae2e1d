"""Answers kept between requests, keyed by the store's version: ``ResponseCache`` (an ASGI middleware)
and ``StoreVersion`` (what it is keyed by).

The app only reads, so an answer changes only when a document is written. ``StoreVersion`` reads
``PRAGMA data_version`` on one long-lived read-only connection: SQLite changes it whenever another
connection (an ingest) commits, and reading it costs microseconds. ``ResponseCache`` keeps each GET
answer of status 200 (pages and API alike, by path and query string; not ``/static``, which has its own)
with the version it was computed at:

* same version: the kept answer is sent, nothing is recomputed;
* a newer version, for an answer made less than ``min_age`` seconds ago: still sent, so that an ingest
  committing several documents a second cannot keep the server recomputing every answer after each;
* a newer version, for an older answer that was cheap to compute (under ``stale_cost`` seconds, its
  quickest computation so far): recomputed now, while the request waits; but one such request at a
  time: while one waits, the others are sent the answers kept (so a busy server never stalls many
  requests behind recomputations);
* a newer version, for an expensive one (the store-wide aggregates: entities, networks, timeline, map
  at thousands of documents): the kept answer is sent at once and recomputed behind it, one such
  refresh at a time, none sooner than ``refresh_factor`` times its last cost after it was made, and
  after each a rest of ``rest_factor`` times its cost before the next, so refreshes take at most half
  of one thread however fast documents arrive.

So while documents are being written a page may lag the store: a cheap one by about ``min_age`` (more
while many wait their turn), an expensive one by a few of its computations and those of the others
waiting (seconds at 10,000 documents, tens of seconds for the co-mention network); once the writes stop, every
answer is the store's own again after one round of refreshes. An answer sent while the store has
changed under it says for how long, in ``X-Newsgraph-Stale`` (seconds).

A kept answer of some size is also kept gzip-compressed (once, in a worker thread), and sent so to the
clients that accept it: the store-wide pages are megabytes of JSON at 10,000 documents, a twentieth of
that compressed, and moving them through Python's HTTP stack costs more than anything else then.

Memory is bounded by ``max_bytes`` (least recently used answers go first; one answer larger than a
quarter of it is not kept).
"""

from __future__ import annotations

import asyncio
import gzip
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph.store.db import connect_readonly

MAX_BYTES = 128 * 1024 * 1024
STALE_COST = 0.05  # seconds: answers dearer than this are refreshed behind the kept one
REFRESH_FACTOR = 4.0  # ... and not sooner than this many times their cost after they were made
REST_FACTOR = 1.0  # ... and after each refresh, none for this many times its cost
MIN_AGE = 1.0  # seconds: a younger answer is sent even when the store has changed since
STALE_HEADER = b"x-newsgraph-stale"
NOT_KEPT = ("/static/",)
GZIP_FROM = 1024  # bytes: smaller answers are sent as they are
GZIP_LEVEL = 5  # a twentieth of the JSON pages' size, in a fifth of level 9's time
COMPRESSIBLE = (b"text/", b"application/json", b"application/javascript")


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
    cost: float = 0.0  # the fewest seconds a computation of it took (under load one takes longer waiting)
    gzipped: bytes | None = None  # the body gzip-compressed, for the clients that accept it
    outdated: float | None = None  # time.monotonic() when it was first found older than the store

    def compressible(self) -> bool:
        kind = next((v for k, v in self.headers if k.lower() == b"content-type"), b"")
        encoded = any(k.lower() == b"content-encoding" for k, _ in self.headers)
        return len(self.body) >= GZIP_FROM and kind.startswith(COMPRESSIBLE) and not encoded

    async def send(self, send: Send, scope: Scope) -> None:
        body, headers = self.body, self.headers
        if self.outdated is not None:
            headers = [*headers, (STALE_HEADER, f"{time.monotonic() - self.outdated:.1f}".encode())]
        if self.gzipped is not None:
            if _accepts_gzip(scope):
                body = self.gzipped
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers += [(b"content-length", str(len(body)).encode()), (b"content-encoding", b"gzip")]
            headers = [*headers, (b"vary", b"Accept-Encoding")]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _accepts_gzip(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"accept-encoding":
            codings = {c.split(b";")[0].strip().lower(): c for c in value.split(b",")}
            return b"gzip" in codings and not codings[b"gzip"].replace(b" ", b"").endswith(b";q=0")
    return False


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
        rest_factor: float = REST_FACTOR,
        min_age: float = MIN_AGE,
        not_kept: Iterable[str] = NOT_KEPT,
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.stale_cost = stale_cost
        self.refresh_factor = refresh_factor
        self.rest_factor = rest_factor
        self.min_age = min_age
        self.rest_until = 0.0  # time.monotonic() before which no refresh starts
        self.not_kept = tuple(not_kept)
        self.answers: OrderedDict[Key, Answer] = OrderedDict()
        self.bytes = 0
        self.computing: dict[Key, asyncio.Future[Answer]] = {}
        self.refreshing: Key | None = None
        self.recomputing = False  # a request is waiting for a changed cheap answer's recomputation
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
        if kept is not None:
            now = time.monotonic()
            current = kept.version == version
            expensive = kept.cost >= self.stale_cost
            if current or expensive or self.recomputing or now - kept.made < self.min_age:
                self.answers.move_to_end(key)
                if not current:
                    kept.outdated = kept.outdated or now
                    if expensive:
                        self._refresh_later(key, scope, version, kept)
                await kept.send(send, scope)
                return
            self.recomputing = True  # this request waits for the recomputation; others meanwhile do not
            try:
                answer = await self._computed(key, scope, version)
            finally:
                self.recomputing = False
        else:
            answer = await self._computed(key, scope, version)
        await answer.send(send, scope)

    async def _computed(self, key: Key, scope: Scope, version: int) -> Answer:
        """The answer for ``key`` computed now at ``version``, or the one already being computed."""
        running = self.computing.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self.computing[key] = future
        try:
            answer = await self._compute(scope, version)
            if self._keeps(answer) and answer.compressible():
                answer.gzipped = await run_in_threadpool(gzip.compress, answer.body, GZIP_LEVEL, mtime=0)
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
        """Recompute ``key`` behind the kept answer: one refresh at a time, none too soon after the last
        refresh of any answer nor after this answer was made."""
        now = time.monotonic()
        if self.refreshing is not None or key in self.computing or now < self.rest_until:
            return
        if now - kept.made < self.refresh_factor * kept.cost:
            return
        self.refreshing = key

        async def refresh() -> None:
            try:
                await self._computed(key, dict(scope), version)
            except Exception:  # a failed refresh keeps the old answer; the next request retries
                pass
            finally:
                cost = self.answers[key].cost if key in self.answers else kept.cost  # the quickest so far
                self.rest_until = time.monotonic() + self.rest_factor * cost
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

    def _keeps(self, answer: Answer) -> bool:
        return answer.status == 200 and _size(answer) <= self.max_bytes // 4

    def _keep(self, key: Key, answer: Answer) -> None:
        old = self.answers.pop(key, None)
        if old is not None:
            self.bytes -= _size(old)
            answer.cost = min(answer.cost, old.cost)
        if not self._keeps(answer):
            return
        self.answers[key] = answer
        self.bytes += _size(answer)
        while self.bytes > self.max_bytes and self.answers:
            _, dropped = self.answers.popitem(last=False)
            self.bytes -= _size(dropped)


def _size(answer: Answer) -> int:
    return len(answer.body) + len(answer.gzipped or b"")


__all__ = ["Answer", "ResponseCache", "StoreVersion"]
