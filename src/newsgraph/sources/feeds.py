"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: the items' links, titles and dates, then each item's page.

Parsing uses the standard library's expat-based ElementTree, which expands no external entities and,
with the expat bundled since Python 3.11, refuses entity-expansion bombs; a feed over the fetcher's
size limit is never read at all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from newsgraph.dates import parse_feed_date
from newsgraph.defaults import FEED_MAX_ITEMS
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.sources.urls import Fetcher

_FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)[\s>]", re.S | re.I)


@dataclass
class FeedItem:
    link: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD


@dataclass
class Feed:
    title: str | None
    items: list[FeedItem] = field(default_factory=list)
    missing_links: int = 0  # items without a link to fetch
    left_out: int = 0  # items beyond the cap (``max_items``), not fetched


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_START.match(data[:4096]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, *names: str) -> ET.Element | None:
    for child in el:
        if _local(child.tag) in names:
            return child
    return None


def _text(el: ET.Element, *names: str) -> str | None:
    child = _child(el, *names)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def feed_date(value: str | None) -> str | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date as YYYY-MM-DD; None when unreadable."""
    return parse_feed_date(value) if value else None


def parse_feed(data: bytes, name: str, base_url: str | None = None, max_items: int = FEED_MAX_ITEMS) -> Feed:
    """The feed's first ``max_items`` items (the rest counted in ``left_out``), links resolved against
    ``base_url``; InputError when it is not a feed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(name, f"not a well-formed RSS/Atom feed ({exc})") from None
    kind = _local(root.tag)
    if kind == "rss":
        channel = _child(root, "channel")
        if channel is None:
            raise InputError(name, "RSS feed without a channel")
        feed = Feed(_text(channel, "title"))
        entries = [el for el in channel if _local(el.tag) == "item"]
    elif kind == "RDF":
        channel = _child(root, "channel")
        feed = Feed(_text(channel, "title") if channel is not None else None)
        entries = [el for el in root if _local(el.tag) == "item"]
    elif kind == "feed":
        feed = Feed(_text(root, "title"))
        entries = [el for el in root if _local(el.tag) == "entry"]
    else:
        raise InputError(name, f"not an RSS or Atom feed (root element <{kind}>)")
    seen: set[str] = set()
    for entry in entries:
        link = _atom_link(entry) if kind == "feed" else _rss_link(entry)
        if not link:
            feed.missing_links += 1
            continue
        link = urljoin(base_url, link) if base_url else link
        if link in seen:
            continue
        if len(feed.items) >= max_items:
            feed.left_out += 1
            continue
        seen.add(link)
        date = _text(entry, "pubDate", "published", "updated", "date", "issued")
        feed.items.append(FeedItem(link=link, title=_text(entry, "title"), published=feed_date(date)))
    return feed


def _rss_link(entry: ET.Element) -> str | None:
    link = _text(entry, "link")
    if link:
        return link
    guid = _child(entry, "guid")
    if guid is not None and guid.text and guid.get("isPermaLink", "true").lower() == "true":
        return guid.text.strip() or None
    return None


def _atom_link(entry: ET.Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child.tag) != "link" or not child.get("href"):
            continue
        rel = child.get("rel", "alternate")
        if rel == "alternate" and child.get("type", "text/html") in ("text/html", "application/xhtml+xml"):
            return child.get("href")
        fallback = fallback or (child.get("href") if rel == "alternate" else None)
    return fallback


def feed_articles(feed: Feed, name: str, fetcher: Fetcher) -> Iterator[RawArticle | InputError]:
    """Each item's page, fetched; an item that cannot be fetched is an InputError in the stream."""
    if feed.missing_links:
        yield InputError(name, f"{feed.missing_links} feed item(s) without a link")
    if feed.left_out:
        yield InputError(
            name, f"{feed.left_out:,} feed item(s) beyond the first {len(feed.items):,} left out (the per-feed limit)"
        )
    for item in feed.items:
        try:
            yield fetcher.article(item.link, published=item.published)
        except InputError as exc:
            yield exc
