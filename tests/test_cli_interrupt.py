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
