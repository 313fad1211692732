"""Sweep one policy lever over a list of values, an ensemble per value, and compare the outcomes.

A lever spec names the lever, its target and the values::

    LEVER.TARGET[.ATTRIBUTE]=v1,v2,...
    checkpoint.el-ceibo.value=0,200,800,2000
    closure.b>c=0,1

``TARGET`` is a target as in policies.csv (a place id, a route ``from>to``, a country code or a
country pair, see ``corridor.scenario.targets``). Place names are matched against the
scenario's place ids ignoring case and treating ``-``, ``_`` and spaces alike (then against place
names), so ``checkpoint.El-Ceibo.agents=...`` finds ``el-ceibo``. ``ATTRIBUTE`` is optional:
``value`` is the only attribute a policies.csv row has; ``agents`` (and ``level``) are accepted as
aliases of it.

Every value runs with the same member seeds (common random numbers), so differences between
values are the lever's effect rather than seed noise.

The sweep folder (written atomically) holds ``value-<v>/`` ensemble folders, ``sweep.parquet``
(``value``, ``seed``, ``metric``, ``number``: one row per member run and metric), ``sweep.json``
(the spec, values, seeds and folders) and ``sweep.svg`` (median and 5-95 % band per metric
against the lever value, for the metrics that vary most).

Metrics come from each member's summary.json: every numeric top-level key starting with
``total_`` and ``people_per_status_end.<status>`` (a status missing from a run is 0 people).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from corridor.analysis.ensemble import (
    Progress,
    load_checked,
    member_name,
    member_seeds,
)
from corridor.errors import CorridorError
from corridor.runs.markers import SWEEP
from corridor.scenario.model import Scenario
from corridor.scenario.schema import LEVERS
from corridor.scenario.targets import TargetError, scenario_parser

ATTRIBUTES = {"value": "value", "agents": "value", "level": "value"}
SWEEP_COLUMNS = ["value", "seed", "metric", "number"]
MAX_PANELS = 9
_SEP = re.compile(r"[\s_\-]+")


class LeverSpec(NamedTuple):
    """A parsed ``LEVER.TARGET[.ATTRIBUTE]=v1,v2,...`` (attribute normalised to ``value``)."""

    lever: str
    target: str
    attribute: str
    values: tuple[float, ...]


def parse_lever_spec(spec: str) -> LeverSpec:
    """Parse ``LEVER.TARGET[.ATTRIBUTE]=v1,v2,...``; a CorridorError says what is wrong."""
    text = spec.strip()
    example = "e.g. checkpoint.el-ceibo.value=0,200,800"
    if text.count("=") != 1:
        raise CorridorError(
            f"lever spec {spec!r}: expected LEVER.TARGET[.value]=v1,v2,... ({example})"
        )
    left, right = (part.strip() for part in text.split("="))
    lever, dot, rest = left.partition(".")
    lever = lever.strip().lower()
    if not dot or not rest.strip():
        raise CorridorError(f"lever spec {spec!r}: expected LEVER.TARGET before '=' ({example})")
    if lever not in LEVERS:
        raise CorridorError(
            f"lever spec {spec!r}: unknown lever {lever!r} (known: {', '.join(sorted(LEVERS))})"
        )
    target, attribute = rest.strip(), "value"
    head, dot, tail = target.rpartition(".")
    if dot and tail.strip().lower() in ATTRIBUTES:
        target, attribute = head.strip(), ATTRIBUTES[tail.strip().lower()]
    elif dot and ">" not in tail:
        raise CorridorError(
            f"lever spec {spec!r}: unknown attribute {tail!r} (policies have "
            f"only 'value'; 'agents' is an alias)"
        )
    if not target or target.startswith(">") or target.endswith(">") or target.count(">") > 1:
        raise CorridorError(
            f"lever spec {spec!r}: bad target {target!r} (a place id, a route from>to, a "
            "country code or a country pair A>B)"
        )
    values: list[float] = []
    for item in right.split(","):
        try:
            number = float(item.strip())
        except ValueError:
            raise CorridorError(f"lever spec {spec!r}: {item.strip()!r} is not a number") from None
        if not math.isfinite(number):
            raise CorridorError(f"lever spec {spec!r}: {item.strip()!r} is not a finite number")
        values.append(number)
    if len(set(values)) != len(values):
        raise CorridorError(f"lever spec {spec!r}: values repeat")
    return LeverSpec(lever, target, attribute, tuple(values))


def _norm(text: str) -> str:
    return _SEP.sub("-", str(text).strip().casefold())


def resolve_target(scenario: Scenario, target: str) -> str:
    """The policies.csv spelling of a target: exact place id, else a loose id or name match.

    Each end of ``a>b`` is resolved the same way; the result must be a target of the
    scenario in policies.csv's grammar (``corridor.scenario.targets``): a place, a route, a
    country code or a country pair.
    """
    parse = scenario_parser(scenario.places, scenario.routes)
    parts = [_resolve_place(scenario, p.strip()) for p in target.split(">")]
    try:
        return str(parse(">".join(parts)))
    except TargetError as exc:
        raise CorridorError(f"{exc} in scenario {scenario.name!r}") from None


def _resolve_place(scenario: Scenario, name: str) -> str:
    """A place id for a loosely spelt id or name; anything else is returned as given."""
    ids = [str(i) for i in scenario.places["id"]]
    if name in ids or name in set(scenario.places["country"].astype(str)):
        return name
    for column in ("id", "name"):
        matches = [
            i
            for i, v in zip(ids, scenario.places[column], strict=True)
            if _norm(v) == _norm(name)
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise CorridorError(f"target {name!r} is ambiguous: {', '.join(matches)}")
    if re.fullmatch(r"[A-Z]{3}", name):
        return name
    import difflib

    near = difflib.get_close_matches(_norm(name), ids, n=3)
    hint = f" (did you mean {', '.join(near)}?)" if near else ""
    raise CorridorError(f"unknown place {name!r} in scenario {scenario.name!r}{hint}")


def _same_target(scenario: Scenario, targets: pd.Series, target: str) -> pd.Series:
    """Rows aimed at ``target`` (parsed: a route matches in either direction)."""
    parse = scenario_parser(scenario.places, scenario.routes)
    wanted = parse(target)

    def same(text: str) -> bool:
        try:
            return parse(str(text)) == wanted
        except TargetError:
            return False

    return targets.map(same).astype(bool)


def apply_lever(scenario: Scenario, lever: str, target: str, value: float) -> Scenario:
    """A copy of ``scenario`` whose ``lever`` rows for ``target`` have ``value``.

    Without such a row, one is added spanning the whole period (source "sweep"). The target is
    resolved loosely (see ``resolve_target``); the original scenario is not changed.
    """
    lever = lever.strip().lower()
    if lever not in LEVERS:
        raise CorridorError(f"unknown lever {lever!r} (known: {', '.join(sorted(LEVERS))})")
    target = resolve_target(scenario, target)
    policies = scenario.policies.copy()
    rows = (policies["lever"] == lever) & _same_target(scenario, policies["target"], target)
    if rows.any():
        policies.loc[rows, "value"] = float(value)
    else:
        row: dict[str, object] = {c: None for c in policies.columns}
        row.update(
            lever=lever,
            target=target,
            from_date=scenario.start_date,
            to_date=scenario.end_date,
            value=float(value),
            source="sweep",
        )
        if "_row" in policies.columns:  # line number in policies.csv (header = 1)
            row["_row"] = int(policies["_row"].max()) + 1 if len(policies) else 2
        added = pd.DataFrame([row], columns=policies.columns)
        policies = pd.concat([policies.astype(object), added.astype(object)], ignore_index=True)
        policies = policies.astype(scenario.policies.dtypes.to_dict())
    return dataclasses.replace(scenario, policies=policies)


def value_name(value: float) -> str:
    """Folder name of one lever value: ``value-0``, ``value-200``, ``value-0.5``."""
    return f"value-{value:g}"


def run_metrics(summary: dict[str, Any]) -> dict[str, float]:
    """The sweep metrics of one run summary (see module docstring)."""
    out: dict[str, float] = {}
    for key, v in summary.items():
        if key.startswith("total_") and isinstance(v, int | float) and not isinstance(v, bool):
            out[key] = float(v)
    for status, n in summary.get("people_per_status_end", {}).items():
        out[f"people_per_status_end.{status}"] = float(n or 0.0)
    return out


def run_sweep(
    folder: Path | str | Scenario,
    spec: str | LeverSpec,
    out: Path,
    seeds_per_value: int = 3,
    workers: int = 1,
    metrics: Sequence[str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
    inputs: Iterable[Path] = (),
    *,
    scheduler: str | None = None,
    report: Callable[[str], None] | None = None,
) -> Path:
    """Run an ensemble per lever value into ``out/value-<v>/`` and tabulate/plot the metrics.

    ``progress(done, total)`` counts member runs over all values. ``out`` is claimed as
    ``corridor.runs.claim.atomic_folder`` does (``inputs`` are never replaced). ``scheduler``
    runs the members on Dask as ``run_ensemble`` does (one client for every value); the files
    are the same. A failed member is reported (``report``) with its lever value, seed and
    parameters, and retried once.
    """
    from corridor.analysis.members import to_stderr
    from corridor.engine import check_rules

    scenario = folder if isinstance(folder, Scenario) else load_checked(Path(folder))
    parsed = spec if isinstance(spec, LeverSpec) else parse_lever_spec(spec)
    target = resolve_target(scenario, parsed.target)
    seeds = member_seeds(scenario.seed, seeds_per_value)
    variants = [apply_lever(scenario, parsed.lever, target, v) for v in parsed.values]
    for value, variant in zip(parsed.values, variants, strict=True):
        problems = check_rules(variant)  # the rule set may not take this lever, target, value
        if problems:
            raise CorridorError(f"sweep {parsed.lever} {target} = {value:g}: {problems[0]}")
    from corridor.engine.budget import check_scenario_memory

    for variant in variants:
        check_scenario_memory(variant)
    out = Path(out)
    if not isinstance(folder, Scenario):
        inputs = [*inputs, Path(folder)]
    say = report or to_stderr
    remote = None  # connect before claiming out: no scheduler, nothing written
    if scheduler is not None:
        from corridor.analysis.dask_backend import DaskBackend

        remote = DaskBackend(scheduler, workers=workers, keep_open=True)
    try:
        return _run_values(scenario, parsed, target, variants, seeds, out, seeds_per_value,
                           workers, metrics, force, progress, inputs, remote, say, spec)
    finally:
        if remote is not None:
            remote.shutdown()


def _run_values(scenario: Scenario, parsed: LeverSpec, target: str, variants: list[Scenario],
                seeds: list[int], out: Path, seeds_per_value: int, workers: int,
                metrics: Sequence[str] | None, force: bool, progress: Progress | None,
                inputs: Iterable[Path], remote: Any, say: Callable[[str], None],
                spec: str | LeverSpec) -> Path:
    """``run_sweep``'s work once its inputs are checked: one ensemble per value, then the
    table, the plot and sweep.json, all inside one atomic folder."""
    from corridor._io import atomic_write_text, json_text, write_parquet
    from corridor.analysis.ensemble import run_ensemble
    from corridor.runs.claim import atomic_folder
    from corridor.runs.read import read_summary

    total = len(parsed.values) * seeds_per_value
    with atomic_folder(out, force=force, kind=SWEEP, inputs=inputs) as tmp:
        rows = []
        for k, (value, variant) in enumerate(zip(parsed.values, variants, strict=True)):
            step = _offset(progress, k * seeds_per_value, total)
            label = f"{parsed.lever} {target} = {value:g}"
            ensemble = run_ensemble(
                variant, tmp / value_name(value), seeds_per_value, workers=workers, progress=step,
                scheduler=remote, report=lambda m, label=label: say(f"{label}: {m}"),
            )
            for i, seed in enumerate(seeds):
                summary = read_summary(ensemble / member_name(i, seeds_per_value))
                for metric, number in run_metrics(summary).items():
                    rows.append((value, seed, metric, number))
        table = _sweep_table(rows, metrics)
        write_parquet(table, tmp / "sweep.parquet")
        plot_sweep(table, tmp / "sweep.svg", title=f"{parsed.lever} {target} ({scenario.name})")
        meta = {
            "scenario": scenario.name,
            "spec": spec if isinstance(spec, str) else None,
            "lever": parsed.lever,
            "target": target,
            "attribute": parsed.attribute,
            "values": list(parsed.values),
            "seeds_per_value": seeds_per_value,
            "seeds": seeds,
            "folders": {f"{v:g}": value_name(v) for v in parsed.values},
            "metrics": list(dict.fromkeys(table["metric"])),
        }
        atomic_write_text(tmp / "sweep.json", json_text(meta))
    return out


def _offset(progress: Progress | None, before: int, total: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, _n: progress(before + done, total)


def _sweep_table(
    rows: list[tuple[float, int, str, float]], metrics: Sequence[str] | None
) -> pd.DataFrame:
    """Long table; a metric some runs lack (a status never reached) is 0 there."""
    long = pd.DataFrame(rows, columns=SWEEP_COLUMNS)
    names = list(dict.fromkeys(long["metric"]))
    if metrics is not None:
        unknown = [m for m in metrics if m not in names]
        if unknown:
            raise CorridorError(
                f"unknown metric(s) {', '.join(unknown)} (known: {', '.join(names)})"
            )
        names = list(metrics)
    runs = long[["value", "seed"]].drop_duplicates()
    grid = runs.merge(pd.DataFrame({"metric": names}), how="cross")
    table = grid.merge(long, on=["value", "seed", "metric"], how="left")
    table["number"] = table["number"].fillna(0.0)
    return table.astype(
        {"value": "float64", "seed": "int64", "metric": "str", "number": "float64"}
    )[SWEEP_COLUMNS]


def sweep_medians(table: pd.DataFrame) -> pd.DataFrame:
    """Median, 5 % and 95 % over seeds per (metric, value): columns metric, value, q05, q50, q95."""
    grouped = table.groupby(["metric", "value"], sort=False)["number"]
    out = grouped.quantile([0.05, 0.5, 0.95]).unstack()
    out.columns = ["q05", "q50", "q95"]
    return out.reset_index()


def most_varying(table: pd.DataFrame, n: int = MAX_PANELS) -> list[str]:
    """Metrics whose median changes most with the lever, relative to their size."""
    med = sweep_medians(table)
    score = {}
    for metric, rows in med.groupby("metric", sort=False):
        scale = max(float(table.loc[table["metric"] == metric, "number"].abs().max()), 1e-12)
        score[metric] = (float(rows["q50"].max() - rows["q50"].min())) / scale
    order = sorted(score, key=lambda m: -score[m])  # stable: ties keep table order
    return order[:n]


def plot_sweep(table: pd.DataFrame, path: Path, title: str = "") -> None:
    """One small panel per metric: median and 5-95 % band over seeds against the lever value,
    written as an SVG file (corridor.report.svg: no plotting library, text stays plain)."""
    from corridor._io import atomic_write_text
    from corridor.report.svg import Band, Figure, LegendEntry, color

    chosen = most_varying(table)
    med = sweep_medians(table)
    cols = min(3, max(1, len(chosen)))
    fig = Figure(width=330.0 * cols, panel_height=250.0, ncols=cols)
    for metric in chosen:
        rows = med[med["metric"] == metric].sort_values("value")
        x = [float(v) for v in rows["value"]]
        ax = fig.add_axes(title=metric.replace("people_per_status_end.", "end: "),
                          xlabel="lever value", dates=False, title_size=11.0, legend=False)
        ax.bands.append(Band(x, [float(v) for v in rows["q05"]], [float(v) for v in rows["q95"]],
                             color(0), label="5–95 %"))
        ax.plot(x, rows["q50"].tolist(), color=color(0), label="median")
        for xv, yv in zip(x, rows["q50"], strict=True):
            ax.marker(xv, float(yv), "o", color=color(0), size=3.0)
    fig.footer_legend = [LegendEntry("median over seeds", color(0)),
                         LegendEntry("5–95 % over seeds", color(0), "circle:60")]
    atomic_write_text(Path(path), fig.to_svg(title or "sweep", name="sweep") + "\n")


def median_table(table: pd.DataFrame) -> pd.DataFrame:
    """Median over seeds, one row per metric and one column per lever value (for printing)."""
    med = sweep_medians(table)
    wide = med.pivot(index="metric", columns="value", values="q50")
    order = list(dict.fromkeys(table["metric"]))
    return wide.reindex(index=order, columns=sorted(wide.columns))


__all__ = [
    "LeverSpec",
    "apply_lever",
    "median_table",
    "parse_lever_spec",
    "plot_sweep",
    "resolve_target",
    "run_metrics",
    "run_sweep",
]
