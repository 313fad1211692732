"""Each policy mechanism on a tiny network, with outcomes that can fail."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.engine import simulate
from corridor.engine.rules.corridor_rules import STATUSES
from corridor.scenario import load_scenario

from tinyscenario import write_scenario

# a line a - b - c(port) - d(destination), plus a detention centre beside b
PLACES = """id,name,country,lat,lon,kind,capacity,source
a,A,MEX,14.90,-92.26,town,,test
b,B,MEX,15.30,-92.70,checkpoint,,test
c,C,MEX,31.0,-110.0,port_of_entry,,test
d,D,USA,31.4,-110.9,destination,,test
x,X,MEX,15.00,-92.50,detention,{detention},test
e,E,MEX,30.5,-106.0,port_of_entry,,test
f,F,USA,31.7,-106.4,destination,,test
"""
ROUTES = """from,to,distance_km,mode,source
a,b,60,road,test
b,c,100,road,test
c,d,5,road,test
b,x,10,road,test
c,e,300,road,test
e,f,5,road,test
"""
FLOW = """place,start_date,end_date,people,per,group,origin_country,source
a,2024-01-01,2024-01-01,2000,total,flow,HND,test
"""
CARAVAN = """place,start_date,end_date,people,per,group,origin_country,source
a,2024-01-01,2024-01-01,1000,total,caravan:c,HND,test
"""
HEADER = "lever,target,from_date,to_date,value,source\n"


def run(tmp_path: Path, policies: str = "", *, sources: str = FLOW, detention: str = "",
        parameters: str = "", days: int = 20):  # noqa: ANN201
    folder = write_scenario(tmp_path / "s", places=PLACES.format(detention=detention),
                            routes=ROUTES, sources=sources, policies=HEADER + policies,
                            parameters=parameters, days=days,
                            observations="date,place,kind,low,high,source\n")
    return simulate(load_scenario(folder))


def status_total(result, status: str, day: int = -1) -> float:  # noqa: ANN001
    return float(result.recorder.counts[day, :, STATUSES.index(status)].sum())


def test_checkpoint_detains_within_capacity_and_detention_limit(tmp_path: Path) -> None:
    none = run(tmp_path / "0")
    assert none.recorder.extra["detained"].sum() == 0
    strong = run(tmp_path / "1", "checkpoint,b,2024-01-01,2024-01-20,2000,test\n",
                 detention="150", parameters="detention_mean_days = 1000.0")
    stopped_per_day = strong.recorder.extra["stopped"][:, 1]
    detained_per_day = strong.recorder.extra["detained"][:, 1]
    assert 150 <= detained_per_day.sum() <= 160  # admitted: the capacity, refilled as few leave
    assert stopped_per_day.sum() > 1000
    # a daily capacity of 2000 agents x 0.5 detentions each
    assert stopped_per_day.max() <= 1000
    held = strong.recorder.counts[:, 4, STATUSES.index("detained")]
    assert held.max() == 150  # fills, never exceeds, the centre's capacity
    assert strong.recorder.extra["released"].sum() > 0  # the overflow is released


def test_detention_leads_to_deportation_within_daily_capacity(tmp_path: Path) -> None:
    result = run(tmp_path, "checkpoint,b,2024-01-01,2024-01-20,2000,test\n",
                 parameters="detention_mean_days = 1.0\ndeport_share = 1.0\n"
                            "deportation_capacity_per_day = 7.0")
    deported = result.recorder.extra["deported"].sum(axis=1)
    assert deported.sum() > 0 and deported.max() <= 7
    assert status_total(result, "deported") == deported.sum()


def test_permits_disperse_a_caravan_at_the_configured_rate(tmp_path: Path) -> None:
    params = "caravan_move_probability = 0.0\ncaravan_split_probability_per_day = 0.0"
    result = run(tmp_path, "permits,a,2024-01-03,2024-01-20,200,test\n", sources=CARAVAN,
                 parameters=params)
    members = [h["members"] for h in result.recorder.groups]
    # day 0 and 1 untouched, then 200 permits a day dissolve 1,000 members in 5 days
    assert members[:3] == [1000, 1000, 1000]
    assert members[3] == 800 and members[7] == 0
    assert result.recorder.extra["permits_issued"].sum() == 1000


def test_closed_port_lets_nobody_through_and_people_divert(tmp_path: Path) -> None:
    result = run(tmp_path, "port_closed,c,2024-01-01,2024-01-20,1,test\n",
                 parameters="flow_vehicle_share = 1.0")
    net = result.network
    c, d, e, f = (net.place(p) for p in "cdef")
    flows = result.recorder.flows.sum(axis=0)
    assert flows[net.edge(c, d)] == 0
    assert flows[net.edge(e, f)] > 1500
    assert result.recorder.extra["entries"][:, c].sum() == 0
    assert result.recorder.extra["trade_blocked_usd"].sum() == 20 * 50e6


def test_port_capacity_makes_people_wait_or_cross_between_ports(tmp_path: Path) -> None:
    capped = ("port_capacity,c,2024-01-01,2024-01-20,10,test\n"
              "port_closed,e,2024-01-01,2024-01-20,1,test\n")
    result = run(tmp_path / "w", capped, parameters="flow_vehicle_share = 1.0\n"
                 "irregular_crossing_probability = 0.0")
    c = result.network.place("c")
    assert result.recorder.extra["entries"][:, c].max() <= 10
    waiting = result.recorder.counts[-1, c, STATUSES.index("at_place")]
    assert waiting > 1500  # the rest wait in the border city
    crossing = run(tmp_path / "x", capped, parameters="flow_vehicle_share = 1.0\n"
                   "irregular_crossing_probability = 0.5")
    assert crossing.recorder.extra["encounters"][:, c].sum() > 500


def test_no_smuggling_revenue_without_enforcement_or_money(tmp_path: Path) -> None:
    market = "smuggling,b,2024-01-01,2024-01-20,0,test\n"
    no_risk = run(tmp_path / "a", market)
    assert no_risk.recorder.extra["smuggling_revenue_usd"].sum() == 0
    enforced = market + "checkpoint,c,2024-01-01,2024-01-20,3000,test\n"
    broke = run(tmp_path / "b", enforced, parameters="smuggler_share_can_pay = 0.0")
    assert broke.recorder.extra["smuggling_revenue_usd"].sum() == 0
    paying = run(tmp_path / "c", enforced)
    assert paying.recorder.extra["smuggling_revenue_usd"].sum() > 0
    # containment raises the price: revenue per smuggled person exceeds the base price
    revenue = paying.recorder.extra["smuggling_revenue_usd"].sum()
    people = paying.recorder.extra["smuggled"].sum()
    assert revenue / people > 3000


def test_asylum_office_holds_applicants_then_decides(tmp_path: Path) -> None:
    result = run(tmp_path, "asylum_office,a,2024-01-01,2024-01-20,50,test\n",
                 parameters="asylum_apply_probability = 1.0\nflow_move_probability = 0.1\n"
                            "asylum_mean_wait_days = 5.0", days=20)
    apps = result.recorder.extra["asylum_applications"].sum(axis=1)
    assert apps.max() <= 50 and apps.sum() > 300
    assert status_total(result, "settled") > 0


def test_voluntary_return_rises_with_waiting(tmp_path: Path) -> None:
    params = "flow_move_probability = 0.0\nreturn_base_probability_per_day = 0.0\n"
    params += "return_probability_per_day_waited = 0.002"
    result = run(tmp_path, parameters=params, days=20)
    returned = result.recorder.extra["returned"].sum(axis=1)
    assert returned[:5].sum() < returned[-5:].sum()
    np.testing.assert_array_equal(result.recorder.counts.sum(axis=(1, 2)), 2000)
