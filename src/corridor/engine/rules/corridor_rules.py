"""Rule set ``corridor``: caravans and the steady flow moving north through Mexico.

Phases of a day, in order: ``spawn`` (agents set out), ``policies`` (closures change the
network), ``caravans`` (members split off or vote; each caravan moves as one group),
``move`` (flow agents decide, choose a route, travel and arrive; everyone is counted).
The per-agent work is one numba kernel pass, so a day costs one sweep over the agent arrays.

Route choice (flow agents and caravans alike): from place ``u`` only edges that bring the
agent closer to a destination (road km ``D(v) < D(u)``) are candidates, each weighted by
``(D(u) / (km(u, v) + D(v))) ** route_detour_power`` -- 1 on a shortest path, smaller the
longer the detour. Weights change only when closures change the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from corridor.engine.core import Context, RuleSet, register
from corridor.engine.levers import nearest_of_kind, risk_ahead, target_edges, todays_levers
from corridor.engine.network import Network, kind_code, shortest_km
from corridor.engine.rng import uniform
from corridor.engine.rules.corridor_kernels import caravan_votes, choose_edge, step_agents
from corridor.engine.rules.corridor_params import (
    ARRIVED,
    AT_PLACE,
    DETAINED,
    E_REVENUE,
    EVENTS,
    F_CAN_PAY,
    F_NEW,
    FOOT,
    IN_TRANSIT,
    LEVERS,
    P_ASYLUM_CAP,
    P_DET_CAP,
    P_DET_OCC,
    P_DETAIN_CAP,
    P_FULL,
    P_IS_DEST,
    P_IS_PORT,
    P_PERMIT_CAP,
    P_PORT_CAP,
    P_PRICE,
    P_RISK,
    P_STOP,
    PARAMETERS,
    S_GROUP_HOP,
    STATUSES,
    kernel_scalars,
)
from corridor.engine.spawning import SpawnPlan, plan_spawns
from corridor.scenario.targets import Place


@dataclass
class CorridorState:
    """Struct of arrays: 24 bytes per agent, plus small per-group and per-place arrays."""

    n_agents: int
    n_active: int
    spawn: SpawnPlan
    location: np.ndarray  # int32: current place, or the place left when in transit
    next_place: np.ndarray  # int32: where the current leg ends (-1 none)
    km_left: np.ndarray  # float32: km left on the current leg
    status: np.ndarray  # uint8: index into STATUSES
    group: np.ndarray  # int32: caravan index or -1 (flow)
    mode: np.ndarray  # uint8: FOOT, VEHICLE or SMUGGLED
    days_here: np.ndarray  # int16: days since arriving at the current place
    origin: np.ndarray  # uint8: origin country code (index into spawn.countries)
    flags: np.ndarray  # uint8: F_PERMIT, F_CAN_PAY bits
    # network and levers, recomputed when policies change
    edge_open: np.ndarray
    km_to_destination: np.ndarray
    routes: np.ndarray  # float64 [aims, edges]: cumulative route weights per aim
    aim: np.ndarray  # uint8 [agents]: which row of ``routes`` an agent follows
    is_destination: np.ndarray
    capacity_agents: np.ndarray
    detention_of: np.ndarray  # int32 [places]: nearest detention place (-1 none)
    place_values: np.ndarray  # float64 [P rows, places]: today's lever values
    scalars: np.ndarray  # float64: kernel parameters (C_* indices)
    # caravans (one entry per caravan)
    g_place: np.ndarray
    g_next: np.ndarray
    g_km_left: np.ndarray
    g_status: np.ndarray
    g_km_travelled: np.ndarray
    g_members: np.ndarray
    g_active: np.ndarray
    g_arrived_today: np.ndarray
    # cache of what the policies in force imply (recomputed when that set changes)
    policy_key: bytes = b"unset"
    policy_values: np.ndarray = field(default_factory=lambda: np.zeros((12, 0)))
    trade_blocked_usd: float = 0.0


def route_weights(
    network: Network, edge_open: np.ndarray, destinations: np.ndarray, detour_power: float
) -> tuple[np.ndarray, np.ndarray]:
    """Km to the nearest destination per place, and per-edge cumulative choice weights."""
    km_to = shortest_km(network, np.flatnonzero(destinations), edge_open, towards=True)
    src, dst = network.source, network.target
    d_u, d_v = km_to[src], km_to[dst]
    progress = edge_open & np.isfinite(d_v) & (d_v < d_u)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(
            progress, (d_u / (network.distance_km.astype(np.float64) + d_v)) ** detour_power, 0.0
        )
    cum = np.zeros_like(w)
    for p in range(network.n_places):  # places are few; rows are tiny
        lo, hi = network.indptr[p], network.indptr[p + 1]
        total = w[lo:hi].sum()
        if total > 0:
            cum[lo:hi] = np.cumsum(w[lo:hi]) / total
    return km_to, cum


def route_table(network: Network, edge_open: np.ndarray, destinations: np.ndarray,
                targets: tuple[int, ...], detour_power: float) -> tuple[np.ndarray, np.ndarray]:
    """Km to the nearest destination, and one row of cumulative route weights per aim:
    row 0 heads for the nearest destination, row k for ``targets[k - 1]``."""
    km_to, nearest = route_weights(network, edge_open, destinations, detour_power)
    table = np.empty((1 + len(targets), network.n_edges))
    table[0] = nearest
    for k, place in enumerate(targets, start=1):
        mask = np.zeros(network.n_places, dtype=bool)
        mask[place] = True
        table[k] = route_weights(network, edge_open, mask, detour_power)[1]
    return km_to, table


def init_state(ctx: Context) -> CorridorState:
    """Allocate every agent that will ever spawn, sorted by spawn day (LASER: preallocate)."""
    net, p = ctx.network, ctx.params
    plan = plan_spawns(ctx.scenario, net)
    n = plan.n_agents
    groups = len(plan.group_names)
    destinations = net.is_kind("destination")
    edge_open = np.ones(net.n_edges, dtype=bool)
    km_to, table = route_table(net, edge_open, destinations, plan.targets,
                               p["route_detour_power"])
    draws = ctx.rng.random(n, dtype=np.float32)
    mode = (draws < p["flow_vehicle_share"]).astype(np.uint8)
    mode[plan.group >= 0] = FOOT  # caravans walk
    # who could pay a smuggler: an independent draw (from a distinct stream of the run's rng)
    flags = np.where(ctx.rng.random(n, dtype=np.float32) < p["smuggler_share_can_pay"],
                     F_CAN_PAY, 0).astype(np.uint8) | np.uint8(F_NEW)
    for name in EVENTS:
        ctx.recorder.extra[name] = np.zeros((ctx.scenario.days, net.n_places))
    ctx.recorder.extra["trade_blocked_usd"] = np.zeros(ctx.scenario.days)
    place_values = np.zeros((12, net.n_places))
    place_values[P_IS_DEST] = destinations
    place_values[P_IS_PORT] = net.is_kind("port_of_entry")
    det_cap = np.where(net.is_kind("detention"), net.capacity, 0.0)
    place_values[P_DET_CAP] = det_cap * ctx.scenario.agents_per_person
    return CorridorState(
        n_agents=n,
        n_active=0,
        spawn=plan,
        location=plan.place.copy(),
        next_place=np.full(n, -1, np.int32),
        km_left=np.zeros(n, np.float32),
        status=np.zeros(n, np.uint8),
        group=plan.group.copy(),
        mode=mode,
        days_here=np.zeros(n, np.int16),
        origin=plan.origin,
        flags=flags,
        edge_open=edge_open,
        km_to_destination=km_to,
        routes=table,
        aim=plan.aim,
        is_destination=destinations,
        capacity_agents=net.capacity * ctx.scenario.agents_per_person,
        detention_of=nearest_of_kind(net, "detention"),
        place_values=place_values,
        scalars=kernel_scalars(p, ctx.scenario.agents_per_person),
        g_place=plan.group_origin.copy(),
        g_next=np.full(groups, -1, np.int32),
        g_km_left=np.zeros(groups, np.float32),
        g_status=np.zeros(groups, np.uint8),
        g_km_travelled=np.zeros(groups, np.float64),
        g_members=np.zeros(groups, np.int64),
        g_active=np.zeros(groups, bool),
        g_arrived_today=np.zeros(groups, bool),
        policy_values=np.zeros((12, net.n_places)),
    )


def spawn(ctx: Context) -> None:
    """Activate the agents whose departure day is today; late caravan members travel alone."""
    s: CorridorState = ctx.state
    lo, hi = s.n_active, int(s.spawn.offsets[ctx.day + 1])
    if hi > lo:
        g = s.group[lo:hi]
        joined = g >= 0
        gi = g[joined]
        # members spawn with their group while it is still at its origin
        origin = s.spawn.place[lo:hi][joined]
        late = s.g_active[gi] & ((s.g_status[gi] != AT_PLACE) | (s.g_place[gi] != origin))
        idx = np.flatnonzero(joined)[late]
        s.group[lo + idx] = -1
        s.g_members += np.bincount(g[joined][~late], minlength=len(s.g_members))
        s.g_active[np.unique(g[joined][~late])] = True
        s.n_active = hi


def apply_policies(ctx: Context) -> None:
    """Today's levers: closures change routes; the rest become per-place kernel values.

    Policies change on few days, so everything derived from the set of rows in force is
    cached and recomputed only when that set changes; daily capacities are reset every day.
    """
    s: CorridorState = ctx.state
    if ctx.policy_key != s.policy_key:
        s.policy_key = ctx.policy_key
        derive_policy_values(ctx)
    pv, cached = s.place_values, s.policy_values
    pv[P_STOP] = cached[P_STOP]
    pv[P_DETAIN_CAP] = cached[P_DETAIN_CAP]
    pv[P_PERMIT_CAP] = cached[P_PERMIT_CAP]
    pv[P_ASYLUM_CAP] = cached[P_ASYLUM_CAP]
    pv[P_PORT_CAP] = cached[P_PORT_CAP]
    pv[P_RISK] = cached[P_RISK]
    pv[P_PRICE] = cached[P_PRICE]
    ctx.recorder.extra["trade_blocked_usd"][ctx.day] = s.trade_blocked_usd


def derive_policy_values(ctx: Context) -> None:
    """Routes, per-place lever values, detection risk ahead and smuggler prices."""
    s: CorridorState = ctx.state
    net, params = ctx.network, ctx.params
    open_now = open_edges(ctx)
    if not np.array_equal(open_now, s.edge_open):
        s.edge_open = open_now
        s.km_to_destination, s.routes = route_table(
            net, open_now, s.is_destination, s.spawn.targets, params["route_detour_power"]
        )
    levers = todays_levers(net, ctx.in_force, params, ctx.scenario.agents_per_person)
    values = s.policy_values
    values[P_STOP] = levers.stop_probability
    values[P_DETAIN_CAP] = levers.detain_capacity
    values[P_PERMIT_CAP] = levers.permit_capacity
    values[P_ASYLUM_CAP] = levers.asylum_capacity
    values[P_PORT_CAP] = levers.port_capacity
    values[P_RISK] = (risk_ahead(net, s.routes[0], s.km_to_destination,
                                 levers.stop_probability)
                      if levers.stop_probability.any() else 0.0)
    # price rises with the detection risk on the road ahead (seed 003's smuggling market)
    values[P_PRICE] = levers.smuggler_base_price_usd * (
        1.0 + params["smuggler_price_elasticity"] * values[P_RISK])
    s.trade_blocked_usd = levers.port_closed.sum() * params["trade_usd_per_closed_port_day"]


def open_edges(ctx: Context) -> np.ndarray:
    """Which edges are open today: closures of a route, place, country or country pair, and
    closed ports of entry (their edges into the destinations)."""
    net = ctx.network
    edge_open = np.ones(net.n_edges, dtype=bool)
    for policy in ctx.in_force:
        if policy.value <= 0:
            continue
        if policy.lever == "closure":
            edge_open[target_edges(net, policy.target)] = False
        elif policy.lever == "port_closed":
            # a closed port lets no one across: its edges into the destinations close
            target = policy.target
            assert isinstance(target, Place)  # the rule set's LEVERS say so (check_rules)
            place = net.place(target.id)
            crossing = (net.source == place) & np.isin(
                net.target, np.flatnonzero(net.is_kind("destination"))
            )
            edge_open[crossing] = False
    return edge_open


def move_caravans(ctx: Context) -> None:
    """Members split off or vote; a caravan with a quorum walks on as one group.

    It covers up to ``walk_speed_km_per_day`` km, passing through towns on the way; a staffed
    checkpoint halts it for the day and acts on its members (``g_arrived_today``)."""
    s: CorridorState = ctx.state
    if not len(s.g_place):
        return
    p = ctx.params
    votes, members = caravan_votes(
        s.group, s.mode, s.spawn.group_start, s.spawn.group_end, s.spawn.group_start_day,
        ctx.day, s.n_active, ctx.day_seed, p["caravan_split_probability_per_day"],
        p["caravan_move_probability"], p["flow_vehicle_share"], len(s.g_place),
    )
    s.g_members[:] = members
    net = ctx.network
    speed = float(p["walk_speed_km_per_day"])
    s.g_arrived_today[:] = False
    for g in np.flatnonzero(s.g_active & (members > 0)):
        if s.g_status[g] == AT_PLACE and votes[g] < p["caravan_quorum"] * members[g]:
            continue  # a rest day
        budget = speed
        for hop in range(int(p["max_hops_per_day"]) + 1):  # walk on through towns if time is left
            if s.g_status[g] == AT_PLACE:
                u = uniform(ctx.day_seed, np.int64(g), np.int64(S_GROUP_HOP + hop))
                e = choose_edge(net.indptr, s.routes[s.spawn.group_aim[g]], int(s.g_place[g]), u)
                if e < 0 and s.spawn.group_aim[g] != 0 and not s.routes[
                        s.spawn.group_aim[g]].any():  # its aim is cut off: the nearest open
                    e = choose_edge(net.indptr, s.routes[0], int(s.g_place[g]), u)
                if e < 0:
                    break
                s.g_next[g] = net.target[e]
                s.g_km_left[g] = net.distance_km[e]
                s.g_status[g] = IN_TRANSIT
                ctx.recorder.flows[ctx.day, e] += members[g]
            if s.g_status[g] != IN_TRANSIT:
                break
            step = min(budget, float(s.g_km_left[g]))
            budget -= step
            s.g_km_left[g] -= step
            s.g_km_travelled[g] += step
            if s.g_km_left[g] > 0:
                break
            s.g_place[g] = s.g_next[g]
            s.g_next[g] = -1
            s.g_arrived_today[g] = True
            s.g_status[g] = ARRIVED if s.is_destination[s.g_place[g]] else AT_PLACE
            if (budget <= 0 or s.g_status[g] == ARRIVED
                    or s.place_values[P_STOP, s.g_place[g]] > 0):  # halted at a checkpoint
                break
    record_groups(ctx)


def record_groups(ctx: Context) -> None:
    """One row per caravan per day: where its head is and how many are still in it."""
    s: CorridorState = ctx.state
    net = ctx.network
    for g in np.flatnonzero(s.g_active):
        here = int(s.g_place[g])
        lat, lon = net.lat[here], net.lon[here]
        if s.g_status[g] == IN_TRANSIT:
            nxt = int(s.g_next[g])
            leg = float(net.distance_km[net.edge(here, nxt)])
            f = 1.0 - float(s.g_km_left[g]) / leg if leg > 0 else 0.0
            lat, lon = lat + f * (net.lat[nxt] - lat), lon + f * (net.lon[nxt] - lon)
        ctx.recorder.groups.append(
            {
                "day": ctx.day,
                "group": s.spawn.group_names[g],
                "place": net.ids[here],
                "km_from_origin": float(s.g_km_travelled[g]),
                "lat": float(lat),
                "lon": float(lon),
                "members": int(s.g_members[g]),
            }
        )


def move_agents(ctx: Context) -> None:
    """Flow agents act, travel and arrive; members mirror their caravan; count everyone."""
    s: CorridorState = ctx.state
    net = ctx.network
    rec = ctx.recorder
    yesterday = rec.counts[ctx.day - 1] if ctx.day > 0 else np.zeros_like(rec.counts[0])
    place = s.place_values
    place[P_FULL] = yesterday[:, AT_PLACE] >= s.capacity_agents
    # detention occupancy starts from yesterday's detained agents
    place[P_DET_OCC] = yesterday[:, DETAINED]
    events = np.zeros((len(EVENTS), net.n_places))
    deport_left = np.array([float(ctx.params["deportation_capacity_per_day"])
                            * ctx.scenario.agents_per_person])
    step_agents(
        s.n_active, ctx.day_seed, s.location, s.next_place, s.km_left, s.status, s.group,
        s.mode, s.days_here, s.flags, s.spawn.place, s.g_place, s.g_next, s.g_km_left,
        s.g_status, s.g_arrived_today, s.g_members, net.indptr, net.target, net.distance_km,
        s.routes, s.aim, place, s.detention_of, s.scalars, deport_left, rec.flows[ctx.day],
        rec.counts[ctx.day], events,
    )
    for k, name in enumerate(EVENTS):
        rec.extra[name][ctx.day] = events[k] / ctx.scenario.agents_per_person
    rec.extra["smuggling_revenue_usd"][ctx.day] = events[E_REVENUE]  # USD, already per person


RULES = register(
    RuleSet(
        name="corridor",
        parameters=PARAMETERS,
        statuses=STATUSES,
        init=init_state,
        phases=(
            ("spawn", spawn),
            ("policies", apply_policies),
            ("caravans", move_caravans),
            ("move", move_agents),
        ),
        describe=__doc__ or "",
        levers=LEVERS,
    )
)

__all__ = ["RULES", "STATUSES", "CorridorState", "kind_code", "route_weights"]
