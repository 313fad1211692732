"""The two things evidence needs from a scenario folder: its places, and its observations.csv
(to append new observations without duplicating existing ones)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from corridor.evidence.extract import Observation
from corridor.evidence.io import EvidenceError, read_csv, write_csv
from corridor.evidence.places import ScenarioIndex

SCENARIO_COLUMNS = ["date", "place", "kind", "low", "high", "source", "quote"]
# Extra columns kept when appending (the scenario loader ignores columns it does not know).
EXTRA_COLUMNS = ["place_name", "date_low", "date_high", "unit", "per", "actor", "confidence"]


def load_places(folder: Path) -> ScenarioIndex:
    """The scenario's places.csv as a name index (EvidenceError when it is missing)."""
    path = folder / "places.csv"
    if not folder.is_dir():
        raise EvidenceError(f"--scenario: {folder} is not a folder")
    if not path.is_file():
        raise EvidenceError(f"--scenario: {path} not found (a scenario folder has places.csv)")
    rows = read_csv(path)
    if rows and not {"id", "name"} <= set(rows[0]):
        raise EvidenceError(f"{path}: needs columns id,name (see docs/scenario-format.md)")
    return ScenarioIndex.from_rows([r for r in rows if r.get("id")])


def _key(row: Mapping[str, object]) -> tuple[str, str, str, str, str]:
    def num(v: object) -> str:
        try:
            return f"{float(str(v)):g}"
        except ValueError:
            return ""
    return (str(row.get("date", "")), str(row.get("place", "")), str(row.get("kind", "")),
            num(row.get("low", "")), num(row.get("high", "")))


def append(folder: Path, observations: list[Observation], ids: set[str]
           ) -> tuple[list[dict[str, object]], int, list[Observation]]:
    """Append observations whose place is a scenario place to observations.csv.

    Returns (rows appended, duplicates skipped, observations left out because their place is
    not in the scenario). A duplicate has the same date, place, kind, low and high as a row
    already there (whatever its source).
    """
    path = folder / "observations.csv"
    existing = read_csv(path) if path.is_file() else []
    columns = list(existing[0].keys()) if existing else list(SCENARIO_COLUMNS)
    for c in SCENARIO_COLUMNS + EXTRA_COLUMNS:
        if c not in columns:
            columns.append(c)
    seen = {_key(r) for r in existing}
    new: list[dict[str, object]] = []
    dupes = 0
    outside: list[Observation] = []
    for o in observations:
        if o.place_id not in ids:
            outside.append(o)
            continue
        row: dict[str, object] = {
            "date": o.date, "place": o.place_id, "kind": o.kind, "low": o.low, "high": o.high,
            "source": o.url or Path(o.source).name, "quote": o.quote, "place_name": o.place,
            "date_low": o.date_low, "date_high": o.date_high, "unit": o.unit, "per": o.per,
            "actor": o.actor, "confidence": o.confidence,
        }
        k = _key(row)
        if k in seen:
            dupes += 1
            continue
        seen.add(k)
        new.append(row)
    if new:
        write_csv(path, [*existing, *new], columns, keep=len(existing))
    return new, dupes, outside
