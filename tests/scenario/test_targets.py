"""Policy targets: one grammar parsed once, and each rule set's levers checked at validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.sweep import apply_lever, resolve_target
from corridor.engine import check_rules, simulate
from corridor.engine.levers import target_edges
from corridor.engine.network import compile_network
from corridor.engine.rules.flee_params import LEVERS as FLEE_LEVERS
from corridor.errors import CorridorError, Problem
from corridor.scenario import check_scenario, load_scenario
from corridor.scenario.targets import (
    Country,
    CountryPair,
    Place,
    Route,
    TargetError,
    check_policies,
    parse_policies,
    parse_target,
)

from tinyscenario import write_scenario

IDS = {"a", "b", "c", "d", "MEX"}  # a place whose id looks like a country code
ROUTES = {("a", "b"), ("b", "c")}
COUNTRIES = {"MEX", "USA", "GTM"}
HEADER = "lever,target,from_date,to_date,value,source\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", Place("a")),
        (" b ", Place("b")),
        ("a>b", Route("a", "b")),
        ("b>a", Route("a", "b")),  # routes are undirected
        ("USA", Country("USA")),
        ("MEX", Place("MEX")),  # a place id wins over a country code
        ("USA>GTM", CountryPair("GTM", "USA")),
    ],
)
def test_parse_target_kinds(text: str, expected: object) -> None:
    target = parse_target(text, IDS, ROUTES, COUNTRIES)
    assert target == expected and type(target) is type(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty target"),
        ("zz", "unknown place id or country code 'zz'"),
        ("usa", "unknown place id or country code 'usa'"),  # codes are upper case
        ("a>c", "unknown route 'a>c'"),  # both places exist, no route links them
        ("a>zz", "unknown route 'a>zz' (unknown place id 'zz')"),
        ("a>b>c", "bad target 'a>b>c'"),
        (">a", "bad target '>a'"),
        ("a>", "bad target 'a>'"),
        ("a>USA", "mixes a place and a country"),
        ("USA>USA", "names one country twice"),
    ],
)
def test_parse_target_errors(text: str, message: str) -> None:
    with pytest.raises(TargetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_target(text, IDS, ROUTES, COUNTRIES)


def test_routes_and_pairs_compare_in_either_direction() -> None:
    assert Route("a", "b") == Route("b", "a") and hash(Route("a", "b")) == hash(Route("b", "a"))
    assert CountryPair("MEX", "USA") == CountryPair("USA", "MEX")
    assert Route("a", "b") != Place("a") and str(Route("b", "a")) == "b>a"


def problems_of(folder: Path) -> list[str]:
    scenario, problems = check_scenario(folder)
    if scenario is not None:
        problems = problems + check_rules(scenario)
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("conflict,b,2024-01-01,2024-01-05,1",
         "policies.csv:2:lever: lever 'conflict' is not implemented by the 'corridor' rules"),
        ("checkpoint,a>b,2024-01-01,2024-01-05,100",
         "policies.csv:2:target: checkpoint acts on a place, not a route ('a>b')"),
        ("permits,MEX,2024-01-01,2024-01-05,100",
         "policies.csv:2:target: permits acts on a place, not a country ('MEX')"),
        ("patrol,MEX>USA,2024-01-01,2024-01-05,100",
         "policies.csv:2:target: patrol acts on a place, route or country, not a country pair"),
        ("port_closed,c,2024-01-01,2024-01-05,1",
         "policies.csv:2:target: port_closed needs a port_of_entry place; 'c' is a shelter"),
        ("patrol,b,2024-01-01,2024-01-05,-5",
         "policies.csv:2:value: patrol value must be >= 0, got -5"),
        ("closure,a>b,2024-01-01,2024-01-05,2",
         "policies.csv:2:value: closure takes 0 (off) or 1 (on), got 2"),
        ("closure,GTM,2024-01-01,2024-01-05,1",
         "policies.csv:2:target: unknown place id or country code 'GTM'"),  # no place there
        ("closure,a>zz,2024-01-01,2024-01-05,1",
         "policies.csv:2:target: unknown route 'a>zz' (unknown place id 'zz')"),
    ],
)
def test_validation_reports_what_the_rules_cannot_do(tmp_path: Path, row: str,
                                                     expected: str) -> None:
    found = problems_of(write_scenario(tmp_path / "s", policies=HEADER + row + ",test\n"))
    assert any(p.startswith(expected) for p in found), found


def test_every_accepted_target_kind_runs(tmp_path: Path) -> None:
    """closure of a country pair, a country, a place and a route all run (none crashes or is
    ignored): each cuts the only road into the destination, so nobody arrives."""
    arrived = {}
    for target in ("", "MEX>USA", "MEX", "d", "c>d"):
        policies = HEADER + (f"closure,{target},2024-01-01,2024-01-20,1,test\n" if target else "")
        folder = write_scenario(tmp_path / (target.replace(">", "-") or "open"), days=20,
                                policies=policies)
        assert problems_of(folder) == []
        counts = simulate(load_scenario(folder)).recorder.counts
        arrived[target] = int(counts[-1, 3, 2])  # place d, status arrived
    assert arrived[""] > 0
    assert all(arrived[t] == 0 for t in ("MEX>USA", "MEX", "d", "c>d")), arrived


def test_target_edges_of_each_kind(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    net = compile_network(scenario)

    def pairs(target: object) -> set[tuple[str, str]]:
        return {(net.ids[net.source[e]], net.ids[net.target[e]])
                for e in target_edges(net, target)}  # type: ignore[arg-type]

    assert pairs(Route("c", "b")) == {("b", "c"), ("c", "b")}
    assert pairs(Place("e")) == {("b", "e"), ("e", "b"), ("e", "c"), ("c", "e")}
    assert pairs(CountryPair("USA", "MEX")) == {("c", "d"), ("d", "c")}
    assert pairs(Country("USA")) == pairs(CountryPair("MEX", "USA"))


def test_rows_in_force_are_computed_from_inclusive_periods() -> None:
    places = pd.DataFrame({"id": ["a", "b"], "country": ["MEX", "MEX"]})
    routes = pd.DataFrame({"from": ["a"], "to": ["b"]})
    day = dt.date(2024, 1, 1)
    policies = pd.DataFrame({
        "lever": ["patrol", "closure", "patrol"], "target": ["a", "a>b", "nowhere"],
        "from_date": [day, day + dt.timedelta(2), day], "to_date": [day + dt.timedelta(1)] * 3,
        "value": [1.0, 1.0, 1.0], "_row": [2, 3, 4],
    })
    problems: list[Problem] = []
    table = parse_policies(places, routes, policies, problems)
    assert [str(p) for p in problems] == [
        "policies.csv:4:target: unknown place id or country code 'nowhere'"]
    assert [p.row for p in table] == [2, 3]
    schedule = table.schedule(day, 4)
    np.testing.assert_array_equal(schedule, [[True, False], [True, False], [False, False],
                                             [False, False]])  # row 3 ends before it starts
    assert table.in_force(day + dt.timedelta(1)) == (table.rows[0],)


def test_flee_camp_closure_needs_a_camp() -> None:
    places = pd.DataFrame({"id": ["t", "k"], "country": ["MLI", "MLI"]})
    day = dt.date(2024, 1, 1)
    policies = pd.DataFrame({"lever": ["camp_closed", "camp_closed", "patrol"],
                             "target": ["t", "k", "t"], "from_date": [day] * 3,
                             "to_date": [day] * 3, "value": [1.0, 1.0, 5.0]})
    table = parse_policies(places, pd.DataFrame({"from": [], "to": []}), policies, [])
    found = [str(p) for p in check_policies(table, FLEE_LEVERS, "flee",
                                             {"t": "town", "k": "camp"})]
    assert found[0].startswith("policies.csv:2:target: camp_closed needs a camp or idpcamp")
    assert found[1].startswith("policies.csv:4:lever: lever 'patrol' is not implemented by "
                               "the 'flee' rules")
    assert len(found) == 2


def test_sweep_targets_use_the_same_grammar(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    assert resolve_target(scenario, "MEX>USA") == "MEX>USA"
    assert resolve_target(scenario, "C>b") == "c>b"
    with pytest.raises(CorridorError, match="unknown route 'a>c'"):
        resolve_target(scenario, "a>c")
    changed = apply_lever(scenario, "closure", "USA>MEX", 1)
    again = apply_lever(changed, "closure", "MEX>USA", 0)  # the same pair, either direction
    assert len(again.policies) == 1 and again.policies["value"].iloc[0] == 0
    assert check_rules(apply_lever(scenario, "patrol", "b", -1))[0].column == "value"
