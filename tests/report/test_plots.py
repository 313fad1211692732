"""Time-series figures: the right series, overlays per run, observed places placed correctly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

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


def test_svg_is_well_formed_and_draws_each_series(run: RunData) -> None:
    svg = plots.people_per_status_figure([run]).to_svg("status", name="status")
    root = ET.fromstring(svg)  # raises on malformed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    lines = root.findall(".//{http://www.w3.org/2000/svg}polyline")
    assert sorted(line.get("data-label") for line in lines) == ["arrived", "at_place",
                                                               "in_transit"]
    assert all(len(line.get("points").split()) == 8 for line in lines)  # one point per day


def test_place_names_are_plain_text(run: RunData) -> None:
    """A name with TeX/mathtext or markup is drawn as typed (matplotlib crashed on it)."""
    odd = r"$\undefinedmacro$ <b>&"
    run.places.loc["huixtla", "name"] = odd
    fig = plots.caravan_head_figure([run])
    assert odd in {t.text for t in fig.axes[0].texts}
    root = ET.fromstring(fig.to_svg())
    assert odd in {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}


def test_top_places_by_peak(run: RunData) -> None:
    # Tapachula peaks at 6000 on day 0, Huixtla 5650 (5600 + 50 in transit), Escuintla 5200
    assert plots.top_places(run, 3) == ["tapachula", "huixtla", "escuintla"]


def test_people_per_place_overlay(run: RunData, other_run_dir: Path) -> None:
    other = RunData.load(other_run_dir)
    fig = plots.people_per_place_figure([run, other], top=3)
    labels = [line.label for line in fig.axes[0].lines]
    assert labels == [
        "Tapachula",
        "Huixtla",
        "Escuintla",
        "Tapachula (run-b)",
        "Huixtla (run-b)",
        "Escuintla (run-b)",
    ]
    styles = [line.style for line in fig.axes[0].lines]
    assert styles[:3] == ["-"] * 3 and styles[3:] == ["--"] * 3


def test_people_per_status_series(run: RunData) -> None:
    fig = plots.people_per_status_figure([run])
    lines = {line.label: line for line in fig.axes[0].lines}
    assert set(lines) == {"arrived", "at_place", "in_transit"}
    assert lines["in_transit"].y == [0, 0, 50, 50, 50, 50, 50, 50]


def test_route_km_shortest_path(run: RunData) -> None:
    km = run.km_from("tapachula")
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
    markers = [m for m in ax.markers if m.shape == "o"]
    assert len(markers) == 2
    (huixtla,) = [m for m in markers if m.y == 40.0]
    (arriaga,) = [m for m in markers if m.y == 240.0]
    assert huixtla.filled
    assert not arriaga.filled
    assert {t.text for t in ax.texts} == {"Huixtla", "Arriaga"}


def test_caravan_size_error_bars(run: RunData) -> None:
    fig = plots.caravan_size_figure([run])
    ax = fig.axes[0]
    assert ax.errorbars, "reported caravan size drawn as an error bar"
    assert [(e.y, e.low, e.high) for e in ax.errorbars] == [(6000.0, 5500.0, 6500.0)]


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
    assert sorted(e.y for e in fig.axes[0].errorbars) == [5500.0, 6000.0]
