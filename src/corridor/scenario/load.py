"""Load a scenario folder, validating everything and reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import Problem, ScenarioError
from corridor.scenario.model import Scenario, settings_problems
from corridor.scenario.schema import (
    OPTIONAL_TABLES,
    REQUIRED_TABLES,
    SUPPORTED_FORMATS,
    TABLES,
    TOML_KEYS,
)
from corridor.scenario.tables import Table, empty_columns, empty_table, read_columns, read_text

if TYPE_CHECKING:
    import pandas as pd

SCENARIO_FILE = "scenario.toml"


def load_scenario(folder: str | Path) -> Scenario:
    """Load and validate a scenario folder (or a Flee input folder); raise ScenarioError."""
    scenario, problems = check_scenario(folder)
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario


def is_flee_folder(folder: Path) -> bool:
    """A Flee input folder has locations.csv and routes.csv and no scenario.toml."""
    return (
        not (folder / SCENARIO_FILE).exists()
        and (folder / "locations.csv").exists()
        and (folder / "routes.csv").exists()
    )


def check_scenario(folder: str | Path, *, frames: bool = True
                   ) -> tuple[Scenario | None, list[Problem]]:
    """Read a scenario folder; return it (None if unusable) and the list of every problem.

    ``frames=False`` leaves the tables as ``Table``s (plain columns): enough to check and count
    them, and no pandas import (``corridor validate``). Flee input folders always use pandas.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None, [Problem(str(folder), "scenario folder does not exist")]
    if is_flee_folder(folder):
        from corridor.scenario.flee_import import check_flee_folder

        return check_flee_folder(folder)
    problems: list[Problem] = []
    settings = _read_settings(folder / SCENARIO_FILE, problems)
    tables: dict[str, Table] = {}
    absent: set[str] = set()
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        path = folder / f"{name}.csv"
        if not path.exists():
            if name in REQUIRED_TABLES:
                problems.append(Problem(path.name, "required file is missing"))
            tables[name] = empty_columns(TABLES[name])
            absent.add(name)
            continue
        tables[name] = read_columns(path, TABLES[name], problems)
    if any(p.file == "places.csv" and p.row is None for p in problems):
        return None, problems  # no usable places: every reference to one would be reported
    if settings is None:
        # still check references between tables, with a stand-in period (no date checks)
        stand_in = Scenario(name="", start_date=dt.date.min, days=1, **tables)  # type: ignore[arg-type]
        problems.extend(cross_check(stand_in, check_dates=False))
        return None, problems
    scenario = Scenario(folder=folder, **settings, **tables)  # type: ignore[arg-type]
    problems.extend(cross_check(scenario))
    if problems:
        return None, problems
    if frames:
        scenario = Scenario(folder=folder, **settings, **{  # type: ignore[arg-type]
            name: empty_table(TABLES[name]) if name in absent else table.to_frame(TABLES[name])
            for name, table in tables.items()})
    return scenario, problems


def _read_settings(path: Path, problems: list[Problem]) -> dict | None:
    """Parse scenario.toml and check its keys and types."""
    if not path.exists():
        problems.append(Problem(path.name, "required file is missing"))
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(path.name, f"TOML syntax error: {exc}"))
        return None
    before = len(problems)
    unknown = sorted(set(data) - set(TOML_KEYS))
    for key in unknown:
        problems.append(Problem(path.name, f"unknown key {key!r}", column=key))
    settings: dict = {}
    for key, (kind, required, default) in TOML_KEYS.items():
        if key not in data:
            if required:
                problems.append(Problem(path.name, "missing required key", column=key))
            elif default is not None:
                settings[key] = default
            continue
        value = data[key]
        if kind is not object and (
            not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool)
        ):
            problems.append(Problem(path.name, f"wrong type {type(value).__name__}", column=key))
            continue
        settings[key] = value
    if "start_date" in settings:
        start = settings["start_date"]
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            problems.append(Problem(path.name, "must be a date YYYY-MM-DD", column="start_date"))
        else:
            settings["start_date"] = start
    start = settings.get("start_date")
    for key, message in settings_problems(
        start if isinstance(start, dt.date) else None, settings.get("days"),
        settings.get("seed"), settings.get("agents_per_person"),
    ).items():
        problems.append(Problem(path.name, message, column=key))
    if "format" in settings and settings["format"] not in SUPPORTED_FORMATS:
        problems.append(
            Problem(path.name, f"unsupported format {settings['format']}", column="format")
        )
    if len(problems) > before:
        return None
    settings["agents_per_person"] = float(settings["agents_per_person"])
    return settings


@cache
def _iso3_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes, from pycountry's data file read directly when it is where
    pycountry keeps it (importing pycountry looks up its own version in the installed
    packages' metadata: ~10 % of `corridor validate`); else through pycountry."""
    import json
    from importlib.util import find_spec

    spec = find_spec("pycountry")  # locates the package without running its __init__
    for folder in (spec.submodule_search_locations or []) if spec else []:
        data = Path(folder) / "databases" / "iso3166-1.json"
        if data.is_file():
            try:
                return frozenset(c["alpha_3"] for c in
                                 json.loads(data.read_text("utf-8"))["3166-1"])
            except (OSError, ValueError, KeyError, TypeError):
                break
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def _missing(value: object) -> bool:
    """A blank cell: None, or NaN / NaT (the only values not equal to themselves)."""
    return value is None or value != value


def cross_check(scenario: Scenario, check_dates: bool = True) -> list[Problem]:
    """Checks that span tables: unique ids, known references, dates inside the period.

    Tables may be ``Table``s or DataFrames: the checks only iterate columns (no pandas here).
    """
    problems: list[Problem] = []
    places = scenario.places
    place_rows = [int(r) for r in places["_row"]]
    place_ids = list(places["id"])
    ids = set(place_ids)
    seen: set[str] = set()
    for row, value in zip(place_rows, place_ids, strict=True):
        if value in seen and value != "":
            problems.append(Problem("places.csv", f"duplicated id {value!r}", row, "id"))
        seen.add(value)
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        for row, value in zip(place_rows, places[column], strict=True):
            if value > limit:
                problems.append(Problem("places.csv", f"must be <= {limit:g}, got {value:g}",
                                        row, column))
    codes = _iso3_codes() if any(c != "" for c in places["country"]) else frozenset()
    for row, value in zip(place_rows, places["country"], strict=True):
        if value != "" and value not in codes:
            problems.append(Problem("places.csv", f"unknown country code {value!r} "
                                    "(ISO-3166 alpha-3)", row, "country"))

    def unknown(file: str, frame: Table | pd.DataFrame, column: str) -> None:
        for row, value in zip(frame["_row"], frame[column], strict=True):
            value = str(value)
            if value != "" and value not in ids:
                problems.append(Problem(file, f"unknown place id {value!r}", int(row), column))

    routes = scenario.routes
    unknown("routes.csv", routes, "from")
    unknown("routes.csv", routes, "to")
    for row, a, b in zip(routes["_row"], routes["from"], routes["to"], strict=True):
        if a == b and a != "":
            problems.append(Problem("routes.csv", "route from a place to itself", int(row), "to"))
    sources = scenario.sources
    unknown("sources.csv", sources, "place")
    unknown("observations.csv", scenario.observations, "place")
    if "destination" in sources:  # optional column (absent in built scenarios)
        unknown("sources.csv", sources, "destination")
        _check_destinations(sources, problems)
    for row, value in zip(sources["_row"], sources["group"], strict=True):
        if value not in ("flow", "") and not _CARAVAN_GROUP.match(str(value)):
            problems.append(Problem("sources.csv", f"unknown group {value!r} (expected flow or "
                                    "caravan:<name>)", int(row), "group"))
    _check_targets(scenario, problems)
    if not check_dates:
        return problems
    for file, frame, columns in (
        ("sources.csv", sources, ("start_date", "end_date")),
        ("policies.csv", scenario.policies, ("from_date", "to_date")),
        ("observations.csv", scenario.observations, ("date",)),
    ):
        if file == "policies.csv":
            _check_policy_overlap(scenario, problems)
        else:
            for column in columns:
                _check_dates(scenario, file, frame, column, problems)
        if len(columns) == 2:
            for row, first, last in zip(frame["_row"], frame[columns[0]], frame[columns[1]],
                                        strict=True):
                if not _missing(first) and not _missing(last) and first > last:
                    problems.append(Problem(file, f"{columns[1]} is before {columns[0]}",
                                            int(row), columns[1]))
    return problems


_CARAVAN_GROUP = re.compile(r"^caravan:[\w.-]+$")


def _check_destinations(sources: Table | pd.DataFrame, problems: list[Problem]) -> None:
    """People may aim at a place; a caravan's rows must agree on where it goes."""
    groups: dict[str, list[tuple[int, object]]] = {}
    for row, group, aim in zip(sources["_row"], sources["group"], sources["destination"],
                               strict=True):
        if group != "flow":
            groups.setdefault(group, []).append((int(row), aim))
    for group in sorted(groups):
        rows = groups[group]
        if len({aim for _, aim in rows if not _missing(aim)}) > 1:
            problems.append(Problem("sources.csv", "rows of one caravan name different "
                                    "destinations", rows[1][0], "destination"))


def _check_targets(scenario: Scenario, problems: list[Problem]) -> None:
    """Policy targets: a place id, a route ``from>to``, a country code or a country pair
    ``A>B`` (one grammar: corridor.scenario.targets)."""
    from corridor.scenario.targets import parse_policies

    parse_policies(scenario.places, scenario.routes, scenario.policies, problems)


def _check_dates(scenario: Scenario, file: str, frame: Table | pd.DataFrame, column: str,
                 problems: list[Problem]) -> None:
    first, last = scenario.start_date, scenario.end_date
    for row, value in zip(frame["_row"], frame[column], strict=True):
        if _missing(value):
            continue
        if not first <= value <= last:
            problems.append(
                Problem(file, f"date {value} outside the period {first}..{last}", int(row),
                        column)
            )


def _check_policy_overlap(scenario: Scenario, problems: list[Problem]) -> None:
    """A policy may start before the period (already in force) but must overlap it."""
    first, last = scenario.start_date, scenario.end_date
    frame = scenario.policies
    for row, start, end in zip(frame["_row"], frame["from_date"], frame["to_date"], strict=True):
        if _missing(start) or _missing(end):
            continue
        if end < first or start > last:
            problems.append(
                Problem("policies.csv", f"period {start}..{end} is outside {first}..{last}",
                        int(row), "from_date")
            )
