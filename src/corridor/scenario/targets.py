"""Policy targets and policy rows, parsed once into typed values (one grammar for every user).

A ``policies.csv`` target is one of

- ``Place``: a place id (``tapachula``);
- ``Route``: two place ids joined by ``>`` that a route of routes.csv links, in either
  direction (``tecun-uman>ciudad-hidalgo``);
- ``Country``: the ISO-3166 alpha-3 code of a country some place is in (``MEX``);
- ``CountryPair``: two such codes joined by ``>`` (``MLI>BFA``: the links between them).

A place id wins over a country code of the same spelling. Which kinds a lever accepts, and
which values, is declared by each rule set as ``LeverRule``s (``check_policies`` reports the
rest as ``policies.csv:row:column: ...``), so a row the rules cannot act on is an error at
validation instead of a crash or a silent no-op during the run.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridor.errors import Problem, ScenarioError

if TYPE_CHECKING:  # tables are DataFrames or Tables; pandas or numpy would slow `validate`
    import numpy as np
    import pandas as pd


@dataclass(frozen=True)
class Place:
    """One place, by id."""

    id: str
    kind = "place"

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True, eq=False)
class Route:
    """The road between two places; routes are undirected, so ``a>b`` equals ``b>a``."""

    a: str
    b: str
    kind = "route"

    def __str__(self) -> str:
        return f"{self.a}>{self.b}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Route) and {self.a, self.b} == {other.a, other.b}

    def __hash__(self) -> int:
        return hash(("route", frozenset((self.a, self.b))))


@dataclass(frozen=True)
class Country:
    """Every place of one country (ISO-3166 alpha-3)."""

    code: str
    kind = "country"

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True, eq=False)
class CountryPair:
    """The links between two countries (either direction)."""

    a: str
    b: str
    kind = "country pair"

    def __str__(self) -> str:
        return f"{self.a}>{self.b}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CountryPair) and {self.a, self.b} == {other.a, other.b}

    def __hash__(self) -> int:
        return hash(("country pair", frozenset((self.a, self.b))))


Target = Place | Route | Country | CountryPair
TARGET_KINDS: tuple[type, ...] = (Place, Route, Country, CountryPair)


class TargetError(ValueError):
    """A target that is not a place, route, country or country pair of the scenario."""


def parse_target(text: str, place_ids: Collection[str],
                 routes: Collection[tuple[str, str]], countries: Collection[str]) -> Target:
    """The typed value of a target string; TargetError says what is wrong.

    ``routes`` holds (from, to) pairs as in routes.csv; ``countries`` the codes places are in.
    """
    text = text.strip()
    if not text:
        raise TargetError("empty target")
    if ">" not in text:
        if text in place_ids:
            return Place(text)
        if text in countries:
            return Country(text)
        raise TargetError(f"unknown place id or country code {text!r}")
    parts = [p.strip() for p in text.split(">")]
    if len(parts) != 2 or not all(parts):
        raise TargetError(f"bad target {text!r} (expected from>to or a country pair A>B)")
    a, b = parts
    if a in place_ids and b in place_ids:
        if (a, b) in routes or (b, a) in routes:
            return Route(a, b)
        raise TargetError(f"unknown route {text!r}")
    if a in countries and b in countries and a not in place_ids and b not in place_ids:
        if a == b:
            raise TargetError(f"country pair {text!r} names one country twice")
        return CountryPair(a, b)
    unknown = [x for x in (a, b) if x not in place_ids and x not in countries]
    if unknown:
        raise TargetError(f"unknown route {text!r} (unknown place id {unknown[0]!r})")
    raise TargetError(f"bad target {text!r}: mixes a place and a country "
                      "(expected from>to place ids or a country pair A>B)")


def scenario_parser(places: pd.DataFrame, routes: pd.DataFrame):  # noqa: ANN201
    """A ``parse(text) -> Target`` bound to one scenario's places, routes and countries."""
    ids = frozenset(str(p) for p in places["id"])
    pairs = frozenset((str(a), str(b)) for a, b in zip(routes["from"], routes["to"], strict=True))
    countries = frozenset(c for c in map(str, places["country"]) if c)

    def parse(text: str) -> Target:
        return parse_target(text, ids, pairs, countries)

    return parse


@dataclass(frozen=True)
class Policy:
    """One row of policies.csv with its target parsed (``row`` = line in the file)."""

    row: int
    lever: str
    target: Target
    first: dt.date
    last: dt.date
    value: float

    def in_force(self, date: dt.date) -> bool:
        return self.first <= date <= self.last


@dataclass(frozen=True)
class PolicyTable:
    """Every policy row of a scenario, parsed; what is in force on a day is computed here."""

    rows: tuple[Policy, ...]

    def __iter__(self):  # noqa: ANN204
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def in_force(self, date: dt.date) -> tuple[Policy, ...]:
        """The rows in force on ``date`` (inclusive periods), in file order."""
        return tuple(p for p in self.rows if p.in_force(date))

    def schedule(self, start: dt.date, days: int) -> np.ndarray:
        """bool [days, rows]: row k is in force on day d (computed once for a run)."""
        import numpy as np

        first = np.array([(p.first - start).days for p in self.rows], np.int64)
        last = np.array([(p.last - start).days for p in self.rows], np.int64)
        day = np.arange(days, dtype=np.int64)[:, None]
        return (first[None, :] <= day) & (day <= last[None, :])


def parse_policies(places: pd.DataFrame, routes: pd.DataFrame, policies: pd.DataFrame,
                   problems: list[Problem]) -> PolicyTable:
    """Parse every row of ``policies``; rows with a bad target or date are reported and left
    out. Row numbers come from the ``_row`` column when the table was read from a file."""
    parse = scenario_parser(places, routes)
    rows = ([int(r) for r in policies["_row"]] if "_row" in policies
            else list(range(2, len(policies) + 2)))
    out = []
    for row, lever, text, first, last, value in zip(
            rows, policies["lever"], policies["target"], policies["from_date"],
            policies["to_date"], policies["value"], strict=True):
        if _missing(first) or _missing(last) or _missing(value) or not str(text).strip():
            continue  # reported by the table reader
        try:
            target = parse(str(text))
        except TargetError as exc:
            problems.append(Problem("policies.csv", str(exc), int(row), "target"))
            continue
        out.append(Policy(int(row), str(lever), target, first, last, float(value)))
    return PolicyTable(tuple(out))


def _missing(value: object) -> bool:
    """None, or NaN / NaT (the only values not equal to themselves): no pandas needed."""
    return value is None or bool(value != value)


def policy_table(scenario) -> PolicyTable:  # noqa: ANN001 - a Scenario (avoids an import cycle)
    """The scenario's parsed policies; ScenarioError lists every bad target."""
    problems: list[Problem] = []
    table = parse_policies(scenario.places, scenario.routes, scenario.policies, problems)
    if problems:
        raise ScenarioError(problems)
    return table


@dataclass(frozen=True)
class LeverRule:
    """What a rule set does with one lever: the target kinds and values it accepts.

    ``place_kinds`` restricts a Place target to places of those kinds (a port lever on a
    port of entry); ``flag`` levers take 0 (off) or 1 (on).
    """

    kinds: tuple[type, ...]
    minimum: float = 0.0
    maximum: float = math.inf
    place_kinds: frozenset[str] | None = None
    flag: bool = False
    doc: str = ""


def kind_names(kinds: Iterable[type]) -> str:
    names = [k.kind for k in kinds]  # type: ignore[attr-defined]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_policies(table: PolicyTable, levers: Mapping[str, LeverRule], rules: str,
                   place_kind: Mapping[str, str]) -> list[Problem]:
    """Rows a rule set cannot act on: an unimplemented lever, a target kind it does not
    accept, a value out of range. ``place_kind`` maps place id -> kind."""
    problems = []
    for p in table:
        rule = levers.get(p.lever)
        if rule is None:
            known = ", ".join(sorted(levers))
            problems.append(Problem("policies.csv", f"lever {p.lever!r} is not implemented by "
                                    f"the {rules!r} rules (they implement: {known})", p.row,
                                    "lever"))
            continue
        if not isinstance(p.target, rule.kinds):
            problems.append(Problem(
                "policies.csv", f"{p.lever} acts on a {kind_names(rule.kinds)}, not a "
                f"{p.target.kind} ({str(p.target)!r})", p.row, "target"))
        elif (rule.place_kinds is not None and isinstance(p.target, Place)
              and place_kind.get(p.target.id) not in rule.place_kinds):
            wanted = " or ".join(sorted(rule.place_kinds))
            problems.append(Problem(
                "policies.csv", f"{p.lever} needs a {wanted} place; {p.target.id!r} is a "
                f"{place_kind.get(p.target.id)}", p.row, "target"))
        if rule.flag and p.value not in (0.0, 1.0):
            problems.append(Problem("policies.csv", f"{p.lever} takes 0 (off) or 1 (on), got "
                                    f"{p.value:g}", p.row, "value"))
        elif not rule.minimum <= p.value <= rule.maximum:
            bound = (f">= {rule.minimum:g}" if rule.maximum == math.inf
                     else f"between {rule.minimum:g} and {rule.maximum:g}")
            problems.append(Problem("policies.csv", f"{p.lever} value must be {bound}, got "
                                    f"{p.value:g}", p.row, "value"))
    return problems


__all__ = [
    "TARGET_KINDS",
    "Country",
    "CountryPair",
    "LeverRule",
    "Place",
    "Policy",
    "PolicyTable",
    "Route",
    "Target",
    "TargetError",
    "check_policies",
    "parse_policies",
    "parse_target",
    "policy_table",
    "scenario_parser",
]
