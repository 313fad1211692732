"""Time-series figures of a run, optionally overlaid with other runs (dashed, labelled by folder).

Figures are ``corridor.report.svg`` objects built from pre-aggregated tables (one point per day
and series) and written as inline SVG: fast, no plotting library, all text plain.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corridor.analysis.observations import haversine_km
from corridor.report.data import RunData
from corridor.report.svg import Axes, ErrorBar, Figure, color
from corridor.report.svg import as_x as ax_x

RUN_STYLES = ["-", "--", ":", "-."]
HEAD_KINDS = {"position": "o", "arrived": "s", "departed": "^"}


def new_axes(title: str, ylabel: str, width: float = 900.0, height: float = 380.0
             ) -> tuple[Figure, Axes]:
    """A one-panel figure with a calendar x axis."""
    fig = Figure(width=width, panel_height=height)
    return fig, fig.add_axes(title=title, ylabel=ylabel)


def _style(i: int) -> str:
    return RUN_STYLES[i % len(RUN_STYLES)]


def _label(series: str, run: RunData, i: int, n_runs: int) -> str | None:
    """Colour stands for the series, line style for the run: name the run only when overlaid."""
    if n_runs == 1:
        return series
    return series if i == 0 else f"{series} ({run.name})"


def top_places(run: RunData, top: int = 8) -> list[str]:
    """Places with the highest peak of people present, highest first."""
    table = run.people_per_place()
    if table.empty:
        return []
    return list(table.max().sort_values(ascending=False).index[:top])


def people_per_place_figure(runs: Sequence[RunData], top: int = 8) -> Figure:
    """People per place over time for the main run's top places (by peak)."""
    places = top_places(runs[0], top)
    fig, ax = new_axes(f"People per place (top {len(places)} by peak)", "people present")
    colors = {p: color(k) for k, p in enumerate(places)}
    for i, run in enumerate(runs):
        table = run.people_per_place()
        for p in places:
            if p in table.columns:
                ax.plot(
                    table.index,
                    table[p],
                    _style(i),
                    color=colors[p],
                    label=_label(runs[0].place_name(p), run, i, len(runs)),
                )
    return fig


def people_per_status_figure(runs: Sequence[RunData]) -> Figure:
    """People in each status over time; statuses are whatever the runs contain."""
    fig, ax = new_axes("People by status", "people")
    statuses: list[str] = []
    for run in runs:
        statuses += [s for s in run.people_per_status().columns if s not in statuses]
    colors = {s: color(k) for k, s in enumerate(statuses)}
    for i, run in enumerate(runs):
        table = run.people_per_status()
        for s in table.columns:
            ax.plot(
                table.index,
                table[s],
                _style(i),
                color=colors[s],
                label=_label(s, run, i, len(runs)),
            )
    return fig


def caravan_origin(run: RunData, group: str) -> str | None:
    """Where a caravan set out: from summary.json, else the head's place on its first day."""
    info = run.summary.get("caravans", {}).get(group, {})
    if info.get("origin"):
        return str(info["origin"])
    if run.groups is None:
        return None
    rows = run.groups[run.groups["group"] == group].sort_values("day")
    return str(rows["place"].iloc[0]) if len(rows) else None


def place_km_along(run: RunData, group: str, place: str) -> tuple[float, bool] | None:
    """(km, reached): where ``place`` lies on the caravan's way and whether its head ever got there.

    km is the shortest-route distance from the caravan's origin (the place's own position; the
    head's km on the day it reached a place overshoots by part of a day's walk). Without a route
    table it falls back to the head's km on the first day it was at the place.
    """
    reached_rows = None
    if run.groups is not None:
        reached_rows = run.groups[(run.groups["group"] == group) & (run.groups["place"] == place)]
    reached = reached_rows is not None and len(reached_rows) > 0
    origin = caravan_origin(run, group)
    km = run.km_from(origin).get(place) if origin else None
    if km is None and reached:
        assert reached_rows is not None
        km = float(reached_rows.sort_values("day")["km_from_origin"].iloc[0])
    return None if km is None else (km, reached)


def nearest_group(run: RunData, date: pd.Timestamp, place: str) -> str | None:
    """The caravan whose head is nearest ``place`` on ``date`` (as scored), else the first."""
    if run.groups is None or run.groups.empty:
        return None
    today = run.groups[run.groups["date"] == date]
    if today.empty or run.places is None or place not in run.places.index:
        return str(run.groups["group"].iloc[0])
    lat, lon = run.places.loc[place, ["lat", "lon"]].astype(float)
    dist = haversine_km(today["lat"].to_numpy(float), today["lon"].to_numpy(float), lat, lon)
    return str(today["group"].iloc[int(np.argmin(dist))])


def _caravan_lines(ax: Axes, runs: Sequence[RunData], column: str, what: str) -> dict[str, str]:
    """One line per caravan per run (compared runs dashed); returns each caravan's colour."""
    first = runs[0].groups
    groups = list(dict.fromkeys(first["group"])) if first is not None else []
    colors = {str(g): color(k) for k, g in enumerate(groups)}
    for i, run in enumerate(runs):
        if run.groups is None:
            continue
        for g, rows in run.groups.groupby("group", sort=False):
            rows = rows.sort_values("day")
            ax.plot(rows["date"], rows[column], _style(i), color=colors.get(str(g), "#808080"),
                    label=_label(f"{g} {what}", run, i, len(runs)))
    return colors


def caravan_head_figure(runs: Sequence[RunData]) -> Figure | None:
    """Km from origin of each caravan head per day, with observed places as markers.

    An observed place is drawn at its route distance from the caravan's origin, on the date of the
    report; filled if the simulated head reached that place at some point, hollow if it never did.
    The head line passing through a marker means the simulation was there that day.
    """
    main = runs[0]
    if main.groups is None or main.groups.empty:
        return None
    fig, ax = new_axes(
        "Caravan head vs reported places (hollow: head never reached the place)",
        "km from origin")
    colors = _caravan_lines(ax, runs, "km_from_origin", "head")
    obs = main.observations
    obs = obs[obs["kind"].isin(HEAD_KINDS) & (obs["place"] != "")]
    seen: set[str] = set()
    for _, o in obs.iterrows():
        g = nearest_group(main, o["date"], o["place"])
        where = place_km_along(main, g, o["place"]) if g else None
        if where is None:
            continue
        km, passed = where
        shade = colors.get(str(g), "#000000")
        label = f"observed {o['kind']}" if o["kind"] not in seen else None
        seen.add(o["kind"])
        ax.marker(o["date"], km, HEAD_KINDS[o["kind"]], color=shade, filled=passed, size=4.5,
                  label=label)
        ax.text(o["date"], km, main.place_name(o["place"]))
    return fig


def caravan_size_figure(runs: Sequence[RunData]) -> Figure | None:
    """Members of each caravan per day vs reported caravan sizes (low–high bars; sizes given
    with a reported position count too)."""
    main = runs[0]
    if main.groups is None or main.groups.empty:
        return None
    fig, ax = new_axes("Caravan size", "people in caravan")
    _caravan_lines(ax, runs, "members", "members")
    o = main.observations
    has_range = o["low"].notna() | o["high"].notna()
    obs = o[(o["kind"] == "caravan_size") | ((o["kind"] == "position") & has_range)]
    if len(obs):
        low = obs["low"].fillna(obs["high"])
        high = obs["high"].fillna(obs["low"])
        mid = (low + high) / 2
        for k, (date, m, lo, hi) in enumerate(zip(obs["date"], mid, low, high, strict=True)):
            ax.errorbars.append(ErrorBar(ax_x(date), float(m), float(lo), float(hi),
                                         label="reported size (low–high)" if k == 0 else None))
    return fig
