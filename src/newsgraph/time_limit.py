"""A wall-clock limit on a piece of work in this process: ``with time_limit(120): ...`` raises TimeLimitExceeded
inside the block once the time is up, so a batch records one article as failed and goes on.

It uses the interval timer (SIGALRM), which only the main thread of a Unix process can set; elsewhere
(a worker thread, Windows) the block runs unlimited, as it did before. The signal interrupts Python code
between bytecodes and blocking sleeps and reads, not a single long call into C (one regular expression
match): the size limits before analysis bound those.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from newsgraph.errors import PicklableError


class TimeLimitExceeded(PicklableError):
    """The block ran past its limit (raised from inside it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after ``seconds`` (None or 0: no limit). Inside another limited
    block the outer limit stays in charge (the timer is one per process)."""
    if not seconds or seconds <= 0 or not available() or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
