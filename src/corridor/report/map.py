"""Maps of the network and of where people are, drawn offline on a plain lat/lon grid.

No basemap or country outlines (nothing to download at build or view time): places are points
at lon/lat, routes straight lines, people circles whose area is proportional to the number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from corridor.report.data import RunData
from corridor.report.plots import top_places
from corridor.report.svg import Axes, Circle, Figure, LegendEntry

KIND_COLORS = {  # matplotlib's tab: colours, as hex
    "destination": "#d62728",
    "border_crossing": "#9467bd",
    "port_of_entry": "#9467bd",
    "checkpoint": "#ff7f0e",
    "detention": "#000000",
    "shelter": "#2ca02c",
    "camp": "#2ca02c",
}
OTHER_KIND = "#595959"
ROUTE_COLOR = "#b3b3b3"
PEOPLE_COLOR, PEOPLE_EDGE, HEAD_COLOR = "#1f77b4", "#000080", "#ffd700"
MAX_CIRCLE_AREA = 900.0  # circle area (px²) of the largest count on any panel


def map_days(run: RunData, n: int = 4) -> list[int]:
    """``n`` evenly spaced days from the first to the last recorded day (fewer if short)."""
    if run.counts is None or run.counts.empty:
        return []
    days = np.sort(run.counts["day"].unique())
    picks = np.linspace(0, len(days) - 1, num=min(n, len(days))).round().astype(int)
    return [int(days[i]) for i in dict.fromkeys(picks)]


def labelled_places(run: RunData, top: int = 5, min_gap: float = 0.04) -> list[str]:
    """Places worth a name on a map, most important first, none crowding another.

    Caravan origins, then the busiest places, then destinations; a place closer than
    ``min_gap`` × the map's extent to one already chosen is skipped, so labels stay readable.
    """
    places = run.places
    assert places is not None
    chosen = [c.get("origin") for c in run.summary.get("caravans", {}).values() if c.get("origin")]
    chosen += top_places(run, top)
    chosen += list(places.index[places["kind"] == "destination"])
    where = _where(places)
    lon, lat = _lon_lat(places)
    extent = max(float(np.ptp(lon)), float(np.ptp(lat)), 1e-9)
    kept: list[str] = []
    for p in dict.fromkeys(chosen):
        if p not in where:
            continue
        x, y = where[p]
        if all(math.hypot(x - where[q][0], y - where[q][1]) >= min_gap * extent for q in kept):
            kept.append(p)
    return kept


def _lon_lat(places: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return places["lon"].to_numpy(float), places["lat"].to_numpy(float)


def _where(places: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each place id: plain floats (pandas lookups per place were most of a map)."""
    lon, lat = _lon_lat(places)
    return dict(zip(places.index, zip(lon.tolist(), lat.tolist(), strict=True), strict=True))


def _base(ax: Axes, run: RunData, labels: Sequence[str], fontsize: float) -> None:
    """Grid, routes as lines, places as small dots coloured by kind, a few labels."""
    places = run.places
    assert places is not None
    where = _where(places)
    lon, lat = _lon_lat(places)
    if run.routes is not None:
        for a, b in zip(run.routes["from"].tolist(), run.routes["to"].tolist(), strict=True):
            if a in where and b in where:
                ax.plot([where[a][0], where[b][0]], [where[a][1], where[b][1]], "-",
                        color=ROUTE_COLOR, width=0.8)
    for x, y, kind in zip(lon.tolist(), lat.tolist(), places["kind"].tolist(), strict=True):
        shade = KIND_COLORS.get(kind if isinstance(kind, str) else "", OTHER_KIND)
        ax.marker(x, y, "o", color=shade, size=2.0)
    for p in labels:
        ax.text(where[p][0], where[p][1], run.place_name(p), size=fontsize)
    mean_lat = float(places["lat"].mean())
    ax.aspect = 1.0 / max(math.cos(math.radians(mean_lat)), 0.1)  # km-true at mid-latitude
    ax.dates, ax.y_from_zero = False, False
    pad_x = max(0.5, 0.05 * float(np.ptp(lon)))
    pad_y = max(0.5, 0.05 * float(np.ptp(lat)))
    ax.xlim = (float(lon.min()) - pad_x, float(lon.max()) + pad_x)
    ax.ylim = (float(lat.min()) - pad_y, float(lat.max()) + pad_y)


def network_map_figure(run: RunData) -> Figure | None:
    """The scenario's places and routes, coloured by kind, main places named."""
    if run.places is None or run.places.empty:
        return None
    fig = Figure(width=900.0, panel_height=640.0)
    ax = fig.add_axes(title="Network: places and routes", xlabel="longitude",
                      ylabel="latitude")
    _base(ax, run, labelled_places(run, top=10), fontsize=10)
    by_color: dict[str, list[str]] = {}
    for kind, shade in KIND_COLORS.items():
        if (run.places["kind"] == kind).any():
            by_color.setdefault(shade, []).append(kind.replace("_", " "))
    ax.extra_legend = [LegendEntry(" / ".join(kinds), shade, "o")
                       for shade, kinds in by_color.items()]
    return fig


def people_map_figure(run: RunData, days: Sequence[int] | None = None) -> Figure | None:
    """Small multiples: people per place (circle area) on a few days, caravan heads as stars."""
    if run.places is None or run.places.empty or run.counts is None or run.counts.empty:
        return None
    days = list(days) if days is not None else map_days(run)
    per_day = run.counts[run.counts["day"].isin(days)].groupby(["day", "place"])["n"].sum()
    vmax = float(per_day.max()) if len(per_day) else 0.0
    ncols = 2 if len(days) > 1 else 1
    fig = Figure(width=1000.0, panel_height=440.0, ncols=ncols)
    labels = labelled_places(run, top=4)
    for day in days:
        date = _date_of(run, day)
        ax = fig.add_axes(title_size=11.0, legend=False)
        _base(ax, run, labels, fontsize=8)
        n = per_day.get(day, pd.Series(dtype=float))
        n = n[n.index.isin(run.places.index) & (n > 0)]
        if vmax > 0 and len(n):
            pl = run.places.loc[n.index]
            for lon, lat, people in zip(pl["lon"], pl["lat"], n.to_numpy(), strict=True):
                ax.circles.append(Circle(float(lon), float(lat),
                                         MAX_CIRCLE_AREA * float(people) / vmax,
                                         PEOPLE_COLOR, PEOPLE_EDGE))
        if run.groups is not None:
            heads = run.groups[run.groups["day"] == day]
            for lon, lat in zip(heads["lon"], heads["lat"], strict=True):
                ax.marker(float(lon), float(lat), "*", color=HEAD_COLOR, size=5.0,
                          edge="#000000")
        ax.title = (
            f"day {day}"
            + (f" · {date:%Y-%m-%d}" if date is not None else "")
            + f" · {float(n.sum()):,.0f} people"
        )
    if vmax > 0:  # reference circles so areas read as numbers; one scale on every panel
        refs = [vmax, vmax / 4, vmax / 16]
        fig.footer_legend = [
            LegendEntry(f"{r:,.0f} people", PEOPLE_COLOR, f"circle:{MAX_CIRCLE_AREA * r / vmax}")
            for r in refs
        ] + [LegendEntry("caravan head", HEAD_COLOR, "*")]
    return fig


def _date_of(run: RunData, day: int) -> pd.Timestamp | None:
    assert run.counts is not None
    dates = run.counts.loc[run.counts["day"] == day, "date"]
    return pd.Timestamp(dates.iloc[0]) if len(dates) else None
