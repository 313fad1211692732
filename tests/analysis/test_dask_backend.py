"""Ensembles on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes on
localhost, started here. The files must be the local backend's, byte for byte; a worker killed
(SIGKILL) mid-ensemble must not lose or duplicate a member; Ctrl-C leaves nothing running."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import corridor.analysis.ensemble as ens
from corridor.analysis.members import partial_path
from corridor.errors import CorridorError, RunError

from tinyscenario import write_scenario

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed is not installed (pip install 'corridor[dask]')")

pytestmark = pytest.mark.slow
START_S = 60  # a loaded machine can take a while to start Python processes
SEEDS = 6


class Cluster:
    """A scheduler and two single-threaded workers (no nanny: one process each, so that a
    kill really removes a worker) on random free ports of 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "scheduler.json"
        self.procs: list[subprocess.Popen] = []
        self.logs = folder
        self._start("scheduler", ["dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(self.file)])
        deadline = time.monotonic() + START_S
        while not self.file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.file.is_file(), "the dask scheduler did not start"
        for i in range(2):
            self._start(f"worker{i}", ["dask_worker", "--scheduler-file", str(self.file),
                                       "--nthreads", "1", "--nworkers", "1", "--no-nanny",
                                       "--no-dashboard", "--host", "127.0.0.1"])
        self.address = json.loads(self.file.read_text())["address"]
        self.client = distributed.Client(self.address, timeout=START_S)
        self.client.wait_for_workers(2, timeout=START_S)

    def _start(self, name: str, argv: list[str]) -> None:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        module = f"distributed.cli.{argv[0]}"
        self.procs.append(subprocess.Popen([sys.executable, "-m", module, *argv[1:]],
                                           stdout=log, stderr=subprocess.STDOUT))
        log.close()

    def worker_pids(self) -> dict[str, int]:
        return self.client.run(os.getpid)

    def tasks(self) -> int:
        return self.client.run_on_scheduler(
            lambda dask_scheduler: sum(1 for t in dask_scheduler.tasks
                                       if str(t).startswith("corridor-")))

    def stop(self) -> None:
        try:
            self.client.close(timeout=5)
        finally:
            for proc in reversed(self.procs):
                if proc.poll() is None:
                    proc.kill()
            for proc in self.procs:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # long enough (~0.3 s a member) that a worker is busy when it is killed
    return write_scenario(tmp_path_factory.mktemp("dask-scenario") / "tiny", days=200)


@pytest.fixture(scope="module")
def local(scenario_dir: Path) -> Path:
    return ens.run_ensemble(scenario_dir, scenario_dir.parent / "local", seeds=SEEDS, workers=1)


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file but the wall-clock ones (run.log timings, runtime_s of the ensemble)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name == "run.log":
            continue
        data = p.read_bytes()
        if p.name == "summary.json" and b'"runtime_s"' in data:  # an ensemble's summary
            summary = json.loads(data)
            summary.pop("runtime_s")
            data = json.dumps(summary).encode()
        out[str(p.relative_to(folder))] = data
    return out


class in_thread:  # noqa: N801 - used like a function
    """Run ``target()`` in a thread; ``result()`` fails (not hangs) after ``seconds``."""

    def __init__(self, target: Callable[[], object], seconds: float) -> None:
        self.seconds = seconds
        self.box: dict[str, object] = {}
        self.thread = threading.Thread(target=self._run, args=(target,), daemon=True)
        self.thread.start()

    def _run(self, target: Callable[[], object]) -> None:
        try:
            self.box["value"] = target()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            self.box["error"] = exc

    def alive(self) -> bool:
        return self.thread.is_alive()

    def result(self) -> object:
        self.thread.join(self.seconds)
        assert not self.thread.is_alive(), f"the ensemble did not end within {self.seconds} s"
        if "error" in self.box:
            raise self.box["error"]  # type: ignore[misc]
        return self.box.get("value")


def test_same_bytes_as_the_local_backend(cluster: Cluster, scenario_dir: Path,
                                         local: Path, tmp_path: Path) -> None:
    out = in_thread(lambda: ens.run_ensemble(
        scenario_dir, tmp_path / "dask", seeds=SEEDS, scheduler=cluster.address), 120).result()
    got, want = outputs(Path(out)), outputs(local)
    assert sorted(got) == sorted(want)
    assert [k for k in want if got[k] != want[k]] == []
    assert any(k.endswith("counts.parquet") for k in got)
    assert cluster.tasks() == 0  # results released once written


def test_ctrl_c_cancels_everything_and_keeps_finished_members(
        cluster: Cluster, scenario_dir: Path, local: Path, tmp_path: Path) -> None:
    out = tmp_path / "ens"

    def stop_after_two(done: int, total: int) -> None:
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        in_thread(lambda: ens.run_ensemble(
            scenario_dir, out, seeds=SEEDS, scheduler=cluster.address,
            progress=stop_after_two), 120).result()
    assert not out.exists()
    partial = partial_path(out)
    members = sorted(p for p in partial.iterdir() if p.is_dir())
    assert len(members) >= 2
    assert not [p for p in partial.iterdir() if p.name.startswith(".seed")]  # no half member
    deadline = time.monotonic() + 20
    while cluster.tasks() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert cluster.tasks() == 0, "futures were left on the scheduler"
    resumed = in_thread(lambda: ens.run_ensemble(  # via the scheduler file this time
        scenario_dir, out, seeds=SEEDS, scheduler=str(cluster.file), resume=True,
        report=lambda m: None), 120).result()
    assert outputs(Path(resumed)) == outputs(local)


def test_unreachable_scheduler_is_one_clear_error() -> None:
    import socket

    from corridor.analysis.dask_backend import DaskBackend

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    with pytest.raises(CorridorError, match=f"--scheduler tcp://127.0.0.1:{port}: cannot"):
        DaskBackend(f"tcp://127.0.0.1:{port}", timeout_s=2)
    with pytest.raises(CorridorError, match="no such scheduler file"):
        DaskBackend("/nonexistent/scheduler.json")


def _cli(args: list[str]) -> str:
    """Run ``corridor ARGS`` in this process (so it talks to the module's cluster)."""
    from typer.testing import CliRunner

    from corridor.cli import app

    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output


def test_sweep_on_dask_writes_the_local_bytes(cluster: Cluster, scenario_dir: Path,
                                              tmp_path: Path) -> None:
    common = ["sweep", str(scenario_dir), "--lever", "closure.b>c=0,1", "--seeds", "2",
              "--days", "30"]
    _cli([*common, "--out", str(tmp_path / "local")])
    _cli([*common, "--out", str(tmp_path / "dask"), "--scheduler", cluster.address])
    got, want = outputs(tmp_path / "dask"), outputs(tmp_path / "local")
    assert sorted(got) == sorted(want) and "value-1/seed-001/counts.parquet" in got
    assert [k for k in want if got[k] != want[k]] == []
    assert cluster.tasks() == 0


def test_sensitivity_on_dask_writes_the_local_bytes(cluster: Cluster, scenario_dir: Path,
                                                    tmp_path: Path) -> None:
    tiny = write_scenario(tmp_path / "tiny", days=15)
    common = ["sensitivity", str(tiny), "--param", "walk_speed_km_per_day=10:60",
              "--samples", "2", "--method", "morris"]
    _cli([*common, "--out", str(tmp_path / "local"), "--workers", "1"])
    _cli([*common, "--out", str(tmp_path / "dask"), "--scheduler", str(cluster.file)])
    for name in ("samples.csv", "indices.csv", "indices.svg", "README.md"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_failing_sample_is_named_with_its_parameters_and_retried_once(
        cluster: Cluster, tmp_path: Path) -> None:
    """The first run of every point fails on its worker; each is retried once and the
    results come back in point order (a closure: pickled to the workers by value)."""
    from corridor.analysis import members as mb
    from corridor.analysis.dask_backend import DaskBackend
    from corridor.checked import load_checked

    flags = tmp_path / "flags"
    flags.mkdir()

    def flaky(scenario):  # noqa: ANN001, ANN202 - runs on a worker
        speed = scenario.parameters["walk_speed_km_per_day"]
        flag = flags / f"{speed:g}"
        if not flag.exists():
            flag.touch()
            raise RuntimeError(f"boom at {speed:g}")
        return speed

    base = load_checked(write_scenario(tmp_path / "tiny", days=10))
    points = [mb.Member(i, f"sample-{i:04d}", 7,
                        base.with_overrides(parameters={"walk_speed_km_per_day": v}))
              for i, v in enumerate((20.0, 30.0, 40.0))]
    notes: list[str] = []
    got = mb.run_all(points, None, DaskBackend(cluster.address, job=flaky), report=notes.append)
    assert got == [20.0, 30.0, 40.0]
    assert sorted(notes) == [
        f"member sample-000{i} (seed 7, parameters {{\"walk_speed_km_per_day\": {v}}}) failed: "
        f"RuntimeError: boom at {v:g}; retrying it once" for i, v in enumerate((20.0, 30.0, 40.0))]


def test_killed_worker_every_member_exactly_once(cluster: Cluster, scenario_dir: Path,
                                                 local: Path, tmp_path: Path) -> None:
    """Kept last: it kills one of the module's two workers."""
    pids = cluster.worker_pids()
    assert len(pids) == 2
    out = tmp_path / "ens"
    notes: list[str] = []
    handle = in_thread(lambda: ens.run_ensemble(
        scenario_dir, out, seeds=SEEDS, scheduler=cluster.address, report=notes.append), 180)
    victim = None
    deadline = time.monotonic() + 120
    while victim is None and time.monotonic() < deadline and handle.alive():
        done = [p for p in partial_path(out).glob("seed-*") if p.is_dir()]
        busy = {w: ts for w, ts in cluster.client.processing().items() if ts}
        if done and busy:
            victim = next(iter(busy))
            os.kill(pids[victim], signal.SIGKILL)
        else:
            time.sleep(0.05)
    assert victim is not None, "the ensemble ended before a worker could be killed"
    handle.result()
    names = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert names == [ens.member_name(i, SEEDS) for i in range(SEEDS)]
    meta = json.loads((out / "ensemble.json").read_text())
    assert meta["members"] == names and len(set(meta["seeds"])) == SEEDS
    assert outputs(out) == outputs(local)
    assert not list(out.parent.glob(".ens.*"))
    assert len(cluster.client.scheduler_info()["workers"]) == 1


def test_lost_scheduler_is_one_line_and_keeps_finished_members(
        cluster: Cluster, scenario_dir: Path, tmp_path: Path) -> None:
    """Kept very last: it kills the module's scheduler."""
    out = tmp_path / "ens"
    handle = in_thread(lambda: ens.run_ensemble(
        scenario_dir, out, seeds=4 * SEEDS, scheduler=cluster.address,
        report=lambda m: None), 120)
    deadline = time.monotonic() + 60
    while (not list(partial_path(out).glob("seed-*")) and handle.alive()
           and time.monotonic() < deadline):
        time.sleep(0.05)
    cluster.procs[0].kill()  # the scheduler
    with pytest.raises(RunError, match="lost the Dask scheduler .*--resume"):
        handle.result()
    assert not out.exists()
    assert list(partial_path(out).glob("seed-*"))
