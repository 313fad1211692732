"""Number-less position events and the error cases of issue 11, on short articles written for
these tests in the styles of wire copy, datelines, Spanish regional papers and captions."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text

WED = dt.date(2023, 12, 27)  # a Wednesday


def got(text: str, pub: dt.date | None = WED) -> set[tuple[str, str, str, object]]:
    return {(o.kind, o.place, o.date, o.low) for o in extract_text(text, published=pub)
            if o.confidence >= 0.5}


def test_clock_time_is_not_a_caravan_of_six() -> None:
    assert got("The caravan set off at 6:00 am from Tapachula on Monday.") == {
        ("departed", "Tapachula", "2023-12-25", None)}
    assert got("Los migrantes salieron a las 4 de la mañana de Tapachula el lunes.") == {
        ("departed", "Tapachula", "2023-12-25", None)}


def test_nationality_is_not_where_it_happened() -> None:
    rows = got("The caravan, mostly from Haiti and Venezuela, reached Huixtla on Thursday.")
    assert rows == {("arrived", "Huixtla", "2023-12-21", None)}


def test_dateline_town_only_when_the_sentence_has_no_place() -> None:
    text = ("HUIXTLA, Mexico (AP) — Thousands who left Tapachula on Sunday kept walking "
            "on Tuesday.")
    rows = got(text)
    assert ("departed", "Tapachula", "2023-12-24", 2000) in rows
    assert not any(p == "HUIXTLA" for _, p, _, _ in rows)
    rows = got("HUIXTLA, Mexico (AP) — The caravan rested on Tuesday after the long walk.")
    assert rows == {("halted", "HUIXTLA", "2023-12-26", None)}


def test_arrival_on_a_weekday_without_number() -> None:
    assert got("After a week on the road, the migrant caravan arrived in Mapastepec on "
               "Thursday.") == {("arrived", "Mapastepec", "2023-12-21", None)}


def test_handed_over_to_immigration_and_dissolved() -> None:
    text = ("MAPASTEPEC, Chiapas.- La caravana se disolvió este martes en Mapastepec y los "
            "migrantes fueron subidos a autobuses del INM.")
    rows = got(text)
    assert ("dispersed", "Mapastepec", "2023-12-26", None) in rows
    assert ("transported", "Mapastepec", "2023-12-26", None) in rows
    rows = got("On Tuesday the migrants handed themselves over to immigration agents in "
               "Escuintla.")
    assert rows == {("transported", "Escuintla", "2023-12-26", None)}


def test_places_joined_share_the_verb() -> None:
    rows = got("El jueves, los migrantes caminaron por Villa Comaltitlán y Escuintla.")
    assert rows == {("position", "Villa Comaltitlán", "2023-12-21", None),
                    ("position", "Escuintla", "2023-12-21", None)}


def test_plans_hopes_and_negations_are_not_events() -> None:
    assert got("The migrants hope to reach Tijuana next month.") == set()
    assert got("Los migrantes buscan llegar a Tijuana.") == set()
    assert got("The caravan did not reach Huixtla on Monday.") == set()


def test_halt_and_turn_back() -> None:
    rows = got("The group stopped to rest in Huixtla on Monday, and dozens turned back "
               "to Honduras.")
    assert ("halted", "Huixtla", "2023-12-25", None) in rows
    assert any(k == "returned" and p == "Honduras" for k, p, _, _ in rows)


def test_restatements_in_one_article_are_one_fact() -> None:
    text = ("Caravan arrives in Huixtla\n"
            "The migrant caravan arrived in Huixtla on Tuesday. Activists said the caravan "
            "arrived in Huixtla in the afternoon.")
    rows = [o for o in extract_text(text, published=WED) if o.confidence >= 0.5]
    assert [(o.kind, o.place) for o in rows] == [("arrived", "Huixtla")]


def test_ages_phone_numbers_and_money_are_not_people() -> None:
    text = ("Maria, 34, a mother of two, said 300 migrants arrived in Tapachula on Monday. "
            "Call 555-123-4567 for the shelter. Smugglers charged $4,000 in Tapachula.")
    nums = {o.low for o in extract_text(text, published=WED) if o.low is not None}
    assert nums == {300}


def test_number_words_and_hedges_in_a_tweet_embedded_in_text() -> None:
    text = ("Officials posted on social media: “Unos tres mil migrantes llegaron hoy a "
            "Huixtla, Chiapas” — INM (@INAMI_mx) December 27, 2023")
    rows = got(text)
    assert ("arrived", "Huixtla", "2023-12-27", 2700) in rows


def test_migrants_from_a_country_left_from_the_dateline_town() -> None:
    text = ("TAPACHULA, Mexico (Wire) — Several thousand migrants from Venezuela set out from "
            "southern Mexico on Monday.")
    rows = got(text)
    assert rows == {("departed", "TAPACHULA", "2023-12-25", 3000)}
