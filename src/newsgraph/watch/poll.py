"""``newsgraph watch``: poll feeds and sitemaps, ingest their new items, report the alerts' new matches, again
every ``every`` seconds (or once, for cron).

A poll of one feed: robots.txt asked when told to (``--robots``), a pause since the last request to its host
(``HostPacer``), a conditional GET with the validators of its last answer (a 304 ends it), the listing read
(RSS, Atom, RDF, a sitemap; a sitemap index has its newest child sitemaps polled, each a feed of its own),
the items not seen before (``state.links_to_fetch``: a failed one is tried again a few times) fetched one
by one through the same pacer and ingested by ``ingest.ingest_items`` (the ingest path: cleaning, analysis,
near-duplicates, one transaction per document), each item's fate recorded as it comes. The feed's new
validators are recorded last, so a watch killed mid-feed lists the feed again when restarted and takes the
items it had not reached (those it had are seen). A feed that cannot be fetched or read is an error on its
row (``watch_feeds``), never the end of the round.

Between rounds each feed waits for its turn from its own last poll (kept in the store): a restarted watch
polls at once only the feeds that are due.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from newsgraph.batch.analyse import Outcome
from newsgraph.defaults import ARTICLE_TIMEOUT_S, BATCH_SIZE, FEED_MAX_ITEMS, WATCH_EVERY, WATCH_HOST_DELAY_S
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.ingest import ingest_items
from newsgraph.progress import Progress
from newsgraph.sources.feeds import Feed, FeedItem, looks_like_feed, parse_feed
from newsgraph.sources.fetch_guard import without_credentials
from newsgraph.sources.sitemaps import Sitemap, gunzip, looks_like_sitemap, parse_sitemap
from newsgraph.sources.urls import FEED_TYPES, MAX_BYTES, TIMEOUT_S, Fetched, Fetcher, HTTPStatusError
from newsgraph.store import watch_state as state
from newsgraph.store.db import connect
from newsgraph.watch.notify import Notifier, run_alerts
from newsgraph.watch.polite import HostPacer, Robots

MAX_SITEMAPS = 10  # child sitemaps of an index polled, the newest first
# feeds and sitemaps, as servers label them (a sitemap.xml.gz as gzip or bytes; a feed, now and then, as text)
LISTING_TYPES = FEED_TYPES | {"application/gzip", "application/x-gzip", "application/octet-stream", "text/plain"}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_KIND = re.compile(rb"<(rss|feed|rdf:RDF|urlset|sitemapindex)[\s>]", re.I)


def parse_every(text: str) -> float:
    """``90s``, ``15m``, ``1h30m``, ``2h``, ``1d`` or plain seconds, as seconds (InputError: not one, or
    under a second)."""
    value = text.strip().lower()
    pos, total = 0, 0.0
    for m in _DURATION.finditer(value):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT_S[m.group(2)]
        pos = m.end()
    if not value or pos != len(value):
        raise InputError("--every", f"{text!r} is not a duration (90s, 15m, 1h30m, 1d)")
    if total < 1:
        raise InputError("--every", f"{text!r} is under a second")
    return total


EVERY_S = parse_every(WATCH_EVERY)


def read_feed_list(path: Path) -> list[str]:
    """A feed list: one feed URL a line; blank lines and lines starting with ``#`` left out."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(str(path), f"cannot read the feed list ({exc.strerror})") from None
    if looks_like_feed(text[:4096].encode()) or looks_like_sitemap(text[:4096].encode()):
        raise InputError(str(path), "is a feed itself; watch polls feeds by URL (a file is a list of feed URLs)")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def feed_urls(specs: Iterable[str]) -> list[str]:
    """The feeds to poll: each argument a feed's URL (anything with ``://``) or a feed list file."""
    out: list[str] = []
    for spec in specs:
        if "://" in spec:
            out.append(spec)
            continue
        path = Path(spec)
        if not path.is_file():
            raise InputError(spec, "not a URL, and no such file (a feed list: one feed URL a line)")
        out += read_feed_list(path)
    return list(dict.fromkeys(out))


@dataclass
class WatchOptions:
    every: float = EVERY_S
    once: bool = False
    robots: bool = False
    host_delay: float = WATCH_HOST_DELAY_S
    allow_private: bool = False
    timeout: float = TIMEOUT_S
    max_page_bytes: int = MAX_BYTES
    geo: bool = True
    article_timeout: float | None = ARTICLE_TIMEOUT_S
    batch_size: int = BATCH_SIZE
    max_items: int = FEED_MAX_ITEMS
    max_sitemaps: int = MAX_SITEMAPS
    progress: bool | None = None


@dataclass
class Round:
    """One round: the polls made (a sitemap index's children among them) and the alerts' new matches."""

    polls: list[state.Poll] = field(default_factory=list)
    matches: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(p.status == "error" or p.failed for p in self.polls)


def kind_of(data: bytes) -> str:
    m = _KIND.search(data[:4096])
    root = m.group(1).decode().lower() if m else ""
    return {"feed": "atom", "rdf:rdf": "rdf", "urlset": "sitemap"}.get(root, root or "feed")


class Watcher:
    """Polls feeds into an open store (its one writer), with one fetcher, one pacer and the store's state."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_name: str,
        options: WatchOptions,
        fetcher: Fetcher,
        *,
        notifier: Notifier | None = None,
        log: TextIO | None = None,
    ) -> None:
        self.conn, self.db_name, self.options, self.fetcher = conn, db_name, options, fetcher
        self.notifier = notifier or Notifier()
        self.log = log if log is not None else sys.stderr
        self.pacer = HostPacer(options.host_delay)
        self.robots = Robots(fetcher, self.pacer) if options.robots else None

    def say(self, line: str) -> None:
        print(f"newsgraph: {line}", file=self.log, flush=True)

    def round(self, urls: Iterable[str]) -> Round:
        """Poll each feed, then take every alert's new matches."""
        done = Round()
        for url in urls:
            done.polls += self.poll(url)
        done.matches = run_alerts(self.conn, self.notifier)
        for name, n in done.matches.items():
            if n:
                self.say(f"alert {name}: {n} new match{'es' if n != 1 else ''}")
        return done

    def poll(self, url: str, via: str | None = None) -> list[state.Poll]:
        """Poll one feed (a sitemap index: and its newest children); its polls, recorded."""
        name = without_credentials(url)
        started = time.perf_counter()
        poll = state.Poll(url=name, status="error", via=via)
        polls = [poll]
        try:
            fetched = self._fetch(url, name)
            if fetched.status == 304:
                poll.status, poll.http = "not modified", 304
            else:
                poll.http = fetched.status
                data = gunzip(fetched.data, name, self.options.max_page_bytes)
                listing = self._parse(data, name, fetched.url, poll)
                poll.status = "ok"
                poll.validators = state.Validators(fetched.etag, fetched.last_modified)
                if isinstance(listing, Sitemap) and listing.sitemaps:
                    poll.items = len(listing.sitemaps)
                    for child in listing.sitemaps[: self.options.max_sitemaps] if via is None else ():
                        polls += self.poll(child, via=name)
                else:
                    self._take(listing, name, poll)
        except InputError as exc:
            poll.status, poll.error = "error", exc.problem
            poll.http = exc.status if isinstance(exc, HTTPStatusError) else poll.http
        poll.seconds = time.perf_counter() - started
        state.record_poll(self.conn, poll)  # last: a poll cut short leaves the old validators (listed again)
        self.say(f"watch: {name}: {_outcome(poll)}")
        return polls

    def _fetch(self, url: str, name: str) -> Fetched:
        if self.robots is not None and not self.robots.allowed(url):
            raise InputError(name, "disallowed by its host's robots.txt")
        self.pacer.wait(url)
        headers = state.validators(self.conn, name).headers()
        return self.fetcher.get(url, LISTING_TYPES, headers=headers)

    def _parse(self, data: bytes, name: str, base: str, poll: state.Poll) -> Feed:
        poll.kind = kind_of(data)
        if looks_like_sitemap(data):
            return parse_sitemap(data, name, base_url=base, max_items=self.options.max_items)
        listing = parse_feed(data, name, base_url=base, max_items=self.options.max_items)
        poll.title = listing.title
        return listing

    def _take(self, listing: Feed, feed: str, poll: state.Poll) -> None:
        """Fetch and ingest the items not seen before; each one's fate recorded as it comes."""
        poll.items = len(listing.items)
        todo = set(state.links_to_fetch(self.conn, [i.link for i in listing.items]))
        items: list[FeedItem] = []
        for item in listing.items:
            if item.link not in todo:
                continue
            if self.robots is not None and not self.robots.allowed(item.link):
                state.record_item(self.conn, item.link, feed, "disallowed", error="robots.txt")
                continue
            items.append(item)
        poll.new = len(items)
        if not items:
            return

        def recorded(outcome: Outcome, written: bool) -> None:
            link = items[outcome.index].link
            doc_id = outcome.doc.id if outcome.doc is not None else None
            if outcome.failure is not None:
                poll.failed += 1
                state.record_item(self.conn, link, feed, "failed", error=outcome.failure.problem)
            else:
                poll.stored += written
                state.record_item(self.conn, link, feed, "stored" if written else "unchanged", doc_id=doc_id)

        o = self.options
        ingest_items(
            self.conn,
            self._pages(items),
            db_name=self.db_name,
            batch_size=o.batch_size,
            geo=o.geo,
            article_timeout=o.article_timeout,
            progress=Progress(f"poll {feed}", total=len(items), enabled=o.progress),
            on_outcome=recorded,
        )

    def _pages(self, items: list[FeedItem]) -> Iterator[RawArticle | InputError]:
        for item in items:
            self.pacer.wait(item.link)
            try:
                yield self.fetcher.article(item.link, published=item.published)
            except InputError as exc:
                yield exc


def _outcome(poll: state.Poll) -> str:
    if poll.status == "error":
        return f"error: {poll.error}"
    if poll.status == "not modified":
        return f"not modified ({poll.seconds:.1f} s)"
    what = "sitemaps" if poll.kind == "sitemapindex" else "items"
    failed = f", {poll.failed} failed (see /api/watch)" if poll.failed else ""
    return f"{poll.items} {what}, {poll.new} new, {poll.stored} stored{failed} ({poll.seconds:.1f} s)"


def due(conn: sqlite3.Connection, urls: list[str], every: float, at: dt.datetime) -> tuple[list[str], float]:
    """The feeds due at ``at`` (never polled, or last polled ``every`` seconds ago or more) and the seconds
    until the next of the others is."""
    last = state.last_polls(conn, [without_credentials(u) for u in urls])
    ready, wait = [], every
    for url in urls:
        stamp = last.get(without_credentials(url))
        left = every - (at - dt.datetime.fromisoformat(stamp)).total_seconds() if stamp else 0.0
        if left <= 0:
            ready.append(url)
        else:
            wait = min(wait, left)
    return ready, wait


@dataclass
class WatchReport:
    rounds: int = 0
    polls: int = 0
    stored: int = 0
    errors: int = 0
    matches: int = 0
    stopped: bool = False  # by Ctrl-C (or SIGTERM)
    failed: bool = False  # the last round had a feed error or an item that failed

    def summary(self) -> str:
        how = "stopped" if self.stopped else "done"
        return (
            f"watch {how}: {self.rounds} round{'s' if self.rounds != 1 else ''}, {self.polls} polls,"
            f" {self.stored} stored, {self.errors} feed errors, {self.matches} new alert matches"
        )


def watch(
    specs: list[str],
    db_path: str | Path,
    options: WatchOptions,
    *,
    notifier: Notifier | None = None,
    log: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> WatchReport:
    """Poll the feeds of ``specs`` (URLs and feed list files, read again each round) into the store at
    ``db_path`` until interrupted (KeyboardInterrupt: a clean stop), or once (``options.once``)."""
    urls = feed_urls(specs)
    report = WatchReport()
    conn = connect(db_path)
    fetcher = Fetcher(timeout=options.timeout, max_bytes=options.max_page_bytes, allow_private=options.allow_private)
    watcher = Watcher(conn, str(db_path), options, fetcher, notifier=notifier, log=log)
    try:
        if not options.once:
            every = _every(options.every)
            watcher.say(
                f"watch: {len(urls)} feed{'s' if len(urls) != 1 else ''} every {every} into {db_path} (Ctrl-C stops)"
            )
        while True:
            if options.once:
                ready, wait = urls, 0.0
            else:
                ready, wait = due(conn, urls, options.every, dt.datetime.now(dt.UTC))
            if ready or options.once:
                done = watcher.round(ready)
                report.rounds += 1
                report.polls += len(done.polls)
                report.stored += sum(p.stored for p in done.polls)
                report.errors += sum(p.status == "error" for p in done.polls)
                report.matches += sum(done.matches.values())
                report.failed = done.failed
            if options.once:
                return report
            if ready:
                _, wait = due(conn, urls, options.every, dt.datetime.now(dt.UTC))
            sleep(max(wait, 1.0))
            try:
                urls = feed_urls(specs)  # a feed list edited meanwhile is read again
            except InputError as exc:
                watcher.say(f"watch: {exc} (the feeds of the last reading are polled)")
    except KeyboardInterrupt:
        report.stopped = True
        return report
    finally:
        fetcher.close()
        conn.close()


def _every(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"
