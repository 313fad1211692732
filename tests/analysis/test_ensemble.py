"""Ensembles: member folders, seeds, quantiles, reproducibility, workers, the summary."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.compare import compare_runs, ensemble_members, is_ensemble
from corridor.analysis.ensemble import member_seeds, run_ensemble
from corridor.errors import CorridorError, RunError
from corridor.runs.read import read_summary
from corridor.scenario import load_scenario

from tinyscenario import write_scenario

WALL_CLOCK = {"run.log"}  # timings; summary.json differs only in runtime_s (checked below)


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("ens") / "tiny", days=12)


@pytest.fixture(scope="module")
def ensemble(scenario_dir: Path) -> Path:
    return run_ensemble(scenario_dir, scenario_dir.parent / "ens", seeds=3)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _same_outputs(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:
        if Path(name).name in WALL_CLOCK:
            continue
        if Path(name).name == "summary.json":
            ja, jb = json.loads(fa[name]), json.loads(fb[name])
            ja.pop("runtime_s", None), jb.pop("runtime_s", None)
            assert ja == jb, name
            continue
        assert fa[name] == fb[name], name


def test_seeds_are_spawned_from_the_scenario_seed() -> None:
    children = np.random.SeedSequence(7).spawn(3)
    assert member_seeds(7, 3) == [int(c.generate_state(1)[0]) for c in children]
    assert member_seeds(7, 2) == member_seeds(7, 3)[:2]
    assert len(set(member_seeds(7, 5))) == 5
    with pytest.raises(CorridorError):
        member_seeds(7, 0)


def test_ensemble_folder_layout(ensemble: Path) -> None:
    assert sorted(p.name for p in ensemble.glob("seed-*")) == ["seed-000", "seed-001", "seed-002"]
    meta = json.loads((ensemble / "ensemble.json").read_text())
    assert meta["n"] == 3 and meta["scenario"] == "tiny" and meta["seeds"] == member_seeds(7, 3)
    for i, seed in enumerate(meta["seeds"]):
        assert read_summary(ensemble / f"seed-{i:03d}")["seed"] == seed
    assert is_ensemble(ensemble) and len(ensemble_members(ensemble)) == 3
    assert not list(ensemble.parent.glob(".ens.*"))  # nothing left behind (temp, partial, lock)


def test_members_differ(ensemble: Path) -> None:
    counts = [pd.read_parquet(m / "counts.parquet") for m in ensemble_members(ensemble)]
    assert not counts[0].equals(counts[1])


def test_quantiles_are_ordered_and_pivot_missing_rows_as_zero(ensemble: Path) -> None:
    q = pd.read_parquet(ensemble / "quantiles.parquet")
    assert list(q.columns) == ["day", "date", "place", "status", "q05", "q50", "q95"]
    assert (q["q05"] <= q["q50"]).all() and (q["q50"] <= q["q95"]).all()
    assert (q["q95"] > 0).all()
    assert not q.duplicated(["day", "place", "status"]).any()
    # recompute every row by hand: a row a member lacks is 0 people in that member
    members = [pd.read_parquet(m / "counts.parquet") for m in ensemble_members(ensemble)]
    keyed = [m.set_index(["day", "place", "status"])["n"] for m in members]
    keys = sorted(set().union(*(k.index for k in keyed)))
    assert len(keys) == len(q)
    lookup = q.set_index(["day", "place", "status"])
    missing_somewhere = 0
    for key in keys:
        values = [float(k.get(key, 0.0)) for k in keyed]
        missing_somewhere += any(key not in k.index for k in keyed)
        expect = np.quantile(values, [0.05, 0.5, 0.95])
        assert np.allclose(lookup.loc[key, ["q05", "q50", "q95"]].to_numpy(float), expect), key
    assert missing_somewhere > 0  # the zero-filling was exercised
    first = members[0]
    assert str(q["date"].min().date()) == "2024-01-01" and q["day"].max() == first["day"].max()


def test_summary_holds_medians_for_corridor_info(ensemble: Path) -> None:
    headline = read_summary(ensemble)
    members = [read_summary(m) for m in ensemble_members(ensemble)]
    for key in (
        "scenario",
        "rules",
        "seed",
        "days",
        "start_date",
        "agents",
        "people_spawned",
        "people_per_status_end",
        "people_per_place_end",
        "first_arrival_day",
        "caravans",
        "runtime_s",
    ):
        assert key in headline
    assert headline["seed"] == 7 and headline["caravans"] == {}
    arrived = [m["people_per_status_end"].get("arrived", 0.0) for m in members]
    assert headline["people_per_status_end"]["arrived"] == pytest.approx(np.median(arrived))
    assert headline["ensemble"]["n"] == 3
    numbers = {k for m in members for k, v in m.items() if isinstance(v, int | float)}
    for key in numbers - {"seed", "days", "runtime_s", "agents_per_person"}:
        expect = np.median([float(m.get(key) or 0.0) for m in members])
        assert headline[key] == pytest.approx(expect), key


def test_rerun_gives_identical_files(ensemble: Path, scenario_dir: Path) -> None:
    again = run_ensemble(load_scenario(scenario_dir), scenario_dir.parent / "again", seeds=3)
    _same_outputs(ensemble, again)


def test_workers_do_not_change_the_files(ensemble: Path, scenario_dir: Path) -> None:
    pooled = run_ensemble(scenario_dir, scenario_dir.parent / "pooled", seeds=3, workers=2)
    _same_outputs(ensemble, pooled)


def test_existing_folder_needs_force_and_progress_counts(
    ensemble: Path, scenario_dir: Path
) -> None:
    with pytest.raises(RunError):
        run_ensemble(scenario_dir, ensemble, seeds=2)
    seen: list[tuple[int, int]] = []
    out = scenario_dir.parent / "forced"
    out.mkdir()
    run_ensemble(
        scenario_dir,
        out,
        seeds=2,
        force=True,
        progress=lambda d, n: seen.append((d, n)),
        overrides={"days": 5},
    )
    assert seen[-1] == (2, 2)
    assert read_summary(out)["days"] == 5
    assert len(list(out.glob("seed-*"))) == 2


def test_compare_reads_ensembles(ensemble: Path, scenario_dir: Path) -> None:
    table = compare_runs(ensemble, ensemble)
    assert (table["diff"].fillna(0) == 0).all()
    assert table["a_low"].notna().any()


def test_bad_scenario_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(CorridorError):
        run_ensemble(tmp_path / "nowhere", tmp_path / "out", seeds=2)
    with pytest.raises(CorridorError):
        run_ensemble(write_scenario(tmp_path / "s"), tmp_path / "out", seeds=2, workers=0)
