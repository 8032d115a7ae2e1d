"""Page chrome: time expressions that belong to the page around the article, not to its text, left out.

The text of an HTML page carries more than the article: a dateline or byline line ("November 19, 2019 /
12:21 AM / Updated 14 hours ago", "UPDATED: Tue., Nov. 19, 2019", "5:45 AM PST 11/19/2019 by Patrick
Shanley"), a gallery that repeats each photo's caption, a footer selling a newsletter ("delivered to
your inbox every morning") or a copyright year. None of those times is the article's. Four tests, over
every paragraph but the title (a title's times are the article's):

- a dateline paragraph: beside its times it has a few words at most, only capitalised ones (names,
  labels) and the lower-case words of a dateline (``dateline_word`` in ``lexicons/en/times_chrome.tsv``): no sentence;
- a time after a page label ("Published", "Updated:"), or after a copyright sign;
- a paragraph of eight words or more that the page repeats word for word (gallery captions, related
  stories): a text says a long sentence once;
- a sentence that sells the page (``footer_cue``: "newsletter", "subscribe", "click here").

The words are in ``lexicons/en/times_chrome.tsv``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.lexicons import by_language, rows

from .context import Timex
from .patterns import _alternation

# A paragraph repeated word for word is page furniture only when it is long enough to be a sentence.
REPEATED_MIN_WORDS = 8
# A paragraph repeated this many characters after it is a section reposted (a live blog), not a caption.
REPOSTED_AFTER = 2_000
# A dateline or byline line has a few words beside its times ("New Delhi, News Nation Bureau | Updated :").
DATELINE_MAX_WORDS = 8


@dataclass(frozen=True)
class ChromeWords:
    label: re.Pattern[str]  # a page label (or copyright sign) just before a time
    dateline_words: frozenset[str]
    footer: re.Pattern[str]


@by_language
def chrome_words() -> ChromeWords:
    by_class: dict[str, list[str]] = {}
    for row in rows("times_chrome.tsv"):
        by_class.setdefault(row[0], []).append(row[1])
    labels = _alternation(by_class["label"], cased=True)
    marks = _alternation(by_class["copyright"], cased=True)
    return ChromeWords(
        label=re.compile(rf"(?:(?<![\w])(?:{labels})(?:\s*:\s*|\s+(?:on|at)\s+|\s+)|(?:{marks})\s*)$"),
        dateline_words=frozenset(w.lower() for w in by_class["dateline_word"]),
        footer=re.compile(rf"(?<![\w])(?:{_alternation(by_class['footer_cue'])})(?![\w])", re.I),
    )


def drop_page_chrome(found: list[Timex], text: str, paragraphs: Sequence[tuple[int, int, str]]) -> list[Timex]:
    """The expressions that are the article's: those of the page's chrome left out (module docstring).

    ``paragraphs`` are (start, end, kind) spans of the text; without any, its blank-line-separated blocks.
    """
    if not paragraphs:
        paragraphs = [(m.start(), m.end(), "body") for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text)]
    words = chrome_words()
    seen = Counter(_norm(text[s:e]) for s, e, kind in paragraphs if kind != "title")
    chrome: set[int] = set()
    first_seen: set[str] = set()
    by_start = sorted(range(len(found)), key=lambda i: found[i].start)  # to find a paragraph's without a scan
    starts = [found[i].start for i in by_start]
    for start, end, kind in paragraphs:
        if kind == "title":
            continue
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        inside = [found[i] for i in sorted(by_start[lo:hi])]
        if not inside:
            continue
        para = text[start:end]
        if seen[_norm(para)] > 1 and len(para.split()) >= REPEATED_MIN_WORDS:
            # a gallery repeats a caption beside itself; a live blog reposts a section pages later: there the
            # first copy is the text
            norm = _norm(para)
            if norm in first_seen or text.find(para, end) - end < REPOSTED_AFTER:
                chrome.update(id(t) for t in inside)
                continue
            first_seen.add(norm)
        if _is_dateline(para, start, inside, words):
            chrome.update(id(t) for t in inside)
            continue
        for t in inside:
            if words.label.search(text[max(start, t.start - 30) : t.start]) or words.footer.search(
                _sentence(text, start, end, t)
            ):
                chrome.add(id(t))
    return [t for t in found if id(t) not in chrome]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _is_dateline(para: str, start: int, inside: list[Timex], words: ChromeWords) -> bool:
    """Nothing beside the times but names, labels and the small words of a dateline, and a time that
    dates the page (a date in figures, "14 hours ago"): a clock time alone ("10 p.m.") heads an entry of
    a running story."""
    if not any(
        re.search(r"\d", para[t.start - start : t.end - start]) and not _clock_only(para, start, t) for t in inside
    ):
        return False
    rest = para
    for t in sorted(inside, key=lambda t: -t.start):
        rest = rest[: t.start - start] + " " + rest[t.end - start :]
    letters = re.findall(r"[^\W\d_]+", rest)
    if len(letters) > DATELINE_MAX_WORDS:
        return False  # a list of dates with what happens on each ("June 9 – West Palm Beach, FL @ ...")
    lower = [w for w in letters if w[0].islower()]
    return all(w.lower() in words.dateline_words for w in lower)


def _clock_only(para: str, start: int, t: Timex) -> bool:
    return (
        re.fullmatch(r"[\d:.h]+\s*(?:[ap]\.?m\b\.?)?(?:\s*[A-Z]{2,4})?", para[t.start - start : t.end - start], re.I)
        is not None
    )


SENTENCE_REACH = 2_000  # characters either side of an expression: no sentence is longer
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _sentence(text: str, start: int, end: int, t: Timex) -> str:
    """The sentence of a paragraph that holds an expression (within SENTENCE_REACH of it)."""
    start, end = max(start, t.start - SENTENCE_REACH), min(end, t.end + SENTENCE_REACH)
    left = start
    for m in _SENTENCE_START.finditer(text, start, t.start):
        left = m.end()
    right = _SENTENCE_END.search(text, t.end, end)
    return text[left : right.end() if right else end]


_SENTENCE_START = re.compile(r"[.!?]\s+")
