"""Names spaCy leaves incomplete: state bodies written in lower case, people known by surname only.

- "Russia's foreign ministry", "the French foreign ministry" name a body: Russian Foreign Ministry.
- A person spaCy found only as "Persson" whose full name stands elsewhere in the text
  ("Eva-Marie Persson", a hyphenated first name the small model misses) gets that name.
- A person the article names by surname only ("President Trump") gets the full name from the
  people lexicon when that surname is a distinctive one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from newsgraph.layers._support.lexicon import Lexicon
from newsgraph.lexicons import WORLD, alternation, by_language, rows, words

BODY_KINDS = alternation("entities_ministry_kinds.txt")  # what a ministry is of: "foreign", "defence", "oil"
_MINISTRY = re.compile(rf"\b((?:{BODY_KINDS})\s+ministry)\b", re.IGNORECASE)
_OWNER = re.compile(r"((?:[A-Z][\w.]*\s)?[A-Z][\w.]*)(?:'s)?\s+$")


# words a title-case line leaves in lower case ("Syrian Forces Blocking Refugee Return to the Camp")
TITLE_CASE_SMALL = frozenset(
    {"a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "for", "to", "at", "by", "with", "from"}
    | {"as", "vs", "is", "are"}
)


class TitleCaseLines:
    """Which lines of a text are written in title case (four words or more, nearly all capitalised): a
    headline, a teaser, a menu, where every phrase looks like a name to the model. The line breaks are
    found once and each line is read once, however many names it holds (linear in the text)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks: list[int] | None = None  # offsets of the line breaks, found on the first question
        self.seen: dict[int, bool] = {}

    def at(self, offset: int) -> bool:
        if self.breaks is None:
            self.breaks = [m.start() for m in re.finditer("\n", self.text)]
        i = bisect.bisect_left(self.breaks, offset)
        start = self.breaks[i - 1] + 1 if i else 0
        if start not in self.seen:
            end = self.breaks[i] if i < len(self.breaks) else len(self.text)
            words = re.findall(r"[^\W\d_][\w'’-]*", self.text[start:end])
            words = [w for w in words if w.lower() not in TITLE_CASE_SMALL]
            self.seen[start] = len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
        return self.seen[start]


@dataclass
class NamedSpan:
    """A name found by these rules: character offsets into the text, the name, its country."""

    start: int
    end: int
    name: str
    country: str | None


def ministries(text: str, lex: Lexicon) -> list[NamedSpan]:
    """Lower-case state bodies with their owner: "Russia's foreign ministry" -> Russian Foreign Ministry.

    ``text`` is the matching form (straight apostrophes)."""
    out = []
    for m in _MINISTRY.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        owner = _OWNER.search(before)
        if owner is None:
            continue
        # "Saudi Arabia's" or, after a capitalised article, just "French"
        iso, offset = lex.country_of_word(owner.group(1)), owner.start(1)
        if iso is None and " " in owner.group(1):
            iso, offset = (
                lex.country_of_word(owner.group(1).split()[-1]),
                owner.start(1) + owner.group(1).index(" ") + 1,
            )
        if iso is None:
            continue
        demonym = lex.demonym_of.get(iso, owner.group(1))
        # "French foreign ministry" is one name; in "Russia's foreign ministry" Russia stays a place
        possessive = before.rstrip().endswith("'s")
        start = m.start() if possessive else m.start() - (len(before) - offset)
        out.append(NamedSpan(start, m.end(), f"{demonym} {m.group(1).title()}", iso))
    return out


_FIRST_NAME = r"[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?"
_FIRST_NAME_CHAR = re.compile(r"[A-Za-zà-ÿ'’-]")
FIRST_NAME_REACH = 200  # characters: no first name is longer
_WORD = re.compile(r"\w+")


class FullNames:
    """The full names a text writes for surnames, looked up near the surname's own occurrences: the
    words of the text are indexed once, so asking for every one-word person reads the text once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: dict[str, list[int]] | None = None
        self.lines = TitleCaseLines(text)

    def _starts(self, word: str) -> list[int]:
        """Where ``word`` stands as a whole word after whitespace."""
        if self._words is None:
            self._words = {}
            text = self.text
            for m in _WORD.finditer(text):
                if m.start() > 0 and text[m.start() - 1].isspace():
                    self._words.setdefault(m.group(), []).append(m.start())
        return self._words.get(word, [])

    def find(self, surname: str, lex: Lexicon) -> NamedSpan | None:
        """The first "First Surname" of the text whose first name is not a stop word, title, role,
        country or known name; what ``re.finditer`` over the whole text would give first."""
        pattern = re.compile(rf"\b({_FIRST_NAME})\s+{re.escape(surname)}\b")
        head = _WORD.match(surname)
        # a surname not starting with a letter or digit: the whole text is read
        matches = list(pattern.finditer(self.text)) if head is None else self._near(pattern, surname, head.group())
        for m in matches:
            first = m.group(1)
            low = first.lower().rstrip(".")
            if low in STOP_WORDS or low in lex.titles or low in lex.role_nouns or lex.country_of_word(first):
                continue
            if first in lex.names:
                continue
            if self.lines.at(m.start()) and low not in given_names():
                continue  # "Republicans Are Following Trump": every word of a title-case headline is capitalised
            return NamedSpan(m.start(), m.end(), f"{first} {surname}", None)
        return None

    def _near(self, pattern: re.Pattern[str], surname: str, head: str) -> list[re.Match[str]]:
        """The pattern's matches, non-overlapping and left to right, found only where the surname stands:
        a match ends with it, after whitespace, so it starts in the word before that whitespace."""
        text = self.text
        out: list[re.Match[str]] = []
        last_end = 0
        for q in self._starts(head):
            if not text.startswith(surname, q):
                continue
            k = q
            while k > 0 and text[k - 1].isspace():
                k -= 1
            lo, floor = k, max(last_end, k - FIRST_NAME_REACH)
            while lo > floor and _FIRST_NAME_CHAR.match(text, lo - 1):
                lo -= 1
            for p in range(lo, k):
                m = pattern.match(text, p)
                if m is not None:
                    out.append(m)
                    last_end = m.end()
                    break
        return out


def known_person(surname: str, lex: Lexicon) -> str | None:
    """The full name of a widely reported person known by this surname, if the lexicon has one."""
    return lex.people.get(surname)


# --- given names and titles' gender ---------------------------------------------------------------------------


@cache
def given_names() -> frozenset[str]:
    """Given names, lower case, from ``lexicons/world/given_names.txt``."""
    return frozenset(r[0].lower() for r in rows("given_names.txt", WORLD))


@by_language
def _title_genders() -> dict[str, str]:
    return {r[0]: r[1] for r in rows("person_title_genders.tsv")}


def title_gender(title: str | None) -> str | None:
    """ "m" or "f" where a person's title says it ("Mrs", "Sir"), else None."""
    for word in (title or "").lower().replace(".", "").split():
        if word in _title_genders():
            return _title_genders()[word]
    return None


def a_street(name: Span) -> bool:
    """Whether a name ends in a word for a street, a square or a neighbourhood (entities_street_words.txt):
    a word of its own after another ("Caldwell Place"), or the end of a compound ("Nachtigalplatz")."""
    found = words("entities_street_words.txt")
    low = name[-1].lower_.rstrip(".")
    if len(name) > 1 and low in found:
        return True
    return any(low.endswith(w[1:]) and (len(low) > len(w) - 1 or len(name) > 1) for w in found if w[0] == "-")
