"""The public face: ``newsgraph.analyze`` takes a path, text, HTML or a RawArticle and gives what the
CLI prints; ``analyze_many`` keeps input order; bad input is one InputError naming it; the CLI owns no
defaults of its own and has the filters the API has."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import newsgraph
from newsgraph import defaults
from newsgraph.cli import build_parser, main

from .helpers import SEED, seed_as_html


def test_analyze_a_path_as_the_cli_does(capsys: pytest.CaptureFixture[str]) -> None:
    path = SEED / "article.txt"
    doc = newsgraph.analyze(path, published="2021-12-09", source="Arab Observer")
    assert main(["analyze", str(path), "--published", "2021-12-09", "--source", "Arab Observer"]) == 0
    assert json.loads(capsys.readouterr().out) == doc.to_json()
    assert doc.meta.published == "2021-12-09" and doc.meta.source == "Arab Observer"
    assert any(e.name == "Qassem Al Aaraji" for e in doc.entities)


def test_analyze_text_and_html_given_as_strings() -> None:
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    from_text = newsgraph.analyze(text, published="2021-12-09", source="Arab Observer")
    from_path = newsgraph.analyze(str(SEED / "article.txt"), published="2021-12-09", source="Arab Observer")
    assert from_text.to_json()["text"] == from_path.to_json()["text"]
    page = newsgraph.analyze(seed_as_html())
    assert page.meta.title and page.meta.title.startswith("US-led coalition") and page.meta.published == "2021-12-09"


def test_analyze_many_keeps_the_order() -> None:
    texts = [
        "Talks in Baghdad\n\nThe prime minister met the ambassador in Baghdad on Monday.",
        "Storm in Texas\n\nMore than 300 people were evacuated from Houston on Tuesday, officials said.",
    ]
    docs = list(newsgraph.analyze_many(texts, published="2021-12-09"))
    assert [d.meta.title for d in docs] == ["Talks in Baghdad", "Storm in Texas"]
    assert [t["value"] for t in docs[1].times] == ["2021-12-07"]


def test_bad_input_is_one_input_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(newsgraph.InputError, match=r"^nowhere\.txt: no such file$"):
        newsgraph.analyze("nowhere.txt")
    with pytest.raises(newsgraph.InputError, match=r"^published: invalid date '9 Dec 2021'"):
        newsgraph.analyze(SEED / "article.txt", published="9 Dec 2021")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(newsgraph.InputError, match=r"empty\.txt: "):
        newsgraph.analyze(empty)


def _options(parser: argparse.ArgumentParser) -> dict[str, dict[str, argparse.Action]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: {a.dest: a for a in p._actions} for name, p in sub.choices.items()}


def test_the_cli_defaults_are_the_librarys() -> None:
    from newsgraph.export import FORMATS

    options = _options(build_parser())
    assert options["ingest"]["batch_size"].default == defaults.BATCH_SIZE
    assert options["ingest"]["timeout"].default == defaults.FETCH_TIMEOUT_S
    assert options["ingest"]["max_page_bytes"].default == defaults.FETCH_MAX_BYTES
    assert options["serve"]["host"].default == defaults.HOST and options["serve"]["port"].default == defaults.PORT
    assert options["export"]["format"].choices == tuple(FORMATS)
    for command in ("ingest", "serve", "export"):
        assert options[command]["db"].default == defaults.db_path()


def test_export_has_the_apis_document_filters() -> None:
    from newsgraph.store.queries import DocumentFilter

    export_options = set(_options(build_parser())["export"])
    assert set(DocumentFilter.__dataclass_fields__) <= export_options


def test_to_frames_is_public_and_light_to_import() -> None:
    assert "to_frames" in newsgraph.__all__ and callable(newsgraph.to_frames)
    frames = newsgraph.to_frames([])
    assert list(frames) == ["documents", "entities", "mentions", "times", "quantities", "places", "quotes", "events"]
