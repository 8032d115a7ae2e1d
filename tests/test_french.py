"""French, the second language: the French model's parse (its WikiNER labels as OntoNotes ones), the layers
reading lexicons/fr/ through the language axis (``lexicons.reading``), times in French word order, numbers
as French writes them, speakers of French incises, and French country names on the gazetteer's countries.
The blind figures are bench/blind/fr_dev and fr_test (``newsgraph eval``)."""

from __future__ import annotations

import pytest

from newsgraph import lexicons, nlp
from newsgraph.document import Document
from newsgraph.layers import Layer, LayerError

from .helpers import analyzed_in, times_by_text

# a wire story's lead as the French press writes it
FRENCH = (
    "Les troupes américaines resteront en Irak\n\n"
    "Le ministre de la Défense a déclaré jeudi que 2 500 soldats américains resteraient stationnés en Irak,"
    " malgré la fin officielle de la mission de combat. « Nous ne partons pas », a-t-il affirmé lors d'une"
    " conférence de presse à Bagdad."
)


def french(text: str, published: str = "2021-12-09") -> Document:
    return analyzed_in("fr", text, published)


times = times_by_text


def test_a_french_article_is_read_by_every_layer_but_events() -> None:
    doc = french(FRENCH)
    assert [s["layer"] for s in doc.meta.skipped] == ["events"]
    assert "this layer reads en" in doc.meta.skipped[0]["reason"]
    assert times(doc) == {"jeudi": "2021-12-09"}  # published on a Thursday, "a déclaré jeudi": that day
    assert [(q["value"], q["noun"]) for q in doc.quantities] == [(2500, "soldats")]
    places = {(p["text"], p["name"], p["country"]) for p in doc.places}
    assert places == {("Irak", "Iraq", "IQ"), ("Bagdad", "Baghdad", "IQ")}  # the gazetteer's English names
    iraq = next(e for e in doc.entities if e.type == "GPE" and e.country == "IQ")
    assert iraq.wikidata == "Q796"  # the same entity as the English articles' Iraq
    assert "Nous ne partons pas" in [q["text"] for q in doc.quotes]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("L'usine a fermé l'an dernier, a-t-il rappelé.", {"l'an dernier": "2020"}),
        ("Il y a deux ans, le maire avait promis un tramway.", {"Il y a deux ans": "2019"}),
        ("Le vote aura lieu le 31 décembre prochain à Paris.", {"31 décembre prochain": "2021-12-31"}),
        ("La loi a été votée le 21 juin 2019 par les députés.", {"21 juin 2019": "2019-06-21"}),
        ("Le sommet s'est tenu vendredi dernier à Bruxelles.", {"vendredi dernier": "2021-12-03"}),
        ("Les prix ont flambé ces derniers jours en Europe.", {"ces derniers jours": "PAST_REF"}),
        ("Le chantier avait commencé en septembre 2020 selon la mairie.", {"septembre 2020": "2020-09"}),
        ("Le ministre a démissionné hier soir après le scandale.", {"hier soir": "2021-12-08TEV"}),
        ("Les négociations reprendront la semaine prochaine à Genève.", {"la semaine prochaine": "2021-W50"}),
    ],
)
def test_french_times_are_read_in_french_word_order(sentence: str, expected: dict[str, str]) -> None:
    assert times(french(f"Actualité du jour en France\n\n{sentence} Le gouvernement n'a pas commenté.")) == expected


def test_french_numbers_have_a_decimal_comma_and_thousands_grouped_by_spaces() -> None:
    doc = french(
        "Le bilan des trottinettes à Montréal\n\n"
        "Les opérateurs ont enregistré 365 000 déplacements l'an dernier, et 23,5 % des usagers ont reçu un"
        " constat d'infraction. La Ville a délivré 333 constats, a précisé le service de police."
    )
    found = {q["text"]: q["value"] for q in doc.quantities}
    assert found["365 000 déplacements"] == 365000
    assert found["23,5 %"] == 23.5
    assert found["333 constats"] == 333


def test_the_speaker_of_a_french_incise_is_after_its_verb() -> None:
    doc = french(
        "Trottinettes : la fin du libre-service à Montréal\n\n"
        "Le responsable de la mobilité, Éric Alan Caldwell, a présenté le bilan mercredi. « Notre règlement n'a"
        " pas été respecté », a déclaré M. Caldwell. « Les opérateurs ne se sont pas ajustés », a-t-il ajouté."
    )
    speakers = {q["text"]: q["speaker_name"] for q in doc.quotes}
    assert speakers["Notre règlement n'a pas été respecté"] == "Éric Alan Caldwell"
    assert speakers["Les opérateurs ne se sont pas ajustés"] == "Éric Alan Caldwell"  # "-il": the last speaker


def test_incises_inside_the_quote_and_unlemmatised_verbs_name_the_speaker() -> None:
    doc = french(
        "Paris-8 en grève\n\n"
        "La précarité est prégnante à Paris-8, comme nous le raconte Antoine Dupont, chargé de cours en sociologie."
        " « Je suis très inquiet pour mon avenir, glisse-t-il lorsqu’on le croise. J’avais un contrat de trois"
        " mois. »\n\n"
        "Les convergences sont grandes. « Il faut penser ensemble les moyens d’agir », glisse Zineb, étudiante en"
        " littérature.\n\n"
        "Elle vit la mobilisation. « Ce qu’on nous annonce, c’est la fin de l’université, soupire Camille Martin,"
        " étudiante en lettres. »"
    )
    speakers = {q["text"][:20]: q["speaker_name"] for q in doc.quotes if q["kind"] == "direct"}
    assert speakers["Je suis très inquiet"] == "Antoine Dupont"  # "glisse-t-il" inside the marks
    assert speakers["Il faut penser ensem"] == "Zineb"  # "glisse", left unlemmatised: a name after it
    assert speakers["Ce qu’on nous annonc"] == "Camille Martin"  # "soupire", read as a noun, inside the marks


def test_the_subject_after_a_root_verb_and_its_complement_speaks() -> None:
    doc = french(
        "Grève\n\nLa CGT a répondu au gouvernement. « Nous continuerons », a affirmé ce matin Philippe Martinez"
        " devant la presse."
    )
    assert [(q["text"], q["speaker_name"]) for q in doc.quotes] == [("Nous continuerons", "Philippe Martinez")]


def test_without_the_french_model_a_french_article_is_kept_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "installed", lambda language: language == "en")
    doc = french(FRENCH)
    assert doc.text.startswith("Les troupes américaines") and not doc.entities and not doc.times
    assert {s["reason"] for s in doc.meta.skipped} == {"the 'fr' model is not installed (pip install 'newsgraph[fr]')"}


def test_the_lexicons_read_are_the_language_read_and_english_outside() -> None:
    from newsgraph.layers._support.lexicon import speech_verbs

    assert "say" in speech_verbs() and "déclarer" not in speech_verbs()
    with lexicons.reading("fr"):
        assert "déclarer" in speech_verbs() and "say" not in speech_verbs()
        assert lexicons.current() == "fr"
        assert "platforms.txt" in str(lexicons.path("platforms.txt"))  # a file French lacks is English's
    with lexicons.reading("ru"):  # no Russian lexicons: English, never a half-read folder
        assert lexicons.current() == "en"
    assert lexicons.current() == "en" and "say" in speech_verbs()


def test_french_country_names_are_aliases_of_the_gazetteers_countries() -> None:
    from newsgraph.layers._support.gazetteer import gazetteer

    for name, iso, english in [("Tunisie", "TN", "Tunisia"), ("République tchèque", "CZ", "Czech Republic")]:
        place = next(p for p in gazetteer().lookup(name) if p.kind == "country")
        assert (place.country, place.name) == (iso, english)


def test_a_layer_has_one_function_per_language_or_one_for_all() -> None:
    layer = Layer(name="probe", run={"en": lambda d, p: ["en"], "fr": lambda d, p: ["fr"]})
    assert layer.languages == ("en", "fr")
    en, fr = layer.function("en"), layer.function("fr")
    assert en is not None and fr is not None and en(None, None) == ["en"] and fr(None, None) == ["fr"]
    assert layer.function("de") is None
    with pytest.raises(LayerError, match="its languages"):
        Layer(name="probe", run={"en": lambda d, p: []}, languages=("en", "fr"))


def test_the_knowledge_base_keeps_english_country_names_when_a_french_article_is_read_first() -> None:
    # the KB is built once, at its first use: built while a French article was read, it named every country
    # as French does ("Chine") for the English articles after it
    import subprocess
    import sys

    script = (
        "from newsgraph.analysis import analyze\n"
        "analyze('« Les règles valent pour tous », a dit la ministre. La Chine proteste.', language='fr', geo=False)\n"
        'd = analyze("China\'s ambassador to Britain Liu Xiaoming said on Monday that talks had failed.", geo=False)\n'
        "print(sorted(e.name for e in d.entities if e.type == 'GPE'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['China', 'United Kingdom']"


def test_a_role_with_its_portfolio_after_an_article() -> None:
    doc = french(
        "Prague\n\nLe vice-Premier ministre et ministre de l'Intérieur Jan Hamáček avait estimé plus tôt que le"
        " ministre avait perdu toute crédibilité."
    )
    person = next(e for e in doc.entities if e.type == "PERSON")
    assert (person.name, person.role) == ("Jan Hamáček", "ministre de l'Intérieur")


def test_a_speech_verb_after_the_closing_mark_names_its_speaker_however_it_is_parsed() -> None:
    # the Bondy Blog story of the blind fr_dev2 set: the parse hangs "glisse" from a word inside the quotation
    doc = french(
        "Paris-8 en grève\n\n"
        "« Il faut penser ensemble les moyens à mettre en œuvre pour rendre cette mobilisation active et visible "
        "sans faire de victimes », glisse Zineb, étudiante en littérature française. Posée à la cafétéria de la "
        "fac avec une amie, la jeune femme s’inquiète toutefois des conséquences."
    )
    quotes = [q for q in doc.quotes if q["kind"] == "direct"]
    assert [(q["speaker_name"], q["cue"]) for q in quotes] == [("Zineb", "glisse")]
