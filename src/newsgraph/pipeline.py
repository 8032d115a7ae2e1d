"""The analysis pipeline: raw article -> cleaned Document -> parse (once) -> layers, in order.

This module is the only place that knows the order of the layers. ``analyze_many`` parses in
batches with ``nlp.pipe`` so a corpus pays for the model once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from newsgraph import nlp
from newsgraph.clean import clean_article
from newsgraph.document import Document
from newsgraph.errors import InputError
from newsgraph.layers.entities import extract_entities
from newsgraph.layers.places import extract_places
from newsgraph.layers.quantities import extract_quantities
from newsgraph.layers.quotes import extract_quotes
from newsgraph.layers.times import extract_times
from newsgraph.sources.raw import RawArticle


def check_date(value: str | None, name: str = "--published") -> str | None:
    """A YYYY-MM-DD date, validated; InputError naming the option otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date(value, name)
    except ValueError:
        return _bad_date(value, name)


def _bad_date(value: str, name: str) -> str:
    raise InputError(name, f"invalid date {value!r}: expected YYYY-MM-DD, e.g. 2021-12-09")


def add_layers(doc: Document, parsed: Doc, *, geo: bool = True) -> Document:
    """The layers in order; each reads the parse and what the layers before it wrote. ``geo=False``
    leaves the places layer out (no gazetteer)."""
    doc.entities = extract_entities(doc, parsed)
    doc.times = extract_times(doc, parsed)
    doc.quantities = extract_quantities(doc, parsed)
    doc.places = extract_places(doc, parsed) if geo else []
    # events come next, when that layer lands
    doc.quotes = extract_quotes(doc, parsed)
    return doc


def analyze(raw: RawArticle, *, geo: bool = True) -> Document:
    """One article through the whole pipeline."""
    return next(analyze_many([raw], geo=geo))


def parse_cleaned(docs: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, Doc]]:
    """Cleaned documents with their parse, in batches; the parse reads the matching form of the text
    (same length, so its offsets are the document's)."""
    model = nlp.load()
    pairs = ((nlp.matching_form(doc.text), doc) for doc in docs)
    for parsed, doc in model.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield doc, parsed


def analyze_many(raws: Iterable[RawArticle], batch_size: int = 16, *, geo: bool = True) -> Iterator[Document]:
    """Many articles, parsed in batches; yields Documents in input order. Bad inputs raise InputError."""
    for doc, parsed in parse_cleaned((clean_article(raw) for raw in raws), batch_size):
        yield add_layers(doc, parsed, geo=geo)
