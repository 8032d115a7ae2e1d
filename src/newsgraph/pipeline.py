"""The analysis pipeline: raw article -> cleaned Document -> parse (once) -> layers, in registry order.

The order of the layers is the registry's (``newsgraph.layers``); this module runs them.
``analyze_many`` parses in batches with ``nlp.pipe`` so a corpus pays for the model once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from newsgraph import lexicons, nlp
from newsgraph.clean import clean_article
from newsgraph.defaults import BATCH_SIZE
from newsgraph.document import Document, RawArticle
from newsgraph.layers import RESOURCES, Layer, LayerError, registered

if TYPE_CHECKING:
    from spacy.tokens import Doc


def resources(*, geo: bool = True) -> frozenset[str]:
    """The resources the layers may use: all, less the gazetteer with ``geo=False``."""
    return frozenset(r for r in RESOURCES if geo or r != "gazetteer")


def add_layers(doc: Document, parsed: Doc, *, geo: bool = True, audit: bool = False) -> Document:
    """The registered layers in order; each reads the parse and what the layers before it wrote. A layer
    whose resources are switched off (``geo=False``: the gazetteer) is left empty, and so is one that does not
    read the document's language (listed in ``meta.skipped`` with the reason). ``audit`` checks that
    each layer changed only its own field and the ones it declares it corrects (LayerError otherwise)."""
    have = resources(geo=geo)
    language = doc.meta.language
    doc.meta.skipped = []
    unread = _unread(language)
    for layer in registered():
        run = layer.function(language)
        if layer.languages is not None and (language not in layer.languages or unread):
            doc.set_layer(layer.writes, [])
            reason = unread or f"the article is in {language!r}; this layer reads {', '.join(layer.languages)}"
            doc.meta.skipped.append({"layer": layer.name, "reason": reason})
            continue
        if run is None or not set(layer.needs) <= have:
            doc.set_layer(layer.writes, [])
            continue
        before = _snapshot(doc, layer) if audit else None
        with lexicons.reading(language):  # the layer reads the lexicons of the article's language
            doc.set_layer(layer.writes, run(doc, parsed))
        if before is not None:
            _check_writes(doc, layer, before)
    return doc


def _unread(language: str) -> str:
    """Why no layer that reads ``language`` can run: its model is not installed; "" when it can."""
    if language in nlp.MODELS and not nlp.installed(language):
        return f"the {language!r} model is not installed ({nlp.MODELS[language][1]})"
    return ""


def _snapshot(doc: Document, layer: Layer) -> dict[str, str]:
    """Every layer field but the layer's own and the ones it may correct, as JSON."""
    data = doc.to_json()
    others = [x.writes for x in registered() if x.writes != layer.writes and x.writes not in layer.corrects]
    return {name: json.dumps(data.get(name), sort_keys=True) for name in others}


def _check_writes(doc: Document, layer: Layer, before: dict[str, str]) -> None:
    after = _snapshot(doc, layer)
    changed = [name for name in before if before[name] != after[name]]
    if changed:
        raise LayerError(f"layer {layer.name!r} changed {', '.join(changed)}, which it does not declare it corrects")


def analyze(raw: RawArticle, *, geo: bool = True) -> Document:
    """One article through the whole pipeline."""
    return next(analyze_many([raw], geo=geo))


def parse_cleaned(docs: Iterable[Document], batch_size: int = BATCH_SIZE) -> Iterator[tuple[Document, Doc]]:
    """Cleaned documents with their parse, in input order: in batches (``nlp.pipe``) of one language, a long
    text on its own and in pieces (``nlp.parse``), each by its language's model. The parse reads the matching
    form of the text (same length, so its offsets are the document's). A text no installed model reads is
    only split into words (by the English tokenizer), for no layer's rules."""
    batch: list[tuple[str, Document]] = []
    language = ""
    for doc in docs:
        form = nlp.matching_form(doc.text)
        lang = doc.meta.language if parsed_language(doc.meta.language) else ""
        if batch and lang != language:
            yield from _parse_batch(batch, batch_size, language)
            batch = []
        language = lang
        if not lang:
            yield doc, nlp.load().make_doc(form)
            continue
        if nlp.in_pieces(form):
            yield from _parse_batch(batch, batch_size, lang)
            batch = []
            yield doc, nlp.parse(form, lang)
            continue
        batch.append((form, doc))
        if len(batch) >= batch_size:
            yield from _parse_batch(batch, batch_size, lang)
            batch = []
    yield from _parse_batch(batch, batch_size, language)


def parsed_language(language: str) -> bool:
    """Whether articles in ``language`` are parsed: a model reads it and is installed."""
    return language in nlp.LANGUAGES and nlp.installed(language)


def _parse_batch(pairs: list[tuple[str, Document]], batch_size: int, language: str) -> Iterator[tuple[Document, Doc]]:
    if not pairs:
        return
    for parsed, doc in nlp.load(language).pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield doc, parsed


def analyze_many(raws: Iterable[RawArticle], batch_size: int = BATCH_SIZE, *, geo: bool = True) -> Iterator[Document]:
    """Many articles, parsed in batches; yields Documents in input order. Bad inputs raise InputError."""
    for doc, parsed in parse_cleaned((clean_article(raw) for raw in raws), batch_size):
        yield add_layers(doc, parsed, geo=geo)


__all__ = [
    "BATCH_SIZE",
    "add_layers",
    "analyze",
    "analyze_many",
    "parse_cleaned",
    "resources",
]
