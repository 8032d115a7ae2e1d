"""The layer registry's mechanism, re-exported by ``newsgraph.layers``: every layer declares what it
reads, what it writes, what it needs, its store tables and its UI entry; the pipeline, the store
writer, the exports, the summary and the article page loop over it (in the spirit of spaCy's
``Language.component(assigns=, requires=)`` and stanza's ``register_processor`` with
``PROVIDES``/``REQUIRES``).

A layer is a function ``run(doc, parsed) -> list of records`` that fills ``doc.<writes>``. Built-in
layers are named by ``"module:function"`` and imported only when the pipeline runs them, so importing
the registry never imports spaCy (the web server and the exporters read the declarations alone).
Another layer registers itself with ``register(Layer(...))`` from its own module (``docs/extending.md``).

The order is checked when a layer is registered: a layer that reads a field no earlier layer writes
is an error naming both, and so is a second writer of a field. A layer writes only its own field;
``corrects`` declares the one exception (the places layer retypes an entity spaCy called an
organisation when the gazetteer says it is a place), and the pipeline's audit holds every layer to it.
"""

from __future__ import annotations

import bisect
import importlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsgraph.errors import LayerError as LayerError

# what a document holds before any layer runs ("parse": spaCy's parse of the text)
BASE_FIELDS = ("text", "meta", "meta.published", "paragraphs", "removed", "parse")
RESOURCES = ("gazetteer",)  # what a caller can switch off (``geo=False`` / ``--no-geo``: the gazetteer)


# --- store declarations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowContext:
    """What a row needs beyond its record: the document it belongs to."""

    doc_id: str
    published: str | None
    paragraph_starts: Sequence[int]

    def paragraph(self, offset: Any) -> int | None:
        """The index of the paragraph holding a character offset (None for no offset)."""
        if not isinstance(offset, int) or isinstance(offset, bool):
            return None
        i = bisect.bisect_right(self.paragraph_starts, offset) - 1
        return i if i >= 0 else None


@dataclass(frozen=True)
class Column:
    """One column of a layer's table: its SQL type and where its value comes from. By default the
    record's key of the same name, as is; ``key`` reads another key, ``cell`` converts the value,
    ``derive`` computes it from the whole record and the document (``keys``: the record keys it reads)."""

    name: str
    sql: str  # "TEXT NOT NULL", "INTEGER", "REAL" ...
    key: str | None = None
    cell: Callable[[Any], Any] | None = None
    derive: Callable[[dict[str, Any], RowContext], Any] | None = None
    keys: tuple[str, ...] = ()
    # added to a table of the store's migrations by a later one (ALTER TABLE puts it after ``extra``)
    added: bool = False

    def reads(self) -> tuple[str, ...]:
        """The record keys this column stores (the rest of a record goes to ``extra``)."""
        if self.derive is not None:
            return self.keys
        return (self.key or self.name,)

    def value(self, record: dict[str, Any], ctx: RowContext) -> Any:
        if self.derive is not None:
            return self.derive(record, ctx)
        raw = record.get(self.key or self.name)
        return self.cell(raw) if self.cell is not None else raw


# the columns of a span-bearing record: its text, offsets and the paragraph it starts in
SPAN = (
    Column("text", "TEXT NOT NULL"),
    Column("char_start", "INTEGER NOT NULL", key="start"),
    Column("char_end", "INTEGER NOT NULL", key="end"),
    Column("paragraph", "INTEGER", derive=lambda r, ctx: ctx.paragraph(r.get("start")), keys=("start",)),
)


@dataclass(frozen=True)
class Table:
    """A table a layer's records are written to, one row per record (``rows`` flattens records into
    rows first: an entity's mentions). Every row has ``doc_id``; ``indexed`` adds ``idx`` (the position
    in the layer's list), ``extra`` a JSON column for keys no column holds."""

    name: str
    columns: tuple[Column, ...]
    indexes: tuple[str, ...] = ()  # column lists: "doc_id", "name COLLATE NOCASE, type"
    indexed: bool = True
    extra: bool = True
    rows: Callable[[list[dict[str, Any]]], Iterable[dict[str, Any]]] | None = None

    def column_names(self) -> list[str]:
        return ["doc_id", *(["idx"] if self.indexed else []), *(c.name for c in self._ordered())]

    def _ordered(self) -> list[Column]:
        """The columns in the table's order: declared ones, ``extra``, then those added by migrations."""
        extra = [Column("extra", "TEXT")] if self.extra else []
        return [c for c in self.columns if not c.added] + extra + [c for c in self.columns if c.added]

    def ddl(self) -> list[str]:
        """CREATE statements for a table declared after the store's migrations (a new layer's)."""
        cols = ["n INTEGER PRIMARY KEY", "doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE"]
        cols += ["idx INTEGER NOT NULL"] if self.indexed else []
        cols += [f"{c.name} {c.sql}" for c in self._ordered()]
        out = [f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(cols)}) STRICT"]
        for i, on in enumerate(self.indexes):
            out.append(f"CREATE INDEX IF NOT EXISTS {self.name}_{i} ON {self.name}({on})")
        return out

    def records_of(self, records: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        return self.rows(records) if self.rows is not None else records

    def values(self, records: list[dict[str, Any]], ctx: RowContext) -> Iterator[tuple[Any, ...]]:
        """The table's rows for one document's records, in ``column_names`` order."""
        known = {k for c in self.columns for k in c.reads()}
        for i, rec in enumerate(self.records_of(records)):
            row: list[Any] = [ctx.doc_id, *([i] if self.indexed else [])]
            for c in self._ordered():
                if c.name == "extra" and self.extra:
                    rest = {k: v for k, v in rec.items() if k not in known}
                    row.append(json.dumps(rest, ensure_ascii=False, separators=(",", ":")) if rest else None)
                else:
                    row.append(c.value(rec, ctx))
            yield tuple(row)


# --- UI declarations ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """A stretch of the article page that one record covers."""

    start: int
    end: int
    ref: str  # the record's reference within its layer: an index, or an entity id
    css: str
    title: str
    anchor: str | None = None


@dataclass(frozen=True)
class UiEntry:
    """How the article page shows a layer: key prefix of its records, CSS class, labels of a record and of
    the layer, and the highlights of a document's records (by default: each record's own start/end)."""

    prefix: str
    css: str
    label: str
    plural: str
    title: Callable[[dict[str, Any]], str] | None = None
    highlights: Callable[[dict[str, Any], list[dict[str, Any]], str], Iterable[Highlight]] | None = None
    ref: Callable[[int, dict[str, Any]], str] | None = None
    order: int = 100  # place in the page's legend and records (lower first)

    def record_ref(self, i: int, record: dict[str, Any]) -> str:
        return self.ref(i, record) if self.ref is not None else str(i)

    def spans(self, doc: dict[str, Any], records: list[dict[str, Any]]) -> Iterable[Highlight]:
        if self.highlights is not None:
            return self.highlights(doc, records, self.css)
        return self._own_spans(records)

    def _own_spans(self, records: list[dict[str, Any]]) -> Iterator[Highlight]:
        for i, rec in enumerate(records):
            start, end = rec.get("start"), rec.get("end")
            if isinstance(start, int) and isinstance(end, int):
                title = self.title(rec) if self.title is not None else self.label
                yield Highlight(start, end, self.record_ref(i, rec), self.css, title)


# --- layers ---------------------------------------------------------------------------------------------------


Run = Callable[[Any, Any], list[Any]]  # (Document, spaCy Doc) -> the layer's records


@dataclass(frozen=True)
class Layer:
    """One layer's contract. ``writes`` is the Document field it fills (its name, for every built-in);
    ``reads`` the fields it uses (``BASE_FIELDS`` or an earlier layer's); ``needs`` the resources without
    which it is left empty (``RESOURCES``); ``corrects`` earlier layers' fields it may amend;
    ``languages`` the languages it can read (on any other it is left empty, and the document says so). ``run``
    is its function, or one per language it reads (``{"en": ..., "fr": ...}``; ``languages`` is then those)."""

    name: str
    # "module:function", a callable, a mapping of language -> either, or None: declared, not implemented (empty)
    run: str | Run | Mapping[str, str | Run] | None
    reads: tuple[str, ...] = ("text", "parse")
    needs: tuple[str, ...] = ()
    corrects: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    ui: UiEntry | None = None
    writes: str = ""
    languages: tuple[str, ...] | None = None  # the languages it reads (ISO 639-1); None: any

    def __post_init__(self) -> None:
        if not self.writes:
            object.__setattr__(self, "writes", self.name)
        if isinstance(self.run, Mapping):
            if self.languages is not None and set(self.languages) != set(self.run):
                raise LayerError(f"layer {self.name!r}: its languages {self.languages} are not those of its run")
            object.__setattr__(self, "languages", tuple(self.run))

    def function(self, language: str | None = None) -> Run | None:
        """The layer's function (for ``language`` where it has one per language), imported on first use;
        None for a language it has no function for."""
        target = self.run
        if isinstance(target, Mapping):
            target = target.get(language or "")
        if target is None or callable(target):
            return target
        module, _, attr = target.partition(":")
        fn: Run = getattr(importlib.import_module(module), attr)
        return fn


@dataclass
class Registry:
    """The layers in pipeline order."""

    layers: list[Layer] = field(default_factory=list)

    def register(self, layer: Layer, *, after: str | None = None) -> Layer:
        """Add a layer at the end (or right after the layer ``after``); LayerError when its contract
        breaks the order. Registering the same name again replaces that layer where it stands."""
        order = [x for x in self.layers if x.name != layer.name]
        at = len(order)
        if layer.name in self.names():
            at = self.names().index(layer.name)
        elif after is not None:
            if after not in self.names():
                raise LayerError(f"layer {layer.name!r}: no layer {after!r} to register after")
            at = self.names().index(after) + 1
        order.insert(at, layer)
        check_order(order)
        self.layers[:] = order
        return layer

    def unregister(self, name: str) -> None:
        self.layers[:] = [x for x in self.layers if x.name != name]

    def names(self) -> list[str]:
        return [x.name for x in self.layers]

    def get(self, name: str) -> Layer:
        for x in self.layers:
            if x.name == name:
                return x
        raise LayerError(f"no layer {name!r}: registered are {', '.join(self.names())}")

    def __iter__(self) -> Iterator[Layer]:
        return iter(list(self.layers))

    def tables(self) -> list[tuple[Layer, Table]]:
        return [(x, t) for x in self.layers for t in x.tables]

    def with_ui(self) -> list[tuple[Layer, UiEntry]]:
        """The layers the article page shows, in legend order."""
        shown = [(x, x.ui) for x in self.layers if x.ui is not None]
        return sorted(shown, key=lambda pair: pair[1].order)


def check_order(layers: Sequence[Layer]) -> None:
    """Each field read is written before; each field written once; resources known. LayerError naming
    the layer and the field (and the layer that writes it too late, if one does)."""
    written: dict[str, str] = {}
    writers = {x.writes: x.name for x in layers}
    for x in layers:
        for need in x.needs:
            if need not in RESOURCES:
                raise LayerError(f"layer {x.name!r} needs {need!r}, which is not a known resource ({RESOURCES})")
        if x.writes in written or x.writes in BASE_FIELDS:
            owner = written.get(x.writes, "the document")
            raise LayerError(f"layer {x.name!r} writes {x.writes!r}, which {owner!r} already writes")
        for wanted in (*x.reads, *x.corrects):
            if wanted in BASE_FIELDS or wanted in written:
                continue
            later = writers.get(wanted)
            if later is not None:
                raise LayerError(
                    f"layer {x.name!r} reads {wanted!r}, which layer {later!r} writes only after it: "
                    f"register {later!r} before {x.name!r}"
                )
            raise LayerError(f"layer {x.name!r} reads {wanted!r}, which no earlier layer writes")
        written[x.writes] = x.name


REGISTRY = Registry()
register = REGISTRY.register


def registered() -> list[Layer]:
    """The layers in pipeline order."""
    return list(REGISTRY)
