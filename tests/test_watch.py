"""``newsgraph watch`` over a local site (a loopback http.server answering conditional requests with 304s):
a first poll ingests the feed's items, a second fetches nothing but 304s, a changed feed has only its new
item fetched; a feed list with a malformed feed, an unreachable host and a bad URL has each one's error on
its row (/api/watch) while the good feed is ingested; sitemaps and sitemap indexes; robots.txt; the status
page seeing the next poll through the response cache; saved searches reporting their new matches to JSON
Lines and to a command (no shell), as JSON (/api/alerts) and as an Atom feed; Ctrl-C stopping cleanly."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.server
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from newsgraph.cli import main
from newsgraph.document import Document
from newsgraph.errors import InputError, QueryError
from newsgraph.sources.sitemaps import parse_sitemap
from newsgraph.store.alerts import Alert, add_alert, get_alert, matches
from newsgraph.store.db import connect, connect_readonly
from newsgraph.store.dedup import StoryIndex
from newsgraph.watch.notify import Notifier, parse_command, run_alerts
from newsgraph.watch.polite import HostPacer
from newsgraph.watch.poll import WatchOptions, parse_every
from newsgraph.web.app import create_app

from .helpers import ROOT, benchmark_page, seed_as_html, store_with, write

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


class Site(http.server.BaseHTTPRequestHandler):
    """Pages by path, each with an ETag (its body's hash) and a Last-Modified; answers If-None-Match and
    If-Modified-Since with 304 as a real server does. Every request is logged: (path, validators sent, status)."""

    pages: ClassVar[dict[str, tuple[str, bytes, dt.datetime]]] = {}
    log: ClassVar[list[tuple[str, str | None, str | None, int]]] = []

    def do_GET(self) -> None:
        found = self.pages.get(self.path)
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if found is None:
            self.log.append((self.path, inm, ims, 404))
            self.send_error(404, "Not Found")
            return
        ctype, body, modified = found
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        fresh = inm == etag if inm is not None else (ims is not None and parsedate_to_datetime(ims) >= modified)
        status = 304 if fresh else 200
        self.log.append((self.path, inm, ims, status))
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def rss(base: str, links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}{link}</link><pubDate>Thu, 09 Dec 2021 14:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local News</title>{items}</channel></rss>'.encode()


def urlset(base: str, links: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{link}</loc><lastmod>2021-12-09</lastmod></url>" for link in links)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


T0 = dt.datetime(2021, 12, 9, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    html = "text/html; charset=utf-8"
    Site.pages = {
        "/feed.xml": ("application/rss+xml", rss(base, ["/seed.html", "/a.html"]), T0),
        "/seed.html": (html, seed_as_html().encode(), T0),
        "/a.html": (html, benchmark_page(1).content.encode(), T0),
        "/b.html": (html, benchmark_page(2).content.encode(), T0),
        "/broken.xml": ("application/rss+xml", b"<rss><channel><title>Cut</title><item><link>", T0),
        "/page.xml": ("text/html", b"<html><body>not a feed</body></html>", T0),
        "/sitemap.xml": ("application/xml", urlset(base, ["/a.html"]), T0),
        "/index.xml": (
            "application/xml",
            b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + f"<sitemap><loc>{base}/sitemap.xml</loc></sitemap></sitemapindex>".encode(),
            T0,
        ),
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n", T0),
        "/private-feed.xml": ("application/rss+xml", rss(base, ["/private/x.html"]), T0),
        "/private/x.html": (html, b"<html><body><p>never fetched</p></body></html>", T0),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def requests_since(mark: int) -> list[tuple[str, str | None, str | None, int]]:
    return Site.log[mark:]


def recorder(out: Path) -> str:
    """An --on-match command (no shell) appending its stdin, two of its environment variables and its own
    argument (a literal ``$NEWSGRAPH_TITLE``: a shell would have expanded it) as one JSON line to ``out``."""
    code = (
        "import json, os, sys; line = json.loads(sys.stdin.read());"
        " open(sys.argv[1], 'a').write(json.dumps({'stdin': line, 'id': os.environ['NEWSGRAPH_DOC_ID'],"
        " 'alert': os.environ['NEWSGRAPH_ALERT'], 'arg': sys.argv[2]}) + '\\n')"
    )
    return shlex.join([sys.executable, "-c", code, str(out), "$NEWSGRAPH_TITLE"])


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def eventually(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_watch_once_then_conditional_polls_then_only_the_new_item(
    tmp_path: Path, site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db, found, ran = tmp_path / "w.db", tmp_path / "matches.jsonl", tmp_path / "ran.jsonl"
    feeds = tmp_path / "feeds.txt"
    unreachable = f"http://127.0.0.1:{closed_port()}/feed.xml"
    feeds.write_text(
        f"# the local site\n{site}/feed.xml\n\n{site}/broken.xml\n{site}/page.xml\n{unreachable}\nhtp://bad/feed\n"
    )
    assert (
        run(["alert", "add", "troops", "--q", "coalition troops", "--country", "iq", "--db", str(db)], capsys)[0] == 0
    )
    assert run(["alert", "add", "nothing", "--q", "zebra unicorn", "--db", str(db)], capsys)[0] == 0
    argv = ["watch", str(feeds), "--once", "--db", str(db), "--allow-private", "--host-delay", "0"]
    argv += ["--matches", str(found), "--on-match", recorder(ran)]

    mark = len(Site.log)
    code, out, err = run(argv, capsys)
    assert code == 1, err  # feeds failed: cron hears of it
    assert out == ""
    polls = [line for line in err.splitlines() if line.startswith("newsgraph: watch: ")]
    assert polls[0] == f"newsgraph: watch: {site}/feed.xml: 2 items, 2 new, 2 stored" + polls[0][polls[0].index(" (") :]
    assert f"newsgraph: watch: {site}/broken.xml: error: not a well-formed RSS/Atom feed" in err
    assert f"newsgraph: watch: {site}/page.xml: error: unsupported content type text/html" in err
    assert f"newsgraph: watch: {unreachable}: error: cannot fetch (ConnectError" in err
    assert "newsgraph: watch: htp://bad/feed: error: not an http(s) URL" in err
    assert "newsgraph: alert troops: 1 new match\n" in err and "alert nothing" not in err
    got = [(path, inm, ims, status) for path, inm, ims, status in requests_since(mark)]
    assert [(p, s) for p, _, _, s in got] == [
        ("/feed.xml", 200),
        ("/seed.html", 200),
        ("/a.html", 200),
        ("/broken.xml", 200),
        ("/page.xml", 200),
    ]
    assert all(inm is None and ims is None for _, inm, ims, _ in got)  # nothing known yet: plain GETs

    conn = connect_readonly(db)
    stored = dict(conn.execute("SELECT url, id FROM documents").fetchall())
    conn.close()
    assert set(stored) == {f"{site}/seed.html", f"{site}/a.html"}
    seed_id = stored[f"{site}/seed.html"]
    # the alert's new match, once in the JSON Lines file and once through the command (its stdin and env)
    assert [(m["alert"], m["id"], m["path"]) for m in lines(found)] == [("troops", seed_id, f"/documents/{seed_id}")]
    assert lines(found)[0]["search"] == {"q": "coalition troops", "country": "IQ"}
    assert [(r["alert"], r["id"], r["stdin"]["id"], r["arg"]) for r in lines(ran)] == [
        ("troops", seed_id, seed_id, "$NEWSGRAPH_TITLE")
    ]

    with TestClient(create_app(db)) as client:
        watched = client.get("/api/watch").json()
        rows = {f["url"]: f for f in watched["items"]}
        assert watched["total"] == 5 and set(rows) == {
            f"{site}/feed.xml",
            f"{site}/broken.xml",
            f"{site}/page.xml",
            unreachable,
            "htp://bad/feed",
        }
        good = rows[f"{site}/feed.xml"]
        assert (good["last_status"], good["kind"], good["title"], good["last_http"]) == ("ok", "rss", "Local News", 200)
        assert (good["last_items"], good["last_new"], good["last_stored"], good["items_seen"]) == (2, 2, 2, 2)
        assert rows[f"{site}/broken.xml"]["last_status"] == "error"
        assert rows[f"{site}/broken.xml"]["last_error"].startswith("not a well-formed RSS/Atom feed")
        assert rows[unreachable]["last_error"].startswith("cannot fetch (ConnectError")
        assert rows["htp://bad/feed"]["last_error"] == "not an http(s) URL"
        page = client.get("/watch")
        assert page.status_code == 200 and "Local News" in page.text and "not an http(s) URL" in page.text
        assert '<a href="/alerts/troops.atom">Atom</a>' in page.text
        before = client.get("/api/watch").json()

        # the second run: a conditional GET answered 304, no page fetched again, nothing stored, no new match
        mark = len(Site.log)
        code, out, err = run(argv, capsys)
        got = requests_since(mark)
        assert [(p, s) for p, _, _, s in got if p == "/feed.xml"] == [("/feed.xml", 304)]
        feed_request = next(r for r in got if r[0] == "/feed.xml")
        assert feed_request[1] and feed_request[1].startswith('"') and feed_request[2]  # ETag and Last-Modified sent
        assert not [p for p, _, _, _ in got if p.endswith(".html")]
        assert f"newsgraph: watch: {site}/feed.xml: not modified" in err
        assert "new match" not in err and len(lines(found)) == 1 and len(lines(ran)) == 1
        # the status page and the API see the new poll (the response cache keys on the store's version)
        assert eventually(
            lambda: (
                client.get("/api/watch").json()["items"][0]["last_poll"] >= before["items"][0]["last_poll"]
                and {f["url"]: f["polls"] for f in client.get("/api/watch").json()["items"]}[f"{site}/feed.xml"] == 2
            )
        )
        assert eventually(lambda: "not modified" in client.get("/watch").text)
        now_rows = {f["url"]: f for f in client.get("/api/watch").json()["items"]}
        assert now_rows[f"{site}/feed.xml"]["last_status"] == "not modified"
        assert now_rows[f"{site}/feed.xml"]["last_http"] == 304
        assert now_rows[f"{site}/broken.xml"]["errors"] == 2

    # the feed gains an item: its new ETag, a 200, and only the new page fetched
    Site.pages["/feed.xml"] = ("application/rss+xml", rss(site, ["/b.html", "/seed.html", "/a.html"]), T0)
    mark = len(Site.log)
    code, out, err = run([*argv[:1], f"{site}/feed.xml", *argv[2:]], capsys)
    assert code == 0, err
    assert [(p, s) for p, _, _, s in requests_since(mark)] == [("/feed.xml", 200), ("/b.html", 200)]
    assert f"newsgraph: watch: {site}/feed.xml: 3 items, 1 new, 1 stored" in err
    conn = connect_readonly(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    conn.close()


def test_sitemaps_robots_and_items_seen_across_feeds(
    tmp_path: Path, site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    conn = connect(db)
    conn.execute(  # a.html was seen by an earlier watch (another feed): not fetched again
        "INSERT INTO watch_items (link, feed, first_seen, status) VALUES (?, 'elsewhere', '2021-12-09', 'unchanged')",
        (f"{site}/a.html",),
    )
    conn.close()
    mark = len(Site.log)
    argv = ["watch", f"{site}/index.xml", f"{site}/private-feed.xml", "--once", "--robots", "--db", str(db)]
    code, _out, err = run([*argv, "--allow-private", "--host-delay", "0"], capsys)
    assert code == 0, err
    paths = [p for p, _, _, _ in requests_since(mark)]
    assert paths == ["/robots.txt", "/index.xml", "/sitemap.xml", "/private-feed.xml"]  # robots.txt once per host
    assert f"newsgraph: watch: {site}/sitemap.xml: 1 items, 0 new, 0 stored" in err
    assert f"newsgraph: watch: {site}/index.xml: 1 sitemaps, 0 new, 0 stored" in err
    conn = connect_readonly(db)
    feeds = {r[0]: r[1:] for r in conn.execute("SELECT url, kind, via, last_status FROM watch_feeds")}
    items = dict(conn.execute("SELECT link, status FROM watch_items").fetchall())
    conn.close()
    assert feeds[f"{site}/index.xml"] == ("sitemapindex", None, "ok")
    assert feeds[f"{site}/sitemap.xml"] == ("sitemap", f"{site}/index.xml", "ok")
    assert items[f"{site}/private/x.html"] == "disallowed"


def test_a_feed_that_is_a_file_or_missing_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("http://x", ["/a"]))
    code, _, err = run(["watch", str(feed), "--once", "--db", str(tmp_path / "x.db")], capsys)
    assert code == 1 and "is a feed itself; watch polls feeds by URL" in err
    code, _, err = run(["watch", str(tmp_path / "none.txt"), "--once", "--db", str(tmp_path / "x.db")], capsys)
    assert code == 1 and "not a URL, and no such file" in err
    code, _, err = run(["watch", "http://x/feed", "--every", "soon", "--db", str(tmp_path / "x.db")], capsys)
    assert code == 1 and "--every: 'soon' is not a duration" in err


def test_durations_and_the_cli_defaults() -> None:
    from newsgraph.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    options = {a.dest: a.default for a in sub.choices["watch"]._actions}
    assert parse_every(options["every"]) == WatchOptions().every == 900
    assert options["host_delay"] == WatchOptions().host_delay
    assert [parse_every(t) for t in ("90s", "15m", "1h30m", "2h", "1d", "45")] == [90, 900, 5400, 7200, 86400, 45]
    for bad in ("", "m", "15 minutes", "0s", "1h-5m"):
        with pytest.raises(InputError):
            parse_every(bad)


def test_the_host_pacer_waits_between_requests_to_one_host() -> None:
    clock, slept = [100.0], []

    def sleep(s: float) -> None:
        slept.append(round(s, 3))
        clock[0] += s

    pacer = HostPacer(2.0, clock=lambda: clock[0], sleep=sleep)
    pacer.wait("https://a.example/feed")
    pacer.wait("https://b.example/feed")  # another host: no wait
    clock[0] += 0.5
    pacer.wait("https://a.example/page")  # 0.5 s after the last request to a: 1.5 s more
    pacer.delays["https://b.example:"] = 5.0  # its robots.txt asked for more
    pacer.wait("https://B.example/x")
    assert slept == [1.5, 3.0]


def test_a_sitemap_lists_its_newest_pages_first() -> None:
    data = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>/old</loc><lastmod>2021-01-01</lastmod></url>
      <url><loc>/new</loc><news:news><news:publication_date>2021-12-09T10:00:00Z</news:publication_date>
        <news:title>New</news:title></news:news></url>
      <url><lastmod>2021-02-02</lastmod></url><url><loc>/undated</loc></url></urlset>"""
    sitemap = parse_sitemap(data, "s.xml", base_url="https://news.example/sitemap.xml", max_items=2)
    assert [(i.link, i.title, i.published) for i in sitemap.items] == [
        ("https://news.example/new", "New", "2021-12-09"),
        ("https://news.example/old", None, "2021-01-01"),
    ]
    assert (sitemap.left_out, sitemap.missing_links) == (1, 1)
    with pytest.raises(InputError, match="not a sitemap"):
        parse_sitemap(b"<rss/>", "x")


# --- saved searches ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_doc() -> Document:
    from newsgraph.pipeline import analyze

    return analyze(benchmark_page(1))


def test_alerts_report_what_is_stored_after_them(
    tmp_path: Path, seed_doc: Document, page_doc: Document, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store_with(tmp_path / "a.db", [page_doc])
    conn = connect(db)
    add_alert(conn, Alert("iraq", entity="Iraq"))  # the store's documents are not new to it...
    add_alert(conn, Alert("everything-iq", country="IQ"), backfill=True)  # ...unless asked
    add_alert(conn, Alert("counts", q="troops", event_type="consult", until="2021-12-01"))  # the seed is later
    out = tmp_path / "m.jsonl"
    notifier = Notifier(matches=out)
    assert run_alerts(conn, notifier) == {"counts": 0, "everything-iq": 0, "iraq": 0}
    write(conn, seed_doc, StoryIndex.load(conn))
    assert run_alerts(conn, notifier) == {"counts": 0, "everything-iq": 1, "iraq": 1}
    assert run_alerts(conn, notifier) == {"counts": 0, "everything-iq": 0, "iraq": 0}  # each match once
    assert [(m["alert"], m["id"]) for m in lines(out)] == [("everything-iq", seed_doc.id), ("iraq", seed_doc.id)]
    alert = get_alert(conn, "iraq")
    assert alert is not None and alert.last_run is not None
    page = matches(conn, alert)
    assert (page["total"], page["new"], page["items"][0]["id"], page["items"][0]["new"]) == (1, 0, seed_doc.id, False)
    conn.close()

    # the CLI: list, run, rm, and its refusals
    code, listed, _ = run(["alert", "list", "--json", "--db", str(db)], capsys)
    assert code == 0 and [(a["name"], a["total"]) for a in json.loads(listed)] == [
        ("counts", 0),
        ("everything-iq", 1),
        ("iraq", 1),
    ]
    code, listed, _ = run(["alert", "list", "--db", str(db)], capsys)
    assert "iraq\tentity=Iraq\t1 matches, 0 new\tlast run " in listed
    assert run(["alert", "run", "iraq", "--db", str(db)], capsys)[2] == "newsgraph: alert iraq: 0 new matches\n"
    for argv, error in (
        (["add", "iraq", "--q", "x"], "alert iraq exists already"),
        (["add", "x", "--event-type", "BOMB"], "type: unknown event type 'BOMB'"),
        (["add", "x", "--since", "2021-13-01"], "since: invalid date '2021-13-01'"),
        (["add", "x", "--country", "Iraq"], "country: 'Iraq' is not an ISO 3166-1 alpha-2 code"),
        (["add", "x"], "alert x: no search given"),
        (["add", "bad name"], "alert name 'bad name': letters, digits"),
        (["rm", "nope"], "no alert nope"),
        (["run", "nope"], "no alert nope"),
    ):
        code, _, err = run(["alert", *argv, "--db", str(db)], capsys)
        assert code == 1 and err.startswith("newsgraph: error: ") and error in err, (argv, err)
    assert run(["alert", "rm", "counts", "--db", str(db)], capsys)[0] == 0
    conn = connect(db)
    assert get_alert(conn, "counts") is None
    with pytest.raises(QueryError, match="no word to search for"):
        add_alert(conn, Alert("punct", q="!!"))
    conn.close()

    # the API: JSON pages, unknown parameters and names refused, a missing alert a 404, the Atom feed
    with TestClient(create_app(db)) as client:
        answer = client.get("/api/alerts/everything-iq?limit=1").json()
        assert answer["alert"]["country"] == "IQ" and answer["total"] == 1
        assert [i["id"] for i in answer["items"]] == [seed_doc.id]
        assert [a["name"] for a in client.get("/api/alerts").json()] == ["everything-iq", "iraq"]
        bogus = client.get("/api/alerts/iraq?bogus=1")
        assert bogus.status_code == 422
        assert bogus.json()["error"] == "bogus: not a parameter of /api/alerts/{name} (it takes: limit, offset)"
        assert client.get("/api/alerts/bad%20name").status_code == 422
        assert client.get("/api/alerts/iraq?limit=0").status_code == 422
        missing = client.get("/api/alerts/nope")
        assert missing.status_code == 404 and missing.json() == {"error": "no alert nope"}
        feed = client.get("/alerts/iraq.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(feed.content)
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}id") == "urn:newsgraph:alert:iraq"
        assert root.findtext(f"{ATOM}title") == "newsgraph alert: iraq"
        assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated") or "")
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 1
        entry = entries[0]
        assert entry.findtext(f"{ATOM}id") == f"urn:newsgraph:document:{seed_doc.id}"
        assert entry.findtext(f"{ATOM}title") == seed_doc.meta.title
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert links["alternate"] == f"/documents/{seed_doc.id}"
        assert client.get(links["alternate"] or "").status_code == 200
        assert client.get("/alerts/nope.atom").status_code == 404


def test_the_command_gets_the_match_without_a_shell(tmp_path: Path, seed_doc: Document) -> None:
    db = store_with(tmp_path / "c.db", [])
    conn = connect(db)
    add_alert(conn, Alert("any", q="Iraq"))
    write(conn, seed_doc, StoryIndex.load(conn))
    ran, errors = tmp_path / "ran.jsonl", tmp_path / "errors.txt"
    with errors.open("w") as err:
        notifier = Notifier(command=parse_command(recorder(ran)), errors=err)
        assert run_alerts(conn, notifier) == {"any": 1}
        write(conn, seed_doc, StoryIndex.load(conn))
        failing = Notifier(command=[sys.executable, "-c", "import sys; sys.exit(3)"], errors=err)
        add_alert(conn, Alert("again", q="Iraq"), backfill=True)
        assert run_alerts(conn, failing, ["again"]) == {"again": 1}
        missing = Notifier(command=[str(tmp_path / "no-such-program")], errors=err)
        add_alert(conn, Alert("third", q="Iraq"), backfill=True)
        assert run_alerts(conn, missing, ["third"]) == {"third": 1}
    conn.close()
    record = lines(ran)[0]
    assert record["arg"] == "$NEWSGRAPH_TITLE"  # not expanded: no shell
    assert record["stdin"]["title"] == seed_doc.meta.title and record["id"] == seed_doc.id
    problems = errors.read_text().splitlines()
    assert problems[0] == f"newsgraph: --on-match {sys.executable}: exit status 3 ({seed_doc.id})"
    assert problems[1].startswith(f"newsgraph: --on-match {tmp_path / 'no-such-program'}: cannot run")
    with pytest.raises(InputError, match="no command given"):
        parse_command("  ")
    with pytest.raises(InputError, match="cannot split"):
        parse_command("notify 'unclosed")


@pytest.mark.slow
def test_ctrl_c_stops_a_watch_cleanly(tmp_path: Path, site: str) -> None:
    db = tmp_path / "c.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsgraph.cli", "watch", f"{site}/broken.xml", "--every", "1s", "--db", str(db)]
    proc = subprocess.Popen([*cmd, "--allow-private"], env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if len([s for s in seen if "broken.xml: error" in s]) >= 2:  # polled twice: the loop goes round
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=30) == 0
    assert "Traceback" not in rest and "newsgraph: watch stopped: " in rest
    conn = connect_readonly(db)
    assert conn.execute("SELECT polls FROM watch_feeds").fetchone()[0] >= 2
    conn.close()


def test_a_store_made_before_watch_gains_its_tables(tmp_path: Path) -> None:
    """Stores already at version 7 (made before watch landed) get the watch tables from the step after 7."""
    import sqlite3

    from newsgraph.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate

    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    assert migrate(conn, "old.db", tuple(m for m in MIGRATIONS if m.version <= 7)) == 7
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'watch_feeds'").fetchone()[0] == 0
    assert migrate(conn, "old.db") == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"watch_feeds", "watch_items", "alerts"} <= tables
    conn.close()
