"""Scoring observations against a hand-built run folder whose right answers are known."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.observations import (
    format_score_table,
    haversine_km,
    read_observations,
    score_run,
    score_summary,
    write_score,
)
from corridor.errors import RunError

KM_PER_DEG_LAT = np.pi * 6371.0088 / 180.0  # haversine along a meridian
START = pd.Timestamp("2024-01-01")


def write_run(
    folder: Path,
    observations: list[tuple],
    *,
    head_km_north_of_p: float = 20.0,
    groups: bool = True,
) -> Path:
    """3 days, places P (15N, 92W) and Q (16N, 92W); one caravan whose head is north of P."""
    folder.mkdir(parents=True, exist_ok=True)
    d = [START + pd.Timedelta(days=i) for i in range(3)]
    pd.DataFrame(
        {
            "id": ["p", "q"],
            "name": ["P", "Q"],
            "country": ["MEX", "MEX"],
            "lat": [15.0, 16.0],
            "lon": [-92.0, -92.0],
            "kind": ["town", "destination"],
            "capacity": ["", ""],
            "source": ["t", "t"],
        }
    ).to_csv(folder / "places.csv", index=False)
    counts = pd.DataFrame(
        [
            (1, d[1], "p", "at_place", 100.0),
            (1, d[1], "p", "in_transit", 40.0),
            (1, d[1], "q", "arrived", 7.0),
            (1, d[1], "q", "detained", 3.0),
            (2, d[2], "q", "detained", 5.0),
        ],
        columns=["day", "date", "place", "status", "n"],
    ).astype({"day": np.int32})
    counts.to_parquet(folder / "counts.parquet", index=False)
    flows = pd.DataFrame(
        [(1, d[1], "p", "q", 40.0), (1, d[1], "q", "p", 2.0)],
        columns=["day", "date", "from", "to", "n"],
    ).astype({"day": np.int32})
    flows.to_parquet(folder / "flows.parquet", index=False)
    if groups:
        lat = 15.0 + head_km_north_of_p / KM_PER_DEG_LAT
        pd.DataFrame(
            [
                (1, d[1].date(), "big", "p", 10.0, lat, -92.0, 1000.0),
                (1, d[1].date(), "small", "q", 120.0, 16.0, -92.0, 50.0),
            ],
            columns=["day", "date", "group", "place", "km_from_origin", "lat", "lon", "members"],
        ).astype({"day": np.int32}).to_parquet(folder / "groups.parquet", index=False)
    summary = {"scenario": "t", "seed": 1, "days": 3, "start_date": "2024-01-01"}
    (folder / "summary.json").write_text(json.dumps(summary))
    pd.DataFrame(
        observations, columns=["date", "place", "kind", "low", "high", "source", "quote"]
    ).to_csv(folder / "observations.csv", index=False)
    return folder


def obs(date: str, place: str, kind: str, low: str = "", high: str = "") -> tuple:
    return (date, place, kind, low, high, "src", "a quote")


def score_one(tmp_path: Path, o: tuple, **kw) -> pd.Series:
    return score_run(write_run(tmp_path / "run", [o], **kw)).iloc[0]


def test_haversine_known_distance() -> None:
    assert haversine_km(15.0, -92.0, 16.0, -92.0) == pytest.approx(111.19, abs=0.01)
    assert haversine_km(0.0, 0.0, 0.0, 0.0) == 0.0


def test_position_within_30_km_passes(tmp_path: Path) -> None:
    r = score_one(tmp_path, obs("2024-01-02", "p", "position"), head_km_north_of_p=20.0)
    assert r["distance_km"] == pytest.approx(20.0, abs=1e-6)
    assert r["ok"] is True or r["ok"] == True  # noqa: E712 - pandas BooleanDtype scalar
    assert r["simulated"] == 1000.0  # the nearer caravan ("big") is the one meant
    assert "caravan big" in r["note"]


def test_position_beyond_30_km_fails(tmp_path: Path) -> None:
    r = score_one(tmp_path, obs("2024-01-02", "p", "position"), head_km_north_of_p=40.0)
    assert r["distance_km"] == pytest.approx(40.0, abs=1e-6)
    assert not r["ok"]


def test_position_threshold_is_a_parameter(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [obs("2024-01-02", "p", "position")], head_km_north_of_p=40)
    assert bool(score_run(run, max_distance_km=50.0)["ok"].iloc[0])


def test_caravan_size_range(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run",
        [
            obs("2024-01-02", "p", "caravan_size", "900", "1100"),
            obs("2024-01-02", "p", "caravan_size", "1500", "2000"),
            obs("2024-01-02", "q", "caravan_size", "40", "60"),  # the small caravan is at Q
            obs("2024-01-02", "", "caravan_size", "1040", "1060"),  # all caravans
            obs("2024-01-02", "p", "caravan_size", "", "999"),  # upper bound only
        ],
    )
    s = score_run(run)
    assert list(s["simulated"]) == [1000.0, 1000.0, 50.0, 1050.0, 1000.0]
    assert list(s["ok"]) == [True, False, True, True, False]


def test_place_counts_exclude_in_transit(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run",
        [
            obs("2024-01-02", "p", "arrived", "90", "110"),
            obs("2024-01-02", "p", "registered", "130", "150"),
            obs("2024-01-02", "", "arrived", "7", "7"),
        ],
    )
    s = score_run(run)
    assert list(s["simulated"]) == [100.0, 100.0, 7.0]  # 40 in transit not counted
    assert list(s["ok"]) == [True, False, True]


def test_departed_uses_flows(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run",
        [obs("2024-01-02", "p", "departed", "30", "50"), obs("2024-01-02", "", "departed")],
    )
    s = score_run(run)
    assert list(s["simulated"]) == [40.0, 42.0]
    assert bool(s["ok"].iloc[0]) and pd.isna(s["ok"].iloc[1])  # no range -> NA


def test_status_kinds_and_not_simulated(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run",
        [
            obs("2024-01-03", "q", "detained", "4", "6"),
            obs("2024-01-03", "", "detained", "10", "20"),
            obs("2024-01-02", "", "apprehended", "100", "200"),
            obs("2024-01-02", "p", "troops_deployed", "1000", "1000"),
            obs("2024-01-02", "p", "other", "1", "2"),
        ],
    )
    s = score_run(run)
    assert s["simulated"].iloc[0] == 5.0 and bool(s["ok"].iloc[0])
    assert s["simulated"].iloc[1] == 5.0 and not s["ok"].iloc[1]
    assert s["ok"].iloc[2:].isna().all()
    assert s["note"].iloc[2].startswith("not simulated")
    assert "policy input" in s["note"].iloc[3]


def test_outside_period_and_no_caravans(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run",
        [obs("2023-12-31", "p", "arrived", "1", "2"), obs("2024-01-02", "p", "position")],
        groups=False,
    )
    s = score_run(run)
    assert s["ok"].isna().all()
    assert s["note"].iloc[0] == "outside the simulated period"
    assert "no caravans" in s["note"].iloc[1]


def test_columns_and_dtypes(tmp_path: Path) -> None:
    s = score_run(write_run(tmp_path / "run", [obs("2024-01-02", "p", "position")]))
    assert list(s.columns)[:9] == [
        "date",
        "place",
        "kind",
        "low",
        "high",
        "simulated",
        "distance_km",
        "ok",
        "note",
    ]
    assert str(s["ok"].dtype) == "boolean"
    assert s["date"].iloc[0] == pd.Timestamp("2024-01-02")


def test_no_observations_file(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [])
    (run / "observations.csv").unlink()
    assert read_observations(run).empty
    s = score_run(run)
    assert s.empty
    assert score_summary(s) == {"observations": 0, "scored": 0, "ok": 0, "share_ok": None}


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(RunError):
        score_run(tmp_path)


def test_summary_table_and_score_json(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run",
        [
            obs("2024-01-02", "p", "position"),
            obs("2024-01-02", "p", "caravan_size", "1", "2"),
            obs("2024-01-02", "", "apprehended", "1", "2"),
        ],
    )
    s = score_run(run)
    assert score_summary(s) == {"observations": 3, "scored": 2, "ok": 1, "share_ok": 0.5}
    table = format_score_table(s)
    assert table.row_count == 3
    assert "1 of 2" in str(table.caption)
    path = write_score(run)
    assert path == run / "score.json"
    data = json.loads(path.read_text())
    assert data["share_ok"] == 0.5 and data["max_distance_km"] == 30.0
    assert data["rows"][0]["date"] == "2024-01-02" and data["rows"][0]["ok"] is True
    assert data["rows"][2]["ok"] is None and data["rows"][2]["simulated"] is None
    assert not [p for p in run.iterdir() if p.name.endswith(".tmp")]


def test_position_with_size_scores_distance_only(tmp_path: Path) -> None:
    r = score_one(tmp_path, obs("2024-01-02", "p", "position", "1", "2"), head_km_north_of_p=10)
    assert bool(r["ok"])  # head 10 km away: a hit, although 1000 people is not 1-2
    assert "size outside the reported range" in r["note"]
