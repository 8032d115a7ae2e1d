"""Many articles through the pipeline, each one apart when it goes wrong: the shared core of ``ingest`` and
``batch`` (in process or in a pool worker).

Per article: clean (cheap) -> its id -> ``known(id)``? then "unchanged", no parse. New articles are parsed
in batches (``nlp.pipe``) and their layers added, each article within ``article_timeout`` seconds. A bad
input (an InputError in the stream, an article the cleaning, the parse or a layer chokes on, one past the
time limit) is an outcome with a ``Failure``; the rest goes on. When a batch's parse fails or runs out of
time, its articles are parsed again one by one so that only the bad one fails.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.defaults import ARTICLE_TIMEOUT_S, BATCH_SIZE
from newsgraph.document import Document, RawArticle
from newsgraph.errors import BatchError, InputError
from newsgraph.pipeline import add_layers, analyze, parse_cleaned
from newsgraph.time_limit import TimeLimitExceeded, time_limit

if TYPE_CHECKING:
    from spacy.tokens import Doc

Item = RawArticle | InputError


@dataclass
class Failure:
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.name}: {self.problem}"


@dataclass
class Outcome:
    """What became of the ``index``-th item of a stream: a Document, a Failure, or unchanged (known)."""

    index: int
    name: str
    doc: Document | None = None
    failure: Failure | None = None

    @property
    def unchanged(self) -> bool:
        return self.doc is None and self.failure is None


@dataclass(frozen=True)
class Options:
    """How articles are analysed: the gazetteer on or off, parse batch size, seconds per article, and the
    plugins: modules imported first in every process that analyses (they register layers of their own)."""

    geo: bool = True
    batch_size: int = BATCH_SIZE
    article_timeout: float | None = ARTICLE_TIMEOUT_S
    plugins: tuple[str, ...] = ()


def load_plugins(names: Iterable[str]) -> None:
    """Import each plugin module (once per process); BatchError naming the one that cannot be imported."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            raise BatchError(f"plugin {name}: cannot be imported ({type(exc).__name__}: {exc})") from None


def analyse(
    items: Iterable[Item],
    options: Options | None = None,
    *,
    known: Callable[[str], bool] | None = None,
    skip: Collection[int] = (),
    starting: Callable[[int, str], None] | None = None,
) -> Iterator[Outcome]:
    """The outcome of every item, in input order within each parse batch (failures of reading or cleaning
    come as soon as met). ``known(doc_id)``: already analysed, so left out (and reported unchanged); ids met
    earlier in the same stream are too. ``skip``: indexes of items left out. ``starting(index, name)`` is
    called as each item is taken (a pool worker tells its parent which article it is on; with ``batch_size``
    1 that is the one being analysed)."""
    options = options or Options()
    seen: set[str] = set()
    pending: list[tuple[int, str, Document]] = []
    for index, item in enumerate(items):
        if index in skip:
            continue
        if starting is not None:
            starting(index, item.source if isinstance(item, InputError) else item.name)
        if isinstance(item, InputError):
            yield Outcome(index, item.source, failure=Failure(item.source, item.problem))
            continue
        doc, failure = _clean(item)
        if doc is None:
            yield Outcome(index, item.name, failure=failure)
            continue
        doc_id = doc.id
        if doc_id in seen or (known is not None and known(doc_id)):
            yield Outcome(index, item.name)
            continue
        seen.add(doc_id)
        pending.append((index, item.name, doc))
        if len(pending) >= options.batch_size:
            yield from _analyse_batch(pending, options)
            pending = []
    yield from _analyse_batch(pending, options)


def warm(options: Options) -> None:
    """Import the plugins, then load what the layers use (the model, lexicons, the gazetteer) by analysing
    one short article: a worker's start, so that its first article's time limit is the article's alone."""
    load_plugins(options.plugins)
    warm_up = RawArticle(name="<warm-up>", content="Troops left Erbil on Monday, officials said.", format="text")
    analyze(warm_up, geo=options.geo)


def _clean(item: RawArticle) -> tuple[Document | None, Failure | None]:
    try:
        return clean_article(item), None
    except InputError as exc:
        return None, Failure(exc.source, exc.problem)
    except Exception as exc:  # a page that breaks the HTML extractor is one bad input, not the end of the run
        return None, Failure(item.name, f"cannot clean the article ({type(exc).__name__}: {exc})")


def _analyse_batch(pending: list[tuple[int, str, Document]], options: Options) -> Iterator[Outcome]:
    if not pending:
        return
    limit = options.article_timeout
    for index, name, doc, parsed in _parse_batch(pending, options):
        if isinstance(parsed, Failure):
            yield Outcome(index, name, failure=parsed)
            continue
        try:
            with time_limit(limit):
                add_layers(doc, parsed, geo=options.geo)
        except TimeLimitExceeded as exc:
            yield Outcome(index, name, failure=Failure(name, f"analysis {exc} (the per-article time limit)"))
            continue
        except Exception as exc:  # a layer's bug on one article is recorded, the others go on
            yield Outcome(index, name, failure=Failure(name, f"analysis failed ({type(exc).__name__}: {exc})"))
            continue
        yield Outcome(index, name, doc=doc)


def _parse_batch(
    pending: list[tuple[int, str, Document]], options: Options
) -> list[tuple[int, str, Document, Doc | Failure]]:
    """The parses of a batch, in order, within ``article_timeout`` per article. When the batch fails or runs
    out of time, its articles are parsed again one by one, so that only the bad one is recorded as failed."""
    limit = options.article_timeout
    nlp.load()  # the model's first load is the run's cost, not the first article's time
    if len(pending) > 1:
        try:
            with time_limit(limit * len(pending) if limit else None):
                parsed = list(parse_cleaned((doc for _, _, doc in pending), options.batch_size))
            return [(i, name, doc, p) for (i, name, doc), (_, p) in zip(pending, parsed, strict=True)]
        except Exception:  # the batch failed or ran out of time: which article it was is found below
            pass
    out: list[tuple[int, str, Document, Doc | Failure]] = []
    for index, name, doc in pending:
        try:
            with time_limit(limit):
                out.extend((index, name, d, p) for d, p in parse_cleaned([doc], 1))
        except TimeLimitExceeded as exc:
            out.append((index, name, doc, Failure(name, f"parse {exc} (the per-article time limit)")))
        except Exception as exc:
            out.append((index, name, doc, Failure(name, f"parse failed ({type(exc).__name__}: {exc})")))
    return out


__all__ = ["Failure", "Item", "Options", "Outcome", "analyse", "load_plugins", "warm"]
