"""Reading a number written the ways news writes them: "2,500", "1.5 million", "$2bn", "three",
"twenty-five", "one hundred and twenty", "a dozen", "half a million", "tens of thousands".

The reader works on lower-cased token texts (as spaCy splits them), so it knows nothing of spaCy and
is easy to test; whether a number is a count at all (a year, a time, an identifier) is the quantities
layer's question. The cardinal words are ``lexicons/en/numbers.tsv`` (shared with the times layer's
durations, which read their counts here too); scales, bounds and the rest are ``quantities.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.lexicons import by_language, rows, words

# "2,500", "2500", "1.5", "2,500.75"; an optional short scale glued on ("2bn", "3.5mn", "300m").
DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]*)$")
# The same where the decimal sign is a comma (French, Spanish): "23,5", "10.000", "2,5md"; such a text
# may still write a decimal point ("23.1 %"), which DIGITS then reads.
DIGITS_COMMA = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?([a-z]*)$")


@dataclass(frozen=True)
class NumberWords:
    """The number vocabulary of lexicons/en/quantities.tsv."""

    numbers: dict[str, int]  # "three" -> 3, "twenty" -> 20
    scales: dict[str, float]  # "million" -> 1e6, "dozen" -> 12, "bn" -> 1e9
    money_scales: dict[str, float]  # "m", "k", "b": scales only beside a currency
    magnitudes: dict[str, int]  # "tens" -> 10 in "tens of thousands"
    magnitudes_of: dict[str, int]  # "thousands" -> 1000 in "tens of thousands"
    decimal_comma: bool = False  # "2,5" is two and a half (quantities.tsv: "format decimal_comma")
    space_groups: bool = False  # "365 000" is one number (quantities.tsv: "format space_groups")
    # with a decimal comma, "14,571" is still fourteen thousand (much of Latin America): "format comma_thousands"
    comma_thousands: bool = False
    joiners: frozenset[str] = frozenset({"-"})  # between a ten and a one: "twenty-five", "treinta y cinco"
    of_words: frozenset[str] = frozenset({"of"})  # "tens of thousands", "decenas de miles"
    word_scales: frozenset[str] = frozenset()  # scales that may follow a number in words
    bare_scales: frozenset[str] = frozenset()  # scales that count alone, as "a thousand": "mil personas"


@dataclass(frozen=True)
class Reading:
    """One number read from ``words[start:end]``."""

    start: int
    end: int  # index after the last word read
    value: float
    scale: float = 1.0  # the multiplier of a scale word read ("million"), 1 when none
    digits: bool = False  # written in digits ("2,500"), not in words
    magnitude: bool = False  # an order of magnitude ("tens of thousands"): a lower bound


@by_language
def cardinal_words() -> dict[str, int]:
    """The cardinal number words both layers read: "one" -> 1 ... "ninety" -> 90 (numbers.tsv)."""
    return {row[1]: int(row[2]) for row in rows("numbers.tsv") if row[0] == "number"}


@by_language
def number_words() -> NumberWords:
    tables: dict[str, dict[str, float]] = {
        k: {} for k in ("number", "scale", "money_scale", "magnitude", "magnitude_of")
    }
    tables["number"] = {w: float(v) for w, v in cardinal_words().items()}
    formats = set()
    listed: dict[str, set[str]] = {"joiner": set(), "of_word": set(), "bare_scale": set()}
    for row in rows("quantities.tsv"):
        if row[0] in tables:
            tables[row[0]][row[1]] = float(row[2])
        elif row[0] == "format":
            formats.add(row[1])
        elif row[0] in listed:
            listed[row[0]].add(row[1])
    return NumberWords(
        numbers={k: int(v) for k, v in tables["number"].items()},
        scales=tables["scale"],
        money_scales=tables["money_scale"],
        magnitudes={k: int(v) for k, v in tables["magnitude"].items()},
        magnitudes_of={k: int(v) for k, v in tables["magnitude_of"].items()},
        decimal_comma="decimal_comma" in formats,
        space_groups="space_groups" in formats,
        comma_thousands="comma_thousands" in formats,
        joiners=frozenset({"-", *listed["joiner"]}),
        of_words=frozenset(listed["of_word"] or {"of"}),
        word_scales=words("quantities_word_scales.txt"),
        bare_scales=frozenset(listed["bare_scale"]),
    )


# Scale words that may follow a number spelled in words (the language read's: NumberWords.word_scales); the
# short forms ("bn") follow digits only.


def read_number(words: Sequence[str], i: int, money: bool = False) -> Reading | None:
    """The number that starts at ``words[i]``, or None. ``money`` admits the short scales that only
    a currency makes unambiguous ("£300m")."""
    if i >= len(words):
        return None
    return _read_magnitude(words, i) or _read_digits(words, i, money) or _read_words(words, i)


def digits_value(text: str, money: bool = False) -> tuple[float, float] | None:
    """(value, scale) of one digit token ("2,500" -> (2500, 1), "2bn" -> (2e9, 1e9)), else None."""
    nw = number_words()
    thousands = nw.comma_thousands and re.fullmatch(r"\d{1,3}(?:,\d{3})+", text) is not None
    m = DIGITS_COMMA.match(text.lower()) if nw.decimal_comma and not thousands else None
    if m is not None:
        base = float(m.group(1).replace(".", "") + (m.group(2) or "").replace(",", "."))
    else:
        m = DIGITS.match(text.lower())
        if m is None:
            return None
        base = float(m.group(1).replace(",", "") + (m.group(2) or ""))
    suffix = m.group(3)
    if not suffix:
        return base, 1.0
    scale = nw.scales.get(suffix)
    if scale is None and money:
        scale = nw.money_scales.get(suffix)
    return (base * scale, scale) if scale is not None else None


def _read_digits(words: Sequence[str], i: int, money: bool) -> Reading | None:
    got = digits_value(words[i], money)
    if got is None:
        return None
    value, scale = got
    j = i + 1
    if scale == 1.0 and number_words().space_groups and re.fullmatch(r"\d{1,3}", words[i]):
        while j < len(words) and re.fullmatch(r"\d{3}", words[j]):  # "2 500 soldats", "365 000"
            value, j = value * 1000 + int(words[j]), j + 1
    if scale == 1.0:
        value, scale, j = _scale_after(words, j, value, money)
    return Reading(i, j, value, scale, digits=True)


def _scale_after(words: Sequence[str], j: int, value: float, money: bool) -> tuple[float, float, int]:
    """The scale words after digits: "1.5 million", "2 bn", "£300 m" (money only)."""
    nw = number_words()
    scale = 1.0
    while j < len(words):
        w = words[j]
        s = nw.scales.get(w) or (nw.money_scales.get(w) if money else None)
        if s is None or s <= scale:
            break
        value, scale, j = value * s, scale * s, j + 1
    return value, scale, j


def _read_magnitude(words: Sequence[str], i: int) -> Reading | None:
    """ "tens of thousands", "hundreds of millions": the lower end of the order of magnitude."""
    nw = number_words()
    if i + 2 < len(words) and words[i] in nw.magnitudes and words[i + 1] in nw.of_words:
        big = nw.magnitudes_of.get(words[i + 2])
        if big is not None:
            return Reading(i, i + 3, float(nw.magnitudes[words[i]] * big), float(big), magnitude=True)
    return None


def _kind(word: str, nw: NumberWords) -> str | None:
    if word in nw.numbers:
        v = nw.numbers[word]
        return "unit" if v < 10 else "teen" if v < 20 else "tens"
    if word == "hundred":
        return "hundred"
    if word in nw.word_scales:
        return "big"
    if word == "and":
        return word
    if word in nw.joiners:
        return "-"
    return None


# Which kind of number word may follow which: "twenty-five", "three hundred and six", "two dozen".
_NEXT = {
    "start": {"unit", "teen", "tens"},
    "a": {"hundred", "big"},
    "unit": {"hundred", "big"},
    "teen": {"hundred", "big"},
    "tens": {"unit", "-", "hundred", "big"},
    "-": {"unit"},
    "hundred": {"unit", "teen", "tens", "and", "big"},
    "big": {"unit", "teen", "tens", "and", "big"},
    "and": {"unit", "teen", "tens"},
}


def _read_words(words: Sequence[str], i: int) -> Reading | None:
    """A number in words. "a"/"an" counts as one only before a scale ("a dozen", "a million"), and
    "half a" as one half ("half a million")."""
    nw = number_words()
    j, state, current, total = i, "start", 0.0, 0.0
    if words[i] in ("a", "an"):
        j, state, current = i + 1, "a", 1.0
    elif words[i] in nw.bare_scales:
        j, state, current = i, "a", 1.0  # "mil millones": the scale itself, as "a thousand"
    elif words[i] == "half" and i + 1 < len(words) and words[i + 1] in ("a", "an"):
        j, state, current = i + 2, "a", 0.5
    good_end, good_value, scale = i, 0.0, 1.0
    while j < len(words):
        kind = _kind(words[j], nw)
        if kind is None or kind not in _NEXT[state]:
            break
        w = words[j]
        if kind in ("unit", "teen", "tens"):
            current += nw.numbers[w]
        elif kind == "hundred":
            current = (current or 1) * 100
            scale = max(scale, 100.0)
        elif kind == "big":
            s = nw.scales[w]
            if state == "big" and s <= scale:  # "million thousand" is not a number
                break
            if state == "big":  # "mil millones", "thousand million": the whole so far times the larger scale
                total, current = total * s, 0.0
            else:
                total, current = total + (current or 1) * s, 0.0
            scale = max(scale, s)
        state, j = kind, j + 1
        if kind not in ("and", "-"):
            good_end, good_value = j, total + current
        if w == "dozen":
            break
    if good_end == i or (words[i] in ("a", "an", "half") and scale == 1.0):
        return None
    return Reading(i, good_end, good_value, scale)
