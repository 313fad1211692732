"""Local worker pools for batch work (calibration, backtests, sensitivity).

Workers start from a fork server (spawn where there is none): a plain fork of a process that
holds threads (rich's progress refresh thread, BLAS pools) can deadlock.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def local_pool(workers: int, initializer: Callable[..., Any] | None = None,
               initargs: tuple = ()) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes whose start does not deadlock on threads."""
    methods = multiprocessing.get_all_start_methods()
    context: multiprocessing.context.BaseContext
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["corridor.engine"])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer,
                               initargs=initargs)
