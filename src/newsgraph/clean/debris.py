"""Debris: site chrome, photo credits, caption markers and image names, found by lexicon rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsgraph.clean.blocks import Block, tidy
from newsgraph.document import Removed
from newsgraph.lexicons import rows

CAPTION_REASONS = {"photo credit", "image file name", "caption marker"}


@dataclass(frozen=True)
class Rule:
    scope: str
    reason: str
    pattern: re.Pattern[str]


@cache
def rules() -> tuple[Rule, ...]:
    out = []
    for scope, reason, regex in rows("chrome.tsv"):
        flags = re.IGNORECASE if scope == "line" else 0
        body = rf"(?:{regex})" if scope == "line" else regex
        out.append(Rule(scope, reason, re.compile(body, flags)))
    return tuple(out)


def line_reason(text: str) -> str | None:
    """The reason a whole paragraph is debris, or None when it is article text."""
    stripped = text.strip(" .:|-–—•·")
    for rule in rules():
        if rule.scope == "line" and rule.pattern.fullmatch(stripped):
            return rule.reason
    return None


def cut_inline(text: str) -> tuple[str, list[Removed]]:
    """Cut inline debris out of one paragraph; adjacent pieces are removed as one run."""
    spans: list[tuple[int, int, str]] = []
    for rule in rules():
        if rule.scope != "inline":
            continue
        spans.extend((m.start(), m.end(), rule.reason) for m in rule.pattern.finditer(text) if m.end() > m.start())
    if not spans:
        return text, []
    spans.sort()
    runs: list[tuple[int, int, list[str]]] = []
    for start, end, reason in spans:
        # pieces separated only by spaces or punctuation form one run of debris
        if runs and (start <= runs[-1][1] or not text[runs[-1][1] : start].strip(" \u00a0.,;:|/-–—*")):
            last = runs[-1]
            reasons = last[2] if reason in last[2] else [*last[2], reason]
            runs[-1] = (last[0], max(last[1], end), reasons)
        else:
            runs.append((start, end, [reason]))
    removed = [Removed(tidy(text[s:e]), " + ".join(r)) for s, e, r in runs]
    kept, last_end = [], 0
    for start, end, _ in runs:
        kept.append(text[last_end:start])
        last_end = end
    kept.append(text[last_end:])
    return tidy(" ".join(k.strip() for k in kept if k.strip())), removed


def strip_debris(blocks: list[Block]) -> tuple[list[Block], list[Removed]]:
    """Drop whole-paragraph chrome and cut inline debris; mark paragraphs that lost a credit as captions."""
    kept: list[Block] = []
    removed: list[Removed] = []
    for block in blocks:
        reason = line_reason(block.text)
        if reason is not None:
            removed.append(Removed(block.text, reason))
            continue
        text, cut = cut_inline(block.text)
        removed.extend(cut)
        if not text.strip(" .,;:|/-–—*"):
            continue  # the paragraph was nothing but debris
        block.text = text
        if any(CAPTION_REASONS.intersection(r.reason.split(" + ")) for r in cut):
            block.caption_hint = True
        kept.append(block)
    return kept, removed
