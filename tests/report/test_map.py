"""Maps: evenly spaced days, one circle scale for all panels, heads drawn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import report_fixtures as fx

from corridor.report import map as maps
from corridor.report.data import RunData

# shared fixtures (see report_fixtures.py for why this is not a conftest.py)
run_dir = fx.run_dir


def test_map_days_evenly_spaced(run_dir: Path) -> None:
    assert maps.map_days(RunData.load(run_dir)) == [0, 2, 5, 7]
    assert maps.map_days(RunData.load(run_dir), n=2) == [0, 7]


def test_people_map_small_multiples(run_dir: Path) -> None:
    run = RunData.load(run_dir)
    fig = maps.people_map_figure(run)
    assert len(fig.axes) == 4
    titles = [ax.title for ax in fig.axes]
    assert titles[0] == "day 0 · 2023-12-24 · 6,300 people"
    # circles share one scale: the largest count on any panel gets the largest circle
    sizes = np.array([c.area for ax in fig.axes for c in ax.circles])
    assert sizes.max() == maps.MAX_CIRCLE_AREA
    # day 0: Tapachula 6000 people, Tecún Umán 300 -> areas 1 : 0.05
    circles = np.array([c.area for c in fig.axes[0].circles])
    assert sorted(circles / circles.max()) == [0.05, 1.0]
    # one caravan-head star per panel
    assert all(len([m for m in ax.markers if m.shape == "*"]) == 1 for ax in fig.axes)


def test_chosen_days_and_labels(run_dir: Path) -> None:
    run = RunData.load(run_dir)
    fig = maps.people_map_figure(run, days=[3])
    assert len(fig.axes) == 1
    labels = maps.labelled_places(run, top=2, min_gap=0.0)
    assert labels == ["tapachula", "huixtla", "mexico_city"]  # origin, busiest, destinations
    # Huixtla is ~0.3° from Tapachula on a ~7° wide map: crowded out at a 5 % gap
    assert maps.labelled_places(run, top=2, min_gap=0.05) == ["tapachula", "mexico_city"]


def test_network_map(run_dir: Path) -> None:
    run = RunData.load(run_dir)
    fig = maps.network_map_figure(run)
    ax = fig.axes[0]
    route_lines = [ln for ln in ax.lines if ln.style == "-"]
    assert len(route_lines) == 5
    assert "Mexico City" in {t.text for t in ax.texts}
    run.places = None
    assert maps.network_map_figure(run) is None
    assert maps.people_map_figure(run) is None
