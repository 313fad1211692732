"""Leave-one-caravan-out backtests: no leak of the held-out caravan, baselines scored alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import corridor.analysis.backtest as bt
from corridor.analysis.calibrate import ParamRange
from corridor.analysis.caravan_sim import load_network
from corridor.analysis.caravan_skill import read_timeline

from caravan_fixtures import line_network, synthetic_dataset

TRUTH = {"walk_speed_km_per_day": 32.0, "caravan_move_probability": 1.0}
SETTINGS = bt.BacktestSettings(trials=6, seeds=1, members=3, restart_members=2, workers=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("bt")
    network_folder = line_network(tmp / "net")
    data = synthetic_dataset(network_folder, tmp / "data", TRUTH)
    timeline, caravans = read_timeline(data)
    return load_network(network_folder), timeline, caravans


def test_held_out_rows_never_reach_the_fit(world, monkeypatch: pytest.MonkeyPatch) -> None:
    network, timeline, caravans = world
    seen: list[set[str]] = []
    real = bt.calibrate

    def spy(net, targets, *args, **kwargs):
        seen.append({t.caravan for t in targets}
                    | {str(c) for t in targets for c in t.positions["caravan"]})
        return real(net, targets, *args, **kwargs)

    monkeypatch.setattr(bt, "calibrate", spy)
    results = bt.backtest(network, timeline, caravans,
                          [ParamRange("walk_speed_km_per_day", 10, 60)], SETTINGS,
                          fixed={"caravan_move_probability": 1.0})
    assert [r.caravan for r in results] == ["a", "b", "c"]
    for result, fitted in zip(results, seen, strict=True):
        assert result.caravan not in fitted
        assert fitted == {"a", "b", "c"} - {result.caravan}
        assert set(result.fit.caravans) == fitted


def test_skill_tables_and_baselines(world) -> None:
    network, timeline, caravans = world
    results = bt.backtest(network, timeline, caravans,
                          [ParamRange("walk_speed_km_per_day", 20, 45)], SETTINGS,
                          fixed={"caravan_move_probability": 1.0})
    skill, by_horizon = bt.skill_tables(results)
    pooled = skill[skill["caravan"] == "pooled"].set_index("method")
    # the truth walks 32 km/day: a fitted model beats walking 25 km/day
    assert pooled.loc["model", "median_km"] < pooled.loc["constant_25km_day", "median_km"]
    assert set(by_horizon["method"]) == {"model", "persistence", "constant_25km_day"}
    assert set(by_horizon["horizon"]) <= set(bt.HORIZONS)
    h = by_horizon.set_index(["horizon", "method"])["median_km"]
    # staying put is worse than moving for a caravan that never stops
    assert h.loc[(3, "persistence")] > h.loc[(3, "model")]
    tracks = results[0].tracks
    assert (tracks["km_q05"] <= tracks["km_q50"]).all()
    assert (tracks["km_q50"] <= tracks["km_q95"]).all()
    assert np.isfinite(tracks[["lat", "lon"]].to_numpy()).all()


def test_horizon_bins() -> None:
    assert [bt.horizon_bin(d) for d in (1, 2, 3, 4, 7, 8, 14, 15)] == [1, 3, 3, 7, 7, 14, 14,
                                                                       None]


def test_cli_backtest_writes_the_folder(world, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    network, timeline, caravans = world
    data = tmp_path / "data"
    data.mkdir()
    timeline.to_csv(data / "timeline.csv", index=False)
    caravans.to_csv(data / "caravans.csv", index=False)
    out = tmp_path / "bt"
    result = CliRunner().invoke(app, [
        "backtest", str(data), "--network", str(network.folder), "--out", str(out),
        "--trials", "3", "--seeds", "1", "--members", "2", "--workers", "1",
        "--param", "walk_speed_km_per_day=20:40"])
    assert result.exit_code == 0, result.output
    for name in ("tracks.csv", "skill.csv", "skill_by_horizon.csv", "fits.csv", "README.md"):
        assert (out / name).is_file()
    again = CliRunner().invoke(app, ["backtest", str(data), "--network", str(network.folder),
                                     "--out", str(out)])
    assert again.exit_code != 0
