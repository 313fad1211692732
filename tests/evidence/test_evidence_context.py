"""Article-level reading (issue 11): a count placed where the article last put the caravan, counts
in apposition, a venue's town, glued sentences and saved-copy labels. Short articles written for
these tests."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text
from corridor.evidence.text import sentences

WED = dt.date(2018, 10, 24)  # a Wednesday


def got(text: str, pub: dt.date | None = WED) -> set[tuple[str, str, str, object, object]]:
    return {(o.kind, o.place, o.date, o.low, o.high) for o in extract_text(text, published=pub)
            if o.confidence >= 0.5}


def test_count_in_apposition_with_two_sources_at_the_caravans_last_place() -> None:
    text = ("La caravana de migrantes reanudó esta madrugada su marcha desde Huixtla rumbo a "
            "Mapastepec.\n"
            "Los migrantes, unos 4.500 según las autoridades y 7.500 según los organizadores, "
            "todavía no saben cuál será su destino.")
    rows = got(text)
    assert ("departed", "Huixtla", "2018-10-24", None, None) in rows  # "esta madrugada": today
    assert ("caravan_size", "Huixtla", "2018-10-24", 4450.0, 4550.0) in rows
    assert ("caravan_size", "Huixtla", "2018-10-24", 7500.0, 7500.0) in rows


def test_a_back_story_departure_does_not_move_the_caravan() -> None:
    text = ("The caravan camped in Huixtla on Tuesday.\n"
            "It had left San Pedro Sula on Oct. 13.\n"
            "The migrants, about 5,000, are tired.")
    rows = got(text)
    assert ("caravan_size", "Huixtla", "2018-10-24", 4500.0, 5500.0) in rows
    assert not any(r[0] == "caravan_size" and r[1] == "San Pedro Sula" for r in rows)


def test_no_caravan_place_no_count() -> None:
    # nothing in the article says where the caravan is: the count stays under the threshold
    assert not any(r[0] == "caravan_size" for r in got("The migrants, about 5,000, are tired."))


def test_a_kind_of_place_or_a_venue_takes_the_role_of_the_words_before_it() -> None:
    assert got("Members of the caravan arrive at the municipality of Matías Romero, in the "
               "state of Oaxaca, on Monday.") == {
        ("arrived", "Matías Romero", "2018-10-22", None, None)}
    assert ("arrived", "Tapachula", "2018-10-21", None, None) in got(
        "El primer grupo de la caravana arribó el domingo al parque central de Tapachula.")
    # a venue named after a person is not that town ("Unidad Deportiva Benito Juárez")
    assert not any(r[1] for r in got("Unos 400 migrantes llegaron a la Unidad Deportiva Benito "
                                     "Juárez el martes."))


def test_last_night_is_yesterday() -> None:
    assert ("halted", "Tapanatepec", "2018-10-23", None, None) in got(
        "La caravana se detuvo anoche en Tapanatepec.")


def test_sentences_glued_by_a_lost_space() -> None:
    got_ = [s.text for s in sentences("Había 2 mil 966 en un sitio para 3 mil.Se preveía que "
                                      "llegaran. Viajan a EE.UU. El lunes. Visit elpais.com.")]
    assert got_ == ["Había 2 mil 966 en un sitio para 3 mil.", "Se preveía que llegaran.",
                    "Viajan a EE.UU. El lunes.", "Visit elpais.com."]


def test_a_saved_copys_date_label_before_the_dateline() -> None:
    text = "Caravana\nEl Diario\n\n date 2018-11 Tijuana— Unos 400 migrantes llegaron el martes."
    assert ("arrived", "Tijuana", "2018-10-23", 360.0, 440.0) in got(text)


def test_a_state_introduced_by_en_el_estado_de_qualifies_the_town() -> None:
    rows = got("La caravana, integrada por más de 7.000 personas, suspendió este domingo su "
               "salida desde San Pedro Tapanatepec, en el sureño estado de Oaxaca.", dt.date(
                   2018, 10, 28))
    assert rows == {("halted", "San Pedro Tapanatepec", "2018-10-28", 7000.0, 8000.0)}


def test_institution_names_people_and_residents_are_not_places_or_counts() -> None:
    # "La Guardia" (a town) inside "La Guardia Nacional"
    rows = got("La Guardia Nacional frenó al grupo de 800 integrantes de la caravana el martes "
               "en Tapachula.")
    assert {r[1] for r in rows} == {"Tapachula"}
    # a surname speaking is not the town of that name
    assert not any(r[1] == "Guzmán" for r in got("Guzmán informó que la caravana salió de "
                                                 "Tapachula el martes."))
    # where a man comes from, and what he left behind, are not the caravan's departure
    assert got("Jose Cruz, a 33-year-old autoworker from Comayagua, Honduras, who left behind "
               "two children, joined the caravan.") == set()
    # the people who live in a town are not migrants who came
    assert got("Donají cuenta con una población de mil 300 personas y la caravana llegó el "
               "martes.") == {("arrived", "Donají", "2018-10-23", None, None)}


def test_set_out_for_a_place_is_not_leaving_it() -> None:
    rows = got("The migrants began walking before dawn Sunday for Irapuato.")
    assert not any(r[0] == "departed" and r[1] == "Irapuato" for r in rows)


def test_a_border_in_a_report_filed_from_a_border_town_is_that_town() -> None:
    pub = dt.date(2020, 1, 22)
    assert got("TECUN UMAN, Guatemala (AP) — The migrants stuck at the Guatemala-Mexico border "
               "rested Wednesday.", pub) == {("halted", "TECUN UMAN", "2020-01-22", None, None)}
    # a report filed far from that border keeps the border
    assert got("MEXICO CITY (AP) — The migrants stuck at the Guatemala-Mexico border rested "
               "Wednesday.", pub) == {
        ("halted", "Guatemala-Mexico border", "2020-01-22", None, None)}


def test_a_photo_caption_places_the_people_it_shows() -> None:
    rows = got("Hondurans march in a caravan of migrants moving toward the border, in Tecun Uman, "
               "Guatemala, Monday, Oct. 15, 2018.")
    assert rows == {("position", "Tecun Uman", "2018-10-15", None, None)}  # the written date
    assert got("Migrantes descansan en un parque, en Huixtla, Chiapas, el 23 de octubre de "
               "2018.") == {("halted", "Huixtla", "2018-10-23", None, None)}


def test_a_departure_from_a_country() -> None:
    assert ("departed", "Honduras", "2021-01-15", None, None) in got(
        "The caravan, which departed Honduras on Friday, is held up in Vado Hondo.",
        dt.date(2021, 1, 20))


def test_a_count_with_no_kind_word_takes_the_movement_verb_of_its_clause() -> None:
    assert ("halted", "Huixtla", "2018-10-22", 2000, 9999) in got(
        "Thousands of Central American migrants rested Monday in Huixtla.")


def test_where_they_rested_is_the_place_just_named() -> None:
    text = ("La caravana salió de Tapachula el lunes.\n"
            "Los migrantes de la caravana llegaron al ejido de Álvaro Obregón, donde descansaron "
            "el martes.")
    rows = got(text)
    assert ("halted", "Álvaro Obregón", "2018-10-23", None, None) in rows


def test_crossing_spending_the_night_and_being_held_up() -> None:
    pub = dt.date(2021, 1, 20)
    assert ("arrived", "Río Suchiate", "2021-01-20", None, None) in got(
        "Los migrantes cruzaron hoy por el Río Suchiate.", pub)
    assert ("position", "Ocotepeque", "2021-01-19", None, None) in got(
        "El grueso de los migrantes pasó la noche del martes en Ocotepeque.", pub)
    assert ("halted", "Vado Hondo", "2021-01-16", None, None) in got(
        "The caravan has been held up since Saturday at Vado Hondo.", pub)


def test_where_a_caravan_is_going_is_not_where_it_is() -> None:
    rows = got("La caravana, compuesta por aproximadamente 1,500 personas, ingresó el martes al "
               "estado de Oaxaca en su travesía hacia Estados Unidos.")
    assert rows == {("arrived", "Oaxaca", "2018-10-23", 1450.0, 1550.0)}
    assert not any(r[1] == "U.S." for r in got(
        "About 3,000 migrants rested in Huixtla on their journey to the U.S. on Monday."))


def test_a_holiday_without_a_year_is_the_nearest_one() -> None:
    from corridor.evidence.dates import find_dates

    assert [t.date for t in find_dates("pasarán la Navidad", dt.date(2023, 12, 24))] == [
        dt.date(2023, 12, 25)]
    assert [t.date for t in find_dates("on Christmas Eve", dt.date(2024, 1, 3))] == [
        dt.date(2023, 12, 24)]


def test_two_days_bounding_a_period_date_a_count_by_its_last_day() -> None:
    from corridor.evidence.dates import find_dates

    pub = dt.date(2020, 1, 29)
    for text in ("deported between January 18 and January 27", "from Jan. 18 to Jan. 27",
                 "desde el 18 de enero hasta el lunes 27"):
        (t,) = find_dates(text, pub)
        assert (t.low, t.date) == (dt.date(2020, 1, 18), dt.date(2020, 1, 27)), text
    assert len(find_dates("on Jan. 18 and on Jan. 27", pub)) == 2  # two days, not a period


def test_what_left_people_stranded_or_kept_them_from_leaving_is_no_departure() -> None:
    assert not any(r[0] == "departed" for r in got(
        "Policies that left hundreds of thousands of migrants stranded in camps in Tijuana were "
        "lifted on Monday."))
    assert not any(r[0] == "departed" for r in got(
        "He blamed Honduras for not stopping the caravan from leaving San Pedro Sula on Monday."))
    assert not any(r[0] == "departed" for r in got(
        "Las autoridades abandonaron a los migrantes en Huixtla el lunes."))
    assert ("departed", "Tapachula", "2018-10-22", None, None) in got(
        "Los migrantes de la caravana abandonaron Tapachula el lunes.")


def test_a_range_of_years_is_no_count() -> None:
    assert not any(r[3] == 2017 for r in got(
        "Between 2017 and 2021 the caravans left Tapachula every year."))


def test_the_breakdown_of_a_total_is_not_three_facts() -> None:
    rows = got("Después, 821 hondureños, 38 guatemaltecos, 19 salvadoreños y tres nicaragüenses "
               "llegaron el martes a Tapachula.")
    assert {r[3] for r in rows} == {None}  # the arrival stays, the parts do not
    rows = got("Unos 300 hondureños y 200 guatemaltecos llegaron el martes a Tapachula.")
    assert {r[3] for r in rows} == {270.0, 200.0}  # two counts are two facts


def test_trying_to_reach_a_country_or_bound_for_it_is_not_being_there() -> None:
    assert got("Security forces on Monday broke up a caravan of about 4,000 Honduran migrants "
               "trying to reach the US.") == set()  # no place of its own, none in the article
    assert got("Hundreds of Central Americans in a US-bound migrant caravan were stuck in Tecun "
               "Uman on Saturday.") == {("halted", "Tecun Uman", "2018-10-20", 200, 999)}


def test_where_most_come_from_is_a_nationality_also_after_de() -> None:
    assert got("La caravana, conformada por unos 1.500 migrantes procedentes en su mayoría de "
               "Haití, llegó el lunes a Juchitán.") == {
        ("arrived", "Juchitán", "2018-10-22", 1450.0, 1550.0)}


def test_a_count_of_caravans_is_not_a_count_of_people() -> None:
    rows = got("Authorities have dispersed two small caravans of migrants in Tapachula on "
               "Saturday.")
    assert rows == {("dispersed", "Tapachula", "2018-10-20", None, None)}


def test_days_and_weeks_ago() -> None:
    from corridor.evidence.dates import find_dates

    pub = dt.date(2024, 11, 25)
    for text, day in (("Hace apenas 1 semana llegaron", 18), ("two days ago", 23),
                      ("hace tres días", 22), ("a week ago", 18)):
        assert [t.date for t in find_dates(text, pub)] == [dt.date(2024, 11, day)], text
    assert ("arrived", "San Pedro Tapanatepec", "2024-11-18", 1600.0, 1700.0) in got(
        "Hace apenas 1 semana, al menos mil 600 migrantes llegaron a San Pedro Tapanatepec.", pub)


def test_this_weekday_after_publication_is_the_last_one() -> None:
    from corridor.evidence.dates import find_dates

    monday = dt.date(2024, 11, 25)
    assert [t.date for t in find_dates("apenas este domingo", monday)] == [dt.date(2024, 11, 24)]
    assert [t.date for t in find_dates("este lunes", monday)] == [monday]


def test_what_was_expected_did_not_happen_yet() -> None:
    assert not any(r[0] == "arrived" for r in got(
        "Se preveía que arribaran a Tijuana otros mil 100 centroamericanos el miércoles."))


def test_central_america_is_where_people_come_from_not_where_it_happened() -> None:
    rows = got("Security forces on Monday broke up the caravan on its journey of thousands of "
               "kilometers through Central America.")
    assert not any(r[1] == "Central America" for r in rows)


def test_the_verb_whose_object_the_count_is_gives_its_kind() -> None:
    pub = dt.date(2020, 1, 27)
    assert got("Efectivos de la Guardia Nacional detuvieron el jueves con gases a unos 800 "
               "integrantes de la caravana en Tapachula.", pub) == {
        ("detained", "Tapachula", "2020-01-23", 750.0, 850.0)}
    rows = got("Las autoridades han deportado en nueve días a más de 2,000 hondureños, "
               "integrantes de la caravana, desde Tapachula.", pub)
    assert {r[0] for r in rows} == {"deported"}


def test_migrants_leaving_a_town_are_not_from_it() -> None:
    assert got("Antes de las cinco de la mañana de este viernes los migrantes salieron de Matías "
               "Romero.", dt.date(2018, 11, 2)) == {
        ("departed", "Matías Romero", "2018-11-02", None, None)}


def test_a_journey_that_began_in_a_town_departed_from_it() -> None:
    pub = dt.date(2018, 10, 16)
    assert ("departed", "San Pedro Sula", "2018-10-12", None, None) in got(
        "The caravan began Friday in San Pedro Sula, Honduras.", pub)
    assert ("arrived", "Tapachula", "2018-10-14", None, None) in got(
        "A caravan of migrants began pouring into the border city of Tapachula on Sunday.", pub)


def test_a_count_that_might_be_is_under_the_threshold() -> None:
    assert not any(r[3] for r in got("La caravana salió de Tapachula el lunes y podría superar "
                                     "las 15.000 personas."))
    assert ("deaths", "Honduras", "2018-10-24", 3320.0, 3320.0) in got(
        "En Honduras 3 mil 320 personas han muerto.")


def test_stopped_contained_intercepted() -> None:
    pub = dt.date(2020, 1, 23)
    assert ("halted", "Tapachula", "2020-01-23", None, None) in got(
        "La Guardia Nacional frenó hoy a la caravana en Tapachula.".replace("frenó", "frenaron"),
        pub)
    assert ("detained", "Frontera Hidalgo", "2020-01-23", 800.0, 800.0) in got(
        "Los agentes interceptaron hoy a 800 migrantes a la altura del municipio de Frontera "
        "Hidalgo.", pub)
    assert ("halted", "Tecun Uman", "2020-01-23", None, None) in got(
        "Migrants poured onto the bridge in Tecun Uman today, only to be halted by police.", pub)


def test_a_wire_dateline_with_a_country_in_parentheses() -> None:
    text = ("Caravana\nEFE\n\nJuchitán (México), 18 ene (EFE).- La caravana, conformada por unos "
            "1.500 migrantes, descansa hoy.")
    assert got(text, dt.date(2024, 1, 18)) == {
        ("halted", "Juchitán", "2024-01-18", 1450.0, 1550.0)}
