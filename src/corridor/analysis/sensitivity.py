"""Global sensitivity of a scenario's headline outputs to its parameters (SALib).

``sobol``: Saltelli/Sobol' sampling, first-order (S1) and total (ST) indices with bootstrap
confidence intervals; ``morris``: elementary effects (mu*, sigma), cheaper for screening many
parameters. Every sample is one run of the scenario with the sampled parameters and the
scenario's own seed (common random numbers: the same seed for every sample, so index differences
are parameter effects, not seed noise). Runs go to local worker processes or to Dask
(``--scheduler``, ``--dask local``); results depend on neither the backend nor the number of
workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.analysis.calibrate import ParamRange
from corridor.errors import CorridorError
from corridor.scenario.model import Scenario

METHODS = ("sobol", "morris")
#: the headline outputs analysed, from each run's summary and caravan rows
OUTPUTS = ("people_at_us_border", "detained", "deported", "smuggling_revenue_usd",
           "caravan_arrival_day", "caravan_size_end")


def problem(ranges: Sequence[ParamRange]) -> dict:
    """SALib's problem dict (log ranges are sampled on the log scale)."""
    return {"num_vars": len(ranges), "names": [r.name for r in ranges],
            "bounds": [[math.log(r.low), math.log(r.high)] if r.log else [r.low, r.high]
                       for r in ranges]}


def sample(ranges: Sequence[ParamRange], n: int, method: str, seed: int = 0) -> np.ndarray:
    """Sample points (rows) in parameter space; Sobol' needs ``n`` a power of two."""
    spec = problem(ranges)
    if method == "sobol":
        from SALib.sample import sobol

        if n < 2 or n & (n - 1):
            raise CorridorError(f"--samples {n}: Sobol' sampling needs a power of two (e.g. 64)")
        x = sobol.sample(spec, n, calc_second_order=False, seed=seed)
    elif method == "morris":
        from SALib.sample import morris

        x = morris.sample(spec, n, num_levels=4, seed=seed)
    else:
        raise CorridorError(f"--method {method!r}: choose one of {', '.join(METHODS)}")
    for j, r in enumerate(ranges):
        if r.log:
            x[:, j] = np.exp(x[:, j])
    return x


def outputs(scenario: Scenario) -> dict[str, float]:
    """Run once and read the headline outputs (people, USD, days; NaN when not defined)."""
    from corridor.engine import simulate
    from corridor.runs.write import event_totals

    result = simulate(scenario)
    totals = event_totals(result)
    net = result.network
    last = result.recorder.counts[-1]  # [places, statuses] agents at the end
    border = net.is_kind("port_of_entry", "destination")
    people = float(last[border].sum()) / scenario.agents_per_person
    groups = pd.DataFrame(result.recorder.groups)
    arrival, size = math.nan, math.nan
    if len(groups):
        first = groups[groups["group"] == groups["group"].iloc[0]]
        aim = border[[net.place(p) for p in first["place"]]]
        arrived = first["day"][aim]
        # a caravan that never arrives counts as arriving after the last day (censored)
        arrival = float(arrived.iloc[0]) if len(arrived) else float(scenario.days)
        size = float(first["members"].iloc[-1]) / scenario.agents_per_person
    return {"people_at_us_border": people,
            "detained": float(totals.get("total_detained", 0.0)),
            "deported": float(totals.get("total_deported", 0.0)),
            "smuggling_revenue_usd": float(totals.get("total_smuggling_revenue_usd", 0.0)),
            "caravan_arrival_day": arrival, "caravan_size_end": size}


@dataclass
class Sensitivity:
    method: str
    ranges: list[ParamRange]
    samples: pd.DataFrame  # one row per run: parameters then outputs
    indices: pd.DataFrame  # output, parameter, and the method's indices


def run_samples(scenario: Scenario, x: np.ndarray, ranges: Sequence[ParamRange],
                workers: int = 1,
                progress: Callable[[int, int], None] | None = None, *,
                scheduler: str | None = None,
                report: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Run every sample point; one row per point with its parameters and outputs.

    Points run on local worker processes or, with ``scheduler``, on Dask (as ensemble members
    do: ``corridor.analysis.members``); the table is the same. A point whose run fails is
    reported with its parameters and retried once; one failing twice fails the command.
    """
    from corridor.analysis import members as mb

    names = [r.name for r in ranges]
    points = [mb.Member(i, f"sample-{i:04d}", int(scenario.seed),
                        scenario.with_overrides(parameters=dict(zip(names, map(float, row),
                                                                    strict=True))))
              for i, row in enumerate(x)]
    if scheduler is not None:
        from corridor.analysis.dask_backend import DaskBackend

        backend: mb.Backend = DaskBackend(scheduler, workers=workers, job=outputs)
    else:
        backend = mb.LocalBackend(workers, total=len(points), job=outputs)
    results = mb.run_all(points, None, backend, progress=progress, report=report or mb.to_stderr)
    return pd.concat([pd.DataFrame(x, columns=names), pd.DataFrame(results)], axis=1)


def analyse(samples: pd.DataFrame, ranges: Sequence[ParamRange], method: str,
            seed: int = 0) -> pd.DataFrame:
    """Indices per (output, parameter); an output that never varies gets zeros, not NaN."""
    spec = problem(ranges)
    x = samples[[r.name for r in ranges]].to_numpy(float)
    for j, r in enumerate(ranges):
        if r.log:
            x[:, j] = np.log(x[:, j])
    rows = []
    for output in OUTPUTS:
        y = samples[output].to_numpy(float)
        if not np.isfinite(y).all():
            y = np.nan_to_num(y, nan=float(np.nanmax(y)) if np.isfinite(y).any() else 0.0)
        if np.ptp(y) == 0:
            rows += [{"output": output, "parameter": r.name, **_zeros(method)} for r in ranges]
            continue
        if method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(spec, y, calc_second_order=False, seed=seed)
            for j, r in enumerate(ranges):
                rows.append({"output": output, "parameter": r.name,
                             "S1": float(res["S1"][j]), "S1_conf": float(res["S1_conf"][j]),
                             "ST": float(res["ST"][j]), "ST_conf": float(res["ST_conf"][j])})
        else:
            from SALib.analyze import morris

            res = morris.analyze(spec, x, y, num_levels=4, seed=seed)
            for j, r in enumerate(ranges):
                rows.append({"output": output, "parameter": r.name,
                             "mu_star": float(res["mu_star"][j]),
                             "mu_star_conf": float(res["mu_star_conf"][j]),
                             "sigma": float(res["sigma"][j])})
    return pd.DataFrame(rows)


def _zeros(method: str) -> dict[str, float]:
    keys = ("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else \
        ("mu_star", "mu_star_conf", "sigma")
    return dict.fromkeys(keys, 0.0)


def sensitivity(scenario: Scenario, ranges: Sequence[ParamRange], n: int, method: str = "sobol",
                seed: int = 0, workers: int = 1,
                progress: Callable[[int, int], None] | None = None, *,
                scheduler: str | None = None,
                report: Callable[[str], None] | None = None) -> Sensitivity:
    """Sample, run and analyse (see module doc; ``scheduler`` as in ``run_samples``)."""
    from corridor.engine import get_rules

    declared = {p.name for p in get_rules(scenario.rules).parameters}
    for r in ranges:
        if r.name not in declared:
            raise CorridorError(f"--param {r.name}: not a parameter of rule set "
                                f"{scenario.rules!r} (see `corridor params`)")
    x = sample(ranges, n, method, seed)
    samples = run_samples(scenario, x, ranges, workers, progress, scheduler=scheduler,
                          report=report)
    return Sensitivity(method, list(ranges), samples, analyse(samples, ranges, method, seed))


def bar_chart_svg(indices: pd.DataFrame, method: str) -> str:
    """A small self-contained SVG: one row of bars per output (ST or mu*), text escaped."""
    from html import escape

    key = "ST" if method == "sobol" else "mu_star"
    params = list(dict.fromkeys(indices["parameter"]))
    outs = list(dict.fromkeys(indices["output"]))
    row_h, bar_h, left, width = 18 * max(len(params), 1) + 24, 14, 230, 320
    height = row_h * len(outs) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" '
             f'height="{height}" font-family="sans-serif" font-size="11">']
    for i, output in enumerate(outs):
        sub = indices[indices["output"] == output].set_index("parameter")[key]
        top = sub.abs().max() or 1.0
        y0 = i * row_h + 14
        parts.append(f'<text x="4" y="{y0}" font-weight="bold">{escape(output)}</text>')
        for j, name in enumerate(params):
            value = float(sub.get(name, 0.0))
            w = max(0.0, value) / top * width if top > 0 else 0.0
            y = y0 + 6 + j * 18
            parts.append(f'<text x="12" y="{y + 11}">{escape(name)}</text>')
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                         'fill="#4472c4"/>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 11}">{value:.3g}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
