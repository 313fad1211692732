"""The kernel gives the same bytes on one thread and on two (engine/rules/corridor_kernels.py).

Two fresh processes, NUMBA_NUM_THREADS=1 (one serial sweep) and 2 (calm agents on threads,
the rest deferred and run in agent order), on a scenario big enough for the parallel path,
with a caravan and a checkpoint so that both kinds of agent occur.
"""

from __future__ import annotations

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
    """No policies: every flow agent is calm (on threads); a checkpoint at e and a permit
    office at c: agents at a are calm, agents one road from them or there are deferred."""
    folder = write_scenario(tmp_path / "big", days=20, scale=100.0, policies=policies,
                            parameters="max_hops_per_day = 1")  # a is calm, b, c, e are not
    one_chunks, one = run_with_threads(folder, 1)
    two_chunks, two = run_with_threads(folder, 2)
    assert (one_chunks, two_chunks) == ("1", "2")  # threads the runs used
    assert one == two
