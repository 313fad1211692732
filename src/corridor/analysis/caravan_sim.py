"""Simulate one caravan on a shared network and read back its daily track.

Calibration and backtests run thousands of small single-caravan simulations: the network
scenario is loaded and validated once, and each run only swaps the sources table, the period,
the parameters and the seed (``dataclasses.replace``; no files). A caravan's track is the main
body's position per day (``body_lat``/``body_lon`` when the rule set records them, else the
head's), its km from the origin and its members in people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.errors import CorridorError, ScenarioError
from corridor.scenario.model import Scenario

#: agents per caravan in calibration runs: enough for a stable main body, cheap to run
AGENTS_PER_CARAVAN = 400
TRACK_COLUMNS = ("date", "lat", "lon", "km", "people")


@dataclass(frozen=True)
class CaravanStart:
    """Where and when a caravan (or a forecast restart) begins, and with how many people.

    A departure (``on_the_road`` False) sets out on ``date``: the day's walk is in that day's
    position, as reports of a departure day place the caravan on its first leg by evening. A
    caravan ``on_the_road`` was reported at ``place`` on ``date`` (a forecast from where it is
    now, a backtest restart): that day's walk is already in the report, so it is at ``place``
    on ``date`` and moves from the next day, as the baselines do. Without it a forecast
    ``k`` days ahead would hold ``k + 1`` days of travel.
    """

    caravan: str
    place: str
    date: dt.date
    people: float
    destination: str = ""
    on_the_road: bool = False


def load_network(folder: Path) -> Scenario:
    """The shared network scenario (validated once); its sources and policies are replaced."""
    from corridor.checked import load_checked

    try:
        return load_checked(Path(folder))
    except ScenarioError as exc:
        raise CorridorError(f"{folder}: network scenario has problems: {exc}") from None


def caravan_scenario(network: Scenario, start: CaravanStart, days: int,
                     parameters: dict | None = None, seed: int = 0,
                     policies: pd.DataFrame | None = None) -> Scenario:
    """A copy of ``network`` holding only this caravan, from its start date for ``days`` days."""
    ids = set(network.places["id"].astype(str))
    if start.place not in ids:
        raise CorridorError(f"caravan {start.caravan}: start place {start.place!r} is not a "
                            "place of the network")
    destination = start.destination if start.destination in ids else ""
    people = max(float(start.people), 1.0)
    sets_out = start.date + dt.timedelta(days=1 if start.on_the_road else 0)
    sources = pd.DataFrame({
        "place": [start.place], "start_date": [sets_out], "end_date": [sets_out],
        "people": [people], "per": ["total"], "group": [f"caravan:{start.caravan}"],
        "origin_country": [""], "destination": [destination],
        "source": ["caravan start (timeline)"], "_row": [2],
    })
    empty_policies = network.policies.iloc[:0]
    return replace(
        network,
        name=f"caravan-{start.caravan}",
        start_date=start.date,
        days=int(days),
        sources=sources,
        policies=empty_policies if policies is None else policies,
        observations=network.observations.iloc[:0],
        seed=int(seed),
        agents_per_person=min(1.0, AGENTS_PER_CARAVAN / people),
        parameters={**network.parameters, **(parameters or {})},
    )


def simulate_track(scenario: Scenario) -> pd.DataFrame:
    """Run a single-caravan scenario; one row per simulated day (date, lat, lon, km, people).

    After the caravan has dissolved (no group row) its last position is carried with 0 people,
    so a forecast that the caravan is gone is scored where it was last seen.
    """
    from corridor.engine import simulate

    result = simulate(scenario)
    rows = pd.DataFrame(result.recorder.groups)
    return track_from_groups(rows, scenario)


def track_from_groups(rows: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Daily track of the (single) caravan from the recorder's group rows."""
    days = np.arange(scenario.days)
    dates = [scenario.start_date + dt.timedelta(days=int(d)) for d in days]
    origin = scenario.sources["place"].iloc[0]
    places = scenario.places.set_index("id")
    lat0, lon0 = float(places.at[origin, "lat"]), float(places.at[origin, "lon"])
    track = pd.DataFrame({"date": dates, "lat": np.nan, "lon": np.nan, "km": np.nan,
                          "people": 0.0})
    if len(rows):
        lat_col = "body_lat" if "body_lat" in rows else "lat"
        lon_col = "body_lon" if "body_lon" in rows else "lon"
        km_col = "body_km" if "body_km" in rows else "km_from_origin"
        by_day = rows.groupby("day").first()
        index = by_day.index.to_numpy()
        keep = (index >= 0) & (index < scenario.days)
        index = index[keep]
        track.loc[index, "lat"] = by_day[lat_col].to_numpy()[keep]
        track.loc[index, "lon"] = by_day[lon_col].to_numpy()[keep]
        track.loc[index, "km"] = by_day[km_col].to_numpy()[keep]
        track.loc[index, "people"] = by_day["members"].to_numpy()[keep] / \
            scenario.agents_per_person
    # before departure: at the origin; after dissolution: where it was last seen
    first = track["lat"].first_valid_index()
    if first is None:
        track[["lat", "lon", "km"]] = [lat0, lon0, 0.0]
    else:
        track.loc[: first, ["lat", "lon", "km"]] = track.loc[: first, ["lat", "lon", "km"]] \
            .fillna({"lat": lat0, "lon": lon0, "km": 0.0})
        track[["lat", "lon", "km"]] = track[["lat", "lon", "km"]].ffill()
    return track


def ensemble_tracks(network: Scenario, start: CaravanStart, days: int,
                    members: list[tuple[dict, int]],
                    policies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tracks of several members (parameters, seed), each run with ``policies`` (none by
    default); a ``member`` column tells them apart."""
    frames = []
    for i, (parameters, seed) in enumerate(members):
        track = simulate_track(caravan_scenario(network, start, days, parameters, seed,
                                                policies=policies))
        if start.on_the_road:  # its first day: where and as large as it was reported
            track.loc[track["date"] == start.date, "people"] = max(float(start.people), 1.0)
        frames.append(track.assign(member=i))
    return pd.concat(frames, ignore_index=True)


def summarise_tracks(tracks: pd.DataFrame) -> pd.DataFrame:
    """Per day: median position and people, and the 5/50/95 % km from the origin."""
    grouped = tracks.groupby("date", sort=True)
    # the median member by km travelled gives the position: a point on the network, not an
    # average of latitudes and longitudes of members on different roads
    ordered = tracks.sort_values(["date", "km", "member"], kind="stable")
    size = grouped.size()
    picks = ordered.groupby("date", sort=True).cumcount()
    middle = ordered[picks.to_numpy() == (size.reindex(ordered["date"]).to_numpy() - 1) // 2]
    middle = middle.set_index("date")
    out = pd.DataFrame({
        "lat": middle["lat"],
        "lon": middle["lon"],
        "people": grouped["people"].median(),
        "km_q05": grouped["km"].quantile(0.05),
        "km_q50": grouped["km"].quantile(0.5),
        "km_q95": grouped["km"].quantile(0.95),
    })
    return out.reset_index()
