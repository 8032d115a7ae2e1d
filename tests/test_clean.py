"""Article cleaning on real text: the seed as plain text and as a web page, and debris rules."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from newsgraph.clean.blocks import Block
from newsgraph.clean.debris import cut_inline, line_reason, strip_debris
from newsgraph.clean.layout import split_plain_text
from newsgraph.document import Document

from .helpers import SHARED


def test_seed_title_subtitle_headings_caption_as_in_gold(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    art = seed_gold["article"]
    assert seed_doc.paragraphs_of("title") == [art["title"]]
    assert seed_doc.paragraphs_of("subtitle") == [art["subtitle"]]
    assert seed_doc.paragraphs_of("heading") == art["section_headings"]
    captions = seed_doc.paragraphs_of("caption")
    assert len(captions) == 1 and captions[0].startswith(art["caption_starts_with"])
    body = seed_doc.paragraphs_of("body")
    assert body[0].startswith(art["body_first_words"])
    assert body[-1].endswith(art["body_last_words"])
    assert seed_doc.meta.title == art["title"] and seed_doc.meta.subtitle == art["subtitle"]


def test_seed_debris_is_removed_with_reasons(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    removed = {r.text: r.reason for r in seed_doc.removed}
    for line in seed_gold["article"]["boilerplate_lines"]:
        assert line in removed
        assert line not in seed_doc.text.split("\n\n")
    assert removed["Arab Observer"] == "outlet name"
    credit = next(t for t in removed if t.startswith("AFP PHOTO / ALI AL-SAADI"))
    assert "photo credit" in removed[credit] and "image file name" in removed[credit]
    for debris in ("AFP PHOTO", "Local Caption", ".jpg", "Related Articles", "Back to top"):
        assert debris not in seed_doc.text
    # the caption sentence itself stays, up to its last word
    assert seed_doc.paragraphs_of("caption")[0].endswith("from the country's urban centres.")


def test_paragraph_offsets_tile_the_text(seed_doc: Document) -> None:
    paras = seed_doc.paragraphs
    assert paras[0].start == 0 and paras[-1].end == len(seed_doc.text)
    for a, b in itertools.pairwise(paras):
        assert seed_doc.text[a.end : b.start] == "\n\n"


def test_non_breaking_spaces_kept_verbatim(seed_doc: Document) -> None:
    # the seed has NBSPs ("2,500\xa0American troops"); text keeps them, so gold spans are verbatim slices
    assert "2,500\u00a0American troops\u00a0stationed" in seed_doc.text


def test_seed_as_web_page(seed_html_doc: Document, seed_gold: dict[str, Any]) -> None:
    art = seed_gold["article"]
    doc = seed_html_doc
    assert doc.meta.title == art["title"]
    assert doc.meta.published == "2021-12-09"  # from the page, no --published given
    assert doc.meta.source == "Arab Observer"
    assert art["subtitle"] in doc.paragraphs_of("subtitle")
    assert "Clandestine presence" in doc.paragraphs_of("heading")
    body = doc.paragraphs_of("body")
    assert any(p.startswith(art["body_first_words"]) for p in body)
    assert body[-1].endswith(art["body_last_words"])
    for chrome in ("Related Articles", "Back to top", "All rights reserved", "Politics"):
        assert chrome not in doc.text


def test_hard_wrapped_plain_text_is_joined_back() -> None:
    raw = (
        "Rebels seize town in eastern Congo\n\n"
        "Rebels seized the town of Bunagana on the border with Uganda on Monday, local\n"
        "officials said, after two days of fighting that forced thousands of residents\n"
        "to flee across the frontier.\n\n"
        "The army said it was regrouping.\n"
    )
    blocks = split_plain_text(raw)
    assert [b.text for b in blocks] == [
        "Rebels seize town in eastern Congo",
        "Rebels seized the town of Bunagana on the border with Uganda on Monday, local officials said, after two "
        "days of fighting that forced thousands of residents to flee across the frontier.",
        "The army said it was regrouping.",
    ]


def test_chrome_lines_and_photo_credits() -> None:
    assert line_reason("Related Articles") == "site chrome"
    assert line_reason("Share this article") == "site chrome"
    assert line_reason("Copyright 2021 Reuters. All rights reserved.") == "copyright notice"
    assert line_reason("The army said it was regrouping.") is None
    assert line_reason("Share prices fell sharply on Monday as investors fled.") is None
    text, cut = cut_inline("Protesters march in Khartoum on Oct. 30, 2021. (Photo: Marwan Ali/AP)")
    assert text == "Protesters march in Khartoum on Oct. 30, 2021."
    assert [c.reason for c in cut] == ["photo credit"]
    blocks, removed = strip_debris([Block("A man walks past rubble in Kharkiv. REUTERS PHOTO / IVAN ALVARADO")])
    assert blocks[0].caption_hint and blocks[0].text == "A man walks past rubble in Kharkiv."
    assert removed[0].text == "REUTERS PHOTO / IVAN ALVARADO"


def test_contributor_credits_and_author_contacts_are_chrome() -> None:
    credit = "Associated Press writers Alan Fram, Zeke Miller and Jill Colvin contributed to this report."
    assert line_reason(credit) == "agency credits"
    assert line_reason("Jane Doe in London contributed reporting.") == "agency credits"
    assert line_reason("Email Tariq Malik at tmalik@example.com or follow him @tariqjmalik.") == "author contact"
    # a sentence that contributes something else stays
    assert line_reason("Oil revenues contributed to the loss, the minister said.") is None
    assert line_reason("Falling oil revenues contributed.") is None


def test_ordinary_words_are_not_debris() -> None:
    # "image" and "photo" inside a sentence, and file-like words that are not image names
    for sentence in (
        "The photo, taken in 2019, shows the minister at a rally in Basra.",
        "The party's image suffered after the vote (it lost 12 seats).",
        "Version 2.0 of the plan was published on gov.uk on Tuesday.",
    ):
        text, cut = cut_inline(sentence)
        assert text == sentence and cut == []


def test_first_line_ending_in_a_quoted_sentence_is_not_a_title() -> None:
    from newsgraph.clean import clean_article
    from newsgraph.sources.raw import RawArticle

    text = "The minister told reporters: “We will stay until the job is done.”\n\nHe spoke in Baghdad on Monday."
    doc = clean_article(RawArticle(name="t", content=text, format="text"))
    assert [p.kind for p in doc.paragraphs] == ["body", "body"]


def test_article_too_long_for_the_parser_is_a_clear_error() -> None:
    from newsgraph.clean import MAX_ARTICLE_CHARS, clean_article
    from newsgraph.errors import InputError
    from newsgraph.sources.raw import RawArticle

    paragraph = "Troops were deployed to the border on Monday, officials said. " * 20
    text = "\n\n".join([paragraph] * (MAX_ARTICLE_CHARS // len(paragraph) + 2))
    with pytest.raises(InputError, match="article too long"):
        clean_article(RawArticle(name="huge.txt", content=text, format="text"))


def test_an_image_counter_is_chrome() -> None:
    assert line_reason("5 Photos") == "site chrome"
    assert line_reason("12 images") == "site chrome"


def test_a_page_in_the_encoding_it_declares_and_php_errors() -> None:
    from newsgraph.clean import clean_article
    from newsgraph.sources.raw import article_of

    story = (
        "一个约定，信守15年，感人至深；一段真情，延续15年，催人泪下。" * 3
        + "6月3日上午，话剧全省各市巡演活动来到张家口。"
    )
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"/><title>话剧巡演结束</title>'
        "</head><body><article><p>"
        + story
        + "</p><p>Strict Standards: Non-static method nggGallery::get_option() should not be called statically in"
        " /www/htdocs/wp-content/plugins/nggfunctions.php on line 813</p><p>" + story + "</p></article></body></html>"
    )
    # GB2312 bytes are no UTF-8 and read as Latin-1 are mojibake ("»°¾ç"): the page's charset decides
    doc = clean_article(article_of(page.encode("gb18030"), "page.html"))
    assert doc.text.count("一个约定") == 6 and "»" not in doc.text
    assert doc.meta.language == "zh"
    assert "Strict Standards" not in doc.text  # a PHP error the server wrote into the page is debris


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs() -> None:
    # trafilatura leaves this archived Xinhua page's article in a <cell> of <main>: 0 characters read before
    from newsgraph.clean import clean_article
    from newsgraph.sources.raw import read_input

    page = SHARED / "datasets" / "trafilatura-eval" / "html" / "archive.org.he.xinhuanet.com.25340717.html.gz"
    if not page.exists():
        pytest.skip("the trafilatura evaluation set is not here")
    doc = clean_article(read_input(str(page)))
    assert doc.meta.language == "zh" and len(doc.text) > 1000 and "话剧《约定无期限》" in doc.text


def test_teasers_cut_off_by_more_or_after_the_are_chrome() -> None:
    # the related-story teasers under a Kaieteur News story of the blind dev3 set, glued to their headlines
    assert (
        line_reason(
            "Standing up to Daniel Ortega’s excessesKaieteur News – Largely unreported by the media in "
            "the region, a very serious blow was delivered... more"
        )
        == "site chrome"
    )
    assert line_reason("The competition which is for teams in the...") == "site chrome"
    # prose that ends in an ellipsis, or in "more", stays
    for text in ("He wanted more.", "“We will see what happens next…” she said.", "They asked for more and more"):
        assert line_reason(text) is None, text
