"""Inputs as an attacker or a broken source would give them: fetches that try to reach inside (SSRF),
credentials in URLs, servers that stall, feeds without end, strings no UTF-8 can hold, truncated and
corrupt web archives, absurd dates and ports, and articles that take too long. Each is one clear error
for that input, and the rest of the run goes on."""

from __future__ import annotations

import http.server
import io
import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph import analyze
from newsgraph.cli import main
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.ingest import ingest
from newsgraph.sources import fetch_guard
from newsgraph.sources.feeds import feed_articles, parse_feed
from newsgraph.sources.urls import ARTICLE_TYPES, Fetcher

from .helpers import SEED

SEED_TEXT = (SEED / "article.txt").read_text(encoding="utf-8")
PAGE = b"<html><head><title>Local page</title></head><body><article><p>" + SEED_TEXT.encode() + b"</p></article>"


class Site(http.server.BaseHTTPRequestHandler):
    redirects: ClassVar[dict[str, str]] = {}

    def do_GET(self) -> None:
        target = self.redirects.get(self.path)
        if target:
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def refusal(url: str, **kwargs: Any) -> str:
    with Fetcher(timeout=3, **kwargs) as fetcher, pytest.raises(InputError) as caught:
        fetcher.get(url, ARTICLE_TYPES)
    return caught.value.problem


# --- SSRF: where a fetch may go -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("2130706433", "loopback"),  # decimal
        ("127.1", "loopback"),  # short
        ("0x7f000001", "loopback"),  # hex
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),  # IPv4-mapped IPv6
        ("0.0.0.0", "unspecified"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("[fe80::1]", "link-local"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT, where some clouds keep their metadata
        ("224.0.0.1", "multicast"),
    ],
)
def test_non_public_destinations_are_refused(site: int, host: str, kind: str) -> None:
    problem = refusal(f"http://{host}:{site}/page.html")
    assert problem.startswith("refused: ") and f" {kind} address" in problem
    assert "--allow-private" in problem


def test_allow_private_reaches_a_local_server(site: int) -> None:
    with Fetcher(allow_private=True) as fetcher:
        assert fetcher.get(f"http://localhost:{site}/page.html", ARTICLE_TYPES).data == PAGE


def test_a_redirect_to_an_inside_address_is_refused(site: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # 127.0.0.1 plays a public server here; the redirect's target, 127.0.0.2, stays inside
    real = fetch_guard.address_kind
    monkeypatch.setattr(fetch_guard, "address_kind", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    Site.redirects = {"/go": f"http://127.0.0.2:{site}/secret", "/file": "file:///etc/passwd"}
    try:
        with Fetcher(timeout=3) as fetcher:
            assert fetcher.get(f"http://127.0.0.1:{site}/page.html", ARTICLE_TYPES).data == PAGE
        assert refusal(f"http://127.0.0.1:{site}/go").startswith("refused: 127.0.0.2 is a loopback address")
        assert refusal(f"http://127.0.0.1:{site}/file").startswith("refused: only http and https are fetched")
    finally:
        Site.redirects = {}


def test_the_checked_address_is_the_one_connected_to(site: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name is resolved once; a second answer (here: inside) is never asked for."""
    answers = iter(["127.0.0.1", "10.9.9.9"])
    asked: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.test":
            asked.append(host)
            host = next(answers)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    real = fetch_guard.address_kind
    monkeypatch.setattr(fetch_guard, "address_kind", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    with Fetcher(timeout=3) as fetcher:
        assert fetcher.get(f"http://news.test:{site}/page.html", ARTICLE_TYPES).data == PAGE
    assert asked == ["news.test"]


def test_addresses_inside_ipv6_are_judged_as_ipv4() -> None:
    import ipaddress

    for inside in ("::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe"):  # mapped, 6to4, NAT64
        assert fetch_guard.address_kind(ipaddress.ip_address(inside)) is not None, inside
    for public in ("8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"):
        assert fetch_guard.address_kind(ipaddress.ip_address(public)) is None, public


def test_feed_items_pointing_inside_are_failures_not_articles(tmp_path: Path) -> None:
    feed = tmp_path / "inside.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><link>http://169.254.169.254/latest/meta-data/</link></item>"
        "<item><link>http://127.0.0.1:1/admin</link></item></channel></rss>",
        encoding="utf-8",
    )
    report = ingest([str(feed)], tmp_path / "f.db", progress=False)
    assert report.added == 0 and len(report.failed) == 2
    assert all("refused" in f.problem for f in report.failed)


# --- credentials never stored ---------------------------------------------------------------------------


def test_credentials_in_a_url_are_never_stored_or_shown(site: int, tmp_path: Path) -> None:
    url = f"http://reader:s3cret@127.0.0.1:{site}/page.html"
    doc = analyze(url, geo=False, allow_private=True)
    assert doc.meta.url == f"http://127.0.0.1:{site}/page.html"
    assert "s3cret" not in json.dumps(doc.to_json())
    db = tmp_path / "c.db"
    report = ingest([url, f"http://reader:s3cret@127.0.0.1:{site}/go-nowhere"], db, geo=False, progress=False)
    assert report.failed and all("s3cret" not in str(f) for f in report.failed)  # refused: no --allow-private
    report = ingest([url], db, geo=False, allow_private=True, progress=False)
    assert report.added == 1
    conn = sqlite3.connect(db)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert "s3cret" not in dump and "reader:" not in dump


# --- a total deadline per fetch -------------------------------------------------------------------------


def test_a_server_that_trickles_its_headers_is_cut_at_the_deadline() -> None:
    """One byte every 0.2 s: each read is quick, the whole answer takes ~6 s; the fetch gives up at 1 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"

    def trickle() -> None:
        conn, _ = listener.accept()
        try:
            for byte in answer:
                conn.sendall(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            conn.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        problem = refusal(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_private=True)
    finally:
        listener.close()
    assert problem == "timed out after 3 s" or problem.startswith("timed out")


# --- feeds without end ----------------------------------------------------------------------------------


def test_a_feed_is_cut_at_its_item_limit_with_one_message() -> None:
    items = "".join(f"<item><link>https://news.example/{i}</link></item>" for i in range(10_000))
    data = f'<rss version="2.0"><channel><title>big</title>{items}</channel></rss>'.encode()
    feed = parse_feed(data, "big.rss", max_items=25)
    assert len(feed.items) == 25 and feed.left_out == 9_975

    class Offline:
        def article(self, url: str, **kwargs: Any) -> RawArticle:
            return RawArticle(name=url, content="Text.", format="text")

    out = list(feed_articles(feed, "big.rss", Offline()))  # type: ignore[arg-type]
    errors = [x for x in out if isinstance(x, InputError)]
    assert len(out) == 26 and [str(e) for e in errors] == [
        "big.rss: 9,975 feed item(s) beyond the first 25 left out (the per-feed limit)"
    ]


# --- strings no UTF-8 can hold --------------------------------------------------------------------------


def test_a_lone_surrogate_spoils_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": "The minister spoke in Baghdad on Monday.", "title": "First"}),
        '{"text": "A broken \\ud800 character, and a pair \\ud83d\\ude00 that is fine.", "source": "Bad \\udfff"}',
        json.dumps({"text": "Troops left the base in Erbil on Tuesday.", "title": "Third"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    report = ingest([str(path)], db, geo=False, progress=False)
    assert report.added == 3 and not report.failed
    conn = sqlite3.connect(db)
    texts = [row[0] for row in conn.execute("SELECT text FROM documents")]
    sources = [row[0] for row in conn.execute("SELECT source FROM documents WHERE source IS NOT NULL")]
    conn.close()
    broken = next(t for t in texts if "broken" in t)
    assert "broken \ufffd character" in broken and "\U0001f600" in broken
    assert sources == ["Bad \ufffd"]


def test_analyze_repairs_a_lone_surrogate_in_text_and_options() -> None:
    doc = analyze(
        "Officials in Kabul said \ud800 nothing.", geo=False, source="Outlet \udc80", url="https://a.example/\ud800"
    )
    assert "\ufffd" in doc.text and doc.meta.source == "Outlet \ufffd" and doc.meta.url == "https://a.example/\ufffd"
    json.dumps(doc.to_json(), ensure_ascii=False).encode("utf-8")  # encodable end to end


# --- web archives: truncated and corrupt records --------------------------------------------------------


def warc_bytes(pages: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for uri, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


def test_a_truncated_warc_record_is_a_failure_not_a_partial_article(tmp_path: Path) -> None:
    data = warc_bytes([("https://a.example/one", PAGE), ("https://a.example/two", PAGE.replace(b"Iraq", b"Irak"))])
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 3000])  # the second record loses its last 3,000 bytes
    report = ingest([str(path)], tmp_path / "w.db", geo=False, progress=False)
    assert report.added == 1
    assert [str(f) for f in report.failed] == [
        f"https://a.example/two (in {path}): truncated record: 2,996 of its {_block_length(data, 1):,} bytes missing"
    ]


def test_a_corrupt_warc_record_is_caught_by_its_digest(tmp_path: Path) -> None:
    data = bytearray(warc_bytes([("https://a.example/one", PAGE)]))
    at = data.index(b"Biden")
    data[at : at + 5] = b"B1den"  # same length, other bytes: only the digests can tell
    path = tmp_path / "flipped.warc"
    path.write_bytes(bytes(data))
    report = ingest([str(path)], tmp_path / "w.db", geo=False, progress=False)
    assert report.added == 0 and len(report.failed) == 1
    assert report.failed[0].problem.startswith("corrupt record: ")


def _block_length(data: bytes, record: int) -> int:
    """The Content-Length of the ``record``-th record (from 0) of a WARC file."""
    lengths = [int(line.split(b":")[1]) for line in data.split(b"\r\n") if line.startswith(b"Content-Length:")]
    return [n for n in lengths if n > 1000][record]


# --- absurd options -------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_publication_date_out_of_range_is_one_clear_line(day: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SEED / "article.txt"), "--published", day, "--no-geo"]) == 1
    err = capsys.readouterr().err
    assert err == f"newsgraph: error: --published: date out of range '{day}': from 1000-01-01 to 2999-12-31\n"


def test_a_port_out_of_range_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "70000"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "not a TCP port (1 to 65535): 70000" in err and "Traceback" not in err


# --- an article that takes too long fails alone ---------------------------------------------------------


def test_an_article_past_the_time_limit_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsgraph.batch.analyse as ingest_module
    from newsgraph.pipeline import add_layers as real_layers
    from newsgraph.pipeline import parse_cleaned as real_parse

    def slow_layers(doc: Any, parsed: Any, **kwargs: Any) -> Any:
        if "SLOWLAYERS" in doc.text:
            time.sleep(30)
        return real_layers(doc, parsed, **kwargs)

    def slow_parse(docs: Any, batch_size: int = 16) -> Any:
        for doc, parsed in real_parse(docs, batch_size):
            if "SLOWPARSE" in doc.text:
                time.sleep(30)
            yield doc, parsed

    monkeypatch.setattr(ingest_module, "add_layers", slow_layers)
    monkeypatch.setattr(ingest_module, "parse_cleaned", slow_parse)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [
        ("a", "Troops left Erbil."),
        ("b", "SLOWLAYERS here."),
        ("c", "SLOWPARSE here."),
        ("d", "Rain."),
    ]:
        (folder / f"{name}.txt").write_text(f"{text} Officials said so on Monday.\n", encoding="utf-8")
    started = time.monotonic()
    report = ingest([str(folder)], tmp_path / "t.db", geo=False, article_timeout=0.5, progress=False)
    assert time.monotonic() - started < 25  # neither sleep ran out
    assert report.added == 2
    assert sorted((Path(f.name).name, f.problem) for f in report.failed) == [
        ("b.txt", "analysis took longer than 0.5 s (the per-article time limit)"),
        ("c.txt", "parse took longer than 0.5 s (the per-article time limit)"),
    ]


# --- the server answers only to its own names -----------------------------------------------------------


@pytest.mark.slow
def test_serve_refuses_a_foreign_host_name_unless_allowed(tmp_path: Path) -> None:
    """DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 gets a 400, not the store."""
    import os
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    from .helpers import ROOT

    db = tmp_path / "h.db"
    ingest([str(SEED / "article.txt")], db, geo=False, progress=False)

    def status(port: int, host: str) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/documents", headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    for extra, expected in (([], {"evil.example": 400, "localhost": 200}), (["--allow-host", "evil.example"], {})):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port), *extra]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    status(port, f"127.0.0.1:{port}")
                    break
                except OSError:
                    time.sleep(0.2)
            assert status(port, f"127.0.0.1:{port}") == 200
            for host, code in (expected or {"evil.example": 200}).items():
                assert status(port, f"{host}:{port}") == code, (extra, host)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
