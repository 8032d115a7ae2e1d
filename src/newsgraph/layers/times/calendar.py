"""Normalisers, part one: the helpers every normaliser shares, and the calendar (dates, months, years,
decades, centuries, seasons, holidays, quarters, "last week", weekdays, "today", "the next day").

A normaliser takes a rule's match and the ``Context`` and returns the ``Timex`` it means, or None when
the match is no time expression after all (a check the pattern cannot make).
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.layers._support import timex
from newsgraph.layers._support.timex import time_words

from .context import Context, Timex
from .patterns import NOT_YEAR_BEFORE, S

# spaCy labels under which a month or weekday word is part of a name.
NAME_LABELS = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "PRODUCT", "LAW", "EVENT"}


# ---- shared by the normalisers -------------------------------------------------------------------


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


# ---- the calendar --------------------------------------------------------------------------------


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
        found = _t(m, "DATE", dt.date(year_given, month, day).isoformat() if valid else None, gran="D")
        found.year = "written"
        return found
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
    found = _t(m, "DATE", timex.safe_date(year, month, day).isoformat(), gran="D")
    found.year = None if m.group("wd") else "guessed"  # a weekday fixes the year itself
    return found


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
    holiday = ctx.words.holidays[m.group("hol")]
    if re.match(r"\s+[A-Z][a-z]", ctx.after(m.end(), 3)) and not m.group("year"):
        return None  # "the Good Friday Agreement", "Thanksgiving Parade": a name
    if m.group("year"):
        return _t(m, "DATE", holiday.on(int(m.group("year"))).isoformat(), gran="D")
    if ctx.dct is None:
        return _t(m, "DATE", None, gran="D")
    shift_word = (m.group("shift") or "").lower()
    direction = ctx.words.shifts[shift_word] if shift_word else ctx.direction(m.start(), m.end())
    found = _t(m, "DATE", holiday.nearest(ctx.dct, direction).isoformat(), gran="D")
    # a fixed day ("Christmas") takes a story's year as a day does; not "last Christmas", nor Easter's
    fixed = holiday.weekday is None and not holiday.easter
    found.year = "guessed" if fixed and not shift_word else None
    return found


def _quarter(m: re.Match[str], ctx: Context) -> Timex | None:
    groups = m.groupdict()
    ordinal = groups["ord"].lower()
    n = int(ordinal[0]) if ordinal[0].isdigit() else ctx.words.ordinals[ordinal]
    q = (groups["q"] or "").lower()
    kind = "H" if q in ("half", "h") or ctx.words.units.get(q) == "HY" else "Q"  # "semestre": a half year
    if kind == "H" and n > 2:
        return None
    year_text = groups.get("year") or groups.get("year2") or groups.get("year0")
    shift_word = (groups.get("shift") or groups.get("yshift") or "").lower()
    if kind == "H" and not (year_text or shift_word or groups.get("this")):
        return None  # "the second half" of a match
    if not (year_text or shift_word or groups.get("this")) and ctx.game_report:
        return None  # "the third quarter belonged to Embiid"
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
        # "the weekend": the last one for the past, the coming one for the future; with no tense to go
        # by the nearer one (from Monday to Wednesday the last, as with a weekday)
        direction = ctx.direction(m.start(), m.end())
        weekday = ctx.dct.isoweekday()
        if direction == 0 and weekday < 6:
            direction = -1 if weekday <= 3 else 1
        # from a weekday: the last weekend, or this week's coming one; on a weekend: this one, or the next
        shift = (-1 if direction < 0 else 0) if weekday < 6 else (1 if direction > 0 else 0)
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
    found.part = ctx.words.anaphoric_parts.get(phrase)
    if found.part:
        found.type = "TIME"  # "that evening": a part of the day the text fixes
    return found
