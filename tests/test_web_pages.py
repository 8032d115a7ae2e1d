"""The web UI's pages (FastAPI TestClient over a store ingested from real articles): every page answers
200 with its content escaped, unknown ids are a 404 page and malformed ones a 422 page, the JSON API
keeps its JSON errors, and the article page's highlights cut the text without losing a character.

``web_store`` (also used by test_browser) ingests the seed (published 2021-12-09), three pages of the
article-extraction benchmark and a hostile article whose title and text carry markup, then stores a
wire copy of the seed a day later (so the same events are told by two outlets)."""

from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store.db import connect_readonly
from newsgraph.web import article
from newsgraph.web.app import create_app

from .helpers import IMG, ROOT, SCRIPT, build_web_store

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

PAGES = (
    "/",
    "/?q=coalition",
    "/quotes",
    "/entities",
    "/timeline",
    "/map",
    "/network",
    "/events",
    "/events?modality=asserted&page=2",
    "/actors",
    "/actors?modality=any",
    "/docs",
    "/watch",
)


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_store(tmp_path_factory)


@pytest.fixture(scope="module")
def ids(web_store: Path) -> dict[str, str]:
    """Document ids by role: seed, variant, hostile, and the benchmark pages as page1..3."""
    conn = connect_readonly(web_store)
    try:
        rows = conn.execute("SELECT id, source, input FROM documents ORDER BY n").fetchall()
    finally:
        conn.close()
    out: dict[str, str] = {}
    pages = 0
    for doc_id, source, name in rows:
        if source == "Arab Observer":
            out["seed"] = doc_id
        elif source == "Gulf Wire":
            out["variant"] = doc_id
        elif name and "hostile" in name:
            out["hostile"] = doc_id
        else:
            pages += 1
            out[f"page{pages}"] = doc_id
    assert set(out) == {"seed", "variant", "hostile", "page1", "page2", "page3"}, rows
    return out


@pytest.fixture(scope="module")
def client(web_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_store)) as c:
        yield c


def test_the_server_loads_what_first_answers_need_before_it_listens(web_store: Path) -> None:
    # the knowledge base's first load was most of the first answer of /, /entities and an entity's page
    from newsgraph import geo
    from newsgraph.kb import kb

    kb.cache_clear()
    geo._country_table.cache_clear()
    with TestClient(create_app(web_store)):
        assert kb.cache_info().currsize == 1 and geo._country_table.cache_info().currsize == 1


def page(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    return str(r.text)


def assert_escaped(text: str) -> None:
    """No markup from the hostile article: the tags appear only escaped (as text or inside JSON)."""
    assert SCRIPT not in text and IMG not in text and "<b>this</b>" not in text and "<b>Wire</b>" not in text
    assert 'href="javascript:' not in text
    # the page's own script elements only: vendored or app code by src, or JSON data blocks
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert re.fullmatch(r'<script (src="/static/[\w./-]+"|type="application/json" id="page-data")>', tag), tag


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_escaped(client: TestClient, url: str) -> None:
    text = page(client, url)
    assert_escaped(text)
    assert '<link rel="stylesheet" href="/static/app.css">' in text
    # scripts, styles and icons come from this server only (no CDN)
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"', text)
    assert assets and all(a.startswith("/static/") for a in assets), assets


def test_each_document_page(client: TestClient, ids: dict[str, str]) -> None:
    for doc_id in ids.values():
        text = page(client, f"/documents/{doc_id}")
        assert_escaped(text)
        assert 'id="page-data"' in text and 'class="text"' in text


def test_entity_pages(client: TestClient) -> None:
    conn_pages = [
        "/entity?name=Qassem+Al+Aaraji&type=PERSON&country=IQ",
        "/entity?name=Iraq&type=GPE&country=IQ",
        "/entity?name=iraq",
        "/entities?q=aaraji",
        "/entities?type=PERSON&page=1",
    ]
    for url in conn_pages:
        assert_escaped(page(client, url))
    aaraji = page(client, conn_pages[0])
    assert "We are officially announcing the end of the coalition" in aaraji  # his quote
    assert 'id="mentions-chart"' in aaraji
    biden = page(client, "/entity?name=Joe+Biden&type=PERSON&country=US")
    assert "CONSULT" in biden  # "when he hosted Iraqi Prime Minister Mustafa Al Kadhimi": his event as source


def test_hostile_article_is_shown_as_text(client: TestClient, ids: dict[str, str]) -> None:
    text = page(client, f"/documents/{ids['hostile']}")
    assert_escaped(text)
    assert html.escape(SCRIPT, quote=False) in text and html.escape(IMG, quote=False) in text
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; Hostile headline" in text
    assert 'class="original"' not in text  # its javascript: URL is not a link
    for url in (
        "/?q=hostile",
        f"/map?doc={ids['hostile']}",
        "/quotes?q=accept",
        "/timeline?source=Evil+%3Cb%3EWire%3C/b%3E",
    ):
        body = page(client, url)
        assert_escaped(body)
    assert "\\u003cscript\\u003e" in page(client, "/timeline")  # embedded JSON escapes the tags


def test_search_filters(client: TestClient, ids: dict[str, str]) -> None:
    def found(query: str) -> set[str]:
        return set(re.findall(r'href="/documents/([0-9a-f]{16})"', page(client, "/?" + query)))

    # the seed and its wire copy are one story: listed once, unless every copy is asked for
    assert len(found("q=combat+mission") & {ids["seed"], ids["variant"]}) == 1
    assert found("q=combat+mission&copies=1") == {ids["seed"], ids["variant"]}
    assert found("source=Gulf+Wire") == {ids["variant"]}
    assert found("since=2021-12-10&until=2021-12-10") == {ids["variant"]}
    assert found("entity=Qassem+Al+Aaraji&copies=1") == {ids["seed"], ids["variant"]}
    assert found("event_type=ACCUSE&copies=1") >= {ids["seed"], ids["variant"]}
    assert ids["seed"] not in found("event_type=PROTEST")
    assert found("q=coalition&source=Arab+Observer&event_type=") == {ids["seed"]}
    assert "Search the articles" in page(client, "/?since=2021-13-01", 422)
    assert "unknown event type" in page(client, "/?event_type=PARTY", 422)


def test_document_page_layers(client: TestClient, ids: dict[str, str], web_store: Path) -> None:
    text = page(client, f"/documents/{ids['seed']}")
    assert text.count('class="hl') > 100
    for cls in ("quote spk-0", "ent ent-person", "place", "time", "qty"):
        assert cls in text, cls
    assert 'title="DATE: 2021-12-09" tabindex="0">Thursday</span>' in text
    assert '<details class="removed">' in text and "AFP PHOTO" in text  # removed material, folded
    assert 'id="q3"' in text  # quote anchors, as the quote explorer links them
    variant = page(client, f"/documents/{ids['variant']}")
    assert any("event" in c.split() for c in re.findall(r'class="hl ([^"]*)"', variant))  # the event's trigger
    assert "One of 2 versions of this story" in variant


def test_segments_cover_the_text_exactly(web_store: Path, ids: dict[str, str]) -> None:
    from newsgraph.store import queries

    conn = connect_readonly(web_store)
    try:
        for doc_id in ids.values():
            doc = queries.document(conn, doc_id)
            assert doc is not None
            blocks = article.blocks(doc)
            for para, block in zip(doc["paragraphs"], blocks, strict=True):
                assert "".join(s.text for s in block.segments) == doc["text"][para["start"] : para["end"]]
            records = article.records(doc)
            keys = {k for b in blocks for s in b.segments for k in s.keys}
            assert keys <= set(records)
            assert {f"q:{i}" for i in range(len(doc["quotes"]))} <= keys
    finally:
        conn.close()


def test_quote_explorer(client: TestClient, ids: dict[str, str]) -> None:
    text = page(client, "/quotes?speaker=Qassem+Al+Aaraji")
    speakers = set(re.findall(r'class="speaker-link" href="[^"]*">([^<]*)</a>', text))
    assert speakers == {"Qassem Al Aaraji"}
    assert f'href="/documents/{ids["seed"]}#q3"' in text
    assert "Nicholas Heras" in page(client, "/quotes")  # in the speakers list


def test_chart_pages_embed_their_data(client: TestClient) -> None:
    timeline = page(client, "/timeline")
    assert '"articles": [' in timeline and '"dated": [' in timeline and '"entities": [' in timeline
    assert '"type": "CONSULT"' in timeline
    map_page = page(client, "/map")
    assert '"name": "Baghdad"' in map_page and '"368":' in map_page  # Iraq's ISO numeric code, for shading
    assert "/static/vendor/topojson-client.min.js" in map_page
    network = page(client, "/network?entity=Qassem+Al+Aaraji")
    assert '"name": "Qassem Al Aaraji"' in network and '"links": [{' in network


def test_static_files_are_bundled(client: TestClient) -> None:
    for name in ("app.js", "app.css", "favicon.svg", "vendor/d3.min.js", "vendor/topojson-client.min.js"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and len(r.content) > 100, name
    world = client.get("/static/vendor/countries-110m.json").json()
    assert world["type"] == "Topology" and len(world["objects"]["countries"]["geometries"]) > 150
    js = client.get("/static/app.js").text
    assert ".innerHTML" not in js and ".outerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js


def page_data(text: str) -> Any:
    """The JSON a page embeds for its script."""
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', text, re.S)
    assert found is not None
    return json.loads(found.group(1))


def blamed(client: TestClient) -> list[dict[str, Any]]:
    """The seed's "blamed" ACCUSE event and its wire copy's, through the API."""
    items = client.get("/api/events?type=ACCUSE&actor=United+States&limit=500").json()["items"]
    found = [e for e in items if e["trigger"] == "blamed"]
    assert len(found) == 2 and len({e["cluster"] for e in found}) == 1, found
    return found


def rows(text: str) -> list[str]:
    """The rows of the events list."""
    return re.findall(r'<tr class="event[^"]*">.*?</tr>', text, re.S)


def test_events_page(client: TestClient, ids: dict[str, str]) -> None:
    text = page(client, "/events")
    assert_escaped(text)
    total = client.get("/api/events").json()["total"]
    assert f"{total} events, latest first" in text and len(rows(text)) == 20
    assert 'rel="next" href="/events?page=2"' in text  # paged like the other lists
    [one, _] = blamed(client)
    accuse = page(client, "/events?type=accuse&actor=United+States")
    assert all('<span class="badge"' in r and ">ACCUSE</span>" in r for r in rows(accuse))
    row = next(r for r in rows(accuse) if '<mark class="trigger">blamed</mark>' in r)
    assert "Never claimed, these attacks are systematically <mark" in row  # the trigger in its sentence
    assert f'<a class="told" href="/events/{one["cluster"]}">2 articles · 2 outlets</a>' in row
    assert 'class="modality-asserted"' in row
    # what did not happen is marked so; only what happened, at a click
    negated = page(client, "/events?modality=negated")
    assert rows(negated) and all('class="event not-asserted"' in r and "mod-negated" in r for r in rows(negated))
    assert '<mark class="trigger">abandon</mark>' in negated
    assert 'id="modality-toggle" href="/events?modality=asserted"' in page(client, "/events")
    asserted = page(client, "/events?modality=asserted")
    assert "not-asserted" not in asserted and 'id="modality-toggle" href="/events"' in asserted
    # by country, by day
    assert all("IR" in r for r in rows(page(client, "/events?country=ir")))
    days = re.findall(r'<td class="day">([^<]*)</td>', page(client, "/events?since=2021-12-10&until=2021-12-10"))
    assert days and set(days) == {"2021-12-10"}
    assert "No event matches." in page(client, "/events?type=PROTEST&since=2030-01-01")
    # the hostile article's event: its sentence shown as text
    hostile = page(client, "/events?actor=Baghdad&since=2021-12-11")
    assert_escaped(hostile)
    assert "&lt;b&gt;this&lt;/b&gt;" in hostile and f'href="/documents/{ids["hostile"]}"' in hostile


def test_event_cluster_page(client: TestClient, ids: dict[str, str]) -> None:
    [one, _] = blamed(client)
    text = page(client, f"/events/{one['cluster']}")
    assert_escaped(text)
    # every mention side by side: both outlets, both articles and days, the sentence with its trigger in each
    outlets = re.findall(r'<h3 class="outlet">([^<]*)</h3>', text)
    assert sorted(outlets) == ["Arab Observer", "Gulf Wire"]
    assert f'href="/documents/{ids["seed"]}"' in text and f'href="/documents/{ids["variant"]}"' in text
    assert '<time datetime="2021-12-09">' in text and '<time datetime="2021-12-10">' in text
    sentences = re.findall(r'<blockquote class="in-text">(.*?)</blockquote>', text, re.S)
    assert len(sentences) == 2
    assert all(
        "Never claimed, these attacks are systematically" in x and '<mark class="trigger">blamed</mark>' in x
        for x in sentences
    )
    # the summary: type, actors with country and sector, counts
    assert ">ACCUSE</span>" in text and "United States" in text
    assert '<small class="actor-code">US GOV</small>' in text
    assert "2 articles from 2 outlets (Arab Observer, Gulf Wire)" in text
    assert f'href="/api/events/clusters/{one["cluster"]}"' in text
    assert 'href="/entity?name=United+States&amp;type=GPE&amp;country=US"' in text  # the entity behind the actor
    # from the article to the happening
    assert f'href="/events/{one["cluster"]}"' in page(client, f"/documents/{ids['seed']}")


def test_hostile_event_cluster(client: TestClient) -> None:
    [event] = client.get("/api/events?actor=Baghdad&since=2021-12-11").json()["items"]
    text = page(client, f"/events/{event['cluster']}")
    assert_escaped(text)
    assert "&lt;b&gt;this&lt;/b&gt;" in text and "Evil &lt;b&gt;Wire&lt;/b&gt;" in text


def test_actor_network_page(client: TestClient) -> None:
    text = page(client, "/actors")
    assert_escaped(text)
    data = page_data(text)
    names = {n["name"]: n for n in data["nodes"]}
    assert names["Joe Biden"]["kind"] == "entity" and names["Joe Biden"]["entity_type"] == "PERSON"
    biden, kadhimi = names["Joe Biden"]["id"], names["Mustafa Al Kadhimi"]["id"]
    [edge] = [e for e in data["edges"] if (e["source"], e["target"]) == (biden, kadhimi)]
    assert (edge["type"], edge["weight"], edge["quad"]) == ("CONSULT", 1, 1)  # two articles, one happening
    assert "at most the 150 busiest actors are drawn" in text and "Only asserted events." in text
    assert "/static/vendor/d3.min.js" in text
    consult = page_data(page(client, "/actors?type=CONSULT"))
    assert consult["edges"] and all(set(e["types"]) == {"CONSULT"} for e in consult["edges"])
    negated = page_data(page(client, "/actors?modality=negated"))
    pairs = {(negated["nodes"][e["source"]]["name"], negated["nodes"][e["target"]]["name"]) for e in negated["edges"]}
    assert ("Washington", "Iraq") in pairs
    assert len(page_data(page(client, "/actors?modality=any"))["edges"]) > len(data["edges"])
    capped = page(client, "/actors?size=2")
    assert len(page_data(capped)["nodes"]) == 2
    assert f"only the 2 busiest of {len(data['nodes'])} actors are drawn" in capped
    assert page_data(page(client, "/actors?since=2030-01-01"))["nodes"] == []


def test_events_on_the_entity_map_and_timeline(client: TestClient, ids: dict[str, str]) -> None:
    biden = page(client, "/entity?name=Joe+Biden&type=PERSON&country=US")
    source = re.search(r'<ul class="plain events-source">(.*?)</ul>', biden, re.S)
    assert source is not None and "CONSULT" in source.group(1) and 'href="/events/' in source.group(1)
    assert "Events as target (0)" in biden
    kadhimi = page(client, "/entity?name=Mustafa+Al+Kadhimi")
    target = re.search(r'<ul class="plain events-target">(.*?)</ul>', kadhimi, re.S)
    assert target is not None and "CONSULT" in target.group(1) and "Joe Biden" in target.group(1)
    # the map: points where asserted events took place
    events = page_data(page(client, "/map"))["events"]
    iraq = next(p for p in events if p["place"] == "Iraq")
    assert iraq["country"] == "IQ" and iraq["happenings"] >= 1 and iraq["items"][0]["cluster"]
    assert page_data(page(client, f"/map?doc={ids['page1']}"))["events"] == []
    # the timeline: each happening once, at its day, with its cluster
    lane = page_data(page(client, "/timeline?entity=Joe+Biden"))["items"]["events"]
    assert [(e["type"], e["day"], e["articles"]) for e in lane] == [("CONSULT", "2021-12-09", 2)]
    assert lane[0]["cluster"] is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/events?type=PARTY", "type: unknown event type"),
        ("/events?country=USA", "country: &#39;USA&#39; is not an ISO 3166-1 alpha-2 code"),
        ("/events?modality=maybe", "modality: &#39;maybe&#39; is not one of"),
        ("/events?since=2021-13-01", "since: invalid date"),
        ("/events?until=tomorrow", "until: invalid date"),
        ("/actors?type=PARTY", "type: unknown event type"),
        ("/actors?modality=maybe", "modality: &#39;maybe&#39; is not one of"),
        ("/actors?since=2021-02-30", "since: invalid date"),
    ],
)
def test_bad_event_filters_are_422_pages(client: TestClient, url: str, message: str) -> None:
    text = page(client, url, 422)
    assert f'<p class="error" role="alert">{message}' in text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/documents/0123456789abcdef", 404),
        ("/documents/ABCDEF0123456789", 422),
        ("/documents/1;DROP TABLE documents", 422),
        ("/documents/..%2F..%2Fetc%2Fpasswd", 404),
        ("/entity?name=Nobody+At+All", 404),
        ("/entity", 422),
        ("/entity?name=Iraq&country=IRQ", 422),
        ("/map?doc=nope", 422),
        ("/network?size=0", 422),
        ("/events/999999", 404),
        ("/events/0", 422),
        ("/events/abc", 422),
        ("/events/1;DROP TABLE events", 422),
        ("/events?page=0", 422),
        ("/actors?size=1", 422),
        ("/?page=0", 422),
        ("/no-such-page", 404),
        ("/redoc", 404),
        (f"/?page={2**63}", 422),
        (f"/quotes?page={2**63}", 422),
        (f"/entities?page={2**63}", 422),
        (f"/events?page={2**63}", 422),
        (f"/events/{2**63}", 422),
        (f"/actors?size={2**63}", 422),
        (f"/network?size={2**63}", 422),
        ("/static/nothing.js", 404),
    ],
)
def test_errors_are_pages(client: TestClient, url: str, status: int) -> None:
    text = page(client, url, status)
    assert f"<h1>{status} · " in text


def test_api_errors_stay_json(client: TestClient) -> None:
    r = client.get("/api/documents/0123456789abcdef")
    assert r.status_code == 404 and r.json() == {"error": "no document 0123456789abcdef"}
    r = client.get("/api/documents/nope")
    assert r.status_code == 422 and r.json()["error"].startswith("invalid request")


def test_pages_only_read(client: TestClient, web_store: Path) -> None:
    before = web_store.stat().st_mtime_ns
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/").status_code == 405
    for url in PAGES:
        client.get(url)
    assert web_store.stat().st_mtime_ns == before


def test_pages_are_not_in_the_api_schema(client: TestClient) -> None:
    paths: dict[str, Any] = client.get("/openapi.json").json()["paths"]
    assert not any(not p.startswith(("/api/", "/healthz")) for p in paths)


def test_vendored_files_are_the_ones_listed() -> None:
    """Each vendored file is byte for byte the one VENDORED.md names (package, version, sha256), and
    package-lock.json pins those versions."""
    import hashlib
    import json

    vendor = Path(article.__file__).parent / "static" / "vendor"
    rows = re.findall(
        r"^\| `([^`]+)` \| ([\w-]+) \| ([\d.]+) \|.*\| `([0-9a-f]{64})` \|$", (vendor / "VENDORED.md").read_text(), re.M
    )
    assert {r[0] for r in rows} == {p.name for p in vendor.iterdir() if p.name != "VENDORED.md"}
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, package, version, digest in rows:
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
        assert lock[f"node_modules/{package}"]["version"] == version, package
        assert lock[""]["dependencies"][package] == version, package
