"""Data files (lexicons) and their loaders. Data lives in the .tsv/.txt files, not in code."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources


def rows(name: str) -> Iterator[list[str]]:
    """Tab-separated rows of a lexicon file, without comments and blank lines."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield [cell.strip() for cell in line.rstrip("\n").split("\t")]


@cache
def words(name: str) -> frozenset[str]:
    """A one-item-per-line lexicon as a set of lower-cased entries."""
    return frozenset(r[0].lower() for r in rows(name))
