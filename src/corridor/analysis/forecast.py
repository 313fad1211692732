"""Forecast one caravan from where it is now: the question shelters ask first ("where will it
be in three days, in a week, and how many will still be in it?").

The forecast is the backtest's, for a caravan that has not finished: the point forecast
(position, people) comes from members at a calibration's best-fit parameters, told apart by
their seeds only, and the 5-95 % bands from members whose parameters are spread around the fit
(``spread.draw_members``; the backtest chose the top of its factor range, 50, in every fold).
Its skill is the backtest's, measured out of sample (README, "How well caravans are
forecast"), not anything this module computes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.analysis.backtest import centred
from corridor.analysis.calibrate import Calibration, ParamRange
from corridor.analysis.caravan_sim import CaravanStart, ensemble_tracks, summarise_tracks
from corridor.analysis.caravan_skill import RoadGraph, reported_positions, reported_sizes
from corridor.analysis.spread import SPREAD_RANGE, draw_members, member_seeds
from corridor.errors import CorridorError
from corridor.scenario.model import Scenario

#: the spread factor the backtest chose in every fold (the top of ``SPREAD_RANGE``)
DEFAULT_SPREAD = SPREAD_RANGE[1]
#: forecast.csv's columns
COLUMNS = ("date", "day", "lat", "lon", "near_place", "near_place_name", "km_q05", "km_q50",
           "km_q95", "people", "people_q05", "people_q95")


@dataclass(frozen=True)
class ForecastSettings:
    days: int = 14
    members: int = 20
    spread: float = DEFAULT_SPREAD
    seed: int = 0


def read_calibration(folder: Path) -> Calibration:
    """A `corridor calibrate` folder (calibration.json and trials.csv) as a Calibration."""
    folder = Path(folder)
    meta_path, trials_path = folder / "calibration.json", folder / "trials.csv"
    for path in (meta_path, trials_path):
        if not path.is_file():
            raise CorridorError(f"{path}: missing (--fit takes a folder written by "
                                "`corridor calibrate`)")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        ranges = [ParamRange(name, float(lo), float(hi), bool(log))
                  for name, (lo, hi, log) in meta["ranges"].items()]
        best = {str(k): float(v) for k, v in meta["best"].items()}
        trials = pd.read_csv(trials_path)
    except (ValueError, KeyError, TypeError) as exc:
        raise CorridorError(f"{meta_path}: not a calibration ({exc})") from None
    missing = [r.name for r in ranges if r.name not in trials or r.name not in best]
    if missing or not {"state", "loss", "number"} <= set(trials):
        raise CorridorError(f"{trials_path}: does not match {meta_path.name} "
                            f"(missing {', '.join(missing) or 'state/loss/number'})")
    return Calibration(ranges=ranges, caravans=list(meta.get("caravans", [])),
                       seeds=list(meta.get("seeds", [])), trials=trials, best=best,
                       best_loss=float(meta.get("best_loss") or math.nan))


def latest_start(timeline: pd.DataFrame, caravan: str, graph: RoadGraph,
                 path: Path) -> tuple[str, dt.date, float]:
    """Where the timeline last puts the caravan's main body (the network place nearest to its
    latest reported position), that day, and its latest reported size by then (the median of
    that day's reports' midpoints). ``departs_on_latest`` tells whether that report is its
    departure."""
    if caravan not in set(timeline["caravan"]):
        raise CorridorError(f"{path}: no rows for caravan {caravan!r} (it has: "
                            f"{', '.join(sorted(set(timeline['caravan']))) or 'none'})")
    positions = reported_positions(timeline, caravan)
    if positions.empty:
        raise CorridorError(f"{path}: caravan {caravan!r} has no dated position with lat/lon")
    last = positions.iloc[-1]
    day = last["date"]
    place = graph.ids[graph.nearest(float(last["lat"]), float(last["lon"]))]
    sizes = reported_sizes(timeline, caravan)
    sizes = sizes[sizes["date"] <= day]
    if sizes.empty:
        raise CorridorError(f"{path}: caravan {caravan!r} has no reported size by {day} "
                            "(give --people)")
    latest = sizes[sizes["date"] == sizes["date"].max()]
    people = float(((latest["low"] + latest["high"]) / 2).median())
    return place, day, people


def departs_on_latest(timeline: pd.DataFrame, caravan: str) -> bool:
    """Whether the caravan's latest reported position is its departure (it walks that day)."""
    positions = reported_positions(timeline, caravan)
    return bool(len(positions)) and positions.iloc[-1]["kind"] == "departed"


def forecast(network: Scenario, start: CaravanStart, fit: Calibration,
             settings: ForecastSettings = ForecastSettings(),
             policies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per day from the start: the predicted main body (point and nearest network place), its
    km from the start (5/50/95 %) and its people (median and 5-95 %).

    A caravan ``start.on_the_road`` is at ``start.place`` on day 0 and moves from day 1; one
    that departs that day has its first day's walk in day 0."""
    seeds = member_seeds(settings.members, settings.seed)
    centre = [(dict(fit.best), s) for s in seeds]
    draws = draw_members(fit, settings.spread, settings.members, settings.seed)
    spread = list(zip(draws, seeds, strict=True))
    days = settings.days + 1  # day 0 is the start
    spread_tracks = ensemble_tracks(network, start, days, spread, policies)
    summary = summarise_tracks(spread_tracks)
    if settings.spread > 0:
        summary = centred(summary, summarise_tracks(
            ensemble_tracks(network, start, days, centre, policies)))
    people = spread_tracks.groupby("date", sort=True)["people"]
    summary["people_q05"] = people.quantile(0.05).to_numpy()
    summary["people_q95"] = people.quantile(0.95).to_numpy()
    graph = RoadGraph(network)
    names = network.places.set_index("id")["name"]
    near = [graph.ids[graph.nearest(lat, lon)] for lat, lon in
            zip(summary["lat"], summary["lon"], strict=True)]
    summary["near_place"] = near
    summary["near_place_name"] = [str(names.get(p, p)) for p in near]
    summary["day"] = np.arange(len(summary))
    summary["people"] = summary["people"].round()
    for column in ("people_q05", "people_q95"):
        summary[column] = summary[column].round()
    return summary[list(COLUMNS)]
