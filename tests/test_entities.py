"""The entities layer on real text: the seed against its gold, and the news-specific fixes one by one."""

from __future__ import annotations

from typing import Any

import pytest

from newsgraph import nlp
from newsgraph.document import Document, Entity, RawArticle
from newsgraph.evaluate import score_names
from newsgraph.layers.entities import Candidate, _trim
from newsgraph.pipeline import analyze
from newsgraph.sources.raw import read_input

from .helpers import BENCHMARK


def run(text: str) -> Document:
    return analyze(RawArticle(name="test", content=text, format="text"))


def by_name(doc: Document, name: str) -> Entity:
    found = [e for e in doc.entities if e.name == name]
    assert found, f"{name!r} not among {[e.name for e in doc.entities]}"
    return found[0]


def f1(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> float:
    p, r = tp_pred / n_pred, tp_gold / n_gold
    return 2 * p * r / (p + r) if p + r else 0.0


def test_seed_persons_f1_is_one(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    counts = score_names(seed_gold, seed_doc.to_json(), "persons", {"PERSON"})
    assert f1(*counts) == 1.0, counts


def test_seed_organizations_f1_at_least_0_8(seed_doc: Document, seed_gold: dict[str, Any]) -> None:
    counts = score_names(seed_gold, seed_doc.to_json(), "organizations", {"ORG"})
    assert f1(*counts) >= 0.8, counts


def test_titles_split_off_and_title_alone_is_no_one(seed_doc: Document) -> None:
    maan = by_name(seed_doc, "Saad Maan")
    assert maan.title == "Gen" and [m.text for m in maan.mentions] == ["Saad Maan"]
    brennan = by_name(seed_doc, "John Brennan")
    assert brennan.title == "Maj Gen" and brennan.role == "coalition commander"
    people = [e.name for e in seed_doc.entities if e.type == "PERSON"]
    assert "Maj Gen" not in people and "Gen Saad Maan" not in people


def test_platforms_are_organizations(seed_doc: Document) -> None:
    assert by_name(seed_doc, "Twitter").type == "ORG"
    doc = run("Musk wrote on Twitter that the deal was off. Telegram said it would comply with the ruling.")
    assert {e.name: e.type for e in doc.entities if e.name in ("Twitter", "Telegram")} == {
        "Twitter": "ORG",
        "Telegram": "ORG",
    }


def test_surname_mentions_join_the_full_name(seed_doc: Document) -> None:
    biden = by_name(seed_doc, "Joe Biden")
    assert [m.text for m in biden.mentions] == ["Joe Biden", "Biden"]
    assert sum(1 for e in seed_doc.entities if "Biden" in e.name) == 1


def test_roles_and_countries_from_premodifiers(seed_doc: Document) -> None:
    biden = by_name(seed_doc, "Joe Biden")
    assert (biden.role, biden.country) == ("US President", "US")
    kadhimi = by_name(seed_doc, "Mustafa Al Kadhimi")
    assert (kadhimi.role, kadhimi.country) == ("Iraqi Prime Minister", "IQ")
    maan = by_name(seed_doc, "Saad Maan")
    assert maan.role == "Iraqi Interior Ministry media official" and maan.country == "IQ"
    assert by_name(seed_doc, "Donald Trump").role == "former president"


def test_role_with_affiliation(seed_doc: Document) -> None:
    heras = by_name(seed_doc, "Nicholas Heras")
    assert heras.role == "Analyst" and heras.affiliation == "Newlines Institute"


def test_nominal_mention_linked_to_the_role_holder(seed_doc: Document) -> None:
    aaraji = by_name(seed_doc, "Qassem Al Aaraji")
    assert [m.text for m in aaraji.mentions] == ["Iraq’s national security adviser", "Qassem Al Aaraji"]
    assert aaraji.country == "IQ"


def test_state_body_joined_with_its_demonym(seed_doc: Document) -> None:
    ministry = by_name(seed_doc, "Iraqi Interior Ministry")
    assert ministry.type == "ORG" and ministry.country == "IQ"


def test_lexicon_canonical_names(seed_doc: Document) -> None:
    assert by_name(seed_doc, "United Nations").mentions[0].text == "UN"
    coalition = by_name(seed_doc, "Global Coalition against ISIS")
    assert "US-led coalition" in [m.text for m in coalition.mentions]
    assert by_name(seed_doc, "United Kingdom").mentions[0].text == "Britain"
    assert by_name(seed_doc, "Hashed Al Shaabi").mentions[0].text == "Hashed Al Shaabi"  # "The" trimmed


@pytest.mark.parametrize(
    ("sentence", "name", "title", "role"),
    [
        ("Lt Col Sarah Jones, a spokeswoman for the army, said the base was secure.", "Sarah Jones", "Lt Col", None),
        (
            "Russian Foreign Minister Sergei Lavrov met his Turkish counterpart in Antalya.",
            "Sergei Lavrov",
            None,
            "Russian Foreign Minister",
        ),
        (
            "Dr Tedros Adhanom Ghebreyesus warned that the pandemic was far from over.",
            "Tedros Adhanom Ghebreyesus",
            "Dr",
            None,
        ),
    ],
)
def test_titles_and_roles_in_other_articles(sentence: str, name: str, title: str | None, role: str | None) -> None:
    person = by_name(run(sentence), name)
    assert person.title == title
    if role:
        assert person.role == role


def test_apposition_gives_a_role() -> None:
    doc = run("The decision was criticised by Hanan Ashrawi, a veteran Palestinian negotiator, on Sunday.")
    ashrawi = by_name(doc, "Hanan Ashrawi")
    assert ashrawi.role is not None and "negotiator" in ashrawi.role


def test_entity_ids_are_unique_and_in_text_order(seed_doc: Document) -> None:
    ids = [e.id for e in seed_doc.entities]
    assert len(set(ids)) == len(ids)
    firsts = [e.mentions[0].start for e in seed_doc.entities]
    assert firsts == sorted(firsts)


def test_lower_case_ministry_with_its_owner() -> None:
    doc = run("Russia's foreign ministry summoned the ambassador. The French foreign ministry said it regretted it.")
    names = {e.name: e for e in doc.entities if e.type == "ORG"}
    # each linked to the knowledge base's ministry of its country, under its canonical name
    assert names["Ministry of Foreign Affairs of Russia"].country == "RU"
    assert names["Ministry for Europe and Foreign Affairs"].mentions[0].text == "French foreign ministry"
    assert names["Ministry for Europe and Foreign Affairs"].country == "FR"


def test_surname_gets_the_full_name_written_elsewhere() -> None:
    doc = run(
        "Deputy Director of Public Prosecution Eva-Marie Persson said the case was closed. Ms Persson added "
        "that the complainant's account had been credible."
    )
    assert "Eva-Marie Persson" in [e.name for e in doc.entities if e.type == "PERSON"]


def test_surname_only_for_a_widely_reported_person() -> None:
    doc = run("President Trump said on Friday he would not attend the summit in Brussels.")
    assert [e.name for e in doc.entities if e.type == "PERSON"] == ["Donald Trump"]


def test_not_organisations() -> None:
    doc = run(
        "Secretary of State Mike Pompeo met UK Home Secretary Priti Patel. The Afghan Taliban rejected a "
        "potential exchange of prisoners."
    )
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert "State" not in orgs and "UK Home" not in orgs
    assert "Taliban" in orgs and "Afghan Taliban" not in orgs


def test_possessive_owner_stays_a_place_and_split_court_joins() -> None:
    doc = run(
        "Russia's foreign ministry criticised the ruling. Assange appeared at Westminster Magistrate's Court "
        "in London on Monday."
    )
    types = {e.name: e.type for e in doc.entities}
    assert types["Ministry of Foreign Affairs of Russia"] == "ORG" and types["Russia"] == "GPE"
    assert types.get("Westminster Magistrate's Court") == "ORG"


def test_a_name_stops_at_a_bracket_and_its_defined_acronym_joins_it() -> None:
    """pv magazine, 2019 (the blind dev set): spaCy ran "the Ministry of Trade, Industry and Energy (MOTIE"
    into one name; the name ends before the bracket, and the later "MOTIE" is the same ministry."""
    page = BENCHMARK / "b0cf2bbf0192315eec95ede9c59bbf4ae58699275739d590edc24b012e3e8800.html.gz"
    doc = analyze(read_input(str(page)))
    assert not [e.name for e in doc.entities if "(" in e.name or ")" in e.name]
    ministry = next(e for e in doc.entities if e.name == "Ministry of Trade, Industry and Energy")
    assert {m.text for m in ministry.mentions} >= {"Ministry of Trade, Industry and Energy", "MOTIE"}
    assert "MOTIE" not in {e.name for e in doc.entities}


def test_us_bodies_by_their_canonical_names() -> None:
    doc = analyze(
        RawArticle(
            name="t",
            format="text",
            content="Senate vote\n\nThe Pentagon and the State Department briefed the Senate on Tuesday, and "
            "GOP leaders in Congress said the U.S. vote would come after the Fed raised interest rates.",
        )
    )
    names = {e.name for e in doc.entities if e.type == "ORG"}
    assert names >= {
        "United States Department of Defense",
        "United States Department of State",
        "United States Senate",
        "Republican Party",
        "United States Congress",
        "Federal Reserve",
    }, names


def test_headlines_units_and_market_codes_are_no_organisations() -> None:
    # related-link headlines, capacities and quotes of a markets page (blind dev pages)
    text = (
        "Read more: International Space Station Is Open for Business\n\n"
        "The plant will add 100 MW of capacity next year, the ministry said.\n\n"
        "Sterling GBP= was flat and the London Metal Exchange CMAL3 rose 1%."
    )
    doc = analyze(RawArticle(name="links.txt", content=text, format="text"))
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert not {n for n in orgs if " Is " in n or n == "MW" or "=" in n or "CMAL3" in n}, orgs


def test_indices_laws_plans_prizes_bylines_and_headlines_are_no_organisations() -> None:
    # the kinds of the blind dev set's false organisations (CNN, pv magazine, AP, Space.com pages, 2019)
    text = (
        "Asian markets fell. The Hang Seng Index (HSI) lost 2% and the Shanghai Composite dropped, while "
        "the FTSE 100 rose; HSI futures were flat.\n\n"
        "By Matthew Lee, AP National Security Writer\n\n"
        "The ministry said the Fourth Energy Technology Development Plan and the Clean Air Act would guide "
        "the Photovoltaic Power Systems Program. She won at the American Music Awards on Sunday.\n\n"
        "Starship and Super Heavy Mars Rocket in Pictures\n\n"
        "Syrian Forces Blocking Refugee Return\n\n"
        "The UN's World Food Programme said it would help."
    )
    orgs = {e.name for e in run(text).entities if e.type == "ORG"}
    for not_org in (
        "Hang Seng Index",
        "HSI",
        "Shanghai Composite",
        "FTSE 100",
        "AP National Security Writer",
        "Fourth Energy Technology Development Plan",
        "Clean Air Act",
        "Photovoltaic Power Systems Program",
        "American Music Awards",
        "Starship and Super Heavy Mars Rocket in Pictures",
        "Syrian Forces Blocking Refugee Return",
    ):
        assert not_org not in orgs, (not_org, orgs)
    assert "United Nations" in orgs


def test_a_companys_legal_form_is_dropped_or_spelled_out_and_its_short_name_joins_it() -> None:
    doc = run(
        "NASA picked Sierra Nevada Corp. and Tyvak Nano-Satellite Systems Inc to fly cargo. Sierra Nevada "
        "said its Dream Chaser would be ready, the founder of Ceres Robotics Inc. said."
    )
    orgs = [e.name for e in doc.entities if e.type == "ORG"]
    assert "Sierra Nevada Corporation" in orgs and "Sierra Nevada" not in orgs, orgs
    assert "Tyvak Nano-Satellite Systems" in orgs and "Ceres Robotics" in orgs, orgs
    assert len(by_name(doc, "Sierra Nevada Corporation").mentions) == 2


def test_scores_and_products_are_no_part_of_a_persons_name() -> None:
    # a Davis Cup results line and a deals page (the names dev set: Sportsnet.ca, IGN, 2019)
    doc = run(
        "Chile's Nicolas Jarry 6-4 beat Botic van de Zandschulp 6-2 on Tuesday. The Nintendo Switch Lite "
        "is on sale, Nintendo said, and Michael Dell said the Dell G3 15 would follow."
    )
    persons = {e.name for e in doc.entities if e.type == "PERSON"}
    assert "Nicolas Jarry" in persons and not any(ch.isdigit() for n in persons for ch in n), persons
    assert "Nintendo Switch Lite" not in persons and "Michael Dell" in persons, persons


def test_a_companys_products_are_no_organisations_but_its_units_are() -> None:
    # a deals page (the names dev set: IGN, 2019) and a cloud story
    doc = run(
        "Apple AirPods are $129 at Walmart, the Intel Core laptop is $499, and Amazon Music Unlimited is free "
        "for three months. Amazon Web Services said the outage was over. The DHS Office of Inspector General "
        "reviewed the case."
    )
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert not orgs & {"Apple AirPods", "Intel Core", "Amazon Music Unlimited"}, orgs
    assert "Amazon Web Services" in orgs, orgs


def test_an_undefined_unknown_acronym_is_a_term_but_a_known_or_defined_one_a_body() -> None:
    # terms of a deals page and a hospital press release (the names dev set), bodies of an SFGate story
    doc = run(
        "The monitor has an IPS panel and RGB lighting, and the watch takes an ECG. NATO said on Monday that "
        "Bay Area Rapid Transit (BART) trains would run; BART said service was normal."
    )
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert not orgs & {"IPS", "RGB", "ECG"}, orgs
    assert {"NATO", "Bay Area Rapid Transit"} <= orgs, orgs


def test_the_articles_own_outlet_named_in_its_body_is_an_organisation() -> None:
    text = "Refugees in the camp told Polygraph.info the allegations were false.\n\nThe ministry said nothing."
    raw = RawArticle(name="test", content=text, format="text", source="Polygraph.info")
    orgs = [e for e in analyze(raw).entities if e.type == "ORG"]
    assert [e.name for e in orgs] == ["Polygraph.info"] and orgs[0].mentions[0].text == "Polygraph.info"


def test_the_outlet_written_in_capitals_is_the_outlet() -> None:
    # a Wired story of the names dev set: the outlet names itself in capitals in its body
    text = "Kym Lino, a spokesperson for Instagram, confirmed to WIRED that the company notifies people."
    raw = RawArticle(name="test", content=text, format="text", source="Wired")
    orgs = {e.name: e for e in analyze(raw).entities if e.type == "ORG"}
    assert "Wired" in orgs and orgs["Wired"].mentions[0].text == "WIRED", list(orgs)


def test_a_name_ending_in_a_body_word_is_an_organisation_not_a_person() -> None:
    doc = run(
        '"Organic materials can, we think, form," said planetary geologist Rosaly Lopes of NASA\'s Jet '
        "Propulsion Laboratory in California."
    )
    types = {e.name: e.type for e in doc.entities}
    assert types.get("Jet Propulsion Laboratory") == "ORG" and types.get("Rosaly Lopes") == "PERSON", types


def test_an_unknown_organisation_named_only_in_a_title_case_headline_is_dropped() -> None:
    headline = "NASA Picks SpaceX, Blue Origin and More to Join Private Moon Lander Project"
    doc = run(headline + "\n\nNASA said on Monday it chose five companies.")
    names = {e.name for e in doc.entities if e.type == "ORG"}
    assert "NASA Picks SpaceX" not in names and any("NASA" in n or "National Aeronautics" in n for n in names)


def test_a_question_opening_with_will_does_not_make_a_first_name() -> None:
    doc = run(
        "Elizabeth Warren was under attack last month as a new leader. Will Warren continue to face the heat, "
        "or will Pete Buttigieg take her place? No one has more riding on the debate than Warren, who hurt "
        "herself last month."
    )
    warren = by_name(doc, "Elizabeth Warren")
    assert len(warren.mentions) == 3 and "Will Warren" not in [e.name for e in doc.entities]
    assert not [e for e in doc.entities if e.type == "GPE" and e.name == "Warren"]
    assert not [p for p in doc.places if p["text"] == "Warren"]


def test_a_hyphenated_given_name_is_one_word_whatever_its_syllables() -> None:
    doc = run("President Moon Jae-in said on Monday that the Obama-era talks with Pyongyang would go on.")
    assert [e.name for e in doc.entities if e.type == "PERSON"] == ["Moon Jae-in"]


def test_a_person_typed_as_an_organisation_is_a_person_when_the_name_reads_as_one() -> None:
    doc = run(
        "Serbia beat Canada 2-1 on Friday as Diego Schwartzman and Marcelo Claure watched.\n\n"
        "In Group A, Vasek Pospisil lost to Diego Schwartzman 6-4, 6-3 before Marcel Granollers beat "
        "Jo-Wilfried Tsonga.\n\nSierra Nevada Corp. and the Washington Healthcare Authority signed the deal."
    )
    types = {e.name: e.type for e in doc.entities}
    assert types["Diego Schwartzman"] == types["Marcelo Claure"] == types["Jo-Wilfried Tsonga"] == "PERSON"
    assert len(by_name(doc, "Diego Schwartzman").mentions) == 2  # the score is no part of the name
    # a given name at the front of a company, a region or a public body does not make it a person
    assert types["Sierra Nevada Corporation"] == types["Washington Healthcare Authority"] == "ORG"


def test_a_role_held_for_a_country_written_before_the_name_is_the_persons_role() -> None:
    doc = run("China's ambassador to Britain Liu Xiaming has said that China would end the unrest.")
    assert by_name(doc, "Liu Xiaming").role == "China's ambassador to Britain"


def test_a_surname_spacy_calls_an_organisation_is_the_person_the_text_names_in_full() -> None:
    doc = run(
        "Another diplomat, former special envoy to Ukraine Kurt Volker, shifted his own account.\n\n"
        "\u201cThe meeting concluded,\u201d Volker said.\n\n"
        "Jeff Sanborn, president of Chapter & Verse, a Spokane agency, disagreed. "
        "\u201cIt is a problem,\u201d Sanborn said."
    )
    volker, sanborn = by_name(doc, "Kurt Volker"), by_name(doc, "Jeff Sanborn")
    assert volker.type == sanborn.type == "PERSON" and volker.role == "former special envoy to Ukraine"
    assert len(volker.mentions) == len(sanborn.mentions) == 2
    assert not [e for e in doc.entities if e.type == "ORG" and "Volker" in e.name]


def test_a_capitalised_word_that_only_qualifies_a_thing_is_no_organisation() -> None:
    doc = run(
        "He was prescribed Suboxone treatment after his arrest, police said.\n\n"
        "A Commerzbank analyst said the euro would fall."
    )
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert "Suboxone" not in orgs and "Commerzbank" in orgs


def test_a_royal_title_before_one_given_name_is_part_of_the_name_an_office_is_not() -> None:
    doc = run("Prince Andrew said he did not sweat. Crown Prince Mohammed bin Salman met Prince Harry in London.")
    people = {e.name: e.role for e in doc.entities if e.type == "PERSON"}
    assert people == {"Prince Andrew": None, "Mohammed bin Salman": "Crown Prince", "Prince Harry": None}


def test_a_headline_word_before_a_surname_is_no_first_name() -> None:
    doc = run(
        "Opinion | Republicans Are Following Trump to Nowhere\n\nIn each case, President Trump tied himself to it."
    )
    assert [e.name for e in doc.entities if e.type == "PERSON"] == ["Donald Trump"]


def test_the_times_in_a_times_is_the_outlet_itself() -> None:
    raw = RawArticle(
        name="a.txt",
        content="Gannett and GateHouse merged on Tuesday, The Times reported, and the deal closed in March.",
        format="text",
        source="Los Angeles Times",
    )
    orgs = {e.name for e in analyze(raw).entities if e.type == "ORG"}
    assert "Los Angeles Times" in orgs and "The Times" not in orgs


def test_streets_squares_and_neighbourhoods_are_no_bodies() -> None:
    # a DW story (German street names in English), a Gothamist one and a police report of the blind sets
    doc = run(
        "The square was renamed Cornelius-Fredericks-Strasse, and Nachtigalplatz became Manga-Bell-Platz. "
        "Residents near Bruckner Boulevard in Throgs Neck protested, and Christopher Battin, who resides at 2134 "
        "Caldwell Place, was arrested by the Columbus Police Department."
    )
    types = {e.name: e.type for e in doc.entities}
    streets = ["Cornelius-Fredericks-Strasse", "Nachtigalplatz", "Bruckner Boulevard", "Throgs Neck", "Caldwell Place"]
    assert all(types.get(s) == "FAC" for s in streets), types
    assert types.get("Columbus Police Department") == "ORG" and types.get("Christopher Battin") == "PERSON", types


def test_a_titled_surname_is_the_person_not_the_company_of_that_name() -> None:
    # a Telegraph court report of the blind sets: the judge, not Ford Motor Company; the company stays itself
    doc = run(
        "His Honour Judge Neil Ford QC sentenced Hartley on Tuesday.\n\n"
        'Judge Ford said: "There was absolutely no malicious intention."\n\nFord shares fell 3% on Monday.'
    )
    judge = by_name(doc, "Neil Ford")
    assert [m.text for m in judge.mentions] == ["Neil Ford", "Ford"]
    assert doc.quotes[0]["speaker_name"] == "Neil Ford"


def test_a_surname_the_knowledge_base_knows_as_a_body_is_the_person_the_text_names() -> None:
    # a Los Angeles Times story of the blind dev4 set: the headline's and the quotes' Bloomberg is the candidate
    doc = run(
        "As his first debate nears, Bloomberg is having to answer about his past\n\n"
        "Michael R. Bloomberg has spent millions on ads. Bloomberg said in a statement that the comments do not "
        'reflect his commitment.\n\n"Congress got involved," Bloomberg said.'
    )
    person = by_name(doc, "Michael R. Bloomberg")
    assert [m.text for m in person.mentions].count("Bloomberg") == 3
    assert not [e for e in doc.entities if e.type == "ORG" and "Bloomberg" in e.name]
    assert doc.quotes[0]["speaker_name"] == "Michael R. Bloomberg"


def test_a_countrys_body_by_its_short_name_is_that_countrys() -> None:
    # an Associated Press story of the blind dev set: the US defence secretary in Vietnam
    doc = run(
        "US Defense Secretary Mark Esper visited Hanoi on Wednesday. Later, in remarks at Vietnam’s Communist "
        "Party headquarters, Esper said the US would help."
    )
    orgs = [e.name for e in doc.entities if e.type == "ORG"]
    assert "Communist Party of Vietnam" in orgs and "Communist Party" not in orgs, orgs


def test_us_civil_society_by_its_acronyms_and_a_companys_unit() -> None:
    # an Axios story of the blind dev3 set names the ACLU by its acronym; a hospital press release of the
    # names set names GE Healthcare, a unit of General Electric, not a product of it
    doc = run(
        "Civil liberties groups like the ACLU warn that the cameras threaten students' privacy. The deal expands "
        "the relationship between GE Healthcare and Ascom, and GE shares rose 2% on the news."
    )
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert {"American Civil Liberties Union", "GE Healthcare"} <= orgs, orgs


def test_a_name_ends_in_no_conjunction_and_no_address_is_a_body() -> None:
    # a City Limits page of the blind dev4 set: spaCy's organisations "Civic Discourse and" (a credit line cut
    # off) and "NYCHA@citylimits.org This" (a contact address with no stop after it)
    sp = nlp.parse("emailing NYCHA@citylimits.org This project was backed by the Civic Discourse and", "en")
    words = [t.text for t in sp]
    cut = _trim(sp, Candidate(words.index("Civic"), len(sp), "ORG"))
    assert cut is not None and sp[cut.start : cut.end].text == "Civic Discourse"
    assert _trim(sp, Candidate(1, 3, "ORG")) is None


def test_irish_offices_are_roles_not_part_of_the_name() -> None:
    # Cork Beo's live blog (blind dev4 set)
    doc = run("Last night Tanaiste Leo Varadkar made a strong claim on RTE about the plan.")
    assert by_name(doc, "Leo Varadkar").type == "PERSON"


def test_two_given_names_before_one_surname_are_two_people() -> None:
    # a Los Angeles Times story of the blind dev4 set; a Boston Herald one of dev3 ("Han Lee and Junmyung Lee")
    doc = run("“It is a big risk,” said Paul Begala, who was a longtime advisor to Bill and Hillary Clinton.")
    assert {"Bill Clinton", "Hillary Clinton"} <= {e.name for e in doc.entities if e.type == "PERSON"}
    doc = run("Han Lee and Junmyung Lee were arraigned in Boston on Wednesday, according to prosecutors.")
    assert "Lee Lee" not in {e.name for e in doc.entities}


def test_a_known_body_before_an_event_word_names_the_event_not_the_body() -> None:
    # a tennis report of the blind names_dev set; the sports teams of kb/sports.tsv (a game report of dev4)
    doc = run("Thiem reached the ATP Finals in London. The Sixers beat the Celtics 106-103 with 13 rebounds.")
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert "Association of Tennis Professionals" not in orgs, orgs
    assert "Boston Celtics" in orgs, orgs


def test_a_disease_is_no_organisation() -> None:
    # a Nation News (Barbados) story of the blind dev4 set
    doc = run(
        "Schools safe amidst surge\n\nThe Ministry of Education said it was satisfied children can safely continue "
        "to attend classes, even as Barbados continues to deal with a surge in COVID-19 cases."
    )
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert "COVID-19" not in orgs and "Ministry of Education" in orgs, orgs
