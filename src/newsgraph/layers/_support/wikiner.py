"""The entity spans of a WikiNER model (the French and Spanish ones: PER, LOC, ORG, MISC, read as OntoNotes
labels, ``nlp.WIKINER_LABELS``), set right before the entities layer reads them. A small model of that kind
takes the capitalised word opening a sentence for a name ("Estamos", "Según la Comisión Europea") and labels
most bodies as locations ("Corte Suprema de Justicia", LOC, read as GPE); the parse and the lexicons mend both:

- a span loses the words at its edges that no name starts or ends with (prepositions, adverbs, conjunctions,
  and a determiner after them: "Según la Comisión Europea" -> "Comisión Europea", "Gobierno de" -> "Gobierno"),
  and ends before a finite verb ("Gobierno amparó");
- a one-word span that the parse reads as a verb, a pronoun or a lower-case word is no name, nor is a common
  noun alone that names no body and no place ("Análisis", a section's label; the gazetteer judges places),
  nor a body's name of one word in capitals of six letters or more ("BENEFICIOS": a line in capitals), nor
  a person's that is a title ("Abg." before a name);
- a place, a person or a MISC name (which the layers otherwise leave out) whose first word is one that starts
  the names of bodies (``entities_org_first_words.txt``: "Corte", "Procuraduría", "Organización") is an
  organisation, named without the article before that word ("La Unión Europea" -> "Unión Europea").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsgraph.lexicons import EN, current, words

EDGE_POS = frozenset({"ADP", "ADV", "SCONJ", "CCONJ"})  # no name starts or ends with one
NOT_A_NAME_POS = frozenset({"VERB", "AUX", "PRON", "ADV", "ADP", "SCONJ", "CCONJ", "DET"})


def is_wikiner(sp: Doc) -> bool:
    """Whether the parse is a WikiNER model's: that of any language but English (``nlp.MODELS``)."""
    return current() != EN


def mend(sp: Doc, start: int, end: int, label: str) -> tuple[int, int, str] | None:
    """The span [start, end) with its label, mended as the module says; None when it is no name."""
    while start < end and sp[start].pos_ in EDGE_POS:
        start += 1
        while start < end and sp[start].pos_ == "DET" and sp[start - 1].pos_ in EDGE_POS:
            start += 1
    while end > start and (sp[end - 1].pos_ in EDGE_POS or sp[end - 1].pos_ == "DET" or _finite(sp[end - 1])):
        end -= 1  # "Gobierno amparó": a name ends before the verb
    if end <= start:
        return None
    bodies = words("entities_org_first_words.txt")
    if end - start == 1 and (
        sp[start].pos_ in NOT_A_NAME_POS
        or sp[start].text[:1].islower()
        # "Análisis", "Temas": a common noun alone, a section's label; "Fiscalía" alone is a body
        or (label != "GPE" and sp[start].pos_ == "NOUN" and not sp[start].is_upper and sp[start].lower_ not in bodies)
        # "HAGAMOS", "BENEFICIOS": a word of a line in capitals, no acronym (a body the KB knows, "UNESCO", is
        # found by its name all the same)
        or (label == "ORG" and sp[start].is_upper and len(sp[start].text) >= 6)
        # "Abg." before "Karina Penoni": a title, no one's name
        or (label == "PERSON" and {sp[start].lower_, sp[start].lower_ + "."} & words("titles.txt"))
    ):
        return None
    if end - start > 1 and sp[start].pos_ == "DET" and sp[start + 1].lower_ in bodies:
        start += 1  # "La Unión Europea": the body's name starts after its article
    if label in ("GPE", "PERSON", "MISC") and sp[start].lower_ in bodies:
        label = "ORG"
    return None if label == "MISC" else (start, end, label)


def _finite(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.morph.get("VerbForm", []) == ["Fin"]


def join_bodies(sp: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A body's name the model cut in pieces, joined: from a name that starts with a body's first word
    ("Tribunal"), over connectors ("de", "en lo": ``entities_acronym_connectors.txt``) and capitalised words
    or the pieces it found ("Apelación", "Penal"), within the sentence: "Tribunal de Apelación en lo Penal"."""
    bodies = words("entities_org_first_words.txt")
    connectors = words("entities_acronym_connectors.txt")
    starts = {s: (s, e, label) for s, e, label in spans}
    out: list[tuple[int, int, str]] = []
    taken_until = -1
    for s, e, label in sorted(spans):
        if s < taken_until:
            continue  # a piece a joined name took
        if sp[s].lower_ in bodies:
            end, k = e, e
            while k < len(sp) and sp[k].lower_ in connectors and not sp[k].is_sent_start:
                j = k
                while j < len(sp) and sp[j].lower_ in connectors:
                    j += 1
                if j >= len(sp) or not _capitalised(sp[j]) or _two_bodies(sp, s, k, j, bodies):
                    break
                piece_end = starts[j][1] if j in starts else j + 1
                while piece_end < len(sp) and _capitalised(sp[piece_end]) and piece_end not in starts:
                    piece_end += 1
                end = k = piece_end
            if end > e:
                s, e, label = s, end, "ORG"
        out.append((s, e, label))
        taken_until = e
    return out


def _two_bodies(sp: Doc, start: int, k: int, j: int, bodies: frozenset[str]) -> bool:
    """ "la Fuerza Armada y el Ministerio de Salud": a conjunction before another body's first word joins two
    names, not two words of one ("Estadística y Censos", "los Mercados y la Competencia"); so does one before
    a name with its own article right after a body's name without a complement ("la Fiscalía y las Farc",
    not "de los Mercados y la Competencia")."""
    if not any(t.pos_ == "CCONJ" for t in sp[k:j]):
        return False
    own_article = sp[j - 1].pos_ == "DET" and sp[j - 2].pos_ == "CCONJ"
    return sp[j].lower_ in bodies or (own_article and not any(t.pos_ == "ADP" for t in sp[start:k]))


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.pos_ in ("PROPN", "NOUN", "ADJ") and not tok.is_sent_start
