"""The built-in layers' declarations, in pipeline order: what each reads, needs and may correct, its
store tables (the columns of the store's first migration, ``store/schema.py``; a test holds the two
together) and how the article page shows it. Their code is imported only when the pipeline runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from newsgraph.dates import day_prefix
from newsgraph.layers._registry import SPAN, Column, Highlight, Layer, RowContext, Table, UiEntry, register
from newsgraph.lexicons import LANGUAGES

ENGLISH = ("en",)  # what the events layer reads: the English model's parse and the lexicons in events/en/
# What the other built-in layers read: each language's parse (its model's labels as the English model's,
# nlp.WIKINER_LABELS) and its lexicons (lexicons/<lang>/, read through lexicons.reading); one function for all.
READ = LANGUAGES


def each_language(target: str) -> dict[str, str]:
    """The same function for every language in READ: its words come from the lexicons of the one read."""
    return dict.fromkeys(READ, target)


def flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def text(value: Any) -> str | None:
    return None if value is None else str(value)


def value_pair(value: Any) -> tuple[float | None, float | None]:
    """A quantity's value: a number, or a [low, high] range."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return number(value[0]), number(value[1])
    return number(value), None


def event_day(record: dict[str, Any], ctx: RowContext) -> str | None:
    """The day an event is filed under: its own date when that is a day, else the document's."""
    return day_prefix(record.get("date")) or ctx.published


# --- entities -------------------------------------------------------------------------------------------------

ENTITY_CLASSES = {"PERSON": "person", "ORG": "org", "GPE": "gpe", "LOC": "loc", "NORP": "norp"}


def _mention_rows(entities: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for e in entities:
        for m in e.get("mentions", []):
            yield {"entity_id": e["id"], **m}


def _entity_highlights(doc: dict[str, Any], entities: list[dict[str, Any]], css: str) -> Iterator[Highlight]:
    for e in entities:
        kind = ENTITY_CLASSES.get(str(e.get("type")), "other")
        title = f"{e.get('type')}: {e.get('name')}"
        for m in e.get("mentions", []):
            yield Highlight(m["start"], m["end"], str(e["id"]), f"{css} {css}-{kind}", title)


ENTITIES = Layer(
    name="entities",
    run=each_language("newsgraph.layers.entities:extract_entities"),
    reads=("text", "parse"),
    tables=(
        Table(
            "entities",
            (
                Column("entity_id", "TEXT NOT NULL", key="id"),
                Column("name", "TEXT NOT NULL"),
                Column("type", "TEXT NOT NULL"),
                Column("title", "TEXT"),
                Column("role", "TEXT"),
                Column("country", "TEXT"),
                Column("affiliation", "TEXT"),
                Column("mentions", "INTEGER NOT NULL", cell=lambda ms: len(ms or [])),
                Column("wikidata", "TEXT", added=True),  # schema step 5
            ),
            indexes=("name COLLATE NOCASE, type, country", "type"),
        ),
        Table(
            "mentions",
            (
                Column("entity_id", "TEXT NOT NULL"),
                Column("char_start", "INTEGER NOT NULL", key="start"),
                Column("char_end", "INTEGER NOT NULL", key="end"),
                SPAN[3],
                Column("text", "TEXT NOT NULL"),
            ),
            indexes=("doc_id, entity_id",),
            indexed=False,
            extra=False,
            rows=_mention_rows,
        ),
    ),
    ui=UiEntry("e", "ent", "Entity", "Entities", highlights=_entity_highlights, ref=lambda i, e: str(e["id"]), order=1),
)

# --- times, quantities, places ----------------------------------------------------------------------------

TIMES = Layer(
    name="times",
    run=each_language("newsgraph.layers.times:extract_times"),
    reads=("text", "meta.published", "parse"),
    tables=(
        Table(
            "times",
            (*SPAN, Column("type", "TEXT"), Column("value", "TEXT", cell=text), Column("mod", "TEXT")),
            indexes=("doc_id",),
        ),
    ),
    ui=UiEntry("t", "time", "Time", "Times", title=lambda t: f"{t.get('type') or 'Time'}: {t.get('value')}", order=3),
)

QUANTITIES = Layer(
    name="quantities",
    run=each_language("newsgraph.layers.quantities:extract_quantities"),
    reads=("text", "entities", "parse"),
    tables=(
        Table(
            "quantities",
            (
                *SPAN,
                Column("value", "REAL", cell=lambda v: value_pair(v)[0]),
                Column("value_high", "REAL", derive=lambda r, ctx: value_pair(r.get("value"))[1], keys=("value",)),
                Column("approx", "INTEGER", cell=flag),
                Column("bound", "TEXT"),
                Column("noun", "TEXT"),
                Column("category", "TEXT"),
                Column("country", "TEXT"),
                Column("verb", "TEXT"),
            ),
            indexes=("doc_id", "noun, country"),
        ),
    ),
    ui=UiEntry(
        "n",
        "qty",
        "Quantity",
        "Quantities",
        title=lambda x: f"Quantity: {x.get('value')} {x.get('noun') or ''}",
        order=2,
    ),
)

PLACES = Layer(
    name="places",
    run=each_language("newsgraph.layers.places:extract_places"),
    reads=("text", "entities", "parse"),
    needs=("gazetteer",),
    # the one declared correction: an "organisation" or "person" that the gazetteer shows to be a place
    # ("Logar", "Ohio") is retyped GPE or LOC, so search and the UI read it as a place too
    corrects=("entities",),
    tables=(
        Table(
            "places",
            (
                *SPAN,
                Column("name", "TEXT"),
                Column("country", "TEXT"),
                Column("kind", "TEXT"),
                Column("lat", "REAL", cell=number),
                Column("lon", "REAL", cell=number),
                Column("geonameid", "INTEGER", cell=whole),
                Column("metonymy", "INTEGER", cell=flag),
            ),
            indexes=("doc_id, paragraph", "name COLLATE NOCASE"),
        ),
    ),
    ui=UiEntry(
        "p", "place", "Place", "Places", title=lambda p: f"Place: {p.get('name')} ({p.get('country')})", order=4
    ),
)

# --- quotes ---------------------------------------------------------------------------------------------------

SPEAKER_COLOURS = 10  # CSS classes spk-0 .. spk-9; spk-x for a quote without a speaker


def speaker_of(q: dict[str, Any]) -> str | None:
    who = q.get("speaker") or q.get("speaker_name")
    return str(who) if who else None


def speaker_classes(quotes: Iterable[dict[str, Any]]) -> dict[str | None, str]:
    """A colour class per speaker (entity id or name), in order of first quote; None for unattributed."""
    out: dict[str | None, str] = {None: "spk-x"}
    for q in quotes:
        who = speaker_of(q)
        if who is not None and who not in out:
            out[who] = f"spk-{(len(out) - 1) % SPEAKER_COLOURS}"
    return out


def _quote_highlights(doc: dict[str, Any], quotes: list[dict[str, Any]], css: str) -> Iterator[Highlight]:
    colours = speaker_classes(quotes)
    for i, q in enumerate(quotes):
        who = q.get("speaker_name") or "unattributed"
        yield Highlight(q["start"], q["end"], str(i), f"{css} {colours[speaker_of(q)]}", f"Quote, {who}", f"q{i}")


QUOTES = Layer(
    name="quotes",
    run=each_language("newsgraph.layers.quotes:extract_quotes"),
    reads=("text", "paragraphs", "entities", "parse"),
    tables=(
        Table(
            "quotes",
            (
                Column("kind", "TEXT NOT NULL"),
                *SPAN,
                Column("speaker", "TEXT"),
                Column("speaker_name", "TEXT"),
                Column("cue", "TEXT"),
                Column("channel", "TEXT"),
                Column("original_source", "TEXT"),
            ),
            indexes=("doc_id", "speaker_name COLLATE NOCASE"),
        ),
    ),
    ui=UiEntry("q", "quote", "Quote", "Quotes", highlights=_quote_highlights, order=0),
)

# --- events ---------------------------------------------------------------------------------------------------


def _event_highlights(doc: dict[str, Any], events: list[dict[str, Any]], css: str) -> Iterator[Highlight]:
    for i, v in enumerate(events):
        if isinstance(v.get("start"), int) and isinstance(v.get("end"), int):
            yield Highlight(v["start"], v["end"], str(i), css, f"Event: {v.get('type')}")


def _actor_field(side: str, key: str) -> Column:
    """A column of an event's source or target actor ("source_country"); the actor's words are the
    record's ``source_name`` where no entity names it, and the whole actor is in the document's JSON."""
    return Column(
        f"{side}_{key}",
        "TEXT",
        derive=lambda r, ctx: text((r.get(f"{side}_actor") or {}).get(key)),
        keys=(f"{side}_actor",),
    )


EVENTS = Layer(
    name="events",
    languages=ENGLISH,
    run="newsgraph.layers.events:extract_events",
    reads=("text", "meta.published", "entities", "times", "places", "quantities", "parse"),
    tables=(
        Table(
            "events",
            (
                Column("type", "TEXT NOT NULL"),
                Column("mode", "TEXT"),
                Column("context", "TEXT"),
                Column("modality", "TEXT"),
                Column("source", "TEXT"),
                Column("target", "TEXT"),
                Column("source_name", "TEXT"),
                Column("target_name", "TEXT"),
                _actor_field("source", "country"),
                _actor_field("source", "sector"),
                _actor_field("target", "country"),
                _actor_field("target", "sector"),
                Column("trigger", "TEXT"),
                Column("char_start", "INTEGER", key="start"),
                Column("char_end", "INTEGER", key="end"),
                SPAN[3],
                Column("sentence_start", "INTEGER", cell=whole),
                Column("sentence_end", "INTEGER", cell=whole),
                Column("date", "TEXT", cell=text),
                Column("date_basis", "TEXT"),
                Column("place", "TEXT"),
                Column("place_country", "TEXT"),
                Column("lat", "REAL", cell=number),
                Column("lon", "REAL", cell=number),
                Column("dead", "REAL", cell=number),
                Column("injured", "REAL", cell=number),
                Column("size", "REAL", cell=number),
                Column("day", "TEXT", derive=event_day, keys=()),
            ),
            indexes=("doc_id", "type, day", "day", "modality"),
        ),
    ),
    ui=UiEntry("v", "event", "Event", "Events", highlights=_event_highlights, order=5),
)

# pipeline order: entities first (the others read them), quotes after places (as before the registry)
for _layer in (ENTITIES, TIMES, QUANTITIES, PLACES, QUOTES, EVENTS):
    register(_layer)
