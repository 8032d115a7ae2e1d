"""The entities' mentions of a document in text order, looked up by character offset: the quotes and
events layers both ask which entity a word names."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from newsgraph.document import Entity

Located = tuple[int, int, Entity]  # a mention's start and end, and its entity


class Mentions:
    def __init__(self, entities: Iterable[Entity]) -> None:
        self.items: list[Located] = sorted(
            ((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda x: x[0]
        )
        self.starts = [m[0] for m in self.items]

    def at(self, start: int, end: int) -> Located | None:
        """The mention overlapping [start, end) (the last one starting before ``end``), if any."""
        i = bisect.bisect_left(self.starts, end)
        for s, e, ent in reversed(self.items[max(0, i - 12) : i]):
            if s < end and start < e:
                return s, e, ent
        return None

    def before(self, char: int) -> list[Located]:
        """The mentions starting before ``char``, in text order."""
        return self.items[: bisect.bisect_left(self.starts, char)]
