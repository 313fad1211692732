"""Caravan mechanisms of issue 10 on tiny networks: halts, holds, offers, rides, vanguard and
stragglers, turn-backs, dissolution, regrouping; and the body/head/state columns they report."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.engine import simulate
from corridor.engine.rules.corridor_params import MEMBER_STATES
from corridor.runs.write import GROUP_COLUMNS, groups_table
from corridor.scenario import load_scenario

from tinyscenario import write_scenario

CARAVAN = """place,start_date,end_date,people,per,group,origin_country,source
a,2024-01-01,2024-01-01,500,total,caravan:c,HND,test
"""
LINE = """from,to,distance_km,mode,source
a,b,60,road,test
b,c,120,road,test
c,d,200,road,test
"""  # a straight line of 380 km: no route choice
STEADY = "caravan_split_probability_per_day = 0.0\ncaravan_move_probability = 1.0\n"
POLICY = "lever,target,from_date,to_date,value,source\n"


def run(tmp_path: Path, parameters: str = STEADY, policies: str = "", days: int = 20,
        routes: str = LINE) -> tuple[list[dict], object]:
    folder = write_scenario(tmp_path / "s", sources=CARAVAN, parameters=parameters, days=days,
                            routes=routes, policies=POLICY + policies)
    result = simulate(load_scenario(folder))
    return result.recorder.groups, result


def states(row: dict) -> int:
    return sum(row[f"members_{s}"] for s in MEMBER_STATES)


def test_groups_table_has_head_body_and_states(tmp_path: Path) -> None:
    rows, result = run(tmp_path, days=5)
    table = groups_table(result)
    assert list(table.columns) == list(GROUP_COLUMNS)
    # one body: the head is the body, and the old columns are the head's
    assert (table["body_lat"] == table["lat"]).all() and (table["head_km"] ==
                                                          table["km_from_origin"]).all()
    assert table["body_next"].iloc[0] == "b"  # day 0: 25 km along the 60 km leg a-b
    frac = 25 / 60
    net = result.network
    a, b = net.place("a"), net.place("b")
    assert np.isclose(table["body_lat"].iloc[0], net.lat[a] + frac * (net.lat[b] - net.lat[a]))
    assert (table["members_walking"] == 500).all() and (table["body_members"] == 500).all()
    assert all(states(r) == 500 for r in rows)  # every member is in exactly one state


def test_zero_halt_probability_reproduces_the_plain_walk(tmp_path: Path) -> None:
    plain, _ = run(tmp_path / "plain")
    zero, _ = run(tmp_path / "zero", STEADY + "caravan_halt_probability_per_day = 0.0\n"
                  "caravan_halt_probability_per_day_walked = 0.0\n"
                  "caravan_halt_probability_per_1000_members = 0.0\n")
    assert [r["km_from_origin"] for r in zero] == [r["km_from_origin"] for r in plain]
    assert [round(r["km_from_origin"]) for r in plain[:5]] == [25, 50, 75, 100, 125]


def test_certain_halt_keeps_the_caravan_in_place(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, STEADY + "caravan_halt_probability_per_day = 1.0\n", days=5)
    # it sets out on its departure day (day 0), then camps where it is for good
    assert [r["km_from_origin"] for r in rows] == [25.0] * 5
    assert rows[0]["members_walking"] == 500 and rows[-1]["members_halted"] == 500


def test_fatigue_makes_rest_days(tmp_path: Path) -> None:
    # halt chance 0.2 per day walked reaches 1 after 5 days: at least 3 rest days in 20
    far = LINE.replace("c,d,200", "c,d,2000")
    rows, _ = run(tmp_path, STEADY + "caravan_halt_probability_per_day_walked = 0.2\n", days=20,
                  routes=far)
    km = [r["km_from_origin"] for r in rows]
    assert km[-1] <= 25.0 * (20 - 3)
    assert sum(r["members_halted"] > 0 for r in rows) >= 3


def test_hold_keeps_the_caravan_until_the_lever_ends(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, policies="caravan_hold,b,2024-01-01,2024-01-06,1,test\n", days=10)
    at_b = [r["day"] for r in rows if r["place"] == "b" and r["km_from_origin"] == 60]
    # arrives on day 2 (km 50 -> 60: it stops at a holding place), held through day 5
    assert at_b == [2, 3, 4, 5]
    assert rows[6]["km_from_origin"] == 85 and rows[3]["members_halted"] == 500


def test_full_acceptance_of_an_offer_dissolves_the_caravan_that_day(tmp_path: Path) -> None:
    rows, result = run(tmp_path, STEADY + "transfer_settle_share = 1.0\n",
                       policies="transfer,b,2024-01-01,2024-01-31,1,test\n"
                       "transfer_to,a,2024-01-01,2024-01-31,1,test\n", days=6)
    day = next(r for r in rows if r["place"] == "b")["day"]
    assert day == 2
    offer_day = rows[day]
    assert offer_day["members_transferred"] == 500 and offer_day["body_members"] == 0
    assert offer_day["members_walking"] == offer_day["members_halted"] == 0
    assert all(r["members"] == 0 for r in rows[day + 1:])
    settled = result.recorder.counts[day, result.network.place("a"), 7]
    assert settled == 500  # taken to a and settled there (transfer_settle_share = 1)


def test_partial_offer_then_dissolution_below_share(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, STEADY + "caravan_dissolve_below_share = 0.5\n",
                  policies="transfer,b,2024-01-03,2024-01-03,0.7,test\n", days=6)
    offer = rows[2]
    assert 250 < offer["members_transferred"] < 450  # ~70 % accept
    after = rows[3]  # the rest (<50 % of the peak) break up the next day
    assert after["members_dispersed"] == 500 - offer["members_transferred"]
    assert after["body_members"] == 0


def test_rides_change_the_arrival_day_as_computed_by_hand(tmp_path: Path) -> None:
    walk, _ = run(tmp_path / "walk", days=20)
    ride, _ = run(tmp_path / "ride", STEADY + "caravan_ride_probability_per_day = 1.0\n"
                  "caravan_ride_speed_km_per_day = 100.0\n", days=20)

    def arrival(rows: list[dict]) -> int:
        return next(r["day"] for r in rows if r["members_arrived"] == 500)

    assert arrival(walk) == int(np.ceil(380 / 25)) - 1  # day 15: 16 days of 25 km
    assert arrival(ride) == int(np.ceil(380 / 100)) - 1  # day 3: 4 days of 100 km
    assert ride[0]["members_riding"] == 500


def test_rides_lever_by_region_and_time(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, STEADY + "caravan_ride_speed_km_per_day = 100.0\n",
                  policies="rides,c,2024-01-01,2024-01-31,1,test\n", days=20)
    # walks a-b-c (180 km: 8 days, reaching c on day 7 with 20 km of budget left... it stops
    # at no lever-free place, so it walks 5 km on towards d), then rides from c
    km = [r["km_from_origin"] for r in rows]
    assert km[6] == 175
    assert km[8] - km[7] == 100  # riding from the c-d leg's start place
    assert next(r["day"] for r in rows if r["members_arrived"] == 500) < 15


def test_rides_lever_on_a_country_covers_all_its_places(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, STEADY + "caravan_ride_speed_km_per_day = 100.0\n",
                  policies="rides,MEX,2024-01-01,2024-01-31,1,test\n", days=8)
    assert next(r["day"] for r in rows if r["members_arrived"] == 500) == 3  # as by hand
    assert all(r["members_riding"] == 500 for r in rows[:3])


def test_regional_ride_probabilities_apply_in_their_region_only(tmp_path: Path) -> None:
    """Beyond the Isthmus (lon < -95.1) only d qualifies, and nobody leaves from d; a and b are
    in Mexico east of it: a regional rate of 1 changes nothing there. In Central America (a
    and b made GTM) the same rate makes the caravan ride from a and b, as computed by hand."""
    base = STEADY + "caravan_ride_speed_km_per_day = 100.0\n"
    plain, _ = run(tmp_path / "plain", base, days=20)
    beyond, _ = run(tmp_path / "beyond",
                    base + "caravan_ride_probability_beyond_isthmus_per_day = 1.0\n", days=20)
    assert [r["km_from_origin"] for r in beyond] == [r["km_from_origin"] for r in plain]
    from tinyscenario import PLACES

    places = PLACES.format(capacity="").replace("a,A,MEX", "a,A,GTM").replace("b,B,MEX",
                                                                              "b,B,GTM")
    folder = write_scenario(tmp_path / "ca", sources=CARAVAN, days=20, routes=LINE,
                            places=places, policies=POLICY,
                            parameters=base + "caravan_ride_probability_central_america"
                            "_per_day = 1.0\n")
    rows = simulate(load_scenario(folder)).recorder.groups
    km = [r["km_from_origin"] for r in rows]
    # day 0 from a: 100 km (past b, on the b-c leg at 40 km); day 1 on the road between b and
    # c: the group's place is still b (its last place), so it rides again: 200 km; then it
    # walks from c (Mexico) 25 km a day
    assert km[:4] == [100, 200, 225, 250]


def test_vanguard_and_stragglers_spread_the_caravan(tmp_path: Path) -> None:
    rows, result = run(tmp_path, STEADY + "caravan_vanguard_share = 0.2\n"
                       "caravan_straggler_share = 0.2\ncaravan_regroup_gap_km = 1000.0\n",
                       days=6)
    last = groups_table(result).iloc[-1]
    assert last["head_km"] > last["body_km"]
    assert np.isclose(last["body_km"], 6 * 25.0)
    assert 250 < last["body_members"] < 350  # ~60 % in the main body
    assert states(rows[-1]) == 500


def test_vanguard_waits_when_too_far_ahead(tmp_path: Path) -> None:
    rows, result = run(tmp_path, STEADY + "caravan_vanguard_share = 0.3\n"
                       "caravan_vanguard_speed_factor = 2.0\ncaravan_regroup_gap_km = 30.0\n",
                       days=10)
    gaps = groups_table(result).eval("head_km - body_km")
    assert gaps.max() <= 30 + 2 * 25.0  # it can overshoot by at most one day's walk


def test_vanguard_and_stragglers_merge_back_where_the_body_halts(tmp_path: Path) -> None:
    params = (STEADY + "caravan_vanguard_share = 0.2\ncaravan_straggler_share = 0.2\n"
              "caravan_regroup_gap_km = 1000.0\ncaravan_rejoin_probability_per_day = 1.0\n")
    rows, result = run(tmp_path, params, policies="caravan_hold,c,2024-01-01,2024-01-31,1,test\n",
                       days=20)
    table = groups_table(result)
    assert table["body_members"].iloc[3] < 400  # spread out on the road
    last = table.iloc[-1]
    # all three groups reached the held place c (km 180) and are one body again
    assert last["body_members"] == 500 and last["body_place"] == "c"
    assert last["head_km"] == last["body_km"] == 180
    assert all(states(r) == 500 for r in rows)


def test_turnback_sends_members_home(tmp_path: Path) -> None:
    rows, result = run(tmp_path, policies="turnback,b,2024-01-01,2024-01-31,1,test\n", days=5)
    assert rows[2]["members_returned"] == 500
    net = result.network
    assert result.recorder.counts[2, net.place("a"), 5] == 500  # status returned, at origin
    assert result.recorder.extra["turned_back"][2, net.place("b")] == 500


def test_partial_turnback_per_day(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, policies="turnback,b,2024-01-01,2024-01-31,0.3,test\n"
                  "caravan_hold,b,2024-01-01,2024-01-31,1,test\n", days=6)
    returned = [r["members_returned"] for r in rows[2:]]
    assert returned == sorted(returned) and 100 < returned[0] < 200  # ~30 % of 500 a day


def test_dispersed_members_rejoin_a_halted_caravan(tmp_path: Path) -> None:
    params = ("caravan_split_probability_per_day = 0.1\ncaravan_move_probability = 1.0\n"
              "caravan_rejoin_probability_per_day = 1.0\nflow_vehicle_share = 0.0\n")
    rows, result = run(tmp_path, params, days=12,
                       policies="caravan_hold,b,2024-01-01,2024-01-12,1,test\n")
    assert result.recorder.extra["rejoined"].sum() > 0
    # the same world without rejoining (same draws): the caravan keeps fewer members
    alone, _ = run(tmp_path / "alone", params.replace("rejoin_probability_per_day = 1.0",
                                                      "rejoin_probability_per_day = 0.0"),
                   days=12, policies="caravan_hold,b,2024-01-01,2024-01-12,1,test\n")
    assert rows[-1]["members"] > alone[-1]["members"] + 20


def test_a_dissolved_caravan_reforms_where_its_people_wait(tmp_path: Path) -> None:
    params = (STEADY + "caravan_dissolve_below_share = 0.95\nflow_move_probability = 0.0\n"
              "caravan_reform_probability_per_day = 1.0\ncaravan_reform_min_people = 100.0\n"
              "caravan_rejoin_probability_per_day = 1.0\ntransfer_settle_share = 1.0\n")
    # an offer at b on day 2 takes ~10 %; the rest break up there on day 3 and wait (the
    # dispersed do not move on: flow_move_probability = 0); it re-forms at b and walks on
    rows, _ = run(tmp_path, params, days=12,
                  policies="transfer,b,2024-01-03,2024-01-03,0.1,test\n")
    members = [r["members"] for r in rows]
    gone = members.index(0)
    assert any(m > 100 for m in members[gone:])  # it came back
    assert max(r["body_km"] for r in rows[gone:]) > 60  # and walked on from b
    assert all(states(r) == 500 for r in rows)


def test_new_levers_validate(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "s", sources=CARAVAN, routes=LINE, policies=POLICY
                            + "transfer,b,2024-01-01,2024-01-02,0.5,test\n"
                            "turnback,b,2024-01-01,2024-01-02,0.5,test\n"
                            "rides,MEX,2024-01-01,2024-01-02,0.5,test\n"
                            "caravan_hold,c,2024-01-01,2024-01-02,1,test\n")
    from corridor.engine.core import check_rules
    from corridor.scenario.load import check_scenario

    scenario, problems = check_scenario(folder)
    assert problems == [] and len(scenario.policies) == 4 and check_rules(scenario) == []
    bad = folder / "policies.csv"
    bad.write_text(POLICY + "transfer,b,2024-01-01,2024-01-02,1.5,test\n")
    assert any("transfer" in str(p) for p in check_rules(load_scenario(folder)))


JOIN = "caravan_join_share_per_day = 0.2\ncaravan_join_decay_days = 3.0\n"


def test_joiners_grow_the_caravan_by_the_rate(tmp_path: Path) -> None:
    """500 people, 20 % of them join the day after departure, decaying over 3 days: day k
    has 500 * 0.2 * sum_{j<k} exp(-j/3) more members (cumulative rounding: exact)."""
    far = LINE.replace("c,d,200", "c,d,2000")
    rows, result = run(tmp_path, STEADY + JOIN, days=15, routes=far)
    members = np.array([r["members"] for r in rows])
    grown = 500 * 0.2 * np.cumsum(np.exp(-np.arange(14) / 3.0))
    assert members[0] == 500
    assert np.array_equal(members[1:], 500 + np.rint(grown).astype(int))
    # closed form of the geometric sum: the caravan ends ~1.7x its departure size
    limit = 500 * (1 + 0.2 / (1 - np.exp(-1 / 3.0)))
    assert abs(members[-1] - limit) / limit < 0.01
    # they walk with it (the body keeps everyone), every member counted once
    assert all(r["body_members"] == r["members"] == states(r) for r in rows)
    assert [round(r["km_from_origin"]) for r in rows[:5]] == [25, 50, 75, 100, 125]
    assert result.state.n_agents == members[-1]


def test_zero_join_share_is_the_run_of_before(tmp_path: Path) -> None:
    plain, before = run(tmp_path / "plain")
    zero, after = run(tmp_path / "zero", STEADY + "caravan_join_share_per_day = 0.0\n"
                      "caravan_join_decay_days = 9.0\n")
    assert zero == plain
    assert np.array_equal(before.recorder.counts, after.recorder.counts)
    assert np.array_equal(before.state.spawn.key, after.state.spawn.key)


def test_joiners_change_nobody_elses_draws(tmp_path: Path) -> None:
    """A flow beside the caravan: with joining, every flow agent (same key) ends where it
    ended without it, and the first 500 members keep their keys."""
    flow = CARAVAN + "a,2024-01-01,2024-01-08,40,day,flow,GTM,test\n"
    states_of = {}
    for name, params in (("plain", STEADY), ("join", STEADY + JOIN)):
        folder = write_scenario(tmp_path / name, sources=flow, parameters=params, days=12,
                                routes=LINE, policies=POLICY)
        s = simulate(load_scenario(folder)).state
        keys = s.spawn.key
        flow_agents = s.spawn.group < 0
        states_of[name] = (dict(zip(keys[flow_agents], zip(s.location[flow_agents],
                                                             s.status[flow_agents],
                                                             s.km_left[flow_agents],
                                                             strict=True), strict=True)),
                           set(keys[s.spawn.group == 0]), s.n_agents)
    plain, join = states_of["plain"], states_of["join"]
    assert plain[0] == join[0] and len(plain[0]) == 320
    assert plain[1] < join[1] and join[2] > plain[2]


def test_joiners_of_a_gone_caravan_wait_where_it_broke_up(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, STEADY + JOIN + "transfer_settle_share = 1.0\n"
                  "flow_move_probability = 0.0\n",
                  policies="transfer,b,2024-01-01,2024-01-31,1,test\n"
                  "transfer_to,a,2024-01-01,2024-01-31,1,test\n", days=6)
    # everyone at b accepts the offer on day 2 (joiners of days 1-2 included); the later
    # joiners find no caravan and wait at b as its dispersed members
    assert rows[2]["members"] > 500 and rows[2]["body_members"] == 0
    assert all(r["members"] == 0 for r in rows[3:])
    assert rows[3]["members_dispersed"] > 0
    assert rows[5]["members_dispersed"] > rows[3]["members_dispersed"]


def test_the_memory_estimate_counts_the_joiners(tmp_path: Path) -> None:
    from corridor.engine.rules.corridor_rules import estimate_agents

    scenario = load_scenario(write_scenario(tmp_path / "s", sources=CARAVAN, days=15))
    plain = estimate_agents(scenario, {})
    joined = estimate_agents(scenario, {"caravan_join_share_per_day": 0.2,
                                        "caravan_join_decay_days": 3.0})
    assert plain == 500
    assert np.isclose(joined, 500 + 500 * 0.2 * np.exp(-np.arange(15) / 3.0).sum())


HALT_SPLIT = STEADY + "caravan_split_probability_per_halted_day = 0.3\n"


def test_members_stay_while_the_caravan_walks_and_leave_while_it_is_held(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, HALT_SPLIT,
                  policies="caravan_hold,b,2024-01-01,2024-01-06,1,test\n", days=12)
    members = [r["members"] for r in rows]
    # walking days 0-2 (it reaches b on day 2): nobody leaves
    assert members[:4] == [500] * 4  # day 3 follows a walking day
    # held on days 3-5 at b: each of days 4-6 follows a day without moving, ~30 % leave
    for day in (4, 5, 6):
        assert 0.55 * members[day - 1] < members[day] < 0.85 * members[day - 1]
    # it walks on from day 6: from day 7 (after a walking day) nobody leaves again
    assert members[7:] == [members[7]] * len(members[7:])
    gone = rows[7]["members_dispersed"] + rows[7]["members_arrived"] + rows[7]["members_returned"]
    assert gone == 500 - members[7]  # those who left travel on their own (some by bus, arrived)
    assert rows[7]["members_dispersed"] > 0


def test_a_halted_split_rate_of_zero_is_the_single_rate_of_before(tmp_path: Path) -> None:
    single = STEADY.replace("= 0.0", "= 0.05", 1)
    before, _ = run(tmp_path / "before", single,
                    policies="caravan_hold,b,2024-01-01,2024-01-06,1,test\n", days=10)
    zero, _ = run(tmp_path / "zero", single + "caravan_split_probability_per_halted_day = 0\n",
                  policies="caravan_hold,b,2024-01-01,2024-01-06,1,test\n", days=10)
    assert [r["members"] for r in zero] == [r["members"] for r in before]
    assert before[-1]["members"] < 500  # the single rate acts on walking days too


def test_waiting_at_the_destination_is_not_a_halt(tmp_path: Path) -> None:
    rows, _ = run(tmp_path, HALT_SPLIT, days=25)  # 380 km at 25 km/day: there by day 15
    last = rows[-1]
    assert last["members_arrived"] == 500 and last["members_dispersed"] == 0
