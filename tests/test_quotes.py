"""The quotes layer on real sentences: every case of the issue, and the seed against its gold."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.evaluate import same_name, score_quotes
from newsgraph.layers._support.quotemarks import scan_paragraph
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import read_input

from .helpers import BENCHMARK


def run(text: str) -> list[dict[str, Any]]:
    doc = analyze(RawArticle(name="test", content="Headline for the test article\n\n" + text, format="text"))
    return doc.quotes


def direct(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [q for q in quotes if q["kind"] == "direct"]


def marks(text: str) -> list[str]:
    return [text[s.start : s.end] for s in scan_paragraph(text, 0, len(text), 0)]


def test_seed_direct_quotes_with_speakers(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    counts = score_quotes(seed_gold, seed_doc.to_json())
    assert counts["quote+speaker"] == (6, 6, 6, 6), counts
    by_start = {q["text"][:20]: q for q in direct(seed_doc.quotes)}
    assert (
        by_start["We are officially an"]["cue"] == "wrote" and by_start["We are officially an"]["channel"] == "Twitter"
    )
    assert by_start["The relationship wit"]["cue"] == "added"
    maan = by_start["the coalition will h"]
    assert maan["channel"] == "news conference" and maan["original_source"] == "John Brennan"
    assert by_start["Put simply, the poli"]["continues"] is True and "cue" not in by_start["Put simply, the poli"]


def test_seed_not_quotes(seed_doc: Document) -> None:
    texts = [q["text"] for q in seed_doc.quotes]
    assert "ISIS" not in texts and "Change in messaging" not in texts


def test_seed_reported_speech(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    indirect = [q for q in seed_doc.quotes if q["kind"] == "indirect"]
    for gold in seed_gold["reported_speech"]:
        found = [q for q in indirect if q["text"].startswith(gold["content_starts"])]
        assert found, gold
        assert same_name(found[0]["speaker_name"], gold["speaker"]) and found[0]["cue"] == gold["cue"]


def test_marks_apostrophes_are_not_quotes() -> None:
    assert marks("Iraq’s forces and the troops’ morale held, officials said.") == []
    assert marks("The children's books' covers were torn.") == []
    assert marks("He said ‘the troops’ morale is high’ on Monday.") == ["the troops’ morale is high"]


def test_marks_all_kinds_of_quotation_marks() -> None:
    assert marks('“One,” "two", «three», „vier“ and ‘five’') == ["One", "two", "three", "vier", "five"]


def test_nested_quotes_stay_inside() -> None:
    assert marks("“They call it ‘the surge’ but it is a retreat,” he said.") == [
        "They call it ‘the surge’ but it is a retreat"
    ]


def test_quote_split_by_its_attribution() -> None:
    quotes = direct(
        run(
            "Prime Minister Mustafa Al Kadhimi spoke to parliament on Sunday. “We will not accept any foreign "
            "troops on our soil,” Kadhimi said, “and we will protect our borders with our own forces.”"
        )
    )
    assert [q["text"][:10] for q in quotes] == ["We will no", "and we wil"]
    assert {q["speaker_name"] for q in quotes} == {"Mustafa Al Kadhimi"}


def test_open_quote_runs_into_next_paragraph_and_takes_its_speaker() -> None:
    quotes = direct(
        run(
            "The newspaper took note of her shortcomings in a long editorial on Friday.\n\n"
            "“We recognize that many Americans distrust and dislike Ms Clinton. The negative feelings reflect "
            "in part the bitter partisanship of the nation’s politics today.\n\n"
            "“We are not blind to those,” wrote The Washington Post, which nevertheless endorsed her."
        )
    )
    assert len(quotes) == 2 and quotes[0].get("continues") is True
    assert quotes[0]["speaker_name"] == quotes[1]["speaker_name"] == "The Washington Post"  # the KB's name


def test_partial_quote_inside_reported_speech() -> None:
    quotes = direct(
        run(
            "Analyst Nicholas Heras of the Newlines Institute said the US “continues to have the same military "
            "role in Iraq as before”."
        )
    )
    assert quotes[0]["text"].startswith("continues to have") and quotes[0]["speaker_name"] == "Nicholas Heras"


@pytest.mark.parametrize(
    "sentence",
    [
        "The plan, a “giveaway” to the banks, passed the Senate on Monday.",
        "The film “Hotel Rwanda” was shown in Kigali on Monday night.",
        "The so-called “Islamic State” lost its last village in March.",
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(sentence: str) -> None:
    assert direct(run(sentence)) == []


def test_pronoun_speaker_is_the_last_speaker() -> None:
    quotes = direct(
        run(
            "Defence Minister Ben Wallace visited the base on Tuesday. “The mission is over,” Wallace said.\n\n"
            "“Our troops did everything that was asked of them,” he added."
        )
    )
    assert [q["speaker_name"] for q in quotes] == ["Ben Wallace", "Ben Wallace"]


def test_nominal_speakers() -> None:
    quotes = direct(
        run(
            "The Iraqi Interior Ministry published the figures on Monday. “Nine attacks were foiled this week,” "
            "the ministry said.\n\n"
            "“We have no information about any arrests in Basra yet,” a spokesman for the army told reporters."
        )
    )
    assert quotes[0]["speaker_name"] == "Iraqi Interior Ministry"
    assert quotes[1]["speaker"] is None and quotes[1]["channel"] == "reporters"
    assert quotes[1]["speaker_mention"]["text"].startswith("a spokesman")


def test_cue_after_quote_with_any_verb() -> None:
    quotes = direct(run("“Go register and make sure you vote on the day,” Donald Trump implored the crowd."))
    assert quotes[0]["speaker_name"] == "Donald Trump" and quotes[0]["cue"] == "implored"


def test_according_to_and_passive_cues() -> None:
    quotes = run(
        "According to the United Nations, more than 40,000 people have fled the fighting in Tigray since November."
    )
    indirect = [q for q in quotes if q["kind"] == "indirect"]
    assert indirect and indirect[0]["speaker_name"] == "United Nations" and indirect[0]["cue"] == "according to"
    assert indirect[0]["text"].startswith("more than 40,000 people have fled")


def test_reported_speech_with_that_clause() -> None:
    quotes = run("Turkish President Recep Tayyip Erdogan said on Friday that Ankara would not back down.")
    indirect = [q for q in quotes if q["kind"] == "indirect"]
    assert indirect[0]["text"] == "Ankara would not back down"
    assert indirect[0]["speaker_name"] == "Recep Tayyip Erdogan" and indirect[0]["cue"] == "said"


def test_quote_offsets_are_verbatim(seed_doc: Document) -> None:
    for q in seed_doc.quotes:
        assert seed_doc.text[q["start"] : q["end"]] == q["text"]
        if "speaker_mention" in q:
            m = q["speaker_mention"]
            assert seed_doc.text[m["start"] : m["end"]] == m["text"]


def test_according_to_inside_reported_speech_is_not_its_content() -> None:
    quotes = run(
        "The defence minister said that 300 soldiers had been deployed to the border, according to officials "
        "in Baghdad."
    )
    indirect = [q for q in quotes if q["kind"] == "indirect"]
    spans = sorted((q["start"], q["end"]) for q in indirect)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), indirect  # no overlaps


def test_a_surname_spacy_left_unmarked_is_the_person_of_that_name() -> None:
    """Live Science, 2019: "Owen Dempsey" is named once, later quotes end in "Dempsey said" where the
    small model marks no entity; the speaker is Owen Dempsey, not the bare string "Dempsey"."""
    page = BENCHMARK / "bd673bd7988144f0ab7b9c5e19fed140fb5aaa30d8894cb045b72d3b79a7dc54.html.gz"
    doc = analyze(read_input(str(page)))
    said = [q for q in doc.quotes if q["kind"] == "direct" and "much more than we realize" in q["text"]]
    assert [q["speaker_name"] for q in said] == ["Owen Dempsey"]
    assert all(q["speaker_name"] != "Dempsey" for q in doc.quotes)


def test_a_pronoun_after_a_quote_is_not_someone_named_inside_it() -> None:
    quotes = run(
        "Microsoft apologised for the outage on Monday. "
        '"Amazon has restored the service for every customer in Europe," it said.'
    )
    assert [(q["speaker_name"], q["text"][:6]) for q in quotes if q["kind"] == "direct"] == [("Microsoft", "Amazon")]


def test_a_surname_speaker_takes_the_full_name_the_text_gives() -> None:
    # the AP's impeachment story (blind dev set): spaCy runs "Ukraine Kurt Volker" into one organisation
    text = (
        "Former special envoy to Ukraine Kurt Volker testified on Tuesday afternoon.\n\n"
        "“I think all of us thought it was inappropriate,” Volker said of the call."
    )
    doc = analyze(RawArticle(name="volker.txt", content=text, format="text", published="2019-11-20"))
    [quote] = [q for q in doc.quotes if q["kind"] == "direct"]
    assert quote["speaker_name"] == "Kurt Volker"


def _quotes(text: str) -> list[dict[str, Any]]:
    return analyze(RawArticle(name="a.txt", content=text, format="text")).quotes


def _direct(text: str) -> list[dict[str, Any]]:
    return [q for q in _quotes(text) if q["kind"] == "direct"]


def test_she_never_resolves_to_a_man_the_text_calls_he() -> None:
    direct = _direct(
        "Taylor Swift said her new album would be out in May. She thanked her fans on Twitter.\n\n"
        "Mark Johnson, the head of the label, said he would not comment on the dispute. "
        "\u201cIt is the worst case scenario,\u201d she wrote on Tumblr."
    )
    assert [(q["text"], q["speaker_name"]) for q in direct] == [("It is the worst case scenario", "Taylor Swift")]


def test_a_short_quote_in_the_clause_of_a_speech_verb_is_a_partial_quote_a_label_is_not() -> None:
    found = _quotes(
        "Joel Smith, a teacher in Richmond, said politicians have \u201cvilified\u201d educators.\n\n"
        "A career Army officer, Alexander Vindman, described the call as \u201cimproper.\u201d\n\n"
        "The senator praised what he called a so-called \u201cvictory\u201d for the party."
    )
    direct = {q["text"]: q.get("speaker_name") for q in found if q["kind"] == "direct"}
    assert direct.get("vilified") == "Joel Smith"
    assert "improper." in direct and "victory" not in direct
    # the words critics chose, in the clause of their verb: issue 12's "called it" partial quote
    assert [q["text"] for q in _quotes("Critics called the plan a \u201cgiveaway\u201d to the banks.")] == ["giveaway"]


def test_a_speaker_named_by_the_role_of_one_person_is_that_person() -> None:
    direct = _direct(
        "China\u2019s ambassador to Britain Liu Xiaming has said that China would end the unrest.\n\n"
        "China\u2019s ambassador to Britain accused the UK of meddling and warned that the Chinese government "
        "\u201cwill not sit on our hands\u201d if the situation worsens."
    )
    assert [(q["text"], q["speaker_name"]) for q in direct] == [("will not sit on our hands", "Liu Xiaming")]


def test_they_is_never_one_person() -> None:
    direct = _direct(
        "Taylor Swift said she was not allowed to perform her old songs.\n\n"
        "\u201cAt no point did we say Taylor could not perform,\u201d they said in a statement on Friday."
    )
    assert len(direct) == 1 and direct[0]["speaker_name"] != "Taylor Swift"


def test_that_said_is_no_speech() -> None:
    direct = _direct(
        "That said, the DEA says that the southwestern border \u201cremains the primary entry point for heroin "
        "into the United States.\u201d"
    )
    assert [q["speaker_name"] for q in direct] == ["Drug Enforcement Administration"]


def test_that_said_parsed_as_the_sentences_verb_is_still_no_speech() -> None:
    # here the parse makes "said" the root and "says" its clause: the cue stays "says"
    direct = _direct(
        "The seizure totals include those made on both borders. That said, the DEA says that the southwestern"
        " border with Mexico \u201cremains the primary entry point for heroin into the United States\u201d and that"
        " \u201cMexico remains the most significant foreign source for marijuana.\u201d"
    )
    assert [q["speaker_name"] for q in direct] == ["Drug Enforcement Administration"] * 2


def test_a_survey_by_a_person_of_a_body_is_the_persons() -> None:
    direct = _direct(
        "According to a 2018 survey by Penelope Muse Abernathy of the University of North Carolina, the firm\u2019s"
        " practice has been to \u201cconsolidate copy editing and page design\u201d at a corporate center."
    )
    assert [q["speaker_name"] for q in direct] == ["Penelope Muse Abernathy"]


def test_an_answers_pronoun_is_the_person_asked_not_the_last_speaker() -> None:
    # a Times of Israel story of the blind dev3 set: the governor spoke last, the judge was asked and replied
    quotes = direct(
        run(
            "Judge Raquel Montoya-Lewis was appointed on Monday.\n\n"
            '"I want the record to show that she is exceptional," Gov. Jay Inslee said.\n\n'
            'At a press conference, a reporter asked Montoya-Lewis, "What do you see as the biggest problem?"\n\n'
            '"The biggest hurdle is getting people to understand that we all bring biases," she replied.'
        )
    )
    assert [q["speaker_name"] for q in quotes] == ["Jay Inslee", None, "Raquel Montoya-Lewis"]


def test_a_pull_quote_is_the_words_of_who_says_them_again_in_the_text() -> None:
    # The Intercept's Gaza story (blind dev4 set): a stand-alone quote the text gives later, attributed
    quotes = _quotes(
        "What it is like\n\nMore than half of the 30 hospitals in Gaza have closed, according to the Health "
        "Ministry.\n\n“We ran out of fuel and the electricity is cut off.”\n\n“For several days we have been "
        "talking about the lack of fuel,” Dr. Sobhi Skaik, the director of the hospital, said. “And now it has "
        "happened: We ran out of fuel and the electricity is cut off.”"
    )
    pull = next(q for q in quotes if q["text"].startswith("We ran out"))
    assert pull["speaker_name"] == "Sobhi Skaik", pull


def test_a_gerund_with_no_subject_leaves_the_words_to_the_verb_inside_it() -> None:
    # a Los Angeles Times story of the blind dev4 set
    quotes = _quotes(
        "Bloomberg answers for his past\n\nMichael R. Bloomberg faces questions. Explaining why he argued as "
        "recently as 2015 that throwing young minorities “up against walls” and frisking them was a smart policy."
    )
    quote = next(q for q in quotes if q["text"] == "up against walls")
    assert quote["speaker_name"] == "Michael R. Bloomberg", quote
