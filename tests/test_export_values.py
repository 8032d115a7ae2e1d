"""The quantities' values in every output: a range ("four or five people", "between $30,000 and $60,000")
survives every exporter, and a figure read with a scale ("16.6 million") has no float artefact
(16600000.000000002) in the document, the store or any export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsgraph.cli import main
from newsgraph.document import Document, RawArticle
from newsgraph.pipeline import analyze
from newsgraph.store import queries
from newsgraph.store.db import connect_readonly

from .helpers import store_with

SINDH = (
    "Floods displace thousands in Sindh\n\n"
    "KARACHI, Pakistan — Floods in the southern province of Sindh have affected 16.6 million people, officials"
    " said on Tuesday. Four or five people were killed when a wall collapsed in Hyderabad, police said."
    " Families will receive between $30,000 and $60,000 in compensation, the provincial government said.\n"
)


@pytest.fixture(scope="module")
def sindh() -> Document:
    return analyze(RawArticle(name="sindh.txt", content=SINDH, format="text", published="2022-08-30", source="Dawn"))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, sindh: Document) -> Path:
    return store_with(tmp_path_factory.mktemp("values") / "values.db", [sindh])


def export(db: Path, fmt: str, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--format", fmt, "--db", str(db), "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 0, err


def by_text(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["text"]): r for r in rows}


def test_every_exporter_survives_a_range(
    tmp_path: Path, sindh: Document, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    q = by_text(sindh.quantities)
    assert q["Four or five people"]["value"] == [4, 5] and q["Four or five people"]["verb"] == "killed"
    assert q["between $30,000 and $60,000"]["value"] == [30000, 60000]
    # jsonl: the document's values as analysed
    export(db, "jsonl", tmp_path / "all.jsonl", capsys)
    [line] = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert by_text(json.loads(line)["quantities"])["between $30,000 and $60,000"]["value"] == [30000, 60000]
    # csv and parquet: a range is value .. value_high
    export(db, "csv", tmp_path / "csv", capsys)
    with (tmp_path / "csv" / "quantities.csv").open(encoding="utf-8", newline="") as fh:
        rows = by_text(list(csv.DictReader(fh)))
    assert (rows["Four or five people"]["value"], rows["Four or five people"]["value_high"]) == ("4.0", "5.0")
    export(db, "parquet", tmp_path / "pq", capsys)
    table = by_text(pq.read_table(tmp_path / "pq" / "quantities.parquet").to_pylist())
    money = table["between $30,000 and $60,000"]
    assert (money["value"], money["value_high"]) == (30000.0, 60000.0)
    # gdelt's GKG: a range is its low end, in counts and amounts alike
    export(db, "gdelt", tmp_path / "gdelt", capsys)
    [gkg] = [line.split("\t") for line in (tmp_path / "gdelt" / "gkg.tsv").read_text(encoding="utf-8").splitlines()]
    counts, amounts = gkg[6].split(";"), gkg[24].split(";")  # V2.1COUNTS, V2.1AMOUNTS
    assert [c.split("#")[:3] for c in counts] == [["KILL", "4", "people"]]
    assert [a.rsplit(",", 1)[0] for a in amounts][1:] == ["4,people", "30000,USD"]


def test_a_scaled_figure_has_no_float_artefact_anywhere(
    tmp_path: Path, sindh: Document, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the quantities layer makes the number: 16.6 * 1e6 is 16600000.000000002 in binary floating point
    million = by_text(sindh.quantities)["16.6 million people"]["value"]
    assert million == 16600000 and isinstance(million, int)
    # analyze's JSON, the store, the layer rows /api/layers serves, JSON Lines, CSV, Parquet
    article = tmp_path / "sindh.txt"
    article.write_text(SINDH, encoding="utf-8")
    assert main(["analyze", str(article), "--published", "2022-08-30"]) == 0
    printed = capsys.readouterr().out
    assert by_text(json.loads(printed)["quantities"])["16.6 million people"]["value"] == 16600000
    assert "0000002" not in printed
    conn = connect_readonly(db)
    try:
        stored = [r[0] for r in conn.execute("SELECT value FROM quantities WHERE text = '16.6 million people'")]
        served = by_text(queries.layer_rows(conn, "quantities")["items"])["16.6 million people"]
    finally:
        conn.close()
    assert stored == [16600000.0] and repr(stored[0]) == "16600000.0" and served["value"] == 16600000.0
    export(db, "jsonl", tmp_path / "all.jsonl", capsys)
    line = (tmp_path / "all.jsonl").read_text(encoding="utf-8")
    assert by_text(json.loads(line)["quantities"])["16.6 million people"]["value"] == 16600000
    assert "0000002" not in line
    export(db, "csv", tmp_path / "csv", capsys)
    with (tmp_path / "csv" / "quantities.csv").open(encoding="utf-8", newline="") as fh:
        assert by_text(list(csv.DictReader(fh)))["16.6 million people"]["value"] == "16600000.0"
    export(db, "parquet", tmp_path / "pq", capsys)
    table = by_text(pq.read_table(tmp_path / "pq" / "quantities.parquet").to_pylist())
    assert repr(table["16.6 million people"]["value"]) == "16600000.0"
