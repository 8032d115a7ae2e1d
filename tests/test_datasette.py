"""The store as a Datasette product: the metadata `newsgraph datasette-metadata` writes names only tables and
columns the store has, hides the heavy columns, and its canned queries run; mentions and quote speakers carry
single-column keys of their entity's row (what Datasette links), for new and migrated stores alike."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsgraph.cli import main
from newsgraph.document import Document
from newsgraph.export import export
from newsgraph.store.datasette import QUERIES, TABLES, metadata, query_params
from newsgraph.store.db import connect, connect_readonly
from newsgraph.store.dedup import StoryIndex
from newsgraph.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate

from .helpers import store_with, write_old


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory, seed_doc: Document, seed_html_doc: Document) -> Path:
    return store_with(tmp_path_factory.mktemp("datasette") / "news.db", [seed_doc, seed_html_doc])


@pytest.fixture(scope="module")
def meta(news: Path) -> dict[str, Any]:
    conn = connect_readonly(news)
    try:
        return metadata(conn, "news")
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def test_the_metadata_names_only_what_the_store_has(news: Path, meta: dict[str, Any]) -> None:
    conn = connect_readonly(news)
    tables = meta["databases"]["news"]["tables"]
    assert set(tables) == set(TABLES)  # the store has every table the metadata knows
    have = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')").fetchall())
    for name, entry in tables.items():
        assert name in have, name
        columns = _columns(conn, name)
        assert entry["title"] and entry["description"]
        for key in ("columns",):
            assert set(entry.get(key, {})) <= set(columns), (name, key)
        assert set(entry.get("facets", [])) <= set(columns), name
        assert set(entry.get("sortable_columns", [])) <= set(columns), name
        if have[name] == "view" and "sort_desc" in entry:
            assert entry["sort_desc"] in entry["sortable_columns"]  # else Datasette refuses to sort the view
        for key in ("sort_desc", "label_column", "fts_pk"):
            assert key not in entry or entry[key] in columns, (name, key)
        if "fts_table" in entry:
            assert entry["fts_table"] in have
    assert tables["mentions"]["columns"]["entity_n"] and tables["documents"]["columns"]["published"] == "YYYY-MM-DD"
    conn.close()


def test_the_heavy_columns_are_out_of_sight(news: Path, meta: dict[str, Any]) -> None:
    tables = meta["databases"]["news"]["tables"]
    assert tables["documents"]["hidden"] and not tables["articles"].get("hidden")
    conn = connect_readonly(news)
    articles = _columns(conn, "articles")
    assert "text" not in articles and "json" not in articles
    assert set(articles) == set(_columns(conn, "documents")) - {"text", "json"}
    # the view searches through the documents' full-text index, by the documents' key
    n = conn.execute(
        "SELECT count(*) FROM articles"
        " WHERE n IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'coalition')"
    ).fetchone()[0]
    assert n == 2
    assert {"signatures", "entity_stories", "paragraph_entities"} <= {t for t, e in tables.items() if e.get("hidden")}
    conn.close()


def test_every_canned_query_runs(news: Path, meta: dict[str, Any]) -> None:
    queries = meta["databases"]["news"]["queries"]
    assert set(queries) == set(QUERIES) and queries["quotes_by_speaker"]["params"] == ["speaker"]
    conn = connect_readonly(news)
    speakers = conn.execute(queries["speakers"]["sql"]).fetchall()
    top = speakers[0][0]
    values = {"speaker": top.upper(), "type": "", "modality": ""}  # a speaker's name in any case
    results = {}
    for name, q in queries.items():
        assert q["params"] == query_params(q["sql"])
        results[name] = conn.execute(q["sql"], {p: values[p] for p in q["params"]}).fetchall()
        assert results[name], name
    assert len(results["quotes_by_speaker"]) == speakers[0][1]
    day = results["articles_by_day"][0]
    assert day[0] == "2021-12-09" and day[1:3] == (2, 1)  # two copies, one story
    by_type = results["events_by_type_and_country"]
    assert sum(r[2] for r in by_type) == conn.execute("SELECT count(*) FROM events").fetchone()[0]
    one = conn.execute(queries["events_by_day"]["sql"], {"type": by_type[0][0]}).fetchall()
    assert {r[1] for r in one} == {by_type[0][0]}
    conn.close()


def _check_keys(conn: sqlite3.Connection) -> None:
    """Every mention's entity_n is its entity's row; every attributed quote's speaker_n its speaker's."""
    keys = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(mentions)")}
    assert ("entities", "entity_n", "n") in keys
    keys = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(quotes)")}
    assert ("entities", "speaker_n", "n") in keys
    mentions = conn.execute(
        "SELECT count(*), count(e.n) FROM mentions m LEFT JOIN entities e"
        " ON e.n = m.entity_n AND e.doc_id = m.doc_id AND e.entity_id = m.entity_id"
    ).fetchone()
    assert mentions[0] > 20 and mentions[0] == mentions[1]
    quotes = conn.execute(
        "SELECT count(*), count(e.n) FROM quotes q LEFT JOIN entities e"
        " ON e.n = q.speaker_n AND e.doc_id = q.doc_id AND e.entity_id = q.speaker WHERE q.speaker IS NOT NULL"
    ).fetchone()
    assert quotes[0] > 5 and quotes[0] == quotes[1]
    assert (
        conn.execute("SELECT count(*) FROM quotes WHERE speaker IS NULL AND speaker_n IS NOT NULL").fetchone()[0] == 0
    )


def test_mentions_and_speakers_are_keyed_to_their_entity_row(news: Path) -> None:
    conn = connect_readonly(news)
    _check_keys(conn)
    conn.close()


def test_a_migrated_store_gets_the_keys(tmp_path: Path, seed_doc: Document) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    assert migrate(conn, "old.db", tuple(m for m in MIGRATIONS if m.version <= 5)) == 5
    assert write_old(conn, seed_doc, StoryIndex.load(conn))
    assert migrate(conn, "old.db") == SCHEMA_VERSION
    _check_keys(conn)
    conn.close()


def test_a_document_can_still_be_deleted(tmp_path: Path, seed_doc: Document) -> None:
    path = store_with(tmp_path / "d.db", [seed_doc])
    conn = connect(path)
    conn.execute("DELETE FROM documents")
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM quotes").fetchone()[0] == 0
    conn.close()


def test_the_keys_stay_out_of_the_exports(news: Path, tmp_path: Path) -> None:
    export(news, "csv", str(tmp_path / "csv"))
    header = (tmp_path / "csv" / "mentions.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "entity_id" in header and "entity_n" not in header
    assert "speaker_n" not in (tmp_path / "csv" / "quotes.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def test_the_command_prints_the_metadata(news: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasette-metadata", "--db", str(news)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["databases"]) == ["news"]
    assert main(["datasette-metadata", "--db", str(news), "--name", "corpus"]) == 0
    assert list(json.loads(capsys.readouterr().out)["databases"]) == ["corpus"]
    assert main(["datasette-metadata", "--db", str(news.with_name("missing.db"))]) == 1
    assert "no such database" in capsys.readouterr().err
