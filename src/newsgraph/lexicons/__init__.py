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

Loading goes through this module only: ``rows(name, lang)`` for the cells of a table, ``words(name,
lang)`` for a word list as a set, ``entries(name, lang)`` for a list in file order, ``alternation(name,
lang)`` for a list as a regex alternation; ``lang`` is the folder: a language code (``"en"``, the
default), ``WORLD`` or ``EVENTS``. This module imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

EN = "en"  # the English lexicons
WORLD = "world"  # language-neutral data
EVENTS = "events"  # event vocabularies


def path(name: str, lang: str = EN) -> Traversable:
    """Where a lexicon file is: ``lexicons/<lang>/<name>``."""
    return resources.files(__package__).joinpath(lang).joinpath(name)


def data(name: str, lang: str = EN) -> bytes:
    """A lexicon file's bytes, as stored (the gazetteer fingerprints the files it is built from)."""
    return path(name, lang).read_bytes()


def rows(name: str, lang: str = EN) -> Iterator[list[str]]:
    """Tab-separated rows of a lexicon file, without comments and blank lines."""
    text = path(name, lang).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield [cell.strip() for cell in line.rstrip("\n").split("\t")]


@cache
def words(name: str, lang: str = EN) -> frozenset[str]:
    """A one-item-per-line lexicon as a set of lower-cased entries."""
    return frozenset(r[0].lower() for r in rows(name, lang))


@cache
def entries(name: str, lang: str = EN) -> tuple[str, ...]:
    """A one-item-per-line lexicon in file order, as written (case kept): for lists whose order matters."""
    return tuple(r[0] for r in rows(name, lang))


def alternation(name: str, lang: str = EN) -> str:
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
