"""Maps of the network and of where people are, drawn offline on a plain lat/lon grid.

No basemap or country outlines (nothing to download at build or view time): places are points
at lon/lat, routes straight lines, people circles whose area is proportional to the number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from corridor.report.data import RunData
from corridor.report.plots import new_figure, top_places

KIND_COLORS = {
    "destination": "tab:red",
    "border_crossing": "tab:purple",
    "port_of_entry": "tab:purple",
    "checkpoint": "tab:orange",
    "detention": "black",
    "shelter": "tab:green",
    "camp": "tab:green",
}
MAX_CIRCLE_PT2 = 900.0  # marker area (points²) of the largest count on any panel


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
    extent = max(float(np.ptp(places["lon"])), float(np.ptp(places["lat"])), 1e-9)
    kept: list[str] = []
    for p in dict.fromkeys(chosen):
        if p not in places.index:
            continue
        lon, lat = float(places.at[p, "lon"]), float(places.at[p, "lat"])
        if all(
            math.hypot(lon - places.at[q, "lon"], lat - places.at[q, "lat"]) >= min_gap * extent
            for q in kept
        ):
            kept.append(p)
    return kept


def _base(ax: Axes, run: RunData, labels: Sequence[str], fontsize: float) -> None:
    """Grid, routes as lines, places as small dots coloured by kind, a few labels."""
    places = run.places
    assert places is not None
    if run.routes is not None:
        for a, b in run.routes[["from", "to"]].itertuples(index=False):
            if a in places.index and b in places.index:
                ax.plot(
                    places.loc[[a, b], "lon"],
                    places.loc[[a, b], "lat"],
                    "-",
                    color="0.7",
                    lw=0.8,
                    zorder=1,
                )
    colors = [KIND_COLORS.get(k, "0.35") for k in places["kind"].fillna("")]
    ax.scatter(places["lon"], places["lat"], s=8, c=colors, zorder=3, linewidths=0)
    for p in labels:
        ax.annotate(
            run.place_name(p),
            (places.at[p, "lon"], places.at[p, "lat"]),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=fontsize,
            zorder=4,
        )
    mean_lat = float(places["lat"].mean())
    ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 0.1))  # km-true at mid-latitude
    ax.grid(alpha=0.3, lw=0.5)
    ax.tick_params(labelsize=7)
    pad_x = max(0.5, 0.05 * float(np.ptp(places["lon"])))
    pad_y = max(0.5, 0.05 * float(np.ptp(places["lat"])))
    ax.set_xlim(places["lon"].min() - pad_x, places["lon"].max() + pad_x)
    ax.set_ylim(places["lat"].min() - pad_y, places["lat"].max() + pad_y)


def network_map_figure(run: RunData) -> Figure | None:
    """The scenario's places and routes, coloured by kind, main places named."""
    if run.places is None or run.places.empty:
        return None
    fig = new_figure(8.0, 6.0)
    ax = fig.add_subplot()
    _base(ax, run, labelled_places(run, top=10), fontsize=8)
    by_color: dict[str, list[str]] = {}
    for kind, color in KIND_COLORS.items():
        if (run.places["kind"] == kind).any():
            by_color.setdefault(color, []).append(kind.replace("_", " "))
    for color, kinds in by_color.items():
        ax.scatter([], [], s=20, c=color, label=" / ".join(kinds))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="lower left")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Network: places and routes")
    return fig


def people_map_figure(run: RunData, days: Sequence[int] | None = None) -> Figure | None:
    """Small multiples: people per place (circle area) on a few days, caravan heads as stars."""
    if run.places is None or run.places.empty or run.counts is None or run.counts.empty:
        return None
    days = list(days) if days is not None else map_days(run)
    per_day = run.counts[run.counts["day"].isin(days)].groupby(["day", "place"])["n"].sum()
    vmax = float(per_day.max()) if len(per_day) else 0.0
    ncols = 2 if len(days) > 1 else 1
    nrows = math.ceil(len(days) / ncols)
    fig = new_figure(10.0, 4.2 * nrows)
    labels = labelled_places(run, top=4)
    for k, day in enumerate(days):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        _base(ax, run, labels, fontsize=6)
        n = per_day.get(day, pd.Series(dtype=float))
        n = n[n.index.isin(run.places.index) & (n > 0)]
        if vmax > 0 and len(n):
            pl = run.places.loc[n.index]
            ax.scatter(
                pl["lon"],
                pl["lat"],
                s=MAX_CIRCLE_PT2 * n.to_numpy() / vmax,
                color="tab:blue",
                alpha=0.45,
                edgecolors="navy",
                linewidths=0.5,
                zorder=2,
            )
        if run.groups is not None:
            heads = run.groups[run.groups["day"] == day]
            ax.scatter(
                heads["lon"],
                heads["lat"],
                marker="*",
                s=90,
                color="gold",
                edgecolors="k",
                linewidths=0.6,
                zorder=5,
            )
        date = _date_of(run, day)
        ax.set_title(
            f"day {day}"
            + (f" · {date:%Y-%m-%d}" if date is not None else "")
            + f" · {float(n.sum()):,.0f} people",
            fontsize=9,
        )
    _size_legend(fig, vmax)
    return fig


def _date_of(run: RunData, day: int) -> pd.Timestamp | None:
    assert run.counts is not None
    dates = run.counts.loc[run.counts["day"] == day, "date"]
    return pd.Timestamp(dates.iloc[0]) if len(dates) else None


def _size_legend(fig: Figure, vmax: float) -> None:
    """Reference circles so the areas can be read as numbers; the same scale on every panel."""
    if vmax <= 0:
        return
    ax = fig.axes[0]
    refs = [vmax, vmax / 4, vmax / 16]
    handles = [
        ax.scatter(
            [], [], s=MAX_CIRCLE_PT2 * r / vmax, color="tab:blue", alpha=0.45, edgecolors="navy"
        )
        for r in refs
    ]
    handles.append(ax.scatter([], [], marker="*", s=90, color="gold", edgecolors="k"))
    labels = [f"{r:,.0f} people" for r in refs] + ["caravan head"]
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=4,
        fontsize=8,
        frameon=False,
        labelspacing=2.0,
        borderpad=1.2,
    )
