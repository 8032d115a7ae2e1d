"""A batch's inputs cut into shards: the unit one worker analyses and writes, and that a re-run skips once done.

- a JSON Lines file: runs of ``size`` lines (byte ranges found in one pass over the file);
- single-article files (given, or found in a folder): runs of ``size`` files, in sorted order;
- a WARC archive, a feed file: one shard each (their records cannot be counted without reading them);
- URLs: runs of ``size`` (a feed URL's items are fetched inside its shard).

A shard's key is a hash of what it reads (kind, absolute paths or URLs, byte range), so the same inputs
give the same keys on every run, engine and machine that sees the same paths. A missing file is a shard
too: reading it yields the InputError that the batch records in its ``errors`` table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from newsgraph.defaults import SHARD_ARTICLES
from newsgraph.errors import BatchError
from newsgraph.sources.inputs import FEED_SUFFIXES, JSONL_SUFFIXES, Inputs, Item, walk_folder
from newsgraph.sources.jsonl import line_ranges, read_jsonl
from newsgraph.sources.urls import MAX_BYTES, TIMEOUT_S, is_url
from newsgraph.sources.warc import is_warc

Kind = Literal["files", "jsonl", "warc", "feed", "urls"]


@dataclass(frozen=True)
class Reading:
    """How a shard's inputs are fetched (URLs and feeds): seconds and bytes per page, private addresses."""

    timeout: float = TIMEOUT_S
    max_bytes: int = MAX_BYTES
    allow_private: bool = False


@dataclass(frozen=True)
class Shard:
    kind: Kind
    sources: tuple[str, ...]  # absolute paths, or URLs
    start: int = 0  # JSON Lines: the byte range of its lines and the first line's number
    end: int | None = None
    first_line: int = 1
    articles: int | None = None  # how many articles it holds, when known before reading

    @property
    def key(self) -> str:
        what = json.dumps([self.kind, self.sources, self.start, self.end], ensure_ascii=False)
        return hashlib.sha256(what.encode("utf-8")).hexdigest()[:16]

    def describe(self) -> str:
        if self.kind == "jsonl":
            return f"{self.sources[0]} (from line {self.first_line})"
        if len(self.sources) == 1:
            return self.sources[0]
        return f"{self.sources[0]} and {len(self.sources) - 1} more"

    def items(self, reading: Reading = Reading()) -> Iterator[Item]:
        if self.kind == "jsonl":
            yield from read_jsonl(self.sources[0], self.start, self.end, self.first_line)
            return
        inputs = Inputs(
            self.sources, timeout=reading.timeout, max_bytes=reading.max_bytes, allow_private=reading.allow_private
        )
        yield from inputs

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shard:
        return cls(**{**data, "sources": tuple(data["sources"])})


def plan(specs: Iterable[str], size: int = SHARD_ARTICLES) -> list[Shard]:
    """The shards of the inputs, in input order. BatchError for standard input (a batch is re-runnable;
    a stream is not) or a size below 1."""
    if size < 1:
        raise BatchError(f"shard size must be at least 1, got {size}")
    shards: list[Shard] = []
    files: list[str] = []
    urls: list[str] = []

    def flush_files() -> None:
        shards.extend(_runs("files", files, size))
        files.clear()

    for spec in specs:
        if spec == "-":
            raise BatchError("-: batch reads files, folders and URLs, not standard input (use ingest, or a file)")
        if is_url(spec):
            urls.append(spec)
            continue
        path = Path(spec)
        found = walk_folder(path) if path.is_dir() else [path]
        for f in found:
            kind = _kind(f)
            if kind == "files":
                files.append(str(f.absolute()))
                continue
            flush_files()
            shards.extend(_container(kind, f, size))
    flush_files()
    shards.extend(_runs("urls", urls, size))
    return shards


def _kind(path: Path) -> Kind:
    name = path.name.lower()
    if is_warc(path):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    return "files"


def _container(kind: Kind, path: Path, size: int) -> Iterator[Shard]:
    source = str(path.absolute())
    if kind != "jsonl":
        yield Shard(kind, (source,))
        return
    try:
        ranges = list(line_ranges(path, size))
    except OSError:  # missing or unreadable: one shard, whose reading records the problem
        yield Shard("jsonl", (source,))
        return
    for start, end, first, count in ranges:
        yield Shard("jsonl", (source,), start, end, first, count)


def _runs(kind: Kind, sources: list[str], size: int) -> Iterator[Shard]:
    for i in range(0, len(sources), size):
        run = tuple(sources[i : i + size])
        yield Shard(kind, run, articles=len(run) if kind == "files" else None)


__all__ = ["BatchError", "Reading", "Shard", "plan"]  # BatchError: re-exported from errors
