"""Issue 11, fourth round: rules found on the DEV split's errors (plans in a "before" clause,
Spanish futures, "the country" after a goal, governments that counted a caravan, big cities
that share a state's name, departures by "exited"/"headed north from", present-tense removals in
headlines). Every article here was written for its test."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text

TUE = dt.date(2023, 12, 26)  # a Tuesday


def got(text: str, pub: dt.date | None = TUE) -> set[tuple[str, str, object, object]]:
    return {(o.kind, o.place, o.low, o.high) for o in extract_text(text, published=pub)
            if o.confidence >= 0.5}


def test_a_move_in_a_before_clause_has_not_happened() -> None:
    # the officials arrive later; the migrants left
    rows = got("The migrants left Huixtla on Monday, two days before the foreign minister "
               "arrives in Guatemala City for talks.")
    assert ("departed", "Huixtla", None, None) in rows
    assert not any(r[0] == "arrived" for r in rows)
    rows = got("La caravana salió de Escuintla el lunes, antes de que el canciller llegue a "
               "Tapachula.")
    assert not any(r[0] == "arrived" for r in rows)


def test_a_spanish_future_before_a_count_is_a_promise() -> None:
    rows = got("En Puebla les entregarán documentos migratorios a 800 migrantes.")
    assert not any(r[2] == 800.0 for r in rows)
    # an imperfect "eran" is a fact, not a promise
    rows = got("Eran las diez cuando 900 migrantes llegaron a Tijuana el lunes.")
    assert ("arrived", "Tijuana", 900.0, 900.0) in rows


def test_present_tense_removal_in_a_headline() -> None:
    rows = got("Guatemala deporta a 350 hondureños de la caravana")
    assert ("deported", "Guatemala", 350.0, 350.0) in rows


def test_the_country_is_not_the_goal_named_before() -> None:
    # "the country" is Mexico, where the papers let them move, not the US they head for
    text = ("The caravan left Tapachula on Monday hoping to reach the United States border. "
            "Officials said 4,200 migrants got papers to travel through the country.")
    places = {o.place for o in extract_text(text, published=TUE) if o.low == 4200.0}
    assert "the country" not in places or all(
        o.country != "USA" for o in extract_text(text, published=TUE) if o.low == 4200.0)


def test_a_government_that_counted_a_caravan_is_not_where_it_is() -> None:
    rows = got("A caravan of migrants fleeing Honduras has swelled to 3,100, according to U.S. "
               "government documents seen by reporters.")
    assert not any(r[1] in ("U.S", "U.S.", "Honduras") for r in rows)


def test_a_big_city_is_not_the_state_of_its_name() -> None:
    obs = extract_text("About 3,000 migrants gathered on Tuesday at a shelter near Mexico City's "
                       "airport.", published=TUE)
    assert [o.place_id for o in obs if o.kind == "position"] == ["geonames:3530597"]


def test_departures_by_exited_and_headed_north_from() -> None:
    rows = got("A day earlier the caravan exited Puebla on foot.")
    assert ("departed", "Puebla", None, None) in rows or any(
        r[0] == "departed" and r[1].startswith("Puebla") for r in rows)
    rows = got("Thousands of migrants were walking on Monday headed north from the city of "
               "Guadalajara.")
    assert any(r[0] == "departed" and r[1] == "Guadalajara" for r in rows)


def test_waiting_for_the_buses_is_a_halt() -> None:
    rows = got("En San Pedro Tapanatepec, Oaxaca, 300 migrantes subieron a los autobuses y "
               "los demás 900 quedaron en espera del regreso de las unidades.")
    assert ("halted", "San Pedro Tapanatepec", None, None) in rows


def test_a_state_wide_summary_gives_way_to_the_town() -> None:
    # the headline's state and the body's town are one dispersal
    text = ("Se disuelve caravana en Oaxaca\nDiario\n\nLa caravana se disolvió este martes en "
            "Juchitán tras recibir documentos.")
    rows = got(text)
    assert ("dispersed", "Juchitán", None, None) in rows
    assert not any(r[0] == "dispersed" and r[1] == "Oaxaca" for r in rows)


def test_an_agreement_that_was_reached_is_not_an_arrival() -> None:
    rows = got("In Tapachula an agreement was reached on Monday with the 2,500 migrants of the "
               "caravan.")
    assert not any(r[0] == "arrived" for r in rows)


def test_counts_under_a_plan_or_still_expected_are_not_facts() -> None:
    rows = got("Organizers said the plan was to stay in Puebla and wait for 3,000 more migrants.")
    assert not any(r[2] == 3000.0 for r in rows)
    rows = got("About 400 migrants reached Mexicali on Monday, with 2,000 more expected to "
               "arrive this week.")
    assert any(r[0] == "arrived" and r[1] == "Mexicali" and r[2] < 400 < r[3] for r in rows)
    assert not any(r[2] == 2000.0 for r in rows)


def test_a_departure_some_weeks_ago_is_not_dated_today() -> None:
    rows = got("The group set off several weeks ago from Honduras and crossed into Mexico.")
    assert not any(r[0] == "departed" for r in rows)


def test_a_road_between_two_towns_is_one_place() -> None:
    rows = got("Migrants rode on trucks on Monday on the highway between Tonalá and Arriaga.")
    assert not any(r[0] == "transported" and r[1] == "Arriaga" for r in rows)


def test_waiting_to_be_moved_is_not_a_ride() -> None:
    rows = got("La Guardia Nacional detuvo en Mapastepec a 300 migrantes que esperaban ser "
               "trasladados en autobuses.")
    assert not any(r[0] == "transported" for r in rows)


def test_english_once_is_not_eleven() -> None:
    obs = extract_text("A once proud caravan of migrants was stopped in Esquipulas on Monday.",
                       published=TUE)
    assert not any(o.low in (11.0, 12.0) for o in obs)
    # Spanish "once" still counts
    rows = got("Llegaron once migrantes a Tapachula el lunes.")
    assert ("arrived", "Tapachula", 11.0, 11.0) in rows


def test_flown_or_bused_back_is_a_return() -> None:
    rows = got("On Monday, Guatemala began busing 600 migrants who had crossed the border back "
               "to Honduras.")
    assert any(r[0] == "deported" and r[2] == 600.0 for r in rows)


def test_a_country_the_verb_cannot_take_leaves_the_dateline() -> None:
    text = ("Title\nOutlet\n\nESQUIPULAS, Guatemala (AP) — The caravan that pushed into Guatemala "
            "on Friday broke up on Monday.")
    rows = got(text)
    assert ("dispersed", "ESQUIPULAS", None, None) in rows or any(
        r[0] == "dispersed" and r[1].lower() == "esquipulas" for r in rows)


def test_the_rest_of_them_is_not_a_rest() -> None:
    rows = got("In Huixtla it was unclear where the rest of the migrants were headed.")
    assert not any(r[0] == "halted" for r in rows)


def test_a_vague_caravan_size_placed_only_by_the_dateline_is_a_scene_setter() -> None:
    text = ("Title\nOutlet\n\nHUIXTLA, Mexico (Wire) - A caravan of thousands of migrants "
            "traveling through Mexico is weighing its next steps.")
    assert not any(r[0] == "caravan_size" for r in got(text))
    # a number the sentence gives stays
    text = ("Title\nOutlet\n\nHUIXTLA, Mexico (Wire) - A caravan of about 2,000 migrants is "
            "weighing its next steps.")
    assert any(r[0] == "caravan_size" and r[2] < 2000 < r[3] for r in got(text))
