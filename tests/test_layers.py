"""The layer registry: a new layer is one module (here, a toy registered by this test) and shows up in
the JSON, the store, every export, the article page and the API with no other file touched; the order
of the layers is checked; a layer writes only its own field or what it declares it corrects; the
registry's table declarations are the store's tables."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import typing
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from spacy.tokens import Doc

from newsgraph import layers
from newsgraph.clean import clean_article
from newsgraph.document import RECORD_TYPES, Document, EntityRecord, RawArticle
from newsgraph.export import export
from newsgraph.layers import SPAN, Column, Layer, LayerError, Table, UiEntry, check_order
from newsgraph.pipeline import add_layers, analyze, parse_cleaned
from newsgraph.sources.raw import read_input
from newsgraph.store.db import connect, connect_readonly
from newsgraph.store.schema import STORE_COLUMNS
from newsgraph.summary import summarize
from newsgraph.web.app import create_app

from .helpers import ROOT, SEED, store_with

with warnings.catch_warnings():  # starlette asks for httpx2 in its test client; httpx is what we pin
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

HEDGES = re.compile(r"\b(?:reportedly|allegedly|apparently)\b")


def find_hedges(doc: Document, parsed: Doc) -> list[dict[str, Any]]:
    """The toy layer: hedging adverbs, each with the entity named nearest before it in its sentence."""
    out = []
    for m in HEDGES.finditer(doc.text):
        before = [e for e in doc.entities for x in e.mentions if x.end <= m.start() and m.start() - x.end < 80]
        out.append(
            {
                "text": m.group(0),
                "start": m.start(),
                "end": m.end(),
                "word": m.group(0).lower(),
                "near": before[-1].id if before else None,
                "score": 0.5,  # a key no column holds: it goes to ``extra``
            }
        )
    return out


HEDGE = Layer(
    name="hedges",
    run=find_hedges,
    reads=("text", "entities"),
    tables=(
        Table(
            "hedges",
            (*SPAN, Column("word", "TEXT"), Column("near", "TEXT")),
            indexes=("doc_id",),
        ),
    ),
    ui=UiEntry("h", "hedge", "Hedge", "Hedges", title=lambda r: f"Hedge: {r['word']}"),
)
TEXT = (
    "Militia fires rockets near base\n\n"
    "Kataib Hezbollah reportedly fired three rockets at the Ain al-Asad air base on Monday, and a spokesman "
    "for the coalition said the attack had apparently caused no casualties."
)


@pytest.fixture
def hedges() -> Iterator[Layer]:
    layers.register(HEDGE)
    try:
        yield HEDGE
    finally:
        layers.REGISTRY.unregister(HEDGE.name)


def test_a_registered_layer_is_analysed_stored_exported_and_shown(hedges: Layer, tmp_path: Path) -> None:
    doc = analyze(RawArticle(name="toy.txt", content=TEXT, format="text", published="2021-12-09"))
    data = doc.to_json()
    assert [h["word"] for h in data["hedges"]] == ["reportedly", "apparently"]
    assert all(data["text"][h["start"] : h["end"]] == h["text"] for h in data["hedges"])
    assert list(data)[-1] == "hedges"  # after SPEC's layers, which keep their order
    assert "2 hedges" in summarize(doc)

    db = store_with(tmp_path / "toy.db", [doc])
    conn = connect_readonly(db)
    rows = conn.execute("SELECT word, char_start, paragraph, extra FROM hedges ORDER BY idx").fetchall()
    conn.close()
    assert [r[0] for r in rows] == ["reportedly", "apparently"]
    assert rows[0][2] == 1 and json.loads(rows[0][3]) == {"score": 0.5}  # in the body paragraph; the rest as JSON

    export(db, "csv", str(tmp_path / "csv"))
    with (tmp_path / "csv" / "hedges.csv").open(encoding="utf-8") as fh:
        assert [r["word"] for r in csv.DictReader(fh)] == ["reportedly", "apparently"]
    export(db, "parquet", str(tmp_path / "parquet"))
    assert pq.read_table(tmp_path / "parquet" / "hedges.parquet").column("word").to_pylist() == [
        "reportedly",
        "apparently",
    ]
    export(db, "jsonl", str(tmp_path / "out.jsonl"))
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["hedges"] == data["hedges"]

    with TestClient(create_app(db)) as client:
        page = client.get(f"/documents/{doc.id}").text
        assert re.search(r'class="[^"]*\bhedge\b[^"]*"[^>]*>reportedly<', page)  # the word highlighted
        assert "Hedges" in page and "Hedge: reportedly" in page
        api = client.get("/api/layers/hedges", params={"doc_id": doc.id}).json()
        assert api["total"] == 2 and api["items"][0]["word"] == "reportedly"
        assert "hedges" in [x["name"] for x in client.get("/api/layers").json()]


def test_a_layer_reading_what_no_earlier_layer_writes_is_refused() -> None:
    late = Layer(name="late", run=None, reads=("text", "verdicts"))
    with pytest.raises(LayerError, match=r"layer 'late' reads 'verdicts', which no earlier layer writes"):
        layers.register(late)
    assert "late" not in layers.REGISTRY.names()
    judge = Layer(name="verdicts", run=None)
    with pytest.raises(LayerError, match=r"'late' reads 'verdicts', which layer 'verdicts' writes only after it"):
        check_order([*layers.registered(), late, judge])
    with pytest.raises(LayerError, match=r"'again' writes 'quotes', which 'quotes' already writes"):
        layers.register(Layer(name="again", run=None, writes="quotes"))
    with pytest.raises(LayerError, match=r"needs 'wikidata', which is not a known resource"):
        layers.register(Layer(name="linker", run=None, needs=("wikidata",)))


def test_a_layer_may_be_placed_after_another() -> None:
    early = Layer(name="early", run=None, reads=("text", "entities"))
    layers.register(early, after="entities")
    try:
        assert layers.REGISTRY.names()[:2] == ["entities", "early"]
    finally:
        layers.REGISTRY.unregister("early")


def test_no_layer_changes_what_it_does_not_own(seed_doc: Document) -> None:
    raw = read_input(str(SEED / "article.txt"))
    raw.published, raw.source = "2021-12-09", "Arab Observer"
    doc, parsed = next(parse_cleaned([clean_article(raw)]))
    add_layers(doc, parsed, audit=True)  # raises LayerError if a layer wrote past its declaration
    assert doc.to_json() == seed_doc.to_json()

    def meddler(doc: Document, parsed: Doc) -> list[Any]:
        doc.entities[0].name = "Someone Else"
        return []

    layers.register(Layer(name="meddler", run=meddler, reads=("entities",)))
    try:
        with pytest.raises(LayerError, match=r"layer 'meddler' changed entities, which it does not declare"):
            add_layers(doc, parsed, audit=True)
    finally:
        layers.REGISTRY.unregister("meddler")


def test_only_places_declares_a_correction_and_it_needs_the_gazetteer() -> None:
    declared = {x.name: (x.corrects, x.needs) for x in layers.registered() if x.corrects or x.needs}
    assert declared == {"places": (("entities",), ("gazetteer",))}


def test_the_registry_declares_the_stores_tables(tmp_path: Path) -> None:
    conn = connect(tmp_path / "fresh.db")
    for _, table in layers.REGISTRY.tables():
        info = conn.execute(f"PRAGMA table_info({table.name})").fetchall()
        info = [r for r in info if r[1] not in STORE_COLUMNS.get(table.name, ())]  # the store's own keys
        assert [r[1] for r in info if r[1] != "n"] == table.column_names(), table.name
        declared = {"doc_id": "TEXT NOT NULL", "idx": "INTEGER NOT NULL", "extra": "TEXT"}
        declared |= {c.name: c.sql for c in table.columns}
        for _, name, kind, notnull, _, _ in info:
            if name != "n":
                assert declared[name].split()[0] == kind and (" NOT NULL" in declared[name]) == bool(notnull), name
    conn.close()


def test_every_layer_has_a_table_a_ui_entry_and_an_api_route(tmp_path: Path, seed_doc: Document) -> None:
    db = store_with(tmp_path / "seed.db", [seed_doc])
    with TestClient(create_app(db)) as client:
        for layer in layers.registered():
            assert layer.tables and layer.ui is not None, layer.name
            answer = client.get(f"/api/layers/{layer.name}", params={"doc_id": seed_doc.id})
            assert answer.status_code == 200, layer.name
            assert answer.json()["total"] == len(list(layer.tables[0].records_of(seed_doc.to_json()[layer.writes])))
        assert client.get("/api/layers/nonsense").status_code == 422


def test_importing_the_registry_loads_no_model() -> None:
    code = (
        "import sys, newsgraph, newsgraph.layers, newsgraph.web.app, newsgraph.export, newsgraph.store.db;"
        "assert 'spacy' not in sys.modules, 'spacy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_tables_store_the_typed_records_keys(seed_doc: Document) -> None:
    """The store's columns read only keys the record types name, and every key the record types require
    has a column (or, for entities, a table of its own: mentions)."""
    for name, record_type in RECORD_TYPES.items():
        layer = layers.REGISTRY.get(name)
        keys = set(typing.get_type_hints(record_type))
        required = set(record_type.__required_keys__)  # type: ignore[attr-defined]
        main = layer.tables[0]
        stored = {k for c in main.columns for k in c.reads()}
        assert stored <= keys, (name, stored - keys)
        assert required - stored <= {"mentions"}, (name, required - stored)
    for e in seed_doc.to_json()["entities"]:
        assert set(e) <= set(typing.get_type_hints(EntityRecord))
