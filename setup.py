"""Build hook: the wheel ships numba's cache of the kernels, compiled while the wheel is built,
and the serial kernels compiled ahead of time (src/corridor/engine/aot.py).

Why and how numba checks the shipped cache: src/corridor/engine/precompile.py. Everything else
about the package is in pyproject.toml. An editable install (``pip install -e``) ships
nothing: its kernels are cached beside the sources on the first run (``make install`` does it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithKernels(build_py):
    """build_py, then compile every kernel into the built package's ``__pycache__``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
        # prepend: pip's isolated build environment is itself on PYTHONPATH
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(self.build_lib).resolve()), *filter(None, [env.get("PYTHONPATH")])])
        done = subprocess.run([sys.executable, "-m", "corridor.engine.precompile"], env=env,
                              check=False)
        if done.returncode != 0:  # the package still works: kernels compile on first use
            print("warning: numba kernels not precompiled; the first run will compile them",
                  file=sys.stderr)
        # the serial kernels compiled ahead of time too (engine/compiled.py, engine/aot.py): a
        # failure prints its own warning and leaves the JIT kernels in use
        engine = Path(self.build_lib).resolve() / "corridor" / "engine"
        subprocess.run([sys.executable, "-m", "corridor.engine.aot", str(engine)], env=env,
                       check=False)


setup(cmdclass={"build_py": BuildPyWithKernels})
