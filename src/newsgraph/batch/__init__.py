"""``newsgraph batch``: the same analysis over a large corpus, written as Parquet datasets.

The inputs are cut into shards (``shards.py``); each shard not yet done is analysed by a worker and
written as its own files (``dataset.py``), by a pool of local processes (``pool.py``) or on Ray
(``on_ray.py``). A re-run skips the finished shards and redoes a half-written one; bad inputs go to
the ``errors`` table and the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.batch.analyse import Options, load_plugins
from newsgraph.batch.dataset import Output, ShardSummary
from newsgraph.batch.shards import Reading, Shard, plan
from newsgraph.defaults import ENGINES, SHARD_ARTICLES, WORKERS
from newsgraph.errors import BatchError
from newsgraph.progress import Progress


@dataclass
class BatchReport:
    out: str
    engine: str
    workers: int
    shards: int = 0
    skipped: int = 0  # shards done by an earlier run
    documents: int = 0
    unchanged: int = 0  # articles met twice in one shard
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, problem)
    rows: dict[str, int] = field(default_factory=dict)
    task_errors: list[tuple[str, str]] = field(default_factory=list)  # (shard, problem): shards left undone
    seconds: float = 0.0
    worker_seconds: float = 0.0  # the shards' times summed over the workers
    write_seconds: float = 0.0  # of which writing Parquet
    peak_rss_mb: float = 0.0  # the largest worker's peak resident memory
    restarts: int = 0  # workers replaced after dying or stalling

    def add(self, summary: ShardSummary) -> None:
        self.documents += summary.documents
        self.unchanged += summary.unchanged
        self.failed.extend(summary.problems)
        for table, n in summary.rows.items():
            self.rows[table] = self.rows.get(table, 0) + n
        self.peak_rss_mb = max(self.peak_rss_mb, summary.peak_rss_mb)
        self.worker_seconds += summary.seconds
        self.write_seconds += summary.write_seconds

    def summary(self) -> str:
        rate = f", {self.documents / self.seconds:.1f} documents/s" if self.documents and self.seconds > 0 else ""
        undone = f", {len(self.task_errors)} shards left undone" if self.task_errors else ""
        return (
            f"{self.out}: {self.documents} documents written from {self.shards - self.skipped} shards"
            f" ({self.skipped} done before), {len(self.failed)} failed inputs{undone}, {self.unchanged} repeated;"
            f" {self.engine} engine, {self.workers} worker{'s' if self.workers != 1 else ''},"
            f" {self.seconds:.1f} s{rate}"
            + (f", peak {self.peak_rss_mb:.0f} MiB per worker" if self.peak_rss_mb else "")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "engine": self.engine,
            "workers": self.workers,
            "shards": self.shards,
            "skipped": self.skipped,
            "documents": self.documents,
            "unchanged": self.unchanged,
            "failed": [{"input": name, "problem": problem} for name, problem in self.failed],
            "task_errors": [{"shard": name, "problem": problem} for name, problem in self.task_errors],
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "worker_seconds": round(self.worker_seconds, 3),
            "write_seconds": round(self.write_seconds, 3),
            "peak_rss_mb": self.peak_rss_mb,
            "restarts": self.restarts,
        }


def run_batch(
    specs: Iterable[str],
    out: str | Path,
    *,
    engine: str = "local",
    workers: int = WORKERS,
    options: Options | None = None,
    reading: Reading | None = None,
    shard_size: int = SHARD_ARTICLES,
    address: str | None = None,
    progress: bool | None = None,
) -> BatchReport:
    """Analyse the inputs into Parquet datasets under ``out`` (see ``dataset.py`` for the layout)."""
    if engine not in ENGINES:
        raise BatchError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if workers < 1:
        raise BatchError(f"--workers must be 1 or more, got {workers}")
    if address is not None and engine != "ray":
        raise BatchError("--address names a Ray cluster: it needs --engine ray")
    started = time.perf_counter()
    options, reading = options or Options(), reading or Reading()
    load_plugins(options.plugins)  # here too: their layers' tables are part of the output
    shards = plan(specs, shard_size)
    output = Output(out, options)
    output.open()
    report = BatchReport(str(out), engine, workers, shards=len(shards))
    todo = []
    for shard in shards:
        if output.done(shard) is not None:
            report.skipped += 1
        else:
            todo.append(shard)
    counts = [s.articles for s in todo]
    bar = Progress("batch", total=sum(c for c in counts if c) if all(counts) else None, enabled=progress)
    try:
        for summary in _run(todo, output, report, engine, workers, reading, address, bar):
            report.add(summary)
    finally:
        bar.close()
        report.seconds = time.perf_counter() - started
    return report


def _run(
    todo: list[Shard],
    output: Output,
    report: BatchReport,
    engine: str,
    workers: int,
    reading: Reading,
    address: str | None,
    bar: Progress,
) -> Iterator[ShardSummary]:
    if not todo:
        return
    if engine == "ray":
        from newsgraph.batch.on_ray import run_on_ray

        done = 0
        for summary in run_on_ray(todo, output.folder, output.options, reading, workers=workers, address=address):
            if summary.error is not None:
                report.task_errors.append((summary.shard, summary.error))
                continue
            done += summary.documents + summary.unchanged + summary.failed
            bar.update(done, summary.shard, force=True)
            yield summary
        return
    from newsgraph.batch.pool import Pool, shard_tasks

    described = {s.key: s.describe() for s in todo}
    ticks = 0
    with Pool(workers, output.options, reading) as pool:
        for message in pool.run(shard_tasks(todo, output.folder)):
            kind = message[0]
            if kind == "tick":
                ticks += 1
                bar.update(ticks, described.get(message[1], ""))
            elif kind == "shard":
                yield message[2]
            elif kind == "error":
                report.task_errors.append((described.get(message[1], message[1]), message[2]))
        report.restarts = pool.restarts
        report.peak_rss_mb = max(report.peak_rss_mb, pool.peak_rss_mb)


__all__ = ["BatchError", "BatchReport", "Options", "Reading", "run_batch"]
