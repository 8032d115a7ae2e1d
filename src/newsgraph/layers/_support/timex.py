"""TIMEX3 values: the time words of ``lexicons/en/times.tsv`` and the calendar arithmetic behind them.

Nothing here reads text. ``layers/times`` finds the expressions and says what they mean ("the Thursday
before the anchor", "three years before the anchor, at year granularity"); the functions below turn
that into a TimeML value string (``2021-12-09``, ``2021-W48``, ``2020``, ``199``, ``P2W``). Keeping the
arithmetic apart makes it testable without a parse and keeps the word lists editable as data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from newsgraph.layers._support.numbers import cardinal_words
from newsgraph.lexicons import by_language, rows

# TIMEX3 duration unit -> (designator, multiplier, time part?): a decade is ten years, and so on.
DURATION_UNITS: dict[str, tuple[str, int, bool]] = {
    "Y": ("Y", 1, False),
    "M": ("M", 1, False),
    "W": ("W", 1, False),
    "2W": ("W", 2, False),
    "D": ("D", 1, False),
    "WE": ("D", 2, False),
    "H": ("H", 1, True),
    "MIN": ("M", 1, True),
    "S": ("S", 1, True),
    "DE": ("Y", 10, False),
    "CE": ("Y", 100, False),
    "Q": ("M", 3, False),
}
# A fraction of a unit in the next smaller one, so "a year and a half" is P18M, not P1.5Y.
SMALLER: dict[str, tuple[str, int]] = {
    "Y": ("M", 12),
    "M": ("D", 30),
    "W": ("D", 7),
    "D": ("H", 24),
    "H": ("MIN", 60),
    "MIN": ("S", 60),
    "DE": ("Y", 10),
    "CE": ("Y", 100),
    "Q": ("M", 3),
}
# Without a tense, a month or date this close ahead is the coming one; further ahead, the last one.
FUTURE_WINDOW_DAYS = 92
# Meteorological seasons by the month they start in (winter runs over the new year).
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class TimeWords:
    """The word classes of times.tsv, keyed by lower-cased word unless noted."""

    months: dict[str, int]  # exact capitalised spelling -> month number
    month_abbr: frozenset[str]  # spellings that count only beside a day or a year
    month_context: frozenset[str]  # spellings that alone need a time word before them ("in May")
    weekdays: dict[str, int]  # exact capitalised spelling -> ISO weekday
    weekday_abbr: frozenset[str]
    numbers: dict[str, str]  # "two" -> "2", "several" -> "X"
    ordinals: dict[str, int]
    units: dict[str, str]  # "weeks" -> "W"
    parts: dict[str, str]  # "early" -> "START"
    seasons: dict[str, str]
    dayparts: dict[str, str]  # "morning" -> "MO", "noon" -> "12:00"
    deictic: dict[str, tuple[int, str | None]]  # "yesterday" -> (-1, None), "tonight" -> (0, "NI")
    refs: dict[str, str]
    timeml_refs: frozenset[str]  # refs only the TimeML convention marks ("now")
    adjective_refs: frozenset[str]  # refs that count only before a noun ("current")
    vague_plural: dict[str, str]
    shifts: dict[str, int]
    approx: dict[str, str]
    frequency: dict[str, str]
    future_cues: frozenset[str]
    future_verbs: frozenset[str]
    defer_verbs: frozenset[str]  # "postpone": "postponed until Saturday" is the coming Saturday
    holidays: dict[str, Holiday]  # exact spelling -> its rule
    decade_words: dict[str, int]
    anaphoric: dict[str, tuple[str, int]]  # "the next day" -> ("D", 1)
    anaphoric_parts: dict[str, str]  # "that evening" -> "EV": the part of the day an anaphoric day names
    time_preps: frozenset[str]  # words before a bare month, season or year that make it a time
    duration_cues: frozenset[str]  # words before a bare plural unit that make it a duration
    offset_words: frozenset[str]  # words after "N units" that make it an offset from an event
    modals: frozenset[str]
    clock_zones: frozenset[str]  # exact spelling
    clock_joins: frozenset[str] = frozenset()  # between a clock time and its day: "8 p.m. on Friday", "del domingo"
    length_cues: frozenset[str] = frozenset()  # "for the past few months" is how long, not a vague past
    game_words: frozenset[str] = frozenset()  # words of a game report ("rebounds"): its quarters are periods of play


@by_language
def time_words() -> TimeWords:
    """The lexicon, loaded once."""
    by_class: dict[str, list[list[str]]] = {}
    for row in rows("times.tsv"):
        by_class.setdefault(row[0], []).append([*row[1:], "", ""])

    def flagged(cls: str, flag: str) -> frozenset[str]:
        return frozenset(r[0] for r in by_class.get(cls, []) if flag in r[2].split(","))

    def table(cls: str) -> dict[str, str]:
        return {r[0].lower(): r[1] for r in by_class.get(cls, [])}

    deictic: dict[str, tuple[int, str | None]] = {}
    for word, value in table("deictic").items():
        days, _, part = value.partition(":")
        deictic[word] = (int(days), part or None)
    anaphoric: dict[str, tuple[str, int]] = {}
    anaphoric_parts: dict[str, str] = {}
    for word, value in table("anaphoric").items():
        unit, offset = value.split()
        offset, _, part = offset.partition(":")  # "D 0:EV": that day's evening
        anaphoric[word] = (unit, int(offset))
        if part:
            anaphoric_parts[word] = part
    holidays = {r[0]: Holiday.parse(r[1]) for r in by_class.get("holiday", [])}
    return TimeWords(
        months={r[0]: int(r[1]) for r in by_class["month"]},
        month_abbr=flagged("month", "abbr"),
        month_context=flagged("month", "context"),
        weekdays={r[0]: int(r[1]) for r in by_class["weekday"]},
        weekday_abbr=flagged("weekday", "abbr"),
        numbers={**{w: str(v) for w, v in cardinal_words().items()}, **table("number")},
        ordinals={k: int(v) for k, v in table("ordinal").items()},
        units=table("unit"),
        parts=table("part"),
        seasons=table("season"),
        dayparts=table("daypart"),
        deictic=deictic,
        refs=table("ref"),
        timeml_refs=frozenset(w.lower() for w in flagged("ref", "timeml")),
        adjective_refs=frozenset(w.lower() for w in flagged("ref", "adjective")),
        vague_plural=table("vague_plural"),
        shifts={k: int(v) for k, v in table("shift").items()},
        approx=table("approx"),
        frequency=table("frequency"),
        future_cues=frozenset(table("future_cue")),
        future_verbs=frozenset(table("future_verb")),
        defer_verbs=frozenset(table("defer_verb")),
        holidays=holidays,
        decade_words={k: int(v) for k, v in table("decade_word").items()},
        anaphoric=anaphoric,
        anaphoric_parts=anaphoric_parts,
        time_preps=frozenset(table("time_prep")),
        duration_cues=frozenset(table("duration_cue")),
        offset_words=frozenset(table("offset_word")),
        modals=frozenset(table("modal")),
        clock_zones=frozenset(r[0] for r in by_class.get("clock_zone", [])),
        clock_joins=frozenset(table("clock_join")),
        length_cues=frozenset(table("length_cue")),
        game_words=frozenset(table("game_word")),
    )


# ---- formatting ----------------------------------------------------------------------------------


def day_value(d: dt.date) -> str:
    return d.isoformat()


def week_value(d: dt.date) -> str:
    """The ISO week of a day, as TIMEX3 writes it: 2021-W49."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def period_value(d: dt.date, unit: str) -> str:
    """The value of the period of a given unit that contains day d (the granularity of "last month")."""
    if unit in ("D", "H", "MIN", "S"):
        return day_value(d)
    if unit in ("W", "2W"):
        return week_value(d)
    if unit == "WE":
        return week_value(d) + "-WE"
    if unit == "M":
        return month_value(d.year, d.month)
    if unit == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "DE":
        return f"{d.year // 10:03d}"
    if unit == "CE":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def number_text(n: float) -> str:
    """2.0 -> "2", 1.5 -> "1.5"."""
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def duration_value(amount: str, unit: str) -> str:
    """TIMEX3 duration: ("2", "W") -> P2W, ("24", "H") -> PT24H, ("X", "M") -> PXM, ("1.5", "Y") -> P18M."""
    if amount != "X":
        n = float(amount)
        if not n.is_integer() and unit in SMALLER:
            smaller, factor = SMALLER[unit]
            return duration_value(number_text(n * factor), smaller)
    designator, multiplier, time_part = DURATION_UNITS.get(unit, ("Y", 1, False))
    if unit in ("DE", "CE", "Q") and amount == "X":
        designator, multiplier = unit, 1
    count = "X" if amount == "X" else number_text(float(amount) * multiplier)
    return f"P{'T' if time_part else ''}{count}{designator}"


# ---- arithmetic ----------------------------------------------------------------------------------


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def shift_day(d: dt.date, unit: str, n: int) -> dt.date:
    """Day d moved n units (calendar-aware for months and longer; the day is clamped to the month)."""
    if unit in ("D", "H", "MIN", "S"):
        return d + dt.timedelta(days=n)
    if unit in ("W", "WE"):
        return d + dt.timedelta(weeks=n)
    if unit == "2W":
        return d + dt.timedelta(weeks=2 * n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit, 12) * n
    year, month = add_months(d.year, d.month, months)
    return safe_date(year, month, d.day)


def safe_date(year: int, month: int, day: int) -> dt.date:
    """The date, or the month's last day when the day is past it (Feb 29 in a common year)."""
    for d in (day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day, d))
        except ValueError:
            continue
    raise ValueError(f"no such date: {year}-{month}-{day}")


def weekday_date(anchor: dt.date, weekday: int, direction: int) -> dt.date:
    """The weekday nearest the anchor in a direction: -1 the last one (the anchor itself counts), +1 the
    next one (the anchor counts), 0 whichever is nearer (the past one on a tie)."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if direction < 0 or (direction == 0 and back <= ahead):
        return anchor - dt.timedelta(days=back)
    return anchor + dt.timedelta(days=ahead)


def strict_weekday(anchor: dt.date, weekday: int, shift: int) -> dt.date:
    """ "last Friday" (shift -1): the one before the anchor, never the anchor; "next Friday": the one after;
    "this Friday": the one in the anchor's ISO week."""
    if shift < 0:
        return anchor - dt.timedelta(days=(anchor.isoweekday() - weekday - 1) % 7 + 1)
    if shift > 0:
        return anchor + dt.timedelta(days=(weekday - anchor.isoweekday() - 1) % 7 + 1)
    return anchor + dt.timedelta(days=weekday - anchor.isoweekday())


WEEKDAY_CODES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Holiday:
    """When a holiday falls in a year: a fixed day ("12-25"), the n-th weekday of a month ("11-Thu-4":
    Thanksgiving; "05-Mon--1": the last Monday of May), days after it ("11-Thu-4+1": Black Friday), or a
    day counted from Easter Sunday ("easter-2": Good Friday)."""

    month: int = 0
    day: int = 0
    weekday: int | None = None
    nth: int = 0
    offset: int = 0
    easter: bool = False

    @classmethod
    def parse(cls, text: str) -> Holiday:
        if text.startswith("easter"):
            return cls(offset=int(text[len("easter") :] or 0), easter=True)
        base, _, plus = text.partition("+")
        parts = base.split("-", 2)
        if len(parts) == 2:
            return cls(int(parts[0]), int(parts[1]))
        return cls(int(parts[0]), 0, WEEKDAY_CODES.index(parts[1]), int(parts[2]), int(plus or 0))

    def on(self, year: int) -> dt.date:
        if self.easter:
            return easter_sunday(year) + dt.timedelta(days=self.offset)
        if self.weekday is None:
            return safe_date(year, self.month, self.day)
        if self.nth > 0:
            first = dt.date(year, self.month, 1)
            day = first + dt.timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))
        else:  # counted from the month's end: -1 the last
            y, m = add_months(year, self.month, 1)
            last = dt.date(y, m, 1) - dt.timedelta(days=1)
            day = last - dt.timedelta(days=(last.weekday() - self.weekday) % 7 + 7 * (-self.nth - 1))
        return day + dt.timedelta(days=self.offset)

    def nearest(self, anchor: dt.date, direction: int) -> dt.date:
        """Its day nearest the anchor in a direction, as ``nearest_year`` chooses a fixed day's year."""
        days = [self.on(y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        if direction < 0:
            return max(d for d in days if d <= anchor)
        ahead = min(d for d in days if d >= anchor)
        if direction > 0 or (ahead - anchor).days <= FUTURE_WINDOW_DAYS:
            return ahead
        return max(d for d in days if d <= anchor)


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nearest_year(anchor: dt.date, month: int, day: int | None, direction: int) -> int:
    """The year that puts a month (and day) nearest the anchor in a direction: for the past the latest
    one on or before the anchor, for the future the first one on or after it, else the nearer."""
    candidates = [anchor.year - 1, anchor.year, anchor.year + 1]

    def start(year: int) -> dt.date:
        return safe_date(year, month, day or 1)

    def end(year: int) -> dt.date:
        if day is not None:
            return safe_date(year, month, day)
        y, m = add_months(year, month, 1)
        return dt.date(y, m, 1) - dt.timedelta(days=1)

    if direction < 0:
        return max(y for y in candidates if start(y) <= anchor)
    ahead = min(y for y in candidates if end(y) >= anchor)
    if direction > 0:
        return ahead
    # no tense to go by: news mostly reports the past, so the past one unless the coming one is close
    if start(ahead) <= anchor or (start(ahead) - anchor).days <= FUTURE_WINDOW_DAYS:
        return ahead
    return max(y for y in candidates if start(y) <= anchor)


def season_value(anchor: dt.date, season: str, shift: int | None, direction: int) -> str:
    """ "last summer", "this winter", "in the spring": the season's occurrence relative to the anchor.
    Winter belongs to the year it starts in (2012-WI runs December 2012 to February 2013)."""
    month = SEASON_START[season]
    # the season containing or most recently started before the anchor, as (year, start month)
    year = anchor.year if anchor.month >= month else anchor.year - 1
    if season == "WI" and anchor.month < 3:
        year = anchor.year - 1
    start = dt.date(year, month, 1)
    end_year, end_month = add_months(year, month, 3)
    running = anchor < dt.date(end_year, end_month, 1)
    if shift == 0:
        return f"{anchor.year - 1 if season == 'WI' and anchor.month < 3 else anchor.year:04d}-{season}"
    if shift is not None:
        if shift < 0:
            year = year - 1 if running else year
        elif shift > 0:
            year = year + 1
        return f"{year:04d}-{season}"
    if (direction > 0 and not running) or (direction == 0 and not running and (anchor - start).days > 183):
        year += 1
    return f"{year:04d}-{season}"
