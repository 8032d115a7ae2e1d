"""The Ray engine: the same shards through Ray Data, analysed by a pool of actors (one model each, loaded
once per actor), each shard written by the same code as the local engine's (``pool.ShardTask``), so
the rows are the same whichever engine ran.

Ray is an optional extra (``pip install newsgraph[ray]``). ``address=None`` starts a local Ray with
``workers`` CPUs; an address (``ray://head:10001``, ``auto``) joins a cluster, whose nodes must see the
inputs and the output folder at the same paths (a shared file system) and have newsgraph installed.
A shard whose actor dies is retried by Ray; what the local engine does beyond that (finding the one
article that kills its worker) is not done here: the run stops, and a re-run resumes at the shard.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newsgraph.batch.analyse import Options, warm
from newsgraph.batch.dataset import ShardSummary
from newsgraph.batch.pool import ShardTask
from newsgraph.batch.shards import Reading, Shard
from newsgraph.errors import BatchError


class _ShardActor:
    """A Ray Data actor: warm once, then one shard per call (a batch of one row: the shard's JSON)."""

    def __init__(self, out: str, options: dict[str, Any], reading: dict[str, Any]) -> None:
        self.ctx = _Context(Options(**{**options, "plugins": tuple(options["plugins"])}), Reading(**reading))
        self.out = out
        warm(self.ctx.options)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        summaries: list[str] = []
        for text in batch.column("shard").to_pylist():
            shard = Shard.from_json(json.loads(text))
            self.ctx.messages.clear()
            try:
                ShardTask(shard, self.out).run(self.ctx)
                summary = next(m[2] for m in self.ctx.messages if m[0] == "shard")
            except Exception as exc:  # the shard as a whole (its files could not be written): the others go on
                failed = ShardSummary(shard.key, shard.describe(), error=f"{type(exc).__name__}: {exc}")
                summary = failed.to_json()
            summaries.append(json.dumps(summary, ensure_ascii=False))
        return pa.table({"summary": summaries})


class _Context:
    def __init__(self, options: Options, reading: Reading) -> None:
        self.options, self.reading = options, reading
        self.known: Callable[[str], bool] | None = None
        self.messages: list[tuple[Any, ...]] = []

    def send(self, message: tuple[Any, ...]) -> None:
        if message[0] == "shard":
            self.messages.append(message)


def run_on_ray(
    shards: Iterable[Shard],
    out: str | Path,
    options: Options,
    reading: Reading | None = None,
    *,
    workers: int = 1,
    address: str | None = None,
) -> Iterator[ShardSummary]:
    """Analyse the shards on Ray; yields each shard's summary as it is written."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise BatchError("--engine ray needs Ray: pip install 'newsgraph[ray]'") from None
    todo = [json.dumps(s.to_json(), ensure_ascii=False) for s in shards]
    if not todo:
        return
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=address,
            num_cpus=workers if address is None else None,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=False,
        )
    try:
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # its notes on every run; its errors still show
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # newsgraph draws its own
        context.print_on_execution_start = False
        context.enable_auto_log_stats = False
        dataset = ray.data.from_items([{"shard": t} for t in todo], override_num_blocks=len(todo))
        done = dataset.map_batches(
            _ShardActor,
            fn_constructor_kwargs={
                "out": str(Path(out).absolute()),
                "options": asdict(options),
                "reading": asdict(reading or Reading()),
            },
            batch_size=1,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
            num_cpus=1,
        )
        for row in done.iter_rows():
            yield ShardSummary.from_json(json.loads(row["summary"]))
    finally:
        if started_here:
            ray.shutdown()


__all__ = ["run_on_ray"]
