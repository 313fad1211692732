"""The kernel gives the same bytes on one thread and on two (engine/rules/corridor_kernels.py).

Two fresh processes, NUMBA_NUM_THREADS=1 (one serial sweep) and 2 (flow agents speculate on
threads; those whose day needs a shared capacity, and caravan members, are deferred and run
in agent order), on scenarios big enough for the parallel path: a tiny line with a caravan
and a checkpoint, and the benchmark's grid with every lever (capacities that run out every
day: checkpoints, patrols, detention, permits, asylum, ports, smugglers, deportations).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinyscenario import write_scenario

EMPTY = "lever,target,from_date,to_date,value,source\n"
POLICIES = ("lever,target,from_date,to_date,value,source\n"
            "checkpoint,e,2024-01-01,2024-01-20,800,test\n"
            "permits,c,2024-01-05,2024-01-20,100,test\n")

RUN = """
import hashlib, sys
from corridor.engine import simulate
from corridor.engine.rules.corridor_rules import PARALLEL_MIN_AGENTS
from corridor.scenario.load import load_scenario
result = simulate(load_scenario(sys.argv[1]))
assert result.agents >= PARALLEL_MIN_AGENTS
rec = result.recorder
digest = hashlib.sha256()
for array in (rec.counts, rec.flows, *(rec.extra[k] for k in sorted(rec.extra))):
    digest.update(array.tobytes())
digest.update(repr(rec.groups).encode())
print(result.state.threads, digest.hexdigest())
"""


def run_with_threads(folder: Path, threads: int) -> tuple[str, str]:
    env = os.environ | {"NUMBA_NUM_THREADS": str(threads)}
    done = subprocess.run([sys.executable, "-c", RUN, str(folder)], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    chunks, digest = done.stdout.split()
    return chunks, digest


@pytest.mark.parametrize("policies", [EMPTY, POLICIES], ids=["no-policies", "checkpoint"])
def test_one_and_two_threads_give_identical_bytes(tmp_path: Path, policies: str) -> None:
    """No policies: no flow agent is deferred; a checkpoint at e and a permit office at c:
    those stopped at e and those taking a permit at c are."""
    folder = write_scenario(tmp_path / "big", days=20, scale=100.0, policies=policies,
                            parameters="max_hops_per_day = 1")
    one_chunks, one = run_with_threads(folder, 1)
    two_chunks, two = run_with_threads(folder, 2)
    assert (one_chunks, two_chunks) == ("1", "2")  # threads the runs used
    assert one == two


GRID = """
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])
from engine_throughput import synthetic_scenario
from corridor.engine import simulate
from corridor.engine.rules.corridor_rules import PARALLEL_MIN_AGENTS
result = simulate(synthetic_scenario(3 * PARALLEL_MIN_AGENTS, 40, levers=True))
rec = result.recorder
digest = hashlib.sha256()
for array in (rec.counts, rec.flows, *(rec.extra[k] for k in sorted(rec.extra))):
    digest.update(array.tobytes())
used = {k: float(rec.extra[k].sum()) for k in ("detained", "permits_issued", "deported",
                                               "asylum_applications", "smuggled", "entries")}
deferred = int(result.state.deferred[:result.state.n_active].sum())
print(result.state.threads, digest.hexdigest(), deferred, json.dumps(used).replace(" ", ""))
"""


def test_every_lever_gives_identical_bytes_on_one_and_two_threads() -> None:
    """Every shared capacity is met by speculating agents: the deferral must keep their order."""
    bench = Path(__file__).resolve().parents[2] / "benchmarks"
    out = {}
    for threads in (1, 2):
        env = os.environ | {"NUMBA_NUM_THREADS": str(threads)}
        done = subprocess.run([sys.executable, "-c", GRID, str(bench)], capture_output=True,
                              text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        out[threads] = done.stdout.split()
    (t1, d1, _, used1), (t2, d2, deferred2, _) = out[1], out[2]
    assert (t1, t2) == ("1", "2")
    used = json.loads(used1)
    assert all(v > 0 for v in used.values()), used  # every capacity was in use
    n = int(deferred2)
    assert 0 < n < 3 * 65_536  # some agents deferred (last day), most ran on the threads
    assert d1 == d2
