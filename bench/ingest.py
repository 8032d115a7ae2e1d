"""Ingest throughput against analyze throughput over the same folder of articles.

Two paths over one folder, each end to end from the files on disk, with the model (and gazetteer)
loaded before timing:

1. analyze: every article file read (``read_input``) and run through ``analyze_many``, the documents
   consumed (and serialised with ``to_json``, as ``analyze`` prints them);
2. ingest: ``newsgraph.ingest.ingest([folder], fresh.db)``: reading, cleaning, the id check,
   parsing, layers, near-duplicate search and one SQLite transaction per document.

The runs alternate (analyze, ingest, analyze, ingest, ...) after one warm-up of each, ``--repeats``
times (default 3), each ingest into a new database; the best run of each counts. Reported: articles/s
of each and their ratio (the goal: ingest within 10% of analyze, ratio >= 0.90).

Corpus, unless a folder is given: the seed article (shared/fixtures/seed/article.txt) plus the pages of
the article-extraction benchmark (shared/datasets/article-extraction-benchmark/html/*.html.gz, 181 news
pages from many sites), decompressed into a temporary folder. Pages that cleaning rejects (no article
text) are left out beforehand, so both paths see the same articles.

Run (from the repository root)::

    .venv/bin/python -m bench.ingest
    .venv/bin/python -m bench.ingest --repeats 5 --limit 60    # at most 60 articles in the temporary corpus
    .venv/bin/python -m bench.ingest path/to/folder/

Writes ``bench/results/ingest.json`` (``--out`` to change; a run on a folder of your own or with ``--limit``
only where ``--out`` says). Run nothing heavy beside it. The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/ingest.py

from bench import harness
from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.defaults import BATCH_SIZE
from newsgraph.errors import InputError
from newsgraph.ingest import ingest
from newsgraph.pipeline import analyze, analyze_many
from newsgraph.sources.inputs import walk_folder
from newsgraph.sources.raw import read_input

NAME = "ingest"
DEFAULT_SHARED = harness.SHARED
SEED = Path("fixtures") / "seed" / "article.txt"
PAGES = Path("datasets") / "article-extraction-benchmark" / "html"


def build_corpus(shared: Path, folder: Path, limit: int | None) -> str:
    (folder / "000-seed.txt").write_bytes((shared / SEED).read_bytes())
    pages = sorted((shared / PAGES).glob("*.html.gz"))
    if limit is not None:
        pages = pages[: max(limit - 1, 0)]
    for page in pages:
        (folder / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    return f"temporary corpus: the seed article + {len(pages)} article-extraction-benchmark HTML pages"


def drop_rejected(folder: Path) -> list[str]:
    """Remove the files cleaning rejects; their names."""
    dropped = []
    for path in walk_folder(folder):
        try:
            clean_article(read_input(str(path)))
        except InputError as exc:
            dropped.append(f"{path.name}: {exc.problem}")
            path.unlink()
    return dropped


def run_analyze(folder: Path) -> int:
    raws = [read_input(str(p)) for p in walk_folder(folder)]
    n = 0
    for doc in analyze_many(raws, batch_size=BATCH_SIZE):
        doc.to_json()
        n += 1
    return n


def run_ingest(folder: Path, db: Path) -> tuple[int, dict[str, Any]]:
    report = ingest([str(folder)], db, batch_size=BATCH_SIZE, progress=False)
    if report.failed:
        raise SystemExit(f"ingest failed on: {', '.join(map(str, report.failed))}")
    return report.added + report.duplicates, report.to_json()


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("folder", nargs="?", type=Path, help="a folder of articles (default: the temporary corpus)")
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared folder")
    ap.add_argument("--repeats", type=int, default=3)
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    """``--limit``: at most this many articles in the temporary corpus (a folder given is taken whole)."""
    if args.folder is None:
        harness.require(args.data / SEED, "the seed article")
        harness.require(args.data / PAGES, "the article-extraction benchmark pages")
    elif not args.folder.is_dir():
        raise harness.Skip(f"{args.folder} is not a folder")
    with tempfile.TemporaryDirectory(prefix="newsgraph-ingest-bench-") as tmp:
        work = Path(tmp)
        if args.folder is None:
            folder = work / "corpus"
            folder.mkdir()
            corpus = build_corpus(args.data, folder, args.limit)
            dropped = drop_rejected(folder)
        else:
            folder, corpus, dropped = args.folder, f"folder {args.folder}", []
        files = list(walk_folder(folder))
        size = sum(p.stat().st_size for p in files)
        print(f"{corpus}: {len(files)} articles, {size / 1e6:.1f} MB; {len(dropped)} rejected by cleaning")

        t0 = time.perf_counter()
        nlp.load()
        analyze(read_input(str(files[0])))  # the model, the layers' lexicons and the gazetteer, loaded
        print(f"model and lexicons loaded in {time.perf_counter() - t0:.2f} s")

        runs: dict[str, list[float]] = {"analyze": [], "ingest": []}
        last: dict[str, Any] = {}
        db_bytes = 0
        for i in range(args.repeats + 1):
            t = time.perf_counter()
            n_analyze = run_analyze(folder)
            t_analyze = time.perf_counter() - t
            db = work / f"run{i}.db"
            t = time.perf_counter()
            n_ingest, last = run_ingest(folder, db)
            t_ingest = time.perf_counter() - t
            if n_ingest != n_analyze:
                print(f"note: ingest stored {n_ingest} documents, analyze gave {n_analyze}")
            label = "warm-up" if i == 0 else f"run {i}"
            print(f"  {label:<8} analyze {t_analyze:7.2f} s   ingest {t_ingest:7.2f} s")
            if i > 0:
                runs["analyze"].append(t_analyze)
                runs["ingest"].append(t_ingest)
            db_bytes = db.stat().st_size + sum(p.stat().st_size for p in work.glob(f"{db.name}-*"))
            with sqlite3.connect(db) as conn:
                rows = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "entities")}
            db.unlink()
            for extra in work.glob(f"{db.name}-*"):
                extra.unlink()

    n = len(files)
    best = {k: min(v) for k, v in runs.items()}
    rates = {k: round(n / v, 2) for k, v in best.items()}
    ratio = best["analyze"] / best["ingest"]
    print(f"\n{'':<10}{'articles/s':>11}{'best s':>9}")
    for k in ("analyze", "ingest"):
        print(f"{k:<10}{rates[k]:>11.2f}{best[k]:>9.2f}")
    print(f"ingest / analyze throughput: {ratio:.3f} ({'within' if ratio >= 0.9 else 'NOT within'} 10%)")

    out: dict[str, Any] = {
        "corpus": corpus,
        "articles": n,
        "input_bytes": size,
        "rejected_by_cleaning": dropped,
        "model": nlp.MODEL,
        "sqlite": sqlite3.sqlite_version,
        "batch_size": BATCH_SIZE,
        "repeats": args.repeats,
        "runs_s": {k: [round(t, 3) for t in v] for k, v in runs.items()},
        "articles_per_s": rates,
        "ingest_over_analyze": round(ratio, 3),
        "within_10_percent": ratio >= 0.9,
        "store": {"bytes": db_bytes, "rows": rows, "last_report": last},
    }
    return out


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, complete=lambda args: args.folder is None)


if __name__ == "__main__":
    raise SystemExit(main())
