"""Named errors. Each carries the input it is about, so the CLI can print one clear line."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class InputError(NewsgraphError):
    """An input that cannot be analysed: missing, empty, binary, not an article, a bad option value."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ModelError(NewsgraphError):
    """The language model is missing or broken."""
