"""The timeline's volumes (store/volume.py, /timeline, /api/timeline), the entity page's chart by day or
week, and the actor network over a date range, over the web tests' store (the seed, its wire copy a day
later, three benchmark pages, a hostile article): what ``day_counts`` keeps is what the rows give, weeks
sum their days, splits sum to their totals, bad arguments are a 422 naming the parameter."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store import volume
from newsgraph.store.db import connect_readonly
from newsgraph.store.queries import DocumentFilter, QueryError
from newsgraph.web import pages
from newsgraph.web.app import create_app

from .helpers import build_web_store

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_store(tmp_path_factory)


@pytest.fixture
def conn(web_store: Path) -> Iterator[sqlite3.Connection]:
    c = connect_readonly(web_store)
    yield c
    c.close()


@pytest.fixture(scope="module")
def client(web_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_store, cache_bytes=0)) as c:
        yield c


def page_data(text: str) -> Any:
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', text, re.S)
    assert found, "no page data"
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    "f",
    [
        DocumentFilter(),
        DocumentFilter(source="gulf wire"),
        DocumentFilter(since="2021-12-10"),
        DocumentFilter(since="2019-11-19", until="2021-12-09"),
    ],
)
def test_kept_volumes_are_the_counted_ones(conn: sqlite3.Connection, f: DocumentFilter) -> None:
    kept = volume._kept_rows(conn, f)
    counted = volume._counted_rows(conn, f)
    assert kept == counted
    assert kept[0], "nothing counted"


@pytest.mark.parametrize("bucket", ["day", "week", None])
@pytest.mark.parametrize("by", ["type", "source", "none"])
@pytest.mark.parametrize("f", [DocumentFilter(), DocumentFilter(source="Arab Observer", until="2021-12-31")])
def test_summed_in_sql_as_in_python(conn: sqlite3.Connection, f: DocumentFilter, bucket: str | None, by: str) -> None:
    rows, extent = volume._counted_rows(conn, f)
    assert volume.volume(conn, f, bucket=bucket, by=by) == volume.volume_of_rows(rows, extent, f, bucket, by)


def test_the_volumes_read_only_the_kept_counts(conn: sqlite3.Connection) -> None:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    found = volume.volume(conn, DocumentFilter(since="2021-12-01"), bucket="day")
    conn.set_trace_callback(None)
    assert found["totals"]["articles"] == 3 and found["totals"]["quotes"] > 0 and found["totals"]["events"] > 0
    assert seen and all(re.search(r"\bFROM day_counts\b", s) for s in seen), seen
    assert not any(re.search(r"\b(quotes|events|documents)\b", s.split("FROM", 1)[1]) for s in seen)


def test_days_weeks_and_splits(conn: sqlite3.Connection) -> None:
    days = volume.volume(conn, DocumentFilter(), bucket="day", by="source")
    weeks = volume.volume(conn, DocumentFilter(), bucket="week", by="source")
    assert days["bucket"] == "day" and weeks["bucket"] == "week"
    assert days["totals"] == weeks["totals"] and days["totals"]["articles"] == 6
    assert len(weeks["buckets"]) < len(days["buckets"])
    for w in weeks["buckets"]:
        start = dt.date.fromisoformat(w["start"])
        assert start.weekday() == 0 and w["end"] == (start + dt.timedelta(days=6)).isoformat()
        inside = [d for d in days["buckets"] if w["start"] <= d["start"] <= w["end"]]
        for kind in volume.KINDS:
            assert w[kind] == sum(d[kind] for d in inside)
            assert sum(w["parts"][kind].values()) == w[kind]  # by source: every kind split, nothing lost
    articles = days["keys"]["articles"]
    assert {"Arab Observer", "Gulf Wire"} <= set(articles)
    totals = [sum(b["parts"]["articles"].get(k, 0) for b in days["buckets"]) for k in articles]
    assert totals == sorted(totals, reverse=True)
    by_type = volume.volume(conn, DocumentFilter(), bucket="day")
    assert by_type["by"] == "type" and by_type["keys"]["articles"] == [] and "CONSULT" in by_type["keys"]["events"]
    assert all(sum(b["parts"]["events"].values()) == b["events"] for b in by_type["buckets"])
    # without a bucket asked for: weeks, as the articles span two years
    assert volume.volume(conn, DocumentFilter())["bucket"] == "week"
    assert volume.volume(conn, DocumentFilter(since="2021-12-01"))["bucket"] == "day"


def test_an_entity_is_counted_from_its_rows(conn: sqlite3.Connection) -> None:
    biden = volume.volume(conn, DocumentFilter(entity="Joe Biden"), bucket="day")
    assert biden["totals"]["articles"] == 2  # the seed and its wire copy
    assert [(b["start"], b["parts"]["events"]) for b in biden["buckets"] if b["events"]] == [
        ("2021-12-09", {"CONSULT": 2})  # one happening, told by two outlets
    ]


@pytest.mark.parametrize(("bucket", "by"), [("month", None), ("day", "colour")])
def test_bad_buckets_and_splits_are_refused(conn: sqlite3.Connection, bucket: str, by: str | None) -> None:
    with pytest.raises(QueryError, match=r"^(bucket|by): expected"):
        volume.volume(conn, DocumentFilter(), bucket=bucket, by=by)


def test_api_timeline(client: TestClient) -> None:
    r = client.get("/api/timeline", params={"bucket": "day", "by": "source", "since": "2021-12-01"})
    assert r.status_code == 200
    body = r.json()
    assert [b["start"] for b in body["buckets"]] == ["2021-12-09", "2021-12-10", "2021-12-11"]
    assert body["buckets"][1]["parts"]["articles"] == {"Gulf Wire": 1}
    page = page_data(client.get("/timeline?bucket=day&by=source&since=2021-12-01").text)
    assert page["volume"] == body  # the page draws what the API answers
    for params, name in (({"bucket": "month"}, "bucket"), ({"by": "colour"}, "by"), ({"since": "2021-13-01"}, "since")):
        bad = client.get("/api/timeline", params=params)
        assert bad.status_code == 422 and bad.json()["error"].startswith(name), bad.json()


def test_timeline_page(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    text = client.get("/timeline?bucket=week").text
    data = page_data(text)
    assert data["volume"]["bucket"] == "week" and data["items"]["articles"]  # 6 articles: items drawn too
    assert 'id="volume"' in text and 'id="timeline"' in text
    # the range links: stable addresses keeping the other fields
    links = re.findall(r'<nav class="ranges".*?</nav>', text, re.S)[0]
    assert 'href="/timeline?bucket=week&amp;since=2021-12-05&amp;until=2021-12-11"' in links
    assert 'href="/timeline?bucket=week"' in links and 'data-bucket="day"' in links
    bad = client.get("/timeline?bucket=month")
    assert bad.status_code == 422 and "bucket: expected day or week" in bad.text
    monkeypatch.setattr(pages, "TIMELINE_ITEMS", 2)  # a big range: the volumes only, and a hint
    big = client.get("/timeline")
    assert page_data(big.text)["items"] is None and 'id="items-hint"' in big.text
    assert page_data(client.get("/timeline?since=2021-12-10").text)["items"] is not None


def test_entity_chart_by_day_or_week(client: TestClient) -> None:
    day = page_data(client.get("/entity?name=Qassem+Al+Aaraji").text)
    assert day["bucket"] == "day" and [b["start"] for b in day["buckets"]] == ["2021-12-09", "2021-12-10"]
    week = page_data(client.get("/entity?name=Qassem+Al+Aaraji&bucket=week").text)
    assert week["bucket"] == "week" and [(b["start"], b["documents"]) for b in week["buckets"]] == [("2021-12-06", 2)]
    assert sum(b["mentions"] for b in week["buckets"]) == sum(b["mentions"] for b in day["buckets"]) > 0
    text = client.get("/entity?name=Joe+Biden&type=PERSON&country=US").text
    assert 'href="/entity?name=Joe+Biden&amp;type=PERSON&amp;country=US&amp;bucket=week"' in text
    bad = client.get("/entity?name=Qassem+Al+Aaraji&bucket=year")
    assert bad.status_code == 422 and "bucket: expected day or week" in bad.text


def test_actor_network_over_a_date_range(client: TestClient) -> None:
    every = client.get("/api/actors/network", params={"modality": "any"}).json()
    late = client.get("/api/actors/network", params={"modality": "any", "since": "2021-12-10"}).json()
    early = client.get("/api/actors/network", params={"modality": "any", "until": "2020-01-01"}).json()
    assert every["edges"] and late["edges"] and early["edges"]
    assert len(late["edges"]) < len(every["edges"]) and len(early["edges"]) < len(every["edges"])
    text = client.get("/actors?modality=any&since=2021-12-10&until=2021-12-31").text
    assert 'name="since" value="2021-12-10"' in text and 'name="until" value="2021-12-31"' in text
    assert "Only events from 2021-12-10 until 2021-12-31." in text
    shown = page_data(text)
    assert (
        shown["edges"]
        == client.get(
            "/api/actors/network", params={"modality": "any", "since": "2021-12-10", "until": "2021-12-31"}
        ).json()["edges"]
    )
    bad = client.get("/actors?since=2021-02-30")
    assert bad.status_code == 422 and "since" in bad.text
