"""The formats ``ingest --format`` names, in a module of its own: the command line's parser lists them
without importing the readers (and httpx behind them)."""

from __future__ import annotations

from typing import Literal, cast, get_args

from newsgraph.errors import InputError

Format = Literal["text", "html", "jsonl", "json"]
FORMATS: tuple[str, ...] = get_args(Format)


def check_format(value: str | None, option: str = "format") -> Format | None:
    """The format as given (None: guessed per input), or an InputError naming the option and the choices."""
    if value is None:
        return None
    if value not in FORMATS:
        raise InputError(option, f"unknown format {value!r}: expected one of {', '.join(FORMATS)}")
    return cast(Format, value)
