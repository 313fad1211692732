"""How far predicted caravan tracks are from reported positions, and two simple baselines.

The same functions score the model and the baselines, so a skill table compares like with like:

- **constant speed**: 25 km a day along the shortest road route from the start to the caravan's
  announced destination (what the model did before caravans halted, rode or dissolved);
- **persistence**: the caravan stays where it was last reported (for forecasts issued mid-way).

Distances are great-circle km between the predicted main body and each reported position. Band
coverage compares road km from the origin: the reported position's (the nearest network place)
against the ensemble's 5-95 % km range on that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.analysis.caravan_sim import CaravanStart
from corridor.errors import CorridorError
from corridor.geo import haversine_km, road_graph
from corridor.scenario.model import Scenario

#: timeline kinds whose place says where the caravan's main body was that day
POSITION_KINDS = ("departed", "position", "halted", "dispersed", "transported", "arrived", "size")
#: timeline kinds whose low/high say how many people were in the caravan
SIZE_KINDS = ("size", "position", "halted", "departed", "arrived")
TIMELINE_COLUMNS = ("caravan", "date", "place", "lat", "lon", "kind", "low", "high", "source")
BASELINE_SPEED_KM_PER_DAY = 25.0
WITHIN_KM = 30.0


def read_timeline(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``timeline.csv`` and ``caravans.csv`` of a caravan dataset folder (typed, checked)."""
    folder = Path(folder)
    paths = {name: folder / f"{name}.csv" for name in ("timeline", "caravans")}
    for path in paths.values():
        if not path.is_file():
            raise CorridorError(f"{path}: missing (a caravan dataset folder holds timeline.csv "
                                "and caravans.csv; see docs/caravans.md)")
    try:
        timeline = pd.read_csv(paths["timeline"], dtype={"caravan": str, "place": str},
                               keep_default_na=False, na_values=[""])
        caravans = pd.read_csv(paths["caravans"], dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CorridorError(f"{folder}: unreadable caravan dataset ({exc})") from None
    missing = [c for c in TIMELINE_COLUMNS if c not in timeline]
    if missing:
        raise CorridorError(f"{paths['timeline']}: missing column(s) {', '.join(missing)}")
    for column in ("caravan", "origin_place", "departure_date"):
        if column not in caravans:
            raise CorridorError(f"{paths['caravans']}: missing column {column}")
    for i, value in enumerate(timeline["date"]):
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            raise CorridorError(f"{paths['timeline']}:{i + 2}:date: not a YYYY-MM-DD date: "
                                f"{value!r}") from None
    timeline["date"] = [dt.date.fromisoformat(str(v)) for v in timeline["date"]]
    for column in ("lat", "lon", "low", "high"):
        timeline[column] = pd.to_numeric(timeline[column], errors="coerce")
    timeline["caravan"] = timeline["caravan"].str.strip()
    return timeline, caravans


def departure(caravan: str, timeline: pd.DataFrame, caravans: pd.DataFrame,
              network: Scenario) -> CaravanStart:
    """The caravan's reported start: origin, departure date and size (median of reports)."""
    row = caravans[caravans["caravan"] == caravan]
    if row.empty:
        raise CorridorError(f"caravans.csv: no row for caravan {caravan!r}")
    row = row.iloc[0]
    date = dt.date.fromisoformat(str(row["departure_date"]).strip())
    rows = timeline[timeline["caravan"] == caravan]
    sized = rows[rows["kind"].isin(SIZE_KINDS) & rows["low"].notna()]
    first = sized[sized["date"] <= date + dt.timedelta(days=1)]
    chosen = first if len(first) else sized.sort_values("date").head(3)
    people = float(np.median((chosen["low"] + chosen["high"].fillna(chosen["low"])) / 2)) \
        if len(chosen) else 2000.0
    destination = str(row.get("destination", "") or "").strip()
    return CaravanStart(caravan, str(row["origin_place"]).strip(), date, people, destination)


def reported_positions(timeline: pd.DataFrame, caravan: str) -> pd.DataFrame:
    """One row per reported (date, place) of the caravan's main body, with its lat/lon."""
    rows = timeline[(timeline["caravan"] == caravan) & timeline["kind"].isin(POSITION_KINDS)
                    & timeline["lat"].notna() & timeline["lon"].notna()]
    return rows.drop_duplicates(["date", "place"]).sort_values("date").reset_index(drop=True)


def reported_sizes(timeline: pd.DataFrame, caravan: str) -> pd.DataFrame:
    """Reported sizes (low/high people) of the caravan, one row per report."""
    rows = timeline[(timeline["caravan"] == caravan) & timeline["kind"].isin(SIZE_KINDS)
                    & timeline["low"].notna()]
    rows = rows.assign(high=rows["high"].fillna(rows["low"]))
    return rows.sort_values("date").reset_index(drop=True)


@dataclass
class Route:
    """A road route as a polyline: place coordinates and cumulative km from its start."""

    lat: np.ndarray
    lon: np.ndarray
    km: np.ndarray

    def at(self, km: float) -> tuple[float, float]:
        """The point ``km`` along the route (clipped to its ends)."""
        x = float(np.clip(km, 0.0, self.km[-1]))
        return float(np.interp(x, self.km, self.lat)), float(np.interp(x, self.km, self.lon))


class RoadGraph:
    """Shortest road routes over a network scenario (scipy's Dijkstra, computed on demand)."""

    def __init__(self, network: Scenario) -> None:
        places = network.places
        self.ids = list(places["id"].astype(str))
        self.index = {p: i for i, p in enumerate(self.ids)}
        self.lat = places["lat"].to_numpy(float)
        self.lon = places["lon"].to_numpy(float)
        routes = network.routes
        self.graph = road_graph(len(self.ids), routes["from"].map(self.index).to_numpy(),
                                routes["to"].map(self.index).to_numpy(),
                                routes["distance_km"].to_numpy(float), undirected=True)
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _from(self, origin: int) -> tuple[np.ndarray, np.ndarray]:
        from scipy.sparse.csgraph import dijkstra

        if origin not in self._cache:
            dist, pred = dijkstra(self.graph, indices=origin, return_predecessors=True)
            self._cache[origin] = (dist, pred)
        return self._cache[origin]

    def nearest(self, lat: float, lon: float) -> int:
        return int(np.argmin(haversine_km(lat, lon, self.lat, self.lon)))

    def km_from(self, origin: str, lat: float, lon: float) -> float:
        """Road km from ``origin`` to the network place nearest to (lat, lon)."""
        dist, _ = self._from(self.index[origin])
        return float(dist[self.nearest(lat, lon)])

    def route(self, origin: str, destination: str) -> Route:
        """The shortest route; a one-point route if the destination is unknown/unreachable."""
        o = self.index[origin]
        dist, pred = self._from(o)
        d = self.index.get(destination, -1)
        if d < 0 or not np.isfinite(dist[d]):
            return Route(self.lat[[o]], self.lon[[o]], np.zeros(1))
        path = [d]
        while path[-1] != o:
            path.append(int(pred[path[-1]]))
        path.reverse()
        return Route(self.lat[path], self.lon[path], dist[path])


def default_destination(graph: RoadGraph, network: Scenario, origin: str) -> str:
    """The nearest place of kind ``destination`` by road, for caravans with no stated aim."""
    kinds = network.places["kind"].astype(str).to_numpy()
    dist, _ = graph._from(graph.index[origin])
    candidates = [i for i in np.flatnonzero(kinds == "destination") if np.isfinite(dist[i])]
    return graph.ids[min(candidates, key=lambda i: dist[i])] if candidates else origin


def constant_speed_track(graph: RoadGraph, start: CaravanStart, dates: list[dt.date],
                         speed_km_per_day: float = BASELINE_SPEED_KM_PER_DAY) -> pd.DataFrame:
    """Baseline: the caravan walks ``speed`` km a day along the shortest route, never stops."""
    route = graph.route(start.place, start.destination)
    rows = []
    for date in dates:
        km = speed_km_per_day * max((date - start.date).days, 0)
        lat, lon = route.at(km)
        rows.append((date, lat, lon, min(km, float(route.km[-1])), start.people))
    return pd.DataFrame(rows, columns=["date", "lat", "lon", "km", "people"])


def persistence_track(graph: RoadGraph, start: CaravanStart,
                      dates: list[dt.date]) -> pd.DataFrame:
    """Baseline: the caravan stays where it was last reported, with the same size."""
    i = graph.index[start.place]
    return pd.DataFrame({"date": dates, "lat": graph.lat[i], "lon": graph.lon[i], "km": 0.0,
                         "people": start.people})


def position_errors(track: pd.DataFrame, positions: pd.DataFrame) -> np.ndarray:
    """km between the track's position on each reported date and the reported place.

    Reports outside the track's period are left out (NaN).
    """
    by_date = track.set_index("date")
    out = np.full(len(positions), np.nan)
    for i, row in enumerate(positions.itertuples()):
        if row.date in by_date.index:
            here = by_date.loc[row.date]
            out[i] = float(haversine_km(here["lat"], here["lon"], row.lat, row.lon))
    return out


def band_hits(summary: pd.DataFrame, positions: pd.DataFrame, graph: RoadGraph,
              origin: str) -> np.ndarray:
    """Per reported position: 1 if its road km from ``origin`` (nearest network place) lies in
    the ensemble's 5-95 % km band that day, 0 if not, NaN outside the forecast period."""
    out = np.full(len(positions), np.nan)
    if "km_q05" not in summary:
        return out
    by_date = summary.set_index("date")
    for i, row in enumerate(positions.itertuples()):
        if row.date in by_date.index:
            km = graph.km_from(origin, row.lat, row.lon)
            day = by_date.loc[row.date]
            out[i] = float(day["km_q05"] - 1e-6 <= km <= day["km_q95"] + 1e-6)
    return out


def size_hits(track: pd.DataFrame, sizes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per reported size: whether the predicted people fall in [low, high], and the relative
    error to the range's nearest end (0 inside)."""
    by_date = track.set_index("date")
    inside = np.full(len(sizes), np.nan)
    error = np.full(len(sizes), np.nan)
    for i, row in enumerate(sizes.itertuples()):
        if row.date in by_date.index:
            people = float(by_date.loc[row.date, "people"])
            inside[i] = float(row.low <= people <= row.high)
            end = min(max(people, row.low), row.high)
            error[i] = abs(people - end) / max(end, 1.0)
    return inside, error


def skill_row(distances: np.ndarray, in_band: np.ndarray | None = None,
              size_inside: np.ndarray | None = None, size_error: np.ndarray | None = None,
              dates: list[dt.date] | None = None) -> dict:
    """Median / 90th percentile km, share within 30 km (per reported day), band coverage and
    size agreement; NaNs (reports outside the simulated period) are left out."""
    ok = ~np.isnan(distances)
    d = distances[ok]
    row: dict = {"positions": int(ok.sum())}
    row["median_km"] = float(np.median(d)) if len(d) else np.nan
    row["p90_km"] = float(np.percentile(d, 90)) if len(d) else np.nan
    if dates is not None and len(d):
        per_day = pd.Series(d, index=np.asarray(dates, dtype=object)[ok]).groupby(level=0).min()
        row["within_30km_days"] = float((per_day <= WITHIN_KM).mean())
    else:
        row["within_30km_days"] = float((d <= WITHIN_KM).mean()) if len(d) else np.nan
    if in_band is not None:
        band = in_band[~np.isnan(in_band)]
        row["in_band_5_95"] = float(band.mean()) if len(band) else np.nan
    if size_inside is not None:
        s = size_inside[~np.isnan(size_inside)]
        row["sizes"] = int(len(s))
        row["size_in_range"] = float(s.mean()) if len(s) else np.nan
        e = size_error[~np.isnan(size_error)] if size_error is not None else np.array([])
        row["size_rel_error"] = float(np.median(e)) if len(e) else np.nan
    return row
