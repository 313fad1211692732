"""JSON outputs are strict: no NaN or Infinity (invalid JSON that other readers reject)."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pytest

from corridor._io import json_text

SRC = Path(__file__).resolve().parents[2] / "src" / "corridor"
FIXED_CONTENT = {"runs/markers.py"}  # marker files: fixed strings only


def _strict(text: str) -> object:
    def reject(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=reject)


def test_json_text_turns_non_finite_into_null() -> None:
    data = {"a": math.inf, "b": [1.5, math.nan, {"c": -math.inf}], "d": (2, "x")}
    assert _strict(json_text(data)) == {"a": None, "b": [1.5, None, {"c": None}], "d": [2, "x"]}
    with pytest.raises(ValueError, match="Infinity"):
        _strict(json.dumps({"a": math.inf}))  # what json.dumps alone writes


def test_every_json_writer_is_strict() -> None:
    """Every json.dump(s) call in the package is json_text or says allow_nan= deliberately."""
    loose = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"dump", "dumps"}
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "json"):
                continue
            # allow_nan=True only for text that is never written (fingerprints)
            strict = any(k.arg == "allow_nan" for k in node.keywords)
            if not strict and rel not in FIXED_CONTENT:
                loose.append(f"{rel}:{node.lineno}")
    assert not loose, f"json.dumps without allow_nan= (files: use corridor._io.json_text): {loose}"
