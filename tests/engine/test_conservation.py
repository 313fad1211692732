"""Property: on random small networks and sources, agents are conserved every day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.engine import simulate
from corridor.engine.network import compile_network
from corridor.engine.rules.corridor_rules import STATUSES
from corridor.engine.spawning import plan_spawns
from corridor.scenario.model import Scenario

START = dt.date(2024, 1, 1)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n = draw(st.integers(3, 9))
    kinds = [draw(st.sampled_from(["town", "detention", "port_of_entry", "checkpoint"]))
             for _ in range(n)]
    for d in draw(st.sets(st.integers(1, n - 1), min_size=1, max_size=2)):
        kinds[d] = "destination"
    capacity = [draw(st.one_of(st.none(), st.integers(0, 50))) for _ in range(n)]
    places = pd.DataFrame({
        "id": [f"p{i}" for i in range(n)], "name": [f"P{i}" for i in range(n)],
        "country": ["MEX"] * n, "lat": np.linspace(14, 32, n), "lon": np.linspace(-92, -117, n),
        "kind": kinds, "capacity": [np.nan if c is None else float(c) for c in capacity],
        "source": "test",
    })
    edges = {(i, i + 1) for i in range(n - 1)}
    edges |= {tuple(sorted(e)) for e in draw(st.lists(
        st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=6)) if e[0] != e[1]}
    edges_list = sorted(edges)
    routes = pd.DataFrame({
        "from": [f"p{a}" for a, _ in edges_list], "to": [f"p{b}" for _, b in edges_list],
        "distance_km": [float(draw(st.integers(1, 500))) for _ in edges_list],
        "mode": "road", "source": "test",
    })
    days = draw(st.integers(1, 25))
    rows = []
    for k in range(draw(st.integers(1, 4))):
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, days - 1))
        rows.append({
            "place": f"p{draw(st.integers(0, n - 1))}",
            "start_date": START + dt.timedelta(first), "end_date": START + dt.timedelta(last),
            "people": float(draw(st.integers(0, 300))),
            "per": draw(st.sampled_from(["day", "total"])),
            "group": draw(st.sampled_from(["flow", f"caravan:c{k}"])), "origin_country": "HND",
            "source": "test",
        })
    closures = []
    if draw(st.booleans()):
        a, b = edges_list[0]
        closures.append({"lever": "closure", "target": f"p{a}>p{b}", "from_date": START,
                         "to_date": START + dt.timedelta(days // 2), "value": 1.0, "source": "t"})
    levers = ["checkpoint", "patrol", "permits", "asylum_office", "smuggling", "port_closed",
              "port_capacity"]
    ports = [i for i, k in enumerate(kinds) if k == "port_of_entry"]
    for _ in range(draw(st.integers(0, 5))):
        lever = draw(st.sampled_from(levers))
        if lever.startswith("port_") and not ports:
            continue  # the rules refuse port levers on places that are not ports
        place = draw(st.sampled_from(ports)) if lever.startswith("port_") else draw(
            st.integers(0, n - 1))
        value = float(draw(st.integers(0, 1) if lever == "port_closed" else st.integers(0, 2000)))
        closures.append({"lever": lever, "target": f"p{place}", "from_date": START,
                         "to_date": START + dt.timedelta(draw(st.integers(0, days))),
                         "value": value, "source": "t"})
    policies = pd.DataFrame(closures, columns=["lever", "target", "from_date", "to_date",
                                               "value", "source"])
    return Scenario(
        name="random", start_date=START, days=days, places=places, routes=routes,
        sources=pd.DataFrame(rows), policies=policies,
        observations=pd.DataFrame(columns=["date", "place", "kind", "low", "high", "source"]),
        seed=draw(st.integers(0, 2**31)),
        agents_per_person=draw(st.sampled_from([1.0, 0.5, 2.0])),
        parameters={"caravan_split_probability_per_day": draw(st.floats(0, 0.5))},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_agents_are_conserved_every_day(scenario: Scenario) -> None:
    result = simulate(scenario)
    plan = plan_spawns(scenario, compile_network(scenario))
    per_day = result.recorder.counts.sum(axis=(1, 2))
    expected = plan.offsets[1:]  # agents spawned up to and including each day
    np.testing.assert_array_equal(per_day, expected)
    state = result.state
    active = state.status[: state.n_active]
    assert set(np.unique(active)) <= set(range(len(STATUSES)))  # one known status each
    # nobody is in transit without a leg, nobody is "arrived" outside a destination
    in_transit = active == 1
    assert (state.next_place[: state.n_active][in_transit] >= 0).all()
    arrived_at = state.location[: state.n_active][active == STATUSES.index("arrived")]
    assert state.is_destination[arrived_at].all()
    # detention never holds more than its capacity
    detained = result.recorder.counts[:, :, STATUSES.index("detained")]
    capacity = np.nan_to_num(scenario.places["capacity"].to_numpy(float), nan=np.inf)
    is_detention = (scenario.places["kind"] == "detention").to_numpy()
    assert (detained[:, is_detention] <= capacity[is_detention] * scenario.agents_per_person
            ).all()
