"""Reading one input into a ``RawArticle``: bytes decoded, HTML told apart from plain text."""

from __future__ import annotations

import codecs
import gzip
import io
import re
import sys
import zlib
from pathlib import Path
from typing import Literal

from charset_normalizer import from_bytes

from newsgraph.document import RawArticle
from newsgraph.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
MAX_BYTES = 50 * 1024 * 1024  # an article is never this large; a bigger file is a mistake

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html|<!--)", re.I)
_HTML_TAGS = re.compile(rb"<(p|div|article|body|html|h[1-6]|span|a)[\s>]", re.I)


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 when they are, else by detection (cp1252 and latin-1 included)."""
    if not data.strip():
        raise InputError(name, "empty input: there is no article text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(name, f"not valid UTF-16 ({exc.reason})") from None
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.05:
        raise InputError(name, "binary file, not an article (expected plain text or HTML)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for codec in declared_charsets(data):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue  # a page whose bytes are not what it declares: detection decides
    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp1251", "utf_16"]).best()
    if best is None:
        # cp1252 leaves five bytes undefined; latin-1 decodes anything, so fall back on it
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    return str(best)


# a page's own word on its encoding, in its head: <meta charset="gb2312">, content="text/html; charset=..."
_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# what a page names, read as its superset (the bytes of a "gb2312" page are usually GBK's)
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252"}


def declared_charsets(data: bytes) -> list[str]:
    """The encodings an HTML page declares in its first 8 KiB, known to Python, in the page's order; the
    Unicode ones left out."""
    out: list[str] = []
    for m in _CHARSET.finditer(data[:8192]):
        name = m.group(1).decode("ascii", "replace").lower()
        name = SUPERSETS.get(name, name)
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        # UTF-8 was tried; a page in bytes of one width that claims UTF-16 or -32 would decode as noise
        if not codec.startswith(("utf-8", "utf-16", "utf-32")) and codec not in out:
            out.append(codec)
    return out


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(data)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def _gunzip(data: bytes, name: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            return fh.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(name, f"not a readable gzip file ({exc})") from None


def read_input(path: str) -> RawArticle:
    """Read a path, or ``-`` for standard input, into a ``RawArticle``."""
    if path == "-":
        name = "<stdin>"
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        name = path
        p = Path(path)
        if not p.exists():
            raise InputError(name, "no such file")
        if p.is_dir():
            raise InputError(name, "is a directory, not an article file")
        try:
            with p.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError(name, f"cannot read file ({exc.strerror})") from None
    return article_of(data, name, html_name=path != "-" and _html_name(path))


def _html_name(path: str) -> bool:
    return Path(path.removesuffix(".gz")).suffix.lower() in (".html", ".htm", ".xhtml")


def article_of(
    data: bytes, name: str, *, html_name: bool = False, fmt: Literal["text", "html"] | None = None
) -> RawArticle:
    """The article in a file's bytes (gzipped or not; HTML when it looks like HTML or ``html_name``; ``fmt``:
    as the user said, not guessed)."""
    if data[:2] == GZIP_MAGIC:  # a gzipped page ("page.html.gz", as crawls and benchmarks keep them)
        data = _gunzip(data, name)
    if len(data) > MAX_BYTES:
        raise InputError(name, f"larger than {MAX_BYTES // (1024 * 1024)} MiB, not a single article")
    fmt = fmt or ("html" if html_name or looks_like_html(data) else "text")
    return RawArticle(name=name, content=decode(data, name), format=fmt)


__all__ = ["MAX_BYTES", "RawArticle", "article_of", "decode", "looks_like_html", "read_input"]
