"""``newsgraph batch`` and the worker pool: shards, the Parquet datasets (the export's columns, the same rows
as the store's), resuming, bad inputs, identical rows whatever the engine and worker count, and workers
that die or hang on one article (``ingest --workers``)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsgraph.batch import BatchError, Options, run_batch
from newsgraph.batch.dataset import table_columns
from newsgraph.batch.shards import Shard, plan
from newsgraph.export import export
from newsgraph.ingest import ingest
from newsgraph.layers import REGISTRY
from newsgraph.sources.jsonl import read_jsonl

from .helpers import ROOT, SEED, benchmark_pages

TABLES = ("documents", "entities", "mentions", "quotes", "quantities", "times", "places", "events")


def corpus_jsonl(path: Path, pages: int = 3, bad_line: bool = True) -> Path:
    """The seed (dated), ``pages`` benchmark pages as HTML, and a line that is no article."""
    lines = [{"text": (SEED / "article.txt").read_text(encoding="utf-8"), "published": "2021-12-09"}]
    for page in benchmark_pages(pages):
        lines.append({"html": gzip.decompress(page.read_bytes()).decode("utf-8", "replace")})
    body = [json.dumps(line) for line in lines]
    if bad_line:
        body.insert(2, '{"text": 42}')
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def rows_of(folder: Path, table: str) -> list[tuple[str, ...]]:
    """A dataset's rows (partition column left out), sorted, as text: comparable across runs."""
    files = sorted((folder / table).glob("**/*.parquet"))
    if not files:
        return []
    schema = pq.read_schema(folder / table / "_common_metadata")
    data = ds.dataset(files, schema=schema, format="parquet").to_table()
    return sorted(tuple(str(v) for v in row.values()) for row in data.to_pylist())


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_jsonl(tmp_path_factory.mktemp("in") / "corpus.jsonl")


@pytest.fixture(scope="module")
def one_worker(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("batch") / "out"
    report = run_batch([str(inputs)], out, workers=1, shard_size=2, progress=False)
    return out, report


# --- shards ---------------------------------------------------------------------------------------------


def test_a_jsonl_file_is_cut_into_runs_of_lines_read_back_as_the_whole_file_reads(tmp_path: Path) -> None:
    path = corpus_jsonl(tmp_path / "c.jsonl", pages=4)
    shards = plan([str(path)], size=2)
    assert [s.articles for s in shards] == [2, 2, 2]  # 6 lines (one bad), two per shard
    assert [s.first_line for s in shards] == [1, 3, 5]
    pieces = [item for s in shards for item in s.items()]
    whole = list(read_jsonl(path))
    assert [str(x) if isinstance(x, Exception) else (x.name, x.content) for x in pieces] == [
        str(x) if isinstance(x, Exception) else (x.name, x.content) for x in whole
    ]
    assert [s.key for s in plan([str(path)], size=2)] == [s.key for s in shards]  # stable keys
    assert len({s.key for s in shards}) == 3


def test_folders_are_cut_into_runs_of_files_and_containers_are_their_own_shards(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.html", "sub/d.txt"):
        (folder / name).write_text("Troops left Erbil on Monday.\n", encoding="utf-8")
    corpus_jsonl(folder / "e.jsonl", pages=1, bad_line=False)
    (folder / "g.warc.gz").write_bytes(b"")
    shards = plan([str(folder), str(tmp_path / "missing.txt"), "https://example.org/a"], size=3)
    # walked in order (a.txt b.txt e.jsonl g.warc.gz sub/c.html sub/d.txt); a container ends a run of files
    assert [(s.kind, [Path(x).name for x in s.sources], s.articles) for s in shards] == [
        ("files", ["a.txt", "b.txt"], 2),
        ("jsonl", ["e.jsonl"], 2),
        ("warc", ["g.warc.gz"], None),
        ("files", ["c.html", "d.txt", "missing.txt"], 3),
        ("urls", ["a"], None),
    ]
    assert all(Path(x).is_absolute() for s in shards if s.kind != "urls" for x in s.sources)
    assert shards[-1].sources == ("https://example.org/a",)
    round_trip = [Shard.from_json(json.loads(json.dumps(s.to_json()))) for s in shards]
    assert round_trip == shards


def test_standard_input_is_refused_with_a_reason() -> None:
    with pytest.raises(BatchError, match="not standard input"):
        plan(["-"])


# --- the datasets -------------------------------------------------------------------------------------------


def test_batch_writes_every_table_partitioned_by_month_with_the_exports_columns(one_worker: tuple[Path, Any]) -> None:
    out, report = one_worker
    assert report.documents == 4 and report.shards == 3 and report.skipped == 0
    assert report.failed == [(f"{Path(report.failed[0][0]).parent}/corpus.jsonl:3", report.failed[0][1])]
    assert "must be a string" in report.failed[0][1] or "non-empty" in report.failed[0][1]
    assert set(TABLES) <= {p.name for p in out.iterdir()}
    months = {p.name for p in (out / "documents").iterdir() if p.is_dir()}
    assert "month=2021-12" in months  # the seed
    for table in (*TABLES, "errors"):
        schema = pq.read_schema(out / table / "_common_metadata")
        assert schema.names == [name for name, _ in table_columns()[table]]
    seed = [r for r in rows_of(out, "documents") if "2021-12-09" in r]
    assert len(seed) == 1
    errors = rows_of(out, "errors")
    assert len(errors) == 1 and errors[0][0].endswith("corpus.jsonl:3")
    assert len(list((out / "_shards").glob("*.json"))) == 3


def test_batch_rows_are_the_stores_rows(one_worker: tuple[Path, Any], inputs: Path, tmp_path: Path) -> None:
    """The same inputs ingested and exported as Parquet give the same rows as batch, table by table (but
    for what only a store has: when it was ingested)."""
    out, _ = one_worker
    db = tmp_path / "s.db"
    ingest([str(inputs)], db, progress=False)
    folder = tmp_path / "export"
    export(db, "parquet", str(folder))
    for table in TABLES:
        exported = pq.read_table(folder / f"{table}.parquet")
        if table == "documents":
            exported = exported.drop_columns(["ingested_at"])
        mine = rows_of(out, table)
        if table == "documents":
            names = [n for n, _ in table_columns()[table]]
            keep = [i for i, n in enumerate(names) if n != "ingested_at"]
            mine = sorted(tuple(r[i] for i in keep) for r in mine)
        theirs = sorted(tuple(str(v) for v in row.values()) for row in exported.to_pylist())
        assert mine == theirs, table
        assert len(mine) > 0, table


def test_a_rerun_skips_finished_shards_and_redoes_a_half_written_one(
    one_worker: tuple[Path, Any], inputs: Path, tmp_path: Path
) -> None:
    out, _ = one_worker
    before = {t: rows_of(out, t) for t in TABLES}
    again = run_batch([str(inputs)], out, shard_size=2, progress=False)
    assert (again.skipped, again.documents) == (3, 0)
    # a run killed half-way through a shard: its marker missing, one of its files written, a stray one too
    shard = plan([str(inputs)], size=2)[1]
    (out / "_shards" / f"{shard.key}.json").unlink()
    stray = out / "entities" / "month=1999-01" / f"{shard.key}.parquet"
    stray.parent.mkdir()
    stray.write_bytes(b"PAR1 half written")
    third = run_batch([str(inputs)], out, shard_size=2, progress=False)
    assert (third.skipped, third.shards) == (2, 3)
    assert not stray.exists()
    assert {t: rows_of(out, t) for t in TABLES} == before


def test_an_output_folder_written_with_other_options_is_refused(one_worker: tuple[Path, Any], inputs: Path) -> None:
    out, _ = one_worker
    with pytest.raises(BatchError, match="other options"):
        run_batch([str(inputs)], out, options=Options(geo=False), progress=False)


def test_a_folder_that_is_not_a_batch_output_is_refused(tmp_path: Path, inputs: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(BatchError, match="not a newsgraph batch output"):
        run_batch([str(inputs)], tmp_path, progress=False)


# --- engines and workers --------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_workers_and_ray_give_the_same_rows_as_one(
    one_worker: tuple[Path, Any], inputs: Path, tmp_path: Path
) -> None:
    out, _ = one_worker
    two = run_batch([str(inputs)], tmp_path / "two", workers=2, shard_size=2, progress=False)
    assert two.documents == 4
    on_ray = run_batch([str(inputs)], tmp_path / "ray", engine="ray", workers=2, shard_size=2, progress=False)
    assert on_ray.documents == 4 and len(on_ray.failed) == 1
    for table in (*TABLES, "errors"):
        assert rows_of(tmp_path / "two", table) == rows_of(out, table), table
        assert rows_of(tmp_path / "ray", table) == rows_of(out, table), table


@pytest.fixture
def crash_plugin() -> Iterator[str]:
    yield "tests.crash_layer"
    REGISTRY.unregister("crashtest")  # the parent imported it too


@pytest.mark.slow
def test_a_worker_that_dies_or_hangs_fails_its_article_alone(
    tmp_path: Path, crash_plugin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgraph.batch.pool as pool

    monkeypatch.setattr(pool, "GRACE_S", 1.0)
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {
        "a": "Troops left Erbil on Monday, officials said.",
        "b": "KILLME. The minister resigned on Tuesday.",
        "c": "Protesters marched in Baghdad on Friday.",
        "d": "HANGME. Talks resumed in Geneva.",
        "e": "The army said 40 soldiers were wounded.",
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    db = tmp_path / "w.db"
    report = ingest(
        [str(folder)], db, workers=2, batch_size=2, article_timeout=2, plugins=(crash_plugin,), progress=False
    )
    problems = {Path(f.name).name: f.problem for f in report.failed}
    assert set(problems) == {"b.txt", "d.txt"}, problems
    assert "died (SIGKILL)" in problems["b.txt"]
    assert "took longer than" in problems["d.txt"] and "stopped" in problems["d.txt"]
    assert report.added == 3
    again = ingest([str(folder)], db, workers=2, batch_size=2, article_timeout=2, plugins=(crash_plugin,))
    assert again.unchanged == 3 and again.added == 0  # the workers left the stored ones out


@pytest.mark.slow
def test_the_batch_command_reports_bad_inputs_and_exits_1(tmp_path: Path, inputs: Path) -> None:
    out = tmp_path / "cli"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "newsgraph.cli", "batch", str(inputs), str(tmp_path / "nope.txt"), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 1, run.stderr
    assert "nope.txt: no such file or folder" in run.stderr
    assert "corpus.jsonl:3" in run.stderr
    assert "4 documents written" in run.stdout
    assert "Traceback" not in run.stderr
