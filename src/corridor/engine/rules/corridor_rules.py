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

import numba as nb
import numpy as np

from corridor.engine.core import Context, Parameter, RuleSet, register
from corridor.engine.levers import nearest_of_kind, risk_ahead, todays_levers
from corridor.engine.network import Network, kind_code, shortest_km
from corridor.engine.rng import uniform
from corridor.engine.spawning import SpawnPlan, plan_spawns

STATUSES = ("at_place", "in_transit", "arrived", "detained", "deported", "returned",
            "asylum_waiting", "settled")
(AT_PLACE, IN_TRANSIT, ARRIVED, DETAINED, DEPORTED, RETURNED, ASYLUM_WAITING,
 SETTLED) = range(len(STATUSES))
FOOT, VEHICLE, SMUGGLED = 0, 1, 2  # travel modes
F_PERMIT, F_CAN_PAY, F_NEW = 1, 2, 4  # flag bits; F_NEW: has not yet left its first place

# per-day event series written to recorder.extra (people per day x place)
EVENTS = ("stopped", "detained", "deported", "released", "relocated", "permits_issued",
          "asylum_applications", "smuggled", "smuggling_revenue_usd", "entries", "encounters",
          "returned", "settled")
(E_STOPPED, E_DETAINED, E_DEPORTED, E_RELEASED, E_RELOCATED, E_PERMITS, E_ASYLUM, E_SMUGGLED,
 E_REVENUE, E_ENTRIES, E_ENCOUNTERS, E_RETURNED, E_SETTLED) = range(len(EVENTS))
# rows of the per-place values the kernel reads (and decrements, for capacities)
(P_STOP, P_DETAIN_CAP, P_PERMIT_CAP, P_ASYLUM_CAP, P_PRICE, P_PORT_CAP, P_RISK, P_FULL,
 P_IS_DEST, P_IS_PORT, P_DET_CAP, P_DET_OCC) = range(12)

# random streams (see rng.py): one per independent decision of an agent in a day
(S_MOVE, S_SPLIT, S_VOTE, S_MODE, S_GROUP, S_STOP, S_DETAIN, S_OUTCOME, S_ASYLUM, S_RETURN,
 S_SMUGGLE, S_IRREGULAR, S_ENCOUNTER, S_PAY) = range(14)
S_HOP = 16  # S_HOP + k: route choice on the k-th same-day hop of a vehicle traveller
S_GROUP_HOP = 48  # S_GROUP_HOP + k: a caravan's route choice on its k-th leg of the day

P = Parameter
PARAMETERS = (
    P("walk_speed_km_per_day", 25.0, "km walked on a travelling day",
      "seed 002: the Dec 2023 caravan advanced ~70 km Tapachula->Escuintla in 3 days "
      "(24->27 Dec, ~23 km/day); next stage 35 km; the issue's 20-35 km/day"),
    P("vehicle_speed_km_per_day", 400.0, "km a bus/vehicle traveller covers in a day",
      "estimate: ~50 km/h average over ~8 h of road travel"),
    P("flow_vehicle_share", 0.5, "share of flow agents who travel by bus or vehicle",
      "estimate: no figure in the seeds; buses and hired vehicles are common on the corridor"),
    P("flow_move_probability", 0.5,
      "daily probability that a flow agent at a (non-destination) place sets out",
      "estimate: one rest/work/waiting day per travelling day on average"),
    P("caravan_move_probability", 0.8,
      "daily probability that a caravan member wants to walk on (a vote)",
      "estimate: caravans rest about one day in five (seed 002: a 24-hour sit-in planned)"),
    P("caravan_quorum", 0.5,
      "share of members who must want to walk for the caravan to move that day",
      "estimate: a simple majority"),
    P("caravan_split_probability_per_day", 0.012,
      "daily probability that a member leaves the caravan and travels on their own",
      "estimate: slow attrition of ~1 %/day over a weeks-long walk; seed 002's quick drop "
      "from ~10,000 to a bulk of ~6,000 is groups spreading ahead, not leaving"),
    P("route_detour_power", 3.0, "how strongly route choice avoids detours (>= 0)",
      "estimate: a 10 % detour keeps ~75 % of the weight of the shortest road"),
    P("max_hops_per_day", 4, "most places a vehicle traveller passes in one day",
      "estimate: bounds same-day connections"),
    # enforcement
    P("checkpoint_agents_for_63pct_stop", 800.0,
      "agents deployed at a place that stop 63 % (1 - 1/e) of walkers passing it",
      "estimate: seed 000 - ~800 agents meant to seal El Ceibo with 24-hour surveillance"),
    P("detentions_per_agent_per_day", 0.5, "people one deployed agent can process per day",
      "estimate: detention is paperwork-bound; a few people per agent per shift"),
    P("bus_stop_factor", 1.5, "stop probability multiplier for bus/vehicle travellers",
      "estimate: INM boards and inspects buses at inland checkpoints"),
    P("foot_stop_factor", 1.0, "stop probability multiplier for walkers", "reference level"),
    P("smuggled_stop_factor", 0.3, "stop probability multiplier for smuggled travellers",
      "estimate: smugglers avoid checkpoints (seed 003: a market because they evade control)"),
    P("caravan_visibility_people", 300.0,
      "caravan size at which members' stop probability halves (k / (k + members))",
      "seed 004: ~6,000 passed the inland checkpoint and 'officers did nothing to stop them'"
      " -> a caravan of 6,000 loses at most ~5 % at a fully manned checkpoint"),
    P("detention_mean_days", 5.0, "mean days held before deportation, relocation or release",
      "estimate: INM stations hold people days to weeks"),
    P("deport_share", 0.5, "share of those leaving detention who are deported",
      "estimate: seed 000 - of >9,000, 2,374 returned and 955 referred to authorities"),
    P("relocate_share", 0.3, "share bused back south to where they entered",
      "estimate: relocation to Tapachula/Villahermosa is common practice"),
    P("deportation_capacity_per_day", 1000.0, "people who can be deported per day in total",
      "estimate: a few buses and flights a day"),
    # permits and asylum
    P("asylum_apply_probability", 0.1,
      "daily probability that someone at a place with an asylum office applies",
      "estimate"),
    P("asylum_mean_wait_days", 45.0, "mean days waiting for an asylum decision",
      "estimate: COMAR decisions take weeks to months"),
    P("asylum_settle_share", 0.4, "share of decided applicants who settle in Mexico",
      "estimate"),
    P("asylum_continue_share", 0.4, "share who continue north with papers (rest give up)",
      "estimate"),
    # smuggling
    P("smuggler_base_price_usd", 3000.0,
      "smuggler price to the US border with no enforcement ahead (a smuggling row's value "
      "overrides it)", "estimate: widely reported prices of a few thousand USD"),
    P("smuggler_price_elasticity", 2.0,
      "relative price rise per unit of detection risk ahead: price = base (1 + e risk)",
      "estimate: seed 003 - containment makes crossing a growing, profitable market"),
    P("smuggler_share_can_pay", 0.3, "share of people who could pay a smuggler",
      "estimate"),
    P("smuggler_hire_max_per_day", 0.3,
      "daily hire probability for someone who can pay, at certain detection and zero price",
      "estimate: p = max * risk_ahead * exp(-price / willingness)"),
    P("smuggler_willingness_usd", 6000.0, "price at which demand falls to 1/e", "estimate"),
    # US border
    P("irregular_crossing_probability", 0.3,
      "daily probability that someone waiting at a full or closed port crosses between ports",
      "estimate"),
    P("border_patrol_encounter_probability", 0.8,
      "share of irregular crossers encountered by the Border Patrol",
      "estimate: seed 004 - up to 10,000 apprehended daily in Dec 2023"),
    P("us_release_share", 0.6, "share of encountered people released into the US to proceed",
      "estimate: most Dec 2023 encounters were processed and released with a notice to appear"),
    P("trade_usd_per_closed_port_day", 50e6, "trade blocked per closed port per day (USD)",
      "estimate: 2023 US-Mexico goods trade ~US$ 800 bn (US Census) / 365 days / ~45 "
      "crossings; seed 004 says closures harmed Mexican companies"),
    P("return_base_probability_per_day", 0.0005, "daily probability of giving up and going home",
      "estimate"),
    P("return_probability_per_day_waited", 0.00005,
      "added daily probability of giving up per day already waited at a place", "estimate"),
)

# the scalar parameters the kernel reads, in one float64 array
(C_MOVE, C_WALK, C_VEHICLE, C_MAX_HOPS, C_FOOT_FACTOR, C_BUS_FACTOR, C_SMUGGLED_FACTOR,
 C_CARAVAN_VISIBILITY, C_LEAVE_DETENTION, C_DEPORT_SHARE, C_RELOCATE_SHARE, C_ASYLUM_APPLY,
 C_ASYLUM_DECIDE, C_SETTLE_SHARE, C_CONTINUE_SHARE, C_HIRE_MAX, C_WILLING_USD,
 C_PEOPLE_PER_AGENT, C_IRREGULAR, C_ENCOUNTER, C_US_RELEASE, C_RETURN_BASE,
 C_RETURN_PER_DAY) = range(23)


def kernel_scalars(params: dict, agents_per_person: float) -> np.ndarray:
    """Pack the parameters the kernel needs (rates from mean durations)."""
    return np.array([
        params["flow_move_probability"], params["walk_speed_km_per_day"],
        params["vehicle_speed_km_per_day"], params["max_hops_per_day"],
        params["foot_stop_factor"], params["bus_stop_factor"], params["smuggled_stop_factor"],
        params["caravan_visibility_people"] * agents_per_person,
        1.0 / max(params["detention_mean_days"], 1.0), params["deport_share"],
        params["relocate_share"], params["asylum_apply_probability"],
        1.0 / max(params["asylum_mean_wait_days"], 1.0), params["asylum_settle_share"],
        params["asylum_continue_share"], params["smuggler_hire_max_per_day"],
        params["smuggler_willingness_usd"], 1.0 / agents_per_person,
        params["irregular_crossing_probability"], params["border_patrol_encounter_probability"],
        params["us_release_share"], params["return_base_probability_per_day"],
        params["return_probability_per_day_waited"],
    ], dtype=np.float64)


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
    policies = ctx.scenario.policies
    active = (
        ((policies["from_date"] <= ctx.date) & (policies["to_date"] >= ctx.date)).to_numpy(bool)
        if len(policies) else np.zeros(0, bool)
    )
    key = active.tobytes()
    if key != s.policy_key:
        s.policy_key = key
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
    levers = todays_levers(net, ctx.scenario.policies, ctx.date, params,
                           ctx.scenario.agents_per_person)
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


@nb.njit(cache=True, inline="always")
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
def caravan_votes(group, mode, g_start, g_end, g_start_day, day, n_active, day_seed, p_split,
                  p_move, vehicle_share, n_groups):  # noqa: ANN001,ANN201
    """Split-offs and votes, visiting only each caravan's contiguous agent range.

    Nobody splits off on the day a caravan sets out: everyone who left, left with it."""
    votes = np.zeros(n_groups, np.int64)
    members = np.zeros(n_groups, np.int64)
    for g in range(n_groups):
        splitting = day > g_start_day[g]
        for i in range(g_start[g], min(g_end[g], n_active)):
            if group[i] != g:
                continue
            if splitting and uniform(day_seed, i, S_SPLIT) < p_split:
                group[i] = -1
                mode[i] = VEHICLE if uniform(day_seed, i, S_MODE) < vehicle_share else FOOT
                continue
            members[g] += 1
            if uniform(day_seed, i, S_VOTE) < p_move:
                votes[g] += 1
    return votes, members


@nb.njit(cache=True)
def try_stop(i, here, mode, flags, location, status, place, detention_of, sc, day_seed,
             size_factor, events):  # noqa: ANN001,ANN201
    """Checkpoint/patrol at ``here``: maybe detain agent i (True if detained)."""
    p = place[P_STOP, here]
    if p <= 0.0 or flags[i] & F_PERMIT or place[P_DETAIN_CAP, here] < 1.0:
        return False
    m = mode[i]
    factor = sc[C_FOOT_FACTOR] if m == FOOT else (
        sc[C_BUS_FACTOR] if m == VEHICLE else sc[C_SMUGGLED_FACTOR])
    if uniform(day_seed, i, S_STOP) >= p * factor * size_factor:
        return False
    place[P_DETAIN_CAP, here] -= 1.0
    events[E_STOPPED, here] += 1.0
    d = detention_of[here]
    if d < 0:
        d = here
    if place[P_DET_OCC, d] + 1.0 > place[P_DET_CAP, d]:  # full: released on the spot
        events[E_RELEASED, here] += 1.0
        return False
    events[E_DETAINED, here] += 1.0
    place[P_DET_OCC, d] += 1.0
    location[i] = d
    status[i] = DETAINED
    return True


@nb.njit(cache=True)
def step_agents(n_active, day_seed, location, next_place, km_left, status, group, mode,
                days_here, flags, home, g_place, g_next, g_km_left, g_status, g_arrived_today,
                g_members, indptr, target, distance_km, routes, aim, place, detention_of, sc,
                deport_left, flows, counts, events):  # noqa: ANN001,ANN201
    """One day for every active agent: the fused act/choose/travel/arrive/record kernel.

    ``place`` holds today's per-place lever values (rows P_*), ``sc`` the scalar parameters
    (C_*), ``events`` collects per-place event counts (rows E_*).
    """
    for i in range(n_active):
        g = group[i]
        if g >= 0:  # caravan member: same place, leg and status as its caravan
            here = g_place[g]
            location[i] = here
            next_place[i] = g_next[g]
            km_left[i] = g_km_left[g]
            status[i] = g_status[g]
            size = sc[C_CARAVAN_VISIBILITY] / (sc[C_CARAVAN_VISIBILITY] + g_members[g])
            if g_arrived_today[g] and try_stop(i, here, mode, flags, location, status, place,
                                               detention_of, sc, day_seed, size, events):
                group[i] = -1
                next_place[i] = -1
            elif status[i] == AT_PLACE and place[P_PERMIT_CAP, here] >= 1.0:
                place[P_PERMIT_CAP, here] -= 1.0  # a permit dissolves the member's caravan tie
                events[E_PERMITS, here] += 1.0
                flags[i] |= F_PERMIT
                mode[i] = VEHICLE
                group[i] = -1
            counts[location[i], status[i]] += 1
            continue
        st = status[i]
        here = location[i]
        if st == DETAINED:
            if uniform(day_seed, i, S_DETAIN) < sc[C_LEAVE_DETENTION]:
                u = uniform(day_seed, i, S_OUTCOME)
                if u < sc[C_DEPORT_SHARE]:
                    if deport_left[0] >= 1.0:
                        deport_left[0] -= 1.0
                        status[i] = DEPORTED
                        events[E_DEPORTED, here] += 1.0
                elif u < sc[C_DEPORT_SHARE] + sc[C_RELOCATE_SHARE]:
                    status[i] = AT_PLACE
                    location[i] = home[i]
                    days_here[i] = 0
                    events[E_RELOCATED, here] += 1.0
                else:
                    status[i] = AT_PLACE
                    flags[i] |= F_PERMIT  # released with an exit order / permit
                    days_here[i] = 0
                    events[E_RELEASED, here] += 1.0
        elif st == ASYLUM_WAITING:
            if uniform(day_seed, i, S_ASYLUM) < sc[C_ASYLUM_DECIDE]:
                u = uniform(day_seed, i, S_OUTCOME)
                if u < sc[C_SETTLE_SHARE]:
                    status[i] = SETTLED
                    events[E_SETTLED, here] += 1.0
                elif u < sc[C_SETTLE_SHARE] + sc[C_CONTINUE_SHARE]:
                    status[i] = AT_PLACE
                    flags[i] |= F_PERMIT
                    mode[i] = VEHICLE
                    days_here[i] = 0
                else:
                    status[i] = RETURNED
                    events[E_RETURNED, here] += 1.0
        elif st == AT_PLACE:
            # act: give up, take a permit, apply for asylum, hire a smuggler, or set out
            while True:  # one pass; `break` ends the agent's action for today
                if place[P_IS_DEST, here] > 0.0:
                    break
                if flags[i] & F_NEW:  # people entering at a controlled crossing face it too
                    flags[i] &= np.uint8(255 - F_NEW)
                    if place[P_STOP, here] > 0.0 and try_stop(
                            i, here, mode, flags, location, status, place, detention_of, sc,
                            day_seed, 1.0, events):
                        break
                wait = min(float(days_here[i]), 365.0)
                p_return = sc[C_RETURN_BASE] + sc[C_RETURN_PER_DAY] * wait
                if uniform(day_seed, i, S_RETURN) < p_return:
                    status[i] = RETURNED
                    events[E_RETURNED, here] += 1.0
                    break
                permit = flags[i] & F_PERMIT
                if not permit and place[P_PERMIT_CAP, here] >= 1.0:
                    place[P_PERMIT_CAP, here] -= 1.0
                    events[E_PERMITS, here] += 1.0
                    flags[i] |= F_PERMIT
                    mode[i] = VEHICLE
                    permit = 1
                if (not permit and place[P_ASYLUM_CAP, here] >= 1.0
                        and uniform(day_seed, i, S_ASYLUM) < sc[C_ASYLUM_APPLY]):
                    place[P_ASYLUM_CAP, here] -= 1.0
                    events[E_ASYLUM, here] += 1.0
                    status[i] = ASYLUM_WAITING
                    break
                price = place[P_PRICE, here]
                if (price > 0.0 and not permit and mode[i] != SMUGGLED and flags[i] & F_CAN_PAY):
                    p_hire = (sc[C_HIRE_MAX] * place[P_RISK, here]
                              * np.exp(-price / sc[C_WILLING_USD]))
                    if uniform(day_seed, i, S_SMUGGLE) < p_hire:
                        mode[i] = SMUGGLED
                        events[E_SMUGGLED, here] += 1.0
                        events[E_REVENUE, here] += price * sc[C_PEOPLE_PER_AGENT]
                pm = 1.0 if place[P_FULL, here] > 0.0 or mode[i] == SMUGGLED else sc[C_MOVE]
                u = uniform(day_seed, i, S_MOVE)
                if u >= pm:
                    if days_here[i] < 32767:
                        days_here[i] += 1
                    break
                e = choose_edge(indptr, routes[aim[i]], here, u / pm)
                if e < 0 and aim[i] != 0:  # no way to its own aim (closed): the nearest open
                    e = choose_edge(indptr, routes[0], here, u / pm)
                if e < 0:
                    if days_here[i] < 32767:
                        days_here[i] += 1
                    break
                nxt = target[e]
                if place[P_IS_PORT, here] > 0.0 and place[P_IS_DEST, nxt] > 0.0:
                    if place[P_PORT_CAP, here] >= 1.0:  # an appointment: a regular entry
                        place[P_PORT_CAP, here] -= 1.0
                        events[E_ENTRIES, here] += 1.0
                    elif uniform(day_seed, i, S_IRREGULAR) < sc[C_IRREGULAR]:  # between ports
                        if uniform(day_seed, i, S_ENCOUNTER) < sc[C_ENCOUNTER]:
                            events[E_ENCOUNTERS, here] += 1.0
                            if uniform(day_seed, i, S_OUTCOME) >= sc[C_US_RELEASE]:
                                days_here[i] = 0  # returned to the Mexican side: waits again
                                break
                    else:
                        if days_here[i] < 32767:
                            days_here[i] += 1  # waits in the border city
                        break
                next_place[i] = nxt
                km_left[i] = distance_km[e]
                status[i] = IN_TRANSIT
                flows[e] += 1
                days_here[i] = 0
                break
        if status[i] == IN_TRANSIT:
            # travel: advance along the leg; face checkpoints on arrival; vehicles go on
            budget = sc[C_WALK] if mode[i] == FOOT else sc[C_VEHICLE]
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
                if place[P_IS_DEST, here] > 0.0:
                    status[i] = ARRIVED
                    break
                status[i] = AT_PLACE
                if place[P_STOP, here] > 0.0 and try_stop(
                        i, here, mode, flags, location, status, place, detention_of, sc,
                        day_seed, 1.0, events):
                    break
                if (mode[i] == FOOT or hops >= sc[C_MAX_HOPS] or budget <= 0.0
                        or place[P_IS_PORT, here] > 0.0):
                    break
                u = uniform(day_seed, i, S_HOP + hops)
                e = choose_edge(indptr, routes[aim[i]], here, u)
                if e < 0 and aim[i] != 0:
                    e = choose_edge(indptr, routes[0], here, u)
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
