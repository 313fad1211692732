"""The corridor command: exit codes, one-line errors, atomic and reproducible run folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corridor.runs import claim

from tinyscenario import ROUTES, write_scenario


def corridor(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from corridor.cli import main; main()", *map(str, args)],
        capture_output=True, text=True, check=False,
    )


def test_validate_clean_and_bad(tiny: Path, tmp_path: Path) -> None:
    ok = corridor("validate", tiny)
    assert ok.returncode == 0, ok.stderr
    bad = write_scenario(tmp_path / "bad", routes=ROUTES.replace("a,b,60", "a,q,-3"))
    res = corridor("validate", bad)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert "routes.csv:2:to: unknown place id 'q'" in lines
    assert "routes.csv:2:distance_km: must be > 0, got -3" in lines
    assert "Traceback" not in res.stderr


def test_run_writes_complete_folder_and_is_reproducible(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    res = corridor("run", tiny, "--out", out, "--no-report")
    assert res.returncode == 0, res.stderr
    for name in ("scenario.resolved.toml", "counts.parquet", "flows.parquet", "groups.parquet",
                 "summary.json", "run.log"):
        assert (out / name).is_file(), name
    first = (out / "counts.parquet").read_bytes()
    res = corridor("run", tiny, "--out", out, "--no-report", "--force")
    assert res.returncode == 0
    assert (out / "counts.parquet").read_bytes() == first
    resolved = (out / "scenario.resolved.toml").read_text()
    assert "walk_speed_km_per_day = 25.0" in resolved  # defaults are filled in
    counts = pd.read_parquet(out / "counts.parquet")
    assert list(counts.columns) == ["day", "date", "place", "status", "n"]
    info = corridor("info", out)
    assert info.returncode == 0 and "people spawned" in info.stdout


def test_run_refuses_existing_out_and_bad_options(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    res = corridor("run", tiny, "--out", out)
    assert res.returncode == 2 and "exists" in res.stderr and "Traceback" not in res.stderr
    assert corridor("run", tiny, "--days", "0", "--out", tmp_path / "x").returncode == 2
    res = corridor("run", tmp_path / "missing")
    assert res.returncode == 2 and "does not exist" in res.stderr
    res = corridor("info", tmp_path / "missing")
    assert res.returncode == 2 and "does not exist" in res.stderr
    assert not (tmp_path / "x").exists()


def test_crash_leaves_no_half_written_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    with pytest.raises(RuntimeError), claim.atomic_folder(out) as tmp:
        (tmp / "counts.parquet").write_text("partial")
        raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_days_and_seed_overrides(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    res = corridor("run", tiny, "--out", out, "--days", "5", "--seed", "3", "--no-report")
    assert res.returncode == 0, res.stderr
    counts = pd.read_parquet(out / "counts.parquet")
    assert counts["day"].max() == 4
    assert "seed = 3" in (out / "scenario.resolved.toml").read_text()
