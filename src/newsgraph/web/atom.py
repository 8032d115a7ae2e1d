"""An alert's matches as an Atom feed (RFC 4287), for a feed reader: ``/alerts/{name}.atom``.

Ids are URNs (``urn:newsgraph:alert:NAME``, ``urn:newsgraph:document:ID``), the same whatever address the
server is reached by; links are relative to the feed's own address (``/documents/{id}``, resolved by the
reader against the URL it fetched, so they are right behind any proxy and however the answer is cached).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from newsgraph import __version__
from newsgraph.store.alerts import Alert

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _stamp(value: str | None) -> str:
    """An RFC 3339 date-time: the store's UTC ISO stamps are; a bare day is its midnight, UTC."""
    if not value:
        return "1970-01-01T00:00:00Z"
    return value + "T00:00:00Z" if len(value) == 10 else value


def atom_feed(
    alert: Alert, page: dict[str, Any], *, safe_url: Callable[[str | None], str | None] | None = None
) -> bytes:
    """The feed of ``page`` (``alerts.matches``'s answer: the most recently stored first). ``safe_url(url)``
    gives an article's own URL when it may be linked (http(s) only), else None."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", f"urn:newsgraph:alert:{alert.name}")
    _sub(feed, "title", f"newsgraph alert: {alert.name}")
    _sub(feed, "subtitle", alert.describe())
    items = page["items"]
    _sub(feed, "updated", _stamp(items[0]["stored_at"] if items else alert.created_at))
    _sub(feed, "link", rel="self", type=MEDIA_TYPE, href=f"/alerts/{alert.name}.atom")
    _sub(feed, "link", rel="alternate", type="application/json", href=f"/api/alerts/{alert.name}")
    author = _sub(feed, "author")
    _sub(author, "name", "newsgraph")
    _sub(feed, "generator", "newsgraph", version=__version__)
    for item in items:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:newsgraph:document:{item['id']}")
        _sub(entry, "title", item["title"] or item["url"] or item["id"])
        _sub(entry, "updated", _stamp(item["stored_at"]))
        if item["published"]:
            _sub(entry, "published", _stamp(item["published"]))
        _sub(entry, "link", rel="alternate", type="text/html", href=f"/documents/{item['id']}")
        original = safe_url(item["url"]) if safe_url else None
        if original:
            _sub(entry, "link", rel="related", type="text/html", href=original)
        told = ", ".join(x for x in (item["source"], item["published"]) if x)
        if told:
            _sub(entry, "summary", told)
    out: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return out
