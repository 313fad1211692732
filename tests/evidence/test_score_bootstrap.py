"""The score's bootstrap interval resamples articles, not rows."""

from __future__ import annotations

import pytest

from corridor.evidence.score import bootstrap, score


def _row(article: str, place: str, day: str = "2024-01-02") -> dict[str, str]:
    return {"source": article, "date": day, "kind": "departed", "place": place, "low": "",
            "high": ""}


def test_a_perfect_score_has_no_spread() -> None:
    gold = [_row(a, "Tapachula") for a in ("a", "b", "c")]
    ci = bootstrap(score(list(gold), gold), ["a", "b", "c"], resamples=200)
    assert ci.f1 == (1.0, 1.0) and ci.precision == (1.0, 1.0) and ci.articles == 3


def test_articles_are_the_unit_and_the_interval_holds_the_estimate() -> None:
    # article a: 3 hits; b: 3 wrong places (3 false hits, 3 misses); c and d: one hit each
    gold = ([_row("a", f"P{k}") for k in range(3)] + [_row("b", f"Q{k}") for k in range(3)]
            + [_row("c", "R"), _row("d", "S")])
    pred = ([_row("a", f"P{k}") for k in range(3)] + [_row("b", f"X{k}") for k in range(3)]
            + [_row("c", "R"), _row("d", "S")])
    rep = score(pred, gold)
    assert (rep.overall.tp, rep.overall.fp, rep.overall.fn) == (5, 3, 3)
    ci = bootstrap(rep, ["a", "b", "c", "d"], resamples=4000, seed=1)
    assert ci.f1[0] < rep.overall.f1 < ci.f1[1]
    # a resample without b scores 1.0; one of b alone 0: the band reaches both ways far
    assert ci.f1[1] == pytest.approx(1.0) and ci.f1[0] < 0.35
    assert bootstrap(rep, ["a", "b", "c", "d"], resamples=4000, seed=1) == ci  # seeded
