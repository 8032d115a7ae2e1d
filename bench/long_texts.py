"""Time and peak memory of one long article, stage by stage, at growing sizes up to the length limit.

What is measured: one article of each size (``--sizes``, default 10k, 50k, 200k, 500k and 1M characters,
the limit being ``newsgraph.defaults.MAX_ARTICLE_CHARS``) goes through cleaning, the spaCy parse
(``newsgraph.nlp.parse``) and every registered layer in registry order, each stage timed; the process's
peak resident memory (``ru_maxrss``) is read after each stage. Each size runs in a fresh process (the
peak is a process's), after the model, the lexicons and the gazetteer are loaded and warmed up on the seed
article: ``base_mb`` is that process before the article, ``article_mb`` what the article added at its peak.
The same text as an HTML page (its paragraphs as ``<p>`` in an ``<article>``) is cleaned in a process of its
own (``html_clean``), and so are two hostile pages: one element with 100,000 attributes and 100,000 nested
``<div>`` (cleaned or refused; the seconds either way).

The text: the seed article (shared/fixtures/seed/article.txt), then the 181 article bodies of the article
extraction benchmark's gold file (shared/datasets/article-extraction-benchmark/ground-truth.json: news and
blog articles, 807k characters), one paragraph per blank-line block, repeated until the size is reached and
cut at a word. The data is read in place, never copied here.

Run (from the repository root)::

    .venv/bin/python -m bench.long_texts                      # about 2 minutes on 2 cores
    .venv/bin/python -m bench.long_texts --sizes 10000 50000  # a quick look (not written unless --out)

Each process gets ``--timeout`` seconds (default 300); one that runs over is recorded as timed out, so a
run is bounded. Writes ``bench/results/long_texts.json``. The machine has few cores; run nothing heavy
beside it. The common flags are in ``bench/harness.py`` (``--limit`` is not used here).
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/long_texts.py
from bench import harness

NAME = "long_texts"
SEED = Path("fixtures") / "seed" / "article.txt"
BODIES = Path("datasets") / "article-extraction-benchmark" / "ground-truth.json"
DEFAULT_SIZES = (10_000, 50_000, 200_000, 500_000, 1_000_000)
DEFAULT_TIMEOUT_S = 300
HOSTILE_COUNT = 100_000  # attributes on one element; nested <div> elements
PUBLISHED = "2021-12-09"  # the seed's date: the times layer resolves against it

T = TypeVar("T")


def articles(shared: Path) -> list[str]:
    """The seed article and the benchmark's gold article bodies, in a fixed order."""
    gold = json.loads((shared / BODIES).read_text(encoding="utf-8"))
    bodies = [str(gold[key]["articleBody"]).strip() for key in sorted(gold)]
    return [(shared / SEED).read_text(encoding="utf-8").strip(), *(b for b in bodies if b)]


def long_text(shared: Path, size: int) -> str:
    """Real articles one after the other, blank lines between, until ``size`` characters; cut at a word."""
    return joined(articles(shared), size)[0]


def joined(pieces: list[str], size: int) -> tuple[str, bool]:
    """The pieces one after the other (repeated if need be), blank lines between, until ``size`` characters,
    cut at a word; and whether they had to be repeated."""
    parts: list[str] = []
    total, i = 0, 0
    while total < size:
        parts.append(pieces[i % len(pieces)])
        total += len(parts[-1]) + 2
        i += 1
    text = "\n\n".join(parts)[:size]
    text = text[: text.rfind(" ")] if len(text) == size and " " in text else text
    return text, i > len(pieces)


def as_page(text: str) -> str:
    """The text as an HTML article page: a title, its paragraphs as <p>, a little chrome around."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n") if p.strip())
    return (
        "<!doctype html><html><head><title>A long article</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>A long article</h1>{body}</article><footer>(c) The Outlet</footer></body></html>"
    )


def hostile_page(kind: str) -> str:
    paragraph = "<p>" + "The minister said on Tuesday that the talks in Geneva would go on next week. " * 3 + "</p>"
    if kind == "attribute_bomb":
        attributes = " ".join(f'data-a{i}="v{i}"' for i in range(HOSTILE_COUNT))
        return f"<html><body><article><div {attributes}>{paragraph}</div>{paragraph}</article></body></html>"
    return (
        "<html><body><article>"
        + "<div>" * HOSTILE_COUNT
        + paragraph * 3
        + "</div>" * HOSTILE_COUNT
        + "</article></body></html>"
    )


# --- one size, in its own process ----------------------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class Stages:
    """Seconds and the peak memory after each stage."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = {}

    def run(self, name: str, fn: Callable[[], T]) -> T:
        t0 = time.perf_counter()
        out = fn()
        self.rows[name] = {"seconds": round(time.perf_counter() - t0, 3), "peak_mb": round(peak_mb(), 1)}
        return out


def warm_up(shared: Path) -> None:
    """Model, lexicons and gazetteer loaded and used once, on the seed article."""
    from newsgraph.document import RawArticle
    from newsgraph.pipeline import analyze

    analyze(
        RawArticle(name="seed", content=(shared / SEED).read_text(encoding="utf-8"), format="text", published=PUBLISHED)
    )


def text_worker(shared: Path, size: int) -> dict[str, Any]:
    from newsgraph import nlp
    from newsgraph.clean import clean_article
    from newsgraph.document import RawArticle
    from newsgraph.layers import registered

    warm_up(shared)
    raw = RawArticle(name=f"<{size:,} characters>", content=long_text(shared, size), format="text", published=PUBLISHED)
    base = peak_mb()
    stages = Stages()
    doc = stages.run("clean", lambda: clean_article(raw))
    parsed = stages.run("parse", lambda: nlp.parse(nlp.matching_form(doc.text)))
    for layer in registered():
        run = layer.function()
        if run is not None:
            stages.run(layer.name, functools.partial(_run_layer, doc, parsed, layer.writes, run))
    return {"chars": len(doc.text), "tokens": len(parsed), "base_mb": round(base, 1), "stages": stages.rows}


def _run_layer(doc: Any, parsed: Any, field: str, run: Callable[[Any, Any], Any]) -> None:
    doc.set_layer(field, run(doc, parsed))


def page_worker(shared: Path, kind: str, size: int) -> dict[str, Any]:
    from newsgraph.clean import clean_article
    from newsgraph.document import RawArticle
    from newsgraph.errors import InputError

    page = as_page(long_text(shared, size)) if kind == "html" else hostile_page(kind)
    raw = RawArticle(name=f"<{kind}>", content=page, format="html")
    clean_article(RawArticle(name="warm-up", content=as_page(long_text(shared, 2000)), format="html"))
    base = peak_mb()
    stages = Stages()
    outcome = "cleaned"
    t0 = time.perf_counter()
    try:
        doc = clean_article(raw)
        chars = len(doc.text)
    except InputError as exc:
        outcome, chars = f"refused: {exc.problem}", 0
    stages.rows["clean"] = {"seconds": round(time.perf_counter() - t0, 3), "peak_mb": round(peak_mb(), 1)}
    return {
        "html_bytes": len(page.encode("utf-8")),
        "chars": chars,
        "outcome": outcome,
        "base_mb": round(base, 1),
        "stages": stages.rows,
    }


def worker(args: argparse.Namespace) -> int:
    kind, size = args.worker
    figures = text_worker(args.data, int(size)) if kind == "text" else page_worker(args.data, kind, int(size))
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


# --- the driver ------------------------------------------------------------------------------------------------


def measure(shared: Path, kind: str, size: int, timeout: float) -> dict[str, Any]:
    """One worker process; its figures, or why there are none."""
    cmd = [sys.executable, "-m", "bench.long_texts", "--data", str(shared), "--worker", kind, str(size)]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=harness.ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"exit status {done.returncode}: {tail}"}
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = round(time.perf_counter() - t0, 2)
    return figures


def summary(figures: dict[str, Any]) -> tuple[float, float, float]:
    """Seconds over all stages, the peak memory, and what the article added to it."""
    stages = figures["stages"].values()
    peak = max(s["peak_mb"] for s in stages)
    return sum(s["seconds"] for s in stages), peak, peak - figures["base_mb"]


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=harness.SHARED, help="the shared folder (seed and datasets)")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="article sizes in characters")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds allowed to each process")
    ap.add_argument("--no-pages", action="store_true", help="text only: no HTML page, no hostile pages")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(args.data / SEED, "the seed article")
    harness.require(args.data / BODIES, "the article extraction benchmark's gold file")
    from newsgraph.defaults import MAX_ARTICLE_CHARS

    sizes = sorted(min(s, MAX_ARTICLE_CHARS) for s in args.sizes)
    texts: dict[str, Any] = {}
    print(f"{'size':>10} {'stage':<12} {'seconds':>8} {'peak MB':>8}")
    for size in sizes:
        figures = texts[str(size)] = measure(args.data, "text", size, args.timeout)
        if "error" in figures:
            print(f"{size:>10,} {figures['error']}")
            continue
        for stage, row in figures["stages"].items():
            print(f"{size:>10,} {stage:<12} {row['seconds']:>8.2f} {row['peak_mb']:>8.0f}")
        total, peak, added = summary(figures)
        figures["total_s"], figures["peak_mb"], figures["article_mb"] = round(total, 2), peak, round(added, 1)
        print(f"{size:>10,} {'total':<12} {total:>8.2f} {peak:>8.0f}  ({added:.0f} MB for the article)")
    pages: dict[str, Any] = {}
    if not args.no_pages:
        for kind, size in (("html", max(sizes)), ("attribute_bomb", 0), ("nesting", 0)):
            figures = pages[kind] = measure(args.data, kind, size, args.timeout)
            if "error" in figures:
                print(f"{kind}: {figures['error']}")
                continue
            row = figures["stages"]["clean"]
            print(
                f"{kind}: {figures['html_bytes']:,} bytes, cleaned in {row['seconds']:.2f} s,"
                f" peak {row['peak_mb']:.0f} MB ({figures['outcome']})"
            )
    return {
        "text": "the seed article and the article extraction benchmark's gold bodies, repeated and cut to size",
        "published": PUBLISHED,
        "timeout_s": args.timeout,
        "sizes": texts,
        "pages": pages,
    }


def main(argv: list[str] | None = None) -> int:
    ap = arguments()
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)
    return harness.main(
        NAME,
        ap,
        run,
        argv,
        complete=lambda a: sorted(a.sizes) == list(DEFAULT_SIZES) and not a.no_pages,
    )


if __name__ == "__main__":
    raise SystemExit(main())
