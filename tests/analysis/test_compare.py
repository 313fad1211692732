"""Comparing runs and ensembles side by side."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.compare import compare_runs, format_compare_table, headline, is_ensemble

START = pd.Timestamp("2024-01-01")


def write_run(folder: Path, scale: float, *, extra: dict | None = None) -> Path:
    """Two days; people in a GTM and a MEX place; ``scale`` multiplies everything."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "id": ["g", "m", "u"],
            "name": ["G", "M", "U"],
            "country": ["GTM", "MEX", "USA"],
            "lat": [14.0, 16.0, 32.0],
            "lon": [-91.0, -93.0, -106.0],
            "kind": ["town", "town", "destination"],
            "capacity": ["", "", ""],
            "source": ["t"] * 3,
        }
    ).to_csv(folder / "places.csv", index=False)
    d0, d1, d2 = (START + pd.Timedelta(days=i) for i in range(3))
    pd.DataFrame(
        [
            (0, d0, "g", "at_place", 100.0 * scale),
            (1, d1, "g", "at_place", 60.0 * scale),
            (1, d1, "m", "in_transit", 40.0 * scale),
            (2, d2, "m", "at_place", 30.0 * scale),
            (2, d2, "u", "arrived", 70.0 * scale),
        ],
        columns=["day", "date", "place", "status", "n"],
    ).astype({"day": np.int32}).to_parquet(folder / "counts.parquet", index=False)
    summary = {
        "scenario": "t",
        "seed": int(scale * 10),
        "days": 3,
        "start_date": "2024-01-01",
        "people_spawned": 100.0 * scale,
        "agents": int(100 * scale),
        "people_per_status_end": {"at_place": 30.0 * scale, "arrived": 70.0 * scale},
        "people_per_place_end": {"m": 30.0 * scale, "u": 70.0 * scale},
        "first_arrival_day": {"u": 2 if scale >= 1 else None},
        "caravans": {},
        "runtime_s": 1.0,
        **(extra or {}),
    }
    (folder / "summary.json").write_text(json.dumps(summary))
    return folder


def row(table: pd.DataFrame, metric: str) -> pd.Series:
    (idx,) = np.flatnonzero(table["metric"] == metric)
    return table.iloc[idx]


def test_two_runs(tmp_path: Path) -> None:
    a = write_run(tmp_path / "a", 1.0)
    b = write_run(tmp_path / "b", 1.5, extra={"people_per_status_end": {"detained": 5.0}})
    t = compare_runs(a, b)
    r = row(t, "people_spawned")
    assert (r["a"], r["b"], r["diff"], r["pct_diff"]) == (100.0, 150.0, 50.0, 50.0)
    assert pd.isna(r["a_low"]) and pd.isna(r["b_high"])
    # a status only one run has counts as 0 people in the other
    r = row(t, "people_per_status_end.detained")
    assert (r["a"], r["b"], r["diff"]) == (0.0, 5.0, 5.0) and pd.isna(r["pct_diff"])
    r = row(t, "people_per_status_end.arrived")
    assert (r["a"], r["b"]) == (70.0, 0.0)
    assert "seed" not in set(t["metric"])
    assert row(t, "arrived_at.u")["b"] == 105.0
    # default dates: midpoint and last day of run a
    assert row(t, "people_in_country.MEX@2024-01-02")["a"] == 40.0
    assert row(t, "people_in_country.GTM@2024-01-03")["a"] == 0.0
    assert row(t, "people_in_country.USA@2024-01-03")["b"] == 105.0


def test_chosen_dates_and_shared_top_level_keys(tmp_path: Path) -> None:
    a = write_run(tmp_path / "a", 1.0, extra={"only_in_a": 3.0})
    b = write_run(tmp_path / "b", 2.0)
    t = compare_runs(a, b, dates=["2024-01-01"])
    assert "only_in_a" not in set(t["metric"])
    countries = [m for m in t["metric"] if m.startswith("people_in_country.")]
    assert countries == [
        "people_in_country.GTM@2024-01-01",
        "people_in_country.MEX@2024-01-01",
        "people_in_country.USA@2024-01-01",
    ]
    assert row(t, "people_in_country.GTM@2024-01-01")["b"] == 200.0
    assert t["metric"].iloc[0] in {"days", "people_spawned", "agents", "runtime_s"}


def test_never_arrived_is_na(tmp_path: Path) -> None:
    t = compare_runs(write_run(tmp_path / "a", 1.0), write_run(tmp_path / "b", 0.5))
    r = row(t, "first_arrival_day.u")
    assert r["a"] == 2.0 and pd.isna(r["b"]) and pd.isna(r["diff"])


def test_ensemble_median_and_interval(tmp_path: Path) -> None:
    ens = tmp_path / "ens"
    for i, scale in enumerate([1.0, 2.0, 3.0, 4.0, 5.0]):
        write_run(ens / f"seed-{i}", scale)
    (ens / "ensemble.json").write_text(json.dumps({"members": 5}))
    assert is_ensemble(ens) and not is_ensemble(ens / "seed-0")
    single = write_run(tmp_path / "single", 1.0)
    t = compare_runs(single, ens)
    r = row(t, "people_spawned")
    assert r["b"] == 300.0  # median of 100..500
    assert r["b_low"] == pytest.approx(np.quantile([100, 200, 300, 400, 500], 0.05))
    assert r["b_high"] == pytest.approx(np.quantile([100, 200, 300, 400, 500], 0.95))
    assert r["diff"] == 200.0
    text = format_compare_table(t, "single", "ens")
    assert text.row_count == len(t)


def test_headline_of_one_run(tmp_path: Path) -> None:
    h = headline(write_run(tmp_path / "a", 1.0), dates=["2024-01-02"])
    assert h["people_per_place_end.u"] == 70.0
    assert h["people_in_country.GTM@2024-01-02"] == 60.0
    assert "caravans" not in h.index


def test_format_shows_interval(tmp_path: Path) -> None:
    from rich.console import Console

    ens = tmp_path / "ens"
    for i, scale in enumerate([1.0, 3.0]):
        write_run(ens / f"seed-{i}", scale)
    (ens / "ensemble.json").write_text("{}")
    t = compare_runs(write_run(tmp_path / "a", 1.0), ens)
    console = Console(width=200, record=True)
    console.print(format_compare_table(t, "a", "ens"))
    out = console.export_text()
    assert "200 [110–290]" in out  # people_spawned median and 5–95 % of {100, 300}
    assert "+100.0%" in out


def test_format_value() -> None:
    from corridor.formats import format_value

    assert format_value(14000.0, 7700.0, 20300.0) == "14,000 [7,700–20,300]"
    assert format_value(0.5) == "0.5"
    assert format_value(float("nan")) == "–"
