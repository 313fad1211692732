"""Write a run's results to a folder atomically, and read run folders back.

Everything is written into a temporary sibling folder which is renamed into place only when
complete, so a crash or Ctrl-C never leaves a half-written run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from corridor.engine.core import RunResult
from corridor.errors import RunError
from corridor.scenario.save import scenario_settings, table_for_csv, write_settings

RESOLVED = "scenario.resolved.toml"


@contextmanager
def atomic_folder(out: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``out`` when the block finishes without error."""
    out = Path(out)
    if out.exists() and not force:
        raise RunError(f"{out}: output folder exists (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a result folder is meant to be shared
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file via a temporary name and rename."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


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


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    # fixed writer settings so the same run gives byte-identical files
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", write_statistics=False,
                   store_schema=False)


def write_run(result: RunResult, out: Path, *, force: bool = False, log: str = "") -> dict:
    """Write the whole run folder atomically; returns the summary."""
    scenario = result.scenario
    counts = counts_table(result)
    groups = groups_table(result)
    headline = summary(result, counts, groups)
    with atomic_folder(out, force=force) as tmp:
        write_settings(scenario_settings(scenario, result.params), tmp / RESOLVED)
        _write_parquet(counts, tmp / "counts.parquet")
        _write_parquet(flows_table(result), tmp / "flows.parquet")
        _write_parquet(groups, tmp / "groups.parquet")
        _write_parquet(events_table(result), tmp / "events.parquet")
        for name in ("places", "routes", "sources", "policies", "observations"):
            table_for_csv(scenario, name).to_csv(tmp / f"{name}.csv", index=False)
        (tmp / "summary.json").write_text(json.dumps(headline, indent=2) + "\n")
        timings = "\n".join(f"  {k}: {v:.3f} s" for k, v in result.timings_s.items())
        (tmp / "run.log").write_text(
            f"{log}scenario {scenario.name} rules {scenario.rules} seed {scenario.seed} "
            f"days {scenario.days} agents {result.agents}\nphase timings:\n{timings}\n"
            f"total {result.runtime_s:.3f} s\n"
        )
    return headline


def read_summary(run_dir: Path) -> dict:
    """The summary.json of a finished run, or a RunError naming what is wrong."""
    path = Path(run_dir) / "summary.json"
    if not Path(run_dir).is_dir():
        raise RunError(f"{run_dir}: run folder does not exist")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RunError(f"{path}: missing (is this a finished run folder?)") from exc
    except (OSError, ValueError) as exc:
        raise RunError(f"{path}: unreadable ({exc})") from exc
