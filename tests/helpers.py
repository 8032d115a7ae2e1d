"""What the tests share: the team's shared folder (../shared beside the repository), real articles (the
seed, a wire copy of it, the article-extraction benchmark's pages, a hostile article), and stores built
from them as ingest builds them. Fixtures stay in conftest.py; tests import helpers from here, never
from one another."""

from __future__ import annotations

import gzip
import html
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.ingest import ingest_items
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import read_input
from newsgraph.store.db import connect, write_document
from newsgraph.store.dedup import StoryIndex, signature

ROOT = Path(__file__).resolve().parents[1]


SHARED = ROOT.parent / "shared"


SEED = SHARED / "fixtures" / "seed"


def all_spans(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spans = [m for e in doc["entities"] for m in e["mentions"]]
    for layer in ("quotes", "quantities", "times", "places", "events"):
        spans += [x for x in doc[layer] if "start" in x and "text" in x]
    return spans


def seed_as_html() -> str:
    """The seed article laid out as a news site would: chrome, a figure with caption, a related box."""
    paras = [p for p in (SEED / "article.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    title, subtitle = paras[0], paras[1]
    body = []
    for p in paras[2:]:
        p = p.strip()
        if p.startswith("Arab Observer"):
            body.append("<p>Arab Observer</p>")  # the outlet's name under the text, as some sites print it
            break
        if p.startswith("Iraqi children watch"):
            caption = p.split(" AFP PHOTO")[0]
            body.append(f'<figure><img src="205570-01-08.jpg"><figcaption>{html.escape(caption)}</figcaption></figure>')
        elif p in ("‘Change in messaging’", "Clandestine presence"):
            body.append(f"<h2>{html.escape(p)}</h2>")
        else:
            body.append(f"<p>{html.escape(p)}</p>")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | Arab Observer</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="Arab Observer">
<meta property="article:published_time" content="2021-12-09T14:00:00+00:00">
<meta name="author" content="AFP"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav></header>
<main><article><h1>{html.escape(title)}</h1><h2 class="subtitle">{html.escape(subtitle)}</h2>
{"".join(body)}
</article>
<aside><h3>Related Articles</h3>
<ul><li><a href="/a">Iraq votes</a></li><li><a href="/b">Oil prices</a></li></ul></aside>
</main><footer>Arab Observer &copy; 2021. All rights reserved.
<a href="#top">Back to top button</a></footer></body></html>"""


BENCHMARK = SHARED / "datasets" / "article-extraction-benchmark" / "html"


def seed_text() -> str:
    return (SEED / "article.txt").read_text(encoding="utf-8")


def variant_of_seed() -> RawArticle:
    """The seed as another outlet ran it a day later: its last paragraphs cut, and 3,000 troops where the
    seed's subtitle says 2,500 (a wire copy, edited)."""
    paras = seed_text().split("\n\n")
    text = "\n\n".join(paras[: len(paras) - 4]).replace("2,500 US troops", "3,000 US troops", 1)
    assert "3,000 US troops" in text
    return RawArticle(
        name="gulf-wire.txt",
        content=text,
        format="text",
        source="Gulf Wire",
        published="2021-12-10",
        url="https://gulfwire.example/iraq-coalition",
    )


def benchmark_pages(n: int, skip: int = 0) -> list[Path]:
    return sorted(BENCHMARK.glob("*.html.gz"))[skip : skip + n]


def benchmark_page(i: int) -> RawArticle:
    path = benchmark_pages(1, skip=i)[0]
    html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    return RawArticle(name=path.name, content=html, format="html")


def write(conn: sqlite3.Connection, doc: Document, index: StoryIndex) -> bool:
    """Store a document as ingest does: its story from the index, then one transaction."""
    sig = signature(doc.text)
    match = index.best_match(sig)
    written = write_document(conn, doc, signature=sig, match=match, input_name=f"test:{doc.id}")
    if written:
        index.add(doc.id, match.story_id if match else doc.id, sig)
    return written


def write_old(conn: sqlite3.Connection, doc: Document, index: StoryIndex) -> bool:
    """Store a document into an older store as that version's writer did: a field its table has no
    column for yet goes into the row's ``extra`` JSON."""
    from newsgraph.store import db

    real = db.layer_rows

    def old_rows(data: dict[str, Any]) -> Iterator[tuple[str, list[str], list[tuple[Any, ...]]]]:
        for table, names, rows in real(data):
            have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            if set(names) <= have:
                yield table, names, rows
                continue
            keep = [i for i, n in enumerate(names) if n in have]
            extra = names.index("extra")
            out = []
            for row in rows:
                rest = json.loads(row[extra]) if row[extra] else {}
                rest |= {n: row[i] for i, n in enumerate(names) if n not in have and row[i] is not None}
                cells = [row[i] for i in keep]
                cells[keep.index(extra)] = json.dumps(rest) if rest else None
                out.append(tuple(cells))
            yield table, [names[i] for i in keep], out

    with mock.patch.object(db, "layer_rows", old_rows):
        return write(conn, doc, index)


def store_with(path: Path, docs: list[Document]) -> Path:
    """A store at ``path`` holding ``docs``, written as ingest writes them."""
    conn = connect(path)
    index = StoryIndex.load(conn)
    for doc in docs:
        write(conn, doc, index)
    conn.close()
    return path


SCRIPT = "<script>alert(1)</script>"


IMG = "<img src=x onerror=alert(1)>"


HOSTILE = RawArticle(
    name="hostile.txt",
    format="text",
    source="Evil <b>Wire</b>",
    published="2021-12-11",
    url="javascript:alert(1)",
    content=f"{SCRIPT} Hostile headline {IMG}\n\n"
    f'Officials in Baghdad said on Monday that the message "{IMG}" was sent to 300 people. {SCRIPT} '
    'The Iraqi prime minister Mustafa al-Kadhimi said "we will not accept <b>this</b> at all".\n',
)


def build_web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store for the web tests, built once per test run (test_browser asks for it too)."""
    path = tmp_path_factory.getbasetemp() / "web-store" / "web.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name("building.db")
    seed = read_input(str(SEED / "article.txt"))
    seed.published, seed.source = "2021-12-09", "Arab Observer"
    conn = connect(building)
    try:
        report = ingest_items(conn, [seed, HOSTILE, *(benchmark_page(i) for i in (1, 2, 3))], db_name=str(building))
        assert not report.failed and report.added == 5, report.summary()
        write(conn, analyze(variant_of_seed()), StoryIndex.load(conn))
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    building.rename(path)
    return path


def analyzed_in(language: str, text: str, published: str) -> Document:
    """``text`` analysed as plain text, checked to have been read in ``language``."""
    doc = analyze(RawArticle(name="t", content=text, format="text", published=published))
    assert doc.meta.language == language
    return doc


def times_by_text(doc: Document) -> dict[str, Any]:
    """The document's times as text -> TIMEX3 value."""
    return {t["text"]: t["value"] for t in doc.times}
