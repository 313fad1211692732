"""Members drawn around a fit, and the inflation factor chosen on training caravans."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.analysis.calibrate import Calibration, ParamRange
from corridor.analysis.spread import choose_spread, draw_members, parameter_scales

RANGES = [ParamRange("walk_speed_km_per_day", 10, 50),
          ParamRange("caravan_ride_probability_per_day", 0.001, 0.5, log=True)]


def fit(speeds: list[float], rides: list[float]) -> Calibration:
    trials = pd.DataFrame({"number": range(len(speeds)), "state": "COMPLETE",
                           "loss": np.arange(len(speeds), dtype=float), "loss_sd": 0.0,
                           "walk_speed_km_per_day": speeds,
                           "caravan_ride_probability_per_day": rides})
    return Calibration(RANGES, ["a"], [0], trials,
                       best={"walk_speed_km_per_day": speeds[0],
                             "caravan_ride_probability_per_day": rides[0]})


def test_factor_zero_is_the_best_trial_and_spread_grows_with_the_factor() -> None:
    f = fit([30, 28, 33, 25, 31], [0.05, 0.04, 0.08, 0.02, 0.1])
    assert all(m == f.best for m in draw_members(f, 0.0, 5, seed=1))
    sd = {k: np.std([m["walk_speed_km_per_day"] for m in draw_members(f, k, 32, seed=1)])
          for k in (1.0, 3.0)}
    assert 0 < sd[1.0] < sd[3.0]
    for m in draw_members(f, 50.0, 32, seed=1):  # clipped to the priors
        assert 10 <= m["walk_speed_km_per_day"] <= 50
        assert 0.001 <= m["caravan_ride_probability_per_day"] <= 0.5
    assert draw_members(f, 2.0, 8, seed=3) == draw_members(f, 2.0, 8, seed=3)


def test_scales_are_floored_when_the_best_trials_agree() -> None:
    f = fit([30.0] * 5, [0.05] * 5)
    scales = parameter_scales(f)
    assert scales["walk_speed_km_per_day"] == 0.02 * 40
    assert np.isclose(scales["caravan_ride_probability_per_day"], 0.02 * np.log(500))


def test_the_search_finds_the_factor_of_the_target_coverage(monkeypatch) -> None:
    """Coverage rising with the spread (as the members' sd): the bounded root find lands
    where it crosses 90 %, within its budget, and each candidate ran its own spread."""
    import corridor.analysis.spread as spread

    widths: list[float] = []

    def fake(evaluator, targets, graph, members):
        sd = float(np.std([p["walk_speed_km_per_day"] for p, _ in members]))
        widths.append(sd)
        return min(1.0, sd / 10.0)  # 90 % at sd 9 km/day

    monkeypatch.setattr(spread, "training_coverage", fake)
    f = fit([30.0] * 5, [0.05] * 5)  # floor scale 0.8 km/day
    choice = choose_spread(None, [], f, None, (0.25, 50.0), 256, 0, 0.9, evaluations=8)
    assert 3 <= len(choice.coverage) <= 8 and choice.factor in choice.coverage
    assert all(0.25 <= k <= 50.0 for k in choice.coverage)
    assert abs(choice.coverage[choice.factor] - 0.9) < 0.03
    # the factor is continuous: not one of a list
    assert choice.factor not in (0.25, 2.0, 4.0, 8.0, 16.0, 50.0)
    assert len(set(widths)) == len(widths)
    # more candidates, closer to the target
    finer = choose_spread(None, [], f, None, (0.25, 50.0), 256, 0, 0.9, evaluations=12)
    assert (abs(finer.coverage[finer.factor] - 0.9)
            <= abs(choice.coverage[choice.factor] - 0.9))


def test_the_largest_factor_when_the_target_is_out_of_reach(monkeypatch) -> None:
    import corridor.analysis.spread as spread

    monkeypatch.setattr(spread, "training_coverage", lambda *a: 0.6)
    f = fit([30.0] * 5, [0.05] * 5)
    choice = choose_spread(None, [], f, None, (0.25, 50.0), 8, 0, 0.9)
    assert choice.factor == 50.0 and choice.coverage == {50.0: 0.6}  # one evaluation
    monkeypatch.setattr(spread, "training_coverage", lambda *a: 0.95)
    assert choose_spread(None, [], f, None, (0.25, 50.0), 8, 0, 0.9).factor == 0.25
    assert choose_spread(None, [], f, None, (3.0,), 4, 0, 0.9).factor == 3.0
