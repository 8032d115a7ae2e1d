"""The answers the web app keeps (web.cache): kept until the store's version changes; after a change a
cheap answer is recomputed at once, an expensive one sent as it was while it is recomputed behind it;
one computation for requests that arrive together; only GET answers of status 200 are kept. And, over a
real store, a document written by another connection is seen by the next request."""

from __future__ import annotations

import asyncio
import gzip
import time
import warnings
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document
from newsgraph.pipeline import analyze
from newsgraph.store.db import connect
from newsgraph.store.dedup import StoryIndex
from newsgraph.web.app import create_app
from newsgraph.web.cache import ResponseCache, StoreVersion

from .helpers import benchmark_page, store_with, write

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient


class Counting:
    """An ASGI app answering ``<path> #<n>`` (n: how many times it ran), after ``delay`` seconds."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.calls = 0
        self.status = status
        self.delay = delay

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        n = self.calls
        await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": self.status, "headers": [(b"x-n", str(n).encode())]})
        await send({"type": "http.response.body", "body": f"{scope['path']} #{n}".encode()})


async def get(app: Any, path: str, method: str = "GET", query: bytes = b"") -> str:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query, "headers": []}
    await app(scope, receive, send)
    assert sent[0]["type"] == "http.response.start"
    return b"".join(m.get("body", b"") for m in sent[1:]).decode()


class Version:
    def __init__(self) -> None:
        self.n = 1

    def __call__(self) -> int:
        return self.n


def test_kept_until_the_store_changes_then_recomputed() -> None:
    async def run() -> None:
        inner, version = Counting(), Version()
        cache = ResponseCache(inner, version, min_age=0.0)
        assert await get(cache, "/a") == "/a #1"
        assert await get(cache, "/a") == "/a #1"
        assert await get(cache, "/a", query=b"page=2") == "/a #2"  # another address, another answer
        version.n = 2
        assert await get(cache, "/a") == "/a #3"  # cheap: recomputed before it is sent
        assert await get(cache, "/a") == "/a #3"

    asyncio.run(run())


def test_an_expensive_answer_is_refreshed_behind_the_kept_one() -> None:
    async def run() -> None:
        inner, version = Counting(delay=0.01), Version()
        cache = ResponseCache(inner, version, stale_cost=0.0, refresh_factor=0.0, rest_factor=0.0, min_age=0.0)
        assert await get(cache, "/agg") == "/agg #1"
        version.n = 2
        assert await get(cache, "/agg") == "/agg #1"  # sent at once as it was; a refresh starts behind it
        assert await get(cache, "/agg") == "/agg #1"  # still refreshing: no second refresh
        await asyncio.sleep(0.1)
        assert inner.calls == 2
        assert await get(cache, "/agg") == "/agg #2"

    asyncio.run(run())


def test_a_refresh_waits_for_a_multiple_of_its_cost() -> None:
    async def run() -> None:
        inner, version = Counting(delay=0.02), Version()
        cache = ResponseCache(inner, version, stale_cost=0.0, refresh_factor=1000.0, min_age=0.0)
        await get(cache, "/agg")
        version.n = 2
        assert await get(cache, "/agg") == "/agg #1"
        await asyncio.sleep(0.05)
        assert inner.calls == 1  # too soon after it was made (1000 times 20 ms)

    asyncio.run(run())


def test_a_young_answer_is_sent_while_the_store_changes() -> None:
    async def run() -> None:
        inner, version = Counting(), Version()
        cache = ResponseCache(inner, version, min_age=0.2)
        assert await get(cache, "/a") == "/a #1"
        version.n = 2
        assert await get(cache, "/a") == "/a #1"  # made under 0.2 s ago: sent as it is
        await asyncio.sleep(0.25)
        assert await get(cache, "/a") == "/a #2"

    asyncio.run(run())


def test_refreshes_rest_between_them() -> None:
    async def run() -> None:
        inner, version = Counting(delay=0.02), Version()
        cache = ResponseCache(inner, version, stale_cost=0.0, refresh_factor=0.0, rest_factor=1000.0, min_age=0.0)
        await get(cache, "/a")
        await get(cache, "/b")
        version.n = 2
        await get(cache, "/a")  # refreshed behind
        await asyncio.sleep(0.1)
        assert inner.calls == 3
        await get(cache, "/b")  # the refresher rests: /b is sent as it was, not refreshed
        await asyncio.sleep(0.1)
        assert inner.calls == 3

    asyncio.run(run())


def test_one_request_at_a_time_waits_for_a_recomputation() -> None:
    async def run() -> None:
        inner, version = Counting(delay=0.05), Version()
        cache = ResponseCache(inner, version, min_age=0.0, stale_cost=1.0)
        assert [await get(cache, "/a"), await get(cache, "/b")] == ["/a #1", "/b #2"]
        version.n = 2
        answers = await asyncio.gather(get(cache, "/a"), get(cache, "/b"))
        assert list(answers) == ["/a #3", "/b #2"]  # /a recomputed; meanwhile /b sent as it was
        assert await get(cache, "/b") == "/b #4"

    asyncio.run(run())


def test_requests_arriving_together_share_one_computation() -> None:
    async def run() -> None:
        inner = Counting(delay=0.05)
        cache = ResponseCache(inner, Version())
        answers = await asyncio.gather(*(get(cache, "/slow") for _ in range(5)))
        assert answers == ["/slow #1"] * 5 and inner.calls == 1

    asyncio.run(run())


@pytest.mark.parametrize(
    ("status", "method", "path"), [(404, "GET", "/a"), (200, "POST", "/a"), (200, "GET", "/static/x")]
)
def test_what_is_not_kept(status: int, method: str, path: str) -> None:
    async def run() -> None:
        inner = Counting(status=status)
        cache = ResponseCache(inner, Version())
        await get(cache, path, method)
        await get(cache, path, method)
        assert inner.calls == 2

    asyncio.run(run())


def test_memory_is_bounded() -> None:
    async def run() -> None:
        inner = Counting()
        cache = ResponseCache(inner, Version(), max_bytes=40)
        for i in range(10):
            await get(cache, f"/p{i}")  # 6 or 7 bytes each
        kept = {path for path, _ in cache.answers}
        assert cache.bytes <= 40 and "/p0" not in kept and {"/p7", "/p8", "/p9"} <= kept  # the oldest went first
        assert await get(cache, "/p9") == "/p9 #10" and await get(cache, "/p0") == "/p0 #11"

    asyncio.run(run())


@pytest.fixture(scope="module")
def two_docs(seed_doc: Document) -> tuple[Document, Document]:
    return seed_doc, analyze(benchmark_page(2))


def eventually(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_write_by_another_connection_is_seen(tmp_path: Path, two_docs: tuple[Document, Document]) -> None:
    first, second = two_docs
    db = store_with(tmp_path / "store.db", [first])
    version = StoreVersion(db)
    before = version()
    with TestClient(create_app(db)) as client:
        assert client.get("/api/documents").json()["total"] == 1
        assert "1 articles in 1 stories" in client.get("/").text
        conn = connect(db)
        try:
            write(conn, second, StoryIndex.load(conn))
        finally:
            conn.close()
        assert version() != before
        # seen within a second (the answers' MIN_AGE); here: eventually, each page
        assert eventually(lambda: client.get("/api/documents").json()["total"] == 2)
        assert eventually(lambda: client.get("/healthz").json()["documents"] == 2)
        assert eventually(lambda: "2 articles in 2 stories" in client.get("/").text)
    version.close()


def test_large_answers_go_gzipped_to_clients_that_accept_it() -> None:
    body = b'{"items": [' + b'{"title": "the same words again"}, ' * 200 + b"{}]}"

    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def ask(cache: ResponseCache, accept: bytes | None) -> tuple[dict[bytes, bytes], bytes]:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(dict(message))

        headers = [(b"accept-encoding", accept)] if accept is not None else []
        await cache(
            {"type": "http", "method": "GET", "path": "/big", "query_string": b"", "headers": headers}, receive, send
        )
        return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])

    async def run() -> None:
        cache = ResponseCache(app, Version())
        for accept in (b"gzip, deflate", None, b"gzip, deflate"):  # computed, then kept: the same both times
            headers, got = await ask(cache, accept)
            if accept:
                assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(got) == body
                assert int(headers[b"content-length"]) == len(got) < len(body) // 10
            else:
                assert b"content-encoding" not in headers and got == body
            assert headers[b"vary"] == b"Accept-Encoding"
        headers, got = await ask(cache, b"identity, gzip;q=0")
        assert got == body

    asyncio.run(run())
