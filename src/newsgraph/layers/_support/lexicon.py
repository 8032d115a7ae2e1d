"""The named-thing lexicons (lexicons/en/) loaded once: countries, demonyms, organizations, platforms, titles, roles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsgraph.lexicons import rows, words


@dataclass(frozen=True)
class Known:
    """What a lexicon knows about a name: its canonical form, type, country and when it applies."""

    canonical: str
    type: str
    country: str | None = None
    context: tuple[str, ...] = ()  # the alias counts only when one of these is in the text
    surface: bool = False  # name the entity as the article does (the aliases are other names)


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


@cache
def lexicon() -> Lexicon:
    names: dict[str, Known] = {}
    demonyms: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    for row in rows("countries.tsv"):
        iso, name = row[0], row[1]
        aliases = _split(row[2]) if len(row) > 2 else []
        known = Known(name, "GPE", iso)
        for alias in [name, *aliases]:
            names.setdefault(alias, known)
        for dem in _split(row[3]) if len(row) > 3 else []:
            demonyms.setdefault(dem, iso)
            demonym_of.setdefault(iso, dem)
    for row in rows("organizations.tsv"):
        canonical, typ = row[0], row[1]
        country = row[2] if len(row) > 2 and row[2] else None
        aliases = _split(row[3]) if len(row) > 3 else []
        context = tuple(_split(row[4])) if len(row) > 4 else ()
        surface = len(row) > 5 and row[5] == "surface"
        names[canonical] = Known(canonical, typ, country, (), surface)
        for alias in aliases:
            names[alias] = Known(canonical, typ, country, context, surface)
    for platform in rows("platforms.txt"):
        names.setdefault(platform[0], Known(platform[0], "ORG"))
    people = {row[0]: row[1] for row in rows("people.tsv")}
    return Lexicon(
        names, demonyms, words("titles.txt"), words("role_nouns.txt"), words("org_words.txt"), demonym_of, people
    )


@cache
def speech_verbs() -> dict[str, str]:
    """Verb lemma -> kind (speech, announce, belief) from speech_verbs.tsv: the quotes layer's cues,
    and what makes a one-word name a speaker in the entities layer ("Erdogan said")."""
    return {r[0]: r[1] for r in rows("speech_verbs.tsv")}
