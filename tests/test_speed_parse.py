"""The parse's stand-ins for spaCy's attribute ruler and lemmatizer (``nlp._FastAttributeRuler``,
``nlp._FastLemmatizer``) set every token's annotation as the original components do."""

from __future__ import annotations

import spacy
from spacy.attrs import IDS  # type: ignore[import-not-found]

from newsgraph import nlp

from .helpers import SEED

ATTRS = [IDS[a] for a in ("ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")]

# what the ruler's multi-token and dependency patterns are about, and what the lemmatizer has to work on
ODD = (
    "I ain't gonna go, y'all. Let's c'mon, it's late. There is a man who did it, but he did not say. "
    "You gotta see it: they gave it to you and me.  \n\n  Did she? He has had three dogs; the dogs ran faster."
)


def test_the_stand_ins_are_in_place() -> None:
    kinds = {name: type(proc).__name__ for name, proc in nlp.load().pipeline}
    assert kinds["attribute_ruler"] == "_FastAttributeRuler"
    assert kinds["lemmatizer"] == "_FastLemmatizer"


def test_every_token_annotated_as_by_spacy_itself() -> None:
    plain = spacy.load(nlp.MODEL)
    plain.add_pipe("newsgraph_paragraphs", before="parser")
    seed = nlp.matching_form((SEED / "article.txt").read_text(encoding="utf-8"))
    texts = [seed, ODD, ODD.upper(), "", "  \n ", "Gotta go!\n"]
    ours = list(nlp.load().pipe(texts))
    theirs = list(plain.pipe(texts))
    for a, b in zip(ours, theirs, strict=True):
        assert (a.to_array(ATTRS) == b.to_array(ATTRS)).all()
        assert [(t.lemma_, t.pos_, str(t.morph)) for t in a] == [(t.lemma_, t.pos_, str(t.morph)) for t in b]
    # the texts exercise the ruler's exceptions: "ai" + "n't" -> be, "gon" + "na" -> go + to
    lemmas = {t.text.lower(): t.lemma_ for t in ours[1]}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go" and lemmas["na"] == "to"
