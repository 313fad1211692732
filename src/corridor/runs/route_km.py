"""Shortest road km from each caravan's origin, stored in the run folder (``route_km.json``).

The report's caravan figure draws each reported place at its route distance from the caravan's
origin. Computing that needs a Dijkstra (scipy, ~0.3 s to import), so ``corridor run`` computes
it once, from the run folder's own ``routes.csv``, and ``corridor report`` only reads it. A run
folder without the file (older runs, hand-made folders, an origin not in it) gets the distances
computed the same way on demand: the two paths give identical numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from corridor._io import atomic_write_text, json_text
from corridor.errors import RunError

if TYPE_CHECKING:
    import pandas as pd

ROUTE_KM = "route_km.json"
MAX_BYTES = 64 * 1024 * 1024


def route_km_from(routes: pd.DataFrame | None, origin: str) -> dict[str, float]:
    """Shortest km (routes both ways, parallel routes keep the shortest) from ``origin`` to every
    place it reaches, itself included at 0; {} without a route table."""
    if routes is None:
        return {}
    import numpy as np

    from corridor.geo import shortest_km

    sources, targets = routes["from"].astype(str), routes["to"].astype(str)
    ids = list(dict.fromkeys([origin, *sources, *targets]))
    index = {pid: i for i, pid in enumerate(ids)}
    km = shortest_km(len(ids), sources.map(index).to_numpy(), targets.map(index).to_numpy(),
                     routes["distance_km"].to_numpy(float), np.array([0]), undirected=True)
    return {pid: float(d) for pid, d in zip(ids, km, strict=True) if np.isfinite(d)}


def write_route_km(folder: Path, origins: Iterable[str]) -> None:
    """``route_km.json`` of ``folder`` from its ``routes.csv`` (read back, so the numbers are the
    ones a report of an older run would compute): {origin: {place: km}}, origins sorted."""
    from corridor.runs.read import read_routes

    routes = read_routes(folder)
    table = {o: route_km_from(routes, o) for o in sorted(set(map(str, origins)))}
    atomic_write_text(Path(folder) / ROUTE_KM, json_text(table, indent=1))


def read_route_km(run_dir: Path) -> dict[str, dict[str, float]] | None:
    """The stored distances, or None when the run folder has no ``route_km.json``."""
    path = Path(run_dir) / ROUTE_KM
    if not path.exists():
        return None
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise RunError(f"{path}: not a regular file of at most {MAX_BYTES >> 20} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RunError(f"{path}: not UTF-8 text (damaged?)") from None
    except (OSError, ValueError) as exc:
        raise RunError(f"{path}: unreadable ({exc})") from None
    if not isinstance(data, dict) or not all(
            isinstance(row, dict) and all(isinstance(km, int | float) and not isinstance(km, bool)
                                          for km in row.values()) for row in data.values()):
        raise RunError(f"{path}: expected {{origin: {{place: km}}}} (damaged?)")
    return {str(o): {str(p): float(km) for p, km in row.items()} for o, row in data.items()}
