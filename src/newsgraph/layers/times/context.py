"""What the times grammar works with and on: ``Timex`` (one expression), ``Candidate`` (a rule's
match before the choice), ``Context`` (the article around a match: text, publication date, parse,
tense), and the anchoring of anaphors ("the next day") to the last date named. (The date of an event
mention, which the events layer needs, is ``layers._support.event_dates``.)
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph import nlp
from newsgraph.layers._support import timex, tokens
from newsgraph.layers._support.timex import time_words

from .patterns import S, _alternation


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
    part: str | None = None  # the part of the day an anaphor names ("that evening": EV)
    year: str | None = None  # "written": a day with its year ("December 16, 2010"); "guessed": a day without

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


@dataclass
class Candidate:
    start: int
    end: int
    order: int  # the rule's place in the grammar: earlier wins a tie
    timex: Timex


# ---- the context a normaliser sees -----------------------------------------------------------------


class Context:
    """The article around a match: its text, publication date, parse and conventions."""

    def __init__(self, text: str, published: str | None, parsed: Doc, timeml: bool) -> None:
        self.text = nlp.matching_form(text)  # same length: curly apostrophes and NBSP made plain
        self.dct = dt.date.fromisoformat(published[:10]) if published else None
        self.parsed = parsed
        self.timeml = timeml
        self.words = time_words()
        self._starts = list(tokens.of(parsed).idx)
        self._order: str | None = None  # "dmy", "mdy" or "" (no evidence), once read

    @cached_property
    def game_report(self) -> bool:
        """The article reports a game: two of the lexicon's game words or more ("rebounds", "halftime")."""
        if not self.words.game_words:
            return False
        low = self.text.lower()
        return sum(1 for w in self.words.game_words if re.search(rf"\b{re.escape(w)}\b", low)) >= 2

    def undated(self) -> Context:
        """The same context without a publication date: relative expressions get no value."""
        copy = Context.__new__(Context)
        copy.__dict__.update(self.__dict__, dct=None)
        return copy

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
        if word.tag_ == word.pos_:
            return bool(set(word.morph.get("Tense", [])) & {"Past", "Imp", "Pqp"})
        if (
            word.tag_ == "VBN"
            and word.dep_ in ("ROOT", "conj", "ccomp")
            and not any(c.dep_ in ("aux", "auxpass") for c in word.children)
        ):
            return True  # "Trump tweeted before Election Day": a simple past the tagger read as a participle
        return word.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass", "cop") and c.tag_ == "VBD" for c in word.children)

    def _tense(self, verb: Token, depth: int) -> int:
        if verb.tag_ == verb.pos_:  # a model without Penn Treebank tags (French): the verb's morphology
            return _morphology_tense(verb, self.words.future_verbs)
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
            # under a verb that is itself ahead: "she will be allowed to play at the awards on Sunday"
            return 1 if self._tense(head, depth + 1) > 0 else 0
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


# ---- anaphors: counted from the last date named ------------------------------------------------------


def _resolve_anaphors(found: list[Timex], ctx: Context) -> None:
    """ "the next day", "two years later": counted from the last calendar date the article named, or from
    the publication date before any; None when that date is too coarse ("the next day" after "2014")."""
    anchor: tuple[dt.date, str] | None = (ctx.dct, "D") if ctx.dct else None
    fine = ["D", "W", "M", "Q", "Y", "DE", "CE"]
    written: tuple[dt.date, int] | None = None  # the last day written with its year, and where it ends
    for t in found:
        if t.year == "guessed" and written is not None and t.start - written[1] <= NARRATIVE_CHARS:
            _narrative_year(t, written[0])
        if t.anaphor is not None:
            unit, offset = t.anaphor
            if anchor is not None:
                day, gran = anchor
                need = "D" if unit in ("H", "MIN", "S") else unit
                if need in fine and gran in fine and fine.index(gran) <= fine.index(need):
                    # counted past year 1 or 9999 ("5,000 years later" in 9999): left unresolved
                    with contextlib.suppress(OverflowError, ValueError):
                        t.value = timex.period_value(timex.shift_day(day, unit, offset), need)
                        t.value += f"T{t.part}" if t.part else ""
            continue
        parsed = _calendar(t)
        if parsed is not None and t.type in ("DATE", "TIME"):
            anchor = parsed
            if t.year == "written" and parsed[1] == "D":
                written = (parsed[0], t.end)


NARRATIVE_CHARS = 2_000  # how far a day written with its year sets the year of the days after it
NARRATIVE_DAYS = 120  # and for how long after it


def _narrative_year(t: Timex, written: dt.date) -> None:
    """ "on December 16, 2010 ... She returned on December 27": a day without its year soon after a day
    written with one, within NARRATIVE_DAYS of it, is in that story's year, not the one nearest the
    publication date."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", t.value or "")
    if m is None:
        return
    for year in (written.year, written.year + 1):
        with contextlib.suppress(ValueError):
            day = dt.date(year, int(m[2]), int(m[3]))
            if 0 <= (day - written).days <= NARRATIVE_DAYS:
                t.value = day.isoformat() + (m[4] or "")
                return


def _calendar(t: Timex) -> tuple[dt.date, str] | None:
    """A calendar value as (first day, granularity), for anaphors to count from; None for a value no
    date can hold (year 0, week 53 of a 52-week year)."""
    try:
        return _first_day(t.value or "")
    except ValueError:
        return None


def _first_day(v: str) -> tuple[dt.date, str] | None:
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


def _morphology_tense(verb: Token, future_verbs: frozenset[str]) -> int:
    """-1 past, +1 future, 0 present or unknown, from Universal Dependencies morphology: a finite verb's
    Tense (Past, Imp, Fut) or its auxiliary's, a past participle ("a déclaré", "annoncé lundi"), an
    infinitive under a verb of the lexicon's future verbs ("va voter")."""
    tense = set(verb.morph.get("Tense", []))
    auxes = [c for c in verb.children if c.dep_.startswith("aux")]
    if "Fut" in tense or any("Fut" in a.morph.get("Tense", []) for a in auxes):
        return 1
    if tense & {"Past", "Imp", "Pqp"}:
        return -1
    if verb.morph.get("VerbForm", []) == ["Inf"] and verb.head.i != verb.i and verb.head.lemma_.lower() in future_verbs:
        return 1
    return 0
