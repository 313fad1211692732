"""Everything a report needs from one run folder, read once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.runs.read import (
    read_observations,
    read_places,
    read_resolved,
    read_routes,
    read_summary,
    read_table,
)
from corridor.runs.route_km import read_route_km, route_km_from


@dataclass
class RunData:
    """One run folder's tables; optional files are None (or empty) when absent."""

    name: str
    path: Path
    summary: dict[str, Any]
    scenario: dict[str, Any]
    counts: pd.DataFrame | None
    flows: pd.DataFrame | None
    groups: pd.DataFrame | None
    places: pd.DataFrame | None
    routes: pd.DataFrame | None
    observations: pd.DataFrame
    route_km: dict[str, dict[str, float]] | None = None  # route_km.json (None: not stored)
    _pivots: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, run_dir: Path, name: str | None = None) -> RunData:
        """Read ``run_dir``; ``name`` is the name shown (default: the folder's name)."""
        run_dir = Path(run_dir)
        scenario = read_resolved(run_dir)
        return cls(
            name=name or run_dir.resolve().name,
            path=run_dir,
            summary=read_summary(run_dir),
            scenario=scenario,
            counts=read_table(run_dir, "counts"),
            flows=read_table(run_dir, "flows"),
            groups=read_table(run_dir, "groups"),
            places=read_places(run_dir),
            routes=read_routes(run_dir),
            observations=read_observations(run_dir),
            route_km=read_route_km(run_dir),
        )

    def place_name(self, place_id: str) -> str:
        """Human name of a place, falling back to its id."""
        if self.places is not None and place_id in self.places.index:
            name = self.places.at[place_id, "name"]
            if isinstance(name, str) and name:
                return name
        return place_id

    def km_from(self, origin: str) -> dict[str, float]:
        """Shortest road km from ``origin`` to each place it reaches: as stored at run time,
        else computed from the run's routes (older run folders; scipy is imported only then)."""
        if self.route_km is not None and origin in self.route_km:
            return self.route_km[origin]
        return route_km_from(self.routes, origin)

    def people_per_place(self) -> pd.DataFrame:
        """People per place (all statuses) as a date x place table, zeros filled."""
        return self._pivot("place")

    def people_per_status(self) -> pd.DataFrame:
        """People per status as a date x status table, zeros filled."""
        return self._pivot("status")

    def _pivot(self, column: str) -> pd.DataFrame:
        """date x ``column`` sums of people, computed once per counts table (figures reuse it)."""
        if self.counts is None or self.counts.empty:
            return pd.DataFrame()
        cached = self._pivots.get(column)
        if cached is None or cached[0] is not self.counts:
            sums = self.counts.groupby(["date", column], sort=True)["n"].sum()
            cached = self._pivots[column] = (self.counts, sums.unstack(column, fill_value=0.0))
        return cached[1]
