"""``newsgraph ingest``, the batch driver: read inputs, analyse what is new, write each document in its own
transaction (sources -> clean -> pipeline -> store; it reads and parses, so it lives beside the pipeline).

Per article (``batch.analyse``): clean (cheap) -> its id -> already stored? then "unchanged", no parse.
New articles are parsed in batches (``nlp.pipe``), their layers added by the pipeline's ``add_layers``;
here, their story is found by near-duplicate search, and each is written with all its rows in one
transaction. With ``workers`` > 1 the analysis runs in a pool of worker processes (``batch.pool``) and
this process stays the store's one writer. A bad input (unreadable, binary, empty, a failed fetch, an
article the analysis chokes on or that runs past the per-article time limit, one that kills its worker)
is recorded and the rest goes on. A kill at any point leaves the committed documents; the same ingest
run again finds them stored and completes the rest.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.batch.analyse import Failure, Options, Outcome, analyse, load_plugins
from newsgraph.dates import check_date
from newsgraph.defaults import ARTICLE_TIMEOUT_S, BATCH_SIZE
from newsgraph.document import Document, RawArticle, encodable
from newsgraph.errors import InputError
from newsgraph.language import check_language
from newsgraph.progress import Progress
from newsgraph.sources.inputs import ARTICLE_SUFFIXES, Inputs, Item, walk_folder
from newsgraph.sources.urls import MAX_BYTES, TIMEOUT_S, is_url
from newsgraph.store.db import connect, has_document, write_document
from newsgraph.store.dedup import StoryIndex, signature


@dataclass
class IngestReport:
    db: str
    added: int = 0  # new documents that start a story
    duplicates: int = 0  # new documents stored as near-duplicates of a stored one (joined its story)
    unchanged: int = 0  # already in the store, or met earlier in the same run
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.added + self.duplicates + self.unchanged + len(self.failed)

    def summary(self) -> str:
        analysed = self.added + self.duplicates
        rate = f", {analysed / self.seconds:.1f} analysed/s" if analysed and self.seconds > 0 else ""
        return (
            f"{self.db}: {self.added} added, {self.duplicates} near-duplicate{'s' if self.duplicates != 1 else ''}"
            f" (stored, joined an existing story), {self.unchanged} unchanged, {len(self.failed)} failed"
            f" ({self.articles} input{'s' if self.articles != 1 else ''} in {self.seconds:.1f} s{rate})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "added": self.added,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "failed": [{"input": f.name, "problem": f.problem} for f in self.failed],
            "seconds": round(self.seconds, 3),
        }


def ingest(
    specs: Iterable[str],
    db_path: str | Path,
    *,
    batch_size: int = BATCH_SIZE,
    geo: bool = True,
    timeout: float = TIMEOUT_S,
    max_page_bytes: int = MAX_BYTES,
    allow_private: bool = False,
    article_timeout: float | None = ARTICLE_TIMEOUT_S,
    workers: int = 1,
    plugins: tuple[str, ...] = (),
    published: str | None = None,
    source: str | None = None,
    language: str | None = None,
    format: str | None = None,
    progress: bool | None = None,
) -> IngestReport:
    """Ingest files, folders, JSON Lines, WARC, feeds and URLs (see ``sources.inputs``) into the store.

    ``timeout`` and ``max_page_bytes`` limit each HTTP fetch, ``allow_private`` lets fetches reach loopback
    and private addresses; ``article_timeout`` is the seconds one article's analysis may take (None: no
    limit); ``workers``: processes analysing at once (this one writes); ``plugins``: modules imported
    first, in this process and every worker (layers of one's own); ``published`` (YYYY-MM-DD) and ``language``
    (ISO 639-1: taken as said, not detected): for the plain-text articles that carry none; ``source``: for
    every article without a source of its own (a page's site name does not count: an explicit source wins
    over it); ``format`` (text, html, jsonl, json): how every file and standard input is read, instead of
    by its name or its first bytes; ``progress``: None draws it when stderr is a
    terminal. A store this ingest created and stored nothing in is removed again (no empty file left)."""
    specs = list(specs)
    day = check_date(published, "published")
    lang = check_language(language, "language")
    inputs = Inputs(specs, timeout=timeout, max_bytes=max_page_bytes, allow_private=allow_private, format=format)
    created = not Path(db_path).exists()
    conn = connect(db_path)
    try:
        bar = Progress("ingest", total=count_articles(specs, inputs.format), enabled=progress)
        return ingest_items(
            conn,
            _with_defaults(inputs, day, source, lang),
            db_name=str(db_path),
            batch_size=batch_size,
            geo=geo,
            progress=bar,
            article_timeout=article_timeout,
            workers=workers,
            plugins=plugins,
        )
    finally:
        inputs.close()
        empty = conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        conn.close()
        if created and empty:  # nothing stored, nothing lost: no empty store left behind
            _remove_store(Path(db_path))


def _with_defaults(
    items: Iterable[Item], published: str | None, source: str | None, language: str | None
) -> Iterator[Item]:
    """``published`` and ``language`` for plain text without them (a page's own are found later); ``source``
    for every article without a source of its own (a record's ``source`` field): it wins over a page's site
    name."""
    for item in items:
        if isinstance(item, RawArticle):
            item.source = item.source or (encodable(source) if source else None)
            if item.format == "text":
                item.published = item.published or published
                item.language = item.language or language
        yield item


def _remove_store(path: Path) -> None:
    """A store just created and left empty: the file and its WAL and shared-memory files."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def count_articles(specs: list[str], format: str | None = None) -> int | None:
    """How many articles the inputs hold, when that is known without reading them: only files and
    folders of single articles. None otherwise (JSON Lines, JSON, WARC, feeds, URLs)."""
    if format in ("jsonl", "json"):
        return None
    total = 0
    for spec in specs:
        path = Path(spec)
        if spec == "-" or is_url(spec):
            return None
        if path.is_dir():
            for f in walk_folder(path):
                if not f.name.lower().endswith(ARTICLE_SUFFIXES):
                    return None
                total += 1
        elif path.name.lower().endswith(ARTICLE_SUFFIXES) or not path.exists():
            total += 1
        else:
            return None
    return total


def ingest_items(
    conn: sqlite3.Connection,
    items: Iterable[Item],
    *,
    db_name: str,
    batch_size: int = BATCH_SIZE,
    geo: bool = True,
    progress: Progress | None = None,
    article_timeout: float | None = ARTICLE_TIMEOUT_S,
    workers: int = 1,
    plugins: tuple[str, ...] = (),
    on_outcome: Callable[[Outcome, bool], None] | None = None,
) -> IngestReport:
    """Ingest a stream of RawArticles (and InputErrors, recorded as failures) into an open store;
    ``article_timeout``: seconds one article's analysis may take before it is recorded as failed.
    ``workers`` > 1: analysed by that many worker processes (``batch.pool``), written here, the store's one
    writer; ``db_name`` must then be the store's path (the workers read it to leave stored articles out).
    ``on_outcome(outcome, written)``: called after each item is dealt with (``written``: its document was
    stored now; ``newsgraph watch`` records what became of each feed item)."""
    report = IngestReport(db=db_name)
    started = time.perf_counter()
    bar = progress or Progress("ingest", enabled=False)
    index = StoryIndex.load(conn)
    options = Options(geo=geo, batch_size=batch_size, article_timeout=article_timeout, plugins=plugins)
    load_plugins(plugins)
    try:
        for outcome in _outcomes(conn, items, options, workers, db_name):
            bar.update(report.articles, outcome.name)
            written = False
            if outcome.failure is not None:
                report.failed.append(outcome.failure)
            elif outcome.doc is None:
                report.unchanged += 1
            else:
                written = _write(conn, outcome.doc, outcome.name, index, report)
            if on_outcome is not None:
                on_outcome(outcome, written)
    finally:
        bar.close()
        report.seconds = time.perf_counter() - started
    return report


def _outcomes(
    conn: sqlite3.Connection, items: Iterable[Item], options: Options, workers: int, db: str
) -> Iterator[Outcome]:
    if workers <= 1:
        yield from analyse(items, options, known=lambda doc_id: has_document(conn, doc_id))
        return
    from newsgraph.batch.pool import ArticlesTask, Pool, articles_tasks

    # each task's items, until it is done: a task lost as a whole (its worker could not run it) still
    # accounts for every item it had not reported, as failed, never as nothing
    running: dict[str, tuple[ArticlesTask, set[int]]] = {}

    def tasks() -> Iterator[ArticlesTask]:
        for task in articles_tasks(items, options.batch_size):
            running[task.key] = (task, set())
            yield task

    with Pool(workers, options, db=db) as pool:  # the parent reads (and fetches); the workers analyse
        for message in pool.run(tasks()):
            kind, key = message[0], message[1]
            if kind == "outcome":
                running[key][1].add(message[2].index)
                yield message[2]
            elif kind == "error":
                task, reported = running[key]
                for index, item in enumerate(task.items):
                    if index not in reported:
                        reported.add(index)
                        name = item.source if isinstance(item, InputError) else item.name
                        yield Outcome(index, name, failure=Failure(name, f"not analysed: {message[2]}"))
            elif kind == "done":
                running.pop(key, None)


def _write(conn: sqlite3.Connection, doc: Document, name: str, index: StoryIndex, report: IngestReport) -> bool:
    """Store one analysed document, in the story of its nearest stored near-duplicate if it has one; False
    when it was found stored."""
    sig = signature(doc.text)
    match = index.best_match(sig)
    if not write_document(conn, doc, signature=sig, match=match, input_name=name):
        report.unchanged += 1  # written meanwhile by another ingest, or met twice in this one
        return False
    index.add(doc.id, match.story_id if match else doc.id, sig)
    if match:
        report.duplicates += 1
    else:
        report.added += 1
    return True
