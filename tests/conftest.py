"""Shared fixtures: the team's shared folder (../shared beside the repository) and the seed analysed once."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import read_input

from .helpers import SEED, seed_as_html


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, Any]:
    gold: dict[str, Any] = json.loads((SEED / "gold.json").read_text(encoding="utf-8"))
    return gold


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    raw = read_input(str(SEED / "article.txt"))
    raw.published, raw.source = "2021-12-09", "Arab Observer"
    return analyze(raw)


@pytest.fixture(scope="session")
def seed_html_doc() -> Document:
    return analyze(RawArticle(name="seed.html", content=seed_as_html(), format="html"))
