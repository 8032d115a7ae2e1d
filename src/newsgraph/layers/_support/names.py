"""Names spaCy leaves incomplete: state bodies written in lower case, people known by surname only.

- "Russia's foreign ministry", "the French foreign ministry" name a body: Russian Foreign Ministry.
- A person spaCy found only as "Persson" whose full name stands elsewhere in the text
  ("Eva-Marie Persson", a hyphenated first name the small model misses) gets that name.
- A person the article names by surname only ("President Trump") gets the full name from the
  people lexicon when that surname is a distinctive one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from newsgraph.layers._support.lexicon import Lexicon
from newsgraph.lexicons import alternation

BODY_KINDS = alternation("entities_ministry_kinds.txt")  # what a ministry is of: "foreign", "defence", "oil"
_MINISTRY = re.compile(rf"\b((?:{BODY_KINDS})\s+ministry)\b", re.IGNORECASE)
_OWNER = re.compile(r"((?:[A-Z][\w.]*\s)?[A-Z][\w.]*)(?:'s)?\s+$")


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


def full_name_in_text(text: str, surname: str, lex: Lexicon) -> NamedSpan | None:
    """ "Eva-Marie Persson" written somewhere for a person known as "Persson": the first such form."""
    pattern = re.compile(rf"\b([A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?)\s+{re.escape(surname)}\b")
    for m in pattern.finditer(text):
        first = m.group(1)
        low = first.lower().rstrip(".")
        if low in STOP_WORDS or low in lex.titles or low in lex.role_nouns or lex.country_of_word(first):
            continue
        if first in lex.names:
            continue
        return NamedSpan(m.start(), m.end(), f"{first} {surname}", None)
    return None


def known_person(surname: str, lex: Lexicon) -> str | None:
    """The full name of a widely reported person known by this surname, if the lexicon has one."""
    return lex.people.get(surname)
