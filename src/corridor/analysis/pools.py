"""Local worker pools for batch work (ensembles, calibration, backtests, sensitivity).

Workers start from a fork server (spawn where there is none): a plain fork of a process that
holds threads (rich's progress refresh thread, BLAS pools) can deadlock. Every worker dies with
the command that started it, even when that command is killed with SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def die_with_parent() -> None:
    """Worker initializer: a worker must not outlive the command that started it.

    A worker started from the fork server is the fork server's child, so neither the kernel's
    parent-death signal nor a changed parent pid tells it that the command died (and the fork
    server stays up while workers hold its pipe). The process that asked for the worker is
    ``multiprocessing.parent_process()``: a daemon thread waits on its sentinel, which becomes
    ready when that process ends for any reason (SIGKILL included), and exits the worker.
    """
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing: nothing to watch
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="corridor-parent-watch").start()


def _start_worker(initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    die_with_parent()
    if initializer is not None:
        initializer(*initargs)


def local_pool(workers: int, initializer: Callable[..., Any] | None = None,
               initargs: tuple = (),
               preload: Sequence[str] = ("corridor.engine",)) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes that neither deadlocks nor outlives us."""
    methods = multiprocessing.get_all_start_methods()
    context: multiprocessing.context.BaseContext
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_start_worker, initargs=(initializer, initargs))
