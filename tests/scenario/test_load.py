"""Scenario loading: every kind of bad input is reported with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.engine import check_rules
from corridor.errors import ScenarioError
from corridor.scenario import check_scenario, load_scenario

from tinyscenario import PLACES, ROUTES, SOURCES, TOML, write_scenario


def problems_of(folder: Path) -> list[str]:
    scenario, problems = check_scenario(folder)
    if scenario is not None:
        problems = problems + check_rules(scenario)
    return [str(p) for p in problems]


def test_clean_scenario_loads(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    assert scenario.name == "tiny"
    assert len(scenario.places) == 5 and len(scenario.routes) == 5
    assert scenario.end_date.isoformat() == "2024-01-20"
    assert problems_of(tiny) == []


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        ("routes", "a,b,60", "a,zz,60", "routes.csv:2:to: unknown place id 'zz'"),
        ("routes", "a,b,60", "a,b,-60", "routes.csv:2:distance_km: must be > 0, got -60"),
        ("routes", "a,b,60", "a,b,far", "routes.csv:2:distance_km: not a number 'far'"),
        ("sources", "2024-01-10,50", "2024-03-10,50",
         "sources.csv:2:end_date: date 2024-03-10 outside the period 2024-01-01..2024-01-20"),
        ("sources", "2024-01-10,50", "2024-01-1x,50", "sources.csv:2:end_date: not a date"),
        ("places", "b,B,MEX", "a,B,MEX", "places.csv:3:id: duplicated id 'a'"),
        ("places", "b,B,MEX", "b,B,XXX", "places.csv:3:country: unknown country code 'XXX'"),
        ("places", "15.30,-92.70,town", "15.30,-92.70,village",
         "places.csv:3:kind: unknown value 'village'"),
        ("places", "15.30,-92.70", "95.30,-92.70", "places.csv:3:lat: must be <= 90, got 95.3"),
        ("sources", ",flow,", ",crowd,", "sources.csv:2:group: unknown group 'crowd'"),
    ],
)
def test_bad_cells_are_located(tmp_path: Path, table: str, old: str, new: str, expected: str
                               ) -> None:
    text = {"places": PLACES.format(capacity=""), "routes": ROUTES, "sources": SOURCES}[table]
    assert old in text
    folder = write_scenario(tmp_path / "s", **{table: text.replace(old, new, 1)})
    found = problems_of(folder)
    assert any(p.startswith(expected) for p in found), found


def test_missing_column(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "s", routes=ROUTES.replace("distance_km", "km"))
    assert "routes.csv:1:distance_km: missing required column" in problems_of(folder)


def test_unknown_lever_and_policy_target(tmp_path: Path) -> None:
    policies = ("lever,target,from_date,to_date,value,source\n"
                "wall,a,2024-01-01,2024-01-05,1,test\n"
                "closure,a>d,2024-01-01,2024-01-05,1,test\n")
    found = problems_of(write_scenario(tmp_path / "s", policies=policies))
    assert any(p.startswith("policies.csv:2:lever: unknown value 'wall'") for p in found)
    assert "policies.csv:3:target: unknown route 'a>d'" in found


def test_unknown_rules_and_parameter(tmp_path: Path) -> None:
    toml = TOML.format(days=20, scale=1.0, parameters="warp_speed = 3.0").replace(
        'rules = "corridor"', 'rules = "teleport"')
    found = problems_of(write_scenario(tmp_path / "s", toml=toml))
    assert any("unknown rule set 'teleport'" in p for p in found)
    toml = TOML.format(days=20, scale=1.0, parameters="warp_speed = 3.0")
    found = problems_of(write_scenario(tmp_path / "t", toml=toml))
    assert found == ["scenario.toml:parameters.warp_speed: unknown parameter 'warp_speed' "
                     "for rules 'corridor'"]


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    toml = TOML.format(days=5, scale=1.0, parameters="").replace("days = 5", "days = = 5")
    found = problems_of(write_scenario(tmp_path / "s", toml=toml))
    assert len(found) == 1 and "TOML syntax error" in found[0] and "line 5" in found[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "file is empty"), (b"id,name\x00\x01\x02", "file is binary"),
     (b"id,name\n\xff\xfe,x\n", "not valid UTF-8")],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    folder = write_scenario(tmp_path / "s")
    (folder / "routes.csv").write_bytes(content)
    found = problems_of(folder)
    assert any(p.startswith("routes.csv") and message in p for p in found), found


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    routes = ROUTES.replace("a,b,60", "a,zz,-1").replace("c,d,200", "c,d,abc")
    folder = write_scenario(tmp_path / "s", routes=routes, days=0)
    found = problems_of(folder)
    assert len(found) >= 4, found
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    assert len(info.value.problems) == len(found)


def test_missing_folder_and_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert problems_of(missing) == [f"{missing}: scenario folder does not exist"]
    folder = write_scenario(tmp_path / "s")
    (folder / "sources.csv").unlink()
    assert "sources.csv: required file is missing" in problems_of(folder)


def test_large_places_table_validates(tmp_path: Path) -> None:
    rows = ["id,name,country,lat,lon,kind,capacity,source"]
    rows += [f"p{i},P{i},MEX,{15 + i * 1e-5:.5f},-92.5,town,,test" for i in range(100_000)]
    rows += ["d,D,USA,32.5,-117,destination,,test"]
    routes = "from,to,distance_km,mode,source\np0,d,100,road,test\n"
    sources = ("place,start_date,end_date,people,per,group,origin_country,source\n"
               "p0,2024-01-01,2024-01-01,10,total,flow,HND,test\n")
    folder = write_scenario(tmp_path / "s", places="\n".join(rows) + "\n", routes=routes,
                            sources=sources, observations="date,place,kind,low,high,source\n")
    assert problems_of(folder) == []
