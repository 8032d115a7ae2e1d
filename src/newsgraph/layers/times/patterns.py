"""The regex pieces of the times grammar: whitespace and boundaries, the word classes of
``lexicons/en/times.tsv`` as alternations, the larger templates the rules share, and ``_compile``, which
fills a rule's ``%PIECE%`` placeholders and compiles it (case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsgraph.layers._support.timex import time_words
from newsgraph.lexicons import by_language

# Whitespace inside one expression: spaces, or one line break (never a paragraph break).
S = r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)"
# "40 years old", "6 months and older", "12 years of age": ages belong to the quantities layer.
AGE_AFTER = re.compile(
    r"(?:" + S + r"|-)?old\b|" + S + r"(?:of" + S + r"age|and" + S + "older|or" + S + r"older)\b", re.I
)
# Currency and numbering signs: "$2014" and "No. 1990" are not years.
NOT_YEAR_BEFORE = re.compile(r"(?:[$£€¥#]|\bNo\.?|\bnumber|\bRoute|\bFlight|\bRoom|\bpage)\s*$", re.I)

# Boundaries: a word does not start or end inside another word; a number not inside a bigger number.
L = r"(?<![\w])"
LN = r"(?<![\w.,$£€#/:-])"
R = r"(?![\w])"
RN = r"(?![\w%]|[.,/:]\d)"
# An optional leading part word: "early 2011", "the end of the year" (the ``part``/``conn`` groups).
_PART_PREFIX = r"(?:(?:the%S%)?%PFX%)?"


def _alternation(words: Iterable[str], cased: bool = False) -> str:
    """A regex alternation of words, longest first, spaces as any whitespace; case-sensitive if cased.

    Written as a trie ("d(?:ays?|ecades?)" for "decades|decade|days|day"): the alternatives are those of
    the flat "w1|w2|..." in the same order, grouped by their next character, which the regex engine then
    reads once instead of once per word. The match is the same: an alternative whose next character
    differs fails at once, so grouping leaves the order in which the others are tried as it was (a word
    with a space, read as any whitespace, goes on with a non-space; case-insensitive keys are ASCII)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    if all(_trie_safe(w, cased) for w in ordered):
        body = _trie(ordered, cased)
    else:
        body = "|".join(re.escape(w).replace(r"\ ", S) for w in ordered)
    return f"(?-i:{body})" if cased else body


def _trie_safe(word: str, cased: bool) -> bool:
    return bool(word) and (cased or word.isascii()) and word == word.strip() and re.search(r"\s\s", word) is None


def _trie(words: list[str], cased: bool) -> str:
    """The alternation of ``words`` (in that order; an empty word last only, as longest-first puts it) as a
    trie: consecutive groups by first character (case-folded unless cased), each group's order kept."""
    groups: dict[str, list[str]] = {}
    empty = False
    for w in words:
        if not w:
            empty = True  # the shortest word of its group: last (sorted longest first)
            continue
        groups.setdefault(w[0] if cased else w[0].lower(), []).append(w)
    parts = []
    for group in groups.values():
        head = group[0][0]
        first = S if head == " " else re.escape(head)
        if len(group) == 1:
            rest = group[0][1:]
            parts.append(first + re.escape(rest).replace(r"\ ", S))
        else:
            inner = _trie([w[1:] for w in group], cased)
            parts.append(f"{first}(?:{inner})")
    if empty:
        parts.append("")
    return "|".join(parts)


@by_language
def _pieces() -> dict[str, str]:
    w = time_words()
    full_months = [m for m in w.months if m not in w.month_abbr]
    full_days = [d for d in w.weekdays if d not in w.weekday_abbr]
    number_words = [n for n in w.numbers if " " not in n or n.startswith(("a ", "one "))]
    tens = "|".join(n for n, v in w.numbers.items() if v.isdigit() and 20 <= int(v) <= 90 and int(v) % 10 == 0)
    ones = "|".join(n for n, v in w.numbers.items() if v.isdigit() and 1 <= int(v) <= 9 and n not in ("a", "an"))
    return {
        "S": S,
        "MONTH": _alternation(full_months, cased=True),
        "MONTHA": f"(?:{_alternation(full_months, cased=True)}|{_alternation(w.month_abbr, cased=True)}\\.?)",
        "WD": _alternation(full_days, cased=True),
        "WDA": f"(?:{_alternation(full_days, cased=True)}|{_alternation(w.weekday_abbr, cased=True)}\\.?)",
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?",
        "Y4": r"(?:1\d\d\d|20\d\d)",
        "NUM": (
            rf"(?:\d+(?:{S}1/2|-1/2|½)|\d+(?:,\d{{3}})*(?:\.\d+)?|(?:{tens})(?:-|{S})(?:{ones})"
            rf"|{_alternation(number_words)})"
        ),
        "UNIT": _alternation(w.units),
        "PART": _alternation(w.parts),
        "SHIFT": _alternation(w.shifts),
        "SEASON": _alternation(w.seasons),
        "DAYPART": _alternation(w.dayparts),
        "APPROX": _alternation(w.approx),
        "DEICTIC": _alternation(w.deictic),
        "REF": _alternation(w.refs),
        "VAGUE": _alternation(w.vague_plural),
        "FREQ": _alternation(w.frequency),
        "HOLIDAY": _alternation(w.holidays, cased=True),
        "ANA": _alternation(w.anaphoric),
        "ORD": _alternation(w.ordinals),
        "DECW": _alternation(w.decade_words),
        "ZONE": _alternation(w.clock_zones, cased=True),
        # "early 2011", "mid-2020", "the end of the year", "earlier in the month", "late last July"
        "PFX": rf"(?P<part>{_alternation(w.parts)})(?P<conn>{S}?-{S}?|{S}(?:of|in){S}(?:the{S})?|{S})",
    }


def _compile(template: str) -> re.Pattern[str]:
    pieces = _pieces()
    pattern = re.sub(r"%(\w+)%", lambda m: pieces[m.group(1)], template)
    return re.compile(pattern, re.IGNORECASE)


_QUARTER = (
    r"(?:(?P<year0>%Y4%)%S%|(?P<yshift>this|last|next)%S%year['’]s%S%)?"
    r"(?:(?P<shift>%SHIFT%)%S%)?(?:fiscal%S%)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:%S%|-)"
    r"(?:fiscal%S%)?(?P<q>quarter|half)"
    r"(?:%S%of%S%(?:(?:fiscal|the%S%(?:fiscal%S%)?year)%S%)?(?P<year>%Y4%)"
    r"|%S%of%S%(?:the|this)%S%(?P<this>year))?"
)
_DECADE = r"(?:(?P<d4>(?:1\d|20)\d0)['’]?s|['’](?P<d2>\d0)['’]?s|(?P<dw>%DECW%))"
_DURATION = (
    r"(?:(?P<approx>%APPROX%)%S%(?!the\b))?"
    r"(?:(?P<the>the)%S%(?:(?P<dir>past|last|next|first|previous|coming|following|remaining|entire|whole|"
    r"full|latest|initial|subsequent|ensuing)%S%)?)?"
    r"(?:(?P<num>%NUM%)(?:%S%|-)(?:(?P<half>and%S%a%S%half)%S%)?)?"
    r"(?:(?:trading|business|working|calendar|straight|consecutive|more|additional|long)%S%)?"
    r"(?P<unit>%UNIT%)(?P<half2>%S%and%S%a%S%half)?"
)
