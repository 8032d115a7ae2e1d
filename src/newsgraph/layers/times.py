"""The times layer: time expressions (TIMEX3) with their values, resolved against the publication date.

How it works, in three passes over ``doc.text``:

1. Candidates. A small grammar of regular expressions, one rule per kind of expression (absolute
   dates in every common order, months, years, decades, weekdays, "last week", "three years ago",
   durations, sets, clock times, "recently"-like references). The words come from
   ``lexicons/times.tsv``. Each rule's normaliser checks what a pattern cannot (is "2014" a year or a
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

``date_for`` gives the events layer the date of an event mention.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph import nlp
from newsgraph.document import Document
from newsgraph.layers import timex
from newsgraph.layers.timex import time_words

# Whitespace inside one expression: spaces, or one line break (never a paragraph break).
S = r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)"
# "40 years old", "6 months and older", "12 years of age": ages belong to the quantities layer.
AGE_AFTER = re.compile(
    r"(?:" + S + r"|-)?old\b|" + S + r"(?:of" + S + r"age|and" + S + "older|or" + S + r"older)\b", re.I
)
# spaCy labels under which a month or weekday word is part of a name.
NAME_LABELS = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "PRODUCT", "LAW", "EVENT"}
# Dependencies that open a clause of its own: a time outside it does not date the event inside it.
CLAUSE_EDGES = {"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj"}
# Currency and numbering signs: "$2014" and "No. 1990" are not years.
NOT_YEAR_BEFORE = re.compile(r"(?:[$£€¥#]|\bNo\.?|\bnumber|\bRoute|\bFlight|\bRoom|\bpage)\s*$", re.I)


@dataclass
class Timex:
    """One time expression: a character span, its TIMEX3 type, value and mod."""

    start: int
    end: int
    type: str
    value: str | None
    mod: str | None = None
    anaphor: tuple[str, int] | None = None  # (unit, offset) counted from the last date named
    granularity: str | None = None  # unit of a calendar value ("D" for a day), for later anaphors

    def to_json(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": text[self.start : self.end],
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "value": self.value,
        }
        if self.mod:
            out["mod"] = self.mod
        return out


# ---- the context a normaliser sees -----------------------------------------------------------------


class Context:
    """The article around a match: its text, publication date, parse and conventions."""

    def __init__(self, text: str, published: str | None, parsed: Doc, timeml: bool) -> None:
        self.text = nlp.matching_form(text)  # same length: curly apostrophes and NBSP made plain
        self.dct = dt.date.fromisoformat(published[:10]) if published else None
        self.parsed = parsed
        self.timeml = timeml
        self.words = time_words()
        self._starts = [t.idx for t in parsed]
        self._order: str | None = None  # "dmy", "mdy" or "" (no evidence), once read

    def token_at(self, offset: int) -> Token | None:
        """The token that covers a character offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        tok = self.parsed[i]
        return tok if offset < tok.idx + len(tok.text) else None

    def span(self, start: int, end: int) -> Span | None:
        return self.parsed.char_span(start, end, alignment_mode="expand")

    def word_before(self, offset: int) -> str:
        """The word just before an offset, lower-cased ("" at the start of a paragraph)."""
        found = re.search(r"([\w'-]+)[^\S\n]*\n?[^\S\n]*$", self.text[max(0, offset - 40) : offset])
        return found.group(1).lower() if found else ""

    def after(self, offset: int, n: int = 40) -> str:
        return self.text[offset : offset + n]

    def direction(self, start: int, end: int) -> int:
        """Which way a relative date points from the publication date: -1 past, +1 future, 0 unknown.

        Read from the verb the expression hangs from: its tense and auxiliaries ("will", "has"), an
        infinitive under "plans"/"expected" (future), and a following "deadline"-like noun (future).
        """
        sp = self.span(start, end)
        if sp is None or not len(sp):
            return 0
        nxt = self.parsed[sp.end] if sp.end < len(self.parsed) else None
        if nxt is not None and nxt.tag_ == "POS" and nxt.i + 1 < len(self.parsed):
            nxt = self.parsed[nxt.i + 1]
        cues = self.words.future_cues
        cue = (nxt is not None and nxt.lemma_.lower() in cues) or sp.root.head.lemma_.lower() in cues
        # "by August", "until Friday": a limit ahead, unless the verb is past ("had arrived by August")
        cue = cue or sp.root.head.lower_ in ("by", "until", "till", "through", "before")
        # the verb the expression hangs from, through prepositions only: a date inside a noun phrase
        # ("payable Dec. 7", "a report early this year") says little about the main verb's time
        verb = sp.root.head
        preps = set()
        while (verb.pos_ == "ADP" or verb.ent_type_ in ("DATE", "TIME")) and verb.head.i != verb.i:
            # through prepositions, and through a time word the expression belongs with ("3 p.m. on Friday")
            if verb.pos_ == "ADP":
                preps.add(verb.lower_)
            verb = verb.head
        if verb.i == sp.root.i or verb.pos_ not in ("VERB", "AUX"):
            return 1 if cue else 0
        if verb.lemma_.lower() in self.words.defer_verbs and {"until", "till", "to"} & preps:
            return 1  # "postponed until Saturday"
        if cue:
            return -1 if self._is_past(verb) else 1  # "a December 31 deadline", unless "had set by the deadline"
        return self._tense(verb, 0)

    @staticmethod
    def _is_past(word: Token) -> bool:
        """Simple past or past perfect: "said", "was told", "had been due"."""
        return word.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass", "cop") and c.tag_ == "VBD" for c in word.children)

    def _tense(self, verb: Token, depth: int) -> int:
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        aux_words = {a.lower_ for a in auxes}
        if aux_words & {"will", "'ll", "shall", "wo", "ll", "may", "might", "should", "must"}:
            return 1
        if self._is_past(verb):
            return -1
        if verb.tag_ == "VBN" and not auxes:
            return -1  # a reduced relative: "troops sent to Iraq in 2014"
        if verb.tag_ == "VB" and any(a.tag_ == "TO" for a in auxes):
            # an infinitive comes after its head verb: future under "plans to", unknown under "agreed to"
            head = verb.head
            if head.i == verb.i or depth >= 3:
                return 0
            if head.lemma_.lower() in self.words.future_verbs and not self._is_past(head):
                return 1
            return 0
        if verb.tag_ == "VBN" and verb.lemma_.lower() in self.words.future_verbs:
            return 1
        if verb.tag_ == "VBG" and aux_words & {"is", "are", "am", "'s", "'re", "'m"}:
            return 1
        return 0

    def day_first(self, sep: str) -> bool:
        """How to read 05/06/2009: the order the article's unambiguous dates use, else day first after a
        dot ("17.06.2009") and month first after a slash (US style)."""
        if self._order is None:
            dmy = mdy = 0
            for m in re.finditer(r"(?<![\d/.])(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?![\d/])", self.text):
                a, b = int(m.group(1)), int(m.group(2))
                dmy += a > 12 >= b
                mdy += b > 12 >= a
            months = _alternation(self.words.months, cased=True)
            dmy += len(re.findall(rf"\b\d{{1,2}}{S}(?:{months})\b", self.text))
            mdy += len(re.findall(rf"\b(?:{months})\.?{S}\d{{1,2}}\b", self.text))
            self._order = "dmy" if dmy > mdy else "mdy" if mdy > dmy else ""
        return sep != "/" if not self._order else self._order == "dmy"


# ---- the grammar ---------------------------------------------------------------------------------


Normaliser = Callable[[re.Match[str], Context], "Timex | None"]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    normalise: Normaliser


@dataclass
class Candidate:
    start: int
    end: int
    order: int  # the rule's place in the grammar: earlier wins a tie
    timex: Timex


def _alternation(words: Iterable[str], cased: bool = False) -> str:
    """A regex alternation of words, longest first, spaces as any whitespace; case-sensitive if cased."""
    parts = [re.escape(w).replace(r"\ ", S) for w in sorted(set(words), key=lambda w: (-len(w), w))]
    body = "|".join(parts)
    return f"(?-i:{body})" if cased else body


@cache
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
            rf"(?:\d+(?:{S}1/2|½)|\d+(?:,\d{{3}})*(?:\.\d+)?|(?:{tens})(?:-|{S})(?:{ones})"
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


# Boundaries: a word does not start or end inside another word; a number not inside a bigger number.
L = r"(?<![\w])"
LN = r"(?<![\w.,$£€#/:-])"
R = r"(?![\w])"
RN = r"(?![\w%]|[.,/:]\d)"


@cache
def _rules() -> list[Rule]:
    """The grammar, most specific first (the order breaks ties between equally long matches)."""
    pfx = r"(?:(?:the%S%)?%PFX%)?"
    return [
        Rule(
            "iso",
            _compile(
                LN + r"(?P<year>%Y4%)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
                r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?(?![\w/-])"
            ),
            _iso,
        ),
        Rule(
            "numeric",
            _compile(LN + r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>%Y4%|\d\d)" + RN + r"(?!-)"),
            _numeric,
        ),
        Rule(
            "month_day",
            _compile(
                L + r"(?:(?P<wd>%WDA%),?%S%)?(?P<mon>%MONTHA%)%S%(?:the%S%)?(?P<day>%DAY%)"
                r"(?:,?%S%(?P<year>%Y4%))?" + RN
            ),
            _month_day,
        ),
        Rule(
            "day_month",
            _compile(
                L + r"(?:(?P<wd>%WDA%),?%S%)?(?:the%S%)?(?P<day>%DAY%)(?:%S%of)?%S%(?P<mon>%MONTHA%)"
                r"(?:,?%S%(?P<year>%Y4%))?" + RN
            ),
            _month_day,
        ),
        Rule("month_year", _compile(L + pfx + r"(?P<mon>%MONTHA%),?%S%(?:of%S%)?(?P<year>%Y4%)" + RN), _month_year),
        Rule(
            "month_shifted_year",
            _compile(
                L
                + pfx
                + r"(?P<mon>%MONTHA%)(?:%S%(?P<day>%DAY%))?,?%S%(?:of%S%)?(?P<shift>this|last|next)%S%year"
                + R
                + r"(?!['’]s)"
            ),
            _month_shifted_year,
        ),
        Rule("quarter", _compile(L + r"(?:the%S%)?" + _QUARTER + RN), _quarter),
        Rule(
            "quarter_code",
            _compile(
                r"(?-i:" + L + r"(?:(?P<year>%Y4%)%S%)?(?P<q>[QH])(?P<ord>[1-4])(?:%S%(?P<year2>%Y4%))?" + RN + ")"
            ),
            _quarter,
        ),
        Rule("decade", _compile(L + r"(?:(?:the%S%)?%PFX%|(?P<the>the)%S%)?" + _DECADE + R), _decade),
        Rule(
            "century",
            _compile(
                L + r"(?:(?:the%S%)?%PFX%|the%S%)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<ordw>%ORD%))(?:-|%S%)century" + R
            ),
            _century,
        ),
        Rule("year_tail", _compile(r"(?<=\d\d\d\d[-–])(?:(?P<year>%Y4%)|(?P<yy>\d\d))" + RN), _year_tail),
        Rule(
            "year",
            _compile(
                LN + pfx + r"(?:(?P<fiscal>fiscal(?:%S%year)?|FY|the%S%year)%S%?)?(?P<year>%Y4%)" + RN + r"(?!%S%?%)"
            ),
            _year,
        ),
        Rule(
            "season",
            _compile(
                L + pfx + r"(?:(?P<shift>%SHIFT%)%S%|(?P<the>the)%S%)?(?P<season>%SEASON%)"
                r"(?:%S%(?:of%S%)?(?P<year>%Y4%))?" + RN
            ),
            _season,
        ),
        Rule(
            "holiday",
            _compile(L + r"(?:(?P<shift>%SHIFT%)%S%)?(?P<hol>%HOLIDAY%)(?:%S%(?P<year>%Y4%))?" + RN),
            _holiday,
        ),
        Rule("anaphoric", _compile(L + r"(?P<ana>%ANA%)" + R), _anaphoric),
        Rule(
            "ago",
            _compile(
                L + r"(?:(?P<approx>%APPROX%|just)%S%)?(?:(?P<num>%NUM%)(?:%S%|-))?(?P<unit>%UNIT%)"
                r"(?P<orso>%S%or%S%so)?%S%(?P<dir>ago|earlier|later|from%S%now|hence)" + R
            ),
            _ago,
        ),
        Rule(
            "relative",
            _compile(
                L + pfx + r"(?:(?:(?P<the2>the)%S%)?(?P<shift>%SHIFT%)%S%|(?P<the>the)%S%)?"
                r"(?:fiscal%S%)?(?P<unit>week|weekend|month|year|decade|century|quarter)(?![\w-])"
            ),
            _relative,
        ),
        Rule(
            "year_ago",
            _compile(
                L + r"(?:the%S%)?(?:comparable%S%)?year-(?:earlier|ago)"
                r"(?:%S%(?:(?P<ord>first|second|third|fourth)%S%)?(?P<unit>quarter|period|month|week))?" + R
            ),
            _year_ago,
        ),
        Rule("period_end", _compile(L + r"(?:the%S%)?(?P<unit>year|month|quarter)(?:-|%S%)end" + R), _period_end),
        Rule(
            "weekday",
            _compile(L + pfx + r"(?:(?P<shift>%SHIFT%)%S%)?(?P<wd>%WD%)(?:%S%(?P<dp>%DAYPART%))?" + R),
            _weekday,
        ),
        Rule(
            "deictic",
            _compile(L + r"(?:(?P<part>%PART%)%S%)?(?P<deic>%DEICTIC%)(?:%S%(?P<dp>%DAYPART%))?" + R),
            _deictic,
        ),
        Rule("vague", _compile(L + r"(?:the%S%)?(?P<vp>%VAGUE%)%S%(?P<unit>%UNIT%)" + R), _vague),
        Rule(
            "set_every",
            _compile(
                L + r"(?:every|each)%S%(?:(?P<other>other)%S%|(?P<num>%NUM%)%S%)?"
                r"(?:(?P<unit>%UNIT%)|(?P<wd>%WD%)|(?P<mon>%MONTH%)|(?P<dp>%DAYPART%)|(?P<season>%SEASON%))" + R
            ),
            _set_every,
        ),
        Rule(
            "set_times",
            _compile(
                L + r"(?:(?P<times>once|twice|thrice)|(?P<num>%NUM%)%S%times)%S%(?:a|an|per|every|each)%S%"
                r"(?P<unit>%UNIT%)" + R
            ),
            _set_times,
        ),
        Rule("set_rate", _compile(L + r"(?:a|an|per)%S%(?P<unit>year|month|week|day|hour)" + R), _set_rate),
        Rule("frequency", _compile(L + r"(?P<freq>%FREQ%)" + R), _frequency),
        Rule(
            "clock",
            _compile(
                LN + r"(?P<hh>\d{1,2})(?:[:.](?P<mi>[0-5]\d))?%S%?(?P<ap>[ap]\.?m\b\.?)"
                r"(?:%S%(?P<tz>%ZONE%))?(?![\w])"
            ),
            _clock,
        ),
        Rule(
            "clock24",
            _compile(
                LN + r"(?P<hh>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?"
                r"(?:%S%(?P<tz>%ZONE%))?" + RN
            ),
            _clock24,
        ),
        Rule("clock_word", _compile(L + r"(?P<word>noon|midnight|midday)" + R), _clock_word),
        Rule("duration", _compile(L + _DURATION + R), _duration),
        Rule(
            "duration_first",
            _compile(LN + r"(?P<num>%NUM%)(?=%S%(?:and|or|to)%S%(?:%NUM%)(?:%S%|-)(?P<unit>%UNIT%)\b)"),
            _duration_first,
        ),
        Rule("ref", _compile(L + r"(?P<ref>%REF%)(?![\w-])"), _ref),
        Rule("month", _compile(L + pfx + r"(?:(?P<shift>%SHIFT%)%S%)?(?P<mon>%MONTH%)(?![\w-])"), _month),
    ]


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


# ---- normalisers: one per rule -------------------------------------------------------------------


def _t(m: re.Match[str], kind: str, value: str | None, mod: str | None = None, gran: str | None = None) -> Timex:
    return Timex(m.start(), m.end(), kind, value, mod, granularity=gran)


def _mod(m: re.Match[str]) -> str | None:
    """The mod of a leading "early"/"mid-"/"the end of"; None for a connector the part word cannot take."""
    part = (m.groupdict().get("part") or "").lower()
    return time_words().parts.get(part) if part else None


def _prefix_ok(m: re.Match[str]) -> bool:
    """ "the end of" needs its "of"; "early"/"mid"/"late" go straight before the date."""
    part = (m.groupdict().get("part") or "").lower()
    if not part:
        return True
    conn = (m.group("conn") or "").strip().lower()
    if part in ("start", "beginning", "end", "middle", "close", "dawn"):
        return conn.startswith("of")
    if part == "mid":
        return conn in ("-", "")
    return True


def _words(text: str | None) -> str:
    """Lower-cased, with any run of whitespace as one space, for lexicon look-ups of phrases."""
    return re.sub(r"\s+", " ", (text or "").lower())


def _month_number(word: str) -> int:
    return time_words().months[word.rstrip(".")]


def _iso(m: re.Match[str], ctx: Context) -> Timex | None:
    try:
        d = dt.date(int(m.group("year")), int(m.group("mon")), int(m.group("day")))
    except ValueError:
        return None
    if m.group("hh"):
        return _t(m, "TIME", f"{d.isoformat()}T{m.group('hh')}:{m.group('mi')}", gran="D")
    return _t(m, "DATE", d.isoformat(), gran="D")


def _numeric(m: re.Match[str], ctx: Context) -> Timex | None:
    a, b, sep, year_text = int(m.group("a")), int(m.group("b")), m.group("sep"), m.group("year")
    if sep != "/" and len(year_text) == 2:
        return None  # "1.2.10" is a version number, "3-4-05" a score
    year = int(year_text) if len(year_text) == 4 else _two_digit_year(int(year_text), ctx)
    if a > 12 and b > 12:
        return None
    day_first = a > 12 or (b <= 12 and ctx.day_first(sep))
    day, month = (a, b) if day_first else (b, a)
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return _t(m, "DATE", d.isoformat(), gran="D")


def _two_digit_year(yy: int, ctx: Context) -> int:
    """ "'09" -> 2009 and "'97" -> 1997 around the publication date (within 20 years ahead)."""
    ref = ctx.dct.year if ctx.dct else dt.date.today().year
    year = ref // 100 * 100 + yy
    return year - 100 if year > ref + 20 else year


def _month_day(m: re.Match[str], ctx: Context) -> Timex | None:
    month = _month_number(m.group("mon"))
    day = int(re.sub(r"\D", "", m.group("day")))
    if m.group("mon").rstrip(".") in ctx.words.month_context and not m.group("wd") and _looks_like_verb(m, ctx):
        return None
    if m.group("year"):
        year_given = int(m.group("year"))
        valid = _weekday_of(year_given, month, day) is not None
        return _t(m, "DATE", dt.date(year_given, month, day).isoformat() if valid else None, gran="D")
    if ctx.dct is None or _weekday_of(2000, month, day) is None:
        return _t(m, "DATE", None, gran="D")  # no date to count from, or "February 30"
    direction = ctx.direction(m.start(), m.end())
    year = timex.nearest_year(ctx.dct, month, day, direction)
    if (month, day) == (2, 29):
        year = _leap_year_near(ctx.dct, year, direction)
    if m.group("wd"):
        # "Saturday, April 25": the year in which April 25 is a Saturday, if one near the date is
        weekday = ctx.words.weekdays[m.group("wd").rstrip(".")]
        fits = [y for y in (year, year - 1, year + 1) if _weekday_of(y, month, day) == weekday]
        year = fits[0] if fits else year
    return _t(m, "DATE", timex.safe_date(year, month, day).isoformat(), gran="D")


def _leap_year_near(anchor: dt.date, year: int, direction: int) -> int:
    """February 29 without a year: the leap year nearest the anchor that the tense allows."""
    leaps = [y for y in range(anchor.year - 4, anchor.year + 5) if _weekday_of(y, 2, 29) is not None]
    if direction < 0:
        return max(y for y in leaps if dt.date(y, 2, 29) <= anchor)
    if direction > 0:
        return min(y for y in leaps if dt.date(y, 2, 29) >= anchor)
    return min(leaps, key=lambda y: abs((dt.date(y, 2, 29) - anchor).days))


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return dt.date(year, month, day).isoweekday()
    except ValueError:
        return None


def _looks_like_verb(m: re.Match[str], ctx: Context) -> bool:
    """ "May 5" is a date, but "may 5" is not, and "March 5" after "will" is odd: a modal or verb tag."""
    tok = ctx.token_at(m.start("mon"))
    return tok is not None and tok.tag_ in ("MD", "VB", "VBP", "VBZ")


def _month_year(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m):
        return None
    month = _month_number(m.group("mon"))
    return _t(m, "DATE", timex.month_value(int(m.group("year")), month), _mod(m), gran="M")


def _in_a_name(offset: int, ctx: Context) -> bool:
    """The word at offset is part of a name in spaCy's reading (a person, an organization, a title)."""
    tok = ctx.token_at(offset)
    return tok is not None and tok.ent_type_ in NAME_LABELS


def _month_shifted_year(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "June last year", "in January of this year", "April 3 next year"."""
    if not _prefix_ok(m):
        return None
    month = _month_number(m.group("mon"))
    if ctx.dct is None:
        return _t(m, "DATE", None, _mod(m), gran="D" if m.group("day") else "M")
    year = ctx.dct.year + ctx.words.shifts[m.group("shift").lower()]
    if m.group("day"):
        day = int(re.sub(r"\D", "", m.group("day")))
        if _weekday_of(year, month, day) is None:
            return _t(m, "DATE", None, gran="D")  # "February 30 next year"
        return _t(m, "DATE", dt.date(year, month, day).isoformat(), gran="D")
    return _t(m, "DATE", timex.month_value(year, month), _mod(m), gran="M")


def _month(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m):
        return None
    word = m.group("mon")
    shift_word = (m.group("shift") or "").lower()
    if not (m.group("part") or shift_word):
        if _in_a_name(m.start("mon"), ctx):
            return None  # "June Carter", "Theresa May"
        if word in ctx.words.month_context and (
            ctx.word_before(m.start()) not in ctx.words.time_preps or _looks_like_verb(m, ctx)
        ):
            return None
    month = _month_number(word)
    if ctx.dct is None:
        return _t(m, "DATE", None, _mod(m), gran="M")
    if shift_word:
        shift = ctx.words.shifts[shift_word]
        if shift < 0:  # "last July": the July before this month
            year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        elif shift > 0:
            year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        else:
            year = ctx.dct.year
    else:
        year = timex.nearest_year(ctx.dct, month, None, ctx.direction(m.start(), m.end()))
    return _t(m, "DATE", timex.month_value(year, month), _mod(m), gran="M")


def _year(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m):
        return None
    year = int(m.group("year"))
    if not (m.group("part") or m.group("fiscal")) and not _plausible_year(m, ctx, year):
        return None
    return _t(m, "DATE", f"{year:04d}", _mod(m), gran="Y")


def _plausible_year(m: re.Match[str], ctx: Context, year: int) -> bool:
    """A bare four-digit number is a year unless the parse or its neighbours say it counts things."""
    if NOT_YEAR_BEFORE.search(ctx.text[max(0, m.start() - 12) : m.start()]):
        return False
    tok = ctx.token_at(m.start("year"))
    if tok is not None:
        if tok.ent_type_ in ("DATE", "TIME", "EVENT"):
            return True
        if tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
            return False
        head = tok.head
        if tok.dep_ == "nummod" and head.tag_ in ("NNS", "NNPS") and head.lower_ not in ctx.words.units:
            return False  # "2000 troops"
    if ctx.word_before(m.start()) in ctx.words.time_preps:
        return True
    ceiling = (ctx.dct.year if ctx.dct else dt.date.today().year) + 30
    return 1900 <= year <= ceiling


def _year_tail(m: re.Match[str], ctx: Context) -> Timex | None:
    """The second year of "2009-2010" or "1957-58", each its own expression as in TimeML."""
    first = ctx.text[m.start() - 5 : m.start() - 1]
    if not re.fullmatch(r"1\d\d\d|20\d\d", first) or not _plausible_year(m, ctx, int(first)):
        return None
    if m.group("yy"):
        year = int(first[:2] + m.group("yy"))
        if year <= int(first):
            year += 100
    else:
        year = int(m.group("year"))
    if not 0 < year - int(first) <= 100:
        return None
    return _t(m, "DATE", f"{year:04d}", gran="Y")


def _decade(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m):
        return None
    if m.group("d4"):
        start = int(m.group("d4"))
        if start % 100 == 0 and start < 2000:
            return _t(m, "DATE", f"{start // 100:02d}", _mod(m), gran="CE")  # "the 1800s": a century
        return _t(m, "DATE", f"{start // 10:03d}", _mod(m), gran="DE")
    if m.group("dw") and not (m.group("the") or m.group("part")):
        return None
    digit = int(m.group("d2")[0]) if m.group("d2") else ctx.words.decade_words[m.group("dw").lower()]
    ref = ctx.dct.year if ctx.dct else dt.date.today().year
    century = ref // 100 if digit * 10 <= ref % 100 else ref // 100 - 1
    return _t(m, "DATE", f"{century:02d}{digit}", _mod(m), gran="DE")


def _century(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m):
        return None
    n = int(m.group("n")) if m.group("n") else ctx.words.ordinals[m.group("ordw").lower()]
    if not 1 <= n <= 22:
        return None
    return _t(m, "DATE", f"{n - 1:02d}", _mod(m), gran="CE")


def _season(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m):
        return None
    season = ctx.words.seasons[m.group("season").lower()]
    shift_word = (m.group("shift") or "").lower()
    if not (m.group("year") or shift_word or m.group("part")):
        if not m.group("the") or ctx.word_before(m.start()) not in ctx.words.time_preps:
            return None
        if re.match(S + r"of\b", ctx.after(m.end()), re.I):
            return None  # "the fall of Kabul"
    if m.group("year"):
        return _t(m, "DATE", f"{int(m.group('year')):04d}-{season}", _mod(m), gran="SE")
    if ctx.dct is None:
        return _t(m, "DATE", None, _mod(m), gran="SE")
    shift = ctx.words.shifts[shift_word] if shift_word else None
    value = timex.season_value(ctx.dct, season, shift, ctx.direction(m.start(), m.end()) if shift is None else 0)
    return _t(m, "DATE", value, _mod(m), gran="SE")


def _holiday(m: re.Match[str], ctx: Context) -> Timex | None:
    month, day = ctx.words.holidays[m.group("hol")]
    if m.group("year"):
        return _t(m, "DATE", dt.date(int(m.group("year")), month, day).isoformat(), gran="D")
    if ctx.dct is None:
        return _t(m, "DATE", None, gran="D")
    shift_word = (m.group("shift") or "").lower()
    direction = ctx.words.shifts[shift_word] if shift_word else ctx.direction(m.start(), m.end())
    year = timex.nearest_year(ctx.dct, month, day, direction)
    return _t(m, "DATE", dt.date(year, month, day).isoformat(), gran="D")


def _quarter(m: re.Match[str], ctx: Context) -> Timex | None:
    groups = m.groupdict()
    ordinal = groups["ord"].lower()
    n = int(ordinal[0]) if ordinal[0].isdigit() else ctx.words.ordinals[ordinal]
    kind = "H" if (groups["q"] or "").lower() in ("half", "h") else "Q"
    if kind == "H" and n > 2:
        return None
    year_text = groups.get("year") or groups.get("year2") or groups.get("year0")
    shift_word = (groups.get("shift") or groups.get("yshift") or "").lower()
    if kind == "H" and not (year_text or shift_word or groups.get("this")):
        return None  # "the second half" of a match
    if year_text:
        year: int | None = int(year_text)
    elif ctx.dct is None:
        year = None
    else:
        year = ctx.dct.year + (ctx.words.shifts[shift_word] if shift_word in ("last", "next") else 0)
        starts_later = (n - 1) * (3 if kind == "Q" else 6) + 1 > ctx.dct.month
        if starts_later and not shift_word and not groups.get("this") and ctx.direction(m.start(), m.end()) < 0:
            year -= 1  # "the fourth quarter" said in March of a past event is last year's
    value = None if year is None else f"{year:04d}-{kind}{n}"
    return _t(m, "DATE", value, gran=kind)


def _relative(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "last week", "this year", "early next month", "the end of the year", "the weekend"."""
    if not _prefix_ok(m):
        return None
    unit = ctx.words.units[m.group("unit").lower()]
    shift_word = (m.group("shift") or "").lower()
    the = bool(m.group("the") or m.group("the2"))
    if not shift_word and not m.group("part") and not (unit in ("WE", "Q", "Y") and the):
        return None
    if unit == "Y" and not shift_word and not m.group("part"):
        # "for the year": this year; "the year ended June 30": a twelve-month stretch
        if re.match(S + r"(?:ended|ending|to)\b", ctx.after(m.end()), re.I):
            return _t(m, "DURATION", "P1Y")
        if ctx.word_before(m.start()) not in ("for", "in", "during", "of", "through", "throughout"):
            return None
    if shift_word and the and unit in ("DE", "CE") and shift_word != "this":
        # "the past decade": a stretch of ten years, not a decade of the calendar
        return _t(m, "DURATION", timex.duration_value("1", unit))
    before = ctx.word_before(m.start())
    if shift_word in ("past", "last") and the and before in ("over", "for", "throughout"):
        return _t(m, "DURATION", timex.duration_value("1", unit))
    if ctx.dct is None:
        return _t(m, "DATE", None, _mod(m), gran=unit)
    if unit == "Q" and not shift_word and not m.group("part"):
        # "the quarter" of an earnings report: the last one ended, unless the verb looks ahead
        shift = -1 if ctx.direction(m.start(), m.end()) < 0 else 0
    elif unit == "WE" and not shift_word:
        direction = ctx.direction(m.start(), m.end())
        shift = -1 if direction < 0 and ctx.dct.isoweekday() < 6 else (1 if direction > 0 else 0)
        if direction > 0 and ctx.dct.isoweekday() >= 6:
            shift = 1
    else:
        shift = ctx.words.shifts[shift_word] if shift_word else 0
    day = timex.shift_day(ctx.dct, unit, shift)
    return _t(m, "DATE", timex.period_value(day, unit), _mod(m), gran=unit)


def _year_ago(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "the year-earlier quarter" of an earnings report: the reported period, one year back."""
    unit = (m.group("unit") or "").lower()
    if ctx.dct is None:
        return _t(m, "DATE", None)
    if unit in ("month", "week"):
        code = "M" if unit == "month" else "W"
        day = timex.shift_day(timex.shift_day(ctx.dct, code, -1), "Y", -1)
        return _t(m, "DATE", timex.period_value(day, code), gran=code)
    if unit:
        if m.group("ord"):
            quarter, year = ctx.words.ordinals[m.group("ord").lower()], ctx.dct.year - 1
        else:  # the period just reported: the last quarter that has ended
            last = timex.shift_day(ctx.dct, "Q", -1)
            quarter, year = timex.quarter_of(last), last.year - 1
        return _t(m, "DATE", f"{year:04d}-Q{quarter}", gran="Q")
    return _t(m, "DATE", f"{ctx.dct.year - 1:04d}", gran="Y")


def _period_end(m: re.Match[str], ctx: Context) -> Timex | None:
    unit = ctx.words.units[m.group("unit").lower()]
    if ctx.dct is None:
        return _t(m, "DATE", None, "END", gran=unit)
    return _t(m, "DATE", timex.period_value(ctx.dct, unit), "END", gran=unit)


def _weekday(m: re.Match[str], ctx: Context) -> Timex | None:
    if not _prefix_ok(m) or _in_a_name(m.start("wd"), ctx):
        return None  # "The Sunday Times", "the Good Friday Agreement"
    weekday = ctx.words.weekdays[m.group("wd")]
    dp = (m.group("dp") or "").lower()
    kind = "TIME" if dp else "DATE"
    if ctx.dct is None:
        return _t(m, kind, None, _mod(m), gran="D")
    shift_word = (m.group("shift") or "").lower()
    if shift_word:
        day = timex.strict_weekday(ctx.dct, weekday, ctx.words.shifts[shift_word])
    else:
        day = timex.weekday_date(ctx.dct, weekday, ctx.direction(m.start(), m.end()))
    value = day.isoformat() + (_daypart_suffix(ctx.words.dayparts[dp]) if dp else "")
    return _t(m, kind, value, _mod(m), gran="D")


def _daypart_suffix(code: str) -> str:
    return f"T{code}"


def _deictic(m: re.Match[str], ctx: Context) -> Timex | None:
    offset, part_of_day = ctx.words.deictic[m.group("deic").lower()]
    dp = (m.group("dp") or "").lower()
    code = ctx.words.dayparts[dp] if dp else part_of_day
    part = (m.group("part") or "").lower()
    mod = ctx.words.parts.get(part) if part and not code else None
    if part and code:
        return None  # "late this morning": leave the part word out
    kind = "TIME" if code else "DATE"
    if ctx.dct is None:
        return _t(m, kind, None, mod, gran="D")
    day = ctx.dct + dt.timedelta(days=offset)
    return _t(m, kind, day.isoformat() + (_daypart_suffix(code) if code else ""), mod, gran="D")


def _anaphoric(m: re.Match[str], ctx: Context) -> Timex | None:
    phrase = _words(m.group("ana"))
    unit, offset = ctx.words.anaphoric[phrase]
    found = _t(m, "DATE", None, gran=unit)
    last = phrase.rsplit(" ", 1)[-1]
    if last in ("before", "after") and re.match(S + r"[\w\"']", ctx.after(m.end())):
        # "the day before the son reported him missing": counted from an event, not a date
        found.end = m.start() + len(m.group(0)) - len(last)
        while ctx.text[found.end - 1].isspace():
            found.end -= 1
        return found
    found.anaphor = (unit, offset)
    return found


def _ago(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "three years ago" counts from the publication date; "two days later" from the last date named."""
    unit = ctx.words.units[m.group("unit").lower()]
    amount = _amount(m.group("num"), m.group("unit"))
    if amount is None or (unit in ("WE", "Q") and not m.group("num")):
        return None
    direction = m.group("dir").lower()
    if direction in ("earlier", "later") and re.match(S + "than" + r"\b", ctx.after(m.end()), re.I):
        return None  # "a month earlier than usual" is a difference: the duration rule takes "a month"
    if direction == "later" and ctx.timeml:
        return None  # TimeML: "three days later" is the duration "three days"
    sign = -1 if direction in ("ago", "earlier") else 1
    mod = ctx.words.approx.get(_words(m.group("approx"))) or ("APPROX" if m.group("orso") else None)
    if amount == "X":
        if direction in ("ago",):
            return _t(m, "DATE", "PAST_REF", mod)
        return _t(m, "DATE", None, mod)
    n = float(amount)
    if not n.is_integer():
        return _t(m, "DATE", None, mod)
    gran = "D" if unit in ("H", "MIN", "S") else unit
    if direction in ("earlier", "later"):
        found = _t(m, "DATE", None, mod, gran=gran)
        found.anaphor = (unit, sign * int(n))
        return found
    if ctx.dct is None:
        return _t(m, "DATE", None, mod, gran=gran)
    day = timex.shift_day(ctx.dct, unit, sign * int(n))
    return _t(m, "DATE", timex.period_value(day, unit), mod, gran=gran)


def _amount(num: str | None, unit_word: str) -> str | None:
    """The count of a duration: "two" -> "2", "several" -> "X", none before a plural -> "X"; None when
    the number and the unit disagree ("a days")."""
    plural = unit_word.lower().endswith(("s", "ies")) and unit_word.lower() not in ("s",)
    if num is None:
        return "X" if plural else None
    word = _words(num)
    numbers = time_words().numbers
    half = re.fullmatch(r"(\d+)(?: 1/2|½)", word)
    compound = re.split(r"[- ]", word)
    if half:
        value = timex.number_text(int(half.group(1)) + 0.5)
    elif word in numbers:
        value = numbers[word]
    elif len(compound) == 2 and all(p in numbers and numbers[p] != "X" for p in compound):
        tens, ones = (float(numbers[p]) for p in compound)
        if not (tens >= 20 and tens % 10 == 0 and 1 <= ones <= 9):
            return None  # "ten five" is no number
        value = timex.number_text(tens + ones)
    else:
        try:
            value = timex.number_text(float(word.replace(",", "")))
        except ValueError:
            return None
    if value == "1" and plural and word in ("a", "an"):
        return None
    return value


def _vague(m: re.Match[str], ctx: Context) -> Timex | None:
    if not m.group("unit").lower().endswith("s"):
        return None
    return _t(m, "DATE", ctx.words.vague_plural[m.group("vp").lower()])


def _duration(m: re.Match[str], ctx: Context) -> Timex | None:
    unit_word = m.group("unit").lower()
    unit = ctx.words.units[unit_word]
    num = m.group("num")
    after = ctx.after(m.end(), 30)
    if AGE_AFTER.match(after):
        return None  # ages are quantities, not times
    if ctx.word_before(m.start()) in ("aged", "age", "ages"):
        return None
    offset = re.match(S + "(?:" + _alternation(ctx.words.offset_words) + r")\b", after, re.I) is not None
    if offset and not ctx.timeml:
        return None  # "one day after the attack": a relation between events, not a time of the article
    if unit == "S" and not unit_word.endswith("s") and (num or "").lower() not in ("one", "1"):
        return None  # "a second term", "the 1988 second quarter"
    if num and re.fullmatch(r"1\d\d\d|20\d\d", num) and not unit_word.endswith("s"):
        return None  # "the 1988 quarter" is a year, not 1988 quarters
    if unit == "Q" and (num is None or not unit_word.endswith("s") or re.match(S + "of\\b", after, re.I)):
        return None  # "a quarter of the vote", "three-quarters of"
    if unit == "D" and (num or "").lower() in ("one", "some") and ctx.word_before(m.start()) in ctx.words.modals:
        return _t(m, "DATE", "FUTURE_REF")  # "Islam will one day be ..."
    if unit == "WE" and not m.group("dir"):
        return None
    amount = _duration_amount(m, ctx, offset)
    if amount is None:
        return None
    if m.group("half") or m.group("half2"):
        amount = timex.number_text(float(amount) + 0.5) if amount != "X" else amount
    mod = ctx.words.approx.get(_words(m.group("approx")))
    return _t(m, "DURATION", timex.duration_value(amount, unit), mod)


def _duration_amount(m: re.Match[str], ctx: Context, offset: bool) -> str | None:
    """How many units: the number, "X" for "several"/"the past few"/"for years", None when it is no duration."""
    num, unit_word = m.group("num"), m.group("unit").lower()
    plural = unit_word.endswith("s")
    if num is None:
        if m.group("dir"):
            return "X" if plural else "1"  # "the past few weeks", "the next decade"
        if m.group("the") or m.group("approx") or not plural:
            return None
        return "X" if offset or ctx.word_before(m.start()) in ctx.words.duration_cues else None
    if num.lower() == "some" and not plural:
        return None  # "some day"
    return _amount(num, m.group("unit"))


def _duration_first(m: re.Match[str], ctx: Context) -> Timex | None:
    """The first number of "between 12 and 18 months", a duration of its own as in TimeML."""
    if m.group("num").lower() in ("a", "an", "some", "many", "few", "several"):
        return None
    amount = _amount(m.group("num"), m.group("unit"))
    if amount is None:
        return None
    return _t(m, "DURATION", timex.duration_value(amount, ctx.words.units[m.group("unit").lower()]))


def _ref(m: re.Match[str], ctx: Context) -> Timex | None:
    word = _words(m.group("ref"))
    if word in ctx.words.timeml_refs and not ctx.timeml:
        return None
    if word in ctx.words.adjective_refs:
        tok = ctx.token_at(m.start())
        if tok is None or tok.dep_ != "amod":
            return None  # "current" the noun, or "the current" standing alone
    after = ctx.after(m.end(), 12).lower()
    before = ctx.word_before(m.start())
    if word == "soon" and (before == "as" or re.match(S + "as", after)):
        return None  # "as soon as"
    if word == "shortly" and re.match(S + "(?:after|before)", after):
        return None
    if word in ("the future", "the past") and re.match(S + "of", after):
        return None  # "the future of Iraq"
    if word == "now" and re.match(S + "that", after) and not ctx.timeml:
        return None
    return _t(m, "DATE", ctx.words.refs[word])


def _set_every(m: re.Match[str], ctx: Context) -> Timex | None:
    if m.group("wd"):
        return _t(m, "SET", f"XXXX-WXX-{ctx.words.weekdays[m.group('wd')]}")
    if m.group("mon"):
        return _t(m, "SET", f"XXXX-{_month_number(m.group('mon')):02d}")
    if m.group("dp"):
        code = ctx.words.dayparts[m.group("dp").lower()]
        return _t(m, "SET", f"XXXX-XX-XXT{code}")
    if m.group("season"):
        return _t(m, "SET", f"XXXX-{ctx.words.seasons[m.group('season').lower()]}")
    unit = ctx.words.units[m.group("unit").lower()]
    amount = "2" if m.group("other") else (_amount(m.group("num"), m.group("unit")) if m.group("num") else "1")
    if amount is None:
        return None
    return _t(m, "SET", timex.duration_value(amount, unit))


def _set_times(m: re.Match[str], ctx: Context) -> Timex | None:
    unit = ctx.words.units[m.group("unit").lower()]
    return _t(m, "SET", timex.duration_value("1", unit))


def _set_rate(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "$5 billion a year", "10,000 barrels per day": a rate is a set; "for a year" is not."""
    before = ctx.word_before(m.start())
    if before in {"for", "in", "about", "than", "over", "nearly", "almost", "within", "after", "around", "only"}:
        return None
    if before in {"just", "half", "once", "twice", "times", "of", "than", "some", "least", "up", "to", "by"}:
        return None
    sentence_start = max(ctx.text.rfind(". ", 0, m.start()), ctx.text.rfind("\n", 0, m.start())) + 1
    head = ctx.text[max(sentence_start, m.start() - 60, 0) : m.start()]
    counted = [w for w, v in ctx.words.numbers.items() if v != "X" and w not in ("a", "an")]
    if not re.search(r"\d|\b(?:" + _alternation(counted) + r")\b", head, re.I):
        return None
    unit = ctx.words.units[m.group("unit").lower()]
    return _t(m, "SET", timex.duration_value("1", unit))


def _frequency(m: re.Match[str], ctx: Context) -> Timex | None:
    tok = ctx.token_at(m.start())
    if tok is not None and tok.ent_type_ in ("ORG", "WORK_OF_ART", "PERSON"):
        return None  # "the Daily Mail"
    if tok is not None and tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
        return None  # "a quarterly dividend" names a kind of dividend, not when it happens
    return _t(m, "SET", ctx.words.frequency[m.group("freq").lower()])


def _clock(m: re.Match[str], ctx: Context) -> Timex | None:
    hour, minute = int(m.group("hh")), int(m.group("mi") or 0)
    if not 1 <= hour <= 12:
        return None
    if m.group("ap").lower().startswith("p") and hour != 12:
        hour += 12
    elif m.group("ap").lower().startswith("a") and hour == 12:
        hour = 0
    return _clock_at(m, ctx, hour, minute)


def _clock_at(m: re.Match[str], ctx: Context, hour: int, minute: int) -> Timex:
    found = _t(m, "TIME", None, gran="T")
    clock = f"T{hour:02d}:{minute:02d}"
    found.value = (ctx.dct.isoformat() + clock) if ctx.dct else None
    found.anaphor = ("T", hour * 60 + minute)  # the clock time, kept for a neighbouring date
    return found


def _clock24(m: re.Match[str], ctx: Context) -> Timex | None:
    hour, minute = int(m.group("hh")), int(m.group("mi"))
    if m.group("ss") and not m.group("tz"):
        # a running time ("finished in 3:07:35") is a duration
        seconds = int(m.group("ss"))
        parts = (f"{hour}H" if hour else "") + (f"{minute}M" if minute else "") + (f"{seconds}S" if seconds else "")
        return _t(m, "DURATION", f"PT{parts or '0S'}")
    if not m.group("tz") and ctx.word_before(m.start()) not in ("at", "by", "until", "from", "to", "around", "before"):
        return None
    return _clock_at(m, ctx, hour, minute)


def _clock_word(m: re.Match[str], ctx: Context) -> Timex | None:
    word = m.group("word").lower()
    hour = 24 if word == "midnight" else 12
    return _clock_at(m, ctx, hour, 0)


# ---- the layer -----------------------------------------------------------------------------------


def find_times(text: str, parsed: Doc, published: str | None, *, timeml: bool = False) -> list[Timex]:
    """All time expressions of a text, in order, with their values (see the module docstring)."""
    ctx = Context(text, published, parsed, timeml)
    candidates: list[Candidate] = []
    for order, rule in enumerate(_rules()):
        for m in rule.pattern.finditer(ctx.text):
            if m.end() <= m.start():
                continue
            found = rule.normalise(m, ctx)
            if found is not None:
                candidates.append(Candidate(found.start, found.end, order, found))
    chosen = _choose(candidates)
    chosen = _join_clock_and_date(chosen, ctx)
    _resolve_anaphors(chosen, ctx)
    return chosen


def _choose(candidates: list[Candidate]) -> list[Timex]:
    """Non-overlapping expressions: the longest first, then the rule listed first."""
    taken: list[tuple[int, int]] = []
    out: list[Timex] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.order, c.start)):
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
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
            if re.fullmatch(r"\s*(?:,|,?\s*on)?\s*", gap, re.I) and "\n\n" not in gap:
                clock, day = (cur, nxt) if cur.granularity == "T" else (nxt, cur)
                assert clock.anaphor is not None
                minutes = clock.anaphor[1]
                value = None
                if day.value and re.fullmatch(r"\d{4}-\d\d-\d\d", day.value):
                    value = f"{day.value}T{minutes // 60:02d}:{minutes % 60:02d}"
                out.append(Timex(cur.start, nxt.end, "TIME", value, granularity="D"))
                i += 2
                continue
        out.append(cur)
        i += 1
    for t in out:
        if t.granularity == "T":
            t.anaphor = None
            t.granularity = "D"
    return out


def _resolve_anaphors(found: list[Timex], ctx: Context) -> None:
    """ "the next day", "two years later": counted from the last calendar date the article named, or from
    the publication date before any; None when that date is too coarse ("the next day" after "2014")."""
    anchor: tuple[dt.date, str] | None = (ctx.dct, "D") if ctx.dct else None
    fine = ["D", "W", "M", "Q", "Y", "DE", "CE"]
    for t in found:
        if t.anaphor is not None:
            unit, offset = t.anaphor
            if anchor is not None:
                day, gran = anchor
                need = "D" if unit in ("H", "MIN", "S") else unit
                if need in fine and gran in fine and fine.index(gran) <= fine.index(need):
                    t.value = timex.period_value(timex.shift_day(day, unit, offset), need)
            continue
        parsed = _calendar(t)
        if parsed is not None and t.type in ("DATE", "TIME"):
            anchor = parsed


def _calendar(t: Timex) -> tuple[dt.date, str] | None:
    """A calendar value as (first day, granularity), for anaphors to count from."""
    v = t.value or ""
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", v):
        return dt.date(int(m[1]), int(m[2]), int(m[3])), "D"
    if m := re.fullmatch(r"(\d{4})-W(\d\d)", v):
        return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1), "W"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
        return dt.date(int(m[1]), int(m[2]), 1), "M"
    if m := re.fullmatch(r"(\d{4})-Q(\d)", v):
        return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1), "Q"
    if m := re.fullmatch(r"(\d{4})", v):
        return dt.date(int(m[1]), 1, 1), "Y"
    return None


def extract_times(doc: Document, parsed: Doc, *, timeml: bool = False) -> list[dict[str, Any]]:
    """The times layer of a Document: SPEC items {text, start, end, type, value, mod?}."""
    return [t.to_json(doc.text) for t in find_times(doc.text, parsed, doc.meta.published, timeml=timeml)]


# ---- dates for events ----------------------------------------------------------------------------


def date_for(doc: Document, parsed: Doc, token_or_char_offset: Token | int) -> str | None:
    """The date of an event mention: the value of the nearest time expression that governs it in the
    parse (attached to the event word, to a verb above it in the same sentence, or below the event
    word itself, as in "attacks in recent months"), else the publication date (None without one).

    Reads ``doc.times``, so call it after the times layer ran.
    """
    if isinstance(token_or_char_offset, Token):
        tok: Token | None = token_or_char_offset
    else:
        ctx_starts = [t.idx for t in parsed]
        i = bisect.bisect_right(ctx_starts, token_or_char_offset) - 1
        tok = parsed[i] if i >= 0 else None
    if tok is None:
        return doc.meta.published
    ancestors = _clause_path(tok)
    best: tuple[int, str] | None = None
    for item in doc.times:
        if item["type"] not in ("DATE", "TIME") or not item["value"]:
            continue
        sp = parsed.char_span(item["start"], item["end"], alignment_mode="expand")
        if sp is None or not len(sp) or sp.root.sent.start != tok.sent.start:
            continue
        root = sp.root
        if tok.i in range(sp.start, sp.end):
            continue
        distance: int | None = None
        governor = _governor(root)
        if governor in ancestors:
            distance = ancestors.index(governor)
        else:
            above = list(root.ancestors)
            if tok in above:
                distance = above.index(tok)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, str(item["value"]))
    return best[1] if best else doc.meta.published


def _clause_path(tok: Token) -> list[Token]:
    """The token and the words above it up to its clause's verb: a time on "said" dates the saying, not
    what was said, and one on the main verb does not date a relative clause."""
    path = [tok]
    while path[-1].dep_ not in CLAUSE_EDGES and path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def _governor(root: Token) -> Token:
    """The word a time expression hangs from: the first verb above it, or the sentence root."""
    t = root.head
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t
