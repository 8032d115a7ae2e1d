"""Shared ground: the one reader of days and date-times, and the patterns of a day and a document id.

Every place that takes a date from outside (the CLI's ``--published``, JSON Lines, feeds, the store's
filters, the API) reads it here, so they accept and refuse the same things. Standard library and the named errors only.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from newsgraph.errors import InputError

DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
MONTH_PATTERN = r"^\d{4}-\d{2}$"
DOC_ID_PATTERN = r"^[0-9a-f]{16}$"
DAY = re.compile(DAY_PATTERN)
MONTH = re.compile(MONTH_PATTERN)
DOC_ID = re.compile(DOC_ID_PATTERN)
DAY_EXAMPLE = "YYYY-MM-DD, e.g. 2021-12-09"
# the days an article may be dated: wide enough for archives, far enough from year 1 and 9999 that the
# times layer's arithmetic ("in 5,000 years", "two centuries ago") stays inside what datetime can hold
FIRST_DAY, LAST_DAY = dt.date(1000, 1, 1), dt.date(2999, 12, 31)


def parse_day(value: str) -> str | None:
    """A calendar day written YYYY-MM-DD, normalised; None when it is not one (``2021-02-30``, ``2021-2-3``)."""
    if not DAY.match(value):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def check_date(value: str | None, name: str = "--published") -> str | None:
    """A YYYY-MM-DD date given as an option or field, normalised; InputError naming ``name`` otherwise."""
    if value is None:
        return None
    day = parse_day(value)
    if day is None:
        raise InputError(name, f"invalid date {value!r}: expected {DAY_EXAMPLE}")
    if publishable(day) is None:
        raise InputError(name, f"date out of range {value!r}: from {FIRST_DAY} to {LAST_DAY}")
    return day


def publishable(day: str | None) -> str | None:
    """``day`` when it lies between FIRST_DAY and LAST_DAY, else None."""
    return day if day is not None and FIRST_DAY.isoformat() <= day <= LAST_DAY.isoformat() else None


def parse_day_or_datetime(value: str) -> str | None:
    """The day of a YYYY-MM-DD day or an ISO 8601 date-time (``2021-12-09T10:00:00Z``) that an article may
    be dated (``publishable``); None otherwise.

    A date-time's day is the one written, in its own time zone (a newsroom's local date)."""
    day = parse_day(value)
    if day is not None:
        return publishable(day)
    try:
        return publishable(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat())
    except ValueError:
        return None


def parse_feed_date(value: str) -> str | None:
    """An RFC 822 date (RSS) or an ISO 8601 one (Atom, Dublin Core) as a publishable YYYY-MM-DD; None when
    unreadable or out of range."""
    try:
        return publishable(email.utils.parsedate_to_datetime(value).date().isoformat())
    except (TypeError, ValueError, IndexError):
        return parse_day_or_datetime(value)


def day_prefix(value: object) -> str | None:
    """The day a TIMEX3 value or date-time starts with (``2021-12-09T10:00`` -> ``2021-12-09``), if any."""
    if isinstance(value, str) and len(value) >= 10:
        return parse_day(value[:10])
    return None


__all__ = [
    "DAY",
    "DAY_EXAMPLE",
    "DAY_PATTERN",
    "DOC_ID",
    "DOC_ID_PATTERN",
    "FIRST_DAY",
    "LAST_DAY",
    "MONTH",
    "MONTH_PATTERN",
    "check_date",
    "day_prefix",
    "parse_day",
    "parse_day_or_datetime",
    "parse_feed_date",
    "publishable",
]
