"""Batch commands of the ``corridor`` CLI: ``ensemble``, ``sweep`` and ``compare``.

``cli.py`` adds them with ``from corridor.cli_batch import register; register(app)``. Like the
rest of the CLI they only parse options, call the library and print; heavy imports happen inside
the commands so that ``corridor --help`` stays fast. User errors raise ``CorridorError``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from corridor.errors import CorridorError

console = Console()
err = Console(stderr=True)

FolderArg = Annotated[Path, typer.Argument(help="A scenario folder (or a Flee input folder).")]
SeedsOpt = Annotated[int, typer.Option("--seeds", help="Member runs (seeds) per ensemble.", min=1)]
WorkersOpt = Annotated[
    int, typer.Option("--workers", help="Local worker processes (0 = one per CPU).", min=0)
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the out folder if it exists.")]
DaysOpt = Annotated[int | None, typer.Option(help="Override the number of days.", min=1)]
ScaleOpt = Annotated[
    float | None, typer.Option(help="Agents per person (0.1 = 1 agent per 10 people).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run members on this Dask scheduler: tcp://HOST:PORT "
                 "or a scheduler file (dask scheduler --scheduler-file FILE.json)."),
]
DaskOpt = Annotated[
    str | None,
    typer.Option("--dask", help="'local': members on a Dask LocalCluster of --workers "
                 "processes (or a scheduler address, as --scheduler)."),
]


@contextmanager
def _bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr; yields a ``progress(done, total)`` callback."""
    from corridor.cli_progress import progress_bar

    with progress_bar() as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _workers(workers: int) -> int:
    return workers if workers > 0 else (os.cpu_count() or 1)


def _scenario(folder: Path, days: int | None, agents_scale: float | None):  # noqa: ANN202
    from corridor.checked import load_checked

    if agents_scale is not None and not agents_scale > 0:
        raise CorridorError(f"--agents-scale must be > 0, got {agents_scale}")
    return load_checked(folder).with_overrides(days=days, agents_per_person=agents_scale)


def _out_folder(out: Path | None, name: str, suffix: str, force: bool, folder: Path) -> Path:
    """The out folder (default runs/<safe name><suffix>), checked before any work is done."""
    from corridor.runs.claim import check_out_folder, default_out

    out = out if out is not None else default_out(name, suffix)
    check_out_folder(out, force=force, inputs=[folder])
    return out


def ensemble(
    folder: FolderArg,
    seeds: SeedsOpt = 10,
    workers: WorkersOpt = 1,
    out: Annotated[
        Path | None, typer.Option(help="Ensemble folder to write (default runs/NAME-ensemble).")
    ] = None,
    days: DaysOpt = None,
    agents_scale: ScaleOpt = None,
    force: ForceOpt = False,
    scheduler: SchedulerOpt = None,
    dask: DaskOpt = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Keep the members an interrupted run finished.")
    ] = False,
) -> None:
    """Run a scenario under N seeds; write seed-*/ run folders, quantiles and a median summary."""
    from corridor.analysis.ensemble import run_ensemble
    from corridor.runs.read import read_headline

    address = dask_address(scheduler, dask)
    scenario = _scenario(folder, days, agents_scale)
    if resume:  # run_ensemble checks the folder (and says so when it is already complete)
        from corridor.runs.claim import default_out

        out = out if out is not None else default_out(scenario.name, "-ensemble")
    else:
        out = _out_folder(out, scenario.name, "-ensemble", force, folder)
    with _bar(f"{scenario.name} × {seeds} seeds") as progress:
        path = run_ensemble(scenario, out, seeds, workers=_workers(workers), force=force,
                            progress=progress, inputs=[folder], resume=resume,
                            scheduler=address,
                            report=lambda m: err.print(m, markup=False, highlight=False))
    _print_ensemble(read_headline(path))
    console.print(f"ensemble folder: {path}")


def dask_address(scheduler: str | None, dask: str | None) -> str | None:
    """The Dask scheduler to use ("local" = a LocalCluster), or None for local processes."""
    if scheduler is not None and dask is not None:
        raise CorridorError("give --scheduler ADDRESS or --dask local, not both")
    address = scheduler if scheduler is not None else dask
    if address is None:
        return None
    address = address.strip()
    if address != "local" and not address.endswith(".json") and ":" not in address:
        option = "--scheduler" if scheduler is not None else "--dask"
        raise CorridorError(f"{option} {address!r}: expected 'local', tcp://HOST:PORT or a "
                            "scheduler file (.json)")
    return address


def _print_ensemble(headline: dict) -> None:
    from corridor.headline import headline_table

    console.print(headline_table(headline))


def sweep(
    folder: FolderArg,
    lever: Annotated[
        str,
        typer.Option(
            "--lever",
            help="LEVER.TARGET[.value]=v1,v2,... e.g. checkpoint.el-ceibo.value=0,200,800 "
            "or closure.b>c=0,1 (target matched ignoring case; 'agents' = 'value').",
        ),
    ],
    seeds: SeedsOpt = 3,
    workers: WorkersOpt = 1,
    out: Annotated[
        Path | None, typer.Option(help="Sweep folder to write (default runs/NAME-sweep-LEVER).")
    ] = None,
    days: DaysOpt = None,
    agents_scale: ScaleOpt = None,
    force: ForceOpt = False,
    scheduler: SchedulerOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Run an ensemble per value of one policy lever; print the median of each metric per value."""
    import pandas as pd

    from corridor.analysis.sweep import median_table, parse_lever_spec, resolve_target, run_sweep

    address = dask_address(scheduler, dask)
    spec = parse_lever_spec(lever)
    scenario = _scenario(folder, days, agents_scale)
    target = resolve_target(scenario, spec.target)
    out = _out_folder(out, scenario.name, f"-sweep-{spec.lever}-{target}", force, folder)
    with _bar(f"{spec.lever} {target}: {len(spec.values)} values × {seeds} seeds") as progress:
        path = run_sweep(
            scenario,
            spec,
            out,
            seeds_per_value=seeds,
            workers=_workers(workers),
            force=force,
            progress=progress,
            inputs=[folder],
            scheduler=address,
            report=lambda m: err.print(m, markup=False, highlight=False),
        )
    from rich.table import Table

    medians = median_table(pd.read_parquet(path / "sweep.parquet"))
    table = Table(title=f"{scenario.name}: {spec.lever} {target} — median of {seeds} seeds")
    table.add_column("metric", no_wrap=True)
    for value in medians.columns:
        table.add_column(f"{value:g}", justify="right")
    for metric, row in medians.iterrows():
        table.add_row(str(metric), *(f"{v:,.6g}" if abs(v) < 1000 else f"{v:,.0f}" for v in row))
    console.print(table)
    console.print(f"sweep folder: {path} (sweep.parquet, sweep.svg)")


def compare(
    run_a: Annotated[Path, typer.Argument(help="A run folder or an ensemble folder.")],
    run_b: Annotated[Path, typer.Argument(help="Another run or ensemble folder.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the table as CSV to this file.")
    ] = None,
    date: Annotated[
        list[str] | None,
        typer.Option("--date", help="Date (YYYY-MM-DD) for people-per-country rows; repeatable."),
    ] = None,
) -> None:
    """Headline outputs of two runs (or ensembles) side by side, with differences."""
    from corridor.analysis.compare import compare_runs, format_compare_table
    from corridor.runs.claim import atomic_output_file, check_out_file

    if out is not None:
        check_out_file(out, inputs=[run_a, run_b])
    dates = [_parse_date(d) for d in date] if date else None
    table = compare_runs(run_a, run_b, dates=dates)
    console.print(
        format_compare_table(
            table, name_a=run_a.name or str(run_a), name_b=run_b.name or str(run_b)
        )
    )
    if out is not None:
        from corridor._io import safe_csv_frame

        with atomic_output_file(out, inputs=[run_a, run_b]) as tmp:
            safe_csv_frame(table).to_csv(tmp, index=False)
        console.print(f"table: {out}")


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CorridorError(f"--date {text!r}: expected YYYY-MM-DD") from None


def register(app: typer.Typer) -> None:
    """Add the ``ensemble``, ``sweep`` and ``compare`` commands to the ``corridor`` app."""
    app.command("ensemble")(ensemble)
    app.command("sweep")(sweep)
    app.command("compare")(compare)
