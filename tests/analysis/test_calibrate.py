"""Calibration recovers parameters from timelines the model itself produced."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.analysis.calibrate import ParamRange, calibrate, run_loss, targets_for
from corridor.analysis.caravan_sim import caravan_scenario, load_network, simulate_track
from corridor.analysis.caravan_skill import read_timeline
from corridor.errors import CorridorError

from caravan_fixtures import line_network, synthetic_dataset

TRUTH = {"walk_speed_km_per_day": 32.0, "caravan_move_probability": 1.0}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("cal")
    network = line_network(tmp / "net")
    return network, synthetic_dataset(network, tmp / "data", TRUTH)


def test_truth_has_lower_loss_than_a_wrong_speed(world) -> None:
    network_folder, data = world
    network = load_network(network_folder)
    timeline, caravans = read_timeline(data)
    target = targets_for(timeline, caravans, network, ["a"])[0]
    def loss(speed: float) -> float:
        params = {**TRUTH, "walk_speed_km_per_day": speed}
        return run_loss(simulate_track(caravan_scenario(network, target.start, target.days,
                                                        params, seed=5)), target)
    assert loss(32.0) < 0.2 * loss(20.0)


def test_calibration_recovers_the_walking_speed(world) -> None:
    network_folder, data = world
    network = load_network(network_folder)
    timeline, caravans = read_timeline(data)
    targets = targets_for(timeline, caravans, network, ["a", "b", "c"])
    result = calibrate(network, targets, [ParamRange("walk_speed_km_per_day", 10, 60)],
                       trials=20, seeds=1, fixed={"caravan_move_probability": 1.0})
    assert len(result.trials) == 20
    # tolerance: one 30 km leg over 14 days is ~2 km/day, the grid the reports can resolve
    assert result.best["walk_speed_km_per_day"] == pytest.approx(32.0, rel=0.12)
    assert result.best_loss < 0.3


@pytest.mark.parametrize("text", ["speed", "speed=1", "speed=a:b", "speed=5:1", "x=0:1:lin",
                                  "x=0:1:log", "x=nan:1"])
def test_bad_param_ranges_are_refused(text: str) -> None:
    with pytest.raises(CorridorError):
        ParamRange.parse(text)


def test_unknown_parameter_is_refused(world) -> None:
    network_folder, data = world
    network = load_network(network_folder)
    timeline, caravans = read_timeline(data)
    targets = targets_for(timeline, caravans, network, ["a"])
    with pytest.raises(CorridorError, match="not a parameter"):
        calibrate(network, targets, [ParamRange("no_such_parameter", 0, 1)], trials=1)
