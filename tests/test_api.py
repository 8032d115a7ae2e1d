"""The JSON API (FastAPI TestClient over a store built once): every route of SPEC.md, ids validated,
JSON errors, read-only; and ``newsgraph serve`` answering on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.ingest import ingest
from newsgraph.pipeline import analyze
from newsgraph.sources.jsonl import read_jsonl
from newsgraph.store.db import connect
from newsgraph.store.dedup import StoryIndex
from newsgraph.store.schema import MIGRATIONS, StoreError, migrate
from newsgraph.web.app import create_app

from .helpers import ROOT, SEED, benchmark_page, store_with, variant_of_seed, write

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def docs(seed_doc: Document) -> dict[str, Document]:
    return {
        "seed": seed_doc,
        "variant": analyze(variant_of_seed()),
        "page": analyze(benchmark_page(1)),
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, docs: dict[str, Document]) -> Path:
    return store_with(tmp_path_factory.mktemp("api") / "api.db", list(docs.values()))


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def get(client: TestClient, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_healthz(client: TestClient) -> None:
    assert get(client, "/healthz")["ok"] is True


def test_documents_search_and_paging(client: TestClient, docs: dict[str, Document]) -> None:
    everything = get(client, "/api/documents")
    assert everything["total"] == 3 and len(everything["items"]) == 3
    assert set(everything["items"][0]) >= {"id", "title", "published", "source"}
    hits = get(client, "/api/documents?q=combat+mission")
    assert {i["id"] for i in hits["items"]} == {docs["seed"].id, docs["variant"].id}
    assert all(i["story_id"] == docs["seed"].id for i in hits["items"])
    first = get(client, "/api/documents?limit=2")
    rest = get(client, "/api/documents?limit=2&offset=2")
    assert first["total"] == rest["total"] == 3
    assert {i["id"] for i in first["items"] + rest["items"]} == {d.id for d in docs.values()}
    assert get(client, '/api/documents?q="unclosed AND (')["total"] == 0


def test_document_filters(client: TestClient, docs: dict[str, Document]) -> None:
    def ids(query: str) -> set[str]:
        return {i["id"] for i in get(client, f"/api/documents?{query}")["items"]}

    assert ids("source=Gulf+Wire") == {docs["variant"].id}
    assert ids("since=2021-12-10") == {docs["variant"].id}
    assert ids("since=2021-01-01&until=2021-12-09") == {docs["seed"].id}
    assert ids("entity=Qassem+Al+Aaraji") == {docs["seed"].id, docs["variant"].id}
    assert {docs["seed"].id, docs["variant"].id} <= ids("event_type=ACCUSE")
    assert ids("q=coalition&source=Arab+Observer") == {docs["seed"].id}


def test_one_document_is_its_json(client: TestClient, docs: dict[str, Document]) -> None:
    for doc in docs.values():
        assert get(client, f"/api/documents/{doc.id}") == json.loads(json.dumps(doc.to_json()))


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/documents/0123456789abcdef", 404, "no document 0123456789abcdef"),
        ("/api/documents/ABCDEF0123456789", 422, "invalid request: path.doc_id"),
        ("/api/documents/..%2F..%2Fetc%2Fpasswd", 404, "Not Found"),
        ("/api/documents/1;DROP TABLE documents", 422, "invalid request: path.doc_id"),
        ("/api/documents?limit=0", 422, "invalid request: query.limit"),
        ("/api/documents?limit=100000", 422, "invalid request: query.limit"),
        ("/api/documents?offset=-1", 422, "invalid request: query.offset"),
        ("/api/documents?since=yesterday", 422, "invalid request: query.since"),
        ("/api/documents?until=2021-02-30", 422, "until: invalid date '2021-02-30'"),
        ("/api/documents?event_type=PARTY", 422, "event_type: unknown event type 'PARTY'"),  # once named "type"
        ("/api/events?type=PARTY", 422, "type: unknown event type 'PARTY'"),
        ("/api/events?modality=maybe", 422, "modality: 'maybe' is not one of asserted"),
        ("/api/events?country=USA", 422, "country: 'USA' is not an ISO 3166-1 alpha-2 code"),
        ("/api/quotes?doc_id=xyz", 422, "invalid request: query.doc_id"),
        ("/api/events/clusters/999999", 404, "no event cluster 999999"),
        ("/api/events/clusters/0", 422, "invalid request: path.cluster_id"),
        ("/api/events/clusters/abc", 422, "invalid request: path.cluster_id"),
        ("/api/actors/network?type=PARTY", 422, "type: unknown event type 'PARTY'"),
        ("/api/actors/network?modality=maybe", 422, "modality: 'maybe' is not one of asserted"),
        ("/api/actors/network?since=yesterday", 422, "invalid request: query.since"),
        ("/api/actors/network?until=2021-02-30", 422, "until: invalid date '2021-02-30'"),
        ("/api/actors/network?size=0", 422, "invalid request: query.size"),
        ("/api/stories/0123456789abcdef", 404, "no story 0123456789abcdef"),
        ("/api/stories/nope", 422, "invalid request: path.story_id"),
        ("/api/claims?min_sources=0", 422, "invalid request: query.min_sources"),
        ("/api/nothing-here", 404, "Not Found"),
        # an entity type nothing gives was an empty page (200); a parameter given twice, answered for the last
        ("/api/entities?type=PARTY", 422, "type: unknown entity type 'PARTY': expected one of PERSON, ORG, GPE, LOC,"),
        ("/api/documents?source=Politico&source=nyt.com", 422, "source: given 2 times ('Politico', 'nyt.com'); /api"),
        ("/api/documents?language=en&q=troops&language=fr", 422, "language: given 2 times ('en', 'fr')"),
        ("/api/events?type=ASSAULT&type=PROTEST", 422, "type: given 2 times ('ASSAULT', 'PROTEST'); /api/events"),
        ("/api/entities?limit=5&limit=10", 422, "limit: given 2 times ('5', '10'); /api/entities takes one limit"),
    ],
)
def test_errors_are_json_with_one_line(client: TestClient, url: str, status: int, error: str) -> None:
    body = get(client, url, status)
    assert body["error"].startswith(error) and "\n" not in body["error"]


def test_the_entity_type_filter_takes_any_case_and_every_type_the_layer_gives(client: TestClient) -> None:
    from newsgraph.document import ENTITY_TYPES
    from newsgraph.layers.entities import NAME_LABELS

    assert set(ENTITY_TYPES) == NAME_LABELS  # what the filter lists is what the layer gives
    people = get(client, "/api/entities?type=person")
    assert people["total"] and {e["type"] for e in people["items"]} == {"PERSON"}
    for t in ENTITY_TYPES:  # every one is taken, held here or not (an empty page)
        assert {e["type"] for e in get(client, f"/api/entities?type={t.lower()}&limit=500")["items"]} <= {t}
    page = client.get("/entities?type=PARTY")
    assert page.status_code == 200 and "unknown entity type &#39;PARTY&#39;" in page.text


def test_a_parameter_declared_as_a_list_may_be_repeated() -> None:
    from typing import Annotated

    from fastapi import Query

    from newsgraph.web.params import _takes_many

    assert _takes_many(list[str] | None) and _takes_many(Annotated[list[str] | None, Query()])
    assert not _takes_many(str | None) and not _takes_many(Annotated[int, Query(ge=1)])


HUGE = 2**63  # one past SQLite's largest integer
LIST_ROUTES = (
    "/api/documents",
    "/api/documents?q=coalition",
    "/api/quotes",
    "/api/events",
    "/api/entities",
    "/api/claims",
    "/api/layers/times",
)


@pytest.mark.parametrize("route", LIST_ROUTES)
@pytest.mark.parametrize("param", ["offset", "limit"])
@pytest.mark.parametrize("value", [HUGE, 10**30, -HUGE])
def test_huge_numbers_are_422_naming_the_parameter(client: TestClient, route: str, param: str, value: int) -> None:
    joiner = "&" if "?" in route else "?"
    body = get(client, f"{route}{joiner}{param}={value}", 422)
    assert body["error"].startswith(f"invalid request: query.{param}: ")


@pytest.mark.parametrize(
    ("url", "param"),
    [
        (f"/api/events?cluster={HUGE}", "query.cluster"),
        (f"/api/events/clusters/{HUGE}", "path.cluster_id"),
        (f"/api/claims?min_sources={HUGE}", "query.min_sources"),
        (f"/api/actors/network?size={HUGE}", "query.size"),
    ],
)
def test_huge_ids_are_422_naming_the_parameter(client: TestClient, url: str, param: str) -> None:
    assert get(client, url, 422)["error"].startswith(f"invalid request: {param}: ")


def test_the_largest_offset_is_an_empty_page(client: TestClient) -> None:
    for route in LIST_ROUTES:
        joiner = "&" if "?" in route else "?"
        page = get(client, f"{route}{joiner}offset={HUGE - 1}")
        assert page["items"] == [] and page["total"] > 0, route


def test_the_api_only_reads(client: TestClient, db: Path) -> None:
    before = db.stat().st_mtime_ns
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/api/documents")
        assert r.status_code == 405 and r.json() == {"error": "Method Not Allowed"}
    assert db.stat().st_mtime_ns == before


def test_quotes(client: TestClient, docs: dict[str, Document]) -> None:
    page = get(client, "/api/quotes?speaker=aaraji")
    seed_quotes = [q for q in docs["seed"].quotes if q["speaker_name"] == "Qassem Al Aaraji"]
    assert page["total"] >= 2 * len(seed_quotes) > 0
    texts = {d.id: d.text for d in docs.values()}
    for q in page["items"]:
        assert q["speaker_name"] == "Qassem Al Aaraji"
        assert texts[q["doc_id"]][q["start"] : q["end"]] == q["text"]
        assert q["document"]["id"] == q["doc_id"] and q["document"]["title"]
    searched = get(client, "/api/quotes?q=combat+mission&limit=1")
    assert searched["total"] >= 2 and len(searched["items"]) == 1
    assert "combat mission" in searched["items"][0]["text"]


def test_events(client: TestClient, docs: dict[str, Document]) -> None:
    stored = sum(len(d.events) for d in docs.values())
    everything = get(client, "/api/events?limit=500")
    assert everything["total"] == stored == len(everything["items"])
    # the attacks blamed on pro-Iranian factions, told by the seed and by its wire copy a day later: one
    # happening, two mentions, two outlets
    blamed = get(client, "/api/events?type=accuse&actor=factions&since=2021-12-09&until=2021-12-10")["items"]
    assert sorted((e["document"]["id"], e["source_name"], e["day"]) for e in blamed) == sorted(
        [(docs["seed"].id, "United States", "2021-12-09"), (docs["variant"].id, "United States", "2021-12-10")]
    )
    assert len({e["cluster"] for e in blamed}) == 1
    assert [(e["mentions"], e["articles"], e["sources"]) for e in blamed] == [(2, 2, 2)] * 2
    e = blamed[0]
    text = docs["seed"].text if e["document"]["id"] == docs["seed"].id else docs["variant"].text
    assert text[e["start"] : e["end"]] == e["trigger"] == "blamed"
    assert text[e["sentence_start"] : e["sentence_end"]].startswith("Never claimed, these attacks")
    assert (e["source_country"], e["source_sector"], e["modality"]) == ("US", "GOV", "asserted")
    cluster = get(client, f"/api/events?cluster={e['cluster']}")
    assert cluster["total"] == 2
    # what did not happen is marked so, and can be left out
    negated = get(client, "/api/events?modality=negated&country=US")["items"]
    assert {(x["type"], x["trigger"]) for x in negated} == {("RETREAT", "abandon")}
    asserted = get(client, "/api/events?modality=asserted&limit=500")
    assert asserted["total"] < stored and all(x["modality"] == "asserted" for x in asserted["items"])
    assert get(client, "/api/events?type=ACCUSE&since=2021-12-11")["total"] == 0


def test_event_cluster(client: TestClient, docs: dict[str, Document]) -> None:
    """One happening and its mentions: the seed's "blamed" and its wire copy's, side by side."""
    told = get(client, "/api/events?type=ACCUSE&actor=United+States&limit=500")["items"]
    blamed = [e for e in told if e["trigger"] == "blamed"]
    [cluster_id] = {e["cluster"] for e in blamed}
    found = get(client, f"/api/events/clusters/{cluster_id}")
    summary = found["cluster"]
    assert (summary["id"], summary["type"], summary["modality"], summary["day"]) == (
        cluster_id,
        "ACCUSE",
        "asserted",
        "2021-12-09",
    )
    assert summary["source"] == {
        "name": "United States",
        "country": "US",
        "sector": "GOV",
        "entity": {"name": "United States", "type": "GPE", "country": "US"},
    }
    assert (summary["mentions"], summary["articles"], summary["sources"]) == (2, 2, 2)
    assert summary["outlets"] == ["Arab Observer", "Gulf Wire"]
    assert (summary["first_seen"], summary["last_seen"]) == ("2021-12-09", "2021-12-10")
    mentions = found["mentions"]
    assert [(m["doc_id"], m["outlet"], m["day_seen"]) for m in mentions] == [
        (docs["seed"].id, "Arab Observer", "2021-12-09"),
        (docs["variant"].id, "Gulf Wire", "2021-12-10"),
    ]
    texts = {d.id: d.text for d in docs.values()}
    for m in mentions:
        text = texts[m["doc_id"]]
        assert m["sentence"] == text[m["sentence_start"] : m["sentence_end"]]
        assert m["sentence"].startswith("Never claimed, these attacks")
        assert text[m["start"] : m["end"]] == m["trigger"] == "blamed"
        assert m["cluster"] == cluster_id and m["document"]["id"] == m["doc_id"]
        assert m["source_entity"] == {"name": "United States", "type": "GPE", "country": "US"}
    # the list gives each event its sentence too
    assert all(e["sentence"] and e["trigger"] in e["sentence"] for e in blamed)


def test_actor_network(client: TestClient) -> None:
    net = get(client, "/api/actors/network")
    nodes = {n["name"]: n for n in net["nodes"]}
    biden, kadhimi = nodes["Joe Biden"], nodes["Mustafa Al Kadhimi"]
    assert (biden["kind"], biden["entity_type"], biden["country"]) == ("entity", "PERSON", "US")
    assert [n["id"] for n in net["nodes"]] == list(range(len(net["nodes"])))
    [edge] = [e for e in net["edges"] if (e["source"], e["target"]) == (biden["id"], kadhimi["id"])]
    # "when he hosted Iraqi Prime Minister Mustafa Al Kadhimi", told by the seed and its wire copy: one happening
    assert (edge["weight"], edge["type"], edge["quad"], edge["types"]) == (1, "CONSULT", 1, {"CONSULT": 1})
    consult = get(client, "/api/events?type=CONSULT&actor=Joe+Biden")["items"]
    assert edge["clusters"] == sorted({e["cluster"] for e in consult})
    assert not any(e["source"] == biden["id"] and e["target"] == biden["id"] for e in net["edges"])
    # actors no entity names: their words (and country)
    assert any(n["kind"] == "described" for n in net["nodes"])
    # filters: type, modality (asserted by default; any for all), days, the cap
    assault = get(client, "/api/actors/network?type=assault")
    assert assault["edges"] and all(e["types"].keys() == {"ASSAULT"} for e in assault["edges"])
    negated = get(client, "/api/actors/network?modality=negated")
    names = [n["name"] for n in negated["nodes"]]
    assert [(names[e["source"]], names[e["target"]], e["type"]) for e in negated["edges"]] == [
        ("Washington", "Iraq", "RETREAT")
    ]
    every = get(client, "/api/actors/network?modality=any")
    assert every == get(client, "/api/actors/network?modality=") and len(every["edges"]) > len(net["edges"])
    assert get(client, "/api/actors/network?since=2021-12-11")["nodes"] == []
    capped = get(client, "/api/actors/network?size=2")
    assert len(capped["nodes"]) == 2 and capped["actors"] == net["actors"] > 2 and capped["cap"] == 2
    assert all(e["source"] < 2 and e["target"] < 2 for e in capped["edges"])


def test_entities_across_documents(client: TestClient) -> None:
    page = get(client, "/api/entities?q=Aaraji&type=PERSON")
    [aaraji] = page["items"]
    assert (aaraji["name"], aaraji["stories"], aaraji["documents"]) == ("Qassem Al Aaraji", 1, 2)
    top = get(client, "/api/entities?limit=5")["items"]
    assert [e["stories"] for e in top] == sorted((e["stories"] for e in top), reverse=True)
    assert get(client, "/api/entities?country=IQ&type=GPE")["items"][0]["name"] == "Iraq"


def test_entities_carry_their_qid_and_the_kbs_other_names(client: TestClient) -> None:
    [biden] = get(client, "/api/entities?q=Joe%20Biden&type=PERSON")["items"]
    assert biden["wikidata"] == "Q6279" and "Joseph R. Biden" in biden["aliases"]
    [iraq] = get(client, "/api/entities?q=Iraq&type=GPE&country=IQ")["items"]
    assert iraq["wikidata"] == "Q796"
    [aaraji] = get(client, "/api/entities?q=Aaraji&type=PERSON")["items"]
    assert aaraji["wikidata"] is None and aaraji["aliases"] == []
    page = client.get("/entity?name=Joe%20Biden&type=PERSON&country=US").text
    assert "https://www.wikidata.org/wiki/Q6279" in page and "Joseph R. Biden" in page


def test_claims_and_stories(client: TestClient, docs: dict[str, Document]) -> None:
    claims = get(client, "/api/claims?noun=troops&country=US")["items"]
    assert len(claims) == 1 and claims[0]["disagree"] is True
    assert {s for v in claims[0]["values"] for s in v["sources"]} == {"Arab Observer", "Gulf Wire"}
    story = get(client, f"/api/stories/{docs['seed'].id}")
    assert [d["id"] for d in story["documents"]] == [docs["seed"].id, docs["variant"].id]
    assert get(client, f"/api/stories/{docs['variant'].id}")["id"] == docs["seed"].id  # any member finds it
    assert get(client, f"/api/stories/{docs['page'].id}")["documents"][0]["duplicate_of"] is None


def test_openapi_documents_the_routes(client: TestClient) -> None:
    paths = get(client, "/openapi.json")["paths"]
    assert set(paths) >= {
        "/healthz",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/quotes",
        "/api/events",
        "/api/events/clusters/{cluster_id}",
        "/api/actors/network",
        "/api/entities",
        "/api/claims",
        "/api/stories/{story_id}",
    }
    docs = client.get("/docs")
    assert docs.status_code == 200 and "script-src 'self'" in docs.headers["content-security-policy"]
    assert '<script src="/static/vendor/swagger-ui-bundle.js">' in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/redoc").status_code == 404  # ReDoc needs inline styles the CSP forbids: not served


def test_a_documents_json_names_its_outlet_as_the_store_does(tmp_path: Path) -> None:
    # the store's documents.source ("Reuters") once never reached the JSON: meta.source was null for plain
    # text with a URL, so /api/documents/{id}, the JSONL export and to_frames said null
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    lines = tmp_path / "wire.jsonl"
    records = [
        {"text": seed, "url": "https://www.reuters.com/world/middle-east/iraq-2021-12-09/"},
        {"text": "Protesters marched in Newark on Friday, police said.", "url": "https://www.nj.com/news/a.html"},
        {"text": "Troops left Erbil on Monday, officials said.", "source": "Arab Observer"},
    ]
    lines.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "o.db"
    assert ingest([str(lines)], db, geo=False).added == 3
    conn = sqlite3.connect(db)
    stored = conn.execute(
        "SELECT id, source, json_extract(json, '$.meta.source') FROM documents ORDER BY input"
    ).fetchall()
    conn.close()
    assert [(s, j) for _, s, j in stored] == [("Reuters", "Reuters"), ("NJ.com", "NJ.com"), ("Arab Observer",) * 2]
    with TestClient(create_app(db)) as c:
        assert [get(c, f"/api/documents/{i}")["meta"]["source"] for i, _, _ in stored] == [
            "Reuters",
            "NJ.com",
            "Arab Observer",
        ]
    # a store written before (version 9), its JSON saying null: the migration fills it from the row
    old = tmp_path / "v9.db"
    conn = sqlite3.connect(old, isolation_level=None)
    assert migrate(conn, str(old), tuple(m for m in MIGRATIONS if m.version <= 9)) == 9
    index = StoryIndex.load(conn)
    for raw in read_jsonl(lines):
        assert isinstance(raw, RawArticle) and write(conn, analyze(raw, geo=False), index)
    conn.execute("UPDATE documents SET json = json_set(json, '$.meta.source', NULL)")
    conn.close()
    migrated = connect(old)
    after = migrated.execute("SELECT id, source, json_extract(json, '$.meta.source') FROM documents")
    assert set(after.fetchall()) == set(stored)
    migrated.close()


def test_an_app_needs_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        create_app(tmp_path / "missing.db")


def test_serve_binds_localhost_by_default(db: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = None
        deadline = time.monotonic() + 60
        while body is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.loads(r.read())
            except OSError:
                time.sleep(0.2)
        assert body is not None and body["ok"] is True
        conns = subprocess.run(["ss", "-ltn"], capture_output=True, text=True, check=False).stdout
        if conns:  # where ss exists: the listening address is the loopback one
            assert f"127.0.0.1:{port}" in conns and f"0.0.0.0:{port}" not in conns
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()


def test_every_api_route_refuses_a_parameter_it_does_not_take(client: TestClient, docs: dict[str, Document]) -> None:
    """``/api/quotes?since=`` was answered as if unasked: now every API route names what it does not take."""
    from fastapi.routing import APIRoute

    from newsgraph.web.api import router

    seed = docs["seed"].id
    fill = {"doc_id": seed, "story_id": seed, "name": "entities"}
    routes = [r for r in router.routes if isinstance(r, APIRoute) and r.path.startswith("/api/")]
    assert len(routes) >= 10
    for route in routes:
        path = route.path
        for key, value in fill.items():
            path = path.replace("{" + key + "}", value)
        if "{" in path:
            continue  # an id this store has no ready value for (a cluster)
        answer = get(client, f"{path}?bogus=1", 422)
        assert answer["error"].startswith(f"bogus: not a parameter of {route.path}"), answer
    quotes = get(client, "/api/quotes?since=2021-01-01", 422)["error"]
    assert quotes == "since: not a parameter of /api/quotes (it takes: doc_id, format, limit, offset, q, speaker)"
    assert client.get("/?utm_source=newsletter").status_code == 200  # the pages stay lenient
