"""The times grammar's word classes written as tries (``patterns._alternation``) match as the flat
alternation of the same words does."""

from __future__ import annotations

import re

from newsgraph.layers.times.patterns import _alternation


def test_the_time_words_trie_matches_as_the_flat_alternation() -> None:
    words = ["day", "days", "decade", "decades", "a few", "a", "an", "about", "Ago", "a couple of"]
    flat = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))
    trie = _alternation(words).replace(r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)", r"\s+")
    assert trie != flat
    text = "A few days ago, about a decade and an AGO; a couple of decades, an ant, days. a\ncouple of Day"
    for pattern in (r"(?<!\w)(?:{})", r"(?<!\w)(?:{})(?!\w)", r"(?:{})s?\b"):
        a = [m.span() for m in re.finditer(pattern.format(flat), text, re.I)]
        b = [m.span() for m in re.finditer(pattern.format(trie), text, re.I)]
        assert a == b and a
