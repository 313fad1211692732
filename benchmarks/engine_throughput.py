"""Engine speed and memory: agent-days per second vs the machine's memory bandwidth.

Runs the ``corridor`` rules, without and with every policy lever active (checkpoints,
national patrol, detention, permits, asylum offices, smuggling markets, port capacity and
closures), on a synthetic 1,000-place grid (40 x 25 towns, 50-90 km roads,
the northern row are destinations) with 1M, 3M and 10M agents for 100 days, each size in its
own process so that peak RSS is that run's, on one thread and on two (``NUMBA_NUM_THREADS``;
the results are the same bytes, tests/engine/test_threads.py). Prints agent-days/s, peak
RSS, bytes of agent state touched per agent-day, and the ratio of the achieved state traffic
to a plain NumPy copy bandwidth probe measured in the same run.

    python benchmarks/engine_throughput.py [--sizes 1e6,3e6,1e7] [--days 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd


def synthetic_policies(rows: int, cols: int, start: dt.date, days: int) -> pd.DataFrame:
    """Every lever of the corridor rules active somewhere on the grid."""
    end = start + dt.timedelta(days=days - 1)
    rows_ = []

    def add(lever: str, target: str, value: float) -> None:
        rows_.append({"lever": lever, "target": target, "from_date": start, "to_date": end,
                      "value": value, "source": "synthetic"})

    for c in range(cols):
        add("checkpoint", f"p5_{c}", 400.0)
        add("permits", f"p2_{c}", 50.0)
        add("smuggling", f"p1_{c}", 0.0)
        add("asylum_office", f"p3_{c}", 100.0)
        add("port_capacity", f"p{rows - 2}_{c}", 2000.0)
    add("patrol", "MEX", 5000.0)
    for c in range(0, cols, 5):
        add("port_closed", f"p{rows - 2}_{c}", 1.0)
    return pd.DataFrame(rows_)


def synthetic_scenario(agents: int, days: int, levers: bool = False):  # noqa: ANN201
    from corridor.scenario.model import Scenario

    rows, cols = 40, 25
    rng = np.random.default_rng(0)
    ids = [f"p{r}_{c}" for r in range(rows) for c in range(cols)]
    places = pd.DataFrame({
        "id": ids, "name": ids, "country": "MEX",
        "lat": np.repeat(np.linspace(14.5, 32.5, rows), cols),
        "lon": np.tile(np.linspace(-117, -92, cols), rows),
        "kind": [kind_of(r, c, rows, levers) for r in range(rows) for c in range(cols)],
        "capacity": [5000.0 if kind_of(r, c, rows, levers) == "detention" else np.nan
                     for r in range(rows) for c in range(cols)],
        "source": "synthetic",
    })
    edges = []
    for r in range(rows):
        for c in range(cols):
            if r + 1 < rows:
                edges.append((f"p{r}_{c}", f"p{r + 1}_{c}"))
            if c + 1 < cols:
                edges.append((f"p{r}_{c}", f"p{r}_{c + 1}"))
    routes = pd.DataFrame({
        "from": [a for a, _ in edges], "to": [b for _, b in edges],
        "distance_km": rng.uniform(50, 90, len(edges)).round(1), "mode": "road",
        "source": "synthetic",
    })
    start = dt.date(2024, 1, 1)
    origins = [f"p0_{c}" for c in range(0, cols, 3)]
    per_origin = agents / len(origins)
    sources = pd.DataFrame({
        "place": origins, "start_date": start, "end_date": start + dt.timedelta(days=9),
        "people": per_origin, "per": "total", "group": "flow", "origin_country": "HND",
        "source": "synthetic",
    })
    caravan = sources.iloc[:1].assign(people=10_000.0, group="caravan:bench",
                                      end_date=start)
    return Scenario(
        name="bench", start_date=start, days=days, places=places, routes=routes,
        sources=pd.concat([sources, caravan], ignore_index=True),
        policies=(synthetic_policies(rows, cols, start, days) if levers else
                  pd.DataFrame(columns=["lever", "target", "from_date", "to_date", "value",
                                        "source"])),
        observations=pd.DataFrame(columns=["date", "place", "kind", "low", "high", "source"]),
        seed=1,
    )


def kind_of(r: int, c: int, rows: int, levers: bool) -> str:
    if r == rows - 1:
        return "destination"
    if levers and r == rows - 2:
        return "port_of_entry"
    if levers and r == 6 and c % 5 == 0:
        return "detention"
    if levers and r == 5:
        return "checkpoint"
    return "town"


def bandwidth_gb_s(mb: int = 512, repeats: int = 5) -> float:
    """Plain NumPy copy bandwidth (bytes read + written per second), best of a few."""
    a = np.ones(mb * 2**20 // 8)
    b = np.empty_like(a)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t0)
    return 2 * a.nbytes / best / 1e9


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). ru_maxrss would include the parent's peak, which
    survives fork + exec on Linux and here includes the bandwidth probe's 1 GiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(agents: int, days: int, levers: bool) -> dict:
    from corridor.engine import simulate

    scenario = synthetic_scenario(agents, days, levers)
    # load (or compile) the kernels outside the timing: enough agents for the threaded
    # kernel too (below PARALLEL_MIN_AGENTS a run takes the serial one only, and the timed
    # run would then pay for loading the threaded kernel from numba's cache)
    from corridor.engine.rules.corridor_rules import PARALLEL_MIN_AGENTS
    for warm_levers in {False, levers}:  # without levers every place is calm: threads run
        simulate(synthetic_scenario(2 * PARALLEL_MIN_AGENTS, 3, warm_levers))
    t0 = time.perf_counter()
    result = simulate(scenario)
    seconds = time.perf_counter() - t0
    active_agent_days = int(result.recorder.counts.sum())
    return {
        "agents": result.agents,
        "days": days,
        "seconds": seconds,
        "agent_days": active_agent_days,
        "peak_rss_mb": peak_rss_mb(),
        "phases": result.timings_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,3e6,1e7")
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--levers", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one), args.days, args.levers)))
        return
    from corridor.engine.rules.corridor_rules import KERNEL_BYTES_PER_AGENT

    load = os.getloadavg()
    print(f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          "at start (other processes share the cores: figures under load are lower)")
    bandwidth = bandwidth_gb_s()
    print(f"memory bandwidth probe (numpy copy): {bandwidth:.1f} GB/s")
    print(f"{'levers':>6} {'threads':>7} {'agents':>12} {'days':>5} {'seconds':>8} "
          f"{'M agent-days/s':>15} {'peak RSS MB':>12} {'state GB/s':>11} {'of bandwidth':>13} "
          f"{'vs 1 thread':>12}")
    for size in (float(s) for s in args.sizes.split(",")):
        for levers in (False, True):
            one = None
            for threads in (1, 2):
                command = [sys.executable, __file__, "--one", str(size), "--days",
                           str(args.days)]
                out = subprocess.run(command + (["--levers"] if levers else []),
                                     capture_output=True, text=True, check=True,
                                     env=os.environ | {"NUMBA_NUM_THREADS": str(threads)})
                r = json.loads(out.stdout.strip().splitlines()[-1])
                rate = r["agent_days"] / r["seconds"]
                one = rate if one is None else one
                # every active agent's state is read and written once per day
                state_gb_s = rate * 2 * KERNEL_BYTES_PER_AGENT / 1e9
                print(f"{'all' if levers else 'none':>6} {threads:>7} {r['agents']:>12,} "
                      f"{r['days']:>5} {r['seconds']:>8.2f} {rate / 1e6:>15.1f} "
                      f"{r['peak_rss_mb']:>12.0f} {state_gb_s:>11.2f} "
                      f"{state_gb_s / bandwidth:>12.1%} {rate / one:>11.0%}")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at end")


if __name__ == "__main__":
    main()
