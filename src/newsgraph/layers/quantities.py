"""The quantities layer: counts and amounts, with what they count and how exact they are.

A quantity is a number ("2,500", "three", "1.5 million", "a dozen", "tens of thousands"; read by
``layers/numbers.py``), the words before it that bound it ("about", "more than", "up to", "between
... and"), and what follows: a percent sign, a currency, or the noun phrase it counts, whose head is
the ``noun`` ("about 2,500 American troops" -> troops, with the modifier's country). The noun gives a
``category`` (``lexicons/en/quantity_nouns.tsv``); a verb the count is the object or passive subject of
("killed 12 people", "six people were wounded", "wounded six") is kept as ``verb``, as GDELT keeps
event counts, so the events layer can use it.

Not quantities, because other layers own them or they count nothing: years, dates and times of day,
durations and ages ("two weeks", "aged 25", "a 24-hour strike"), ordinals and identifiers ("3rd
Battalion", "Resolution 2254", "COVID-19"), phone numbers and file names, numbers inside names, and
vague words ("dozens", "several", "thousands of").

An elliptical first conjunct ("about 2,500 US and 1,000 other coalition troops") takes its noun from
the second, and the second takes the first's bound: "about" governs both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.document import Document
from newsgraph.layers._support import tokens, wikiner
from newsgraph.layers._support.lexicon import lexicon
from newsgraph.layers._support.numbers import Reading, number_words, read_number
from newsgraph.layers._support.org_names import index_words
from newsgraph.lexicons import by_language, rows, words

# spaCy labels of names: a number inside one is part of a name ("Apollo 11", "3rd Battalion").
NAME_LABELS = {"PERSON", "ORG", "FAC", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT"}
# Dependencies by which a word modifies a head to its right inside a noun phrase.
MODIFIER_DEPS = {"amod", "compound", "nmod", "nummod", "quantmod", "punct", "advmod", "poss", "npadvmod", "det"}
# Relations by which a count is what a verb acts on: its object, or the subject of its passive.
OBJECT_DEPS = {"dobj", "obj", "nsubjpass"}
# Categories that count people: only these (or an unknown noun) take an event verb.
PERSON_CATEGORIES = {"people", "casualties", "military personnel"}
CONJUNCTIONS = {"and", "or"}
BOUND_WORDS = 3  # the longest bound phrase ("no more than")
# Characters that, glued before a number, make it part of a code, a date or a name.
GLUE = set("-\u2013/.:#+_")


@by_language
def _partitive_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words after "of" that open a partitive ("three of the soldiers"); the pronouns end it ("12 of them")."""
    return words("quantities_partitive_determiners.txt"), words("quantities_partitive_pronouns.txt")


@dataclass(frozen=True)
class EventVerb:
    form: str  # what goes in the output: "killed"
    category: str  # the category it gives the count: "casualties", "people"
    subject: bool  # the count is the verb's subject ("12 people died"), not its object


@dataclass(frozen=True)
class QuantityWords:
    """The non-number vocabulary of lexicons/en/quantities.tsv and lexicons/en/quantity_nouns.tsv."""

    bounds: dict[tuple[str, ...], str]
    range_words: frozenset[str]
    currency_before: dict[str, str]
    currency_after: dict[tuple[str, ...], str]
    percent: frozenset[tuple[str, ...]]
    time_units: frozenset[str]
    clock: frozenset[tuple[str, ...]]
    age: frozenset[str]
    months: frozenset[str]
    id_nouns: frozenset[str]
    verbs: dict[str, EventVerb]
    tolls: dict[str, EventVerb]
    nouns: dict[str, str]


@by_language
def quantity_words() -> QuantityWords:
    t: dict[str, dict[tuple[str, ...], str]] = {}
    verbs: dict[str, EventVerb] = {}
    tolls: dict[str, EventVerb] = {}
    # verbs whose subject, not object, is what is counted ("12 people died", "100 students marched")
    subject_verbs = words("quantities_subject_verbs.txt")
    for row in rows("quantities.tsv"):
        kind, phrase = row[0], tuple(row[1].split())
        if kind == "verb":
            verbs[row[1]] = EventVerb(row[2], row[3], row[1] in subject_verbs)
        elif kind == "toll":
            tolls[row[1]] = EventVerb(row[2], row[3], False)
        else:
            t.setdefault(kind, {})[phrase] = row[2] if len(row) > 2 else ""
    nouns: dict[str, str] = {}
    for row in rows("quantity_nouns.tsv"):
        nouns.setdefault(row[0], row[1])

    def singles(kind: str) -> frozenset[str]:
        return frozenset(" ".join(k) for k in t.get(kind, {}))

    return QuantityWords(
        bounds=t["bound"],
        range_words=singles("range"),
        currency_before={" ".join(k): v for k, v in t["currency_before"].items()},
        currency_after=t["currency_after"],
        percent=frozenset(t["percent"]),
        time_units=singles("time_unit"),
        clock=frozenset(t["clock"]),
        age=singles("age"),
        months=singles("month"),
        id_nouns=singles("id_noun"),
        verbs=verbs,
        tolls=tolls,
        nouns=nouns,
    )


@dataclass
class Found:
    """One quantity, in token indices (``end`` exclusive) until it is written out."""

    start: int
    end: int
    value: float | list[float]
    bound: str
    noun: str | None = None
    category: str | None = None
    unit: str | None = None
    country: str | None = None
    verb: str | None = None
    elliptic: bool = False  # no noun of its own: may borrow the next conjunct's


def extract_quantities(doc: Document, parsed: Doc) -> list[dict[str, Any]]:
    """The quantities of the document, in text order (SPEC ``quantities``)."""
    words = list(tokens.of(parsed).text_lower)
    in_names = _tokens_in_names(doc, parsed)
    found: list[Found] = []
    starters = _starters()
    i = 0
    while i < len(parsed):
        if words[i] not in starters and not words[i][:1].isdigit():
            i += 1  # no number starts here, nor a currency sign before one (_quantity_at says None)
            continue
        item, i = _quantity_at(parsed, words, i, in_names)
        if item is not None:
            found.append(item)
    return [_to_json(doc, parsed, f) for f in _without_conversions(_resolve_ellipses(found, words, parsed), words)]


def _without_conversions(found: list[Found], words: Sequence[str]) -> list[Found]:
    """A measure given again in brackets in another unit is one quantity: "20 km (12 miles)" keeps the first.
    A sum in another currency stays: each amount of money is one the blind guidelines count."""
    units = _measure_units()
    out: list[Found] = []
    for q in found:
        prev = out[-1] if out else None
        close = q.end
        while close < len(words) and close - q.end < 2 and words[close] in units:
            close += 1  # "(104 degrees Fahrenheit)"
        converted = (
            prev is not None
            and q.start == prev.end + 1
            and words[prev.end] == "("
            and close < len(words)
            and words[close] == ")"
            and (prev.noun or "").lower() in units
            and (q.noun or "").lower() in units
        )
        if not converted:
            out.append(q)
    return out


@by_language
def _measure_units() -> frozenset[str]:
    return words("quantities_measure_units.txt")


@by_language
def _starters() -> frozenset[str]:
    """The words ``_quantity_at`` reads a number at, besides those starting with a digit: a currency sign,
    a number word, "a"/"an"/"half" (before a scale), a scale that counts alone ("mil") and "tens"-like
    magnitudes."""
    nw = number_words()
    words = {*quantity_words().currency_before, *nw.numbers, *nw.magnitudes, *nw.bare_scales}
    return frozenset({*words, "a", "an", "half"})


def _tokens_in_names(doc: Document, sp: Doc) -> set[int]:
    """Tokens inside an entity mention or a spaCy name: their digits are part of a name."""
    # a small WikiNER model takes "Decenas de miles" opening a sentence for a person: there the entities layer,
    # which mends its names, alone says what is a name
    ents = [] if wikiner.is_wikiner(sp) else [e for e in sp.ents if e.label_ in NAME_LABELS]
    out = {t.i for e in ents for t in e}
    for entity in doc.entities:
        for m in entity.mentions:
            span = sp.char_span(m.start, m.end, alignment_mode="expand")
            out.update(t.i for t in span or ())
    return out


def _quantity_at(sp: Doc, words: Sequence[str], i: int, in_names: set[int]) -> tuple[Found | None, int]:
    """The quantity whose number starts at token ``i`` (after a currency sign, if any), and the token
    to go on from."""
    qw = quantity_words()
    currency = qw.currency_before.get(words[i])
    first = i + 1 if currency else i
    reading = read_number(words, first, money=currency is not None)
    if reading is None:
        return None, i + 1
    if not _may_count(sp, words, reading, i, in_names, currency is not None):
        return None, reading.end
    start, bound = _bound_before(sp, words, i)
    value: float | list[float] = reading.value
    end = reading.end
    ranged = _range_after(sp, words, reading, bound, start, currency is not None)
    if ranged is not None:
        value, end, bound = [ranged[0], ranged[1].value], ranged[1].end, "range"
    elif bound == "range":  # "between" with no "and": an ordinary number
        start, bound = i, "exact"
    if reading.magnitude and bound == "exact":
        bound = "more_than"
    if _strong_after(sp, words, end):
        end += 2  # "an 800-strong contingent": the number counts the noun after "-strong"
    elif _compound_noun_after(sp, words, end):
        # "a 40-member council", "a ten-point plan": the number counts the noun joined to it
        found = Found(start, end + 2, value, bound, noun=words[end + 1])
        return found, end + 2
    elif _glued_after(sp, words, end) or _clock_after(words, end) or _month_after(words, end):
        return None, end  # "24-hour", "3 pm", "17 June", "18-24 November", "17 de mayo"
    pct_end = _phrase_end(words, end, qw.percent)
    if pct_end is not None:
        return Found(start, pct_end, value, bound, "percent", "percent", "%"), pct_end
    code, stop = _currency_after(words, end) or (currency, end)
    if code is not None:
        return Found(start, stop, value, bound, code, "money", code), stop
    return _counted(sp, words, reading, Found(start, end, value, bound))


def _may_count(sp: Doc, words: Sequence[str], r: Reading, i: int, in_names: set[int], money: bool) -> bool:
    """False when the number is not a count: a year, a day of the month, an identifier, an age, part
    of a name, a code or a phone number."""
    qw = quantity_words()
    text = sp[r.start].text
    if any(k in in_names for k in range(r.start, r.end)):
        return False
    if r.digits and not money:
        bare = text.replace(",", "")
        if len(bare) == 4 and bare.isdigit() and "," not in text and 1000 <= r.value <= 2100:
            return False  # a year: news writes counts of a thousand and more with a comma
        if len(bare) > 1 and bare.startswith("0") and not bare.startswith("0."):
            return False  # "007", "0123": codes
        if len(bare) > 4 and bare.isdigit() and "," not in text:
            return False  # "75188", "960574": product codes and references, not counts
    before = words[i - 1] if i > 0 else ""
    if before in qw.id_nouns or before in qw.age or before in qw.months:
        return False
    if i > 0 and not sp[i - 1].whitespace_ and (sp[i - 1].text[-1].isalnum() or sp[i - 1].text[-1] in GLUE):
        return False  # glued to what precedes: "mid-2020", "COVID-19", "+44", "No.5"
    if _is_digits(words, r.end) or (i > 0 and _is_digits(words, i - 1)):
        return False  # numbers side by side: phone numbers, codes
    if i > 0 and sp[i - 1].text[:1].isupper() and r.end < len(words) and words[r.end] in index_words():
        return False  # "the S&P 500 index", "the STOXX 600 index": an index's name
    return not (words[r.start] == "one" and r.end < len(words) and words[r.end] in ("of", "another"))


def _month_after(words: Sequence[str], end: int) -> bool:
    """A month's name next ("17 June"), or after "of" ("17 de mayo")."""
    months = quantity_words().months
    if end < len(words) and words[end] in number_words().of_words:
        end += 1
    return end < len(words) and words[end] in months


def _is_digits(words: Sequence[str], k: int) -> bool:
    return 0 <= k < len(words) and words[k].replace(",", "").replace(".", "").isdigit()


def _bound_before(sp: Doc, words: Sequence[str], i: int) -> tuple[int, str]:
    """The bound phrase ending just before token ``i`` (longest first) and where it starts. A lone
    preposition the parse attaches elsewhere is no bound ("complained over two air raids", "served
    under three presidents") unless the NER span of the number takes it in ("over 700 kg")."""
    bounds = quantity_words().bounds
    for n in range(BOUND_WORDS, 0, -1):
        if i - n >= 0:
            bound = bounds.get(tuple(words[i - n : i]))
            if bound is None:
                continue
            word = sp[i - 1]
            if n == 1 and word.dep_ in ("prep", "prt", "agent") and sp[i].ent_iob_ != "I":
                break
            return i - n, bound
    return i, "exact"


def _range_after(
    sp: Doc, words: Sequence[str], r: Reading, bound: str, start: int, money: bool
) -> tuple[float, Reading] | None:
    """The far end of a range ("10 to 15", "10-15", "two or three", "between 10 and 15") and the
    near end's value, scaled when only the far end has the scale word ("1.5 to 2 million")."""
    qw = quantity_words()
    k = r.end
    if k + 1 >= len(words):
        return None
    joint = words[k]
    if bound == "range":
        if joint != "and":
            return None
    elif joint not in qw.range_words or (start > 0 and words[start - 1] == "from"):
        return None  # "from 10 to 15" is a change, two quantities
    if joint in ("-", "\u2013") and (sp[k - 1].whitespace_ or sp[k].whitespace_):
        return None
    far_at = k + 1
    if money and words[far_at] in qw.currency_before:
        far_at += 1
    far = read_number(words, far_at, money)
    if far is None or far.magnitude:
        return None
    near = r.value
    if r.scale == 1.0 and far.scale > 1.0 and near < far.value / far.scale:
        near *= far.scale
    return (near, far) if near < far.value else None


def _glued_after(sp: Doc, words: Sequence[str], end: int) -> bool:
    """A word or hyphen glued to the number's end ("24-hour", "3pm", "01-08", "5G"): not a count."""
    if end >= len(words) or sp[end - 1].whitespace_:
        return False
    nxt = words[end]
    return (nxt.isalnum() or nxt in ("-", "\u2013", "/", ":")) and (nxt,) not in quantity_words().percent


def _compound_noun_after(sp: Doc, words: Sequence[str], end: int) -> bool:
    """ "40-member", "ten-point" before a noun: a hyphen glued on both sides, then a lower-case word that is
    no unit of time ("a five-year plan", "12-day-old": the times layer's), no fraction ("two-thirds") and no
    other word of the lexicon's (``quantities_compound_not_nouns.txt``), then the noun it qualifies."""
    if end + 2 >= len(words) or words[end] != "-" or sp[end - 1].whitespace_ or sp[end].whitespace_:
        return False
    word, nxt = sp[end + 1], sp[end + 2]
    return (
        word.text.isalpha()
        and word.text.islower()
        and word.pos_ in ("NOUN", "ADJ")  # never "one-off", "five-and-a-half"
        and not _is_time_unit(word)
        and word.lower_ not in _compound_not_nouns()
        and (nxt.pos_ in ("NOUN", "PROPN", "ADJ") or nxt.text == "-")
    )


@by_language
def _compound_not_nouns() -> frozenset[str]:
    return words("quantities_compound_not_nouns.txt")


def _strong_after(sp: Doc, words: Sequence[str], end: int) -> bool:
    return (
        end + 1 < len(words)
        and words[end] == "-"
        and words[end + 1] == "strong"
        and not sp[end - 1].whitespace_
        and not sp[end].whitespace_
    )


def _clock_after(words: Sequence[str], end: int) -> bool:
    return _phrase_end(words, end, quantity_words().clock) is not None


def _phrase_end(words: Sequence[str], k: int, phrases: frozenset[tuple[str, ...]]) -> int | None:
    for n in (3, 2, 1):
        # only whole n-word windows: at the text's end a slice is shorter ("0.6%" would end past the last token)
        if k + n <= len(words) and tuple(words[k : k + n]) in phrases:
            return k + n
    return None


def _currency_after(words: Sequence[str], k: int) -> tuple[str | None, int] | None:
    after = quantity_words().currency_after
    for n in (2, 1):
        code = after.get(tuple(words[k : k + n])) if k + n <= len(words) else None
        if code is not None:
            return code, k + n
    return None


def _counted(sp: Doc, words: Sequence[str], r: Reading, found: Found) -> tuple[Found | None, int]:
    """The noun phrase the number counts, its head, country, category and event verb."""
    k = found.end
    after = words[k + 1] if k + 1 < len(words) else ""
    if k < len(words) and words[k] in number_words().of_words:  # a partitive: "three of the soldiers", "12 of them"
        determiners, pronouns = _partitive_words()
        k = len(words) if after in pronouns else k + 2 if after in determiners else k + 1
    run = _premodified_run(sp, k) if k < len(words) else []
    head = _head_of(run)
    mods: list[Token] = []
    if head is not None:
        found.end = head.i + 1
        if _is_time_unit(head) or _is_time_unit(run[0]):
            return None, found.end  # a duration, an age, a frequency ("a five year plan"): the times layer's
        mods = run[: head.i - run[0].i]
    number_head = _number_head(sp, r)
    noun_token = head if head is not None and not _is_modifier_word(head) else None
    if noun_token is None and head is not None:
        mods.append(head)  # "about 2,500 US": the country of an elided noun
    found.noun = _noun_text(noun_token) if noun_token is not None else None
    found.country = _country(mods, noun_token)
    category = _category(noun_token) if noun_token is not None else None
    verb = _event_verb(noun_token, number_head, run, category, (found.start, r.start))
    found.verb = verb.form if verb else None
    if verb is not None and (verb.category == "casualties" or category is None):
        found.category = verb.category  # "killed 46 Afghan civilians": casualties, whoever they were
    else:
        found.category = category
    found.elliptic = noun_token is None
    one = words[r.start] == "one" and r.end == r.start + 1
    if one and verb is None and found.category not in PERSON_CATEGORIES | {"vehicles", "weapons"}:
        return None, found.end  # "one" counts only people and things of war ("at one point")
    return found, found.end


def _is_time_unit(t: Token) -> bool:
    units = quantity_words().time_units
    return t.lemma_.lower() in units or t.text.lower() in units


def _premodified_run(sp: Doc, k: int) -> list[Token]:
    """Adjectives, nouns and names from token ``k`` on, within the sentence: a noun phrase's words."""
    run: list[Token] = []
    for t in sp[k:]:
        if t.is_sent_start:
            break
        word = t.pos_ in ("ADJ", "NOUN", "PROPN") or (t.pos_ == "VERB" and t.dep_ in ("amod", "compound"))
        word = word and any(c.isalpha() for c in t.text)
        hyphen = t.text in ("-", "\u2013") and not t.whitespace_ and not sp[t.i - 1].whitespace_
        # an adverb glued to a hyphen is a compound modifier: "three high-ranking insurgents"
        glued = t.pos_ == "ADV" and not t.whitespace_ and t.i + 1 < len(sp) and sp[t.i + 1].text in ("-", "\u2013")
        word = word or glued
        if not (word or (hyphen and run)):
            break
        run.append(t)
    while run and run[-1].text in ("-", "\u2013"):
        run.pop()
    return run


def _head_of(run: list[Token]) -> Token | None:
    """The first word of the run that does not modify a later word of it: the phrase's head (None
    for an empty run: a bare number)."""
    if not run:
        return None
    first, last = run[0].i, run[-1].i
    for t in run:
        if t.dep_ in MODIFIER_DEPS and t.i < t.head.i <= last and t.head.i >= first:
            continue
        return t
    return run[-1]


def _is_modifier_word(t: Token) -> bool:
    """A head that is no counted noun: an adjective ("2,500 American"), a country's name or adjective
    ("2,500 US and 1,000 other troops"), a singular name ("1 Kyle Busch" in a ranking, "iPhone 11 Pro
    Max"); plural demonyms and plural names count people ("46 Afghans", "800,000 Kurds")."""
    if t.pos_ == "ADJ" and t.lemma_.lower() not in quantity_words().nouns:
        return True
    if t.tag_ == "NNP" and _category(t) is None:
        return True
    lex = lexicon()
    if lex.country_of_word(t.text) is None:
        return False
    return not (t.text.endswith("s") and t.text in lex.demonyms and t.text not in lex.names)


def _noun_text(t: Token) -> str:
    return t.text if t.pos_ == "PROPN" else t.text.lower()


def _number_head(sp: Doc, r: Reading) -> Token:
    """The token of the number that the rest of the number hangs on ("million" in "1.5 million")."""
    toks = list(sp[r.start : r.end])
    for t in toks:
        if not (r.start <= t.head.i < r.end) or t.head == t:
            return t
    return toks[-1]


def _country(mods: list[Token], noun: Token | None) -> str | None:
    """The country of a modifier ("2,500 US troops" -> US) or of a plural demonym ("46 Afghans")."""
    lex = lexicon()
    for t in [*mods, *([noun] if noun is not None else [])]:
        glued_hyphen = t.i + 1 < len(t.doc) and not t.whitespace_ and t.doc[t.i + 1].text == "-"
        country = None if glued_hyphen else lex.country_of_word(t.text)  # "US-led" is not US
        if country:
            return country
    return None


def _category(noun: Token) -> str | None:
    """The category the noun lexicon gives the noun; None for a noun it does not know."""
    nouns = quantity_words().nouns
    for key in (noun.lemma_.lower(), noun.text.lower(), noun.text.lower().removesuffix("s")):
        if key in nouns:
            return nouns[key]
    if noun.text in lexicon().demonyms or noun.tag_ == "NNPS":
        return "people"  # "168 Liberians", "800,000 Iraqi Kurds"
    return None


def _event_verb(
    noun: Token | None, number: Token, run: list[Token], category: str | None, bound: tuple[int, int]
) -> EventVerb | None:
    """The event verb of the count: the verb it is the object or passive subject of ("killed 12
    people", "12 people were killed", "wounded six"), the subject of for verbs like "died", a
    participle or adjective on it ("six wounded soldiers", "12 people killed", "left 12 people dead"),
    or "killed" for a death toll ("the death toll rose to 45")."""
    if category is not None and category not in PERSON_CATEGORIES:
        return None  # "destroyed three bases": not an event count of people
    qw = quantity_words()
    for t in run:
        v = qw.verbs.get(t.lemma_.lower()) or qw.verbs.get(t.text.lower())
        if v is not None and t.dep_ == "amod" and not v.subject:
            return v
    for t in [x for x in (noun, number) if x is not None]:
        for c in t.children:
            v = qw.verbs.get(c.lemma_.lower())
            if v is not None and c.dep_ in ("acl", "amod") and c.tag_ == "VBN":
                return v
        while t.dep_ == "conj" and t.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            t = t.head
        dep = t.dep_
        while bound[0] <= t.head.i < bound[1] and t.head != t:  # "kidnapped [up to] 16 advisers"
            t, dep = t.head, "dobj"
        v = _verb_of(t.head, dep) or _toll(t, dep)
        if v is not None:
            return v
    return None


def _verb_of(verb: Token, dep: str) -> EventVerb | None:
    """The event verb ``verb`` is, for a count in relation ``dep`` to it."""
    qw = quantity_words()
    v = qw.verbs.get(verb.lemma_.lower())
    if v is not None:
        if dep in OBJECT_DEPS or (dep == "nsubj" and v.subject):
            return v
        if dep == "nsubj" and verb.tag_ == "VBN" and not any(c.lemma_ == "have" for c in verb.children):
            return v  # "40 were injured and five killed": a passive with its auxiliary elided
    if dep in OBJECT_DEPS:
        for c in verb.children:  # "left 12 people dead"
            v = qw.verbs.get(c.lemma_.lower()) or qw.verbs.get(c.text.lower())
            if v is not None and c.dep_ in ("oprd", "acomp"):
                return v
    return None


def _toll(t: Token, dep: str) -> EventVerb | None:
    """A count that a toll noun states: "a death toll of 45", "the toll rose to 45", "the toll is 45"."""
    qw = quantity_words()
    head = t.head
    if dep == "pobj":
        owner = head.head
        if owner.lemma_.lower() in qw.tolls:
            return qw.tolls[owner.lemma_.lower()]
        head = owner
    if dep in ("pobj", "attr", "dobj"):
        for c in head.children:
            if c.dep_ == "nsubj" and c.lemma_.lower() in qw.tolls:
                return qw.tolls[c.lemma_.lower()]
    return None


def _resolve_ellipses(found: list[Found], words: Sequence[str], sp: Doc) -> list[Found]:
    """A count with no noun before "and"/"or" and another count takes that count's noun (and the
    second takes the first's bound); a count that is its clause's subject ("243 are taken", "Seven of
    those were reported", "There are 22 in critical care") takes the noun counted last in its sentence or
    the one before; other counts with neither noun, verb, unit nor a partner go."""
    out: list[Found] = []
    for n, f in enumerate(found):
        nxt = found[n + 1] if n + 1 < len(found) else None
        if f.elliptic and f.noun is None and f.unit is None:
            joined = nxt is not None and nxt.noun is not None and nxt.start == f.end + 1
            if joined and nxt is not None and f.end < len(words) and words[f.end] in CONJUNCTIONS:
                f.noun, f.category = nxt.noun, f.category if f.verb else nxt.category
                f.verb = f.verb or nxt.verb
                if nxt.bound == "exact" and f.bound in ("about", "more_than", "less_than"):
                    nxt.bound = f.bound
            elif f.verb is None and _a_subject(sp, f):
                antecedent = next((o for o in reversed(out) if o.noun is not None), None)
                if antecedent is not None and sp[antecedent.start].sent.start >= _sentence_before(sp, f.start):
                    f.noun, f.category = antecedent.noun, antecedent.category
            elif f.verb is None:
                continue
        out.append(f)
    return out


def _a_subject(sp: Doc, f: Found) -> bool:
    """The number is its clause's subject, alone or as a partitive ("Seven of those"), or what "there are"."""
    head = sp[f.end - 1]
    if head.dep_ == "attr" and any(c.dep_ == "expl" for c in head.head.children):
        return True  # "There are currently 22 in critical care"
    return head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX")


def _sentence_before(sp: Doc, i: int) -> int:
    """The first token of the sentence before the one of token ``i`` (or of its own, the first)."""
    start = sp[i].sent.start
    return sp[start - 1].sent.start if start > 0 else start


def _to_json(doc: Document, sp: Doc, f: Found) -> dict[str, Any]:
    start = sp[f.start].idx
    last = sp[f.end - 1]
    end = last.idx + len(last.text)
    out: dict[str, Any] = {
        "text": doc.text[start:end],
        "start": start,
        "end": end,
        "value": [_number(v) for v in f.value] if isinstance(f.value, list) else _number(f.value),
        "approx": f.bound != "exact",
        "bound": f.bound,
        "noun": f.noun,
        "category": f.category or "other",
    }
    for key in ("unit", "country", "verb"):
        value = getattr(f, key)
        if value:
            out[key] = value
    return out


def _number(v: float) -> int | float:
    # 12 significant digits, more than any reported figure has: a scale's product carries binary floating
    # point's artefacts ("16.6 million" is 16.6 * 1e6 = 16600000.000000002), and every output copies this value
    v = float(f"{v:.12g}")
    return int(v) if v.is_integer() else v
