"""XML sitemaps (sitemaps.org 0.9, Google News' extension): the pages a site lists, as feed items, and the
child sitemaps a sitemap index lists. Parsed as ``feeds`` parses feeds (expat, no external entities)."""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

from newsgraph.defaults import FEED_MAX_ITEMS
from newsgraph.errors import InputError
from newsgraph.sources.feeds import Feed, FeedItem, feed_date

_SITEMAP_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(urlset|sitemapindex)[\s>]", re.S | re.I)
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class Sitemap(Feed):
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index's children, the newest first


def looks_like_sitemap(data: bytes) -> bool:
    return bool(_SITEMAP_START.match(data[:4096]))


def gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """A gzipped sitemap (``sitemap.xml.gz``) unpacked, at most ``max_bytes`` of it; others as they are."""
    if data[:2] != GZIP_MAGIC:
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(name, f"not a readable gzip file ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(name, f"larger than {max_bytes:,} bytes unpacked")
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(el: ET.Element, *path: str) -> str | None:
    """The text of the first descendant along ``path`` (local names, any namespace)."""
    node: ET.Element | None = el
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None) if node is not None else None
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def parse_sitemap(data: bytes, name: str, base_url: str | None = None, max_items: int = FEED_MAX_ITEMS) -> Sitemap:
    """The pages of a ``<urlset>`` (newest first by their date, at most ``max_items``; the rest counted in
    ``left_out``), or the child sitemaps of a ``<sitemapindex>``; InputError when it is neither."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(name, f"not a well-formed sitemap ({exc})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise InputError(name, f"not a sitemap (root element <{kind}>)")
    entries = [el for el in root if _local(el.tag) in ("url", "sitemap")]
    dated: list[tuple[str, str, str | None, str | None]] = []  # (date or "", link, title, day)
    seen: set[str] = set()
    missing = 0
    for entry in entries:
        loc = _find(entry, "loc")
        if not loc:
            missing += 1
            continue
        link = urljoin(base_url, loc) if base_url else loc
        if link in seen:
            continue
        seen.add(link)
        stamp = _find(entry, "news", "publication_date") or _find(entry, "lastmod")
        dated.append((stamp or "", link, _find(entry, "news", "title"), feed_date(stamp)))
    dated.sort(key=lambda d: d[0], reverse=True)  # ISO 8601 stamps sort as text; undated ones last
    sitemap = Sitemap(title=None, missing_links=missing)
    if kind == "sitemapindex":
        sitemap.sitemaps = [link for _, link, _, _ in dated]
        return sitemap
    sitemap.left_out = max(0, len(dated) - max_items)
    sitemap.items = [FeedItem(link=link, title=title, published=day) for _, link, title, day in dated[:max_items]]
    return sitemap
