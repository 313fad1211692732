"""Extraction of whole sentences in English, Spanish and both mixed."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.extract import extract_text

PUB = dt.date(2023, 12, 27)


def obs(text: str, pub: dt.date | None = PUB):
    return [o for o in extract_text(text, published=pub) if o.confidence >= 0.5]


def test_spanish_detained_with_relative_date() -> None:
    (o,) = obs("El pasado martes, el INM detuvo a más de 300 migrantes en Tapachula, Chiapas.")
    # "más de 300": 300 .. 300 + step, and the step of 300 is 60 (capped at N/5)
    assert (o.kind, o.low, o.high, o.date) == ("detained", 300, 360, "2023-12-26")
    assert o.place_id == "geonames:3516266" and o.actor == "INM" and o.language == "es"


def test_spanish_troops_in_words() -> None:
    (o,) = obs("La Guardia Nacional desplegó unos dos mil elementos en la frontera sur.")
    assert o.kind == "troops_deployed" and (o.low, o.high) == (1800, 2200)
    assert o.place_id == "region:border-mex-gtm" and o.unit == "troops"


def test_english_deported_yesterday() -> None:
    (o,) = obs("Guatemala deported 1,200 Hondurans to Honduras yesterday.")
    assert (o.kind, o.date, o.place_id) == ("deported", "2023-12-26", "country:HND")


def test_mixed_languages_in_one_article() -> None:
    text = ("About 3,000 migrants arrived in Huixtla on Sunday.\n"
            "Unos 500 migrantes fueron deportados a Guatemala ayer.")
    got = {(o.kind, o.language) for o in obs(text)}
    assert got == {("arrived", "en"), ("deported", "es")}


def test_period_counts() -> None:
    (o,) = obs("CBP reported 2.2 million encounters at the southwest border between January "
               "and November.")
    assert o.kind == "apprehended" and (o.date_low, o.date_high) == ("2023-01-01", "2023-11-30")


def test_without_publication_date_only_absolute_dates() -> None:
    text = ("On January 17, 2021, about 800 agents were deployed to El Ceibo. "
            "Yesterday 2,000 migrants arrived in Tapachula.")
    got = [o for o in extract_text(text, published=None) if o.date]
    assert [o.date for o in got] == ["2021-01-17"]


def test_distances_and_years_are_not_observations() -> None:
    assert obs("The caravan walked 35 kilometers in 2023.") == []
