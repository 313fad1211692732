"""Ensemble scaling: local processes vs Dask distributed (a LocalCluster), 1 and 2 workers.

Runs ``--members`` members (default 64) of a scenario (default scenarios/mexico-2023) with

* ``local-1``: in this process (what ``--workers 1`` does), after one warm-up member;
* ``local-2``: ``--workers 2`` (a fork-server pool per ensemble; its start is part of the time);
* ``dask-1`` / ``dask-2``: on a LocalCluster with 1 / 2 workers of one thread each. The cluster
  is started and warmed (imports, compiled kernels, one tiny member per worker) before the
  clock starts; that start-up is reported on its own.

The members are split into ``--rounds`` ensembles that every configuration runs in turn (the
order reversed every other round), so that the load of a shared machine, which drifts, falls
on every configuration alike.

and prints members/s, parallel efficiency (t1 / (2 t2), per backend), the Dask overhead
(t_dask / t_local - 1 at the same number of workers) and peak memory per worker (the largest
resident set of each worker process, sampled every 0.1 s with psutil). All ratios come from
the same run of this script. Every ensemble's files are checked to be the same bytes across
the four ways of running it (wall-clock timings aside).

    python benchmarks/ensemble_scaling.py [--members 64] [--rounds 4] [--agents-scale 0.2] [DIR]
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
    """Peak resident memory of chosen processes, sampled every 0.1 s: ``pids``, or every process
    below this one that did not exist when sampling started (a local pool's processes)."""

    def __init__(self, pids: list[int] | None = None) -> None:
        self.peaks: dict[int, int] = {}
        self.pids = pids
        self._stop = threading.Event()
        me = psutil.Process()
        self._before = {p.pid for p in me.children(recursive=True)}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _procs(self) -> list[psutil.Process]:
        if self.pids is not None:
            return [psutil.Process(p) for p in self.pids if psutil.pid_exists(p)]
        return [p for p in psutil.Process().children(recursive=True)
                if p.pid not in self._before]

    def _run(self) -> None:
        while not self._stop.is_set():
            for p in self._procs():
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

    def max_mb(self) -> float:
        return max(self.peaks.values(), default=0) / 2**20


def _warm(scenario_dir: str) -> int:
    """Import the engine and load its compiled kernels in a worker; returns the worker's pid."""
    from corridor.analysis.dask_backend import member_files
    from corridor.checked import load_checked

    member_files(load_checked(Path(scenario_dir)).with_overrides(days=2, agents_per_person=0.01))
    return os.getpid()


class Dask:
    """A started and warmed LocalCluster of ``workers`` single-threaded workers."""

    def __init__(self, workers: int, scenario_dir: Path) -> None:
        import logging

        import distributed

        t0 = time.perf_counter()
        self.cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                                processes=True, dashboard_address=None,
                                                silence_logs=logging.ERROR)
        self.client = distributed.Client(self.cluster)
        self.pids = list(self.client.run(_warm, str(scenario_dir)).values())
        self.start_s = time.perf_counter() - t0

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


def run_once(config: str, scenario_dir: Path, members: int, overrides: dict,
             out: Path, clusters: dict[str, Dask]) -> tuple[float, float]:
    """One ensemble in one configuration: (wall seconds, peak RSS of a worker in MB)."""
    from corridor.analysis.ensemble import run_ensemble

    backend, workers = config.split("-")[0], int(config.split("-")[1])
    scheduler = clusters[config].cluster.scheduler_address if backend == "dask" else None
    pids = ([os.getpid()] if backend == "local" and workers == 1
            else clusters[config].pids if backend == "dask" else None)
    with PeakRSS(pids) as rss:
        t0 = time.perf_counter()
        run_ensemble(scenario_dir, out, members, workers=workers, overrides=overrides,
                     scheduler=scheduler, report=lambda m: None)
        wall = time.perf_counter() - t0
    return wall, rss.max_mb()


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
    parser.add_argument("--rounds", type=int, default=4,
                        help="split the members into rounds run in turn by every configuration "
                        "(order reversed every other round), so a load that drifts during the "
                        "run hits every configuration alike")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    scenario_dir = Path(args.scenario)
    configs = args.configs.split(",")
    work = Path(tempfile.mkdtemp(prefix="corridor-ensemble-scaling-"))
    clusters: dict[str, Dask] = {}
    from corridor.checked import load_checked

    base_seed = load_checked(scenario_dir).seed
    sizes = [args.members // args.rounds + (1 if r < args.members % args.rounds else 0)
             for r in range(args.rounds)]
    results = {c: {"config": c, "workers": int(c.split("-")[1]), "wall_s": 0.0,
                   "start_s": 0.0, "peak_rss_per_worker_mb": 0.0, "same_bytes": True}
               for c in configs}
    try:
        if "local-1" in configs:  # this process as a warm worker, like the Dask workers
            _warm(str(scenario_dir))
        for c in configs:
            if c.startswith("dask"):
                clusters[c] = Dask(int(c.split("-")[1]), scenario_dir)
                results[c]["start_s"] = clusters[c].start_s
        for r, size in enumerate(sizes):
            order = configs if r % 2 == 0 else configs[::-1]
            overrides = {"seed": base_seed + r}  # every round other members
            if args.agents_scale:
                overrides["agents_per_person"] = args.agents_scale
            reference = None
            for c in order:
                out = work / f"{c}-round{r}"
                wall, mem = run_once(c, scenario_dir, size, overrides, out, clusters)
                results[c]["wall_s"] += wall
                results[c]["peak_rss_per_worker_mb"] = max(
                    results[c]["peak_rss_per_worker_mb"], mem)
                files = outputs(out)
                reference = reference or files
                results[c]["same_bytes"] &= files == reference
                shutil.rmtree(out)
            print(f"round {r + 1}/{args.rounds} ({size} members) done", flush=True)
    finally:
        for cluster in clusters.values():
            cluster.close()
        shutil.rmtree(work, ignore_errors=True)
    for c, res in results.items():
        res["members_per_s"] = args.members / res["wall_s"]
        print(f"{c:8s} {res['wall_s']:7.1f} s  {res['members_per_s']:6.2f} members/s  "
              f"peak RSS/worker {res['peak_rss_per_worker_mb']:6.0f} MB"
              + (f"  (cluster start + warm-up {res['start_s']:.1f} s)" if res["start_s"] else ""))
    summary: dict = {"members": args.members, "rounds": args.rounds,
                     "agents_scale": args.agents_scale, "scenario": scenario_dir.name,
                     "cpus": os.cpu_count(), "load_avg_1_5_15min": os.getloadavg(),
                     "configs": results}
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
        if "efficiency" in key or "overhead" in key:
            print(f"{key}: {value:+.1%}" if "overhead" in key else f"{key}: {value:.1%}")
    load = summary["load_avg_1_5_15min"]
    print(f"same bytes in every configuration: "
          f"{all(r['same_bytes'] for r in results.values())}; load average "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) on {summary['cpus']} CPUs")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
