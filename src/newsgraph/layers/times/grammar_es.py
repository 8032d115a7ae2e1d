"""The Spanish grammar of the times layer: the table of ``grammar.py`` written for Spanish word order ("el 3
de marzo de 2019", "el jueves pasado", "el próximo lunes", "hace dos semanas", "a finales de año", "a las
11"), its words from ``lexicons/es/times.tsv`` through the same ``%PIECE%`` placeholders, and the same
normalisers where Spanish and English mean the same. A group a normaliser reads and Spanish does not have is
written as one that never matches (``_no``), as in ``grammar_fr``.
"""

from __future__ import annotations

import re

from newsgraph.layers._support import timex

from .calendar import (
    _anaphoric,
    _decade,
    _deictic,
    _holiday,
    _month,
    _month_day,
    _month_year,
    _quarter,
    _relative,
    _season,
    _t,
    _weekday,
    _year,
)
from .context import Context, Timex
from .durations import _amount, _clock_at, _duration, _frequency, _ref, _vague
from .grammar import RULES as ENGLISH_RULES
from .grammar_fr import _no
from .patterns import LN, RN, L, R

# Before a part word: "a finales de", "a principios del", "hacia mediados de" (the ``part``/``conn`` groups).
_PFX = r"(?:(?:a|al|en|hacia|desde|hasta|para)%S%)?(?P<part>%PART%)(?P<conn>%S%(?:de%S%(?:la%S%|el%S%)?|del%S%))"
_PART_PREFIX = rf"(?:{_PFX})?"
# "próximo", "pasado" before or after the word they shift; "que viene", "en curso" only after it
_SHIFT_BEFORE = r"(?P<shift>próximo|próxima|pasado|pasada|este|esta)"
_SHIFT_AFTER = r"(?P<shift>pasado|pasada|anterior|próximo|próxima|que%S%viene|entrante|en%S%curso)"
_WEEKDAY_SHIFT = r"(?P<shift>pasado|próximo|que%S%viene)"
_DAYPART = r"(?:%S%(?:por%S%la%S%|en%S%la%S%|a%S%la%S%)?(?P<dp>%DAYPART%))?"
_UNITS = r"(?P<unit>año|mes|semana|fin%S%de%S%semana|trimestre|semestre|siglo|década)"
# "un año", "una semana": the article is the count where a unit follows it
_ONE = r"(?:un|una|%NUM%)"


def _ago(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "hace dos semanas": counted back from the publication date, as "two weeks ago"; "desde hace 106
    años" is how long, a duration."""
    unit_word = m.group("unit")
    unit = ctx.words.units[unit_word.lower()]
    num = m.group("num")
    amount = "1" if num.lower() in ("un", "una") else _amount(num, unit_word)
    if amount is None:
        return None
    if ctx.word_before(m.start()) == "desde":
        return _t(m, "DURATION", timex.duration_value(amount, unit))
    if amount == "X":
        return _t(m, "DATE", "PAST_REF")
    n = float(amount)
    if ctx.dct is None or not n.is_integer() or unit in ("H", "MIN", "S"):
        return _t(m, "DATE", None)
    return _t(m, "DATE", timex.period_value(timex.shift_day(ctx.dct, unit, -int(n)), unit), gran=unit)


def _clock(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "a las 11", "las 3:41", "a las 16 horas", "las 12 del mediodía": a clock time of the publication day,
    for a day beside it (Spanish writes the hour after "las", which is what tells it from a count)."""
    hour = int(m.group("hh"))
    if m.group("pm") and hour < 12:
        hour += 12
    return _clock_at(m, ctx, hour, int(m.group("mi") or 0))


def _weekday_ahead(m: re.Match[str], ctx: Context) -> Timex | None:
    """ "convocó la sesión para el jueves": the coming Thursday, though the verb is past."""
    weekday = ctx.words.weekdays[m.group("wd")]
    dp = (m.group("dp") or "").lower()
    kind = "TIME" if dp else "DATE"
    if ctx.dct is None:
        return _t(m, kind, None, gran="D")
    day = timex.weekday_date(ctx.dct, weekday, 1)
    return _t(m, kind, day.isoformat() + (f"T{ctx.words.dayparts[dp]}" if dp else ""), gran="D")


RULES = (
    # what English and Spanish write alike: ISO dates, 17/06/2009
    *(rule for rule in ENGLISH_RULES if rule[0] in ("iso", "numeric")),
    (
        "day_month",
        (
            # "el 3 de marzo de 2019", "el próximo miércoles 18 de mayo", "el sábado 9 abril", "1º de mayo";
            # a shift word says no more than the tense the normaliser reads ("el 27 de marzo pasado")
            L + r"(?:(?:próximo|pasado)%S%)?(?:(?P<wd>%WDA%),?%S%)?(?P<day>1º|1°|%DAY%)%S%(?:de%S%)?(?P<mon>%MONTHA%)"
            r"(?:,?%S%(?:de%S%|del%S%)?(?P<year>%Y4%))?(?:%S%(?:próximo|pasado))?" + RN
        ),
        _month_day,
    ),
    ("month_year", L + _PART_PREFIX + r"(?P<mon>%MONTHA%)%S%(?:de%S%|del%S%)?(?P<year>%Y4%)" + RN, _month_year),
    # "el primer trimestre (de 2022)", "el segundo semestre del año": a half needs its year, as in English
    (
        "quarter",
        (
            L + r"(?:el%S%)?(?P<ord>primer|segundo|tercer|cuarto)%S%(?P<q>trimestre|semestre)"
            r"(?:%S%(?:de|del)%S%(?:(?P<this>este%S%año|año%S%en%S%curso)|(?P<year>%Y4%)))?"
            + _no("year0", "year2", "yshift", "shift")
            + R
        ),
        _quarter,
    ),
    # "la década de 1990", "los años 90": decades, not years
    (
        "decade",
        (
            L
            + _PART_PREFIX
            + _no("dw", "d2")
            + r"(?:(?P<the>la)%S%)?década%S%de%S%(?:los%S%)?(?:años%S%)?(?P<d4>(?:1\d|20)\d0)"
            + RN
        ),
        _decade,
    ),
    (
        "decade_years",
        L + _PART_PREFIX + _no("dw") + r"(?P<the>los)%S%años%S%(?:(?P<d4>(?:1\d|20)\d0)|(?P<d2>\d0))" + RN,
        _decade,
    ),
    ("year", LN + _PART_PREFIX + _no("fiscal") + r"(?:(?:el|del)%S%)?(?P<year>%Y4%)" + RN + r"(?!%S%?%)", _year),
    (
        "season",
        (
            L + _PART_PREFIX + r"(?:(?P<the>el|la)%S%)?(?P<season>%SEASON%)"
            r"(?:%S%" + _SHIFT_AFTER + r")?(?:%S%(?:de%S%|del%S%)?(?P<year>%Y4%))?" + RN
        ),
        _season,
    ),
    ("holiday", L + r"(?P<hol>%HOLIDAY%)" + _no("shift") + r"(?:%S%(?:de%S%)?(?P<year>%Y4%))?" + RN, _holiday),
    ("anaphoric", L + r"(?P<ana>%ANA%)" + R, _anaphoric),
    (
        "ago",
        (
            L + r"hace%S%(?:(?:unos|unas|más%S%de|casi|cerca%S%de|apenas)%S%)?(?P<num>" + _ONE + r")"
            r"%S%(?P<unit>%UNIT%)" + R
        ),
        _ago,
    ),
    # "esta semana", "la próxima semana", "el pasado mes", "a finales del año pasado", "la semana en curso"
    (
        "relative_before",
        L + _PART_PREFIX + r"(?:(?P<the>el|la)%S%)?" + _SHIFT_BEFORE + r"%S%" + _UNITS + _no("the2") + R,
        _relative,
    ),
    (
        "relative_after",
        L + _PART_PREFIX + r"(?:(?P<the>el|la)%S%)?" + _UNITS + r"%S%" + _SHIFT_AFTER + _no("the2") + R,
        _relative,
    ),
    # "a finales de año", "a principios de mes": the part word needs the unit's own period ("fin de semana"
    # is the weekend: relative_weekend)
    ("relative_part", L + r"(?!fin%S%de%S%semana)" + _PFX + _no("the", "the2", "shift") + _UNITS + R, _relative),
    (
        "relative_weekend",
        L + r"(?P<the>el)%S%(?P<unit>fin%S%de%S%semana)" + _no("the2", "shift", "part") + R,
        _relative,
    ),
    # "el próximo lunes", "este martes", "el jueves por la noche"; "el jueves pasado" (the shift after it)
    (
        "weekday",
        L + _PART_PREFIX + r"(?:" + _SHIFT_BEFORE + r"%S%)?(?P<wd>%WD%)" + _DAYPART + R,
        _weekday,
    ),
    # "para el jueves": the day something is set for, the coming one whatever the verb's tense
    ("weekday_ahead", L + r"para%S%el%S%(?P<wd>%WD%)" + _DAYPART + R, _weekday_ahead),
    ("weekday_shift_after", L + _PART_PREFIX + r"(?P<wd>%WD%)" + _DAYPART + r"%S%" + _WEEKDAY_SHIFT + R, _weekday),
    (
        "deictic",
        (L + _no("part") + r"(?P<deic>%DEICTIC%)(?:%S%(?:por%S%la%S%|en%S%la%S%|a%S%la%S%)(?P<dp>%DAYPART%))?" + R),
        _deictic,
    ),
    (
        "vague",
        L + r"(?:(?:en|durante)%S%)?(?:los|las|estos|estas)%S%(?P<vp>%VAGUE%)%S%(?P<unit>%UNIT%)" + R,
        _vague,
    ),
    (
        "clock",
        (
            LN + r"(?:a|desde|hasta|para|sobre|antes%S%de|después%S%de)%S%las?%S%(?P<hh>[01]?\d|2[0-3])"
            r"(?:[:.](?P<mi>[0-5]\d))?(?:%S%(?:horas|hs\.?|h)(?!\w))?"
            r"(?:%S%(?:(?P<am>de%S%la%S%mañana|de%S%la%S%madrugada|del%S%mediodía)|(?P<pm>de%S%la%S%tarde|de%S%la%S%noche)))?"
            # "a las 17 personas" is a count: a clock time is followed by no noun
             + RN + r"(?!%S%(?!(?:horas|hora|de|del|y|en|a|para|con|cuando|hasta)\b)[^\W\d])"
        ),
        _clock,
    ),
    (
        "clock_hm",
        LN + r"(?P<hh>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)" + _no("pm") + r"(?:%S%(?:horas|hs\.?|h)(?!\w))?" + RN,
        _clock,
    ),
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
    ("frequency", L + r"(?P<freq>%FREQ%)" + R, _frequency),
    ("ref", L + r"(?P<ref>%REF%)(?![\w-])", _ref),
    ("month", L + _PART_PREFIX + r"(?P<mon>%MONTH%)(?:%S%" + _SHIFT_AFTER + r")?(?![\w-])", _month),
)
