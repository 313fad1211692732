"""Ensemble members whose parameters spread around a fit, the spread calibrated out of sample.

Members that differ only by seed (or pick among a few near-identical best trials) give bands
far too narrow: the backtest's 5-95 % bands covered 40 % of reported positions. Here each
member draws its parameters from a distribution around the fit's best trial: per parameter a
normal with the standard deviation of the fit's best trials (in the prior's own scale, log for
log-uniform priors; at least ``MIN_SCALE`` of the prior's width) times an inflation factor,
clipped to the prior range. The draws are quasi-random (scrambled Halton, seeded), so the same
fit and seed give the same members.

The inflation factor is chosen on the *training* caravans of a fold, on a continuous range
(``SPREAD_RANGE``, set before any backtest was looked at: see below): the training caravans
are forecast from their departures with the ensemble of a candidate factor, and a bounded
1-D root find (scipy's ``brentq``, on log factor) looks for the factor whose pooled 5-95 %
band coverage of their reported positions is ``target``; every candidate uses the same
quasi-random draws and seeds (common random numbers), so coverage is a deterministic, step-wise
rising function of the factor. Of the factors evaluated, the one whose coverage is nearest
``target`` wins (ties: the smaller); when even the largest factor covers less, it is the
largest. The held-out caravan then gets that factor; its coverage is the out-of-sample figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.analysis.calibrate import Calibration, Evaluator, ParamRange, Target
from corridor.analysis.caravan_sim import summarise_tracks
from corridor.analysis.caravan_skill import RoadGraph, band_hits

#: smallest per-parameter scale, as a share of the prior's width (a fit whose best trials
#: agree exactly would otherwise give no spread at all)
MIN_SCALE = 0.02
#: the fit's best trials whose spread sets the scale
TOP_SHARE = 0.2


#: the range the inflation factor is searched in. Upper end 1 / MIN_SCALE: a parameter at the
#: floor scale then has a standard deviation of its whole prior width, i.e. members spread
#: over the prior (clipped to it); larger factors would only pile more of them on its bounds.
#: Lower end: a quarter of the fit's own spread.
SPREAD_RANGE = (0.25, 1.0 / MIN_SCALE)
#: most candidate factors tried per choice (each forecasts every training caravan)
SPREAD_EVALUATIONS = 6


@dataclass(frozen=True)
class SpreadChoice:
    """The chosen inflation factor and the training coverage of every candidate tried."""

    factor: float
    coverage: dict[float, float] = field(default_factory=dict)


def _to_unit(r: ParamRange, value: float) -> float:
    return math.log(value) if r.log else value


def _from_unit(r: ParamRange, value: float) -> float:
    return math.exp(value) if r.log else value


def parameter_scales(fit: Calibration) -> dict[str, float]:
    """Per parameter: sd of the fit's best trials in the prior's scale, floored."""
    k = max(3, int(round(TOP_SHARE * len(fit.trials))))
    top = fit.top(k)
    scales = {}
    for r in fit.ranges:
        lo, hi = _to_unit(r, r.low), _to_unit(r, r.high)
        values = [_to_unit(r, t[r.name]) for t in top if r.name in t]
        sd = float(np.std(values)) if len(values) > 1 else 0.0
        scales[r.name] = max(sd, MIN_SCALE * (hi - lo))
    return scales


def draw_members(fit: Calibration, factor: float, n: int, seed: int) -> list[dict[str, float]]:
    """``n`` parameter sets around the fit's best: best + factor * scale * z, clipped."""
    from scipy.stats import norm, qmc

    ranges = list(fit.ranges)
    if not ranges or not fit.best or factor == 0:
        return [dict(fit.best) for _ in range(n)]  # seeds alone tell the members apart
    scales = parameter_scales(fit)
    u = qmc.Halton(d=len(ranges), scramble=True, seed=seed).random(n)
    z = norm.ppf(np.clip(u, 1e-6, 1 - 1e-6))
    out = []
    for i in range(n):
        member = {}
        for j, r in enumerate(ranges):
            centre = _to_unit(r, fit.best[r.name])
            value = centre + factor * scales[r.name] * float(z[i, j])
            value = min(max(value, _to_unit(r, r.low)), _to_unit(r, r.high))
            member[r.name] = _from_unit(r, value)
        out.append(member)
    return out


def member_seeds(n: int, seed: int) -> list[int]:
    """Seeds of the ensemble members (the same scheme for training and held-out runs)."""
    return [10_000 + seed * 100 + i for i in range(n)]


def training_coverage(evaluator: Evaluator, targets: Sequence[Target], graph: RoadGraph,
                      members: list[tuple[dict, int]]) -> float:
    """Pooled share of the targets' reported positions inside the ensemble's 5-95 % km band."""
    tasks = [(t, p, s) for t in targets for p, s in members]
    tracks = evaluator.tracks(tasks)
    hits: list[float] = []
    for i, t in enumerate(targets):
        own = tracks[i * len(members):(i + 1) * len(members)]
        frames = [tr.assign(member=k) for k, tr in enumerate(own)]
        summary = summarise_tracks(pd.concat(frames, ignore_index=True))
        band = band_hits(summary, t.positions, graph, t.start.place)
        hits += [float(b) for b in band if not np.isnan(b)]
    return float(np.mean(hits)) if hits else math.nan


def choose_spread(evaluator: Evaluator, targets: Sequence[Target], fit: Calibration,
                  graph: RoadGraph, bounds: Sequence[float], members: int, seed: int,
                  target: float, fixed: dict | None = None,
                  evaluations: int = SPREAD_EVALUATIONS) -> SpreadChoice:
    """The inflation factor in ``bounds`` (low, high; one value = that factor, no search)
    whose training coverage is nearest ``target``, found by a bounded root find with at most
    ``evaluations`` candidates (see the module doc)."""
    from scipy.optimize import brentq

    low, high = float(bounds[0]), float(bounds[-1])
    if len(bounds) == 1 or low == high or not fit.best:
        return SpreadChoice(low, {})
    seeds = member_seeds(members, seed)
    coverage: dict[float, float] = {}
    log = low > 0  # search log factor (factors from a quarter to 50x differ by ratios)

    def cover(factor: float) -> float:
        factor = float(factor)
        if factor not in coverage:
            draws = draw_members(fit, factor, members, seed)
            coverage[factor] = training_coverage(
                evaluator, targets, graph, [({**(fixed or {}), **p}, s)
                                            for p, s in zip(draws, seeds, strict=True)])
        return coverage[factor]

    a, b = (math.log(low), math.log(high)) if log else (low, high)

    def gap(x: float) -> float:
        factor = low if x == a else high if x == b else (math.exp(x) if log else x)
        value = cover(factor)
        return -1.0 if math.isnan(value) else value - target

    if gap(b) > 0 and gap(a) < 0 and evaluations > 2:
        brentq(gap, a, b, xtol=1e-3, maxiter=evaluations - 2, full_output=True, disp=False)
    best = min(coverage, key=lambda f: (abs(coverage[f] - target)
                                        if not math.isnan(coverage[f]) else math.inf, f))
    return SpreadChoice(best, coverage)
