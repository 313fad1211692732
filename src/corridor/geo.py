"""Distances: great-circle (one haversine, one Earth radius) and shortest road km (one Dijkstra).

Every module that measures a distance uses these two, so a position check, a report and the
engine's route choice agree on what "km" means.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# mean Earth radius R1 of the Geodetic Reference System 1980 (IUGG; Moritz 2000)
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km between points in degrees; scalars or arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_graph(n_nodes: int, source: np.ndarray, target: np.ndarray, km: np.ndarray, *,
               undirected: bool = False) -> Any:
    """The road network as a scipy CSR matrix of km, keeping the shortest of parallel edges
    (building a sparse matrix straight from the edges would add them up)."""
    from scipy.sparse import csr_matrix

    source = np.asarray(source, np.int64)
    target = np.asarray(target, np.int64)
    km = np.asarray(km, np.float64)
    if undirected:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
        km = np.concatenate([km, km])
    order = np.lexsort((km, target, source))
    source, target, km = source[order], target[order], km[order]
    first = np.ones(len(km), bool)
    first[1:] = (source[1:] != source[:-1]) | (target[1:] != target[:-1])
    return csr_matrix((km[first], (source[first], target[first])), shape=(n_nodes, n_nodes))


def shortest_km(n_nodes: int, source: np.ndarray, target: np.ndarray, km: np.ndarray,
                origins: np.ndarray, *, towards: bool = False, undirected: bool = False,
                nearest: bool = False) -> Any:
    """Road km from the nearest of ``origins`` to every node along directed edges
    ``source -> target`` (``towards``: to the origins instead; ``undirected``: both ways);
    inf where unreachable. ``nearest=True`` also returns which origin is nearest (-1 none).

    scipy.sparse.csgraph.dijkstra, one call for all origins; parallel edges keep the shortest.
    """
    from scipy.sparse.csgraph import dijkstra

    origins = np.asarray(origins, np.int64)
    if towards:
        source, target = target, source
    graph = road_graph(n_nodes, source, target, km, undirected=undirected)
    if len(origins) == 0:
        dist = np.full(n_nodes, np.inf)
        return (dist, np.full(n_nodes, -1, np.int64)) if nearest else dist
    if nearest:
        dist, _, sources = dijkstra(graph, directed=True, indices=origins, min_only=True,
                                    return_predecessors=True)
        return dist, np.where(np.isfinite(dist), sources, -1).astype(np.int64)
    return dijkstra(graph, directed=True, indices=origins, min_only=True)


__all__ = ["EARTH_RADIUS_KM", "haversine_km", "road_graph", "shortest_km"]
