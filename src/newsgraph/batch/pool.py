"""The local engine: worker processes, one model each, fed one task at a time (so memory stays flat on a
corpus of any size), watched by the parent.

A task is a shard (``ShardTask``: the worker reads it, analyses it and writes its Parquet files itself) or a
list of articles the parent has read (``ArticlesTask``: ``ingest --workers``; each Document goes back to
the parent, the store's one writer). Workers are started with ``spawn`` (a clean interpreter: no state
or locks inherited from the parent) and load the model and the gazetteer once, before their first task.

A worker that dies (a crash in C code, the kernel's out-of-memory killer) or stays silent past its limit
(one call that the in-process time limit cannot interrupt) is killed and replaced, and its task is run
again *carefully*: one article at a time, the worker naming each before it starts. When it dies again,
the article it named is the culprit: recorded as failed, and the task goes on without it. A worker's
limit: ``article_timeout`` per article in careful mode; in normal mode, a whole parse batch's worth.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Protocol

from newsgraph.batch.analyse import Failure, Item, Options, Outcome, analyse, warm
from newsgraph.batch.dataset import Output, ShardSummary, peak_rss_mb
from newsgraph.batch.shards import Reading, Shard
from newsgraph.errors import BatchError

START_LIMIT_S = 900.0  # a worker's start: the model, and the gazetteer (built on a machine's first use)
GRACE_S = 30.0  # added to every silence limit: the parent's own delays, a slow disk
POLL_S = 0.5


class Context(Protocol):
    """What a task sees in its worker: the analysis options, how to read, already-stored ids, the pipe."""

    options: Options
    reading: Reading
    known: Callable[[str], bool] | None

    def send(self, message: tuple[Any, ...]) -> None: ...


@dataclass
class ShardTask:
    """Analyse one shard and write its files into ``out``. ``failed``: articles (by index) found to kill
    their worker, recorded as failed without being analysed again."""

    shard: Shard
    out: str
    careful: bool = False
    skip: frozenset[int] = frozenset()
    failed: dict[int, Failure] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.shard.key

    def run(self, ctx: Context) -> None:
        started = time.perf_counter()
        output = Output(self.out, ctx.options)
        output.clear(self.shard)
        outcomes = [Outcome(i, f.name, failure=f) for i, f in self.failed.items()]
        for outcome in analyse(
            self.shard.items(ctx.reading), _options(ctx, self.careful), skip=self.skip, starting=_starting(ctx, self)
        ):
            outcomes.append(outcome)
            ctx.send(("tick", self.key, outcome.index))
        summary = output.write(self.shard, outcomes, time.perf_counter() - started)
        ctx.send(("shard", self.key, summary.to_json()))

    def again(self, received: set[int], culprit: tuple[int, Failure] | None) -> ShardTask:
        if culprit is None:
            return replace(self, careful=True)
        index, failure = culprit
        return replace(self, careful=True, skip=self.skip | {index}, failed={**self.failed, index: failure})


@dataclass
class ArticlesTask:
    """Analyse articles the parent read; every outcome goes back to the parent."""

    number: int
    items: list[Item]
    careful: bool = False
    skip: frozenset[int] = frozenset()

    @property
    def key(self) -> str:
        return f"articles-{self.number}"

    def run(self, ctx: Context) -> None:
        for outcome in analyse(
            self.items, _options(ctx, self.careful), known=ctx.known, skip=self.skip, starting=_starting(ctx, self)
        ):
            ctx.send(("outcome", self.key, outcome))

    def again(self, received: set[int], culprit: tuple[int, Failure] | None) -> ArticlesTask:
        skip = self.skip | received | ({culprit[0]} if culprit else set())
        return replace(self, careful=True, skip=frozenset(skip))


Task = ShardTask | ArticlesTask


def _options(ctx: Context, careful: bool) -> Options:
    return replace(ctx.options, batch_size=1) if careful else ctx.options


def _starting(ctx: Context, task: Task) -> Callable[[int, str], None] | None:
    if not task.careful:
        return None
    return lambda index, name: ctx.send(("at", task.key, index, name))


# --- the worker process -----------------------------------------------------------------------------------


@dataclass
class _WorkerContext:
    conn: Connection
    options: Options
    reading: Reading
    known: Callable[[str], bool] | None = None

    def send(self, message: tuple[Any, ...]) -> None:
        self.conn.send(message)


def _worker(conn: Connection, options: Options, reading: Reading, db: str | None) -> None:
    """A worker's life: warm up, then tasks until told to stop (None) or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    ctx = _WorkerContext(conn, options, reading)
    try:
        warm(options)
        if db is not None:
            from newsgraph.store.db import connect_readonly, has_document

            store = connect_readonly(db)
            ctx.known = lambda doc_id: has_document(store, doc_id)
    except Exception as exc:
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            task.run(ctx)
        except Exception as exc:  # the task as a whole failed (its shard's output could not be written)
            conn.send(("error", task.key, f"{type(exc).__name__}: {exc}"))
        conn.send(("done", task.key, peak_rss_mb()))


# --- the parent's side ------------------------------------------------------------------------------------


@dataclass
class _Slot:
    process: Any  # multiprocessing's SpawnProcess
    conn: Connection
    ready: bool = False
    task: Task | None = None
    heard: float = field(default_factory=time.monotonic)
    at: tuple[int, str] | None = None
    received: set[int] = field(default_factory=set)
    peak_rss_mb: float = 0.0


class Pool:
    """``with Pool(2, options) as pool: for message in pool.run(tasks): ...``; ``db``: the store whose
    documents the workers leave out as unchanged (ingest)."""

    def __init__(self, workers: int, options: Options, reading: Reading | None = None, db: str | None = None) -> None:
        if workers < 1:
            raise BatchError(f"--workers must be 1 or more, got {workers}")
        self.workers, self.options, self.reading, self.db = workers, options, reading or Reading(), db
        self._context = multiprocessing.get_context("spawn")
        self._slots: list[_Slot] = []
        self.peak_rss_mb = 0.0  # the largest of any worker's peaks
        self.restarts = 0

    def __enter__(self) -> Pool:
        self._slots = [self._start() for _ in range(self.workers)]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker, args=(child, self.options, self.reading, self.db), name="newsgraph-worker", daemon=True
        )
        with _one_thread_each():
            process.start()
        child.close()
        return _Slot(process, parent)

    def close(self) -> None:
        for slot in self._slots:
            with contextlib.suppress(OSError, ValueError):  # a worker already gone
                slot.conn.send(None)
        deadline = time.monotonic() + 5
        for slot in self._slots:
            slot.process.join(max(deadline - time.monotonic(), 0.1))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()
        self._slots = []

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Any, ...]]:
        """Run the tasks; yields the workers' messages as they come:
        ``("tick", key, index)``, ``("outcome", key, Outcome)``, ``("shard", key, ShardSummary)``,
        ``("error", key, problem)`` (a task that failed as a whole), ``("done", key)``."""
        todo = iter(tasks)
        retries: deque[Task] = deque()
        exhausted = False
        while True:
            for slot in self._slots:
                if slot.ready and slot.task is None:
                    task = retries.popleft() if retries else None
                    if task is None and not exhausted:
                        task = next(todo, None)
                        exhausted = task is None
                    if task is not None:
                        self._give(slot, task)
            busy = [s for s in self._slots if s.task is not None or not s.ready]
            if exhausted and not retries and all(s.task is None for s in self._slots):
                return
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=POLL_S)
            for i, slot in enumerate(list(self._slots)):
                if slot.conn in ready or slot.process.sentinel in ready:
                    dead = yield from self._drain(slot)
                    if dead or not slot.process.is_alive():
                        yield from self._replace(i, slot, retries, self._died(slot))
                        continue
                limit = self._limit(slot)
                if limit is not None and time.monotonic() - slot.heard > limit:
                    yield from self._replace(i, slot, retries, f"took longer than {limit:g} s; its worker was stopped")

    def _give(self, slot: _Slot, task: Task) -> None:
        slot.task, slot.at, slot.received, slot.heard = task, None, set(), time.monotonic()
        slot.conn.send(task)

    def _drain(self, slot: _Slot) -> Generator[tuple[Any, ...], None, bool]:
        """Every message waiting from the worker; True when its pipe is closed (the worker is gone)."""
        while True:
            try:
                if not slot.conn.poll():
                    return False
                message = slot.conn.recv()
            except (EOFError, OSError):
                return True
            slot.heard = time.monotonic()
            kind = message[0]
            if kind == "ready":
                slot.ready = True
            elif kind == "fatal":
                raise BatchError(f"a worker could not start: {message[1]}")
            elif kind == "at":
                slot.at = (message[2], message[3])
            elif kind == "done":
                slot.peak_rss_mb = max(slot.peak_rss_mb, message[2])
                self.peak_rss_mb = max(self.peak_rss_mb, slot.peak_rss_mb)
                slot.task = None
                yield ("done", message[1])
            else:
                if kind in ("tick", "outcome"):
                    slot.received.add(message[2] if kind == "tick" else message[2].index)
                if kind == "shard":
                    message = ("shard", message[1], ShardSummary.from_json(message[2]))
                yield message

    def _limit(self, slot: _Slot) -> float | None:
        if not slot.ready:
            return START_LIMIT_S
        if slot.task is None:
            return None
        per_article = self.options.article_timeout
        if not per_article:
            return None
        articles = 1 if slot.task.careful else self.options.batch_size + 1
        return per_article * articles + GRACE_S

    def _died(self, slot: _Slot) -> str:
        slot.process.join(1)
        code = slot.process.exitcode
        if code is not None and code < 0:
            try:
                return f"its worker died ({signal.Signals(-code).name})"
            except ValueError:
                return f"its worker died (signal {-code})"
        return f"its worker died (exit status {code})"

    def _replace(self, i: int, slot: _Slot, retries: deque[Task], problem: str) -> Iterator[tuple[Any, ...]]:
        """Stop the worker, start another, and run its task again carefully (without the culprit, if known)."""
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.conn.close()
        self.restarts += 1
        if not slot.ready:  # it died starting: another start would die the same way
            raise BatchError(f"a worker could not start: {problem}")
        self._slots[i] = self._start()
        task = slot.task
        if task is None:
            return
        culprit: tuple[int, Failure] | None = None
        if task.careful:
            if slot.at is None:  # it died before naming an article: the task cannot go on
                yield ("error", task.key, f"the task failed: {problem}")
                yield ("done", task.key)
                return
            index, name = slot.at
            culprit = (index, Failure(name, f"analysis stopped: {problem}"))
            if isinstance(task, ArticlesTask):
                yield ("outcome", task.key, Outcome(index, name, failure=culprit[1]))
        retries.append(task.again(slot.received, culprit))


# the thread pools of numerical libraries, one thread per worker (the workers are the parallelism; as Ray's
# workers do): set for the child's start unless the user set them
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


@contextlib.contextmanager
def _one_thread_each() -> Iterator[None]:
    added = [name for name in THREAD_VARIABLES if name not in os.environ]
    for name in added:
        os.environ[name] = "1"
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def articles_tasks(items: Iterable[Item], size: int) -> Iterator[ArticlesTask]:
    """The items in tasks of ``size`` (the parent reads ahead one task per worker at most)."""
    chunk: list[Item] = []
    number = 0
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield ArticlesTask(number, chunk)
            number, chunk = number + 1, []
    if chunk:
        yield ArticlesTask(number, chunk)


def shard_tasks(shards: Iterable[Shard], out: str | Path) -> Iterator[ShardTask]:
    for shard in shards:
        yield ShardTask(shard, str(out))


__all__ = ["ArticlesTask", "Pool", "ShardTask", "Task", "articles_tasks", "shard_tasks"]
