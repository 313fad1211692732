"""Shared fixtures (helpers live in tinyscenario.py so test modules can import them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyscenario import write_scenario


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_scenario(tmp_path / "tiny")
