"""``newsgraph ingest``: folders, JSON Lines, WARC, RSS/Atom feeds and URLs (from a local HTTP server), bad
inputs reported one line each, idempotence, and a ``kill -9`` mid-ingest that a re-run completes."""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import io
import json
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.cli import main
from newsgraph.document import RawArticle
from newsgraph.errors import GeoDataError, InputError, StoreError
from newsgraph.ingest import count_articles, ingest, ingest_items
from newsgraph.progress import Progress
from newsgraph.sources.fetch_guard import RefusedAddress
from newsgraph.sources.urls import HTTPStatusError
from newsgraph.store.db import connect, connect_readonly
from newsgraph.time_limit import TimeLimitExceeded

from .helpers import ROOT, SEED, benchmark_pages

KILL_CORPUS = 20  # the seed and 19 benchmark pages


def page_html(i: int) -> bytes:
    return gzip.decompress(benchmark_pages(1, skip=i)[0].read_bytes())


def rows(db: Path, table: str = "documents") -> int:
    conn = connect_readonly(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def failures(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("newsgraph: failed: ")]


# --- a folder, killed midway, then run again ----------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and benchmark pages, some in a subfolder, beside files that are not articles."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED / "article.txt", folder / "seed.txt")
    (folder / "sub" / "deeper").mkdir(parents=True)
    for i, path in enumerate(benchmark_pages(KILL_CORPUS - 1)):
        target = folder / ("sub/deeper" if i % 3 == 0 else "sub" if i % 3 == 1 else ".") / path.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(path.read_bytes()))
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    (folder / ".hidden.txt").write_text("an editor's backup, not an article\n")
    return folder


def test_the_walk_counts_article_files_only(corpus: Path) -> None:
    assert count_articles([str(corpus)]) == KILL_CORPUS
    assert count_articles([str(corpus), "https://example.org/feed"]) is None


def test_a_folder_of_gzipped_pages_is_read(tmp_path: Path) -> None:
    """Saved pages kept gzipped, as the article-extraction benchmark keeps them, are articles of a folder."""
    for path in benchmark_pages(2):
        shutil.copy(path, tmp_path / path.name)
    assert count_articles([str(tmp_path)]) == 2
    report = ingest([str(tmp_path)], tmp_path / "store.db", geo=False)
    assert report.added == 2


@pytest.mark.slow
def test_kill_9_midway_leaves_an_intact_store_and_a_rerun_completes_it(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # small batches: writes fall between parses, so the kill can land anywhere, in a transaction too
    cmd = [sys.executable, "-m", "newsgraph.cli", "ingest", str(corpus), "--db", str(db), "--batch-size", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    stored = rows(db)
                except Exception:  # the schema may be half-way through creation: not ours to read yet
                    stored = 0
            if stored >= 4:
                break
            time.sleep(0.05)
        assert proc.poll() is None, (
            f"ingest ended before it could be killed: {proc.stderr.read() if proc.stderr else b''!r}"
        )
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')") is not None
        before = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM entities WHERE doc_id NOT IN (SELECT id FROM documents)")
        assert orphans.fetchone()[0] == 0
    assert 4 <= before < KILL_CORPUS

    report = ingest([str(corpus)], db, progress=False)
    assert report.failed == []
    assert report.unchanged == before and report.added + report.duplicates == KILL_CORPUS - before
    assert rows(db) == KILL_CORPUS

    again = ingest([str(corpus)], db, progress=False)  # the folder a third time: nothing new
    assert (again.added, again.duplicates, again.unchanged, again.failed) == (0, 0, KILL_CORPUS, [])
    conn = connect_readonly(db)
    assert conn.execute("SELECT count(DISTINCT id), count(DISTINCT input) FROM documents").fetchone() == (
        KILL_CORPUS,
        KILL_CORPUS,
    )
    for table in ("entities", "quotes", "quantities", "times", "places"):
        dupes = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY doc_id, idx HAVING count(*) > 1)")
        assert dupes.fetchone()[0] == 0, table
    assert conn.execute("SELECT count(*) FROM signatures").fetchone()[0] == KILL_CORPUS
    conn.close()


# --- JSON Lines ------------------------------------------------------------------------------------------


def test_jsonl_lines_with_metadata_and_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    title, body = seed.split("\n\n", 1)
    lines = [
        json.dumps(
            {
                "text": body,
                "title": title,
                "url": "https://observer.example/iraq",
                "source": "Arab Observer",
                "published": "2021-12-09T14:00:00Z",
            }
        ),
        "{not json",
        json.dumps({"html": page_html(30).decode("utf-8", errors="replace"), "source": "Benchmark Site"}),
        json.dumps({"title": "no body"}),
        "",
        json.dumps({"text": "Some words.", "published": "last Tuesday"}),
        json.dumps(["a", "list"]),
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "j.db"
    code, out, err = run(["ingest", str(path), "--db", str(db)], capsys)
    assert code == 1
    assert "2 added" in out and "4 failed" in out
    assert failures(err) == [
        f"newsgraph: failed: {path}:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f'newsgraph: failed: {path}:4: no article: expected a non-empty "text" or "html" string',
        f"newsgraph: failed: {path}:6: invalid \"published\" 'last Tuesday':"
        " expected YYYY-MM-DD or an ISO 8601 date-time, from 1000-01-01 to 2999-12-31",
        f"newsgraph: failed: {path}:7: expected a JSON object, got list",
    ]
    conn = connect_readonly(db)
    got = conn.execute("SELECT title, source, url, published, input FROM documents ORDER BY input").fetchall()
    assert got[0] == (title, "Arab Observer", "https://observer.example/iraq", "2021-12-09", f"{path}:1")
    assert got[1][1] == "Benchmark Site" and got[1][4] == f"{path}:3"
    conn.close()


def test_a_jsonl_title_the_text_opens_with_and_a_full_stop_is_the_documents_title(tmp_path: Path) -> None:
    # 242 of 300 political news records (text "Title.\n\nBody", the title field the same) once had no title
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    title, body = seed.split("\n\n", 1)
    path = tmp_path / "titled.jsonl"
    records = [
        {"text": f"{title}.\n\n{body}", "title": title},  # the text repeats it, with a full stop
        {"text": f"{title}. {body}", "title": title},  # run into the first paragraph
        {"text": "Troops left Erbil on Monday, officials said.", "title": "Troops leave Erbil."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "t.db"
    report = ingest([str(path)], db, geo=False)
    assert report.added + report.duplicates == 3 and not report.failed  # the second is a copy of the first
    conn = connect_readonly(db)
    got = conn.execute("SELECT title, json FROM documents ORDER BY input").fetchall()
    conn.close()
    assert [t for t, _ in got] == [title, title, "Troops leave Erbil."]
    docs = [json.loads(j) for _, j in got]
    assert [d["meta"]["title"] for d in docs] == [title, title, "Troops leave Erbil."]
    first = docs[0]["paragraphs"][0]
    assert first["kind"] == "title" and docs[0]["text"][first["start"] : first["end"]] == f"{title}."
    assert docs[2]["text"].startswith("Troops leave Erbil.\n\nTroops left Erbil")  # prepended, as before


# --- WARC ------------------------------------------------------------------------------------------------


def test_warc_response_records_with_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(uri: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        writer.write_record(writer.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b"GET")))
        response("https://news.example/a", "200 OK", "text/html; charset=utf-8", page_html(31))
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(300))
        response("https://news.example/gone", "404 Not Found", "text/html", b"<html><body>gone</body></html>")
        response("https://news.example/empty", "200 OK", "text/html", b"   ")
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"this is not a web archive\n" * 20)
    # an uncompressed archive whose one record grew after its Content-Length was written
    buf = io.BytesIO()
    plain = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = io.BytesIO(b"<html><body><p>A short page.</p></body></html>")
    plain.write_record(
        plain.create_warc_record("https://news.example/b", "response", payload=body, http_headers=headers)
    )
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(buf.getvalue().replace(b"A short page.", b"A page that grew after it was archived."))
    db = tmp_path / "w.db"
    code, out, err = run(["ingest", str(path), str(broken), str(damaged), "--db", str(db)], capsys)
    assert code == 1 and "1 added" in out and "4 failed" in out
    lines = failures(err)
    assert lines[:2] == [
        f"newsgraph: failed: https://news.example/empty (in {path}): empty input: there is no article text",
        f"newsgraph: failed: {broken}: not a WARC file (it does not begin with a WARC/1.x record)",
    ]
    # the damaged record is read as far as its length says: a cut page with no article in it
    assert lines[2].startswith(f"newsgraph: failed: https://news.example/b (in {damaged}): ")
    assert (
        lines[3] == f"newsgraph: failed: {damaged}: 1 damaged record(s): a record's length does not match its content"
    )
    assert "WARNING" not in err  # warcio's own warnings do not reach the terminal
    conn = connect_readonly(db)
    assert conn.execute("SELECT url, input FROM documents").fetchall() == [
        ("https://news.example/a", f"https://news.example/a (in {path})")
    ]
    conn.close()


# --- feeds and URLs, from a local server --------------------------------------------------------------------

LIMIT = 400_000  # bytes; the pages served are under it, the big ones over it


class Site(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes, bool]]] = {}  # path -> (content type, body, Content-Length?)

    def do_GET(self) -> None:
        found = self.pages.get(self.path)
        if found is None:
            self.send_error(404, "Not Found")
            return
        ctype, body, length = found
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    a, b, c = page_html(40), page_html(41), page_html(42)
    assert max(map(len, (a, b, c))) < LIMIT
    big = c + b"<!-- " + b"padding " * (LIMIT // 8) + b"-->"
    day = format_datetime(dt.datetime(2019, 11, 18, 9, 30, tzinfo=dt.UTC))
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local News</title><link>{base}/</link>
<item><title>A</title><link>{base}/a.html</link><pubDate>{day}</pubDate></item>
<item><title>B</title><link>/b.html</link></item>
<item><title>Gone</title><link>{base}/missing.html</link></item>
<item><title>Too big</title><link>{base}/big.html</link></item>
<item><title>Too big, streamed</title><link>{base}/big-stream.html</link></item>
<item><title>No link</title></item>
</channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Local Atom</title>
<entry><title>A again</title><link rel="alternate" type="text/html" href="{base}/a.html"/>
<published>2019-11-18T09:30:00Z</published></entry></feed>"""
    Site.pages = {
        "/feed.xml": ("application/rss+xml", rss.encode(), True),
        "/atom": ("application/atom+xml; charset=utf-8", atom.encode(), True),
        "/a.html": ("text/html; charset=utf-8", a, True),
        "/b.html": ("text/html", b, False),
        "/page.html": ("text/html; charset=utf-8", c, True),
        "/big.html": ("text/html", big, True),
        "/big-stream.html": ("text/html", big, False),
        "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(2000), True),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def kib(n: int) -> str:
    return f"{n / 1024:.0f} KiB"


def test_feeds_and_urls(tmp_path: Path, site: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "f.db"
    argv = ["ingest", f"{site}/feed.xml", f"{site}/atom", f"{site}/page.html", f"{site}/image.png"]
    argv += [f"{site}/no-feed.xml", "--db", str(db), "--max-page-bytes", str(LIMIT), "--allow-private"]
    code, out, err = run(argv, capsys)
    big = Site.pages["/big.html"][1]
    assert code == 1
    assert "3 added" in out and "1 unchanged" in out and "6 failed" in out
    assert failures(err) == [
        f"newsgraph: failed: {site}/feed.xml: 1 feed item(s) without a link",
        f"newsgraph: failed: {site}/missing.html: HTTP 404 Not Found",
        f"newsgraph: failed: {site}/big.html: larger than the {kib(LIMIT)} limit ({kib(len(big))})",
        f"newsgraph: failed: {site}/big-stream.html: larger than the {kib(LIMIT)} limit",
        f"newsgraph: failed: {site}/image.png: unsupported content type image/png"
        " (expected application/atom+xml, application/rdf+xml, application/rss+xml, application/xhtml+xml,"
        " application/xml, text/html, text/markdown, text/plain, text/xml)",
        f"newsgraph: failed: {site}/no-feed.xml: HTTP 404 Not Found",
    ]
    conn = connect_readonly(db)
    stored = dict(conn.execute("SELECT url, published FROM documents").fetchall())
    conn.close()
    assert set(stored) == {f"{site}/a.html", f"{site}/b.html", f"{site}/page.html"}
    assert stored[f"{site}/a.html"] == "2019-11-18"  # the feed's date


def test_a_url_that_never_answers_times_out(tmp_path: Path) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow.html"
        report = ingest([url], tmp_path / "t.db", timeout=0.5, allow_private=True, progress=False)
    finally:
        listener.close()
    assert [str(f) for f in report.failed] == [f"{url}: timed out after 0.5 s"]


# --- bad files, summary, progress ------------------------------------------------------------------------


def test_bad_files_are_reported_and_the_rest_is_stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED / "article.txt", folder / "good.txt")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "empty.md").write_text("  \n\n")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted-long-ago.txt")
    db = tmp_path / "b.db"
    code, out, err = run(["ingest", str(folder), str(tmp_path / "nowhere"), "--db", str(db)], capsys)
    assert code == 1
    assert failures(err) == [
        f"newsgraph: failed: {folder / 'binary.txt'}: binary file, not an article (expected plain text or HTML)",
        f"newsgraph: failed: {folder / 'empty.md'}: empty input: there is no article text",
        f"newsgraph: failed: {folder / 'gone.txt'}: no such file",
        f"newsgraph: failed: {tmp_path / 'nowhere'}: no such file or folder",
    ]
    assert out.startswith(f"{db}: 1 added, 0 near-duplicates") and "4 failed" in out
    assert "\r" not in err  # no progress drawn: stderr is not a terminal
    code, out, err = run(["ingest", str(folder / "good.txt"), "--db", str(db), "--json"], capsys)
    assert code == 0 and '"unchanged": 1' in out and err == ""


@pytest.mark.parametrize(
    "error",
    [
        InputError("feed.jsonl:3", "not valid JSON"),
        HTTPStatusError("https://example.org/a", 404, "Not Found"),
        GeoDataError("cities500.txt is missing"),
        StoreError("news.db: not a newsgraph store"),
        TimeLimitExceeded(2.5),
        RefusedAddress("localhost", "127.0.0.1", "loopback"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_cross_a_process_boundary_unchanged(error: Exception) -> None:
    # what a pool worker receives or sends: pickling once called cls(message) and broke two-argument errors
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error) and copy.args == error.args
    assert vars(copy) == vars(error)


def test_two_workers_store_the_good_file_and_report_the_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the bad input travels to a worker as an InputError, which once could not be unpickled there: every
    # worker died and the run said "0 added ... 0 failed (0 inputs)" with status 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "good.html").write_bytes(page_html(0))
    db = tmp_path / "w.db"
    code, out, err = run(["ingest", str(folder), "--db", str(db), "--workers", "2", "--no-geo"], capsys)
    assert failures(err) == [f"newsgraph: failed: {folder / 'empty.txt'}: empty input: there is no article text"]
    assert code == 1 and out.startswith(f"{db}: 1 added,") and "1 failed (2 inputs" in out
    assert rows(db) == 1
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"text": SEED.joinpath("article.txt").read_text()}) + "\nnot json\n")
    code, out, err = run(["ingest", str(lines), "--db", str(tmp_path / "j.db"), "--workers", "2", "--no-geo"], capsys)
    assert failures(err) == [f"newsgraph: failed: {lines}:2: not valid JSON (Expecting value at column 1)"]
    assert code == 1 and "1 added," in out and "1 failed (2 inputs" in out


def test_a_task_no_worker_can_run_fails_its_articles_instead_of_losing_them(tmp_path: Path) -> None:
    from .unpicklable import Unsendable

    good = RawArticle(name="good.txt", content=SEED.joinpath("article.txt").read_text(), format="text")
    items = [Unsendable(name="a.txt", content="Troops left Erbil on Monday.", format="text"), good]
    db = tmp_path / "u.db"
    conn = connect(db)
    try:
        report = ingest_items(conn, items, db_name=str(db), workers=2, batch_size=2, geo=False)
    finally:
        conn.close()
    assert [f.name for f in report.failed] == ["a.txt", "good.txt"]
    assert all("not analysed: the task failed: its worker died" in f.problem for f in report.failed)
    assert report.added == 0


def test_the_default_store_is_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Troops left Erbil on Monday, officials said, as talks in Baghdad ended.\n", encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_DB", str(tmp_path / "env.db"))
    code, _, _ = run(["ingest", str(article), "--no-geo"], capsys)
    assert code == 0 and (tmp_path / "env.db").exists()
    monkeypatch.delenv("NEWSGRAPH_DB")
    monkeypatch.chdir(tmp_path)
    run(["ingest", str(article), "--no-geo"], capsys)
    assert (tmp_path / "newsgraph.db").exists()


def test_progress_is_drawn_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = io.StringIO()
    p = Progress("ingest", total=10, stream=quiet)
    p.update(3, "a.txt", force=True)
    p.close()
    assert quiet.getvalue() == ""

    tty = Terminal()
    p = Progress("ingest", total=10, stream=tty)
    p.update(3, "a.txt", force=True)
    drawn = tty.getvalue()
    assert drawn.startswith("\ringest [#######") and "3/10" in drawn and "a.txt" in drawn
    p.close()
    assert tty.getvalue().endswith("\r\x1b[K")
    assert "12 " in Progress("ingest", stream=Terminal()).line(12, "")  # no total: a count and a rate


def test_analyze_a_url(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main

    assert main(["analyze", f"{site}/page.html", "--no-geo", "--allow-private"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["meta"]["url"] == f"{site}/page.html" and len(doc["text"]) > 200
    assert main(["analyze", f"{site}/missing.html", "--allow-private"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.html" in err and "404" in err


# --- standard input, defaults for plain text, no empty store left behind ----------------------------------


def test_standard_input_is_json_lines_when_its_first_line_is_a_json_object() -> None:
    from newsgraph.errors import InputError
    from newsgraph.sources.inputs import read_stdin

    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    lines = [json.dumps({"text": seed, "published": "2021-12-09"}), '{"text": 5}', "", json.dumps({"text": "Rain."})]
    items = list(read_stdin(io.BytesIO(("\n".join(lines) + "\n").encode())))
    assert [type(x).__name__ for x in items] == ["RawArticle", "InputError", "RawArticle"]
    first, bad, last = items
    assert not isinstance(first, InputError) and first.name == "<stdin>:1" and first.published == "2021-12-09"
    assert isinstance(bad, InputError) and bad.source == "<stdin>:2"
    assert not isinstance(last, InputError) and last.name == "<stdin>:4"
    # an article that opens with a brace is still one article
    (one,) = list(read_stdin(io.BytesIO(b"{Draft} Troops left Erbil.\n\nOfficials said so.\n")))
    assert not isinstance(one, InputError) and one.content.startswith("{Draft}") and one.name == "<stdin>"


def test_standard_input_that_is_a_json_array_or_a_pretty_printed_object_is_read_as_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # once stored as one article titled "{" (the raw JSON as text)
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    title, body = seed.split("\n\n", 1)
    records = [
        {"text": body, "title": title, "source": "Arab Observer", "published": "2021-12-09"},
        {"text": "Troops left Erbil on Monday, officials said."},
        {"title": "no body"},
    ]

    def ingest_stdin(data: str, *options: str) -> tuple[int, str, str, Path]:
        db = tmp_path / f"s{len(list(tmp_path.iterdir()))}.db"
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
        return (*run(["ingest", "-", "--db", str(db), "--no-geo", *options], capsys), db)

    code, out, err, db = ingest_stdin(json.dumps(records, indent=2))
    assert code == 1 and "2 added" in out and "1 failed (3 inputs" in out
    assert failures(err) == ['newsgraph: failed: <stdin>[2]: no article: expected a non-empty "text" or "html" string']
    conn = connect_readonly(db)
    got = conn.execute("SELECT title, source, published, input FROM documents ORDER BY input").fetchall()
    conn.close()
    assert got[0] == (title, "Arab Observer", "2021-12-09", "<stdin>[0]") and got[1][3] == "<stdin>[1]"
    code, out, err, db = ingest_stdin(json.dumps(records[1], indent=2))
    assert code == 0 and "1 added" in out and rows(db) == 1
    # unreadable JSON is an error naming the input, and no store is left behind
    code, out, err, db = ingest_stdin('[\n  {"text": "Troops left')
    assert failures(err) == [
        "newsgraph: failed: <stdin>: not valid JSON (Unterminated string starting at: line 2, column 12)"
    ]
    assert code == 1 and not db.exists()
    # --format says how to read it, whatever it looks like
    code, out, err, db = ingest_stdin(json.dumps(records[1]), "--format", "text")
    assert code == 0 and rows(db) == 1
    conn = connect_readonly(db)
    assert conn.execute("SELECT text FROM documents").fetchone()[0].startswith('{"text": "Troops')
    conn.close()
    code, out, err, db = ingest_stdin("Troops left Erbil on Monday.", "--format", "jsonl")
    assert failures(err) == ["newsgraph: failed: <stdin>:1: not valid JSON (Expecting value at column 1)"]


def test_format_reads_every_file_as_said_and_a_json_file_by_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles.json"
    articles.write_text(json.dumps([{"text": "Troops left Erbil on Monday, officials said."}]))
    lines = tmp_path / "feed.txt"  # JSON Lines under a name that says nothing
    lines.write_text(json.dumps({"text": "Protesters marched in Baghdad on Friday."}) + "\n")
    db = tmp_path / "f.db"
    code, out, err = run(["ingest", str(articles), "--db", str(db), "--no-geo"], capsys)
    assert code == 0 and "1 added" in out and err == ""
    code, out, err = run(["ingest", str(lines), "--db", str(db), "--no-geo", "--format", "jsonl"], capsys)
    assert code == 0 and "1 added" in out and err == ""
    conn = connect_readonly(db)
    inputs = [r[0] for r in conn.execute("SELECT input FROM documents ORDER BY input")]
    conn.close()
    assert inputs == [f"{articles}[0]", f"{lines}:1"]
    with pytest.raises(InputError, match="format: unknown format 'xml': expected one of text, html, jsonl, json"):
        ingest([str(lines)], tmp_path / "x.db", format="xml")


def test_published_fills_what_plain_text_lacks_and_source_what_any_article_lacks(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED / "article.txt", folder / "seed.txt")
    page = gzip.decompress(benchmark_pages(1)[0].read_bytes())
    (folder / "page.html").write_bytes(page)
    db = tmp_path / "d.db"
    report = ingest([str(folder)], db, published="2021-12-09", source="Arab Observer", geo=False, progress=False)
    assert report.added == 2
    conn = connect_readonly(db)
    rows = dict(conn.execute("SELECT input, published || ' ' || source FROM documents").fetchall())
    assert rows[str(folder / "seed.txt")] == "2021-12-09 Arab Observer"
    page_day, page_source = conn.execute(
        "SELECT published, source FROM documents WHERE input = ?", (str(folder / "page.html"),)
    ).fetchone()
    assert page_day != "2021-12-09" and page_source == "Arab Observer"  # the page's own date wins; --source wins
    with pytest.raises(Exception, match="published"):
        ingest([str(folder)], db, published="09/12/2021", progress=False)


def test_a_language_given_to_ingest_is_taken_as_said_for_plain_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED / "article.txt", folder / "seed.txt")
    lines = tmp_path / "a.jsonl"
    lines.write_text(
        json.dumps({"text": "Les troupes ont quitté Erbil jeudi, a déclaré le ministre.", "language": "fr"})
        + "\n"
        + json.dumps({"text": "Troops left Erbil.", "language": "French!"})
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "d.db"
    report = ingest([str(folder), str(lines)], db, language="it-IT", geo=False, progress=False)
    assert report.added == 2 and [str(f) for f in report.failed] == [
        f"{lines}:2: \"language\": invalid language 'French!': expected an ISO 639-1 code such as 'en' or 'fr'"
    ]
    conn = connect_readonly(db)
    got = dict(conn.execute("SELECT input, language FROM documents").fetchall())
    assert got == {str(folder / "seed.txt"): "it", f"{lines}:1": "fr"}  # the record's own language wins
    seed = json.loads(conn.execute("SELECT json FROM documents WHERE language = 'it'").fetchone()[0])
    assert seed["meta"]["language_score"] is None and seed["entities"] == []  # not detected; it is not read
    # a bad option is one line naming it, before anything is read
    code = main(["ingest", str(folder), "--db", str(tmp_path / "x.db"), "--language", "english language"])
    assert code == 1 and capsys.readouterr().err.startswith("newsgraph: error: language: invalid language")
    assert not (tmp_path / "x.db").exists()


def test_an_ingest_that_stores_nothing_leaves_no_new_store_behind(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    report = ingest([str(tmp_path / "missing.txt")], db, progress=False)
    assert len(report.failed) == 1
    assert not any(p.name.startswith("new.db") for p in tmp_path.iterdir())
    kept = tmp_path / "kept.db"
    ingest([str(SEED / "article.txt")], kept, geo=False, progress=False)
    ingest([str(tmp_path / "missing.txt")], kept, progress=False)  # a store that was there stays, as it was
    assert connect_readonly(kept).execute("SELECT count(*) FROM documents").fetchone()[0] == 1
