"""Lever sweeps: spec parsing, applying a lever, and a closure sweep that changes flows."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from corridor.analysis.ensemble import member_seeds
from corridor.analysis.sweep import (
    apply_lever,
    median_table,
    parse_lever_spec,
    resolve_target,
    run_metrics,
    run_sweep,
)
from corridor.errors import CorridorError
from corridor.scenario import load_scenario

from tinyscenario import write_scenario


def test_parse_lever_spec() -> None:
    assert parse_lever_spec("checkpoint.el-ceibo.value=0,200,800,2000") == (
        "checkpoint",
        "el-ceibo",
        "value",
        (0.0, 200.0, 800.0, 2000.0),
    )
    assert parse_lever_spec("closure.b>c=0,1") == ("closure", "b>c", "value", (0.0, 1.0))
    spec = parse_lever_spec(" Checkpoint.El-Ceibo.agents = 0, 2.5e2 ")
    assert (spec.lever, spec.target, spec.attribute, spec.values) == (
        "checkpoint",
        "El-Ceibo",
        "value",
        (0.0, 250.0),
    )


@pytest.mark.parametrize(
    "spec",
    [
        "checkpoint.el-ceibo",  # no values
        "checkpoint=1,2",  # no target
        "teleport.b=1",  # unknown lever
        "checkpoint.b.colour=1",  # unknown attribute
        "checkpoint.b=1,x",  # not a number
        "checkpoint.b=1,,2",  # empty value
        "checkpoint.b=nan",  # not finite
        "checkpoint.b=1,1",  # repeated
        "closure.b>=0,1",  # half a route
        "closure.b>c=0=1",  # two '='
    ],
)
def test_parse_lever_spec_rejects(spec: str) -> None:
    with pytest.raises(CorridorError):
        parse_lever_spec(spec)


POLICIES = """lever,target,from_date,to_date,value,source
checkpoint,b,2024-01-03,2024-01-05,100,test
checkpoint,c,2024-01-03,2024-01-05,50,test
"""


@pytest.fixture
def scenario(tmp_path: Path):  # noqa: ANN201
    return load_scenario(write_scenario(tmp_path / "tiny", days=10, policies=POLICIES))


def test_resolve_target_is_loose_about_case_and_separators(scenario) -> None:  # noqa: ANN001
    assert resolve_target(scenario, "B") == "b"
    assert resolve_target(scenario, "c>B") == "c>b"
    assert resolve_target(scenario, "MEX") == "MEX"
    for bad in ("zz", "a>d"):  # unknown place; no such route
        with pytest.raises(CorridorError):
            resolve_target(scenario, bad)


def test_apply_lever_changes_existing_rows_only_for_that_target(scenario) -> None:  # noqa: ANN001
    changed = apply_lever(scenario, "checkpoint", "B", 900)
    rows = changed.policies.set_index("target")["value"]
    assert rows["b"] == 900 and rows["c"] == 50 and len(changed.policies) == 2
    assert scenario.policies.set_index("target")["value"]["b"] == 100  # original untouched
    assert changed.policies["from_date"].iloc[0] == scenario.policies["from_date"].iloc[0]


def test_apply_lever_adds_a_whole_period_row(scenario) -> None:  # noqa: ANN001
    closed = apply_lever(scenario, "closure", "c>b", 1)
    row = closed.policies.iloc[-1]
    assert (row["lever"], row["target"], row["value"], row["source"]) == (
        "closure",
        "c>b",
        1.0,
        "sweep",
    )
    assert row["from_date"] == scenario.start_date and row["to_date"] == scenario.end_date
    assert closed.policies.dtypes.to_dict() == scenario.policies.dtypes.to_dict()
    assert len(apply_lever(closed, "closure", "b>c", 0).policies) == 3  # either direction


def test_run_metrics() -> None:
    summary = {
        "total_detained": 3,
        "total_flag": True,
        "people_spawned": 9,
        "people_per_status_end": {"arrived": 4.0},
    }
    assert run_metrics(summary) == {"total_detained": 3.0, "people_per_status_end.arrived": 4.0}


def _route_flow(flows: pd.DataFrame, a: str, b: str) -> float:
    pair = flows["from"].astype(str) + ">" + flows["to"].astype(str)
    return float(flows.loc[pair.isin([f"{a}>{b}", f"{b}>{a}"]), "n"].sum())


def test_closure_sweep_changes_flows(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "tiny", days=10)
    out = run_sweep(folder, "closure.B>C=0,1", tmp_path / "sweep", seeds_per_value=2)
    assert sorted(p.name for p in out.glob("value-*")) == ["value-0", "value-1"]
    open_flow = [
        _route_flow(pd.read_parquet(m / "flows.parquet"), "b", "c")
        for m in sorted((out / "value-0").glob("seed-*"))
    ]
    closed_flow = [
        _route_flow(pd.read_parquet(m / "flows.parquet"), "b", "c")
        for m in sorted((out / "value-1").glob("seed-*"))
    ]
    assert len(open_flow) == len(closed_flow) == 2
    assert all(f > 0 for f in open_flow) and all(f == 0 for f in closed_flow)
    # closing b>c sends people round by e: more flow on b>e
    first = {v: pd.read_parquet(out / f"value-{v}" / "seed-000" / "flows.parquet") for v in (0, 1)}
    e_open, e_closed = _route_flow(first[0], "b", "e"), _route_flow(first[1], "b", "e")
    assert e_closed > e_open

    table = pd.read_parquet(out / "sweep.parquet")
    assert list(table.columns) == ["value", "seed", "metric", "number"]
    assert set(table["value"]) == {0.0, 1.0}
    assert set(table["seed"]) == set(member_seeds(7, 2))
    assert "people_per_status_end.arrived" in set(table["metric"])
    assert not table.duplicated(["value", "seed", "metric"]).any()
    assert len(table) == 2 * 2 * table["metric"].nunique()  # every run has every metric
    medians = median_table(table)
    assert list(medians.columns) == [0.0, 1.0]
    svg = ET.fromstring((out / "sweep.svg").read_text("utf-8"))  # well-formed
    panels = svg.findall("{http://www.w3.org/2000/svg}g[@class='axes']")
    assert 1 <= len(panels) <= table["metric"].nunique()
    assert all(p.find(".//{http://www.w3.org/2000/svg}polyline") is not None for p in panels)
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["lever"] == "closure" and meta["target"] == "b>c" and meta["values"] == [0, 1]
    assert meta["folders"] == {"0": "value-0", "1": "value-1"}


def test_sweep_rejects_unknown_metric_and_leaves_nothing(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "tiny", days=10)
    with pytest.raises(CorridorError, match="unknown metric"):
        run_sweep(
            folder,
            "closure.b>c=1",
            tmp_path / "sweep",
            seeds_per_value=1,
            metrics=["total_nonsense"],
        )
    assert not (tmp_path / "sweep").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["tiny"]


def test_failed_member_is_named_with_its_lever_value_and_retried_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import corridor.analysis.members as mb

    real, failed = mb.run_member, []

    def fail_first(scenario, out):  # noqa: ANN001, ANN202
        if not failed:
            failed.append(out.name)
            raise RuntimeError("disk on fire")
        return real(scenario, out)

    monkeypatch.setattr(mb, "run_member", fail_first)
    notes: list[str] = []
    folder = write_scenario(tmp_path / "tiny", days=10)
    out = run_sweep(folder, "closure.b>c=0,1", tmp_path / "sweep", seeds_per_value=2,
                    report=notes.append)
    seed = member_seeds(7, 2)[0]
    assert notes == [f"closure b>c = 0: member seed-000 (seed {seed}, parameters {{}}) failed: "
                     "RuntimeError: disk on fire; retrying it once"]
    assert sorted(p.name for p in (out / "value-0").glob("seed-*")) == ["seed-000", "seed-001"]
