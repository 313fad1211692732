"""One haversine and one shortest-path function for the whole package (corridor.geo)."""

from __future__ import annotations

import math

import numpy as np

from corridor.analysis import observations
from corridor.engine import network
from corridor.geo import EARTH_RADIUS_KM, haversine_km, shortest_km


def test_haversine_one_degree_and_symmetry() -> None:
    assert math.isclose(haversine_km(0.0, 0.0, 1.0, 0.0), math.pi / 180 * EARTH_RADIUS_KM)
    a = haversine_km(14.9, -92.26, 32.5, -117.0)
    assert math.isclose(a, haversine_km(32.5, -117.0, 14.9, -92.26)) and 3000 < a < 3300
    assert haversine_km(np.array([0.0, 10.0]), 0.0, 0.0, 0.0).tolist()[0] == 0.0
    assert network.haversine_km is haversine_km and observations.haversine_km is haversine_km


def test_shortest_km_directed_towards_parallel_and_nearest() -> None:
    # 0 -> 1 (5 km, and a parallel 9 km edge), 1 -> 2 (5 km), 0 -> 2 (12 km); 3 is cut off
    src, dst, km = np.array([0, 0, 1, 0]), np.array([1, 1, 2, 2]), np.array([9.0, 5.0, 5.0, 12.0])
    assert shortest_km(4, src, dst, km, np.array([0])).tolist() == [0.0, 5.0, 10.0, math.inf]
    # towards 2: from 0 it is 10 km, from 1 5 km; nothing leads from 2 to 0 the other way
    assert shortest_km(4, src, dst, km, np.array([2]), towards=True).tolist() == [
        10.0, 5.0, 0.0, math.inf]
    assert shortest_km(4, src, dst, km, np.array([2])).tolist()[0] == math.inf
    assert shortest_km(4, src, dst, km, np.array([2]), undirected=True).tolist()[0] == 10.0
    dist, which = shortest_km(4, src, dst, km, np.array([0, 2]), undirected=True, nearest=True)
    assert dist.tolist() == [0.0, 5.0, 0.0, math.inf] and which[[0, 2, 3]].tolist() == [0, 2, -1]
    assert which[1] in (0, 2)  # 5 km from both
