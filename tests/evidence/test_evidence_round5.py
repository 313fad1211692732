"""Issue 11, fifth round: rules found on the DEV split's errors (86 texts this time): caravan
moves placed in a whole country are left under the default threshold (the US is a goal; a
departure "from Honduras" names the origin, not the town), Spanish participles, gerunds and
enclitics of dispersal, "sent … back home", "walked 15 km from Tapachula" and "salieron el
lunes de Tapachula", and photo gallery counters ("2 of 12 Honduran migrants rest …"). Every
article here was written for its test."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text

TUE = dt.date(2023, 12, 26)  # a Tuesday


def rows(text: str, pub: dt.date | None = TUE) -> list:
    return extract_text(text, published=pub)


def kept(text: str, pub: dt.date | None = TUE) -> set[tuple[str, str]]:
    return {(o.kind, o.place) for o in rows(text, pub) if o.confidence >= 0.5}


def test_a_caravan_is_not_placed_in_the_united_states() -> None:
    text = ("A US-bound caravan of thousands of migrants began pouring into the United States "
            "on Monday, officials said.")
    moves = [o for o in rows(text) if o.country == "USA"]
    assert moves, "the row is still extracted, with a low confidence"
    assert all(o.confidence < 0.5 for o in moves)
    # a US town on the border stays: caravans do reach the border
    assert ("arrived", "Tijuana") in kept("The caravan arrived in Tijuana on Monday.")


def test_a_departure_from_a_country_is_doubtful_but_a_town_is_not() -> None:
    # (from a Central American country where caravans form it stays: test_evidence_context)
    text = "Unos 300 migrantes salieron el lunes desde el sur de México en caravana."
    deps = [o for o in rows(text) if o.kind == "departed"]
    assert deps and all(o.confidence < 0.5 for o in deps if o.place_id.startswith("country:"))
    assert ("departed", "San Pedro Sula") in kept(
        "Unos 300 migrantes salieron el lunes desde San Pedro Sula en caravana.")
    # returns to a country are not touched: that is where they happen
    assert any(o.kind in ("returned", "deported") and o.place == "Honduras" for o in rows(
        "Guatemala deportó el lunes a 500 migrantes a Honduras.") if o.confidence >= 0.5)


def test_spanish_dispersal_participles_and_gerunds() -> None:
    assert ("dispersed", "Huixtla") in kept("Los migrantes fueron dispersados el lunes en "
                                            "Huixtla.")
    assert ("dispersed", "Huixtla") in kept("El lunes en Huixtla los migrantes "
                                            "terminaron dispersándose por la zona.")
    assert ("dispersed", "Huixtla") in kept("La caravana quedó disuelta el lunes en Huixtla.")


def test_walked_from_a_town_is_a_departure() -> None:
    assert ("departed", "Huixtla") in kept("Los migrantes caminaron 30 kilómetros desde "
                                           "Huixtla el lunes.")
    # walking through a town is a position, not a departure
    got = kept("The migrants walked through Escuintla on Monday.")
    assert not any(k == "departed" for k, _ in got)


def test_a_count_that_left_on_a_day_from_a_town_is_placed_there() -> None:
    # a day between the verb and "de Tapachula" used to hide the origin from the count
    got = {(o.kind, o.place, o.low) for o in rows("Unos 2,500 migrantes salieron el lunes de "
                                                  "Tapachula.") if o.confidence >= 0.5}
    assert ("departed", "Tapachula", 2450.0) in got
    # "de" after a noun is still "of": the size of the caravan of Tapachula is not a departure
    assert not any(o.kind == "departed" for o in rows("La caravana de Tapachula tiene 2,500 "
                                                      "migrantes."))


def test_a_photo_gallery_counter_is_not_a_count() -> None:
    caption = ("3 of 12 Honduran migrants rest at a roadblock on the highway in Vado Hondo, "
               "Guatemala, Monday, Jan. 18, 2021.")
    got = rows(caption, dt.date(2021, 1, 19))
    assert got and all(o.low is None for o in got)  # the halt stays, with no number
    assert all(o.low is None for o in rows("5 de 12 Migrantes descansan en Huixtla, Chiapas, "
                                           "el lunes 18 de enero de 2021.", dt.date(2021, 1, 19)))
    # a share of a group written the same way is a count
    assert any(o.low == 12.0 for o in rows("12 of 40 migrants were detained in Tapachula on "
                                           "Monday."))
