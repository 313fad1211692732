"""Ctrl-C that cannot be lost: the SIGINT handler remembers it as well as raising it.

Why: Python raises KeyboardInterrupt wherever the main thread is, and some places swallow it.
A Ctrl-C that lands while numba loads its cache runs inside a ctypes callback, where CPython
prints "Exception ignored ..." and carries on, so a run would go on for hours after the user
asked it to stop. The handler therefore also sets a flag, and long loops call
``raise_if_interrupted`` at safe points (the run's daily progress callback).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

_requested = threading.Event()


def on_sigint(signum: int, frame: FrameType | None) -> None:
    """Remember the interrupt, then raise it as Python's default handler does."""
    _requested.set()
    raise KeyboardInterrupt


def install() -> None:
    """Use ``on_sigint`` for SIGINT (main thread only; elsewhere signals cannot be set), with no
    interrupt remembered from before (commands called in-process one after another)."""
    _requested.clear()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_sigint)


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a Ctrl-C came and was swallowed on its way."""
    if _requested.is_set():
        raise KeyboardInterrupt
