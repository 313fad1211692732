"""Run one scenario under many seeds (an ensemble) and summarise the spread of its outputs.

Member seeds come from the scenario seed, never from the clock, so an ensemble is reproducible::

    children = numpy.random.SeedSequence(scenario.seed).spawn(n)
    seed_i = int(children[i].generate_state(1)[0])   # a uint32, the member's scenario seed

Member ``i`` is a normal run folder ``out/seed-<i>/`` (``seed-000``, ``seed-001`` ...) whose
scenario seed is ``seed_i``. Members run in local worker processes (``workers`` > 1) or in this
process (``workers`` = 1), or on Dask distributed (``scheduler``); the files depend neither on
the backend nor on the number of workers (``corridor.analysis.members``). Worker processes
start from a fork server (spawn where there is none), so a script that calls ``run_ensemble``
with ``workers`` > 1 needs the usual ``if __name__ == "__main__":`` guard.

Besides the members the ensemble folder holds:

``ensemble.json``
    scenario name, base seed, ``n``, the member seeds and folder names.
``quantiles.parquet``
    ``day``, ``date``, ``place``, ``status``, ``q05``, ``q50``, ``q95``: quantiles over members of
    ``n`` (people) from their ``counts.parquet``. A (day, place, status) row that a member lacks
    counts as 0 people for that member (run folders keep only non-zero rows). Rows where every
    member has 0 are left out, like in ``counts.parquet``.
``summary.json``
    the keys of a run's summary.json, each the median over members (so ``corridor info`` reads
    it; numbers a member lacks count as 0, ``total_*`` keys included): ``seed`` is the base
    seed, ``caravans`` is empty, ``ensemble`` gives ``n``, ``runtime_s`` is the wall time, and
    ``first_arrival_day`` is the median member's first arrival (a member that never arrived
    counts as "later than any day"; None if at least half never arrived).

Everything but wall-clock times (``runtime_s`` in the summaries and the timings in ``run.log``)
is byte-identical when the same scenario is run again with the same ``n``. The folder is built
in ``.NAME.partial/`` and renamed into place when complete; ``resume`` keeps the members an
interrupted run finished there.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridor._io import atomic_write_text, json_text, write_parquet
from corridor.checked import load_checked
from corridor.errors import CorridorError
from corridor.runs.markers import ENSEMBLE, MEMBER_PREFIX
from corridor.runs.read import require_table
from corridor.scenario.model import Scenario

if TYPE_CHECKING:
    from corridor.analysis.dask_backend import DaskBackend

Progress = Callable[[int, int], None]
QUANTILES = {"q05": 0.05, "q50": 0.50, "q95": 0.95}
QUANTILE_COLUMNS = ["day", "date", "place", "status", *QUANTILES]


def member_seeds(seed: int, n: int) -> list[int]:
    """The ``n`` member seeds of an ensemble whose scenario seed is ``seed`` (see module doc)."""
    if n < 1:
        raise CorridorError(f"an ensemble needs at least 1 seed, got {n}")
    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(n)]


def member_name(i: int, n: int) -> str:
    """``seed-000`` ...: zero-padded so that sorting by name is sorting by member index."""
    return f"{MEMBER_PREFIX}{i:0{max(3, len(str(n - 1)))}d}"


def run_ensemble(
    folder_or_scenario: Path | str | Scenario,
    out: Path,
    seeds: int,
    workers: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    overrides: Mapping[str, Any] | None = None,
    inputs: Iterable[Path] = (),
    *,
    resume: bool = False,
    scheduler: str | DaskBackend | None = None,
    report: Callable[[str], None] | None = None,
) -> Path:
    """Run ``seeds`` members of a scenario and write the ensemble folder ``out``; returns it.

    ``overrides`` are passed to ``Scenario.with_overrides`` (``days``, ``agents_per_person``,
    ``parameters``, ``seed`` = a different base seed). ``progress(done, total)`` counts members.
    ``out`` is claimed as ``corridor.runs.claim.atomic_folder`` does (``inputs``, such as the
    scenario folder, are never replaced). ``scheduler`` runs members on Dask distributed
    (``tcp://HOST:PORT``, or ``"local"`` for a LocalCluster of ``workers`` processes; or a
    ``DaskBackend`` made with ``keep_open``) instead of local processes; the files are the
    same. ``resume`` keeps the members an interrupted
    run of the same ensemble finished (see ``corridor.analysis.members``).
    """
    from corridor.analysis import members as mb

    if isinstance(folder_or_scenario, Scenario):
        scenario = folder_or_scenario
    else:
        scenario = load_checked(Path(folder_or_scenario))
    if overrides:
        scenario = scenario.with_overrides(**dict(overrides))
    if workers < 1:
        raise CorridorError(f"workers must be >= 1, got {workers}")
    from corridor.engine.budget import check_scenario_memory

    check_scenario_memory(scenario)  # the seed does not change how many agents spawn
    out = Path(out)
    seed_list = member_seeds(scenario.seed, seeds)
    names = [member_name(i, seeds) for i in range(seeds)]
    started = time.perf_counter()
    if not isinstance(folder_or_scenario, Scenario):
        inputs = [*inputs, Path(folder_or_scenario)]
    meta = {
        "scenario": scenario.name,
        "base_seed": int(scenario.seed),
        "n": seeds,
        "seeds": seed_list,
        "members": names,
        "seed_rule": "SeedSequence(base_seed).spawn(n)[i].generate_state(1)[0]",
    }
    plan = {**meta, "fingerprint": mb.fingerprint(scenario)}
    say = report or mb.to_stderr
    if resume and not mb.partial_path(out).exists() and _same_ensemble(out, meta):
        say(f"{out}: this ensemble is already complete; nothing to do")
        return out
    remote = None  # connect first: a missing package or scheduler is an error before any write
    if isinstance(scheduler, str):
        from corridor.analysis.dask_backend import DaskBackend

        remote = DaskBackend(scheduler, workers=workers)
    elif scheduler is not None:  # a DaskBackend the caller keeps open (a sweep's values)
        remote = scheduler
    try:
        with mb.partial_folder(out, plan, force=force, resume=resume, inputs=inputs,
                               report=say) as tmp:
            jobs = [
                mb.Member(i, name, s, scenario.with_overrides(seed=s))
                for i, (s, name) in enumerate(zip(seed_list, names, strict=True))
            ]
            done = {}
            if resume:
                for job in jobs:
                    summary = mb.finished_summary(tmp / job.name, job.seed)
                    if summary is not None:
                        done[job.index] = summary
                    elif (tmp / job.name).exists():  # not a finished member: run it again
                        shutil.rmtree(tmp / job.name)
            backend = remote or mb.LocalBackend(workers, total=len(jobs) - len(done))
            summaries = mb.run_all(jobs, tmp, backend, progress=progress, report=say,
                                   done_before=done)
            members = [tmp / name for name in names]
            write_parquet(ensemble_quantiles(members), tmp / "quantiles.parquet")
            atomic_write_text(tmp / "ensemble.json", json_text(meta))
            headline = ensemble_summary(summaries, scenario, time.perf_counter() - started)
            atomic_write_text(tmp / "summary.json", json_text(headline))
    finally:
        if remote is not None:
            remote.close()
    return out


def _same_ensemble(out: Path, meta: dict[str, Any]) -> bool:
    """Is ``out`` a finished ensemble with these member seeds (``--resume`` after the end)?"""
    from corridor.runs.markers import read_marker

    try:
        written = json.loads((out / "ensemble.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return read_marker(out) == ENSEMBLE and written == meta and (out / "summary.json").is_file()


def ensemble_quantiles(members: list[Path]) -> pd.DataFrame:
    """5/50/95 % quantiles over members of people per (day, place, status); absent rows are 0."""
    frames = []
    for i, member in enumerate(members):
        counts = require_table(member, "counts", raw=True)
        frames.append(counts.assign(member=i))
    both = pd.concat(frames, ignore_index=True)
    places = _categories(frames, "place")
    statuses = _categories(frames, "status")
    both["place"] = pd.Categorical(both["place"].astype(str), categories=places)
    both["status"] = pd.Categorical(both["status"].astype(str), categories=statuses)
    # one column per member; a row missing in a member is 0 people there (non-zero rows only)
    wide = both.pivot_table(
        index=["day", "place", "status"],
        columns="member",
        values="n",
        aggfunc="sum",
        fill_value=0.0,
        observed=True,
    ).reindex(columns=range(len(members)), fill_value=0.0)
    wide = wide.sort_index()
    q = np.quantile(wide.to_numpy(dtype=np.float64), list(QUANTILES.values()), axis=1)
    dates = both.drop_duplicates("day").set_index("day")["date"]
    index = wide.index.to_frame(index=False)
    out = pd.DataFrame(
        {
            "day": index["day"].astype(np.int32),
            "date": pd.to_datetime(index["day"].map(dates)).astype("datetime64[ms]"),
            "place": pd.Categorical(index["place"].astype(str), categories=places),
            "status": pd.Categorical(index["status"].astype(str), categories=statuses),
        }
    )
    for column, values in zip(QUANTILES, q, strict=True):
        out[column] = values
    return out[QUANTILE_COLUMNS]


def _categories(frames: list[pd.DataFrame], column: str) -> list[str]:
    """Category order of the first member (network ids / statuses), then any others seen."""
    seen: dict[str, None] = {}
    for frame in frames:
        col = frame[column]
        values = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else col.unique()
        seen.update(dict.fromkeys(str(v) for v in values))
    return list(seen)


_NOT_MEDIANS = frozenset({"runtime_s", "ensemble"})


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _median(values: list[float]) -> float:
    return round(float(np.median(np.asarray(values, dtype=np.float64))), 6)


def _median_dict(dicts: list[dict[str, Any]]) -> dict[str, float]:
    """Per key, the median over members; a key a member lacks counts as 0 (people counts)."""
    keys = list(dict.fromkeys(k for d in dicts for k in d))
    return {k: _median([float(d.get(k) or 0.0) for d in dicts]) for k in keys}


def ensemble_summary(
    summaries: list[dict[str, Any]], scenario: Scenario, runtime_s: float
) -> dict[str, Any]:
    """A summary.json for the ensemble: the members' headline figures, median over members."""
    per_place = _median_dict([s.get("people_per_place_end", {}) for s in summaries])
    arrival: dict[str, int | None] = {}
    for dest in dict.fromkeys(k for s in summaries for k in s.get("first_arrival_day", {})):
        days = [s.get("first_arrival_day", {}).get(dest) for s in summaries]
        m = float(np.median([math.inf if d is None else float(d) for d in days]))
        arrival[dest] = None if math.isinf(m) else int(round(m))
    first = summaries[0]
    headline: dict[str, Any] = {
        "scenario": scenario.name,
        "rules": scenario.rules,
        "seed": int(scenario.seed),
        "days": int(scenario.days),
        "start_date": scenario.start_date.isoformat(),
        "agents_per_person": first.get("agents_per_person", scenario.agents_per_person),
        "agents": int(round(_median([s["agents"] for s in summaries]))),
        "people_spawned": _median([s["people_spawned"] for s in summaries]),
        "people_per_status_end": _median_dict([s["people_per_status_end"] for s in summaries]),
        "people_per_place_end": dict(sorted(per_place.items(), key=lambda kv: -kv[1])),
        "first_arrival_day": arrival,
        "caravans": {},
    }
    # any other headline figure (total_detained, waiting_at_border_end ...): median as well;
    # a number missing from a member is 0, a dict of numbers is a median per key
    for key in dict.fromkeys(k for s in summaries for k in s):
        if key in headline or key in _NOT_MEDIANS:
            continue
        values = [s.get(key) for s in summaries]
        if all(_is_number(v) or v is None for v in values):
            headline[key] = _median([float(v or 0.0) for v in values])
        elif all(isinstance(v, dict) or v is None for v in values) and all(
            _is_number(x) or x is None for v in values for x in (v or {}).values()
        ):
            headline[key] = _median_dict([v or {} for v in values])
    headline["ensemble"] = {"n": len(summaries), "statistic": "median over members"}
    headline["runtime_s"] = round(runtime_s, 3)
    return headline
