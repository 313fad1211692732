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

from dataclasses import dataclass

import numba as nb
import numpy as np

from corridor.engine.core import Context, Parameter, RuleSet, register
from corridor.engine.network import Network, kind_code, shortest_km
from corridor.engine.rng import uniform
from corridor.engine.spawning import SpawnPlan, plan_spawns

AT_PLACE, IN_TRANSIT, ARRIVED = 0, 1, 2
STATUSES = ("at_place", "in_transit", "arrived")

# random streams (see rng.py): one per independent decision of an agent in a day
S_MOVE, S_SPLIT, S_VOTE, S_MODE, S_GROUP = 0, 1, 2, 3, 4
S_HOP = 8  # S_HOP + k: route choice on the k-th same-day hop of a vehicle traveller

PARAMETERS = (
    Parameter(
        "walk_speed_km_per_day", 25.0, "km walked on a travelling day",
        "seed 002: the Dec 2023 caravan advanced ~70 km Tapachula->Escuintla in 3 days "
        "(24->27 Dec, ~23 km/day); next stage 35 km; the issue's 20-35 km/day",
    ),
    Parameter(
        "vehicle_speed_km_per_day", 400.0, "km a bus/vehicle traveller covers in a day",
        "estimate: ~50 km/h average over ~8 h of road travel",
    ),
    Parameter(
        "flow_vehicle_share", 0.5, "share of flow agents who travel by bus or vehicle",
        "estimate: no figure in the seeds; buses and hired vehicles are common on the corridor",
    ),
    Parameter(
        "flow_move_probability", 0.5,
        "daily probability that a flow agent at a (non-destination) place sets out",
        "estimate: one rest/work/waiting day per travelling day on average",
    ),
    Parameter(
        "caravan_move_probability", 0.8,
        "daily probability that a caravan member wants to walk on (a vote)",
        "estimate: caravans rest about one day in five (seed 002: a 24-hour sit-in planned)",
    ),
    Parameter(
        "caravan_quorum", 0.5,
        "share of members who must want to walk for the caravan to move that day",
        "estimate: a simple majority",
    ),
    Parameter(
        "caravan_split_probability_per_day", 0.012,
        "daily probability that a member leaves the caravan and travels on their own",
        "estimate: slow attrition of ~1 %/day over a weeks-long walk; seed 002's quick drop "
        "from ~10,000 to a bulk of ~6,000 is groups spreading ahead, not leaving",
    ),
    Parameter("route_detour_power", 3.0, "how strongly route choice avoids detours (>= 0)",
              "estimate: a 10 % detour keeps ~75 % of the weight of the shortest road"),
    Parameter("max_hops_per_day", 4, "most places a vehicle traveller passes in one day",
              "estimate: bounds same-day connections"),
)


@dataclass
class CorridorState:
    """Struct of arrays: 22 bytes per agent, plus small per-group and per-place arrays."""

    n_agents: int
    n_active: int
    spawn: SpawnPlan
    location: np.ndarray  # int32: current place, or the place left when in transit
    next_place: np.ndarray  # int32: where the current leg ends (-1 none)
    km_left: np.ndarray  # float32: km left on the current leg
    status: np.ndarray  # uint8: index into STATUSES
    group: np.ndarray  # int32: caravan index or -1 (flow)
    mode: np.ndarray  # uint8: 0 foot, 1 vehicle
    days_here: np.ndarray  # int16: days since arriving at the current place
    origin: np.ndarray  # uint8: origin country code (index into spawn.countries)
    # network derived, recomputed when closures change it
    edge_open: np.ndarray
    km_to_destination: np.ndarray
    cum_weight: np.ndarray
    is_destination: np.ndarray
    capacity_agents: np.ndarray
    # caravans (one entry per caravan)
    g_place: np.ndarray
    g_next: np.ndarray
    g_km_left: np.ndarray
    g_status: np.ndarray
    g_km_travelled: np.ndarray
    g_members: np.ndarray
    g_active: np.ndarray


def route_weights(
    network: Network, edge_open: np.ndarray, destinations: np.ndarray, detour_power: float
) -> tuple[np.ndarray, np.ndarray]:
    """Km to the nearest destination per place, and per-edge cumulative choice weights."""
    km_to = shortest_km(network, np.flatnonzero(destinations), edge_open)
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


def init_state(ctx: Context) -> CorridorState:
    """Allocate every agent that will ever spawn, sorted by spawn day (LASER: preallocate)."""
    net, p = ctx.network, ctx.params
    plan = plan_spawns(ctx.scenario, net)
    n = plan.n_agents
    groups = len(plan.group_names)
    destinations = net.is_kind("destination")
    edge_open = np.ones(net.n_edges, dtype=bool)
    km_to, cum = route_weights(net, edge_open, destinations, p["route_detour_power"])
    mode = (ctx.rng.random(n, dtype=np.float32) < p["flow_vehicle_share"]).astype(np.uint8)
    mode[plan.group >= 0] = 0  # caravans walk
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
        edge_open=edge_open,
        km_to_destination=km_to,
        cum_weight=cum,
        is_destination=destinations,
        capacity_agents=net.capacity * ctx.scenario.agents_per_person,
        g_place=plan.group_origin.copy(),
        g_next=np.full(groups, -1, np.int32),
        g_km_left=np.zeros(groups, np.float32),
        g_status=np.zeros(groups, np.uint8),
        g_km_travelled=np.zeros(groups, np.float64),
        g_members=np.zeros(groups, np.int64),
        g_active=np.zeros(groups, bool),
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
    """Open or close edges from ``closure`` and ``port_closed`` levers; recompute routes."""
    s: CorridorState = ctx.state
    open_now = open_edges(ctx)
    if not np.array_equal(open_now, s.edge_open):
        s.edge_open = open_now
        s.km_to_destination, s.cum_weight = route_weights(
            ctx.network, open_now, s.is_destination, ctx.params["route_detour_power"]
        )


def open_edges(ctx: Context) -> np.ndarray:
    """Which edges are open today: closures of a route, of a place, or of a port of entry."""
    net = ctx.network
    edge_open = np.ones(net.n_edges, dtype=bool)
    policies = ctx.scenario.policies
    if policies.empty:
        return edge_open
    date = ctx.date
    active = policies[
        policies["lever"].isin(("closure", "port_closed"))
        & (policies["from_date"] <= date)
        & (policies["to_date"] >= date)
        & (policies["value"] > 0)
    ]
    for lever, target in zip(active["lever"], active["target"], strict=True):
        if ">" in target:
            a, _, b = target.partition(">")
            for u, v in ((a, b), (b, a)):
                e = net.edge(net.place(u), net.place(v))
                if e >= 0:
                    edge_open[e] = False
        elif target in net.ids:
            place = net.place(target)
            if lever == "port_closed":
                # a closed port lets no one across: its edges into the destinations close
                crossing = (net.source == place) & np.isin(
                    net.target, np.flatnonzero(net.is_kind("destination"))
                )
                edge_open[crossing] = False
            else:
                edge_open[(net.source == place) | (net.target == place)] = False
    return edge_open


def move_caravans(ctx: Context) -> None:
    """Members split off or vote; a caravan with a quorum walks its next leg as one group."""
    s: CorridorState = ctx.state
    if not len(s.g_place):
        return
    p = ctx.params
    votes, members = caravan_votes(
        s.group, s.mode, s.spawn.group_start, s.spawn.group_end, s.n_active, ctx.day_seed,
        p["caravan_split_probability_per_day"], p["caravan_move_probability"],
        p["flow_vehicle_share"], len(s.g_place),
    )
    s.g_members[:] = members
    net = ctx.network
    speed = float(p["walk_speed_km_per_day"])
    for g in np.flatnonzero(s.g_active & (members > 0)):
        if s.g_status[g] == AT_PLACE and votes[g] >= p["caravan_quorum"] * members[g]:
            u = uniform(ctx.day_seed, np.int64(g), np.int64(S_GROUP))
            e = choose_edge(net.indptr, s.cum_weight, int(s.g_place[g]), u)
            if e >= 0:
                s.g_next[g] = net.target[e]
                s.g_km_left[g] = net.distance_km[e]
                s.g_status[g] = IN_TRANSIT
                ctx.recorder.flows[ctx.day, e] += members[g]
        if s.g_status[g] == IN_TRANSIT:
            step = min(speed, float(s.g_km_left[g]))
            s.g_km_left[g] -= step
            s.g_km_travelled[g] += step
            if s.g_km_left[g] <= 0:
                s.g_place[g] = s.g_next[g]
                s.g_next[g] = -1
                s.g_status[g] = ARRIVED if s.is_destination[s.g_place[g]] else AT_PLACE
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
    """Flow agents decide, choose, travel, arrive; members mirror their caravan; count all."""
    s: CorridorState = ctx.state
    p = ctx.params
    net = ctx.network
    yesterday = ctx.recorder.counts[ctx.day - 1, :, AT_PLACE] if ctx.day > 0 else None
    full = (
        yesterday >= s.capacity_agents
        if yesterday is not None
        else np.zeros(net.n_places, dtype=bool)
    )
    step_agents(
        s.n_active, ctx.day_seed, s.location, s.next_place, s.km_left, s.status, s.group,
        s.mode, s.days_here, s.g_place, s.g_next, s.g_km_left, s.g_status,
        net.indptr, net.target, net.distance_km, s.cum_weight, s.is_destination, full,
        float(p["flow_move_probability"]), float(p["walk_speed_km_per_day"]),
        float(p["vehicle_speed_km_per_day"]), int(p["max_hops_per_day"]),
        ctx.recorder.flows[ctx.day], ctx.recorder.counts[ctx.day],
    )


@nb.njit(cache=True)
def choose_edge(indptr, cum_weight, place, u):  # noqa: ANN001,ANN201
    """The edge whose cumulative weight first exceeds u (-1 if no way onwards)."""
    lo, hi = indptr[place], indptr[place + 1]
    if hi == lo or cum_weight[hi - 1] <= 0.0:
        return -1
    for e in range(lo, hi):
        if u < cum_weight[e]:
            return e
    return hi - 1


@nb.njit(cache=True)
def caravan_votes(group, mode, g_start, g_end, n_active, day_seed, p_split, p_move,
                  vehicle_share, n_groups):  # noqa: ANN001,ANN201
    """Split-offs and votes, visiting only each caravan's contiguous agent range."""
    votes = np.zeros(n_groups, np.int64)
    members = np.zeros(n_groups, np.int64)
    for g in range(n_groups):
        for i in range(g_start[g], min(g_end[g], n_active)):
            if group[i] != g:
                continue
            if uniform(day_seed, i, S_SPLIT) < p_split:
                group[i] = -1
                mode[i] = 1 if uniform(day_seed, i, S_MODE) < vehicle_share else 0
                continue
            members[g] += 1
            if uniform(day_seed, i, S_VOTE) < p_move:
                votes[g] += 1
    return votes, members


@nb.njit(cache=True)
def step_agents(n_active, day_seed, location, next_place, km_left, status, group, mode,
                days_here, g_place, g_next, g_km_left, g_status, indptr, target, distance_km,
                cum_weight, is_destination, full, p_move, walk_speed, vehicle_speed, max_hops,
                flows, counts):  # noqa: ANN001,ANN201
    """One day for every active agent: the fused decide/choose/travel/arrive/record kernel."""
    for i in range(n_active):
        g = group[i]
        if g >= 0:  # caravan member: same place, leg and status as its caravan
            location[i] = g_place[g]
            next_place[i] = g_next[g]
            km_left[i] = g_km_left[g]
            status[i] = g_status[g]
        else:
            st = status[i]
            if st == AT_PLACE:
                here = location[i]
                pm = 1.0 if full[here] else p_move
                u = uniform(day_seed, i, S_MOVE)
                e = -1
                if u < pm:
                    e = choose_edge(indptr, cum_weight, here, u / pm)
                if e >= 0:
                    next_place[i] = target[e]
                    km_left[i] = distance_km[e]
                    status[i] = IN_TRANSIT
                    flows[e] += 1
                    days_here[i] = 0
                elif days_here[i] < 32767:
                    days_here[i] += 1
            if status[i] == IN_TRANSIT:
                budget = vehicle_speed if mode[i] == 1 else walk_speed
                hops = 0
                while True:
                    if km_left[i] > budget:
                        km_left[i] -= budget
                        break
                    budget -= km_left[i]
                    km_left[i] = 0.0
                    here = next_place[i]
                    location[i] = here
                    next_place[i] = -1
                    hops += 1
                    if is_destination[here]:
                        status[i] = ARRIVED
                        break
                    status[i] = AT_PLACE
                    if mode[i] == 0 or hops >= max_hops or budget <= 0.0:
                        break
                    e = choose_edge(indptr, cum_weight, here,
                                    uniform(day_seed, i, S_HOP + hops))
                    if e < 0:
                        break
                    next_place[i] = target[e]
                    km_left[i] = distance_km[e]
                    status[i] = IN_TRANSIT
                    flows[e] += 1
        counts[location[i], status[i]] += 1


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
    )
)

__all__ = ["RULES", "STATUSES", "CorridorState", "kind_code", "route_weights"]
