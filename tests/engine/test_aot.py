"""Ahead-of-time kernels (engine/compiled.py): the same bytes as the JIT for both rule sets, no
numba import, and the JIT again as soon as a kernel source no longer matches what was compiled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corridor.engine import aot, compiled
from corridor.engine.rng import AGENT

TESTS = Path(__file__).parents[1]
needs_aot = pytest.mark.skipif(
    compiled._aot_module() is None,
    reason="ahead-of-time kernels not built here (make install runs python -m corridor.engine.aot)")

RUN = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from corridor.engine import simulate
from corridor.engine.compiled import aot_available
from corridor.runs.write import write_run
from corridor.scenario.flee_import import load_flee
from corridor.scenario.load import load_scenario
from tinyscenario import write_flee_input, write_scenario
tmp = Path(sys.argv[2])
write_run(simulate(load_scenario(write_scenario(tmp / "tiny"))), tmp / "run" / "corridor")
flee = write_flee_input(tmp / "flee", days=30)
scenario = load_flee(flee / "input", flee / "validation").with_overrides(
    parameters={"spawn_mode": "refugees"})
write_run(simulate(scenario), tmp / "run" / "flee")
print(aot_available(), "numba" in sys.modules)
"""


def _run(tmp: Path, jit: bool) -> tuple[str, dict[str, bytes]]:
    env = {k: v for k, v in os.environ.items() if k != "CORRIDOR_JIT"}
    if jit:
        env["CORRIDOR_JIT"] = "1"
    done = subprocess.run([sys.executable, "-c", RUN, str(TESTS), str(tmp)], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    files = {f"{p.parent.name}/{p.name}": p.read_bytes() for p in (tmp / "run").glob("*/*")
             if p.suffix in (".parquet", ".json")}
    return done.stdout.strip(), files


@needs_aot
def test_aot_run_matches_jit_bytes_and_skips_numba(tmp_path: Path) -> None:
    said_aot, by_aot = _run(tmp_path / "aot", jit=False)
    said_jit, by_jit = _run(tmp_path / "jit", jit=True)
    assert said_aot == "True False"  # compiled kernels used, numba never imported
    assert said_jit == "False True"
    assert {f"{rules}/{name}" for rules in ("flee", "corridor")
            for name in ("counts.parquet", "flows.parquet", "groups.parquet", "summary.json")
            } <= set(by_aot)
    assert by_aot == by_jit


@needs_aot
def test_aot_draws_match_jit() -> None:
    keys = np.arange(-5, 10_000, 7, dtype=np.int64)
    from corridor.engine import rng_kernels

    ours = compiled._kernels("corridor.engine.rng_kernels", False)._draw_array(
        np.uint64(123), AGENT, keys, np.int64(4))
    assert np.array_equal(ours, rng_kernels._draw_array(np.uint64(123), AGENT, keys,
                                                        np.int64(4)))


def test_a_changed_source_or_kernel_list_means_jit(tmp_path: Path) -> None:
    built = {"kernels": {m: list(n) for m, n in compiled.AOT_KERNELS.items()},
             "sources": compiled.source_hashes()}
    stale = dict(built, sources={**built["sources"], "corridor.engine.rng": "0" * 64})
    fewer = dict(built, kernels={})
    for name, manifest in (("stale", stale), ("fewer", fewer)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(manifest))
        assert compiled._aot_module.__wrapped__(path) is None, name
    (tmp_path / "broken.json").write_text("{not json")
    assert compiled._aot_module.__wrapped__(tmp_path / "broken.json") is None
    assert compiled._aot_module.__wrapped__(tmp_path / "missing.json") is None


def test_without_aot_kernels_are_the_jit_module() -> None:
    from corridor.engine.rules import flee_kernels

    assert compiled._kernels("corridor.engine.rules.flee_kernels", True) is flee_kernels


def test_a_failed_build_says_so_and_leaves_the_jit(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def fail(folder: Path) -> Path:
        raise ImportError("No module named 'numba.pycc'")

    monkeypatch.setattr(aot, "build", fail)
    monkeypatch.setattr(sys, "argv", ["aot"])
    with pytest.raises(SystemExit) as stop:
        aot.main()
    assert stop.value.code == 1
    assert "runs use numba's JIT" in capsys.readouterr().err

