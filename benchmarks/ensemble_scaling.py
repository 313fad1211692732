"""Ensemble scaling: local processes vs Dask distributed (a LocalCluster), 1 and 2 workers.

Runs ``--members`` members (default 64) of a scenario (default scenarios/mexico-2023) with

* ``local-1``: in this process (what ``--workers 1`` does), after one warm-up member;
* ``local-2``: ``--workers 2`` (a fork-server pool; its start is part of the time);
* ``dask-1`` / ``dask-2``: ``--dask local`` with 1 / 2 workers of one thread each. The cluster is
  started and warmed (imports, compiled kernels, one tiny member per worker) before the clock
  starts; that start-up is reported on its own.

and prints members/s, parallel efficiency (t1 / (2 t2), per backend), the Dask overhead
(t_dask / t_local - 1 at the same number of workers) and peak memory per worker (the largest
resident set of each worker process, sampled every 0.1 s with psutil). All ratios come from
the same run of this script. Every ensemble's files are checked to be the same bytes across
the four ways of running it (wall-clock timings aside).

    python benchmarks/ensemble_scaling.py [--members 64] [--agents-scale 0.2] [SCENARIO]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


class PeakRSS:
    """Peak resident memory of every process below this one (workers, fork server, nannies)."""

    def __init__(self, include_self: bool = False) -> None:
        self.peaks: dict[int, int] = {}
        self.include_self = include_self
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            procs = me.children(recursive=True) + ([me] if self.include_self else [])
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[p.pid] = max(self.peaks.get(p.pid, 0), rss)
            self._stop.wait(0.1)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def per_worker_mb(self, workers: int, pids: list[int] | None = None) -> float:
        """The largest peak among the worker processes (the ``workers`` largest if unknown)."""
        if pids:
            values = [self.peaks.get(p, 0) for p in pids]
        else:
            values = sorted(self.peaks.values(), reverse=True)[:workers]
        return max(values, default=0) / 2**20


def _warm(scenario_dir: str, scale: float | None) -> int:
    """Import the engine and load its compiled kernels in a worker; returns the worker's pid."""
    from corridor.analysis.dask_backend import member_files
    from corridor.analysis.ensemble import load_checked

    member_files(load_checked(Path(scenario_dir)).with_overrides(days=2, agents_per_person=0.01))
    return os.getpid()


def run(config: str, scenario_dir: Path, members: int, scale: float | None,
        work: Path) -> dict:
    """One configuration: wall time of the ensemble, peak memory per worker, start-up."""
    from corridor.analysis.ensemble import run_ensemble

    backend, workers = config.split("-")[0], int(config.split("-")[1])
    overrides = {"agents_per_person": scale} if scale else None
    out = work / config
    start_s = 0.0
    if backend == "local":
        if workers == 1:  # warm this process (imports, compiled kernels) like a warm worker
            _warm(str(scenario_dir), scale)
        with PeakRSS(include_self=workers == 1) as rss:
            t0 = time.perf_counter()
            run_ensemble(scenario_dir, out, members, workers=workers, overrides=overrides,
                         report=lambda m: None)
            wall = time.perf_counter() - t0
        mem = rss.per_worker_mb(workers, [os.getpid()] if workers == 1 else None)
    else:
        import logging

        import distributed

        t0 = time.perf_counter()
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None,
                                           silence_logs=logging.ERROR)
        client = distributed.Client(cluster)
        try:
            pids = list(client.run(_warm, str(scenario_dir), scale).values())
            start_s = time.perf_counter() - t0
            with PeakRSS() as rss:
                t0 = time.perf_counter()
                run_ensemble(scenario_dir, out, members, overrides=overrides,
                             scheduler=cluster.scheduler_address, report=lambda m: None)
                wall = time.perf_counter() - t0
            mem = rss.per_worker_mb(workers, pids)
        finally:
            client.close()
            cluster.close()
    return {"config": config, "workers": workers, "wall_s": wall, "start_s": start_s,
            "members_per_s": members / wall, "peak_rss_per_worker_mb": mem}


def outputs(folder: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "run.log":
            data = p.read_bytes()
            if p.relative_to(folder) == Path("summary.json"):
                summary = json.loads(data)
                summary.pop("runtime_s")
                data = json.dumps(summary).encode()
            out[str(p.relative_to(folder))] = data
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "mexico-2023"))
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--agents-scale", type=float, default=None,
                        help="agents per person (the scenario's own value by default)")
    parser.add_argument("--configs", default="local-1,local-2,dask-1,dask-2")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    scenario_dir = Path(args.scenario)
    work = Path(tempfile.mkdtemp(prefix="corridor-ensemble-scaling-"))
    try:
        results = {}
        for config in args.configs.split(","):
            results[config] = run(config, scenario_dir, args.members, args.agents_scale, work)
            r = results[config]
            print(f"{config:8s} {r['wall_s']:7.1f} s  {r['members_per_s']:6.2f} members/s  "
                  f"peak RSS/worker {r['peak_rss_per_worker_mb']:6.0f} MB"
                  + (f"  (cluster start + warm-up {r['start_s']:.1f} s)" if r["start_s"] else ""),
                  flush=True)
        reference = None
        for config in results:
            files = outputs(work / config)
            reference = reference or files
            results[config]["same_bytes_as_first"] = files == reference
        summary: dict = {"members": args.members, "agents_scale": args.agents_scale,
                         "scenario": scenario_dir.name, "cpus": os.cpu_count(),
                         "load_avg_1min": os.getloadavg()[0], "configs": results}
        for backend in ("local", "dask"):
            one, two = results.get(f"{backend}-1"), results.get(f"{backend}-2")
            if one and two:
                summary[f"{backend}_efficiency_2_workers"] = one["wall_s"] / (2 * two["wall_s"])
        for w in (1, 2):
            loc, dsk = results.get(f"local-{w}"), results.get(f"dask-{w}")
            if loc and dsk:
                summary[f"dask_overhead_{w}_workers"] = dsk["wall_s"] / loc["wall_s"] - 1
                summary[f"dask_overhead_{w}_workers_incl_start"] = (
                    (dsk["wall_s"] + dsk["start_s"]) / loc["wall_s"] - 1)
        for key, value in summary.items():
            if key.endswith(("efficiency_2_workers", "_workers", "_incl_start")):
                print(f"{key}: {value:.1%}")
        print(f"same bytes in every configuration: "
              f"{all(r['same_bytes_as_first'] for r in results.values())}; "
              f"load average {summary['load_avg_1min']:.1f} on {summary['cpus']} CPUs")
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
