"""Throughput of newsgraph on the throughput corpus, every way it runs, next to bare spaCy and a peer stack.

The corpus is ``bench/corpus.py``'s (1,465 real articles: the extraction benchmark's pages, PolNeAR,
TempEval-3). Articles that cleaning refuses are counted and left out of every measurement, so all of them
see the same texts. The corpus's article count, characters (cleaned) and tokens (spaCy tokens of the
cleaned texts) are reported; every rate below is articles/s and tokens/s over those counts.

Measured in one run, on the same texts:

1. ``spacy``: bare ``nlp.pipe`` (``newsgraph.nlp.load()``, every component, ``BATCH_SIZE``) over the matching
   form of the cleaned texts: the ceiling (cleaning not included);
2. ``analyze_many``: ``newsgraph.pipeline.analyze_many``, one worker, in this process: cleaning, parse, layers;
3. ``batch_local``: ``newsgraph batch SHARDS --out DIR --engine local --workers 1`` and ``--workers 2``, each
   a whole process (wall time including start-up), with the speed-up from 1 to 2 workers;
4. ``batch_ray``: ``newsgraph batch SHARDS --out DIR --engine ray --workers 2``, a whole process;
5. ``ingest``: ``newsgraph ingest SHARDS --db FILE`` (and ``--workers 2``), a whole process each;
6. ``peer``: a do-it-yourself stack on the same cleaned texts: plain spaCy (``spacy.load`` of the same model
   package, every component: NER and the parse textacy needs), textacy's ``direct_quotations`` (per paragraph
   where it refuses a document, as bench/polnear.py calls it), dateparser's ``search_dates`` (RELATIVE_BASE =
   the publication date, as bench/tempeval.py), quantulum3's ``parser.parse`` per sentence (as
   bench/quantities.py) and geotext's city and country names (as bench/toponyms.py); each tool's seconds;
7. ``lengths``: one ``analyze`` of a text of 1k, 10k, 100k, 500k and 1M characters (``--sizes``), built from
   the corpus's cleaned body paragraphs one after the other (real prose), each in a fresh process after the
   warm-up of bench/long_texts.py: seconds, µs per character, the peak memory and what the text added; the
   growth exponent (log time against log length, 10k and up) says whether the cost is linear.

For every measurement: articles/s, tokens/s, the ratio to bare spaCy (``vs_spacy``: its articles/s over
spaCy's) and articles per day per core (the cores it used: its workers, at most the machine's). For the whole
processes: the peak resident memory of the largest process (``wait4``'s ``ru_maxrss``) and the batch report's
largest worker peak (``peak_rss_mb``). newsgraph against the peer: ``analyze_many`` articles/s over the peer's
(the issue's goal: >= 10). A command that does not exist here (``newsgraph batch --help`` fails, no
``--workers``, Ray not installed) is reported as not available; the rest runs.

Run (from the repository root)::

    .venv/bin/python -m bench.throughput                          # the whole corpus (see below)
    .venv/bin/python -m bench.throughput --limit 200 --skip peer  # a quick look (written only with --out)

Every measurement but ``lengths`` passes over the whole corpus (eight passes): 200 articles took 10.5 minutes
on 2 shared cores (load 2.3-3.1), the lengths 3 minutes; the whole corpus (1,465 articles) takes about an hour.

``--skip NAME,...`` leaves measurements out (names above; without ``spacy`` there is no ``vs_spacy``),
``--repeats N`` repeats the in-process ones (the best counts), ``--shard-size`` is passed to batch (default 100,
the corpus's shard files). Writes ``bench/results/throughput.json``. The machine has few cores: run nothing
heavy beside it; the figures record the load average at the start and the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for python bench/throughput.py
from bench import corpus as corpus_module
from bench import harness, long_texts
from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.defaults import BATCH_SIZE, MAX_ARTICLE_CHARS
from newsgraph.document import Document, RawArticle
from newsgraph.errors import InputError
from newsgraph.pipeline import analyze, analyze_many

NAME = "throughput"
PEERS = ("textacy", "dateparser", "quantulum3", "geotext", "ray")
MEASUREMENTS = ("spacy", "analyze_many", "batch_local", "batch_ray", "ingest", "peer", "lengths")
DEFAULT_SIZES = (1_000, 10_000, 100_000, 500_000, 1_000_000)
DEFAULT_TIMEOUT_S = 600.0
SECONDS_PER_DAY = 86_400
LINEAR_EXPONENT = 1.15  # growth exponent up to which the cost counts as linear in the length


# --- the corpus -------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    raws: list[RawArticle]  # the articles that clean
    docs: list[Document]  # their cleaned documents
    texts: list[str]  # their matching forms (what the parse reads)
    refused: list[str] = field(default_factory=list)  # "name: why" of the articles cleaning refuses
    read: int = 0  # articles read from the corpus
    tokens: int = 0  # spaCy tokens of the texts

    @property
    def articles(self) -> int:
        return len(self.raws)

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)


def prepare(shared: Path, limit: int | None) -> Corpus:
    """The corpus's first ``limit`` articles, cleaned; those cleaning refuses counted and left out."""
    raws, docs, refused = [], [], []
    read = corpus_module.articles(shared, limit=limit)
    for raw in read:
        try:
            docs.append(clean_article(raw))
            raws.append(raw)
        except InputError as exc:
            refused.append(f"{raw.name}: {exc}")
    corpus = Corpus(raws, docs, [nlp.matching_form(d.text) for d in docs], refused, read=len(read))
    if corpus.texts:
        # the pipe's tokens are the tokenizer's (no component of the model merges or splits tokens)
        tokenizer: Any = nlp.load().tokenizer
        corpus.tokens = sum(len(d) for d in tokenizer.pipe(corpus.texts))
    return corpus


def write_shards(shared: Path, corpus: Corpus, folder: Path, limit: int | None) -> list[Path]:
    """JSON Lines shards for the whole-process measurements: ``corpus.write_corpus``'s, or, where cleaning
    refuses some articles, the same records without them (so the processes see the same articles)."""
    if not corpus.refused:
        return corpus_module.write_corpus(folder, shared, limit=limit)
    kept = {raw.name for raw in corpus.raws}
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({k: v for k, v in rec.items() if k != "name"}, ensure_ascii=False) + "\n"
        for i, rec in enumerate(corpus_module.records(shared))
        if (limit is None or i < limit) and rec["name"] in kept
    ]
    paths: list[Path] = []
    for k in range(0, len(lines), corpus_module.SHARD):
        path = folder / f"part-{len(paths):03d}.jsonl"
        path.write_text("".join(lines[k : k + corpus_module.SHARD]), encoding="utf-8")
        paths.append(path)
    return paths


# --- rates ------------------------------------------------------------------------------------------------


def rate(seconds: float, corpus: Corpus, cores: int = 1, cpu_s: float | None = None) -> dict[str, Any]:
    """Articles/s, tokens/s and articles per day per core of ``seconds`` over the corpus; with the CPU
    seconds, how many cores it kept busy on average (``cpu_per_wall``)."""
    per_s = corpus.articles / seconds if seconds > 0 else 0.0
    cpu = {} if cpu_s is None else {"cpu_s": round(cpu_s, 3), "cpu_per_wall": round(cpu_s / seconds, 2)}
    return {
        "seconds": round(seconds, 3),
        **cpu,
        "articles_per_s": round(per_s, 3),
        "tokens_per_s": round(corpus.tokens / seconds) if seconds > 0 else 0,
        "cores": cores,
        "articles_per_day_per_core": round(per_s * SECONDS_PER_DAY / cores),
    }


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, float, list[float]]:
    """The best wall seconds of ``repeats`` runs, that run's CPU seconds (every thread of this process), and
    every run's wall seconds."""
    runs = []
    for _ in range(max(repeats, 1)):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    best = min(runs)
    return best[0], best[1], [round(t, 3) for t, _ in runs]


def cores_for(workers: int) -> int:
    return max(1, min(workers, os.cpu_count() or 1))


# --- 1. bare spaCy, 2. analyze_many ---------------------------------------------------------------------------


def measure_spacy(corpus: Corpus, repeats: int) -> dict[str, Any]:
    """``nlp.load().pipe`` over the texts; counts the corpus's tokens."""
    t0 = time.perf_counter()
    model = nlp.load()
    load_s = time.perf_counter() - t0
    for _ in model.pipe(corpus.texts[:3], batch_size=BATCH_SIZE):  # warm-up
        pass
    counted: list[int] = []

    def once() -> None:
        counted.append(sum(len(d) for d in model.pipe(corpus.texts, batch_size=BATCH_SIZE)))

    best, cpu, runs = best_of(once, repeats)
    return {
        **rate(best, corpus, cpu_s=cpu),
        "runs_s": runs,
        "tokens_parsed": counted[-1],
        "model_load_s": round(load_s, 3),
        "components": list(model.pipe_names),
    }


def measure_analyze_many(corpus: Corpus, repeats: int) -> dict[str, Any]:
    analyze(corpus.raws[0])  # warm-up: the lexicons, the gazetteer

    def once() -> None:
        for _ in analyze_many(corpus.raws, batch_size=BATCH_SIZE):
            pass

    best, cpu, runs = best_of(once, repeats)
    return {**rate(best, corpus, cpu_s=cpu), "runs_s": runs}


# --- whole processes ------------------------------------------------------------------------------------------


def newsgraph_command() -> list[str]:
    script = Path(sys.executable).parent / "newsgraph"
    found = str(script) if script.exists() else shutil.which("newsgraph")
    return [found] if found else [sys.executable, "-c", "from newsgraph.cli import main; raise SystemExit(main())"]


def help_text(subcommand: str) -> str | None:
    """``newsgraph SUBCOMMAND --help``'s text, or None where the subcommand does not exist."""
    try:
        done = subprocess.run(
            [*newsgraph_command(), subcommand, "--help"], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


# A small process between this one and the command measured: on Linux a process's peak memory (``ru_maxrss``)
# starts at its parent's resident size when it was spawned, so a command started from this process (the model
# and the corpus loaded) would count this process's memory as its own. The launcher is small; it starts the
# command, waits, and writes the command's wall seconds, the peak of its largest process and the CPU seconds of
# all (``RUSAGE_CHILDREN``: the command and the descendants it waited for) to the file named first.
LAUNCHER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as fh:
    json.dump({"wall_s": wall, "max_rss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}, fh)
sys.exit(rc)
"""


def run_process(cmd: Sequence[str], timeout: float, cwd: Path | None = None) -> dict[str, Any]:
    """One command as a whole process (through ``LAUNCHER``): wall seconds, exit status, the peak resident
    memory of its largest process, its JSON report (stdout from its first parsable ``{`` on, if any) and the
    tail of its stderr. Killed, with all its processes, after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="newsgraph-run-") as tmp:
        usage_file = Path(tmp) / "usage.json"
        out_file, err_file = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with out_file.open("wb") as out, err_file.open("wb") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(usage_file), *cmd],
                stdout=out,
                stderr=err,
                cwd=cwd,
                start_new_session=True,
            )
            try:
                proc.wait(timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                timed_out = True
            wall = time.perf_counter() - t0
        stdout = out_file.read_text(encoding="utf-8", errors="replace")
        stderr = err_file.read_text(encoding="utf-8", errors="replace")
        usage = json.loads(usage_file.read_text(encoding="utf-8")) if usage_file.exists() else {}
    result: dict[str, Any] = {
        "wall_s": round(usage.get("wall_s", wall), 3),
        "exit_status": proc.returncode,
        "max_rss_mb": round(usage["max_rss_kb"] / 1024, 1) if "max_rss_kb" in usage else None,  # kB on Linux
        "cpu_s": usage.get("cpu_s"),
    }
    if timed_out:
        result["error"] = f"timed out after {timeout:g} s"
    report = _json_tail(stdout)
    if report is not None:
        result["report"] = report
    tail = stderr.strip().splitlines()[-5:]
    if tail and (proc.returncode != 0 or report is None):
        result["stderr_tail"] = tail
    return result


def _json_tail(stdout: str) -> Any:
    text = stdout.strip()
    if not text:
        return None
    start = text.find("{")
    while start >= 0:
        try:
            return json.loads(text[start:])
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
    return None


def process_figures(done: dict[str, Any], corpus: Corpus, workers: int) -> dict[str, Any]:
    """A whole process's rates (over the corpus's articles and tokens), its memory and what its report says."""
    out: dict[str, Any] = {**rate(done["wall_s"], corpus, cores_for(workers), done.get("cpu_s")), "workers": workers}
    out["exit_status"] = done["exit_status"]
    out["max_rss_mb"] = done["max_rss_mb"]
    report = done.get("report")
    if isinstance(report, dict):
        for key in (
            "documents",
            "added",
            "duplicates",
            "unchanged",
            "skipped",
            "seconds",
            "worker_seconds",
            "write_seconds",
        ):
            if key in report:
                out[f"report_{key}"] = report[key]
        if report.get("peak_rss_mb"):
            out["peak_rss_mb_per_worker"] = report["peak_rss_mb"]
        failed = report.get("failed")
        if failed:
            out["report_failed"] = len(failed) if isinstance(failed, list) else failed
    for key in ("error", "stderr_tail"):
        if key in done:
            out[key] = done[key]
    return out


def measure_batch(
    shards: list[Path], tmp: Path, corpus: Corpus, engine: str, workers: int, shard_size: int, timeout: float
) -> dict[str, Any]:
    out_dir = tmp / f"batch-{engine}-{workers}"
    cmd = [
        *newsgraph_command(),
        "batch",
        *map(str, shards),
        "--out",
        str(out_dir),
        "--engine",
        engine,
        "--workers",
        str(workers),
        "--shard-size",
        str(shard_size),
        "--json",
    ]
    figures = process_figures(run_process(cmd, timeout), corpus, workers)
    if engine == "ray":  # Ray's actors are not the command's children: their memory and CPU are not counted
        figures["note"] = "cpu_s and max_rss_mb: the driver only; peak_rss_mb_per_worker: the actors (report)"
    shutil.rmtree(out_dir, ignore_errors=True)
    return figures


def measure_ingest(shards: list[Path], tmp: Path, corpus: Corpus, workers: int, timeout: float) -> dict[str, Any]:
    db = tmp / f"ingest-{workers}.db"
    cmd = [*newsgraph_command(), "ingest", *map(str, shards), "--db", str(db), "--json"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    figures = process_figures(run_process(cmd, timeout), corpus, workers)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return figures


def not_available(why: str) -> dict[str, Any]:
    return {"available": False, "why": why}


def speed_up(one: dict[str, Any], two: dict[str, Any]) -> float | None:
    if one.get("exit_status") != 0 or two.get("exit_status") != 0 or not two.get("seconds"):
        return None
    return round(float(one["seconds"]) / float(two["seconds"]), 3)


# --- 6. the peer stack --------------------------------------------------------------------------------------


def measure_peer(corpus: Corpus) -> dict[str, Any]:
    """Plain spaCy, textacy, dateparser, quantulum3 and geotext over the texts, each tool's seconds."""
    import spacy
    from dateparser.search import search_dates
    from quantulum3 import classifier
    from quantulum3 import parser as quantulum

    from bench.polnear import textacy_predictions
    from bench.toponyms import geotext_mentions

    logging.getLogger("quantulum3").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    classifier.USE_CLF = False  # bench/quantities.py: its heuristic unit disambiguation
    t0 = time.perf_counter()
    model = spacy.load(nlp.MODEL)
    load_s = time.perf_counter() - t0
    seconds = {"spacy": 0.0, "textacy": 0.0, "dateparser": 0.0, "quantulum3": 0.0, "geotext": 0.0}
    found = {"entities": 0, "quotes": 0, "dates": 0, "quantities": 0, "places": 0}
    errors = {"textacy_refused_paragraphs": 0, "dateparser": 0, "quantulum3": 0}

    @contextlib.contextmanager
    def timed(tool: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            seconds[tool] += time.perf_counter() - t

    def tools(parsed: Any, text: str, doc: Document, raw: RawArticle) -> None:
        with timed("textacy"):
            quotes, refused = textacy_predictions(parsed, text, doc)
        found["quotes"] += len(quotes)
        errors["textacy_refused_paragraphs"] += refused
        published = raw.published or doc.meta.published
        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        if published:
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(published)
        with timed("dateparser"):
            try:
                found["dates"] += len(search_dates(text, languages=["en"], settings=settings) or [])
            except Exception:  # a peer's failure on one article is counted, not fatal
                errors["dateparser"] += 1
        with timed("quantulum3"):
            for sent in parsed.sents:
                try:
                    found["quantities"] += len(quantulum.parse(sent.text))
                except Exception:
                    errors["quantulum3"] += 1
        with timed("geotext"):
            found["places"] += len(geotext_mentions(text) or [])

    first = model(corpus.texts[0])  # warm-up: every tool's tables loaded
    tools(first, corpus.texts[0], corpus.docs[0], corpus.raws[0])
    for table_ in (seconds, found, errors):
        for key in table_:
            table_[key] = 0

    started = time.perf_counter()
    stream = iter(model.pipe(corpus.texts, batch_size=BATCH_SIZE))
    for text, doc, raw in zip(corpus.texts, corpus.docs, corpus.raws, strict=True):
        with timed("spacy"):
            parsed = next(stream)
        found["entities"] += len(parsed.ents)
        tools(parsed, text, doc, raw)
    total = time.perf_counter() - started
    return {
        **rate(total, corpus),
        "model_load_s": round(load_s, 3),
        "components": list(model.pipe_names),
        "seconds_by_tool": {k: round(v, 3) for k, v in seconds.items()},
        "share_by_tool": {k: round(v / total, 3) for k, v in seconds.items()} if total else {},
        "found": found,
        "errors": errors,
        "with_publication_date": sum(
            1 for r, d in zip(corpus.raws, corpus.docs, strict=True) if r.published or d.meta.published
        ),
    }


# --- 7. cost against length ---------------------------------------------------------------------------------


def long_text(corpus: Corpus, size: int) -> tuple[str, bool]:
    """The corpus's cleaned body paragraphs one after the other (blank lines between) up to ``size``
    characters, cut at a word; and whether the corpus had to be repeated to reach it."""
    paragraphs = [doc.text[p.start : p.end] for doc in corpus.docs for p in doc.paragraphs if p.kind == "body"]
    paragraphs = [p for p in paragraphs if p.strip()] or [t for t in corpus.texts if t.strip()]
    return long_texts.joined(paragraphs, size)


def length_worker(shared: Path, path: Path) -> int:
    """In a fresh process: the warm-up, then one ``analyze`` of the text in ``path``; JSON on stdout."""
    long_texts.warm_up(shared)
    text = path.read_text(encoding="utf-8")
    base = long_texts.peak_mb()
    t0 = time.perf_counter()
    doc = analyze(
        RawArticle(name=f"<{len(text):,} characters>", content=text, format="text", published=long_texts.PUBLISHED)
    )
    seconds = time.perf_counter() - t0
    peak = long_texts.peak_mb()
    figures = {
        "chars": len(doc.text),
        "seconds": round(seconds, 3),
        "base_mb": round(base, 1),
        "peak_mb": round(peak, 1),
        "article_mb": round(peak - base, 1),
        "entities": len(doc.entities),
    }
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


def measure_lengths(shared: Path, corpus: Corpus, sizes: Sequence[int], tmp: Path, timeout: float) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for size in sorted(min(s, MAX_ARTICLE_CHARS) for s in sizes):
        text, repeated = long_text(corpus, size)
        path = tmp / f"long-{size}.txt"
        path.write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "bench.throughput", "--data", str(shared), "--length-worker", str(path)]
        done = run_process(cmd, timeout, cwd=harness.ROOT)
        path.unlink()
        report = done.get("report")
        if done["exit_status"] != 0 or not isinstance(report, dict):
            rows[str(size)] = {"error": done.get("error") or f"exit status {done['exit_status']}", **done}
            continue
        report["us_per_char"] = round(1e6 * report["seconds"] / max(report["chars"], 1), 2)
        report["process_s"] = done["wall_s"]
        report["corpus_repeated"] = repeated
        rows[str(size)] = report
    return {"sizes": rows, **linearity(rows)}


def linearity(rows: dict[str, Any]) -> dict[str, Any]:
    """The growth exponent of time against length (least squares on logs, 10k characters and up: below, the
    fixed cost of an article dominates) and whether it is linear."""
    points = [(r["chars"], r["seconds"]) for r in rows.values() if "seconds" in r and r["chars"] >= 10_000]
    points = [(c, s) for c, s in points if s > 0]
    if len(points) < 2:
        return {"exponent": None, "linear": None}
    xs, ys = [math.log(c) for c, _ in points], [math.log(s) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    us = [1e6 * s / c for c, s in points]
    return {
        "exponent": round(slope, 3),
        "linear": slope <= LINEAR_EXPONENT,
        "us_per_char_range": [round(min(us), 2), round(max(us), 2)],
    }


# --- the run --------------------------------------------------------------------------------------------------


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def arguments() -> argparse.ArgumentParser:
    ap = harness.parser(__doc__)
    ap.add_argument("--data", type=Path, default=harness.SHARED, help="the shared folder (datasets, seed)")
    ap.add_argument("--skip", default="", help=f"measurements left out, comma-separated: {', '.join(MEASUREMENTS)}")
    ap.add_argument("--repeats", type=int, default=1, help="runs of the in-process measurements (the best counts)")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="lengths in characters")
    ap.add_argument(
        "--shard-size", type=int, default=corpus_module.SHARD, help="articles per batch shard (default %(default)s)"
    )
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds allowed to each process")
    ap.add_argument("--length-worker", type=Path, help=argparse.SUPPRESS)
    return ap


def skipped(args: argparse.Namespace) -> set[str]:
    names = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = names - set(MEASUREMENTS)
    if unknown:
        raise SystemExit(
            f"--skip: unknown measurement(s) {', '.join(sorted(unknown))}; known: {', '.join(MEASUREMENTS)}"
        )
    return names


def run(args: argparse.Namespace) -> dict[str, Any]:
    harness.require(args.data / corpus_module.POLNEAR, "PolNeAR (the throughput corpus)")
    skip = skipped(args)
    load_start = load_average()
    corpus = prepare(args.data, args.limit)
    if not corpus.raws:
        raise harness.Skip("no article of the corpus could be cleaned")
    print(f"corpus: {corpus.read} articles read, {len(corpus.refused)} refused by cleaning, {corpus.articles} kept")
    results: dict[str, Any] = {}
    print(f"  {corpus.chars:,} characters, {corpus.tokens:,} tokens")
    if "spacy" not in skip:
        results["spacy"] = measure_spacy(corpus, args.repeats)
        print(f"  spaCy pipe {results['spacy']['seconds']} s")
    if "analyze_many" not in skip:
        results["analyze_many"] = measure_analyze_many(corpus, args.repeats)
        print(f"  analyze_many {results['analyze_many']['seconds']} s")
    if "peer" not in skip:
        results["peer"] = measure_peer(corpus)
        print(f"  peer stack {results['peer']['seconds']} s")

    with tempfile.TemporaryDirectory(prefix="newsgraph-throughput-") as tmp_name:
        tmp = Path(tmp_name)
        shards: list[Path] = []
        if not {"batch_local", "batch_ray", "ingest"} <= skip:
            shards = write_shards(args.data, corpus, tmp / "shards", args.limit)
        batch_help = help_text("batch") if not {"batch_local", "batch_ray"} <= skip else None
        if "batch_local" not in skip:
            if batch_help is None or "--workers" not in batch_help:
                results["batch_local_1"] = results["batch_local_2"] = not_available(
                    "newsgraph batch does not exist here (or has no --workers)"
                )
            else:
                for workers in (1, 2):
                    results[f"batch_local_{workers}"] = measure_batch(
                        shards, tmp, corpus, "local", workers, args.shard_size, args.timeout
                    )
                    print(f"  batch local x{workers} {results[f'batch_local_{workers}']['seconds']} s")
        if "batch_ray" not in skip:
            if batch_help is None or "ray" not in batch_help:
                results["batch_ray_2"] = not_available("newsgraph batch has no --engine ray here")
            elif importlib.util.find_spec("ray") is None:
                results["batch_ray_2"] = not_available("Ray is not installed (pip install 'newsgraph[ray]')")
            else:
                results["batch_ray_2"] = measure_batch(shards, tmp, corpus, "ray", 2, args.shard_size, args.timeout)
                print(f"  batch ray x2 {results['batch_ray_2']['seconds']} s")
        if "ingest" not in skip:
            ingest_help = help_text("ingest")
            if ingest_help is None:
                results["ingest_1"] = not_available("newsgraph ingest does not exist here")
            else:
                results["ingest_1"] = measure_ingest(shards, tmp, corpus, 1, args.timeout)
                print(f"  ingest {results['ingest_1']['seconds']} s")
                if "--workers" in ingest_help:
                    results["ingest_2"] = measure_ingest(shards, tmp, corpus, 2, args.timeout)
                    print(f"  ingest --workers 2 {results['ingest_2']['seconds']} s")
                else:
                    results["ingest_2"] = not_available("newsgraph ingest has no --workers here")
        lengths = None
        if "lengths" not in skip:
            lengths = measure_lengths(args.data, corpus, args.sizes, tmp, args.timeout)

    figures = summarise(corpus, results, lengths)
    figures["load_average"] = {"start": load_start, "end": load_average()}
    figures["settings"] = {
        "limit": args.limit,
        "repeats": args.repeats,
        "batch_size": BATCH_SIZE,
        "shard_size": args.shard_size,
        "skipped": sorted(skip),
        "cpus": os.cpu_count(),
    }
    print()
    print(table(figures))
    return figures


def summarise(corpus: Corpus, results: dict[str, Any], lengths: dict[str, Any] | None) -> dict[str, Any]:
    """The figures: the corpus, each measurement with its ratio to spaCy, the batch speed-ups, newsgraph
    against the peer, and the lengths."""
    ceiling = results.get("spacy", {}).get("articles_per_s")
    for r in results.values():
        if r.get("available", True) and r.get("articles_per_s"):
            r["vs_spacy"] = round(r["articles_per_s"] / ceiling, 4) if ceiling else None
    comparisons: dict[str, Any] = {}
    if "batch_local_1" in results and "batch_local_2" in results:
        comparisons["batch_local_speed_up_1_to_2"] = speed_up(results["batch_local_1"], results["batch_local_2"])
    if results.get("ingest_2", {}).get("available", True) and "ingest_1" in results and "ingest_2" in results:
        comparisons["ingest_speed_up_1_to_2"] = speed_up(results["ingest_1"], results["ingest_2"])
    peer = results.get("peer")
    if peer and peer.get("articles_per_s"):
        for name in ("analyze_many", "batch_local_1", "batch_local_2", "batch_ray_2", "ingest_1", "ingest_2"):
            r = results.get(name, {})
            if r.get("articles_per_s") and r.get("exit_status", 0) == 0:
                comparisons[f"{name}_vs_peer"] = round(r["articles_per_s"] / peer["articles_per_s"], 2)
        goal = comparisons.get("analyze_many_vs_peer")
        comparisons["goal_10x_met"] = None if goal is None else goal >= 10
    out: dict[str, Any] = {
        "corpus": {
            "what": "bench/corpus.py: the extraction benchmark's pages, PolNeAR, TempEval-3",
            "articles_read": corpus.read,
            "articles": corpus.articles,
            "refused_by_cleaning": len(corpus.refused),
            "refused": corpus.refused[:20],
            "chars": corpus.chars,
            "tokens": corpus.tokens,
        },
        "measurements": results,
        "comparisons": comparisons,
    }
    if lengths is not None:
        out["lengths"] = lengths
    return out


def table(figures: dict[str, Any]) -> str:
    c = figures["corpus"]
    lines = [f"{c['articles']:,} articles, {c['chars']:,} characters, {c['tokens']:,} tokens"]
    head = (
        f"{'measurement':<16}{'seconds':>9}{'art/s':>9}{'tokens/s':>10}{'vs spaCy':>9}"
        f"{'art/day/core':>13}{'peak MB':>9}"
    )
    lines += [head, "-" * len(head)]
    for name, r in figures["measurements"].items():
        if not r.get("available", True):
            lines.append(f"{name:<16}  not available: {r['why']}")
            continue
        peak = r.get("peak_rss_mb_per_worker") or r.get("max_rss_mb")  # the largest worker, else process
        status = "" if r.get("exit_status", 0) == 0 else f"  (exit status {r['exit_status']})"
        vs = f"{r['vs_spacy']:.3f}" if r.get("vs_spacy") else "-"
        lines.append(
            f"{name:<16}{r['seconds']:>9.2f}{r['articles_per_s']:>9.2f}{r['tokens_per_s']:>10,}"
            f"{vs:>9}{r['articles_per_day_per_core']:>13,}"
            f"{(f'{peak:.0f}' if peak else '-'):>9}{status}"
        )
    for key, value in figures["comparisons"].items():
        lines.append(f"{key}: {value}")
    lengths = figures.get("lengths")
    if lengths:
        lines.append(f"\n{'chars':>10}{'seconds':>9}{'µs/char':>9}{'peak MB':>9}{'added MB':>9}")
        for size, r in lengths["sizes"].items():
            if "error" in r:
                lines.append(f"{int(size):>10,}  {r['error']}")
            else:
                lines.append(
                    f"{r['chars']:>10,}{r['seconds']:>9.2f}{r['us_per_char']:>9.2f}{r['peak_mb']:>9.0f}{r['article_mb']:>9.0f}"
                )
        verdict = {True: "linear", False: "not linear", None: "too few sizes to tell"}[lengths["linear"]]
        lines.append(f"growth exponent {lengths['exponent']} (10k characters and up): {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = arguments()
    args = ap.parse_args(argv)
    if args.length_worker:
        return length_worker(args.data, args.length_worker)
    return harness.main(
        NAME,
        ap,
        run,
        argv,
        peers=PEERS,
        complete=lambda a: not a.skip.strip() and sorted(a.sizes) == list(DEFAULT_SIZES),
    )


if __name__ == "__main__":
    raise SystemExit(main())
