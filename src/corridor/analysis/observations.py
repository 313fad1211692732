"""Score a run against what the real world reported (the run folder's ``observations.csv``).

Each observation becomes one row: the simulated value on that date at that place, and whether it
lies within the reported ``[low, high]`` range. How the simulated value is taken depends on kind:

``caravan_size``, ``position`` (with a place)
    The caravan meant is the one whose simulated head (``groups.parquet``) is nearest, by
    great-circle distance, to the observed place on that date (ties: the larger group).
    ``simulated`` = that group's ``members`` on the date; ``distance_km`` = haversine distance
    between its head (lat/lon) and the place. ``caravan_size`` passes if members are within
    ``[low, high]``; ``position`` passes if ``distance_km <= max_distance_km`` (30 km default),
    whatever the size (a size range given with a position is only mentioned in the note).
``caravan_size`` (scenario-wide, empty place)
    Members of all caravans on that date, summed.
``departed``
    If a caravan set out from that place that day: its members that day. Otherwise people who
    left the place that day (``flows.parquet``, rows with ``from`` == place).
    Scenario-wide: everyone who left anywhere that day.
a status kind (``detained``, ``deported``, ``apprehended``, ... - any kind that is also a status
present somewhere in ``counts.parquet``)
    People with that status at the place on that date (scenario-wide: at all places). A stock
    on the day, not a cumulative count. If the run has no such status: "not simulated".
``arrived``, ``registered`` and any other kind with a place
    People at the place on that date in every status except ``in_transit`` (those are counted at
    the place they left but are on the road). Scenario-wide ``arrived``: people with status
    ``arrived`` anywhere.
policy inputs (``troops_deployed``, ``permits_issued``, ``crossing_closed``) and ``other``
    Not outputs of the model: ``ok`` is NA with a note.

A range with only one bound is open on the other side; no bounds at all gives ``ok`` = NA.
Dates outside the simulated period give NA with a note.

The run folder is read with ``corridor.runs.read`` (a damaged folder is a clear error).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from corridor._io import atomic_write_text, json_text
from corridor.errors import CorridorError
from corridor.formats import format_range, whole
from corridor.geo import EARTH_RADIUS_KM, haversine_km  # noqa: F401  (re-exported)
from corridor.runs.read import read_csv, read_observations, read_places, read_summary, read_table

SCORE_COLUMNS = ["date", "place", "kind", "low", "high", "simulated", "distance_km", "ok", "note"]
CARAVAN_KINDS = frozenset({"caravan_size", "position"})
POLICY_KINDS = frozenset({"troops_deployed", "permits_issued", "crossing_closed"})


# --------------------------------------------------------------------------- geometry




# --------------------------------------------------------------------------- scoring


def _within(value: float, low: float, high: float) -> bool | None:
    """Is value in [low, high]? A missing bound is open; no bounds at all -> None (NA)."""
    if math.isnan(low) and math.isnan(high):
        return None
    if not math.isnan(low) and value < low:
        return False
    return math.isnan(high) or value <= high


class RunTables(Protocol):
    """A run folder's tables as ``corridor.runs.read`` reads them (``report.data.RunData``)."""

    summary: dict[str, Any]
    counts: pd.DataFrame | None
    flows: pd.DataFrame | None
    groups: pd.DataFrame | None
    places: pd.DataFrame | None
    observations: pd.DataFrame


class _Run:
    """The tables a scorer needs, loaded once (or taken from ``tables``, already read)."""

    def __init__(self, run_dir: Path, tables: RunTables | None = None):
        if tables is None:
            self.counts = read_table(run_dir, "counts")
            self.flows = read_table(run_dir, "flows")
            self.groups = read_table(run_dir, "groups")
            self.places = read_places(run_dir)
            summary = read_summary(run_dir)
        else:
            self.counts, self.flows, self.groups = tables.counts, tables.flows, tables.groups
            self.places, summary = tables.places, tables.summary
        dates = [t["date"] for t in (self.counts, self.groups) if t is not None and len(t)]
        if "start_date" in summary and "days" in summary:
            start = pd.Timestamp(summary["start_date"])
            self.first, self.last = start, start + pd.Timedelta(days=int(summary["days"]) - 1)
        elif dates:
            joined = pd.concat(dates)
            self.first, self.last = joined.min(), joined.max()
        else:
            self.first = self.last = None
        self.statuses = set(self.counts["status"].unique()) if self.counts is not None else set()
        table = read_csv(run_dir, "sources")
        self.caravan_origins: dict[str, set[str]] = {}
        if table is not None:
            for group, place in zip(table.get("group", []), table.get("place", []), strict=True):
                if group.startswith("caravan:"):
                    self.caravan_origins.setdefault(group.partition(":")[2], set()).add(place)

    def sources_origin(self, groups: pd.Series) -> dict[str, bool]:
        """Places the given caravans set out from (per sources.csv)."""
        return {p: True for g in groups for p in self.caravan_origins.get(str(g), ())}

    def in_period(self, date: pd.Timestamp) -> bool:
        return self.first is not None and self.first <= date <= self.last


def _score_caravan(run: _Run, obs: pd.Series, max_distance_km: float) -> dict[str, Any]:
    kind, place, date = obs["kind"], obs["place"], obs["date"]
    if run.groups is None:
        return {"note": "no caravans in this run (no groups.parquet)"}
    today = run.groups[run.groups["date"] == date]
    if today.empty:
        return {"note": "no caravan on the road that date"}
    if not place:
        if kind == "position":
            return {"note": "position without a place cannot be scored"}
        members = float(today["members"].sum())
        return {
            "simulated": members,
            "ok": _within(members, obs["low"], obs["high"]),
            "note": f"all caravans ({today['group'].nunique()})",
        }
    if run.places is None or place not in run.places.index:
        return {"note": f"unknown place {place!r}"}
    plat, plon = run.places.loc[place, ["lat", "lon"]].astype(float)
    dist = haversine_km(today["lat"].to_numpy(float), today["lon"].to_numpy(float), plat, plon)
    order = np.lexsort((-today["members"].to_numpy(float), np.round(dist, 6)))
    best = order[0]
    row = today.iloc[best]
    members, distance = float(row["members"]), float(dist[best])
    note = f"caravan {row['group']}, head at {row['place']}"
    if kind == "position":
        ok: bool | None = distance <= max_distance_km
        note += f"; pass if head within {max_distance_km:g} km"
        size_ok = _within(members, obs["low"], obs["high"])
        if size_ok is not None:  # a size given with a position is reported, not scored
            note += f"; size {'within' if size_ok else 'outside'} the reported range"
    else:
        ok = _within(members, obs["low"], obs["high"])
    return {"simulated": members, "distance_km": distance, "ok": ok, "note": note}


def _score_departed(run: _Run, obs: pd.Series) -> dict[str, Any]:
    if run.groups is not None and obs["place"] and not run.groups.empty:
        # a caravan that set out from that place that day: the people who left with it
        first = run.groups.sort_values("day").groupby("group").head(1)
        left = first[(first["date"] == obs["date"])]
        if not left.empty and run.sources_origin(left["group"]).get(obs["place"]):
            value = float(left["members"].sum())
            return {"simulated": value, "ok": _within(value, obs["low"], obs["high"]),
                    "note": "people who set out with the caravan that day"}
    if run.flows is None:
        return {"note": "no flows.parquet in this run"}
    rows = run.flows[run.flows["date"] == obs["date"]]
    if obs["place"]:
        rows = rows[rows["from"] == obs["place"]]
    value = float(rows["n"].sum())
    note = "people who left that day" + ("" if obs["place"] else " (all places)")
    return {"simulated": value, "ok": _within(value, obs["low"], obs["high"]), "note": note}


def _score_counts(run: _Run, obs: pd.Series) -> dict[str, Any]:
    kind, place = obs["kind"], obs["place"]
    if run.counts is None:
        return {"note": "no counts.parquet in this run"}
    rows = run.counts[run.counts["date"] == obs["date"]]
    if place:
        rows = rows[rows["place"] == place]
    if (kind in run.statuses and kind != "arrived") or (kind == "arrived" and not place):
        rows, note = rows[rows["status"] == kind], f"people with status {kind}"
    elif not place:
        return {"note": f"no scenario-wide equivalent of {kind!r} in the run"}
    else:
        rows, note = rows[rows["status"] != "in_transit"], "people at the place (not in_transit)"
    value = float(rows["n"].sum())
    return {"simulated": value, "ok": _within(value, obs["low"], obs["high"]), "note": note}


def _score_one(run: _Run, obs: pd.Series, max_distance_km: float) -> dict[str, Any]:
    kind = obs["kind"]
    if not run.in_period(obs["date"]):
        return {"note": "outside the simulated period"}
    if kind in POLICY_KINDS:
        return {"note": "not simulated (a policy input, not a model output)"}
    if kind == "other":
        return {"note": "not scored (kind other)"}
    if kind in CARAVAN_KINDS:
        return _score_caravan(run, obs, max_distance_km)
    if kind == "departed":
        return _score_departed(run, obs)
    status_like = kind not in {"arrived", "registered"}
    if status_like and kind not in run.statuses:
        return {"note": "not simulated (no such status in this run)"}
    return _score_counts(run, obs)


def check_max_distance(km: float) -> None:
    """A pass radius must be a finite distance >= 0 (negative or nan would fail everything)."""
    if not (math.isfinite(km) and km >= 0):
        raise CorridorError(f"--max-distance-km must be a finite number >= 0, got {km}")


def score_run(run_dir: Path, *, max_distance_km: float = 30.0,
              tables: RunTables | None = None) -> pd.DataFrame:
    """One row per observation: simulated value, head distance (caravans), ok (bool or NA), note.

    ``ok`` is a nullable boolean: NA where the observation cannot be compared with this run.
    Extra columns ``quote`` and ``source`` are carried along for reports. ``tables``: the run
    folder's tables already read (the report has them; reading them again was a third of it).
    """
    check_max_distance(max_distance_km)
    run_dir = Path(run_dir)
    run = _Run(run_dir, tables)
    obs = tables.observations if tables is not None else read_observations(run_dir)
    rows = []
    for _, o in obs.iterrows():
        res = {"simulated": np.nan, "distance_km": np.nan, "ok": None, "note": ""}
        res.update(_score_one(run, o, max_distance_km))
        rows.append(
            {
                "date": o["date"],
                "place": o["place"],
                "kind": o["kind"],
                "low": o["low"],
                "high": o["high"],
                **res,
                "quote": o["quote"],
                "source": o["source"],
            }
        )
    out = pd.DataFrame(rows, columns=[*SCORE_COLUMNS, "quote", "source"])
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    for col in ("low", "high", "simulated", "distance_km"):
        out[col] = out[col].astype(float)
    out["ok"] = out["ok"].astype("boolean")
    return out


def score_summary(scores: pd.DataFrame) -> dict[str, Any]:
    """Counts of scored / passed observations and the share ok among those scored."""
    scored = int(scores["ok"].notna().sum())
    passed = int(scores["ok"].fillna(False).sum())
    return {
        "observations": len(scores),
        "scored": scored,
        "ok": passed,
        "share_ok": passed / scored if scored else None,
    }


def format_score_table(scores: pd.DataFrame, title: str | None = None) -> Any:
    """A ``rich.table.Table`` of the scores with the share ok in the caption."""
    from rich.table import Table

    summ = score_summary(scores)
    share = "n/a" if summ["share_ok"] is None else f"{summ['share_ok']:.0%}"
    table = Table(
        title=title or "Run vs observations",
        caption=f"{summ['ok']} of {summ['scored']} scored observations within range "
        f"({share}); {summ['observations'] - summ['scored']} not scored",
    )
    for col, justify in [
        ("date", "left"),
        ("place", "left"),
        ("kind", "left"),
        ("range", "right"),
        ("simulated", "right"),
        ("km", "right"),
        ("ok", "center"),
        ("note", "left"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for _, r in scores.iterrows():
        ok = "" if pd.isna(r["ok"]) else ("[green]yes[/]" if r["ok"] else "[red]no[/]")
        table.add_row(
            f"{r['date']:%Y-%m-%d}",
            r["place"] or "(all)",
            r["kind"],
            format_range(r["low"], r["high"]),
            whole(r["simulated"]),
            whole(r["distance_km"]),
            ok,
            r["note"],
        )
    return table


def write_score(run_dir: Path, *, max_distance_km: float = 30.0) -> Path:
    """Write ``score.json`` (summary + rows) into the run folder atomically; return its path."""
    run_dir = Path(run_dir)
    scores = score_run(run_dir, max_distance_km=max_distance_km)
    rows = scores.assign(date=scores["date"].dt.strftime("%Y-%m-%d"))
    records = json.loads(rows.to_json(orient="records"))  # NaN/NA -> null
    payload = {"max_distance_km": max_distance_km, **score_summary(scores), "rows": records}
    out = run_dir / "score.json"
    atomic_write_text(out, json_text(payload, ensure_ascii=False))
    return out

