"""Read run folders back (analysis and report use only these readers).

A damaged or incomplete run folder is a user error: every reader raises a ``RunError`` naming
the file and what is wrong with it, never a traceback and never silent zeros. A folder that
carries corridor's marker must hold every table a run writes; a folder without it (written by
hand or by an older corridor) must hold at least summary.json and counts.parquet.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor._io import FORMULA_START
from corridor.errors import RunError
from corridor.runs.markers import ENSEMBLE, RUN, SWEEP, read_marker

SUMMARY = "summary.json"
RESOLVED = "scenario.resolved.toml"
TABLES = ("counts", "flows", "groups", "events")
MAX_JSON_BYTES = 64 * 1024 * 1024
# the keys every summary.json has, with the type a reader relies on
_SUMMARY_KEYS: dict[str, type | tuple[type, ...]] = {
    "scenario": str, "seed": int, "days": int, "start_date": str,
}
_HEADLINE_KEYS: dict[str, type | tuple[type, ...]] = {
    "people_spawned": (int, float), "people_per_status_end": dict,
    "people_per_place_end": dict, "first_arrival_day": dict,
}


def _folder(run_dir: Path) -> Path:
    run_dir = Path(run_dir)
    if not run_dir.exists():
        raise RunError(f"{run_dir}: run folder does not exist")
    if not run_dir.is_dir():
        raise RunError(f"{run_dir}: is a file, expected a run folder")
    return run_dir


def _read_json(path: Path) -> Any:
    try:
        if not path.is_file():
            raise RunError(f"{path}: not a regular file")
        if path.stat().st_size > MAX_JSON_BYTES:
            raise RunError(f"{path}: larger than {MAX_JSON_BYTES >> 20} MB, not a run summary")
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RunError(f"{path}: not UTF-8 text (damaged?)") from None
    except (OSError, ValueError) as exc:
        raise RunError(f"{path}: unreadable ({exc})") from None


def _check_keys(path: Path, data: dict, keys: dict[str, type | tuple[type, ...]]) -> None:
    for key, kind in keys.items():
        value = data.get(key)
        if value is None or isinstance(value, bool) or not isinstance(value, kind):
            want = kind.__name__ if isinstance(kind, type) else "a number"
            raise RunError(f"{path}: {key!r} missing or not {want} (damaged summary?)")


def read_summary(run_dir: Path) -> dict[str, Any]:
    """The run's (or ensemble's) ``summary.json``, checked to be a summary."""
    run_dir = _folder(run_dir)
    path = run_dir / SUMMARY
    if not path.exists():
        raise RunError(f"{path}: missing (is {run_dir} a finished run folder?)")
    data = _read_json(path)
    if not isinstance(data, dict):
        raise RunError(f"{path}: expected a JSON object, got {type(data).__name__} "
                       "(damaged summary?)")
    _check_keys(path, data, _SUMMARY_KEYS)
    try:
        dt.date.fromisoformat(data["start_date"])
    except ValueError:
        raise RunError(f"{path}: start_date {data['start_date']!r} is not a date") from None
    if data["days"] < 1:
        raise RunError(f"{path}: days must be >= 1, got {data['days']}")
    return data


def read_headline(run_dir: Path) -> dict[str, Any]:
    """``read_summary`` plus the headline figures ``corridor info`` prints."""
    data = read_summary(run_dir)
    _check_keys(Path(run_dir) / SUMMARY, data, _HEADLINE_KEYS)
    return data


def marked_kind(run_dir: Path) -> str | None:
    """``run``/``ensemble``/``sweep`` from the folder's marker, None for unmarked folders."""
    kind = read_marker(run_dir)
    return kind if kind in (RUN, ENSEMBLE, SWEEP) else None


def _required(run_dir: Path, name: str) -> bool:
    """Must the run folder hold ``<name>.parquet``? counts always; all tables when marked."""
    return name == "counts" or marked_kind(run_dir) == RUN


def read_table(run_dir: Path, name: str, *, required: bool | None = None,
               raw: bool = False) -> pd.DataFrame | None:
    """One of ``counts``/``flows``/``groups``/``events`` with ``date`` as midnight datetimes
    and text columns as str (``raw``: as stored, categories kept).

    None when the table is absent and not required (see ``_required``); a RunError when it is
    required and missing, or present but unreadable (truncated, not Parquet, wrong columns).
    """
    import pyarrow as pa

    run_dir = Path(run_dir)
    path = run_dir / f"{name}.parquet"
    if not path.exists():
        if required if required is not None else _required(run_dir, name):
            raise RunError(f"{path}: missing (the run folder is incomplete; run it again)")
        return None
    if not path.is_file():
        raise RunError(f"{path}: not a regular file")
    try:
        df = pd.read_parquet(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RunError(f"{path}: not a readable Parquet file ({reason})") from None
    need = {"counts": ("day", "place", "status", "n"), "flows": ("day", "from", "to", "n"),
            "groups": ("day", "group", "place", "members"), "events": ("day", "event", "n")}
    missing = [c for c in need.get(name, ()) if c not in df.columns]
    if missing:
        raise RunError(f"{path}: missing column(s) {', '.join(missing)} (damaged?)")
    if raw:
        return df
    try:
        if "date" in df.columns:
            df["date"] = pd.to_datetime(df["date"]).dt.normalize().astype("datetime64[ns]")
        for col in ("place", "status", "group", "from", "to", "event"):
            if col in df.columns:
                df[col] = df[col].astype(str)
    except (ValueError, TypeError) as exc:
        raise RunError(f"{path}: unexpected values ({exc})") from None
    return df


def require_table(run_dir: Path, name: str, *, raw: bool = False) -> pd.DataFrame:
    """``read_table`` for a table the caller cannot do without (missing: a RunError)."""
    table = read_table(run_dir, name, required=True, raw=raw)
    assert table is not None  # required=True raises instead of returning None
    return table


def _unescape(value: Any) -> Any:
    """Undo the apostrophe corridor puts before formula-like CSV cells (``_io.safe_cell``)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def read_csv(run_dir: Path, name: str, *, dtype: Any = str,
             keep_default_na: bool = False) -> pd.DataFrame | None:
    """A run folder's copy of ``<name>.csv`` (None when absent); damaged files are errors."""
    path = Path(run_dir) / f"{name}.csv"
    if not path.exists():
        return None
    if not path.is_file():
        raise RunError(f"{path}: not a regular file")
    try:
        raw = path.read_bytes()
        if b"\0" in raw:
            raise RunError(f"{path}: binary data, not a CSV table (damaged?)")
        raw.decode("utf-8")
        from io import BytesIO

        df = pd.read_csv(BytesIO(raw), dtype=dtype, keep_default_na=keep_default_na)
    except UnicodeDecodeError:
        raise RunError(f"{path}: not UTF-8 text (damaged?)") from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (OSError, ValueError) as exc:
        raise RunError(f"{path}: not a readable CSV table ({exc})") from None
    for column in df.columns:
        if df[column].dtype == object or str(df[column].dtype) == "str":
            df[column] = df[column].map(_unescape)
    return df


def read_places(run_dir: Path) -> pd.DataFrame | None:
    """The run's copy of ``places.csv`` indexed by id, or None when the folder has none."""
    df = read_csv(run_dir, "places", keep_default_na=True,
                  dtype={"id": str, "name": str, "country": str, "kind": str})
    if df is None:
        return None
    if "id" not in df.columns:
        raise RunError(f"{Path(run_dir) / 'places.csv'}: no id column (damaged?)")
    return df.set_index("id", drop=False)


def read_routes(run_dir: Path) -> pd.DataFrame | None:
    """The run's copy of ``routes.csv``, or None."""
    return read_csv(run_dir, "routes", keep_default_na=True, dtype={"from": str, "to": str})


OBSERVATION_COLUMNS = ["date", "place", "kind", "low", "high", "source", "quote"]


def read_observations(run_dir: Path) -> pd.DataFrame:
    """The run's ``observations.csv`` (empty frame if none); empty place = scenario-wide."""
    path = Path(run_dir) / "observations.csv"
    df = read_csv(run_dir, "observations")
    if df is None or df.empty:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS).astype({"date": "datetime64[ns]"})
    for col in OBSERVATION_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    dates = pd.to_datetime(df["date"], errors="coerce", format="ISO8601")
    bad = np.flatnonzero(dates.isna().to_numpy())
    if len(bad):
        i = int(bad[0])
        raise RunError(f"{path}:{i + 2}:date: {df['date'].iloc[i]!r} is not a YYYY-MM-DD date")
    df["date"] = dates.astype("datetime64[ns]")
    df["low"] = pd.to_numeric(df["low"].replace("", np.nan), errors="coerce")
    df["high"] = pd.to_numeric(df["high"].replace("", np.nan), errors="coerce")
    df["place"] = df["place"].str.strip()
    df["kind"] = df["kind"].str.strip()
    return df.reset_index(drop=True)


def read_resolved(run_dir: Path) -> dict[str, Any]:
    """The run's ``scenario.resolved.toml`` as a dict ({} when absent); damaged is an error."""
    path = Path(run_dir) / RESOLVED
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RunError(f"{path}: not UTF-8 text (damaged?)") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RunError(f"{path}: not valid TOML ({exc})") from None
