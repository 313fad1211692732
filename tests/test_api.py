"""The Python API: docs/api.md's example runs as written, and the API gives what the CLI gives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import corridor

from tinyscenario import write_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_docs_example_runs_as_written() -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text("utf-8"),
                        re.S)
    assert blocks, "docs/api.md has a python example"
    res = subprocess.run([sys.executable, "-c", "\n".join(blocks)], cwd=ROOT,
                         capture_output=True, text=True, check=False, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "people spawned:" in res.stdout


def test_api_write_is_the_cli_run_folder(tiny: Path, tmp_path: Path) -> None:
    result = corridor.run(corridor.load(tiny), seed=5)
    folder = result.write(tmp_path / "api")
    cli = subprocess.run([sys.executable, "-m", "corridor", "run", str(tiny), "--seed", "5",
                          "--out", str(tmp_path / "cli"), "--no-report"],
                         capture_output=True, text=True, check=False)
    assert cli.returncode == 0, cli.stderr
    for name in ("counts.parquet", "flows.parquet", "groups.parquet", "events.parquet",
                 "summary.json", "scenario.resolved.toml"):
        assert (folder.folder / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    pd.testing.assert_frame_equal(result.counts, folder.counts, check_dtype=False,
                                  check_categorical=False)
    assert result.summary == folder.summary


def test_seed_and_parameters_change_the_run(tiny: Path) -> None:
    scenario = corridor.load(tiny)
    a = corridor.run(scenario, seed=1)
    assert corridor.run(scenario, seed=1).summary == a.summary
    slow = scenario.with_parameters(walk_speed_km_per_day=5.0)
    assert slow.parameters["walk_speed_km_per_day"] == 5.0
    assert scenario.parameters.get("walk_speed_km_per_day") != 5.0  # the original is unchanged
    assert not corridor.run(slow, seed=1).counts.equals(a.counts)


def test_bad_changes_are_clear_errors(tiny: Path) -> None:
    scenario = corridor.load(tiny)
    with pytest.raises(corridor.ScenarioError, match="unknown parameter"):
        scenario.with_parameters(no_such_parameter=1.0)
    routes = scenario.routes.copy()
    routes.loc[0, "to"] = "nowhere"
    with pytest.raises(corridor.ScenarioError) as info:
        scenario.with_tables(routes=routes)
    assert any("nowhere" in str(p) for p in info.value.problems)
    with pytest.raises(corridor.CorridorError, match="agents_scale"):
        corridor.run(scenario, agents_scale=0)
    with pytest.raises(corridor.ScenarioError):
        corridor.load(write_scenario(Path(str(tiny) + "-bad"), routes="from,to\n"))


def test_changed_table_is_used(tiny: Path) -> None:
    scenario = corridor.load(tiny)
    sources = scenario.sources.copy()
    sources["people"] = sources["people"] * 2
    doubled = scenario.with_tables(sources=sources)
    base = corridor.run(scenario, seed=2).summary["people_spawned"]
    assert corridor.run(doubled, seed=2).summary["people_spawned"] == pytest.approx(2 * base)


def test_report_and_score_without_writing(tiny: Path, tmp_path: Path) -> None:
    result = corridor.run(corridor.load(tiny), seed=3)
    path = result.report(tmp_path / "r.html")
    assert path.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert isinstance(corridor.score(result), pd.DataFrame)
    assert sorted(corridor.__all__) == sorted(set(corridor.__all__))
    for name in corridor.__all__:
        assert getattr(corridor, name) is not None
