"""The entities layer: spaCy's names, with what spaCy gets wrong in news put right.

Steps, in order: candidate spans (spaCy NER plus lexicon names), trimming ("the", "'s"), titles split
off people ("Gen Saad Maan" -> Saad Maan, title Gen; "Maj Gen" alone is no one), state bodies joined
to their demonym ("Iraqi" + "Interior Ministry"), grouping of mentions into one entity per referent
("Biden" is Joe Biden), then roles, titles, affiliations and countries read from the words around
each person, and nominal mentions ("Iraq's national security adviser") linked to the person whose
role they name.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph import nlp
from newsgraph.document import Document, Entity, Mention
from newsgraph.kb import KB, Entry, kb
from newsgraph.layers._support import tokens, wikiner
from newsgraph.layers._support.lexicon import Known, Lexicon, lexicon, speech_verbs
from newsgraph.layers._support.names import (
    FullNames,
    TitleCaseLines,
    a_street,
    given_names,
    known_person,
    ministries,
)
from newsgraph.layers._support.org_names import canonical_org_name, not_an_org, not_org_acronyms, without_designator
from newsgraph.lexicons import EN, by_language, current, rows, words

# spaCy labels that name things; numbers, dates and the like belong to other layers.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
# Words that make an organization a state body, so "Iraqi Interior Ministry" is one name.
STATE_BODY = words("entities_state_body_words.txt")
AFFILIATION_PREPS = words("entities_affiliation_prepositions.txt")
MAYBE_PERSON = {"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"}
ROLE_STOPS = words("entities_role_stop_words.txt")
MAX_ROLE_WORDS = 7


@by_language
def _locative() -> frozenset[str]:
    return words("places_locative_prepositions.txt")


@by_language
def _role_prepositions() -> frozenset[str]:
    return words("entities_role_prepositions.txt")  # "ambassador to Britain", "minister of defence"


@dataclass
class Candidate:
    start: int  # token indices into the spaCy doc, end exclusive
    end: int
    label: str
    known: Known | None = None
    title: list[str] = field(default_factory=list)
    role: str | None = None
    country: str | None = None
    first: int = -1  # token where the span began before titles and offices were split off
    name: str | None = None  # a name given by a rule ("Russian Foreign Ministry" for "Russia's foreign ministry")


@dataclass
class Cluster:
    label: str
    name: str
    mentions: list[Candidate]
    known: Known | None = None
    title: str | None = None
    role: str | None = None
    country: str | None = None
    affiliation: str | None = None
    extra_mentions: list[tuple[int, int]] = field(default_factory=list)  # char offsets, nominal mentions
    role_spans: list[tuple[int, int]] = field(default_factory=list)  # char offsets of premodifier roles
    folded: list[Candidate] = field(default_factory=list)  # other-type mentions taken in as this person
    qid: str | None = None  # the knowledge base's entity it is (Wikidata id)
    surface: bool = False  # named as the article names it, not by its canonical name
    linked: str | None = None  # the canonical name of the knowledge base's entity it is


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _span_text(sp: Doc, start: int, end: int) -> str:
    return sp[start:end].text if end > start else ""


@cache
def _name_starts(model: Language) -> dict[str, int]:
    """First token of every lexicon name -> the most tokens a name starting with it has."""
    lex = lexicon()
    starts: dict[str, int] = {}
    for name in [*lex.names, *lex.demonyms]:
        toks = model.make_doc(name)
        starts[toks[0].text] = max(starts.get(toks[0].text, 0), len(toks))
    return starts


def _lexicon_candidates(sp: Doc, lex: Lexicon, text_key: str) -> list[Candidate]:
    """Names the lexicons know, found as exact token sequences (longest first, case-sensitive)."""
    out: list[Candidate] = []
    starts = _name_starts(nlp.load(current()))
    toks = tokens.of(sp)
    texts, idx, whole = toks.text, toks.idx, tokens.text_of(sp)
    i = 0
    while i < len(sp):
        longest = starts.get(texts[i], 0)
        for n in range(min(longest, len(sp) - i), 0, -1):
            surface = whole[idx[i] : idx[i + n - 1] + len(texts[i + n - 1])]  # sp[i : i + n].text
            known = lex.names.get(surface)
            if (
                known is not None
                and _free_standing(sp, i, i + n)
                and (n > 1 or _named_here(sp[i]))
                and (not known.context or any(c in text_key for c in known.context))
                and not (i + n < len(sp) and texts[i + n] in _event_words())  # "ATP Finals", "NBA Draft"
            ):
                out.append(Candidate(i, i + n, known.type, known, country=known.country))
                i += n - 1
                break
            if n == 1 and surface in lex.demonyms:
                out.append(Candidate(i, i + 1, "NORP", country=lex.demonyms[surface]))
        i += 1
    return out


@by_language
def _event_words() -> frozenset[str]:
    return frozenset(r[0] for r in rows("entities_event_words.txt"))


def _named_here(tok: Token) -> bool:
    """A one-word name that is also a word ("Time", "Shell", "Turkey", "Apple") names the thing only
    where spaCy reads it as a name: "Time is short" has no magazine in it."""
    if tok.text.isupper() or not tok.text[:1].isupper():
        return True
    return tok.pos_ == "PROPN" or bool(tok.ent_type_)


def _free_standing(sp: Doc, start: int, end: int) -> bool:
    """A lexicon match must stand alone: not glued to a hyphen ("Bre-X"), and a short all-caps alias
    ("IS", "WHO") not inside an all-caps headline ("CHARLTON IS MADE...")."""
    if start > 0 and sp[start - 1].text == "-" and not sp[start - 1].whitespace_:
        return False
    if end < len(sp) and sp[end].text == "-" and not sp[end - 1].whitespace_:
        return False
    surface = sp[start:end].text
    if surface.isupper() and any(t.is_alpha and t.is_upper and len(t) > 1 for t in _neighbours(sp, start, end)):
        return False  # an all-caps headline or byline: "TAYLOR SWIFT SAYS", "LOWE'S COMPANIES INC"
    if surface.isupper() and len(surface) <= 3:
        words = [t for t in sp[start].sent if t.is_alpha and len(t) > 1]
        if sum(t.is_upper for t in words) > 0.5 * len(words):
            return False
    return True


def _neighbours(sp: Doc, start: int, end: int) -> list[Token]:
    """The words either side of a span, on its line."""
    out = []
    if start > 0 and "\n" not in sp[start - 1].whitespace_:
        out.append(sp[start - 1])
    if end < len(sp) and "\n" not in sp[end - 1].whitespace_:
        out.append(sp[end])
    return out


def _choose(spacy_ents: list[Candidate], lexical: list[Candidate], sp: Doc) -> list[Candidate]:
    """Non-overlapping candidates: longer first; on equal length the lexicon wins, except that a
    one-word place does not take a person's surname ("Jordan said" when Bill Jordan is named)."""
    surnames = {sp[c.end - 1].text for c in spacy_ents if c.label == "PERSON" and c.end - c.start > 1}
    person_at = {c.start for c in spacy_ents if c.label == "PERSON"}
    lexical = [
        c for c in lexical if not (c.end - c.start == 1 and c.start in person_at and sp[c.start].text in surnames)
    ]
    ranked = sorted(
        [(c, 1) for c in lexical] + [(c, 0) for c in spacy_ents],
        key=lambda ck: (-(ck[0].end - ck[0].start), -ck[1], ck[0].start),
    )
    taken: set[int] = set()
    chosen: list[Candidate] = []
    for cand, _ in ranked:
        idx = set(range(cand.start, cand.end))
        if idx & taken:
            continue
        taken |= idx
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _trim(sp: Doc, cand: Candidate) -> Candidate | None:
    """Drop a leading "the", a trailing "'s" and edge punctuation; None when nothing is left."""
    start, end = cand.start, cand.end
    while start < end and (sp[start].lower_ == "the" or sp[start].is_punct or sp[start].is_space):
        start += 1
    while end - start > 3 and re.fullmatch(r"\d+-\d+", sp[end - 3 : end].text):
        end -= 3  # a score after a name: "Diego Schwartzman 6-4" (spaCy's organisation)
    while end > start and (
        sp[end - 1].tag_ == "POS"
        or sp[end - 1].is_punct
        or sp[end - 1].is_space
        # no name ends in "and" or "of": "Civic Discourse and", a line's words glued to the next line's
        or sp[end - 1].pos_ in ("CCONJ", "ADP", "DET")
        # a person's name never ends in a figure: "Nicolas Jarry 6-4" is a tennis score after the name
        or (cand.label == "PERSON" and any(ch.isdigit() for ch in sp[end - 1].text))
    ):
        end -= 1
    if any(t.like_email for t in sp[start:end]):
        return None  # "NYCHA@citylimits.org": an address, no one's name (a site's, "Edmunds.com", is a name)
    brackets = [t.i for t in sp[start:end] if t.text in ("(", ")", "[", "]")]
    if brackets and brackets[0] > start:
        # a name stops at a bracket: "Ministry of Trade, Industry and Energy (MOTIE", "CNN Business)A"
        cand.start, cand.end = start, brackets[0]
        return _trim(sp, cand)
    breaks = [t.i for t in sp[start:end] if "\n" in t.text or "\n" in t.whitespace_]
    if breaks:
        # a name does not run over a line break: keep the longer side ("Afridi 88\nC. Cairns")
        cut = breaks[0] + (0 if "\n" in sp[breaks[0]].text else 1)
        before, after = (start, cut), (breaks[0] + 1, end)
        start, end = before if before[1] - before[0] >= after[1] - after[0] else after
        cand.start, cand.end = start, end
        return _trim(sp, cand) if end > start else None
    if end <= start:
        return None
    cand.start, cand.end = start, end
    return cand


NAME_WORD = re.compile(r"[A-Z][a-z\u00df-\u00ff\u0100-\u017f]+(?:['’-][A-Z]?[a-z\u00df-\u00ff\u0100-\u017f]+)*")


def _reads_as_a_person(sp: Doc, cand: Candidate, lex: Lexicon) -> bool:
    """A name spaCy typed as an organisation or a product that reads as a person's: two or three
    capitalised words, the first a given name (``lexicons/world/given_names.txt``), none an organisation's
    word ("Group", "Bank") or a country's, the last not a plural ("Charlotte Hornets" is a team)."""
    toks = [t for t in sp[cand.start : cand.end] if t.text not in ("-", "'", "’")]
    names = _span_text(sp, cand.start, cand.end).split()
    if not 2 <= len(names) <= 3 or not all(NAME_WORD.fullmatch(w) for w in names):
        return False
    if re.split(r"[-'’]", names[0])[0].lower() not in given_names() or toks[-1].tag_ == "NNPS":
        return False
    return not any(
        t.lower_ in lex.org_words
        or t.lower_ in _region_words()
        or lex.country_of_word(t.text)
        or t.text in lex.demonyms
        for t in toks
    )


@by_language
def _region_words() -> frozenset[str]:
    """Words of region names and compass words ("Sierra Nevada", "Gibson Southern" are no one's names)."""
    compass = {w for r in rows("places_modifiers.tsv") if r[1] == "compass" for w in (r[0], r[0] + "ern")}
    regions = {w.lower() for r in rows("regions.tsv", "en") for w in r[0].split()}
    return frozenset(compass | regions)


def _hyphenated_tail(sp: Doc, cand: Candidate) -> None:
    """A given name of two syllables joined by a hyphen is one word: spaCy stops "Moon Jae-in" at "Jae" when
    the second syllable is also an English word ("in", "on")."""
    end = cand.end
    if (
        end + 1 < len(sp)
        and sp[end].text == "-"
        and not sp[end - 1].whitespace_
        and not sp[end].whitespace_
        and sp[end + 1].text.isalpha()
        and sp[end + 1].text.islower()
        and len(sp[end + 1].text) <= 3
        and sp[end + 1].is_stop  # "Jae-in", "Jong-un": never "Obama-era", "Trump-led"
    ):
        cand.end = end + 2


def _split_person(sp: Doc, cand: Candidate, lex: Lexicon) -> Candidate | None:
    """Titles and offices off the front of a name; None when the span was only a title ("Maj Gen")."""
    i = cand.first = cand.start
    role_words: list[str] = []
    while i < cand.end and (_is_title(sp[i], lex) or sp[i].lower_ in lex.role_nouns):
        if _is_title(sp[i], lex):
            cand.title.append(sp[i].text.rstrip("."))
        else:
            role_words.append(sp[i].text)
        i += 1
    if i >= cand.end:
        return None
    if i == cand.start + 1 and cand.end - i == 1 and sp[cand.start].lower_ in _name_titles():
        return cand  # "Prince Andrew", "Princess Diana": the title is part of the name the world knows
    if role_words:
        cand.role = " ".join(role_words)
    cand.start = i
    while cand.end > cand.start + 1 and any(ch.isdigit() for ch in sp[cand.end - 1].text):
        cand.end -= 1  # a score or a number after a name: "Nicolas Jarry 6-4", "Andrew Park 72"
    words = [t for t in sp[cand.start : cand.end] if not t.is_punct]
    if not any(t.text[:1].isupper() for t in words):
        return None  # no capitalised word: not a name
    if _a_companys_product(sp[cand.start : cand.end], lex):
        return None  # a company's product, not a person: "Nintendo Switch Lite", "Dell G3"
    return cand


def _is_title(tok: Token, lex: Lexicon) -> bool:
    return tok.text[:1].isupper() and tok.lower_.rstrip(".") in lex.titles


def _join_state_bodies(sp: Doc, cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """ "Iraqi" + "Interior Ministry" -> "Iraqi Interior Ministry" (ORG, country IQ); "Westminster
    Magistrate" + "'s" + "Court" -> "Westminster Magistrate's Court"."""
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if (
            cand.label == "ORG"
            and prev is not None
            and prev.label in ("NORP", "GPE")
            and prev.end == cand.start
            and prev.country
            and any(t.lower_ in STATE_BODY for t in sp[cand.start : cand.end])
            and not (cand.known and cand.known.country)
        ):
            out[-1] = Candidate(prev.start, cand.end, "ORG", None, country=prev.country)
            continue
        out.append(cand)
    for i, cand in enumerate(out):
        # "Westminster Magistrate" + "'s" + "Court": one body, cut by spaCy at the possessive
        nxt = cand.end + 1
        if (
            cand.label == "ORG"
            and nxt < len(sp)
            and sp[cand.end].tag_ == "POS"
            and sp[nxt].text[:1].isupper()
            and (sp[nxt].lower_ in STATE_BODY or sp[nxt].lower_ in lex.org_words)
            and not (i + 1 < len(out) and out[i + 1].start <= nxt < out[i + 1].end and out[i + 1].end - nxt > 1)
        ):
            out[i] = Candidate(cand.start, nxt + 1, "ORG", None, country=cand.country)
    # candidates are sorted and were disjoint: one now inside its extended neighbour ("Court") goes
    kept: list[Candidate] = []
    for cand in out:
        if kept and kept[-1].start <= cand.start and cand.end <= kept[-1].end:
            continue
        kept.append(cand)
    return kept


def _name_words(name: str) -> list[str]:
    """The words of a name for comparison: "Abu Bakr al-Baghdadi" -> ["abu", "bakr", "al", "baghdadi"]."""
    return re.findall(r"\w+", name.lower())


def _cluster(sp: Doc, cands: list[Candidate], lex: Lexicon) -> list[Cluster]:
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, str], Cluster] = {}
    people = People()
    _drop_question_openers(sp, cands)
    # people: full names first, so "Biden" finds "Joe Biden"
    for cand in sorted((c for c in cands if c.label == "PERSON"), key=lambda c: -(c.end - c.start)):
        name = cand.name or _span_text(sp, cand.start, cand.end)
        home = people.find(_name_words(name))
        if home is None:
            home = Cluster("PERSON", " ".join(name.split()), [])
            people.add(home)
            clusters.append(home)
        home.mentions.append(cand)
    # a known body's name written in more than one word somewhere ("Bloomberg News"): its one-word form
    # is the body there
    named_in_full = {c.known.canonical for c in cands if c.known is not None and c.end - c.start > 1}
    for cand in cands:
        if cand.label == "PERSON":
            continue
        # a person's title before it makes a known body's word a surname: "Judge Ford said" after Neil Ford
        before = sp[cand.start - 1] if cand.start > 0 else None
        titled = (
            cand.known is not None
            and before is not None
            and before.text[:1].isupper()
            and (_is_title(before, lex) or before.lower_ in lex.role_nouns)
        )
        if cand.known is not None and cand.known.type == "ORG" and cand.end - cand.start == 1:
            # or a person the text names in full (a headline may name him first): "Bloomberg said" where
            # Michael R. Bloomberg is named and Bloomberg News never is; but "Ford shares fell" is the company's
            titled = titled or (
                cand.known.canonical not in named_in_full
                and sp[cand.start].dep_ != "compound"
                and people.find(_name_words(sp[cand.start].text)) is not None
            )
        if cand.label in MAYBE_PERSON and (cand.known is None or titled):
            # spaCy sometimes calls a person's surname an organization ("Trump" as ORG): one referent, one type
            home = people.find(_name_words(_span_text(sp, cand.start, cand.end)))
            if home is not None:
                home.mentions.append(cand)
                home.folded.append(cand)
                continue
        if cand.label == "GPE" and cand.known is None and cand.end - cand.start == 1 and not _placed_word(sp, cand):
            # or a place: "no one has more riding on it than Warren" after Elizabeth Warren; a surname only
            home = people.by_tail.get(tuple(_name_words(sp[cand.start].text)))
            if home is not None:
                home.mentions.append(cand)
                home.folded.append(cand)
                continue
        name = cand.name or (cand.known.canonical if cand.known else _span_text(sp, cand.start, cand.end))
        label = cand.known.type if cand.known else cand.label
        if label == "ORG" and cand.known is None:
            name = canonical_org_name(name)
        key = (label, _key(without_designator(name) if label == "ORG" else name))
        found = by_key.get(key)
        if found is not None and found.known is None and len(name) > len(found.name):
            found.name = name  # "Sierra Nevada" named in full later: "Sierra Nevada Corp."
        if found is None:
            found = by_key[key] = Cluster(label, name, [], cand.known, country=cand.country)
            if cand.known is not None:
                surface = cand.known.surface or _named_in_its_language(cand.known.type, cand.known.qid)
                found.qid, found.surface, found.linked = cand.known.qid, surface, cand.known.canonical
            clusters.append(found)
        found.mentions.append(cand)
    _merge_defined_acronyms(sp, clusters)
    _merge_acronyms(clusters)
    if current() != EN:
        _merge_head_words(sp, clusters)
        _merge_surnames(clusters)
        _merge_fuller_names(clusters)
    return [c for c in clusters if c.mentions]


@by_language
def _name_titles() -> frozenset[str]:
    return words("entities_name_titles.txt")


@by_language
def _question_openers() -> frozenset[str]:
    return words("entities_question_openers.txt")


def _drop_question_openers(sp: Doc, cands: list[Candidate]) -> None:
    """A question's opening verb is not a first name: "Will Warren continue to face the heat?" is Warren,
    when another name of the article ends in the rest ("Elizabeth Warren")."""
    tails = {
        tuple(_name_words(_span_text(sp, c.start, c.end)))[-n:]
        for c in cands
        if c.label == "PERSON"
        for n in range(1, c.end - c.start)
    }
    for c in cands:
        first = sp[c.start]
        if (
            c.label == "PERSON"
            and c.end - c.start >= 2
            and first.is_sent_start
            and first.lower_ in _question_openers()
            and tuple(_name_words(_span_text(sp, c.start + 1, c.end))) in tails
            and first.sent.text.rstrip().endswith("?")
        ):
            c.start += 1


def _placed_word(sp: Doc, cand: Candidate) -> bool:
    """Written as a place: after a locative preposition or before ", State" ("in Warren, Mich."). "of"
    places a name only after a place's noun ("the city of Warren"), not in "the duo of Tatum and Brown"."""
    before = sp[cand.start - 1].lower_ if cand.start else ""
    state = sp[cand.end + 1].text if cand.end + 1 < len(sp) and sp[cand.end].text == "," else ""
    if before == "of":
        return cand.start > 1 and sp[cand.start - 2].lower_ in _containers()
    return before in _locative() or state[:1].isupper()


@by_language
def _containers() -> frozenset[str]:
    return words("places_container_nouns.txt")


def _named_in_its_language(label: str, qid: str | None) -> bool:
    """An article in another language names a body in its own words ("Unión Cívica Radical"): the knowledge
    base's English name is the link (its QID), not its name there. Without a QID the name is the link."""
    return current() != EN and label == "ORG" and qid is not None


def _merge_fuller_names(clusters: list[Cluster]) -> None:
    """Names Spanish news shortens ("Liz Duarte", "Liz Paola Duarte" for Liz Paola Duarte Meza; "Mario Negri"
    for Mario Raúl Negri; "Tribunal de Apelación" for the Tribunal de Apelación en lo Penal): a person whose
    first name and last word the one fuller name of the article has (in that order), a body whose words open
    the one longer body's name, is that one, under the fuller name."""
    for label, fits in (("PERSON", _shortened_person), ("ORG", _opening_words)):
        group = [c for c in clusters if c.label == label and c.mentions and " " in c.name]
        for cl in sorted(group, key=lambda c: -len(c.name.split())):  # the longer shortened forms first
            if cl.known is not None or not cl.mentions:
                continue
            short = cl.name.split()
            fuller = [o for o in group if o is not cl and o.mentions and fits(short, o.name.split())]
            if len(fuller) == 1:
                fuller[0].mentions.extend(cl.mentions)
                cl.mentions = []


def _shortened_person(short: list[str], full: list[str]) -> bool:
    # the short name's last word is the fuller one's surname: its last word or, with two surnames, the one before
    surname = short[-1] in full[-2:] and full.index(short[-1]) > 0
    return len(full) > len(short) and short[0] == full[0] and surname and set(short) <= set(full)


def _opening_words(short: list[str], full: list[str]) -> bool:
    return len(full) > len(short) and full[: len(short)] == short


def _lone_head_word(sp: Doc, cl: Cluster) -> bool:
    """ "el Gobierno", "el Congreso", "la Federación" named by the head word alone, no body of the article's
    nor the knowledge base's: a common noun capitalised, as Spanish writes institutions, not a name."""
    if cl.label != "ORG" or cl.known is not None or cl.qid or cl.linked or cl.extra_mentions:
        return False
    heads = words("entities_org_first_words.txt")
    return all(c.end - c.start == 1 and sp[c.start].lower_ in heads for c in cl.mentions)


def _merge_surnames(clusters: list[Cluster]) -> None:
    """A WikiNER model often takes a surname alone for a place or a body ("según explicó Planas", LOC): a
    one-word name the knowledge base does not hold that is the last word of one person's name in the article
    is that person."""
    people = [c for c in clusters if c.label == "PERSON" and " " in c.name]
    for cl in clusters:
        if cl.label not in ("GPE", "LOC", "ORG") or " " in cl.name or cl.known is not None or not cl.mentions:
            continue
        owners = [p for p in people if p.name.split()[-1] == cl.name]
        if len(owners) == 1:
            owners[0].mentions.extend(cl.mentions)
            cl.mentions = []


def _merge_head_words(sp: Doc, clusters: list[Cluster]) -> None:
    """In a language whose names start with their head, a body named by its head word alone ("la Fiscalía",
    "el Tribunal") is the one body of the article whose name starts with it ("Fiscalía General de la
    República"); with two or none it stays as it is."""
    orgs = [c for c in clusters if c.label == "ORG" and c.mentions]
    # the first words of each body's name and of its mentions ("Fiscalía de la Nación", whatever the KB calls it)
    starts = {
        id(o): {o.name.split()[0].lower(), *(sp[m.start].lower_ for m in o.mentions if m.end - m.start > 1)}
        for o in orgs
    }
    for cl in orgs:
        if " " in cl.name or cl.known is not None:
            continue
        fuller = [o for o in orgs if o is not cl and o.mentions and cl.name.lower() in starts[id(o)]]
        if len(fuller) == 1:
            fuller[0].mentions.extend(cl.mentions)
            cl.mentions = []


def _merge_defined_acronyms(sp: Doc, clusters: list[Cluster]) -> None:
    """An acronym the text defines in brackets after a name joins it: "the Ministry of Trade, Industry and
    Energy (MOTIE)" makes every later "MOTIE" that ministry, whatever its initials."""
    orgs = [c for c in clusters if c.label == "ORG"]
    by_name = {c.name: c for c in orgs if re.fullmatch(r"[A-Z]{2,8}", c.name)}
    for long_ in orgs:
        for m in long_.mentions:
            if m.end + 2 < len(sp) and sp[m.end].text == "(" and sp[m.end + 2].text == ")":
                short = by_name.get(sp[m.end + 1].text)
                # the text's own definition wins over the knowledge base: "Pakistan Tehreek-e-Insaf (PTI)"
                if short is not None and short is not long_:
                    long_.mentions.extend(short.mentions)
                    short.mentions = []


class People:
    """The person clusters so far, indexed by their name words, to tell the person a name refers to:
    the same name, its surname ("Biden"), or, when only one person has it, a single first word ("Xi" for
    Xi Jinping, whose family name comes first; "Matt" for Matt Bevin). Where several people fit, the
    first one added."""

    def __init__(self) -> None:
        self.order: dict[int, int] = {}  # id(cluster) -> when it was added
        self.by_words: dict[tuple[str, ...], Cluster] = {}  # a whole name
        self.by_tail: dict[tuple[str, ...], Cluster] = {}  # its last words, fewer than all of them
        self.by_first: dict[str, list[Cluster]] = {}  # the first word of a name of two words or more

    def add(self, cl: Cluster) -> None:
        self.order[id(cl)] = len(self.order)
        full = tuple(_name_words(cl.name))
        self.by_words.setdefault(full, cl)
        for n in range(1, len(full)):
            self.by_tail.setdefault(full[-n:], cl)
        if len(full) > 1:
            self.by_first.setdefault(full[0], []).append(cl)

    def find(self, words: list[str]) -> Cluster | None:
        key = tuple(words)
        fits = [cl for cl in (self.by_words.get(key), self.by_tail.get(key) if key else None) if cl is not None]
        if fits:
            return min(fits, key=lambda cl: self.order[id(cl)])
        if len(words) == 1:
            firsts = self.by_first.get(words[0], [])
            if len(firsts) == 1:
                return firsts[0]
        return None


def _merge_acronyms(clusters: list[Cluster]) -> None:
    """An organization written as its initials joins the one it abbreviates ("NI" -> Newlines Institute)."""
    orgs = [c for c in clusters if c.label == "ORG"]
    by_initials: dict[str, list[Cluster]] = {}
    for long_ in orgs:
        connectors = words("entities_acronym_connectors.txt")
        initials = "".join(w[0] for w in long_.name.split() if w.lower() not in connectors and w[:1].isupper())
        by_initials.setdefault(initials, []).append(long_)
    for short in orgs:
        if not re.fullmatch(r"[A-Z]{2,6}", short.name) or short.known:
            continue
        for long_ in by_initials.get(short.name, ()):
            if long_ is not short:
                long_.mentions.extend(short.mentions)
                short.mentions = []
                break


def _left_context(sp: Doc, start: int, lex: Lexicon, taken: set[int]) -> tuple[list[str], Span | None]:
    """Titles and the role phrase written before a name ("coalition commander Maj Gen")."""
    i = start - 1
    titles: list[str] = []
    while i >= 0 and _is_title(sp[i], lex) and i not in taken:
        titles.insert(0, sp[i].text.rstrip("."))
        i -= 1
    j = i
    while j >= 0 and j not in taken and sp[j].sent == sp[start].sent and i - j < MAX_ROLE_WORDS:
        tok = sp[j]
        # a possessive only after a place or body ("Britain's Prime Minister"); a spaced dash ends the phrase
        possessive = tok.tag_ == "POS" and j > 0 and sp[j - 1].ent_type_ in ("GPE", "ORG", "NORP")
        # "China's ambassador to Britain Liu Xiaming": the role's place or body after a preposition
        complement = tok.lower_ in _role_prepositions() and j > 0 and sp[j - 1].lower_ in lex.role_nouns
        complement = complement and j + 1 <= i and _role_object(list(sp[j + 1 : i + 1]))
        # "ministre de la Santé": the determiner of the role's object (a UD parse's: English keeps its rule)
        article = wikiner.is_wikiner(sp) and tok.pos_ == "DET" and j > 1 and sp[j - 1].lower_ in _role_prepositions()
        if (
            tok.pos_ in ("PROPN", "NOUN", "ADJ")
            or possessive
            or complement
            or article
            or (tok.text == "-" and not tok.whitespace_)
        ):
            j -= 1
            continue
        break
    phrase = list(sp[j + 1 : i + 1])
    # the phrase must end in a role noun ("official", "President") or its place ("ambassador to Britain")
    while phrase and phrase[-1].lower_ not in lex.role_nouns and not _role_complement(phrase, lex):
        phrase.pop()
    while phrase and (phrase[0].tag_ == "POS" or phrase[0].text == "-"):
        phrase.pop(0)
    return titles, (sp[phrase[0].i : phrase[-1].i + 1] if phrase else None)


def _role_complement(phrase: list[Token], lex: Lexicon) -> bool:
    """The phrase ends in a role noun, a preposition and a place or body: "ambassador to Britain"."""
    k = next((n for n in range(len(phrase) - 1, -1, -1) if phrase[n].lower_ in _role_prepositions()), None)
    return (
        k is not None
        and 0 < k < len(phrase) - 1
        and phrase[k - 1].lower_ in lex.role_nouns
        and _role_object(phrase[k + 1 :])
    )


def _role_object(toks: list[Token]) -> bool:
    """What a role's preposition governs: a place or body ("to Britain"), or, as French and Spanish write
    it, a capitalised portfolio after its article ("de la Santé", "de l'Intérieur")."""
    if not toks or not wikiner.is_wikiner(toks[0].doc):
        return bool(toks) and all(t.ent_type_ in ("GPE", "ORG") for t in toks)
    named = [t for t in toks if t.pos_ != "DET"]
    return bool(named) and all(t.ent_type_ in ("GPE", "ORG") or t.text[:1].isupper() for t in named)


def _appositive_role(
    sp: Doc, cand: Candidate, lex: Lexicon, org_at: dict[int, Cluster]
) -> tuple[str | None, str | None]:
    """ "Brent Sherwood, vice president of programs at Blue Origin, said" -> role and affiliation.

    The role is the appositive up to its first "at/with/for/from", clause or comma; an organization
    named right after that preposition is the affiliation.
    """
    span = sp[cand.start : cand.end]
    for child in span.root.children:
        if child.dep_ != "appos" or child.i < cand.end:
            continue
        words: list[Token] = []
        affiliation = None
        for t in sp[cand.end : child.right_edge.i + 1]:
            if t.is_space or "\n" in t.text:
                break
            if not words and (t.text in ",(" or t.dep_ == "det"):
                continue
            if t.text in ",;()" or t.tag_ in ("WDT", "WP") or t.lower_ in ROLE_STOPS:
                if t.lower_ in AFFILIATION_PREPS:
                    nxt = t.i + 1 + (sp[t.i + 1].lower_ == "the" if t.i + 1 < len(sp) else 0)
                    affiliation = org_at[nxt].name if nxt in org_at else None
                break
            words.append(t)
        if words and any(t.lower_ in lex.role_nouns for t in words) and len(words) <= MAX_ROLE_WORDS + 2:
            return sp[words[0].i : words[-1].i + 1].text, affiliation
    return None, None


def _role_before(sp: Doc, cand: Candidate, lex: Lexicon) -> str | None:
    """ "El ministro de Salud, Juan Pérez, visitó": the role a name stands in apposition to, before it, as
    Spanish writes it (in Universal Dependencies the name hangs from the role noun)."""
    tok = sp[cand.start]
    head = tok.head
    if tok.dep_ != "appos" or head.i >= tok.i or head.pos_ != "NOUN" or head.lower_ not in lex.role_nouns:
        return None
    role = [t for t in sp[head.i : tok.i] if t.i == head.i or head.i < t.head.i < tok.i or t.head.i == head.i]
    while role and (role[-1].is_punct or role[-1].is_space):
        role.pop()
    if not role or len(role) > MAX_ROLE_WORDS or any("\n" in t.text_with_ws for t in role[:-1]):
        return None
    return sp[role[0].i : role[-1].i + 1].text


def _affiliation(sp: Doc, cand: Candidate, org_at: dict[int, Cluster]) -> str | None:
    """ "Nicholas Heras of the Newlines Institute" -> "Newlines Institute"."""
    i = cand.end
    if i < len(sp) and sp[i].lower_ in AFFILIATION_PREPS:
        i += 1
        if i < len(sp) and sp[i].lower_ == "the":
            i += 1
        cl = org_at.get(i)
        if cl is not None:
            return cl.name
    return None


ROLE_LEADS = frozenset({"former", "then", "acting", "interim", "outgoing", "incoming", "the", "a", "an"})


def _country_in(text: str, lex: Lexicon) -> str | None:
    """The country a person's role gives: a demonym anywhere ("former Iraqi prime minister"), a country's
    name only where the role starts ("U.S. ambassador", "Iraq's national security adviser"), not the
    country a role is about ("special envoy to Ukraine", "White House Russia adviser")."""
    toks = text.split()
    first = next((k for k, t in enumerate(toks) if t.lower() not in ROLE_LEADS), len(toks))
    for n in (3, 2, 1):
        for k in range(len(toks) - n + 1):
            words = " ".join(toks[k : k + n])
            iso = lex.country_of_word(words)
            if iso and (k == first or (n == 1 and words in lex.demonyms)):
                return iso
    return None


def _describe_people(sp: Doc, clusters: list[Cluster], lex: Lexicon) -> None:
    taken = {i for cl in clusters if cl.label == "PERSON" for c in cl.mentions for i in range(c.start, c.end)}
    org_at = {c.start: cl for cl in clusters if cl.label == "ORG" for c in cl.mentions}
    for cl in clusters:
        if cl.label != "PERSON":
            continue
        titles: Counter[str] = Counter()
        for cand in sorted(cl.mentions, key=lambda c: c.start):
            # (_left_context reads only tokens before the mention, none of its own)
            left_titles, left_span = _left_context(sp, cand.start, lex, taken)
            if cand.title or left_titles:
                titles[" ".join(cand.title or left_titles)] += 1
            left_role = left_span.text if left_span is not None else None
            if left_span is not None:
                cl.role_spans.append((left_span.start_char, left_span.end_char))
            if cand.first >= 0 and cand.first < cand.start:
                cl.role_spans.append((sp[cand.first].idx, sp[cand.start].idx))
            appos_role, appos_affiliation = _appositive_role(sp, cand, lex, org_at)
            if appos_role is None and wikiner.is_wikiner(sp):
                appos_role = _role_before(sp, cand, lex)
            role = cand.role or left_role or appos_role
            cl.affiliation = cl.affiliation or appos_affiliation
            if role and not cl.role:
                # the left phrase may hold the offices split off the name already ("Crown Prince Mohammed")
                inside = left_span is not None and 0 <= cand.first < cand.start and left_span.end > cand.first
                cl.role = left_role if inside else " ".join([left_role, role]) if cand.role and left_role else role
            cl.affiliation = cl.affiliation or _affiliation(sp, cand, org_at)
        if titles:
            cl.title = titles.most_common(1)[0][0]
        if cl.role:
            cl.country = _country_in(cl.role.replace("’", "'"), lex)


def _spelled_out(sp: Doc, i: int) -> str | None:
    """The words before "(ACRONYM)" at token ``i`` whose initials spell it ("Bay Area Rapid Transit (BART)"),
    connectors ("of", "and") allowed between them; None when they do not."""
    # its capitals: "JxC" is spelled by "Juntos por el Cambio"
    acronym = "".join(ch for ch in sp[i].text if ch.isupper()) if sp[i].text[:1].isupper() else sp[i].text
    if not (i - 1 > 0 and sp[i - 1].text == "(" and i + 1 < len(sp) and sp[i + 1].text == ")"):
        return None
    connectors = words("entities_acronym_connectors.txt")
    j, initials = i - 1, ""
    while j > 0 and len(initials) < len(acronym):
        tok = sp[j - 1]
        if tok.text[:1].isupper():
            initials = tok.text[0] + initials
        elif tok.lower_ not in connectors:
            return None
        j -= 1
    if initials != acronym:
        return None
    return sp[j : i - 1].text


def _unknown_acronym(sp: Doc, cl: Cluster) -> bool:
    """An organisation named only by a short all-caps word that neither the knowledge base knows nor the
    text spells out is more often a term ("RGB", "ECG", "SLS", "ICT") than a body; a known one ("NATO")
    or one the text defines ("Bay Area Rapid Transit (BART)") stays."""
    if cl.label != "ORG" or cl.known is not None or cl.qid or cl.linked:
        return False
    for c in cl.mentions:
        spelled = _spelled_out(sp, c.start)
        if spelled is not None:
            cl.name = spelled  # "Bay Area Rapid Transit (BART)": the body, by its full name
            return False
    return all(_used_as_a_term(sp, c) for c in cl.mentions)


def _a_word_for_a_thing(sp: Doc, cl: Cluster, lex: Lexicon) -> bool:
    """An "organisation" the knowledge base does not hold, named once by one capitalised word that only
    qualifies a common noun ("Suboxone treatment", "the DualShock controller", "the Dragonfly mission") is
    more often a product, a drug or a programme than a body; "a Commerzbank analyst" (a person's role)
    stays."""
    if cl.label != "ORG" or cl.known is not None or cl.qid or cl.linked or len(cl.mentions) != 1:
        return False
    c = cl.mentions[0]
    tok = sp[c.start]
    if c.end - c.start != 1 or tok.text.isupper() or not tok.text[:1].isupper():
        return False
    head = tok.head
    return (
        tok.dep_ == "compound"
        and head.i > tok.i
        and head.pos_ == "NOUN"
        and head.lower_ not in lex.role_nouns
        and head.lemma_.lower() not in _speaker_nouns()
    )


@by_language
def _speaker_nouns() -> frozenset[str]:
    return words("speaker_nouns.txt")  # "a Google spokesman", "the Tumblr post"


def _used_as_a_term(sp: Doc, c: Candidate) -> bool:
    """A short acronym used as a word for a thing: a modifier of a common noun ("RGB lighting", "an IPS
    panel") or after "a"/"an" ("takes an ECG"); a body's acronym acts or is named ("UEFA said")."""
    tok = sp[c.start]
    if c.end - c.start != 1 or not tok.text.isupper() or len(tok.text) > 5:
        return False
    if tok.i > 0 and sp[tok.i - 1].lower_ in ("a", "an"):
        return True
    return tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.text.islower()


def _drop_lone_names(sp: Doc, clusters: list[Cluster]) -> list[Cluster]:
    """Persons that are not someone go; mentions of other types they had taken in get their type back."""
    kept: list[Cluster] = []
    restored: dict[tuple[str, str], Cluster] = {}
    for cl in clusters:
        if cl.label != "PERSON" or _is_someone(sp, cl):
            kept.append(cl)
            continue
        for cand in cl.folded:
            key = (cand.label, _key(_span_text(sp, cand.start, cand.end)))
            if key not in restored:
                restored[key] = Cluster(cand.label, " ".join(_span_text(sp, cand.start, cand.end).split()), [])
                kept.append(restored[key])
            restored[key].mentions.append(cand)
    return kept


def _is_someone(sp: Doc, cl: Cluster) -> bool:
    """A person named by one word only ("Moon", "Editorial") must earn it: a title, a role, an
    affiliation, or speaking ("Erdogan said"). News introduces people by full name."""
    if any(c.end - c.start > 1 or c.name for c in cl.mentions) or cl.title or cl.role or cl.affiliation:
        return True  # named in full, or by a rule ("Bill" of "Bill and Hillary Clinton")
    for c in cl.mentions:
        head = sp[c.end - 1]
        if head.dep_ == "nsubj" and speech_verbs().get(head.head.lemma_.lower()) in ("speech", "announce"):
            return True
    return False


def _nominal_mentions(doc: Document, clusters: list[Cluster], lex: Lexicon, taken: list[tuple[int, int]]) -> None:
    """Link role phrases ("Iraq's national security adviser") to the one person holding that role."""
    norm = nlp.matching_form(doc.text)
    lower = norm.lower()
    covered = bytearray(len(norm) + 1)  # 1 where a name or a role is already (the spans in ``taken``)
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    roles = [c.role.lower() for c in clusters if c.role]
    words_at: dict[str, list[int]] = {}  # each word of the text -> where it starts (filled at the first role)
    for cl in clusters:
        if cl.label != "PERSON" or not cl.role:
            continue
        core_words = [w for w in cl.role.split() if not lex.country_of_word(w) and w.lower() not in ("former", "the")]
        core = " ".join(core_words).lower()
        if len(core_words) < 2 or sum(1 for r in roles if core in r) > 1:
            continue
        for m in _phrase_matches(core, lower, words_at):
            start, end = m.start(), m.end()
            if covered.find(1, start, end) >= 0:
                continue
            # take in a country owner or demonym just before: "Iraq's", "Iraqi" (two words at most: the
            # characters just before are enough)
            pre = _OWNER_BEFORE.search(norm, max(0, start - OWNER_REACH), start)
            if pre and lex.country_of_word(pre.group(1)):
                start = pre.start(1)
                cl.country = cl.country or lex.country_of_word(pre.group(1))
            cl.extra_mentions.append((start, end))
            taken.append((start, end))
            covered[start:end] = b"\x01" * (end - start)


def _phrase_matches(phrase: str, text: str, words_at: dict[str, list[int]]) -> list[re.Match[str]]:
    """``re.finditer(r"\\b<phrase>\\b", text)``, tried only where the phrase's first word stands (the
    text's words are indexed once, into ``words_at``, so many phrases do not read the text many times)."""
    pattern = re.compile(rf"\b{re.escape(phrase)}\b")
    head = _WORD.match(phrase)
    if head is None:
        return list(pattern.finditer(text))
    if not words_at:
        for w in _WORD.finditer(text):
            words_at.setdefault(w.group(), []).append(w.start())
    out: list[re.Match[str]] = []
    last_end = 0
    for at in words_at.get(head.group(), []):
        if at < last_end:
            continue
        m = pattern.match(text, at)
        if m is not None:
            out.append(m)
            last_end = m.end()
    return out


_WORD = re.compile(r"\w+")
_OWNER_BEFORE = re.compile(r"((?:[A-Z][\w.]*\s)?[A-Z][\w.]*(?:'s)?)\s$")
OWNER_REACH = 200  # characters


def _ministry_candidates(sp: Doc, lex: Lexicon) -> list[Candidate]:
    out = []
    for named in ministries(tokens.text_of(sp), lex):
        span = sp.char_span(named.start, named.end, alignment_mode="expand")
        if span is not None:
            out.append(Candidate(span.start, span.end, "ORG", country=named.country, name=named.name))
    return out


FINITE_VERB_TAGS = frozenset({"VBZ", "VBD", "VBP"})
TICKER = re.compile(r"[A-Z]{2,}\d+")


def _plausible(sp: Doc, c: Candidate, lex: Lexicon) -> bool:
    """spaCy's organisations that are not: lower case ("potential exchange"), the "State" of
    "Secretary of State", the "UK Home" of "UK Home Secretary"; a demonym before a known name
    ("Afghan Taliban") is dropped, its country kept."""
    if c.label != "ORG" or c.known is not None or c.name:
        return True
    toks = sp[c.start : c.end]
    if not any(t.text[:1].isupper() for t in toks):
        return False
    if len(toks) > 1 and any(t.tag_ in FINITE_VERB_TAGS for t in toks[1:]):
        return False  # a headline run into one name: "NASA Picks SpaceX", "Station Is Open for Business"
    if len(toks) > 2 and toks[0].lower_ in lex.role_nouns and toks[1].lower_ == "of":
        c.start += 2  # "Founder of Ceres Robotics": the organisation is what follows
        toks = sp[c.start : c.end]
    if not_an_org(toks) is not None:
        return False
    if _a_companys_product(toks, lex):
        return False
    if len(toks) > 2 and toks[-1].lower_ in lex.titles and toks[-2].lower_ not in lex.role_nouns | lex.titles:
        c.end -= 1  # "House of Representatives Speaker": the title follows the body ("Inspector General" stays)
    if len(toks) == 1 and c.start > 0 and sp[c.start - 1].like_num and toks[0].text.isupper() and len(toks[0]) <= 3:
        return False  # a unit after a number: "100 MW", "5 GW"
    if any("=" in t.text or TICKER.fullmatch(t.text) for t in toks):
        return False  # a market code: "GBP=", "CMAL3"
    before = sp[max(0, c.start - 2) : c.start]
    if len(toks) == 1 and len(before) == 2 and before[1].lower_ == "of" and before[0].lower_ in lex.role_nouns:
        return False
    after = sp[c.end] if c.end < len(sp) else None
    if after is not None and after.text[:1].isupper() and after.lower_ in lex.role_nouns:
        return False
    if len(toks) > 1 and toks[0].text in lex.demonyms:
        # "Afghan Taliban": the known name is the rest
        known = lex.names.get(sp[c.start + 1 : c.end].text)
        if known is not None:
            c.start, c.known = c.start + 1, known
            c.country = known.country or lex.demonyms.get(toks[0].text)
    return True


def _a_companys_product(toks: Span, lex: Lexicon) -> bool:
    """A known company's name leading other words that name no unit of it is one of its products:
    "Apple AirPods", "Intel Core", "Amazon Music Unlimited" ("Amazon Web Services" is a company)."""
    if len(toks) < 2:
        return False
    first = lex.names.get(toks[0].text)
    if first is None or first.sector != "BUS" or lex.names.get(toks.text) is not None:
        return False
    return not any(t.lower_.rstrip(".") in lex.org_words for t in toks[1:])


def _without_acronyms_of(sp: Doc, cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """The plausible candidates, less the acronyms the text defines for the implausible ones:
    "the Hang Seng Index (HSI)" is no organisation, nor is every later "HSI"."""
    kept: list[Candidate] = []
    dropped: list[Candidate] = []
    for c in cands:
        (kept if _plausible(sp, c, lex) else dropped).append(c)
    acronyms = not_org_acronyms(sp) | {
        sp[c.end + 1].text
        for c in dropped
        if c.end + 2 < len(sp) and sp[c.end].text == "(" and sp[c.end + 2].text == ")" and sp[c.end + 1].is_upper
    }
    return [c for c in kept if c.known is not None or sp[c.start : c.end].text not in acronyms]


def _complete_names(doc: Document, clusters: list[Cluster], lex: Lexicon) -> None:
    """A person known by one word gets the full name the text writes elsewhere, else the people
    lexicon's ("President Trump" -> Donald Trump)."""
    names = FullNames(doc.text)
    for cl in clusters:
        if len(cl.name.split()) != 1:
            continue
        if cl.label == "ORG" and cl.known is None and not cl.qid:
            # spaCy's organisation "Sanborn" ("... Sanborn said") is Jeff Sanborn where the text writes a
            # given name before it
            found = names.find(cl.name, lex)
            if found is not None and found.name.split()[0].lower() in given_names():
                cl.label, cl.name = "PERSON", found.name
                cl.extra_mentions.append((found.start, found.end))
            continue
        if cl.label != "PERSON":
            continue
        found = names.find(cl.name, lex)
        if found is not None:
            cl.name = found.name
            cl.extra_mentions.append((found.start, found.end))
            continue
        known = known_person(cl.name, lex)
        if known is not None:
            cl.name = known


def extract_entities(doc: Document, sp: Doc) -> list[Entity]:
    """The entities of ``doc`` from its parse ``sp`` (made from ``matching_form(doc.text)``)."""
    lex = lexicon()
    text_key = tokens.text_of(sp)
    if wikiner.is_wikiner(sp):  # its MISC names may be bodies ("Fiscalía General de la República")
        mended = (wikiner.mend(sp, e.start, e.end, e.label_) for e in sp.ents if e.label_ in (*NAME_LABELS, "MISC"))
        spacy_ents = [Candidate(*m) for m in wikiner.join_bodies(sp, [m for m in mended if m is not None])]
    else:
        spacy_ents = [Candidate(e.start, e.end, e.label_) for e in sp.ents if e.label_ in NAME_LABELS]
    lexical = _lexicon_candidates(sp, lex, text_key) + _ministry_candidates(sp, lex)
    cands = _choose(spacy_ents, lexical, sp)
    trimmed = _without_acronyms_of(sp, [c for c in (_trim(sp, c) for c in cands) if c is not None], lex)
    for c in trimmed:
        # trimming can reveal a known name ("The Hashed Al Shaabi" -> "Hashed Al Shaabi")
        known = lex.names.get(sp[c.start : c.end].text)
        if known is not None and c.known is None and (not known.context or any(x in text_key for x in known.context)):
            c.known, c.label, c.country = known, known.type, known.country or c.country
    for c in trimmed:
        if c.label in ("ORG", "PERSON") and c.known is None and a_street(sp[c.start : c.end]):
            c.label = "FAC"  # "Bruckner Boulevard", "Caldwell Place": a place of the city, no body, no one
        elif c.label == "PERSON" and c.known is None and sp[c.end - 1].lower_.rstrip(".") in lex.org_words:
            c.label = "ORG"  # "Dick Clark Productions", "Virginia Democrats"
        elif c.label in ("ORG", "PRODUCT") and c.known is None:
            if (
                c.start
                and c.end - c.start >= 3
                and lex.country_of_word(sp[c.start].text)
                and sp[c.start - 1].lower_ == "to"
            ):
                # "special envoy to Ukraine Kurt Volker": the role's country, then the person
                rest = Candidate(c.start + 1, c.end, c.label)
                if _reads_as_a_person(sp, rest, lex):
                    c.start = rest.start
            if _reads_as_a_person(sp, c, lex):
                c.label = "PERSON"  # "Novak Djokovic" typed as an organisation on a sports page
        if c.label == "PERSON":
            _hyphenated_tail(sp, c)
    people = [c for c in trimmed if c.label != "PERSON" or _split_person(sp, c, lex) is not None]
    people += _shared_surnames(sp, people)
    cands = _join_state_bodies(sp, people, lex)
    clusters = _cluster(sp, cands, lex)
    _complete_names(doc, clusters, lex)
    _describe_people(sp, clusters, lex)
    clusters = _drop_lone_names(sp, clusters)
    clusters = [cl for cl in clusters if not _unknown_acronym(sp, cl) and not _a_word_for_a_thing(sp, cl, lex)]
    taken = [(sp[c.start].idx, sp[c.end - 1].idx + len(sp[c.end - 1])) for cl in clusters for c in cl.mentions]
    taken += [span for cl in clusters for span in cl.role_spans]
    _nominal_mentions(doc, clusters, lex, taken)
    clusters += _own_outlet(doc, sp, clusters)
    clusters = _link(doc, sp, clusters, lex)
    if current() != EN:
        clusters = [cl for cl in clusters if not _lone_head_word(sp, cl)]
    lines = TitleCaseLines(doc.text)
    clusters = [cl for cl in clusters if not _headline_words(lines, sp, cl)]
    return _to_entities(doc, sp, clusters)


def _shared_surnames(sp: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "Bill and Hillary Clinton": the given name before "and" is a person of the surname after it."""
    at = {c.start: c for c in cands}
    taken = {i for c in cands for i in range(c.start, c.end)}
    given = given_names()
    out = []
    for c in cands:
        if c.label != "PERSON" or c.end - c.start != 2 or c.start < 2:
            continue
        first, conj = sp[c.start - 2], sp[c.start - 1]
        if conj.pos_ != "CCONJ" or not first.text[:1].isupper() or first.lower_ not in given:
            continue
        if (first.i and sp[first.i - 1].pos_ == "PROPN") or first.lower_ == sp[c.end - 1].lower_:
            continue  # "Han Lee and Junmyung Lee": a surname before "and", no given name
        name = f"{first.text} {sp[c.end - 1].text}"
        alone = at.get(first.i)
        if alone is not None and alone.label == "PERSON" and alone.end == first.i + 1 and alone.known is None:
            alone.name = name  # spaCy's person "Bill" alone
        elif first.i not in taken:
            out.append(Candidate(first.i, first.i + 1, "PERSON", name=name))
    return out


def _headline_words(lines: TitleCaseLines, sp: Doc, cl: Cluster) -> bool:
    """An organisation the knowledge base does not know, named only in title-case lines ("NASA Picks
    SpaceX", "Syrian Forces Blocking Refugee Return"): capitalised words, not a name the body uses."""
    if cl.label != "ORG" or cl.qid or cl.linked or cl.known or not cl.mentions or cl.extra_mentions:
        return False
    return all(lines.at(sp[c.start].idx) for c in cl.mentions)


def _own_outlet(doc: Document, sp: Doc, clusters: list[Cluster]) -> list[Cluster]:
    """The article's own outlet where its body names it ("told Polygraph.info", "Originally published on
    Live Science"), which the model rarely tags: web names and small outlets are not in its training.
    A title's "| Outlet" suffix is page furniture, not a mention."""
    name = doc.meta.source
    if not name or not any(ch.isupper() for ch in name):
        return []
    own = name.split()
    for cl in clusters:
        short = re.sub(r"^the\s+", "", cl.name, flags=re.IGNORECASE).split()
        if cl.label == "ORG" and short and len(short) < len(own) and own[-len(short) :] == short:
            # "The Times" in the Los Angeles Times, "the Post" in The Washington Post: the outlet itself
            cl.name, cl.known, cl.qid, cl.linked, cl.surface = " ".join(own), None, None, None, False
    if any(cl.label == "ORG" and _key(cl.name) == _key(name) for cl in clusters):
        return []
    body = [(p.start, p.end) for p in doc.paragraphs if p.kind not in ("title", "subtitle", "heading")]
    starts = [a for a, _ in body]  # paragraphs are in text order: the one holding a match by bisection
    taken = {i for cl in clusters for c in cl.mentions for i in range(c.start, c.end)}
    found: list[Candidate] = []
    # outlets write their own name in capitals too ("confirmed to WIRED")
    spellings = "|".join(re.escape(s) for s in dict.fromkeys((name, name.upper())))
    for m in re.finditer(rf"(?<![\w.])(?:{spellings})(?![\w])", doc.text):
        span = sp.char_span(m.start(), m.end())
        i = bisect.bisect_right(starts, m.start()) - 1
        inside = i >= 0 and m.end() <= body[i][1]
        if span is not None and inside and not taken.intersection(range(span.start, span.end)):
            found.append(Candidate(span.start, span.end, "ORG"))
    return [Cluster("ORG", " ".join(name.split()), found)] if found else []


# the knowledge-base types a mention of each label may link to ("the Pentagon" tagged FAC is an ORG)
LINK_TYPES = {
    "PERSON": frozenset({"PERSON"}),
    "ORG": frozenset({"ORG", "FAC"}),
    "FAC": frozenset({"ORG", "FAC"}),
    "GPE": frozenset({"GPE"}),
    "LOC": frozenset({"LOC", "GPE"}),
    "NORP": frozenset({"ORG"}),  # a party's members for the party: "Republicans" (a party only, PARTY_SECTORS)
}
PARTY_SECTORS = frozenset({"PTY"})


def _link(doc: Document, sp: Doc, clusters: list[Cluster], lex: Lexicon) -> list[Cluster]:
    """Each entity the knowledge base holds gets its QID and canonical name: by its name or a mention's
    words, the country its words give, the article's country and its publication day; a person known
    by surname alone gets the full name of the one office holder of that name at the time. Entities
    that turn out to be one (the Pentagon and the Defense Department) become one."""
    base = kb()
    day = doc.meta.published
    home = _home_country(clusters)
    for cl in clusters:
        types = LINK_TYPES.get(cl.label)
        if cl.qid is not None or types is None:
            continue
        entry = None
        country = cl.country or _possessor_country(sp, cl, lex)
        for name in _link_names(doc, sp, cl):
            entry = base.link(name, types, country=country, home=home, day=day, text=doc.text)
            if entry is None:
                entry = _owned_body(name, types, cl.country, lex, day, base)
            if entry is not None:
                break
        if entry is None and cl.label == "PERSON" and len(cl.name.split()) == 1:
            entry = base.holder(cl.name, home, day) if home else None
            entry = entry or base.holder(cl.name, None, day)
        if entry is None or (cl.label == "NORP" and (entry.sector not in PARTY_SECTORS or entry.country != home)):
            continue  # "Republicans" are a party's only in a story about its country
        surface = entry.name in base.surface or _named_in_its_language(entry.type, entry.qid)
        cl.qid, cl.surface, cl.linked = entry.qid, surface, entry.name
        cl.country = entry.country or cl.country  # the same across articles, whatever a role says
        if cl.label == "PERSON":
            # a person keeps the fullest name the article writes ("Tayyip Erdogan"); a surname alone
            # takes the canonical one
            if len(cl.name.split()) == 1:
                cl.name = entry.name
        else:
            cl.name, cl.label = entry.name, entry.type
    return _merge_linked(clusters)


def _possessor_country(sp: Doc, cl: Cluster, lex: Lexicon) -> str | None:
    """The country a mention is said to belong to ("Vietnam's Communist Party", which spaCy tags without
    the country): the body of that country, wherever else the article is."""
    for c in cl.mentions:
        if c.start >= 2 and sp[c.start - 1].tag_ == "POS":
            iso = lex.country_of_word(sp[c.start - 2].text.replace("’", "'"))
            if iso is not None:
                return iso
    return None


def _link_names(doc: Document, sp: Doc, cl: Cluster) -> list[str]:
    """The names to look an entity up by: its own, then its mentions' words, most frequent first."""
    forms = Counter(" ".join(sp[c.start : c.end].text.split()) for c in cl.mentions)
    return list(dict.fromkeys([cl.name, *(f for f, _ in forms.most_common())]))


def _owned_body(
    name: str, types: frozenset[str], country: str | None, lex: Lexicon, day: str | None, base: KB
) -> Entry | None:
    """ "Russian Foreign Ministry", "Iraq's Interior Ministry": the generic name of a body after its
    country's demonym or name is that country's body."""
    words = name.replace("’", "'").split()
    for n in (1, 2, 3):
        if len(words) <= n:
            break
        iso = lex.country_of_word(" ".join(words[:n]))
        if iso is not None and (country is None or iso == country):
            return base.link(" ".join(words[n:]), types, country=iso, day=day)
    return None


# the knowledge base's sectors whose bodies work anywhere: companies, media, NGOs, universities
STATELESS_SECTORS = frozenset({"BUS", "MED", "NGO", "IGO", "EDU", "REL", "CVL"})


HOME_LEAD = 2  # how many times the next country's mentions the home country needs


def _home_country(clusters: list[Cluster]) -> str | None:
    """The country the article is most about: the one its places, demonyms and bodies name most."""
    counts: Counter[str] = Counter()
    by_name = kb().by_name
    regions = _region_countries()
    for cl in clusters:
        # a region's country counts too: Kentucky, Louisiana and Mississippi make a story American
        country = cl.country or (regions.get(cl.name) if cl.label in ("GPE", "LOC") else None)
        if country and cl.label in ("GPE", "NORP", "ORG", "LOC"):
            entry = by_name.get(cl.linked) if cl.linked else None
            if cl.label == "ORG" and entry is not None and entry.sector in STATELESS_SECTORS:
                continue  # Twitter's or Reuters' country says nothing of where the story is
            counts[country] += len(cl.mentions) + len(cl.extra_mentions)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < HOME_LEAD * ranked[1][1]):
        return None  # two countries alike: "the Army" of a story on Ukraine and the US is neither's
    return ranked[0][0]


@cache
def _region_countries() -> dict[str, str]:
    """The regions the news names (``lexicons/en/regions.tsv``: US states, provinces...) -> their country."""
    out: dict[str, str] = {}
    for r in rows("regions.tsv", "en"):
        if len(r) > 1 and r[1] != "-":
            for name in [r[0], *(r[5].split("|") if len(r) > 5 and r[5] else [])]:
                out.setdefault(name, r[1])
    return out


def _merge_linked(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters linked to one entity become one, under the first one's name (a person: the longest):
    "Volodymyr Zelenskiy" and "Zelensky" are one person, with a QID or without."""
    first: dict[tuple[str, str], Cluster] = {}
    kept: list[Cluster] = []
    for cl in clusters:
        entity = cl.qid or cl.linked
        home = first.setdefault((cl.label, entity), cl) if entity else cl
        if home is cl:
            kept.append(cl)
            continue
        home.mentions.extend(cl.mentions)
        home.extra_mentions.extend(cl.extra_mentions)
        home.role_spans.extend(cl.role_spans)
        if cl.label == "PERSON" and len(cl.name) > len(home.name):
            home.name = cl.name
        home.title, home.role = home.title or cl.title, home.role or cl.role
        home.affiliation = home.affiliation or cl.affiliation
        home.country = home.country or cl.country
    return kept


def _surface_name(cl: Cluster, mentions: list[Mention]) -> str:
    """The name the article uses most, acronyms aside; when it only uses acronyms, the canonical name in
    English and, in another language, the acronym it writes ("la ONU", "l'AFP": the English name is no name
    of the article's; the QID links it)."""
    acronym = re.compile(r"[A-Z.]{2,6}")
    forms = Counter(" ".join(m.text.split()) for m in mentions if not acronym.fullmatch(m.text))
    if forms:
        return forms.most_common(1)[0][0]
    if current() != EN and cl.qid is not None:
        return Counter(m.text for m in mentions).most_common(1)[0][0]
    return cl.name


def _to_entities(doc: Document, sp: Doc, clusters: list[Cluster]) -> list[Entity]:
    built: list[tuple[int, Entity]] = []
    for cl in clusters:
        spans = [(sp[c.start].idx, sp[c.end - 1].idx + len(sp[c.end - 1])) for c in cl.mentions]
        spans = sorted(set(spans + cl.extra_mentions))
        mentions = [Mention(s, e, doc.text[s:e]) for s, e in spans]
        entity = Entity(
            id="",
            name=_surface_name(cl, mentions) if cl.surface else cl.name,
            type=cl.label,
            mentions=mentions,
            title=cl.title,
            role=cl.role,
            country=cl.country or (cl.known.country if cl.known else None),
            affiliation=cl.affiliation,
            wikidata=cl.qid,
        )
        built.append((spans[0][0], entity))
    built.sort(key=lambda x: x[0])
    for n, (_, entity) in enumerate(built, start=1):
        entity.id = f"E{n}"
    return [e for _, e in built]
