"""JSON Lines: one article per line, ``{"text": ...}`` or ``{"html": ...}`` with optional ``url``,
``source``, ``published`` (YYYY-MM-DD or an ISO 8601 date-time), ``title`` and ``language`` (an ISO 639-1
code: taken as said, not detected). JSON: one such object, or an array of them (``read_json``).

The ``title`` is the document's title, as given (over a page's own). A plain-text article's title also
becomes its first paragraph unless the text already opens with it ("Title." included: that line is then
the title paragraph); an HTML page's text is the page's. A bad
line is an InputError named ``FILE:LINE``; the lines after it are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from newsgraph.dates import FIRST_DAY, LAST_DAY, parse_day_or_datetime
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.language import check_language
from newsgraph.sources.raw import MAX_BYTES

METADATA = ("url", "source", "published", "title", "language")
MAX_JSON_BYTES = 512 * 1024 * 1024  # a JSON document is read whole: past this, JSON Lines (read line by line)


def read_jsonl(
    path: str | Path, start: int = 0, end: int | None = None, first_line: int = 1
) -> Iterator[RawArticle | InputError]:
    """The file's articles; ``start``/``end``: only the lines from that byte offset (a line's start) up to
    the line starting at ``end`` (a batch shard), ``first_line`` the number of the first (for names)."""
    name = str(path)
    try:
        with Path(path).open("rb") as fh:
            fh.seek(start)
            position = start
            for number, line in enumerate(fh, start=first_line):
                if end is not None and position >= end:
                    break
                position += len(line)
                if not line.strip():
                    continue
                where = f"{name}:{number}"
                try:
                    yield parse_line(line, where)
                except InputError as exc:
                    yield exc
    except OSError as exc:
        yield InputError(name, f"cannot read file ({exc.strerror})")


def line_ranges(path: str | Path, lines_per_range: int) -> Iterator[tuple[int, int, int, int]]:
    """The file cut into runs of ``lines_per_range`` non-empty lines: (start byte, end byte, first line
    number, non-empty lines) each, in one pass over the file."""
    start, position, first, number, count = 0, 0, 1, 0, 0
    with Path(path).open("rb") as fh:
        for line in fh:
            number += 1
            if count == 0:
                start, first = position, number
            position += len(line)
            if line.strip():
                count += 1
            if count >= lines_per_range:
                yield start, position, first, count
                count = 0
    if count:
        yield start, position, first, count


def looks_like_jsonl(first_line: bytes) -> bool:
    """Whether a stream's first line is a JSON object: JSON Lines, not an article that starts with "{"."""
    if not first_line.lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first_line), dict)
    except ValueError:  # not JSON, or not UTF-8
        return False


# a whole JSON document opens with an array of objects (or an empty one) or an object's first key; an
# article that merely opens with a brace or a bracket ("{Draft} ...", "[Updated] ...") does not
_JSON_SHAPED = re.compile(rb"\A\s*(?:\[\s*[{\]]|\{\s*\")")


def looks_like_json(data: bytes) -> bool:
    """Whether a stream is a JSON document of articles (an array of objects, or one object) by its start."""
    return _JSON_SHAPED.match(data[:4096].removeprefix(b"\xef\xbb\xbf")) is not None


def read_json(data: bytes, name: str) -> Iterator[RawArticle | InputError]:
    """A JSON document's articles: one object as in JSON Lines (named ``name``), or an array of them (each
    named ``name[i]``, from 0; a bad one is an InputError and the others are still read)."""
    if len(data) > MAX_JSON_BYTES:
        yield InputError(name, f"JSON larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB (JSON Lines has no limit)")
        return
    try:
        value: Any = json.loads(data)
    except UnicodeDecodeError:
        yield InputError(name, "not UTF-8 (JSON must be UTF-8)")
        return
    except json.JSONDecodeError as exc:
        yield InputError(name, f"not valid JSON ({exc.msg}: line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(value, dict):
        records = [(name, value)]
    elif isinstance(value, list):
        records = [(f"{name}[{i}]", record) for i, record in enumerate(value)]
        if not records:
            yield InputError(name, "an empty JSON array: no articles")
    else:
        yield InputError(name, f"expected a JSON object or an array of objects, got {type(value).__name__}")
        return
    for where, record in records:
        try:
            yield parse_record(record, where)
        except InputError as exc:
            yield exc


def parse_line(line: bytes, where: str) -> RawArticle:
    if len(line) > MAX_BYTES:
        raise InputError(where, f"line longer than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        record: Any = json.loads(line)
    except UnicodeDecodeError:
        raise InputError(where, "not UTF-8 (JSON Lines must be UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return parse_record(record, where)


def parse_record(record: Any, where: str) -> RawArticle:
    """One article record (a JSON Lines line's or a JSON array's item, decoded)."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    fmt: Literal["text", "html"]
    if isinstance(record.get("html"), str) and record["html"].strip():
        fmt, content = "html", record["html"]
    elif isinstance(record.get("text"), str) and record["text"].strip():
        fmt, content = "text", record["text"]
    else:
        raise InputError(where, 'no article: expected a non-empty "text" or "html" string')
    meta = {key: record.get(key) for key in METADATA}
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            raise InputError(where, f'"{key}" must be a string, got {type(value).__name__}')
    title = (meta["title"] or "").strip()
    if fmt == "text" and title and not content.lstrip().startswith(title):
        content = f"{title}\n\n{content}"
    return RawArticle(
        name=where,
        content=content,
        format=fmt,
        url=meta["url"] or None,
        source=meta["source"] or None,
        published=_published(meta["published"], where),
        language=check_language(meta["language"] or None, f'{where}: "language"'),
        title=title or None,
    )


def _published(value: str | None, where: str) -> str | None:
    if not value:
        return None
    day = parse_day_or_datetime(value)
    if day is None:
        expected = f"expected YYYY-MM-DD or an ISO 8601 date-time, from {FIRST_DAY} to {LAST_DAY}"
        raise InputError(where, f'invalid "published" {value!r}: {expected}')
    return day
