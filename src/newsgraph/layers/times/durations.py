"""Normalisers, part two: counted time ("three years ago", "two days later", durations), vague and
present/past/future references ("recently", "now"), sets ("every week", "twice a year", "daily") and
clock times ("3 p.m.", "15:00 GMT", "noon").
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.layers._support import timex
from newsgraph.layers._support.numbers import read_number
from newsgraph.layers._support.timex import time_words

from .calendar import _month_number, _t, _words
from .context import Context, Timex
from .patterns import AGE_AFTER, S, _alternation


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
    if unit in ("H", "MIN", "S"):
        # "two hours ago": the publication day (its hour unknown), whole days back for "36 hours ago"
        hours = int(n) if unit == "H" else 0
        day = ctx.dct + dt.timedelta(days=sign * (hours // 24))
    else:
        day = timex.shift_day(ctx.dct, unit, sign * int(n))
    if unit in ("DE", "CE"):
        unit = gran = "Y"  # "a decade ago" is the year ten years back (2009), as "three years ago" is 2016
    return _t(m, "DATE", timex.period_value(day, unit), mod, gran=gran)


def _amount(num: str | None, unit_word: str) -> str | None:
    """The count of a duration: "two" -> "2", "several" -> "X", none before a plural -> "X"; None when
    the number and the unit disagree ("a days")."""
    plural = unit_word.lower().endswith(("s", "ies")) and unit_word.lower() not in ("s",)
    if num is None:
        return "X" if plural else None
    word = _words(num)
    numbers = time_words().numbers
    half = re.fullmatch(r"(\d+)(?: 1/2|-1/2|½)", word)
    if half:
        value = timex.number_text(int(half.group(1)) + 0.5)
    elif word in numbers:
        value = numbers[word]
    else:  # digits ("1,500") or a number in words ("twenty-five"), read by the one number reader
        tokens = [t for t in re.split(r"(-)|\s+", word) if t]
        reading = read_number(tokens, 0)
        if reading is None or reading.end != len(tokens) or reading.scale != 1.0:
            return None  # "ten five" is no number; nor is a scaled one a duration's count
        value = timex.number_text(reading.value)
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
    if offset and not ctx.timeml and ctx.word_before(m.start()) not in ctx.words.duration_cues:
        # "one day after the attack": a relation between events, not a time of the article; but "held the
        # seat for 30 years before he retired" is how long
        return None
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
    shift = ctx.words.shifts.get((m.group("dir") or "").lower(), 0)
    if amount == "X" and shift and not ctx.timeml and ctx.word_before(m.start()) not in ctx.words.length_cues:
        # "over the past few months", "within the next few weeks": a vague stretch before or after now, as the
        # news reader has "recently" and "soon"; "for the past few months" is how long (TimeML: a duration)
        return _t(m, "DATE", "PAST_REF" if shift < 0 else "FUTURE_REF")
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
