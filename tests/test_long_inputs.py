"""Long and hostile inputs: size limits checked before any work, a long text parsed in pieces that read as
the whole text does, markup that would stall the HTML parser, and the indexes that keep the layers linear
in the length of an article giving what the scans they replace gave."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.en.stop_words import STOP_WORDS

from newsgraph import clean, nlp
from newsgraph.clean import clean_article
from newsgraph.clean.markup import MAX_ATTRIBUTES, defuse
from newsgraph.defaults import MAX_ARTICLE_CHARS, MAX_HTML_BYTES
from newsgraph.document import Document, RawArticle
from newsgraph.errors import InputError
from newsgraph.layers._support.lexicon import lexicon
from newsgraph.layers._support.names import FullNames, TitleCaseLines, given_names
from newsgraph.layers.entities import _phrase_matches
from newsgraph.pipeline import add_layers, parse_cleaned

from .helpers import SEED

PARAGRAPH = "<p>" + "The minister said on Tuesday that the talks in Geneva would go on next week. " * 3 + "</p>"


def _refuse_work(*args: Any) -> Any:
    raise AssertionError("cleaning started on an input over the limit")


# --- limits before work ----------------------------------------------------------------------------------------


def test_plain_text_over_the_limit_is_refused_before_cleaning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clean, "split_plain_text", _refuse_work)
    text = "Troops were deployed. " * (MAX_ARTICLE_CHARS // 22 + 1)
    with pytest.raises(InputError, match=r"article too long: [\d,]+ characters \(limit 1,000,000\)") as caught:
        clean_article(RawArticle(name="huge.txt", content=text, format="text"))
    assert caught.value.source == "huge.txt"


def test_html_over_the_byte_limit_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clean, "defuse", _refuse_work)
    monkeypatch.setattr(clean, "extract_html", _refuse_work)
    ascii_page = "<html><body>" + PARAGRAPH * (MAX_HTML_BYTES // len(PARAGRAPH) + 1) + "</body></html>"
    # fewer characters than the limit, more bytes: "é" is two bytes in UTF-8
    accented_page = "<html><body><p>" + "é" * (MAX_HTML_BYTES // 2 + 1) + "</p></body></html>"
    assert len(accented_page) < MAX_HTML_BYTES
    for name, page in (("big.html", ascii_page), ("accented.html", accented_page)):
        with pytest.raises(
            InputError, match=rf"HTML page too large: [\d,]+ bytes \(limit {MAX_HTML_BYTES:,}\)"
        ) as caught:
            clean_article(RawArticle(name=name, content=page, format="html"))
        assert caught.value.source == name


def test_html_under_the_byte_limit_is_cleaned() -> None:
    page = "<html><body><article>" + PARAGRAPH * 3 + "</article></body></html>"
    doc = clean_article(RawArticle(name="page.html", content=page, format="html"))
    assert "talks in Geneva" in doc.text


# --- hostile markup --------------------------------------------------------------------------------------------


def test_an_element_with_100k_attributes_loses_them_and_the_page_is_cleaned() -> None:
    attributes = " ".join(f'data-a{i}="v{i}"' for i in range(100_000))
    second = "<p>" + "Officials in Bern said the next round would open in March with new proposals. " * 2 + "</p>"
    page = f"<html><body><article><div {attributes}>{PARAGRAPH}</div>{second}</article></body></html>"
    assert defuse(page) == f"<html><body><article><div>{PARAGRAPH}</div>{second}</article></body></html>"
    doc = clean_article(RawArticle(name="bomb.html", content=page, format="html"))
    assert "talks in Geneva" in doc.text and "Officials in Bern" in doc.text


def test_attributes_without_values_and_quoted_angle_brackets_count_too() -> None:
    bare = "<div " + " ".join(f"a{i}" for i in range(MAX_ATTRIBUTES + 1)) + ">text</div>"
    assert defuse(bare) == "<div>text</div>"
    quoted = '<div title="a > b <c>" ' + " ".join(f"a{i}=1" for i in range(MAX_ATTRIBUTES + 1)) + ">text</div>"
    assert defuse(quoted) == "<div>text</div>"


def test_ordinary_markup_is_left_as_it_is() -> None:
    many = "<div " + " ".join(f"a{i}=1" for i in range(MAX_ATTRIBUTES)) + ">text</div>"  # at the limit
    script = "<script>var s = '<div " + "a " * 5000 + "';</script><p>text</p>"
    comment = "<!-- <div " + "a " * 5000 + "> --><p>text</p>"
    seed_page = (SEED / "article.txt").read_text(encoding="utf-8")
    for page in (many, script, comment, seed_page, "<p>x<", '<a href="unclosed>'):
        assert defuse(page) is page


def test_100k_nested_divs_are_cleaned_or_refused() -> None:
    page = "<html><body>" + "<div>" * 100_000 + PARAGRAPH * 3 + "</div>" * 100_000 + "</body></html>"
    try:
        outcome: Document | InputError = clean_article(RawArticle(name="deep.html", content=page, format="html"))
    except InputError as exc:
        outcome = exc
    assert isinstance(outcome, InputError | Document)
    if isinstance(outcome, InputError):
        assert outcome.source == "deep.html"
    else:
        assert "talks in Geneva" in outcome.text


# --- the parse in pieces ---------------------------------------------------------------------------------------


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of a few paragraphs, so a medium text is parsed in several."""
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 3_000)
    monkeypatch.setattr(nlp, "CHUNK_TOKENS", 1_000)


def _medium_article() -> RawArticle:
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    return RawArticle(name="medium.txt", content=seed + "\n\n" + seed, format="text", published="2021-12-09")


def test_a_text_parsed_in_pieces_gives_the_same_analysis_as_parsed_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = clean_article(_medium_article())
    whole = nlp.load()(nlp.matching_form(doc.text))
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 3_000)
    monkeypatch.setattr(nlp, "CHUNK_TOKENS", 1_000)
    form = nlp.matching_form(doc.text)
    cuts, _walls = nlp.cut_points(form)
    assert nlp.in_pieces(form) and len(nlp.pieces(form, cuts)) >= 3
    pieced = nlp.parse(form)
    assert pieced.text == whole.text == form

    def tokens(sp: Any) -> list[tuple[Any, ...]]:
        return [
            (t.idx, t.text, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in sp
        ]

    assert tokens(pieced) == tokens(whole)
    by_whole = add_layers(clean_article(_medium_article()), whole).to_json()
    by_pieces = add_layers(clean_article(_medium_article()), pieced).to_json()
    assert by_pieces == by_whole
    for m in (m for e in by_pieces["entities"] for m in e["mentions"]):
        assert doc.text[m["start"] : m["end"]] == m["text"]


@pytest.mark.usefixtures("small_pieces")
def test_the_pipeline_parses_a_long_text_in_pieces_and_a_short_one_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_parse = nlp.parse

    def parse(text: str, language: str = "en") -> Any:
        calls.append(text)
        return real_parse(text, language)

    monkeypatch.setattr(nlp, "parse", parse)
    short = clean_article(RawArticle(name="short.txt", content="Troops were deployed on Monday.", format="text"))
    long_ = clean_article(_medium_article())
    parsed = list(parse_cleaned([short, long_, short]))
    assert [d.meta for d, _ in parsed] == [short.meta, long_.meta, short.meta]
    assert calls == [nlp.matching_form(long_.text)]
    assert all(p.text == nlp.matching_form(d.text) for d, p in parsed)


def test_a_long_run_without_spaces_is_cut_where_the_text_allows_and_keeps_every_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 2_000)
    monkeypatch.setattr(nlp, "MAX_STRETCH", 500)
    text = "Troops were deployed on Monday. " * 40 + "abcdefghij" * 300 + " The end.\n\nA last paragraph."
    cuts, walls = nlp.cut_points(text)
    assert walls  # the 3,000 letters without a space are cut bluntly
    assert all(cuts[i] - cuts[i - 1] <= 500 for i in range(1, len(cuts)) if i not in walls and i - 1 not in walls)
    assert nlp.parse(text).text == text


def test_the_matching_form_breaks_runs_too_long_for_the_tokenizer() -> None:
    text = "Brackets: " + "(" * 2_500 + " and words."
    form = nlp.matching_form(text)
    assert len(form) == len(text)
    assert [len(run) for run in form.split(" ") if run.startswith("(")] == [nlp.MAX_RUN, nlp.MAX_RUN, 498]
    ordinary = "A link: https://example.org/" + "a" * 900 + " stays whole."
    assert nlp.matching_form(ordinary) == ordinary


def test_no_sentence_runs_past_the_longest_one() -> None:
    text = " ".join(["Paris"] * 600) + "."
    sentences = list(nlp.parse(nlp.matching_form(text)).sents)
    assert len(sentences) >= 3
    assert max(len(s) for s in sentences) <= nlp.MAX_SENTENCE_TOKENS


# --- indexes in place of scans ---------------------------------------------------------------------------------

NAMES_TEXT = st.lists(
    st.sampled_from(
        ["Anna", "Maria", "Persson", "the", "Jean-Pierre", "O'Brien", "Mr", "Persson's", "-", ",", "\n\n", "é"]
    ),
    max_size=14,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(NAMES_TEXT, st.sampled_from(["Persson", "Brien", "Maria"]))
def test_full_names_are_what_the_whole_text_regex_finds(text: str, surname: str) -> None:
    pattern = re.compile(rf"\b([A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?)\s+{re.escape(surname)}\b")
    lex = lexicon()
    expected = None
    for m in pattern.finditer(text):  # the scan FullNames replaces
        first = m.group(1)
        low = first.lower().rstrip(".")
        if low in STOP_WORDS or low in lex.titles or low in lex.role_nouns or lex.country_of_word(first):
            continue
        if first in lex.names:
            continue
        if TitleCaseLines(text).at(m.start()) and low not in given_names():
            continue  # a capitalised word of a title-case headline
        expected = (m.start(), m.end(), f"{first} {surname}")
        break
    found = FullNames(text).find(surname, lex)
    assert ((found.start, found.end, found.name) if found is not None else None) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["security", "adviser", "national", "advisers", "-", ".", " ", "x"]), max_size=16).map(
        " ".join
    )
)
def test_role_phrases_are_found_as_the_whole_text_regex_finds_them(text: str) -> None:
    for phrase in ("national security adviser", "security adviser", "adviser"):
        expected = [m.span() for m in re.finditer(rf"\b{re.escape(phrase)}\b", text)]
        assert [m.span() for m in _phrase_matches(phrase, text, {})] == expected
