"""Everything the ``flee`` rules compute once before day 0: the spawn series, the daily events
(conflicts, closures, camp closures) and the route paths a location's agents can choose from.

Kept apart from the rule set so that each piece can be tested on its own against Flee's
formulas (``flee/datamanager/DataTable.py``, ``flee/spawning.py``, ``flee/moving.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.engine.levers import target_edges
from corridor.engine.network import Network, kind_code
from corridor.errors import CorridorError
from corridor.scenario.flee_import import interpolate
from corridor.scenario.model import Scenario

MAX_ROUTE_NODES = 8  # awareness <= 3 links; markers add pass-through nodes

def observation_series(scenario: Scenario) -> dict[str, list[tuple[int, float]]]:
    """The UNHCR series in data_layout order as (day, people) rows, keyed by Flee's name
    (``total`` = refugees.csv). Uses the ``series`` column the Flee import writes; for other
    scenarios ``registered`` rows with an empty place are the total."""
    obs = scenario.observations
    if obs is None or obs.empty:
        return {}
    if "series" in obs.columns:
        names = obs["series"].astype(str)
    else:
        obs = obs[obs["kind"] == "registered"]
        names = obs["place"].astype(str).where(obs["place"].astype(str) != "", "total")
    out: dict[str, list[tuple[int, float]]] = {}
    for name, date, low, high in zip(names, obs["date"], obs["low"], obs["high"], strict=True):
        value = float(low) if pd.notna(low) else float(high)
        if pd.isna(value):
            continue
        out.setdefault(name, []).append((scenario.day_of(date), value))
    return out


def estimate_agents(scenario: Scenario, params: dict) -> float:
    """At most how many agents a run spawns (float, for the memory check before a run): the
    peak of the series it spawns from (camps summed, or refugees.csv's total), scaled."""
    peaks = {name: max((v for _, v in rows), default=0.0)
             for name, rows in observation_series(scenario).items()}
    camps = sum(v for name, v in peaks.items() if name != "total")
    spawned = camps if params.get("spawn_mode") == "camps" else peaks.get("total", 0.0)
    return scenario.agents_per_person * max(spawned, 0.0)


def daily_int_series(table: list[tuple[int, float]], days: int, scale: float) -> np.ndarray:
    """int(interpolated count) for each day, as DataTable.get_field returns it (scaled to
    agents: Flee's ``hasten`` divides the counts before interpolating)."""
    scaled = [(d, v * scale) for d, v in table]
    return np.array([int(interpolate(scaled, t)) for t in range(days)], dtype=np.int64)


@dataclass(frozen=True)
class SpawnSchedule:
    """Day-0 camp inserts and new agents per day (independent of the seed, as in Flee)."""

    day0_place: np.ndarray  # int32 [n0] camp of each pre-inserted agent, creation order
    new_per_day: np.ndarray  # int64 [days]
    debt: np.ndarray  # int64 [days] refugee_debt after each day's spawn
    day0_counts: dict[str, int] = field(default_factory=dict)

    @property
    def n_agents(self) -> int:
        return int(len(self.day0_place) + self.new_per_day.sum())


def spawn_schedule(scenario: Scenario, network: Network, params: dict) -> SpawnSchedule:
    """spawning.spawn_daily_displaced (data-driven branch) and add_initial_refugees.

    new(t) = sum over series of [I(t) - I(t-1)] - debt, where the series are the camps
    (``spawn_mode = "camps"``, Flee head's sum_from_camps) or refugees.csv (``"refugees"``,
    what Flee 3.1's run script does). A negative new becomes debt; day 0 spawns nothing when
    camps are pre-filled (insert_day0).
    """
    days = scenario.days
    scale = scenario.agents_per_person
    series = observation_series(scenario)
    if "total" not in series:
        raise CorridorError("flee rules need the refugees.csv total in observations "
                            "(registered rows with an empty place)")
    daily = {name: daily_int_series(rows, days, scale) for name, rows in series.items()}
    if params["spawn_mode"] == "camps":
        names = [n for n in daily if n != "total"]
        target = np.sum([daily[n] for n in names], axis=0) if names else np.zeros(days, np.int64)
    elif params["spawn_mode"] == "refugees":
        target = daily["total"]
    else:
        raise CorridorError(f"spawn_mode must be 'camps' or 'refugees', got "
                            f"{params['spawn_mode']!r}")
    new = np.zeros(days, np.int64)
    debt_out = np.zeros(days, np.int64)
    debt = 0
    insert_day0 = params["insert_day0"] and not params["empty_camps_on_day0"]
    for t in range(days):
        diff = int(target[0]) if t == 0 else int(target[t] - target[t - 1])
        n = diff - debt
        if t == 0 and params["insert_day0"]:
            n = 0
        if n < 0:
            debt = -n
            n = 0
        elif debt > 0:
            debt = 0
        new[t] = n
        debt_out[t] = debt
    day0: list[int] = []
    counts: dict[str, int] = {}
    if insert_day0:
        camps = network.is_kind("camp", "idpcamp")
        for p in np.flatnonzero(camps):
            name = network.ids[p]
            k = int(daily[name][0]) if name in daily else 0
            counts[name] = k
            day0.extend([int(p)] * k)
    return SpawnSchedule(np.array(day0, np.int32), new, debt_out, counts)


@dataclass
class Events:
    """What changes on each day, in Flee's order: conflicts first, closures later."""

    conflict_start: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    conflict_end: dict[int, list[int]] = field(default_factory=dict)
    # (edges, close?) in closures.csv order; closing comes before reopening on a day
    closures: dict[int, list[tuple[np.ndarray, bool]]] = field(default_factory=dict)
    camp: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)  # (place, closed?)
    initial_conflict: dict[int, tuple[float, int]] = field(default_factory=dict)


def daily_events(scenario: Scenario, network: Network) -> Events:
    """Conflict, closure and camp-closure policies as per-day events (inclusive periods:
    the change happens on from_date, the reverse on the day after to_date)."""
    ev = Events()
    days = scenario.days
    for policy in scenario.policy_table:
        d0, d1 = scenario.day_of(policy.first), scenario.day_of(policy.last)
        lever, target, value = policy.lever, policy.target, policy.value
        if lever == "conflict":
            p = network.place(target.id)  # type: ignore[union-attr]  # a Place (LEVERS)
            if d0 < 0:
                ev.initial_conflict[p] = (value, d0)
            else:
                ev.conflict_start.setdefault(d0, []).append((p, value))
            if d1 + 1 < days:
                ev.conflict_end.setdefault(d1 + 1, []).append(p)
        elif lever in ("closure", "camp_closed"):
            if not value:
                continue
            if lever == "closure":
                edges = target_edges(network, target)
                ev.closures.setdefault(max(d0, 0), []).append((edges, True))
                if d1 + 1 < days:
                    ev.closures.setdefault(d1 + 1, []).append((edges, False))
            else:
                p = network.place(target.id)  # type: ignore[union-attr]
                ev.camp.setdefault(max(d0, 0), []).append((p, True))
                if d1 + 1 < days:
                    ev.camp.setdefault(d1 + 1, []).append((p, False))
        else:  # check_rules refuses these before a run; a scenario built in code may not
            raise CorridorError(f"policies.csv:{policy.row}:lever: {lever!r} is not "
                                "implemented by the flee rules (conflict, closure, camp_closed)")
    return ev


@dataclass(frozen=True)
class Paths:
    """Every loop-free path of 1..awareness links from each place (CSR by start place)."""

    ptr: np.ndarray  # int64 [places + 1]
    end: np.ndarray  # int32 [paths] final place
    km: np.ndarray  # float64 [paths] total length
    nodes: np.ndarray  # int32 [paths, MAX_ROUTE_NODES] places after the start, in order
    length: np.ndarray  # int32 [paths] number of nodes


def enumerate_paths(network: Network, edge_open: np.ndarray, awareness: int,
                    marker: np.ndarray) -> Paths:
    """moving.calculateLinkWeight's recursion, once per network state instead of per agent.

    Order follows Flee's: each open link of the place in turn, the 1-link path first, then
    its extensions. A marker ends no path and does not count as a step.
    """
    rows: list[list[tuple[int, float, tuple[int, ...]]]] = []
    indptr, target, km = network.indptr, network.target, network.distance_km

    def walk(p: int, prior: float, origin: tuple[int, ...], step: int,
             out: list[tuple[int, float, tuple[int, ...]]]) -> None:
        for e in range(indptr[p], indptr[p + 1]):
            if not edge_open[e]:
                continue
            q = int(target[e])
            if q in origin:
                continue
            extend(e, q, prior, origin, step, out)

    def extend(e: int, q: int, prior: float, origin: tuple[int, ...], step: int,
               out: list[tuple[int, float, tuple[int, ...]]]) -> None:
        d = prior + float(km[e])
        if not marker[q]:
            out.append((q, d, origin[1:] + (q,)))
        else:
            step -= 1
        if awareness > step:
            walk(q, d, origin + (q,), step + 1, out)

    for p in range(network.n_places):
        out: list[tuple[int, float, tuple[int, ...]]] = []
        if awareness >= 1:
            walk(p, 0.0, (p,), 1, out)
        rows.append(out)
    n = sum(len(r) for r in rows)
    ptr = np.zeros(network.n_places + 1, np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    end = np.zeros(n, np.int32)
    dist = np.zeros(n, np.float64)
    nodes = np.full((n, MAX_ROUTE_NODES), -1, np.int32)
    length = np.zeros(n, np.int32)
    k = 0
    for r in rows:
        for q, d, path in r:
            if len(path) > MAX_ROUTE_NODES:
                raise CorridorError(f"a route of {len(path)} places exceeds {MAX_ROUTE_NODES} "
                                    "(too many marker locations in a row)")
            end[k], dist[k], length[k] = q, d, len(path)
            nodes[k, : len(path)] = path
            k += 1
    return Paths(ptr, end, dist, nodes, length)


def kind_flags(network: Network) -> dict[str, np.ndarray]:
    """Boolean arrays of Flee's location flags from the place kinds."""
    k = network.kind
    return {
        "camp": np.isin(k, [kind_code("camp"), kind_code("idpcamp")]),
        "idpcamp": k == kind_code("idpcamp"),
        "town": np.isin(k, [kind_code("town"), kind_code("conflict_zone")]),
        "forward": k == kind_code("forwarding_hub"),
        "marker": k == kind_code("marker"),
    }


def conflict_decay(params: dict, elapsed: np.ndarray) -> np.ndarray:
    """SimulationSettings.get_conflict_decay: decay[min(elapsed // interval, len - 1)], 1 if
    no list is set."""
    decay = params["conflict_spawn_decay"]
    if not decay:
        return np.ones(elapsed.shape)
    interval = int(params["conflict_spawn_decay_interval_days"])
    idx = np.minimum(np.maximum(elapsed, 0) // interval, len(decay) - 1)
    return np.asarray(decay, float)[idx]


def place_column(scenario: Scenario, network: Network, column: str, default: float
                 ) -> np.ndarray:
    """A numeric places column in network order (NaN and missing -> default)."""
    places = scenario.places
    if column not in places.columns:
        return np.full(network.n_places, default)
    values = pd.to_numeric(places[column], errors="coerce").to_numpy(np.float64)
    return np.where(np.isnan(values), default, values)


def route_column(scenario: Scenario, network: Network, column: str, default: float
                 ) -> np.ndarray:
    """A numeric routes column per directed edge (both directions share the route's value)."""
    routes = scenario.routes
    if column not in routes.columns:
        return np.full(network.n_edges, default)
    values = pd.to_numeric(routes[column], errors="coerce").to_numpy(np.float64)
    values = np.where(np.isnan(values), default, values)
    return values[network.route_row]


def grouped(items: list[tuple[int, int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for k, v in items:
        out[k].append(v)
    return out
