"""The kernels a wheel ships compiled are exactly the ones runs call, with the same types.

A signature missing from engine/precompile.py's KERNELS, or one that differs from what a run
passes, would compile on the first run after an install again (8-10 s): these runs use every
rule set and every lever path the tiny scenarios reach, then compare.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

from corridor.engine.jit import numba_subpath, seed_cache

CHECK = """
import sys
from importlib import import_module
import numba
sys.path.insert(0, sys.argv[1])
from corridor.engine import simulate
from corridor.engine.precompile import KERNELS, signature
from corridor.scenario.flee_import import load_flee
from corridor.scenario.load import load_scenario
from tinyscenario import write_flee_input, write_scenario
from pathlib import Path
tmp = Path(sys.argv[2])
tiny = load_scenario(write_scenario(tmp / "tiny"))
simulate(tiny)
import corridor.engine.rules.corridor_rules as rules
rules.PARALLEL_MIN_AGENTS, rules.PARALLEL_MIN_CALM = 0, 0.0  # the threaded kernel too
simulate(tiny)
flee = write_flee_input(tmp / "flee")
simulate(load_flee(flee / "input", flee / "validation").with_overrides(
    parameters={"spawn_mode": "refugees"}))
for module_name, kernels in KERNELS.items():
    module = import_module(module_name)
    for name, args in kernels.items():
        used = getattr(module, name).signatures
        # other entries may only be compiled inside another kernel (constant arguments)
        nested = [u for u in used if u != signature(args)
                  and any("Literal" in str(t) for t in u)]
        assert used == [signature(args), *nested] or used == [*nested, signature(args)], \
            f"{module_name}.{name}: runs pass {used}"
    called = {n for n, d in vars(module).items()
              if isinstance(d, numba.core.registry.CPUDispatcher)
              and d.__module__ == module_name and d.signatures}
    assert called <= set(kernels) | NESTED, f"called from Python but not listed: {called}"
print("ok")
"""
NESTED = {"try_stop", "key_base", "stream_uniform", "splitmix64", "cap_multiplier"}


def test_runs_compile_only_the_listed_signatures(tmp_path: Path) -> None:
    """In a fresh process: other tests call kernels with other types on purpose."""
    code = CHECK.replace("NESTED", repr(NESTED))
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parents[1]),
                           str(tmp_path)], capture_output=True, text=True, check=False,
                          # the JIT kernels: the ahead-of-time ones (test_aot.py) skip numba
                          env={**os.environ, "NUMBA_NUM_THREADS": "2", "CORRIDOR_JIT": "1"})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def test_shipped_cache_is_copied_whole_and_only_when_newer(tmp_path: Path) -> None:
    shipped, mine = tmp_path / "shipped", tmp_path / "mine"
    shipped.mkdir()
    for name in ("k.f-1.py311.nbi", "k.f-1.py311.1.nbc", "k.g-9.py311.nbi"):
        (shipped / name).write_text(name)
    assert seed_cache(shipped, mine) == ["k.f-1.py311", "k.g-9.py311"]
    assert sorted(p.name for p in mine.iterdir()) == sorted(p.name for p in shipped.iterdir())
    (mine / "k.f-1.py311.1.nbc").write_text("compiled here")  # the user's own, newer
    assert seed_cache(shipped, mine) == []
    old = (mine / "k.g-9.py311.nbi").stat().st_mtime - 100
    os.utime(mine / "k.g-9.py311.nbi", (old, old))  # an older install's cache
    assert seed_cache(shipped, mine) == ["k.g-9.py311"]
    assert seed_cache(tmp_path / "none", mine) == []


def test_subpath_is_numbas() -> None:
    from numba.core.caching import _CacheLocator

    folder = Path(import_module("corridor.engine.rules.corridor_kernels").__file__).parent
    assert numba_subpath(folder) == _CacheLocator.get_suitable_cache_subpath(
        str(folder / "corridor_kernels.py"))
