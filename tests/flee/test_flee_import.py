"""The Flee import: Flee's four validation folders round-trip; Flee's data readers' quirks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridor.scenario.flee_import import (
    add_tables,
    check_flee_folder,
    import_flee,
    interpolate,
    iso3,
)
from corridor.scenario.load import load_scenario

FLEE = Path(__file__).resolve().parents[2].parent / "shared" / "flee"
PAIRS = [("mali", "mali2012"), ("burundi", "burundi2015"), ("car", "car2013"),
         ("ssudan", "ssudan2014")]


def _need_data() -> None:
    if not (FLEE / "conflict_input").exists():
        pytest.skip(f"../shared/flee not found: {FLEE} (Flee's validation data)")


def _data_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [r for r in csv.reader(f) if r and r[0].strip() and not r[0].startswith("#")]


@pytest.mark.parametrize(("name", "validation"), PAIRS)
def test_import_round_trips(name: str, validation: str, tmp_path: Path) -> None:
    """Places, routes, closures and conflicts survive import -> save -> load unchanged."""
    _need_data()
    folder = FLEE / "conflict_input" / name
    out = tmp_path / name
    scenario = import_flee(folder, FLEE / "conflict_validation" / validation, out,
                           FLEE / "simsetting_fabflee3_validation.yml")
    locations = _data_rows(folder / "locations.csv")
    routes = _data_rows(folder / "routes.csv")
    closures = [r for r in _data_rows(folder / "closures.csv")
                if r[0] != "remove_forced_redirection"]
    assert len(scenario.places) == len(locations)
    assert len(scenario.routes) == len(routes)
    lever = scenario.policies["lever"]
    assert int(lever.isin(["closure", "camp_closed"]).sum()) == len(closures)
    # every location that is ever a conflict zone in conflicts.csv has a conflict policy
    with (folder / "conflicts.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = [h.strip().lstrip("#") for h in rows[0]]
    ids = set(scenario.places["id"])
    ever = {h for i, h in enumerate(header[1:], 1)
            if h in ids and any(float(r[i]) > 0 for r in rows[1:] if len(r) > i)}
    targets = set(scenario.policies.loc[lever == "conflict", "target"])
    assert ever <= targets
    again = load_scenario(out)
    assert again.rules == "flee"
    assert len(again.places) == len(scenario.places)
    assert len(again.routes) == len(scenario.routes)
    assert len(again.policies) == len(scenario.policies)
    assert len(again.observations) == len(scenario.observations)
    assert again.parameters["camp_weight"] == 2.0
    assert again.parameters["conflict_spawn_decay"] == [1.0, 1.0, 1.0, 0.5, 0.1]


def test_mali_details() -> None:
    """Country codes, camp capacities, closures as country pairs, corrected UNHCR counts."""
    _need_data()
    scenario, problems = check_flee_folder(FLEE / "conflict_input" / "mali",
                                           FLEE / "conflict_validation" / "mali2012")
    assert problems == [] and scenario is not None
    places = scenario.places.set_index("id")
    assert places.loc["Mentao", "country"] == "BFA"
    assert places.loc["Kidal", "kind"] == "conflict_zone"
    assert places.loc["Kidal", "population"] == 25617
    closures = scenario.policies[scenario.policies["lever"] == "closure"]
    assert set(closures["target"]) == {"MLI>BFA", "MLI>NER"}
    # the Mali-Burkina closure 0..22 is closed on days 0..21 and reopens on day 22
    row = closures[closures["target"] == "MLI>BFA"].iloc[0]
    assert (row["to_date"] - scenario.start_date).days == 21
    obs = scenario.observations
    assert set(obs.loc[obs["place"] == "", "kind"]) == {"registered"}  # refugees.csv total


def test_missing_validation_is_a_clear_problem(tmp_path: Path) -> None:
    _need_data()
    scenario, problems = check_flee_folder(FLEE / "conflict_input" / "mali")
    assert scenario is None
    assert "validation folder" in str(problems[0])


def test_bad_rows_name_file_row_and_field(tmp_path: Path) -> None:
    """Unknown location types, countries and closure types are problems, never dropped."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "locations.csv").write_text(
        "#name,region,country,lat,lon,location_type,conflict_date,population\n"
        "A,r,Mali,1,1,conflict_zone,0,100\n"
        "B,r,Atlantis,1,2,flood_zone,0,100\n", encoding="utf-8")
    (folder / "routes.csv").write_text("#name1,name2,distance\nA,B,10\n", encoding="utf-8")
    (folder / "closures.csv").write_text("#type,a,b,s,e\nteleport,A,B,0,1\n", encoding="utf-8")
    (folder / "sim_period.csv").write_text("StartDate,2020-01-01\nLength,5\n", encoding="utf-8")
    validation = tmp_path / "val"
    validation.mkdir()
    (validation / "data_layout.csv").write_text("total,refugees.csv\n", encoding="utf-8")
    (validation / "refugees.csv").write_text("Date,n\n2020-01-01,5\n", encoding="utf-8")
    _, problems = check_flee_folder(folder, validation)
    text = [str(p) for p in problems]
    assert any(t.startswith("locations.csv:3:location_type") for t in text)
    assert any(t.startswith("closures.csv:2:closure_type") for t in text)


def test_interpolation_and_table_sum_follow_flee() -> None:
    """DataTable.get_interpolated_data and AddCSVTables, on hand-made rows."""
    table = [(0, 10.0), (10, 30.0)]
    assert interpolate(table, -3) == 10.0
    assert interpolate(table, 5) == 20.0
    assert int(interpolate(table, 3)) == 16  # 16.0
    assert interpolate(table, 99) == 30.0
    # AddCSVTables adds the second table's entry to the first's entries it passes
    assert add_tables([(0, 1.0), (5, 2.0)], [(0, 10.0), (5, 20.0)]) == [(0, 11.0), (5, 22.0)]
    assert add_tables([(0, 1.0), (5, 2.0)], [(3, 10.0)]) == [(0, 1.0), (3, 12.0)]


def test_every_mapped_simsetting_key_is_a_declared_parameter() -> None:
    """A simsetting key that maps to a parameter the flee rules lack would be refused later,
    blaming scenario.toml for a file the user never wrote."""
    from corridor.engine import get_rules
    from corridor.scenario.flee_import import SIMSETTING_KEYS

    declared = get_rules("flee").defaults()
    mapped = [(f"{section}.{key}", spec[0]) for section, keys in SIMSETTING_KEYS.items()
              for key, spec in keys.items() if isinstance(spec, tuple)]
    assert len(mapped) > 20
    assert [m for m in mapped if m[1] not in declared] == []


@pytest.mark.parametrize(("setting", "problem"), [
    ("spawn_rules:\n  conflict_zone_spawning_only: True\n", None),
    ("spawn_rules:\n  conflict_zone_spawning_only: False\n",
     "simsetting.yml:spawn_rules.conflict_zone_spawning_only: only True is supported"),
    ("move_rules:\n  max_move_speed: fast\n",
     "simsetting.yml:move_rules.max_move_speed: unusable value 'fast'"),
    ("optimisations:\n  hasten: 2.5\n", "simsetting.yml:optimisations.hasten: unusable value"),
    ("- a list\n", "simsetting.yml: expected sections"),
])
def test_simsetting_values(tmp_path: Path, setting: str, problem: str | None) -> None:
    from corridor.engine import check_rules

    from tinyscenario import write_flee_input

    folder = write_flee_input(tmp_path / "flee")
    (tmp_path / "simsetting.yml").write_text(setting, encoding="utf-8")
    scenario, problems = check_flee_folder(folder / "input", folder / "validation",
                                           tmp_path / "simsetting.yml")
    text = [str(p) for p in problems]
    if problem is None:
        assert text == [] and scenario is not None and check_rules(scenario) == []
    else:
        assert scenario is None and any(t.startswith(problem) for t in text), text


def test_country_names_everyday_iso_and_flee_spellings() -> None:
    assert iso3("Turkey") == iso3("Türkiye") == "TUR"  # ISO renamed it in 2022
    assert iso3("Syria") == iso3("Syrian Arab Republic") == "SYR"
    assert iso3("Ivory_Coast") == iso3("Cote_d'Ivoire") == "CIV"
    assert iso3("CAR") == "CAF" and iso3("DRC") == "COD"
    assert iso3("Atlantis") is None


def test_every_shipped_flee_country_resolves() -> None:
    _need_data()
    names = {row[2] for folder in sorted((FLEE / "conflict_input").iterdir())
             if (folder / "locations.csv").exists()
             and not folder.name.startswith("test")  # Flee's unit tests: country "ABC"
             for row in _data_rows(folder / "locations.csv") if len(row) > 2}
    assert len(names) > 10
    assert sorted(n for n in names if iso3(n) is None) == []


def test_syria_imports() -> None:
    """Flee's syria input (Turkey, an empty registration_corrections.csv) imports cleanly."""
    _need_data()
    scenario, problems = check_flee_folder(FLEE / "conflict_input" / "syria",
                                           FLEE / "conflict_validation" / "syria2013")
    assert [str(p) for p in problems] == [] and scenario is not None
    assert {"SYR", "TUR", "JOR", "LBN", "IRQ"} <= set(scenario.places["country"])


def test_imported_csvs_are_formula_neutralised(tmp_path: Path) -> None:
    """A Flee location named like a spreadsheet formula stays text in the scenario's CSVs."""
    from corridor.scenario.flee_import import import_flee

    from tinyscenario import write_flee_input

    folder = write_flee_input(tmp_path / "flee")
    locations = folder / "input" / "locations.csv"
    locations.write_text(locations.read_text().replace("\nB,r,", "\nB,=HYPERLINK(1),"))
    out = tmp_path / "scenario"
    out.mkdir()
    import_flee(folder / "input", folder / "validation", out)
    cells = [c for f in out.glob("*.csv") for row in csv.reader(f.open()) for c in row]
    assert "'=HYPERLINK(1)" in " ".join(cells)
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert len(load_scenario(out).places) == 4
