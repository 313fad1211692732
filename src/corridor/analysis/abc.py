"""Rejection ABC: posteriors of caravan parameters without a heavy inference library.

pyabc would pull in redis, SQLAlchemy, scikit-learn and ipykernel, sbi needs torch; for a few
parameters and a loss that already summarises the reports, plain rejection sampling is cheap
and honest:

1. draw ``n`` parameter sets from the prior with a scrambled Sobol sequence (seeded; log-uniform
   priors sampled in log space), so the prior is covered evenly with few draws;
2. run every target caravan with ``seeds`` seeds per draw (the same seeds for every draw:
   common random numbers) and score it with the calibration loss (calibrate.run_loss);
3. accept the draws whose loss is at or below the ``quantile``-quantile of all losses
   (epsilon); the posterior is the accepted draws, equally weighted.

The result is a ``Calibration`` (every draw is a trial, ``best`` is the posterior median of
each parameter), so the calibrate command writes it like a point fit, plus the posterior.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.analysis.calibrate import (
    Calibration,
    Evaluator,
    ParamRange,
    Target,
    check_parameters,
    evaluate,
)
from corridor.errors import CorridorError
from corridor.scenario.model import Scenario


@dataclass
class AbcResult(Calibration):
    """A rejection-ABC fit: ``trials`` has an ``accepted`` column; ``epsilon`` the cut."""

    quantile: float = 0.1
    epsilon: float = math.nan
    posterior: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> pd.DataFrame:
        """Per parameter: posterior mean, sd and 5/50/95 % quantiles of the accepted draws."""
        rows = []
        for r in self.ranges:
            v = self.posterior[r.name].to_numpy(float)
            rows.append({"parameter": r.name, "prior_low": r.low, "prior_high": r.high,
                         "mean": float(v.mean()), "sd": float(v.std(ddof=1)) if len(v) > 1
                         else 0.0, "q05": float(np.quantile(v, 0.05)),
                         "q50": float(np.quantile(v, 0.5)), "q95": float(np.quantile(v, 0.95))})
        return pd.DataFrame(rows)


def sample_prior(ranges: Sequence[ParamRange], n: int, seed: int) -> list[dict[str, float]]:
    """``n`` quasi-random draws from the (log-)uniform priors (scrambled Sobol, seeded)."""
    import warnings

    from scipy.stats import qmc

    with warnings.catch_warnings():  # n need not be a power of two for rejection sampling
        warnings.simplefilter("ignore", UserWarning)
        u = qmc.Sobol(d=len(ranges), scramble=True, seed=seed).random(n)
    draws = []
    for row in u:
        draw = {}
        for r, x in zip(ranges, row, strict=True):
            if r.log:
                draw[r.name] = float(math.exp(math.log(r.low) + x * (math.log(r.high)
                                                                      - math.log(r.low))))
            else:
                draw[r.name] = float(r.low + x * (r.high - r.low))
        draws.append(draw)
    return draws


def rejection_abc(network: Scenario, targets: Sequence[Target], ranges: Sequence[ParamRange],
                  *, draws: int = 64, quantile: float = 0.1, seeds: int = 1, seed: int = 0,
                  workers: int = 1, fixed: dict | None = None,
                  progress: Callable[[int, int, float], None] | None = None,
                  evaluator: Evaluator | None = None) -> AbcResult:
    """Rejection ABC over ``ranges`` (see module doc); Ctrl-C keeps the draws done."""
    if not targets:
        raise CorridorError("calibrate: no caravan with reported positions to fit")
    if not 0 < quantile <= 1:
        raise CorridorError(f"--accept {quantile}: the accepted share must be in (0, 1]")
    check_parameters(network, ranges)
    names = [r.name for r in ranges]
    seed_list = [seed * 1000 + k for k in range(seeds)]
    own = evaluator is None
    evaluator = evaluator or Evaluator(network, workers)
    result = AbcResult(list(ranges), [t.caravan for t in targets], seed_list, pd.DataFrame(),
                       quantile=quantile)
    rows, per_caravan = [], {}
    best = math.inf
    try:
        for i, params in enumerate(sample_prior(ranges, draws, seed)):
            try:
                loss, spread, caravans = evaluate(evaluator, targets, {**(fixed or {}),
                                                                       **params}, seed_list)
                state = "COMPLETE"
            except CorridorError:
                raise
            except Exception as exc:  # reported with its parameters; the rest go on
                result.failures.append(f"draw {i} {params}: {exc!r}")
                loss, spread, caravans, state = math.nan, math.nan, {}, "FAIL"
            rows.append({"number": i, "state": state, "loss": loss, "loss_sd": spread,
                         **params})
            per_caravan[i] = caravans
            best = min(best, loss) if not math.isnan(loss) else best
            if progress is not None:
                progress(i + 1, draws, best)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        if own:
            evaluator.close()
    trials = pd.DataFrame(rows, columns=["number", "state", "loss", "loss_sd", *names])
    done = trials[trials["state"] == "COMPLETE"]
    if done.empty:
        result.trials = trials.assign(accepted=False)
        return result
    epsilon = float(np.quantile(done["loss"], quantile, method="lower"))
    trials["accepted"] = (trials["state"] == "COMPLETE") & (trials["loss"] <= epsilon)
    result.trials = trials
    result.epsilon = epsilon
    result.posterior = trials[trials["accepted"]].reset_index(drop=True)
    result.best = {n: float(result.posterior[n].median()) for n in names}
    best_row = done.sort_values(["loss", "number"]).iloc[0]
    result.best_loss = float(best_row["loss"])  # the best single draw's loss
    result.per_caravan = per_caravan.get(int(best_row["number"]), {})
    return result


def abc_provenance(result: AbcResult, today: object = None) -> str:
    """One line saying where the posterior medians come from."""
    import datetime as dt

    day = today if isinstance(today, dt.date) else dt.date.today()
    return (f"rejection ABC on caravans {', '.join(result.caravans)}; {day.isoformat()}; "
            f"posterior median of {len(result.posterior)} of {len(result.trials)} Sobol prior "
            f"draws accepted (loss <= {result.epsilon:.4g}, the {result.quantile:g} quantile; "
            f"mean over {len(result.seeds)} seeds)")
