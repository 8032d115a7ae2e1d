"""Throughput of newsgraph's full ``analyze`` path next to bare spaCy ``nlp.pipe`` on the same texts.

What is measured, with the model loaded once (its load time is reported apart) and the input files read
into memory beforehand (``read_input``; reading is not timed):

1. spaCy: ``model.pipe`` over the cleaned texts (their matching form, as the pipeline parses them),
   same batch size as ``analyze_many``: the floor newsgraph cannot go below;
2. cleaning alone: ``clean_article`` over the raw articles;
3. newsgraph: ``analyze_many`` end to end (cleaning + parse + layers), consumed in full.

Each is run once to warm up, then ``--repeats`` times (default 3); the best run counts. Reported:
articles/s and characters/s (characters of cleaned text) for each, and the overhead ratio
newsgraph / spaCy, with what the layers cost on top (newsgraph - spaCy - cleaning). The seed article
alone (``analyze``, one article, best of the repeats) is reported in milliseconds.

Input: a folder of articles (``*.txt``, ``*.html``, ``*.htm``). Without one, a temporary corpus is
built: the seed article (shared/fixtures/seed/article.txt) plus the first ``--conll-docs`` (100)
CoNLL-2003 test documents written as .txt files (tokens space-joined, one paragraph per sentence);
the output says so. Those are short wire stories and sports tables, not typical web articles.

Run (from the repository root)::

    .venv/bin/python -m bench.speed                    # temporary corpus
    .venv/bin/python -m bench.speed path/to/articles/  # a folder of your own
    .venv/bin/python -m bench.speed --repeats 5 --data /path/to/shared

``--limit N`` times the first N articles. Writes ``bench/results/speed.json`` (``--out`` to change; a run
on a folder of your own, with another ``--conll-docs`` or with ``--limit`` only where ``--out`` says). The
machine has few cores; run nothing heavy beside it. The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.layers import registered
from newsgraph.pipeline import analyze, analyze_many
from newsgraph.sources.raw import read_input

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/speed.py
from bench import harness
from bench.ner import build_doc, read_conll

NAME = "speed"
DEFAULT_SHARED = harness.SHARED
SEED = Path("fixtures") / "seed" / "article.txt"
CONLL = Path("datasets") / "conll2003-en" / "test.txt"
DEFAULT_CONLL_DOCS = 100
SUFFIXES = {".txt", ".html", ".htm"}
BATCH_SIZE = 16  # analyze_many's default


def build_corpus(shared: Path, folder: Path, n_conll: int) -> str:
    """The seed article and the first CoNLL test documents as .txt files in ``folder``; a description."""
    (folder / "000-seed.txt").write_bytes((shared / SEED).read_bytes())
    conll = read_conll(shared / CONLL)[:n_conll]
    for i, sentences in enumerate(conll, start=1):
        text = build_doc(i, sentences).text.replace("\n", "\n\n")  # one paragraph per sentence
        (folder / f"{i:03d}-conll-test.txt").write_text(text + "\n", encoding="utf-8")
    return f"temporary corpus: the seed article + the first {len(conll)} CoNLL-2003 test documents as .txt"


def read_all(folder: Path) -> list[RawArticle]:
    """Every article file in the folder; one that cannot be read is reported and left out."""
    raws = []
    for p in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
        try:
            raws.append(read_input(str(p)))
        except InputError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
    return raws


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    """Warm up once, then the best of ``repeats`` timed runs (seconds) and all of them."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), times


def layer_costs(raw: RawArticle, repeats: int) -> dict[str, float]:
    """Best time of each registered layer on one article, run in registry order over one parse (each
    layer sees what the layers before it wrote, as in ``add_layers``)."""
    doc = clean_article(raw)
    parsed = nlp.load()(nlp.matching_form(doc.text))
    costs = {}
    for layer in registered():
        run = layer.function()
        if run is None:
            continue

        def step(run: Callable[..., Any] = run, name: str = layer.writes) -> None:
            doc.set_layer(name, run(doc, parsed))

        costs[layer.name] = best_of(step, repeats)[0]
    return costs


def rate(seconds: float, articles: int, chars: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 4),
        "articles_per_s": round(articles / seconds, 2),
        "chars_per_s": round(chars / seconds),
        "ms_per_article": round(1000 * seconds / articles, 2),
    }


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("folder", nargs="?", type=Path, help="a folder of articles (default: a temporary corpus)")
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared folder (seed and CoNLL)")
    ap.add_argument(
        "--conll-docs", type=int, default=DEFAULT_CONLL_DOCS, help="CoNLL documents in the temporary corpus"
    )
    ap.add_argument("--repeats", type=int, default=3)
    return ap


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(args.data / SEED, "the seed article")
    if args.folder is None:
        harness.require(args.data / CONLL, "CoNLL-2003")
    with tempfile.TemporaryDirectory(prefix="newsgraph-speed-") as tmp:
        if args.folder is None:
            corpus = build_corpus(args.data, Path(tmp), args.conll_docs)
            folder = Path(tmp)
        elif args.folder.is_dir():
            folder, corpus = args.folder, f"folder {args.folder}"
        else:
            raise harness.Skip(f"{args.folder} is not a folder")
        raws = read_all(folder)[: args.limit]
    if not raws:
        raise harness.Skip(f"no {'/'.join(sorted(SUFFIXES))} files in {folder}")

    t0 = time.perf_counter()
    model = nlp.load()
    t_load = time.perf_counter() - t0

    texts = [nlp.matching_form(clean_article(raw).text) for raw in raws]
    n, chars = len(raws), sum(len(t) for t in texts)
    raw_chars = sum(len(r.content) for r in raws)

    def bare() -> None:
        for _ in model.pipe(texts, batch_size=BATCH_SIZE):
            pass

    def cleaning() -> None:
        for raw in raws:
            clean_article(raw)

    def full() -> None:
        for _ in analyze_many(raws, batch_size=BATCH_SIZE):
            pass

    print(f"{corpus}: {n} articles, {raw_chars:,} raw chars, {chars:,} cleaned chars")
    print(
        f"model {nlp.MODEL} loaded in {t_load:.2f} s; batch size {BATCH_SIZE}; best of {args.repeats} after a warm-up"
    )
    runs: dict[str, tuple[float, list[float]]] = {}
    for name, fn in (("spacy_pipe", bare), ("cleaning", cleaning), ("newsgraph_analyze_many", full)):
        runs[name] = best_of(fn, args.repeats)
        print(f"  {name:<24} runs {', '.join(f'{t:.3f}' for t in runs[name][1])} s")

    seed_path = args.data / SEED
    seed_raw = read_input(str(seed_path))
    seed_text = nlp.matching_form(clean_article(seed_raw).text)
    seed_analyze = best_of(lambda: analyze(seed_raw), max(args.repeats, 5))
    seed_parse = best_of(lambda: model(seed_text), max(args.repeats, 5))
    seed_layers = layer_costs(seed_raw, max(args.repeats, 5))

    rates = {name: rate(best, n, chars) for name, (best, _) in runs.items()}
    t_bare, t_clean, t_full = (runs[k][0] for k in ("spacy_pipe", "cleaning", "newsgraph_analyze_many"))
    layers = max(t_full - t_bare - t_clean, 0.0)
    print(f"\n{'':<26}{'articles/s':>11}{'chars/s':>12}{'ms/article':>12}{'best s':>9}")
    for name, r in rates.items():
        print(
            f"{name:<26}{r['articles_per_s']:>11.1f}{r['chars_per_s']:>12,}"
            f"{r['ms_per_article']:>12.2f}{r['seconds']:>9.3f}"
        )
    print(f"{'layers (by difference)':<26}{'':>11}{'':>12}{1000 * layers / n:>12.2f}{layers:>9.3f}")
    print(
        f"\noverhead: analyze_many / spaCy pipe = {t_full / t_bare:.2f}x"
        f" (cleaning {100 * t_clean / t_full:.0f}%, parse {100 * t_bare / t_full:.0f}%,"
        f" layers {100 * layers / t_full:.0f}% of analyze_many)"
    )
    print(
        f"seed article ({len(seed_text):,} chars): analyze {1000 * seed_analyze[0]:.1f} ms,"
        f" bare parse {1000 * seed_parse[0]:.1f} ms (best of {len(seed_analyze[1])};"
        f" median {1000 * statistics.median(seed_analyze[1]):.1f} ms)"
    )
    for name, seconds in seed_layers.items():
        print(f"  {name:<12} {1000 * seconds:7.2f} ms = {100 * seconds / seed_analyze[0]:4.1f}% of analyze")

    return {
        "corpus": corpus,
        "articles": n,
        "raw_chars": raw_chars,
        "cleaned_chars": chars,
        "model": nlp.MODEL,
        "model_load_s": round(t_load, 3),
        "batch_size": BATCH_SIZE,
        "repeats": args.repeats,
        "runs_s": {k: [round(t, 4) for t in v[1]] for k, v in runs.items()},
        "best": rates,
        "layers_by_difference_s": round(layers, 4),
        "overhead_ratio": round(t_full / t_bare, 3),
        "seed_article": {
            "chars": len(seed_text),
            "analyze_ms": round(1000 * seed_analyze[0], 2),
            "analyze_median_ms": round(1000 * statistics.median(seed_analyze[1]), 2),
            "bare_parse_ms": round(1000 * seed_parse[0], 2),
            "layers_ms": {k: round(1000 * v, 2) for k, v in seed_layers.items()},
            "layers_share_of_analyze": {k: round(v / seed_analyze[0], 4) for k, v in seed_layers.items()},
        },
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(
        NAME,
        arguments(),
        run,
        argv,
        complete=lambda args: args.folder is None and args.conll_docs == DEFAULT_CONLL_DOCS,
    )


if __name__ == "__main__":
    raise SystemExit(main())
