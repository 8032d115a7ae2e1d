"""The French grammar of the times layer: the table of ``grammar.py`` written for French word order ("le 21
juin 2019", "vendredi dernier", "l'an passé", "il y a deux ans", "à 16 heures"), its words from
``lexicons/fr/times.tsv`` through the same ``%PIECE%`` placeholders, and the same normalisers where French
and English mean the same ("mercredi soir" and "Wednesday night" are one rule of the calendar). A group a
normaliser reads and French does not have is written as one that never matches (``_no``).
"""

from __future__ import annotations

import re

from newsgraph.layers._support import timex

from .calendar import (
    _anaphoric,
    _deictic,
    _month,
    _month_day,
    _month_year,
    _relative,
    _season,
    _t,
    _weekday,
    _year,
)
from .context import Context, Timex
from .durations import _amount, _clock_at, _duration, _ref, _vague
from .grammar import RULES as ENGLISH_RULES
from .patterns import LN, RN, L, R

# Before a part word: "au début de", "à la fin de", "en fin de", "mi-" (the ``part``/``conn`` groups).
_PFX = r"(?:(?:au|à%S%la|en)%S%)?(?P<part>%PART%)(?P<conn>%S%?-%S%?|%S%(?:de%S%(?:l['’]|la%S%)?|d['’]|du%S%))"
_PART_PREFIX = rf"(?:{_PFX})?"


def _no(*names: str) -> str:
    """Groups that never match: what an English rule's normaliser reads and French does not write."""
    return "".join(rf"(?P<{name}>(?!))?" for name in names)


def _ago(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "il y a deux ans": counted back from the publication date, as "two years ago"."""
    unit = ctx.words.units[m.group("unit").lower()]
    amount = _amount(m.group("num"), m.group("unit"))
    if amount is None or amount == "X":
        return _t(m, "DATE", "PAST_REF") if amount == "X" else None
    n = float(amount)
    if ctx.dct is None or not n.is_integer() or unit in ("H", "MIN", "S"):
        return _t(m, "DATE", None)
    return _t(m, "DATE", timex.period_value(timex.shift_day(ctx.dct, unit, -int(n)), unit), gran=unit)


def _clock(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "16 heures", "16h30", "9 h 45": a clock time of the publication day, for a day beside it."""
    return _clock_at(m, ctx, int(m.group("hh")), int(m.group("mi") or 0))


_UNITS = r"(?P<unit>an|année|mois|semaine|week-end|trimestre|siècle)"
_AFTER_SHIFT = r"(?P<shift>dernier|dernière|passé|passée|prochain|prochaine)"

RULES = (
    # what English and French write alike: ISO dates, 17/06/2009
    *(rule for rule in ENGLISH_RULES if rule[0] in ("iso", "numeric")),
    (
        "day_month",
        (
            L + r"(?:(?P<wd>%WDA%),?%S%)?(?P<day>1er|%DAY%)%S%(?P<mon>%MONTHA%)(?:,?%S%(?P<year>%Y4%))?"
            # "le 31 décembre prochain": the shift word says no more than the tense the normaliser reads
            r"(?:%S%(?:prochain|dernier))?" + RN
        ),
        _month_day,
    ),
    ("month_year", L + _PART_PREFIX + r"(?P<mon>%MONTHA%)%S%(?:de%S%)?(?P<year>%Y4%)" + RN, _month_year),
    ("year", LN + _PART_PREFIX + _no("fiscal") + r"(?P<year>%Y4%)" + RN + r"(?!%S%?%)", _year),
    (
        "season",
        (
            L + _PART_PREFIX + r"(?:(?P<the>le|l['’])%S%?)?(?P<season>%SEASON%)"
            r"(?:%S%" + _AFTER_SHIFT + r")?(?:%S%(?:de%S%)?(?P<year>%Y4%))?" + RN
        ),
        _season,
    ),
    ("anaphoric", L + r"(?P<ana>%ANA%)" + R, _anaphoric),
    (
        "ago",
        L + r"il%S%y%S%a%S%(?:(?:environ|près%S%de|plus%S%de|presque)%S%)?(?P<num>%NUM%)%S%(?P<unit>%UNIT%)" + R,
        _ago,
    ),
    ("relative_this", L + r"(?P<shift>cet|cette|ce)%S%" + _UNITS + _no("the", "the2", "part") + R, _relative),
    (
        "relative_last",
        L + r"(?P<the>l['’]|la%S%|le%S%)" + _UNITS + r"%S%" + _AFTER_SHIFT + _no("the2", "part") + R,
        _relative,
    ),
    (
        "weekday",
        (
            L + _PART_PREFIX + r"(?P<wd>%WD%)(?:%S%(?P<dp>%DAYPART%))?"
            r"(?:%S%" + _AFTER_SHIFT + r")?" + R
        ),
        _weekday,
    ),
    ("deictic", L + _no("part") + r"(?P<deic>%DEICTIC%)(?:%S%(?P<dp>%DAYPART%))?" + R, _deictic),
    ("vague", L + r"(?:(?:au%S%cours%S%)?des|ces|les)%S%(?P<vp>%VAGUE%)%S%(?P<unit>%UNIT%)" + R, _vague),
    ("clock", LN + r"(?P<hh>[01]?\d|2[0-3])%S%?(?:h|heures?)(?:%S%?(?P<mi>[0-5]\d))?" + R, _clock),
    (
        "duration",
        (
            L
            + r"(?:(?P<approx>%APPROX%)%S%)?"
            + _no("the", "dir", "half", "half2")
            + r"(?P<num>%NUM%)%S%(?P<unit>%UNIT%)"
            + R
        ),
        _duration,
    ),
    ("ref", L + r"(?P<ref>%REF%)(?![\w-])", _ref),
    ("month", L + _PART_PREFIX + r"(?P<mon>%MONTH%)(?:%S%" + _AFTER_SHIFT + r")?(?![\w-])", _month),
)
