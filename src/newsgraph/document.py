"""The data model of one analysed article and its JSON form (SPEC.md, ``newsgraph.document/1``).

Every span is a pair of character offsets into ``Document.text``; ``text[start:end]`` is the span's
text. Layers append to the lists; nothing here knows how they are filled.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = "newsgraph.document/1"

ParagraphKind = Literal["title", "subtitle", "heading", "body", "caption"]


@dataclass
class Meta:
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "en"
    byline: str | None = None


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

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        for key in ("title", "role", "country", "affiliation"):
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
    # Layers still to come (quotes, quantities, times, places, events) keep the SPEC's keys present.
    quotes: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    times: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

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
        }
