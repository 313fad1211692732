"""No module imports another module's private (``_name``) helpers: what is shared is public,
with a docstring saying what it promises (the ensemble once used runs.claim's ``_lock`` and
``_install``)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "corridor"


def test_no_private_name_is_imported_across_modules() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("corridor"):
                found += [f"{path.relative_to(SRC)}:{node.lineno}: {node.module}.{a.name}"
                          for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


def test_out_lock_admits_one_writer(tmp_path: Path) -> None:
    import os

    import pytest

    from corridor.errors import RunError
    from corridor.runs.claim import out_lock

    out = tmp_path / "out"
    held = rf"another corridor process \(pid {os.getpid()}\)"
    with out_lock(out), pytest.raises(RunError, match=held), out_lock(out):
        pass
    with out_lock(out):  # released: the next writer gets it
        pass
    assert not list(tmp_path.iterdir())  # the lock file goes with the lock
