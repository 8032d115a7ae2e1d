"""Fetching as a polite crawler does: ``HostPacer`` keeps a pause between two requests to one host, and
``Robots`` (``newsgraph watch --robots``) reads each host's robots.txt (RFC 9309) through the same fetcher,
so the same address policy and limits hold for it."""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urlsplit

from newsgraph.errors import InputError
from newsgraph.sources.urls import HTML_TYPES, TEXT_TYPES, Fetcher, HTTPStatusError

ROBOTS_AGENT = "newsgraph"  # the product token robots.txt rules name (User-agent: newsgraph)
ROBOTS_MAX_AGE_S = 24 * 3600.0  # a robots.txt is read again after a day (RFC 9309 asks for no more than that)
MAX_CRAWL_DELAY_S = 60.0  # a Crawl-delay above this is taken as this
ROBOTS_TYPES = TEXT_TYPES | HTML_TYPES | {"application/octet-stream"}  # what servers label robots.txt


def host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return url


class HostPacer:
    """``wait(url)`` sleeps until ``delay`` seconds have passed since the last request to the URL's host (or
    the host's own, longer, robots.txt Crawl-delay)."""

    def __init__(
        self,
        delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = max(0.0, delay)
        self.delays: dict[str, float] = {}  # per host, when robots.txt asks for more
        self._last: dict[str, float] = {}
        self._clock, self._sleep = clock, sleep

    def wait(self, url: str) -> None:
        host = host_of(url)
        delay = max(self.delay, self.delays.get(host, 0.0))
        last = self._last.get(host)
        if last is not None and delay > 0:
            left = last + delay - self._clock()
            if left > 0:
                self._sleep(left)
        self._last[host] = self._clock()


class Robots:
    """Each host's robots.txt, fetched at first need and kept a day. A missing one (4xx) allows everything;
    one that cannot be had (5xx, unreachable) disallows the host for now, as RFC 9309 says."""

    def __init__(self, fetcher: Fetcher, pacer: HostPacer, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.fetcher, self.pacer, self._clock = fetcher, pacer, clock
        self._rules: dict[str, tuple[float, urllib.robotparser.RobotFileParser | bool]] = {}

    def allowed(self, url: str) -> bool:
        host = host_of(url)
        kept = self._rules.get(host)
        if kept is None or self._clock() - kept[0] > ROBOTS_MAX_AGE_S:
            kept = (self._clock(), self._read(url, host))
            self._rules[host] = kept
        rules = kept[1]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(ROBOTS_AGENT, url)

    def _read(self, url: str, host: str) -> urllib.robotparser.RobotFileParser | bool:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/robots.txt"
        self.pacer.wait(robots_url)
        try:
            fetched = self.fetcher.get(robots_url, ROBOTS_TYPES)
        except HTTPStatusError as exc:
            return exc.status < 500  # no robots.txt: everything allowed; a server error: nothing, for now
        except InputError:
            return False  # unreachable (or refused by the address policy): nothing fetched from it anyway
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(fetched.data.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            self.pacer.delays[host] = min(float(delay), MAX_CRAWL_DELAY_S)
        return parser
