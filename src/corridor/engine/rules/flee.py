"""Rule set ``flee``: Flee 3's default movement rules, re-implemented on corridor's arrays.

Follows Flee (github djgroen/flee) as RULES.md in ../shared/flee reads it. A day, in Flee's
order (runscripts/run.py + Ecosystem.evolve):

1. ``conflicts``  InputGeography.AddNewConflictZones: outbreaks start/end (policies ``conflict``).
2. ``spawn``      spawning.spawn_daily_displaced: the day's new agents (a number fixed by the
                  UNHCR series, seed-independent) drawn over conflict zones with weight
                  pop x intensity x decay (Ecosystem.pick_spawn_locations).
3. ``closures``   Ecosystem.enact_border_closures: links and camps close or reopen.
4. ``move``       Ecosystem.evolve: scores (scoring.updateLocationScore), then one serial
                  numba sweep: decisions, route choice, travel with same-day hops, recent
                  travel (see flee_kernels.py).
5. ``record``     counts at the end of the day (Flee's output row for day t).

Deliberate differences from Flee (docs/flee.md): random numbers come from corridor's
counter-based generator, not Python's ``random``/NumPy's global state, so runs match Flee
in distribution, not draw for draw; link order inside a location is by place index, not by
routes.csv order (it changes which draw picks which path, not the probabilities); Flee 3.1's
``link`` closures (which never match because of an ``is not`` string comparison) do close
the link here; agents with an unfinished multi-link route always continue (Flee head; 3.1
re-draws the place's move chance, which only matters with awareness_level >= 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from corridor.engine.compiled import kernels
from corridor.engine.core import Context, RuleSet, register
from corridor.engine.rules.flee_params import LEVERS, PARAMETERS
from corridor.engine.rules.flee_setup import (
    MAX_ROUTE_NODES,
    Events,
    Paths,
    SpawnSchedule,
    conflict_decay,
    daily_events,
    enumerate_paths,
    estimate_agents,
    kind_flags,
    place_column,
    route_column,
    spawn_schedule,
)

AT_PLACE, IN_TRANSIT = 0, 1
KERNELS = "corridor.engine.rules.flee_kernels"  # compiled ahead of time or JIT: engine/compiled.py
STATUSES = ("at_place", "in_transit")
S_SPAWN = -1  # random stream of the spawn draw (movement streams count up from 0)


@dataclass
class FleeState:
    """Struct of arrays: ~60 bytes per agent (route = MAX_ROUTE_NODES int32), plus places."""

    n_agents: int
    n_active: int
    schedule: SpawnSchedule
    events: Events
    paths: Paths
    # agents
    loc: np.ndarray  # int32: place, or the place the current link leaves
    edge: np.ndarray  # int32: link being travelled, -1 at a place
    km_on_link: np.ndarray  # float64
    km_today: np.ndarray  # float64
    recent: np.ndarray  # float64: Flee's recent_travel_distance
    route: np.ndarray  # int32 [agents, MAX_ROUTE_NODES]
    route_len: np.ndarray  # int32
    route_pos: np.ndarray  # int32
    travelled: np.ndarray  # uint8: has arrived somewhere (Flee places_travelled > 1)
    bounced: np.ndarray  # uint8: on a link that closed -> returns to its start
    cand: np.ndarray  # int32 work array of the kernel: today's movers and travellers
    cand_stream: np.ndarray  # int64 work array of the kernel: their next random stream
    # places
    count: np.ndarray  # int64 agents at each place (Flee numAgents)
    link_count: np.ndarray  # int64 agents on each link
    movechance: np.ndarray
    camp: np.ndarray  # bool
    town: np.ndarray  # bool
    conflict: np.ndarray  # float64 intensity, -1 = none
    t_conflict: np.ndarray  # int64 day the outbreak began
    foreign: np.ndarray  # bool
    pop: np.ndarray  # float64 population (spawn weight)
    capacity: np.ndarray  # float64 agents; < 1 = unlimited
    marker: np.ndarray  # bool
    # links
    edge_open: np.ndarray
    link_speed: np.ndarray  # float64, 0 = use max_move_speed
    walk_prob: np.ndarray
    distance: np.ndarray  # float64
    spawn_time: int = -1  # day the spawn weights were last computed (Flee's lag, see spawn)


def _base_movechance(flags: dict[str, np.ndarray], p: dict) -> np.ndarray:
    mc = np.full(len(flags["camp"]), float(p["default_movechance"]))
    mc[flags["forward"] | flags["marker"]] = 1.0
    mc[flags["camp"]] = p["camp_movechance"]
    mc[flags["idpcamp"]] = p["idpcamp_movechance"]
    return mc


def init(ctx: Context) -> FleeState:
    """Build the state: places from Flee's Location constructor, camps pre-filled on day 0."""
    net, p, sc = ctx.network, ctx.params, ctx.scenario
    if not 0 <= int(p["awareness_level"]) <= 3:
        from corridor.errors import CorridorError

        raise CorridorError("awareness_level must be 1, 2 or 3 (Flee's 0 never moves agents)")
    flags = kind_flags(net)
    schedule = spawn_schedule(sc, net, p)
    events = daily_events(sc, net)
    n = schedule.n_agents
    aps = sc.agents_per_person
    movechance = _base_movechance(flags, p)
    town = flags["town"].copy()
    conflict = np.full(net.n_places, -1.0)
    t_conflict = np.full(net.n_places, -1, np.int64)
    for place, (intensity, day) in events.initial_conflict.items():
        conflict[place], t_conflict[place] = intensity, day
        movechance[place] = p["conflict_movechance"]
        town[place] = False
    # A non-camp with movechance < 0.005 becomes a camp (flee.Location.__init__).
    camp = flags["camp"] | ((movechance < 0.005) & ~flags["camp"])
    town &= ~camp
    # Flee's int(pop // hasten) and camp capacity (the last locations.csv column)
    pop = np.floor(place_column(sc, net, "population", 0.0) * aps)
    capacity = np.where(np.isfinite(net.capacity), np.floor(net.capacity * aps), 0.0)
    if "home" in sc.places.columns:
        foreign = ~sc.places["home"].astype(bool).to_numpy()
    else:
        foreign = net.country != net.country[0]
    edge_open = np.ones(net.n_edges, bool)
    state = FleeState(
        n_agents=n, n_active=len(schedule.day0_place), schedule=schedule, events=events,
        paths=enumerate_paths(net, edge_open, int(p["awareness_level"]), flags["marker"]),
        loc=np.zeros(n, np.int32), edge=np.full(n, -1, np.int32),
        km_on_link=np.zeros(n), km_today=np.zeros(n), recent=np.zeros(n),
        route=np.full((n, MAX_ROUTE_NODES), -1, np.int32), route_len=np.zeros(n, np.int32),
        route_pos=np.zeros(n, np.int32), travelled=np.zeros(n, np.uint8),
        bounced=np.zeros(n, np.uint8), cand=np.zeros(n, np.int32),
        cand_stream=np.zeros(n, np.int64),
        count=np.zeros(net.n_places, np.int64), link_count=np.zeros(net.n_edges, np.int64),
        movechance=movechance, camp=camp, town=town, conflict=conflict, t_conflict=t_conflict,
        foreign=np.asarray(foreign, bool), pop=pop, capacity=capacity, marker=flags["marker"],
        edge_open=edge_open,
        link_speed=route_column(sc, net, "max_move_speed", 0.0),
        walk_prob=route_column(sc, net, "walk_probability", 0.0),
        distance=net.distance_km.astype(np.float64),
    )
    n0 = len(schedule.day0_place)
    state.loc[:n0] = schedule.day0_place
    np.add.at(state.count, schedule.day0_place, 1)
    if p["day0_capacity_reduction"] and p["insert_day0"] and not p["empty_camps_on_day0"]:
        for name, k in schedule.day0_counts.items():
            q = net.place(name)
            if state.capacity[q] > 0:
                state.capacity[q] -= k
    return state


def conflicts(ctx: Context) -> None:
    """add_conflict_zone / remove_conflict_zone for today's outbreaks and their ends."""
    s: FleeState = ctx.state
    p, t = ctx.params, ctx.day
    changed = False
    for place in s.events.conflict_end.get(t, []):
        s.conflict[place] = -1.0
        s.movechance[place] = p["default_movechance"]
        s.town[place] = True
        changed = True
    for place, intensity in s.events.conflict_start.get(t, []):
        s.conflict[place] = intensity
        s.movechance[place] = p["conflict_movechance"]
        s.town[place] = False
        s.t_conflict[place] = t
        changed = True
    if changed or s.spawn_time < 0:
        s.spawn_time = t  # both call refresh_spawn_weights at today's time


def spawn_weights(s: FleeState, params: dict, time: int) -> np.ndarray:
    """spawning.refresh_spawn_weights: pop x intensity x decay(time - t_conflict), conflict
    zones only."""
    on = s.conflict > 0.0
    w = np.zeros(len(s.conflict))
    decay = conflict_decay(params, time - s.t_conflict)
    w[on] = s.pop[on] * s.conflict[on] * decay[on]
    return w


def spawn(ctx: Context) -> None:
    """Today's new agents at conflict zones. Flee draws them with the weights of its last
    refresh: today's if a conflict started or ended today, else yesterday's (the refresh
    inside yesterday's evolve) -- so a decay step shows in spawning one day late."""
    s: FleeState = ctx.state
    t = ctx.day
    n_new = int(s.schedule.new_per_day[t])
    weights_time = s.spawn_time if s.spawn_time == t else max(t - 1, 0)
    if n_new:
        w = spawn_weights(s, ctx.params, weights_time)
        if w.sum() <= 0:
            from corridor.errors import CorridorError

            raise CorridorError(f"day {t}: {n_new} agents to spawn but no conflict zone "
                                "(Flee stops with an assertion here)")
        kernels(KERNELS).place_new_agents(s.n_active, n_new, ctx.day_seed, S_SPAWN,
                                          np.cumsum(w), s.loc, s.count)
        s.n_active += n_new


def closures(ctx: Context) -> None:
    """enact_border_closures: close/reopen links and camps scheduled for today."""
    s: FleeState = ctx.state
    p, t, net = ctx.params, ctx.day, ctx.network
    todays = s.events.closures.get(t, [])
    for edges, close in todays:
        if close:
            newly = edges[s.edge_open[edges]]
            s.edge_open[edges] = False
            if len(newly):  # agents on a link that closes walk back to its start
                on = np.isin(s.edge[: s.n_active], newly)
                s.bounced[: s.n_active][on] = 1
        else:
            s.edge_open[edges] = True
    if todays:
        s.paths = enumerate_paths(net, s.edge_open, int(p["awareness_level"]), s.marker)
    for place, closed in s.events.camp.get(t, []):
        s.conflict[place] = -1.0
        if closed:  # Location.close_camp: becomes a town
            s.camp[place], s.town[place] = False, True
            s.movechance[place] = p["default_movechance"]
        else:  # Location.open_camp
            s.camp[place], s.town[place] = True, False
            s.movechance[place] = p["camp_movechance"]


def scores(s: FleeState, params: dict, time: int) -> np.ndarray:
    """scoring.updateLocationScore: 1 x foreign_weight x camp_weight x
    conflict_weight ** (decay x intensity)."""
    score = np.ones(len(s.conflict))
    score[s.foreign] *= params["foreign_weight"]
    score[s.camp] *= params["camp_weight"]
    on = s.conflict > 0.0
    decay = conflict_decay(params, time - s.t_conflict)
    score[on] *= params["conflict_weight"] ** (decay[on] * s.conflict[on])
    return score


def path_base(s: FleeState, params: dict, score: np.ndarray) -> np.ndarray:
    """The count-independent part of calculateLinkWeight for every path."""
    end, km = s.paths.end, s.paths.km
    return (params["weight_softening"] + score[end]) / (
        (params["softening_km"] + km) ** params["distance_power"])


def move(ctx: Context) -> None:
    """Ecosystem.evolve: today's scores, then the serial decision + travel sweep."""
    s: FleeState = ctx.state
    p, net = ctx.params, ctx.network
    base = path_base(s, p, scores(s, p, ctx.day))
    flows_today = ctx.recorder.flows[ctx.day]
    kernels(KERNELS).step_day(
        s.n_active, ctx.day_seed, s.loc, s.edge, s.km_on_link, s.km_today, s.recent, s.route,
        s.route_len, s.route_pos, s.travelled, s.bounced, s.count, s.link_count, flows_today,
        s.movechance, s.town, s.camp, s.capacity, float(p["capacity_scaling"]),
        float(p["capacity_buffer"]), float(p["weight_power"]), net.indptr, net.source,
        net.target, s.distance, s.link_speed, s.walk_prob, s.edge_open, s.paths.ptr,
        s.paths.end, base, s.paths.nodes, s.paths.length,
        float(p["max_move_speed_km_per_day"]), float(p["max_walk_speed_km_per_day"]),
        bool(p["start_on_foot"]), bool(p["avoid_short_stints"]), s.cand, s.cand_stream,
    )


def record(ctx: Context) -> None:
    """Agents at places and on links (counted at the place the link leaves), end of day."""
    s: FleeState = ctx.state
    counts = ctx.recorder.counts[ctx.day]
    counts[:, AT_PLACE] = s.count
    counts[:, IN_TRANSIT] = np.bincount(ctx.network.source, weights=s.link_count,
                                        minlength=ctx.network.n_places).astype(np.int64)


def agent_days_per_second(agents: int, days: int, seconds: float) -> float:
    """Throughput figure used by the benchmark (agents alive on average x days / s)."""
    return agents * days / seconds if seconds > 0 else math.inf


RULES = register(
    RuleSet(
        name="flee",
        parameters=PARAMETERS,
        statuses=STATUSES,
        init=init,
        phases=(("conflicts", conflicts), ("spawn", spawn), ("closures", closures),
                ("move", move), ("record", record)),
        describe="Flee 3 default rules (djgroen/flee), vectorised: see docs/flee.md",
        levers=LEVERS,
        # estimate: FleeState holds 86 bytes per agent (a route of 8 int32 nodes, 3 float64,
        # 5 int32, 1 int64, 2 uint8) plus kernel scratch
        bytes_per_agent=128,
        bytes_per_place_day=512,
        estimate_agents=estimate_agents,
    )
)
