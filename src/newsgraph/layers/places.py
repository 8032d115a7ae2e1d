"""The places layer: toponyms found in the text and resolved to one gazetteer entry each.

Recognition: the GPE/LOC/FAC mentions of the entities layer, seats of government it typed ORG ("the
Kremlin"), and gazetteer names spaCy missed when they follow a locative preposition ("in Kirkuk").
Demonyms ("Iraqi", "Kurdish") stay affiliations of the entities layer; they are not places.

Resolution scores every entry of the name: its kind and population (a capital counts extra), whether
the name is its own or an alternate one, the countries and US states the document is about (named
countries, demonyms, unambiguous places), the words around the mention ("the Lebanese city of
Tripoli", "Paris, Texas", "Tripoli, the capital of Libya") and the distance to the other places of the
document. It runs in passes: after the first, each entry gains support from the likely entries of the
document's other names near it (a town and the county it lies in, a town and its state: "Paris and
Henry County" is Paris, Tennessee), twice; then the places that are clear become anchors for the last.
A country name that is also a state or a town elsewhere ("Georgia", "Palestine") counts little as the
document's country until it is resolved.

Metonymy: a country, a capital or a seat of government that says, decides or acts ("Washington does
not plan...", "ally of Tehran", "Washington's strategic posture") is marked ``metonymy: true`` and
linked to the government it stands for (``actor``: its ISO2, ``actor_name``).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph.document import Document, Entity
from newsgraph.geo import key as name_key
from newsgraph.geo import km
from newsgraph.layers._support import tokens
from newsgraph.layers._support.gazetteer import Gazetteer, Place, gazetteer
from newsgraph.layers._support.lexicon import lexicon
from newsgraph.layers._support.names import a_street
from newsgraph.lexicons import alternation, by_language, rows, words

# a name's lookup key, asked for every entry of every mention in every pass: worked out once per name
key = functools.lru_cache(maxsize=100_000)(name_key)

PLACE_TYPES = {"GPE", "LOC", "FAC"}
PROPER_TAGS = ("NNP", "NNPS", "PROPN")  # a proper noun: the English model's tags, a Universal Dependencies one
# words before a place name that are not part of it ("northern Iraq"): a compass word may take "-ern"
_COMPASS = "|".join(re.escape(r[0]) for r in rows("places_modifiers.tsv") if r[1] == "compass")
_MODIFIERS = "|".join(re.escape(r[0]) for r in rows("places_modifiers.tsv") if r[1] == "other")
DIRECTIONS = re.compile(
    rf"^(?:(?:{_COMPASS})(?:ern)?|north-?(?:east|west)(?:ern)?|south-?(?:east|west)(?:ern)?|{_MODIFIERS})\s+",
    re.IGNORECASE,
)
SUFFIXES = re.compile(rf"\s+(?:{alternation('places_suffixes.txt')})$", re.IGNORECASE)
CLEAR_MARGIN = 1.0  # a first-pass choice this far ahead of the next is context for the others
COUNTRY_BASE = 10.0  # a country's score before context (a town scores the log of its population)
AMBIGUOUS_WEIGHT = 0.3  # a country name that is also a region or town elsewhere, as context before resolution
# coherence (_cohere): places of a document support the other names' entries near them
COHERE_KM = 80.0  # two places this far apart support each other by 1/e
COHERE_T = 2.0  # an entry's weight as support: exp((its score - its name's best) / COHERE_T) ...
COHERE_MIN_SHARE = 0.1  # ... when at least this
COHERE_WEIGHT = 2.0  # score per unit of support
COHERE_CAP = 3.0  # support counted at most
COHERE_ROUNDS = 2
# In a document longer than CONTEXT_SPAN characters, the other places that support a mention's entries
# (_cohere) and the clear places it is measured against (Context.nearest) are those named within about
# CONTEXT_SPAN of it (the text is read in blocks of half that: a mention's own block and the blocks either
# side), so the work grows with the length, not with its square. A shorter document, any news article,
# is one block: every place supports every other, as it always did.
CONTEXT_SPAN = 50_000
# what follows a dateline's place ("PARIS (AFP) -", "NEW DELHI:"), and a dateline in capitals opening a paragraph
DATELINE_END = re.compile(r"(?:,\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\(\w[\w ]*\)\s*)?(?:—|–|\s-\s|--|:\s)")
DATELINE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})(?=" + DATELINE_END.pattern + ")")
COUNTY = re.compile(r"^(.+?)\s+(?:County|Parish|Borough)$")
# verbs whose subject is a government when a country or capital is the subject ("Washington does not plan")
ACTING_VERBS = words("places_government_acting_verbs.txt")
# verbs whose object is a government when a country or capital is the object ("reminding Washington of")
ADDRESSED_VERBS = words("places_government_addressed_verbs.txt")
# nouns whose possessor is a government ("Washington's strategic posture", "Iran's nuclear programme")
POLICY_NOUNS = words("places_government_policy_nouns.txt")
# nouns that relate one government to another ("ally of Tehran", "its archenemy Tehran", "talks with Iran")
RELATION_NOUNS = words("places_government_relation_nouns.txt")
RELATION_PREPOSITIONS = words("places_relation_prepositions.txt")  # "ally of Tehran", "talks with Iran"
CELESTIAL = words("places_celestial_bodies.txt")
# names that are mostly no place in news, fictional places and common words ("Gotham", "Hope")
NOT_PLACE_NAMES = words("places_fictional.txt") | words("places_common_words.txt")
ORG_WORDS = words("places_org_words.txt")
STANCE_ADJECTIVES = words("places_stance_adjectives.txt")


@dataclass(frozen=True)
class PlaceWords:
    """The word lists of the language read (``lexicons.reading``) that say where a place is written."""

    locative: frozenset[str]  # prepositions before a place: "in Kirkuk", "en Bagdad"
    containers: frozenset[str]  # "the Lebanese city of Tripoli", "la ciudad de Trípoli"
    not_places: frozenset[str]  # "North", "Downtown", "Norte": no place on their own


@by_language
def _place_words() -> PlaceWords:
    return PlaceWords(
        words("places_locative_prepositions.txt"),
        words("places_container_nouns.txt"),
        words("places_not_place_words.txt"),
    )


@dataclass
class Mention:
    start: int  # character offsets into doc.text
    end: int
    name: str  # what to look up
    span: Span | None
    entity: Entity | None = None
    seat_only: bool = False  # an ORG mention: a place only as a seat of government
    weak: bool = False  # found by the gazetteer or reclaimed from another type: needs support to count
    candidates: tuple[Place, ...] = ()
    local_country: str | None = None  # "Paris, France", "the Lebanese city of Tripoli"
    local_admin: tuple[str, str] | None = None  # "Paris, Texas" -> ("US", "TX")
    near_countries: set[str] = field(default_factory=set)  # country words in the same clause
    choice: Place | None = None
    margin: float = 0.0
    scores: dict[int, float] = field(default_factory=dict)  # by place id, from the last choice
    support: dict[int, float] = field(default_factory=dict)  # by place id: from the other names (_cohere)
    supported: bool = True  # the choice is big enough, or the article's context points to it

    @property
    def owner(self) -> str:
        """Who this mention is in the context: its entity, else its name."""
        return self.entity.id if self.entity is not None else "name:" + key(self.name)


@dataclass
class Context:
    """What the document is about: its countries (weighted mentions), US states, and places already clear."""

    countries: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    # who gave which weight: an entity id or a name's key -> country -> weight (a name is not its own context)
    given: dict[str, dict[str, float]] = field(default_factory=dict)
    states: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    blocks: Blocks = field(default_factory=lambda: Blocks(0))
    # the clear towns and regions, (lookup key, place), by the blocks they are named in
    anchors: defaultdict[int, dict[tuple[str, Place], None]] = field(default_factory=lambda: defaultdict(dict))
    _nearest: dict[tuple[int, str, int], float | None] = field(default_factory=dict)  # asked before

    def anchor(self, name: str, place: Place, block: int) -> None:
        """A clear place: one anchor per place and name, however many mentions."""
        if place.kind in ("city", "admin"):  # what distances are measured to
            self.anchors[block][name, place] = None
            self._nearest.clear()

    def add(self, owner: str, iso: str, weight: float) -> None:
        self.countries[iso] += weight
        mine = self.given.setdefault(owner, {})
        mine[iso] = mine.get(iso, 0.0) + weight

    def country_weight(self, iso: str | None, exclude: str) -> float:
        if not iso:
            return 0.0
        counts = dict(self.countries)
        for own, weight in self.given.get(exclude, {}).items():
            counts[own] -= weight
        top = max((v for v in counts.values() if v > 1e-9), default=0.0)
        have = counts.get(iso, 0.0)
        return have / top if top and have > 1e-9 else 0.0

    def state_weight(self, iso: str | None, admin1: str) -> float:
        top = max(self.states.values(), default=0)
        have = self.states.get((iso or "", admin1), 0)
        return have / top if top and have > 0 else 0.0

    def nearest(self, place: Place, own: str, block: int) -> float | None:
        """The distance from ``place`` to the nearest clear town or region of another name named near
        ``block`` (anywhere, in a document of one block)."""
        asked = (block, own, place.id)  # an entry's place is its id's, alternate name or not
        if asked in self._nearest:
            return self._nearest[asked]
        dists = [
            km(place.lat, place.lon, a.lat, a.lon)
            for b in self.blocks.around(block)
            for k, a in self.anchors.get(b, {})
            if k != own
        ]
        self._nearest[asked] = found = min(dists) if dists else None
        return found


class Blocks:
    """The text in blocks of CONTEXT_SPAN // 2 characters; a document up to CONTEXT_SPAN long is one."""

    def __init__(self, length: int) -> None:
        self.size = CONTEXT_SPAN // 2 if length > CONTEXT_SPAN else max(length, 1)

    def of(self, m: Mention) -> int:
        return m.start // self.size

    def around(self, block: int) -> frozenset[int]:
        """The blocks whose places count for a mention in ``block``: its own and its neighbours."""
        return frozenset((block - 1, block, block + 1))


def extract_places(doc: Document, sp: Doc, gaz: Gazetteer | None = None) -> list[dict[str, Any]]:
    """The places of ``doc`` from its parse ``sp`` and the entities layer, one item per mention."""
    gaz = gaz or gazetteer()
    mentions = find_mentions(doc, sp, gaz)
    resolve(doc, sp, mentions, gaz)
    reading = Metonymy()
    out = []
    for m in mentions:
        if m.choice is None or not (m.choice.country or m.choice.kind == "other"):
            continue  # no map entry
        if not m.supported:
            continue  # a small town far from everything else in the article: more likely a word or a name
        out.append(_item(doc, m, gaz, reading))
        if m.weak and m.entity is not None and m.entity.type in ("ORG", "PERSON", "PRODUCT", "NORP"):
            # the one place where a layer corrects an earlier one: spaCy's "organization" Logar is a
            # province, and the entity should say so wherever else it is read (search, the UI)
            m.entity.type = "LOC" if m.choice.kind in ("admin", "other") else "GPE"
    out += _streets(doc, sp, out)
    return sorted(out, key=lambda x: (x["start"], x["end"]))


def _streets(doc: Document, sp: Doc, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Streets, squares and neighbourhoods the text names (the entities layer's FAC by their last word,
    "Bruckner Boulevard", "Nachtigalplatz"): no gazetteer holds them, so each is placed at the city the text
    names last before it, else first after it; none without one."""
    cities = sorted((x for x in found if x["kind"] == "city"), key=lambda x: x["start"])
    if not cities:
        return []
    city_ends = [c["end"] for c in cities]
    out = []
    for ent in doc.entities:
        if ent.type != "FAC":
            continue
        for em in ent.mentions:
            span = _char_span(sp, em.start, em.end)
            if span is None or not a_street(span):
                continue
            n = bisect.bisect_right(city_ends, em.start)  # the cities named before it
            host = cities[n - 1] if n else cities[0]
            out.append(
                {
                    "text": doc.text[em.start : em.end],
                    "start": em.start,
                    "end": em.end,
                    "name": ent.name,
                    "country": host["country"],
                    "kind": "other",
                    "lat": host["lat"],
                    "lon": host["lon"],
                    "metonymy": False,
                }
            )
    return out


def geocode(doc: Document, sp: Doc, spans: list[tuple[int, int]], gaz: Gazetteer | None = None) -> list[Place | None]:
    """Resolve given toponym spans (character offsets) in the context of the whole document: the places
    the layer finds itself stand beside them as context. One entry per span; None when the gazetteer
    has no entry of that name. (Geocoding with gold spans, as the benchmarks measure it.)"""
    gaz = gaz or gazetteer()
    owner = {(m.start, m.end): e for e in doc.entities for m in e.mentions}
    given = []
    for start, end in spans:
        m = Mention(start, end, doc.text[start:end], _char_span(sp, start, end), owner.get((start, end)))
        m.candidates = _candidates(m, gaz, demonyms=True)
        given.append(m)
    found = [m for m in find_mentions(doc, sp, gaz) if not any(g.start < m.end and m.start < g.end for g in given)]
    resolve(doc, sp, [m for m in given if m.candidates] + found, gaz)
    return [m.choice for m in given]


# ---------------------------------------------------------------------------------------------- recognition


def find_mentions(doc: Document, sp: Doc, gaz: Gazetteer) -> list[Mention]:
    """Toponym mentions: the entities layer's places, the seats of government and places it typed as
    organizations or people, and gazetteer names it missed."""
    mentions: list[Mention] = []
    covered: set[int] = set()
    for ent in doc.entities:
        reclaimed = ent.type in ("ORG", "PERSON", "PRODUCT", "NORP") and _mistyped_place(ent, sp, gaz)
        for em in ent.mentions:
            covered.update(range(em.start, em.end))
            span = _char_span(sp, em.start, em.end)
            if ent.type in PLACE_TYPES or reclaimed:
                mentions.append(Mention(em.start, em.end, em.text, span, ent, weak=reclaimed))
            elif ent.type == "ORG" and any(p.seat for p in gaz.lookup(em.text)):
                mentions.append(Mention(em.start, em.end, em.text, span, ent, seat_only=True))
    mentions += _gazetteer_mentions(doc, sp, gaz, covered)
    mentions += _dateline_mentions(doc, sp, gaz, covered)
    # a place is written with a capital, and is more than a point of the compass
    prefix, not_places = _region_prefix(), _place_words().not_places
    mentions = [
        m
        for m in mentions
        if (m.name[:1].isupper() or (prefix is not None and prefix.match(m.name))) and m.name.lower() not in not_places
    ]
    # "Mars", "Earth", "Jupiter": the planet, unless its state is written beside it ("Jupiter, Fla."): an article
    # about space may name both the planet and the town
    mentions = [m for m in mentions if m.name.lower() not in CELESTIAL or _state_follows(sp, m.end, gaz)]
    # "Gotham", "Hope": the story's city, the word, unless the article writes the town with its state beside it
    # ("Paradise, Calif."): then every mention of it is the town
    anchored = {
        m.name.lower() for m in mentions if m.name.lower() in NOT_PLACE_NAMES and _state_follows(sp, m.end, gaz)
    }
    mentions = [m for m in mentions if m.name.lower() not in NOT_PLACE_NAMES or m.name.lower() in anchored]
    text = tokens.text_of(sp)
    for m in mentions:
        dateline = _dateline(sp, m.start, m.end)
        # a dateline's capitals are a name before its dash or after its comma ("KHAN YOUNIS, GAZA —"), not a
        # page's label before a colon ("DATE : 27/09/2020")
        capitals = dateline and (
            re.match(r"\s*(?:\([^)]*\)\s*)?[—–-]", text[m.end :]) is not None or text[: m.start].rstrip().endswith(",")
        )
        m.candidates = _candidates(m, gaz, capitals=capitals)
        if dateline:
            # a dateline names the city the story was filed from: "NEW YORK (Reuters) -" is the city
            cities = tuple(p for p in m.candidates if p.kind == "city" and p.population >= 15_000)
            m.candidates = cities or m.candidates
    return sorted((m for m in mentions if m.candidates), key=lambda m: m.start)


def _mistyped_place(ent: Entity, sp: Doc, gaz: Gazetteer) -> bool:
    """An "organization" or "person" that is a place spaCy mistyped: named exactly as a country or
    state ("Ohio" as ORG), or as a town of some size, and written where places are written ("in
    Charleston", "Charleston, S.C.", a dateline "CHARLESTON —"). A person with a title or role is someone."""
    if ent.title or ent.role or ent.affiliation or len(ent.name.split()) > 5:
        return False
    places = [p for p in gaz.lookup(ent.name) if not p.alternate and key(p.name) == key(ent.name)]
    if not places or (ent.type == "ORG" and any(w.lower() in ORG_WORDS for w in ent.name.split())):
        return False
    if len(ent.name.split()) > 3 and not any(p.kind == "country" for p in places):
        return False  # a long name is a body's, unless it is a country's own ("St. Kitts & Nevis")
    if ent.type == "NORP":
        # "Barbados continues to deal with a surge": a country's own name is the country, never its people's
        return any(p.kind == "country" for p in places)
    big = any(p.kind in ("country", "admin") for p in places)
    if big and ent.type == "ORG":
        return True
    if any(p.kind == "city" and (p.population >= WORLD_CITY or p.capital) for p in places):
        return True  # "Kyiv said", spaCy's person: a capital or a world city is no one's one-word name
    if not big and max(p.population for p in places) < 10_000:
        return False
    return any(_placed(sp, m.start, m.end, gaz) for m in ent.mentions)


def _placed(sp: Doc, start: int, end: int, gaz: Gazetteer) -> bool:
    """Written where a place is written: after a locative preposition, before ", State", or as a dateline."""
    span = _char_span(sp, start, end)
    if span is None:
        return False
    before = sp[span.start - 1].lower_ if span.start > 0 else ""
    root = span.root
    return (
        before in _place_words().locative
        or (root.dep_ == "conj" and _first_conjunct(root).ent_type_ in PLACE_TYPES)  # "near Donetsk and Luhansk"
        or _state_follows(sp, end, gaz)
        or _dateline(sp, start, end)
        or tokens.text_of(sp).startswith("-based", end)  # "an Amritsar-based agent", "a Sugar Land-based provider"
    )


def _first_conjunct(tok: Token) -> Token:
    """The first of a list's conjuncts ("Kharkiv, Zaporizhzhia and Kherson": Kharkiv), within a few steps."""
    for _ in range(8):
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok


def _dateline(sp: Doc, start: int, end: int) -> bool:
    """The name opens a paragraph and a dash or a colon follows it: "CHARLESTON —", "PARIS (AFP) -",
    "NEW DELHI:", "WASHINGTON, D.C. --"."""
    text = tokens.text_of(sp)
    # before it on its line, at most the dateline's city ("WASHINGTON, " before "D.C."): no word in lower case
    # ("officials in Broward County, Florida — where Parkland is" is no dateline)
    lead = text[text.rfind("\n", 0, start) + 1 : start]
    return bool(DATELINE_END.match(text, end)) and len(lead) <= 40 and not any(ch.islower() for ch in lead)


def _dateline_mentions(doc: Document, sp: Doc, gaz: Gazetteer, covered: set[int]) -> list[Mention]:
    """Datelines in capitals that spaCy left untagged ("NEW DELHI: Their American dream..."): the
    paragraph's first words, a town of some size or a region the gazetteer knows by its own name."""
    out = []
    for hit in DATELINE.finditer(doc.text):
        name = hit.group(1)
        if covered.intersection(range(hit.start(1), hit.end(1))):
            continue
        places = [p for p in gaz.lookup(name.title()) if not p.alternate]
        if places and (places[0].kind in ("country", "admin") or max(p.population for p in places) >= 20_000):
            out.append(Mention(hit.start(1), hit.end(1), name, _char_span(sp, hit.start(1), hit.end(1)), weak=True))
    return out


def _state_follows(sp: Doc, end: int, gaz: Gazetteer) -> bool:
    """A state or province written after the name: "Jupiter, Fla.", "Paris, Texas"."""
    state = re.match(r",\s*([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", tokens.text_of(sp)[end : end + 12])
    return bool(
        state and (state.group(1) in gaz.abbreviations or any(p.kind == "admin" for p in gaz.lookup(state.group(1))))
    )


def _char_span(sp: Doc, start: int, end: int) -> Span | None:
    return sp.char_span(start, end, alignment_mode="expand")


def _gazetteer_mentions(doc: Document, sp: Doc, gaz: Gazetteer, covered: set[int]) -> list[Mention]:
    """Places spaCy missed: capitalised names that the gazetteer knows by their own name (not an
    alternate one), written where places are written ("in Kirkuk", "Glen Carbon, Ill.", a dateline),
    and no one's name in this article."""
    person_words = {w for e in doc.entities if e.type == "PERSON" for w in e.name.split()}
    out: list[Mention] = []
    toks = tokens.of(sp).tokens
    i = 0
    while i < len(sp):
        tok = toks[i]
        if (
            not _name_token(tok)
            or tok.idx in covered
            # spaCy took it for something else (a date, a number, a work); a name the entities layer let go
            # ("Luhansk", spaCy's one-word person) may be a place
            or (tok.ent_type_ not in ("", "PERSON", "ORG", "PRODUCT") and not _after_a_dash_in_a_date(sp, tok))
            or tok.text in lexicon().demonyms
        ):
            i += 1
            continue
        j = i
        while j + 1 < len(sp) and j - i < 3 and _name_token(toks[j + 1]) and toks[j + 1].idx not in covered:
            j += 1
        found = None
        for end in range(j, i - 1, -1):
            span = sp[i : end + 1]
            if any(t.text in person_words for t in span) or (
                end + 1 < len(sp) and sp[end + 1].tag_ in PROPER_TAGS and sp[end + 1].text[:1].isupper()
            ):
                continue
            named = [p for p in gaz.lookup(span.text) if _surface_ok(span.text, p)]
            places = [p for p in named if not p.alternate]
            # a capital or world city spaCy took for a name ("advanced on Sanaa") needs no preposition; a big
            # city is known by its other spellings too ("Zaporizhzhia" for Zaporizhzhya)
            famous = bool(tok.ent_type_) and any(
                p.kind == "city" and (p.capital or p.population >= WORLD_CITY) for p in places
            )
            if not famous and not _placed(sp, span.start_char, span.end_char, gaz):
                continue
            places = places or [p for p in named if p.kind == "city" and p.population >= BIG_CITY]
            if places and (places[0].kind in ("country", "admin") or max(p.population for p in places) >= 20_000):
                found = span
                break
        if found is not None:
            out.append(Mention(found.start_char, found.end_char, found.text, found, weak=True))
            i = found.end
        else:
            i = j + 1
    return out


def _after_a_dash_in_a_date(sp: Doc, tok: Token) -> bool:
    """ "Feb. 14 - Atlanta, GA": a name after the dash of a schedule's line, which spaCy takes into the date."""
    return tok.ent_type_ == "DATE" and tok.i > 0 and sp[tok.i - 1].text in ("-", "–", "—") and tok.ent_iob_ == "I"


def _name_token(tok: Token) -> bool:
    return (
        tok.tag_ in PROPER_TAGS
        and len(tok.text) >= 3
        and tok.text[:1].isupper()
        and not tok.text.isupper()
        and tok.text.replace("-", "").isalpha()
        and not tok.is_sent_start
    )


def _surface_ok(text: str, place: Place, capitals: bool = False) -> bool:
    """The written form fits the entry: a short all-caps form ("US") is not a town called "Us"; but a
    dateline writes its names in capitals ("KHAN YOUNIS, GAZA —")."""
    return (
        capitals
        or not (text.isupper() and len(text) <= 4 and place.kind == "city" and key(text) == key(place.name))
        or place.name.isupper()
    )


def _variants(name: str) -> list[str]:
    """Forms of a mention to look up, fullest first: "northern Iraq" -> "Iraq"; "Idlib province" -> "Idlib"."""
    name = " ".join(name.replace("’", "'").split())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"'s?$", "", name)
    out = [name]
    direction = DIRECTIONS.match(name)
    # "northern Iraq", "north Arlington", "Southern Sudan"; but "East Bank", "North Carolina" are names
    if direction and (direction.group(0)[0].islower() or direction.group(0).split()[0].lower().endswith("ern")):
        out.append(name[direction.end() :])
    for n in list(out):
        short = SUFFIXES.sub("", n)
        if short != n and short:
            out.append(short)
    prefix = _region_prefix()
    if prefix is not None and (m := prefix.match(name)) and m.end() < len(name):
        out.append(name[m.end() :])  # "provincia de Córdoba" -> "Córdoba" (a region: _candidates)
    return out


@by_language
def _region_prefix() -> re.Pattern[str] | None:
    """The words before a region's name in a language that writes them first ("provincia de Córdoba"):
    places_prefixes.txt; None where there are none (English writes "Idlib province": SUFFIXES)."""
    found = alternation("places_prefixes.txt")
    return re.compile(rf"^(?:{found})\s+", re.IGNORECASE) if found else None


def _candidates(m: Mention, gaz: Gazetteer, demonyms: bool = False, capitals: bool = False) -> tuple[Place, ...]:
    """The entries a mention may be. A US county ("Clarke County") is not in the gazetteer: it may be a
    town of that name in a state that has such a county. With ``demonyms``, "Iraqi" is Iraq."""
    county = COUNTY.match(m.name)
    if county:
        found = tuple(p for p in gaz.lookup(m.name) if p.level == 2)
        if found:
            return found
        states = gaz.county_states(m.name)
        if states:
            return tuple(
                p for p in gaz.lookup(county.group(1)) if p.kind == "city" and p.country == "US" and p.admin1 in states
            )
    if demonyms:
        iso = lexicon().demonyms.get(m.name)
        country = gaz.country(iso) if iso else None
        if country is not None:
            return (country,)
    for i, form in enumerate(_variants(m.name)):
        found = tuple(p for p in gaz.lookup(form) if _surface_ok(form, p, capitals))
        if m.seat_only:
            found = tuple(p for p in found if p.seat)
        if i and not SUFFIXES.search(m.name):
            # "northern Iraq" is in Iraq, "Southern California" in California; but "Eastern Creek" is no
            # place called "Creek": a direction comes off a country, a region or a city of some size only
            found = tuple(p for p in found if p.kind != "city" or p.population >= 50_000)
            found = tuple(p for p in found if not p.alternate and (p.kind != "admin" or p.level == 1))
        elif i:
            # "Idlib province" is Idlib by its own name; "the Lake District" is no place whose other name is "Lake"
            found = tuple(p for p in found if not p.alternate)
        prefix = _region_prefix()
        if found and i and prefix is not None and prefix.match(m.name):
            # "provincia de Córdoba" is the province, not its capital, where the gazetteer has both
            found = tuple(p for p in found if p.kind == "admin") or found
        if found:
            m.name = form
            return found
    return ()


# ---------------------------------------------------------------------------------------------- resolution


def resolve(doc: Document, sp: Doc, mentions: list[Mention], gaz: Gazetteer) -> None:
    """Choose one entry per mention: first from the document's countries and the words around each
    mention, then again with the places that were clear the first time as anchors."""
    ctx = _context(doc, gaz)
    ctx.blocks = Blocks(len(doc.text))
    for m in mentions:
        _local(m, sp, gaz)
    _choose_all(mentions, ctx)
    for _ in range(COHERE_ROUNDS):
        _cohere(mentions, ctx.blocks)
        _choose_all(mentions, ctx)
    # clear choices become context: their country, their US state, their position
    for m in mentions:
        if m.choice is not None and m.margin >= CLEAR_MARGIN:
            ctx.anchor(key(m.name), m.choice, ctx.blocks.of(m))
            if (m.entity is None or not m.entity.country) and m.choice.country:
                ctx.add(m.owner, m.choice.country, 1.0)
            if m.choice.kind in ("city", "admin") and m.choice.admin1 and m.choice.country == "US":
                ctx.states[(m.choice.country, m.choice.admin1)] += 1
    _choose_all(mentions, ctx)


def _choose_all(mentions: list[Mention], ctx: Context) -> None:
    """``_choose`` for every mention; mentions that read alike (the same name, entries, support and words
    around, in the same block) get the same choice, worked out once: a name said a hundred times is
    scored once."""
    done: dict[tuple[Any, ...], tuple[dict[int, float], Place | None, float, bool]] = {}
    for m in mentions:
        alike = (
            ctx.blocks.of(m),
            key(m.name),
            m.owner,
            m.weak,
            m.local_country,
            m.local_admin,
            frozenset(m.near_countries),
            tuple((p.id, p.alternate, m.support.get(p.id)) for p in m.candidates),
        )
        if alike in done:
            m.scores, m.choice, m.margin, m.supported = done[alike]
            continue
        _choose(m, ctx)
        done[alike] = (m.scores, m.choice, m.margin, m.supported)


def _near(a: Place, b: Place) -> float:
    """How much two entries of different names support each other: a town in a region or country the
    other is; two towns, counties or a town and a county by their distance."""
    if b.kind == "country" or a.kind == "country":
        return 0.0  # the document's countries are weighed apart (Context.countries)
    if b.level == 1 or a.level == 1:
        return 1.0 if (a.country, a.admin1) == (b.country, b.admin1) and a.admin1 else 0.0
    return math.exp(-km(a.lat, a.lon, b.lat, b.lon) / COHERE_KM)


def _cohere(mentions: list[Mention], blocks: Blocks) -> None:
    """Each entry's support from the other names of the document: for each other name, the best of its
    plausible entries (weighed by their scores in the last choice, relative to that name's best one) near
    this entry, summed over the names. "Paris and Henry County": Paris, Tennessee is in Henry County,
    Tennessee, and the two hold each other up against Paris, France and Henry County, Georgia. In a long
    document, the names counted are those named near the mention (``Blocks``)."""
    by_name: dict[str, list[tuple[Place, float]]] = {}
    named_in: defaultdict[str, set[int]] = defaultdict(set)  # a name's key -> the blocks it is named in
    for m in mentions:
        k = key(m.name)
        named_in[k].add(blocks.of(m))
        if k in by_name or not m.scores:
            continue
        top = max(m.scores.values())
        weights = {pid: math.exp((s - top) / COHERE_T) for pid, s in m.scores.items()}
        by_name[k] = [(p, weights[p.id]) for p in m.candidates if weights[p.id] >= COHERE_MIN_SHARE]
    around: dict[int, list[tuple[str, list[tuple[Place, float]]]]] = {}  # block -> the names that count there
    support: dict[tuple[int, str, int], float] = {}  # by entry id (its place: whatever name found it), name, block
    for m in mentions:
        own, block = key(m.name), blocks.of(m)
        if block not in around:
            near = blocks.around(block)
            around[block] = [(k, entries) for k, entries in by_name.items() if not named_in[k].isdisjoint(near)]
        names = around[block]
        for p in m.candidates:
            if (block, own, p.id) not in support:
                support[block, own, p.id] = sum(
                    max((weight * _near(p, q) for q, weight in entries), default=0.0)
                    for k, entries in names
                    if k != own
                )
        m.support = {p.id: support[block, own, p.id] for p in m.candidates}


def _context(doc: Document, gaz: Gazetteer) -> Context:
    """The countries the document is about (named countries, demonyms, people's and bodies' countries)
    and its US states (from the counties it names: "Clarke County" is in GA, AL...)."""
    ctx = Context()
    for e in doc.entities:
        if not e.country:
            continue
        weight = {"GPE": 1.0, "NORP": 0.5}.get(e.type, 0.3)
        if e.type == "GPE" and _elsewhere(e, gaz):
            weight *= AMBIGUOUS_WEIGHT  # "Georgia", "Lebanon", "Paris": evidence once resolved, not before
        ctx.add(e.id, e.country, weight * len(e.mentions))
    for hit in re.finditer(r"\b((?:[A-Z][a-z]+\s){1,2}(?:County|Parish))\b", doc.text):
        states = gaz.county_states(hit.group(1))
        for state in states:
            ctx.states[("US", state)] += 1 / len(states)
        if states:
            ctx.countries["US"] += 0.5
    return ctx


def _elsewhere(e: Entity, gaz: Gazetteer) -> bool:
    """The place's name is also a state or province, or a town of some size, in another country."""
    return any(
        p.country != e.country and not p.alternate and (p.level == 1 or (p.kind == "city" and p.population >= 10_000))
        for p in gaz.lookup(e.name)
    )


def _local(m: Mention, sp: Doc, gaz: Gazetteer) -> None:
    """What the words right around the mention say about where it is."""
    if m.span is None:
        return
    span, lex = m.span, lexicon()
    # "Paris, Texas", "Springfield, Ill.", "Tripoli, Lebanon"
    after = tokens.text_of(sp.doc)[span.end_char : span.end_char + 40]
    hit = re.match(r",\s*((?:[A-Z][\w'’.-]*\.?)(?:\s+[A-Z][\w'’.-]*\.?){0,2})", after)
    if hit:
        words = hit.group(1).split()
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if cand in gaz.abbreviations:
                m.local_admin = gaz.abbreviations[cand]
                break
            places = gaz.lookup(cand.rstrip("."))
            if places and places[0].kind in ("country", "admin") and not places[0].alternate:
                top = places[0]
                if top.kind == "country":
                    m.local_country = top.country
                elif top.admin1:
                    m.local_admin = (top.country or "", top.admin1)
                else:
                    m.local_country = top.country
                break
    # "the Lebanese city of Tripoli", "Lebanon's Tripoli", "Tripoli, the capital of Libya"
    sent = span.sent
    lo, hi = max(sent.start, span.start - 6), min(sent.end, span.end + 7)
    container = False
    for tok in sp[lo:hi]:
        if span.start <= tok.i < span.end:
            continue
        if tok.lower_ in _place_words().containers:
            container = True
        if tok.text[:1].isupper():
            iso = lex.country_of_word(tok.text.replace("’", "'"))
            if iso is None and tok.ent_type_ == "GPE":
                countries = [p for p in gaz.lookup(tok.text) if p.kind == "country" and not p.alternate]
                iso = countries[0].country if countries else None
            if iso:
                m.near_countries.add(iso)
    if m.local_country is None and container and len(m.near_countries) == 1:
        m.local_country = next(iter(m.near_countries))
    if m.local_country is None and span.start >= 2 and sp[span.start - 1].tag_ == "POS":
        m.local_country = lex.country_of_word(sp[span.start - 2].text)


def _score(p: Place, m: Mention, ctx: Context) -> float:
    if p.kind == "country":
        s = COUNTRY_BASE
    elif p.kind == "admin" and p.population:
        # a region known by its towns: as big as they are together, a state a little more than a county
        s = min(6.5, math.log10(p.population + 10) + 0.5) if p.level == 1 else math.log10(p.population + 10)
    elif p.kind == "admin" and not p.derived:
        s = 6.5  # one of ours (regions.tsv): a region the news names
    elif p.kind == "admin":
        s = 1.0  # a region the gazetteer holds no town of (a Barbados parish): small, or unknown to it
    elif p.kind == "other":
        s = 8.0
    else:
        s = math.log10(p.population + 10) + (1.5 if p.capital else 0.0)
    if p.alternate:
        s -= 2.0
    w = ctx.country_weight(p.country, m.owner)
    s += 3.0 * w + (1.0 if w > 0 else 0.0)
    if p.country == "US" and p.kind != "country":
        s += 2.0 * ctx.state_weight(p.country, p.admin1)
    if m.local_country:
        if p.country == m.local_country and p.kind != "country":
            s += 6.0
        elif p.kind != "country":
            s -= 2.0
    if m.local_admin:
        if (p.country, p.admin1) == m.local_admin and p.level != 1:
            s += 7.0
        elif p.kind != "country":
            s -= 2.0
    if p.country in m.near_countries and p.kind != "country":
        s += 1.5
    if p.kind in ("city", "admin"):
        d = ctx.nearest(p, key(m.name), ctx.blocks.of(m))
        if d is not None:
            s += 3.0 * math.exp(-d / 300.0)
    return s


WORLD_CITY = 1_000_000  # people: a city known by its name the world over
BIG_CITY = 100_000  # people: a city the text may spell in one of its other names


def _near_others(p: Place, m: Mention, ctx: Context) -> bool:
    """The town lies within 100 km of another place the document names: the local one is meant."""
    d = ctx.nearest(p, key(m.name), ctx.blocks.of(m))
    return d is not None and d < 100


def _choose(m: Mention, ctx: Context) -> None:
    # a country, region or sea of that very name outweighs small towns named after it ("China", Maine,
    # "Middle East", Maryland)
    named = any((p.kind in ("country", "other") or p.level == 1) and not p.alternate for p in m.candidates)
    country_named = any(p.kind == "country" and not p.alternate for p in m.candidates)  # not "Mexico City"

    # a world city outweighs small towns named after it ("Delhi", "Warsaw", "Paris") unless the text
    # places the town ("Paris, Texas": its state is the mention's own); where the document is about the
    # world city's country too, a town's state named elsewhere or a place near it is not enough: only the
    # words beside the name place the town ("Delhi" in an Indian report on deportees from California)
    worlds = [p for p in m.candidates if p.kind == "city" and p.population >= WORLD_CITY and not p.alternate]
    world_city = bool(worlds)
    world_home = any(ctx.country_weight(p.country, m.owner) > 0 for p in worlds)

    def score(p: Place) -> float:
        placed = (p.country, p.admin1) == m.local_admin or p.country == m.local_country
        if world_home and p.kind == "city" and p.population < 100_000 and not placed:
            return -99.0  # a namesake town never beats a world city of the document's countries unless placed
        small = named and (
            (p.kind == "city" and p.population < 100_000) or (p.alternate and (p.level == 2 or country_named))
        )
        small = small or (
            world_city
            and p.kind == "city"
            and p.population < 100_000
            and (p.country, p.admin1) != m.local_admin
            and p.country != m.local_country
            and not (p.country == "US" and ctx.state_weight("US", p.admin1) > 0)
            and not _near_others(p, m, ctx)
        )
        return _score(p, m, ctx) - (4.0 if small else 0.0) + COHERE_WEIGHT * min(m.support.get(p.id, 0.0), COHERE_CAP)

    scored = sorted(((score(p), -i, p) for i, p in enumerate(m.candidates)), reverse=True)
    m.scores = {p.id: s for s, _, p in scored}
    m.choice = p = scored[0][2]
    m.margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 99.0
    near = ctx.nearest(p, key(m.name), ctx.blocks.of(m))
    m.supported = (
        p.kind != "city"
        or p.population >= (50_000 if m.weak else 15_000)
        or p.country in (m.local_country, (m.local_admin or ("",))[0])
        or (near is not None and near < 300)
        or (p.country == "US" and ctx.state_weight("US", p.admin1) > 0)
        or (not m.weak and ctx.country_weight(p.country, m.owner) > 0)
    ) and not (
        # "San Ysidro, California" where the gazetteer knows only San Ysidro, New Mexico: not that one
        p.kind == "city" and m.local_admin is not None and (p.country, p.admin1) != m.local_admin
    )


# ---------------------------------------------------------------------------------------------- metonymy


def metonymy(span: Span | None, place: Place) -> bool:
    """A country, capital or seat of government standing for its government, read from the parse."""
    return Metonymy()(span, place)


class Metonymy:
    """``metonymy`` for the mentions of one document: what it asks of a word's dependents and conjuncts is
    kept by token, so a list of many places ("Paris, Lyon, Nice, ...") is read once, not once a place."""

    def __init__(self) -> None:
        self.children_of: dict[int, bool] = {}  # a head: "its archenemy Tehran"
        self.stance_of: dict[int, bool] = {}  # a "be" verb: "is well aware"
        self.relation_of: dict[int, bool] = {}  # a noun or its conjuncts: "player and ally of"
        self.chain_head: dict[int, Token] = {}

    def __call__(self, span: Span | None, place: Place) -> bool:
        if span is None or not (place.kind == "country" or place.capital or place.seat):
            return False
        head = self._chain_head(span.root)  # "Washington and Tehran agreed"
        gov = head.head
        dep = head.dep_
        owner = gov.head  # "ally of Tehran": the noun the preposition hangs from
        return (
            (dep in ("nsubj", "nsubjpass") and gov.lemma_.lower() in ACTING_VERBS)
            # "The White House is well aware that..."
            or (dep == "nsubj" and gov.lemma_ == "be" and self._stance(gov))
            or (dep == "dobj" and gov.lemma_.lower() in ADDRESSED_VERBS)
            or (dep == "poss" and gov.lower_ in POLICY_NOUNS)
            or (dep == "pobj" and gov.dep_ == "agent")  # "blamed by Washington"
            # "ally of Tehran"; "a political player and ally of Tehran" (the "of" hangs from "player")
            or (dep == "pobj" and gov.lower_ in RELATION_PREPOSITIONS and self._relation(owner))
            or (dep == "appos" and gov.lower_ in RELATION_NOUNS)
            # "its archenemy Tehran"
            or self._relation_modifier(head)
        )

    def _chain_head(self, tok: Token) -> Token:
        """The first of the conjuncts ``tok`` is one of."""
        walked = []
        head = tok
        while head.i not in self.chain_head and head.dep_ == "conj" and head.head.i != head.i:
            walked.append(head.i)
            head = head.head
        head = self.chain_head.get(head.i, head)
        for i in walked:
            self.chain_head[i] = head
        return head

    def _stance(self, verb: Token) -> bool:
        if verb.i not in self.stance_of:
            self.stance_of[verb.i] = any(c.lower_ in STANCE_ADJECTIVES for c in verb.children)
        return self.stance_of[verb.i]

    def _relation(self, noun: Token) -> bool:
        if noun.i not in self.relation_of:
            self.relation_of[noun.i] = any(t.lower_ in RELATION_NOUNS for t in [noun, *noun.conjuncts])
        return self.relation_of[noun.i]

    def _relation_modifier(self, head: Token) -> bool:
        if head.i not in self.children_of:
            self.children_of[head.i] = any(
                c.dep_ in ("compound", "amod") and c.lower_ in RELATION_NOUNS for c in head.children
            )
        return self.children_of[head.i]


def _item(doc: Document, m: Mention, gaz: Gazetteer, reading: Metonymy) -> dict[str, Any]:
    p = m.choice
    assert p is not None  # a continent, a sea or a region of several countries ("Middle East") has no country
    item: dict[str, Any] = {
        "text": doc.text[m.start : m.end],
        "start": m.start,
        "end": m.end,
        "name": p.name,
        "country": p.country,
        "kind": p.kind,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
    }
    if p.geonameid is not None:
        item["geonameid"] = p.geonameid
    item["metonymy"] = reading(m.span, p)
    if item["metonymy"] and p.country:
        country = gaz.country(p.country)
        item["actor"] = p.country
        item["actor_name"] = f"{country.name if country else p.country} government"
    return item
