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

The departure-only forecast (method ``model``) uses no event of the held-out caravan other
than its start: no dissolution dates, no offers, no blockades known only in hindsight. With the
dataset's policies.csv, a second forecast (``model_given_policies``) runs the held-out caravan
with its own policies as scenario inputs: what the tool says *given* the checkpoints, holds,
offers, turn-backs and rides reports name (knowledge a forecaster had only in part); its fit
runs the training caravans with their own policies. Mid-journey forecasts given only the
policies in force by the issue date are ``model_given_known_policies``. The members' parameter
spread is calibrated on the training caravans (analysis/spread.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.analysis.calibrate import (
    Calibration,
    Evaluator,
    ParamRange,
    Target,
    calibrate,
    caravan_levers,
    targets_for,
)
from corridor.analysis.caravan_sim import (
    CaravanStart,
    ensemble_tracks,
    summarise_tracks,
)
from corridor.analysis.caravan_skill import (
    RoadGraph,
    band_hits,
    constant_speed_track,
    default_destination,
    persistence_track,
    position_errors,
    size_hits,
    skill_row,
)
from corridor.analysis.pools import local_pool
from corridor.analysis.spread import (
    SPREAD_EVALUATIONS,
    SPREAD_RANGE,
    SpreadChoice,
    choose_spread,
    draw_members,
    member_seeds,
)
from corridor.errors import CorridorError
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
    #: the range the inflation factor of the members' parameter spread is searched in (per
    #: fold, on the training caravans' band coverage; one value = that factor, no search)
    spread_range: tuple[float, ...] = SPREAD_RANGE
    #: most candidate factors tried per fold and fit
    spread_evaluations: int = SPREAD_EVALUATIONS
    #: members per training caravan when choosing the factor
    spread_members: int = 4
    #: the training coverage the factor aims at
    target_coverage: float = 0.9
    #: fit each caravan on the caravans that set out from the same country only (Honduran
    #: caravans on Honduran ones, Chiapas caravans on Chiapas ones); False: on all others
    by_region: bool = False
    #: where the point forecast (position, people, median km) comes from: ``best`` = members
    #: run at the fold's best-fit parameters (seeds only), ``ensemble`` = the median of the
    #: spread members. The 5-95 % band always comes from the spread members. Chosen before any
    #: held-out run: the spread went to the top of its range in every fold, so the spread
    #: ensemble's median is pulled towards the middle of the prior, not the fit.
    centre: str = "best"
    #: weight of the loss's size term against its position term (calibrate.run_loss)
    size_weight: float = 1.0
    #: re-run this many of a fit's best trials with fresh seeds and keep the best over all
    #: its seeds (calibrate.calibrate); 0: the search's best trial
    rerank: int = 0


#: forecasts: departure-only (no future knowledge) and policy-conditioned (the caravan's
#: policies.csv rows as scenario inputs: "what the tool says given the policy")
DEPARTURE_ONLY = "model"
GIVEN_POLICIES = "model_given_policies"
#: mid-journey forecasts given only the policies in force by the issue date
GIVEN_KNOWN_POLICIES = "model_given_known_policies"


def fit_rows(timeline: pd.DataFrame, held_out: str) -> pd.DataFrame:
    """The rows a fold may fit on: every caravan's but the held-out one's."""
    return timeline[timeline["caravan"] != held_out]


def fit_policies(policies: pd.DataFrame, held_out: str) -> pd.DataFrame:
    """The policies.csv rows a fold may fit on: every caravan's but the held-out one's."""
    return policies[policies["caravan"].astype(str) != held_out]


def departure_region(caravans: pd.DataFrame, network: Scenario, caravan: str) -> str:
    """The country a caravan sets out from: its caravans.csv origin place's (HND for San Pedro
    Sula, MEX for Tapachula and Ciudad Hidalgo)."""
    origin = caravans.loc[caravans["caravan"] == caravan, "origin_place"]
    places = network.places.set_index("id")
    if origin.empty or str(origin.iloc[0]) not in places.index:
        raise CorridorError(f"caravans.csv: caravan {caravan}: origin not a place of the network")
    return str(places.at[str(origin.iloc[0]), "country"])


def training_caravans(timeline: pd.DataFrame, caravans: pd.DataFrame, network: Scenario,
                      held_out: str, by_region: bool) -> list[str]:
    """The caravans a fold fits on: every other caravan with rows in ``fit_rows``, or with
    ``by_region`` only those setting out from the held-out caravan's country."""
    train = fit_rows(timeline, held_out)
    ids = [c for c in caravans["caravan"] if c != held_out and (train["caravan"] == c).any()]
    if by_region:
        region = departure_region(caravans, network, held_out)
        ids = [c for c in ids if departure_region(caravans, network, c) == region]
        if not ids:
            raise CorridorError(f"caravan {held_out}: no other caravan sets out from {region} "
                                "to fit on (drop --by-region)")
    return ids


def horizon_bin(lead_days: int) -> int | None:
    """The horizon a lead time counts towards (1, 2-3, 4-7, 8-14 days), None beyond 14."""
    for h in HORIZONS:
        if lead_days <= h:
            return h
    return None


@dataclass
class FoldResult:
    caravan: str
    fit: Calibration  # the departure-only fit
    tracks: pd.DataFrame  # per-day ensemble summary of the departure forecast(s), by method
    positions: pd.DataFrame  # caravan, method, date, km, in_band (one row per report)
    sizes: pd.DataFrame  # caravan, method, date, inside, error (one row per reported size)
    #: caravan, method, horizon, and per reported position km (size_inside/size_error NaN) or
    #: per reported size size_inside and size_error (km NaN)
    horizon_errors: pd.DataFrame
    fits: dict[str, Calibration] = field(default_factory=dict)  # per forecast method
    spreads: dict[str, SpreadChoice] = field(default_factory=dict)


CENTRES = ("best", "top", "ensemble")
#: how many of a fit's best trials the ``top`` centre spreads its members over
TOP_TRIALS = 5


def centred(spread: pd.DataFrame, best: pd.DataFrame | None) -> pd.DataFrame:
    """A track summary whose point forecast (lat, lon, people, km_q50) is ``best``'s and whose
    5-95 % band is ``spread``'s; ``spread`` itself without ``best``."""
    if best is None:
        return spread
    out = spread.set_index("date")
    centre = best.set_index("date").reindex(out.index)
    for column in ("lat", "lon", "people", "km_q50"):
        out[column] = centre[column]
    return out.reset_index()


def best_members(fit: Calibration, n: int, seed: int,
                 fixed: dict | None) -> list[tuple[dict, int]]:
    """``n`` members at the fit's best parameters, told apart by their seeds only."""
    return [({**(fixed or {}), **fit.best}, s) for s in member_seeds(n, seed)]


def top_members(fit: Calibration, n: int, seed: int, fixed: dict | None,
                k: int = TOP_TRIALS) -> list[tuple[dict, int]]:
    """``n`` members spread round-robin over the fit's ``k`` best trials (each with its own
    seed): a point forecast that does not hang on one lucky trial of a noisy fit."""
    tops = fit.top(k) or [fit.best]
    return [({**(fixed or {}), **tops[j % len(tops)]}, s)
            for j, s in enumerate(member_seeds(n, seed))]


def centre_members(fit: Calibration, n: int, seed: int, fixed: dict | None,
                   centre: str) -> list[tuple[dict, int]] | None:
    """The members of the point forecast for a ``centre`` of CENTRES (None: the spread's)."""
    if centre == "best":
        return best_members(fit, n, seed, fixed)
    if centre == "top":
        return top_members(fit, n, seed, fixed)
    return None


def _centre_tracks(network: Scenario, start: CaravanStart, days: int,
                   members: list[tuple[dict, int]], centre: list[tuple[dict, int]] | None,
                   own: pd.DataFrame | None) -> pd.DataFrame:
    """The summary of ``members``' tracks, centred on ``centre``'s when given."""
    spread = summarise_tracks(ensemble_tracks(network, start, days, members, own))
    if centre is None:
        return spread
    return centred(spread, summarise_tracks(ensemble_tracks(network, start, days, centre, own)))


def _fit_and_spread(network: Scenario, graph: RoadGraph, targets: list[Target],
                    ranges: Sequence[ParamRange], settings: BacktestSettings,
                    fixed: dict | None) -> tuple[Calibration, SpreadChoice,
                                                 list[tuple[dict, int]]]:
    """Fit on the training targets, choose the spread on them, draw the forecast members."""
    with Evaluator(network, 1) as evaluator:
        fit = calibrate(network, targets, ranges, trials=settings.trials, seeds=settings.seeds,
                        seed=settings.seed, fixed=fixed, rerank=settings.rerank,
                        evaluator=evaluator)
        spread = choose_spread(evaluator, targets, fit, graph, settings.spread_range,
                               settings.spread_members, settings.seed,
                               settings.target_coverage, fixed, settings.spread_evaluations)
    draws = draw_members(fit, spread.factor, settings.members, settings.seed)
    members = [({**(fixed or {}), **p}, s)
               for p, s in zip(draws, member_seeds(settings.members, settings.seed),
                               strict=True)]
    return fit, spread, members


def run_fold(network: Scenario, timeline: pd.DataFrame, caravans: pd.DataFrame,
             held_out: str, ranges: Sequence[ParamRange], settings: BacktestSettings,
             fixed: dict | None = None, policies: pd.DataFrame | None = None) -> FoldResult:
    """One fold: fit without ``held_out``, then forecast and score it.

    Always a departure-only forecast (fitted and run without any policies). With ``policies``
    (the dataset's policies.csv) also a policy-conditioned one: fitted on the training
    caravans run with their own policies, and the held-out caravan run with its policies as
    scenario inputs (mid-journey: all of them, and only those in force by the issue date).
    """
    train = fit_rows(timeline, held_out)
    train_ids = training_caravans(timeline, caravans, network, held_out, settings.by_region)
    graph = RoadGraph(network)
    target = targets_for(timeline, caravans, network, [held_out])[0]
    start = _with_destination(target.start, graph, network)
    model_start = CaravanStart(start.caravan, start.place, start.date, start.people, "")
    variants: list[tuple[str, pd.DataFrame | None]] = [(DEPARTURE_ONLY, None)]
    if policies is not None:
        variants.append((GIVEN_POLICIES, fit_policies(policies, held_out)))
    fits: dict[str, Calibration] = {}
    spreads: dict[str, SpreadChoice] = {}
    summaries, scored, horizons = [], [], []
    for method, train_policies in variants:
        fit, spread, members = _fit_and_spread(
            network, graph, targets_for(train, caravans, network, train_ids, train_policies,
                                         settings.size_weight),
            ranges, settings, fixed)
        fits[method], spreads[method] = fit, spread
        own = None if train_policies is None else caravan_levers(policies, held_out)
        centre = centre_members(fit, settings.members, settings.seed, fixed, settings.centre)
        summary = _centre_tracks(network, model_start, target.days, members, centre,
                                 own).assign(caravan=held_out, method=method)
        summaries.append(summary)
        scored.append(_score(held_out, method, summary, target, graph, start))
        restart_members = members[: settings.restart_members]
        restart_centre = None if centre is None else centre[: settings.restart_members]
        if own is None:
            horizons.append(_restarts(network, graph, target, start, restart_members,
                                      {method: None}, baselines=True, centre=restart_centre))
        else:
            horizons.append(_restarts(network, graph, target, start, restart_members,
                                      {method: own, GIVEN_KNOWN_POLICIES: "known"},
                                      policies=policies, centre=restart_centre))
    scored.append(_score(held_out, "constant_25km_day",
                         constant_speed_track(graph, start, list(summaries[0]["date"])),
                         target, graph, start))
    return FoldResult(held_out, fits[DEPARTURE_ONLY], pd.concat(summaries, ignore_index=True),
                      pd.concat([p for p, _ in scored], ignore_index=True),
                      pd.concat([z for _, z in scored], ignore_index=True),
                      pd.concat(horizons, ignore_index=True).assign(caravan=held_out),
                      fits, spreads)


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
    in_band = band_hits(track, target.positions, graph, start.place)
    inside, error = size_hits(track, target.sizes)
    positions = pd.DataFrame({"caravan": caravan, "method": method,
                              "date": list(target.positions["date"]), "km": distances,
                              "in_band": in_band})
    sizes = pd.DataFrame({"caravan": caravan, "method": method,
                          "date": list(target.sizes["date"]), "inside": inside, "error": error})
    return positions, sizes


def _restarts(network: Scenario, graph: RoadGraph, target: Target, start: CaravanStart,
              members: list[tuple[dict, int]], methods: dict[str, pd.DataFrame | str | None],
              baselines: bool = False, policies: pd.DataFrame | None = None,
              centre: list[tuple[dict, int]] | None = None) -> pd.DataFrame:
    """Forecasts issued at each reported position, scored 1-14 days ahead against the reported
    positions and sizes (the point forecast from ``centre``'s members when given, as from
    departure). Persistence and the constant-speed baseline keep the size they start with.

    ``methods`` maps a method name to the policies its runs get: None (none), a frame (all of
    them) or "known" (the held-out caravan's rows of ``policies`` with from_date <= the issue
    date)."""
    rows = []
    positions = target.positions
    sizes = target.sizes
    for p in positions.itertuples():
        horizon_end = p.date + dt.timedelta(days=max(HORIZONS))
        later = positions[(positions["date"] > p.date) & (positions["date"] <= horizon_end)]
        if later.empty:
            continue
        later_sizes = sizes[(sizes["date"] > p.date) & (sizes["date"] <= horizon_end)]
        known = sizes[sizes["date"] <= p.date]
        people = float((known.iloc[-1]["low"] + known.iloc[-1]["high"]) / 2) if len(known) \
            else start.people
        here = graph.ids[graph.nearest(p.lat, p.lon)]
        restart = CaravanStart(start.caravan, here, p.date, people,
                               default_destination(graph, network, here))
        # a report of where it is: that day's walk is in it (a departure report: not yet)
        model_restart = CaravanStart(start.caravan, here, p.date, people, "",
                                     on_the_road=p.kind != "departed")
        last = max([later["date"].max(), *later_sizes["date"]])
        days = (last - p.date).days + 1
        dates = [p.date + dt.timedelta(days=k) for k in range(days)]
        forecasts = {}
        for method, given in methods.items():
            if isinstance(given, str):
                assert policies is not None
                given = caravan_levers(policies, target.caravan, known_on=p.date)
            forecasts[method] = _centre_tracks(network, model_restart, days, members, centre,
                                               given)
        if baselines:
            forecasts["persistence"] = persistence_track(graph, restart, dates)
            forecasts["constant_25km_day"] = constant_speed_track(graph, restart, dates)
        for method, track in forecasts.items():
            for q, km in zip(later.itertuples(), position_errors(track, later), strict=True):
                h = horizon_bin((q.date - p.date).days)
                if h is not None and not np.isnan(km):
                    rows.append({"method": method, "horizon": h, "km": float(km)})
            inside, error = size_hits(track, later_sizes)
            for q, hit, err in zip(later_sizes.itertuples(), inside, error, strict=True):
                h = horizon_bin((q.date - p.date).days)
                if h is not None and not np.isnan(hit):
                    rows.append({"method": method, "horizon": h, "size_inside": float(hit),
                                 "size_error": float(err)})
    return pd.DataFrame(rows, columns=["method", "horizon", "km", "size_inside", "size_error"])


def _fold_task(args: tuple) -> FoldResult:
    return run_fold(*args)


def backtest(network: Scenario, timeline: pd.DataFrame, caravans: pd.DataFrame,
             ranges: Sequence[ParamRange], settings: BacktestSettings = BacktestSettings(),
             only: Sequence[str] | None = None, fixed: dict | None = None,
             progress: Callable[[int, int, str], None] | None = None,
             policies: pd.DataFrame | None = None) -> list[FoldResult]:
    """Every fold (one per caravan with reported positions), on ``settings.workers`` processes.

    With ``policies`` (policies.csv) every fold adds the policy-conditioned forecasts."""
    ids = [c for c in caravans["caravan"] if (timeline["caravan"] == c).any()]
    ids = [c for c in ids if targets_for(timeline, caravans, network, [c])]
    if only:
        ids = [c for c in ids if c in set(only)]
    tasks = [(network, timeline, caravans, c, list(ranges), settings, fixed, policies)
             for c in ids]
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
    row = skill_row(positions["km"].to_numpy(float), positions["in_band"].to_numpy(float),
                    sizes["inside"].to_numpy(float), sizes["error"].to_numpy(float),
                    list(positions["caravan"] + " " + positions["date"].astype(str)))
    row["size_in_range_days"] = size_days_in_range(sizes)
    return row


def size_days_in_range(sizes: pd.DataFrame) -> float:
    """Share of reported days on which the forecast size lies inside at least one of that
    day's reported ranges (outlets disagree by 2-4x on one day, so no single number can fall
    inside every report: the per-report share is capped well below 100 %)."""
    known = sizes.dropna(subset=["inside"])
    if known.empty:
        return float("nan")
    return float(known.groupby(["caravan", "date"])["inside"].max().mean())


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
        baseline = ~skill["method"].str.startswith("model")
        skill.loc[baseline, "in_band_5_95"] = np.nan  # no band: one track
    horizons = pd.concat([r.horizon_errors for r in results], ignore_index=True)
    columns = ["horizon", "method", "forecasts", "median_km", "p90_km", "within_30km",
               "size_reports", "size_in_range", "size_median_rel_error"]
    if horizons.empty:
        return skill, pd.DataFrame(columns=columns)
    km = horizons.dropna(subset=["km"])
    by_horizon = (km.groupby(["horizon", "method"])["km"]
                  .agg(forecasts="size", median_km="median",
                       p90_km=lambda x: float(np.percentile(x, 90)),
                       within_30km=lambda x: float((x <= 30).mean())))
    sized = horizons.dropna(subset=["size_inside"]).groupby(["horizon", "method"])
    by_horizon = by_horizon.join(sized["size_inside"].agg(size_reports="size",
                                                          size_in_range="mean"), how="outer")
    by_horizon = by_horizon.join(sized["size_error"].median().rename("size_median_rel_error"),
                                 how="outer")
    by_horizon["forecasts"] = by_horizon["forecasts"].fillna(0).astype(int)
    by_horizon["size_reports"] = by_horizon["size_reports"].fillna(0).astype(int)
    return skill, by_horizon.reset_index()[columns]


def over_seeds(tables: dict[int, tuple[pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """The pooled figures of backtests that differ only in their sampler seed, one row per
    seed, method and lead time ("departure" for the from-departure forecast), so the run-to-run
    spread of a figure can be read next to the figure itself."""
    rows = []
    for seed, (skill, by_horizon) in tables.items():
        pooled = skill[skill["caravan"] == "pooled"]
        for r in pooled.itertuples(index=False):
            rows.append({"sampler_seed": seed, "lead": "departure", "method": r.method,
                         "median_km": r.median_km, "p90_km": r.p90_km,
                         "in_band_5_95": r.in_band_5_95,
                         "size_in_range_days": r.size_in_range_days})
        for r in by_horizon.itertuples(index=False):
            rows.append({"sampler_seed": seed, "lead": f"{r.horizon} days", "method": r.method,
                         "median_km": r.median_km, "p90_km": r.p90_km,
                         "in_band_5_95": np.nan, "size_in_range_days": np.nan})
    return pd.DataFrame(rows, columns=["sampler_seed", "lead", "method", "median_km", "p90_km",
                                       "in_band_5_95", "size_in_range_days"])


def seed_summary(long: pd.DataFrame) -> pd.DataFrame:
    """Mean, lowest and highest pooled median km over the sampler seeds, per lead and method."""
    g = long.groupby(["lead", "method"], sort=False)["median_km"]
    return g.agg(seeds="size", mean="mean", low="min", high="max").reset_index()
