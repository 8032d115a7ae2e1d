"""Data out of the UI and an API that pages everything it lists: every list route takes ``limit`` and
``offset`` and answers ``total``; ``format=csv`` gives the same rows as the JSON (parsed back with the
csv module); every list page links to the CSV and JSON of exactly the rows it shows; the search page
marks the matched words (escaped), collapses a story's copies and shows the facets. Over the web
tests' store (tests/helpers.py ``build_web_store``)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import BaseModel

from newsgraph.web import downloads, models
from newsgraph.web.app import create_app

from .helpers import SCRIPT, build_web_store

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

# each list route of the API, with its item model (its CSV columns) and a filter that keeps some rows
LISTS: dict[str, tuple[type[BaseModel] | None, str]] = {
    "/api/documents": (models.DocumentItem, "q=coalition OR trump"),
    "/api/quotes": (models.Quote, ""),
    "/api/events": (models.Event, "modality=asserted"),
    "/api/entities": (models.EntityTotal, "type=GPE"),
    "/api/claims": (models.Claim, "min_sources=1"),
    "/api/layers/times": (None, ""),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db: Path = build_web_store(tmp_path_factory)
    with TestClient(create_app(db)) as c:
        yield c


def get_json(client: TestClient, url: str) -> Any:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text)
    return r.json()


def join(path: str, *query: str) -> str:
    q = "&".join(p for p in query if p)
    return path + ("?" + q if q else "")


@pytest.mark.parametrize("path", list(LISTS))
def test_every_list_route_pages_with_limit_offset_and_total(client: TestClient, path: str) -> None:
    _, filters = LISTS[path]
    whole = get_json(client, join(path, filters, "limit=500"))
    items, total = whole["items"], whole["total"]
    assert total == len(items) and total >= 3, (path, total)
    for limit, offset in ((1, 0), (2, 1), (2, total - 1), (3, total), (2, 10**6)):
        page = get_json(client, join(path, filters, f"limit={limit}&offset={offset}"))
        assert page["total"] == total
        assert page["items"] == items[offset : offset + limit], (path, limit, offset)
    for bad in ("limit=0", "limit=501", "offset=-1"):
        r = client.get(join(path, filters, bad))
        assert r.status_code == 422 and r.json()["error"].split(":")[0] in ("invalid request", "limit", "offset")


def flat(item: dict[str, Any], names: list[str]) -> list[str]:
    """A JSON item's cells as the CSV should hold them, read here from the JSON (not by the writer's code)."""
    out = []
    for name in names:
        value: Any = item
        for part in name.split("."):
            value = value[part] if isinstance(value, dict) else None
        if value is None:
            out.append("")
        elif isinstance(value, bool):
            out.append(str(value).lower())
        elif isinstance(value, (list, dict)):
            out.append(json.dumps(value, ensure_ascii=False))
        else:
            out.append(str(value))
    return out


@pytest.mark.parametrize("path", [p for p, (model, _) in LISTS.items() if model is not None])
def test_csv_holds_the_same_rows_as_the_json(client: TestClient, path: str) -> None:
    model, filters = LISTS[path]
    assert model is not None
    for paging in ("limit=500", "limit=2&offset=1"):
        page = get_json(client, join(path, filters, paging))
        r = client.get(join(path, filters, paging, "format=csv"))
        assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in r.headers["content-disposition"] and r.headers["x-total-count"] == str(page["total"])
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8"), newline="")))
        header, body = rows[0], rows[1:]
        assert header == downloads.columns(model) and len(set(header)) == len(header)
        assert body == [flat(item, header) for item in page["items"]], path
        j = client.get(join(path, filters, paging, "format=json"))
        name = path.split("/")[2]
        assert j.json() == page and j.headers["content-disposition"] == f'attachment; filename="{name}.json"'
    empty = client.get(join(path, "limit=1&offset=1000000", "format=csv"))
    assert empty.text.splitlines() == [",".join(downloads.columns(model))]  # the header, even with no row


def test_csv_quotes_commas_quotes_and_newlines(client: TestClient) -> None:
    # the hostile article's title has quotes and markup; snippets hold newlines and commas
    page = get_json(client, "/api/documents?q=hostile OR coalition&limit=500")
    r = client.get("/api/documents?q=hostile OR coalition&limit=500&format=csv")
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert [row["title"] for row in rows] == [i["title"] for i in page["items"]]
    assert any(SCRIPT in row["title"] for row in rows) and any("\n" in row["snippet"] for row in rows)
    assert client.get("/api/documents?format=xml").status_code == 422


# --- the pages' download links ----------------------------------------------------------------------------------

PAGES = {
    "/?q=coalition+OR+trump": r'<a class="title" href="/documents/([0-9a-f]{16})"',
    "/?copies=1": r'<a class="title" href="/documents/([0-9a-f]{16})"',
    "/quotes": r'href="/documents/([0-9a-f]{16})#q(\d+)"',
    "/entities?type=GPE": r'<td><a href="/entity\?name=([^"&]+)',
    "/events": r'<a class="small" href="/documents/([0-9a-f]{16})"',
    "/claims": r'<section class="claim',
}


def download_links(text: str) -> dict[str, str]:
    return {
        fmt: html.unescape(m)
        for fmt in ("csv", "json")
        for m in re.findall(rf'class="download-{fmt}" href="([^"]+)"', text)
    }


@pytest.mark.parametrize("url", list(PAGES))
def test_every_list_page_links_to_exactly_its_rows(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    links = download_links(r.text)
    assert set(links) == {"csv", "json"}
    shown = re.findall(PAGES[url], r.text)
    page = get_json(client, links["json"])
    rows = list(csv.DictReader(io.StringIO(client.get(links["csv"]).text, newline="")))
    assert len(rows) == len(page["items"]) == len(shown) and shown, url
    # the same filters as the page's own address
    asked = {k: v for k, v in parse_qs(urlsplit(url).query).items() if k not in ("copies", "page")}
    got = parse_qs(urlsplit(links["json"]).query)
    assert all(got.get(k) == v for k, v in asked.items()), (asked, got)
    if url.startswith("/?"):
        assert [row["id"] for row in rows] == [i["id"] for i in page["items"]] == shown
    if url == "/quotes":
        assert [(row["doc_id"], row["idx"]) for row in rows] == [(d, i) for d, i in shown]
    if url.startswith("/entities"):
        assert [row["name"] for row in rows] == [html.unescape(n).replace("+", " ") for n in shown] or all(
            row["type"] == "GPE" for row in rows
        )


def test_page_two_downloads_page_two(client: TestClient) -> None:
    first = download_links(client.get("/entities").text)
    second = download_links(client.get("/entities?page=2").text)
    one, two = get_json(client, first["json"]), get_json(client, second["json"])
    assert one["total"] == two["total"] > len(one["items"])
    assert not {e["name"] for e in one["items"]} & {e["name"] for e in two["items"]} or one["items"] != two["items"]
    assert parse_qs(urlsplit(second["json"]).query)["offset"] == [str(len(one["items"]))]


# --- the search page ----------------------------------------------------------------------------------------------


def test_the_search_page_marks_matches_collapses_copies_and_counts_facets(client: TestClient) -> None:
    text = client.get("/?q=coalition").text
    assert "<mark>coalition</mark>" in text or "<mark>Coalition</mark>" in text
    # the seed and its wire copy are one result, with a link to the story's documents
    api = get_json(client, "/api/documents?q=coalition&collapse=true&facets=true")
    every = get_json(client, "/api/documents?q=coalition")
    assert api["total"] == 1 and every["total"] == 2
    story = api["items"][0]["story_id"]
    assert f'href="/?story={story}">2 versions</a>' in text
    story_page = client.get(f"/?story={story}").text
    assert len(re.findall(r'<a class="title"', story_page)) == 2
    # facets: each value links to the page filtered by it, with the count the API gives
    for v in api["facets"]["sources"]:
        assert f'>{html.escape(v["value"])}</a> <small class="facet-count">{v["count"]}</small>' in text
    assert api["facets"]["entities"] and api["facets"]["event_types"]
    for e in api["facets"]["entities"][:3]:
        assert html.escape(e["name"]) in text


def test_the_search_page_escapes_marked_hostile_text(client: TestClient) -> None:
    r = client.get("/?q=hostile+OR+alert")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    assert "<mark>Hostile</mark>" in r.text or "<mark>hostile</mark>" in r.text


def test_bad_queries_are_a_422_page_and_a_json_error(client: TestClient) -> None:
    for q in ("-iraq", "NOT iraq"):
        page = client.get("/", params={"q": q})
        assert page.status_code == 422 and "q: " in page.text
        api = client.get("/api/documents", params={"q": q})
        assert api.status_code == 422 and api.json()["error"].startswith("q: ")
        assert client.get("/quotes", params={"q": q}).status_code == 422
    for hostile in ('"unbalanced', "NEAR(", "col:term", "title:x OR"):
        assert client.get("/", params={"q": hostile}).status_code == 200
        assert client.get("/api/documents", params={"q": hostile, "facets": "true"}).status_code == 200


def test_entity_filter_by_alias_on_the_page_and_the_api(client: TestClient) -> None:
    isis = {i["id"] for i in get_json(client, "/api/documents?entity=ISIS&limit=100")["items"]}
    assert isis
    for alias in ("Islamic State", "Daesh"):
        assert {i["id"] for i in get_json(client, f"/api/documents?entity={alias}&limit=100")["items"]} == isis
        text = client.get("/", params={"entity": alias, "copies": "1"}).text
        assert set(re.findall(r'<a class="title" href="/documents/([0-9a-f]{16})"', text)) == isis
