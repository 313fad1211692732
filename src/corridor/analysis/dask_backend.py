"""Run ensemble members on Dask distributed (``corridor ensemble --scheduler`` / ``--dask``).

A member runs on a worker and writes its run folder into a private temporary folder there; the
folder's files come back as bytes (a member is ~0.2 MB of Parquet, CSV and JSON, never agent
arrays) and this process writes them as the member's folder, in one atomic step. So the files
are those of the local backend byte for byte, and workers need no shared file system, only the
same corridor version installed.

When a worker dies (killed, out of memory) the scheduler runs its members again elsewhere;
every member is written once, by this process, from the first result that arrives. The
``distributed`` package is an optional extra: ``pip install 'corridor[dask]'``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError, RunError
from corridor.runs.markers import MARKER, RUN

LOCAL = "local"
MISSING = ("Dask is not installed: pip install 'corridor[dask]' "
           "(or pip install 'distributed>=2024.1')")


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise CorridorError(MISSING) from None
    return distributed


def member_files(scenario: Any) -> dict[str, bytes]:
    """Simulate one member and return its run folder's files (runs on a Dask worker)."""
    from corridor.engine import simulate
    from corridor.runs.write import write_run

    work = Path(tempfile.mkdtemp(prefix="corridor-member-"))
    try:
        write_run(simulate(scenario), work / "run")
        return {p.name: p.read_bytes() for p in sorted((work / "run").iterdir())
                if p.is_file() and p.name != MARKER}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_member(files: dict[str, bytes], out: Path) -> None:
    """Write a member folder from its files, atomically, as ``write_run`` would."""
    from corridor.runs.claim import atomic_folder

    with atomic_folder(out, kind=RUN) as tmp:
        for name, data in files.items():
            if os.sep in name or name in ("", ".", ".."):
                raise CorridorError(f"{out}: a worker sent a bad file name {name!r}")
            (tmp / name).write_bytes(data)


class DaskBackend:
    """Members as Dask futures on ``scheduler`` (``tcp://HOST:PORT``, a scheduler file
    ``*.json`` as written by ``dask scheduler --scheduler-file``) or a LocalCluster.

    ``workers`` sizes a LocalCluster (one thread each: the engine is single-threaded and a
    thread per process keeps members independent); it is ignored for a scheduler address.
    ``job`` (a function of the scenario, pickled to the workers) makes a member's outcome its
    return value, with nothing written. ``keep_open`` makes ``close`` a no-op, so one client
    (and LocalCluster) serves several ensembles (a sweep); ``shutdown`` then closes it.
    """

    def __init__(self, scheduler: str = LOCAL, workers: int = 1, timeout_s: float = 30, *,
                 job: Any = None, keep_open: bool = False) -> None:
        distributed = _distributed()
        self._distributed = distributed
        self.job = job
        self.keep_open = keep_open
        self.cluster = None
        # failures are reported by corridor, one line each; distributed's own logs would add
        # tracebacks (a lost worker or scheduler) to the terminal
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        try:
            if scheduler == LOCAL:
                self.cluster = distributed.LocalCluster(
                    n_workers=max(1, workers), threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR)
                self.client = distributed.Client(self.cluster, timeout=timeout_s)
            elif scheduler.endswith(".json"):  # a scheduler file (dask scheduler --scheduler-file)
                if not Path(scheduler).is_file():
                    raise CorridorError(f"--scheduler {scheduler}: no such scheduler file")
                self.client = distributed.Client(scheduler_file=scheduler, timeout=timeout_s)
            else:
                self.client = distributed.Client(scheduler, timeout=timeout_s)
        except OSError as exc:  # unreachable scheduler: a TimeoutError / OSError
            self._close_cluster()
            raise CorridorError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        self.scheduler = scheduler

    def submit(self, member: Any, folder: Path | None, attempt: int) -> Any:
        key = f"corridor-{member.name}-{uuid.uuid4().hex[:8]}-{attempt}"
        return self.client.submit(self.job or member_files, member.scenario, key=key,
                                  pure=False, retries=0)

    def wait_any(self, handles: list[Any]) -> tuple[set[Any], set[Any]]:
        try:
            done, pending = self._distributed.wait(handles, return_when="FIRST_COMPLETED")
        except (Exception, asyncio.CancelledError) as exc:
            raise self._lost(exc) from None
        return set(done), set(pending)

    def outcome(self, handle: Any, member: Any, folder: Path | None) -> Any:
        import json

        try:
            files = handle.result()
        except (Exception, asyncio.CancelledError) as exc:
            if self._is_lost(exc):
                raise self._lost(exc) from None
            raise  # the member's own error (or KilledWorker): reported and retried once
        handle.release()
        if self.job is not None:
            return files
        assert folder is not None, "a member that writes its folder needs one"
        write_member(files, folder / member.name)
        return json.loads(files["summary.json"].decode("utf-8"))

    def _is_lost(self, exc: BaseException) -> bool:
        """Is this the connection to the scheduler failing rather than the member?"""
        return isinstance(exc, asyncio.CancelledError) or self.client.status != "running"

    def _lost(self, exc: BaseException) -> RunError:
        line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return RunError(f"lost the Dask scheduler {self.scheduler} ({line[:200]}); the finished "
                        "members are kept: rerun the same command with --resume")

    def cancel(self, handles: Iterable[Any]) -> None:
        handles = list(handles)
        if handles:
            self.client.cancel(handles, force=True)

    def close(self) -> None:
        """Close the client (and a LocalCluster), unless ``keep_open``; safe to call again."""
        if not self.keep_open:
            self.shutdown()

    def shutdown(self) -> None:
        """Close the client (and a LocalCluster) whatever ``keep_open`` says."""
        try:
            if self.client.status not in ("closed", "closing"):
                self.client.close(timeout=10)
        finally:
            self._close_cluster()

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close(timeout=10)
            self.cluster = None
