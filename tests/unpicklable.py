"""An article that cannot cross into a worker process (its unpickling raises there), to test that a task a
worker never gets to run is reported, not lost. Imported by the tests that name it and by the workers."""

from __future__ import annotations

from typing import Any

from newsgraph.document import RawArticle


def _refuse(name: str) -> RawArticle:
    raise RuntimeError(f"{name} cannot be read in this process")


class Unsendable(RawArticle):
    def __reduce__(self) -> tuple[Any, ...]:
        return (_refuse, (self.name,))
