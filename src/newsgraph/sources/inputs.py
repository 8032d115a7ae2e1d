"""What ``ingest`` reads: paths, folders (recursive), JSON Lines, WARC archives, RSS/Atom feeds and URLs,
each turned into a stream of RawArticles. A bad input is an InputError *in* the stream, so one bad
file, line, record or feed item never stops the rest.

How an argument is read:

- ``http://`` or ``https://``: fetched; an RSS/Atom feed has each item's page fetched, anything else
  must be an HTML or plain-text article;
- a folder: every file below it (sorted, hidden ones left out) whose name ends in one of
  ``FOLDER_SUFFIXES``, each read as below;
- a file: by its name: ``.jsonl``/``.ndjson`` JSON Lines, ``.warc``/``.warc.gz`` a web archive,
  ``.rss``/``.atom``/``.xml`` a feed, anything else one article (plain text or HTML, as ``analyze``);
- ``-``: standard input: JSON Lines when its first line is a JSON object, JSON when it opens as an array
  of objects or an object (pretty-printed), else one article.

``format`` (``ingest --format``) says how every file and standard input is read instead: ``text`` or
``html`` one article, ``jsonl`` JSON Lines, ``json`` one JSON document (an array of articles, or one).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.sources.feeds import feed_articles, looks_like_feed, parse_feed
from newsgraph.sources.fetch_guard import without_credentials
from newsgraph.sources.formats import Format, check_format
from newsgraph.sources.jsonl import MAX_JSON_BYTES, looks_like_json, looks_like_jsonl, parse_line, read_json, read_jsonl
from newsgraph.sources.raw import MAX_BYTES, article_of, read_input
from newsgraph.sources.urls import ARTICLE_TYPES, FEED_TYPES, HTML_TYPES, TIMEOUT_S, Fetcher, is_url, to_article
from newsgraph.sources.urls import MAX_BYTES as MAX_PAGE_BYTES
from newsgraph.sources.warc import is_warc, read_warc

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".html.gz", ".htm.gz")  # saved pages, gzipped too
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)  # read when named, not taken from folders (where .json is often not articles)
FEED_SUFFIXES = (".rss", ".atom", ".xml")
FOLDER_SUFFIXES = (*ARTICLE_SUFFIXES, *JSONL_SUFFIXES, ".warc", ".warc.gz")

Item = RawArticle | InputError


def walk_folder(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` with a FOLDER_SUFFIXES name, in sorted order; hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and f.lower().endswith(FOLDER_SUFFIXES):
                yield Path(root) / f


class Inputs:
    """The articles of a list of arguments. Fetches over HTTP with one ``Fetcher``, made on first need."""

    def __init__(
        self,
        specs: Iterable[str],
        *,
        fetcher: Fetcher | None = None,
        timeout: float = TIMEOUT_S,
        max_bytes: int = MAX_PAGE_BYTES,
        allow_private: bool = False,
        format: str | None = None,
    ) -> None:
        self.specs = list(specs)
        self.format = check_format(format)
        self._fetcher = fetcher
        self._own_fetcher = False
        self.timeout, self.max_bytes, self.allow_private = timeout, max_bytes, allow_private

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(timeout=self.timeout, max_bytes=self.max_bytes, allow_private=self.allow_private)
            self._own_fetcher = True
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def __iter__(self) -> Iterator[Item]:
        try:
            for spec in self.specs:
                yield from self.read(spec)
        finally:
            self.close()

    def read(self, spec: str) -> Iterator[Item]:
        if is_url(spec):
            yield from self.read_url(spec)
        elif spec == "-":
            yield from read_stdin(format=self.format)
        else:
            path = Path(spec)
            if path.is_dir():
                for f in walk_folder(path):
                    yield from self.read_file(f)
            elif not path.exists() and not path.is_symlink():
                yield InputError(spec, "no such file or folder")
            else:
                yield from self.read_file(path)

    def read_file(self, path: Path) -> Iterator[Item]:
        """A file, by the first reader in ``FILE_READERS`` that takes its name (else one article); in the
        ``format`` given, if one was."""
        if self.format is not None:
            yield from read_as(path, self.format)
            return
        for takes, reader in FILE_READERS:
            if takes(path):
                yield from reader(self, path)
                return
        yield from _one(lambda: read_input(str(path)))

    def read_feed_file(self, path: Path) -> Iterator[Item]:
        name = str(path)
        data = _file_bytes(path, MAX_BYTES)
        if isinstance(data, InputError):
            yield data
            return
        try:
            feed = parse_feed(data, name)
        except InputError as exc:
            yield exc
            return
        yield from feed_articles(feed, name, self.fetcher)

    def read_url(self, url: str) -> Iterator[Item]:
        name = without_credentials(url)
        try:
            fetched = self.fetcher.get(url, ARTICLE_TYPES | FEED_TYPES)
        except InputError as exc:
            yield exc
            return
        if fetched.content_type in FEED_TYPES or (
            fetched.content_type not in HTML_TYPES and looks_like_feed(fetched.data)
        ):
            try:
                feed = parse_feed(fetched.data, name, base_url=fetched.url)
            except InputError as exc:
                yield exc
                return
            yield from feed_articles(feed, name, self.fetcher)
        else:
            yield from _one(lambda: to_article(fetched, name))


# the file readers, in order: (does it take this file?, read it); a new reader is one more row
FILE_READERS: tuple[tuple[Callable[[Path], bool], Callable[[Inputs, Path], Iterator[Item]]], ...] = (
    (is_warc, lambda inputs, path: read_warc(path)),
    (lambda path: str(path).lower().endswith(JSONL_SUFFIXES), lambda inputs, path: read_jsonl(path)),
    (lambda path: str(path).lower().endswith(FEED_SUFFIXES), Inputs.read_feed_file),
    (lambda path: str(path).lower().endswith(JSON_SUFFIXES), lambda inputs, path: read_as(path, "json")),
)


def read_as(path: Path, fmt: Format) -> Iterator[Item]:
    """A file read in the format the user gave (or its name says), whatever its content looks like."""
    if fmt == "jsonl":
        yield from read_jsonl(path)
        return
    data = _file_bytes(path, MAX_JSON_BYTES if fmt == "json" else MAX_BYTES)
    if isinstance(data, InputError):
        yield data
        return
    yield from _read_bytes(data, str(path), fmt)


def _file_bytes(path: Path, limit: int) -> bytes | InputError:
    """The file's first ``limit`` + 1 bytes (one more tells the reader it is too long), or why not."""
    try:
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        return InputError(str(path), f"cannot read file ({exc.strerror})")


def _read_bytes(data: bytes, name: str, fmt: Literal["text", "html", "json"]) -> Iterator[Item]:
    if fmt == "json":
        yield from read_json(data, name)
    else:
        yield from _one(lambda: article_of(data, name, fmt=fmt))


def read_stdin(stream: BinaryIO | None = None, format: Format | None = None) -> Iterator[Item]:
    """Standard input, in ``format`` when given; else JSON Lines when its first line is a JSON object
    (``{"text": ...}``, one article a line, read as they come), JSON when it opens as an array of objects or
    an object's first key (pretty-printed: read whole), else one article (plain text or HTML), as
    ``analyze -`` reads it."""
    stream = stream if stream is not None else sys.stdin.buffer
    if format == "jsonl":
        yield from _stdin_lines(stream, b"")
        return
    if format is not None:
        yield from _read_bytes(stream.read((MAX_JSON_BYTES if format == "json" else MAX_BYTES) + 1), "<stdin>", format)
        return
    first = stream.readline(MAX_BYTES + 1)
    if looks_like_jsonl(first):
        yield from _stdin_lines(stream, first)
        return
    rest = stream.read(MAX_BYTES + 1 - len(first)) if len(first) <= MAX_BYTES else b""
    if looks_like_json(first + rest):
        more = stream.read(MAX_JSON_BYTES - MAX_BYTES) if len(first + rest) > MAX_BYTES else b""
        yield from read_json(first + rest + more, "<stdin>")
        return
    yield from _one(lambda: article_of(first + rest, "<stdin>"))


def _stdin_lines(stream: BinaryIO, first: bytes) -> Iterator[Item]:
    number = 1
    for line in itertools.chain([first] if first else [], stream):
        if line.strip():
            try:
                yield parse_line(line, f"<stdin>:{number}")
            except InputError as exc:
                yield exc
        number += 1


def _one(read: Callable[[], RawArticle]) -> Iterator[Item]:
    try:
        item = read()
    except InputError as exc:
        yield exc
        return
    yield item
