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
