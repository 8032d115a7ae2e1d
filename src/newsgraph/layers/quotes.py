"""The quotes layer: who said what — direct quotes and reported speech, with speakers.

Direct quotes are stretches inside quotation marks (see quotemarks.py) that are not scare quotes,
names or titles of works. Each is attributed through a cue verb near it (said, told, wrote, added,
"according to" ...): the verb's subject is the speaker — a named entity, a pronoun resolved to the
last fitting speaker or person, or a nominal ("the analyst", "a UN report") resolved when the text
allows. A quote with no cue continues the quote before it. Reported speech is a cue verb's clause
("X said (that) ...", "according to X, ...", "X insists it is ..."). Channels ("on Twitter", "a
news conference") and original sources ("He was quoting what X had said") come from lexicon data.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph.document import Document, Entity, Paragraph
from newsgraph.layers._support import tokens
from newsgraph.layers._support.lexicon import lexicon as name_lexicon
from newsgraph.layers._support.lexicon import speech_verbs
from newsgraph.layers._support.mentions import Mentions
from newsgraph.layers._support.names import FullNames, title_gender
from newsgraph.layers._support.quotemarks import DOUBLE_CLOSE, Stretch, scan_dialogue, scan_paragraph
from newsgraph.lexicons import EN, by_language, current, rows, words


@dataclass(frozen=True)
class QuoteWords:
    """The quotes layer's word lists, in the language read (``lexicons.reading``)."""

    pronouns: dict[str, str]  # pronouns that stand for a speaker -> the type they resolve to (PERSON, ORG, ANY)
    pronoun_genders: dict[str, str]  # "he" -> "m", "she" -> "f"
    no_speaker_pronouns: frozenset[str]  # "I", "we", "who": no speaker to resolve
    indefinite_determiners: frozenset[str]  # "a spokeswoman": someone not named
    quoting_verbs: frozenset[str]  # "He was quoting what X had said"
    work_cues: frozenset[str]
    discourse_subjects: frozenset[str]  # "that" in "That said,": a discourse marker, no speech
    # in a language that drops the subject ("«...», explicó."), what a finite third-person verb with none stands
    # for, by number ("Sing", "Plur") -> the type it resolves to, as a pronoun's (the "(3sg)" rows)
    dropped: dict[str, str]
    # prepositions that name a source (quotes_source_words.tsv): "según X" -> "according", "desde X
    # calificaron" -> "from" (the subject of a verb that has none)
    sources: dict[str, str]
    dialogue_dashes: str  # the dashes that open a spoken line ("—No nos vamos —dijo—")
    relative_pronouns: frozenset[str]  # "quien", "que": a relative clause's subject is the noun it hangs from


DROPPED_ROWS = {"Sing": "(3sg)", "Plur": "(3pl)"}  # the rows of quotes_speaker_pronouns.tsv for dropped subjects


@by_language
def quote_words() -> QuoteWords:
    pronouns = {r[0]: r[1] for r in rows("quotes_speaker_pronouns.tsv")}
    return QuoteWords(
        {k: v for k, v in pronouns.items() if not k.startswith("(")},
        {r[0]: r[2] for r in rows("quotes_speaker_pronouns.tsv") if len(r) > 2 and r[2] and not r[0].startswith("(")},
        words("quotes_no_speaker_pronouns.txt"),
        words("quotes_indefinite_determiners.txt"),
        words("quotes_quoting_verbs.txt"),
        words("quotes_work_cues.txt"),
        words("quotes_discourse_subjects.txt"),
        {number: pronouns[row] for number, row in DROPPED_ROWS.items() if row in pronouns},
        {r[0]: r[1] for r in rows("quotes_source_words.tsv")},
        "".join(r[0] for r in rows("quotes_dialogue_dashes.txt")),
        words("quotes_relative_pronouns.txt"),
    )


# subjects in the English model's labels and in Universal Dependencies' (the French model): "-il" in "a-t-il
# dit" is an expletive subject there
SUBJECT_DEPS = ("nsubj", "nsubjpass", "nsubj:pass", "expl:subj")
CLIMB_DEPS = ("advcl", "xcomp", "conj", "acl", "relcl")
ADJACENT_TOKENS = 5  # how close a plain verb must follow a quote (and end its sentence) to be its cue
MIN_QUOTE_WORDS = 4  # shorter stretches need a cue to be quotes: "ISIS", “terrorists”
CONTINUATION_PARAGRAPHS = 3  # how far back a cue-less quote looks for the quote it continues
# bounds that keep the layer linear when a "sentence" is thousands of tokens long (2,000 quote marks,
# a list without full stops): no cue stands further from its quote, no reported clause is longer
CUE_REACH = 400  # characters between a quote's marks and its cue verb, and around a cue for its channel
MAX_REPORTED_TOKENS = 150  # tokens in the content of one reported-speech cue


@by_language
def channels() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(r[0], re.IGNORECASE), r[1]) for r in rows("channels.tsv"))


@dataclass
class Speaker:
    entity: Entity | None = None
    name: str | None = None
    start: int = -1
    end: int = -1
    implicit: bool = False  # a dropped subject: placed at its verb for the order of speakers, written nowhere

    def fields(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "speaker": self.entity.id if self.entity else None,
            "speaker_name": self.entity.name if self.entity else self.name,
        }
        if self.start >= 0 and not self.implicit:
            out["speaker_mention"] = {"start": self.start, "end": self.end, "text": text[self.start : self.end]}
        return out


@dataclass
class Attribution:
    """What one quote or reported clause is attributed to."""

    speaker: Speaker = field(default_factory=Speaker)
    cue: Token | None = None
    channel: str | None = None
    inherited: tuple[int, Speaker] | None = None  # (paragraph, speaker) of the last attribution before


class Context:
    """The document seen by the quotes layer: tokens by offset, entities by mention, speakers so far."""

    def __init__(self, doc: Document, parsed: Doc) -> None:
        self.doc = doc
        self.parsed = parsed
        self.starts = list(tokens.of(parsed).idx)
        self.index = Mentions(doc.entities)
        self.mentions, self.mention_starts = self.index.items, self.index.starts
        self.paragraph_starts = [p.start for p in doc.paragraphs]
        self.last_speaker: dict[str, Speaker] = {}
        self.last_attribution: tuple[int, Speaker] | None = None  # (paragraph, speaker), quotes or reported
        self.speech_lemmas = {k for k, v in speech_verbs().items() if v != "belief"}
        # the French model leaves some present tenses unlemmatised ("glisse", "soupire", even as nouns): a
        # first-group verb's is its infinitive less its "r"
        self.speech_forms = self.speech_lemmas | {lemma[:-1] for lemma in self.speech_lemmas if lemma.endswith("er")}
        self.quoted: list[bool] = []  # per character: inside quotation marks (set once the marks are read)
        self.names = FullNames(doc.text)  # the full names the text writes for surnames
        self.full_names: dict[str, str | None] = {}  # by surname, looked up once
        # indexes built at the first question: people and organisations by their name's words (a person by
        # its last words too); organisations' mentions and people by a noun of their name or role
        self.by_name: dict[tuple[str, ...], dict[str, Entity]] | None = None
        self.orgs_with: dict[str, list[int]] = {}
        self.roles_with: dict[str, dict[str, Entity]] = {}
        self.genders: dict[str, str | None] = {}  # by entity id, worked out once
        self.text_genders: dict[str, str] | None = None  # by entity id: what the text's pronouns say

    def token_at(self, char: int) -> Token:
        return self.parsed[max(0, bisect.bisect_right(self.starts, char) - 1)]

    def entity_at(self, start: int, end: int) -> tuple[Entity, int, int] | None:
        """The entity with a mention overlapping [start, end), and that mention's bounds."""
        found = self.index.at(start, end)
        return (found[2], found[0], found[1]) if found is not None else None

    def may_be(self, ent: Entity | None, gender: str | None) -> bool:
        """Can a pronoun of ``gender`` stand for ``ent``: not a person the name or title gives the other one."""
        if gender is None or ent is None or ent.type != "PERSON":
            return True
        if self.text_genders is None:
            self.text_genders = self._genders_in_text()
        if ent.id not in self.genders:
            self.genders[ent.id] = title_gender(ent.title) or self.text_genders.get(ent.id)
        return self.genders[ent.id] in (None, gender)

    def _genders_in_text(self) -> dict[str, str]:
        """The gender the text gives each person: the pronouns ("he", "her") of the sentences that name that
        person and no other, outside quotes, when they agree."""
        marks = quote_words().pronoun_genders
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        k = 0
        for sent in self.parsed.sents:
            people: set[str] = set()
            while k < len(self.mentions) and self.mentions[k][0] < sent.end_char:
                s, _e, ent = self.mentions[k]
                if ent.type == "PERSON" and s >= sent.start_char and not self.in_quotes(s):
                    people.add(ent.id)
                k += 1
            if len(people) == 1:
                found = Counter(marks[t.lower_] for t in sent if t.lower_ in marks and not self.in_quotes(t.idx))
                counts[next(iter(people))].update(found)
        out = {}
        for pid, c in counts.items():
            common = c.most_common(2)
            other = common[1][1] if len(common) > 1 else 0
            if common and common[0][1] > 2 * other:
                out[pid] = common[0][0]
        return out

    def last_subject_before(self, char: int, want: str, gender: str | None = None) -> tuple[Entity, int] | None:
        """The last entity of type ``want`` (and of a pronoun's ``gender``) named as a sentence subject before
        ``char``, within the current and the previous paragraph."""
        floor = self.doc.paragraphs[max(0, self.paragraph_index(char) - 1)].start
        for k in range(bisect.bisect_left(self.mention_starts, char) - 1, -1, -1):
            s, e, ent = self.mentions[k]
            if s < floor:
                break
            if e > char or ent.type != want or self.in_quotes(s) or not self.may_be(ent, gender):
                continue
            tok = self.token_at(e - 1)
            while tok.dep_ in ("flat", "flat:name") and tok.head.i != tok.i:
                tok = tok.head  # "Gloria Ramírez" in Universal Dependencies: the name hangs from its first word
            if tok.dep_ in SUBJECT_DEPS or (tok.head.dep_ in SUBJECT_DEPS and tok.dep_ in ("compound", "appos")):
                return ent, s
        return None

    def entity_named(self, name: str) -> Entity | None:
        """The one person or organisation of the document called ``name`` or, for a person, whose full
        name ends with it ("Dempsey" is Owen Dempsey where spaCy did not mark that mention)."""
        if self.by_name is None:
            self.by_name = {}
            for e in self.doc.entities:
                if e.type not in ("PERSON", "ORG"):
                    continue
                full = tuple(e.name.lower().split())
                self.by_name.setdefault(full, {})[e.id] = e
                if e.type == "PERSON":
                    for n in range(1, len(full)):
                        self.by_name.setdefault(full[-n:], {})[e.id] = e
        found = self.by_name.get(tuple(name.lower().split()), {})
        return next(iter(found.values())) if len(found) == 1 else None

    def org_named_with(self, noun: str, char: int) -> Entity | None:
        """The organisation of the last mention before ``char`` whose name has ``noun`` in it ("the bank")."""
        if noun not in self.orgs_with:
            self.orgs_with[noun] = [
                k for k, (_s, _e, ent) in enumerate(self.mentions) if ent.type == "ORG" and noun in ent.name.lower()
            ]
        found = self.orgs_with[noun]
        j = bisect.bisect_left(found, bisect.bisect_left(self.mention_starts, char)) - 1
        return self.mentions[found[j]][2] if j >= 0 else None

    def people_with_role(self, noun: str) -> dict[str, Entity]:
        """The people whose role has ``noun`` in it, by id."""
        if noun not in self.roles_with:
            self.roles_with[noun] = {
                e.id: e for e in self.doc.entities if e.type == "PERSON" and e.role and noun in e.role.lower()
            }
        return self.roles_with[noun]

    def full_name(self, surname: str) -> str | None:
        """The full name a surname stands for where the text writes it out ("Kurt Volker" for
        "Volker"), as the entities layer completes a one-word person."""
        if not surname[:1].isupper():
            return None
        if surname not in self.full_names:
            found = self.names.find(surname, name_lexicon())
            self.full_names[surname] = found.name if found is not None else None
        return self.full_names[surname]

    def last_mention_before(
        self, char: int, types: set[str], gender: str | None = None
    ) -> tuple[Entity, int, int] | None:
        for k in range(bisect.bisect_left(self.mention_starts, char) - 1, -1, -1):
            s, e, ent = self.mentions[k]
            if ent.type in types and e <= char and not self.in_quotes(s) and self.may_be(ent, gender):
                return ent, s, e
        return None

    def in_quotes(self, char: int) -> bool:
        """Inside quotation marks: a name there is someone's words, no antecedent of a pronoun outside."""
        return bool(self.quoted) and self.quoted[char]

    def paragraph_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.paragraph_starts, char) - 1)

    def paragraph_at(self, char: int) -> Paragraph:
        return self.doc.paragraphs[self.paragraph_index(char)]

    def remember(self, speaker: Speaker) -> None:
        if speaker.entity is not None or speaker.name is not None:
            self.last_attribution = (self.paragraph_index(max(speaker.start, 0)), speaker)
        if speaker.entity is not None:
            self.last_speaker[speaker.entity.type] = speaker
            self.last_speaker["ANY"] = speaker


# --- speakers ---------------------------------------------------------------------------------------


NAME_DEPS = ("nmod", "flat:name", "flat")  # how a UD parse may hang an inverted name from its verb


def subjects_of(verb: Token, depth: int = 0) -> list[Token]:
    """Who speaks through ``verb``: its subjects (spaCy sometimes gives two: "Wikileaks editor
    Kristinn Hrafnsson said"), a passive agent, the noun a relative clause hangs from ("Scissors,
    who said ..."), or the subject of the verb it hangs from ("..., the daily wrote, adding ...")."""
    if verb.lower_ == "according":
        return [obj for prep in verb.children if prep.lower_ == "to" for obj in prep.children if obj.dep_ == "pobj"]
    if _according(verb):
        return [verb.head]  # "según la Fiscalía": the preposition hangs from its source in UD
    found = []
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                found.append(verb.head)
            elif _relative_clause(verb) and child.lower_ in quote_words().relative_pronouns:
                found.append(verb.head)  # "el senador Julio Cobos, quien aseguró": a UD relative clause is acl
            elif child.lower_ not in ("that", "which", "who"):
                found.append(child)
    found += [obj for c in verb.children if c.dep_ == "agent" for obj in c.children if obj.dep_ == "pobj"]
    if not found and verb.tag_ == verb.pos_ and (verb.dep_ == "parataxis" or _after_a_quote(verb)):
        # an inverted incise in a Universal Dependencies parse: "« ... », a déclaré le ministre" reads the
        # speaker after the verb as its object
        # (or a name as a modifier or a name's part: "», glisse Zineb, étudiante")
        found = [
            c
            for c in verb.children
            if c.i > verb.i
            and (
                (c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN"))
                or (c.dep_ in (*NAME_DEPS, "appos") and c.pos_ == "PROPN")
            )
        ][:1]
    if not found and depth < 2 and verb.dep_ in CLIMB_DEPS and verb.head.i != verb.i:
        return subjects_of(verb.head, depth + 1)
    return found


INCISE_REACH = 4  # "» , a déclaré": the tokens between a closing mark and the verb of its incise
CLOSING_MARKS = frozenset(DOUBLE_CLOSE + '"')


def _after_a_quote(verb: Token) -> bool:
    """A verb heading its sentence right after the quotation that is its object ("« ... », a déclaré à cette
    occasion le ministre"): a closing mark just before it, however the parse hangs the verb (it may end the sentence
    there, or hang the verb from a word inside the quotation: "« ... sans faire de victimes », glisse Zineb")."""
    # (the parse reads every double mark as '"': nlp.matching_form)
    return any(t.text in CLOSING_MARKS for t in verb.doc[max(0, verb.i - INCISE_REACH) : verb.i])


def _relative_clause(verb: Token) -> bool:
    """A finite verb heading a relative clause in Universal Dependencies ("quien aseguró", "en el que
    sostuvo"), which labels it acl, as it does a participle ("el plan aprobado")."""
    return verb.dep_.startswith("acl") and verb.morph.get("VerbForm", []) == ["Fin"]


def _according(tok: Token) -> bool:
    """ "según" in "según la Fiscalía": a preposition that names a source (quotes_source_words.tsv)."""
    return tok.dep_ == "case" and quote_words().sources.get(tok.lower_) == "according"


def speaker_of(ctx: Context, verb: Token) -> Speaker | None:
    """The speaker through ``verb``: of several subjects, the first that names an entity; for a verb with
    none in a language that drops them, its source ("desde JxC calificaron") or the one it stands for."""
    # a subject inside quotation marks is part of what is said ("Según dijo, «el objetivo es ...»"), where a
    # verb without a subject is read as a dropped one (English keeps it: measured on PolNeAr, 0.517 -> 0.516)
    dropping = bool(quote_words().dropped)
    # only the verb's own subject may be a noun naming the last speaker again, not that of a clause it hangs
    # from ("Qualifié de « gourou » par un dirigeant, le haut-commissaire sait ...")
    candidates = [
        resolve(ctx, t, cued=t.head.i == verb.i) for t in subjects_of(verb) if not (dropping and ctx.in_quotes(t.idx))
    ]
    for speaker in candidates:
        if speaker.entity is not None:
            return speaker
    return candidates[0] if candidates else dropped_subject(ctx, verb)


def dropped_subject(ctx: Context, verb: Token) -> Speaker | None:
    """The speaker of a finite third-person verb without a subject, where the language drops it: "desde X"
    among its dependents (an organisation: "desde JxC calificaron"), else whom a pronoun of its number would
    stand for ("«...», explicó": the last speaker)."""
    qw = quote_words()
    if not qw.dropped or verb.morph.get("VerbForm", []) != ["Fin"] or verb.morph.get("Person", []) not in (["3"], []):
        return None
    # "desde JxC calificaron": the source just before the verb (the parse may hang it elsewhere)
    for tok in verb.doc[max(verb.sent.start, verb.i - 4) : verb.i]:
        if tok.dep_ == "case" and qw.sources.get(tok.lower_) == "from" and verb.i - tok.head.i <= 2:
            hit = ctx.entity_at(tok.head.idx, tok.head.idx + len(tok.head))
            if hit is not None and hit[0].type == "ORG":
                return Speaker(hit[0], None, hit[1], hit[2])
    if _relative_clause(verb) and verb.head.head.i != verb.head.i:
        # "publicó un texto en el que sostuvo": who published the text said it
        outer = [t for t in subjects_of(verb.head.head) if not ctx.in_quotes(t.idx)]
        if outer:
            return resolve(ctx, outer[0])
    number = verb.morph.get("Number", [])
    want = qw.dropped.get(number[0] if number else "Sing")
    if want is None:
        return None
    found = pronoun_speaker(ctx, want, verb.idx, verb.idx)
    found.implicit = True  # no word of the text names them: no speaker mention
    return found


def resolve(ctx: Context, head: Token, *, cued: bool = True) -> Speaker:
    """An entity for the speaker phrase headed by ``head``; else its name or words. ``cued``: the phrase is
    the subject of a speech verb (a noun there may name the last speaker again)."""
    phrase = (
        ctx.parsed[head.left_edge.i : head.i + 1] if head.left_edge.i <= head.i else ctx.parsed[head.i : head.i + 1]
    )
    # "M. Caldwell": in Universal Dependencies the title heads the name, which follows as "flat:name"
    names = [head, *(c for c in head.children if c.dep_ in ("flat:name", "flat"))]
    found = next((hit for t in names if (hit := ctx.entity_at(t.idx, t.idx + len(t))) is not None), None)
    if found is not None:
        ent, s, e = found
        full = ctx.full_name(ent.name) if ent.type == "ORG" and " " not in ent.name else None
        if full is not None:
            return Speaker(None, full, s, e)  # "Sanborn said", spaCy's organisation, is Jeff Sanborn
        return Speaker(ent, None, s, e)
    for child in head.children:
        # "media official Gen Saad Maan told": the named appositive is the speaker
        if child.dep_ == "appos":
            hit = ctx.entity_at(child.idx, child.idx + len(child))
            if hit is not None and hit[0].type == "PERSON":
                return Speaker(hit[0], None, hit[1], hit[2])
    low = head.lower_
    if low in quote_words().pronouns:
        gender = quote_words().pronoun_genders.get(low)
        asked = _asked_before(ctx, head) if head.head.lemma_.lower() in words("quotes_answer_verbs.txt") else None
        if asked is not None and ctx.may_be(asked, gender):
            return Speaker(asked, None, head.idx, head.idx + len(head))  # "a reporter asked X, '...?' she replied"
        return pronoun_speaker(ctx, quote_words().pronouns[low], head.idx, head.idx + len(head), gender)
    if low in quote_words().no_speaker_pronouns:
        return Speaker()
    start, end = phrase.start_char, phrase.end_char
    if head.lemma_.lower() in words("speaker_nouns.txt"):
        # "a survey by Penelope Muse Abernathy of the University of North Carolina": its author
        for prep in head.children:
            if prep.lower_ == "by" and prep.dep_ == "prep":
                for obj in prep.children:
                    hit = ctx.entity_at(obj.idx, obj.idx + len(obj))
                    if hit is not None and hit[0].type == "PERSON":
                        return Speaker(hit[0], None, start, max(end, hit[2]))
        # modifiers and "of/for X" name the body: "a UN report", "a spokesman for the army"
        for tok in [*head.subtree]:
            if tok.i == head.i:
                continue
            hit = ctx.entity_at(tok.idx, tok.idx + len(tok))
            if (hit is None and tok.pos_ == "PROPN") or (hit is not None and hit[0].type == "GPE"):
                # a body the model left untagged here, or typed as a place, that it named elsewhere ("fuentes de
                # Montecon", the company of the article)
                body = ctx.entity_named(tok.text if hit is None else hit[0].name)
                if body is not None and body.type == "ORG":
                    hit = (body, tok.idx, tok.idx + len(tok))
            if hit is not None and hit[0].type == "ORG":
                return Speaker(hit[0], None, start, max(end, hit[2]))
        if any(c.dep_ == "det" and c.lower_ in quote_words().indefinite_determiners for c in head.children):
            return Speaker(None, None, start, end)  # "a spokeswoman": someone not named
        noun = head.lemma_.lower()
        org = ctx.org_named_with(noun, head.idx)
        if org is not None:
            return Speaker(org, None, start, end)
        people = ctx.people_with_role(noun)
        if len(people) == 1 and noun not in words("body_nouns.txt"):  # "the bank" is not its governor
            return Speaker(next(iter(people.values())), None, start, end)
        if noun in words("body_nouns.txt") and "ORG" in ctx.last_speaker:
            return Speaker(ctx.last_speaker["ORG"].entity, None, start, end)  # "the network said"
        if cued and _definite(head) and (again := _named_again(ctx, head)) is not None:
            return Speaker(again, None, start, end)
        return Speaker(None, None, start, end)
    if cued and head.pos_ == "NOUN" and _definite(head) and (again := _named_again(ctx, head)) is not None:
        return Speaker(again, None, start, end)
    if head.pos_ == "PROPN":
        # a name spaCy did not mark as an entity: keep the name itself
        name_toks = [t for t in phrase if t.pos_ == "PROPN"]
        if name_toks:
            span = ctx.parsed[name_toks[0].i : head.i + 1]
            name = ctx.doc.text[span.start_char : span.end_char]
            named = ctx.entity_named(name)
            if named is None and " " not in name:
                name = ctx.full_name(name) or name  # "Volker said" after "Kurt Volker"
            return Speaker(named, None if named else name, span.start_char, span.end_char)
    return Speaker(None, None, start, end)


REMENTION_CHARS = 600  # how far back the speaker a noun names again may have spoken
ASKED_TOKENS = 80  # how far back an answer's pronoun looks for the person asked


def _asked_before(ctx: Context, head: Token) -> Entity | None:
    """The person asked close before an answer ("a reporter asked Montoya-Lewis, '...?'" then "she replied"):
    the object of the last asking verb (quotes_asking_verbs.txt) within ASKED_TOKENS tokens, when it names
    a person."""
    asking = words("quotes_asking_verbs.txt")
    for tok in reversed(ctx.parsed[max(0, head.i - ASKED_TOKENS) : head.i]):
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in asking:
            continue
        for obj in tok.children:
            if obj.dep_ in ("dobj", "dative", "obj", "iobj"):
                hit = ctx.entity_at(obj.idx, obj.idx + len(obj))
                if hit is not None and hit[0].type == "PERSON":
                    return hit[0]
        return None  # the last asking verb asked no one the text names
    return None


def _definite(head: Token) -> bool:
    """ "el científico", "le chercheur": a noun with a determiner, none of them indefinite."""
    dets = [c for c in head.children if c.dep_ == "det"]
    return bool(dets) and not any(d.lower_ in quote_words().indefinite_determiners for d in dets)


def _named_again(ctx: Context, head: Token) -> Entity | None:
    """The speaker a definite noun names again ("añade el científico" after Francisco Navarro spoke, "resalta
    el organismo" after the WMO's statement), as the French and Spanish press vary the noun for the same
    speaker: a person's role noun (role_nouns.txt) is the last person who spoke, a body's noun
    (body_nouns.txt) the last body; only a speaker close before (an unnamed speaker before leaves it
    unnamed: "a senior official said ... the official added"), else, for a noun no unnamed source goes by
    (not in speaker_nouns.txt), the person or body a sentence close before has as its subject, or names."""
    noun = head.lemma_.lower()
    kind = "ORG" if noun in words("body_nouns.txt") else "PERSON" if noun in words("role_nouns.txt") else None
    if kind is None:
        return None
    last = ctx.last_speaker.get(kind)
    if last is not None and last.entity is not None and 0 <= head.idx - last.start <= REMENTION_CHARS:
        return last.entity
    # "El glaciólogo Francisco Navarro explicó ... añade el científico": the subject of a sentence just before
    # ("Delevoye s'est mis dans la poche Brigitte Macron ... le haut-commissaire" is Delevoye), else the last named
    prev: tuple[Entity, int] | tuple[Entity, int, int] | None = ctx.last_subject_before(head.idx, kind)
    if noun in words("speaker_nouns.txt"):
        if current() == EN:
            return None  # "the official": someone who has not spoken is often someone unnamed
        # "La ministra ..., Antonia Orellana, se refirió ... La secretaria de Estado señaló": only the subject
    else:
        prev = prev or ctx.last_mention_before(head.idx, {kind})
    return prev[0] if prev is not None and head.idx - prev[1] <= REMENTION_CHARS else None


def pronoun_speaker(ctx: Context, want: str, start: int, end: int, gender: str | None = None) -> Speaker:
    """Whom a pronoun of type ``want`` (PERSON, ORG, ANY) and ``gender`` ("m", "f") at ``start``-``end``
    stands for."""
    last = ctx.last_speaker.get(want)
    if last is not None and not ctx.may_be(last.entity, gender):
        last = None  # "she" is not the man who spoke last
    if want == "ANY" and last is not None and last.entity is not None and last.entity.type == "PERSON":
        last = None  # "they said" is no one person: a body, a country, or people the text does not name
    subject = ctx.last_subject_before(start, want, gender) if want != "ANY" else None
    if subject is not None and (last is None or last.entity is None or subject[1] > last.start):
        # "Netanyahu visited the settlement. 'Here we are,' he told ...": the newer subject wins
        return Speaker(subject[0], None, start, end)
    if last is not None and last.entity is not None:
        return Speaker(last.entity, None, start, end)
    types = {"PERSON"} if want == "PERSON" else {"ORG", "GPE"}
    prev = ctx.last_mention_before(start, types, gender)
    if prev is not None:
        return Speaker(prev[0], None, start, end)
    return Speaker(None, None, start, end)


# --- channels and cues --------------------------------------------------------------------------------


def channel_near(ctx: Context, cue: Token, masked: str) -> str | None:
    """A channel named in the cue's clause ("wrote on Twitter", "told a news conference")."""
    lo = max(cue.left_edge.idx, cue.idx - CUE_REACH)
    hi = min(cue.right_edge.idx + len(cue.right_edge), cue.idx + CUE_REACH)
    clause = masked[lo:hi]
    for pattern, channel in channels():
        m = pattern.search(clause)
        if m:
            return m.expand(channel) if "\\" in channel else channel
    return None


def mask_quotes(text: str, stretches: list[Stretch]) -> str:
    """The text with quoted words blanked, so attribution rules never read inside quotes."""
    chars = list(text)
    for s in stretches:
        for i in range(s.mark_start, s.mark_end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def window(ctx: Context, s: Stretch) -> tuple[int, int]:
    """Where a quote's attribution may stand: its sentences, the one glued after its closing mark, and
    one ending in a colon just before it; never outside its paragraph."""
    para = ctx.doc.paragraphs[s.paragraph]
    first = ctx.token_at(s.mark_start).sent
    last = ctx.token_at(max(s.mark_start, s.mark_end - 1)).sent
    lo, hi = first.start_char, last.end_char
    after = ctx.token_at(hi + 1) if hi + 1 < len(ctx.doc.text) else None
    if after is not None and after.sent.start_char <= hi + 3 and after.sent.start_char > hi:
        hi = after.sent.end_char
    if first.start > 0:
        before = ctx.parsed[first.start - 1].sent
        if before.text.rstrip().endswith(":"):
            lo = before.start_char
    return max(lo, para.start), min(hi, para.end)


def find_cue(ctx: Context, s: Stretch, inside: list[bool]) -> Token | None:
    """The cue verb nearest to a quote within its window, outside any quote."""
    lo, hi = window(ctx, s)
    lo, hi = max(lo, s.mark_start - CUE_REACH), min(hi, s.mark_end + CUE_REACH)
    head = ctx.token_at(s.start)
    best: tuple[int, Token] | None = None
    for tok in ctx.parsed[ctx.token_at(lo).i : ctx.token_at(max(lo, hi - 1)).i + 1]:
        if inside[tok.idx] or tok.idx < lo or tok.idx >= hi:
            continue
        is_cue = (
            (tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in ctx.speech_forms)
            or (tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children))
            or _according(tok)
        )
        if not is_cue or (tok.dep_ in ("acl", "amod") and not _relative_clause(tok)):
            continue  # "the little deal announced in October": a participle, no one speaks
        if _discourse_marker(tok):
            continue  # "That said, the DEA says that ...": no one says "that said"
        distance = min(abs(tok.idx - s.mark_start), abs(tok.idx - s.mark_end))
        if _governs(tok, head):
            distance -= len(ctx.doc.text)  # the quote hangs from this verb: it is the cue
        if best is None or distance < best[0]:
            best = (distance, tok)
    return outer_cue(ctx, best[1]) if best else adjacent_verb(ctx, s, inside)


def _discourse_marker(verb: Token) -> bool:
    """ "That said," / "Cela dit,": a speech verb whose only subject is a demonstrative, hanging from the
    sentence's verb with nothing said."""
    return (
        verb.head.i != verb.i
        and _demonstrative_subject(verb)
        and not any(c.dep_ in ("ccomp", "dobj", "obj", "xcomp") for c in verb.children)
    )


def _demonstrative_subject(verb: Token) -> bool:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    return len(subjects) == 1 and subjects[0].lower_ in quote_words().discourse_subjects


def _governs(verb: Token, tok: Token, depth: int = 40) -> bool:
    """Is ``verb`` an ancestor of ``tok`` within ``depth`` steps up the parse (a bounded ``is_ancestor``:
    a clause chain thousands of tokens deep is no sentence anyone quotes from)."""
    node = tok
    for _ in range(depth):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.i == verb.i:
            return True
    return False


def outer_cue(ctx: Context, cue: Token) -> Token:
    """ "Pompeo said that Washington had concluded that they are “not inconsistent”": the words are
    Pompeo's — a cue inside the clause of another speech verb gives way to it."""
    node = cue
    while node.dep_ == "ccomp" and node.head.i != node.i:
        node = node.head
        # not to "That said" parsed as the sentence's verb: "That said, the DEA says that ..." is the DEA's
        if (
            node.pos_ in ("VERB", "AUX")
            and node.lemma_.lower() in ctx.speech_lemmas
            and not _demonstrative_subject(node)
            # "Explaining why he argued ...": a gerund with no subject of its own leaves the words to "he"
            and not (node.tag_ == "VBG" and not any(c.dep_ in SUBJECT_DEPS for c in node.children))
        ):
            cue = node
    return cue


def adjacent_verb(ctx: Context, s: Stretch, inside: list[bool]) -> Token | None:
    """Any verb that ends a quote's sentence right after its closing mark with a subject, when the
    quote closes like an utterance: “Go register,” Trump implored. / “...,” gushed Clinton."""
    if not s.closed or not _ends_utterance(ctx, s):
        return None  # “Make America Great Again” hats: no comma, no attribution
    para = ctx.paragraph_at(s.start)
    tok = ctx.token_at(s.mark_end)
    if tok.idx < s.mark_end:
        tok = ctx.parsed[tok.i + 1] if tok.i + 1 < len(ctx.parsed) else tok
    for t in ctx.parsed[tok.i : min(len(ctx.parsed), tok.i + ADJACENT_TOKENS)]:
        if t.idx >= para.end or (inside[t.idx] and t.idx >= s.mark_end):
            break
        if t.pos_ == "VERB" and any(c.dep_ in SUBJECT_DEPS for c in t.children):
            rest = [x for x in ctx.parsed[t.i + 1 : t.sent.end] if not x.is_punct and not x.is_space]
            return t if len(rest) <= ADJACENT_TOKENS else None
    return None


# --- direct quotes ------------------------------------------------------------------------------------


def _ends_utterance(ctx: Context, s: Stretch) -> bool:
    """Does the stretch end like something said — “Yes,” / “No!” — or fill its paragraph?"""
    inner = ctx.doc.text[s.mark_start + 1 : max(s.mark_start + 1, s.mark_end - 1)].rstrip()
    return inner.endswith((",", ".", "!", "?", "…")) or (s.opens_paragraph and not s.closed)


def _incise_after(ctx: Context, s: Stretch, cue: Token) -> bool:
    """The cue right after the closing mark and a comma, as French and Spanish write the incise outside the
    marks: «Hemos esperado demasiado», añadió."""
    if current() == EN:
        return False  # English writes the comma inside the marks: “No,” he said (read by _ends_utterance)
    return s.closed and re.fullmatch(r"\s*,\s*[—–]?\s*", ctx.doc.text[s.mark_end : cue.idx]) is not None


def _called(ctx: Context, s: Stretch, cue: Token) -> bool:
    """A partial quote after a verb of calling, a few words before the marks ("calificaron como una «maniobra
    burda»"): the guidelines' "called it" quote (quotes_calling_verbs.txt; none for English, whose rule
    wants the quote to end like an utterance)."""
    if cue.lemma_.lower() not in words("quotes_calling_verbs.txt") or cue.idx > s.mark_start:
        return False
    between = ctx.doc.text[cue.idx + len(cue) : s.mark_start]
    return len(between.split()) <= 3 and not any(ch in between for ch in ".;:")


def is_quote(ctx: Context, s: Stretch, cue: Token | None) -> bool:
    """Scare quotes, names, headings in quotes and titles of works are not quotes."""
    kind = ctx.doc.paragraphs[s.paragraph].kind
    text = ctx.doc.text[s.start : s.end]
    n_words = len(text.split())
    if kind == "heading":
        return False
    before = ctx.doc.text[max(0, s.mark_start - 30) : s.mark_start].lower().split()
    named = bool(before) and before[-1].strip(",:") in quote_words().work_cues  # so-called, dubbed, the film
    if n_words < MIN_QUOTE_WORDS and (
        cue is None
        or kind in ("title", "subtitle")
        or not (
            _ends_utterance(ctx, s)
            or _incise_after(ctx, s, cue)
            or _called(ctx, s, cue)
            or (not named and _governs(cue, ctx.token_at(s.start)))
        )
    ):
        # “giveaway”, “Hotel Rwanda”: a short stretch is a quote only as a whole utterance, or as words in
        # the clause of a speech verb: she said politicians have “vilified” educators
        return False
    if cue is None and named:
        return False
    capitalised = all(w[:1].isupper() or not w[:1].isalpha() for w in text.split())
    return not (cue is None and capitalised and n_words <= 6 and not text.rstrip().endswith((".", "!", "?")))


def attribute_stretch(ctx: Context, s: Stretch, inside: list[bool], masked: str) -> Attribution | None:
    """The attribution of a quoted stretch; None when the stretch is not a quote."""
    cue = find_cue(ctx, s, inside)
    if not is_quote(ctx, s, cue):
        return None
    attribution = Attribution(cue=cue)
    incise = inner_incise(ctx, s)
    if incise is not None and (incise.entity is not None or incise.name is not None):
        # "« Je suis inquiet, glisse-t-il, pour mon avenir »": the quote names its speaker itself
        attribution.speaker = incise
        ctx.remember(incise)
    elif cue is not None:
        speaker = speaker_of(ctx, cue)
        if speaker is not None:
            attribution.speaker = speaker
            ctx.remember(speaker)
        attribution.channel = channel_near(ctx, cue, masked)
    elif not s.opens_paragraph:
        # "Clinton compared the president to a duck, “smoothly sailing ...”": the sentence's subject
        root = ctx.token_at(s.mark_start).sent.root
        subjects = [t for t in subjects_of(root) if not inside[t.idx]] if not inside[root.idx] else []
        if subjects:
            speaker = resolve(ctx, subjects[0], cued=False)
            if speaker.entity is not None and speaker.entity.type in ("PERSON", "ORG"):
                attribution.speaker = speaker
    else:
        attribution.inherited = ctx.last_attribution
    return attribution


def inner_incise(ctx: Context, s: Stretch) -> Speaker | None:
    """The speaker an incise inside the quotation marks names, as French writes it: a comma, a speech verb
    and its inverted subject ("…, glisse-t-il, …", "…, soupire Pasiphae …", "…, explique le chercheur").
    None when the quote holds no incise."""
    toks = ctx.parsed[ctx.token_at(s.start).i : ctx.token_at(max(s.start, s.end - 1)).i + 1]
    for k in range(1, len(toks) - 1):
        verb = toks[k]
        if toks[k - 1].text != "," or not verb.text.islower():
            continue
        after = [t for t in toks[k + 1 : k + 4] if t.lower_ != "-t"]
        inverted = bool(after) and after[0].text.startswith("-")  # "glisse-t-il": the form says it is a verb
        if not after or not (inverted or verb.lemma_.lower() in ctx.speech_forms or verb.lower_ in ctx.speech_forms):
            continue
        subject = after[0]
        if subject.lower_ in quote_words().pronouns:
            low = subject.lower_
            gender = quote_words().pronoun_genders.get(low)
            return pronoun_speaker(ctx, quote_words().pronouns[low], subject.idx, subject.idx + len(subject), gender)
        if subject.pos_ == "DET" and len(after) > 1 and after[1].pos_ == "NOUN":
            return resolve(ctx, after[1])
        if subject.pos_ == "PROPN" or ctx.entity_at(subject.idx, subject.idx + len(subject)) is not None:
            return resolve(ctx, subject)
    return None


def direct_item(ctx: Context, s: Stretch, a: Attribution) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": "direct", "text": ctx.doc.text[s.start : s.end], "start": s.start, "end": s.end}
    item.update(a.speaker.fields(ctx.doc.text))
    if a.cue is not None:
        item["cue"] = a.cue.text
    if a.channel:
        item["channel"] = a.channel
    if not s.closed:
        item["continues"] = True
    return item


PULL_QUOTE_WORDS = 5  # a shorter stretch repeated elsewhere may be a phrase, not a pull quote


def _pull_quotes(text: str, quotes: list[tuple[Stretch, Attribution]]) -> None:
    """A cue-less quote whose words another quote says again elsewhere (a pull quote set apart from the
    text, "“We ran out of fuel.”") is that quote's speaker's."""
    said = [(s, " ".join(text[s.start : s.end].split()), a) for s, a in quotes]
    for s, a in quotes:
        words = " ".join(text[s.start : s.end].split()).strip(" .,;:!?")
        if a.cue is not None or len(words.split()) < PULL_QUOTE_WORDS:
            continue
        found = next((b for t, other, b in said if t is not s and words in other and len(other) > len(words)), None)
        if found is not None and (found.speaker.entity is not None or found.speaker.name is not None):
            a.speaker = Speaker(found.speaker.entity, found.speaker.name)


def _carry_speakers(quotes: list[tuple[Stretch, Attribution]]) -> None:
    """Cue-less quotes continue a quote: an open stretch takes the speaker of the one it runs into;
    otherwise a quote after another in its paragraph, or opening a paragraph a few after the last
    quote, takes that quote's speaker."""
    for i in range(len(quotes) - 1, -1, -1):
        s, a = quotes[i]
        if a.cue is None and not s.closed and i + 1 < len(quotes):
            nxt_s, nxt_a = quotes[i + 1]
            if nxt_s.paragraph == s.paragraph + 1 and nxt_s.opens_paragraph and nxt_a.speaker.entity is not None:
                a.speaker = Speaker(nxt_a.speaker.entity, nxt_a.speaker.name)
    for i, (s, a) in enumerate(quotes):
        if a.cue is not None or a.speaker.entity is not None or a.speaker.name is not None:
            continue
        prev = quotes[i - 1] if i > 0 else None
        if prev is not None and prev[0].paragraph == s.paragraph:
            a.speaker = Speaker(prev[1].speaker.entity, prev[1].speaker.name)
        elif a.inherited is not None and s.paragraph - a.inherited[0] <= CONTINUATION_PARAGRAPHS:
            # the last attribution before it, a quote or reported speech ("Erekat said it was ...")
            a.speaker = Speaker(a.inherited[1].entity, a.inherited[1].name)
        elif prev is not None and s.opens_paragraph and s.paragraph - prev[0].paragraph <= CONTINUATION_PARAGRAPHS:
            a.speaker = Speaker(prev[1].speaker.entity, prev[1].speaker.name)


# --- reported speech ------------------------------------------------------------------------------------


def content_of(verb: Token) -> Span | None:
    """What a cue verb reports: its clause complement; for announce-type verbs a long object; for
    "according to X" the clause it hangs from, minus the attribution."""
    doc = verb.doc
    if verb.lower_ == "according":
        head = verb.head
        if _size(head) > MAX_REPORTED_TOKENS:
            return None
        attribution = {t.i for t in verb.subtree}
        toks = [t for t in head.subtree if t.i not in attribution and not t.is_punct]
        return _contiguous(doc, toks, verb)
    kind = speech_verbs().get(verb.lemma_.lower())
    for child in verb.children:
        # a reported clause has its own subject ("warns “ISIS” has fallen" parses without one)
        if child.dep_ == "ccomp" and any(c.dep_ in (*SUBJECT_DEPS, "expl", "csubj") for c in child.children):
            if _size(child) > MAX_REPORTED_TOKENS:
                return None
            # "that 300 soldiers were deployed, according to officials": the inner attribution is not content
            inner = {t.i for a in child.subtree if a.lower_ == "according" for t in a.subtree}
            toks = [
                t
                for t in child.subtree
                if t.i not in inner and not (t.dep_ == "mark" and t.head.i == child.i and t.i < child.i)
            ]
            return _contiguous(doc, toks, verb)
    if kind == "announce":
        for child in verb.children:
            if child.dep_ == "dobj" and 3 <= _size(child) <= MAX_REPORTED_TOKENS:
                return _contiguous(doc, list(child.subtree), verb)
    return None


def _size(tok: Token) -> int:
    """The number of tokens in ``tok``'s subtree, from its edges (a projective parse), without walking it."""
    return int(tok.right_edge.i - tok.left_edge.i + 1)


def _contiguous(doc: Doc, toks: list[Token], verb: Token) -> Span | None:
    """The longest run of ``toks`` not crossing the cue verb, trimmed of edge punctuation."""
    idx = sorted(t.i for t in toks if t.i != verb.i)
    if not idx:
        return None
    runs: list[list[int]] = [[idx[0]]]
    for i in idx[1:]:
        if i == runs[-1][-1] + 1 and not doc[i].is_space:
            runs[-1].append(i)
        else:
            runs.append([i])
    run = max(runs, key=len)
    start, end = run[0], run[-1] + 1
    while start < end and ((doc[start].is_punct and doc[start].text not in "“\"‘'") or doc[start].is_space):
        start += 1
    while end > start and ((doc[end - 1].is_punct and doc[end - 1].text not in "”\"’'") or doc[end - 1].is_space):
        end -= 1
    if end - start < 3:
        return None
    return doc[start:end]


def reported_cues(ctx: Context, inside: list[bool]) -> list[Token]:
    kinds = speech_verbs()
    table = tokens.of(ctx.parsed)
    idx, pos, lemma, lower = table.idx, table.pos, table.lemma_lower, table.lower
    return [
        table.tokens[i]
        for i in range(len(idx))
        if not inside[idx[i]] and ((pos[i] in ("VERB", "AUX") and lemma[i] in kinds) or lower[i] == "according")
    ]


def reported_item(ctx: Context, tok: Token, inside: list[bool], masked: str) -> dict[str, Any] | None:
    """Reported speech through one cue verb: its content clause and speaker, within one paragraph."""
    content = content_of(tok)
    if content is None:
        return None
    para = ctx.paragraph_at(tok.idx)
    if content.start_char < para.start or content.end_char > para.end:
        return None
    quoted = sum(inside[content.start_char : content.end_char])
    if quoted > 0.6 * len(content.text):
        return None  # a direct quote says it already
    subjects = [
        t for t in subjects_of(tok) if not content.start <= t.i < content.end and para.start <= t.idx < para.end
    ]
    if not subjects:
        return None
    speaker = speaker_of(ctx, tok)
    if speaker is None or (speaker.entity is None and speaker.name is None and speaker.start < 0):
        return None
    ctx.remember(speaker)
    item: dict[str, Any] = {
        "kind": "indirect",
        "text": ctx.doc.text[content.start_char : content.end_char],
        "start": content.start_char,
        "end": content.end_char,
    }
    item.update(speaker.fields(ctx.doc.text))
    item["cue"] = tok.text if tok.lower_ != "according" else "according to"
    channel = channel_near(ctx, tok, masked)
    if channel:
        item["channel"] = channel
    return item


# --- original sources -------------------------------------------------------------------------------------


def add_original_sources(ctx: Context, quotes: list[dict[str, Any]]) -> None:
    """ "He was quoting what Maj Gen John Brennan had said": the quote before it by the same speaker
    passes on Brennan's words."""
    table = tokens.of(ctx.parsed)
    lemma, pos, dep = table.lemma_lower, table.pos, table.dep
    for i, tok in enumerate(table.tokens):
        if lemma[i] not in quote_words().quoting_verbs or pos[i] != "VERB" or dep[i] == "amod":
            continue
        source = None
        for t in tok.subtree:
            hit = ctx.entity_at(t.idx, t.idx + len(t)) if t.i > tok.i else None
            if hit is not None and hit[0].type in ("PERSON", "ORG"):
                source = hit[0]
                break
        subjects = subjects_of(tok)
        if source is None or not subjects:
            continue
        subject = subjects[0]
        # "He was quoting ...": he is the speaker of the quote just before; a name must match it
        named = None if subject.lower_ in quote_words().pronouns else resolve(ctx, subject).entity
        for q in reversed(quotes):
            if q["kind"] != "direct" or q["end"] > tok.idx:
                continue
            if named is None or q.get("speaker") == named.id:
                q.setdefault("original_source", source.name)
            break


def _without_overlaps(reported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One reported item per stretch of text: "X said that Y, according to Z" gives the clause to the
    speech verb over "according to", and otherwise to the longer item."""
    ranked = sorted(reported, key=lambda q: (q["cue"] == "according to", -(q["end"] - q["start"])))
    kept: list[dict[str, Any]] = []
    for q in ranked:
        if not any(k["start"] < q["end"] and q["start"] < k["end"] for k in kept):
            kept.append(q)
    return kept


def extract_quotes(doc: Document, parsed: Doc) -> list[dict[str, Any]]:
    """Direct quotes and reported speech of ``doc``, in text order.

    Quotes and cue verbs are attributed in the order they are read, so a pronoun finds the speaker
    last named before it.
    """
    ctx = Context(doc, parsed)
    dashes = quote_words().dialogue_dashes
    stretches = [
        s
        for i, p in enumerate(doc.paragraphs)
        for s in (scan_dialogue(doc.text, p.start, p.end, i, dashes) or scan_paragraph(doc.text, p.start, p.end, i))
    ]
    inside = [False] * (len(doc.text) + 1)
    for s in stretches:
        for i in range(s.mark_start, s.mark_end):
            inside[i] = True
    ctx.quoted = inside
    masked = mask_quotes(doc.text, stretches)
    jobs: list[tuple[int, Stretch | Token]] = [(s.mark_start, s) for s in stretches]
    jobs += [(t.idx, t) for t in reported_cues(ctx, inside)]
    jobs.sort(key=lambda j: j[0])
    direct: list[tuple[Stretch, Attribution]] = []
    items: list[dict[str, Any]] = []
    for _, job in jobs:
        if isinstance(job, Stretch):
            attribution = attribute_stretch(ctx, job, inside, masked)
            if attribution is not None:
                direct.append((job, attribution))
        else:
            item = reported_item(ctx, job, inside, masked)
            if item is not None:
                items.append(item)
    _carry_speakers(direct)
    _pull_quotes(doc.text, direct)
    items = _without_overlaps(items)
    items += [direct_item(ctx, s, a) for s, a in direct]
    items.sort(key=lambda q: q["start"])
    add_original_sources(ctx, items)
    return items
