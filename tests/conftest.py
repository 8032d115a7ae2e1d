"""Shared fixtures: the team's shared folder (../shared beside the repository) and the seed analysed once."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import read_input

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "fixtures" / "seed"


def all_spans(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spans = [m for e in doc["entities"] for m in e["mentions"]]
    for layer in ("quotes", "quantities", "times", "places", "events"):
        spans += [x for x in doc[layer] if "start" in x and "text" in x]
    return spans


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, Any]:
    gold: dict[str, Any] = json.loads((SEED / "gold.json").read_text(encoding="utf-8"))
    return gold


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    raw = read_input(str(SEED / "article.txt"))
    raw.published, raw.source = "2021-12-09", "Arab Observer"
    return analyze(raw)


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


@pytest.fixture(scope="session")
def seed_html_doc() -> Document:
    return analyze(RawArticle(name="seed.html", content=seed_as_html(), format="html"))
