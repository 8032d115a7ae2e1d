"""WARC and WARC.gz web archives (warcio): each ``response`` record holding an HTML page, and each
``resource`` record of HTML or plain text, becomes a RawArticle with the record's target URI.

Other records (requests, metadata, revisits, images, scripts, non-2xx answers) are not articles and
are passed over. A record that cannot be decoded, that is shorter than its Content-Length (a truncated
archive) or whose block or payload digest does not match its bytes, is an InputError named ``URI (in
FILE)``, never a partial article; an archive that is corrupt part-way is one InputError after the
records read before the damage.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.sources.raw import MAX_BYTES, decode
from newsgraph.sources.urls import ARTICLE_TYPES, HTML_TYPES, Fetched, parse_content_type, to_article


def is_warc(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith((".warc", ".warc.gz"))


def read_warc(path: str | Path) -> Iterator[RawArticle | InputError]:
    name = str(path)
    records = damaged = 0
    try:
        with Path(path).open("rb") as fh:
            if not _starts_as_warc(fh):
                yield InputError(name, "not a WARC file (it does not begin with a WARC/1.x record)")
                return
            records_in = iter(ArchiveIterator(fh, check_digests=True))
            while True:
                # warcio writes its warnings about damaged records to stderr: each is caught here and
                # counted, and nothing is yielded while stderr is redirected
                warnings = io.StringIO()
                with contextlib.redirect_stderr(warnings):
                    record = next(records_in, None)
                    item = _article(record, name) if record is not None else None
                damaged += bool(warnings.getvalue())
                if record is None:
                    break
                records += 1
                if item is not None:
                    yield item
    except OSError as exc:
        if exc.strerror:  # the file itself (gzip's errors have no strerror)
            yield InputError(name, f"cannot read file ({exc.strerror})")
        else:
            yield InputError(name, _damage(records, exc))
    except (ArchiveLoadFailed, ValueError, EOFError, zlib.error) as exc:
        yield InputError(name, _damage(records, exc))
    else:
        if damaged:
            yield InputError(name, f"{damaged} damaged record(s): a record's length does not match its content")


def _starts_as_warc(fh: BinaryIO) -> bool:
    """The file opens with a WARC record header, gzipped or not (the position is restored)."""
    head = fh.read(64)
    fh.seek(0)
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=fh) as gz:
                head = gz.read(8)
        except (OSError, EOFError, zlib.error):
            return False
        finally:
            fh.seek(0)
    return head.startswith(b"WARC/")


def _damage(records: int, exc: BaseException) -> str:
    where = "not a WARC file" if records == 0 else f"damaged after record {records}"
    return f"{where} ({str(exc).strip() or type(exc).__name__})"


def _soundness(record: Any) -> str | None:
    """What is wrong with a record read to its end: missing bytes, or a digest that does not match."""
    missing = getattr(record.raw_stream, "limit", 0)  # what the Content-Length promised and the file lacks
    if missing > 0:
        return f"truncated record: {missing:,} of its {record.length:,} bytes missing"
    checker = record.digest_checker
    if checker.passed is False:
        return f"corrupt record: {'; '.join(str(p) for p in checker.problems) or 'digest mismatch'}"
    return None


def _article(record: Any, name: str) -> RawArticle | InputError | None:
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    where = f"{uri} (in {name})" if uri else name
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None:
            return None
        status = headers.get_statuscode()
        if not (status or "").startswith("2"):
            return None
        header = headers.get_header("Content-Type") or ""
    else:
        header = record.rec_headers.get_header("Content-Type") or ""
    media, charset = parse_content_type(header)
    allowed = HTML_TYPES if record.rec_type == "response" else ARTICLE_TYPES
    if media not in allowed:
        return None
    data = record.content_stream().read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return InputError(where, f"record larger than {MAX_BYTES // (1024 * 1024)} MiB")
    problem = _soundness(record)
    if problem:
        return InputError(where, problem)
    try:
        if not data.strip():
            decode(data, where)  # raises: empty input
        return to_article(Fetched(uri or "", media, charset, data), where)
    except InputError as exc:
        return exc
