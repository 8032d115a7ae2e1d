"""The knowledge base: canonical entities with their Wikidata QIDs, loaded once and indexed.

Data, not code: the ``*.tsv`` files of this folder (SOURCES.md says where each comes from), twelve
columns each (qid, name, type, country, sector, aliases, weak aliases, context, since, until, checked,
note), and the countries and territories of the ``rigour`` package (its QIDs; their English names as
news writes them from ``lexicons/en/countries.tsv``). ``offices.tsv`` says who held an office when.

- an *alias* names the entity anywhere ("Pentagon" is the United States Department of Defense);
- a *weak* alias names it only in an article about its country ("Foreign Ministry", "Congress") or, for
  a person, is the surname news uses alone ("Putin");
- several entities may share an alias when their countries or their dates differ: the article's
  country and its publication date choose (``KB.link``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsgraph.lexicons import EN
from newsgraph.lexicons import rows as lexicon_rows

COLUMNS = 12
TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
# rigour codes that are not countries an article names as places
NOT_PLACES = frozenset({"zz", "eu", "un"})


@dataclass(frozen=True)
class Entry:
    """One canonical entity."""

    qid: str | None
    name: str
    type: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...]
    weak: tuple[str, ...]
    context: tuple[str, ...]
    since: str | None
    until: str | None
    source: str  # the file it comes from

    def current(self, day: str | None) -> bool:
        """Whether the entity bore this name on ``day`` (YYYY-MM-DD; None: any day)."""
        if day is None:
            return True
        return (self.since is None or self.since[: len(day)] <= day) and (
            self.until is None or day < self.until.ljust(10, "~")
        )


@dataclass(frozen=True)
class Office:
    """Who held an office of a country, when: "President" of US from 2021-01-20 to 2025-01-20."""

    country: str
    office: str
    title: str
    holder: str  # canonical name of a PERSON entry
    since: str
    until: str | None

    def held_on(self, day: str) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


def fold(name: str) -> str:
    """The key names are compared by: no accents, lower case, words only, "U.S." -> "us", a leading
    "the" dropped ("Erdoğan" and "Erdogan", "the Pentagon" and "Pentagon" meet)."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"(?<=\b\w)\.(?=\w\b)|(?<=\b\w\.\w)\.", "", text)  # U.S. -> us, U.K. -> uk
    text = re.sub(r"'s\b", "", text)
    key = " ".join(re.findall(r"\w+", text))
    return key.removeprefix("the ")


class KB:
    """The entries, indexed by QID, by exact alias (case-sensitive) and by folded name."""

    def __init__(self, entries: Iterable[Entry], offices: Iterable[Office] = (), surface: Iterable[str] = ()) -> None:
        self.entries: list[Entry] = []
        self.by_qid: dict[str, Entry] = {}
        self.by_name: dict[str, Entry] = {}
        self.exact: dict[str, list[Entry]] = {}  # canonical names and aliases as written
        self.strong: dict[str, list[Entry]] = {}  # folded canonical names and aliases
        self.weak: dict[str, list[Entry]] = {}  # folded weak aliases
        for entry in entries:
            self._add(entry)
        self.offices = list(offices)
        self.surface = frozenset(surface)  # canonical names the article's own words replace

    def _add(self, entry: Entry) -> None:
        if entry.qid in self.by_qid or entry.name in self.by_name:
            raise ValueError(f"{entry.source}: {entry.name} ({entry.qid}) is already in the knowledge base")
        self.entries.append(entry)
        if entry.qid:
            self.by_qid[entry.qid] = entry
        self.by_name[entry.name] = entry
        for alias in dict.fromkeys((entry.name, *entry.aliases)):
            self.exact.setdefault(alias, []).append(entry)
            _append(self.strong, fold(alias), entry)
        for alias in entry.weak:
            _append(self.weak, fold(alias), entry)

    def link(
        self,
        name: str,
        types: frozenset[str],
        *,
        country: str | None = None,
        home: str | None = None,
        day: str | None = None,
        text: str = "",
    ) -> Entry | None:
        """The entry ``name`` stands for, or None when the KB has none or cannot tell which.

        ``types``: the entry types the mention may be; ``country``: the country the words of the
        mention give ("Russian Foreign Ministry"); ``home``: the country the article is about;
        ``day``: its publication day; ``text``: the article, for the entries' context words."""
        key = fold(name)
        if not key:
            return None
        found = _choose(self.strong.get(key, []), types, country or home, day, text, need_country=False)
        if found is not None:
            return found
        return _choose(self.weak.get(key, []), types, country or home, day, text, need_country=True)

    def holder(self, surname: str, country: str | None, day: str | None) -> Entry | None:
        """The one person of the offices table with this surname holding an office on ``day`` (in
        ``country`` when given): "Bush" in 2005 is George W. Bush."""
        if day is None:
            return None
        key = fold(surname)
        names = {
            o.holder
            for o in self.offices
            if o.held_on(day) and (country is None or o.country == country) and fold(o.holder).endswith(" " + key)
        }
        if len(names) != 1:
            return None
        return self.by_name.get(names.pop())


def _append(index: dict[str, list[Entry]], key: str, entry: Entry) -> None:
    bucket = index.setdefault(key, [])
    if entry not in bucket:
        bucket.append(entry)


def _choose(
    entries: list[Entry], types: frozenset[str], country: str | None, day: str | None, text: str, *, need_country: bool
) -> Entry | None:
    fits = [
        e
        for e in entries
        if e.type in types and e.current(day) and (not e.context or any(c in text for c in e.context))
    ]
    if need_country:
        # a body's generic name needs its country; a person's surname stands for the person anywhere
        fits = [e for e in fits if e.type == "PERSON" or (country is not None and e.country == country)]
    if len(fits) > 1 and country is not None:
        local = [e for e in fits if e.country == country]
        fits = local or fits
    if len({e.name for e in fits}) == 1:
        return fits[0]
    return None


def _cells(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _files() -> Iterator[str]:
    for item in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv") and item.name != "offices.tsv":
            yield item.name


def read_entries(name: str) -> Iterator[Entry]:
    """The entries of one KB file."""
    text = _text(name)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != COLUMNS:
            raise ValueError(f"kb/{name} line {n}: {len(cols)} columns, expected {COLUMNS}")
        qid, canonical, typ, country, sector, aliases, weak, context, since, until = (c.strip() for c in cols[:10])
        if typ not in TYPES:
            raise ValueError(f"kb/{name} line {n}: unknown type {typ!r}")
        yield Entry(
            qid or None,
            canonical,
            typ,
            country or None,
            sector or None,
            _cells(aliases),
            _cells(weak),
            _cells(context),
            since or None,
            until or None,
            name,
        )


def read_offices() -> Iterator[Office]:
    if not resources.files(__package__).joinpath("offices.tsv").is_file():
        return
    text = _text("offices.tsv")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        country, office, title, holder, _qid, since, until = (c.strip() for c in line.split("\t")[:7])
        yield Office(country, office, title, holder, since, until or None)


def countries() -> Iterator[Entry]:
    """Every country and territory of ``rigour`` with its QID, named as ``countries.tsv`` names it
    (the English press's names: "Turkey", the "US" and "America" aliases)."""
    from rigour.territories import get_territories  # imported here: only the KB's first load needs it

    ours: dict[str, list[list[str]]] = {}
    for row in lexicon_rows("countries.tsv", EN):  # the English names, whatever language reads first
        ours.setdefault(row[0].lower(), []).append(row)
    seen: set[str] = set()
    for terr in get_territories():
        if terr.is_historical or terr.code in NOT_PLACES or not terr.qid:
            continue
        rows = ours.get(terr.code.split("-")[0], [])
        if "-" in terr.code and not any(r[1] == terr.name for r in rows):
            continue  # a subdivision: only those countries.tsv names (England, Scotland...), not "Washington"
        # countries.tsv lists England, Scotland... under GB: the territory of the same name takes its row
        mine = next((r for r in rows if r[1] == terr.name), None)
        if mine is None and rows and "-" not in terr.code:
            mine = rows[0]
        name = mine[1] if mine else terr.name
        if name in seen:
            continue
        seen.add(name)
        aliases = [*(_cells(mine[2]) if mine and len(mine) > 2 else ()), terr.name, terr.full_name]
        iso = terr.code.split("-")[0].upper()
        yield Entry(
            terr.qid, name, "GPE", iso, None, tuple(a for a in aliases if a != name), (), (), None, None, "rigour"
        )


@cache
def kb() -> KB:
    """The knowledge base, built at the first call."""
    entries = [e for f in _files() for e in read_entries(f)]
    taken = {e.qid for e in entries} | {e.name for e in entries}
    places = [c for c in countries() if c.qid not in taken and c.name not in taken]
    surface = [line.strip() for line in _text("surface.txt").splitlines() if line.strip() and line[0] != "#"]
    return KB([*places, *entries], read_offices(), surface)


def _text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
