"""Where numba keeps compiled kernels, so that only the first run after an install compiles.

The kernels use ``cache=True``: numba writes machine code beside the source, in ``__pycache__``.
When the installed package cannot be written (a system or container install, a shared venv),
``use_writable_numba_cache`` points ``NUMBA_CACHE_DIR`` at the user's cache folder
(``$XDG_CACHE_HOME/corridor/numba``, default ``~/.cache/corridor/numba``) before numba is
imported. A ``NUMBA_CACHE_DIR`` the user set is left alone.
"""

from __future__ import annotations

import os
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
    folder = choose_numba_cache_dir(os.environ, all(_writable(d) for d in KERNEL_DIRS))
    if folder is not None:
        os.environ["NUMBA_CACHE_DIR"] = str(folder)
