"""The batch commands (ensemble, sweep, compare) on an app of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from corridor.cli_batch import register
from corridor.errors import CorridorError

from tinyscenario import write_scenario

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(app)
    return app


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("cli") / "tiny", days=10)


@pytest.fixture(scope="module")
def ensemble(app: typer.Typer, scenario_dir: Path) -> Path:
    out = scenario_dir.parent / "ens"
    result = runner.invoke(app, ["ensemble", str(scenario_dir), "--seeds", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "median of 2 seeds" in result.output
    return out


def test_commands_are_registered(app: typer.Typer) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("ensemble", "sweep", "compare"):
        assert name in result.output


def test_ensemble_command(app: typer.Typer, ensemble: Path, scenario_dir: Path) -> None:
    assert sorted(p.name for p in ensemble.glob("seed-*")) == ["seed-000", "seed-001"]
    assert json.loads((ensemble / "ensemble.json").read_text())["n"] == 2


def test_ensemble_needs_force_to_replace(app: typer.Typer, scenario_dir: Path) -> None:
    out = scenario_dir.parent / "replace-me"
    out.mkdir()
    args = ["ensemble", str(scenario_dir), "--seeds", "1", "--out", str(out)]
    refused = runner.invoke(app, args)
    assert isinstance(refused.exception, CorridorError) and "--force" in str(refused.exception)
    forced = runner.invoke(app, [*args, "--force", "--days", "10", "--workers", "0"])
    assert forced.exit_code == 0, forced.output
    assert json.loads((out / "ensemble.json").read_text())["n"] == 1


def test_ensemble_bad_folder_is_a_user_error(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ensemble", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert isinstance(result.exception, CorridorError)


def test_sweep_command(app: typer.Typer, scenario_dir: Path) -> None:
    out = scenario_dir.parent / "sweep"
    result = runner.invoke(
        app,
        [
            "sweep",
            str(scenario_dir),
            "--lever",
            "closure.B>C=0,1",
            "--seeds",
            "1",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "people_per_status_end.arrived" in result.output
    table = pd.read_parquet(out / "sweep.parquet")
    assert set(table["value"]) == {0.0, 1.0}
    bad = runner.invoke(
        app,
        [
            "sweep",
            str(scenario_dir),
            "--lever",
            "closure.b>c=x",
            "--out",
            str(scenario_dir.parent / "bad"),
        ],
    )
    assert isinstance(bad.exception, CorridorError)
    assert not (scenario_dir.parent / "bad").exists()


def test_compare_command(app: typer.Typer, ensemble: Path, scenario_dir: Path) -> None:
    run = ensemble / "seed-000"
    csv = scenario_dir.parent / "out" / "compare.csv"
    result = runner.invoke(
        app,
        [
            "compare",
            str(run),
            str(ensemble),
            "--out",
            str(csv),
            "--date",
            "2024-01-05",
            "--date",
            "2024-01-10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "people_spawned" in result.output
    table = pd.read_csv(csv)
    assert {"metric", "a", "b", "diff", "pct_diff"} <= set(table.columns)
    assert "people_in_country.MEX@2024-01-05" in set(table["metric"])
    assert table["b_low"].notna().any() and table["a_low"].isna().all()
    bad = runner.invoke(app, ["compare", str(run), str(ensemble), "--date", "5 Jan"])
    assert isinstance(bad.exception, CorridorError)
    missing = runner.invoke(app, ["compare", str(run), str(scenario_dir.parent / "nope")])
    assert isinstance(missing.exception, CorridorError)


def test_report_on_an_ensemble_shows_a_member(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = write_scenario(tmp_path / "s")
    out = tmp_path / "ens"
    run = [sys.executable, "-c", "from corridor.cli import main; main()"]
    done = subprocess.run(run + ["ensemble", str(folder), "--seeds", "2", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(run + ["report", str(out)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "seed-000" in done.stdout and (out / "report.html").stat().st_size > 10_000
