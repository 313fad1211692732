"""Load a scenario folder, validating everything and reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path

import pandas as pd
import pycountry

from corridor.errors import Problem, ScenarioError
from corridor.scenario.model import Scenario, settings_problems
from corridor.scenario.schema import (
    OPTIONAL_TABLES,
    REQUIRED_TABLES,
    SUPPORTED_FORMATS,
    TABLES,
    TOML_KEYS,
)
from corridor.scenario.tables import empty_table, read_table, read_text

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


def check_scenario(folder: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """Read a scenario folder; return it (None if unusable) and the list of every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        return None, [Problem(str(folder), "scenario folder does not exist")]
    if is_flee_folder(folder):
        from corridor.scenario.flee_import import check_flee_folder

        return check_flee_folder(folder)
    problems: list[Problem] = []
    settings = _read_settings(folder / SCENARIO_FILE, problems)
    tables: dict[str, pd.DataFrame] = {}
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        path = folder / f"{name}.csv"
        if not path.exists():
            if name in REQUIRED_TABLES:
                problems.append(Problem(path.name, "required file is missing"))
            tables[name] = empty_table(TABLES[name])
            continue
        tables[name] = read_table(path, TABLES[name], problems)
    if any(p.file == "places.csv" and p.row is None for p in problems):
        return None, problems  # no usable places: every reference to one would be reported
    if settings is None:
        # still check references between tables, with a stand-in period (no date checks)
        stand_in = Scenario(name="", start_date=dt.date.min, days=1, **tables)
        problems.extend(cross_check(stand_in, check_dates=False))
        return None, problems
    scenario = Scenario(folder=folder, **settings, **tables)  # type: ignore[arg-type]
    problems.extend(cross_check(scenario))
    return (None if problems else scenario), problems


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
    return frozenset(c.alpha_3 for c in pycountry.countries)


def cross_check(scenario: Scenario, check_dates: bool = True) -> list[Problem]:
    """Checks that span tables: unique ids, known references, dates inside the period."""
    problems: list[Problem] = []
    places = scenario.places
    ids = set(places["id"])
    duplicated = places["id"].duplicated(keep="first") & (places["id"] != "")
    for row, value in zip(places["_row"][duplicated], places["id"][duplicated], strict=True):
        problems.append(Problem("places.csv", f"duplicated id {value!r}", int(row), "id"))
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        high = places[column] > limit
        for row, value in zip(places["_row"][high], places[column][high], strict=True):
            problems.append(Problem("places.csv", f"must be <= {limit:g}, got {value:g}",
                                    int(row), column))
    codes = _iso3_codes()
    bad_country = (places["country"] != "") & ~places["country"].isin(codes)
    for row, value in zip(places["_row"][bad_country], places["country"][bad_country],
                          strict=True):
        problems.append(
            Problem("places.csv", f"unknown country code {value!r} (ISO-3166 alpha-3)", int(row),
                    "country")
        )

    def unknown(file: str, frame: pd.DataFrame, column: str, allow_blank: bool = False) -> None:
        values = frame[column].astype(str)
        bad = ~values.isin(ids) & (values != "")
        if not allow_blank:
            bad &= values != ""
        for row, value in zip(frame["_row"][bad], values[bad], strict=True):
            problems.append(Problem(file, f"unknown place id {value!r}", int(row), column))

    unknown("routes.csv", scenario.routes, "from")
    unknown("routes.csv", scenario.routes, "to")
    loops = scenario.routes["from"] == scenario.routes["to"]
    for row in scenario.routes["_row"][loops & (scenario.routes["from"] != "")]:
        problems.append(Problem("routes.csv", "route from a place to itself", int(row), "to"))
    unknown("sources.csv", scenario.sources, "place")
    unknown("observations.csv", scenario.observations, "place", allow_blank=True)
    if "destination" in scenario.sources:  # optional column (absent in built scenarios)
        _check_destinations(scenario, unknown, problems)
    sources = scenario.sources
    bad_group = (sources["group"] != "flow") & ~sources["group"].str.match(r"^caravan:[\w.-]+$")
    bad_group &= sources["group"] != ""
    for row, value in zip(sources["_row"][bad_group], sources["group"][bad_group], strict=True):
        problems.append(
            Problem("sources.csv", f"unknown group {value!r} (expected flow or caravan:<name>)",
                    int(row), "group")
        )
    _check_targets(scenario, problems)
    if not check_dates:
        return problems
    for file, frame, columns in (
        ("sources.csv", scenario.sources, ("start_date", "end_date")),
        ("policies.csv", scenario.policies, ("from_date", "to_date")),
        ("observations.csv", scenario.observations, ("date",)),
    ):
        if file == "policies.csv":
            _check_policy_overlap(scenario, problems)
        else:
            for column in columns:
                _check_dates(scenario, file, frame, column, problems)
        if len(columns) == 2:
            first, last = frame[columns[0]], frame[columns[1]]
            ok = first.notna() & last.notna()
            reversed_ = ok & (first.where(ok).astype(object) > last.where(ok).astype(object))
            for row in frame["_row"][reversed_]:
                problems.append(Problem(file, f"{columns[1]} is before {columns[0]}", int(row),
                                        columns[1]))
    return problems


def _check_destinations(scenario: Scenario, unknown, problems: list[Problem]) -> None:  # noqa: ANN001
    """People may aim at a place; a caravan's rows must agree on where it goes."""
    unknown("sources.csv", scenario.sources, "destination", allow_blank=True)
    caravans = scenario.sources[scenario.sources["group"] != "flow"]
    for _, rows in caravans.groupby("group"):
        if rows["destination"].nunique() > 1:
            problems.append(Problem("sources.csv", "rows of one caravan name different "
                                    "destinations", int(rows["_row"].iloc[1]), "destination"))


def _check_targets(scenario: Scenario, problems: list[Problem]) -> None:
    """Policy targets: a place id, a route ``from>to``, a country code or a country pair
    ``A>B`` (one grammar: corridor.scenario.targets)."""
    from corridor.scenario.targets import parse_policies

    parse_policies(scenario.places, scenario.routes, scenario.policies, problems)


def _check_dates(
    scenario: Scenario, file: str, frame: pd.DataFrame, column: str, problems: list[Problem]
) -> None:
    first, last = scenario.start_date, scenario.end_date
    for row, value in zip(frame["_row"], frame[column], strict=True):
        if value is None or pd.isna(value):
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
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            continue
        if end < first or start > last:
            problems.append(
                Problem("policies.csv", f"period {start}..{end} is outside {first}..{last}",
                        int(row), "from_date")
            )
