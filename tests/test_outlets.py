"""Outlets named right: a page's source is its outlet, from the URL's domain and the site metadata, never the
chrome a template leaves there ("Hosted", "Copyright 2014", a bare URL, "Nj", "Wday_"); an explicit source wins;
migration 7 re-derives the sources an older store wrote from chrome or the bare host."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import extraction
from newsgraph import lexicons
from newsgraph.clean import clean_article
from newsgraph.document import RawArticle
from newsgraph.errors import InputError
from newsgraph.kb import kb
from newsgraph.outlets import is_fallback, known_outlet, outlet, registrable_domain, site_name

from .helpers import SHARED

DATA = SHARED / "datasets" / "article-extraction-benchmark"


@pytest.fixture(scope="module")
def pages() -> list[extraction.Page]:
    return extraction.load_pages(DATA)


@pytest.fixture(scope="module")
def sources(pages: list[extraction.Page]) -> dict[str, tuple[str | None, str | None]]:
    """Each benchmark page's (source, url) after cleaning, read as a file is (no URL given: the page's own)."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for page in pages:
        try:
            doc = clean_article(RawArticle(name=page.id, content=page.html, format="html"))
        except InputError:
            continue
        out[page.url] = (doc.meta.source, doc.meta.url)
    return out


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.nj.com", "nj.com"),
        ("hosted.ap.org", "ap.org"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.aa.com.tr", "aa.com.tr"),
        ("www.jaraguadosul.com.br", "jaraguadosul.com.br"),
        ("www3.nhk.or.jp", "nhk.or.jp"),
        ("www.jaraguadosul.sc.gov.br", "jaraguadosul.sc.gov.br"),
        ("www.wday.ru", "wday.ru"),
        ("bit.ly", "bit.ly"),  # a two-letter code without a generic second level
        ("192.168.0.1", "192.168.0.1"),
    ],
)
def test_the_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(
    "site",
    ["Hosted", "Copyright 2014", "© 2019 Gannett", "https://www.hawaiinewsnow.com", "bgr.com", "Nj", "Wday_",
     "Home", "potеря веса до 10 кг. Отзывы", "Expert how-to for English Riders", "   "],
)  # fmt: skip
def test_chrome_is_no_site_name(site: str) -> None:
    assert site_name(site, "https://www.example-news.com/a") is None


@pytest.mark.parametrize(
    ("site", "url", "name"),
    [
        ("The Anti-June Cleaver", "https://theantijunecleaver.com/x", "The Anti-June Cleaver"),
        ("Mensagens de Reflexão", "https://www.mensagensreflexao.com.br/x", "Mensagens de Reflexão"),
        ("LinkNaija | Nigeria's popular news platform", "https://www.linknaija.com/x", "LinkNaija"),
        ("Autoracing | F1 | Indy | MotoGP | StockCar", "https://www.autoracing.com.br/x", "Autoracing"),
        ("Inexhibit magazine", "https://www.inexhibit.com/x", "Inexhibit magazine"),  # the domain's own words
        ("SpaceNews.com", "https://spacenews.com/x", "SpaceNews.com"),  # a domain as the outlet styles it
        ("CNN", None, "CNN"),  # an acronym is a name
    ],
)
def test_site_names_that_name_an_outlet(site: str, url: str | None, name: str) -> None:
    assert site_name(site, url) == name


def test_a_known_domain_names_the_outlet_whatever_the_page_says() -> None:
    assert outlet("Hosted", "https://hosted.ap.org/story/1") == "Associated Press"
    assert outlet("Nj", "https://www.nj.com/news/a.html") == "NJ.com"
    assert outlet("Associated Press", "https://www.sfgate.com/news/article/x.php") == "SFGate"  # a syndicated copy
    assert outlet("Sky", "https://news.sky.com/story/x") == "Sky News"  # a host of its own before its domain
    assert outlet(None, "https://edition.cnn.com/2019/x") == "CNN"
    assert known_outlet("sky.com") is None


def test_an_unknown_domain_gives_the_site_name_else_the_domain() -> None:
    assert outlet("Copyright 2014", "https://www.jaraguadosul.com.br/noticias/1") == "jaraguadosul.com.br"
    assert outlet("Wday_", "https://www.wday.ru/x") == "wday.ru"
    assert outlet("Dawgs By Nature", "https://www.dawgsbynature.com/x") == "Dawgs By Nature"
    assert outlet("Hosted", None) is None and outlet(None, None) is None and outlet(None, "not a url") is None


def test_the_table_names_outlets_as_the_knowledge_base_does() -> None:
    """An outlet the KB holds is named by its canonical name, not by one of its aliases ("Wall Street Journal")."""
    base = kb()
    names = {row[0]: row[1] for row in lexicons.rows("outlets.tsv", lexicons.WORLD)}
    wrong = {
        domain: [e.name for e in base.exact[name]]
        for domain, name in names.items()
        if name not in base.by_name and name in base.exact
    }
    assert not wrong, wrong
    media = {e.name for e in base.entries if e.sector == "MED"}
    assert sum(name in media for name in set(names.values())) > 120  # the KB's outlets, reused


def test_no_benchmark_page_is_stored_under_chrome(sources: dict[str, tuple[str | None, str | None]]) -> None:
    assert len(sources) >= 175
    # no source at all only for a page that names neither its site nor its address
    chrome = {
        url: (s, u)
        for url, (s, u) in sources.items()
        if (s is None and u) or (s and is_fallback(s, u) and s != outlet(None, u))
    }
    assert not chrome, chrome
    for bad in ("Hosted", "Wday_", "Copyright 2014", "Nj"):
        assert bad not in {s for s, _ in sources.values()}
    assert not any(s and s.startswith(("http://", "https://")) for s, _ in sources.values())


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("hosted.ap.org", "Associated Press"),
        ("www.nj.com", "NJ.com"),
        ("www.wday.ru", "wday.ru"),
        ("jaraguadosul.com.br", "jaraguadosul.sc.gov.br"),  # the page's own address: the city's
        ("www.hawaiinewsnow.com", "Hawaii News Now"),
        ("www.nytimes.com", "The New York Times"),
        ("www.bbc.com", "BBC"),
        ("blog.givewell.org", "The GiveWell Blog"),
        ("practicalhorsemanmag.com", "practicalhorsemanmag.com"),
    ],
)
def test_the_outlet_of_benchmark_pages(sources: dict[str, tuple[str | None, str | None]], host: str, name: str) -> None:
    found = {s for url, (s, _) in sources.items() if f"//{host}/" in url}
    assert found == {name}


def test_an_explicit_source_wins(pages: list[extraction.Page]) -> None:
    page = next(p for p in pages if "//www.nj.com/" in p.url)
    doc = clean_article(RawArticle(name=page.id, content=page.html, format="html", source="The Star-Ledger"))
    assert doc.meta.source == "The Star-Ledger"


def test_migration_7_derives_again_the_sources_that_were_chrome_or_the_host(tmp_path: Path) -> None:
    from newsgraph.store.db import connect
    from newsgraph.store.schema import MIGRATIONS, migrate

    db = tmp_path / "old.db"
    old = sqlite3.connect(db, isolation_level=None)
    migrate(old, str(db), tuple(m for m in MIGRATIONS if m.version <= 5))
    rows = [
        ("a", "Hosted", "https://hosted.ap.org/x"),
        ("b", "nj.com", "https://www.nj.com/y"),
        ("c", "Arab Observer", "https://arab-observer.example/z"),  # a name: kept
        ("d", "Copyright 2014", None),  # nothing better to say: kept
        ("e", "Associated Press", "https://www.sfgate.com/q"),  # a name (maybe given): kept
    ]
    for doc_id, source, url in rows:
        meta = {"source": source, "url": url}
        old.execute(
            "INSERT INTO documents (id, story_id, source, url, text, json, ingested_at) VALUES (?, ?, ?, ?, '', ?, '')",
            (doc_id, doc_id, source, url, json.dumps({"id": doc_id, "meta": meta})),
        )
    old.close()
    conn = connect(db)
    got = dict(conn.execute("SELECT id, source FROM documents").fetchall())
    assert got == {"a": "Associated Press", "b": "NJ.com", "c": "Arab Observer", "d": "Copyright 2014",
                   "e": "Associated Press"}  # fmt: skip
    meta = json.loads(conn.execute("SELECT json FROM documents WHERE id = 'a'").fetchone()[0])["meta"]
    assert meta["source"] == "Associated Press"


def test_plain_text_with_a_url_is_named_by_its_outlet() -> None:
    text = "Protesters marched in Newark on Friday, police said."
    doc = clean_article(RawArticle(name="a", content=text, format="text", url="https://www.nj.com/news/a.html"))
    assert doc.meta.source == "NJ.com"
    given = RawArticle(name="b", content=text, format="text", url="https://www.nj.com/b", source="The Star-Ledger")
    assert clean_article(given).meta.source == "The Star-Ledger"
