"""Fetching a URL with httpx: public addresses only, one total time limit, a size limit and a checked content
type, or one clear InputError. Where a fetch may connect is ``fetch_guard``'s job."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

import httpcore

from newsgraph import __version__

# httpx's package imports its command line (``httpx._main``: click, rich, pygments; 0.08 s of its 0.11 s
# import) to offer ``httpx.main``, and falls back to a stub when that import fails: make it fail, once.
if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx
    finally:
        del sys.modules["httpx._main"]
import httpx

from newsgraph.defaults import FETCH_MAX_BYTES, FETCH_TIMEOUT_S
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.sources.fetch_guard import DeadlineExceeded, GuardedBackend, RefusedAddress, without_credentials
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
    status: int = 200  # 304: not modified since the validators sent (``get``'s ``headers``); no body
    etag: str | None = None  # the answer's validators, for the next conditional request
    last_modified: str | None = None


class HTTPStatusError(InputError):
    """An answer of status 400 or more; ``status`` is its code (robots.txt rules read 4xx and 5xx apart)."""

    def __init__(self, source: str, status: int, reason: str) -> None:
        super().__init__(source, f"HTTP {status} {reason}".rstrip())
        self.status = status


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over ``fetch_guard.GuardedBackend``. Proxies from the environment are not used:
    through a proxy the address policy could not see where a fetch goes."""

    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=backend, max_connections=10
        )


class Fetcher:
    """One HTTP client for a run of fetches (connections are reused). Use as a context manager.

    ``allow_private``: let fetches reach loopback, private and link-local addresses (refused by default);
    ``transport`` replaces the network entirely (tests)."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT_S,
        max_bytes: int = MAX_BYTES,
        allow_private: bool = False,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._backend = GuardedBackend(allow_private=allow_private)
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
            transport=transport or GuardedTransport(self._backend),
            trust_env=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, accept: frozenset[str], *, headers: dict[str, str] | None = None) -> Fetched:
        """The body of a 2xx answer whose media type is in ``accept`` (or unstated), within the limits.

        ``headers``: sent with the request; with validators in them (``If-None-Match``, ``If-Modified-Since``)
        a 304 answer is a ``Fetched`` of status 304 and no body. Errors name ``url`` without its credentials;
        ``Fetched.url`` never carries them."""
        name = without_credentials(url)
        if not is_url(url):
            raise InputError(name, "not an http(s) URL")
        self._backend.deadline.at = time.monotonic() + self.timeout  # one deadline for the whole fetch
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                if resp.status_code >= 400:
                    raise HTTPStatusError(name, resp.status_code, resp.reason_phrase)
                etag, modified = resp.headers.get("etag"), resp.headers.get("last-modified")
                if resp.status_code == 304 and headers:
                    return Fetched(without_credentials(str(resp.url)), "", None, b"", 304, etag, modified)
                media, charset = parse_content_type(resp.headers.get("content-type", ""))
                if media and media not in accept:
                    raise InputError(name, f"unsupported content type {media} (expected {', '.join(sorted(accept))})")
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise InputError(name, f"larger than the {_size(self.max_bytes)} limit ({_size(int(declared))})")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise InputError(name, f"larger than the {_size(self.max_bytes)} limit")
                    chunks.append(chunk)
                body = b"".join(chunks)
                return Fetched(
                    without_credentials(str(resp.url)), media, charset, body, resp.status_code, etag, modified
                )
        except RefusedAddress as exc:
            raise InputError(name, f"refused: {exc} (fetching private addresses needs --allow-private)") from None
        except (DeadlineExceeded, httpx.TimeoutException):
            raise InputError(name, f"timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise InputError(name, f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.UnsupportedProtocol as exc:
            raise InputError(name, f"refused: only http and https are fetched ({exc})") from None
        except httpx.InvalidURL as exc:
            raise InputError(name, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise InputError(name, f"cannot fetch ({type(exc).__name__}: {exc})") from None
        finally:
            self._backend.deadline.at = None

    def article(self, url: str, *, published: str | None = None, source: str | None = None) -> RawArticle:
        """The page at ``url`` as a RawArticle (HTML or plain text)."""
        return to_article(self.get(url, ARTICLE_TYPES), without_credentials(url), published=published, source=source)


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
