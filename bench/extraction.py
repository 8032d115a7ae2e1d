"""Article-extraction benchmark: newsgraph's HTML cleaning path against bare trafilatura.

What it measures
    The main-text quality of ``newsgraph.clean.clean_article`` on the Zyte/scrapinghub article
    extraction benchmark (181 news and blog pages, ``shared/datasets/article-extraction-benchmark``),
    side by side with ``trafilatura.extract`` in three configurations, all in one run:

    * ``newsgraph``            paragraphs of every kind but ``title``, joined with newlines
                               (the gold ``articleBody`` has no headline);
    * ``newsgraph (no subtitle)``  the same, with ``subtitle`` paragraphs left out too;
    * ``trafilatura (default)``, ``trafilatura (no comments)`` and
      ``trafilatura (favor_recall, no comments)``: plain-text output of ``trafilatura.extract``.

    A page newsgraph rejects with ``InputError`` scores as an empty prediction (they are counted).

The metric (implemented here from the dataset's SOURCE.md description)
    Texts are tokenised with the regex ``\\w+``; each text becomes the multiset of its 4-token
    shingles (a text of 1-3 tokens is one shorter shingle, an empty text has none). Per document,
    tp = sum of min(gold, pred) counts, fp = pred surplus, fn = gold surplus, then (tp, fp, fn) are
    normalised to sum to 1. Precision is the mean of tp/(tp+fp) over the documents where it is
    defined (1.0 where both texts are empty), recall likewise with tp/(tp+fn); F1 is the harmonic
    mean of those two macro averages. Accuracy is the share of documents whose token sequence
    equals the gold one. The F1 spread is a 1000-sample bootstrap over documents (fixed seed).
    pages/s is extraction time only (scoring excluded), one pass after a warm-up page; both newsgraph
    rows come from the same ``clean_article`` call and share its figure.
    Before the systems run, the scorer is checked on the stored upstream trafilatura output
    (``reference-outputs/trafilatura.json``), which upstream reports at F1 0.958 (P 0.938, R 0.978).

How to run (from the repository root)
    .venv/bin/python -m bench.extraction              # all 181 pages, about 30 s
    .venv/bin/python -m bench.extraction --limit 20   # a quick look (the first 20 pages by id)
    .venv/bin/python -m bench.extraction --predictions /tmp/extraction-texts.json

    The numbers are written to ``bench/results/extraction.json`` (``--out`` to change; a ``--limit``
    run only where ``--out`` says): the table, the validation line, newsgraph's rejected pages and
    per-page scores for every system. The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from newsgraph.clean import clean_article
from newsgraph.document import RawArticle
from newsgraph.errors import InputError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/extraction.py
from bench import harness

NAME = "extraction"
PEERS = ("trafilatura",)
DEFAULT_DATA = harness.DATASETS / "article-extraction-benchmark"

SHINGLE_SIZE = 4
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 0
UPSTREAM_TRAFILATURA = {"precision": 0.938, "recall": 0.978, "f1": 0.958}

_TOKEN = re.compile(r"\w+")

NEWSGRAPH = "newsgraph"
NEWSGRAPH_NO_SUBTITLE = "newsgraph (no subtitle)"


# --- data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    gold: str


def load_pages(data_dir: Path, limit: int | None = None) -> list[Page]:
    """The benchmark's pages in id order, each with its gold article body and URL."""
    truth: dict[str, dict[str, str]] = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
        item = truth[page_id]
        pages.append(Page(page_id, item["url"], raw.decode("utf-8", errors="replace"), item["articleBody"]))
    return pages


def load_predictions(path: Path) -> dict[str, str]:
    """A stored prediction file, bare ``{id: {"articleBody": ...}}`` or wrapped in ``{"output": ...}``."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    items: dict[str, Any] = data["output"] if "output" in data and "version" in data else data
    return {page_id: (item or {}).get("articleBody") or "" for page_id, item in items.items()}


# --- the metric -----------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(words: Sequence[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles; fewer tokens than ``size`` make one short shingle."""
    if not words:
        return Counter()
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))


@dataclass(frozen=True)
class DocScore:
    tp: float  # tp, fp and fn are shares of the document's shingle comparisons: they sum to 1
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        if self.tp + self.fp > 0:
            return self.tp / (self.tp + self.fp)
        return 1.0 if self.fn == 0 else None  # nothing predicted: undefined unless gold is empty too

    @property
    def recall(self) -> float | None:
        if self.tp + self.fn > 0:
            return self.tp / (self.tp + self.fn)
        return 1.0 if self.fp == 0 else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_document(gold: str, pred: str) -> DocScore:
    gold_tokens, pred_tokens = tokens(gold), tokens(pred)
    g, p = shingles(gold_tokens), shingles(pred_tokens)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total:
        return DocScore(tp / total, fp / total, fn / total, gold_tokens == pred_tokens)
    return DocScore(0.0, 0.0, 0.0, gold_tokens == pred_tokens)


@dataclass(frozen=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    f1_std: float


def _macro(scores: Sequence[DocScore]) -> tuple[float, float, float]:
    precisions = [s.precision for s in scores if s.precision is not None]
    recalls = [s.recall for s in scores if s.recall is not None]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summarise(scores: Sequence[DocScore], samples: int = BOOTSTRAP_SAMPLES) -> Summary:
    """Macro-averaged precision and recall, F1 from those, accuracy, and F1's bootstrap spread."""
    p, r, f1 = _macro(scores)
    rng = random.Random(BOOTSTRAP_SEED)
    boot = [_macro(rng.choices(scores, k=len(scores)))[2] for _ in range(samples)] if len(scores) > 1 else [f1]
    accuracy = sum(s.exact for s in scores) / len(scores) if scores else 0.0
    return Summary(p, r, f1, accuracy, statistics.pstdev(boot))


# --- the systems ----------------------------------------------------------------------------------


def newsgraph_bodies(page: Page) -> dict[str, str] | None:
    """newsgraph's article body with and without subtitles; None when it rejects the page."""
    raw = RawArticle(name=page.id, content=page.html, format="html", url=page.url)
    try:
        doc = clean_article(raw)
    except InputError:
        return None

    def body(excluded: set[str]) -> str:
        return "\n".join(doc.text[p.start : p.end] for p in doc.paragraphs if p.kind not in excluded)

    return {NEWSGRAPH: body({"title"}), NEWSGRAPH_NO_SUBTITLE: body({"title", "subtitle"})}


def trafilatura_default(page: Page) -> str:
    return trafilatura.extract(page.html, url=page.url) or ""


def trafilatura_no_comments(page: Page) -> str:
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""


def trafilatura_recall(page: Page) -> str:
    return trafilatura.extract(page.html, url=page.url, include_comments=False, favor_recall=True) or ""


TRAFILATURA_SYSTEMS: dict[str, Callable[[Page], str]] = {
    "trafilatura (default)": trafilatura_default,
    "trafilatura (no comments)": trafilatura_no_comments,
    "trafilatura (favor_recall, no comments)": trafilatura_recall,
}


@dataclass
class Run:
    predictions: dict[str, str]
    seconds: float


def run_all(pages: Sequence[Page]) -> tuple[dict[str, Run], list[str]]:
    """Every system's predictions and extraction time; also the pages newsgraph rejected."""
    if pages:  # first calls load trafilatura's and newsgraph's lazy state; keep that out of the timings
        newsgraph_bodies(pages[0])
        trafilatura.extract(pages[0].html, url=pages[0].url)
    runs: dict[str, Run] = {}
    rejected: list[str] = []
    ours: dict[str, dict[str, str]] = {NEWSGRAPH: {}, NEWSGRAPH_NO_SUBTITLE: {}}
    start = time.perf_counter()
    for page in pages:
        bodies = newsgraph_bodies(page)
        if bodies is None:
            rejected.append(page.id)
        for name, predictions in ours.items():
            predictions[page.id] = bodies[name] if bodies else ""
    seconds = time.perf_counter() - start
    for name, predictions in ours.items():
        runs[name] = Run(predictions, seconds)  # one clean_article call gives both variants
    for name, extract in TRAFILATURA_SYSTEMS.items():
        start = time.perf_counter()
        predictions = {page.id: extract(page) for page in pages}
        runs[name] = Run(predictions, time.perf_counter() - start)
    return runs, rejected


# --- report ---------------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def print_table(rows: dict[str, tuple[Summary, float]]) -> None:
    width = max(len(name) for name in rows)
    print(f"{'system':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'±F1':>5}  {'acc':>5}  {'pages/s':>7}")
    for name, (s, rate) in rows.items():
        cells = [_fmt(s.precision), _fmt(s.recall), _fmt(s.f1), _fmt(s.f1_std), _fmt(s.accuracy)]
        print(f"{name:<{width}}  {'  '.join(cells)}  {rate:>7.1f}")


def validate(data_dir: Path) -> dict[str, Any] | None:
    """The scorer on upstream's stored trafilatura output, to compare with upstream's published figures."""
    path = data_dir / "reference-outputs" / "trafilatura.json"
    if not path.exists():
        return None
    truth: dict[str, dict[str, str]] = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    predictions = load_predictions(path)
    s = summarise([score_document(item["articleBody"], predictions.get(i, "")) for i, item in truth.items()])
    expected = UPSTREAM_TRAFILATURA
    print(
        f"scorer check on reference-outputs/trafilatura.json ({len(truth)} pages): "
        f"P {_fmt(s.precision)} R {_fmt(s.recall)} F1 {_fmt(s.f1)} ± {_fmt(s.f1_std)} acc {_fmt(s.accuracy)}"
        f"  (upstream: P {expected['precision']} R {expected['recall']} F1 {expected['f1']})"
    )
    return {"reference": str(path.name), **vars(s), "upstream": expected}


def compare(pages: Sequence[Page], per_page: dict[str, dict[str, DocScore]]) -> list[dict[str, Any]]:
    """Per page: newsgraph's F1 against the best trafilatura variant's, newsgraph furthest behind first."""
    out: list[dict[str, Any]] = []
    for page in pages:
        best = max(TRAFILATURA_SYSTEMS, key=lambda name: per_page[name][page.id].f1)
        ours, theirs = per_page[NEWSGRAPH][page.id].f1, per_page[best][page.id].f1
        out.append({"id": page.id, "url": page.url, "newsgraph_f1": ours, "best": best, "best_f1": theirs})
    out.sort(key=lambda row: float(row["newsgraph_f1"] - row["best_f1"]))
    return out


def print_pages(title: str, rows: Sequence[dict[str, Any]]) -> None:
    print(f"\n{title}")
    for row in rows:
        print(f"  {row['id'][:16]}  {row['newsgraph_f1']:.3f} vs {row['best_f1']:.3f}  {row['url']}")


def arguments() -> argparse.ArgumentParser:
    parser = harness.parser(__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder (default: %(default)s)")
    parser.add_argument("--predictions", type=Path, default=None, help="also write every system's texts here")
    parser.add_argument("--worst", type=int, default=10, help="list this many pages where newsgraph trails most")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir: Path = args.data.resolve()
    harness.require(data_dir / "ground-truth.json", "the article-extraction benchmark")
    validation = validate(data_dir)
    pages = load_pages(data_dir, args.limit)
    systems = 2 + len(TRAFILATURA_SYSTEMS)
    print(f"running {systems} systems on {len(pages)} pages (trafilatura {trafilatura.__version__})")
    runs, rejected = run_all(pages)

    per_page = {
        name: {p.id: score_document(p.gold, run.predictions[p.id]) for p in pages} for name, run in runs.items()
    }
    rows = {
        name: (summarise(list(per_page[name].values())), len(pages) / run.seconds if run.seconds else 0.0)
        for name, run in runs.items()
    }
    print()
    print_table(rows)
    print(f"\nnewsgraph rejected {len(rejected)} of {len(pages)} pages (InputError, scored as empty)")
    for page_id in rejected:
        print(f"  {page_id}")
    compared = compare(pages, per_page)
    behind = [row for row in compared if row["newsgraph_f1"] < row["best_f1"]][: args.worst]
    ahead = [row for row in reversed(compared) if row["newsgraph_f1"] > row["best_f1"]]
    print_pages(f"newsgraph below the best trafilatura variant (F1), worst {len(behind)}:", behind)
    print_pages(f"newsgraph above every trafilatura variant (F1), {len(ahead)} pages:", ahead)

    results = {
        "dataset": str(data_dir),
        "pages": len(pages),
        "metric": f"{SHINGLE_SIZE}-gram shingles of \\w+ tokens, macro P/R, F1 of the averages",
        "validation": validation,
        "systems": {name: {**vars(s), "pages_per_s": rate} for name, (s, rate) in rows.items()},
        "newsgraph_rejected": rejected,
        "newsgraph_behind": behind,
        "newsgraph_ahead": ahead,
        "per_page": {
            page.id: {
                name: {"p": sc[page.id].precision, "r": sc[page.id].recall, "f1": sc[page.id].f1}
                for name, sc in per_page.items()
            }
            for page in pages
        },
    }
    if args.predictions:
        texts = {name: run.predictions for name, run in runs.items()}
        texts["gold"] = {p.id: p.gold for p in pages}
        args.predictions.parent.mkdir(parents=True, exist_ok=True)
        args.predictions.write_text(json.dumps(texts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.predictions}")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    return harness.main(NAME, arguments(), run, argv, peers=PEERS)


if __name__ == "__main__":
    sys.exit(main())
