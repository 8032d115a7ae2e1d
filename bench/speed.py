"""Throughput of newsgraph's full ``analyze_many`` path next to bare spaCy ``nlp.pipe`` on the same texts.

What is measured, on one core, with the models loaded once (load times reported apart) and the articles
read into memory beforehand (reading is not timed):

1. spaCy: the bare model (``spacy.load(MODEL)``, every component, nothing of newsgraph's) ``pipe`` over
   the cleaned texts (their matching form, as the pipeline parses them), same batch size as
   ``analyze_many``: the floor newsgraph is measured against;
2. cleaning alone: ``clean_article`` over the raw articles;
3. newsgraph: ``analyze_many`` end to end (cleaning + parse + every layer), consumed in full; the time
   of each layer is summed over the same run (a timer around each layer's function, as
   ``pipeline.add_layers`` calls it: two clock reads per layer and article);
4. spaCy with newsgraph's matrix products: the same bare model, its layers computing with
   ``newsgraph.matmul.MatmulOps`` (numpy's BLAS, one thread, instead of thinc's ``blis``), as newsgraph's
   parse does: the ratio to it is what newsgraph's layers and cleaning cost, apart from that speed-up;
5. with ``--parse-alone``: newsgraph's own parse (``nlp.load().pipe``: its paragraph breaks and its
   stand-ins for the attribute ruler and the lemmatizer) over the same texts;
6. with ``--with-breaks``: the bare model with newsgraph's paragraph-break component only (the reference
   of this benchmark before: the breaks cap a sentence at 250 tokens, which makes spaCy's parser faster on
   long unpunctuated stretches, so newsgraph's parse can beat the bare model).

Before the timed runs, each path runs once over the first ``--warm`` articles (spaCy's and newsgraph's
caches, the lexicons); then the runs alternate, ``--repeats`` times (default 1); the best run counts.
Each run's wall-clock and CPU time (``time.process_time``: less swayed by other processes on a shared
machine) are recorded. Reported: articles/s, tokens/s (spaCy's tokens) and characters/s (of cleaned
text) for each, the ratio spaCy time / newsgraph time (newsgraph's share of bare spaCy's speed: 1.0 is as
fast), by wall clock and by CPU time, and each layer's seconds and share of ``analyze_many``.

Input: the throughput corpus (``bench.corpus``: 1,465 real English articles from ../shared/datasets,
extraction pages, PolNeAR, TempEval), or a folder of ``*.txt``/``*.html`` articles. ``--step K`` takes
every K-th article (default 2: 733 articles of all three sources, about 6 minutes on the team's 2-core
machine; ``--step 1``, the whole corpus, about 12), ``--limit N`` the first N of those.

Run (from the repository root)::

    .venv/bin/python -m bench.speed                          # every 2nd article of the corpus
    .venv/bin/python -m bench.speed --step 8 --repeats 2     # a smaller sample, two runs each
    .venv/bin/python -m bench.speed path/to/articles/ --step 1   # a folder of your own

Writes ``bench/results/speed.json`` for a run on the default sample (``--out`` to write another). The
machine has few cores; run nothing heavy beside it. The common flags are in ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import spacy

from newsgraph import nlp, pipeline
from newsgraph.clean import clean_article
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.layers import Layer, registered
from newsgraph.matmul import use_matmul
from newsgraph.sources.raw import read_input

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/speed.py
from bench import corpus, harness

NAME = "speed"
SUFFIXES = {".txt", ".html", ".htm"}
BATCH_SIZE = pipeline.BATCH_SIZE
DEFAULT_WARM = 40
DEFAULT_STEP = 2


def read_all(folder: Path) -> list[RawArticle]:
    """Every article file in the folder; one that cannot be read is reported and left out."""
    raws = []
    for p in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
        try:
            raws.append(read_input(str(p)))
        except InputError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
    return raws


class _TimedLayer:
    """A registered layer whose function adds its time to ``seconds[name]``."""

    def __init__(self, layer: Layer, seconds: dict[str, float]) -> None:
        self._layer, self._seconds = layer, seconds
        self.name, self.writes, self.needs, self.languages = layer.name, layer.writes, layer.needs, layer.languages
        seconds.setdefault(layer.name, 0.0)

    def function(self, language: str | None = None) -> Callable[..., Any] | None:
        run = self._layer.function(language)
        if run is None:
            return None
        seconds, name = self._seconds, self.name

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return run(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - t0

        return timed


def rate(seconds: float, articles: int, tokens: int, chars: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 3),
        "articles_per_s": round(articles / seconds, 2),
        "tokens_per_s": round(tokens / seconds),
        "chars_per_s": round(chars / seconds),
        "ms_per_article": round(1000 * seconds / articles, 2),
    }


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("folder", nargs="?", type=Path, help="a folder of articles (default: the throughput corpus)")
    ap.add_argument("--data", type=Path, default=harness.SHARED, help="the shared folder (the corpus's datasets)")
    ap.add_argument("--step", type=int, default=DEFAULT_STEP, help="every K-th article (default 2; 1: all)")
    ap.add_argument("--repeats", type=int, default=1, help="timed runs of each path (the best counts)")
    ap.add_argument("--warm", type=int, default=DEFAULT_WARM, help="articles each path reads before the timing")
    ap.add_argument("--parse-alone", action="store_true", help="also time newsgraph's parse without the layers")
    ap.add_argument("--with-breaks", action="store_true", help="also time the bare model with the paragraph breaks")
    return ap


def load_articles(args: argparse.Namespace) -> tuple[list[RawArticle], str]:
    if args.folder is None:
        raws = corpus.articles(args.data)
        if not raws:
            raise harness.Skip(f"no corpus under {args.data}")
        what = "bench.corpus (extraction pages, PolNeAR, TempEval)"
    elif args.folder.is_dir():
        raws, what = read_all(args.folder), f"folder {args.folder}"
    else:
        raise harness.Skip(f"{args.folder} is not a folder")
    raws = raws[:: args.step][: args.limit]
    if not raws:
        raise harness.Skip("no articles")
    if args.step != 1:
        what += f", one article in {args.step}"
    return raws, what


def run(args: argparse.Namespace) -> dict[str, Any]:
    raws, what = load_articles(args)
    t0 = time.perf_counter()
    bare_model = spacy.load(nlp.MODEL)
    t_bare_load = time.perf_counter() - t0
    matmul_model = spacy.load(nlp.MODEL)
    use_matmul(matmul_model)
    breaks_model = None
    if args.with_breaks:
        breaks_model = spacy.load(nlp.MODEL)
        breaks_model.add_pipe("newsgraph_paragraphs", before="parser")
    t0 = time.perf_counter()
    ours = nlp.load()
    t_load = time.perf_counter() - t0

    texts = [nlp.matching_form(clean_article(raw).text) for raw in raws]
    n, chars = len(raws), sum(len(t) for t in texts)
    warm_raws, warm_texts = raws[: args.warm], texts[: args.warm]
    tokens = 0

    def bare(batch: list[str]) -> None:
        nonlocal tokens
        tokens = sum(len(doc) for doc in bare_model.pipe(batch, batch_size=BATCH_SIZE))

    def bare_matmul(batch: list[str]) -> None:
        for _ in matmul_model.pipe(batch, batch_size=BATCH_SIZE):
            pass

    def with_breaks(batch: list[str]) -> None:
        assert breaks_model is not None
        for _ in breaks_model.pipe(batch, batch_size=BATCH_SIZE):
            pass

    def own_parse(batch: list[str]) -> None:
        for _ in ours.pipe(batch, batch_size=BATCH_SIZE):
            pass

    def cleaning(batch: list[RawArticle]) -> None:
        for raw in batch:
            clean_article(raw)

    layer_s: dict[str, float] = {}
    timed_layers = [_TimedLayer(layer, layer_s) for layer in registered()]

    def timed_registry() -> Iterator[Any]:
        return iter(timed_layers)

    def full(batch: list[RawArticle]) -> None:
        for _ in pipeline.analyze_many(batch, batch_size=BATCH_SIZE):
            pass

    paths: list[tuple[str, Callable[[Any], None], list[Any], list[Any]]] = [
        ("spacy_pipe", bare, texts, warm_texts),
        ("spacy_pipe_matmul", bare_matmul, texts, warm_texts),
        ("newsgraph_analyze_many", full, raws, warm_raws),
        ("cleaning", cleaning, raws, warm_raws),
    ]
    if args.parse_alone:
        paths.insert(1, ("newsgraph_parse", own_parse, texts, warm_texts))
    if args.with_breaks:
        paths.insert(1, ("spacy_pipe_with_breaks", with_breaks, texts, warm_texts))

    print(f"{what}: {n} articles, {chars:,} cleaned chars")
    print(
        f"model {nlp.MODEL}: bare load {t_bare_load:.2f} s, newsgraph's {t_load:.2f} s; batch size {BATCH_SIZE};"
        f" warm-up on {len(warm_raws)} articles, best of {args.repeats}"
    )
    # add_layers reads the registry through the name pipeline.registered: the timed layers stand in for it
    namespace = vars(pipeline)
    real_registered = namespace["registered"]
    namespace["registered"] = timed_registry
    try:
        for _, fn, _, warm in paths:
            fn(warm)
        runs: dict[str, list[float]] = {name: [] for name, *_ in paths}
        cpu: dict[str, list[float]] = {name: [] for name, *_ in paths}
        best_layers: dict[str, float] = {}
        for _ in range(args.repeats):
            for name, fn, batch, _ in paths:
                for k in layer_s:
                    layer_s[k] = 0.0
                t0, c0 = time.perf_counter(), time.process_time()
                fn(batch)
                runs[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
                print(f"  {name:<24} {runs[name][-1]:8.2f} s, CPU {cpu[name][-1]:8.2f} s", flush=True)
                if name == "newsgraph_analyze_many" and runs[name][-1] == min(runs[name]):
                    best_layers = dict(layer_s)
    finally:
        namespace["registered"] = real_registered

    best = {name: min(times) for name, times in runs.items()}
    rates = {name: rate(seconds, n, tokens, chars) for name, seconds in best.items()}
    t_bare, t_full = best["spacy_pipe"], best["newsgraph_analyze_many"]
    print(f"\n{'':<26}{'articles/s':>11}{'tokens/s':>11}{'chars/s':>12}{'ms/article':>12}{'best s':>9}")
    for name, r in rates.items():
        print(
            f"{name:<26}{r['articles_per_s']:>11.2f}{r['tokens_per_s']:>11,}{r['chars_per_s']:>12,}"
            f"{r['ms_per_article']:>12.2f}{r['seconds']:>9.2f}"
        )
    ratio = t_bare / t_full
    best_cpu = {name: min(times) for name, times in cpu.items()}
    cpu_ratio = best_cpu["spacy_pipe"] / best_cpu["newsgraph_analyze_many"]
    print(f"\nnewsgraph / spaCy speed = {ratio:.3f} (spaCy {t_bare:.2f} s, analyze_many {t_full:.2f} s)")
    print(
        f"by CPU time = {cpu_ratio:.3f} (spaCy {best_cpu['spacy_pipe']:.2f} s,"
        f" analyze_many {best_cpu['newsgraph_analyze_many']:.2f} s)"
    )
    m, mc = best["spacy_pipe_matmul"], best_cpu["spacy_pipe_matmul"]
    print(
        f"next to spaCy with newsgraph's matrix products ({m:.2f} s): {m / t_full:.3f} by wall clock,"
        f" {mc / best_cpu['newsgraph_analyze_many']:.3f} by CPU time; the products alone make spaCy"
        f" {t_bare / m:.2f}x as fast"
    )
    if "spacy_pipe_with_breaks" in best:
        b, c = best["spacy_pipe_with_breaks"], best_cpu["spacy_pipe_with_breaks"]
        print(
            f"next to spaCy with newsgraph's paragraph breaks: {b / t_full:.3f} by wall clock,"
            f" {c / best_cpu['newsgraph_analyze_many']:.3f} by CPU time"
        )
    print("layers, in the best analyze_many run:")
    for name, seconds in best_layers.items():
        print(f"  {name:<12} {seconds:7.2f} s = {100 * seconds / t_full:4.1f}% of analyze_many")
    total_layers = sum(best_layers.values())
    print(f"  {'all':<12} {total_layers:7.2f} s = {100 * total_layers / t_full:4.1f}%")
    return {
        "corpus": what,
        "articles": n,
        "tokens": tokens,
        "cleaned_chars": chars,
        "model": nlp.MODEL,
        "model_load_s": {"bare": round(t_bare_load, 3), "newsgraph": round(t_load, 3)},
        "batch_size": BATCH_SIZE,
        "warm_articles": len(warm_raws),
        "repeats": args.repeats,
        "runs_s": {k: [round(t, 3) for t in v] for k, v in runs.items()},
        "cpu_s": {k: [round(t, 3) for t in v] for k, v in cpu.items()},
        "best": rates,
        "speed_ratio": round(ratio, 3),
        "speed_ratio_cpu": round(cpu_ratio, 3),
        "speed_ratio_matmul": round(best["spacy_pipe_matmul"] / t_full, 3),
        "speed_ratio_matmul_cpu": round(best_cpu["spacy_pipe_matmul"] / best_cpu["newsgraph_analyze_many"], 3),
        "matmul_speed_up_of_spacy": round(t_bare / best["spacy_pipe_matmul"], 3),
        **(
            {
                "speed_ratio_with_breaks": round(best["spacy_pipe_with_breaks"] / t_full, 3),
                "speed_ratio_with_breaks_cpu": round(
                    best_cpu["spacy_pipe_with_breaks"] / best_cpu["newsgraph_analyze_many"], 3
                ),
            }
            if "spacy_pipe_with_breaks" in best
            else {}
        ),
        "layers_s": {k: round(v, 3) for k, v in best_layers.items()},
        "layers_share": {k: round(v / t_full, 4) for k, v in best_layers.items()},
    }


def main(argv: list[str] | None = None) -> int:
    return harness.main(
        NAME,
        arguments(),
        run,
        argv,
        complete=lambda args: args.folder is None and args.step == DEFAULT_STEP,
    )


if __name__ == "__main__":
    raise SystemExit(main())
