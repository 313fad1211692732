"""corridor's Python API: the code the CLI runs, for notebooks and scripts (docs/api.md).

    import corridor
    scenario = corridor.load("scenarios/mexico-2023")
    result = corridor.run(scenario.with_parameters(walk_speed_km_per_day=20), seed=7)
    result.counts, result.summary, result.write("runs/slower")

Everything here is re-exported by ``import corridor`` on first use (importing corridor stays
fast). Names not listed in ``corridor.__all__`` are internal and may change.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.errors import CorridorError, ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from corridor.engine.core import RunResult
    from corridor.scenario.model import Scenario

TABLE_NAMES = ("places", "routes", "sources", "policies", "observations")


def load(folder: str | Path) -> Scenario:
    """Load and validate a scenario folder (or a Flee input folder), as `corridor validate`
    does: a ScenarioError lists every problem (``.problems``)."""
    from corridor.checked import load_checked

    return load_checked(Path(folder))


def check(scenario: Scenario) -> Scenario:
    """Validate a scenario built or changed in memory exactly as a folder is validated.

    The scenario is written to a temporary folder and loaded back, so table types, references,
    dates and policy targets go through the same checks as `corridor validate`. Returns the
    validated copy (its ``folder`` stays the original one); raises ScenarioError.
    """
    from dataclasses import replace

    from corridor.scenario.save import save_scenario

    with tempfile.TemporaryDirectory(prefix="corridor-check-") as tmp:
        save_scenario(scenario, Path(tmp), safe_cells=False)  # read back, as it was
        checked = load(tmp)
    return replace(checked, folder=scenario.folder)


def with_parameters(scenario: Scenario, **values: Any) -> Scenario:
    """A copy with rule-set parameters changed (names and types checked against the rule
    set's declarations; see `corridor params`)."""
    from corridor.engine import check_rules

    changed = scenario.with_overrides(parameters=values)
    problems = check_rules(changed)
    if problems:
        raise ScenarioError(problems)
    return changed


def with_tables(scenario: Scenario, **tables: pd.DataFrame) -> Scenario:
    """A copy with whole tables replaced (``places=``, ``routes=``, ``sources=``,
    ``policies=``, ``observations=``), validated like a folder (see ``check``)."""
    from dataclasses import replace

    unknown = sorted(set(tables) - set(TABLE_NAMES))
    if unknown:
        raise CorridorError(f"unknown table(s) {', '.join(unknown)} "
                            f"(tables: {', '.join(TABLE_NAMES)})")
    return check(replace(scenario, **tables))


def _overridden(scenario: Scenario | str | Path, seed: int | None, days: int | None,
                agents_scale: float | None) -> Scenario:
    from corridor.scenario.model import Scenario

    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    if agents_scale is not None and not agents_scale > 0:
        raise CorridorError(f"agents_scale must be > 0, got {agents_scale}")
    changed = sc.with_overrides(seed=seed, days=days, agents_per_person=agents_scale)
    from corridor.scenario.model import settings_problems

    problems = settings_problems(seed=changed.seed, days=changed.days,
                                 agents_per_person=changed.agents_per_person,
                                 start_date=changed.start_date)
    if problems:
        name, message = next(iter(problems.items()))
        raise CorridorError(f"{name}: {message}")
    return changed


def run(scenario: Scenario | str | Path, *, seed: int | None = None, days: int | None = None,
        agents_scale: float | None = None,
        progress: Callable[[int, int], None] | None = None) -> Result:
    """Simulate a scenario (or a folder) in memory; ``seed``/``days``/``agents_scale``
    override the scenario's, as `corridor run --seed/--days/--agents-scale` do.
    ``progress(day, days)`` is called after each day. Nothing is written until
    ``Result.write``."""
    from corridor.engine import simulate

    sc = _overridden(scenario, seed, days, agents_scale)
    return Result(simulate(sc, progress=progress))


def open_run(folder: str | Path) -> RunFolder:
    """A run folder written by `corridor run` (or ``Result.write``), read lazily."""
    from corridor.runs.read import read_summary

    folder = Path(folder)
    read_summary(folder)  # a RunError now if it is not a readable run folder
    return RunFolder(folder)


@dataclass
class RunFolder:
    """A run on disk: the same tables as ``Result``, read on first access."""

    folder: Path
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _table(self, name: str) -> pd.DataFrame:
        import pandas as pd

        from corridor.runs.read import read_table

        if name not in self._cache:
            table = read_table(self.folder, name)
            self._cache[name] = table if table is not None else pd.DataFrame()
        return self._cache[name]

    @property
    def counts(self) -> pd.DataFrame:
        """People per day, place and status (columns day, date, place, status, n)."""
        return self._table("counts")

    @property
    def flows(self) -> pd.DataFrame:
        """People setting out along each route per day (day, date, from, to, n)."""
        return self._table("flows")

    @property
    def events(self) -> pd.DataFrame:
        """Events per day (detentions, deportations, ... : day, date, event, ..., n)."""
        return self._table("events")

    @property
    def groups(self) -> pd.DataFrame:
        """Caravan groups per day (day, date, group, place, km_from_origin, lat, lon, members)."""
        return self._table("groups")

    @property
    def summary(self) -> dict[str, Any]:
        """summary.json: the headline figures."""
        from corridor.runs.read import read_summary

        if "summary" not in self._cache:
            self._cache["summary"] = read_summary(self.folder)
        return self._cache["summary"]

    def report(self, path: str | Path | None = None, *,
               compare: Sequence[str | Path] = ()) -> Path:
        """Write the self-contained HTML report (default ``<folder>/report.html``)."""
        from corridor.report.html import write_report

        return write_report(self.folder, None if path is None else Path(path),
                            compare_dirs=[Path(c) for c in compare])

    def score(self, *, max_distance_km: float = 30.0) -> Any:
        """The run against its scenario's observations (see ``corridor.score``)."""
        return score(self, max_distance_km=max_distance_km)


class Result:
    """One simulated run in memory: tables as DataFrames, the summary, and ways to save it.

    The tables and summary are the ones a run folder holds (same columns, same numbers), built
    by the same code the run writer uses.
    """

    def __init__(self, raw: RunResult) -> None:
        self.raw = raw  # the engine's RunResult (arrays, network, timings)
        self.scenario: Scenario = raw.scenario
        self._cache: dict[str, Any] = {}
        self._folder: Path | None = None  # where it was written (or a private scratch copy)

    def __repr__(self) -> str:
        sc = self.scenario
        return (f"<corridor.Result {sc.name!r} seed={sc.seed} days={sc.days} "
                f"agents={self.raw.agents}>")

    def _get(self, name: str, build: Callable[[RunResult], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = build(self.raw)
        return self._cache[name]

    @property
    def counts(self) -> pd.DataFrame:
        """People per day, place and status (columns day, date, place, status, n)."""
        from corridor.runs.write import counts_table

        return self._get("counts", counts_table)

    @property
    def flows(self) -> pd.DataFrame:
        """People setting out along each route per day (day, date, from, to, n)."""
        from corridor.runs.write import flows_table

        return self._get("flows", flows_table)

    @property
    def events(self) -> pd.DataFrame:
        """Events per day (detentions, deportations, ...)."""
        from corridor.runs.write import events_table

        return self._get("events", events_table)

    @property
    def groups(self) -> pd.DataFrame:
        """Caravan groups per day (day, date, group, place, km_from_origin, lat, lon, members)."""
        from corridor.runs.write import groups_table

        return self._get("groups", groups_table)

    @property
    def summary(self) -> dict[str, Any]:
        """The headline figures, as in summary.json."""
        from corridor.runs.write import summary

        return self._get("summary", lambda r: summary(r, self.counts, self.groups))

    @property
    def timings_s(self) -> dict[str, float]:
        """Seconds spent in each phase of the day loop."""
        return dict(self.raw.timings_s)

    def write(self, folder: str | Path, *, force: bool = False, report: bool = False) -> RunFolder:
        """Write a run folder atomically, as `corridor run --out FOLDER` does (``force``
        replaces only a corridor output folder; the scenario's folder is never replaced)."""
        from corridor.runs.claim import atomic_folder
        from corridor.runs.markers import RUN
        from corridor.runs.write import write_run_files

        out = Path(folder)
        inputs = [self.scenario.folder] if self.scenario.folder is not None else []
        with atomic_folder(out, force=force, kind=RUN, inputs=inputs) as tmp:
            write_run_files(self.raw, tmp)
            if report:
                from corridor.report.html import write_report

                write_report(tmp, name=out.name)
        self._folder = out
        return RunFolder(out)

    def _on_disk(self) -> Path:
        """A run folder of this result: where it was written, else a private scratch copy
        (removed when the Result is garbage-collected)."""
        if self._folder is not None and self._folder.is_dir():
            return self._folder
        scratch = Path(tempfile.mkdtemp(prefix="corridor-result-"))
        weakref.finalize(self, shutil.rmtree, scratch, True)
        self.write(scratch / "run")
        return self._folder  # type: ignore[return-value]

    def report(self, path: str | Path, *, compare: Sequence[str | Path] = ()) -> Path:
        """Write the self-contained HTML report of this run to ``path``."""
        from corridor.runs.claim import check_out_file

        path = Path(path)
        check_out_file(path)
        return RunFolder(self._on_disk()).report(path, compare=compare)

    def score(self, *, max_distance_km: float = 30.0) -> Any:
        """The run against its scenario's observations (see ``corridor.score``)."""
        return score(self, max_distance_km=max_distance_km)


def score(run: Result | RunFolder | str | Path, *, max_distance_km: float = 30.0) -> Any:
    """Score a run against the observations of its scenario, as `corridor score` does.

    ``corridor`` rules: a DataFrame, one row per observation (simulated value, reported range,
    ``ok``). ``flee`` rules: a dict with Flee's averaged relative difference and MASE per camp.
    """
    if isinstance(run, Result):
        folder = run._on_disk()
    elif isinstance(run, RunFolder):
        folder = run.folder
    else:
        folder = open_run(run).folder
    from corridor.runs.read import read_summary

    if read_summary(folder).get("rules") == "flee":
        from corridor.analysis.flee_metrics import score_flee_run

        return score_flee_run(folder)
    from corridor.analysis.observations import score_run

    return score_run(folder, max_distance_km=max_distance_km)


@dataclass
class Ensemble:
    """An ensemble folder: members ``seed-000``..., 5/50/95 % quantiles, median summary."""

    folder: Path

    @property
    def summary(self) -> dict[str, Any]:
        from corridor.runs.read import read_summary

        return read_summary(self.folder)

    @property
    def quantiles(self) -> pd.DataFrame:
        """People per (day, place, status): q05, q50, q95 over members."""
        import pandas as pd

        return pd.read_parquet(self.folder / "quantiles.parquet")

    @property
    def members(self) -> list[RunFolder]:
        from corridor.runs.markers import ensemble_members

        return [RunFolder(p) for p in ensemble_members(self.folder)]


def ensemble(scenario: Scenario | str | Path, out: str | Path, *, seeds: int = 10,
             workers: int = 1, days: int | None = None, agents_scale: float | None = None,
             force: bool = False, progress: Callable[[int, int], None] | None = None,
             scheduler: str | None = None, resume: bool = False) -> Ensemble:
    """Run ``seeds`` members (seeds derived from the scenario's) and write the ensemble
    folder ``out``, as `corridor ensemble` does; same seeds give the same bytes.
    ``scheduler``: a Dask scheduler address (or ``"local"``) to run the members on;
    ``resume``: keep the members an interrupted run finished."""
    from corridor.analysis.ensemble import run_ensemble

    sc = _overridden(scenario, None, days, agents_scale)
    inputs = [sc.folder] if sc.folder is not None else []
    folder = run_ensemble(sc, Path(out), seeds, workers=workers, force=force,
                          progress=progress, inputs=inputs, scheduler=scheduler,
                          resume=resume)
    return Ensemble(Path(folder))


@dataclass
class Sweep:
    """A sweep folder: one ensemble per lever value and the metrics table."""

    folder: Path

    @property
    def table(self) -> pd.DataFrame:
        """One row per (value, seed, metric): columns value, seed, metric, number."""
        import pandas as pd

        return pd.read_parquet(self.folder / "sweep.parquet")

    @property
    def medians(self) -> pd.DataFrame:
        """Median and 5-95 % over seeds per (metric, value)."""
        from corridor.analysis.sweep import sweep_medians

        return sweep_medians(self.table)


def sweep(scenario: Scenario | str | Path, spec: str, out: str | Path, *,
          seeds_per_value: int = 3, workers: int = 1, days: int | None = None,
          agents_scale: float | None = None, metrics: Sequence[str] | None = None,
          force: bool = False, progress: Callable[[int, int], None] | None = None) -> Sweep:
    """Run an ensemble per value of one policy lever (``spec`` as `corridor sweep` takes it,
    e.g. ``"patrol.MEX.value=0,2000,8000"``) and write the sweep folder ``out``."""
    from corridor.analysis.sweep import run_sweep

    sc = _overridden(scenario, None, days, agents_scale)
    inputs = [sc.folder] if sc.folder is not None else []
    folder = run_sweep(sc, spec, Path(out), seeds_per_value=seeds_per_value, workers=workers,
                       metrics=metrics, force=force, progress=progress, inputs=inputs)
    return Sweep(Path(folder))


def parameters(rules: str = "corridor") -> pd.DataFrame:
    """A rule set's parameters: name, default, meaning and source (as `corridor params`)."""
    import pandas as pd

    from corridor.engine import get_rules

    return pd.DataFrame([(p.name, p.default, p.doc, p.source)
                         for p in get_rules(rules).parameters],
                        columns=["parameter", "default", "meaning", "source"])

