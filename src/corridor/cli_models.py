"""Model-fitting commands of the ``corridor`` CLI: ``calibrate``, ``backtest``, ``sensitivity``.

Like the rest of the CLI they parse options, call the library and print; heavy imports happen
inside the commands. Outputs are written as one folder, atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from corridor.cli_batch import DaskOpt, SchedulerOpt
from corridor.errors import CorridorError

console = Console()
err = Console(stderr=True)

#: fitted by default: the caravan behaviour every caravan shares (rule-set parameters). Five,
#: not the eight fitted before 4 December: over three sampler seeds each, leaving out the
#: dissolve share, the base ride rate and the halted split rate gave 69 / 89 / 85 km pooled from
#: departure against 117 / 104 / 87 (docs/caravans.md, run R5; the bands cover less: 77-81 %)
DEFAULT_FIT = ("walk_speed_km_per_day=10:45", "caravan_halt_probability_per_day=0:0.35",
               "caravan_ride_probability_central_america_per_day=0:0.8",
               "caravan_ride_probability_beyond_isthmus_per_day=0:0.8",
               "caravan_split_probability_per_day=0:0.1")
#: fitted by default before 4 December (add with --param to fit them again)
FORMER_FIT = ("caravan_ride_probability_per_day=0:0.6", "caravan_dissolve_below_share=0:0.5",
              "caravan_split_probability_per_halted_day=0:0.3")
#: joining en route is not fitted by default: fitting it made positions worse out of sample
#: (159 against 101 km pooled from departure, docs/caravans.md); add it with --param
JOINING_FIT = ("caravan_join_share_per_day=0:0.6", "caravan_join_decay_days=1:20")
DEFAULT_NETWORK = Path("scenarios/caravans")

DatasetArg = Annotated[Path, typer.Argument(
    help="A caravan dataset folder (timeline.csv + caravans.csv, e.g. data/caravans).")]
ParamOpt = Annotated[list[str] | None, typer.Option(
    "--param", help="NAME=LO:HI (or NAME=LO:HI:log) to fit; repeat. Default: "
    + ", ".join(DEFAULT_FIT) + "; to fit joining en route add " + ", ".join(JOINING_FIT)
    + "; the former defaults also fitted " + ", ".join(FORMER_FIT))]
NetworkOpt = Annotated[Path, typer.Option(
    help="Network scenario the caravans walk on (its places and routes are used).")]
TrialsOpt = Annotated[int, typer.Option(help="Optuna trials per fit.", min=1)]
SeedsOpt = Annotated[int, typer.Option("--seeds", help="Seeds per trial (loss averaged).", min=1)]
WorkersOpt = Annotated[int, typer.Option(help="Local worker processes.", min=1)]
SizeWeightOpt = Annotated[float, typer.Option(
    help="Weight of the loss's size term (relative error against each reported size range) "
    "against its position term (km / 100 to each reported position).", min=0.0)]
OutOpt = Annotated[Path, typer.Option(help="Folder to write (refused if it exists).")]
RerankOpt = Annotated[int, typer.Option(
    help="Re-run the K best trials with 4 fresh seeds and keep the best over all its seeds "
    "(0: the search's best trial; the search's few seeds make its best partly the luckiest).",
    min=0)]


def _ranges(params: list[str] | None):  # noqa: ANN202
    from corridor.analysis.calibrate import ParamRange

    ranges = [ParamRange.parse(p) for p in (params or DEFAULT_FIT)]
    names = [r.name for r in ranges]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # SALib and Optuna would otherwise fail deep inside with a traceback
        raise CorridorError(f"--param {twice[0]}: given twice; give each parameter once")
    return ranges


def _bar():  # noqa: ANN202
    from corridor.cli_progress import progress_bar

    return progress_bar(info=True)


def _network(network: Path, dataset: Path) -> Path:
    """The default network is looked up beside the dataset too (a repository checkout holds
    data/caravans and scenarios/caravans), so the commands work from any folder."""
    if network == DEFAULT_NETWORK and not network.exists():
        beside = Path(dataset).resolve().parent.parent / DEFAULT_NETWORK
        if beside.exists():
            return beside
    return network


def _check_out(out: Path) -> None:
    """Refuse a bad --out before any trial runs (not only when the results are written)."""
    from corridor.runs.claim import check_out_folder

    if out.exists() or out.is_symlink():
        raise CorridorError(f"{out}: exists; choose a new folder")
    check_out_folder(out)  # under a file, under /proc, in a folder that cannot be written


def _caravan_ids(text: str | None, caravans) -> list[str]:  # noqa: ANN001
    known = list(caravans["caravan"])
    if not text:
        return known
    wanted = [c.strip() for c in text.split(",") if c.strip()]
    if not wanted:
        raise CorridorError(f"--caravans {text!r}: no caravan id given (known: "
                            f"{', '.join(known)})")
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise CorridorError(f"--caravans: unknown caravan {unknown[0]!r} (known: "
                            f"{', '.join(known)})")
    return wanted


def register(app: typer.Typer) -> None:
    """Add the caravan commands to the main app."""
    app.command("calibrate")(calibrate)
    app.command("backtest")(backtest)
    app.command("sensitivity")(sensitivity)


def calibrate(
    dataset: DatasetArg,
    out: OutOpt = Path("calibration"),
    param: ParamOpt = None,
    network: NetworkOpt = DEFAULT_NETWORK,
    caravans: Annotated[str | None, typer.Option(
        help="Comma-separated caravan ids to fit on (default: all).")] = None,
    trials: TrialsOpt = 30,
    seeds: SeedsOpt = 2,
    seed: Annotated[int, typer.Option(help="Sampler seed (same seed, same fit).", min=0)] = 0,
    workers: WorkersOpt = 2,
    method: Annotated[str, typer.Option(
        help="optuna (TPE point fit) or abc (rejection ABC: --trials Sobol draws from the "
        "prior, the --accept share with the lowest loss is the posterior).")] = "optuna",
    accept: Annotated[float, typer.Option(
        help="abc: share of the prior draws accepted into the posterior.")] = 0.1,
    size_weight: SizeWeightOpt = 1.0,
    rerank: RerankOpt = 0,
) -> None:
    """Fit caravan parameters to reported positions and sizes; write the fit and a report."""
    from corridor.analysis.calibrate import calibrate as fit
    from corridor.analysis.calibrate import provenance, targets_for
    from corridor.analysis.caravan_sim import load_network
    from corridor.analysis.caravan_skill import read_timeline

    if method not in ("optuna", "abc"):
        raise CorridorError(f"--method {method!r}: expected optuna or abc")
    if not (0 < accept <= 1):
        raise CorridorError(f"--accept {accept}: the accepted share must be in (0, 1]")
    _check_out(out)
    ranges = _ranges(param)
    timeline, table = read_timeline(dataset)
    net = load_network(_network(network, dataset))
    targets = targets_for(timeline, table, net, _caravan_ids(caravans, table),
                          size_weight=size_weight)
    with _bar() as bar:
        task = bar.add_task("calibrate", total=trials, info="")
        def show(d: int, n: int, best: float) -> None:
            bar.update(task, completed=d, info=f"best loss {best:.3g}")

        if method == "abc":
            from corridor.analysis.abc import rejection_abc

            result = rejection_abc(net, targets, ranges, draws=trials, quantile=accept,
                                   seeds=seeds, seed=seed, workers=workers, progress=show)
        else:
            result = fit(net, targets, ranges, trials=trials, seeds=seeds, seed=seed,
                         workers=workers, rerank=rerank, progress=show)
    if not result.best:
        raise CorridorError("calibrate: no trial completed; nothing was written"
                            + (f" (first failure: {result.failures[0]})"
                               if result.failures else ""))
    if method == "abc":
        from corridor.analysis.abc import abc_provenance

        origin = abc_provenance(result)
    else:
        origin = provenance(result)
    _write_calibration(result, out, origin)
    for failure in result.failures:
        err.print(f"failed: {failure}", markup=False, highlight=False)
    if result.interrupted:
        err.print(f"interrupted: kept the {len(result.trials)} trials done")
    console.print(f"best loss {result.best_loss:.4g}: "
                  + ", ".join(f"{k} = {v:.4g}" for k, v in result.best.items()))
    console.print(f"calibration folder: {out}")


def _write_calibration(result, out: Path, origin: str) -> None:  # noqa: ANN001
    import tomli_w

    from corridor._io import write_csv
    from corridor.runs.claim import atomic_folder
    from corridor.runs.markers import CALIBRATION

    ranges = {r.name: r for r in result.ranges}
    with atomic_folder(out, kind=CALIBRATION, replaceable=[CALIBRATION]) as tmp:
        lines = [f"# {origin}", "[parameters]"]
        for name, value in result.best.items():
            r = ranges[name]
            lines.append(f"# {name}: fitted in [{r.low:g}, {r.high:g}]"
                         + (" (log-uniform prior)" if r.log else " (uniform prior)"))
            lines.append(tomli_w.dumps({name: float(value)}).strip())
        (tmp / "parameters.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        write_csv(result.trials, tmp / "trials.csv")
        posterior = getattr(result, "posterior", None)
        if posterior is not None:
            write_csv(result.summary(), tmp / "posterior.csv", float_format="%.6g")
        (tmp / "calibration.json").write_text(json.dumps({
            "provenance": origin, "best": result.best, "best_loss": result.best_loss,
            "per_caravan_loss": result.per_caravan, "importances": result.importances,
            "seeds": result.seeds, "caravans": result.caravans,
            "ranges": {r.name: [r.low, r.high, r.log] for r in result.ranges},
            "failures": result.failures, "interrupted": result.interrupted,
        }, indent=2, allow_nan=False, default=_finite) + "\n", encoding="utf-8")
        (tmp / "report.md").write_text(_calibration_report(result, origin), encoding="utf-8")


def _finite(value: object) -> object:
    return None


def _calibration_report(result, origin: str) -> str:  # noqa: ANN001
    done = result.trials[result.trials["state"] == "COMPLETE"]
    lines = ["# Calibration", "", origin, "", "## Best parameters", "",
             "| parameter | value | prior | importance |", "|---|---|---|---|"]
    for r in result.ranges:
        imp = result.importances.get(r.name)
        lines.append(f"| {r.name} | {result.best.get(r.name, math.nan):.4g} | "
                     f"[{r.low:g}, {r.high:g}]{' log' if r.log else ''} | "
                     f"{'' if imp is None else f'{imp:.2f}'} |")
    if getattr(result, "posterior", None) is not None and len(result.posterior):
        lines += ["", f"## Posterior (rejection ABC: {len(result.posterior)} accepted draws, "
                  f"loss <= {result.epsilon:.4g})", "",
                  "| parameter | mean | sd | 5 % | 50 % | 95 % |", "|---|---|---|---|---|---|"]
        lines += [f"| {r.parameter} | {r.mean:.4g} | {r.sd:.3g} | {r.q05:.4g} | {r.q50:.4g} | "
                  f"{r.q95:.4g} |" for r in result.summary().itertuples()]
    again = done[done["rerank_loss"].notna()] if "rerank_loss" in done else done.iloc[:0]
    if len(again):
        lines += ["", f"## Best trials re-run with {len(result.rerank_seeds)} fresh seeds", "",
                  "| trial | loss (search seeds) | loss (all seeds) |", "|---|---|---|"]
        lines += [f"| {row.number} | {row.loss:.4g} | {row.rerank_loss:.4g} |"
                  for row in again.sort_values(["rerank_loss", "number"]).itertuples()]
    lines += ["", "## Loss per caravan (best trial)", "", "| caravan | loss |", "|---|---|"]
    lines += [f"| {c} | {v:.4g} |" for c, v in result.per_caravan.items()]
    lines += ["", "## Loss history", "", "| trial | loss | sd over seeds | best so far |",
              "|---|---|---|---|"]
    best = math.inf
    for row in done.itertuples():
        best = min(best, row.loss)
        lines.append(f"| {row.number} | {row.loss:.4g} | {row.loss_sd:.3g} | {best:.4g} |")
    return "\n".join(lines) + "\n"


def backtest(
    dataset: DatasetArg,
    out: OutOpt = Path("backtest"),
    param: ParamOpt = None,
    network: NetworkOpt = DEFAULT_NETWORK,
    caravans: Annotated[str | None, typer.Option(
        help="Comma-separated caravans to hold out in turn (default: all).")] = None,
    trials: TrialsOpt = 24,
    seeds: SeedsOpt = 2,
    members: Annotated[int, typer.Option(help="Ensemble members per forecast.", min=1)] = 10,
    seed: Annotated[int, typer.Option(help="Sampler seed.", min=0)] = 0,
    workers: WorkersOpt = 2,
    policies: Annotated[bool, typer.Option(
        "--policies/--no-policies",
        help="Also forecast given the caravan's policies.csv rows as scenario inputs "
        "(a second, policy-conditioned table; needs DATASET/policies.csv).")] = True,
    spread: Annotated[str, typer.Option(
        help="Range LO:HI the inflation factor of the members' parameter spread is searched "
        "in (per fold, on the training caravans' band coverage, aiming at 90 %); one number "
        "= that factor ('0' = seeds only).")] = "0.25:50",
    by_region: Annotated[bool, typer.Option(
        "--by-region/--all-regions",
        help="Fit each caravan on the caravans setting out from the same country only "
        "(Honduras, Mexico) instead of on all the others.")] = False,
    centre: Annotated[str, typer.Option(
        help="Point forecast (position, people, median km): 'best' = members at the fold's "
        "best-fit parameters, seeds only; 'top' = members spread over the fold's 5 best "
        "trials; 'ensemble' = the median of the spread members. The 5-95 % band is the "
        "spread members' either way.")] = "best",
    size_weight: SizeWeightOpt = 1.0,
    rerank: RerankOpt = 0,
    repeat: Annotated[int, typer.Option(
        help="Run the whole backtest with sampler seeds SEED .. SEED+N-1 and write their "
        "pooled figures side by side (skill_over_seeds.csv, README): how much a figure moves "
        "when only the fit's random search changes. The other files are SEED's.", min=1)] = 1,
) -> None:
    """Leave one caravan out: fit on the others, forecast it, score against baselines."""
    from dataclasses import replace

    from corridor.analysis.backtest import BacktestSettings, over_seeds, skill_tables
    from corridor.analysis.backtest import backtest as run_backtest
    from corridor.analysis.caravan_sim import load_network
    from corridor.analysis.caravan_skill import read_timeline

    _check_out(out)
    ranges = _ranges(param)
    timeline, table = read_timeline(dataset)
    net = load_network(_network(network, dataset))
    settings = BacktestSettings(trials=trials, seeds=seeds, members=members, seed=seed,
                                workers=workers, spread_range=_spread_range(spread),
                                by_region=by_region, centre=_centre(centre),
                                size_weight=size_weight, rerank=rerank)
    levers = _policies(dataset, net) if policies else None
    only = _caravan_ids(caravans, table)
    started = dt.datetime.now()
    tables, results = {}, []
    with _bar() as bar:
        task = bar.add_task("backtest (folds)", total=len(only) * repeat, info="")
        for k in range(repeat):
            def show(d: int, n: int, c: str, k: int = k) -> None:
                bar.update(task, completed=k * n + d, total=n * repeat,
                           info=f"seed {seed + k}: {c}" if repeat > 1 else c)

            run = run_backtest(net, timeline, table, ranges, replace(settings, seed=seed + k),
                               only=only, progress=show, policies=levers)
            tables[seed + k] = skill_tables(run)
            results = results or run  # the files written are the first seed's
    skill, by_horizon = tables[seed]
    spread = over_seeds(tables) if repeat > 1 else None
    _write_backtest(results, skill, by_horizon, out, settings, ranges, spread)
    console.print(skill.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    console.print(by_horizon.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    if spread is not None:
        from corridor.analysis.backtest import seed_summary

        console.print(f"over sampler seeds {seed}-{seed + repeat - 1} (pooled median km):")
        console.print(seed_summary(spread).to_string(index=False,
                                                     float_format=lambda v: f"{v:.3g}"))
    seconds = (dt.datetime.now() - started).total_seconds()
    console.print(f"backtest folder: {out} ({len(results)} folds, {seconds:.0f} s)")


def _centre(value: str) -> str:
    """--centre's value, checked (one clear line for a typo)."""
    from corridor.analysis.backtest import CENTRES

    if value not in CENTRES:
        raise CorridorError(f"--centre {value!r}: use one of {', '.join(CENTRES)}")
    return value


def _spread_range(text: str) -> tuple[float, ...]:
    """``LO:HI`` (a range to search) or one number (that factor)."""
    try:
        bounds = tuple(float(v) for v in text.split(":"))
    except ValueError:
        raise CorridorError(f"--spread {text!r}: expected LO:HI (e.g. 0.25:50) or one "
                            "number") from None
    if not 1 <= len(bounds) <= 2 or not all(math.isfinite(f) and f >= 0 for f in bounds):
        raise CorridorError(f"--spread {text!r}: need LO:HI or one number, finite and >= 0")
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        raise CorridorError(f"--spread {text!r}: LO is above HI")
    return bounds


def _policies(dataset: Path, network):  # noqa: ANN001, ANN202
    from corridor.caravans.scenario import load_policies

    path = Path(dataset) / "policies.csv"
    if not path.is_file():
        raise CorridorError(f"{path}: missing (needed for the policy-conditioned forecasts; "
                            "pass --no-policies to forecast from departure only)")
    return load_policies(path, network)


def _write_backtest(results, skill, by_horizon, out: Path, settings, ranges,  # noqa: ANN001
                    seeds=None) -> None:
    import pandas as pd

    from corridor._io import write_csv
    from corridor.runs.claim import atomic_folder
    from corridor.runs.markers import BACKTEST

    tracks = pd.concat([r.tracks for r in results], ignore_index=True)
    tracks = tracks[["caravan", "method", "date", "lat", "lon", "people", "km_q05", "km_q50",
                     "km_q95"]]
    fits = pd.DataFrame([
        {"caravan": r.caravan, "method": method, "fitted_on": " ".join(fit.caravans),
         "loss": fit.best_loss, "spread_factor": r.spreads[method].factor,
         "training_coverage": r.spreads[method].coverage.get(r.spreads[method].factor),
         **fit.best}
        for r in results for method, fit in r.fits.items()])
    with atomic_folder(out, kind=BACKTEST, replaceable=[BACKTEST]) as tmp:
        write_csv(tracks, tmp / "tracks.csv", float_format="%.5g")
        write_csv(skill, tmp / "skill.csv", float_format="%.4g")
        write_csv(by_horizon, tmp / "skill_by_horizon.csv", float_format="%.4g")
        write_csv(fits, tmp / "fits.csv", float_format="%.5g")
        text = _backtest_readme(skill, by_horizon, settings, ranges)
        if seeds is not None:
            from corridor.analysis.backtest import seed_summary

            write_csv(seeds, tmp / "skill_over_seeds.csv", float_format="%.4g")
            text += ("\n## Over sampler seeds (pooled median km; only the fit's random search "
                     "differs)\n\n" + _markdown(seed_summary(seeds)) + "\n")
        (tmp / "README.md").write_text(text, encoding="utf-8")


def _markdown(frame) -> str:  # noqa: ANN001
    columns = list(frame.columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in frame.itertuples(index=False):
        cells = [f"{v:.3g}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _backtest_readme(skill, by_horizon, settings, ranges) -> str:  # noqa: ANN001
    from corridor.analysis.backtest import GIVEN_KNOWN_POLICIES, GIVEN_POLICIES
    from corridor.analysis.calibrate import RERANK_SEEDS

    fitted = ", ".join(f"{r.name} in [{r.low:g}, {r.high:g}]" for r in ranges)
    bounds = settings.spread_range
    factors = (f"{bounds[0]:g}" if len(bounds) == 1 or bounds[0] == bounds[-1] else
               f"searched in [{bounds[0]:g}, {bounds[-1]:g}] (at most "
               f"{settings.spread_evaluations} candidates)")
    conditioned = [GIVEN_POLICIES, GIVEN_KNOWN_POLICIES]
    departure = skill[~skill["method"].isin(conditioned)]
    given = skill[skill["method"].isin(conditioned) | (skill["method"] == "constant_25km_day")]
    text = (
        "# Backtest: leave one caravan out\n\n"
        f"Each caravan forecast by a model fitted on the other caravans only ({fitted}; "
        f"{settings.trials} Optuna trials x {settings.seeds} seeds per fold; "
        f"{settings.members} members per forecast, their parameters drawn around the fold's "
        f"best trial with a spread factor {factors} on the training caravans' "
        f"band coverage, target {settings.target_coverage:.0%})"
        + ("; each caravan fitted on the caravans setting out from its own country only"
           if settings.by_region else "")
        + (f"; the loss's size term weighted {settings.size_weight:g}"
           if settings.size_weight != 1.0 else "")
        + (f"; the {settings.rerank} best trials of each fit re-run with {RERANK_SEEDS} fresh "
           "seeds, the "
           "best over all its seeds kept" if settings.rerank else "")
        + {"best": "; the point forecast from members at the best fit (seeds only), the band "
                   "from the spread members",
           "top": "; the point forecast from members spread over the fold's 5 best trials, "
                  "the band from the spread members"}.get(
               settings.centre, "; the point forecast is the spread members' median") + ".\n\n"
        "## From departure, departure-only (no future knowledge)\n\n"
        + _markdown(departure) + "\n\n")
    if (skill["method"] == GIVEN_POLICIES).any():
        text += ("## From departure, policy-conditioned (the caravan's policies.csv rows as "
                 "scenario inputs: what the tool says given the policy)\n\n"
                 + _markdown(given) + "\n\n")
    return text + (
        "## Restarted at each reported position (lead time bins 1, 2-3, 4-7, 8-14 days)\n\n"
        f"`{GIVEN_POLICIES}`: all the caravan's policies; `{GIVEN_KNOWN_POLICIES}`: only those "
        "with from_date on or before the issue date.\n\n"
        + _markdown(by_horizon) + "\n")


def sensitivity(
    folder: Annotated[Path, typer.Argument(help="A scenario folder.")],
    param: Annotated[list[str], typer.Option(
        "--param", help="NAME=LO:HI (or NAME=LO:HI:log); repeat for each parameter.")],
    out: OutOpt = Path("sensitivity"),
    samples: Annotated[int, typer.Option(
        help="Base samples N (Sobol': a power of two, N*(k+2) runs; Morris: N trajectories, "
        "N*(k+1) runs).", min=2)] = 32,
    method: Annotated[str, typer.Option(help="sobol or morris.")] = "sobol",
    agents_scale: Annotated[float | None, typer.Option(
        help="Agents per person for every run (smaller is faster).")] = None,
    seed: Annotated[int, typer.Option(help="Sampling seed.", min=0)] = 0,
    workers: WorkersOpt = 2,
    scheduler: SchedulerOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Global sensitivity (SALib) of the headline outputs to rule-set parameters."""
    from corridor.analysis.sensitivity import bar_chart_svg, sample
    from corridor.analysis.sensitivity import sensitivity as analyse
    from corridor.checked import load_checked
    from corridor.cli_batch import dask_address

    address = dask_address(scheduler, dask)
    _check_out(out)
    ranges = _ranges(param)
    if agents_scale is not None and not (0 < agents_scale <= 1e3):
        raise CorridorError(f"--agents-scale must be > 0, got {agents_scale}")
    scenario = load_checked(folder).with_overrides(agents_per_person=agents_scale)
    runs = len(sample(ranges, samples, method, seed))
    with _bar() as bar:
        task = bar.add_task("sensitivity", total=runs, info=f"{method}, {runs} runs")
        result = analyse(scenario, ranges, samples, method, seed, workers,
                         progress=lambda d, n: bar.update(task, completed=d), scheduler=address,
                         report=lambda m: err.print(m, markup=False, highlight=False))
    from corridor._io import write_csv
    from corridor.runs.claim import atomic_folder
    from corridor.runs.markers import SENSITIVITY

    with atomic_folder(out, kind=SENSITIVITY, replaceable=[SENSITIVITY],
                       inputs=[folder]) as tmp:
        write_csv(result.samples, tmp / "samples.csv", float_format="%.6g")
        write_csv(result.indices, tmp / "indices.csv", float_format="%.4g")
        (tmp / "indices.svg").write_text(bar_chart_svg(result.indices, method), encoding="utf-8")
        (tmp / "README.md").write_text(
            f"# Sensitivity of {scenario.name} ({method}, {runs} runs)\n\n"
            + _markdown(result.indices) + "\n", encoding="utf-8")
    console.print(result.indices.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    console.print(f"sensitivity folder: {out}")
