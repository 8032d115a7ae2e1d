"""The named-thing lexicons loaded once: countries and demonyms (lexicons/en/), the knowledge base's
organizations and people (newsgraph.kb), platforms, titles, roles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.kb import KB, kb
from newsgraph.kb import fold as _fold
from newsgraph.lexicons import EN, by_language, current, rows, words


@dataclass(frozen=True)
class Known:
    """What a lexicon knows about a name: its canonical form, type, country and when it applies."""

    canonical: str
    type: str
    country: str | None = None
    context: tuple[str, ...] = ()  # the alias counts only when one of these is in the text
    surface: bool = False  # name the entity as the article does (the aliases are other names)
    qid: str | None = None  # its Wikidata id
    sector: str | None = None  # the knowledge base's sector (BUS: a company)


@dataclass(frozen=True)
class Lexicon:
    names: dict[str, Known]  # surface form (case-sensitive) -> what it is
    demonyms: dict[str, str]  # "Iraqi" -> "IQ"
    titles: frozenset[str]
    role_nouns: frozenset[str]
    org_words: frozenset[str]
    demonym_of: dict[str, str]  # "IQ" -> "Iraqi": the first demonym listed for a country
    people: dict[str, str]  # "Trump" -> "Donald Trump"

    def country_of_word(self, word: str) -> str | None:
        """ISO2 for a country name or demonym ("Iraq", "Iraq's", "Iraqi", "US"), else None."""
        word = word.removesuffix("'s").removesuffix("’s").strip()
        known = self.names.get(word)
        if known is not None and known.type == "GPE" and known.country:
            return known.country
        return self.demonyms.get(word)


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


@by_language
def lexicon() -> Lexicon:
    names: dict[str, Known] = {}
    demonyms: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    english = {} if current() == EN else {r[0]: r[1] for r in rows("countries.tsv", EN)}
    for row in rows("countries.tsv"):
        iso, name = row[0], row[1]
        aliases = _split(row[2]) if len(row) > 2 else []
        if iso in english:  # "Tunisie" is Tunisia: the canonical name stays the English one, the KB's
            aliases, name = [name, *aliases], english[iso]
        known = Known(name, "GPE", iso)
        for alias in [name, *aliases]:
            names.setdefault(alias, known)
        for dem in _split(row[3]) if len(row) > 3 else []:
            demonyms.setdefault(dem, iso)
            demonym_of.setdefault(iso, dem)
    base = kb()
    for alias, org in _kb_names(base):
        names[alias] = org
    for platform in rows("platforms.txt"):
        names.setdefault(platform[0], Known(platform[0], "ORG"))
    for alias, known in list(names.items()):
        if known.type == "GPE" and known.qid is None and known.canonical in base.by_name:
            names[alias] = Known(known.canonical, "GPE", known.country, qid=base.by_name[known.canonical].qid)
    people = {
        alias: entry.name
        for entry in base.entries
        if entry.type == "PERSON"
        for alias in entry.weak
        if len(base.weak.get(_fold(alias), ())) == 1
    }
    return Lexicon(
        names, demonyms, words("titles.txt"), words("role_nouns.txt"), words("org_words.txt"), demonym_of, people
    )


def _kb_names(base: KB) -> list[tuple[str, Known]]:
    """The knowledge base's organizations as the names to look for in a text: every canonical name and
    alias that names one entity only (a shared alias is left to linking, which knows the article's
    country and date)."""
    out = []
    for entry in base.entries:
        if entry.type not in ("ORG", "FAC"):
            continue
        surface = entry.name in base.surface
        for alias in dict.fromkeys((entry.name, *entry.aliases)):
            if re.search(r"['’]s ", alias):
                continue  # "Russia's Foreign Ministry": the place stays a place; linking joins the two words
            owners = base.exact[alias]
            if len(owners) == 1:
                context = entry.context if alias != entry.name else ()
                known = Known(entry.name, entry.type, entry.country, context, surface, entry.qid, entry.sector)
                out.append((alias, known))
    return out


@by_language
def speech_verbs() -> dict[str, str]:
    """Verb lemma -> kind (speech, announce, belief) from speech_verbs.tsv: the quotes layer's cues,
    and what makes a one-word name a speaker in the entities layer ("Erdogan said")."""
    return {r[0]: r[1] for r in rows("speech_verbs.tsv")}
