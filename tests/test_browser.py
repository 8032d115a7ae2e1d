"""The web UI in a real headless browser: Debian's chromium driven by Playwright, against ``newsgraph
serve`` started on a free 127.0.0.1 port over the web tests' store (test_web_pages.build_web_store:
the seed, three benchmark pages, a hostile article, a wire copy with an event).

Every page must load with no console error, no uncaught exception, no dialog, no failed request and
no request leaving this machine. Screenshots of each page go to ``$NEWSGRAPH_SCREENSHOTS`` (e.g.
``docs/screenshots``) when set, else to a temporary folder.

Chromium is Debian's package (``apt-get install chromium``; .ci/run installs it). Without it the tests
skip on a developer's machine and fail under CI (``CI`` set), so CI never passes without them."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .helpers import HOSTILE, IMG, ROOT, SCRIPT, build_web_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: .ci/run installs it (apt-get install chromium)", pytrace=False)
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow  # a browser per test


LAYERS = {"q": "quotes", "n": "quantities", "t": "times", "p": "places"}
# each record's text as the page shows it: its segments' text, in order (keys are in data-r)
SHOWN_JS = """() => {
  const out = {};
  document.querySelectorAll("#text .hl").forEach(s => s.dataset.r.split(" ").forEach(k => {
    out[k] = (out[k] || "") + s.textContent;
  }));
  return out;
}"""


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """``newsgraph serve`` over ``db``, in a subprocess; its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    assert json.loads(r.read())["ok"] is True
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"newsgraph serve did not start: {err}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``newsgraph serve`` over the web store; its base URL."""
    with serving(build_web_store(tmp_path_factory)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def ids(server: str) -> dict[str, str]:
    """Document ids by source (through the API)."""
    with urllib.request.urlopen(f"{server}/api/documents?limit=50", timeout=10) as r:
        items = json.loads(r.read())["items"]
    by_source = {i["source"]: i["id"] for i in items}
    return {"seed": by_source["Arab Observer"], "variant": by_source["Gulf Wire"], "hostile": by_source[HOSTILE.source]}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("NEWSGRAPH_SCREENSHOTS")
    path = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Watch:
    """What a page did that it must not: console errors, exceptions, dialogs, failed or outside requests."""

    base: str
    problems: list[str] = field(default_factory=list)
    allow_status: set[int] = field(default_factory=set)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("dialog", self._dialog)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, msg: Any) -> None:
        if msg.type in ("error", "warning") and not (
            self.allow_status and "Failed to load resource" in msg.text
        ):  # a page asked to answer 404 logs that once
            self.problems.append(f"console {msg.type}: {msg.text}")

    def _failed(self, request: Any) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):  # cut short by the next navigation: not a failure
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.allow_status:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def watched(browser: Any, server: str) -> Iterator[tuple[Any, Watch]]:
    with watched_page(browser, server) as found:
        yield found


@contextlib.contextmanager
def watched_page(browser: Any, server: str, width: int = 1360, height: int = 900) -> Iterator[tuple[Any, Watch]]:
    """A page of a fresh browser context that may ask ``server`` only, its problems watched (none allowed)."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    watch = Watch(server)

    def only_here(route: Any) -> None:
        if route.request.url.startswith(server + "/") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            watch.problems.append(f"request outside the server: {route.request.url}")
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    watch.attach(page)
    try:
        yield page, watch
        page.wait_for_timeout(50)  # let late console messages arrive
        assert watch.problems == []
    finally:
        context.close()


def goto(page: Any, url: str, status: int = 200) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, url


def test_search_page(watched: tuple[Any, Watch], server: str, ids: dict[str, str], shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/")
    # six articles, five stories: the seed and its wire copy are listed once, with its versions linked
    assert page.locator("ol.results li").count() == 5
    versions = page.locator("ol.results a.versions")
    assert versions.count() == 1 and versions.first.inner_text() == "2 versions"
    assert page.locator(".facets .facet-source li").count() >= 2
    page.fill("input[name=q]", "combat OR hostile")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/?q=combat*")
    assert page.locator("ol.results li").count() == 2  # the story of the seed, and the hostile article
    assert page.locator("ol.results .snippet mark").count() >= 2  # the matched words, marked
    csv_link = page.locator("a.download-csv").first.get_attribute("href") or ""
    with urllib.request.urlopen(server + csv_link, timeout=10) as r:
        rows = list(csv.reader(io.StringIO(r.read().decode("utf-8"), newline="")))
    assert len(rows) == 3 and rows[0][0] == "id"  # the header and the two rows shown
    page.fill("input[name=q]", "combat mission")
    page.select_option("select[name=source]", "Arab Observer")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/?q=combat*")
    titles = page.locator("ol.results a.title")
    assert titles.count() == 1 and "coalition" in titles.first.inner_text()
    assert page.locator("ol.results .snippet").count() == 1
    page.fill("input[name=q]", "")
    page.select_option("select[name=source]", "")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/?q=&*")
    page.screenshot(path=str(shots / "search.png"))


def test_article_highlights_and_records(
    watched: tuple[Any, Watch], server: str, ids: dict[str, str], shots: Path
) -> None:
    page, _ = watched
    goto(page, f"{server}/documents/{ids['seed']}")
    text = page.locator("#text")
    # every span of every layer is highlighted: the text of a record's segments is the span's text
    with urllib.request.urlopen(f"{server}/api/documents/{ids['seed']}", timeout=10) as r:
        doc = json.loads(r.read())
    shown = page.evaluate(SHOWN_JS)
    expected = {f"{prefix}:{i}": x["text"] for prefix, layer in LAYERS.items() for i, x in enumerate(doc[layer])}
    expected |= {f"e:{e['id']}": "".join(m["text"] for m in e["mentions"]) for e in doc["entities"]}
    expected |= {f"v:{i}": doc["text"][v["start"] : v["end"]] for i, v in enumerate(doc["events"])}  # triggers
    assert shown == expected
    assert {"Thursday", "Mosul", "2,500 US troops", "Nicholas Heras"} <= set(shown.values())
    assert text.locator(".hl.ent-person", has_text="Nicholas Heras").count() >= 1
    # a click on a quote shows its speaker in the record panel, and lights up the speaker's mentions
    index = next(i for i, q in enumerate(doc["quotes"]) if "officially announcing" in q["text"])
    quote = page.locator(f"#q{index}")
    assert "officially announcing" in quote.inner_text()
    quote.click()
    record = page.locator("#record-body .record").first
    assert record.locator("h3").inner_text() == "Quote"
    assert record.locator(".speaker-name").inner_text() == "Qassem Al Aaraji"
    assert page.locator("#text .hl.linked").count() >= 1
    # hovering an entity mention shows the entity's record (the click above pinned the quote: unpin first)
    page.locator("#text h1").click()
    page.locator("#text .hl.ent-person", has_text="Nicholas Heras").first.hover()
    cards = page.locator("#record-body .record h3")
    assert "Entity" in cards.all_inner_texts()
    assert "Nicholas Heras" in page.locator("#record-body").inner_text()
    # the removed material is folded until asked for
    removed = page.locator("details.removed")
    assert removed.locator("li").first.is_hidden()
    removed.locator("summary").click()
    assert removed.locator("li", has_text="AFP PHOTO").is_visible()
    # a layer can be switched off
    page.uncheck("#legend input[data-layer=quote]")
    assert "off-quote" in (text.get_attribute("class") or "")
    page.check("#legend input[data-layer=quote]")
    page.locator("#q3").click()
    page.locator("#q3").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "article.png"))


def test_hostile_article_stays_text(watched: tuple[Any, Watch], server: str, ids: dict[str, str], shots: Path) -> None:
    page, watch = watched
    goto(page, f"{server}/documents/{ids['hostile']}")
    title = page.locator("#text h1").inner_text()
    assert SCRIPT in title and IMG in title
    assert SCRIPT in page.title()
    assert IMG in page.locator("#text").inner_text()
    assert page.locator("img").count() == 0 and page.locator("#text b").count() == 0
    assert page.evaluate("() => [...document.scripts].every(s => s.src || s.type === 'application/json')")
    page.locator("#text .hl.quote").first.click()
    assert IMG in page.locator("#record-body").inner_text()
    assert page.locator("a.original").count() == 0  # its javascript: URL is not made a link
    page.screenshot(path=str(shots / "hostile.png"))
    for url in (
        "/?q=hostile",
        "/quotes?q=accept",
        "/timeline",
        "/network",
        f"/map?doc={ids['hostile']}",
        "/events?actor=Baghdad",
        "/actors?modality=any",
    ):
        goto(page, server + url)
        assert page.locator("img").count() == 0
    goto(page, server + "/?q=hostile")
    assert SCRIPT in page.locator("ol.results a.title").first.inner_text()
    assert not [p for p in watch.problems if p.startswith("dialog")]


def test_quote_explorer(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/quotes")
    page.locator("ol.speaker-list a", has_text="Nicholas Heras").click()
    page.wait_for_url("**/quotes?speaker=Nicholas*")
    speakers = set(page.locator("ol.quotes .speaker-link").all_inner_texts())
    assert speakers == {"Nicholas Heras"}
    # a quote leads to its place in the article
    page.locator("ol.quotes .from a").first.click()
    page.wait_for_url("**/documents/*#q*")
    anchor = page.evaluate("() => location.hash.slice(1)")
    assert page.locator(f"#{anchor}").is_visible()
    goto(page, server + "/quotes?speaker=Qassem+Al+Aaraji")
    page.screenshot(path=str(shots / "quotes.png"))


def test_entity_page(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/entities?type=PERSON")
    page.locator("table.grid a", has_text="Qassem Al Aaraji").click()
    page.wait_for_url("**/entity?name=Qassem*")
    assert page.locator("#mentions-chart svg rect.bar").count() == 2  # the seed's day and the wire copy's
    assert page.locator(".quote-card").count() >= 6
    page.screenshot(path=str(shots / "entity.png"), full_page=True)
    # an entity's events, as source and as target, lead to the happening's page
    goto(page, server + "/entity?name=Joe+Biden&type=PERSON&country=US")
    told = page.locator("ul.events-source li", has_text="CONSULT")
    assert told.count() == 1 and "Mustafa Al Kadhimi" in told.inner_text()
    told.locator("a.told").click()
    page.wait_for_url("**/events/*")
    assert page.locator("article.mention").count() == 2


def test_timeline(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/timeline")
    svg = page.locator("#timeline svg")
    assert svg.count() == 1
    for kind in ("articles", "quotes", "dated", "events"):
        assert svg.locator(f"g.lane[data-kind={kind}] .mark").count() > 0, kind
    assert svg.locator("g.lane[data-kind=entity]").count() >= 5
    svg.locator("g.lane[data-kind=quotes] .mark").last.click()
    detail = page.locator("#detail-body")
    assert detail.locator("a").count() >= 1 and "Quotes" in detail.locator("h3").inner_text()
    # the happening the seed and its wire copy tell, once
    goto(page, server + "/timeline?entity=Joe+Biden")
    marks = page.locator("#timeline g.lane[data-kind=events] .mark")
    assert marks.count() == 1
    marks.first.click()
    assert page.locator("#detail-body a", has_text="2 articles, 2 outlets").count() == 1
    # December 2021 only: the first view spans the days the articles came out
    goto(page, server + "/timeline?since=2021-12-01")
    page.locator("#timeline g.lane[data-kind=articles] .mark").first.click()
    assert "Articles, 2021-12-09" in page.locator("#detail-body h3").inner_text()
    page.screenshot(path=str(shots / "timeline.png"))


def test_map(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/map")
    page.wait_for_selector("#map[data-ready]")
    assert page.locator("#map path.country").count() > 150
    dots = page.locator("#map circle.place-dot")
    assert dots.count() >= 10
    # where the events took place: diamonds over the places, each leading to its happenings
    events = page.locator("#map path.event-dot")
    assert events.count() >= 1
    events.first.click()
    assert "Events in Iraq" in page.locator("#detail-body h3").inner_text()
    assert page.locator('#detail-body a[href^="/events/"]').count() >= 1
    page.screenshot(path=str(shots / "map.png"))
    # the legend's box hides them (Iraq's diamond lies over Mosul at this zoom)
    page.uncheck("#show-events")
    assert events.first.is_hidden()
    page.locator("#map circle.place-dot", has=page.locator("title", has_text="Mosul")).click()
    assert "Mosul" in page.locator("#detail-body h3").inner_text()
    assert page.locator("#detail-body a").count() >= 1


def test_network(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/network")
    assert page.locator("#network svg circle.node").count() >= 20
    assert page.locator("#network svg line.link").count() >= 20
    page.locator("#network circle.node").first.click()
    assert page.locator("#detail-body a", has_text="entity page").count() == 1
    page.mouse.move(2, 2)  # no hover: every node at full strength
    page.screenshot(path=str(shots / "network.png"))


def test_events_list(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/events")
    assert page.locator("table.events tbody tr.event").count() == 20
    assert page.locator("nav.pager a[rel=next]").count() == 1
    page.screenshot(path=str(shots / "events.png"))
    page.select_option("select[name=type]", "ACCUSE")
    page.fill("input[name=actor]", "United States")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/events?type=ACCUSE*")
    rows = page.locator("table.events tbody tr.event")
    assert rows.count() >= 2 and set(rows.locator(".badge").all_inner_texts()) == {"ACCUSE"}
    row = rows.filter(has=page.locator("mark.trigger", has_text="blamed")).first
    assert "Never claimed, these attacks" in row.locator(".sentence").inner_text()
    # what did not happen is marked; one control leaves it out
    goto(page, server + "/events?modality=negated")
    negated = page.locator("table.events tbody tr.event")
    assert negated.count() >= 1 and negated.count() == page.locator("tr.not-asserted .modality.mod-negated").count()
    page.click("#modality-toggle")
    page.wait_for_url("**/events?modality=asserted")
    assert page.locator("tr.not-asserted").count() == 0 and page.locator("tr.event").count() > 0


def test_event_cluster_page(watched: tuple[Any, Watch], server: str, ids: dict[str, str], shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/events?type=ACCUSE&actor=United+States")
    row = page.locator("table.events tbody tr.event").filter(has=page.locator("mark.trigger", has_text="blamed")).first
    assert row.locator("a.told").inner_text() == "2 articles · 2 outlets"
    row.locator("a.told").click()
    page.wait_for_url("**/events/*")
    mentions = page.locator("article.mention")
    assert mentions.count() == 2
    assert sorted(mentions.locator("h3.outlet").all_inner_texts()) == ["Arab Observer", "Gulf Wire"]
    for i in range(2):
        mention = mentions.nth(i)
        assert "Never claimed, these attacks" in mention.locator("blockquote").inner_text()
        assert mention.locator("mark.trigger").inner_text() == "blamed"
    # side by side: the two cards on one row
    boxes = [mentions.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] != boxes[1]["x"]
    assert "US GOV" in page.locator(".summary").inner_text()
    page.screenshot(path=str(shots / "event.png"), full_page=True)
    mentions.filter(has_text="Gulf Wire").locator("a.title").click()
    page.wait_for_url(f"**/documents/{ids['variant']}")


def test_actor_network(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/actors")
    page.wait_for_selector("#actors[data-ready]")
    assert page.locator("#actors svg circle.node").count() >= 6
    edges = page.locator("#actors svg path.edge")
    assert edges.count() >= 5 and page.locator("#actors svg marker").count() == 5
    assert page.locator("#actors svg path.edge.q-1").count() >= 1  # CONSULT: verbal cooperation
    page.locator("#actors circle.node", has=page.locator("title", has_text="Joe Biden")).click()
    detail = page.locator("#detail-body")
    assert "Joe Biden" in detail.locator("h3").inner_text()
    assert detail.locator("a", has_text="entity page").count() == 1
    assert "→ Mustafa Al Kadhimi · CONSULT · 1" in detail.inner_text()
    page.mouse.move(2, 2)
    page.screenshot(path=str(shots / "actors.png"))
    # an arrow's happenings lead to their pages
    page.locator(
        "#actors path.edge-hit", has=page.locator("title", has_text="Joe Biden → Mustafa Al Kadhimi")
    ).dispatch_event("click")
    assert detail.locator("h3").inner_text() == "Joe Biden → Mustafa Al Kadhimi"
    detail.locator('a[href^="/events/"]').first.click()
    page.wait_for_url("**/events/*")
    assert page.locator("article.mention").count() == 2
    # filtered by type: only that type's arrows
    goto(page, server + "/actors?type=ASSAULT")
    page.wait_for_selector("#actors[data-ready]")
    assert page.locator("#actors path.edge").count() == page.locator("#actors path.edge.q-4").count() > 0


def test_unknown_document_is_a_page(watched: tuple[Any, Watch], server: str) -> None:
    page, watch = watched
    watch.allow_status = {404}
    goto(page, f"{server}/documents/0123456789abcdef", 404)
    assert "404" in page.locator("h1").inner_text()


def test_api_docs_page(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    """/docs works offline: Swagger UI from the vendored files, under the pages' CSP, "Try it out" answered."""
    page, _ = watched
    goto(page, server + "/docs")
    page.wait_for_selector("#swagger-ui[data-ready='1'] .opblock", timeout=30_000)
    assert page.locator(".opblock").count() >= 10
    page.locator(".opblock-summary-path", has_text="/healthz").first.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    page.wait_for_selector(".live-responses-table", timeout=10_000)
    assert '"ok": true' in page.locator(".live-responses-table .response-col_description pre").first.inner_text()
    page.screenshot(path=str(shots / "docs.png"))


def test_timeline_volume_chart(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    """Bars per day for each kind; the week switch changes them; a drag across the chart zooms to its days."""
    page, _ = watched
    goto(page, server + "/timeline?bucket=day&by=source")
    page.wait_for_selector("#volume[data-ready]")
    chart = page.locator("#volume")
    assert chart.get_attribute("data-bucket") == "day"
    for kind in ("articles", "quotes", "events"):
        assert chart.locator(f"g.panel[data-kind={kind}] rect.vbar").count() > 0, kind
    days = sorted(
        set(chart.locator("g.panel[data-kind=articles] rect.vbar").evaluate_all("bs => bs.map(b => b.dataset.start)"))
    )
    assert days == ["2019-11-18", "2019-11-19", "2019-11-20", "2021-12-09", "2021-12-10", "2021-12-11"]
    assert page.locator(".volume-legend .legend-item", has_text="Gulf Wire").count() == 1
    page.screenshot(path=str(shots / "timeline-volume.png"))
    page.locator(".bucket-switch a[data-bucket=week]").click()
    page.wait_for_url("**/timeline?*bucket=week*")
    page.wait_for_selector("#volume[data-ready]")
    assert chart.get_attribute("data-bucket") == "week"
    weeks = chart.locator("g.panel[data-kind=articles] rect.vbar").evaluate_all("bs => bs.map(b => b.dataset.start)")
    assert sorted(set(weeks)) == ["2019-11-18", "2021-12-06"]  # Mondays
    # by keyboard: the arrows step through the bars, the readout says which
    chart.locator("svg").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("p.readout").inner_text().startswith("2019-11-18 to 2019-11-24: 3 articles")
    page.keyboard.press("End")
    assert page.locator("p.readout").inner_text().startswith("2021-12-06 to 2021-12-12: 3 articles")
    # zoom: a drag over the right end of the chart (the 2021 week) narrows since/until to its days
    box = chart.locator("svg").bounding_box()
    assert box
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.93, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.97, y, steps=5)
    page.mouse.move(box["x"] + box["width"] - 14, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**/timeline?*since=2021-*")
    assert page.input_value("input[name=since]").startswith("2021-")
    page.wait_for_selector("#volume[data-ready]")
    assert "3 articles" in page.locator("#volume-summary").inner_text()
    assert page.locator("#timeline g.lane[data-kind=articles] .mark").count() == 3  # the items of those days
    goto(page, server + "/timeline?bucket=day&since=2021-12-06&until=2021-12-12")
    page.locator("#volume svg").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # zoom to the day the arrow reached: the first with anything in it
    page.wait_for_url("**/timeline?*since=2021-12-09&until=2021-12-09")
    assert page.locator("#volume-summary").inner_text().startswith("1 article,")


def test_entity_chart_by_day_and_week(watched: tuple[Any, Watch], server: str) -> None:
    page, _ = watched
    goto(page, server + "/entity?name=Qassem+Al+Aaraji")
    bars = page.locator("#mentions-chart svg rect.bar")
    assert bars.count() == 2 and page.locator("#mentions-chart").get_attribute("data-bucket") == "day"
    page.locator(".chart-note a[data-bucket=week]").click()
    page.wait_for_url("**bucket=week")
    assert page.locator("#mentions-chart svg rect.bar").count() == 1  # both days in the week of 2021-12-06
    assert "2 documents" in (page.locator("#mentions-chart rect.bar title").first.text_content() or "")


NARROW_PAGES = ("/", "/quotes", "/entities", "/events", "/claims", "/actors", "/timeline", "/map", "/network", "/watch")


def test_pages_at_390_px(browser: Any, server: str, ids: dict[str, str], shots: Path) -> None:
    """A phone's width: no page scrolls sideways; the record panel opens under the highlight tapped."""
    with watched_page(browser, server, width=390, height=800) as (page, _):
        for url in (*NARROW_PAGES, f"/documents/{ids['seed']}", "/entity?name=Joe+Biden"):
            goto(page, server + url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
        goto(page, f"{server}/documents/{ids['seed']}")
        seg = page.locator("#text .hl.ent-person", has_text="Nicholas Heras").last
        seg.scroll_into_view_if_needed()
        seg.click()
        panel = page.locator("#record")
        assert "Nicholas Heras" in page.locator("#record-body").inner_text()
        seg_box, panel_box = seg.bounding_box(), panel.bounding_box()
        assert seg_box and panel_box
        assert panel_box["y"] >= seg_box["y"] + seg_box["height"] - 1  # under the highlight...
        assert 0 <= panel_box["y"] < 800  # ...and on screen, not at the page's end
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "article-390.png"))
        page.keyboard.press("Escape")
        assert page.locator("#record-body .record").count() == 0


def test_highlights_by_keyboard(watched: tuple[Any, Watch], server: str, ids: dict[str, str]) -> None:
    page, _ = watched
    goto(page, f"{server}/documents/{ids['seed']}")
    assert page.locator("#text .hl:not([tabindex='0'])").count() == 0
    for _ in range(80):  # Tab past the nav, the links and the layer boxes to the first highlight
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('hl')"):
            break
    else:
        pytest.fail("Tab never reached a highlight")
    first = page.evaluate("() => document.activeElement.dataset.r")
    assert first == page.locator("#text .hl").first.get_attribute("data-r")
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"  # the focus ring shows
    page.keyboard.press("Tab")
    key = page.evaluate("() => document.activeElement.dataset.r")
    page.keyboard.press("Enter")
    cards = page.locator("#record-body .record")
    assert cards.count() >= 1 and cards.first.get_attribute("data-key") in key.split(" ")
    assert page.locator("#text .hl.sel").count() >= 1
    page.keyboard.press("Escape")
    assert cards.count() == 0 and page.locator("#text .hl.sel").count() == 0
    assert page.evaluate("() => document.activeElement.dataset.r") == key  # focus stays on the highlight
    page.keyboard.press(" ")
    assert cards.count() >= 1


def test_claims_page(watched: tuple[Any, Watch], server: str, shots: Path) -> None:
    page, _ = watched
    goto(page, server + "/claims")
    troops = page.locator("section.claim", has=page.locator("h2", has_text="troops"))
    assert troops.count() == 1 and "disagree" in (troops.get_attribute("class") or "")
    figures = troops.locator("tbody td.num").all_inner_texts()
    assert {"2,500", "3,000"} <= set(figures)  # the seed's figure and its wire copy's, side by side
    assert troops.locator("ul.readings a", has_text="Gulf Wire").count() >= 1
    page.screenshot(path=str(shots / "claims.png"), full_page=True)
    page.check("input[name=disagree]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/claims?*disagree=1*")
    assert page.locator("section.claim").count() == page.locator("section.claim.disagree").count() >= 1


@pytest.mark.parametrize("path", ["/quotes", "/entities", "/events", "/claims"])
def test_every_lists_downloads_are_its_rows(watched: tuple[Any, Watch], server: str, path: str) -> None:
    # the CSV and JSON links of a list page give the same rows, as many as the page says it holds (or a page of them)
    page, _ = watched
    goto(page, server + path)
    csv_link = page.locator("a.download-csv").first.get_attribute("href") or ""
    json_link = page.locator("a.download-json").first.get_attribute("href") or ""
    assert csv_link and json_link, path
    with urllib.request.urlopen(server + csv_link, timeout=10) as r:
        rows = list(csv.reader(io.StringIO(r.read().decode("utf-8"), newline="")))
    with urllib.request.urlopen(server + json_link, timeout=10) as r:
        data = json.loads(r.read().decode("utf-8"))
    items = data if isinstance(data, list) else next(v for v in data.values() if isinstance(v, list))
    assert len(rows) - 1 == len(items) >= 1, (path, len(rows), len(items))
    shown = int(page.locator("p.count").first.inner_text().split()[0].replace(",", ""))
    assert len(items) <= shown, (path, shown, len(items))  # the rows shown, never more than the list holds


def test_watch_page(browser: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, shots: Path) -> None:
    """The feeds polled and the saved searches of a store given them here."""
    from newsgraph.store import watch_state
    from newsgraph.store.alerts import Alert, add_alert
    from newsgraph.store.db import connect, transaction

    db = tmp_path / "watched.db"
    shutil.copyfile(build_web_store(tmp_path_factory), db)
    conn = connect(db)
    try:
        with transaction(conn):
            watch_state.record_poll(
                conn,
                watch_state.Poll(
                    "https://news.example/feed.xml", "ok", http=200, kind="rss", items=12, new=3, stored=2
                ),
            )
            watch_state.record_poll(
                conn, watch_state.Poll("https://down.example/rss", "error", error="connection refused")
            )
        add_alert(conn, Alert("iraq-troops", q="troops"), backfill=True)
    finally:
        conn.close()
    with serving(db) as base, watched_page(browser, base) as (page, _):
        goto(page, base + "/watch")
        rows = page.locator("table.watch-feeds tbody tr")
        assert rows.count() == 2
        ok = rows.filter(has_text="news.example")
        assert ok.locator("td.num").first.inner_text() == "12" and "rss" in ok.inner_text()
        assert "connection refused" in page.locator("tr.feed-error").inner_text()
        alert = page.locator("table.watch-alerts tbody tr")
        assert alert.count() == 1 and "q=troops" in alert.inner_text()
        assert int(alert.locator("td.num").first.inner_text()) >= 2  # the seed and its wire copy
        page.screenshot(path=str(shots / "watch.png"), full_page=True)
        atom = alert.locator("a", has_text="Atom").get_attribute("href")
        assert atom == "/alerts/iraq-troops.atom"
        with urllib.request.urlopen(base + atom, timeout=10) as r:
            assert r.read().count(b"<entry>") >= 2
