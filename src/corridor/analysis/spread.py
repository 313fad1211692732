"""Ensemble members whose parameters spread around a fit, the spread calibrated out of sample.

Members that differ only by seed (or pick among a few near-identical best trials) give bands
far too narrow: the backtest's 5-95 % bands covered 40 % of reported positions. Here each
member draws its parameters from a distribution around the fit's best trial: per parameter a
normal with the standard deviation of the fit's best trials (in the prior's own scale, log for
log-uniform priors; at least ``MIN_SCALE`` of the prior's width) times an inflation factor,
clipped to the prior range. The draws are quasi-random (scrambled Halton, seeded), so the same
fit and seed give the same members.

The inflation factor is chosen on the *training* caravans of a fold: for each candidate factor
the training caravans are forecast from their departures with that ensemble, and the factor
whose pooled 5-95 % band coverage of their reported positions is nearest ``target`` wins
(ties: the smaller factor). The held-out caravan then gets that factor; its coverage is the
out-of-sample figure.
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


@dataclass(frozen=True)
class SpreadChoice:
    """The chosen inflation factor and the training coverage of every candidate."""

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
                  graph: RoadGraph, factors: Sequence[float], members: int, seed: int,
                  target: float, fixed: dict | None = None) -> SpreadChoice:
    """The inflation factor whose training coverage is nearest ``target`` (see module doc)."""
    if len(factors) == 1 or not fit.best:
        return SpreadChoice(float(factors[0]), {})
    seeds = member_seeds(members, seed)
    coverage = {}
    for f in factors:
        draws = draw_members(fit, f, members, seed)
        coverage[float(f)] = training_coverage(
            evaluator, targets, graph, [({**(fixed or {}), **p}, s)
                                        for p, s in zip(draws, seeds, strict=True)])
    best = min(coverage, key=lambda f: (abs(coverage[f] - target)
                                        if not math.isnan(coverage[f]) else math.inf, f))
    return SpreadChoice(best, coverage)
