"""PLOVER events: who did what to whom, where, when, how many, and whether it happened as told.

Read from the parse and the layers before (entities, times, places, quantities). A trigger is a verb
("attacked", "withdrew", "called for") or an event noun ("attacks against US troops", "the departure
of 2,100 lorries", "talks with") from the trigger lexicon, or a noun a light verb carries ("carry out
attacks", "hold talks"); each trigger is one event of one PLOVER type. Its actors come from the
grammar: subject and object, passive subject and by-phrase, the noun's possessor, modifiers and
of/by/against phrases, resolved to entities where one names them, else described by their words
with a country and a sector. Its date is that of the time expression governing it
(``_support.event_dates``, shared with the times layer), else the publication date. Its modality
comes from the clause and the ones above it: negation, future auxiliaries and plan verbs,
conditionals and modals, and the demand, threat, refusal or promise the event is the content of.
Place and counts are the places and quantities of the event's own clause.

The vocabulary is data, ``lexicons/events/en/``: ``triggers.tsv`` (type, mode, part of speech,
lemma or phrase, context), ``ambiguous.tsv`` (two-sense triggers and the words that select a
sense), ``light_verbs.txt``, ``sectors.tsv`` (actor head nouns to sector codes), ``actor_nouns.txt``
(collectives and people that can act), ``modality.tsv`` (the words that make an event negated,
future, hypothetical or demanded), ``judgements.tsv`` ("false", "a sham": reported denials and
accusations) and ``grammar.tsv`` (the small word sets of the rules below).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from newsgraph import lexicons
from newsgraph.document import Document, Entity
from newsgraph.layers._support import tokens
from newsgraph.layers._support.event_dates import TimesIndex, event_date
from newsgraph.layers._support.lexicon import lexicon as name_lexicon
from newsgraph.layers._support.mentions import Mentions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LEX = "events/en"  # the English event vocabularies, lexicons/events/en/


def grammar_words(name: str) -> frozenset[str]:
    """One set of the layer's grammar words (lexicons/events/en/grammar.tsv)."""
    return frozenset(r[1].lower() for r in lexicons.rows("grammar.tsv", LEX) if r[0] == name and len(r) > 1)


SUBJECTS = ("nsubj", "csubj")
PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
OBJECTS = ("dobj", "obj", "dative")
# the deps by which an event's clause hangs from the one whose modality it takes
CLIMB = ("xcomp", "ccomp", "conj", "advcl", "acl", "relcl", "dobj", "pobj", "prep", "nsubjpass", "nsubj", "attr")
# events with no object: "of" names who acts ("the departure of troops"), not whom it is done to
SELF_EVENTS = frozenset({"RETREAT", "PROTEST", "MOBILIZE", "CONCEDE"})
# what someone says or asks, whose owner a rejection, acceptance or answer is aimed at
SPEECH_NOUNS = grammar_words("speech_nouns")
# verbs that name something what it is: "called the process a sham"
NAMING = grammar_words("naming")
# the types whose events are told by a victim or a weapon alone ("rockets killed seven Kurds")
MATERIAL_CONFLICT = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "SANCTION"})
# verbs of coming whose "on/for" noun is a visit or talks the subject takes part in
ARRIVING = grammar_words("arriving")
# verbs whose subject is an event that happened
HAPPEN = grammar_words("happen")
# nouns of these types name standing things ("the trade deal", "the talks", "US support") unless a
# verb carries them ("reached a deal", "held talks")
CARRIED_ONLY = frozenset({"AGREE", "CONSULT", "COOPERATE", "SUPPORT"})
# event nouns an "of" phrase makes an event: who acts ("the departure of troops") or whom it is done to
# ("the arrest of", "the killing of"); "the support of" or "the invitation of" is background
OF_EVENTS = SELF_EVENTS | {"COERCE", "ASSAULT"}
# a trigger inside one of these is its content: "demanded that troops leave" is a demanded RETREAT
CONTENT_MODALITY = {"REQUEST": "demanded", "THREATEN": "hypothetical", "REJECT": "negated", "AGREE": "future"}
# the content of these is no event of its own: PLOVER codes one category ("agreed to set up a centre"
# is AGREE, "threatened to attack" THREATEN, "refused to withdraw" REJECT); a demand's content is kept,
# as a demanded event, so that what was demanded can be found
ABSORBING = frozenset({"AGREE", "THREATEN", "REJECT"})
# PLOVER's single-category rule: an event told in the future is the category that says so ("will meet"
# is AGREE, "announced it would withdraw" CONCEDE, "will boycott" THREATEN); a refused agreement REJECT
FUTURE_TYPE = {
    "CONSULT": "AGREE",
    "SUPPORT": "AGREE",
    "COOPERATE": "AGREE",
    "AID": "AGREE",
    "RETREAT": "CONCEDE",
    "ASSAULT": "THREATEN",
    "COERCE": "THREATEN",
    "SANCTION": "THREATEN",
    "PROTEST": "THREATEN",
}
NEGATED_TYPE = {"AGREE": "REJECT", "CONCEDE": "REJECT", "RETREAT": "REJECT", "CONSULT": "REJECT"}
REFUSING = grammar_words("refusing")
# where an event happened: the prepositions of its place ("of", "from", "to" name other relations)
LOCATIVE = grammar_words("locative")
TARGET_PREPOSITIONS = grammar_words("target_prepositions")
PRONOUN_TYPES = {
    "he": ("PERSON",),
    "she": ("PERSON",),
    "him": ("PERSON",),
    "her": ("PERSON",),
    "it": ("ORG", "GPE"),
    "they": ("ORG", "GPE", "NORP", "PERSON"),
    "them": ("ORG", "GPE", "NORP", "PERSON"),
    "we": ("ORG", "GPE"),
    "its": ("ORG", "GPE"),
    "their": ("ORG", "GPE", "NORP"),
    "his": ("PERSON",),
}
RELATIVE = ("who", "that", "which", "whom")
NO_EVENT = "NONE"  # ambiguous.tsv: in this sense the word is no event
PARTITIVES = grammar_words("partitives")  # "the majority of US troops" are US troops
DEGREE = grammar_words("degree")  # "so charged": an adjective in a verb's form
# what a definite description names by the last organisation before it: "the group's remnants"
ORG_ANAPHORS = grammar_words("org_anaphors")


# --- the vocabulary --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sense:
    type: str
    mode: str = ""
    context: str = ""


@dataclass(frozen=True)
class Entry:
    """One lexicon trigger: its lemmas, where its head word stands in them, and its sense."""

    lemmas: tuple[str, ...]
    head: int
    pos: str
    sense: Sense


@dataclass(frozen=True)
class Choice:
    """One sense of a two-sense trigger, chosen when one of its cue lemmas is near."""

    sense: Sense
    cues: frozenset[str]


@dataclass
class Lexicon:
    entries: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)  # (pos, word lemma) -> entries
    ambiguous: dict[tuple[str, str], list[Choice]] = field(default_factory=dict)  # (pos, lemma) -> senses
    light_verbs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # head lemma -> particle lemmas
    sectors: dict[str, str] = field(default_factory=dict)
    modality: dict[str, str] = field(default_factory=dict)  # cue lemma -> modality
    judgements: dict[str, str] = field(default_factory=dict)  # "false" -> REJECT, "sham" -> ACCUSE
    types: frozenset[str] = frozenset()


# pronouns that name someone even where the text before does not say whom ("they attacked")
PERSONAL = grammar_words("personal")


@cache
def people_nouns() -> frozenset[str]:
    """Nouns that name people or collectives: the quantities layer's people nouns ("residents",
    "villagers"), the entities' role nouns and the quotes' speaker nouns ("lawyer", "spokesman") and
    ``actor_nouns.txt`` ("groups", "factions", "suspect")."""
    kinds = {"people", "military personnel", "casualties"}
    counted = {r[0].lower() for r in lexicons.rows("quantity_nouns.tsv") if len(r) > 1 and r[1] in kinds}
    roles = lexicons.words("role_nouns.txt") | lexicons.words("speaker_nouns.txt")  # "a lawyer", "officials"
    return frozenset(counted | roles | lexicons.words("actor_nouns.txt", LEX))


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


@cache
def lexicon() -> Lexicon:
    """The event vocabularies, read once."""
    lex = Lexicon(types=frozenset(lexicons.plover_types()))
    for row in lexicons.rows("triggers.tsv", LEX):
        type_, mode, pos, phrase = row[0].upper(), row[1], row[2].upper(), row[3].lower()
        context = row[4] if len(row) > 4 else ""
        if type_ not in lex.types or pos not in ("VERB", "NOUN"):
            raise ValueError(f"lexicons/{LEX}/triggers.tsv: bad row {row!r}")
        lemmas = tuple(phrase.split())
        head = (
            0 if pos == "VERB" else len(lemmas) - 1
        )  # a verb phrase starts with its verb, a noun compound ends with its noun
        lex.entries.setdefault((pos, lemmas[head]), []).append(Entry(lemmas, head, pos, Sense(type_, mode, context)))
    for entries in lex.entries.values():
        entries.sort(key=lambda e: -len(e.lemmas))  # the longest phrase first: "hunger strike" before "strike"
    for row in lexicons.rows("ambiguous.tsv", LEX):
        lemma, pos, type_ = row[0].lower(), row[1].upper(), row[2].upper()
        cues = frozenset(row[3].lower().split()) if len(row) > 3 else frozenset()
        note = row[4] if len(row) > 4 else ""
        mode = note[5:].split(";")[0].strip() if note.startswith("mode=") else ""
        if type_ != NO_EVENT and type_ not in lex.types:
            raise ValueError(f"lexicons/{LEX}/ambiguous.tsv: bad type in {row!r}")
        if cues and " " not in lemma:  # a row without cues is the default: the trigger's triggers.tsv row
            lex.ambiguous.setdefault((pos, lemma), []).append(Choice(Sense(type_, mode), cues))
    for phrase in lexicons.entries("light_verbs.txt", LEX):
        words = phrase.lower().split()
        lex.light_verbs[words[0]] = tuple(words[1:])
    lex.sectors = {r[0].lower(): r[1].upper() for r in lexicons.rows("sectors.tsv", LEX) if len(r) > 1}
    lex.modality = {r[0].lower(): r[1] for r in lexicons.rows("modality.tsv", LEX) if len(r) > 1}
    lex.judgements = {
        r[0].lower().split()[-1]: r[1].upper() for r in lexicons.rows("judgements.tsv", LEX) if len(r) > 1
    }
    return lex


# --- the document as the layer sees it ------------------------------------------------------------------


@dataclass
class Actor:
    entity: Entity | None = None
    text: str | None = None
    country: str | None = None
    sector: str | None = None
    token: int = -1  # the actor's head token
    coordinated: bool = False  # "the United States and China": the entity is the first of several

    def is_actor(self) -> bool:
        """Someone who can act or be acted on: a named entity, or words with a sector or a country
        ("security forces", "Iraqi officials"); not "their proximity", "many", "the decision"."""
        if self.entity is not None or self.sector or self.country:
            return True
        words = (self.text or "").lower().split()
        return bool(words) and (
            words[-1] in PERSONAL or words[-1] in people_nouns() or _singular(words[-1]) in people_nouns()
        )

    def name(self) -> str | None:
        return self.entity.name if self.entity is not None and not self.coordinated else self.text

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text or (self.entity.name if self.entity else None)}
        if self.country:
            out["country"] = self.country
        if self.sector:
            out["sector"] = self.sector
        return out


class Context:
    """Entities, places, times and counts by offset, for one document."""

    def __init__(self, doc: Document, parsed: Doc) -> None:
        self.doc = doc
        self.parsed = parsed
        self.index = Mentions(doc.entities)
        self.mentions, self.mention_starts = self.index.items, self.index.starts
        self.places = sorted(doc.places, key=lambda p: p["start"])
        self.place_starts = [p["start"] for p in self.places]
        self.quantities = sorted(doc.quantities, key=lambda q: q["start"])
        self.quantity_starts = [q["start"] for q in self.quantities]
        self.token_starts = list(tokens.of(parsed).idx)
        self.times = TimesIndex(doc)
        self.lex = lexicon()
        self.senses: dict[int, tuple[Sense, int, int, tuple[str, ...]] | None] = {}  # by token, read once
        # the last word of an organisation's name or of one of its mentions -> its mentions (indices into
        # self.mentions, in text order); built at the first question
        self.org_heads: dict[str, list[int]] | None = None

    def entity_at(self, start: int, end: int) -> tuple[Entity, int, int] | None:
        """The entity with a mention overlapping [start, end), and that mention's bounds."""
        found = self.index.at(start, end)
        return (found[2], found[0], found[1]) if found is not None else None

    def place_at(self, start: int, end: int) -> dict[str, Any] | None:
        i = bisect.bisect_left(self.place_starts, end)
        for p in reversed(self.places[max(0, i - 4) : i]):
            if p["start"] < end and start < p["end"]:
                found: dict[str, Any] = p
                return found
        return None

    def last_entity_before(self, char: int, types: tuple[str, ...]) -> Entity | None:
        """The last entity of one of ``types`` named in the 2,000 characters before ``char``."""
        for k in range(bisect.bisect_left(self.mention_starts, char) - 1, -1, -1):
            s, _e, ent = self.mentions[k]
            if s < char - 2000:
                break
            if ent.type in types:
                return ent
        return None

    def named_by_head(self, char: int, noun: str) -> Entity | None:
        """The organisation named before ``char`` whose name ends with ``noun`` ("the coalition")."""
        if self.org_heads is None:
            self.org_heads = {}
            for k, (_s, _e, ent) in enumerate(self.mentions):
                if ent.type == "ORG":
                    for head in _head_nouns(ent):
                        self.org_heads.setdefault(head, []).append(k)
        found = self.org_heads.get(noun, [])
        j = bisect.bisect_left(found, bisect.bisect_left(self.mention_starts, char)) - 1
        return self.mentions[found[j]][2] if j >= 0 else None


def _head_nouns(ent: Entity) -> set[str]:
    """The last words of an organisation's name and of its mentions, lower case ("coalition")."""
    return {w for text in (ent.name, *(m.text for m in ent.mentions)) for w in text.lower().split()[-1:]}


# --- finding triggers -----------------------------------------------------------------------------------


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _lemmas(t: Token) -> tuple[str, ...]:
    """The lemma, and for a verb the stems of its form too: the small model lemmatises "staged" as
    "stag" and "protested" as "protest" alike, so the form is tried as well."""
    low = t.lower_
    out = [_lemma(t)]
    if t.pos_ in ("VERB", "AUX"):
        for suffix in ("ing", "ed", "es", "s", "d"):
            if low.endswith(suffix) and len(low) - len(suffix) >= 3:
                out.append(low[: -len(suffix)])
                if suffix == "ing":
                    out.append(low[:-3] + "e")
    return tuple(dict.fromkeys(out))


def _phrase_at(sp: Doc, t: Token, entry: Entry) -> bool:
    """The entry's words stand in the text around ``t``: contiguous, or for a verb phrase its other
    words among the verb's dependents ("took two soldiers hostage")."""
    first = t.i - entry.head
    if (
        first >= 0
        and first + len(entry.lemmas) <= len(sp)
        and all(
            (w in _lemmas(t)) if first + k == t.i else (_lemma(sp[first + k]) == w or sp[first + k].lower_ == w)
            for k, w in enumerate(entry.lemmas)
        )
    ):
        return True
    if entry.pos == "VERB" and entry.head == 0 and len(entry.lemmas) > 1:
        near = {_lemma(c) for c in t.children}
        near |= {_lemma(g) for c in t.children if c.dep_ in (*OBJECTS, "prep", "prt") for g in c.children}
        return all(w in near for w in entry.lemmas[1:])
    return False


def _pos(t: Token) -> str | None:
    if t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ not in ("aux", "auxpass")):
        return "VERB"
    if t.pos_ == "NOUN":  # not PROPN: "March", "Strike Force" are names
        return "NOUN"
    return None


def _sense(ctx: Context, t: Token) -> tuple[Sense, int, int, tuple[str, ...]] | None:
    """The sense of the trigger at ``t`` and the token range of its words, if ``t`` is one (asked of
    a token again by the actor rules: looked up once)."""
    if t.i not in ctx.senses:
        ctx.senses[t.i] = _read_sense(ctx, t)
    return ctx.senses[t.i]


def _read_sense(ctx: Context, t: Token) -> tuple[Sense, int, int, tuple[str, ...]] | None:
    pos = _pos(t)
    if pos is None:
        return None
    lemma = next((x for x in _lemmas(t) if (pos, x) in ctx.lex.entries or (pos, x) in ctx.lex.ambiguous), None)
    if lemma is None:
        return None  # no word of the lexicon (the test below would say None too, at more cost)
    if pos == "VERB" and (t.dep_ in ("amod", "compound", "acomp") or any(c.lower_ in DEGREE for c in t.children)):
        return None  # an adjective in a verb's form: "armed groups", "so charged"
    choices = ctx.lex.ambiguous.get((pos, lemma))
    if choices:
        near = {_lemma(x) for x in _neighbourhood(t)}
        for choice in choices:
            if choice.cues & near:
                return None if choice.sense.type == NO_EVENT else (choice.sense, t.i, t.i + 1, (lemma,))
    for entry in ctx.lex.entries.get((pos, lemma), ()):
        if _phrase_at(ctx.parsed, t, entry):
            if entry.pos == "NOUN":
                return entry.sense, t.i - entry.head, t.i + 1, entry.lemmas
            return entry.sense, t.i, t.i + 1, entry.lemmas
    return None


def _neighbourhood(t: Token) -> Iterator[Token]:
    """The words that tell a two-sense trigger's sense: its head, its dependents and theirs."""
    yield t.head
    for c in t.children:
        yield c
        yield from c.children
        if c.dep_ in OBJECTS:
            yield from c.subtree  # "provide nearly 25,000 tons of emergency food aid"
    yield from (x for x in t.sent if abs(x.i - t.i) <= 3)


def _light_object(ctx: Context, t: Token) -> bool:
    """``t`` is a light verb ("carry out", "hold", "impose")."""
    rest = next((ctx.lex.light_verbs[x] for x in _lemmas(t) if x in ctx.lex.light_verbs), None)
    if rest is None:
        return False
    near = {_lemma(c) for c in t.children}
    return all(w in near for w in rest)


def _carrier(t: Token) -> tuple[Token, str]:
    """The verb an event noun hangs from and how, through a quantity ("dozens of attacks were carried
    out": carried, nsubjpass)."""
    head, dep = t.head, t.dep_
    if dep == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "NUM") and head.head.i != head.i:
        return head.head.head, head.head.dep_
    return head, dep


def _anchored_noun(ctx: Context, t: Token, sense: Sense) -> bool:
    """An event noun told as an event: carried by a light verb, with an actor or a target of its own,
    or counted ("dozens of attacks")."""
    if t.dep_ == "conj":
        return t.head.pos_ in ("NOUN", "PROPN") and _anchored_noun(ctx, t.head, sense)
    carrier, dep = _carrier(t)
    if dep in (*OBJECTS, *PASSIVE_SUBJECTS, "nsubj") and _light_object(ctx, carrier):
        return True
    if dep == "nsubj" and _lemma(carrier) in HAPPEN:
        return True  # "the stabbing occurred", "clashes erupted"
    if sense.type == "CONSULT" and dep == "pobj" and t.head.lower_ in ("on", "for") and _lemma(t.head.head) in ARRIVING:
        return True  # "arrived in Amman on a visit"
    if sense.type in CARRIED_ONLY:
        # "a trade deal", "the talks": a standing thing unless someone reaches or holds it, or, for a
        # meeting, the parties are named ("a meeting between the coalition and the commanders")
        return sense.type == "CONSULT" and any(c.dep_ == "prep" and c.lower_ in ("between", "with") for c in t.children)
    own = ("against", "by", "on", "with", "between", "from")
    for c in t.children:
        if c.dep_ == "poss" or (
            c.dep_ == "prep" and (c.lower_ in own or (c.lower_ == "of" and sense.type in OF_EVENTS))
        ):
            return True
        if c.dep_ in ("compound", "amod", "nmod", "nummod") and (ctx.entity_at(c.idx, c.idx + len(c)) or c.like_num):
            return True
    return t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.pos_ in ("NOUN", "NUM")


# --- actors --------------------------------------------------------------------------------------------


def _actor(ctx: Context, t: Token) -> Actor:
    """The actor named by the phrase headed by ``t``."""
    if t.lower_ in RELATIVE and t.head.dep_ == "relcl":
        t = t.head.head
    low = t.lower_
    if low in PRONOUN_TYPES:
        ent = _previous_subject(ctx, t) if low in ("it", "its") else None
        ent = ent or ctx.last_entity_before(t.idx, PRONOUN_TYPES[low])
        return _entity_actor(ctx, ent, t) if ent is not None else Actor(text=t.text, token=t.i)
    hit = ctx.entity_at(t.idx, t.idx + len(t))
    if hit is not None and hit[0].type != "NORP":
        return _entity_actor(ctx, hit[0], t)
    for c in t.children:
        if c.dep_ in ("appos", "compound"):
            hit = ctx.entity_at(c.idx, c.idx + len(c))
            if hit is not None and hit[0].type in ("PERSON", "ORG"):
                return _entity_actor(ctx, hit[0], t)
    if any(c.dep_ == "det" and c.lower_ == "the" for c in t.children):
        earlier = ctx.named_by_head(t.idx, _lemma(t))  # "the coalition" after "the US-led coalition"
        if earlier is None and _lemma(t) in ORG_ANAPHORS:
            earlier = ctx.last_entity_before(t.idx, ("ORG",))  # "the group" after ISIS is ISIS
        if earlier is not None:
            return _entity_actor(ctx, earlier, t)
    owner = next((c for c in t.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lower_ not in PRONOUN_TYPES:
        named = _actor(ctx, owner)
        if named.entity is not None:
            return named  # "the group's remnants", "Iran's proxies": whose they are
    return _described(ctx, t)


def _previous_subject(ctx: Context, t: Token) -> Entity | None:
    """The organisation "it" continues: the subject of the sentence before, when that is "the X" for an
    organisation named earlier ("The coalition insists ... In November, it underlined ...")."""
    sent = t.sent
    if sent.start == 0:
        return None
    before = ctx.parsed[sent.start - 1].sent
    subject = next((x for x in before if x.dep_ in SUBJECTS and x.head == before.root), None)
    if subject is None or not any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children):
        return None
    return ctx.named_by_head(subject.idx, _lemma(subject))


def _entity_actor(ctx: Context, ent: Entity, t: Token) -> Actor:
    place = ctx.place_at(t.idx, t.idx + len(t)) if ent.type == "GPE" else None
    country = (place or {}).get("country") or ent.country
    if ent.type == "GPE":
        return Actor(ent, ent.name, country, "GOV", t.i)  # a state acting: its government; a seat: metonymy
    if country is None and ent.type == "ORG":
        # a country in the body's name: "the US Justice Department", "Iraqi security forces"
        country = next((c for w in ent.name.split() if (c := name_lexicon().country_of_word(w))), None)
    sector = None
    words = [*(ent.role or "").lower().split(), *(ent.title or "").lower().split(), *ent.name.lower().split()]
    for w in reversed(words):
        if w in ctx.lex.sectors:
            sector = ctx.lex.sectors[w]
            break
    return Actor(ent, ent.name, country, sector, t.i)


def _described(ctx: Context, t: Token) -> Actor:
    """An actor no entity names: its words ("pro-Iranian factions", "security forces"), the country
    of a state or people named in them, the sector of its head noun. A part names its whole: "the
    majority of US troops" are US troops."""
    if _lemma(t) in PARTITIVES or t.like_num:
        whole = next(
            (g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"),
            None,
        )
        if whole is not None:
            named = _actor(ctx, whole)
            if named.is_actor():
                return named
    toks = [
        x for x in t.subtree if x.i <= t.i and x.dep_ not in ("det", "predet", "nummod", "quantmod", "punct", "case")
    ]
    toks = [x for x in toks if x.i >= (toks[0].i if toks else t.i)]
    lo = min((x.i for x in toks), default=t.i)
    words = [x for x in ctx.parsed[lo : t.i + 1] if x.dep_ not in ("det", "predet") and not x.like_num]
    text = "".join(x.text_with_ws for x in words).strip() or t.text
    country = None
    for x in words:
        hit = ctx.entity_at(x.idx, x.idx + len(x))
        if hit is not None and hit[0].type in ("GPE", "NORP", "ORG") and hit[0].country:
            country = hit[0].country
            break
        place = ctx.place_at(x.idx, x.idx + len(x))
        if place is not None and place.get("country"):
            country = place["country"]
            break
    sector = ctx.lex.sectors.get(_lemma(t)) or ctx.lex.sectors.get(t.lower_)
    if sector is None:
        for x in reversed(words[:-1]):
            sector = ctx.lex.sectors.get(_lemma(x))
            if sector:
                break
    return Actor(None, text, country, sector, t.i)


def _coordinated(ctx: Context, t: Token, first: Actor, other: Token | None = None) -> Actor:
    """'Israel and the Palestinians agreed': one actor named by both (not the other side of the event:
    in "talks between Trump and Xi", Xi is the target)."""
    more = [c for c in t.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON") and c != other]
    if not more:
        return first
    names = [first.name()] + [_actor(ctx, c).name() for c in more]
    joined = " and ".join(n for n in names if n)
    return Actor(first.entity, joined or first.text, first.country, first.sector, first.token, coordinated=True)


def _subject(t: Token, depth: int = 0) -> Token | None:
    for c in t.children:
        if c.dep_ in SUBJECTS:
            return c
    for c in t.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if depth < 3 and t.dep_ in ("xcomp", "conj", "advcl", "acomp") and t.head.i != t.i:
        # "pledged to withdraw", "met and agreed": the subject of the verb above
        return _subject(t.head, depth + 1)
    if t.dep_ in ("acl", "relcl") and t.head.i != t.i:
        return t.head if t.dep_ == "relcl" else None
    return None


def _passive_subject(t: Token) -> Token | None:
    return next((c for c in t.children if c.dep_ in PASSIVE_SUBJECTS), None)


def _object(ctx: Context, t: Token, sense: Sense) -> Token | None:
    """Whom the act is done to: the direct object, unless that is itself an event or the thing
    demanded ("blamed the attacks on X": X), then a target preposition's object."""
    obj = next((c for c in t.children if c.dep_ in OBJECTS), None)
    if obj is not None and _lemma(obj) in SPEECH_NOUNS:
        owner = _owner(ctx, obj)
        if owner is not None:
            return owner  # "rejected Russia's claims", "accepted demands from the rebels": whose words
    if (
        obj is not None
        and _sense(ctx, obj) is None
        and obj.pos_ in ("PROPN", "NOUN", "PRON")
        and not _is_thing(ctx, obj)
    ):
        return obj
    for c in t.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in TARGET_PREPOSITIONS:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and not _is_thing(ctx, pobj):
                return pobj
    if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON") and _sense(ctx, obj) is None:
        return obj
    return None


def _owner(ctx: Context, noun: Token) -> Token | None:
    """Whose claim, demand or offer a noun is: its possessor, a named modifier ("the Russian claims"),
    or the object of "from", "by" or "of"."""
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and ctx.entity_at(c.idx, c.idx + len(c))):
            return c
        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and not _is_thing(ctx, pobj):
                return pobj
    return None


def _is_thing(ctx: Context, t: Token) -> bool:
    """A noun that names no one: no entity, no sector word ("the policy", "the deal")."""
    if ctx.entity_at(t.idx, t.idx + len(t)) is not None or t.lower_ in PRONOUN_TYPES:
        return False
    if _lemma(t) in ctx.lex.sectors or t.lower_ in ctx.lex.sectors:
        return False
    return not any(
        ctx.entity_at(c.idx, c.idx + len(c)) is not None for c in t.children if c.dep_ in ("compound", "amod", "poss")
    )


def _verb_actors(ctx: Context, t: Token, sense: Sense) -> tuple[Token | None, Token | None]:
    passive = _passive_subject(t)
    agent = next((g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    if passive is not None:
        if sense.type in SELF_EVENTS and agent is None:
            return passive, None  # "troops were withdrawn": the troops' side withdrew them
        target = passive if _sense(ctx, passive) is None else _object(ctx, t, sense)
        if _sense(ctx, passive) is not None:
            target = _prep_object(t, ("on", "against", "for")) or target  # "attacks are blamed on X"
        return agent, target
    if t.dep_ == "acl" and t.tag_ == "VBN":  # "troops sent to Iraq", "the man arrested"
        return agent, t.head
    target = _object(ctx, t, sense)
    if target is None and sense.type in CONTENT_MODALITY:
        # "demanded (that) all US troops leave": whom the demand is on is who is to act
        for c in t.children:
            if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
                target = next((g for g in c.children if g.dep_ in SUBJECTS), None)
                break
    return _subject(t), target


def _prep_object(t: Token, preps: tuple[str, ...]) -> Token | None:
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _judged_actors(t: Token) -> tuple[Token | None, Token | None]:
    """Who judges (the reporting or naming verb's subject) and whose act or words are judged (the
    owner of the judged thing: "the Russian claims" are Russia's, "Trump's request" Trump's)."""
    at = t.head if t.dep_ == "conj" else t
    if _lemma(at.head) in NAMING:
        verb, judged = at.head, next((c for c in at.head.children if c.dep_ in OBJECTS), None)
    else:
        verb, judged = at.head.head, next((c for c in at.head.children if c.dep_ in SUBJECTS), None)
    owner = None
    if judged is not None:
        owner = next(
            (c for c in judged.children if c.dep_ in ("poss", "amod", "compound") and c.pos_ in ("PROPN", "ADJ")), None
        )
        if owner is None and judged.pos_ in ("PROPN", "PRON"):
            owner = judged
    return _subject(verb), owner


def _possessor_suffers(ctx: Context, owner: Token, sense: Sense) -> bool:
    """Whether a possessor is whom the act is done to: always for arrests, trials and sanctions ("his
    arrest", "Epstein's trial"), for an attack when a person ("Khashoggi's killing", not "Israel's
    strikes")."""
    if sense.type in ("COERCE", "ACCUSE", "SANCTION"):
        return True
    if sense.type != "ASSAULT":
        return False
    if owner.lower_ in ("his", "her", "him"):
        return True
    hit = ctx.entity_at(owner.idx, owner.idx + len(owner))
    return hit is not None and hit[0].type == "PERSON"


def _between(first: Token) -> tuple[Token, Token | None]:
    """ "between A and B": A acts, B is acted upon (a two-sided event keeps both)."""
    return first, next((c for c in first.children if c.dep_ == "conj"), None)


def _noun_actors(ctx: Context, t: Token, sense: Sense) -> tuple[Token | None, Token | None]:
    source = target = None
    for c in t.children:
        if c.dep_ == "poss" and _possessor_suffers(ctx, c, sense):
            target = c  # "Epstein's arrest", "his trial": whom it is done to
        elif c.dep_ == "poss":
            source = c
        elif c.dep_ == "prep":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if c.lower_ == "by" or (c.lower_ == "of" and sense.type in SELF_EVENTS):
                source = source or pobj
            elif c.lower_ == "between" and source is None:
                source, target = _between(pobj)
            elif c.lower_ in ("against", "on", "with", "of", "at", "to", "into"):
                target = target or pobj
        elif c.dep_ in ("compound", "amod") and source is None:
            hit = ctx.entity_at(c.idx, c.idx + len(c))
            if hit is not None and hit[0].type in ("GPE", "NORP", "ORG", "PERSON"):
                source = c
            elif _lemma(c) in ctx.lex.sectors:
                source = c  # "teacher protests", "police raids"
    if sense.type in SELF_EVENTS and source is not None and _is_thing(ctx, source):
        source = None  # "the departure of 2,100 lorries": lorries are no actor
    carrier, dep = _carrier(t)
    if source is None and dep == "pobj" and carrier.lower_ in ("on", "for") and _lemma(carrier.head) in ARRIVING:
        source = _subject(carrier.head)  # "Saddam Hussein arrived in Amman on a visit"
    if source is None and dep == "nsubj" and _lemma(carrier) in HAPPEN:
        between = _prep_object(carrier, ("between",))  # "clashes erupted between supporters and police"
        if between is not None:
            source, target = _between(between)
    if source is None and dep in (*OBJECTS, *PASSIVE_SUBJECTS, "nsubj") and carrier.pos_ in ("VERB", "AUX"):
        light = _light_object(ctx, carrier)
        if dep in OBJECTS and (light or ctx.lex.modality.get(_lemma(carrier)) == "report"):
            source = _subject(carrier)  # "held talks", "announced the withdrawal": who did it
        elif light:
            source = next(
                (g for c in carrier.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
            )
        if light and target is None:
            target = _prep_object(carrier, ("against",))
    return source, target


# --- modality ------------------------------------------------------------------------------------------


def _clause_verb(t: Token) -> Token:
    """The verb whose clause the trigger stands in (itself for a verb)."""
    x = t
    for _ in range(8):
        if x.pos_ in ("VERB", "AUX") or x.head.i == x.i:
            return x
        x = x.head
    return x


def _modality(ctx: Context, t: Token, governors: dict[int, Sense]) -> str:
    """asserted, negated, future, hypothetical or demanded: the first cue met going up from the
    trigger's clause through the clauses it is the content of, stopping at a reporting verb."""
    x = t
    came_by = ""
    seen_speech = False
    for _ in range(10):
        if x.i != t.i and x.i in governors:
            return CONTENT_MODALITY.get(governors[x.i].type, "asserted") if came_by != "conj" else "asserted"
        if x.pos_ in ("VERB", "AUX") or x.i == t.i:
            cue = _clause_cue(ctx, x, came_by, seen_speech)
            if cue is not None:
                return cue
        elif (x.pos_ == "NOUN" and came_by in ("prep", "pobj", "acl", "compound")) or (
            x.pos_ == "ADJ" and came_by in ("xcomp", "prep", "pobj")
        ):
            cue = ctx.lex.modality.get(_lemma(x))
            if cue in ("future", "hypothetical", "demanded"):
                return cue  # "plans for a withdrawal", "calls for a ceasefire", "a deadline for a withdrawal"
            if x.i != t.i and ctx.lex.modality.get(_lemma(x)) == "report":
                seen_speech = True
        if x.head.i == x.i or x.dep_ not in CLIMB:
            break
        if x.dep_ == "conj" and x.pos_ in ("VERB", "AUX") and any(c.dep_ in ("aux", "neg") for c in x.children):
            break  # a conjoined verb with its own auxiliary is its own clause
        came_by = x.dep_
        x = x.head
    return "asserted"


def _clause_cue(ctx: Context, v: Token, came_by: str, seen_speech: bool) -> str | None:
    mods = ctx.lex.modality
    for c in v.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and mods.get(c.lower_) == "negated"):
            return "negated"
    for c in v.children:
        if c.dep_ in ("aux", "auxpass"):
            cue = mods.get(c.lower_) or mods.get(_lemma(c))
            reported = seen_speech or (v.dep_ == "ccomp" and mods.get(_lemma(v.head)) == "report")
            if cue == "future" or (cue == "conditional" and reported):
                return "future"  # "said it would withdraw": the future of a report
            if cue in ("hypothetical", "conditional"):
                return "hypothetical"
        if c.dep_ == "mark" and mods.get(c.lower_) == "hypothetical":
            return "hypothetical"  # "if the US rocks the boat"
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            return "hypothetical"  # "if the US rocks the boat, militias will attack": the attack is conditional
    if came_by in ("xcomp", "ccomp", "dobj", "pobj", "prep"):
        cue = mods.get(_lemma(v))
        if cue in ("future", "hypothetical", "demanded", "negated"):
            return cue
    return None


# --- where, when, how many -----------------------------------------------------------------------------


class Clause:
    """The tokens of the trigger's clause: the clause verb's subtree, less the clauses under it that are
    their own (complements, relative and adverbial clauses with their own verbs, other than the
    trigger's); a place or count belongs to it when its first token does."""

    def __init__(self, ctx: Context, t: Token) -> None:
        v = _clause_verb(t)
        self.tokens = {x.i for x in v.subtree if not any(_own_clause(a, t) for a in _path(x, v))}
        self.ctx = ctx
        self.lo, self.hi = t.sent.start_char, t.sent.end_char

    def items(self, items: list[dict[str, Any]], starts: list[int]) -> list[dict[str, Any]]:
        """Of ``items`` (sorted by start, ``starts`` their starts), those in the clause: only the
        sentence's are looked at."""
        window = items[bisect.bisect_left(starts, self.lo) : bisect.bisect_left(starts, self.hi)]
        return [x for x in window if _token_at(self.ctx, x["start"]).i in self.tokens]


def _own_clause(a: Token, trigger: Token) -> bool:
    return a.dep_ in ("ccomp", "relcl", "advcl", "acl") and a.pos_ in ("VERB", "AUX") and a.i != trigger.i


def _path(x: Token, top: Token) -> Iterator[Token]:
    """The tokens from ``x`` up to (not including) ``top``."""
    for _ in range(20):
        if x.i == top.i or x.head.i == x.i:
            return
        yield x
        x = x.head


def _place(ctx: Context, clause: Clause, actors: set[int]) -> dict[str, Any] | None:
    """The clause's own location: a place in it introduced by a locative preposition or naming the
    event ("the Baghdad bombing"), not one of the actors."""
    for p in clause.items(ctx.places, ctx.place_starts):
        tok = _token_at(ctx, p["start"])
        head = tok
        while head.dep_ in ("compound", "amod", "flat") and head.head.i != head.i:
            head = head.head
        if head.i in actors or tok.i in actors:
            continue
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.dep_ == "pobj":
            head = head.head.head  # "in the town of Baqubah"
        if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE:
            return p
        if head.dep_ in ("npadvmod",):
            return p
    return None


def _token_at(ctx: Context, char: int) -> Token:
    return ctx.parsed[max(0, bisect.bisect_right(ctx.token_starts, char) - 1)]


KILLED = grammar_words("killed")
HURT = grammar_words("hurt")


def _counts(ctx: Context, clause: Clause, type_: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in clause.items(ctx.quantities, ctx.quantity_starts):
        value = q.get("value")
        if isinstance(value, list):
            value = value[0]
        if not isinstance(value, int | float):
            continue
        verb = str(q.get("verb") or "").lower()
        noun = str(q.get("noun") or "").lower()
        stem = verb[:-2] if verb.endswith("ed") else verb
        if any(verb.startswith(k[:4]) for k in KILLED) or noun in ("dead", "death", "fatality", "fatalities", "deaths"):
            out.setdefault("dead", value)
        elif any(stem.startswith(k[:4]) for k in HURT) or noun in ("injured", "wounded", "injuries"):
            out.setdefault("injured", value)
        elif type_ in ("PROTEST", "MOBILIZE") and q.get("category") in ("people", "military personnel"):
            out.setdefault("size", value)
    return out


# --- the layer -----------------------------------------------------------------------------------------


@dataclass
class Found:
    token: Token
    sense: Sense
    first: int  # token range of the trigger's words
    last: int
    words: tuple[str, ...]  # the lexicon's lemmas of the trigger ("end", "mission")
    merged: list[Token] = field(default_factory=list)  # triggers told as part of this event


def find_triggers(ctx: Context) -> list[Found]:
    """Every trigger of the document, one per event: verbs, anchored event nouns, light-verb nouns.
    Only the body is read: titles, headings and captions retell its events, an older picture's, or
    other stories' (related links)."""
    outside_body = _outside_body(ctx)
    found: dict[int, Found] = {}
    covered: set[int] = set()  # tokens of the triggers found so far
    for t in tokens.of(ctx.parsed).tokens:
        got = _sense(ctx, t)
        if got is None or outside_body(t.idx):
            continue
        sense, first, last, words = got
        if _pos(t) == "NOUN" and not _anchored_noun(ctx, t, sense):
            continue
        named = ctx.entity_at(t.idx, t.idx + len(t))
        if named is not None and named[0].type in ("ORG", "PERSON", "GPE", "LOC", "FAC", "WORK_OF_ART", "LAW", "EVENT"):
            continue  # "Asia-Pacific Economic Cooperation", "Operation Desert Storm": a name, not an event
        if _pos(t) == "NOUN" and t.dep_ == "pobj" and t.head.lower_ == "about":
            continue  # "outspoken about the departure of troops": a topic, not an event told
        if sense.type == "MOBILIZE" and t.dep_ == "acl":
            continue  # "troops deployed in Iraq": where they are, not an act told
        if _purpose(t) or _not_to_be_named(t) or _habitual(t):
            continue
        if t.i in covered:
            continue
        found[t.i] = Found(t, sense, first, last, words)
        covered.update(range(first, last))
    for t in tokens.of(ctx.parsed).tokens:
        if t.i in found or outside_body(t.idx):
            continue
        if _demand_by_must(ctx, t):
            found[t.i] = Found(t, Sense("REQUEST"), t.i, t.i + 1, (_lemma(t),))
        judged = _judgement(ctx, t)
        if judged is not None:
            found[t.i] = Found(t, Sense(judged), t.i, t.i + 1, (_lemma(t),))
    for i, f in list(found.items()):
        h = f.token.head
        # an event noun carried by a trigger verb of the same type is that verb's event ("launched attacks");
        # conjoined verbs of one type are one event ("a soldier was killed and six were wounded")
        same = h.i in found and h.i != i and found[h.i].sense.type == f.sense.type
        if same and (_pos(f.token) == "NOUN" or f.token.dep_ in ("conj", "advcl")):
            found[h.i].merged.append(f.token)
            del found[i]
    return [found[i] for i in sorted(found)]


def _outside_body(ctx: Context) -> Callable[[int], bool]:
    """Whether a character offset is in a title, heading or caption (any paragraph but the body)."""
    spans = sorted((p.start, p.end) for p in ctx.doc.paragraphs if p.kind != "body")
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end so far

    def outside(char: int) -> bool:
        i = bisect.bisect_right(starts, char) - 1
        return i >= 0 and reach[i] > char

    return outside


def _judgement(ctx: Context, t: Token) -> str | None:
    """A judgement with a speaker: "X said the claims are false" (REJECT), "Williams said the call was
    inappropriate", "the White House called the process a sham" (ACCUSE). The word is the trigger."""
    kind = ctx.lex.judgements.get(_lemma(t)) or ctx.lex.judgements.get(t.lower_)
    if kind is None or any(c.dep_ == "neg" for c in (*t.children, *t.head.children)):
        return None
    at = t
    if t.dep_ == "conj":  # "unusual and inappropriate": the judgement stands where the first word does
        if ctx.lex.judgements.get(_lemma(t.head)):
            return None  # "false and baseless": one judgement, on the first word
        at = t.head
    if at.dep_ in ("oprd", "attr", "xcomp", "ccomp") and _lemma(at.head) in NAMING:
        return kind
    if at.dep_ in ("acomp", "attr"):
        cop = at.head
        return kind if cop.dep_ == "ccomp" and ctx.lex.modality.get(_lemma(cop.head)) == "report" else None
    return None


def _demand_by_must(ctx: Context, t: Token) -> bool:
    """A report of an obligation is a demand: "declared that China must drop barriers", "said US forces
    must ensure security" (PLOVER REQUEST), unless the obligation is denied or the reporter's own."""
    if t.pos_ not in ("VERB", "AUX") or ctx.lex.modality.get(_lemma(t)) != "report":
        return False
    for c in t.children:
        if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "must" for a in c.children):
            subject = next((g for g in c.children if g.dep_ in (*SUBJECTS, *PASSIVE_SUBJECTS)), None)
            return subject is not None and subject.lower_ not in ("i", "we", "you", "it", "there")
    return False


def _ultimatum(t: Token) -> bool:
    """A future act on a condition: "will withdraw unless the president agrees" (PLOVER THREATEN)."""
    v = _clause_verb(t)
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children) for c in v.children
    )


def _refusal(t: Token) -> bool:
    """A negated yielding, meeting or agreeing that is a refusal: "refused to withdraw", "declined to
    resign", "will not meet the demands" (a plain "did not meet" is no rejection)."""
    v = _clause_verb(t)
    if v.dep_ == "xcomp" and _lemma(v.head) in REFUSING:
        return True
    return any(c.dep_ == "neg" for c in v.children) and any(
        c.dep_ == "aux" and c.lower_ in ("will", "would", "wo", "can", "ca", "could", "'ll") for c in v.children
    )


def _habitual(t: Token) -> bool:
    """A relative clause in the simple present describes someone, not an act: "Scissors, who consults
    with administration officials", "Flexport, which coordinates shipments"."""
    return t.dep_ == "relcl" and t.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in t.children)


def _purpose(t: Token) -> bool:
    """An infinitive of purpose: "trains rebels to fight ISIS", "in order to open a route"; intended, not told."""
    return t.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)


def _not_to_be_named(t: Token) -> bool:
    """The newsroom formula "asked not to be named": no request of any actor."""
    return _lemma(t) == "ask" and any(
        c.dep_ == "xcomp" and any(g.dep_ == "neg" for g in c.children) and _lemma(c) in ("name", "identify", "be")
        for c in t.children
    )


def extract_events(doc: Document, parsed: Doc) -> list[dict[str, Any]]:
    ctx = Context(doc, parsed)
    triggers = find_triggers(ctx)
    governors = {f.token.i: f.sense for f in triggers}
    out = []
    for f in triggers:
        governor = _governor(f.token, governors)
        if governor is not None and governors[governor].type in ABSORBING:
            continue  # "agreed to set up": the agreement is the event
        event = _event(ctx, f, governors)
        if event["source_name"] is None and event["target_name"] is None:
            continue  # PLOVER codes no event without an actor ("the talks", "a deal")
        out.append(event)
    return out


def _governor(t: Token, governors: dict[int, Sense]) -> int | None:
    """The trigger whose content ``t`` is: the first one above it through complements and objects."""
    x = t
    for _ in range(6):
        if x.head.i == x.i or x.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "nsubjpass"):
            return None
        x = x.head
        if x.i in governors:
            return x.i
        if x.pos_ in ("VERB", "AUX") and x.dep_ not in ("xcomp", "ccomp"):
            return None
    return None


def _event(ctx: Context, f: Found, governors: dict[int, Sense]) -> dict[str, Any]:
    t, sense = f.token, f.sense
    if t.i == f.first and f.words == (_lemma(t),) and _lemma(t) in ctx.lex.judgements:
        src_tok, tgt_tok = _judged_actors(t)
    elif _pos(t) == "VERB":
        src_tok, tgt_tok = _verb_actors(ctx, t, sense)
    else:
        src_tok, tgt_tok = _noun_actors(ctx, t, sense)
    if tgt_tok is not None and len(f.words) > 1 and _lemma(tgt_tok) in f.words:
        tgt_tok = None  # "finished its combat mission": the mission is the trigger's own word
    source = _coordinated(ctx, src_tok, _actor(ctx, src_tok), tgt_tok) if src_tok is not None else None
    target = _coordinated(ctx, tgt_tok, _actor(ctx, tgt_tok)) if tgt_tok is not None else None
    if sense.type not in MATERIAL_CONFLICT:
        # a verbal or cooperative act needs someone on each side it names ("their proximity provides
        # a modicum of protection" is none); in fighting the weapon or the victim alone is told
        source = source if source is not None and source.is_actor() else None
        target = target if target is not None and target.is_actor() else None
    words: Span = ctx.parsed[f.first : f.last]
    start, end = words.start_char, words.end_char
    sent = t.sent
    clause = Clause(ctx, t)
    modality = _modality(ctx, t, governors)
    type_ = sense.type
    if modality == "future" and _ultimatum(t):
        type_, modality = "THREATEN", "asserted"  # "will withdraw its force unless ...": a threat
    elif modality == "future" and type_ in FUTURE_TYPE:
        type_, modality = FUTURE_TYPE[type_], "asserted"  # the promise or the threat is what happened
    elif modality == "negated" and type_ in NEGATED_TYPE and _refusal(t):
        type_, modality = NEGATED_TYPE[type_], "asserted"  # "would not meet the demands": a rejection
    event: dict[str, Any] = {"type": type_}
    if sense.mode and type_ == sense.type:
        event["mode"] = sense.mode
    if sense.context:
        event["context"] = sense.context
    event.update(
        {
            "source": source.entity.id if source and source.entity else None,
            "target": target.entity.id if target and target.entity else None,
            "source_name": source.name() if source else None,
            "target_name": target.name() if target else None,
        }
    )
    if source is not None:
        event["source_actor"] = source.to_json()
    if target is not None:
        event["target_actor"] = target.to_json()
    event.update(
        {
            "trigger": ctx.doc.text[start:end],
            "start": start,
            "end": end,
            "sentence_start": sent.start_char,
            "sentence_end": sent.end_char,
            "modality": modality,
        }
    )
    date, basis = event_date(ctx.doc, ctx.parsed, t, ctx.times)
    if date is not None:
        event["date"] = date
        event["date_basis"] = basis
    actors = {a.token for a in (source, target) if a is not None}
    place = _place(ctx, clause, actors)
    if place is not None:
        event["place"] = place["name"]
        for key, out in (("country", "place_country"), ("lat", "lat"), ("lon", "lon")):
            if place.get(key) is not None:
                event[out] = place[key]
    counts = _counts(ctx, clause, sense.type)
    for m in f.merged:  # "attacked a checkpoint, killing four officers": the counts of the whole event
        counts = _counts(ctx, Clause(ctx, m), sense.type) | counts
    event.update(counts)
    return event
