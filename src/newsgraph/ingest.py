"""``newsgraph ingest``, the batch driver: read inputs, analyse what is new, write each document in its own
transaction (sources -> clean -> pipeline -> store; it reads and parses, so it lives beside the pipeline).

Per article: clean (cheap) -> its id -> already stored? then "unchanged", no parse. New articles are
parsed in batches (``nlp.pipe``), their layers added by the pipeline's ``add_layers``, their story
found by near-duplicate search, and each is written with all its rows in one transaction. A bad input
(unreadable, binary, empty, a failed fetch, an article the analysis chokes on or that runs past the
per-article time limit) is recorded and the rest goes on. A kill at any point leaves the committed
documents; the same ingest run again finds them stored and completes the rest.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.defaults import ARTICLE_TIMEOUT_S
from newsgraph.document import Document, RawArticle
from newsgraph.errors import InputError
from newsgraph.pipeline import BATCH_SIZE, add_layers, parse_cleaned
from newsgraph.progress import Progress
from newsgraph.sources.inputs import ARTICLE_SUFFIXES, Inputs, Item, walk_folder
from newsgraph.sources.urls import MAX_BYTES, TIMEOUT_S, is_url
from newsgraph.store.db import connect, has_document, write_document
from newsgraph.store.dedup import StoryIndex, signature
from newsgraph.time_limit import TimeLimitExceeded, time_limit

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Failure:
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.name}: {self.problem}"


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
    progress: bool | None = None,
) -> IngestReport:
    """Ingest files, folders, JSON Lines, WARC, feeds and URLs (see ``sources.inputs``) into the store.

    ``timeout`` and ``max_page_bytes`` limit each HTTP fetch, ``allow_private`` lets fetches reach loopback
    and private addresses; ``article_timeout`` is the seconds one article's analysis may take (None: no
    limit); ``progress``: None draws it when stderr is a terminal."""
    specs = list(specs)
    inputs = Inputs(specs, timeout=timeout, max_bytes=max_page_bytes, allow_private=allow_private)
    conn = connect(db_path)
    try:
        bar = Progress("ingest", total=count_articles(specs), enabled=progress)
        return ingest_items(
            conn,
            inputs,
            db_name=str(db_path),
            batch_size=batch_size,
            geo=geo,
            progress=bar,
            article_timeout=article_timeout,
        )
    finally:
        inputs.close()
        conn.close()


def count_articles(specs: list[str]) -> int | None:
    """How many articles the inputs hold, when that is known without reading them: only files and
    folders of single articles. None otherwise (JSON Lines, WARC, feeds, URLs)."""
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
) -> IngestReport:
    """Ingest a stream of RawArticles (and InputErrors, recorded as failures) into an open store;
    ``article_timeout``: seconds one article's analysis may take before it is recorded as failed."""
    report = IngestReport(db=db_name)
    started = time.perf_counter()
    bar = progress or Progress("ingest", enabled=False)
    index = StoryIndex.load(conn)
    seen: set[str] = set()
    pending: list[tuple[Document, str]] = []

    def flush() -> None:
        _analyse_and_write(
            conn, pending, index, report, bar, geo=geo, batch_size=batch_size, article_timeout=article_timeout
        )
        pending.clear()

    try:
        for item in items:
            bar.update(report.articles, item.source if isinstance(item, InputError) else item.name)
            if isinstance(item, InputError):
                report.failed.append(Failure(item.source, item.problem))
                continue
            doc = _clean(item.name, item, report)
            if doc is None:
                continue
            doc_id = doc.id
            if doc_id in seen or has_document(conn, doc_id):
                report.unchanged += 1
                continue
            seen.add(doc_id)
            pending.append((doc, item.name))
            if len(pending) >= batch_size:
                flush()
        flush()
    finally:
        bar.close()
        report.seconds = time.perf_counter() - started
    return report


def _clean(name: str, item: RawArticle, report: IngestReport) -> Document | None:
    try:
        return clean_article(item)
    except InputError as exc:
        report.failed.append(Failure(exc.source, exc.problem))
    except Exception as exc:  # a page that breaks the HTML extractor is one bad input, not the end of the run
        report.failed.append(Failure(name, f"cannot clean the article ({type(exc).__name__}: {exc})"))
    return None


def _analyse_and_write(
    conn: sqlite3.Connection,
    pending: list[tuple[Document, str]],
    index: StoryIndex,
    report: IngestReport,
    bar: Progress,
    *,
    geo: bool,
    batch_size: int,
    article_timeout: float | None = ARTICLE_TIMEOUT_S,
) -> None:
    """Parse a batch, add the layers (as ``pipeline.analyze_many`` does, on already cleaned documents),
    then write each document in its own transaction. An article whose analysis fails or runs past
    ``article_timeout`` seconds is recorded as failed; the others go on."""
    for doc, name, parsed in _parse_batch(pending, report, batch_size, article_timeout):
        bar.update(report.articles, name)
        try:
            with time_limit(article_timeout):
                add_layers(doc, parsed, geo=geo)
        except TimeLimitExceeded as exc:
            report.failed.append(Failure(name, f"analysis {exc} (the per-article time limit)"))
            continue
        except Exception as exc:  # a layer's bug on one article is recorded, the others go on
            report.failed.append(Failure(name, f"analysis failed ({type(exc).__name__}: {exc})"))
            continue
        sig = signature(doc.text)
        match = index.best_match(sig)
        if not write_document(conn, doc, signature=sig, match=match, input_name=name):
            report.unchanged += 1  # written meanwhile by another ingest
            continue
        index.add(doc.id, match.story_id if match else doc.id, sig)
        if match:
            report.duplicates += 1
        else:
            report.added += 1


def _parse_batch(
    pending: list[tuple[Document, str]], report: IngestReport, batch_size: int, article_timeout: float | None
) -> list[tuple[Document, str, Doc]]:
    """The parses of a batch, in order, within ``article_timeout`` per article. When the batch fails or runs
    out of time, its articles are parsed again one by one, so that only the bad one is recorded as failed."""
    names = {id(doc): name for doc, name in pending}
    nlp.load()  # the model's first load is the run's cost, not the first article's time
    if len(pending) > 1:
        try:
            with time_limit(article_timeout * len(pending) if article_timeout else None):
                parsed = parse_cleaned((doc for doc, _ in pending), batch_size)
                return [(doc, names[id(doc)], parse) for doc, parse in parsed]
        except Exception:  # the batch failed or ran out of time: which article it was is found below
            pass
    parses: list[tuple[Document, str, Doc]] = []
    for doc, name in pending:
        try:
            with time_limit(article_timeout):
                parses.extend((d, name, parsed) for d, parsed in parse_cleaned([doc], 1))
        except TimeLimitExceeded as exc:
            report.failed.append(Failure(name, f"parse {exc} (the per-article time limit)"))
        except Exception as exc:
            report.failed.append(Failure(name, f"parse failed ({type(exc).__name__}: {exc})"))
    return parses
