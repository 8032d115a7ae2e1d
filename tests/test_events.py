"""The events layer (PLOVER) on real sentences: the seed's gold events, passives, negation, the future,
demands, events told inside quotes, metonymy, coordinated actors, several events in a sentence, event
nouns and light verbs, counts, dates and places; and the store's clusters of one happening told by
several outlets. Sentences other than the seed's are from the blind dev articles
(``bench/blind/events/dev.jsonl``) and the PLOVER manual's examples."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document, RawArticle
from newsgraph.layers import events as layer
from newsgraph.lexicons import plover_types
from newsgraph.pipeline import analyze
from newsgraph.store.db import connect, write_document
from newsgraph.store.dedup import signature
from newsgraph.store.event_clusters import Mention, Side, compatible

STOP = {"the", "of", "and", "a", "an", "its", "us-led", "against", "group"}
FOLD = {"american": "us", "u.s.": "us", "united": "us", "states": "us", "usa": "us", "washington": "us"}


def words(name: str | None) -> set[str]:
    out = set()
    for w in re.findall(r"[\w.'-]+", (name or "").lower()):
        w = FOLD.get(w, w).removesuffix("'s")
        if w not in STOP:
            out.add(w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return out


def events_of(text: str, published: str = "2019-11-20") -> list[dict[str, Any]]:
    doc = analyze(RawArticle(name="sentence.txt", content=text, format="text", published=published))
    return doc.events


def one(events: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    found = [e for e in events if e["type"] == type_]
    assert len(found) == 1, [(e["type"], e["trigger"]) for e in events]
    return found[0]


# --- the seed ---------------------------------------------------------------------------------------------


def test_seed_gold_events_are_found_with_their_type_and_an_actor(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    gold = seed_gold["events"]
    unused = list(seed_doc.events)
    found = 0
    for g in gold:
        want = words(g.get("source")) | words(g.get("target"))
        for e in unused:
            if e["type"] == g["type"] and want & (words(e["source_name"]) | words(e["target_name"])):
                unused.remove(e)
                found += 1
                break
    assert found == len(gold), found  # all 8 (the issue asks for 7)
    assert len(seed_doc.events) <= 16


def test_seed_events_that_did_not_happen_are_not_asserted(seed_doc: Document) -> None:
    by_trigger = {e["trigger"]: e for e in seed_doc.events}
    abandon = by_trigger["abandon"]  # "Washington does not plan to abandon Iraq"
    assert (abandon["type"], abandon["modality"]) == ("RETREAT", "negated")
    assert abandon["source_actor"] == {"text": "Washington", "country": "US", "sector": "GOV"}  # a seat: its government
    attack = by_trigger[
        "attack"
    ]  # "if the United States rocks the boat ..., Iran-backed militias will attack US forces"
    assert attack["modality"] == "hypothetical" and attack["target_name"] == "US forces"


def test_seed_passive_with_by_phrase_and_blamed_on(seed_doc: Document) -> None:
    # "Never claimed, these attacks are systematically blamed by the US on pro-Iranian factions."
    blamed = one(seed_doc.events, "ACCUSE")
    assert (blamed["source_name"], blamed["target_name"]) == ("United States", "pro-Iranian factions")
    assert blamed["source_actor"]["sector"] == "GOV" and blamed["modality"] == "asserted"
    text = seed_doc.text
    assert text[blamed["sentence_start"] : blamed["sentence_end"]].startswith("Never claimed, these attacks")
    assert text[blamed["start"] : blamed["end"]] == blamed["trigger"] == "blamed"


def test_seed_event_nouns_light_verbs_and_a_group_named_before(seed_doc: Document) -> None:
    assaults = [e for e in seed_doc.events if e["type"] == "ASSAULT"]
    # "Dozens of rocket and drone attacks have been carried out against American troops ... in recent months"
    drones = next(e for e in assaults if e["trigger"] == "drone attacks")
    assert (drones["mode"], drones["target_name"], drones["date"]) == (
        "drone",
        "American troops and interests",
        "PAST_REF",
    )
    # "the group's remnants still carry out attacks against security forces and civilians and in recent
    # weeks killed several Kurdish fighters in northern Iraq": two events, the group is ISIS
    remnants = [e for e in assaults if e["source_name"] == "ISIS"]
    assert {e["trigger"] for e in remnants} == {"attacks", "killed"}
    killed = next(e for e in remnants if e["trigger"] == "killed")
    assert (killed["place"], killed["place_country"], killed["date"]) == ("Iraq", "IQ", "PAST_REF")


def test_seed_dates_come_from_the_clause_else_the_publication_date(seed_doc: Document) -> None:
    departure = next(e for e in seed_doc.events if e["trigger"] == "departure" and e.get("date") == "2021-11")
    assert departure["date_basis"] == "text"  # "In November, it underlined ... the departure from Iraq of ..."
    hosted = next(e for e in seed_doc.events if e["trigger"] == "hosted")
    assert (hosted["date"], hosted["date_basis"]) == ("2021-12-09", "published")


# --- real sentences -------------------------------------------------------------------------------------------


def test_arrest_by_police_with_the_suspect_as_target() -> None:
    e = one(events_of("Police arrested a 57-year-old man suspect of committing the assassination."), "COERCE")
    assert (e["mode"], e["modality"]) == ("arrest", "asserted")
    assert e["source_actor"]["sector"] == "COP" and "man" in (e["target_name"] or "")


def test_passive_without_agent_keeps_the_target() -> None:
    e = one(events_of("Fritz Eckart von Weizsäcker was stabbed to death on Tuesday in Berlin."), "ASSAULT")
    assert e["source_name"] is None and e["target_name"] == "Fritz Eckart von Weizsäcker"
    assert (e["date"], e["date_basis"]) == ("2019-11-19", "text")


def test_passive_with_agent() -> None:
    e = one(events_of("Hong Kong Polytechnic University was besieged by police for days."), "COERCE")
    assert e["source_actor"]["sector"] == "COP" and "Polytechnic" in (e["target_name"] or "")


def test_request_to_an_addressee() -> None:
    e = one(events_of("Grisham urged the American public not to tolerate the pretense of the Democrats."), "REQUEST")
    assert "Grisham" in (e["source_name"] or "") and "American public" in (e["target_name"] or "")


def test_a_demand_keeps_what_it_demands_as_a_demanded_event() -> None:
    found = events_of(
        "The ombudsman's office called on the interim government to withdraw military units from all policing"
        " operations."
    )
    request = one(found, "REQUEST")
    assert "government" in (request["target_name"] or "")
    withdraw = one(found, "RETREAT")
    assert withdraw["modality"] == "demanded"


def test_a_threat_is_one_event_not_the_attack_it_threatens() -> None:
    found = events_of("Officers had earlier threatened to use live fire if petrol bombs were used against them again.")
    assert [e["type"] for e in found] == ["THREATEN"]


def test_denial_is_a_rejection() -> None:
    e = one(events_of("Assange has denied both allegations, and he is currently serving a prison term."), "REJECT")
    assert e["source_name"] == "Julian Assange" or "Assange" in (e["source_name"] or "")


def test_charges_are_accusations() -> None:
    e = one(events_of("The US Justice Department has charged Assange with espionage."), "ACCUSE")
    assert e["source_actor"]["country"] == "US" and "Assange" in (e["target_name"] or "")


def test_future_cooperation_is_an_agreement() -> None:
    # the PLOVER manual's example of the future: a meeting announced is AGREE
    e = one(events_of("Members of the G-7 will meet in Ottawa next month to discuss the crisis."), "AGREE")
    assert e["modality"] == "asserted" and e["place"] == "Ottawa"


def test_announced_withdrawal_is_a_concession() -> None:
    e = one(events_of("The Pentagon announced that it would withdraw 2,000 troops from Syria by April."), "CONCEDE")
    assert e["source_actor"]["country"] == "US"


def test_coordinated_actors_reach_an_agreement() -> None:
    found = events_of("The United States and China had reached a historic Phase 1 trade agreement on Friday.")
    e = one(found, "AGREE")
    assert words(e["source_name"]) >= {"us", "china"}


def test_counts_are_attached() -> None:
    e = one(
        events_of("At least 106 protesters in 21 cities have been killed by security forces, Amnesty said."), "ASSAULT"
    )
    assert e["dead"] == 106 and e["source_actor"]["sector"] == "MIL"


def test_plain_statements_names_and_newsroom_formulas_are_no_events() -> None:
    assert events_of("The economy grew by 2 percent last year, the minister said.") == []
    assert events_of("The source asked not to be named because she was not allowed to speak to reporters.") == []
    assert events_of("Officials did not immediately provide any other details.") == []
    assert events_of("That struck me as different than other calls I had listened to, she said.") == []


# --- the lexicon is data ------------------------------------------------------------------------------------


def test_every_lexicon_type_is_plover_and_every_trigger_is_findable() -> None:
    lex = layer.lexicon()
    assert lex.types == set(plover_types()) and len(lex.types) == 16
    senses = {e.sense.type for entries in lex.entries.values() for e in entries}
    assert senses == lex.types  # each of the 16 has triggers
    assert all(pos in ("VERB", "NOUN") for pos, _ in lex.entries)
    assert {"carry", "hold", "impose"} <= set(lex.light_verbs)
    assert lex.sectors["troops"] == "MIL" and lex.sectors["police"] == "COP"


# --- clusters across articles ---------------------------------------------------------------------------------

ATTACK = {
    "Reuters": (
        "Gunmen attacked a police checkpoint in the town of Baqubah on Monday, killing four officers, "
        "Iraqi security officials said."
    ),
    "AFP": "Four Iraqi policemen were killed on Monday when gunmen stormed a checkpoint in Baqubah, police said.",
    "AP": "Militants assaulted a police post in Baqubah on Monday and killed four policemen, officials said.",
}
OTHER = "A suicide bomber attacked a wedding party in the city of Kirkuk on Monday, killing 12 guests, police said."


def store_events(tmp_path: Path, articles: dict[str, str]) -> sqlite3.Connection:
    conn = connect(tmp_path / "clusters.db")
    for outlet, text in articles.items():
        doc = analyze(
            RawArticle(name=f"{outlet}.txt", content=text, format="text", published="2019-11-18", source=outlet)
        )
        write_document(conn, doc, signature=signature(doc.text))
    return conn


def test_one_attack_told_by_three_outlets_is_one_cluster_and_another_attack_stays_apart(tmp_path: Path) -> None:
    conn = store_events(tmp_path, {**ATTACK, "Local": OTHER})
    rows = conn.execute(
        "SELECT d.source, m.cluster_id FROM events x JOIN event_mentions m ON m.doc_id = x.doc_id AND m.idx = x.idx"
        " JOIN documents d ON d.id = x.doc_id WHERE x.type = 'ASSAULT' AND x.modality = 'asserted'"
    ).fetchall()
    clusters: dict[str, set[int]] = {}
    for source, cluster in rows:
        clusters.setdefault(source, set()).add(cluster)
    shared = clusters["Reuters"] & clusters["AFP"] & clusters["AP"]
    assert len(shared) == 1, clusters
    assert not clusters["Local"] & shared  # the Kirkuk wedding bombing is another event
    [(mentions, sources, articles)] = conn.execute(
        "SELECT mentions, sources, articles FROM event_clusters WHERE id = ?", (next(iter(shared)),)
    ).fetchall()
    assert sources == articles == 3 and mentions >= 3
    conn.close()


BAQUBAH = ("ASSAULT", "asserted", "2019-11-18", "iq", "Baqubah")  # type, modality, day, country, place


@pytest.mark.parametrize(
    ("b", "together"),
    [
        (("ASSAULT", "asserted", "2019-11-19", "iq", "Baqubah"), True),  # a day later
        (("ASSAULT", "asserted", "2019-11-18", "iq", "Kirkuk"), False),  # another town
        (("ASSAULT", "future", "2019-11-18", "iq", "Baqubah"), False),  # not happened yet
        (("PROTEST", "asserted", "2019-11-18", "iq", "Baqubah"), False),  # another type
    ],
)
def test_compatible_mentions(b: tuple[str, ...], together: bool) -> None:
    def mention(t: tuple[str, ...]) -> Mention:
        type_, modality, day, country, place = t
        return Mention(
            type_, modality, day, Side(None, "IQ", "UAF"), Side(None, "IQ", "COP"), place.lower(), country.upper()
        )

    assert (compatible(mention(BAQUBAH), mention(b)) is not None) is together


def test_reported_judgements_are_denials_and_accusations() -> None:
    sham = one(events_of("The White House called the impeachment process a sham."), "ACCUSE")
    assert (sham["trigger"], sham["source_name"]) == ("sham", "White House")
    e = one(events_of("Williams said the phone call was unusual and inappropriate."), "ACCUSE")
    assert e["trigger"] == "inappropriate" and "Williams" in (e["source_name"] or "")
    denial = one(
        events_of("Sources in the Rukban camp told Polygraph.info the Russian and Syrian claims are false."), "REJECT"
    )
    assert denial["target_actor"]["country"] == "RU"
    assert events_of("The minister said the report was not false.") == []  # a judgement denied is none


def test_pleas_and_signed_forms_are_no_events_and_a_possessor_can_be_the_target() -> None:
    # USA Today on the guards of Epstein's jail unit (an extraction-benchmark page, in no blind set)
    pleaded = events_of(
        "Noel and Thomas pleaded not guilty in Manhattan federal court Tuesday afternoon and were released on"
        " the condition that each post $100,000 bond within a week."
    )
    assert "REQUEST" not in {e["type"] for e in pleaded}
    signed = events_of('Noel and Thomas signed "false certifications" attesting they had made their required rounds.')
    assert "SUPPORT" not in {e["type"] for e in signed}
    arrest = one(
        events_of("Boesky said Jeffrey Epstein was still a high risk after his arrest and his prior suicide attempt."),
        "COERCE",
    )
    assert arrest["source_name"] is None and arrest["target_name"] == "Jeffrey Epstein"


def test_a_relative_clause_in_the_simple_present_describes_someone() -> None:
    # the NYT on the trade war (blind dev): who Scissors is, not something he did
    found = events_of("Scissors, who consults with administration officials, said the talks had stalled.")
    assert "CONSULT" not in {e["type"] for e in found if e["trigger"] == "consults"}


def test_questions_and_the_generic_you_are_no_requests() -> None:
    # extraction-benchmark pages in no blind set (a games column, a smart-speaker review)
    assert events_of("Streaming, depending on who you ask in the industry, is seen as the future of gaming.") == []
    assert events_of("You can still ask for the time, of course, or use Alexa to play music.") == []
    found = events_of("Maitlis repeatedly demanded how Andrew could be so sure what he was doing that night.")
    assert "REQUEST" not in {e["type"] for e in found}


def test_the_summary_lists_the_events_told_as_happened(seed_doc: Document) -> None:
    from newsgraph.summary import summarize

    text = summarize(seed_doc)
    assert re.search(r"^events \(\d+ as told, [1-9]\d* negated, planned, conditional or demanded\):$", text, re.M)
    assert "  ASSAULT ISIS -> several Kurdish fighters: 'killed' (PAST_REF, Iraq)" in text
    assert "'abandon'" not in text  # "does not plan to abandon Iraq" is counted, not listed


def test_a_rejected_demand_is_aimed_at_whoever_made_it() -> None:
    e = one(events_of("Israel rejected Hamas's demands for a prisoner exchange on Sunday."), "REJECT")
    assert (e["source_name"], e["target_name"]) == ("Israel", "Hamas")


def test_it_continues_the_organisation_the_sentence_before_is_about(seed_doc: Document) -> None:
    # "The coalition insists it is in Iraq ... In November, it underlined in a press statement the
    # departure from Iraq of more than 2,100 lorries carrying military equipment."
    departure = next(e for e in seed_doc.events if e["trigger"] == "departure" and e.get("date") == "2021-11")
    assert departure["source_name"] == "Global Coalition against ISIS"
