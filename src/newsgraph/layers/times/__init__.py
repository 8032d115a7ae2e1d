"""The times layer: time expressions (TIMEX3) with their values, resolved against the publication date.

How it works, in three passes over ``doc.text``:

1. Candidates. A small grammar of regular expressions, one rule per kind of expression (absolute
   dates in every common order, months, years, decades, weekdays, "last week", "three years ago",
   durations, sets, clock times, "recently"-like references). The words come from
   ``lexicons/en/times.tsv``. Each rule's normaliser checks what a pattern cannot (is "2014" a year or a
   count of troops? is "May" a month?) and says what the expression means. Relative expressions are
   resolved against ``meta.published`` and the tense of the verb they hang from in the spaCy parse
   ("on Thursday" is the last Thursday when the verb is past, the next one when it is future; "a
   December 31 deadline" is the coming one; with no tense to go by, a month or date is the past one
   unless the coming one is within three months).
2. Choice. Overlapping candidates: the longest wins, then the rule listed first.
3. In text order: a clock time joins the day beside it ("3 p.m. on Friday"), and anaphoric
   expressions ("the next day", "two years later") are counted from the last date the article named.

Without a publication date, absolute expressions and those whose value does not depend on the date
(durations, PAST_REF) keep their value; the rest get ``None`` rather than a guess.

spaCy's part: the parse gives the tense; its DATE label confirms a bare four-digit year and its name
labels keep "June Carter" and "Theresa May" out. Its DATE/TIME entities are not added as candidates of
their own: on TempEval-3 they raised extraction recall but, having no value, lowered value F1.

Spans follow TimeML: no leading preposition ("Thursday", not "on Thursday"), a leading "the" kept
("the end of the year"). Two conventions: the default one is the team's gold (``fixtures/seed``); with
``timeml=True`` the layer also marks what TimeML annotators mark and a news reader does not need
("now" and "current" as PRESENT_REF, "one day" in "one day after the attack" and "three days" in
"three days later" as durations). The TempEval benchmark (``bench/tempeval.py``) reports both.

``date_for`` (from ``_support.event_dates``, which the events layer shares) gives the date of an event mention.

The package: ``patterns`` (regex pieces and templates), ``grammar`` (the rules, as a table),
``calendar`` and ``durations`` (the normalisers, one per rule), ``context`` (``Timex``, the ``Context`` a
normaliser sees, tense and anaphor anchoring, ``date_for``); this module runs the three passes.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from spacy.tokens import Doc

from newsgraph.document import Document
from newsgraph.layers._support.event_dates import date_for

from .calendar import NAME_LABELS
from .chrome import drop_page_chrome
from .context import Candidate, Context, Timex, _resolve_anaphors
from .grammar import Normaliser, Rule, _rules
from .patterns import AGE_AFTER, LN, NOT_YEAR_BEFORE, RN, L, R, S

__all__ = [
    "AGE_AFTER",
    "LN",
    "NAME_LABELS",
    "NOT_YEAR_BEFORE",
    "RN",
    "Candidate",
    "Context",
    "L",
    "Normaliser",
    "R",
    "Rule",
    "S",
    "Timex",
    "date_for",
    "extract_times",
    "find_times",
]


# ---- the layer -----------------------------------------------------------------------------------


def find_times(text: str, parsed: Doc, published: str | None, *, timeml: bool = False) -> list[Timex]:
    """All time expressions of a text, in order, with their values (see the module docstring)."""
    ctx = Context(text, published, parsed, timeml)
    candidates: list[Candidate] = []
    for order, rule in enumerate(_rules()):
        for m in rule.pattern.finditer(ctx.text):
            if m.end() <= m.start():
                continue
            found = _normalise(rule, m, ctx)
            if found is not None:
                candidates.append(Candidate(found.start, found.end, order, found))
    chosen = _choose(candidates)
    chosen = _join_clock_and_date(chosen, ctx)
    _resolve_anaphors(chosen, ctx)
    return chosen


# a calendar value's year outside 0001-9999 (year 0, five digits): what no date can hold
_OFF_CALENDAR = re.compile(r"0000(?!\d)|\d{5}")


def _normalise(rule: Rule, m: re.Match[str], ctx: Context) -> Timex | None:
    """The rule's reading of a match. Arithmetic that leaves the calendar (years 1 to 9999: published
    9999-12-31 and "next year", "in 5000 years", 0001-01-01 and "last year") is left unresolved, as
    without a publication date."""
    try:
        found = rule.normalise(m, ctx)
    except (OverflowError, ValueError):
        if ctx.dct is None:
            raise
        found = rule.normalise(m, ctx.undated())
    if found is not None and found.value and _OFF_CALENDAR.match(found.value):
        again = rule.normalise(m, ctx.undated()) if ctx.dct is not None else None
        found = again if again is not None and not _OFF_CALENDAR.match(again.value or "") else found
        if found.value and _OFF_CALENDAR.match(found.value):
            found.value = None
    return found


def _choose(candidates: list[Candidate]) -> list[Timex]:
    """Non-overlapping expressions: the longest first, then the rule listed first."""
    # the spans taken so far, disjoint, by start: only the last one starting before a candidate's end
    # can overlap it (an earlier one overlapping it would end past that one's start)
    starts: list[int] = []
    ends: list[int] = []
    out: list[Timex] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.order, c.start)):
        i = bisect.bisect_left(starts, c.end)
        if i > 0 and ends[i - 1] > c.start:
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        out.append(c.timex)
    return sorted(out, key=lambda t: t.start)


def _join_clock_and_date(found: list[Timex], ctx: Context) -> list[Timex]:
    """ "8 p.m. Friday", "Friday at 8 p.m.", "15:00 GMT Saturday": one TIME on that day."""
    out: list[Timex] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and {cur.granularity, nxt.granularity} == {"T", "D"}:
            gap = ctx.text[cur.end : nxt.start]
            joins = "|".join(re.escape(w) for w in sorted(ctx.words.clock_joins, key=len, reverse=True))
            if re.fullmatch(rf"\s*(?:,|,?\s*(?:{joins or '(?!)'}))?\s*", gap, re.I) and "\n\n" not in gap:
                clock, day = (cur, nxt) if cur.granularity == "T" else (nxt, cur)
                assert clock.anaphor is not None
                minutes = clock.anaphor[1]
                value = None
                if day.value and re.fullmatch(r"\d{4}-\d\d-\d\d(?:T[A-Z]{2})?", day.value):
                    # "10pm tonight": the clock time of that day, its part of day said by the clock
                    value = f"{day.value[:10]}T{minutes // 60:02d}:{minutes % 60:02d}"
                out.append(Timex(cur.start, nxt.end, "TIME", value, granularity="D"))
                i += 2
                continue
        out.append(cur)
        i += 1
    day_before: Timex | None = None  # the last expression naming a day, for a clock time on its own
    for t in out:
        if t.granularity == "T":
            # "on Saturday night ... around 23:00hrs they heard a shot": the day the paragraph was telling, when
            # it named one close before; else the publication day (_clock_at's value)
            if (
                day_before is not None
                and t.start - day_before.end <= CLOCK_DAY_CHARS
                and "\n" not in ctx.text[day_before.end : t.start]
                and t.anaphor is not None
            ):
                minutes = t.anaphor[1]
                t.value = f"{(day_before.value or '')[:10]}T{minutes // 60:02d}:{minutes % 60:02d}"
            t.anaphor = None
            t.granularity = "D"
        elif t.value and re.match(r"\d{4}-\d\d-\d\d(?:T|$)", t.value):
            day_before = t
    return out


CLOCK_DAY_CHARS = 400  # how far back a day may be named for a clock time on its own to fall on it


def extract_times(doc: Document, parsed: Doc, *, timeml: bool = False) -> list[dict[str, Any]]:
    """The times layer of a Document: SPEC items {text, start, end, type, value, mod?}; the times of the
    page around the article (datelines, bylines, repeated captions, footers: ``chrome``) left out."""
    found = find_times(doc.text, parsed, doc.meta.published, timeml=timeml)
    paragraphs = [(p.start, p.end, p.kind) for p in doc.paragraphs]
    return [t.to_json(doc.text) for t in drop_page_chrome(found, doc.text, paragraphs)]
