"""Consistency of the shipped caravan timelines and the news gold corpus (data contracts).

Why: several people add rows to these files by hand; these checks catch a row that breaks the
contract (unknown place, coordinates that disagree with the place table, a kind outside the
list, a range upside down, a gold file without its article row) before a fit or a score reads it.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARAVANS = ROOT / "data" / "caravans"
NEWS = ROOT / "tests" / "data" / "evidence" / "news"
TIMELINE_COLUMNS = ["caravan", "date", "place", "place_name", "lat", "lon", "kind", "low", "high",
                    "source", "url", "published", "note"]
TIMELINE_KINDS = {"departed", "position", "halted", "dispersed", "transported", "arrived", "size",
                  "detained", "returned", "permits_issued"}
GOLD_COLUMNS = ["date", "place", "place_id", "country", "kind", "low", "high", "unit", "caravan"]
ARTICLE_COLUMNS = ["id", "url", "outlet", "language", "published", "published_basis", "event",
                   "complete", "stored_url", "lookup"]


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _places() -> dict[str, tuple[float, float]]:
    places: dict[str, tuple[float, float]] = {}
    for path in sorted(ROOT.glob("scenarios/*/places.csv")) + [CARAVANS / "places.csv"]:
        for row in _rows(path)[1]:
            places.setdefault(row["id"], (float(row["lat"]), float(row["lon"])))
    return places


def _range_ok(low: str, high: str) -> bool:
    if not low and not high:
        return True
    if not low or not high:
        return False
    return 0 <= int(low) <= int(high)


@pytest.mark.skipif(not (CARAVANS / "timeline.csv").exists(), reason="no caravan dataset")
def test_timeline_rows_follow_the_contract() -> None:
    header, rows = _rows(CARAVANS / "timeline.csv")
    assert header == TIMELINE_COLUMNS
    places = _places()
    caravans = {r["caravan"] for r in _rows(CARAVANS / "caravans.csv")[1]}
    problems = []
    for line, row in enumerate(rows, start=2):
        where = f"timeline.csv:{line}"
        dt.date.fromisoformat(row["date"])
        if row["published"]:
            dt.date.fromisoformat(row["published"])
        if row["kind"] not in TIMELINE_KINDS:
            problems.append(f"{where}: kind {row['kind']!r}")
        if not _range_ok(row["low"], row["high"]):
            problems.append(f"{where}: low/high {row['low']!r}..{row['high']!r}")
        if row["place"] not in places:
            problems.append(f"{where}: unknown place {row['place']!r}")
        elif abs(float(row["lat"]) - places[row["place"]][0]) > 1e-4 or \
                abs(float(row["lon"]) - places[row["place"]][1]) > 1e-4:
            problems.append(f"{where}: lat/lon differ from the place table for {row['place']}")
        if row["caravan"] not in caravans:
            problems.append(f"{where}: caravan {row['caravan']!r} has no caravans.csv row")
        if not row["source"] or not row["url"] or not row["note"]:
            problems.append(f"{where}: source, url and note are required")
    keys = [(r["caravan"], r["date"]) for r in rows]
    assert keys == sorted(keys), "timeline.csv is not sorted by caravan, date"
    assert not problems, "\n".join(problems[:20])


@pytest.mark.skipif(not (NEWS / "articles.csv").exists(), reason="no news corpus")
def test_news_gold_files_match_articles() -> None:
    header, articles = _rows(NEWS / "articles.csv")
    assert header == ARTICLE_COLUMNS
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), "duplicate article ids"
    gold = {p.stem: p for p in (NEWS / "gold").glob("*.csv")}
    assert set(gold) == set(ids), f"gold files without article rows or the reverse: " \
        f"{sorted(set(gold) ^ set(ids))[:10]}"
    problems = []
    for article in articles:
        dt.date.fromisoformat(article["published"])
        if article["language"] not in {"en", "es"} or article["complete"] not in {"yes", "no"}:
            problems.append(f"articles.csv {article['id']}: language/complete")
        header, rows = _rows(gold[article["id"]])
        if header != GOLD_COLUMNS:
            problems.append(f"{article['id']}.csv: header {header}")
            continue
        for line, row in enumerate(rows, start=2):
            dt.date.fromisoformat(row["date"])
            if not _range_ok(row["low"], row["high"]):
                problems.append(f"{article['id']}.csv:{line}: low/high")
            if not row["place_id"] or ":" not in row["place_id"]:
                problems.append(f"{article['id']}.csv:{line}: place_id {row['place_id']!r}")
    assert not problems, "\n".join(problems[:20])
