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


def test_rejection_abc_recovers_the_walking_speed(world) -> None:
    """Rejection ABC on model-made timelines: the posterior median is within 12 % of the
    truth (one 30 km leg over 14 days is ~2 km/day) and the 5-95 % posterior holds it."""
    from corridor.analysis.abc import rejection_abc, sample_prior

    network_folder, data = world
    network = load_network(network_folder)
    timeline, caravans = read_timeline(data)
    targets = targets_for(timeline, caravans, network, ["a", "b", "c"])
    result = rejection_abc(network, targets, [ParamRange("walk_speed_km_per_day", 10, 60)],
                           draws=32, quantile=0.125, seeds=1,
                           fixed={"caravan_move_probability": 1.0})
    assert len(result.trials) == 32 and len(result.posterior) == 4
    post = result.summary().set_index("parameter").loc["walk_speed_km_per_day"]
    assert post["q50"] == pytest.approx(32.0, rel=0.12)
    assert post["q05"] <= 32.0 <= post["q95"]
    assert result.posterior["loss"].max() == result.epsilon
    # the prior draws cover the range evenly and are reproducible
    draws = [d["walk_speed_km_per_day"] for d in sample_prior(result.ranges, 32, 0)]
    assert draws == [d["walk_speed_km_per_day"] for d in sample_prior(result.ranges, 32, 0)]
    assert sum(d < 35 for d in draws) in range(14, 19)
    log = sample_prior([ParamRange("caravan_halt_probability_per_day", 0.001, 0.1, log=True)],
                       64, 1)
    assert sum(d["caravan_halt_probability_per_day"] < 0.01 for d in log) in range(28, 37)


def _cli_calibrate(world, out: Path, *options: str):  # noqa: ANN001, ANN202
    """`corridor calibrate` of the walking speed on the world's dataset, one worker."""
    from typer.testing import CliRunner

    from corridor.cli import app

    network_folder, data = world
    return CliRunner().invoke(app, [
        "calibrate", str(data), "--network", str(network_folder), "--out", str(out),
        "--seeds", "1", "--workers", "1", "--param", "walk_speed_km_per_day=10:60", *options])


def test_cli_calibrate_abc_writes_the_posterior(world, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    _, data = world
    out = tmp_path / "abc"
    result = _cli_calibrate(world, out, "--method", "abc", "--trials", "8", "--accept", "0.25")
    assert result.exit_code == 0, result.output
    assert (out / "posterior.csv").is_file()
    assert "Posterior (rejection ABC: 2 accepted draws" in (out / "report.md").read_text()
    assert "rejection ABC on caravans a, b, c" in (out / "parameters.toml").read_text()
    bad = CliRunner().invoke(app, ["calibrate", str(data), "--out", str(tmp_path / "x"),
                                   "--method", "abc", "--accept", "0"])
    assert bad.exit_code != 0 and not (tmp_path / "x").exists()


def test_size_weight_scales_only_the_size_term(world) -> None:
    network_folder, data = world
    network = load_network(network_folder)
    timeline, caravans = read_timeline(data)
    plain = targets_for(timeline, caravans, network, ["a"])[0]
    heavy = targets_for(timeline, caravans, network, ["a"], size_weight=4.0)[0]
    assert heavy.size_weight == 4.0 and plain.size_weight == 1.0
    # a caravan that sheds members: its size term is > 0, its position term unchanged
    params = {**TRUTH, "caravan_split_probability_per_day": 0.2}
    track = simulate_track(caravan_scenario(network, plain.start, plain.days, params, seed=5))
    position = run_loss(track, plain, size_weight=0.0)
    size = run_loss(track, plain) - position
    assert size > 0
    assert run_loss(track, heavy) == pytest.approx(position + 4.0 * size)


def test_rerank_reruns_the_best_trials_with_fresh_seeds(world) -> None:
    """The search's best trial is partly the luckiest under its few seeds: re-ranking re-runs
    the best K with seeds the search never used and keeps the best over all its seeds."""
    from corridor.analysis.calibrate import Evaluator, evaluate

    network_folder, data = world
    network = load_network(network_folder)
    timeline, caravans = read_timeline(data)
    targets = targets_for(timeline, caravans, network, ["a", "b"])
    ranges = [ParamRange("walk_speed_km_per_day", 10, 60),
              ParamRange("caravan_move_probability", 0.3, 1.0)]
    noisy = {"caravan_halt_probability_per_day": 0.3}  # rest days drawn: seeds matter
    plain = calibrate(network, targets, ranges, trials=8, seeds=1, fixed=noisy)
    again = calibrate(network, targets, ranges, trials=8, seeds=1, fixed=noisy, rerank=3,
                      rerank_seeds=2)
    assert plain.trials["rerank_loss"].isna().all()
    assert plain.trials["loss"].tolist() == again.trials["loss"].tolist()  # the same search
    rerun = again.trials.dropna(subset=["rerank_loss"])
    assert sorted(rerun["number"]) == sorted(plain.trials.nsmallest(3, "loss")["number"])
    assert not set(again.rerank_seeds) & set(again.seeds)
    chosen = rerun.sort_values(["rerank_loss", "number"]).iloc[0]
    assert again.best == {r.name: float(chosen[r.name]) for r in ranges}
    with Evaluator(network) as ev:
        fresh, _, _ = evaluate(ev, targets, {**noisy, **again.best}, again.rerank_seeds)
    assert again.best_loss == pytest.approx((chosen["loss"] + 2 * fresh) / 3)
    assert (rerun["rerank_loss"] != rerun["loss"]).any()  # the fresh seeds measured something


def test_cli_calibrate_rerank_reports_the_rerun_trials(world, tmp_path: Path) -> None:
    out = tmp_path / "fit"
    result = _cli_calibrate(world, out, "--trials", "5", "--rerank", "2")
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    assert "## Best trials re-run with 4 fresh seeds" in report
    assert "(mean over 5 seeds); 5 Optuna TPE trials, the best 2 re-run with 4 fresh seeds" \
        in (out / "parameters.toml").read_text()
