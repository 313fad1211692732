"""The shared caravan network, the timeline loader and single-caravan scenarios."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from corridor.caravans.scenario import (
    caravan_policies,
    caravan_scenario,
    load_dataset,
    load_network,
    load_policies,
    run_caravan,
)
from corridor.caravans.timeline import load_timeline
from corridor.errors import CorridorError

REPO = Path(__file__).resolve().parents[2]
NETWORK = REPO / "scenarios" / "caravans"
DATA = REPO / "data" / "caravans"


@pytest.fixture(scope="module")
def network():  # noqa: ANN201
    return load_network(NETWORK)


@pytest.fixture(scope="module")
def dataset(network):  # noqa: ANN001,ANN201
    return load_dataset(DATA, network)


def ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as f:
        return {r["id"] for r in csv.DictReader(f)}


def test_network_is_the_union_of_the_scenarios_and_the_timeline_places(network) -> None:  # noqa: ANN001
    have = set(network.places["id"])
    for name in ("mexico-2018", "guatemala-2021", "mexico-2023"):
        assert ids(REPO / "scenarios" / name / "places.csv") <= have
    assert ids(DATA / "places.csv") <= have
    timeline = load_timeline(DATA / "timeline.csv", have)  # every reported place is on it
    assert len(timeline) > 300


def test_build_script_reproduces_the_shipped_network(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    spec = importlib.util.spec_from_file_location(
        "build_caravans", REPO / "scenarios" / "_build" / "build_caravans.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    for name in ("scenario.toml", "places.csv", "routes.csv", "sources.csv", "policies.csv"):
        assert (tmp_path / name).read_bytes() == (NETWORK / name).read_bytes(), name


def test_every_extra_place_is_reachable(network) -> None:  # noqa: ANN001
    from corridor.engine import compile_network
    from corridor.engine.network import shortest_km

    net = compile_network(network)
    km = shortest_km(net, [net.place("san-pedro-sula")])
    for place in ids(DATA / "places.csv"):
        assert km[net.place(place)] < 6000, place


def test_timeline_errors_name_file_row_and_column(tmp_path: Path) -> None:
    header = "caravan,date,place,place_name,lat,lon,kind,low,high,source,url,published,note\n"
    good = "2023-12,2023-12-24,tapachula,Tapachula,14.9,-92.26,departed,9000,10000,AP,u,,n\n"
    bad = ("2023-13,2023-12-32,Tapachula City,x,95,-92.26,walked,10,5,,u,2023-1-1,n\n"
           "2023-12,2023-12-25,nowhere,x,14.9,-92.26,size,1.5,,AP,u,,n\n")
    path = tmp_path / "timeline.csv"
    path.write_text(header + good + bad, encoding="utf-8")
    with pytest.raises(CorridorError) as err:
        load_timeline(path, {"tapachula"})
    lines = str(err.value).splitlines()
    for expected in ("timeline.csv:3:caravan:", "timeline.csv:3:date:", "timeline.csv:3:place:",
                     "timeline.csv:3:lat:", "timeline.csv:3:kind:", "timeline.csv:3:high:",
                     "timeline.csv:3:source:", "timeline.csv:3:published:",
                     "timeline.csv:4:place: unknown place id 'nowhere'",
                     "timeline.csv:4:low:"):
        assert any(line.startswith(expected) for line in lines), expected
    path.write_text(header + good, encoding="utf-8")
    frame = load_timeline(path)
    assert frame["date"].iloc[0] == dt.date(2023, 12, 24) and frame["low"].iloc[0] == 9000
    path.write_text("caravan,date\n", encoding="utf-8")
    with pytest.raises(CorridorError, match=r"timeline.csv:1: missing column 'place'"):
        load_timeline(path)


def test_missing_timeline_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    with pytest.raises(CorridorError, match="file not found"):
        load_timeline(path)


def test_policy_file_is_checked_against_the_network(tmp_path: Path, network) -> None:  # noqa: ANN001
    header = "caravan,lever,target,from_date,to_date,value,source\n"
    path = tmp_path / "policies.csv"
    path.write_text(header + "2023-12,transfer,mapastepec,2024-01-02,2024-01-01,x,\n",
                    encoding="utf-8")
    with pytest.raises(CorridorError) as err:
        load_policies(path, network)
    text = str(err.value)
    assert "policies.csv:2:value:" in text and "policies.csv:2:to_date:" in text
    assert "policies.csv:2:source:" in text
    path.write_text(header + "2023-12,transfer,atlantis,2024-01-02,2024-01-02,0.5,s\n",
                    encoding="utf-8")
    with pytest.raises(CorridorError, match=r"policies.csv:2:target:.*atlantis"):
        load_policies(path, network)
    path.write_text(header + "2023-12,transfer,mapastepec,2024-01-02,2024-01-02,2,s\n",
                    encoding="utf-8")
    with pytest.raises(CorridorError, match=r"policies.csv:2:value:"):
        load_policies(path, network)


def test_one_caravan_over_its_real_period(network, dataset) -> None:  # noqa: ANN001
    scenario = caravan_scenario(network, "2023-12", dataset)
    assert scenario.start_date == dt.date(2023, 12, 24)
    assert len(scenario.sources) == 1 and scenario.sources["place"].iloc[0] == "tapachula"
    last = max(d for d in dataset.timeline.loc[dataset.timeline["caravan"] == "2023-12", "date"])
    assert scenario.end_date == last
    levers = set(scenario.policies["lever"])
    assert {"caravan_hold", "transfer", "transfer_to"} <= levers
    assert len(caravan_policies(dataset.policies, "2024-07")) == 0
    groups = run_caravan(network, "2023-12", dataset, {"caravan_split_probability_per_day": 0.0})
    offer = groups[groups["date"] == "2024-01-02"].iloc[0]
    # held in Mapastepec from 28 Dec, offered papers and buses on 2 Jan: ~60 % accept
    assert offer["body_place"] == "mapastepec"
    share = offer["members_transferred"] / (offer["members_transferred"] + offer["body_members"])
    assert 0.5 < share < 0.7
    plain = run_caravan(network, "2023-12", dataset, {"caravan_split_probability_per_day": 0.0},
                        with_policies=False)
    assert plain["members_transferred"].max() == 0
    assert plain["body_km"].iloc[-1] > groups["body_km"].iloc[-1]


def test_unknown_caravan_is_one_clear_error(network, dataset) -> None:  # noqa: ANN001
    with pytest.raises(CorridorError, match="no caravan '1999-01'"):
        caravan_scenario(network, "1999-01", dataset)
