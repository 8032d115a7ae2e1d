"""What makes a capitalised name an organisation's, and how its name is written canonically.

- ``not_an_org``: the kinds spaCy takes for organisations that are not (issue 11): market indices
  ("Hang Seng Index", "FTSE 100"), laws, plans and treaties, prizes, exams, bylines ("AP National
  Security Writer") and headlines run into one name ("Syrian Forces Blocking Refugee Return",
  "Starship and Super Heavy Mars Rocket in Pictures");
- ``canonical_org_name``: a company's legal form dropped or spelled out as Wikidata writes it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from newsgraph.lexicons import by_language, rows


@by_language
def _heads() -> dict[str, str]:
    """Last words of names that are no organisations -> what they name instead."""
    return {r[0].lower(): r[1] for r in rows("entities_not_org_heads.tsv") if "first" not in r[2:]}


def index_words() -> frozenset[str]:
    """The last words of a market index's name ("index", "composite"): "the S&P 500 index"."""
    return frozenset(w for w, kind in _heads().items() if kind == "index" and w.islower())


@by_language
def _first_heads() -> dict[str, str]:
    """First words of such names, in a language whose names start with their head ("loi sur ...")."""
    return {r[0].lower(): r[1] for r in rows("entities_not_org_heads.tsv") if "first" in r[2:]}


@by_language
def _designators() -> dict[str, str]:
    return {r[0]: (r[1] if len(r) > 1 else "") for r in rows("entities_company_designators.tsv")}


def not_an_org(span: Span) -> str | None:
    """The kind of thing an ORG-tagged name ``span`` names instead, or None when it may be an organisation."""
    toks = list(span)
    alone = _heads().get(span.text.lower())
    if alone in ("index", "disease"):
        return alone  # "FTSE", "Kospi": an index named alone; "COVID-19": a disease
    first = _first_heads().get(toks[0].lower_)
    if first is not None and (len(toks) > 1 or first in ("law", "role")):
        return first  # "ministre de la Santé", "Constitution"
    if len(toks) > 1:
        kind = _heads().get(toks[-1].lower_.rstrip("."))
        if kind is not None:
            return kind
        if toks[-1].like_num and toks[-2].text[:1].isupper() and toks[-2].lower_ != "of":
            return "index"  # "FTSE 100", "S&P 500", "Nikkei 225"
    if len(toks) >= 3 and any(t.tag_ == "VBG" for t in toks[1:]):
        return "headline"  # a participle inside: "Syrian Forces Blocking Refugee Return"
    if any(t.text == "in" for t in toks[1:-1]):
        return "headline"  # "... Mars Rocket in Pictures"; names say "of", not "in"
    return None


def not_org_acronyms(doc: Doc) -> set[str]:
    """The acronyms the text defines for things that are no organisations: "the Hang Seng Index (HSI)"."""
    found = set()
    for tok in doc[1:-2]:
        defined = tok.text == "(" and doc[tok.i + 2].text == ")" and doc[tok.i + 1].is_upper
        if defined and doc[tok.i - 1].lower_ in _heads():
            found.add(doc[tok.i + 1].text)
    return found


def canonical_org_name(name: str) -> str:
    """``name`` without a trailing legal form, or with it spelled out: "Sierra Nevada Corp." ->
    "Sierra Nevada Corporation", "Tyvak Nano-Satellite Systems Inc" -> "Tyvak Nano-Satellite Systems"."""
    words = name.split()
    if len(words) < 2:
        return name
    last = words[-1]
    spelled = _designators().get(last)
    if spelled is None:
        return name
    head = " ".join(words[:-1]).rstrip(",")
    return f"{head} {spelled}" if spelled else head


def without_designator(name: str) -> str:
    """The name with no legal form at all, the key "Sierra Nevada" and "Sierra Nevada Corp." share."""
    canonical = canonical_org_name(name)
    words = canonical.split()
    if len(words) > 1 and words[-1] in {"Corporation", "Company"}:
        return " ".join(words[:-1])
    return canonical
