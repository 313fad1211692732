"""Ctrl-C that reaches the entry point wrapped in another error still exits 130, cleanly."""

from __future__ import annotations

import pytest

from corridor import cli


def _raise_wrapped(**_: object) -> None:
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as interrupt:  # as numba's cache reader or a kernel call does
        raise RuntimeError("cache entry could not be read") from interrupt


def test_wrapped_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "app", _raise_wrapped)
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 130
    assert "interrupted: nothing was written" in capsys.readouterr().err


def test_other_errors_are_not_taken_for_an_interrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(**_: object) -> None:
        try:
            raise ValueError("inner")
        except ValueError as inner:
            raise RuntimeError("outer") from inner

    monkeypatch.setattr(cli, "app", fail)
    with pytest.raises(RuntimeError, match="outer"):
        cli.main()


SWALLOWED = """
import ctypes, os, signal, sys, time
from corridor.interrupts import install, raise_if_interrupted
install()
@ctypes.CFUNCTYPE(None)
def callback():  # as numba's cache loader is called back from LLVM
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.5)
callback()
print("carried on", flush=True)
try:
    raise_if_interrupted()
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_ctrl_c_swallowed_in_a_callback_still_stops() -> None:
    """CPython ignores an exception raised in a ctypes callback; the flag keeps the Ctrl-C."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", SWALLOWED], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.stdout.split() == ["carried", "on", "stopped"], done.stderr
    assert "KeyboardInterrupt" in done.stderr  # CPython's "Exception ignored" notice


def test_install_forgets_an_earlier_interrupt() -> None:
    import signal

    from corridor import interrupts

    try:
        interrupts.install()
        with pytest.raises(KeyboardInterrupt):
            interrupts.on_sigint(signal.SIGINT, None)
        with pytest.raises(KeyboardInterrupt):
            interrupts.raise_if_interrupted()
        interrupts.install()
        interrupts.raise_if_interrupted()  # nothing remembered
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
