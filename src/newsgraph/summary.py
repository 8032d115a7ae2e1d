"""A short human summary of a Document: title, counts per layer, the most mentioned entities, the events
that happened as told (the others are counted)."""

from __future__ import annotations

from newsgraph.document import SPEC_LAYERS, Document
from newsgraph.layers import registered


def layer_names() -> list[str]:
    """SPEC's layers in its order, then any other registered layer."""
    names = [x.writes for x in registered()]
    return [n for n in SPEC_LAYERS if n in names] + [n for n in names if n not in SPEC_LAYERS]


def summarize(doc: Document, top: int = 8) -> str:
    m = doc.meta
    lines = [m.title or "(untitled)"]
    if m.subtitle:
        lines.append(m.subtitle)
    facts = [f"id {doc.id}", f"published {m.published or 'unknown'}", f"language {m.language}"]
    if m.source:
        facts.append(f"source {m.source}")
    lines.append(" | ".join(facts))
    kinds = [p.kind for p in doc.paragraphs]
    lines.append(
        f"{len(doc.paragraphs)} paragraphs ({kinds.count('body')} body, {kinds.count('heading')} headings, "
        f"{kinds.count('caption')} captions), {len(doc.removed)} pieces of debris removed"
    )
    if m.skipped:
        names = ", ".join(s["layer"] for s in m.skipped)
        lines.append(f"language {m.language}: not read by newsgraph's layers ({names} left empty)")
    lines.append(", ".join(f"{len(doc.layer(name))} {name}" for name in layer_names()))
    ranked = sorted(doc.entities, key=lambda e: (-len(e.mentions), e.mentions[0].start))
    if ranked:
        lines.append("top entities:")
        for e in ranked[:top]:
            extra = ", ".join(x for x in (e.title, e.role, e.country) if x)
            lines.append(f"  {e.name} ({e.type}{', ' + extra if extra else ''}): {len(e.mentions)} mentions")
    told = [v for v in doc.events if v.get("modality", "asserted") == "asserted"]
    if doc.events:
        others = len(doc.events) - len(told)
        lines.append(f"events ({len(told)} as told, {others} negated, planned, conditional or demanded):")
        for v in told[:top]:
            who = " -> ".join(str(x) for x in (v.get("source_name"), v.get("target_name")) if x)
            where = ", ".join(str(x) for x in (v.get("date"), v.get("place")) if x)
            lines.append(
                f"  {v['type']} {who or '(no actor named)'}: {v['trigger']!r}{' (' + where + ')' if where else ''}"
            )
    return "\n".join(lines)
