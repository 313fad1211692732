"""Startup stays light: which libraries each entry point imports (checked in a fresh process).

`corridor --help` must not wait for pandas, numba, matplotlib or the evidence package, and
`validate` must not load numba or pandas; a fresh interpreter per check so earlier imports
cannot hide one.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("corridor.evidence", "pandas", "matplotlib", "numba", "pycountry", "pyarrow")


def loaded_after(code: str, *names: str) -> list[str]:
    """Which of ``names`` are in sys.modules after running ``code`` in a new interpreter."""
    found = f"','.join(n for n in {names!r} if n in sys.modules)"
    probe = f"{code}\nimport sys\nprint('loaded:' + {found})"
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=False)
    assert res.returncode == 0, res.stderr
    line = res.stdout.strip().splitlines()[-1]
    assert line.startswith("loaded:"), res.stdout
    return [n for n in line.removeprefix("loaded:").split(",") if n]


@pytest.mark.parametrize("module", ["corridor", "corridor.cli"])
def test_import_loads_no_heavy_library(module: str) -> None:
    assert loaded_after(f"import {module}", *HEAVY) == []


def test_engine_import_needs_neither_pandas_nor_pycountry() -> None:
    assert loaded_after("import corridor.engine", "pandas", "pycountry", "numba") == []


def test_help_does_not_import_evidence_but_lists_it() -> None:
    code = ("import sys\nfrom corridor.cli import main\nsys.argv = ['corridor', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert loaded_after(code, *HEAVY) == []
    res = subprocess.run([sys.executable, "-m", "corridor", "--help"], capture_output=True,
                         text=True, check=False)
    assert res.returncode == 0 and "evidence" in res.stdout


def test_validate_does_not_load_numba_pandas_or_evidence(tiny: Path) -> None:
    """validate reads its CSVs with the stdlib: pandas (and pyarrow) were 0.4 s of 0.65."""
    code = ("import sys\nfrom corridor.cli import main\n"
            f"sys.argv = ['corridor', 'validate', {str(tiny)!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code")
    assert loaded_after(code, "numba", "corridor.evidence", "matplotlib", "pandas",
                        "pyarrow", "pycountry", "scipy", "numpy") == []


@pytest.mark.parametrize("rules", ["corridor", "flee"])
def test_rule_declarations_need_no_numpy(rules: str) -> None:
    """Checking parameters and levers needs neither NumPy (0.1 s of validate's 0.5) nor the
    kernels; `corridor.engine`'s names load on first use."""
    code = ("from corridor.engine.declared import declared_levers, declared_parameters\n"
            f"assert declared_parameters({rules!r}) and declared_levers({rules!r})\n"
            "from corridor.engine import check_rules, Parameter")
    assert loaded_after(code, "numpy", "numba") == []


def test_engine_names_still_load_on_first_use() -> None:
    import corridor.engine as engine

    assert engine.simulate.__module__ == "corridor.engine.core"
    assert engine.check_rules.__module__ == "corridor.engine.declared"
    with pytest.raises(AttributeError, match="no_such_name"):
        engine.no_such_name  # noqa: B018


def test_country_codes_without_pycountry_import_are_pycountrys() -> None:
    """validate reads pycountry's data file instead of importing it: the same codes."""
    import pycountry

    from corridor.scenario.load import _iso3_codes

    assert _iso3_codes() == frozenset(c.alpha_3 for c in pycountry.countries)
    assert {"MEX", "GTM", "USA", "CAF"} <= _iso3_codes() and len(_iso3_codes()) > 240


def test_version_and_python_dash_m() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for command in ([sys.executable, "-m", "corridor", "--version"],
                    [sys.executable, "-c", "from corridor.cli import main; main()", "--version"]):
        res = subprocess.run(command, capture_output=True, text=True, check=False)
        assert res.returncode == 0, res.stderr
        assert res.stdout.strip() == f"corridor {version}"


def test_evidence_subcommand_still_runs() -> None:
    res = subprocess.run([sys.executable, "-m", "corridor", "evidence", "--help"],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert "extract" in res.stdout


@pytest.mark.parametrize("rules", ["corridor", "flee"])
def test_rule_declarations_need_no_numba(rules: str) -> None:
    code = ("from corridor.engine.declared import declared_levers, declared_parameters\n"
            f"assert declared_parameters({rules!r}) and declared_levers({rules!r}) is not None")
    assert loaded_after(code, "numba") == []
