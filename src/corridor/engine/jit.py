"""Where numba keeps compiled kernels, so that a run after an install does not compile them.

The kernels use ``cache=True``: numba writes machine code beside the source, in ``__pycache__``,
and a wheel ships that cache already filled (engine/precompile.py). When the installed package
cannot be written (a system or container install, a shared venv), ``use_writable_numba_cache``
points ``NUMBA_CACHE_DIR`` at the user's cache folder (``$XDG_CACHE_HOME/corridor/numba``,
default ``~/.cache/corridor/numba``) before numba is imported, and copies the shipped cache
there (numba reads and writes one folder per module). A ``NUMBA_CACHE_DIR`` the user set is
left alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

KERNEL_DIRS = (Path(__file__).parent, Path(__file__).parent / "rules")


def user_cache_dir(environ: Mapping[str, str]) -> Path:
    """corridor's numba cache in the user's cache folder (XDG base directory rules)."""
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corridor" / "numba"


def _writable(folder: Path) -> bool:
    cache = folder / "__pycache__"
    return os.access(cache if cache.is_dir() else folder, os.W_OK)


def choose_numba_cache_dir(environ: Mapping[str, str], package_writable: bool) -> Path | None:
    """The folder to set as NUMBA_CACHE_DIR, or None to keep numba's own choice."""
    if environ.get("NUMBA_CACHE_DIR") or package_writable:
        return None
    return user_cache_dir(environ)


def use_writable_numba_cache() -> None:
    """Set NUMBA_CACHE_DIR when the kernels' folders are read-only (no effect once numba is
    imported: numba then falls back to its own user-wide cache)."""
    # OpenMP threads that spin while the kernel's serial part or the Python phases run use a
    # core for nothing (measured: twice the CPU time); they sleep instead unless told otherwise
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    folder = choose_numba_cache_dir(os.environ, all(_writable(d) for d in KERNEL_DIRS))
    if folder is not None:
        os.environ["NUMBA_CACHE_DIR"] = str(folder)
        try:
            for kernels in KERNEL_DIRS:
                seed_cache(kernels / "__pycache__", folder / numba_subpath(kernels))
        except OSError:  # an unwritable cache folder too: numba compiles (and says so)
            pass


def numba_subpath(source_dir: Path) -> str:
    """The folder numba uses under NUMBA_CACHE_DIR for modules in ``source_dir``
    (numba.core.caching._CacheLocator.get_suitable_cache_subpath)."""
    path = os.path.abspath(source_dir)
    return f"{os.path.basename(path)}_{hashlib.sha1(path.encode()).hexdigest()}"


def seed_cache(shipped: Path, cache: Path) -> list[str]:
    """Copy the shipped cache of each kernel that ``cache`` lacks or holds an older one of;
    returns the kernels copied. A kernel's data files are copied before its index, and
    together with it: an index must never name another build's data file."""
    copied: list[str] = []
    if not shipped.is_dir():
        return copied
    for index in sorted(shipped.glob("*.nbi")):
        mine = cache / index.name
        if mine.exists() and mine.stat().st_mtime >= index.stat().st_mtime:
            continue
        cache.mkdir(parents=True, exist_ok=True)
        base = index.name[: -len(".nbi")]
        for data in sorted(shipped.glob(f"{base}.*.nbc")):
            _copy_atomic(data, cache / data.name)
        _copy_atomic(index, mine)
        copied.append(base)
    return copied


def _copy_atomic(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
