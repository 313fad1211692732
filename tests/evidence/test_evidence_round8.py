"""Issue 11, eighth round: where an event happened, among the places of its sentence. A place a
caravan was trying to reach is its goal at any level ("buscaba llegar a la Ciudad de México",
"in their quest to reach the U.S. border"); "este martes al municipio de Huixtla" is a weekday
and a town, not "this town"; a region narrowed by a town ("the southern border of Mexico, in
Tapachula") is the town. Every article here was written for its test."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text

TUE = dt.date(2024, 3, 26)  # a Tuesday


def placed(text: str, kind: str, pub: dt.date = TUE) -> set[str]:
    return {o.place for o in extract_text(text, published=pub)
            if o.kind == kind and o.confidence >= 0.5}


def test_a_place_the_caravan_wanted_to_reach_is_not_where_it_was_dissolved() -> None:
    es = ("La Guardia Nacional disolvió este martes en Huixtla una caravana de 1.500 migrantes "
          "que buscaba llegar a la Ciudad de México.")
    assert placed(es, "dispersed") == {"Huixtla"}
    en = ("Police on Tuesday broke up a group of hundreds of migrants near Chiquimula who had "
          "camped for two nights in their quest to reach the U.S. border.")
    assert "U.S. border" not in placed(en, "dispersed")
    # an arrival is still placed where it arrived, a goal town alone is not a place
    assert placed("Unos 2.000 migrantes que buscan llegar a Tijuana llegaron el martes a "
                  "Huixtla.", "arrived") == {"Huixtla"}


def test_set_out_for_is_a_goal() -> None:
    got = placed("Honduras said 533 people who returned on Tuesday had set out for Guatemala "
                 "last week.", "deported") | placed("Honduras said 533 people who returned on "
                                                    "Tuesday had set out for Guatemala last "
                                                    "week.", "returned")
    assert "Guatemala" not in got


def test_a_weekday_before_a_town_is_not_this_town() -> None:
    text = ("TUXTLA GUTIÉRREZ.— La caravana migrante llegó este martes al municipio de Huixtla, "
            "en su segundo día de caminata.")
    assert placed(text, "arrived") == {"Huixtla"}
    # "esta ciudad" is still the dateline town
    got = placed("HUIXTLA, Chiapas.— Unos 2 mil migrantes llegaron el martes a esta ciudad "
                 "fronteriza.", "arrived")
    assert got and all("Tuxtla" not in p for p in got)
    assert {o.place_id for o in extract_text(
        "HUIXTLA, Chiapas.— Unos 2 mil migrantes llegaron el martes a esta ciudad fronteriza.",
        published=TUE) if o.kind == "arrived"} == {"geonames:3526855"}


def test_a_region_narrowed_by_a_town_is_the_town() -> None:
    en = ("A caravan of around 1,500 people set out on Tuesday from the southern border of "
          "Mexico, in Tapachula, Chiapas.")
    assert placed(en, "departed") == {"Tapachula"}
    es = ("Unos 1.500 migrantes salieron este martes de la frontera sur de México, en Ciudad "
          "Hidalgo.")
    assert placed(es, "departed") == {"Ciudad Hidalgo"}
    # a region alone stays the region
    assert placed("A caravan of 1,500 people set out on Tuesday from southern Mexico.",
                  "departed") == {"southern Mexico"}
