"""Compiled kernels are cached somewhere writable: only the first run after an install compiles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from corridor.engine.jit import choose_numba_cache_dir, user_cache_dir


def test_read_only_package_caches_in_the_user_cache_folder(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert choose_numba_cache_dir(env, package_writable=False) == tmp_path / "corridor" / "numba"
    assert choose_numba_cache_dir(env, package_writable=True) is None  # numba's in-tree cache
    assert choose_numba_cache_dir({"NUMBA_CACHE_DIR": "/x"} | env, package_writable=False) is None
    assert user_cache_dir({}) == Path.home() / ".cache" / "corridor" / "numba"


def test_users_numba_cache_dir_is_kept(tmp_path: Path) -> None:
    code = ("import os\nimport corridor.engine\nimport numba.core.config as c\n"
            "print(os.environ['NUMBA_CACHE_DIR'], c.CACHE_DIR)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"NUMBA_CACHE_DIR": str(tmp_path), "PATH": ""}, check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == [str(tmp_path), str(tmp_path)]
