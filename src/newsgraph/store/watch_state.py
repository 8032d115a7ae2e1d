"""What ``newsgraph watch`` keeps in the store (tables ``watch_feeds`` and ``watch_items``, migration 8): per
feed its validators (ETag, Last-Modified) and its last poll's outcome, per item seen what became of it.
Writes go through the watch's own connection (autocommit: each statement its own transaction, so a kill
loses at most the item in hand); ``feeds`` reads for the status page and ``/api/watch``."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsgraph.store.db import iter_rows

MAX_ATTEMPTS = 3  # a failed item is fetched again at the next polls that list it, this many times in all
RECENT_FAILURES = 5  # the item failures /api/watch shows per feed
_CHUNK = 500  # links looked up per query (SQLite's limit on parameters is far above it)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Validators:
    """A feed's last answer's ETag and Last-Modified, sent back as If-None-Match and If-Modified-Since."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass
class Poll:
    """One poll of one feed, as recorded."""

    url: str
    status: str  # ok | not modified | error
    http: int | None = None
    error: str | None = None
    kind: str | None = None
    title: str | None = None
    via: str | None = None
    items: int = 0
    new: int = 0
    stored: int = 0
    failed: int = 0
    seconds: float = 0.0
    validators: Validators | None = None  # None: keep the ones stored


def validators(conn: sqlite3.Connection, url: str) -> Validators:
    row = conn.execute("SELECT etag, last_modified FROM watch_feeds WHERE url = ?", (url,)).fetchone()
    return Validators(*row) if row else Validators()


def last_polls(conn: sqlite3.Connection, urls: Iterable[str]) -> dict[str, str]:
    """When each of ``urls`` was last polled (UTC, ISO 8601), for those polled before."""
    urls = list(urls)
    out: dict[str, str] = {}
    for i in range(0, len(urls), _CHUNK):
        chunk = urls[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT url, last_poll FROM watch_feeds WHERE url IN ({marks}) AND last_poll IS NOT NULL"
        out.update(dict(conn.execute(sql, chunk).fetchall()))
    return out


def record_poll(conn: sqlite3.Connection, poll: Poll) -> None:
    """The poll's outcome on the feed's row (created at its first poll); validators kept unless given."""
    v = poll.validators
    conn.execute(
        "INSERT INTO watch_feeds (url, via, kind, title, etag, last_modified, last_poll, last_status, last_http,"
        " last_error, last_items, last_new, last_stored, last_failed, last_seconds, polls, errors, stored)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
        " ON CONFLICT (url) DO UPDATE SET via = coalesce(excluded.via, via), kind = coalesce(excluded.kind, kind),"
        " title = coalesce(excluded.title, title),"
        " etag = CASE WHEN ? THEN excluded.etag ELSE etag END,"
        " last_modified = CASE WHEN ? THEN excluded.last_modified ELSE last_modified END,"
        " last_poll = excluded.last_poll, last_status = excluded.last_status, last_http = excluded.last_http,"
        " last_error = excluded.last_error, last_items = excluded.last_items, last_new = excluded.last_new,"
        " last_stored = excluded.last_stored, last_failed = excluded.last_failed,"
        " last_seconds = excluded.last_seconds, polls = polls + 1, errors = errors + excluded.errors,"
        " stored = stored + excluded.stored",
        (
            poll.url,
            poll.via,
            poll.kind,
            poll.title,
            v.etag if v else None,
            v.last_modified if v else None,
            now(),
            poll.status,
            poll.http,
            poll.error,
            poll.items,
            poll.new,
            poll.stored,
            poll.failed,
            round(poll.seconds, 3),
            1 if poll.status == "error" else 0,
            poll.stored,
            v is not None,
            v is not None,
        ),
    )


def links_to_fetch(conn: sqlite3.Connection, links: list[str]) -> list[str]:
    """The links not seen before, and those that failed fewer than MAX_ATTEMPTS times, in the feed's order."""
    done: set[str] = set()
    for i in range(0, len(links), _CHUNK):
        chunk = links[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT link FROM watch_items WHERE link IN ({marks}) AND (status != 'failed' OR attempts >= ?)"
        done.update(r[0] for r in conn.execute(sql, (*chunk, MAX_ATTEMPTS)))
    return [link for link in links if link not in done]


def record_item(
    conn: sqlite3.Connection, link: str, feed: str, status: str, *, doc_id: str | None = None, error: str | None = None
) -> None:
    """What became of a feed item (a failed one seen again counts one attempt more)."""
    conn.execute(
        "INSERT INTO watch_items (link, feed, first_seen, status, doc_id, error) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (link) DO UPDATE SET status = excluded.status, doc_id = coalesce(excluded.doc_id, doc_id),"
        " error = excluded.error, attempts = attempts + 1",
        (link, feed, now(), status, doc_id, error),
    )


# --- reading, for the status page and /api/watch ---------------------------------------------------------------

_FEED_COLS = (
    "url, via, kind, title, last_poll, last_status, last_http, last_error, last_items, last_new, last_stored,"
    " last_failed, last_seconds, polls, errors, stored"
)


def feeds(conn: sqlite3.Connection, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """``{"items": [...], "total": N}``: the feeds polled, the most recently polled first, each with its last
    poll's outcome, its counts and its items' latest failures (``failed_items``: link and error)."""
    total = conn.execute("SELECT count(*) FROM watch_feeds").fetchone()[0]
    items = list(
        iter_rows(
            conn,
            f"SELECT {_FEED_COLS}, (SELECT count(*) FROM watch_items i WHERE i.feed = f.url) AS items_seen"
            " FROM watch_feeds f ORDER BY last_poll IS NULL, last_poll DESC, url LIMIT ? OFFSET ?",
            (limit, offset),
        )
    )
    for item in items:
        item["failed_items"] = list(
            iter_rows(
                conn,
                "SELECT link, error, attempts FROM watch_items WHERE feed = ? AND status = 'failed'"
                " ORDER BY rowid DESC LIMIT ?",
                (item["url"], RECENT_FAILURES),
            )
        )
    return {"items": items, "total": total}


def summary(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts over every feed: feeds, those whose last poll failed, items seen, documents stored, last poll."""
    row = conn.execute(
        "SELECT count(*), coalesce(sum(last_status = 'error'), 0), coalesce(sum(stored), 0), max(last_poll)"
        " FROM watch_feeds"
    ).fetchone()
    seen = conn.execute("SELECT count(*) FROM watch_items").fetchone()[0]
    return {"feeds": row[0], "failing": row[1], "stored": row[2], "last_poll": row[3], "items_seen": seen}
