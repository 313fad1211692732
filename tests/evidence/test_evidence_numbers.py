"""Numbers: digits, words, hedges, ranges and vague amounts in English and Spanish."""

from __future__ import annotations

import pytest

from corridor.evidence.numbers import find_quantities, hedge_range, parse_words, step


def one(text: str) -> tuple[float, float, str]:
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0].low, qs[0].high, qs[0].rule


@pytest.mark.parametrize(("text", "low", "high"), [
    ("out of the more than 9,000 that make up the caravan", 9000, 10000),
    ("2,374 already returned to Honduras", 2374, 2374),
    ("the bulk of about 6,000 are in Escuintla", 5500, 6500),
    ("up to 10,000 migrants were apprehended daily", 8000, 10000),
    ("more than 2.2 million migrants", 2_200_000, 2_300_000),
    ("2.2 million migrants", 2_150_000, 2_250_000),
    ("nearly 10,000 people", 9000, 10000),
    ("thousands of Honduran migrants", 2000, 9999),
    ("between 5,000 and 7,000 people", 5000, 7000),
    ("deployed closed to 800 agents", 750, 800),
    # Spanish
    ("más de 9.000 hondureños", 9000, 10000),
    ("unos dos mil migrantes", 1800, 2200),
    ("dos mil migrantes", 1800, 2200),
    ("alrededor de 6 mil personas", 5500, 6500),
    ("casi 10 mil personas", 9000, 10000),
    ("entre 5 mil y 7 mil personas", 5000, 7000),
    ("miles de migrantes", 2000, 9999),
    ("decenas de miles de personas", 20000, 99999),
    ("2,5 millones de personas", 2_450_000, 2_550_000),
    ("doscientos cincuenta migrantes", 250, 250),
])
def test_ranges(text: str, low: float, high: float) -> None:
    lo, hi, _ = one(text)
    assert (lo, hi) == (low, high)


def test_words_in_both_languages() -> None:
    assert parse_words("nine thousand five hundred") == 9500
    assert parse_words("twenty-five") == 25
    assert parse_words("veintitrés") == 23
    assert parse_words("tres mil cuatrocientos") == 3400
    assert parse_words("banana") is None


def test_step_rule() -> None:
    assert step(6000) == 1000
    assert step(10000) == 2000  # capped at N/5
    assert step(2_200_000) == 100_000
    assert step(2374) == 1
    assert hedge_range(4000, "more") == (4000, 4800)


def test_not_numbers() -> None:
    assert find_quantities("one of the migrants said") == []
    assert find_quantities("around 11% of its forces") == []  # percentages are not counts
    assert find_quantities("@INAMI_mx pic.twitter.com/DVhNk4kMkn") == []


def test_a_day_of_the_month_and_articles_are_not_counts() -> None:
    # issue 11, third round: "desde el pasado día 1", "a un promedio de"
    assert [q.value for q in find_quantities("Desde el pasado día 1 se promueve la caravana.")] \
        == []
    assert [q.value for q in find_quantities("ha atendido a un promedio de 40 migrantes")] == [40]
