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

import multiprocessing
import os
import sys
from dataclasses import dataclass, field, replace
from importlib import import_module

import numpy as np

from corridor.engine.compiled import kernels
from corridor.engine.core import Context, RuleSet, register
from corridor.engine.levers import nearest_of_kind, risk_ahead, target_edges, todays_levers
from corridor.engine.network import Network, kind_code, shortest_km
from corridor.engine.rng import AGENT, CARAVAN, INIT_DAY, day_seed, draw_array, name_key
from corridor.engine.rules.corridor_joining import add_joiners, expected_joiners, join_caravans
from corridor.engine.rules.corridor_params import (
    ALL,
    ARRIVED,
    AT_PLACE,
    DETAINED,
    E_REVENUE,
    EVENTS,
    F_CAN_PAY,
    F_NEW,
    FOOT,
    FROM_POLICIES,
    G_HALTED,
    G_RODE,
    G_WALKED,
    IN_TRANSIT,
    LEVERS,
    MAIN,
    MEMBER_STATES,
    N_PLACE_VALUES,
    P_ASYLUM_CAP,
    P_DET_CAP,
    P_DET_OCC,
    P_DETAIN_CAP,
    P_FULL,
    P_HALT,
    P_HOLD,
    P_IS_DEST,
    P_IS_PORT,
    P_PERMIT_CAP,
    P_PORT_CAP,
    P_PRICE,
    P_RIDE,
    P_RISK,
    P_STOP,
    P_TRANSFER,
    P_TRANSFER_TO,
    P_TURNBACK,
    PARAMETERS,
    S_G_HALT,
    S_G_HOLD,
    S_G_REFORM,
    S_G_REGROUP,
    S_G_RIDE,
    S_GROUP_HOP,
    S_MODE,
    S_PAY,
    S_SUBGROUP,
    STATUSES,
    STRAGGLERS,
    VANGUARD,
    kernel_scalars,
)
from corridor.engine.spawning import SpawnPlan, plan_spawns
from corridor.scenario.model import Scenario
from corridor.scenario.targets import Place

KERNELS = "corridor.engine.rules.corridor_kernels"  # compiled ahead of time or JIT:
RNG_KERNELS = "corridor.engine.rng_kernels"  # see engine/compiled.py


def draw(day_seed: np.uint64, domain: np.uint64, key: np.int64, stream: np.int64) -> float:
    """rng.draw, called from Python for caravans: the compiled one when the install has it."""
    return kernels(RNG_KERNELS).draw(day_seed, domain, key, stream)


def caravan_votes(*args: object) -> tuple[np.ndarray, np.ndarray]:
    """corridor_kernels.caravan_votes (compiled ahead of time when available)."""
    return kernels(KERNELS).caravan_votes(*args)


def choose_edge(*args: object) -> int:
    """corridor_kernels.choose_edge (compiled ahead of time when available)."""
    return kernels(KERNELS).choose_edge(*args)


# every per-agent array of a run (CorridorState and its SpawnPlan): name -> (dtype, whether
# the daily kernel reads or writes it). test_agent_bytes checks a real state against it.
AGENT_ARRAYS: dict[str, tuple[type, bool]] = {
    "location": (np.int32, True), "next_place": (np.int32, True), "km_left": (np.float32, True),
    "status": (np.uint8, True), "group": (np.int32, True), "mode": (np.uint8, True),
    "days_here": (np.int16, True), "flags": (np.uint8, True), "aim": (np.uint8, True),
    "deferred": (np.uint8, True),
    "origin": (np.uint8, False),
    "spawn.place": (np.int32, True), "spawn.key": (np.int64, True),
    "spawn.group": (np.int32, False),
}
BYTES_PER_AGENT = sum(np.dtype(t).itemsize for t, _ in AGENT_ARRAYS.values())
KERNEL_BYTES_PER_AGENT = sum(np.dtype(t).itemsize for t, used in AGENT_ARRAYS.values() if used)


@dataclass
class CorridorState:
    """Struct of arrays: BYTES_PER_AGENT bytes per agent (with the spawn plan's arrays), plus
    small per-group and per-place arrays."""

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
    deferred: np.ndarray  # uint8: the kernel runs the agent after the parallel part
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
    # caravan groups: 3 per caravan (main body c, vanguard c + C, stragglers c + 2C)
    n_caravans: int
    g_caravan: np.ndarray  # int32 [groups]: the caravan a group belongs to
    g_key: np.ndarray  # int64 [groups]: random-number key (CARAVAN domain) of each group
    g_kind: np.ndarray  # int8 [groups]: MAIN, VANGUARD or STRAGGLERS
    g_activity: np.ndarray  # uint8 [groups]: G_HALTED, G_WALKED or G_RODE today
    g_days_walked: np.ndarray  # int64 [groups]: consecutive travelling days since a rest
    g_dissolve: np.ndarray  # bool [groups]: the group breaks up today
    g_end_members: np.ndarray  # int64 [groups]: members at the end of the day
    c_members: np.ndarray  # int64 [caravans]: members after today's split-offs (``members``)
    c_peak: np.ndarray  # int64 [caravans]: most members the caravan ever had
    c_origin_km: np.ndarray  # float64 [caravans, places]: road km from the caravan's origin
    rejoin_at: np.ndarray  # int32 [caravans, places]: a halted group there (-1 none)
    member_states: np.ndarray  # int64 [caravans, MEMBER_STATES]
    dispersed_at: np.ndarray  # int64 [caravans, places]: dispersed members waiting there
    is_shelter: np.ndarray  # bool [places]
    g_place: np.ndarray
    g_next: np.ndarray
    g_km_left: np.ndarray
    g_status: np.ndarray
    g_km_travelled: np.ndarray
    g_members: np.ndarray
    g_active: np.ndarray
    g_arrived_today: np.ndarray
    # cache of what the policies in force imply (recomputed when that set changes)
    threads: int = 1  # kernel threads for this run (kernel_threads)
    policy_key: bytes = b"unset"
    policy_values: np.ndarray = field(default_factory=lambda: np.zeros((N_PLACE_VALUES, 0)))
    # int64 [joiners]: agents who join their caravan on the road (corridor_joining), sorted
    joiners: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
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
    plan, joiners = add_joiners(plan_spawns(ctx.scenario, net), ctx.scenario,
                                float(p["caravan_join_share_per_day"]),
                                float(p["caravan_join_decay_days"]))
    n = plan.n_agents
    n_caravans = len(plan.group_names)
    groups = 3 * n_caravans
    g_caravan = np.tile(np.arange(n_caravans, dtype=np.int32), 3)
    destinations = net.is_kind("destination")
    edge_open = np.ones(net.n_edges, dtype=bool)
    km_to, table = route_table(net, edge_open, destinations, plan.targets,
                               p["route_detour_power"])
    # initial attributes: keyed draws on the reserved day (rng.INIT_DAY), so one agent's do
    # not depend on how many others there are
    init_seed = day_seed(ctx.scenario.seed, INIT_DAY)
    mode = (draw_array(init_seed, AGENT, plan.key, S_MODE) < p["flow_vehicle_share"]
            ).astype(np.uint8)
    mode[plan.group >= 0] = FOOT  # caravans walk
    # who could pay a smuggler: an independent draw (its own stream)
    flags = np.where(draw_array(init_seed, AGENT, plan.key, S_PAY) < p["smuggler_share_can_pay"],
                     F_CAN_PAY, 0).astype(np.uint8) | np.uint8(F_NEW)
    for name in EVENTS:
        ctx.recorder.extra[name] = np.zeros((ctx.scenario.days, net.n_places))
    ctx.recorder.extra["trade_blocked_usd"] = np.zeros(ctx.scenario.days)
    place_values = np.zeros((N_PLACE_VALUES, net.n_places))
    place_values[P_IS_DEST] = destinations
    place_values[P_IS_PORT] = net.is_kind("port_of_entry")
    det_cap = np.where(net.is_kind("detention"), net.capacity, 0.0)
    place_values[P_DET_CAP] = det_cap * ctx.scenario.agents_per_person
    group = plan.group.copy()
    group[joiners] = -1  # not in their caravan until the day they join it
    return CorridorState(
        n_agents=n,
        n_active=0,
        spawn=plan,
        location=plan.place.copy(),
        next_place=np.full(n, -1, np.int32),
        km_left=np.zeros(n, np.float32),
        status=np.zeros(n, np.uint8),
        group=group,
        mode=mode,
        days_here=np.zeros(n, np.int16),
        origin=plan.origin,
        flags=flags,
        deferred=np.zeros(n, np.uint8),
        edge_open=edge_open,
        km_to_destination=km_to,
        routes=table,
        aim=plan.aim,
        is_destination=destinations,
        capacity_agents=net.capacity * ctx.scenario.agents_per_person,
        detention_of=nearest_of_kind(net, "detention"),
        place_values=place_values,
        scalars=kernel_scalars(p, ctx.scenario.agents_per_person),
        n_caravans=n_caravans,
        g_caravan=g_caravan,
        g_key=np.array([name_key(f"caravan:{plan.group_names[c]}:{kind}")
                        for kind in (MAIN, VANGUARD, STRAGGLERS) for c in range(n_caravans)],
                       np.int64).reshape(groups),
        g_kind=np.repeat(np.array([MAIN, VANGUARD, STRAGGLERS], np.int8), n_caravans),
        g_activity=np.zeros(groups, np.uint8),
        g_days_walked=np.zeros(groups, np.int64),
        g_dissolve=np.zeros(groups, bool),
        g_end_members=np.zeros(groups, np.int64),
        c_members=np.zeros(n_caravans, np.int64),
        c_peak=np.zeros(n_caravans, np.int64),
        c_origin_km=np.array([shortest_km(net, np.array([o])) if o >= 0
                              else np.full(net.n_places, np.inf) for o in plan.group_origin]
                             ).reshape(n_caravans, net.n_places),
        rejoin_at=np.full((n_caravans, net.n_places), -1, np.int32),
        member_states=np.zeros((n_caravans, len(MEMBER_STATES)), np.int64),
        dispersed_at=np.zeros((n_caravans, net.n_places), np.int64),
        is_shelter=net.is_kind("shelter"),
        g_place=np.tile(plan.group_origin, 3),
        g_next=np.full(groups, -1, np.int32),
        g_km_left=np.zeros(groups, np.float32),
        g_status=np.zeros(groups, np.uint8),
        g_km_travelled=np.zeros(groups, np.float64),
        g_members=np.zeros(groups, np.int64),
        g_active=np.zeros(groups, bool),
        g_arrived_today=np.zeros(groups, bool),
        policy_values=np.zeros((N_PLACE_VALUES, net.n_places)),
        threads=kernel_threads(),
        joiners=joiners,
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
        on_time = np.flatnonzero(joined)[~late]
        caravan = g[on_time]
        sub = caravan
        p = ctx.params
        v_share, s_share = p["caravan_vanguard_share"], p["caravan_straggler_share"]
        if len(on_time) and (v_share > 0 or s_share > 0):  # who walks ahead, who behind
            u = draw_array(ctx.day_seed, AGENT, s.spawn.key[lo + on_time], S_SUBGROUP)
            kind = np.where(u < v_share, VANGUARD, np.where(u < v_share + s_share, STRAGGLERS,
                                                            MAIN))
            sub = caravan + s.n_caravans * kind
            # a group that has already left: join the main body instead
            gone = s.g_active[sub] & ((s.g_status[sub] != AT_PLACE)
                                      | (s.g_place[sub] != s.spawn.place[lo + on_time]))
            sub = np.where(gone, caravan, sub)
            s.group[lo + on_time] = sub
        s.g_members += np.bincount(sub, minlength=len(s.g_members))
        for c in np.unique(caravan):
            s.g_active[c + s.n_caravans * np.arange(3)] = True
        join_caravans(s, lo, hi)
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
    rows = list(FROM_POLICIES)
    pv[rows] = cached[rows]
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
    values[P_HOLD] = levers.caravan_hold
    values[P_TRANSFER] = levers.transfer_share
    values[P_TRANSFER_TO] = levers.transfer_to
    values[P_TURNBACK] = levers.turnback_share
    values[P_RIDE] = levers.ride_share
    # a caravan passing through stops where it is checked, held, made an offer or turned back
    values[P_HALT] = ((levers.stop_probability > 0) | (levers.caravan_hold > 0)
                      | (levers.transfer_share > 0) | (levers.turnback_share > 0))
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
    """Members split off or vote; each group of a caravan with a quorum moves on as one.

    A group at a place may rest (failed vote, halt probability, a ``caravan_hold``, a vanguard
    waiting for its main body); otherwise it walks ``walk_speed_km_per_day`` km times its
    speed factor, or rides ``caravan_ride_speed_km_per_day`` km, passing through towns on the
    way. A staffed checkpoint, a hold, an offer or a turn-back halts it for the day there
    (``g_arrived_today``: the kernel then acts on its members). A caravan whose members fell
    below ``caravan_dissolve_below_share`` of its peak breaks up; one with nobody left may
    re-form where its dispersed members wait."""
    s: CorridorState = ctx.state
    if not len(s.g_place):
        return
    p = ctx.params
    n_groups = len(s.g_place)
    # members leave more after a day their group did not move (yesterday's activity), not
    # once it has arrived (waiting at its destination is not a halt on the way)
    p_split = np.where((s.g_activity == G_HALTED) & (s.g_status != ARRIVED),
                       p["caravan_split_probability_per_day"]
                       + p["caravan_split_probability_per_halted_day"],
                       p["caravan_split_probability_per_day"]).astype(np.float64)
    votes, members = caravan_votes(
        s.group, s.mode, s.spawn.key, s.spawn.group_start, s.spawn.group_end,
        s.spawn.group_start_day, ctx.day, s.n_active, ctx.day_seed,
        p_split, p["caravan_move_probability"],
        p["flow_vehicle_share"], n_groups,
    )
    s.g_members[:] = members
    c_members = np.bincount(s.g_caravan, weights=members, minlength=s.n_caravans).astype(np.int64)
    s.c_members[:] = c_members
    np.maximum(s.c_peak, c_members, out=s.c_peak)
    s.g_dissolve[:] = False
    dissolve_share = float(p["caravan_dissolve_below_share"])
    if dissolve_share > 0:
        breaking = (c_members > 0) & (c_members < dissolve_share * s.c_peak)
        s.g_dissolve[:] = breaking[s.g_caravan]
        members = np.where(s.g_dissolve, 0, members)
    alive = s.g_active & (members > 0)
    if p["caravan_reform_probability_per_day"] > 0:
        alive |= reform_caravans(ctx, c_members)
    pv = s.place_values
    walk = float(p["walk_speed_km_per_day"])
    ride_speed = float(p["caravan_ride_speed_km_per_day"])
    ride_default = ride_defaults(ctx.network, p)
    factor = {MAIN: 1.0, VANGUARD: float(p["caravan_vanguard_speed_factor"]),
              STRAGGLERS: float(p["caravan_straggler_speed_factor"])}
    halt = (float(p["caravan_halt_probability_per_day"]),
            float(p["caravan_halt_probability_per_day_walked"]),
            float(p["caravan_halt_probability_per_1000_members"]) * ctx.people_per_agent / 1000.0,
            float(p["caravan_halt_shelter_factor"]))
    gap = float(p["caravan_regroup_gap_km"])
    s.g_arrived_today[:] = False
    s.g_activity[:] = G_HALTED
    for g in np.flatnonzero(alive):
        kind = int(s.g_kind[g])
        main = int(s.g_caravan[g])
        if s.g_status[g] == ARRIVED:
            continue
        if s.g_status[g] == AT_PLACE:
            here = int(s.g_place[g])
            if members[g] == 0 or votes[g] < p["caravan_quorum"] * members[g]:
                s.g_days_walked[g] = 0
                continue  # a rest day (or a re-formed caravan waiting for its members)
            hold = pv[P_HOLD, here]
            if hold > 0 and (hold >= 1 or draw(ctx.day_seed, CARAVAN, s.g_key[g],
                                               np.int64(S_G_HOLD)) < hold):
                continue  # held there (a sit-in, negotiations, a blockade)
        if ctx.day > s.spawn.group_start_day[main]:  # it sets out on its departure day
            at_shelter = s.g_status[g] == AT_PLACE and s.is_shelter[s.g_place[g]]
            ph = (halt[0] + halt[1] * s.g_days_walked[g] + halt[2] * members[g]) * (
                halt[3] if at_shelter else 1.0)
            if ph > 0 and draw(ctx.day_seed, CARAVAN, s.g_key[g], np.int64(S_G_HALT)) < ph:
                s.g_days_walked[g] = 0
                continue  # a rest day (at a place, or camped by the road)
        if (kind == VANGUARD and members[main] > 0
                and s.g_km_travelled[g] - s.g_km_travelled[main] > gap):
            continue  # the vanguard waits for the main body
        ride_p = pv[P_RIDE, int(s.g_place[g])]
        ride_p = ride_default[int(s.g_place[g])] if ride_p < 0 else ride_p
        rides = ride_p > 0 and draw(ctx.day_seed, CARAVAN, s.g_key[g], np.int64(S_G_RIDE)) < ride_p
        if walk_group(ctx, g, (ride_speed if rides else walk) * factor[kind], members[g]):
            s.g_activity[g] = G_RODE if rides else G_WALKED
            s.g_days_walked[g] += 1
    if p["caravan_rejoin_probability_per_day"] > 0:
        merge_groups(ctx, alive)
        s.rejoin_at[:] = -1
        halted = alive & (s.g_status == AT_PLACE) & (s.g_activity == G_HALTED)
        for g in np.flatnonzero(halted)[::-1]:  # the main body (lowest index) wins a place
            s.rejoin_at[s.g_caravan[g], s.g_place[g]] = g


#: countries of the "central_america" ride region
CENTRAL_AMERICA = ("HND", "GTM", "SLV", "NIC")
#: places west of this longitude (in Mexico or the US) are "beyond the Isthmus" of Tehuantepec
ISTHMUS_LON = -95.1


def ride_regions(network: Network) -> tuple[np.ndarray, np.ndarray]:
    """Per place: in Central America (by country), and beyond the Isthmus (MEX/USA, west)."""
    countries = np.array(network.countries, dtype=object)[network.country]
    central = np.isin(countries, CENTRAL_AMERICA)
    beyond = np.isin(countries, ("MEX", "USA")) & (network.lon < ISTHMUS_LON)
    return central, beyond


def ride_defaults(network: Network, p: dict) -> np.ndarray:
    """Daily ride probability per place where no `rides` lever sets it: the base rate plus
    its region's addition (clipped to 1)."""
    central, beyond = ride_regions(network)
    out = (float(p["caravan_ride_probability_per_day"])
           + central * float(p["caravan_ride_probability_central_america_per_day"])
           + beyond * float(p["caravan_ride_probability_beyond_isthmus_per_day"]))
    return np.minimum(out, 1.0)


def merge_groups(ctx: Context, alive: np.ndarray) -> None:
    """A vanguard or stragglers ending the day at the main body's place merge back into it
    (``caravan_rejoin_probability_per_day``, one draw per group and day)."""
    s: CorridorState = ctx.state
    n = s.n_caravans
    p_rejoin = float(ctx.params["caravan_rejoin_probability_per_day"])
    for g in np.flatnonzero(alive[n:]) + n:
        c = int(s.g_caravan[g])
        if not (alive[c] and s.g_status[g] == AT_PLACE and s.g_status[c] == AT_PLACE
                and s.g_place[g] == s.g_place[c]):
            continue
        if draw(ctx.day_seed, CARAVAN, s.g_key[g], np.int64(S_G_REGROUP)) >= p_rejoin:
            continue
        lo, hi = int(s.spawn.group_start[c]), min(int(s.spawn.group_end[c]), s.n_active)
        block = s.group[lo:hi]
        block[block == g] = c  # the kernel then moves them with the main body
        s.g_members[c] += s.g_members[g]
        s.g_members[g] = 0
        if s.g_activity[g] != G_HALTED:
            s.g_activity[c] = s.g_activity[g]  # they arrived today: counted as travelling


def walk_group(ctx: Context, g: int, budget: float, members: int) -> bool:
    """Move group ``g`` up to ``budget`` km along its route today; True if it moved."""
    s: CorridorState = ctx.state
    net = ctx.network
    moved = False
    aim = s.spawn.group_aim[s.g_caravan[g]]
    for hop in range(int(ctx.params["max_hops_per_day"]) + 1):  # walk on through towns
        if s.g_status[g] == AT_PLACE:
            u = draw(ctx.day_seed, CARAVAN, s.g_key[g], np.int64(S_GROUP_HOP + hop))
            e = choose_edge(net.indptr, s.routes[aim], int(s.g_place[g]), u)
            if e < 0 and aim != 0 and not s.routes[aim].any():  # aim cut off: nearest open
                e = choose_edge(net.indptr, s.routes[0], int(s.g_place[g]), u)
            if e < 0:
                break
            s.g_next[g] = net.target[e]
            s.g_km_left[g] = net.distance_km[e]
            s.g_status[g] = IN_TRANSIT
            ctx.recorder.flows[ctx.day, e] += members
        if s.g_status[g] != IN_TRANSIT:
            break
        step = min(budget, float(s.g_km_left[g]))
        budget -= step
        moved = True
        s.g_km_left[g] -= step
        s.g_km_travelled[g] += step
        if s.g_km_left[g] > 0:
            break
        s.g_place[g] = s.g_next[g]
        s.g_next[g] = -1
        s.g_arrived_today[g] = True
        s.g_status[g] = ARRIVED if s.is_destination[s.g_place[g]] else AT_PLACE
        if (budget <= 0 or s.g_status[g] == ARRIVED
                or s.place_values[P_HALT, s.g_place[g]] > 0):  # halted at a checkpoint
            break
    return moved


def reform_caravans(ctx: Context, c_members: np.ndarray) -> np.ndarray:
    """A caravan with nobody left may re-form where most of its dispersed members wait
    (yesterday's count); returns the groups re-formed today (empty until members rejoin)."""
    s: CorridorState = ctx.state
    p = ctx.params
    reformed = np.zeros(len(s.g_place), bool)
    least = float(p["caravan_reform_min_people"]) * ctx.scenario.agents_per_person
    for c in np.flatnonzero((c_members == 0) & (s.c_peak > 0) & s.g_active[:s.n_caravans]):
        where = int(np.argmax(s.dispersed_at[c]))
        if s.dispersed_at[c, where] < max(least, 1.0):
            continue
        if draw(ctx.day_seed, CARAVAN, s.spawn.group_key[c], np.int64(S_G_REFORM)) >= p[
                "caravan_reform_probability_per_day"]:
            continue
        s.g_place[c] = where
        s.g_next[c] = -1
        s.g_km_left[c] = 0.0
        s.g_status[c] = ARRIVED if s.is_destination[where] else AT_PLACE
        s.g_km_travelled[c] = max(float(s.g_km_travelled[c]), float(s.c_origin_km[c, where]))
        s.c_peak[c] = 0  # a new caravan: dissolution counts from its new peak
        reformed[c] = True
    return reformed


def group_position(ctx: Context, g: int) -> tuple[str, str, float, float]:
    """Where group ``g`` is: last place reached, the place its leg leads to ('' at a place),
    and lat/lon interpolated along the leg by km travelled."""
    s: CorridorState = ctx.state
    net = ctx.network
    here = int(s.g_place[g])
    lat, lon = net.lat[here], net.lon[here]
    nxt = ""
    if s.g_status[g] == IN_TRANSIT:
        n = int(s.g_next[g])
        leg = float(net.distance_km[net.edge(here, n)])
        f = 1.0 - float(s.g_km_left[g]) / leg if leg > 0 else 0.0
        lat, lon = lat + f * (net.lat[n] - lat), lon + f * (net.lon[n] - lon)
        nxt = net.ids[n]
    return net.ids[here], nxt, float(lat), float(lon)


def record_groups(ctx: Context) -> None:
    """One row per caravan per day: its head (the group furthest along), its main body (the
    group with most members at the end of the day), and its people by state."""
    s: CorridorState = ctx.state
    n = s.n_caravans
    for c in np.flatnonzero(s.g_active[:n]):
        groups = [int(c), int(c) + n, int(c) + 2 * n]
        alive = [g for g in groups if s.g_end_members[g] > 0]
        head = max(alive, key=lambda g: s.g_km_travelled[g]) if alive else int(c)
        body = max(alive, key=lambda g: s.g_end_members[g]) if alive else int(c)
        head_place, _, head_lat, head_lon = group_position(ctx, head)
        body_place, body_next, body_lat, body_lon = group_position(ctx, body)
        row = {
            "day": ctx.day,
            "group": s.spawn.group_names[c],
            "place": head_place,
            "km_from_origin": float(s.g_km_travelled[head]),
            "lat": head_lat,
            "lon": head_lon,
            "members": int(s.c_members[c]),
            "head_place": head_place,
            "head_lat": head_lat,
            "head_lon": head_lon,
            "head_km": float(s.g_km_travelled[head]),
            "body_place": body_place,
            "body_next": body_next,
            "body_lat": body_lat,
            "body_lon": body_lon,
            "body_km": float(s.g_km_travelled[body]),
            "body_members": int(s.g_end_members[body]),
        }
        for k, state in enumerate(MEMBER_STATES):
            row[f"members_{state}"] = int(s.member_states[c, k])
        ctx.recorder.groups.append(row)


PARALLEL_MIN_AGENTS = 65_536  # below this, threads cost more than they save
def kernel_threads() -> int:
    """Threads for this run's kernel (the bytes are the same for any number): one in ensemble,
    sweep and calibration workers (they already use every core, one member each) and when
    the other cores are busy (load average above cores - 1: measured on 2 cores at load 2.5-3,
    two threads gave 41-59 % of one thread's speed, the second core being someone else's);
    else one per core. A ``NUMBA_NUM_THREADS`` you set is used as it is (workers aside)."""
    if multiprocessing.parent_process() is not None:
        return 1
    if "NUMBA_NUM_THREADS" not in os.environ and os.getloadavg()[0] > (os.cpu_count() or 1) - 1:
        return 1
    if "numba" in sys.modules:  # numba's own count (what set_num_threads chose)
        import numba

        return numba.get_num_threads()
    # numba's default, without importing it (a serial run with compiled kernels never does)
    configured = os.environ.get("NUMBA_NUM_THREADS")
    if configured:
        return int(configured)
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere numba counts CPUs
    return max(1, len(affinity(0)) if affinity else os.cpu_count() or 1)


def kernel_chunks(n_active: int, threads: int) -> int:
    """How many chunks the kernel splits agents into (0: one serial sweep)."""
    parallel = threads > 1 and n_active >= PARALLEL_MIN_AGENTS
    return 4 * threads if parallel else 0


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
    s.member_states[:] = 0
    s.dispersed_at[:] = 0
    s.g_end_members[:] = 0
    shared = (
        ctx.day_seed, s.spawn.key, s.location, s.next_place, s.km_left, s.status,
        s.group, s.mode, s.days_here, s.flags, s.spawn.place, s.g_place, s.g_next, s.g_km_left,
        s.g_status, s.g_arrived_today, s.g_members, s.g_caravan, s.g_activity, s.g_dissolve,
        s.rejoin_at, net.indptr, net.target, net.distance_km, s.routes, s.aim, place,
        s.detention_of, s.scalars, deport_left, rec.flows[ctx.day], rec.counts[ctx.day], events,
        s.member_states, s.dispersed_at, s.g_end_members)
    chunks = kernel_chunks(s.n_active, s.threads)
    if chunks:
        import_module(KERNELS).step_agents(s.n_active, *shared, s.deferred, chunks)
    else:  # the serial kernel itself: the threaded one compiles only where it is used (~2x)
        kernels(KERNELS).sweep_agents(0, s.n_active, ALL, s.deferred, *shared)
    for k, name in enumerate(EVENTS):
        rec.extra[name][ctx.day] = events[k] / ctx.scenario.agents_per_person
    rec.extra["smuggling_revenue_usd"][ctx.day] = events[E_REVENUE]  # USD, already per person
    if s.n_caravans:
        record_groups(ctx)


def estimate_agents(scenario: Scenario, params: dict) -> float:
    """Agents of sources.csv plus the caravans' expected joiners (engine/budget.py)."""
    from corridor.engine.budget import source_agents

    total = source_agents(scenario)
    share = float(params.get("caravan_join_share_per_day", 0.0))
    if share > 0:
        caravans = replace(scenario, sources=scenario.sources[scenario.sources["group"] != "flow"])
        total += expected_joiners(source_agents(caravans), share,
                                  float(params.get("caravan_join_decay_days", 5.0)),
                                  scenario.days)
    return total


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
        # the state's arrays plus room for the spawn plan's temporaries; measured (tiny
        # scenario, peak RSS): +43 bytes per agent at 5 M agents, +750 bytes per place-day at
        # 40,000 days (recorder, event series, caravan rows, the written tables)
        bytes_per_agent=BYTES_PER_AGENT + 16,
        bytes_per_place_day=1024,
        estimate_agents=estimate_agents,
    )
)

__all__ = ["AGENT_ARRAYS", "BYTES_PER_AGENT", "KERNEL_BYTES_PER_AGENT", "RULES", "STATUSES",
           "CorridorState", "kind_code", "route_weights"]
