"""Leave-one-caravan-out backtests: fit on the other caravans, forecast the held-out one.

For every caravan of a timeline dataset:

1. calibrate on the *other* caravans only (their rows; the held-out caravan's rows never reach
   the fit — ``fit_rows`` is the one place that selects them, and a test checks it);
2. forecast from its reported departure (place, date, size) with an ensemble whose members are
   the best trials of that fit, each with its own seed;
3. restart from each reported position mid-journey (place, date, last reported size) and
   forecast up to 14 days ahead;
4. score the forecasts and two baselines with the same code (caravan_skill): constant 25 km/day
   along the shortest route, and "stays where last reported" for mid-journey forecasts.

Forecasts use no event of the held-out caravan other than its start: no dissolution dates, no
offers, no blockades known only in hindsight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.analysis.calibrate import (
    Calibration,
    Evaluator,
    ParamRange,
    Target,
    calibrate,
    targets_for,
)
from corridor.analysis.caravan_sim import (
    CaravanStart,
    ensemble_tracks,
    summarise_tracks,
)
from corridor.analysis.caravan_skill import (
    RoadGraph,
    constant_speed_track,
    default_destination,
    persistence_track,
    position_errors,
    size_hits,
    skill_row,
)
from corridor.analysis.pools import local_pool
from corridor.scenario.model import Scenario

HORIZONS = (1, 3, 7, 14)  # lead-time bins: 1, 2-3, 4-7, 8-14 days


@dataclass(frozen=True)
class BacktestSettings:
    """The defaults are what `corridor backtest` runs in well under 15 minutes on 2 cores."""

    trials: int = 24
    seeds: int = 2
    members: int = 10
    restart_members: int = 4
    seed: int = 0
    workers: int = 2


def fit_rows(timeline: pd.DataFrame, held_out: str) -> pd.DataFrame:
    """The rows a fold may fit on: every caravan's but the held-out one's."""
    return timeline[timeline["caravan"] != held_out]


def horizon_bin(lead_days: int) -> int | None:
    """The horizon a lead time counts towards (1, 2-3, 4-7, 8-14 days), None beyond 14."""
    for h in HORIZONS:
        if lead_days <= h:
            return h
    return None


@dataclass
class FoldResult:
    caravan: str
    fit: Calibration
    tracks: pd.DataFrame  # per-day ensemble summary of the departure forecast
    positions: pd.DataFrame  # caravan, method, date, km, in_band (one row per report)
    sizes: pd.DataFrame  # caravan, method, date, inside, error (one row per reported size)
    horizon_errors: pd.DataFrame  # caravan, method, horizon, km


def _members(fit: Calibration, settings: BacktestSettings) -> list[tuple[dict, int]]:
    top = fit.top(max(3, settings.trials // 5)) or [{}]
    return [(top[i % len(top)], 10_000 + settings.seed * 100 + i)
            for i in range(settings.members)]


def run_fold(network: Scenario, timeline: pd.DataFrame, caravans: pd.DataFrame,
             held_out: str, ranges: Sequence[ParamRange], settings: BacktestSettings,
             fixed: dict | None = None) -> FoldResult:
    """One fold: fit without ``held_out``, then forecast and score it."""
    train = fit_rows(timeline, held_out)
    train_ids = [c for c in caravans["caravan"] if c != held_out and (train["caravan"] == c).any()]
    with Evaluator(network, 1) as evaluator:
        fit = calibrate(network, targets_for(train, caravans, network, train_ids), ranges,
                        trials=settings.trials, seeds=settings.seeds, seed=settings.seed,
                        fixed=fixed, evaluator=evaluator)
    target = targets_for(timeline, caravans, network, [held_out])[0]
    graph = RoadGraph(network)
    start = _with_destination(target.start, graph, network)
    members = [({**(fixed or {}), **p}, s) for p, s in _members(fit, settings)]
    model_start = CaravanStart(start.caravan, start.place, start.date, start.people, "")
    tracks = ensemble_tracks(network, model_start, target.days, members)
    summary = summarise_tracks(tracks).assign(caravan=held_out)
    scored = [_score(held_out, "model", summary, target, graph, start),
              _score(held_out, "constant_25km_day",
                     constant_speed_track(graph, start, list(summary["date"])), target, graph,
                     start)]
    horizon = _restarts(network, graph, target, start, members[: settings.restart_members])
    return FoldResult(held_out, fit, summary,
                      pd.concat([p for p, _ in scored], ignore_index=True),
                      pd.concat([z for _, z in scored], ignore_index=True),
                      horizon.assign(caravan=held_out))


def _with_destination(start: CaravanStart, graph: RoadGraph, network: Scenario) -> CaravanStart:
    """The forecast's aim: the nearest US destination by road, whatever the dataset says.

    A dataset's destination may be where the caravan ended (known only afterwards: a blockade
    town, a border crossing it happened to reach), so the backtest never uses it.
    """
    return CaravanStart(start.caravan, start.place, start.date, start.people,
                        default_destination(graph, network, start.place))


def _score(caravan: str, method: str, track: pd.DataFrame, target: Target, graph: RoadGraph,
           start: CaravanStart) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per reported position (km off, inside the 5-95 % band) and per reported size."""
    distances = position_errors(track, target.positions)
    in_band = np.full(len(target.positions), np.nan)
    if "km_q05" in track:
        by_date = track.set_index("date")
        for i, row in enumerate(target.positions.itertuples()):
            if row.date in by_date.index:
                km = graph.km_from(start.place, row.lat, row.lon)
                day = by_date.loc[row.date]
                in_band[i] = float(day["km_q05"] - 1e-6 <= km <= day["km_q95"] + 1e-6)
    inside, error = size_hits(track, target.sizes)
    positions = pd.DataFrame({"caravan": caravan, "method": method,
                              "date": list(target.positions["date"]), "km": distances,
                              "in_band": in_band})
    sizes = pd.DataFrame({"caravan": caravan, "method": method,
                          "date": list(target.sizes["date"]), "inside": inside, "error": error})
    return positions, sizes


def _restarts(network: Scenario, graph: RoadGraph, target: Target, start: CaravanStart,
              members: list[tuple[dict, int]]) -> pd.DataFrame:
    """Forecasts issued at each reported position, scored 1-14 days ahead."""
    rows = []
    positions = target.positions
    sizes = target.sizes
    for p in positions.itertuples():
        later = positions[(positions["date"] > p.date)
                          & (positions["date"] <= p.date + dt.timedelta(days=max(HORIZONS)))]
        if later.empty:
            continue
        known = sizes[sizes["date"] <= p.date]
        people = float((known.iloc[-1]["low"] + known.iloc[-1]["high"]) / 2) if len(known) \
            else start.people
        here = graph.ids[graph.nearest(p.lat, p.lon)]
        restart = CaravanStart(start.caravan, here, p.date, people,
                               default_destination(graph, network, here))
        model_restart = CaravanStart(start.caravan, here, p.date, people, "")
        days = (later["date"].max() - p.date).days + 1
        dates = [p.date + dt.timedelta(days=k) for k in range(days)]
        forecasts = {
            "model": summarise_tracks(ensemble_tracks(network, model_restart, days, members)),
            "persistence": persistence_track(graph, restart, dates),
            "constant_25km_day": constant_speed_track(graph, restart, dates),
        }
        for method, track in forecasts.items():
            for q, km in zip(later.itertuples(), position_errors(track, later), strict=True):
                h = horizon_bin((q.date - p.date).days)
                if h is not None and not np.isnan(km):
                    rows.append({"method": method, "horizon": h, "km": float(km)})
    return pd.DataFrame(rows, columns=["method", "horizon", "km"])


def _fold_task(args: tuple) -> FoldResult:
    return run_fold(*args)


def backtest(network: Scenario, timeline: pd.DataFrame, caravans: pd.DataFrame,
             ranges: Sequence[ParamRange], settings: BacktestSettings = BacktestSettings(),
             only: Sequence[str] | None = None, fixed: dict | None = None,
             progress: Callable[[int, int, str], None] | None = None) -> list[FoldResult]:
    """Every fold (one per caravan with reported positions), on ``settings.workers`` processes."""
    ids = [c for c in caravans["caravan"] if (timeline["caravan"] == c).any()]
    ids = [c for c in ids if targets_for(timeline, caravans, network, [c])]
    if only:
        ids = [c for c in ids if c in set(only)]
    tasks = [(network, timeline, caravans, c, list(ranges), settings, fixed) for c in ids]
    results: list[FoldResult] = []
    if settings.workers > 1 and len(tasks) > 1:
        with local_pool(min(settings.workers, len(tasks))) as pool:
            futures = [pool.submit(_fold_task, t) for t in tasks]
            for i, future in enumerate(futures):
                results.append(future.result())
                if progress:
                    progress(i + 1, len(tasks), results[-1].caravan)
    else:
        for i, task in enumerate(tasks):
            results.append(_fold_task(task))
            if progress:
                progress(i + 1, len(tasks), results[-1].caravan)
    return results


def _skill(positions: pd.DataFrame, sizes: pd.DataFrame) -> dict:
    return skill_row(positions["km"].to_numpy(float), positions["in_band"].to_numpy(float),
                     sizes["inside"].to_numpy(float), sizes["error"].to_numpy(float),
                     list(positions["caravan"] + " " + positions["date"].astype(str)))


def skill_tables(results: Sequence[FoldResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-caravan and pooled skill from departure (pooled over all reported positions, not
    an average of caravans), and pooled skill by forecast horizon."""
    positions = pd.concat([r.positions for r in results], ignore_index=True)
    sizes = pd.concat([r.sizes for r in results], ignore_index=True)
    rows = []
    for method in positions["method"].unique():
        p_m, s_m = positions[positions["method"] == method], sizes[sizes["method"] == method]
        for caravan in p_m["caravan"].unique():
            rows.append({"caravan": caravan, "method": method,
                         **_skill(p_m[p_m["caravan"] == caravan],
                                  s_m[s_m["caravan"] == caravan])})
        rows.append({"caravan": "pooled", "method": method, **_skill(p_m, s_m)})
    skill = pd.DataFrame(rows)
    if "in_band_5_95" in skill:
        skill.loc[skill["method"] != "model", "in_band_5_95"] = np.nan  # no band: one track
    horizons = pd.concat([r.horizon_errors for r in results], ignore_index=True)
    columns = ["horizon", "method", "forecasts", "median_km", "p90_km", "within_30km"]
    if horizons.empty:
        return skill, pd.DataFrame(columns=columns)
    by_horizon = (horizons.groupby(["horizon", "method"])["km"]
                  .agg(forecasts="size", median_km="median",
                       p90_km=lambda x: float(np.percentile(x, 90)),
                       within_30km=lambda x: float((x <= 30).mean()))
                  .reset_index())
    return skill, by_horizon[columns]
