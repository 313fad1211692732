"""Side-by-side headline outputs of two runs (or two ensembles), with differences.

Rows (``metric`` names):

- ``<key>``: every numeric top-level key both summaries share (``people_spawned``, ``agents``,
  ``days`` ...; not ``seed``), and ``<key>.<sub>`` for numeric values inside dicts
  (``people_per_status_end.arrived``, ``first_arrival_day.el_paso`` ...). Inside
  ``people_per_*`` dicts a key missing from one run counts as 0 people; elsewhere it is NA.
- ``people_in_country.<ISO3>@<date>``: people in each country (all statuses, from
  ``counts.parquet`` and the run's ``places.csv``) on each chosen date.
- ``arrived_at.<place>``: people with status ``arrived`` per place on the last day.

An ensemble folder (``ensemble.json`` plus ``seed-*/`` run folders) gives per row the median over
its members and the 5-95 % interval (``*_low``/``*_high``); single runs leave those NA.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.errors import RunError
from corridor.formats import format_value
from corridor.runs.markers import ensemble_members, is_ensemble
from corridor.runs.read import read_places, read_summary, read_table

COMPARE_COLUMNS = ["metric", "a", "a_low", "a_high", "b", "b_low", "b_high", "diff", "pct_diff"]
_SKIP_KEYS = frozenset({"seed"})
_ZERO_FILL_PREFIX = "people_per_"


def _flatten(summary: dict[str, Any]) -> dict[str, float]:
    """Numeric summary values as ``key`` / ``key.sub`` -> float (None -> NaN)."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        if key in _SKIP_KEYS or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            out[key] = float(value)
        elif isinstance(value, dict):
            for sub, v in value.items():
                if v is None:
                    out[f"{key}.{sub}"] = math.nan
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    out[f"{key}.{sub}"] = float(v)
    return out


def _default_dates(counts: pd.DataFrame | None) -> list[pd.Timestamp]:
    """Midpoint and last date of a run: one snapshot on the way, one at the end."""
    if counts is None or counts.empty:
        return []
    dates = sorted(counts["date"].unique())
    picks = [dates[len(dates) // 2], dates[-1]]
    return [pd.Timestamp(d) for d in dict.fromkeys(picks)]


def headline(run_dir: Path, dates: Sequence[Any] | None = None) -> pd.Series:
    """All comparable numbers of one run, indexed by metric name (see module docstring)."""
    run_dir = Path(run_dir)
    values = _flatten(read_summary(run_dir))
    counts = read_table(run_dir, "counts")
    places = read_places(run_dir)
    if counts is not None and not counts.empty:
        chosen = [pd.Timestamp(d) for d in dates] if dates else _default_dates(counts)
        if places is not None and "country" in places.columns:
            country = counts["place"].map(places["country"]).fillna("?")
            by = counts.assign(country=country).groupby(["date", "country"])["n"].sum()
            countries = sorted(country.unique())
            for d in chosen:
                for c in countries:
                    values[f"people_in_country.{c}@{d:%Y-%m-%d}"] = float(by.get((d, c), 0.0))
        last = counts[(counts["date"] == counts["date"].max()) & (counts["status"] == "arrived")]
        for place, n in last.groupby("place")["n"].sum().items():
            values[f"arrived_at.{place}"] = float(n)
    return pd.Series(values, dtype=float)


def _side(folder: Path, dates: Sequence[Any] | None) -> pd.DataFrame:
    """Columns value/low/high for one side: a run (low/high NA) or an ensemble (median, 5-95 %)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RunError(f"{folder}: no such run folder")
    if not is_ensemble(folder):
        s = headline(folder, dates)
        return pd.DataFrame({"value": s, "low": np.nan, "high": np.nan})
    members = ensemble_members(folder)
    if dates is None:  # one set of dates for every member, from the first one
        dates = _default_dates(read_table(members[0], "counts"))
    table = pd.concat([headline(m, dates) for m in members], axis=1)
    table = _zero_fill(table)
    return pd.DataFrame(
        {
            "value": table.median(axis=1, skipna=True),
            "low": table.quantile(0.05, axis=1),
            "high": table.quantile(0.95, axis=1),
        }
    )


def _zero_fill(df: pd.DataFrame) -> pd.DataFrame:
    """People counts missing on one side are zero people, not unknown."""
    mask = df.index.str.startswith((_ZERO_FILL_PREFIX, "people_in_country.", "arrived_at."))
    df.loc[mask] = df.loc[mask].fillna(0.0)
    return df


def _check_in_period(run: Path, dates: Sequence[Any]) -> None:
    """A date outside a run's period would compare zero people with zero people: refuse it."""
    folder = ensemble_members(run)[0] if is_ensemble(run) else run
    summary = read_summary(folder)
    try:
        first = dt.date.fromisoformat(str(summary["start_date"]))
        last = first + dt.timedelta(days=int(summary["days"]) - 1)
    except (KeyError, TypeError, ValueError, OverflowError):
        return  # an older summary without its period: nothing to check against
    for d in dates:
        day = pd.Timestamp(d).date()
        if not first <= day <= last:
            raise RunError(f"date {day} is outside the period {first}..{last} of {run}")


def compare_runs(run_a: Path, run_b: Path, dates: Sequence[Any] | None = None) -> pd.DataFrame:
    """Headline outputs of two runs side by side; ``diff`` = b - a, ``pct_diff`` in %.

    Top-level summary keys appear only if both runs have them; ``pct_diff`` is NA where a = 0.
    """
    if dates is None:  # compare both runs on the same dates, taken from run a
        first = ensemble_members(run_a)[0] if is_ensemble(Path(run_a)) else Path(run_a)
        dates = _default_dates(read_table(first, "counts"))
    else:
        for run in (run_a, run_b):
            _check_in_period(Path(run), dates)
    a, b = _side(run_a, dates), _side(run_b, dates)
    shared_top = {k for k in a.index.intersection(b.index) if "." not in k}
    keep = [k for k in a.index.union(b.index, sort=False) if "." in k or k in shared_top]
    out = pd.DataFrame(index=pd.Index(keep, name="metric"))
    for side, frame in (("a", a), ("b", b)):
        out[side] = frame["value"].reindex(keep)
        out[f"{side}_low"] = frame["low"].reindex(keep)
        out[f"{side}_high"] = frame["high"].reindex(keep)
    zero = out.index.str.startswith((_ZERO_FILL_PREFIX, "people_in_country.", "arrived_at."))
    out.loc[zero, ["a", "b"]] = out.loc[zero, ["a", "b"]].fillna(0.0)
    out["diff"] = out["b"] - out["a"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * out["diff"] / out["a"].abs()
    out["pct_diff"] = pct.where(out["a"] != 0)
    out = out.reset_index()
    order = out["metric"].map(_group_rank)
    return out.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)[
        COMPARE_COLUMNS
    ]


def _group_rank(metric: str) -> int:
    """Scalars first, then end-of-run statuses, places, arrivals, countries, the rest."""
    prefixes = [
        "people_per_status_end.",
        "arrived_at.",
        "first_arrival_day.",
        "people_in_country.",
        "people_per_place_end.",
    ]
    if "." not in metric:
        return 0
    for i, p in enumerate(prefixes, start=1):
        if metric.startswith(p):
            return i
    return len(prefixes) + 1


def format_compare_table(table: pd.DataFrame, name_a: str = "a", name_b: str = "b") -> Any:
    """A ``rich.table.Table``; ensemble sides show ``median [p5–p95]``."""
    from rich.table import Table

    out = Table(title=f"{name_a} vs {name_b}")
    out.add_column("metric")
    out.add_column(name_a, justify="right")
    out.add_column(name_b, justify="right")
    out.add_column("diff", justify="right")
    out.add_column("%", justify="right")
    for _, r in table.iterrows():
        pct = "" if pd.isna(r["pct_diff"]) else f"{r['pct_diff']:+.1f}%"
        diff = "" if pd.isna(r["diff"]) else f"{r['diff']:+,.6g}"
        out.add_row(
            r["metric"],
            format_value(r["a"], r["a_low"], r["a_high"]),
            format_value(r["b"], r["b_low"], r["b_high"]),
            diff,
            pct,
        )
    return out
