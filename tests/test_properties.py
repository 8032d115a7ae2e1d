"""Properties over any input: no text crashes the analysis, and what it returns keeps its promises.

For any text (news-like fragments from ``bench.fuzz.FRAGMENTS`` mixed with arbitrary characters: numbers,
%, currency, dates, quote marks of every kind, names, newlines, combining marks, RTL, emoji, NUL and
control characters, lone surrogates), any markup and any bytes, the analysis returns a Document or raises
InputError; the Document breaks none of the promises ``bench.fuzz.problems`` checks (every span slices
``text`` to its own text and lies within it, paragraphs tile the text, speakers and actors are entities,
the JSON is strict); the same input gives the same JSON twice.

The quick run tries a few dozen examples per property, derandomised (the same ones each run). A
thorough run: ``NEWSGRAPH_PROPERTIES=thorough .venv/bin/pytest tests/test_properties.py`` (random examples,
many more); ``python -m bench.fuzz`` is the time-bounded fuzz over the same properties. Below the
properties: the regression test of each crash they or the fuzz found.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import newsgraph
from bench.fuzz import DATES, ENCODINGS, FRAGMENTS, MARKUP, SENTENCE, TAGS, problems, same_json
from newsgraph.clean import clean_article
from newsgraph.document import Document, RawArticle
from newsgraph.errors import InputError
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import decode, looks_like_html

_UNHURRIED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
PROFILES = {
    "quick": settings(
        max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=_UNHURRIED
    ),
    "thorough": settings(max_examples=1500, deadline=None, database=None, suppress_health_check=_UNHURRIED),
}
PROFILE = PROFILES[os.environ.get("NEWSGRAPH_PROPERTIES", "quick")]

# --- the inputs ---------------------------------------------------------------------------------

odd_characters = st.characters(categories=["Cs", "Cc", "Cf", "Mn", "Me", "Zl", "Zp", "Zs", "Co", "So"])
pieces = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(FRAGMENTS),
    st.sampled_from([" ", "\n", "\n\n"]),
    st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True),  # a capitalised name
    st.integers(min_value=-(10**12), max_value=10**30).map(lambda n: f"{n:,}" if n % 2 else str(n)),
    st.text(max_size=6),
    odd_characters,
)
texts = st.lists(pieces, min_size=1, max_size=40).map("".join)
days = st.one_of(st.sampled_from(DATES), st.dates().map(lambda d: d.isoformat()))  # 0001-01-01 .. 9999-12-31


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def tag(t: tuple[str, list[str], bool]) -> str:
        name, inner, closed = t
        return f"<{name}>{''.join(inner)}" + (f"</{name}>" if closed else "")

    return st.tuples(st.sampled_from(TAGS), st.lists(children, max_size=4), st.booleans()).map(tag)


markup = st.recursive(st.one_of(texts, st.sampled_from(MARKUP)), _element, max_leaves=12)
# an article's worth of text somewhere, or the page is refused before the layers see it
pages = st.one_of(markup, st.tuples(markup, markup).map(lambda t: f"{t[0]}<p>{SENTENCE}</p>{t[1]}"))
page_bytes = st.one_of(
    st.binary(max_size=400),
    st.tuples(pages, st.sampled_from(ENCODINGS)).map(lambda t: t[0].encode(t[1], errors="replace")),
    st.tuples(pages, st.binary(max_size=20)).map(lambda t: t[0].encode("utf-8", "surrogatepass") + t[1]),
)


def assert_sound(doc: Document) -> None:
    assert problems(doc) == []


def sound_and_stable(raw: RawArticle) -> Document | None:
    """The analysis of ``raw``: a sound Document, the same twice; None for an InputError."""
    try:
        doc = analyze(raw)
    except InputError:
        return None
    assert_sound(doc)
    assert same_json(doc, analyze(raw)), "the same input gave a different JSON the second time"
    return doc


# --- the properties ---------------------------------------------------------------------------------


@PROFILE
@given(text=texts, published=days)
def test_any_text_gives_a_sound_document_or_an_input_error(text: str, published: str | None) -> None:
    sound_and_stable(RawArticle(name="<text>", content=text, format="text", published=published))


@PROFILE
@given(text=texts, published=days)
def test_the_front_door_takes_any_text(text: str, published: str | None) -> None:
    assume(text != "-")  # "-" is standard input
    try:
        doc = newsgraph.analyze(text, published=published)
    except InputError:
        return
    assert_sound(doc)


@PROFILE
@given(page=pages, published=days)
def test_any_markup_cleans_to_a_sound_document_or_an_input_error(page: str, published: str | None) -> None:
    raw = RawArticle(name="<page>", content=page, format="html", published=published)
    try:
        cleaned = clean_article(raw)
    except InputError:
        return
    doc = sound_and_stable(raw)
    assert doc is not None and doc.text == cleaned.text  # the layers add to the cleaned text, never change it


@PROFILE
@given(data=page_bytes)
def test_any_bytes_decode_and_clean_or_give_an_input_error(data: bytes) -> None:
    try:
        content = decode(data, "<bytes>")
    except InputError:
        return
    sound_and_stable(RawArticle(name="<bytes>", content=content, format="html" if looks_like_html(data) else "text"))


# --- what the properties and the fuzz found ----------------------------------------------------------------

RELATIVE = (
    "Next year, tomorrow, in 3 days, last week, two centuries ago, in 5000 years the minister said. "
    "He will go on Monday and in December, last July, next July, June last year, the year-earlier quarter, "
    "the fourth quarter, next winter, last spring, 5,000 years later, the next day, in 9999, April 3 next year."
)


def _text(content: str, published: str | None = None) -> Document:
    doc = analyze(RawArticle(name="<text>", content=content, format="text", published=published))
    assert_sound(doc)
    return doc


@pytest.mark.parametrize("text", ["0.6%", "It rose 0.6%", "It cost 40 dollars", "Prices rose 12 per cent"])
def test_a_text_ending_in_a_percentage_or_a_currency(text: str) -> None:
    # the look-ahead for "%" / "dollars" matched a shorter slice at the text's end and ran past the last token
    (q,) = _text(text).quantities
    assert text.endswith(q["text"])


@pytest.mark.parametrize("published", ["9999-12-31", "9999-01-01", "0001-01-01", "0001-12-31"])
def test_relative_times_at_the_edges_of_the_calendar(published: str) -> None:
    # a RawArticle's date is not checked against dates.FIRST_DAY/LAST_DAY: the layers must hold at any day
    times = {t["text"]: t["value"] for t in _text(RELATIVE, published).times}
    assert times["3 days"] == "P3D"
    if published == "9999-12-31":
        assert times["Next year"] is None and times["tomorrow"] is None  # past 9999: unresolved, not a guess
        assert times["last week"] == "9999-W51"
    if published == "0001-01-01":
        assert times["tomorrow"] == "0001-01-02" and times["last week"] is None
        assert times["the year-earlier quarter"] is None


def test_the_year_before_year_one_is_no_value() -> None:
    # "year-earlier" on 0001-12-31 gave the value "0000", and counting anaphors from it raised ValueError
    (t,) = _text("year-earlier", "0001-12-31").times
    assert t["value"] is None


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_the_front_door_takes_a_date_at_the_edges_of_the_calendar(published: str) -> None:
    try:
        doc = newsgraph.analyze(RELATIVE, published=published)
    except InputError as refused:  # the CLI's range (dates.FIRST_DAY..LAST_DAY) may refuse it: cleanly
        assert "published" in str(refused)
        return
    assert_sound(doc)


def test_markup_whose_text_opens_with_a_combining_solidus() -> None:
    # trafilatura NFC-normalises its XML: "<b>" + U+0338 became "<b≯", and lxml raised XMLSyntaxError
    with pytest.raises(InputError):
        clean_article(RawArticle(name="tiny.html", content=b"<p><p><b>\xcc\xb8".decode(), format="html"))
    doc = analyze(RawArticle(name="page.html", content=f"<p>\u0338{SENTENCE}</p><p>{SENTENCE}</p>", format="html"))
    assert_sound(doc)
    assert doc.text.startswith("\u0338The minister")


def test_markup_that_trips_the_date_finder_keeps_its_text() -> None:
    # htmldate asserted on this tree (AssertionError out of lxml's drop_tree): the text, without metadata
    with pytest.raises(InputError):
        clean_article(RawArticle(name="svg.html", content="<svg><h3><p>", format="html"))
    doc = analyze(RawArticle(name="svg.html", content=f"<svg><h3><p>{SENTENCE} {SENTENCE}", format="html"))
    assert_sound(doc)
    assert SENTENCE in doc.text


def test_a_long_one_line_text_is_not_looked_up_as_a_path() -> None:
    try:
        newsgraph.analyze("Troops " + "x" * 300 + " left Baghdad on Monday.")
    except InputError:
        return


@pytest.mark.parametrize("published", ["garbage", "2021-13-45"])
def test_a_malformed_publication_date_is_refused_or_ignored(published: str) -> None:
    try:
        newsgraph.analyze(RawArticle(name="dated.txt", content=SENTENCE, format="text", published=published))
    except InputError:
        return
