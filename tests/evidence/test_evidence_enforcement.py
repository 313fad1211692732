"""Enforcement facts (issue 11, third round): where a removal is placed, returns, refugee
requests, migration documents, wrapped lines. Short articles written for these tests."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text
from corridor.evidence.text import clauses, fold, sentences

THU = dt.date(2020, 1, 23)  # a Thursday


def got(text: str, pub: dt.date | None = THU) -> set[tuple[str, str, object, object]]:
    return {(o.kind, o.place, o.low, o.high) for o in extract_text(text, published=pub)
            if o.confidence >= 0.5}


def test_a_removal_is_placed_where_it_was_carried_out() -> None:
    rows = got("Un total de 300 hondureños fueron deportados vía aérea desde la ciudad de "
               "Villahermosa hacia San Pedro Sula, informó el instituto.")
    assert ("deported", "Villahermosa", 300.0, 300.0) in rows
    assert not any(r[1] == "San Pedro Sula" and r[0] == "deported" for r in rows)
    rows = got("Officials said 2,100 migrants had been removed from Guatemala and returned to "
               "Honduras.")
    assert ("deported", "Guatemala", 2100.0, 2100.0) in rows


def test_the_deporting_country_is_not_a_nationality() -> None:
    # "hondureños … de México": the country they were sent from, not where they were born
    rows = got("El consulado detalló que 412 hondureños fueron deportados de México.")
    assert ("deported", "México", 412.0, 412.0) in rows


def test_a_second_count_with_its_own_verb_keeps_its_own_place() -> None:
    rows = got("Detalló que 412 hondureños fueron deportados de México y otros 37 retornaron de "
               "Guatemala por su cuenta.")
    assert ("deported", "México", 412.0, 412.0) in rows
    assert ("deported", "Guatemala", 37.0, 37.0) in rows
    assert len(clauses(fold("deportados de México y otros 37 retornaron"))) == 2


def test_a_turn_back_is_placed_where_people_went_back_to() -> None:
    # the nearer "to Mexico" is where they meant to go; "returned to" governs Guatemala
    rows = got("Another 25 migrants gave up the push to Mexico and returned to Guatemala.")
    assert ("deported", "Guatemala", 25.0, 25.0) in rows
    assert not any(r[1] == "Mexico" for r in rows)


def test_going_back_home_is_a_return() -> None:
    rows = got("En Esquipulas, Guatemala, la cifra de centroamericanos que decidieron volver a "
               "sus países es de 3 mil 112, según el instituto.")
    assert ("deported", "Esquipulas", 3112.0, 3112.0) in rows


def test_refugee_requests_are_asylum_applications() -> None:
    rows = got("In Ciudad Hidalgo, officials said 415 refugee requests were processed on "
               "Thursday.")
    assert ("asylum_applications", "Ciudad Hidalgo", 415.0, 415.0) in rows
    rows = got("En Ciudad Hidalgo, otras 380 personas han solicitado refugio ante la COMAR.")
    assert ("asylum_applications", "Ciudad Hidalgo", 380.0, 380.0) in rows


def test_migration_documents_are_permits() -> None:
    rows = got("En Huixtla, el INM entregó 4.120 Formas Migratorias Múltiples a los integrantes "
               "de la caravana.")
    assert ("permits_issued", "Huixtla", 4120.0, 4120.0) in rows
    rows = got("In Tapachula, the INM handed out 1,200 migratory documents on Thursday.")
    assert ("permits_issued", "Tapachula", 1200.0, 1200.0) in rows


def test_sent_to_a_migration_station_is_a_detention() -> None:
    rows = got("En Tapachula, 140 personas fueron remitidas a la estación migratoria.")
    assert ("detained", "Tapachula", 140.0, 140.0) in rows


def test_several_of_something_else_is_not_a_count_of_people() -> None:
    rows = got("En Tecún Umán, agentes interceptaron a 1 mil 30 en varios puestos de control.")
    assert ("detained", "Tecún Umán", 1030.0, 1030.0) in rows
    assert not any(r[2] is not None and r[2] < 10 for r in rows)
    rows = got("In Tecun Uman, several were detained on Thursday.")
    assert any(r[0] == "detained" and r[2] == 3 for r in rows)


def test_a_hard_wrapped_paragraph_is_read_as_one() -> None:
    text = ("Title\nOutlet\nEn Chiquimula, 900 hondureños ya han sido deportados a\n"
            "su país y 300 fueron remitidos a albergues para su posterior\n"
            "expulsión.\nA partir del viernes\n15 de enero llegaron.")
    sents = [s.text for s in sentences(text)]
    assert any(s.startswith("En Chiquimula") and s.endswith("expulsión.") for s in sents)
    assert "A partir del viernes" in sents  # a line that goes on with a digit stays a line
    for s in sentences(text):
        assert len(text[s.start:s.end]) == len(s.text)
    rows = got(text)
    assert ("deported", "Chiquimula", 900.0, 900.0) in rows
    assert ("detained", "Chiquimula", 300.0, 300.0) in rows


def test_the_main_verb_after_a_relative_clause_says_what_the_count_is() -> None:
    # "who left … last week" is the back-story: its verb, place and date are not the fact's
    rows = {(o.kind, o.place, o.date, o.low) for o in extract_text(
        "Un total de 2.015 salvadoreños que salieron de su país en caravana la semana pasada "
        "hacia Estados Unidos, han sido deportados en los últimos días desde Guatemala.",
        published=THU) if o.confidence >= 0.5}
    assert ("deported", "Guatemala", "2020-01-23", 2015.0) in rows
    assert not any(r[0] == "departed" and r[3] == 2015.0 for r in rows)
    # the relative clause's own verb still counts ("que fueron deportados")
    assert ("deported", "México", 305.0, 315.0) in got(
        "Unos 310 hondureños que fueron deportados de México llegaron a San Pedro Sula.")


def test_a_count_of_officers_is_a_deployment_whatever_the_nearest_verb() -> None:
    rows = {(o.kind, o.unit, o.place, o.low, o.high) for o in extract_text(
        "The caravan left San Pedro Sula on Wednesday with around 800 GN (National Guard) "
        "officers dispatched to Ciudad Hidalgo.", published=THU) if o.confidence >= 0.5}
    assert ("troops_deployed", "agents", "Ciudad Hidalgo", 750.0, 850.0) in rows
    assert not any(r[0] == "troops_deployed" and r[2] == "San Pedro Sula" for r in rows)


def test_the_size_of_a_force_in_apposition() -> None:
    rows = {(o.kind, o.unit, o.place, o.low, o.high) for o in extract_text(
        "En Vado Hondo, los soldados y la policía antimotines -- unos 620 en total -- formaron "
        "filas en la carretera.", published=THU) if o.confidence >= 0.5}
    assert ("troops_deployed", "agents", "Vado Hondo", 615.0, 625.0) in rows


def test_how_many_are_at_a_shelter_now() -> None:
    rows = got("En el albergue de Tijuana las autoridades señalaron que había 4 mil 218 personas, "
               "de las cuales mil 903 son hombres.")
    assert ("caravan_size", "Tijuana", 4218.0, 4218.0) in rows
    assert not any(r[2] == 1903.0 for r in rows)  # "de las cuales": a part of the total
    rows = got("Llegaron 180 personas más de la caravana que se había quedado varada en Mexicali, "
               "por lo que suman 3 mil 410 migrantes los que están instalados en Tijuana.")
    assert any(r[1] == "Tijuana" and r[2] == 3410.0 for r in rows)  # not where it had been
    assert not any(r[1] == "Mexicali" and r[2] == 3410.0 for r in rows)
    # "se suman otros 81": are added, not a total
    rows = got("A los 900 deportados se suman otros 75 hondureños que fueron deportados de "
               "Estados Unidos.")
    assert ("deported", "Estados Unidos", 75.0, 75.0) in rows


def test_a_group_that_has_grown_to() -> None:
    rows = got("In Ocotepeque, the group has grown to 2,350 people.")
    assert ("caravan_size", "Ocotepeque", 2350.0, 2350.0) in rows


def test_a_ride_is_placed_where_the_group_boarded() -> None:
    rows = got("Las autoridades disolvieron la caravana que llegó hasta el municipio de "
               "Escuintla, para después llevarlos en autobuses hacia la oficina migratoria en el "
               "municipio de Tapachula.")
    assert ("transported", "Escuintla", None, None) in rows
    assert ("transported", "Tapachula", None, None) not in rows


def test_places_offered_as_options_are_not_where_anything_happened() -> None:
    rows = got("En Tapanatepec, 150 migrantes subieron a los autobuses; aún no saben si serán "
               "llevados a Puebla o Tlaxcala.")
    assert not any(r[1] in ("Puebla", "Tlaxcala") for r in rows)
    assert any(r[1] == "Tapanatepec" and r[2] == 150.0 for r in rows)


def test_papers_handed_out_where_the_caravan_is() -> None:
    text = ("La caravana llegó este jueves al municipio de Huixtla.\n"
            "El Instituto Nacional de Migración (INM) ha atendido hasta hoy a un promedio de "
            "8 mil 400 migrantes.")
    rows = got(text)
    assert ("permits_issued", "Huixtla", 8400.0, 8400.0) in rows
    assert not any(r[2] == 2.0 for r in rows)  # "a un promedio": articles, not a count of 2
    # care by someone else is not papers
    rows = got("La caravana llegó este jueves a Huixtla.\n"
               "La Cruz Roja ha atendido a 230 migrantes.")
    assert not any(r[0] == "permits_issued" for r in rows)


def test_a_group_that_now_has_papers() -> None:
    rows = got("En Huixtla, el grupo de 2 mil 650 migrantes que desde el miércoles fue atendido "
               "ya tiene documentos.")
    assert ("permits_issued", "Huixtla", 2650.0, 2650.0) in rows


def test_asking_or_deciding_to_go_back_is_a_return() -> None:
    rows = got("In Huixtla, about 140 people asked the authorities for help to return to "
               "Tapachula.")
    assert ("deported", "Tapachula", 135.0, 145.0) in rows
    # one fact, not a count and a number-less event for the same return
    assert sum(r[1] == "Tapachula" for r in rows) == 1
    rows = got("En Ciudad Hidalgo, los centroamericanos decidieron regresar a Tecún Umán.")
    assert ("returned", "Tecún Umán", None, None) in rows


def test_being_part_of_the_caravan_is_not_leaving() -> None:
    rows = got("En El Florido, 512 connacionales que formaban parte de la caravana retornaban "
               "en camiones de manera voluntaria.")
    assert not any(r[0] == "departed" for r in rows)
    assert any(r[0] in ("returned", "deported") and r[2] == 512.0 for r in rows)


def test_an_operation_count_is_where_the_operation_was_told() -> None:
    text = ("Agentes de migración hicieron recorridos en Ciudad Hidalgo para detener a los "
            "migrantes.\n"
            "En asamblea, los centroamericanos discutieron qué hacer.\n"
            "El personal del Instituto Nacional de Migración detuvo a 35 hondureños.")
    assert ("detained", "Ciudad Hidalgo", 35.0, 35.0) in got(text)
    # without the operation told before: the institution's country, as before
    assert ("detained", "Mexico", 35.0, 35.0) in got(
        "El personal del Instituto Nacional de Migración detuvo a 35 hondureños.")


def test_parts_of_a_total_told_before_and_names_with_numbers() -> None:
    rows = got("En El Florido, 2 mil 40 migrantes fueron retornados.\n"
               "De los migrantes retornados, 1,310 son hombres, 544 mujeres y de 186 no se "
               "recolectó el dato.")
    assert ("deported", "El Florido", 2040.0, 2040.0) in rows
    assert not any(r[2] in (1310.0, 544.0, 186.0) for r in rows)
    # a real fact after "De los …," stays
    rows = got("De los integrantes de la caravana, 300 fueron detenidos en Tapachula.")
    assert ("detained", "Tapachula", 300.0, 300.0) in rows
    rows = got("En Tapachula, los agentes los trasladaron a la Estación Migratoria Siglo 21.")
    assert not any(r[2] == 21.0 for r in rows)
    # "Of the 10,000 who left …, the bulk of about 6,000 are in Escuintla": not a breakdown
    rows = got("Of the 9,000 migrants who set out on Sunday, the bulk of about 5,000 are in "
               "Escuintla.")
    assert any(r[1] == "Escuintla" and r[2] == 4500.0 for r in rows)


def test_a_caravan_that_stops_its_advance_is_not_detained() -> None:
    rows = got("En Tapanatepec, la caravana de unos 5 mil migrantes detuvo hoy su avance.")
    assert not any(r[0] == "detained" for r in rows)
    assert any(r[0] == "detained" for r in got("En Tapanatepec, la policía detuvo hoy a 40 "
                                                 "migrantes."))


def test_children_among_them_are_part_of_the_total() -> None:
    rows = got("In El Florido, some 2,800 people have been returned to Honduras, several hundred "
               "children among them.")
    assert not any(r[2] == 300 for r in rows)
    assert any(r[2] == 2750.0 for r in rows)


def test_a_total_told_before_and_a_because_clause() -> None:
    rows = got("A los 1.402 inmigrantes se suman otros 66 hondureños que fueron deportados de "
               "Estados Unidos.")
    assert ("deported", "Estados Unidos", 66.0, 66.0) in rows
    assert not any(r[2] == 1402.0 for r in rows)
    assert len(clauses(fold("La caravana salió de Chiapas el 24 de diciembre y ha ido "
                            "disminuyendo, debido a que cientos han optado por regresar"))) == 2


def test_hopes_of_reaching_and_a_caravan_of_another_year() -> None:
    rows = got("Hundreds of migrants started walking Thursday from San Pedro Sula, in a bid to "
               "form the kind of caravan that reached the U.S. border in 2018.")
    assert not any(r[1] == "U.S. border" for r in rows)
    assert any(r[0] == "departed" and r[1] == "San Pedro Sula" for r in rows)
    rows = got("La policía bloqueó a la caravana, que pretende llegar a la frontera con Estados "
               "Unidos, en Vado Hondo.")
    assert not any(r[1] == "frontera con Estados Unidos" for r in rows)


def test_an_expected_arrival_is_not_a_fact() -> None:
    rows = got("Se preveía que en la noche del jueves arribaran a Tijuana otros mil 250 "
               "centroamericanos.")
    assert rows == set()
    assert got("El jueves arribaron a Tijuana otros mil 250 centroamericanos.")


def test_no_caravan_of_millions_and_a_spreading_illness_is_not_a_departure() -> None:
    rows = got("In Tapachula, like over 6 million other Venezuelans, she left her country.")
    assert not any(r[2] is not None and r[2] >= 1_000_000 for r in rows)
    rows = got("Desde marzo de 2020, cuando el virus se comenzó a expandir en Honduras, miles han "
               "enfermado.")
    assert not any(r[0] == "departed" for r in rows)
    rows = got("La caravana comenzó a caminar el jueves desde San Pedro Sula.")
    assert ("departed", "San Pedro Sula", None, None) in rows
