"""Load and check the caravan timeline (data/caravans/timeline.csv, docs/caravans.md).

Every problem is reported as ``file:row:column: what is wrong`` (row = line in the file,
header = 1); ``load_timeline`` raises one CorridorError listing them (exit code 2 in the CLI).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from corridor.errors import CorridorError, Problem

COLUMNS = ("caravan", "date", "place", "place_name", "lat", "lon", "kind", "low", "high",
           "source", "url", "published", "note")
REQUIRED = ("caravan", "date", "place", "lat", "lon", "kind", "low", "high", "source")
KINDS = frozenset({"departed", "position", "halted", "dispersed", "transported", "arrived",
                   "size", "detained", "returned", "permits_issued"})
CARAVAN_ID = re.compile(r"^\d{4}-(0[1-9]|1[0-2])[a-z]?$")
PLACE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SHOWN = 20


def timeline_problems(path: str | Path, places: Collection[str] | None = None
                      ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The typed timeline (or None) and every problem found. ``places``: known place ids
    (a network's), so an unknown place is reported too."""
    path = Path(path)
    name = path.name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
    except FileNotFoundError:
        return None, [Problem(str(path), "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), f"unreadable ({exc.__class__.__name__}: {exc})")]
    if not rows:
        return None, [Problem(name, "empty file (expected a header row)", 1)]
    header = [h.strip() for h in rows[0]]
    problems = [Problem(name, f"missing column {c!r}", 1) for c in REQUIRED if c not in header]
    if problems:
        return None, problems
    records = []
    for line, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            problems.append(Problem(name, f"{len(raw)} fields, the header has {len(header)}",
                                    line))
            continue
        rec = dict(zip(header, (cell.strip() for cell in raw), strict=True))
        rec["_row"] = line
        check_row(name, line, rec, places, problems)
        records.append(rec)
    frame = pd.DataFrame(records, columns=[*header, "_row"])
    if problems:
        return frame, problems
    frame["date"] = [dt.date.fromisoformat(v) for v in frame["date"]]
    if "published" in frame:
        frame["published"] = [dt.date.fromisoformat(v) if v else None
                              for v in frame["published"]]
    for column in ("lat", "lon", "low", "high"):
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    return frame, problems


def check_row(name: str, line: int, rec: dict, places: Collection[str] | None,
              problems: list[Problem]) -> None:
    """Problems of one timeline row (appended to ``problems``)."""
    def bad(column: str, message: str) -> None:
        problems.append(Problem(name, message, line, column))

    if not CARAVAN_ID.match(rec["caravan"]):
        bad("caravan", f"caravan id {rec['caravan']!r} is not YYYY-MM (or YYYY-MMa)")
    for column in ("date", "published"):
        value = rec.get(column, "")
        if column == "published" and not value:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            bad(column, f"not a YYYY-MM-DD date: {value!r}")
    if not PLACE_ID.match(rec["place"]):
        bad("place", f"place id {rec['place']!r} is not a lowercase ascii slug")
    elif places is not None and rec["place"] not in places:
        bad("place", f"unknown place id {rec['place']!r} (not a place of the network)")
    for column, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        number = _number(rec[column])
        if number is None or not low <= number <= high:
            bad(column, f"expected a number from {low:g} to {high:g}, got {rec[column]!r}")
    if rec["kind"] not in KINDS:
        bad("kind", f"unknown kind {rec['kind']!r} (expected one of {', '.join(sorted(KINDS))})")
    counts = {}
    for column in ("low", "high"):
        if rec[column] == "":
            continue
        number = _number(rec[column])
        if number is None or number < 0 or number != int(number):
            bad(column, f"expected a whole number of people >= 0, got {rec[column]!r}")
        else:
            counts[column] = number
    if len(counts) == 2 and counts["low"] > counts["high"]:
        bad("high", f"high {rec['high']} is below low {rec['low']}")
    if not rec["source"]:
        bad("source", "empty: every row names the outlet it comes from")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def load_timeline(path: str | Path, places: Collection[str] | None = None) -> pd.DataFrame:
    """The timeline as a typed DataFrame (dates as datetime.date, numbers as floats, a
    ``_row`` column with the line in the file); CorridorError lists every problem."""
    frame, problems = timeline_problems(path, places)
    if problems:
        shown = "\n".join(str(p) for p in problems[:MAX_SHOWN])
        more = (f"\n(and {len(problems) - MAX_SHOWN} more problems)"
                if len(problems) > MAX_SHOWN else "")
        raise CorridorError(shown + more)
    assert frame is not None
    return frame
