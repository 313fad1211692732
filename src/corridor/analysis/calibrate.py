"""Fit rule-set parameters to caravan timelines (Optuna TPE), each trial an ensemble of seeds.

The loss of one caravan in one run is the mean over reported positions of the great-circle km
between the simulated main body and the report (capped at ``DISTANCE_CAP_KM`` so one lost
caravan does not swamp the rest, divided by ``DISTANCE_SCALE_KM``) plus the mean relative error
of the simulated size against each reported range (0 inside it). A trial's loss is the mean
over caravans of the mean over seeds; its spread over seeds is kept. Every trial of a study uses
the same seeds (common random numbers), so differences between trials are parameter effects.
With so few seeds the best trial is partly the luckiest: ``rerank`` re-runs the best few trials
with fresh seeds (never used in the search) and keeps the one best over all its seeds, so the
fit chosen is less a draw of the search's noise.
The size term is multiplied by the target's ``size_weight`` (``--size-weight``; 1 by default):
how much a reported size counts against a reported position.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from corridor.analysis.caravan_sim import CaravanStart, caravan_scenario, simulate_track
from corridor.analysis.caravan_skill import (
    departure,
    position_errors,
    reported_positions,
    reported_sizes,
    size_hits,
)
from corridor.analysis.pools import local_pool
from corridor.errors import CorridorError
from corridor.scenario.model import Scenario

DISTANCE_CAP_KM = 1000.0
RERANK_SEEDS = 4  # fresh seeds each re-ranked trial is run with (``calibrate(rerank=...)``)
DISTANCE_SCALE_KM = 100.0
MAX_DAYS = 120


@dataclass(frozen=True)
class ParamRange:
    """A parameter to fit and its prior range (uniform; log-uniform when ``log``)."""

    name: str
    low: float
    high: float
    log: bool = False

    @classmethod
    def parse(cls, text: str) -> ParamRange:
        """``NAME=LO:HI`` (``NAME=LO:HI:log`` for a log-uniform prior)."""
        name, sep, rest = text.partition("=")
        parts = rest.split(":")
        if not sep or not name.strip() or len(parts) not in (2, 3):
            raise CorridorError(f"--param {text!r}: expected NAME=LO:HI (e.g. "
                                "walk_speed_km_per_day=15:45)")
        try:
            low, high = float(parts[0]), float(parts[1])
        except ValueError:
            raise CorridorError(f"--param {text!r}: LO and HI must be numbers") from None
        log = len(parts) == 3 and parts[2].strip().lower() == "log"
        if len(parts) == 3 and not log:
            raise CorridorError(f"--param {text!r}: the third field can only be 'log'")
        if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
            raise CorridorError(f"--param {text!r}: need finite LO < HI")
        if log and low <= 0:
            raise CorridorError(f"--param {text!r}: a log range needs LO > 0")
        return cls(name.strip(), low, high, log)


@dataclass(frozen=True)
class Target:
    """One caravan to fit: where it started, how long it was followed, what was reported."""

    caravan: str
    start: CaravanStart
    days: int
    positions: pd.DataFrame
    sizes: pd.DataFrame
    #: the caravan's own policies (policies.csv rows as scenario levers) when runs use them
    policies: pd.DataFrame | None = None
    #: weight of the size term against the position term in the loss
    size_weight: float = 1.0


def targets_for(timeline: pd.DataFrame, caravans: pd.DataFrame, network: Scenario,
                ids: Sequence[str], policies: pd.DataFrame | None = None,
                size_weight: float = 1.0) -> list[Target]:
    """Targets for the given caravans, built only from those caravans' own rows (timeline and,
    when ``policies`` is given, their own policies.csv rows)."""
    out = []
    places = set(network.places["id"].astype(str))
    for caravan in ids:
        rows = timeline[timeline["caravan"] == caravan]
        # the model chooses its own way north: a dataset's destination can be hindsight
        start = replace(departure(caravan, rows, caravans, network), destination="")
        if start.place not in places:
            raise CorridorError(f"caravans.csv: caravan {caravan}: origin {start.place!r} is not "
                                "a place of the network")
        positions = reported_positions(rows, caravan)
        positions = positions[positions["date"] >= start.date]
        if positions.empty:
            continue
        last = max(positions["date"].max(), start.date)
        days = min((last - start.date).days + 1, MAX_DAYS)
        own = None if policies is None else caravan_levers(policies, caravan)
        out.append(Target(caravan, start, days, positions, reported_sizes(rows, caravan), own,
                          size_weight))
    return out


def caravan_levers(policies: pd.DataFrame, caravan: str,
                   known_on: dt.date | None = None) -> pd.DataFrame:
    """One caravan's policies.csv rows as scenario policies; with ``known_on`` only those in
    force by then (``from_date <= known_on``: what a forecaster issuing that day could type)."""
    rows = policies[policies["caravan"].astype(str) == caravan]
    if known_on is not None:  # a boolean Series: an empty list would select columns
        rows = rows[rows["from_date"].map(lambda d: d <= known_on).astype(bool)]
    return rows[["lever", "target", "from_date", "to_date", "value", "source", "_row"]] \
        .reset_index(drop=True)


def run_loss(track: pd.DataFrame, target: Target, size_weight: float | None = None) -> float:
    """The loss of one simulated track against one caravan's reports (see module doc)."""
    distances = position_errors(track, target.positions)
    distances = distances[~np.isnan(distances)]
    position = float(np.mean(np.minimum(distances, DISTANCE_CAP_KM))) / DISTANCE_SCALE_KM \
        if len(distances) else 0.0
    _, size_error = size_hits(track, target.sizes)
    size_error = size_error[~np.isnan(size_error)]
    size = float(np.mean(np.minimum(size_error, 5.0))) if len(size_error) else 0.0
    weight = target.size_weight if size_weight is None else size_weight
    return position + weight * size


_NETWORK: Scenario | None = None


def _init_worker(network: Scenario) -> None:
    global _NETWORK
    _NETWORK = network


def _one_run(task: tuple[Target, dict, int]) -> float:
    target, parameters, seed = task
    assert _NETWORK is not None
    return run_loss(_track(target, parameters, seed), target)


def _track(target: Target, parameters: dict, seed: int) -> pd.DataFrame:
    assert _NETWORK is not None
    return simulate_track(caravan_scenario(_NETWORK, target.start, target.days, parameters,
                                           seed, policies=target.policies))


def _one_track(task: tuple[Target, dict, int]) -> pd.DataFrame:
    return _track(*task)


class Evaluator:
    """Runs (caravan, parameters, seed) tasks serially or on local worker processes."""

    def __init__(self, network: Scenario, workers: int = 1) -> None:
        self.network = network
        self.pool = (local_pool(workers, _init_worker, (network,)) if workers > 1 else None)

    def map(self, tasks: list[tuple[Target, dict, int]]) -> list[float]:
        if self.pool is None:
            _init_worker(self.network)
            return [_one_run(t) for t in tasks]
        return list(self.pool.map(_one_run, tasks, chunksize=max(1, len(tasks) // 8)))

    def tracks(self, tasks: list[tuple[Target, dict, int]]) -> list[pd.DataFrame]:
        """The daily tracks of the runs (for band coverage on training caravans)."""
        if self.pool is None:
            _init_worker(self.network)
            return [_one_track(t) for t in tasks]
        return list(self.pool.map(_one_track, tasks, chunksize=max(1, len(tasks) // 8)))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def evaluate(evaluator: Evaluator, targets: Sequence[Target], parameters: dict,
             seeds: Sequence[int]) -> tuple[float, float, dict[str, float]]:
    """Mean loss over caravans, its spread over seeds, and each caravan's mean loss."""
    tasks = [(t, parameters, s) for t in targets for s in seeds]
    losses = np.array(evaluator.map(tasks)).reshape(len(targets), len(seeds))
    per_seed = losses.mean(axis=0)
    return (float(per_seed.mean()), float(per_seed.std(ddof=1)) if len(seeds) > 1 else 0.0,
            {t.caravan: float(losses[i].mean()) for i, t in enumerate(targets)})


@dataclass
class Calibration:
    """What a fit found: the best parameters, every trial, and the context it was fitted in."""

    ranges: list[ParamRange]
    caravans: list[str]
    seeds: list[int]
    trials: pd.DataFrame  # number, state, loss, loss_sd, one column per parameter
    best: dict[str, float] = field(default_factory=dict)
    best_loss: float = math.nan
    per_caravan: dict[str, float] = field(default_factory=dict)
    importances: dict[str, float] = field(default_factory=dict)
    interrupted: bool = False
    failures: list[str] = field(default_factory=list)
    #: the fresh seeds the best trials were re-run with (empty: no re-ranking)
    rerank_seeds: list[int] = field(default_factory=list)

    def top(self, k: int) -> list[dict[str, float]]:
        """Parameters of the ``k`` best completed trials (the fit's spread, for ensembles)."""
        done = self.trials[self.trials["state"] == "COMPLETE"].sort_values(["loss", "number"])
        names = [r.name for r in self.ranges]
        return [{n: float(row[n]) for n in names} for _, row in done.head(k).iterrows()]


def check_parameters(network: Scenario, ranges: Sequence[ParamRange]) -> None:
    """Each parameter given once, and declared by the network's rule set."""
    names = [r.name for r in ranges]
    if len(set(names)) != len(names):
        raise CorridorError("calibrate: a parameter is given twice")
    from corridor.engine import get_rules

    declared = {p.name for p in get_rules(network.rules).parameters}
    unknown = [n for n in names if n not in declared]
    if unknown:
        raise CorridorError(f"--param {unknown[0]}: not a parameter of rule set "
                            f"{network.rules!r} (see `corridor params`)")


def calibrate(network: Scenario, targets: Sequence[Target], ranges: Sequence[ParamRange], *,
              trials: int = 30, seeds: int = 2, seed: int = 0, workers: int = 1,
              fixed: dict | None = None, rerank: int = 0, rerank_seeds: int = RERANK_SEEDS,
              progress: Callable[[int, int, float], None] | None = None,
              evaluator: Evaluator | None = None) -> Calibration:
    """Optuna TPE over ``ranges``; each trial runs every target caravan with ``seeds`` seeds.

    ``rerank`` > 0: the ``rerank`` best trials are run again with ``rerank_seeds`` fresh seeds
    and the best is the one with the lowest loss over all its seeds (``trials.rerank_loss``).
    """
    import optuna

    if not targets:
        raise CorridorError("calibrate: no caravan with reported positions to fit")
    names = [r.name for r in ranges]
    check_parameters(network, ranges)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    seed_list = [seed * 1000 + k for k in range(seeds)]
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(10, max(trials // 3, 1)))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    own = evaluator is None
    evaluator = evaluator or Evaluator(network, workers)
    result = Calibration(list(ranges), [t.caravan for t in targets], seed_list, pd.DataFrame())
    spreads: dict[int, float] = {}
    per_caravan: dict[int, dict[str, float]] = {}

    def objective(trial: optuna.Trial) -> float:
        parameters = dict(fixed or {})
        for r in ranges:
            parameters[r.name] = trial.suggest_float(r.name, r.low, r.high, log=r.log)
        try:
            loss, spread, caravans = evaluate(evaluator, targets, parameters, seed_list)
        except CorridorError:
            raise
        except Exception as exc:  # reported with its parameters; the study goes on
            result.failures.append(f"trial {trial.number} {parameters}: {exc!r}")
            raise
        spreads[trial.number] = spread
        per_caravan[trial.number] = caravans
        return loss

    def callback(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        if progress is not None:
            progress(trial.number + 1, trials, study.best_value if study.best_trials else math.nan)

    reranked: dict[int, tuple[float, dict[str, float]]] = {}
    try:
        study.optimize(objective, n_trials=trials, callbacks=[callback], catch=(Exception,),
                       gc_after_trial=False)
        complete = [t for t in study.trials if t.state.name == "COMPLETE"]
        if rerank > 0 and len(complete) > 1:
            result.rerank_seeds = [seed * 1000 + seeds + k for k in range(rerank_seeds)]
            n_old, n_new = len(seed_list), len(result.rerank_seeds)
            for t in sorted(complete, key=lambda t: (t.value, t.number))[:rerank]:
                fresh, _, caravans = evaluate(evaluator, targets, {**(fixed or {}), **t.params},
                                              result.rerank_seeds)
                merged = {c: (per_caravan[t.number][c] * n_old + v * n_new) / (n_old + n_new)
                          for c, v in caravans.items()}
                reranked[t.number] = ((t.value * n_old + fresh * n_new) / (n_old + n_new),
                                      merged)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        if own:
            evaluator.close()
    rows = []
    for t in study.trials:
        rows.append({"number": t.number, "state": t.state.name,
                     "loss": t.value if t.value is not None else math.nan,
                     "loss_sd": spreads.get(t.number, math.nan),
                     "rerank_loss": reranked[t.number][0] if t.number in reranked else math.nan,
                     **{n: t.params.get(n, math.nan) for n in names}})
    result.trials = pd.DataFrame(rows, columns=["number", "state", "loss", "loss_sd",
                                                "rerank_loss", *names])
    complete = [t for t in study.trials if t.state.name == "COMPLETE"]
    if complete:
        if reranked:  # the best over all its seeds, among the re-run trials
            number = min(reranked, key=lambda n: (reranked[n][0], n))
            best = next(t for t in complete if t.number == number)
            result.best_loss, result.per_caravan = reranked[number]
        else:
            best = min(complete, key=lambda t: (t.value, t.number))
            result.best_loss = float(best.value)
            result.per_caravan = per_caravan.get(best.number, {})
        result.best = {n: float(best.params[n]) for n in names}
        if len(names) > 1 and len(complete) >= 8:
            try:
                result.importances = {k: float(v) for k, v in
                                      optuna.importance.get_param_importances(study).items()}
            except (RuntimeError, ValueError):  # too few distinct values
                result.importances = {}
    return result


def provenance(result: Calibration, today: dt.date | None = None) -> str:
    """One line saying where fitted values come from (goes next to every fitted parameter)."""
    today = today or dt.date.today()
    seeds = len(result.seeds) + len(result.rerank_seeds)
    rerank = (f", the best {int(result.trials['rerank_loss'].notna().sum())} re-run with "
              f"{len(result.rerank_seeds)} fresh seeds" if result.rerank_seeds else "")
    return (f"calibrated on caravans {', '.join(result.caravans)}; {today.isoformat()}; "
            f"loss {result.best_loss:.4g} (mean over {seeds} seeds); "
            f"{len(result.trials)} Optuna TPE trials{rerank}")
