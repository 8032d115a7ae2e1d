"""A one-line progress display on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

REFRESH_S = 0.1
BAR = 24


class Progress:
    """``update(done, text)`` redraws at most every REFRESH_S; ``close()`` clears the line. With a
    ``total``, a bar with a percentage and the time left; without one, a count and a rate."""

    def __init__(
        self, label: str, *, total: int | None = None, stream: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _isatty(self.stream) if enabled is None else enabled
        self.start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def update(self, done: int, text: str = "", *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < REFRESH_S:
            return
        self._last = now
        self.stream.write("\r" + self.line(done, text, now)[: _width() - 1] + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def line(self, done: int, text: str, now: float | None = None) -> str:
        elapsed = max((now if now is not None else time.monotonic()) - self.start, 1e-9)
        rate = done / elapsed
        if self.total:
            share = min(done / self.total, 1.0)
            filled = int(BAR * share)
            left = (self.total - done) / rate if rate > 0 else 0.0
            head = (
                f"{self.label} [{'#' * filled}{'.' * (BAR - filled)}] {done}/{self.total}"
                f" {100 * share:3.0f}% {rate:.1f}/s {_clock(left)} left"
            )
        else:
            head = f"{self.label} {done} {rate:.1f}/s"
        return f"{head}  {text}" if text else head

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
