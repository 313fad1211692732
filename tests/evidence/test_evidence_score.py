"""Scoring rules: kind aliases, place ids vs names, ±1 day, overlapping ranges, one-to-one."""

from __future__ import annotations

from corridor.evidence.score import matches, score


def row(**kw: str) -> dict[str, str]:
    base = {"date": "2023-12-27", "place": "Escuintla", "place_id": "geonames:3527768",
            "kind": "position", "low": "5500", "high": "6500", "source": "a.txt"}
    base.update(kw)
    return base


def test_match_rules() -> None:
    g = row()
    assert matches(row(date="2023-12-28"), g) == 1
    assert matches(row(date="2023-12-29"), g) is None
    assert matches(row(low="6400", high="7000"), g) == 0
    assert matches(row(low="7000", high="8000"), g) is None
    assert matches(row(place_id="geonames:3595803"), g) is None  # Escuintla, Guatemala
    assert matches(row(place_id="", place="escuintla"), g) == 0  # name fallback
    assert matches(row(kind="deported"), row(kind="returned")) == 0
    assert matches(row(source="b.html"), g) is None


def test_one_to_one_and_counts() -> None:
    gold = [row(), row(kind="departed", place="Tapachula", place_id="geonames:3516266")]
    pred = [row(), row(), row(kind="detained")]
    rep = score(pred, gold)
    assert (rep.overall.tp, rep.overall.fp, rep.overall.fn) == (1, 2, 1)
    assert rep.per_kind["position"].precision == 0.5
    assert rep.per_kind["departed"].recall == 0.0
    assert len(rep.misses) == 1 and len(rep.false_hits) == 2
