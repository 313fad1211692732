"""Run an ensemble's members on a backend and build the ensemble folder so that it can resume.

The ensemble is built in ``.NAME.partial/`` beside ``out`` (``NAME`` = the folder's name). Each
member folder inside it appears in one atomic step (``corridor.runs.claim.atomic_folder``), so
after Ctrl-C, a crash or a kill it holds only finished members. ``--resume`` reuses those
(checked: corridor's run marker, a readable ``summary.json`` with the member's seed, every
table) and runs the rest; without ``--resume`` the next command starts over. When every member
is finished the ensemble files are written and the folder is renamed to ``out``. A plan file
(``.ensemble-plan.json``: scenario fingerprint, base seed, member seeds) makes sure a resumed
ensemble is the one that was interrupted; it is removed before the rename.

Backends:

``LocalBackend``
    members in this process (1 worker) or in local worker processes; they write their folder.
``corridor.analysis.dask_backend.DaskBackend``
    members on Dask distributed; a member returns its files as bytes and this process writes
    them (workers need no shared file system).

Either backend can instead run a ``job``: a function of the member's scenario whose small
return value is the member's outcome and nothing is written (sensitivity samples). Failures,
the retry and Ctrl-C are handled the same way.

A member that fails is reported (name, seed, parameters, error) and retried once; the others go
on. Members still failing after the retry make the command fail at the end with all of them
named; the finished ones stay in the partial folder for ``--resume``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from corridor._io import json_text
from corridor.errors import RunError
from corridor.runs.markers import ENSEMBLE, RUN, read_marker, write_marker
from corridor.scenario.model import Scenario

PLAN = ".ensemble-plan.json"
TABLES = ("counts", "flows", "groups", "events")
Report = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Member:
    """One member: its index, folder name, seed and scenario (already carrying that seed)."""

    index: int
    name: str
    seed: int
    scenario: Scenario

    def describe(self) -> str:
        """``seed-003 (seed 123, parameters {...})``: what a failure report names."""
        params = json.dumps(self.scenario.parameters, sort_keys=True, default=str,
                            allow_nan=True)  # a fingerprint, not a file
        return f"{self.name} (seed {self.seed}, parameters {params})"


class Backend(Protocol):
    """Where members run. ``submit`` starts one; ``outcome`` turns a finished handle into the
    member's summary, its folder written in ``folder`` (raising the member's error)."""

    def submit(self, member: Member, folder: Path | None, attempt: int) -> Any: ...

    def wait_any(self, handles: list[Any]) -> tuple[set[Any], set[Any]]: ...

    def outcome(self, handle: Any, member: Member, folder: Path | None) -> Any: ...

    def cancel(self, handles: Iterable[Any]) -> None: ...

    def close(self) -> None: ...


Job = Callable[[Scenario], Any]


def run_member(scenario: Scenario, out: Path) -> dict[str, Any]:
    """Simulate one member and write its run folder (runs in a worker process)."""
    from corridor.engine import simulate
    from corridor.runs.write import write_run

    return write_run(simulate(scenario), out)


def member_pool(workers: int) -> ProcessPoolExecutor:
    """The local pool members run in (its workers import the engine and writer up front)."""
    from corridor.analysis.pools import local_pool

    return local_pool(workers, preload=("corridor.engine", "corridor.runs.write"))


class LocalBackend:
    """Members in this process (``workers`` = 1) or a local pool; each writes its own folder
    (or, given a ``job``, returns ``job(scenario)``: a module-level function, for the pool)."""

    def __init__(self, workers: int = 1, total: int = 1, job: Job | None = None) -> None:
        self.pool = member_pool(min(workers, total)) if workers > 1 and total > 1 else None
        self.job = job

    def submit(self, member: Member, folder: Path | None, attempt: int) -> Future:
        if self.job is not None:
            call: tuple[Callable[..., Any], tuple] = (self.job, (member.scenario,))
        else:
            assert folder is not None, "a member that writes its folder needs one"
            call = (run_member, (member.scenario, folder / member.name))
        if self.pool is not None:
            return self.pool.submit(call[0], *call[1])
        future: Future = Future()
        try:
            future.set_result(call[0](*call[1]))
        except Exception as exc:  # reported and retried like a worker's failure
            future.set_exception(exc)
        return future

    def wait_any(self, handles: list[Future]) -> tuple[set[Future], set[Future]]:
        done, pending = wait(handles, return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def outcome(self, handle: Future, member: Member, folder: Path | None) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            summary = handle.result()
        except BrokenProcessPool:  # not the member's fault: the pool is gone, stop
            raise RunError("a local worker process died; finished members are kept, rerun "
                           "with --resume") from None
        if self.job is not None:
            return summary
        # as read back from summary.json, like members of a resumed run or of Dask
        return json.loads(json_text(summary))

    def cancel(self, handles: Iterable[Future]) -> None:
        for handle in handles:
            handle.cancel()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def to_stderr(message: str) -> None:
    """The default ``report``: one line on stderr, flushed (progress bars share it)."""
    print(message, file=sys.stderr, flush=True)


def _error_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def run_all(members: list[Member], folder: Path | None, backend: Backend, *,
            progress: Progress | None = None, report: Report = to_stderr,
            done_before: dict[int, dict[str, Any]] | None = None) -> list[Any]:
    """Run ``members`` on ``backend`` into ``folder``; their summaries in member order.

    ``done_before`` holds the summaries of members finished earlier (``--resume``), by index;
    those are not run again. A failed member is reported and retried once. Ctrl-C (or any
    error of this process) cancels what is still queued or running and closes the backend;
    finished member folders stay. ``folder`` is None for a backend with a ``job`` (nothing is
    written; the outcomes are the job's return values).
    """
    summaries: dict[int, dict[str, Any]] = dict(done_before or {})
    total = len(members)
    todo = [m for m in members if m.index not in summaries]
    failed: list[str] = []
    if progress is not None:
        progress(len(summaries), total)
    running: dict[Any, tuple[Member, int]] = {}
    try:
        for member in todo:
            running[backend.submit(member, folder, 1)] = (member, 1)
        while running:
            done, _ = backend.wait_any(list(running))
            for handle in done:
                member, attempt = running.pop(handle)
                try:
                    summaries[member.index] = backend.outcome(handle, member, folder)
                except RunError:
                    raise
                except Exception as exc:  # the member's own failure: report, retry once
                    if attempt == 1:
                        report(f"member {member.describe()} failed: {_error_line(exc)}; "
                               "retrying it once")
                        running[backend.submit(member, folder, 2)] = (member, 2)
                    else:
                        report(f"member {member.describe()} failed again: {_error_line(exc)}")
                        failed.append(f"{member.describe()}: {_error_line(exc)}")
                    continue
                if progress is not None:
                    progress(len(summaries), total)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            backend.cancel(list(running))
        finished = 0 if folder is None else sum(1 for m in members
                                                 if (folder / m.name).is_dir())
        if isinstance(exc, KeyboardInterrupt) and finished:
            report(f"interrupted: {finished} of {total} members are finished in {folder}; "
                   "the same command with --resume runs only the others")
        raise
    finally:
        backend.close()
    if failed:
        kept = "" if folder is None else (f" (finished members are kept in {folder}; rerun "
                                          "with --resume)")
        raise RunError(f"{len(failed)} of {total} members failed twice{kept}: "
                       + "; ".join(failed))
    return [summaries[i] for i in sorted(summaries)]


# --------------------------------------------------------------------------- the partial folder


def partial_path(out: Path) -> Path:
    """``.NAME.partial`` beside ``out``: where an ensemble is built (and resumed)."""
    out = Path(out)
    return out.with_name(f".{out.name}.partial")


def fingerprint(scenario: Scenario) -> str:
    """A hash of everything that decides a member's output except its seed."""
    from corridor.scenario.save import table_for_csv

    digest = hashlib.sha256()
    settings = {
        "name": scenario.name, "start_date": scenario.start_date.isoformat(),
        "days": int(scenario.days), "rules": scenario.rules,
        "agents_per_person": float(scenario.agents_per_person),
        "parameters": scenario.parameters, "format": scenario.format,
    }
    digest.update(json.dumps(settings, sort_keys=True, default=str,
                             allow_nan=True).encode())  # a fingerprint, not a file
    for name in ("places", "routes", "sources", "policies", "observations"):
        digest.update(name.encode() + b"\0")
        digest.update(table_for_csv(scenario, name).to_csv(index=False).encode())
    return digest.hexdigest()


def finished_summary(member_dir: Path, seed: int) -> dict[str, Any] | None:
    """The summary of a finished member folder with this seed, or None if it is not one."""
    try:
        if read_marker(member_dir) != RUN:
            return None
        if not all((member_dir / f"{t}.parquet").is_file() for t in TABLES):
            return None
        data = json.loads((member_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("seed") != seed:
        return None
    return data


@contextmanager
def partial_folder(out: Path, plan: dict[str, Any], *, force: bool, resume: bool,
                   inputs: Iterable[Path] = (), report: Report = to_stderr) -> Iterator[Path]:
    """Claim ``out`` and yield its partial folder; it becomes ``out`` when the block succeeds.

    The same refusals as ``corridor.runs.claim.atomic_folder`` (checked before anything is
    written, again under the lock). On an error the partial folder is kept for ``--resume``;
    without ``--resume`` an earlier partial folder is discarded (with a note).
    """
    from corridor._io import atomic_write_text
    from corridor.runs.claim import check_out_folder, clean_stale, install_folder, out_lock

    out = Path(out)
    inputs = list(inputs)
    partial = partial_path(out)
    check_out_folder(out, force=force, inputs=inputs)
    check_out_folder(partial, force=True, inputs=inputs, replaceable={ENSEMBLE})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out_lock(out):
        clean_stale(out)
        check_out_folder(out, force=force, inputs=inputs)
        if resume and not partial.exists():
            report(f"nothing to resume: no interrupted ensemble at {partial}; starting a new "
                   "one")
        if partial.exists():
            kept = _members_in(partial)
            if resume and _plan_of(partial) == plan:
                report(f"resuming {out}: {kept} member folder(s) found in {partial}")
            elif resume:
                raise RunError(f"{partial}: holds an interrupted ensemble of other settings "
                               "(scenario, seed or --seeds differ); run without --resume to "
                               "start over")
            else:
                if kept:
                    report(f"note: discarding the {kept} finished member(s) of an interrupted "
                           f"ensemble in {partial} (--resume would have kept them)")
                shutil.rmtree(partial)
        if not partial.exists():
            partial.mkdir()
            partial.chmod(0o755)
            write_marker(partial, ENSEMBLE)
        atomic_write_text(partial / PLAN, json_text(plan))
        try:
            yield partial
        except BaseException:
            if not _members_in(partial):  # nothing worth resuming: leave nothing behind
                shutil.rmtree(partial, ignore_errors=True)
            raise
        (partial / PLAN).unlink()
        install_folder(partial, out, force)


def _members_in(partial: Path) -> int:
    """How many member folders (finished ones: they appear in one step) ``partial`` holds."""
    from corridor.runs.markers import MEMBER_PREFIX

    return sum(1 for p in partial.glob(f"{MEMBER_PREFIX}*") if p.is_dir())


def _plan_of(partial: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((partial / PLAN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
