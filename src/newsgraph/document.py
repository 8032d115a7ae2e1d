"""The data model of one analysed article and its JSON form (SPEC.md, ``newsgraph.document/1``).

Every span is a pair of character offsets into ``Document.text``; ``text[start:end]`` is the span's
text. Layers fill their own list; nothing here knows how. The layers' records are typed below
(``QuoteRecord``, ...): the store's columns (``layers.Column``), the exports and the API read the
keys these name. ``RawArticle`` is what a reader hands the pipeline before cleaning.

Standard library and the other ground modules (dates, errors) only: ground every other part stands on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

from newsgraph.dates import DAY_EXAMPLE, parse_day
from newsgraph.errors import InputError

SCHEMA = "newsgraph.document/1"

ParagraphKind = Literal["title", "subtitle", "heading", "body", "caption"]
# the layers SPEC.md lists, in the order of the JSON document; more may be registered (``layers.register``)
# the entity types the entities layer gives (spaCy's name labels; layers.entities.NAME_LABELS, kept equal by a
# test): what the API's entity type filter takes, besides the types a plugin's layer wrote into a store
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")
SPEC_LAYERS = ("entities", "quotes", "quantities", "times", "places", "events")


# UTF-16 surrogates alone are not characters: UTF-8 cannot encode them, so neither can the store or JSON
_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(value: str) -> str:
    """``value`` with every lone surrogate (JSON's ``"\\ud800"``, a file name's undecodable byte) replaced by
    U+FFFD, so it can be hashed, stored and served; the same string when it has none (the common case)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


@dataclass
class RawArticle:
    """What a reader produces: decoded content and whatever metadata came with it (made encodable: a
    string no UTF-8 can hold is repaired here, per article, so it never fails a whole run later). A
    ``published`` that is no YYYY-MM-DD day is an InputError naming the article; the readers and options
    also keep it within ``dates.FIRST_DAY``..``LAST_DAY``, and the layers hold at any day."""

    name: str  # how the input is named in messages: a path, "<stdin>", a URL
    content: str
    format: Literal["text", "html"]
    url: str | None = None
    source: str | None = None
    published: str | None = None
    language: str | None = None  # ISO 639-1, when the user says it: taken as said, not detected
    title: str | None = None  # when the input gives one (a JSON Lines field): the document's title, as given

    def __post_init__(self) -> None:
        self.name, self.content = encodable(self.name), encodable(self.content)
        if self.title:
            self.title = " ".join(encodable(self.title).split()) or None
        self.url = encodable(self.url) if self.url else self.url
        self.source = encodable(self.source) if self.source else self.source
        if self.published is not None:
            day = parse_day(self.published)
            if day is None:
                raise InputError(self.name, f"invalid publication date {self.published!r}: expected {DAY_EXAMPLE}")
            self.published = day


# --- the layers' records, as the JSON document holds them ---------------------------------------------------


class SpanRecord(TypedDict):
    """What every span-bearing record has: its text and offsets into ``Document.text``."""

    text: str
    start: int
    end: int


class MentionRecord(SpanRecord):
    pass


class EntityRecord(TypedDict):
    id: str
    name: str
    type: str
    title: NotRequired[str]
    role: NotRequired[str]
    country: NotRequired[str]
    affiliation: NotRequired[str]
    wikidata: NotRequired[str]
    mentions: list[MentionRecord]


class QuoteRecord(SpanRecord):
    kind: str  # direct | indirect
    speaker: str | None  # entity id
    speaker_name: str | None
    cue: NotRequired[str]
    channel: NotRequired[str]
    original_source: NotRequired[str]


class QuantityRecord(SpanRecord):
    value: float | list[float] | None  # a number, or [low, high] for a range
    approx: bool
    bound: NotRequired[str]  # exact | about | more_than | less_than | range
    noun: str | None
    category: NotRequired[str]
    country: NotRequired[str]
    verb: NotRequired[str]


class TimeRecord(SpanRecord):
    type: str  # DATE | TIME | DURATION | SET
    value: str | None  # TIMEX3
    mod: NotRequired[str]


class PlaceRecord(SpanRecord):
    name: str
    country: str | None  # None: a continent, a sea, a region of several countries
    kind: str  # country | admin | city | other
    lat: float
    lon: float
    geonameid: NotRequired[int]
    metonymy: NotRequired[bool]


class ActorRecord(TypedDict):
    text: str | None
    country: NotRequired[str]  # ISO2
    sector: NotRequired[str]  # GOV MIL REB COP ... (CAMEO agent codes)


class EventRecord(TypedDict):
    type: str  # PLOVER
    mode: NotRequired[str]
    context: NotRequired[str]
    source: str | None  # entity id
    target: str | None
    source_name: str | None  # the entity's canonical name, else the actor's words
    target_name: str | None
    source_actor: NotRequired[ActorRecord]
    target_actor: NotRequired[ActorRecord]
    trigger: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    modality: str  # asserted | negated | future | hypothetical | demanded
    date: NotRequired[str]  # TIMEX3
    date_basis: NotRequired[str]  # "text": a time expression of the event's clause; "published": the article's date
    place: NotRequired[str]
    place_country: NotRequired[str]
    lat: NotRequired[float]
    lon: NotRequired[float]
    dead: NotRequired[float]
    injured: NotRequired[float]
    size: NotRequired[float]


# the record type of each SPEC layer's items (entities are Entity objects, whose JSON is an EntityRecord)
RECORD_TYPES: dict[str, type] = {
    "entities": EntityRecord,
    "quotes": QuoteRecord,
    "quantities": QuantityRecord,
    "times": TimeRecord,
    "places": PlaceRecord,
    "events": EventRecord,
}


@dataclass
class Meta:
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "en"  # ISO 639-1, as detected (``newsgraph.language``)
    byline: str | None = None
    language_score: float | None = None  # how sure the detector was (0-1); None: not detected
    skipped: list[dict[str, str]] = field(default_factory=list)  # layers not run, each {"layer", "reason"}


@dataclass
class Paragraph:
    start: int
    end: int
    kind: ParagraphKind


@dataclass
class Removed:
    text: str
    reason: str


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Entity:
    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    title: str | None = None
    role: str | None = None
    country: str | None = None
    affiliation: str | None = None
    wikidata: str | None = None  # QID of the knowledge base's entity it is linked to

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        for key in ("wikidata", "title", "role", "country", "affiliation"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out["mentions"] = [{"start": m.start, "end": m.end, "text": m.text} for m in self.mentions]
        return out


@dataclass
class Document:
    meta: Meta
    text: str
    paragraphs: list[Paragraph]
    removed: list[Removed] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    times: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # the output of registered layers beyond SPEC's, by layer name (JSON: after SPEC's, in registry order)
    more: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def layer(self, name: str) -> list[Any]:
        """A layer's output by its name: ``doc.layer("quotes")`` is ``doc.quotes``."""
        if name in SPEC_LAYERS:
            value: list[Any] = getattr(self, name)
            return value
        return self.more.get(name, [])

    def set_layer(self, name: str, records: list[Any]) -> None:
        if name in SPEC_LAYERS:
            setattr(self, name, records)
        else:
            self.more[name] = records

    @property
    def id(self) -> str:
        """A stable content hash: the same cleaned text and URL give the same id."""
        digest = hashlib.sha256()
        digest.update((self.meta.url or "").encode("utf-8"))
        digest.update(b"\0")
        digest.update(self.text.encode("utf-8"))
        return digest.hexdigest()[:16]

    def paragraphs_of(self, kind: ParagraphKind) -> list[str]:
        return [self.text[p.start : p.end] for p in self.paragraphs if p.kind == kind]

    def to_json(self) -> dict[str, Any]:
        m = self.meta
        return {
            "schema": SCHEMA,
            "id": self.id,
            "meta": {
                "title": m.title,
                "subtitle": m.subtitle,
                "source": m.source,
                "url": m.url,
                "published": m.published,
                "language": m.language,
                "byline": m.byline,
                "language_score": m.language_score,
                "skipped": m.skipped,
            },
            "text": self.text,
            "paragraphs": [{"start": p.start, "end": p.end, "kind": p.kind} for p in self.paragraphs],
            "removed": [{"text": r.text, "reason": r.reason} for r in self.removed],
            "entities": [e.to_json() for e in self.entities],
            "quotes": self.quotes,
            "quantities": self.quantities,
            "times": self.times,
            "places": self.places,
            "events": self.events,
            **self.more,
        }
