"""The grammar of the times layer, as a table: one row per rule, (name, template, normaliser), most
specific first (the order breaks ties between equally long matches). A template is a regular
expression with ``%PIECE%`` placeholders for the word classes of ``lexicons/en/times.tsv`` (see
``patterns._pieces``); ``_rules`` compiles the table once, case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsgraph.lexicons import by_language, current

from .calendar import (
    _anaphoric,
    _century,
    _decade,
    _deictic,
    _holiday,
    _iso,
    _month,
    _month_day,
    _month_shifted_year,
    _month_year,
    _numeric,
    _period_end,
    _quarter,
    _relative,
    _season,
    _weekday,
    _year,
    _year_ago,
    _year_tail,
)
from .context import Context, Timex
from .durations import (
    _ago,
    _clock,
    _clock24,
    _clock_word,
    _duration,
    _duration_first,
    _frequency,
    _ref,
    _set_every,
    _set_rate,
    _set_times,
    _vague,
)
from .patterns import _DECADE, _DURATION, _PART_PREFIX, _QUARTER, LN, RN, L, R, _compile

Normaliser = Callable[[re.Match[str], Context], "Timex | None"]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    normalise: Normaliser


# (name, template, normaliser)
RULES: tuple[tuple[str, str, Normaliser], ...] = (
    (
        "iso",
        (
            LN + r"(?P<year>%Y4%)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
            r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?(?![\w/-])"
        ),
        _iso,
    ),
    (
        "numeric",
        LN + r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>%Y4%|\d\d)" + RN + r"(?!-)",
        _numeric,
    ),
    (
        "month_day",
        (
            L + r"(?:(?P<wd>%WDA%),?%S%)?(?P<mon>%MONTHA%)%S%(?:the%S%)?(?P<day>%DAY%)"
            r"(?:,?%S%(?P<year>%Y4%))?" + RN
        ),
        _month_day,
    ),
    (
        "day_month",
        (
            L + r"(?:(?P<wd>%WDA%),?%S%)?(?:the%S%)?(?P<day>%DAY%)(?:%S%of)?%S%(?P<mon>%MONTHA%)"
            r"(?:,?%S%(?P<year>%Y4%))?" + RN
        ),
        _month_day,
    ),
    ("month_year", L + _PART_PREFIX + r"(?P<mon>%MONTHA%),?%S%(?:of%S%)?(?P<year>%Y4%)" + RN, _month_year),
    (
        "month_shifted_year",
        (
            L
            + _PART_PREFIX
            + r"(?P<mon>%MONTHA%)(?:%S%(?P<day>%DAY%))?,?%S%(?:of%S%)?(?P<shift>this|last|next)%S%year"
            + R
            + r"(?!['’]s)"
        ),
        _month_shifted_year,
    ),
    ("quarter", L + r"(?:the%S%)?" + _QUARTER + RN, _quarter),
    (
        "quarter_code",
        r"(?-i:" + L + r"(?:(?P<year>%Y4%)%S%)?(?P<q>[QH])(?P<ord>[1-4])(?:%S%(?P<year2>%Y4%))?" + RN + ")",
        _quarter,
    ),
    ("decade", L + r"(?:(?:the%S%)?%PFX%|(?P<the>the)%S%)?" + _DECADE + R, _decade),
    (
        "century",
        L + r"(?:(?:the%S%)?%PFX%|the%S%)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<ordw>%ORD%))(?:-|%S%)century" + R,
        _century,
    ),
    ("year_tail", r"(?<=\d\d\d\d[-–])(?:(?P<year>%Y4%)|(?P<yy>\d\d))" + RN, _year_tail),
    (
        "year",
        LN + _PART_PREFIX + r"(?:(?P<fiscal>fiscal(?:%S%year)?|FY|the%S%year)%S%?)?(?P<year>%Y4%)" + RN + r"(?!%S%?%)",
        _year,
    ),
    (
        "season",
        (
            L + _PART_PREFIX + r"(?:(?P<shift>%SHIFT%)%S%|(?P<the>the)%S%)?(?P<season>%SEASON%)"
            r"(?:%S%(?:of%S%)?(?P<year>%Y4%))?" + RN
        ),
        _season,
    ),
    ("holiday", L + r"(?:(?P<shift>%SHIFT%)%S%)?(?P<hol>%HOLIDAY%)(?:%S%(?P<year>%Y4%))?" + RN, _holiday),
    ("anaphoric", L + r"(?P<ana>%ANA%)" + R, _anaphoric),
    (
        "ago",
        (
            L + r"(?:(?P<approx>%APPROX%|just)%S%)?(?:(?P<num>%NUM%)(?:%S%|-))?(?P<unit>%UNIT%)"
            r"(?P<orso>%S%or%S%so)?%S%(?P<dir>ago|earlier|later|from%S%now|hence)" + R
        ),
        _ago,
    ),
    (
        "relative",
        (
            L + _PART_PREFIX + r"(?:(?:(?P<the2>the)%S%)?(?P<shift>%SHIFT%)%S%|(?P<the>the)%S%)?"
            r"(?:fiscal%S%)?(?P<unit>week|weekend|month|year|decade|century|quarter)(?![\w-])"
        ),
        _relative,
    ),
    (
        "year_ago",
        (
            L + r"(?:the%S%)?(?:comparable%S%)?year-(?:earlier|ago)"
            r"(?:%S%(?:(?P<ord>first|second|third|fourth)%S%)?(?P<unit>quarter|period|month|week))?" + R
        ),
        _year_ago,
    ),
    ("period_end", L + r"(?:the%S%)?(?P<unit>year|month|quarter)(?:-|%S%)end" + R, _period_end),
    ("weekday", L + _PART_PREFIX + r"(?:(?P<shift>%SHIFT%)%S%)?(?P<wd>%WD%)(?:%S%(?P<dp>%DAYPART%))?" + R, _weekday),
    ("deictic", L + r"(?:(?P<part>%PART%)%S%)?(?P<deic>%DEICTIC%)(?:%S%(?P<dp>%DAYPART%))?" + R, _deictic),
    ("vague", L + r"(?:the%S%)?(?P<vp>%VAGUE%)%S%(?P<unit>%UNIT%)" + R, _vague),
    (
        "set_every",
        (
            L + r"(?:every|each)%S%(?:(?P<other>other)%S%|(?P<num>%NUM%)%S%)?"
            r"(?:(?P<unit>%UNIT%)|(?P<wd>%WD%)|(?P<mon>%MONTH%)|(?P<dp>%DAYPART%)|(?P<season>%SEASON%))" + R
        ),
        _set_every,
    ),
    (
        "set_times",
        (
            L + r"(?:(?P<times>once|twice|thrice)|(?P<num>%NUM%)%S%times)%S%(?:a|an|per|every|each)%S%"
            r"(?P<unit>%UNIT%)" + R
        ),
        _set_times,
    ),
    ("set_rate", L + r"(?:a|an|per)%S%(?P<unit>year|month|week|day|hour)" + R, _set_rate),
    ("frequency", L + r"(?P<freq>%FREQ%)" + R, _frequency),
    (
        "clock",
        (
            LN + r"(?P<hh>\d{1,2})(?:[:.](?P<mi>[0-5]\d))?%S%?(?P<ap>[ap]\.?m\b\.?)"
            r"(?:%S%(?P<tz>%ZONE%))?(?![\w])"
        ),
        _clock,
    ),
    (
        "clock24",
        (
            # "20:00hrs", "23:00 hours": the police and court style of the Caribbean, Africa and South Asia
            LN + r"(?P<hh>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?(?:%S%?hrs\.?|%S%hours)?"
            r"(?:%S%(?P<tz>%ZONE%))?" + RN
        ),
        _clock24,
    ),
    ("clock_word", L + r"(?P<word>noon|midnight|midday)" + R, _clock_word),
    ("duration", L + _DURATION + R, _duration),
    (
        "duration_first",
        LN + r"(?P<num>%NUM%)(?=%S%(?:and|or|to)%S%(?:%NUM%)(?:%S%|-)(?P<unit>%UNIT%)\b)",
        _duration_first,
    ),
    ("ref", L + r"(?P<ref>%REF%)(?![\w-])", _ref),
    ("month", L + _PART_PREFIX + r"(?:(?P<shift>%SHIFT%)%S%)?(?P<mon>%MONTH%)(?![\w-])", _month),
)


@by_language
def _rules() -> list[Rule]:
    """The grammar of the language read, most specific first (the order breaks ties between equally long
    matches): this table for English, ``grammar_fr`` for French, ``grammar_es`` for Spanish."""
    table = RULES
    if current() == "fr":
        from .grammar_fr import RULES as table
    elif current() == "es":
        from .grammar_es import RULES as table
    return [Rule(name, _compile(template), normalise) for name, template, normalise in table]
