"""Write a run's results as a run folder: tidy Parquet tables, the resolved scenario, copies of
its CSV tables, summary.json and run.log, all inside one atomic step (``claim.atomic_folder``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from corridor._io import atomic_write_text, json_text, write_csv, write_parquet
from corridor.engine.core import RunResult
from corridor.runs.claim import atomic_folder
from corridor.runs.markers import RUN
from corridor.runs.route_km import write_route_km
from corridor.scenario.save import scenario_settings, table_for_csv, write_settings

RESOLVED = "scenario.resolved.toml"
CSV_TABLES = ("places", "routes", "sources", "policies", "observations")


def _dates(start: dt.date, days: np.ndarray) -> np.ndarray:
    return np.datetime64(start, "D") + days.astype("timedelta64[D]")


def counts_table(result: RunResult) -> pd.DataFrame:
    """Tidy (day, date, place, status, n) rows, non-zero only, n in people."""
    counts = result.recorder.counts
    day, place, status = np.nonzero(counts)
    scale = 1.0 / result.scenario.agents_per_person
    return pd.DataFrame(
        {
            "day": day.astype(np.int32),
            "date": _dates(result.scenario.start_date, day),
            "place": pd.Categorical.from_codes(place, categories=list(result.network.ids)),
            "status": pd.Categorical.from_codes(status, categories=list(result.statuses)),
            "n": counts[day, place, status].astype(np.float64) * scale,
        }
    )


def flows_table(result: RunResult) -> pd.DataFrame:
    """Tidy (day, date, from, to, n) rows of people who set out along each edge."""
    flows = result.recorder.flows
    day, edge = np.nonzero(flows)
    net = result.network
    ids = list(net.ids)
    return pd.DataFrame(
        {
            "day": day.astype(np.int32),
            "date": _dates(result.scenario.start_date, day),
            "from": pd.Categorical.from_codes(net.source[edge], categories=ids),
            "to": pd.Categorical.from_codes(net.target[edge], categories=ids),
            "n": flows[day, edge].astype(np.float64) / result.scenario.agents_per_person,
        }
    )


GROUP_COLUMNS = (
    "day", "date", "group", "place", "km_from_origin", "lat", "lon", "members",
    "head_place", "head_lat", "head_lon", "head_km",
    "body_place", "body_next", "body_lat", "body_lon", "body_km", "body_members",
    "members_walking", "members_halted", "members_riding", "members_arrived",
    "members_dispersed", "members_transferred", "members_detained", "members_returned",
)
_GROUP_STR = ("group", "place", "head_place", "body_place", "body_next")
_GROUP_PEOPLE = ("members", "body_members", *(c for c in GROUP_COLUMNS
                                              if c.startswith("members_")))


def groups_table(result: RunResult) -> pd.DataFrame:
    """One row per caravan per day: its head (place reached, km from origin, position; also as
    ``head_*``), its main body (``body_*``: the group with most members), and people by state
    (``members_<state>``, end of the day); ``members`` is people in the caravan that day."""
    rows = pd.DataFrame(result.recorder.groups)
    if rows.empty:
        types = {c: ("str" if c in _GROUP_STR else "float64") for c in GROUP_COLUMNS}
        types["day"] = "int32"
        types.pop("date")
        return pd.DataFrame({c: [] for c in GROUP_COLUMNS}).astype(types)
    for c in GROUP_COLUMNS:
        if c not in rows and c != "date":  # rule sets that record only the head
            rows[c] = "" if c in _GROUP_STR else np.nan
    rows["day"] = rows["day"].astype(np.int32)
    rows["date"] = _dates(result.scenario.start_date, rows["day"].to_numpy())
    for c in _GROUP_PEOPLE:
        rows[c] = rows[c].astype(np.float64) / result.scenario.agents_per_person
    return rows[list(GROUP_COLUMNS)]


def events_table(result: RunResult) -> pd.DataFrame:
    """Tidy (day, date, place, event, n) rows of the rule set's daily event series.

    Series of shape [days, places] are per place; series of shape [days] are scenario-wide
    (empty place). Units: people, except names ending in ``_usd``.
    """
    frames = []
    ids = np.array(result.network.ids, dtype=object)
    for name, series in sorted(result.recorder.extra.items()):
        if series.ndim == 2:
            day, place = np.nonzero(series)
            values, places = series[day, place], ids[place]
        else:
            day = np.flatnonzero(series)
            values, places = series[day], np.full(len(day), "", dtype=object)
        frames.append(pd.DataFrame({"day": day.astype(np.int32), "place": places,
                                    "event": name, "n": values.astype(np.float64)}))
    if not frames:
        frames = [pd.DataFrame({"day": pd.Series(dtype=np.int32), "place": [], "event": [],
                                "n": pd.Series(dtype=np.float64)})]
    table = pd.concat(frames, ignore_index=True)
    table.insert(1, "date", _dates(result.scenario.start_date, table["day"].to_numpy()))
    return table.astype({"place": str, "event": str})


def event_totals(result: RunResult) -> dict[str, float]:
    """Headline totals of each event series over the whole run (``total_<event>``)."""
    return {f"total_{name}": round(float(series.sum()), 3)
            for name, series in sorted(result.recorder.extra.items())}


def summary(result: RunResult, counts: pd.DataFrame, groups: pd.DataFrame) -> dict:
    """Headline figures of a run (summary.json)."""
    scenario = result.scenario
    last = counts[counts["day"] == scenario.days - 1]
    per_status = last.groupby("status", observed=True)["n"].sum()
    per_place = last.groupby("place", observed=True)["n"].sum()
    net = result.network
    destinations = [net.ids[i] for i in np.flatnonzero(net.is_kind("destination"))]
    reached = counts[counts["place"].isin(destinations)].groupby("place", observed=True)["day"]
    first_day = reached.min().to_dict()
    caravans = {}
    for name, rows in groups.groupby("group", sort=True):
        origin = rows.iloc[0]["place"] if len(rows) else None
        caravans[str(name)] = {
            "origin": origin,
            "head": [
                {"day": int(r.day), "date": str(pd.Timestamp(r.date).date()), "place": r.place,
                 "km_from_origin": round(float(r.km_from_origin), 3),
                 "members": round(float(r.members), 3)}
                for r in rows.itertuples()
            ],
        }
    spawned = float(result.recorder.counts[-1].sum()) / scenario.agents_per_person
    return {
        "scenario": scenario.name,
        "rules": scenario.rules,
        "seed": int(scenario.seed),
        "days": int(scenario.days),
        "start_date": scenario.start_date.isoformat(),
        "agents_per_person": scenario.agents_per_person,
        "agents": int(result.agents),
        "people_spawned": round(spawned, 6),
        "people_per_status_end": {str(k): round(float(v), 6) for k, v in per_status.items()},
        "people_per_place_end": {
            str(k): round(float(v), 6) for k, v in per_place.sort_values(ascending=False).items()
        },
        "first_arrival_day": {d: (int(first_day[d]) if d in first_day else None)
                              for d in destinations},
        "caravans": caravans,
        "waiting_at_border_end": round(float(last[
            last["place"].isin([net.ids[i] for i in np.flatnonzero(net.is_kind("port_of_entry"))])
            & (last["status"] == "at_place")]["n"].sum()), 3),
        **event_totals(result),
    }  # no wall-clock times here, so the same scenario and seed give an identical file


def write_run_files(result: RunResult, folder: Path, *, log: str = "") -> dict:
    """Write every file of a run into ``folder`` (an empty folder, usually a claimed temporary
    one); returns the summary. CSV copies have formula-like cells neutralised."""
    scenario = result.scenario
    folder = Path(folder)
    counts = counts_table(result)
    groups = groups_table(result)
    headline = summary(result, counts, groups)
    write_settings(scenario_settings(scenario, result.params), folder / RESOLVED)
    write_parquet(counts, folder / "counts.parquet")
    write_parquet(flows_table(result), folder / "flows.parquet")
    write_parquet(groups, folder / "groups.parquet")
    write_parquet(events_table(result), folder / "events.parquet")
    for name in CSV_TABLES:
        write_csv(table_for_csv(scenario, name), folder / f"{name}.csv")
    atomic_write_text(folder / "summary.json", json_text(headline))
    # what the report's caravan figure needs, so `corridor report` never imports scipy
    write_route_km(folder, [c["origin"] for c in headline["caravans"].values() if c["origin"]])
    timings = "\n".join(f"  {k}: {v:.3f} s" for k, v in result.timings_s.items())
    atomic_write_text(
        folder / "run.log",
        f"{log}scenario {scenario.name} rules {scenario.rules} seed {scenario.seed} "
        f"days {scenario.days} agents {result.agents}\nphase timings:\n{timings}\n"
        f"total {result.runtime_s:.3f} s\n",
    )
    return headline


def write_run(result: RunResult, out: Path, *, force: bool = False, log: str = "",
              inputs: Iterable[Path] = ()) -> dict:
    """Write the whole run folder ``out`` atomically (see ``claim``); returns the summary."""
    with atomic_folder(out, force=force, kind=RUN, inputs=inputs) as tmp:
        return write_run_files(result, tmp, log=log)
