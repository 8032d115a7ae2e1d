"""The outlet an article comes from, named from its URL's domain and the page's site metadata.

Pages name their site badly: trafilatura's ``sitename`` (og:site_name, application-name, the title's tail)
is "Hosted" on AP's hosted pages, "Copyright 2014", a bare URL, "Nj", "Wday_", or a tagline. So:

1. a domain the outlet table knows (``lexicons/world/outlets.tsv``: the host, else its registrable domain)
   gives the table's name, whatever the page says (a syndicated copy names the agency, not the outlet);
2. else the site name, when it is a name (``site_name``: chrome, URLs, fragments and taglines refused);
3. else the registrable domain ("jaraguadosul.com.br"), which is readable and groups an outlet's hosts.

An explicit source (``--source``, a JSON Lines record's ``source``) is never passed through here: it wins.
Ground: the standard library and the lexicons only (the store calls it for documents without a source).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from newsgraph import lexicons

# parts of a site name: "LinkNaija | Nigeria's popular news platform", "Remember 80/90 - Memorabilia"
_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]+\s+")
_IP = re.compile(r"^[\d.]+$|:")
_DOMAIN_LIKE = re.compile(r"^(https?://)?(www\.)?[\w-]+(\.[\w-]+)+/?$", re.IGNORECASE)
_CHROME_MARKS = re.compile(r"copyright|©|\(c\)|all rights reserved|^https?://|^www\.", re.IGNORECASE)
# words a name may hold in lower case ("Mensagens de Reflexão", "The Anti-June Cleaver"): joining words
_JOINING = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "de",
        "del",
        "della",
        "der",
        "des",
        "di",
        "do",
        "da",
        "das",
        "dos",
        "du",
        "e",
        "el",
        "en",
        "et",
        "for",
        "in",
        "la",
        "las",
        "le",
        "les",
        "los",
        "of",
        "on",
        "the",
        "to",
        "und",
        "van",
        "von",
        "y",
    ]
)
_STATE_LEVELS = frozenset({"gov", "gob", "gouv"})  # under which states have two-letter labels: sc.gov.br
MAX_WORDS = 6  # more words than this is a tagline ("Expert how-to for English Riders, Since 1973")
MAX_CHARS = 60


@cache
def _table() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in lexicons.rows("outlets.tsv", lexicons.WORLD)}


@cache
def _second_levels() -> frozenset[str]:
    return lexicons.words("second_level_domains.txt", lexicons.WORLD)


@cache
def _chrome() -> frozenset[str]:
    return lexicons.words("outlets_chrome_sitenames.txt")


def host_of(url: str | None) -> str | None:
    """The URL's host, lower case, without ``www.``; None for no URL or no host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    host = host.rstrip(".").lower()
    return host.removeprefix("www.") or None


def registrable_domain(host: str) -> str:
    """The part of a host one registers: ``nj.com`` of ``www.nj.com``, ``bbc.co.uk`` of ``news.bbc.co.uk``,
    ``aa.com.tr`` of ``www.aa.com.tr``. A careful rule, not the Public Suffix List: the last two labels, or the
    last three under a country code's generic second level (``co.uk``, ``com.br``, ``or.jp``), the last four
    under a state's government domain (``sc.gov.br``). An IP address is itself."""
    host = host.rstrip(".").lower()
    if _IP.search(host):
        return host
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _second_levels():
        if len(labels) >= 4 and labels[-2] in _STATE_LEVELS and len(labels[-3]) == 2:
            return ".".join(labels[-4:])  # a state's government domain: jaraguadosul.sc.gov.br
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def known_outlet(host: str) -> str | None:
    """The outlet table's name for a host: the host itself, then each parent domain down to the registrable one."""
    table = _table()
    domain = registrable_domain(host)
    labels = host.split(".")
    for i in range(len(labels) - domain.count(".")):
        name = table.get(".".join(labels[i:]))
        if name:
            return name
    return None


def _squash(text: str) -> str:
    return re.sub(r"\W|_", "", text.casefold()).removeprefix("the")


def _resembles(part: str, host: str | None) -> bool:
    """The name is the domain's own ("Autoracing" on autoracing.com.br, "Inexhibit magazine" on inexhibit.com)."""
    if not host:
        return False
    label = _squash(registrable_domain(host).split(".")[0])
    name = _squash(part)
    return len(label) >= 3 and len(name) >= 3 and (label in name or name in label)


def _is_name(part: str, host: str | None) -> bool:
    words = part.split()
    if not words or len(words) > MAX_WORDS or len(part) > MAX_CHARS:
        return False
    if not any(c.isalpha() for c in part) or part.casefold() in _chrome() or _CHROME_MARKS.search(part):
        return False
    if not (part[0].isalnum() and (part[-1].isalnum() or part[-1] in ".!?')")):
        return False  # "Wday_", "-- Home --": a template's fragment
    if _DOMAIN_LIKE.match(part):
        # a bare domain is a name only as the outlet styles it ("Snopes.com", "Express.co.uk"), not "bgr.com"
        return part != part.lower() and (host is None or _squash(part) == _squash(host.removeprefix("www.")))
    if len(part) <= 2 and not part.isupper():
        return False  # "Nj": a fragment of the domain; acronyms ("RT") are names
    if _resembles(part, host):
        return True
    # a name's words are capitalised, but for joining words: "potеря веса до 10 кг", "Kabar tentang Dunia Islam"
    # and "Expert how-to for English Riders" are descriptions
    return all(not w[0].islower() or w.casefold() in _JOINING for w in words)


def site_name(site: str | None, url: str | None = None) -> str | None:
    """The page's site name when it names an outlet; None for chrome ("Hosted", "Copyright 2014"), a bare
    URL, a short fragment ("Nj") or a tagline. Of "Name | tagline" parts, the one that resembles the domain,
    else the first."""
    if not site:
        return None
    text = " ".join(site.split())
    host = host_of(url)
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    if not parts:
        return None
    part = next((p for p in parts if _resembles(p, host)), parts[0])
    return part if _is_name(part, host) else None


def outlet(site: str | None, url: str | None) -> str | None:
    """The outlet's name: the table's for the URL's domain, else the page's site name when it is a name,
    else the URL's registrable domain; None when there is neither a usable name nor a URL."""
    host = host_of(url)
    if host:
        known = known_outlet(host)
        if known:
            return known
    name = site_name(site, url)
    if name:
        return name
    return registrable_domain(host) if host else None


def is_fallback(source: str | None, url: str | None) -> bool:
    """The source is what a store wrote when it knew no outlet: none, the URL's host, or chrome the rules
    refuse (``site_name``). Such a source may be derived again from the URL (migration 7)."""
    if not source:
        return True
    host = host_of(url)
    if host and source == known_outlet(host):
        return False
    if host and source.removeprefix("www.") in (host, registrable_domain(host)):
        return True  # as an older store wrote it ("POLYGRAPH.info" is the outlet's own styling)
    return site_name(source, url) is None


__all__ = ["host_of", "is_fallback", "known_outlet", "outlet", "registrable_domain", "site_name"]
