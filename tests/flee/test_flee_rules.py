"""corridor's ``flee`` rules against Flee's formulas, computed here independently.

A tiny Flee-format network (RULES.md §3): A conflict zone, B town, C camp, D foreign camp.
On day 1 a known number of agents appears at A; all leave (conflict move chance 1), and the
share taking each link must match Flee's route weights
``(weight_softening + score(x)) / (softening + km) ** distance_power * cm(x)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.flee_metrics import ard, mase
from corridor.engine import simulate
from corridor.engine.rules.flee_kernels import cap_multiplier
from corridor.engine.rules.flee_setup import spawn_schedule
from corridor.scenario.flee_import import load_flee

N = 20_000  # agents spawned on day 1
ROUTES = {("A", "B"): 50.0, ("A", "C"): 100.0, ("A", "D"): 200.0, ("B", "C"): 30.0}


def flee_folder(tmp: Path, refugees: str = f"2020-01-01,0\n2020-01-02,{N}\n") -> tuple[Path, Path]:
    folder = tmp / "tiny"
    folder.mkdir()
    (folder / "locations.csv").write_text(
        "#name,region,country,lat,lon,location_type,conflict_date,population\n"
        "A,r,Mali,15,0,conflict_zone,0,1000\n"
        "B,r,Mali,15,1,town,0,500\n"
        "C,r,Mali,15,2,camp,0,\n"
        "D,r,Niger,15,3,camp,0,\n", encoding="utf-8")
    (folder / "routes.csv").write_text(
        "#name1,name2,distance,forced_redirection\n"
        + "".join(f"{a},{b},{km:g},0\n" for (a, b), km in ROUTES.items()), encoding="utf-8")
    (folder / "closures.csv").write_text("#closure_type,name1,name2,start,end\n",
                                         encoding="utf-8")
    (folder / "conflicts.csv").write_text("#Day,A\n" + "".join(f"{d},1\n" for d in range(5)),
                                          encoding="utf-8")
    (folder / "sim_period.csv").write_text("StartDate,2020-01-01\nLength,5\n", encoding="utf-8")
    validation = tmp / "tiny2020"
    validation.mkdir()
    (validation / "data_layout.csv").write_text("total,refugees.csv\nC,c.csv\nD,d.csv\n",
                                                encoding="utf-8")
    (validation / "refugees.csv").write_text("Date,n\n" + refugees, encoding="utf-8")
    for camp in "cd":
        (validation / f"{camp}.csv").write_text("Date,n\n2020-01-01,0\n", encoding="utf-8")
    return folder, validation


def flee_probabilities(paths: dict[tuple[str, ...], float], score: dict[str, float],
                       softening: float = 10.0) -> dict[str, float]:
    """Flee's selectRoute probabilities, summed by first hop (no capacity limits here)."""
    weights = {p: score[p[-1]] / (softening + km) for p, km in paths.items()}
    total = sum(weights.values())
    first: dict[str, float] = {}
    for p, w in weights.items():
        first[p[0]] = first.get(p[0], 0.0) + w / total
    return first


def observed_first_hops(tmp_path: Path, **parameters: object) -> dict[str, float]:
    folder, validation = flee_folder(tmp_path)
    base = load_flee(folder, validation)
    scenario = base.with_overrides(days=2, seed=3, parameters={
        "spawn_mode": "refugees", "camp_weight": 2.0, "foreign_weight": 0.5,
        # slower than the shortest link: no one arrives and re-decides on day 1
        "max_move_speed_km_per_day": 20.0, **parameters})
    result = simulate(scenario)
    net = result.network
    a = net.place("A")
    flows = result.recorder.flows[1]
    out = {net.ids[net.target[e]]: flows[e] / N
           for e in range(net.indptr[a], net.indptr[a + 1])}
    assert result.agents == N
    return out


def test_route_choice_awareness_1(tmp_path: Path) -> None:
    # scores: town 1, camp x camp_weight 2, foreign camp x 2 x 0.5
    score = {"B": 1.0, "C": 2.0, "D": 1.0}
    expected = flee_probabilities({("B",): 50.0, ("C",): 100.0, ("D",): 200.0}, score)
    observed = observed_first_hops(tmp_path)
    for place, p in expected.items():
        sd = np.sqrt(p * (1 - p) / N)
        assert abs(observed[place] - p) < 4 * sd, (place, observed[place], p)


def test_route_choice_awareness_2(tmp_path: Path) -> None:
    """Paths of two links count too (loop-free); weights use the whole path's km."""
    score = {"B": 1.0, "C": 2.0, "D": 1.0}
    paths = {("B",): 50.0, ("B", "C"): 80.0, ("C",): 100.0, ("C", "B"): 130.0, ("D",): 200.0}
    expected = flee_probabilities(paths, score)
    observed = observed_first_hops(tmp_path, awareness_level=2)
    for place, p in expected.items():
        sd = np.sqrt(p * (1 - p) / N)
        assert abs(observed[place] - p) < 4 * sd, (place, observed[place], p)


def test_capacity_multiplier_matches_flee() -> None:
    """getCapMultiplier: 1 up to 90 % of C, 0 from C, linear between; C < 1 is unlimited."""
    assert cap_multiplier(50.0, 100.0, 1.0, 0.9) == 1.0
    assert cap_multiplier(95.0, 100.0, 1.0, 0.9) == pytest.approx(0.5)
    assert cap_multiplier(100.0, 100.0, 1.0, 0.9) == 0.0
    assert cap_multiplier(100.0, 100.0, 1.25, 0.9) == 1.0  # capacity_scaling: C = 125
    assert cap_multiplier(118.75, 100.0, 1.25, 0.9) == pytest.approx(0.5)
    assert cap_multiplier(10_000.0, -5.0, 1.0, 0.9) == 1.0  # negative capacity: unlimited


def test_spawn_debt_follows_flee(tmp_path: Path) -> None:
    """new(t) = I(t) - I(t-1) - debt; a drop becomes debt paid by later increases."""
    folder, validation = flee_folder(
        tmp_path, refugees="2020-01-01,100\n2020-01-02,150\n2020-01-03,120\n"
                           "2020-01-04,200\n2020-01-05,210\n")
    scenario = load_flee(folder, validation).with_overrides(parameters={"spawn_mode":
                                                                         "refugees"})
    from corridor.engine.core import resolve_parameters
    from corridor.engine.network import compile_network

    schedule = spawn_schedule(scenario, compile_network(scenario), resolve_parameters(scenario))
    # day 0: camps pre-filled, nothing spawned; +50; -30 -> debt 30; +80-30; +10
    assert schedule.new_per_day.tolist() == [0, 50, 0, 50, 10]
    assert schedule.debt.tolist() == [0, 0, 30, 0, 0]


def test_ard_by_hand() -> None:
    """Two camps, two days: ARD and rescaled ARD computed by hand."""
    sim = pd.DataFrame({"x": [10.0, 30.0], "y": [0.0, 10.0]})
    data = pd.DataFrame({"x": [20.0, 20.0], "y": [0.0, 20.0]})
    # day 0: (|10-20| + 0) / 20 = 0.5; day 1: (10 + 10) / 40 = 0.5
    assert ard(sim, data) == pytest.approx(0.5)
    # rescaled: day 0 sim x 20/10 -> (20, 0): 0; day 1 x 40/40 -> (30, 10): 20/40 = 0.5
    assert ard(sim, data, rescaled=True) == pytest.approx(0.25)


def test_mase_by_hand() -> None:
    """MASE30 with a flat naive forecast from day 1 (start=1) on one camp."""
    data = pd.DataFrame({"x": [0.0, 2.0, 4.0, 6.0]})
    sim = pd.DataFrame({"x": [0.0, 2.0, 4.0, 6.0]}) * 2  # rescaled back to data exactly
    result = mase(sim, data, start=1)
    assert result["x"] == 0.0
    sim2 = pd.DataFrame({"x": [0.0, 3.0, 4.0, 5.0]})
    # rescaled each day to the data total (one camp): identical to the data -> 0
    assert mase(sim2, data, start=1)["x"] == 0.0
    two = pd.DataFrame({"x": [1.0, 1.0, 1.0, 1.0], "y": [1.0, 1.0, 3.0, 3.0]})
    truth = pd.DataFrame({"x": [1.0, 1.0, 2.0, 2.0], "y": [1.0, 1.0, 2.0, 2.0]})
    # rescaled sim: day 2,3: total 4 -> x 1, y 3; |err| x = [0,0,1,1] -> 0.5
    # naive from day 1 (value 1), after day 1: |2-1|,|2-1| -> 1; MASE x = 0.5
    assert mase(two, truth, start=1)["x"] == pytest.approx(0.5)
