"""The blind sets: newsgraph against gold annotated by people who never saw its code or output.

The data: ``bench/blind/dev/`` and ``bench/blind/test/``, one gold file per article in the seed gold's
format, annotated by the guidelines in ``bench/blind/GUIDELINES.md``. The articles are English news
pages of the article-extraction benchmark (``shared/datasets/article-extraction-benchmark``: 2019,
37 outlets), none of them read while the layers were written; each gold file points at its page
(``article_path``), which is analysed as it is, HTML and all. The pages are not copied here (they are
third-party pages kept for evaluation only); the gold files are ours.

The split was made once, by the SHA-256 of the page's id (alternate pages in that order): **dev** is
for looking at errors; **test** is scored and never read for errors, so that its figures say how
newsgraph does on articles nobody tuned to. This benchmark prints only the per-layer totals of both.

``dev2/``/``test2/`` (7 pages each of the same benchmark) and ``dev3/``/``test3/`` (10 English news pages each of the
trafilatura evaluation set, 2012-2023, 20 outlets, analysed from their HTML as the gold's ``article_path`` says) and
``dev4/``/``test4/`` (14 more pages each of that set, 2019-2023, 27 outlets) were annotated later the same way and
split by the same rule.

``names_dev/`` and ``names_test/`` (22 articles each, split the same way) hold persons and organizations
only (their gold files say ``"layers": ["persons", "organizations"]``): 44 more pages, of every kind the
benchmark has (tech, sport, entertainment, health, business), annotated blind in session 22 by the same
guidelines plus the details in ``bench/blind/names_GUIDELINES.md``.

What is measured: ``newsgraph eval`` over the folders (the team scorer's matching rules, summed over
the files of a set), side by side. ``--limit N`` scores the first N files of each set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/blind.py
from bench import harness
from newsgraph.evaluate import evaluate_files, format_sets

NAME = "blind"
BLIND = harness.ROOT / "bench" / "blind"
SETS = ("dev", "test", "dev2", "test2", "dev3", "test3", "dev4", "test4", "names_dev", "names_test")


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--gold", type=Path, default=BLIND, help="the folder holding dev/ and test/")
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    sets = {}
    for name in SETS:
        folder = harness.require(args.gold / name, f"the blind {name} set")
        files = sorted(str(f) for f in folder.glob("*.json"))[: args.limit]
        if not files:
            raise harness.Skip(f"no gold files in {folder}")
        sets[name] = evaluate_files(files)
    report = {"sets": sets}
    print(format_sets(report))
    return {
        "dataset": "blind gold on article-extraction-benchmark and trafilatura-eval pages (bench/blind/GUIDELINES.md)",
        "sets": {name: {"files": r["files"], "layers": r["layers"]} for name, r in sets.items()},
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
