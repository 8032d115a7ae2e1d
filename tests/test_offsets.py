"""The offset invariant: every span's text is text[start:end], on every input path."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.pipeline import analyze

from .helpers import SHARED, all_spans

BENCH = SHARED / "datasets" / "article-extraction-benchmark"


def assert_offsets(doc: Document) -> None:
    out = doc.to_json()
    spans = all_spans(out)
    assert spans, "no spans to check"
    for span in spans:
        assert out["text"][span["start"] : span["end"]] == span["text"], span
    for p in out["paragraphs"]:
        assert p["end"] > p["start"]
    json.dumps(out)  # serialisable


def test_seed_offsets(seed_doc: Document) -> None:
    assert_offsets(seed_doc)


def test_seed_html_offsets(seed_html_doc: Document) -> None:
    assert_offsets(seed_html_doc)


@pytest.mark.parametrize("page", sorted(p.name for p in (BENCH / "html").glob("*.html.gz"))[:12])
def test_real_web_pages_offsets(page: str) -> None:
    with gzip.open(BENCH / "html" / page) as fh:
        html = fh.read().decode("utf-8")
    doc = analyze(RawArticle(name=page, content=html, format="html"))
    assert len(doc.text) > 200
    if doc.meta.language != "en":  # no layer reads it (tests/test_languages.py): nothing to point anywhere
        assert doc.meta.skipped and not all_spans(doc.to_json())
        return
    assert_offsets(doc)


def test_curly_quotes_and_nbsp_do_not_shift_offsets() -> None:
    text = "Iraq’s\u00a0Prime Minister Mustafa Al Kadhimi met “Joe Biden” in Washington.\u200b\n\nHe said little."
    doc = analyze(RawArticle(name="t", content=text, format="text"))
    assert_offsets(doc)
    assert "\u200b" not in doc.text
    assert any(e.name == "Joe Biden" for e in doc.entities)


def test_benchmark_folder_is_there() -> None:
    assert Path(BENCH / "ground-truth.json").exists()
