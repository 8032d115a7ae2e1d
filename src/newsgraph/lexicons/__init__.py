"""Data files (lexicons) and their one loader. Data lives in the .tsv/.txt files, not in code.

Layout, one folder per language and two that are no language's:

- ``en/``: the English lexicons, everything that reads English text: word lists of the layers (cue
  verbs, prepositions, nouns), and name tables as English news writes the names (countries and their
  demonyms, organizations and their aliases, regions, seats of government, people).
- ``world/``: language-neutral data: codes and coordinates (``country_points.tsv``), and the naming
  conventions of the GeoNames data the gazetteer is built from (``region_prefixes.txt``,
  ``region_suffixes.txt``: "Provincia de", "Oblast", in the languages GeoNames writes its names in).
- ``events/``: event vocabularies: the PLOVER event types and their CAMEO root codes; ``events/en/``
  the English words of the events layer (triggers, two-sense words, light verbs, sectors, modality,
  judgements), read with ``lang="events/en"``.

Every file is UTF-8 text: a line starting with ``#`` is a comment, blank lines are skipped, cells are
tab-separated. A word list is a file of one-cell rows.

- ``fr/``, ``es/``: the French and Spanish lexicons, the same files as ``en/`` where that language needs its
  own words.

The language axis: a layer reads the lexicons of the language it is reading, set by the pipeline around
each layer (``reading(lang)``; English outside it). A name given no folder reads that language's file, and
where that language has no file of that name, the English one: lists of names, codes and signs that news
in French writes as English news does (titles like "Dr", platforms, designators). A file whose English
words would be wrong in another language has its own copy there (speech verbs, months, number words).

Loading goes through this module only: ``rows(name, lang)`` for the cells of a table, ``words(name,
lang)`` for a word list as a set, ``entries(name, lang)`` for a list in file order, ``alternation(name,
lang)`` for a list as a regex alternation; ``lang`` is the folder: a language code (``"en"``, the
default), ``WORLD`` or ``EVENTS``. This module imports only the standard library.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TypeVar

EN = "en"  # the English lexicons
WORLD = "world"  # language-neutral data
EVENTS = "events"  # event vocabularies
LANGUAGES = (EN, "fr", "es")  # the languages with a lexicon folder

T = TypeVar("T")
_READING: ContextVar[str] = ContextVar("newsgraph_lexicon_language", default=EN)


def current() -> str:
    """The language whose lexicons are read now (``reading``): English by default."""
    return _READING.get()


@contextlib.contextmanager
def reading(lang: str) -> Iterator[None]:
    """Read the lexicons of ``lang`` (a language with a folder; else English) inside the block."""
    token = _READING.set(lang if lang in LANGUAGES else EN)
    try:
        yield
    finally:
        _READING.reset(token)


def by_language(build: Callable[[], T]) -> Callable[[], T]:
    """``build`` (which reads lexicons) run once per language read, its result kept: the word tables a layer
    builds from its files, English and French side by side."""
    built: dict[str, T] = {}

    @functools.wraps(build)
    def table() -> T:
        lang = current()
        if lang not in built:
            built[lang] = build()
        return built[lang]

    return table


def path(name: str, lang: str | None = None) -> Traversable:
    """Where a lexicon file is: ``lexicons/<lang>/<name>``; ``lang`` None is the language read now. A file a
    language other than English does not have is the English one."""
    folder = lang or current()
    found = resources.files(__package__).joinpath(folder).joinpath(name)
    if folder in LANGUAGES and folder != EN and not found.is_file():
        return resources.files(__package__).joinpath(EN).joinpath(name)
    return found


def data(name: str, lang: str = EN) -> bytes:
    """A lexicon file's bytes, as stored (the gazetteer fingerprints the files it is built from)."""
    return path(name, lang).read_bytes()


def rows(name: str, lang: str | None = None) -> Iterator[list[str]]:
    """Tab-separated rows of a lexicon file, without comments and blank lines (``lang`` None: the language
    read now)."""
    text = path(name, lang).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield [cell.strip() for cell in line.rstrip("\n").split("\t")]


def words(name: str, lang: str | None = None) -> frozenset[str]:
    """A one-item-per-line lexicon as a set of lower-cased entries."""
    return _words(name, lang or current())


@cache
def _words(name: str, lang: str) -> frozenset[str]:
    return frozenset(r[0].lower() for r in rows(name, lang))


def entries(name: str, lang: str | None = None) -> tuple[str, ...]:
    """A one-item-per-line lexicon in file order, as written (case kept): for lists whose order matters."""
    return _entries(name, lang or current())


@cache
def _entries(name: str, lang: str) -> tuple[str, ...]:
    return tuple(r[0] for r in rows(name, lang))


def alternation(name: str, lang: str | None = None) -> str:
    """A one-item-per-line lexicon as the body of a regex alternation, ``a|b|c``, in file order (the
    first alternative that matches wins, so a file lists a longer entry before its prefix). Entries are
    literal text: regex characters are escaped; spaces stay spaces (so not for a ``re.VERBOSE`` pattern)."""
    return "|".join(re.escape(e).replace("\\ ", " ") for e in entries(name, lang))


# ---------------------------------------------------------------------------------------------- events


@cache
def _plover_rows() -> tuple[tuple[str, str, str], ...]:
    return tuple((r[0], r[1], r[2] if len(r) > 2 else "") for r in rows("plover_types.tsv", EVENTS))


def plover_types() -> tuple[str, ...]:
    """The PLOVER event types, in the PLOVER manual's order (events/plover_types.tsv)."""
    return tuple(r[0] for r in _plover_rows())


def cameo_roots() -> dict[str, str]:
    """PLOVER event type -> the CAMEO root code (two digits) most of its CAMEO codes come from (a new
    dict each call: the caller may keep or change it)."""
    return {r[0]: r[1] for r in _plover_rows()}


def plover_descriptions() -> dict[str, str]:
    """PLOVER event type -> its one-line description."""
    return {r[0]: r[2] for r in _plover_rows()}


@cache
def _cameo_rows() -> dict[tuple[str, str], tuple[str, str, float]]:
    return {(r[0], r[1]): (r[2], r[3], float(r[4])) for r in rows("cameo_codes.tsv", EVENTS)}


def cameo_code(plover_type: str, mode: str | None = None) -> tuple[str, str, float] | None:
    """(CAMEO event code, base code, Goldstein scale value) of a PLOVER type and mode, from PLOVER's
    CAMEO2PLOVER table read backwards (events/cameo_codes.tsv); a mode without a row of its own is its
    type's without a mode; None for a type the table lacks."""
    found = _cameo_rows()
    return found.get((plover_type, mode or "")) or found.get((plover_type, ""))
