"""`corridor forecast`: one caravan from where it is now, with the shipped fit's machinery."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corridor.analysis.calibrate import ParamRange
from corridor.analysis.caravan_sim import CaravanStart, load_network
from corridor.analysis.forecast import COLUMNS, ForecastSettings, forecast, read_calibration
from corridor.errors import CorridorError

from caravan_fixtures import STEP_KM, line_network, synthetic_dataset

ROOT = Path(__file__).resolve().parents[2]


def run_corridor(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "corridor", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)
TRUTH = {"walk_speed_km_per_day": 30.0, "caravan_move_probability": 1.0,
         "caravan_split_probability_per_day": 0.0}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A line network and a calibration folder written by `corridor calibrate` on it."""
    tmp = tmp_path_factory.mktemp("forecast")
    network = line_network(tmp / "net")
    data = synthetic_dataset(network, tmp / "data", TRUTH)
    res = run_corridor(["calibrate", str(data), "--network", str(network), "--param",
                        "walk_speed_km_per_day=10:50", "--trials", "8", "--seeds", "1",
                        "--workers", "1", "--out", str(tmp / "fit")], cwd=tmp)
    assert res.returncode == 0, res.stderr
    return network, tmp / "fit"


@pytest.fixture(scope="module")
def loaded(world):  # noqa: ANN001, ANN201
    """The line network and the fit, loaded."""
    network_folder, fit_folder = world
    return load_network(network_folder), read_calibration(fit_folder)


def test_read_calibration_gives_back_the_fit(world) -> None:
    _, fit_folder = world
    fit = read_calibration(fit_folder)
    assert [r.name for r in fit.ranges] == ["walk_speed_km_per_day"]
    assert fit.ranges[0] == ParamRange("walk_speed_km_per_day", 10.0, 50.0)
    assert len(fit.trials) == 8 and set(fit.best) == {"walk_speed_km_per_day"}
    assert fit.caravans == ["a", "b", "c"]


def test_forecast_walks_at_the_fitted_speed_from_the_start(loaded) -> None:
    network, fit = loaded
    start = CaravanStart("now", "t2", dt.date(2024, 3, 1), 2000.0, on_the_road=True)
    table = forecast(network, start, fit, ForecastSettings(days=6, members=4, spread=0.0))
    assert list(table.columns) == list(COLUMNS) and list(table["day"]) == list(range(7))
    assert table["date"].iloc[0] == start.date
    speed = fit.best["walk_speed_km_per_day"]
    # day 0 is where it was reported: at the start, not a day's walk on (it moves from day 1)
    assert table["km_q50"].iloc[0] == 0.0 and table["near_place"].iloc[0] == "t2"
    # seeds only, no halts fitted: every member walks the fitted speed each day after that
    assert table["km_q50"].iloc[-1] == pytest.approx(6 * speed, rel=0.02)
    assert (table["km_q05"] == table["km_q95"]).all()
    # people: the start's, then the rule set's default split-off rate (not fitted here)
    assert table["people"].iloc[0] == 2000 and table["people"].is_monotonic_decreasing
    assert table["people"].iloc[-1] > 0.85 * 2000
    # the near place is the town at that distance along the line
    expected = f"t{2 + round(table['km_q50'].iloc[3] / STEP_KM)}"
    assert table["near_place"].iloc[3] == expected


def test_spread_members_widen_the_band_not_the_centre(loaded) -> None:
    network, fit = loaded
    start = CaravanStart("now", "t0", dt.date(2024, 3, 1), 2000.0)
    sharp = forecast(network, start, fit, ForecastSettings(days=5, members=6, spread=0.0))
    wide = forecast(network, start, fit, ForecastSettings(days=5, members=6, spread=50.0))
    assert (wide["km_q50"] == sharp["km_q50"]).all()  # the point forecast is the best fit's
    assert (wide["km_q95"] - wide["km_q05"]).iloc[-1] > 30.0


def test_a_folder_that_is_not_a_calibration_is_refused(world, tmp_path: Path) -> None:
    _, fit_folder = world
    with pytest.raises(CorridorError, match="calibration.json: missing"):
        read_calibration(tmp_path)
    broken = shutil.copytree(fit_folder, tmp_path / "broken")
    trials = pd.read_csv(broken / "trials.csv").drop(columns=["walk_speed_km_per_day"])
    trials.to_csv(broken / "trials.csv", index=False)
    with pytest.raises(CorridorError, match="does not match"):
        read_calibration(broken)


def test_the_cli_writes_the_forecast_folder(world, tmp_path: Path) -> None:
    network_folder, fit_folder = world
    out = tmp_path / "fc"
    res = run_corridor(["forecast", "--from", "t1", "--date", "2024-03-01", "--people", "500",
                        "--days", "3", "--members", "3", "--network", str(network_folder),
                        "--fit", str(fit_folder), "--out", str(out)], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(out / "forecast.csv")
    assert list(table.columns) == list(COLUMNS) and len(table) == 4
    assert "From t1 on 2024-03-01 with 500 people" in (out / "README.md").read_text()
    again = run_corridor(["forecast", "--from", "t1", "--date", "2024-03-01", "--people", "5",
                          "--network", str(network_folder), "--fit", str(fit_folder),
                          "--out", str(out)], cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr
    assert len(pd.read_csv(out / "forecast.csv")) == 4  # the first forecast is untouched


def test_the_shipped_fit_is_readable_and_names_its_caravans() -> None:
    fit = read_calibration(ROOT / "data" / "caravans" / "fit")
    assert len(fit.caravans) == 11 and fit.best
    assert all(r.low <= fit.best[r.name] <= r.high for r in fit.ranges)



def _timeline(path: Path, rows: list[str]) -> Path:
    path.write_text("caravan,date,place,lat,lon,kind,low,high,source\n" + "\n".join(rows)
                    + "\n", encoding="utf-8")
    return path


def test_the_start_is_the_latest_report_of_the_caravan(world, tmp_path: Path) -> None:
    from corridor.analysis.caravan_skill import RoadGraph
    from corridor.analysis.forecast import latest_start
    from corridor.caravans.timeline import load_timeline

    network_folder, _ = world
    graph = RoadGraph(load_network(network_folder))
    path = _timeline(tmp_path / "t.csv", [
        "2024-03,2024-03-01,t0,15.0,-92.0,departed,3000,3000,a",
        "2024-03,2024-03-03,t2,15.55,-92.0,position,,,b",  # no size
        "2024-03,2024-03-02,t1,15.27,-92.0,size,2000,2400,c",
        "2024-03,2024-03-02,t1,15.27,-92.0,size,2600,2600,d",
        "2024-04,2024-03-09,t4,16.0,-92.0,position,10,10,e",
    ])
    rows = load_timeline(path)
    place, day, people = latest_start(rows, "2024-03", graph, path)
    # the last position (3 March, near t2); the latest size by then: 2 March's two reports,
    # midpoints 2,200 and 2,600, median 2,400
    assert (place, day, people) == ("t2", dt.date(2024, 3, 3), 2400.0)
    with pytest.raises(CorridorError, match="no rows for caravan 'x'"):
        latest_start(rows, "x", graph, path)


def test_a_timeline_with_a_bad_date_is_refused_with_its_line(tmp_path: Path) -> None:
    from corridor.caravans.timeline import load_timeline

    path = _timeline(tmp_path / "t.csv", ["2024-03,2024-03-01,t0,15.0,-92.0,departed,1,1,a",
                                          "2024-03,3 March,t0,15.0,-92.0,position,,,b"])
    with pytest.raises(CorridorError, match=r"t\.csv:3:date: not a YYYY-MM-DD date"):
        load_timeline(path)
    (tmp_path / "u.csv").write_text("caravan,date\n2024-01,2024-01-01\n", encoding="utf-8")
    with pytest.raises(CorridorError, match="missing column"):
        load_timeline(tmp_path / "u.csv")


def test_the_cli_starts_from_a_timeline(world, tmp_path: Path) -> None:
    network_folder, fit_folder = world
    path = _timeline(tmp_path / "t.csv", ["2024-03,2024-03-01,t0,15.0,-92.0,departed,900,1100,a",
                                          "2024-03,2024-03-02,t1,15.27,-92.0,position,,,b"])
    res = run_corridor(["forecast", "--timeline", str(path), "--days", "2", "--members", "2",
                        "--network", str(network_folder), "--fit", str(fit_folder),
                        "--out", str(tmp_path / "fc")], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "last reported near t1 on 2024-03-02 with about 1000 people" in res.stdout
    table = pd.read_csv(tmp_path / "fc" / "forecast.csv")
    assert table["date"].iloc[0] == "2024-03-02" and table["people"].iloc[0] == 1000
    alone = run_corridor(["forecast", "--out", str(tmp_path / "none")], cwd=tmp_path)
    assert alone.returncode == 2 and "--timeline" in alone.stderr
    assert not (tmp_path / "none").exists()
