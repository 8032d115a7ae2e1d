"""The store: migrations, one transaction per document, offsets kept, full-text search, near-duplicate
stories, entities merged across documents, claims side by side, read-only readers.
Real text: the seed article, a wire copy of it and the article-extraction benchmark's pages (helpers.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document
from newsgraph.pipeline import analyze
from newsgraph.store import queries
from newsgraph.store.db import connect, connect_readonly
from newsgraph.store.dedup import THRESHOLD, StoryIndex, shingles, signature
from newsgraph.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, StoreError, migrate

from .helpers import benchmark_page, seed_text, variant_of_seed, write, write_old

LAYER_TABLES = ("quotes", "quantities", "times", "places", "events")


@pytest.fixture(scope="module")
def variant_doc() -> Document:
    return analyze(variant_of_seed())


@pytest.fixture(scope="module")
def other_doc() -> Document:
    return analyze(benchmark_page(0))


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, seed_doc: Document, variant_doc: Document, other_doc: Document
) -> Path:
    path = tmp_path_factory.mktemp("store") / "news.db"
    conn = connect(path)
    index = StoryIndex.load(conn)
    for doc in (seed_doc, variant_doc, other_doc):
        assert write(conn, doc, index)
    conn.close()
    return path


@pytest.fixture()
def ro(store: Path) -> Any:
    conn = connect_readonly(store)
    yield conn
    conn.close()


# --- schema and migrations ----------------------------------------------------------------------------


def test_a_new_store_is_at_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    conn = connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == MIGRATIONS[-1].version
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert names >= {"documents", "entities", "mentions", *LAYER_TABLES, "documents_fts", "quotes_fts", "entity_totals"}
    conn.close()
    connect(tmp_path / "new.db").close()  # opening again migrates nothing and fails nothing


def test_migrations_apply_in_order_once(tmp_path: Path) -> None:
    conn = connect(tmp_path / "m.db")
    later = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "a later step", ("CREATE TABLE later (x INTEGER)",)))
    assert migrate(conn, "m.db", later) == SCHEMA_VERSION + 1
    assert migrate(conn, "m.db", later) == SCHEMA_VERSION + 1  # a second run finds the work done
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'later'").fetchone()[0] == 1
    conn.close()
    with pytest.raises(StoreError, match="newer than this newsgraph"):
        connect_readonly(tmp_path / "m.db")
    with pytest.raises(StoreError, match="newer than this newsgraph"):
        connect(tmp_path / "m.db")


def test_a_failed_migration_step_leaves_the_previous_version(tmp_path: Path) -> None:
    conn = connect(tmp_path / "f.db")
    broken = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "broken", ("CREATE TABLE t2 (x)", "NOT SQL")))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, "f.db", broken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't2'").fetchone()[0] == 0
    conn.close()


def test_other_files_are_refused_with_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="not a newsgraph database"):
        connect(other)
    with pytest.raises(StoreError, match="not a newsgraph database"):
        connect_readonly(other)
    text = tmp_path / "text.db"
    text.write_text("just some words, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open as a newsgraph database"):
        connect(text)
    with pytest.raises(StoreError, match="no such database"):
        connect_readonly(tmp_path / "missing.db")


# --- writing -------------------------------------------------------------------------------------------


def test_a_document_is_written_once(tmp_path: Path, seed_doc: Document) -> None:
    conn = connect(tmp_path / "once.db")
    index = StoryIndex.load(conn)
    assert write(conn, seed_doc, index)
    assert not write(conn, seed_doc, index)
    assert not write(conn, seed_doc, StoryIndex.load(conn))  # a new run: the id is found in the store
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    data = seed_doc.to_json()
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("entities", *LAYER_TABLES)}
    assert counts == {t: len(data[t]) for t in ("entities", *LAYER_TABLES)}
    n_mentions = sum(len(e["mentions"]) for e in data["entities"])
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == n_mentions
    conn.close()


def test_every_row_points_at_its_text(store: Path, ro: sqlite3.Connection) -> None:
    """Each layer row's text is the slice of its document's text at its offsets (SQL counts from 1)."""
    for table in ("mentions", "quotes", "quantities", "times", "places"):
        total, wrong = ro.execute(
            f"SELECT count(*), sum(substr(d.text, x.char_start + 1, x.char_end - x.char_start) != x.text)"
            f" FROM {table} x JOIN documents d ON d.id = x.doc_id"
        ).fetchone()
        assert wrong in (0, None), table
        assert total > 0 or table == "times", table
    # and each row's paragraph holds its start
    for doc_id, text in ro.execute("SELECT id, json FROM documents"):
        paras = json.loads(text)["paragraphs"]
        for start, para in ro.execute("SELECT char_start, paragraph FROM quantities WHERE doc_id = ?", (doc_id,)):
            assert paras[para]["start"] <= start < paras[para]["end"]


def test_the_stored_json_is_the_document(ro: sqlite3.Connection, seed_doc: Document) -> None:
    assert queries.document(ro, seed_doc.id) == seed_doc.to_json()
    assert queries.document(ro, "0123456789abcdef") is None
    with pytest.raises(queries.QueryError, match="invalid document id"):
        queries.document(ro, "../../etc/passwd")


def test_readers_cannot_write(ro: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("DELETE FROM documents")


def test_metadata_columns(ro: sqlite3.Connection, seed_doc: Document, variant_doc: Document) -> None:
    info = queries.document_info(ro, variant_doc.id)
    assert info is not None
    assert (info["source"], info["published"], info["url"]) == (
        "Gulf Wire",
        "2021-12-10",
        "https://gulfwire.example/iraq-coalition",
    )
    assert info["title"] == variant_doc.meta.title and info["input"] == f"test:{variant_doc.id}"


# --- full-text search ----------------------------------------------------------------------------------


def test_full_text_search_over_documents(ro: sqlite3.Connection, seed_doc: Document, other_doc: Document) -> None:
    page = queries.search_documents(ro, queries.DocumentFilter(q='"combat mission" coalition'))
    assert page["total"] == 2 and {i["id"] for i in page["items"]} >= {seed_doc.id}
    assert all("snippet" in i for i in page["items"])
    title_word = next(w for w in (other_doc.meta.title or "").split() if len(w) > 5)
    assert other_doc.id in {
        i["id"] for i in queries.search_documents(ro, queries.DocumentFilter(q=title_word))["items"]
    }
    # FTS5 syntax in user input is taken as words, never as operators
    for hostile in ('"unclosed', "AND OR NOT", "coalition NEAR(", "*", "title:Iraq", "-", "(("):
        queries.search_documents(ro, queries.DocumentFilter(q=hostile))
    assert queries.search_documents(ro, queries.DocumentFilter(q="!!!"))["total"] == 0
    assert queries.fts_query('"combat mission" coali*  US-led') == '"combat mission" "coali"* "US led"'


def test_document_filters(ro: sqlite3.Connection, seed_doc: Document, variant_doc: Document) -> None:
    def ids(**kw: Any) -> set[str]:
        return {i["id"] for i in queries.search_documents(ro, queries.DocumentFilter(**kw), limit=100)["items"]}

    assert ids(source="gulf wire") == {variant_doc.id}
    assert ids(since="2021-12-10", until="2021-12-10") == {variant_doc.id}
    assert ids(since="2021-01-01", until="2021-12-09") == {seed_doc.id}
    assert ids(entity="qassem al aaraji") == {seed_doc.id, variant_doc.id}
    with pytest.raises(queries.QueryError, match="since: invalid date"):
        queries.DocumentFilter(since="2021-02-30")
    with pytest.raises(queries.QueryError, match="unknown event type"):
        queries.DocumentFilter(event_type="BOMBING")
    with pytest.raises(queries.QueryError, match="limit"):
        queries.search_documents(ro, queries.DocumentFilter(), limit=0)


def test_full_text_search_over_quotes(ro: sqlite3.Connection) -> None:
    page = queries.quotes(ro, q="combat mission", speaker="aaraji")
    assert page["total"] >= 1
    for item in page["items"]:
        assert "combat" in item["text"].lower() and "Aaraji" in item["speaker_name"]
        text = queries.document(ro, item["doc_id"])
        assert text is not None and text["text"][item["start"] : item["end"]] == item["text"]


# --- near-duplicates, stories, entities across documents ---------------------------------------------------


def test_shingles_and_signatures() -> None:
    seed = seed_text()
    variant = variant_of_seed().content
    assert signature(seed).jaccard(signature(variant)) >= THRESHOLD + 0.1
    other = benchmark_page(0).content
    assert signature(seed).jaccard(signature(other)) < 0.1
    assert shingles("Two words") == {b"two words"}


def test_a_wire_copy_joins_the_story(
    ro: sqlite3.Connection, seed_doc: Document, variant_doc: Document, other_doc: Document
) -> None:
    info = queries.document_info(ro, variant_doc.id)
    assert info is not None
    assert info["story_id"] == seed_doc.id and info["duplicate_of"] == seed_doc.id
    assert THRESHOLD <= info["similarity"] < 1.0
    other = queries.document_info(ro, other_doc.id)
    assert other is not None and other["story_id"] == other_doc.id and other["duplicate_of"] is None
    story = queries.story(ro, seed_doc.id)
    assert story is not None
    assert [d["id"] for d in story["documents"]] == [seed_doc.id, variant_doc.id]
    assert story["sources"] == ["Arab Observer", "Gulf Wire"]


def test_the_story_index_is_rebuilt_from_the_store(store: Path, variant_doc: Document, seed_doc: Document) -> None:
    conn = connect(store)
    index = StoryIndex.load(conn)
    conn.close()
    assert len(index) == 3
    match = index.best_match(signature(variant_doc.text))
    assert match is not None and match.story_id == seed_doc.id


def test_entities_merged_across_documents_count_copies_once(
    ro: sqlite3.Connection, seed_doc: Document, variant_doc: Document
) -> None:
    page = queries.entities(ro, q="Aaraji")
    [aaraji] = [e for e in page["items"] if e["name"] == "Qassem Al Aaraji"]
    mentions = [len(e.mentions) for d in (seed_doc, variant_doc) for e in d.entities if e.name == "Qassem Al Aaraji"]
    assert aaraji["type"] == "PERSON"
    assert aaraji["documents"] == 2 and aaraji["stories"] == 1 and aaraji["mentions"] == max(mentions)
    view = ro.execute("SELECT mentions, stories, documents FROM entity_totals WHERE name = 'Qassem Al Aaraji'")
    assert view.fetchone() == (aaraji["mentions"], 1, 2)
    iraq = queries.entities(ro, q="iraq", type="gpe", country="iq")["items"]
    assert [(e["name"], e["country"]) for e in iraq] == [("Iraq", "IQ")]


def test_claims_put_sources_side_by_side(ro: sqlite3.Connection) -> None:
    page = queries.claims(ro, noun="troops", country="US")
    [claim] = page["items"]
    subject = {k: v for k, v in claim["subject"].items() if k not in ("story_ids", "cluster_ids")}
    assert subject == {"noun": "troops", "country": "US", "verb": None, "category": "military personnel"}
    assert len(claim["subject"]["story_ids"]) == 1  # the seed and its wire copy: one story
    assert claim["sources"] == 2 and claim["stories"] == 1 and claim["disagree"] is True
    by_value = {v["value"]: v for v in claim["values"]}
    assert by_value[3000.0]["sources"] == ["Gulf Wire"] and by_value[3000.0]["dates"] == ["2021-12-10"]
    assert "Arab Observer" in by_value[2500.0]["sources"]
    for r in claim["readings"]:
        doc = queries.document(ro, r["doc_id"])
        assert doc is not None and doc["text"][r["start"] : r["end"]] == r["text"]
    assert "Iraq" in claim["readings"][0]["places"]  # "2,500 US troops stationed in Iraq"
    assert queries.claims(ro, noun="troops", country="US", place="Atlantis")["total"] == 0
    # one source alone: "2,500" and "about 2,500" agree
    alone = queries.claims(ro, noun="troops", country="US", until="2021-12-09", min_sources=1)["items"]
    assert len(alone) == 1 and alone[0]["disagree"] is False and alone[0]["sources"] == 1


def test_query_prints_rows_and_cannot_write(ro: sqlite3.Connection, tmp_path: Path) -> None:
    import io

    from newsgraph.errors import QueryError
    from newsgraph.store.sql import run_query

    db = ro.execute("PRAGMA database_list").fetchone()[2]
    out = io.StringIO()
    n = run_query(
        db,
        "SELECT source, count(*) AS n FROM documents WHERE published >= ? GROUP BY 1 ORDER BY 1",
        ["2021-01-01"],
        out=out,
    )
    rows = json.loads(out.getvalue())
    assert n == len(rows) >= 1 and set(rows[0]) == {"source", "n"}
    lines = io.StringIO()
    run_query(db, "SELECT id FROM documents", fmt="nl", out=lines)
    assert all(set(json.loads(line)) == {"id"} for line in lines.getvalue().splitlines())
    table = io.StringIO()
    run_query(db, "SELECT id, title FROM documents", fmt="csv", out=table)
    assert table.getvalue().splitlines()[0] == "id,title"
    before = ro.execute("SELECT count(*) FROM documents").fetchone()[0]
    with pytest.raises(QueryError, match="readonly"):
        run_query(db, "DELETE FROM documents", out=io.StringIO())
    with pytest.raises(QueryError, match="syntax error"):
        run_query(db, "SELEC 1", out=io.StringIO())
    assert ro.execute("SELECT count(*) FROM documents").fetchone()[0] == before


def test_qids_written_before_their_column_move_into_it(tmp_path: Path, seed_doc: Document) -> None:
    """A store of schema 4 kept an entity's QID in ``extra``; step 5 moves it to the ``wikidata`` column."""
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    assert migrate(conn, "old.db", tuple(m for m in MIGRATIONS if m.version < 5)) == 4
    assert write_old(conn, seed_doc, StoryIndex.load(conn))
    assert conn.execute("SELECT count(*) FROM entities WHERE extra LIKE '%wikidata%'").fetchone()[0] > 0
    assert migrate(conn, "old.db") == SCHEMA_VERSION
    linked = dict(conn.execute("SELECT name, wikidata FROM entities WHERE wikidata IS NOT NULL"))
    assert linked["Iraq"] == "Q796" and linked["Iran"] == "Q794"
    assert conn.execute("SELECT count(*) FROM entities WHERE extra LIKE '%wikidata%'").fetchone()[0] == 0
    conn.close()
