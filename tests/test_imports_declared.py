"""Every third-party package src/corridor imports is declared in pyproject.toml.

Why: a plain ``pip install corridor`` (the pip of Python 3.11, not upgraded) installs only what
is declared; an import that works in the Makefile's venv by luck breaks for users.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    specs += [s for extra in project.get("optional-dependencies", {}).values() for s in extra]
    return {_norm(re.split(r"[\s<>=!~\[;]", s, maxsplit=1)[0]) for s in specs}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "corridor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "corridor"}


def test_every_imported_package_is_declared() -> None:
    dists = packages_distributions()
    declared = _declared()
    missing = []
    for module in sorted(_imported()):
        candidates = {_norm(d) for d in dists.get(module, [module])}
        if not candidates & declared:
            missing.append(f"{module} (distribution {', '.join(sorted(candidates))})")
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"

