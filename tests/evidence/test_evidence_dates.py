"""Dates: absolute and relative expressions, English and Spanish, resolved to days and periods."""

from __future__ import annotations

import datetime as dt

import pytest

from corridor.evidence.dates import dateline, find_dates, parse_published

WED = dt.date(2023, 12, 27)  # a Wednesday


def first(text: str, pub: dt.date | None = WED):
    hits = find_dates(text, pub)
    assert hits, text
    return hits[0]


@pytest.mark.parametrize(("text", "day"), [
    ("who started their journey last Sunday", dt.date(2023, 12, 24)),
    ("which left on Christmas Eve", dt.date(2023, 12, 24)),
    ("CBP on Tuesday announced", dt.date(2023, 12, 26)),
    ("met this Wednesday", WED),
    ("next Thursday the group", dt.date(2023, 12, 28)),
    ("yesterday", dt.date(2023, 12, 26)),
    ("ayer llegaron", dt.date(2023, 12, 26)),
    ("el pasado martes", dt.date(2023, 12, 26)),
    ("el domingo pasado", dt.date(2023, 12, 24)),
    ("el próximo jueves", dt.date(2023, 12, 28)),
    ("en Nochebuena", dt.date(2023, 12, 24)),
    ("January 17, 2021", dt.date(2021, 1, 17)),
    ("17 de enero de 2021", dt.date(2021, 1, 17)),
    ("2021-01-20", dt.date(2021, 1, 20)),
])
def test_days(text: str, day: dt.date) -> None:
    t = first(text)
    assert t.date == day
    assert not t.is_period


@pytest.mark.parametrize(("text", "low", "high"), [
    ("this week", dt.date(2023, 12, 25), WED),
    ("esta semana", dt.date(2023, 12, 25), WED),
    ("last week", dt.date(2023, 12, 18), dt.date(2023, 12, 24)),
    ("la semana pasada", dt.date(2023, 12, 18), dt.date(2023, 12, 24)),
    ("this month", dt.date(2023, 12, 1), WED),
    ("from January to November", dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
    ("between January and November", dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
    ("de enero a noviembre", dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
    ("in 11 months of 2023", dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
    ("in the first eleven months of 2023", dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
    ("en los primeros once meses de 2023", dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
    ("Trump said in April", dt.date(2023, 4, 1), dt.date(2023, 4, 30)),
    ("en abril de 2018", dt.date(2018, 4, 1), dt.date(2018, 4, 30)),
])
def test_periods(text: str, low: dt.date, high: dt.date) -> None:
    t = first(text)
    assert (t.low, t.high) == (low, high)
    assert t.date == high  # a period's date is its last day


def test_relative_needs_publication_date() -> None:
    assert find_dates("last Sunday", None) == []
    assert first("January 17, 2021", None).date == dt.date(2021, 1, 17)


def test_dateline_and_published_option() -> None:
    assert dateline(" date 2021-01-20 Mexico’s immigration officials") == dt.date(2021, 1, 20)
    assert dateline("Mexico’s immigration officials") is None
    assert parse_published("20 de enero de 2021") == dt.date(2021, 1, 20)
    assert parse_published("January 20, 2021") == dt.date(2021, 1, 20)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("they may go north", WED) == []
