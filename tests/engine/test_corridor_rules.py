"""Behaviour of the corridor rule set on tiny hand-built networks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.engine import compile_network, simulate
from corridor.engine.rules.corridor_rules import STATUSES, route_weights
from corridor.scenario import load_scenario

from tinyscenario import write_scenario

FLOW_ONLY = """place,start_date,end_date,people,per,group,origin_country,source
a,2024-01-01,2024-01-01,1000,total,flow,HND,test
"""
CARAVAN_ONLY = """place,start_date,end_date,people,per,group,origin_country,source
a,2024-01-01,2024-01-01,500,total,caravan:c,HND,test
"""


def test_route_weights_prefer_the_shortest_road(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    net = compile_network(scenario)
    km_to, cum = route_weights(net, np.ones(net.n_edges, bool), net.is_kind("destination"), 3.0)
    b = net.place("b")
    assert km_to[b] == 320.0  # b-c-d = 120 + 200
    lo, hi = net.indptr[b], net.indptr[b + 1]
    weights = np.diff(np.concatenate([[0.0], cum[lo:hi]]))
    by_target = {net.ids[t]: w for t, w in zip(net.target[lo:hi], weights, strict=True)}
    assert by_target["a"] == 0.0  # going back is no progress
    # via e: 100 + 110 + 200 = 410 km -> (320/410)^3 relative to 1 for the direct road
    assert np.isclose(by_target["e"] / by_target["c"], (320 / 410) ** 3)


def test_caravan_walks_together_at_walk_speed(tmp_path: Path) -> None:
    params = "caravan_split_probability_per_day = 0.0\ncaravan_move_probability = 1.0"
    folder = write_scenario(tmp_path / "s", sources=CARAVAN_ONLY, parameters=params, days=6)
    result = simulate(load_scenario(folder))
    heads = result.recorder.groups
    # 25 km a day, walking on through b (at km 60) without losing the rest of the day
    assert [round(h["km_from_origin"]) for h in heads] == [25, 50, 75, 100, 125, 150]
    assert [h["place"] for h in heads] == ["a", "a", "b", "b", "b", "b"]
    assert all(h["members"] == 500 for h in heads)
    counts = result.recorder.counts
    # all 500 are at one place in one status each day: they move as a group
    assert all((counts[d] == 500).sum() == 1 for d in range(6))


def test_caravan_rests_without_quorum(tmp_path: Path) -> None:
    params = "caravan_move_probability = 0.2\ncaravan_quorum = 0.9"
    folder = write_scenario(tmp_path / "s", sources=CARAVAN_ONLY, parameters=params, days=5)
    heads = simulate(load_scenario(folder)).recorder.groups
    assert all(h["km_from_origin"] == 0 for h in heads)


def test_split_members_leave_the_caravan(tmp_path: Path) -> None:
    params = "caravan_split_probability_per_day = 0.2"
    folder = write_scenario(tmp_path / "s", sources=CARAVAN_ONLY, parameters=params, days=5)
    members = [h["members"] for h in simulate(load_scenario(folder)).recorder.groups]
    assert members == sorted(members, reverse=True)
    # nobody splits on the day of departure: 4 split days; binomial mean and 4 sigma
    keep = 0.8**4
    sigma = (500 * keep * (1 - keep)) ** 0.5
    assert abs(members[-1] - 500 * keep) < 4 * sigma


def test_closed_road_diverts_the_flow(tmp_path: Path) -> None:
    policies = ("lever,target,from_date,to_date,value,source\n"
                "closure,b>c,2024-01-01,2024-01-20,1,test\n")
    folder = write_scenario(tmp_path / "s", sources=FLOW_ONLY, policies=policies,
                            parameters="flow_vehicle_share = 1.0")
    result = simulate(load_scenario(folder))
    net = result.network
    flows = result.recorder.flows.sum(axis=0)
    assert flows[net.edge(net.place("b"), net.place("c"))] == 0
    assert flows[net.edge(net.place("b"), net.place("e"))] > 0
    arrived = result.recorder.counts[-1, net.place("d"), STATUSES.index("arrived")]
    assert arrived > 990


def test_full_shelter_pushes_people_on(tmp_path: Path) -> None:
    params = "flow_move_probability = 0.05\nflow_vehicle_share = 0.0"
    open_ = simulate(load_scenario(write_scenario(tmp_path / "o", sources=FLOW_ONLY,
                                                  parameters=params, days=30)))
    full = simulate(load_scenario(write_scenario(tmp_path / "f", sources=FLOW_ONLY,
                                                 parameters=params, days=30, capacity="0")))
    c = open_.network.place("c")
    waiting_open = open_.recorder.counts[:, c, 0].max()
    waiting_full = full.recorder.counts[:, c, 0].max()
    assert waiting_open > 50
    assert waiting_full < waiting_open / 5


def test_same_seed_same_numbers_other_seed_differs(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    a, b = simulate(scenario), simulate(scenario)
    np.testing.assert_array_equal(a.recorder.counts, b.recorder.counts)
    np.testing.assert_array_equal(a.recorder.flows, b.recorder.flows)
    c = simulate(scenario.with_overrides(seed=8))
    assert not np.array_equal(a.recorder.counts, c.recorder.counts)


def test_agents_scale_changes_agents_not_people(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    full = simulate(scenario)
    tenth = simulate(scenario.with_overrides(agents_per_person=0.1))
    assert tenth.agents == full.agents // 10
    assert len(tenth.state.location) == tenth.agents  # only the agents it needs are allocated
    # one agent stands for 10 people: the same 800 people are accounted for every day
    people = full.recorder.counts.sum(axis=(1, 2))
    np.testing.assert_array_equal(tenth.recorder.counts.sum(axis=(1, 2)) * 10, people)
    assert people[-1] == 800  # tinyscenario: 50 a day for 10 days + a caravan of 300
    state = full.state
    per_agent = sum(getattr(state, k).itemsize for k in (
        "location", "next_place", "km_left", "status", "group", "mode", "days_here", "origin",
        "flags", "aim"))
    assert per_agent <= 32


def test_caravan_heads_for_its_own_destination(tmp_path: Path) -> None:
    # e is a detour town, not a destination; a caravan aimed at e goes there and stays
    aimed = CARAVAN_ONLY.replace("origin_country,source", "origin_country,destination,source")
    aimed = aimed.replace("HND,test", "HND,e,test")
    params = "caravan_split_probability_per_day = 0.0\ncaravan_move_probability = 1.0"
    folder = write_scenario(tmp_path / "s", sources=aimed, parameters=params, days=20)
    heads = simulate(load_scenario(folder)).recorder.groups
    assert [h["place"] for h in heads][-1] == "e"
    assert "c" not in {h["place"] for h in heads}


def test_flow_agents_follow_their_destination(tmp_path: Path) -> None:
    # two destinations; the flow aimed at f never arrives at d although d is nearer
    places = (PLACES_TWO_DESTINATIONS)
    routes = ROUTES_TWO_DESTINATIONS
    aimed = ("place,start_date,end_date,people,per,group,origin_country,destination,source\n"
             "a,2024-01-01,2024-01-01,500,total,flow,HND,f,test\n"
             "a,2024-01-01,2024-01-01,500,total,flow,HND,,test\n")
    folder = write_scenario(tmp_path / "s", places=places, routes=routes, sources=aimed,
                            parameters="flow_vehicle_share = 1.0", days=15)
    result = simulate(load_scenario(folder))
    net = result.network
    state = result.state
    aimed_at_f = state.aim == 1
    assert aimed_at_f.sum() == 500
    gave_up = state.status == STATUSES.index("returned")
    assert (state.location[aimed_at_f & ~gave_up] == net.place("f")).all()
    # the others mostly take the short road to d (the long one keeps (200/900)^3 of its weight)
    others = state.location[~aimed_at_f]
    assert (others == net.place("d")).sum() > 450


def test_a_caravan_has_one_destination(tmp_path: Path) -> None:
    from corridor.scenario import check_scenario

    two = ("place,start_date,end_date,people,per,group,origin_country,destination,source\n"
           "a,2024-01-01,2024-01-01,100,total,caravan:c,HND,d,test\n"
           "a,2024-01-02,2024-01-02,100,total,caravan:c,HND,e,test\n")
    _, problems = check_scenario(write_scenario(tmp_path / "s", sources=two))
    assert [str(p) for p in problems] == [
        "sources.csv:3:destination: rows of one caravan name different destinations"]


PLACES_TWO_DESTINATIONS = """id,name,country,lat,lon,kind,capacity,source
a,A,MEX,14.90,-92.26,town,,test
b,B,MEX,15.30,-92.70,town,,test
d,D,USA,32.50,-117.00,destination,,test
f,F,USA,29.00,-100.00,destination,,test
"""
ROUTES_TWO_DESTINATIONS = """from,to,distance_km,mode,source
a,b,60,road,test
b,d,200,road,test
b,f,900,road,test
"""


def test_people_aimed_at_a_closed_crossing_divert_to_an_open_one(tmp_path: Path) -> None:
    aimed = ("place,start_date,end_date,people,per,group,origin_country,destination,source\n"
             "a,2024-01-01,2024-01-01,300,total,flow,HND,f,test\n")
    closed = "lever,target,from_date,to_date,value,source\nclosure,b>f,2024-01-01,2024-01-15,1,t\n"
    folder = write_scenario(tmp_path / "s", places=PLACES_TWO_DESTINATIONS,
                            routes=ROUTES_TWO_DESTINATIONS, sources=aimed, policies=closed,
                            parameters="flow_vehicle_share = 1.0", days=15)
    result = simulate(load_scenario(folder))
    arrived = result.recorder.counts[-1, :, STATUSES.index("arrived")]
    net = result.network
    assert arrived[net.place("f")] == 0 and arrived[net.place("d")] > 290
