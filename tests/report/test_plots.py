"""Time-series figures: the right series, overlays per run, observed places placed correctly."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest
import report_fixtures as fx

from corridor.report import plots
from corridor.report.data import RunData

# shared fixtures (see report_fixtures.py for why this is not a conftest.py)
other_run_dir = fx.other_run_dir
run_dir = fx.run_dir


@pytest.fixture
def run(run_dir: Path) -> RunData:
    return RunData.load(run_dir)


def test_agg_canvas_and_png(run: RunData) -> None:
    fig = plots.people_per_status_figure([run])
    assert type(fig.canvas).__name__ == "FigureCanvasAgg"
    data = plots.figure_to_png_base64(fig)
    import base64

    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend().lower() != "tkagg"


def test_top_places_by_peak(run: RunData) -> None:
    # Tapachula peaks at 6000 on day 0, Huixtla 5650 (5600 + 50 in transit), Escuintla 5200
    assert plots.top_places(run, 3) == ["tapachula", "huixtla", "escuintla"]


def test_people_per_place_overlay(run: RunData, other_run_dir: Path) -> None:
    other = RunData.load(other_run_dir)
    fig = plots.people_per_place_figure([run, other], top=3)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == [
        "Tapachula",
        "Huixtla",
        "Escuintla",
        "Tapachula (run-b)",
        "Huixtla (run-b)",
        "Escuintla (run-b)",
    ]
    styles = [line.get_linestyle() for line in fig.axes[0].get_lines()]
    assert styles[:3] == ["-"] * 3 and styles[3:] == ["--"] * 3


def test_people_per_status_series(run: RunData) -> None:
    fig = plots.people_per_status_figure([run])
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert set(lines) == {"arrived", "at_place", "in_transit"}
    assert list(lines["in_transit"].get_ydata()) == [0, 0, 50, 50, 50, 50, 50, 50]


def test_route_km_shortest_path(run: RunData) -> None:
    km = plots.route_km_from(run, "tapachula")
    assert km["arriaga"] == pytest.approx(240.0)
    assert km["tecun_uman"] == pytest.approx(35.0)


def test_place_km_along(run: RunData) -> None:
    assert plots.place_km_along(run, "christmas", "huixtla") == (40.0, True)  # route km, reached
    assert plots.place_km_along(run, "christmas", "arriaga") == (240.0, False)  # never reached
    run.routes = None  # no route table: the head's km on its first day there
    assert plots.place_km_along(run, "christmas", "escuintla") == (70.0, True)
    assert plots.place_km_along(run, "christmas", "arriaga") is None


def test_caravan_head_markers(run: RunData) -> None:
    fig = plots.caravan_head_figure([run])
    ax = fig.axes[0]
    markers = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(markers) == 2
    (huixtla,) = [m for m in markers if m.get_ydata()[0] == 40.0]
    (arriaga,) = [m for m in markers if m.get_ydata()[0] == 240.0]
    assert huixtla.get_markerfacecolor() != "none"
    assert arriaga.get_markerfacecolor() == "none"
    assert {t.get_text() for t in ax.texts} == {"Huixtla", "Arriaga"}


def test_caravan_size_error_bars(run: RunData) -> None:
    fig = plots.caravan_size_figure([run])
    ax = fig.axes[0]
    assert ax.containers, "reported caravan size drawn as an error bar"
    (points,) = [c for c in ax.containers][0].lines[:1]
    assert list(points.get_ydata()) == [6000.0]


def test_no_caravans_no_figure(run: RunData) -> None:
    run.groups = None
    assert plots.caravan_head_figure([run]) is None
    assert plots.caravan_size_figure([run]) is None


def test_nearest_group(run: RunData) -> None:
    extra = run.groups.assign(group="other", lat=run.groups["lat"] + 1.0)
    run.groups = pd.concat([run.groups, extra], ignore_index=True)
    assert plots.nearest_group(run, pd.Timestamp("2023-12-26"), "huixtla") == "christmas"


def test_caravan_size_includes_sizes_given_with_positions(run: RunData) -> None:
    extra = pd.DataFrame(
        [(pd.Timestamp("2023-12-26"), "huixtla", "position", 5000.0, 6000.0, "s", "q")],
        columns=["date", "place", "kind", "low", "high", "source", "quote"],
    )
    run.observations = pd.concat([run.observations, extra], ignore_index=True)
    fig = plots.caravan_size_figure([run])
    points = fig.axes[0].containers[0].lines[0]
    assert sorted(points.get_ydata()) == [5500.0, 6000.0]
