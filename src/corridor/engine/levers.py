"""Today's policy levers as per-place arrays the agent kernel reads (policies.csv -> arrays).

Computed from the rows of ``policies.csv`` in force (``Context.in_force``); cost is
O(places + policies), never O(agents).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corridor.engine.network import Network
from corridor.scenario.targets import Country, CountryPair, Place, Policy, Route, Target


@dataclass
class Levers:
    """Per-place values of today's levers (float64 [places] unless noted)."""

    enforcement_agents: np.ndarray  # checkpoint + patrol agents deployed at the place
    stop_probability: np.ndarray  # chance an unprotected walker arriving there is stopped
    detain_capacity: np.ndarray  # people the place's enforcement can detain today
    permit_capacity: np.ndarray  # permits that can be issued there today
    asylum_capacity: np.ndarray  # asylum applications the office accepts today
    smuggler_base_price_usd: np.ndarray  # 0 where no smuggling market is modelled
    port_capacity: np.ndarray  # people a port processes today (inf = no limit)
    port_closed: np.ndarray  # bool: the port lets no one across today
    caravan_hold: np.ndarray  # daily probability a caravan at the place stays (1 = held)
    transfer_share: np.ndarray  # share of caravan members there who accept an offer today
    transfer_to: np.ndarray  # int: where those who accept are taken (-1 = stay there)
    turnback_share: np.ndarray  # share of people there sent back to their origin today
    ride_share: np.ndarray  # daily probability a caravan group rides from there (-1 = default)


def target_places(network: Network, target: Target) -> list[int]:
    """Places a lever acts on: a place, both ends of a route, or a country's border
    crossings and checkpoints (national deployments are spread over them)."""
    if isinstance(target, Place):
        return [network.place(target.id)]
    if isinstance(target, Route):
        return [network.place(target.a), network.place(target.b)]
    if isinstance(target, Country):
        code = network.countries.index(target.code)
        mask = (network.country == code) & network.is_kind("border_crossing", "checkpoint")
        return [int(p) for p in np.flatnonzero(mask)]
    raise TypeError(f"levers act on places, routes or countries, not {target.kind}")


def target_edges(network: Network, target: Target) -> np.ndarray:
    """Directed edges a closure of ``target`` closes: a place's links, a route (both
    directions), the links between two countries, or a country's cross-border links."""
    src, dst = network.source, network.target
    if isinstance(target, Place):
        p = network.place(target.id)
        return np.flatnonzero((src == p) | (dst == p))
    if isinstance(target, Route):
        a, b = network.place(target.a), network.place(target.b)
        return np.flatnonzero(((src == a) & (dst == b)) | ((src == b) & (dst == a)))
    cs, cd = network.country[src], network.country[dst]
    if isinstance(target, CountryPair):
        ca, cb = network.countries.index(target.a), network.countries.index(target.b)
        return np.flatnonzero(((cs == ca) & (cd == cb)) | ((cs == cb) & (cd == ca)))
    c = network.countries.index(target.code)
    return np.flatnonzero((cs == c) != (cd == c))


def todays_levers(network: Network, in_force: Iterable[Policy], params: dict,
                  agents_per_person: float) -> Levers:
    """Turn the policies in force today into per-place arrays (capacities in agents)."""
    n = network.n_places
    enforcement = np.zeros(n)
    permits = np.zeros(n)
    asylum = np.zeros(n)
    price = np.zeros(n)
    port_capacity = np.full(n, np.inf)
    port_closed = np.zeros(n, dtype=bool)
    hold = np.zeros(n)
    transfer = np.zeros(n)
    transfer_to = np.full(n, -1, np.int64)
    turnback = np.zeros(n)
    ride = np.full(n, -1.0)
    taken_to: list[int] = []
    for policy in in_force:
        lever, value = policy.lever, policy.value
        if lever in ("closure", "conflict", "camp_closed"):
            continue  # roads (corridor_rules.open_edges) or other rule sets
        if lever == "rides" and isinstance(policy.target, Country):  # a region: all its places
            code = network.countries.index(policy.target.code)
            places = [int(p) for p in np.flatnonzero(network.country == code)]
        else:
            places = target_places(network, policy.target)
        if not places:
            continue
        share = value / len(places)
        if lever in ("checkpoint", "patrol"):
            enforcement[places] += share if lever == "patrol" else value
        elif lever == "permits":
            permits[places] += value * agents_per_person
        elif lever == "asylum_office":
            asylum[places] += value * agents_per_person
        elif lever == "smuggling":
            price[places] = value if value > 0 else params["smuggler_base_price_usd"]
        elif lever == "port_capacity":
            port_capacity[places] = value * agents_per_person
        elif lever == "port_closed" and value > 0:
            port_closed[places] = True
        elif lever == "caravan_hold":
            hold[places] = min(value, 1.0)
        elif lever == "transfer":
            transfer[places] = min(value, 1.0)
        elif lever == "transfer_to" and value > 0:
            taken_to.extend(places)
        elif lever == "turnback":
            turnback[places] = min(value, 1.0)
        elif lever == "rides":
            ride[places] = min(value, 1.0)
    if taken_to and transfer.any():  # those accepting are taken to the nearest such place
        from corridor.engine.network import shortest_km

        for a in np.flatnonzero(transfer > 0):
            km = shortest_km(network, np.array([a]))[taken_to]
            if np.isfinite(km).any():
                transfer_to[a] = taken_to[int(np.argmin(km))]
    scale = float(params["checkpoint_agents_for_63pct_stop"])
    stop = 1.0 - np.exp(-enforcement / scale) if scale > 0 else np.zeros(n)
    detain = enforcement * float(params["detentions_per_agent_per_day"]) * agents_per_person
    return Levers(enforcement, stop, detain, permits, asylum, price, port_capacity, port_closed,
                  hold, transfer, transfer_to, turnback, ride)


def risk_ahead(network: Network, cum_weight: np.ndarray, km_to_destination: np.ndarray,
               stop_probability: np.ndarray) -> np.ndarray:
    """Chance of being stopped somewhere on the most likely road ahead (1 - prod(1 - p)).

    Places are visited from the destinations outwards, so each one's next place is done first.
    """
    n = network.n_places
    survive = np.ones(n)
    order = np.argsort(km_to_destination, kind="stable")
    for p in order:
        lo, hi = network.indptr[p], network.indptr[p + 1]
        if hi == lo or not np.isfinite(km_to_destination[p]) or cum_weight[hi - 1] <= 0:
            continue
        weights = np.diff(np.concatenate([[0.0], cum_weight[lo:hi]]))
        q = network.target[lo + int(np.argmax(weights))]
        survive[p] = (1.0 - stop_probability[q]) * survive[q]
    return 1.0 - survive


def nearest_of_kind(network: Network, kind: str) -> np.ndarray:
    """For each place, the nearest place of ``kind`` by road (-1 if none reachable)."""
    from corridor.engine.network import nearest_km

    return nearest_km(network, np.flatnonzero(network.is_kind(kind)))[1].astype(np.int32)
