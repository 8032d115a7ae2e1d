"""A plugin for the pool's tests (``--plugin tests.crash_layer``): a layer that kills its process on an
article holding KILLME, and one that hangs where the in-process time limit cannot reach (SIGALRM blocked,
as in one long call into C) on HANGME. Imported only by the tests that name it, in their workers."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from newsgraph.layers import Layer, register


def crash_or_hang(doc: Any, parsed: Any) -> list[dict[str, Any]]:
    if "KILLME" in doc.text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "HANGME" in doc.text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    return []


register(Layer(name="crashtest", run=crash_or_hang, reads=("text",)))  # again: replaced where it stands
