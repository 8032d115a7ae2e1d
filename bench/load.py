"""Load on ``newsgraph serve``: N clients for T seconds over every route, over stores of several sizes, with
and without an ingest writing into the same store at the same time.

What is measured, on the loopback interface only (127.0.0.1, a free port):

1. a store: the article-extraction benchmark's 181 pages ingested once (``newsgraph ingest``; cached under
   ``--work``), grown synthetically to each ``--sizes`` figure by copying its documents under new ids with
   all their rows, in SQL (entities, mentions, quotes, quantities, times, places, events, event clusters
   and mentions, signatures, full-text entries by the store's own triggers), each copy's dates shifted back
   by its number of days; so a grown store has the shape of a real one (rows per document, stories, FTS),
   though its distinct names are the 181 pages' (cached too);
2. ``newsgraph serve`` over it, as a user starts it, in a subprocess;
3. every address asked once, one at a time (the first answers, reported as ``first_pass_ms``), then
   ``--clients`` asynchronous clients (asyncio, one keep-alive connection each: ``Connection``), each
   sending its next request as soon as the last one is answered (a closed loop: no think time), for
   ``--seconds``, over every route: the HTML pages and the API's list and detail routes, detail routes
   with real ids from the store, each client starting at another route of the list so every route gets
   its share;
4. with ``--writer`` on: a second process, ``newsgraph ingest``, writing the benchmark pages (as JSON
   Lines, under new URLs: new documents, each a near-duplicate of a stored one) into the same store
   while the clients run (the load starts once its first document is in).

Reported per run: requests/s, the CPU seconds the server and the clients used, errors (a status other
than 200, or no answer within 30 s), and per route the requests, errors, p50, p99 and max latency in
ms, and how many answers lagged the store and by how long (the server's ``X-Newsgraph-Stale``: an
answer kept while a writer changed the store; ``web.cache``); with a writer, the documents it
wrote during the run. The clients share the machine's cores with the server (and the writer): on 2
cores the figures are the whole machine's, clients included.

Run (from the repository root)::

    .venv/bin/python -m bench.load                                  # 200 and 10,000 documents, each with
                                                                    # and without a writer, 32 clients, 20 s
    .venv/bin/python -m bench.load --sizes 10000 --writer on --seconds 60
    .venv/bin/python -m bench.load --sizes 200 --clients 8 --seconds 5 --no-write   # a quick look

The first run builds the stores (the ingest about a minute, 10,000 documents another one or two); later
runs reuse them. Writes ``bench/results/load.json`` (``--out`` to change; a run with other sizes, writer
setting, clients, fewer seconds or ``--limit`` (pages in the base store) only where ``--out`` says).
Nothing else should run beside it. The common flags are in ``bench/harness.py``.

``--cold REPEATS`` measures instead each route's first answer from a fresh server (``cold_run``), over
``--db STORE`` (e.g. a store of real articles: ``bench.corpus``) or the benchmark's stores::

    .venv/bin/python -m bench.load --cold 3 --db /tmp/x.db --out bench/results/load_cold.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/load.py

from bench import harness
from newsgraph.store.schema import SCHEMA_VERSION

NAME = "load"
PAGES = Path("datasets") / "article-extraction-benchmark" / "html"
DEFAULT_SIZES = (200, 10_000)
DEFAULT_CLIENTS = 32
DEFAULT_SECONDS = 20.0
REQUEST_TIMEOUT_S = 30.0
START_TIMEOUT_S = 180.0  # for the server to answer, and for the writer's first document
SAMPLE_IDS = 20  # real ids per detail route, taken across the store
# the tables a copied document takes along, keyed by the document's id (n, their own key, is new)
DOC_TABLES = ("entities", "mentions", "quotes", "quantities", "times", "places", "events", "signatures")
SHIFTED_DAYS = {"documents": ("published",), "events": ("day",), "event_mentions": ("day_seen",)}


def default_work() -> Path:
    """Where the stores are kept between runs: ``$NEWSGRAPH_CACHE/bench-load`` (as the gazetteer's cache)."""
    env = os.environ.get("NEWSGRAPH_CACHE")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(env).expanduser() if env else (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "newsgraph"
    return base / "bench-load"


def newsgraph_command() -> list[str]:
    """The ``newsgraph`` command of this environment (the script beside the interpreter, else ``-m``)."""
    script = Path(sys.executable).with_name("newsgraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsgraph.cli"]


# --- the stores ----------------------------------------------------------------------------------------------


def page_files(shared: Path, limit: int | None) -> list[Path]:
    pages = sorted(harness.require(shared / PAGES, "the article-extraction benchmark pages").glob("*.html.gz"))
    return pages[:limit] if limit is not None else pages


def base_store(work: Path, pages: list[Path]) -> Path:
    """The benchmark pages ingested by ``newsgraph ingest`` (built once, kept in ``work``)."""
    db = work / f"base-{len(pages)}-v{SCHEMA_VERSION}.db"
    if db.exists():
        return db
    with tempfile.TemporaryDirectory(prefix="newsgraph-load-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for page in pages:
            (folder / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        building = Path(tmp) / db.name
        print(f"ingesting {len(pages)} pages into {db} (once) ...", flush=True)
        t = time.perf_counter()
        subprocess.run([*newsgraph_command(), "ingest", str(folder), "--db", str(building)], check=True)
        print(f"  {time.perf_counter() - t:.0f} s", flush=True)
        _checkpoint(building)
        work.mkdir(parents=True, exist_ok=True)
        shutil.move(building, db)
    return db


def grown_store(work: Path, base: Path, size: int) -> Path:
    """``base`` grown to ``size`` documents by copies (``grow``); built once, kept in ``work``."""
    db = work / f"{base.stem}-{size}.db"
    if db.exists():
        return db
    building = work / f"{db.name}.building"
    building.unlink(missing_ok=True)
    t = time.perf_counter()
    with sqlite3.connect(base) as src, sqlite3.connect(building) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    added = grow(building, size)
    _checkpoint(building)
    building.rename(db)
    print(f"grew {base.name} by {added} copied documents to {size} in {time.perf_counter() - t:.0f} s", flush=True)
    return db


def grow(db: Path, size: int) -> int:
    """Copy the store's documents (cyclically, with every row that hangs on them) under new ids until it
    holds ``size``; the number added. Copy k of a document has id ``first 12 hex digits + k in 4``, its
    story's id mapped alike, its dates ``k`` days earlier, its event clusters' ids moved by k strides."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        originals = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY n")]
        stride = int(conn.execute("SELECT coalesce(max(id), 0) FROM event_clusters").fetchone()[0])
        columns = {t: _columns(conn, t) for t in (*DOC_TABLES, "documents", "event_clusters", "event_mentions")}
        added, k = 0, 0
        while len(originals) + added < size:
            k += 1
            batch = originals[: size - len(originals) - added]
            conn.execute("BEGIN")
            conn.execute("DROP TABLE IF EXISTS temp.plan")
            conn.execute("CREATE TEMP TABLE plan (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
            conn.executemany("INSERT INTO plan VALUES (?, ?)", [(i, _copy_id(i, k)) for i in batch])
            _copy_rows(conn, columns, k, stride)
            conn.execute("COMMIT")
            added += len(batch)
        return added
    finally:
        conn.close()


def _copy_id(doc_id: str, k: int) -> str:
    return f"{doc_id[:12]}{k:04x}"


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "n"]


def _copy_rows(conn: sqlite3.Connection, columns: dict[str, list[str]], k: int, stride: int) -> None:
    """One round of copies: the documents in ``temp.plan`` (old id -> new id) with their rows."""
    mapped = f"substr({{}}, 1, 12) || printf('%04x', {k:d})"
    days = f"'-{k:d} days'"

    def select(table: str, alias: str, replace: dict[str, str]) -> str:
        cols = columns[table]
        shifted = {c: f"date({alias}.{c}, {days})" for c in SHIFTED_DAYS.get(table, ())}
        exprs = [replace.get(c) or shifted.get(c) or f"{alias}.{c}" for c in cols]
        return f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)}"

    published = f"date(d.published, {days})"
    doc = {
        "id": "p.new",
        "story_id": mapped.format("d.story_id"),
        "duplicate_of": f"CASE WHEN d.duplicate_of IS NULL THEN NULL ELSE {mapped.format('d.duplicate_of')} END",
        "json": f"json_set(d.json, '$.id', p.new, '$.meta.published', {published})",
    }
    conn.execute(select("documents", "d", doc) + " FROM documents d JOIN plan p ON p.old = d.id ORDER BY d.n")
    for table in DOC_TABLES:
        order = " ORDER BY x.n" if "n" in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")} else ""
        conn.execute(
            select(table, "x", {"doc_id": "p.new"}) + f" FROM {table} x JOIN plan p ON p.old = x.doc_id{order}"
        )
    moved = f"x.id + {k * stride:d}"
    conn.execute(
        select("event_clusters", "x", {"id": moved, "day": f"date(x.day, {days})"})
        + " FROM event_clusters x WHERE x.id <= ? AND x.id IN"
        " (SELECT m.cluster_id FROM event_mentions m JOIN plan p ON p.old = m.doc_id)",
        (stride,),
    )
    conn.execute(
        select("event_mentions", "x", {"doc_id": "p.new", "cluster_id": f"x.cluster_id + {k * stride:d}"})
        + " FROM event_mentions x JOIN plan p ON p.old = x.doc_id"
    )


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the file, so a copy of the file alone is the whole store."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def fresh_copy(db: Path, folder: Path) -> Path:
    """A copy of the store a writer may change (the cached one stays as it is)."""
    out = folder / db.name
    shutil.copyfile(db, out)
    return out


# --- the routes ----------------------------------------------------------------------------------------------


@dataclass
class Route:
    """A route of the server and the addresses it is asked for (rotated: real ids from the store)."""

    name: str
    urls: list[str]
    next: int = 0

    def url(self) -> str:
        self.next = (self.next + 1) % len(self.urls)
        return self.urls[self.next]


def routes(db: Path) -> list[Route]:
    """Every page and API route, the detail ones over SAMPLE_IDS real ids spread over the store."""
    conn = sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro", uri=True)
    try:

        def spread(sql: str) -> list[Any]:
            values = [r[0] for r in conn.execute(sql)]
            step = max(1, len(values) // SAMPLE_IDS)
            return values[::step][:SAMPLE_IDS]

        docs = spread("SELECT id FROM documents ORDER BY n")
        stories = spread("SELECT DISTINCT story_id FROM documents ORDER BY story_id")
        clusters = spread("SELECT id FROM event_clusters ORDER BY id")
        entities = spread(
            "SELECT name FROM (SELECT name, count(*) AS n FROM entities WHERE type IN ('PERSON', 'ORG', 'GPE')"
            " GROUP BY name ORDER BY n DESC LIMIT 200)"
        )
        words = ["Trump", "police", "election", "market", "said", "government", "water", "school"]
    finally:
        conn.close()

    def many(template: str, values: list[Any]) -> list[str]:
        return [template.format(quote(str(v))) for v in values] or [template.format("0")]

    return [
        Route("page /", ["/"]),
        Route("page /?q=", many("/?q={}", words)),
        Route("page /documents/{id}", many("/documents/{}", docs)),
        Route("page /quotes", ["/quotes"]),
        Route("page /entities", ["/entities"]),
        Route("page /entity", many("/entity?name={}", entities)),
        Route("page /events", ["/events"]),
        Route("page /events/{cluster}", many("/events/{}", clusters)),
        Route("page /actors", ["/actors"]),
        Route("page /timeline", ["/timeline"]),
        Route("page /map", ["/map"]),
        Route("page /network", ["/network"]),
        Route("page /docs", ["/docs"]),
        Route("/healthz", ["/healthz"]),
        Route("/openapi.json", ["/openapi.json"]),
        Route("/api/documents", ["/api/documents"]),
        Route("/api/documents?q=", many("/api/documents?q={}", words)),
        Route("/api/documents/{id}", many("/api/documents/{}", docs)),
        Route("/api/quotes", ["/api/quotes"]),
        Route("/api/events", ["/api/events"]),
        Route("/api/events/clusters/{id}", many("/api/events/clusters/{}", clusters)),
        Route("/api/actors/network", ["/api/actors/network"]),
        Route("/api/timeline", ["/api/timeline", "/api/timeline?bucket=day&by=source"]),
        Route("/api/entities", ["/api/entities"]),
        Route("/api/claims", ["/api/claims"]),
        Route("/api/layers", ["/api/layers"]),
        Route("/api/layers/{name}", ["/api/layers/times", "/api/layers/places", "/api/layers/quantities"]),
        Route("/api/stories/{id}", many("/api/stories/{}", stories)),
    ]


# --- the server, the writer, the clients ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far (Linux's /proc), None where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(db: Path) -> Iterator[tuple[str, int]]:
    """``newsgraph serve`` over ``db`` on a free loopback port; its base URL once it answers, and its pid."""
    port = free_port()
    cmd = [*newsgraph_command(), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read() if proc.stderr else ""
                raise SystemExit(f"newsgraph serve ended with status {proc.returncode}: {err[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"newsgraph serve did not answer within {START_TIMEOUT_S:.0f} s") from None
                time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()


def writer_input(pages: list[Path], folder: Path) -> Path:
    """The pages as JSON Lines under URLs never stored before: each a new document (a near-duplicate of a
    stored page, so it joins that page's story)."""
    run = uuid.uuid4().hex[:12]
    path = folder / "writer.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for page in pages:
            html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
            url = f"https://load-test.invalid/{run}/{page.name.removesuffix('.html.gz')}"
            out.write(json.dumps({"html": html, "url": url}, ensure_ascii=False) + "\n")
    return path


def count_documents(db: Path) -> int:
    conn = sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro", uri=True, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


@contextmanager
def writer(db: Path, source: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``newsgraph ingest source --db db`` running; yields once it has written its first document."""
    before = count_documents(db)
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [*newsgraph_command(), "ingest", str(source), "--db", str(db)], stdout=subprocess.DEVNULL, stderr=err
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while count_documents(db) == before:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the writer wrote nothing (status {proc.poll()}): see {log}")
                time.sleep(0.2)
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=60)


@dataclass
class Tally:
    """Latencies (s) and errors of one route."""

    latencies: list[float] = field(default_factory=list)  # of the answered requests
    unanswered: int = 0
    errors: int = 0  # unanswered, or answered with a status other than 200
    examples: list[str] = field(default_factory=list)
    stale: list[float] = field(default_factory=list)  # how long answers lagged the store (X-Newsgraph-Stale), s

    def error(self, what: str, *, answered: bool = True) -> None:
        self.errors += 1
        self.unanswered += not answered
        if len(self.examples) < 3:
            self.examples.append(what)


class Connection:
    """One keep-alive HTTP/1.1 connection to the server, asking GETs one after the other and reading each
    whole answer (Content-Length or chunked), as a browser asks (gzip accepted, not unpacked here).

    Not httpx: on 2 cores its AsyncClient spends about 2 ms of CPU per request, ten times what a kept
    answer costs the server, so the clients, not the server, would be measured."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept-Encoding: gzip\r\n\r\n"
        self.writer.write(request.encode("latin-1"))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            body = b"".join(chunks)
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def ask(conn: Connection, url: str, tally: Tally, timeout: float = REQUEST_TIMEOUT_S) -> None:
    """One request, its latency or its error into ``tally``."""
    t = time.perf_counter()
    try:
        status, headers, body = await asyncio.wait_for(conn.get(url), timeout)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as exc:
        conn.close()
        tally.error(f"{url}: {type(exc).__name__}", answered=False)
        return
    tally.latencies.append(time.perf_counter() - t)
    if "x-newsgraph-stale" in headers:
        tally.stale.append(float(headers["x-newsgraph-stale"]))
    if status != 200:
        tally.error(f"{url}: {status} {body[:120]!r}")


async def drive(base: str, table: list[Route], clients: int, seconds: float) -> tuple[dict[str, Tally], float]:
    """``clients`` closed-loop clients over ``table`` for ``seconds``; the tallies per route, the time taken."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    start = time.perf_counter()
    deadline = start + seconds

    async def client(i: int) -> None:
        conn = Connection(base)
        turn = i  # each client starts at another route
        try:
            while time.perf_counter() < deadline:
                route = table[turn % len(table)]
                turn += 1
                await ask(conn, route.url(), tallies[route.name])
        finally:
            conn.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return tallies, time.perf_counter() - start


async def first_pass(base: str, table: list[Route]) -> dict[str, float | None]:
    """Every address of every route asked once, one at a time, before the load (the server's first answers:
    modules, templates, the first computation of each answer); the slowest per route, in ms."""
    conn = Connection(base)
    slowest: dict[str, float | None] = {}
    try:
        for route in table:
            tally = Tally()
            for url in route.urls:
                await ask(conn, url, tally, timeout=300.0)
            slowest[route.name] = round(1000 * max(tally.latencies), 1) if tally.latencies else None
    finally:
        conn.close()
    return slowest


def summary(tallies: dict[str, Tally], table: list[Route], took: float) -> dict[str, Any]:
    def ms(values: list[float], q: float) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    per_route = {}
    for route in table:
        t = tallies.get(route.name, Tally())
        per_route[route.name] = {
            "requests": len(t.latencies) + t.unanswered,
            "errors": t.errors,
            "p50_ms": ms(t.latencies, 0.50),
            "p99_ms": ms(t.latencies, 0.99),
            "max_ms": ms(t.latencies, 1.0),
            "stale_share": round(len(t.stale) / len(t.latencies), 3) if t.latencies else None,
            "median_stale_s": statistics.median(t.stale) if t.stale else 0.0,
            "max_stale_s": max(t.stale, default=0.0),
            **({"error_examples": t.examples} if t.examples else {}),
        }
    every = [x for t in tallies.values() for x in t.latencies]
    requests = sum(len(t.latencies) + t.unanswered for t in tallies.values())
    return {
        "seconds": round(took, 1),
        "requests": requests,
        "requests_per_s": round(requests / took, 1),
        "errors": sum(t.errors for t in tallies.values()),
        "p50_ms": ms(every, 0.50),
        "p99_ms": ms(every, 0.99),
        "mean_ms": round(1000 * statistics.fmean(every), 1) if every else None,
        "worst_route_p99_ms": max((r["p99_ms"] or 0.0 for r in per_route.values()), default=None),
        "routes": per_route,
    }


def print_run(label: str, result: dict[str, Any]) -> None:
    print(
        f"\n{label}: {result['requests_per_s']} requests/s, {result['errors']} errors,"
        f" p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms (worst route p99 {result['worst_route_p99_ms']} ms)"
        + (f"; the writer wrote {result['writer']['documents']} documents" if "writer" in result else "")
        + f"; CPU s: server {result['cpu_s']['server']}, clients {result['cpu_s']['clients']}"
    )
    print(
        f"  {'route':<30}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'stale %':>9}{'med s':>7}{'max s':>7}"
    )
    for name, r in result["routes"].items():
        stale = f"{100 * (r['stale_share'] or 0):>9.0f}{r['median_stale_s']:>7.1f}{r['max_stale_s']:>7.1f}"
        figures = f"{r['p50_ms']!s:>9}{r['p99_ms']!s:>9}{r['max_ms']!s:>9}{stale}"
        print(f"  {name:<30}{r['requests']:>9}{r['errors']:>8}{figures}")
        for example in r.get("error_examples", []):
            print(f"      {example}")


def _timed_get(base: str, url: str) -> float:
    """One GET on a new connection, in ms (SystemExit on a status other than 200)."""
    t = time.perf_counter()
    with urllib.request.urlopen(base + url, timeout=300.0) as r:
        r.read()
        if r.status != 200:
            raise SystemExit(f"{url}: status {r.status}")
    return 1000 * (time.perf_counter() - t)


def cold_run(db: Path, repeats: int) -> dict[str, Any]:
    """Every route's first answer from a fresh server (``--cold``): per route and repeat, ``newsgraph serve``
    started anew (it answers /healthz first, nothing else), the route's first address asked once (cold:
    nothing computed or kept yet, the store's pages in the OS cache only), then again (warm: the kept
    answer). Medians over the repeats, in ms; ``other_ms``: the route's next addresses, asked after the
    first in the same server (other ids, each computed anew)."""
    out: dict[str, Any] = {}
    for route in routes(db):
        cold, warm, other = [], [], []
        for _ in range(repeats):
            with server(db) as (base, _pid):
                cold.append(_timed_get(base, route.urls[0]))
                warm.append(_timed_get(base, route.urls[0]))
                other += [_timed_get(base, url) for url in route.urls[1:4]]
        out[route.name] = {
            "url": route.urls[0],
            "cold_ms": round(statistics.median(cold), 1),
            "warm_ms": round(statistics.median(warm), 1),
            "other_ms": round(max(other), 1) if other else None,
            "cold_runs_ms": [round(c, 1) for c in cold],
        }
        r = out[route.name]
        print(f"  {route.name:<30}cold {r['cold_ms']:>8} ms  warm {r['warm_ms']:>6} ms  other ids {r['other_ms']}")
    return out


def one_run(db: Path, clients: int, seconds: float, pages: list[Path] | None, tmp: Path) -> dict[str, Any]:
    """One measurement over ``db``: the server, the clients, and with ``pages`` a writer ingesting them."""
    table = routes(db)
    with server(db) as (base, pid):
        cold = asyncio.run(first_pass(base, table))
        extra: dict[str, Any] = {}
        with contextlib.ExitStack() as stack:
            if pages is not None:
                stack.enter_context(writer(db, writer_input(pages, tmp), tmp / "writer.log"))
                before = count_documents(db)
            cpu = (cpu_seconds(pid), time.process_time())
            tallies, took = asyncio.run(drive(base, table, clients, seconds))
            server_cpu = cpu_seconds(pid)
            extra["cpu_s"] = {
                "server": round(server_cpu - cpu[0], 1) if server_cpu is not None and cpu[0] is not None else None,
                "clients": round(time.process_time() - cpu[1], 1),
            }
            if pages is not None:
                written = count_documents(db) - before
                extra["writer"] = {"documents": written, "per_s": round(written / took, 2)}
        return {**summary(tallies, table, took), **extra, "first_pass_ms": cold}


# --- the benchmark -------------------------------------------------------------------------------------------


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=harness.SHARED, help="the shared folder")
    ap.add_argument("--work", type=Path, default=default_work(), help="where the stores are kept between runs")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="store sizes, in documents")
    ap.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="concurrent clients")
    ap.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="seconds of load per run")
    ap.add_argument("--writer", choices=("both", "off", "on"), default="both", help="an ingest writing meanwhile")
    ap.add_argument(
        "--cold",
        type=int,
        metavar="REPEATS",
        help="instead of the load: every route's first answer from a fresh server, REPEATS times (cold_run)",
    )
    ap.add_argument("--db", type=Path, help="measure this store (read only) instead of the benchmark's own")
    return ap


def sizes_of(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise SystemExit(f"--sizes: not a list of whole numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise SystemExit(f"--sizes: give store sizes of 1 document or more: {text!r}")
    return sizes


def run(args: argparse.Namespace) -> dict[str, Any]:
    """``--limit``: only the first N benchmark pages in the base store (and for the writer)."""
    load_before = list(os.getloadavg())  # the other work on the machine, as the run starts
    if args.cold:
        return cold_runs(args, load_before)
    pages = page_files(args.data, args.limit)
    base = base_store(args.work, pages)
    base_docs = count_documents(base)
    writers = {"both": (False, True), "off": (False,), "on": (True,)}[args.writer]
    runs = []
    for size in sizes_of(args.sizes):
        db = grown_store(args.work, base, size) if size > base_docs else base
        for with_writer in writers:
            with tempfile.TemporaryDirectory(prefix="newsgraph-load-") as tmp:
                store = fresh_copy(db, Path(tmp)) if with_writer else db
                result = one_run(store, args.clients, args.seconds, pages if with_writer else None, Path(tmp))
            label = f"{count_documents(db)} documents, {'with' if with_writer else 'without'} a writer"
            print_run(label, result)
            runs.append({"documents": count_documents(db), "with_writer": with_writer, **result})
    return {
        "what": "newsgraph serve on 127.0.0.1 under closed-loop clients (asyncio, keep-alive), every route in turn",
        "base_store": f"{base_docs} article-extraction-benchmark pages ingested; larger stores grown by copies",
        "clients": args.clients,
        "seconds": args.seconds,
        "sqlite": sqlite3.sqlite_version,
        "load_average_before": load_before,
        "load_average_after": list(os.getloadavg()),
        "runs": runs,
    }


def cold_runs(args: argparse.Namespace, load_before: list[float]) -> dict[str, Any]:
    """``--cold``: over ``--db``, else over the benchmark's stores of ``--sizes`` documents."""
    if args.db is not None:
        stores = [harness.require(args.db, "the store given with --db")]
    else:
        base = base_store(args.work, page_files(args.data, args.limit))
        n = count_documents(base)
        stores = [grown_store(args.work, base, size) if size > n else base for size in sizes_of(args.sizes)]
    runs = []
    for db in stores:
        print(
            f"{count_documents(db)} documents ({db.name}): each route's first answer, from a fresh server", flush=True
        )
        runs.append({"documents": count_documents(db), "store": db.name, "routes": cold_run(db, args.cold)})
    return {
        "what": "each route's first answer (cold) and its second (warm) from a fresh newsgraph serve, one at a time",
        "repeats": args.cold,
        "sqlite": sqlite3.sqlite_version,
        "load_average_before": load_before,
        "load_average_after": list(os.getloadavg()),
        "runs": runs,
    }


def complete(args: argparse.Namespace) -> bool:
    if args.cold or args.db is not None:
        return False
    return (
        sizes_of(args.sizes) == list(DEFAULT_SIZES)
        and args.writer == "both"
        and args.clients == DEFAULT_CLIENTS
        and args.seconds >= DEFAULT_SECONDS
    )


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, peers=("fastapi", "starlette", "uvicorn"), complete=complete)


if __name__ == "__main__":
    raise SystemExit(main())
