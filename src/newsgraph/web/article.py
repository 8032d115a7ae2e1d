"""The article page's text, cut into highlighted segments (server side; the template escapes every piece).

A document's layers overlap freely (a place inside a quote, an entity mention that is also a place),
so the text of each paragraph is cut at every span boundary into flat segments, and each segment
lists the records covering it (``keys``: ``e:E1`` an entity, ``q:3`` a quote, ``n:0`` a quantity,
``t:2`` a time, ``p:1`` a place, ``v:0`` an event). CSS draws each layer its own way (a quote's
background by speaker, an entity's underline by type, ...) so any combination stays readable, and the
page's script finds a segment's records by these keys in the JSON it embeds. The layers, their key
prefixes, classes and labels are the registry's UI entries (``newsgraph.layers``): a new layer shows
here without a change to this file.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from typing import Any

from newsgraph.layers import REGISTRY, SPEAKER_COLOURS, speaker_classes, speaker_of

__all__ = [
    "SPEAKER_COLOURS",
    "Block",
    "Segment",
    "blocks",
    "in_sentence",
    "legend",
    "records",
    "speaker_classes",
    "speakers",
]

_TAGS = {"title": "h1", "subtitle": "p", "heading": "h2", "caption": "p", "body": "p"}


@dataclass
class Segment:
    text: str
    keys: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    title: str = ""
    anchor: str | None = None  # an id for links (``q3``: the start of quote 3)


@dataclass
class Block:
    """One paragraph of the text: its tag (``h1`` the title, ``h2`` a heading, ``p`` else) and kind."""

    kind: str
    tag: str
    segments: list[Segment]


@dataclass
class _Span:
    start: int
    end: int
    key: str
    cls: str
    title: str
    anchor: str | None = None


def legend(doc: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(CSS class, label, number of records) of each layer the page shows."""
    return [(ui.css, ui.plural, len(doc.get(layer.writes, []))) for layer, ui in REGISTRY.with_ui()]


def _spans(doc: dict[str, Any]) -> list[_Span]:
    spans: list[_Span] = []
    for layer, ui in REGISTRY.with_ui():
        for h in ui.spans(doc, doc.get(layer.writes, [])):
            spans.append(_Span(h.start, h.end, f"{ui.prefix}:{h.ref}", h.css, h.title, h.anchor))
    n = len(doc.get("text", ""))
    return [s for s in spans if 0 <= s.start < s.end <= n]


def blocks(doc: dict[str, Any]) -> list[Block]:
    """The document's paragraphs as blocks of segments; the text between paragraphs is not shown."""
    text: str = doc.get("text", "")
    paragraphs = doc.get("paragraphs") or [{"start": 0, "end": len(text), "kind": "body"}]
    spans = sorted(_spans(doc), key=lambda s: (s.start, -s.end))
    starts = [s.start for s in spans]
    longest = max((s.end - s.start for s in spans), default=0)
    out = []
    for para in paragraphs:
        p_start, p_end = int(para["start"]), int(para["end"])
        # spans overlapping the paragraph: those starting before its end and ending after its start
        first = bisect.bisect_left(starts, p_start - longest)
        inside = [s for s in spans[first : bisect.bisect_left(starts, p_end)] if s.end > p_start]
        cuts = {p_start, p_end}
        for s in inside:
            cuts.update(c for c in (s.start, s.end) if p_start < c < p_end)
        edges = sorted(cuts)
        segments = []
        anchored: set[str] = set()
        for a, b in itertools.pairwise(edges):
            covering = [s for s in inside if s.start <= a and s.end >= b]
            seg = Segment(text[a:b])
            for s in covering:
                seg.keys.append(s.key)
                seg.classes.extend(c for c in s.cls.split() if c not in seg.classes)
                if s.anchor and s.anchor not in anchored and seg.anchor is None:
                    seg.anchor = s.anchor
                    anchored.add(s.anchor)
            seg.title = " · ".join(dict.fromkeys(s.title for s in covering))
            segments.append(seg)
        kind = str(para.get("kind") or "body")
        out.append(Block(kind=kind, tag=_TAGS.get(kind, "p"), segments=segments))
    return out


def records(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every record by its key, for the page's script: ``{"layer": "quotes", "label": "Quote", "record": {...}}``."""
    out: dict[str, dict[str, Any]] = {}
    for layer, ui in REGISTRY.with_ui():
        for i, rec in enumerate(doc.get(layer.writes, [])):
            out[f"{ui.prefix}:{ui.record_ref(i, rec)}"] = {"layer": layer.writes, "label": ui.label, "record": rec}
    return out


def speakers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's speakers with their colour class and quote count, in order of first quote."""
    colours = speaker_classes(doc.get("quotes", []))
    entities = {e["id"]: e for e in doc.get("entities", [])}
    seen: dict[str | None, dict[str, Any]] = {}
    for i, q in enumerate(doc.get("quotes", [])):
        who = speaker_of(q)
        if who not in seen:
            ent = entities.get(q.get("speaker") or "")
            seen[who] = {
                "name": q.get("speaker_name") or "unattributed",
                "cls": colours[who],
                "entity": ent,
                "quotes": [],
            }
        seen[who]["quotes"].append({"index": i, **q})
    return list(seen.values())


def in_sentence(event: dict[str, Any]) -> tuple[str, str, str] | None:
    """An event's sentence (``sentence``, as the store gives it) cut at its trigger: the text before, the
    trigger's words, the text after (its trailing blanks dropped); None when there is no sentence or
    the trigger is not inside it."""
    sentence, at = event.get("sentence"), event.get("sentence_start")
    start, end = event.get("start"), event.get("end")
    if not (isinstance(sentence, str) and isinstance(at, int) and isinstance(start, int) and isinstance(end, int)):
        return None
    i, j = start - at, end - at
    if not 0 <= i < j <= len(sentence):
        return None
    return sentence[:i], sentence[i:j], sentence[j:].rstrip()
