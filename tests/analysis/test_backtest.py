"""Leave-one-caravan-out backtests: no leak of the held-out caravan, baselines scored alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import corridor.analysis.backtest as bt
from corridor.analysis.calibrate import ParamRange
from corridor.analysis.caravan_sim import load_network
from corridor.analysis.caravan_skill import read_timeline

from caravan_fixtures import line_network, synthetic_dataset

TRUTH = {"walk_speed_km_per_day": 32.0, "caravan_move_probability": 1.0}
SETTINGS = bt.BacktestSettings(trials=6, seeds=1, members=3, restart_members=2, workers=1,
                               spread_range=(0.0, 1.0), spread_evaluations=3,
                               spread_members=2)


#: one policy per caravan, its source naming the caravan (to trace where rows go)
POLICIES = pd.DataFrame({
    "caravan": ["a", "b", "c"], "lever": "caravan_hold", "target": ["t3", "t4", "t5"],
    "from_date": [dt.date(2024, 1, 3), dt.date(2024, 1, 10), dt.date(2024, 1, 17)],
    "to_date": [dt.date(2024, 1, 4), dt.date(2024, 1, 11), dt.date(2024, 1, 18)],
    "value": 1.0, "source": ["policy of a", "policy of b", "policy of c"], "_row": [2, 3, 4]})


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


def test_held_out_policies_never_reach_the_fit(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """The policy-conditioned fit runs training caravans with their own policies only, and
    the spread is chosen on training caravans only; the held-out caravan's policies reach
    its forecast alone."""
    network, timeline, caravans = world
    fitted: list[tuple[set[str], set[str]]] = []
    spread_on: list[set[str]] = []
    forecast_policies: list[set[str]] = []
    real_fit, real_spread, real_tracks = bt.calibrate, bt.choose_spread, bt.ensemble_tracks

    def spy_fit(net, targets, *args, **kwargs):
        sources = {s for t in targets if t.policies is not None for s in t.policies["source"]}
        fitted.append(({t.caravan for t in targets}, sources))
        return real_fit(net, targets, *args, **kwargs)

    def spy_spread(evaluator, targets, *args, **kwargs):
        spread_on.append({t.caravan for t in targets}
                         | {str(c) for t in targets for c in t.positions["caravan"]})
        return real_spread(evaluator, targets, *args, **kwargs)

    import corridor.analysis.spread as spread_module

    covered: list[set[str]] = []
    real_coverage = spread_module.training_coverage

    def spy_coverage(evaluator, targets, *args, **kwargs):
        covered.append({t.caravan for t in targets}
                       | {str(c) for t in targets for c in t.positions["caravan"]}
                       | {s for t in targets if t.policies is not None
                          for s in t.policies["source"]})
        return real_coverage(evaluator, targets, *args, **kwargs)

    monkeypatch.setattr(spread_module, "training_coverage", spy_coverage)

    def spy_tracks(net, start, days, members, policies=None):
        forecast_policies.append(set() if policies is None else set(policies["source"]))
        return real_tracks(net, start, days, members, policies)

    monkeypatch.setattr(bt, "calibrate", spy_fit)
    monkeypatch.setattr(bt, "choose_spread", spy_spread)
    monkeypatch.setattr(bt, "ensemble_tracks", spy_tracks)
    settings = bt.BacktestSettings(trials=3, seeds=1, members=2, restart_members=1, workers=1,
                                   spread_range=(0.5, 4.0), spread_evaluations=4,
                                   spread_members=2)
    with_policies = POLICIES[POLICIES["caravan"] != "c"]  # c has none (as 2024-07)
    results = bt.backtest(network, timeline, caravans,
                          [ParamRange("walk_speed_km_per_day", 10, 60)], settings,
                          fixed={"caravan_move_probability": 1.0}, policies=with_policies)
    assert [r.caravan for r in results] == ["a", "b", "c"]
    # per fold: departure-only fit (no policies), then the policy-conditioned fit
    assert len(fitted) == 6 and len(spread_on) == 6
    for k, result in enumerate(results):
        others = {"a", "b", "c"} - {result.caravan}
        plain, conditioned = fitted[2 * k], fitted[2 * k + 1]
        assert plain == (others, set())
        assert conditioned == (others, {f"policy of {c}" for c in others - {"c"}})
        assert spread_on[2 * k] == others and spread_on[2 * k + 1] == others
        assert set(result.fits) == {bt.DEPARTURE_ONLY, bt.GIVEN_POLICIES}
        for method, choice in result.spreads.items():
            # the search stays in its range, within its budget, and picks a factor it tried
            assert 1 <= len(choice.coverage) <= 4 and choice.factor in choice.coverage
            assert all(0.5 <= f <= 4.0 for f in choice.coverage), method
    # every coverage evaluation of every search ran training caravans only, with their own
    # policies: nothing of the held-out caravan (rows or policies) reaches the spread choice
    n_evaluations = sum(len(c.coverage) for r in results for c in r.spreads.values())
    assert len(covered) == n_evaluations >= 6  # at least one per fold and fit
    k = 0
    for result in results:
        others = {"a", "b", "c"} - {result.caravan}
        for method in (bt.DEPARTURE_ONLY, bt.GIVEN_POLICIES):
            for seen in covered[k:k + len(result.spreads[method].coverage)]:
                assert result.caravan not in seen
                assert f"policy of {result.caravan}" not in seen
                assert others <= seen
            k += len(result.spreads[method].coverage)
    assert set().union(*forecast_policies) == set(with_policies["source"])
    methods = set(pd.concat([r.positions for r in results])["method"])
    assert methods == {bt.DEPARTURE_ONLY, bt.GIVEN_POLICIES, "constant_25km_day"}
    horizons = set(pd.concat([r.horizon_errors for r in results])["method"])
    assert {bt.GIVEN_POLICIES, bt.GIVEN_KNOWN_POLICIES, "persistence"} <= horizons


def test_policies_known_on_the_issue_date() -> None:
    from corridor.analysis.calibrate import caravan_levers

    assert list(caravan_levers(POLICIES, "b")["source"]) == ["policy of b"]
    assert caravan_levers(POLICIES, "b", known_on=dt.date(2024, 1, 9)).empty
    assert len(caravan_levers(POLICIES, "b", known_on=dt.date(2024, 1, 10))) == 1
    # a caravan with no policies (2024-07 has none): empty, with the lever columns
    for known_on in (None, dt.date(2024, 1, 10)):
        none = caravan_levers(POLICIES, "z", known_on=known_on)
        assert none.empty and list(none.columns) == ["lever", "target", "from_date",
                                                     "to_date", "value", "source", "_row"]


def test_a_hold_given_as_policy_stops_the_forecast(world) -> None:
    """The policy-conditioned forecast really runs the policy: a hold from the first day
    keeps every member at the origin."""
    from corridor.analysis.caravan_sim import CaravanStart, ensemble_tracks

    network, _, _ = world
    start = CaravanStart("x", "t0", dt.date(2024, 1, 1), 1000.0)
    members = [({**TRUTH}, 1), ({**TRUTH}, 2)]
    hold = POLICIES.iloc[:1].assign(target="t0", from_date=dt.date(2024, 1, 1),
                                    to_date=dt.date(2024, 1, 30))
    free = ensemble_tracks(network, start, 6, members)
    held = ensemble_tracks(network, start, 6, members, hold)
    assert free["km"].max() > 100
    assert held["km"].max() == 0


def test_size_days_in_range() -> None:
    sizes = pd.DataFrame({"caravan": "a", "date": [1, 1, 2, 3],
                          "inside": [0.0, 1.0, 0.0, np.nan]})
    # day 1: inside one of its two reports; day 2: not; day 3: outside the forecast
    assert bt.size_days_in_range(sizes) == 0.5


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
    # sizes by lead time too: the truth loses ~1 % a day and reports are +-10 %, so two days
    # after a report (reports come every second day) the size it gave is inside the next one
    sizes = by_horizon.set_index(["horizon", "method"])
    first = int(by_horizon["horizon"].min())
    assert (sizes["size_reports"] > 0).all()
    assert sizes.loc[(first, "persistence"), "size_in_range"] >= 0.9
    assert sizes["size_in_range"].between(0, 1).all()
    assert (sizes.loc[(first, "model"), "size_reports"]
            == sizes.loc[(first, "persistence"), "size_reports"])
    tracks = results[0].tracks
    assert (tracks["km_q05"] <= tracks["km_q50"]).all()
    assert (tracks["km_q50"] <= tracks["km_q95"]).all()
    assert np.isfinite(tracks[["lat", "lon"]].to_numpy()).all()


def test_horizon_bins() -> None:
    assert [bt.horizon_bin(d) for d in (1, 2, 3, 4, 7, 8, 14, 15)] == [1, 3, 3, 7, 7, 14, 14,
                                                                       None]



def _dataset_folder(world, tmp_path: Path) -> tuple:  # noqa: ANN001
    """The world's timeline and caravans written as a dataset folder, as the CLI reads it."""
    network, timeline, caravans = world
    data = tmp_path / "data"
    data.mkdir()
    timeline.to_csv(data / "timeline.csv", index=False)
    caravans.to_csv(data / "caravans.csv", index=False)
    return network, data


def test_cli_backtest_writes_the_folder(world, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    network, data = _dataset_folder(world, tmp_path)
    out = tmp_path / "bt"
    args = ["backtest", str(data), "--network", str(network.folder), "--trials", "3",
            "--seeds", "1", "--members", "2", "--workers", "1",
            "--param", "walk_speed_km_per_day=20:40", "--spread", "0:1"]
    missing = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert missing.exit_code != 0 and "policies.csv: missing" in str(missing.exception)
    assert not out.exists()
    POLICIES.drop(columns="_row").to_csv(data / "policies.csv", index=False)
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("tracks.csv", "skill.csv", "skill_by_horizon.csv", "fits.csv", "README.md"):
        assert (out / name).is_file()
    readme = (out / "README.md").read_text()
    assert "departure-only" in readme and "policy-conditioned" in readme
    fits = pd.read_csv(out / "fits.csv")
    assert set(fits["method"]) == {bt.DEPARTURE_ONLY, bt.GIVEN_POLICIES}
    assert fits["spread_factor"].between(0.0, 1.0).all()
    for wrong in ("a", "2:1", "1:2:3"):
        bad = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "x"), "--spread", wrong])
        assert bad.exit_code != 0 and "--spread" in str(bad.exception)
        assert not (tmp_path / "x").exists()
    again = CliRunner().invoke(app, ["backtest", str(data), "--network", str(network.folder),
                                     "--out", str(out)])
    assert again.exit_code != 0


def test_by_region_fits_on_caravans_from_the_same_country(world) -> None:
    from dataclasses import replace

    from corridor.errors import CorridorError

    network, timeline, caravans = world
    places = network.places.copy()
    places.loc[places["id"] == "t1", "country"] = "HND"
    net = replace(network, places=places)
    table = caravans.copy()
    table.loc[table["caravan"] == "c", "origin_place"] = "t1"  # c alone sets out from HND
    assert bt.departure_region(table, net, "c") == "HND"
    assert bt.training_caravans(timeline, table, net, "a", by_region=True) == ["b"]
    assert bt.training_caravans(timeline, table, net, "a", by_region=False) == ["b", "c"]
    with pytest.raises(CorridorError, match="no other caravan sets out from HND"):
        bt.training_caravans(timeline, table, net, "c", by_region=True)
    # the held-out caravan is never among its own training caravans, whatever the region
    for held in ("a", "b"):
        assert held not in bt.training_caravans(timeline, table, net, held, by_region=True)


def test_centred_takes_the_point_from_best_and_the_band_from_the_spread() -> None:
    dates = [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    spread = pd.DataFrame({"date": dates, "lat": [1.0, 2.0], "lon": [1.0, 2.0],
                           "people": [100.0, 90.0], "km_q05": [0.0, 5.0],
                           "km_q50": [10.0, 40.0], "km_q95": [30.0, 90.0]})
    best = spread.assign(lat=[1.5, 2.5], lon=[1.6, 2.6], people=[80.0, 70.0],
                         km_q05=[-1.0, -1.0], km_q50=[12.0, 33.0], km_q95=[-1.0, -1.0])
    out = bt.centred(spread, best)
    assert list(out["lat"]) == [1.5, 2.5] and list(out["people"]) == [80.0, 70.0]
    assert list(out["km_q50"]) == [12.0, 33.0]
    assert list(out["km_q05"]) == [0.0, 5.0] and list(out["km_q95"]) == [30.0, 90.0]
    assert bt.centred(spread, None) is spread


@pytest.mark.parametrize("centre", ["best", "ensemble"])
def test_centre_members_run_at_the_best_fit(world, monkeypatch: pytest.MonkeyPatch,
                                            centre: str) -> None:
    """With --centre best every forecast also runs members at the fold's best parameters
    (seeds only); with ensemble only the spread members run."""
    network, timeline, caravans = world
    calls: list[list[dict]] = []
    real = bt.ensemble_tracks

    def spy(net, start, days, members, policies=None):
        calls.append([dict(p) for p, _ in members])
        return real(net, start, days, members, policies)

    monkeypatch.setattr(bt, "ensemble_tracks", spy)
    settings = bt.BacktestSettings(trials=3, seeds=1, members=3, restart_members=2, workers=1,
                                   spread_range=(4.0,), spread_evaluations=1,
                                   spread_members=2, centre=centre)
    results = bt.backtest(network, timeline, caravans,
                          [ParamRange("walk_speed_km_per_day", 10, 60)], settings,
                          fixed={"caravan_move_probability": 1.0}, only=["a"])
    best = {"caravan_move_probability": 1.0, **results[0].fit.best}
    at_best = [c for c in calls if all(p == best for p in c)]
    if centre == "best":
        assert calls[1] == [best] * 3 and len(at_best) == len(calls) // 2
    else:
        assert at_best == []


def test_top_members_spread_over_the_best_trials() -> None:
    """--centre top: members go round-robin over the k best completed trials (best first),
    each with its own seed; fixed parameters are kept; a fit with fewer trials uses those."""
    from corridor.analysis.calibrate import Calibration

    ranges = [ParamRange("walk_speed_km_per_day", 10, 60)]
    trials = pd.DataFrame({"number": [0, 1, 2, 3], "state": ["COMPLETE", "FAIL", "COMPLETE",
                                                            "COMPLETE"],
                           "loss": [3.0, 0.1, 1.0, 2.0], "loss_sd": [0.0] * 4,
                           "walk_speed_km_per_day": [30.0, 99.0, 20.0, 40.0]})
    fit = Calibration(ranges=ranges, caravans=["a"], seeds=[0], trials=trials,
                      best={"walk_speed_km_per_day": 20.0}, best_loss=1.0)
    members = bt.top_members(fit, 5, 0, {"caravan_move_probability": 1.0}, k=2)
    speeds = [p["walk_speed_km_per_day"] for p, _ in members]
    assert speeds == [20.0, 40.0, 20.0, 40.0, 20.0], "the two best completed trials, in turn"
    assert all(p["caravan_move_probability"] == 1.0 for p, _ in members)
    assert len({s for _, s in members}) == 5, "every member its own seed"
    assert [p["walk_speed_km_per_day"] for p, _ in bt.top_members(fit, 4, 0, None, k=9)] == \
        [20.0, 40.0, 30.0, 20.0]
    assert bt.centre_members(fit, 3, 0, None, "ensemble") is None


def test_a_restart_is_where_it_was_reported_and_moves_from_the_next_day(world) -> None:
    """A forecast issued at a reported position starts there on the report's day: k days
    later it has k days of travel, as the baselines have. (It used to set out on the report
    day itself, one day's walk ahead of the report at every lead time.) The truth walks 32 km
    a day on towns 30 km apart, so a restart snapped to the nearest town is at most 15 km
    off, and it stays that close with the truth's own parameters."""
    from corridor.analysis.caravan_skill import RoadGraph

    network, timeline, caravans = world
    graph = RoadGraph(network)
    target = bt.targets_for(timeline, caravans, network, ["a"])[0]
    start = bt._with_destination(target.start, graph, network)
    errors = bt._restarts(network, graph, target, start, [({**TRUTH}, 1)], {"model": None},
                          baselines=True)
    model = errors[(errors["method"] == "model")].dropna(subset=["km"])
    assert len(model) >= 4
    assert model["km"].max() <= 16.0
    constant = errors[(errors["method"] == "constant_25km_day")].dropna(subset=["km"])
    assert constant["km"].max() > model["km"].max()  # 25 km a day falls behind 32


def test_cli_backtest_repeat_reports_the_spread_over_sampler_seeds(world, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    network, data = _dataset_folder(world, tmp_path)
    args = ["backtest", str(data), "--network", str(network.folder), "--trials", "3",
            "--seeds", "1", "--members", "2", "--workers", "1", "--no-policies",
            "--param", "walk_speed_km_per_day=20:40", "--spread", "0:1", "--seed", "3"]
    once = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "one")])
    assert once.exit_code == 0, once.output
    twice = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "two"), "--repeat", "2"])
    assert twice.exit_code == 0, twice.output
    seeds = pd.read_csv(tmp_path / "two" / "skill_over_seeds.csv")
    assert sorted(seeds["sampler_seed"].unique()) == [3, 4]
    # the first seed's figures are those of a plain run with that seed, and its files too
    skill = pd.read_csv(tmp_path / "one" / "skill.csv")
    pooled = skill[skill["caravan"] == "pooled"].set_index("method")["median_km"]
    mine = seeds[(seeds["sampler_seed"] == 3) & (seeds["lead"] == "departure")]
    assert mine.set_index("method")["median_km"].to_dict() == pytest.approx(pooled.to_dict(),
                                                                             rel=1e-3)
    one, two = (tmp_path / d / "skill.csv" for d in ("one", "two"))
    assert one.read_text() == two.read_text()
    dep = seeds[(seeds["lead"] == "departure") & (seeds["method"] == "model")]
    assert dep["median_km"].nunique() == 2  # the second seed's fits are its own
    base = seeds[seeds["method"] == "constant_25km_day"]
    assert base.groupby("lead")["median_km"].nunique().eq(1).all()  # baselines do not move
    assert "## Over sampler seeds" in (tmp_path / "two" / "README.md").read_text()
