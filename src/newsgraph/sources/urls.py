"""Fetching a URL with httpx: a time limit, a size limit and a checked content type, or one clear InputError."""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

import httpx

from newsgraph import __version__
from newsgraph.defaults import FETCH_MAX_BYTES, FETCH_TIMEOUT_S
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.sources.raw import decode, looks_like_html

TIMEOUT_S = FETCH_TIMEOUT_S
MAX_BYTES = FETCH_MAX_BYTES
MAX_REDIRECTS = 5
USER_AGENT = f"newsgraph/{__version__} (+article analysis; respects size and time limits)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
ARTICLE_TYPES = HTML_TYPES | TEXT_TYPES


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@dataclass
class Fetched:
    url: str  # after redirects
    content_type: str  # the media type, lower case, without parameters ("" when the server gave none)
    charset: str | None
    data: bytes


class Fetcher:
    """One HTTP client for a run of fetches (connections are reused). Use as a context manager."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT_S,
        max_bytes: int = MAX_BYTES,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, accept: frozenset[str]) -> Fetched:
        """The body of a 2xx answer whose media type is in ``accept`` (or unstated), within the limits."""
        if not is_url(url):
            raise InputError(url, "not an http(s) URL")
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise InputError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
                media, charset = parse_content_type(resp.headers.get("content-type", ""))
                if media and media not in accept:
                    raise InputError(url, f"unsupported content type {media} (expected {', '.join(sorted(accept))})")
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise InputError(url, f"larger than the {_size(self.max_bytes)} limit ({_size(int(declared))})")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise InputError(url, f"larger than the {_size(self.max_bytes)} limit")
                    if time.monotonic() > deadline:
                        raise InputError(url, f"download took longer than {self.timeout:g} s")
                    chunks.append(chunk)
                return Fetched(str(resp.url), media, charset, b"".join(chunks))
        except httpx.TimeoutException:
            raise InputError(url, f"timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise InputError(url, f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.InvalidURL as exc:
            raise InputError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise InputError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None

    def article(self, url: str, *, published: str | None = None, source: str | None = None) -> RawArticle:
        """The page at ``url`` as a RawArticle (HTML or plain text)."""
        return to_article(self.get(url, ARTICLE_TYPES), url, published=published, source=source)


def to_article(fetched: Fetched, name: str, *, published: str | None = None, source: str | None = None) -> RawArticle:
    text = decode_body(fetched, name)
    fmt: Literal["text", "html"]
    if fetched.content_type in HTML_TYPES:
        fmt = "html"
    elif fetched.content_type in TEXT_TYPES:
        fmt = "text"
    else:
        fmt = "html" if looks_like_html(fetched.data) else "text"
    return RawArticle(name=name, content=text, format=fmt, url=fetched.url or None, source=source, published=published)


def decode_body(fetched: Fetched, name: str) -> str:
    """The body decoded by its declared charset when that works, else as ``raw.decode`` decodes files."""
    if fetched.charset and fetched.data.strip():
        try:
            return fetched.data.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(fetched.data, name)


def parse_content_type(header: str) -> tuple[str, str | None]:
    """``text/html; charset=UTF-8`` -> (``text/html``, ``utf-8``)."""
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return media.strip().lower(), charset


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"
