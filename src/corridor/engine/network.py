"""The place/route network compiled once into integer ids and CSR adjacency arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corridor import geo
from corridor.scenario.model import Scenario
from corridor.scenario.schema import PLACE_KINDS, ROUTE_MODES

KIND_NAMES: tuple[str, ...] = tuple(sorted(PLACE_KINDS))
MODE_NAMES: tuple[str, ...] = tuple(sorted(ROUTE_MODES))


def kind_code(name: str) -> int:
    """uint8 code of a place kind."""
    return KIND_NAMES.index(name)


@dataclass(frozen=True, eq=False)
class Network:
    """Places and directed edges as arrays. Every undirected route gives two edges.

    Edges leaving place ``p`` are ``indptr[p]:indptr[p+1]``; ``target`` is where each goes.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    lat: np.ndarray  # float64 [places]
    lon: np.ndarray
    kind: np.ndarray  # uint8 [places], codes into KIND_NAMES
    country: np.ndarray  # int16 [places], codes into countries
    countries: tuple[str, ...]
    capacity: np.ndarray  # float64 [places], people; inf = unlimited
    indptr: np.ndarray  # int32 [places + 1]
    source: np.ndarray  # int32 [edges], the place each edge leaves
    target: np.ndarray  # int32 [edges]
    distance_km: np.ndarray  # float32 [edges]
    mode: np.ndarray  # uint8 [edges], codes into MODE_NAMES
    route_row: np.ndarray  # int32 [edges], row of routes.csv the edge comes from
    twin: np.ndarray  # int32 [edges], the same road in the other direction

    @property
    def n_places(self) -> int:
        return len(self.ids)

    @property
    def n_edges(self) -> int:
        return len(self.target)

    def place(self, place_id: str) -> int:
        """Integer id of a place id."""
        return self.ids.index(place_id)

    def edge(self, a: int, b: int) -> int:
        """Edge id from place a to place b, or -1."""
        lo, hi = self.indptr[a], self.indptr[a + 1]
        hits = np.flatnonzero(self.target[lo:hi] == b)
        return int(lo + hits[0]) if len(hits) else -1

    def is_kind(self, *names: str) -> np.ndarray:
        """Boolean mask of places of the given kinds."""
        return np.isin(self.kind, [kind_code(n) for n in names])


def compile_network(scenario: Scenario) -> Network:
    """Turn the places and routes tables into a Network (ids in places.csv order)."""
    places = scenario.places
    ids = tuple(places["id"].astype(str))
    index = {pid: i for i, pid in enumerate(ids)}
    countries = tuple(sorted(set(places["country"].astype(str))))
    capacity = places["capacity"].to_numpy(dtype=np.float64, na_value=np.nan)
    capacity = np.where(np.isnan(capacity), np.inf, capacity)
    routes = scenario.routes
    a = routes["from"].map(index).to_numpy(dtype=np.int64)
    b = routes["to"].map(index).to_numpy(dtype=np.int64)
    km = routes["distance_km"].to_numpy(dtype=np.float64)
    modes = routes["mode"].where(routes["mode"] != "", "road") if "mode" in routes else None
    mode = (
        np.array([MODE_NAMES.index(m) for m in modes], dtype=np.uint8)
        if modes is not None
        else np.full(len(routes), MODE_NAMES.index("road"), np.uint8)
    )
    rows = np.arange(len(routes), dtype=np.int32)
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    n_routes = len(routes)
    twin = position[(order + n_routes) % max(2 * n_routes, 1)]
    counts = np.bincount(src, minlength=len(ids))
    indptr = np.zeros(len(ids) + 1, dtype=np.int32)
    np.cumsum(counts, out=indptr[1:])
    return Network(
        ids=ids,
        names=tuple(places["name"].astype(str)),
        lat=places["lat"].to_numpy(np.float64),
        lon=places["lon"].to_numpy(np.float64),
        kind=np.array([KIND_NAMES.index(k) for k in places["kind"]], dtype=np.uint8),
        country=np.array([countries.index(c) for c in places["country"]], dtype=np.int16),
        countries=countries,
        capacity=capacity,
        indptr=indptr,
        source=src.astype(np.int32),
        target=dst.astype(np.int32),
        distance_km=np.concatenate([km, km])[order].astype(np.float32),
        mode=np.concatenate([mode, mode])[order],
        route_row=np.concatenate([rows, rows])[order],
        twin=twin.astype(np.int32),
    )


def shortest_km(network: Network, origins: np.ndarray, edge_open: np.ndarray | None = None,
                *, towards: bool = False) -> np.ndarray:
    """Road km between every place and the nearest of ``origins`` (inf if none), over the open
    edges (corridor.geo.shortest_km: one Dijkstra for the whole package).

    ``towards=True`` measures the way *to* the origins, so a one-way closure counts in the
    direction people travel.
    """
    keep = slice(None) if edge_open is None else np.asarray(edge_open, bool)
    return geo.shortest_km(network.n_places, network.source[keep], network.target[keep],
                           network.distance_km[keep], origins, towards=towards)


def nearest_km(network: Network, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Road km to the nearest of ``origins`` from every place, and which origin that is (-1)."""
    return geo.shortest_km(network.n_places, network.source, network.target,
                           network.distance_km, origins, towards=True, nearest=True)


haversine_km = geo.haversine_km  # re-exported: the one great-circle distance
