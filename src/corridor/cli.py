"""The ``corridor`` command: parses options, calls the library, prints. No logic of its own."""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from corridor.errors import CorridorError, ScenarioError

# Sub-apps mounted on first use, so `corridor --help` and other commands never import them:
# name -> (module, attribute, one-line help).
LAZY_SUBCOMMANDS: dict[str, tuple[str, str, str]] = {}
if find_spec("corridor.evidence") is not None:
    LAZY_SUBCOMMANDS["evidence"] = (
        "corridor.evidence.cli", "app",
        "Turn news articles into dated, geolocated, quoted observations.",
    )


class _LazyGroup(TyperGroup):
    """Lists lazy sub-apps by their help line; imports one only when it is the command run."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return names + [n for n in LAZY_SUBCOMMANDS if n not in names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_SUBCOMMANDS:  # a stand-in for the help listing
            command = TyperGroup(name=cmd_name, help=LAZY_SUBCOMMANDS[cmd_name][2])
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else None
        if name in LAZY_SUBCOMMANDS and name not in self.commands:
            module, attribute, help_line = LAZY_SUBCOMMANDS[name]
            command = typer.main.get_command(getattr(import_module(module), attribute))
            command.name, command.help = name, help_line
            self.add_command(command, name)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="corridor",
    cls=_LazyGroup,
    help="Simulate and understand migration through the Central America–Mexico–US corridor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from corridor import __version__

        console.print(f"corridor {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Simulate and understand migration through the Central America–Mexico–US corridor."""
console = Console()
err = Console(stderr=True)

FolderArg = Annotated[Path, typer.Argument(help="A scenario folder (or a Flee input folder).")]
RunArg = Annotated[Path, typer.Argument(help="A run folder written by `corridor run`.")]


def _load(folder: Path, *, frames: bool = True):  # noqa: ANN202
    """``corridor.checked.load_checked``, then one warning line per source nobody can leave."""
    from corridor.checked import load_checked
    from corridor.scenario.reach import unreachable_sources

    scenario = load_checked(folder, frames=frames)
    for warning in unreachable_sources(scenario):
        err.print(str(warning), markup=False, highlight=False, soft_wrap=True)
    return scenario


@app.command()
def validate(folder: FolderArg) -> None:
    """Check a scenario folder and list every problem as file:row:column: what is wrong."""
    try:
        scenario = _load(folder, frames=False)  # no pandas: validate stays fast
    except ScenarioError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        err.print(f"{len(exc.problems)} problem(s) in {folder}", style="bold red")
        raise typer.Exit(2) from None
    console.print(
        f"[green]ok[/green] {scenario.name}: {len(scenario.places)} places, "
        f"{len(scenario.routes)} routes, {len(scenario.sources)} sources, "
        f"{len(scenario.policies)} policies, {len(scenario.observations)} observations, "
        f"{scenario.start_date} + {scenario.days} days, rules {scenario.rules!r}"
    )


@app.command()
def run(
    folder: FolderArg,
    out: Annotated[
        Path | None, typer.Option(help="Run folder to write (default runs/NAME).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    days: Annotated[int | None, typer.Option(help="Override the number of days.", min=1)] = None,
    agents_scale: Annotated[
        float | None, typer.Option(help="Agents per person (0.1 = 1 agent per 10 people).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace the out folder if it exists.")] = False,
    report: Annotated[bool, typer.Option(help="Also write report.html.")] = True,
) -> None:
    """Run a scenario and write a run folder (atomically) with counts, flows and a summary.

    --force replaces OUT only if it is a corridor output folder (see README: output folders).
    """
    from corridor.cli_progress import progress_bar
    from corridor.engine import simulate
    from corridor.interrupts import raise_if_interrupted
    from corridor.runs.claim import atomic_folder, default_out
    from corridor.runs.markers import RUN
    from corridor.runs.write import write_run_files

    if agents_scale is not None and not agents_scale > 0:
        raise CorridorError(f"--agents-scale must be > 0, got {agents_scale}")
    scenario = _load(folder).with_overrides(seed=seed, days=days, agents_per_person=agents_scale)
    out = out if out is not None else default_out(scenario.name)
    with atomic_folder(out, force=force, kind=RUN, inputs=[folder]) as tmp:
        with progress_bar() as progress:
            task = progress.add_task(f"{scenario.name}", total=scenario.days)

            def advance(day: int, days: int) -> None:
                raise_if_interrupted()  # a Ctrl-C swallowed on the way still stops the run
                progress.update(task, completed=day)

            result = simulate(scenario, progress=advance)
        headline = write_run_files(result, tmp) | {"runtime_s": result.runtime_s}
        if report:  # inside the atomic step: a run folder never lacks the report it promised
            from corridor.report.html import write_report

            write_report(tmp, name=out.name)
    _print_summary(headline)
    console.print(f"run folder: {out}")


def _print_summary(headline: dict) -> None:
    from corridor.headline import headline_table

    console.print(headline_table(headline))


@app.command()
def info(run_dir: RunArg) -> None:
    """Print the headline figures of a finished run."""
    from corridor.runs.read import read_headline

    _print_summary(read_headline(run_dir))


app.command("summary", help="Same as `info`.")(info)


@app.command()
def report(
    run_dir: RunArg,
    compare: Annotated[
        list[Path] | None, typer.Option(help="Other run folders to overlay on the plots.")
    ] = None,
) -> None:
    """Write report.html into a run folder (self-contained: plots, map, tables).

    For an ensemble folder the report shows its first member (seed-000), written as the
    ensemble's report.html; the spread is in quantiles.parquet and `corridor compare`.
    """
    from corridor.report.html import write_report
    from corridor.runs.claim import check_out_file
    from corridor.runs.markers import ensemble_members, is_ensemble
    from corridor.runs.read import read_summary

    read_summary(run_dir)
    shown = ensemble_members(run_dir)[0] if is_ensemble(run_dir) else run_dir
    for other in compare or []:
        # a run overlaid on itself only doubles every line: surely a mistyped folder
        if other.resolve() in (Path(run_dir).resolve(), Path(shown).resolve()):
            raise CorridorError(f"--compare {other}: is the run this report shows; "
                                "compare it with another run folder")
    target = Path(run_dir) / "report.html"
    # no compare folder as an input: report.html is never read from one, so replacing it
    # (a run inside an ensemble compared with that ensemble) loses nothing
    check_out_file(target)
    path = write_report(shown, target, compare_dirs=list(compare or []))
    if shown != run_dir:
        console.print(f"ensemble: the report shows member {shown.name}")
    console.print(f"report: {path}")


@app.command()
def params(
    rules: Annotated[str, typer.Argument(help="Rule set name.")] = "corridor",
) -> None:
    """List a rule set's parameters with defaults, meaning and source."""
    from rich.table import Table

    from corridor.engine import get_rules

    rule_set = get_rules(rules)
    table = Table(title=f"rule set {rules!r}")
    for column in ("parameter", "default", "prior range", "meaning", "source"):
        table.add_column(column)
    for p in rule_set.parameters:
        prior = f"{p.prior[0]:g} - {p.prior[1]:g}" if p.prior else ""
        table.add_row(p.name, repr(p.default), prior, p.doc, p.source)
    console.print(table)


@app.command()
def score(
    run_dir: RunArg,
    max_distance_km: Annotated[
        float, typer.Option(help="A caravan position within this many km of the report passes.")
    ] = 30.0,
) -> None:
    """Score a run against its observations and write score.json.

    Corridor runs: each observation within its reported range / position within 30 km.
    Flee runs: Flee's averaged relative difference (ARD) and MASE per camp and in total.
    Ensemble folders: every member is scored and the spread (mean, sd, min, max) reported.
    """
    from rich.table import Table

    from corridor.analysis.observations import check_max_distance
    from corridor.runs.claim import check_out_file
    from corridor.runs.markers import is_ensemble
    from corridor.runs.read import read_summary

    check_max_distance(max_distance_km)
    headline = read_summary(run_dir)
    check_out_file(Path(run_dir) / "score.json")
    if is_ensemble(run_dir):
        from corridor.analysis.ensemble_score import score_ensemble

        result = score_ensemble(run_dir, max_distance_km=max_distance_km)
        table = Table(title=f"{headline['scenario']}: score over "
                      f"{len(result['members'])} ensemble members")
        for column in ("metric", "mean", "sd", "min", "max"):
            table.add_column(column, justify="left" if column == "metric" else "right")
        for name, row in result["spread"].items():
            table.add_row(name, *(f"{row[k]:.4g}" for k in ("mean", "sd", "min", "max")))
        console.print(table)
    elif headline.get("rules") == "flee":
        from corridor.analysis.flee_metrics import print_flee_score
        from corridor.analysis.flee_metrics import write_score as write_flee_score

        print_flee_score(run_dir, console)
        write_flee_score(run_dir)
    else:
        from corridor.analysis.observations import format_score_table, score_run, write_score

        table = score_run(run_dir, max_distance_km=max_distance_km)
        console.print(format_score_table(table, title=f"{headline['scenario']}: observations"))
        write_score(run_dir, max_distance_km=max_distance_km)
    console.print(f"score: {Path(run_dir) / 'score.json'}")


@app.command("import-flee")
def import_flee(
    input_dir: Annotated[Path, typer.Argument(help="A Flee input folder (locations.csv ...).")],
    validation_dir: Annotated[
        Path | None, typer.Argument(help="Its validation folder (data_layout.csv ...).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Scenario folder to write.")] = Path("flee-scenario"),
    simsetting: Annotated[
        Path | None, typer.Option(help="A Flee simsetting.yml whose values become parameters.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace the out folder if it exists.")] = False,
) -> None:
    """Convert a Flee input folder (+ UNHCR validation data) into a corridor scenario folder.

    --force replaces OUT only if import-flee wrote it (never the Flee input).
    """
    from corridor.runs.claim import atomic_folder
    from corridor.runs.markers import FLEE_IMPORT
    from corridor.scenario.flee_import import import_flee as convert

    inputs = [p for p in (input_dir, validation_dir, simsetting) if p is not None]
    with atomic_folder(out, force=force, kind=FLEE_IMPORT, inputs=inputs,
                       replaceable=[FLEE_IMPORT]) as tmp:
        convert(input_dir, validation_dir, tmp, simsetting=simsetting)
    console.print(f"scenario folder: {out}")


def _mount_subcommands() -> None:
    """Commands that live in their own modules (batch runs); `evidence` is in LAZY_SUBCOMMANDS."""
    from corridor.cli_batch import register
    from corridor.cli_forecast import register as register_forecast
    from corridor.cli_models import register as register_models

    register(app)
    register_models(app)
    register_forecast(app)


_mount_subcommands()


def _click_exception() -> type[Exception]:
    """The ClickException class typer raises: click's own in older typer, a vendored copy
    (typer._click) in newer ones; found from typer.BadParameter, one of its subclasses."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def usage_line(exc: Any) -> str:
    """A click error (unknown option, missing argument, bad value) as one line: what is wrong
    and where the command's help is (typer's default is a five-line box)."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    where = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
    return f"error: {message}{where}"


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is anywhere in the exception's cause/context chain."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def main() -> None:
    """Entry point: user errors print one line and exit 2; Ctrl-C exits 130.

    Runs typer without its standalone mode so that usage errors reach us as exceptions (one
    line, exit 2) instead of typer's boxed message; --help and --version are unchanged.
    """
    from corridor.interrupts import install

    install()
    try:
        code = app(standalone_mode=False)
    except CorridorError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted: nothing was written")
        sys.exit(130)
    except SystemExit as exc:
        if exc.code == 130:
            err.print("interrupted: nothing was written")
        raise
    except Exception as exc:
        # Ctrl-C while a compiled (numba) kernel runs, or while numba loads its cache, surfaces
        # as another error ("returned a result with an exception set", a failed cache read)
        # with the KeyboardInterrupt in its chain; the atomic steps have cleaned up
        if _caused_by_interrupt(exc):
            err.print("interrupted: nothing was written")
            sys.exit(130)
        if not isinstance(exc, _click_exception()):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help was shown
            if exc.format_message().strip():  # (plain click returns it instead of printing)
                print(exc.format_message(), file=sys.stderr)
        else:
            err.print(usage_line(exc), markup=False, highlight=False, soft_wrap=True)
        sys.exit(getattr(exc, "exit_code", 2))
    if code == 130:  # typer turns Ctrl-C into Exit(130), returned as the exit code here
        err.print("interrupted: nothing was written")
    sys.exit(code if isinstance(code, int) else 0)
