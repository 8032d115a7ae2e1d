"""``newsgraph.to_frames``: one DataFrame per table with the store export's columns and rows; a clear error
without pandas; the notebook-style example in docs/frames.md runs and prints what it shows."""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest

import newsgraph
from newsgraph.document import Document
from newsgraph.errors import ExtraError
from newsgraph.export.tables import columns
from newsgraph.store.db import connect_readonly

from .helpers import ROOT, SHARED, store_with

TABLES = ["documents", "entities", "mentions", "times", "quantities", "places", "quotes", "events"]


def test_the_frames_are_the_stores_export_tables(tmp_path: Path, seed_doc: Document) -> None:
    frames = newsgraph.to_frames([seed_doc])
    assert list(frames) == TABLES
    conn = connect_readonly(store_with(tmp_path / "s.db", [seed_doc]))
    for table, frame in frames.items():
        names = [name for name, _ in columns(conn, table)]
        assert list(frame.columns) == names, table
        stored = conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY n").fetchall()
        assert len(frame) == len(stored), table
        if table == "documents":
            names = [n for n in names if n not in ("input", "ingested_at")]  # a store's own
            stored = conn.execute(f"SELECT {', '.join(names)} FROM documents").fetchall()
        for got, want in zip(frame[names].itertuples(index=False), stored, strict=True):
            assert [stored_form(v) for v in got] == list(want), table
    assert frames["entities"]["mentions"].dtype == "Int64"
    conn.close()


def stored_form(value: object) -> object:
    """A frame's cell as the store holds it: a day as YYYY-MM-DD, a missing value None."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return None if pd.isna(value) else value


def test_one_document_alone_and_the_days_as_datetimes(seed_doc: Document) -> None:
    alone, listed = newsgraph.to_frames(seed_doc), newsgraph.to_frames([seed_doc])
    assert list(alone) == list(listed) and all(alone[t].equals(listed[t]) for t in alone)
    assert newsgraph.to_frames(seed_doc.to_json())["documents"].equals(listed["documents"])
    published = alone["documents"]["published"]
    assert pd.api.types.is_datetime64_dtype(published) and published.iloc[0] == pd.Timestamp("2021-12-09")
    days = alone["events"]["day"]
    assert pd.api.types.is_datetime64_dtype(days) and set(days.dt.year) == {2021}
    assert str(alone["documents"]["ingested_at"].dtype).endswith("UTC]")  # empty without a store, but typed
    # what is not an analysed document says so
    with pytest.raises(TypeError, match=r"not the str 'article.html': analyse it first with newsgraph.analyze"):
        newsgraph.to_frames("article.html")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"document 1 is a int, not a Document"):
        newsgraph.to_frames([seed_doc, 3])  # type: ignore[list-item]
    bad = seed_doc.to_json()
    bad["meta"] = dict(bad["meta"], published="last Tuesday")
    with pytest.raises(ValueError, match=r"documents.published: 'last Tuesday' is not a day \(YYYY-MM-DD\)"):
        newsgraph.to_frames(bad)


def test_json_documents_in_input_order(seed_doc: Document) -> None:
    other = seed_doc.to_json() | {"id": "0" * 16}
    frames = newsgraph.to_frames([other, seed_doc])
    assert list(frames["documents"]["id"]) == ["0" * 16, seed_doc.id]
    assert frames["quotes"]["doc_id"].iloc[0] == "0" * 16
    assert len(frames["quotes"]) == 2 * len(seed_doc.quotes)
    empty = newsgraph.to_frames([])
    assert all(len(f) == 0 for f in empty.values()) and list(empty["quotes"].columns) == list(frames["quotes"].columns)


def test_without_pandas_a_clear_error(monkeypatch: pytest.MonkeyPatch, seed_doc: Document) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ExtraError, match=r"needs pandas.*pip install 'newsgraph\[frames\]'"):
        newsgraph.to_frames([seed_doc])


def test_the_example_in_the_docs_prints_what_it_shows() -> None:
    text = (ROOT / "docs" / "frames.md").read_text(encoding="utf-8")
    pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", text, re.DOTALL)
    assert len(pairs) >= 4
    namespace: dict[str, object] = {}
    for code, shown in pairs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code.replace("../shared", str(SHARED)), "docs/frames.md", "exec"), namespace)
        assert out.getvalue().rstrip() == shown.rstrip(), code


def test_a_stores_tables_read_as_frames_alike(tmp_path: Path, seed_doc: Document) -> None:
    """What the docs say of a store: pandas.read_sql gives the same quotes as to_frames."""
    path = store_with(tmp_path / "r.db", [seed_doc])
    with contextlib.closing(sqlite3.connect(path)) as conn:
        stored = pd.read_sql("SELECT speaker_name, text FROM quotes ORDER BY n", conn)
    frame = newsgraph.to_frames([seed_doc])["quotes"][["speaker_name", "text"]]
    assert stored.fillna("").values.tolist() == frame.fillna("").values.tolist()
