"""Every named error, in one place. Each says what it is about, so the CLI can print one clear line;
the modules that raise them re-export their own (``store.schema.StoreError`` is this ``StoreError``)."""

from __future__ import annotations

from typing import Any


def _rebuilt(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    error = cls.__new__(cls, *args)  # not cls(*args): args is the message, not the constructor's arguments
    error.args = args
    error.__dict__.update(state)
    return error


class PicklableError(Exception):
    """An error that survives pickling whatever its constructor takes: the default pickling calls
    ``cls(*args)`` with the formatted message, which breaks ``InputError(source, problem)`` and kills the
    process it is sent to (an ``ingest --workers`` worker receiving a bad input to record)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


class NewsgraphError(PicklableError):
    """Base class of every error newsgraph raises on purpose."""


class InputError(NewsgraphError):
    """An input that cannot be analysed: missing, empty, binary, not an article, a bad option value."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ModelError(NewsgraphError):
    """The language model is missing or broken."""


class StoreError(NewsgraphError):
    """The store cannot be opened or used: missing, not a newsgraph database, a newer schema."""


class QueryError(NewsgraphError):
    """A query argument out of its range or form (the API answers 422 with this message)."""


class ExportError(NewsgraphError):
    """An export that cannot be written: a missing or unusable --out."""


class LayerError(NewsgraphError):
    """A layer declared against the registry's rules: out of order, a second writer, an unknown field."""


class GeoDataError(NewsgraphError):
    """The GeoNames data cannot be found or read (package missing, a file missing or corrupt)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"geonames: {problem}")
        self.problem = problem


class GazetteerError(NewsgraphError):
    """The gazetteer index cannot be read or built (source data missing or corrupt, cache not writable)."""


class BatchError(NewsgraphError):
    """A batch that cannot run: bad arguments, an output folder written with other options, a worker that
    cannot start (the model missing), Ray not installed."""


class ExtraError(NewsgraphError):
    """A capability whose optional dependency (a ``pip install 'newsgraph[EXTRA]'`` extra) is not installed."""
