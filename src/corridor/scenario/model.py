"""The in-memory scenario: a period, a seed, a rule set, parameters and five tidy tables."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tables are DataFrames; importing pandas here would slow `import corridor`
    import pandas as pd

    from corridor.scenario.targets import PolicyTable


MAX_SEED = 2**63 - 1  # seeds are TOML integers (int64); numpy seeds must be >= 0


def settings_problems(
    start_date: dt.date | None, days: int | None, seed: int | None,
    agents_per_person: float | None,
) -> dict[str, str]:
    """What is wrong with a scenario's period, seed or scale, by key (scenario.toml or overrides).

    One check for the file and for ``with_overrides`` (the CLI's --days, --seed, --agents-scale),
    so a value refused in the file is refused as an option too.
    """
    problems: dict[str, str] = {}
    if days is not None and days < 1:
        problems["days"] = f"must be >= 1, got {days}"
    elif start_date is not None and days is not None:
        try:
            start_date + dt.timedelta(days=days - 1)
        except OverflowError:
            problems["days"] = (f"{start_date} + {days} days ends after the last date the "
                                "calendar holds (9999-12-31)")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        problems["seed"] = f"must be a whole number from 0 to 2**63-1, got {seed}"
    if agents_per_person is not None and not (
        math.isfinite(agents_per_person) and agents_per_person > 0
    ):
        problems["agents_per_person"] = f"must be a finite number > 0, got {agents_per_person}"
    return problems


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Tables are pandas DataFrames with typed columns (see schema.py)."""

    name: str
    start_date: dt.date
    days: int
    places: pd.DataFrame
    routes: pd.DataFrame
    sources: pd.DataFrame
    policies: pd.DataFrame
    observations: pd.DataFrame
    description: str = ""
    seed: int = 0
    rules: str = "corridor"
    agents_per_person: float = 1.0
    parameters: dict[str, float | int | bool | str | list] = field(default_factory=dict)
    folder: Path | None = None
    format: int = 1

    def with_parameters(self, **values: float | int | bool | str | list) -> Scenario:
        """A copy with rule-set parameters changed, checked against the rule set (API)."""
        from corridor.api import with_parameters

        return with_parameters(self, **values)

    def with_tables(self, **tables: pd.DataFrame) -> Scenario:
        """A copy with whole tables replaced, validated as a folder would be (API)."""
        from corridor.api import with_tables

        return with_tables(self, **tables)

    @property
    def end_date(self) -> dt.date:
        """Last simulated day (inclusive)."""
        return self.start_date + dt.timedelta(days=self.days - 1)

    @cached_property
    def policy_table(self) -> PolicyTable:
        """policies.csv with every target parsed (once per scenario object; a copy made with
        ``dataclasses.replace`` parses its own). ScenarioError lists every bad target."""
        from corridor.scenario.targets import policy_table

        return policy_table(self)

    def day_of(self, date: dt.date) -> int:
        """Day index of a calendar date (0 = start_date)."""
        return (date - self.start_date).days

    def with_overrides(
        self,
        *,
        seed: int | None = None,
        days: int | None = None,
        agents_per_person: float | None = None,
        parameters: dict | None = None,
    ) -> Scenario:
        """A copy with CLI-level overrides applied (None keeps the scenario's value).

        Raises CorridorError for an override the scenario file would not accept.
        """
        problems = settings_problems(
            self.start_date, self.days if days is None else days, seed, agents_per_person
        )
        if problems:
            from corridor.errors import CorridorError

            option = {"agents_per_person": "agents-scale"}
            key, message = next(iter(problems.items()))
            raise CorridorError(f"--{option.get(key, key)}: {message}")
        merged = dict(self.parameters)
        merged.update(parameters or {})
        return replace(
            self,
            seed=self.seed if seed is None else seed,
            days=self.days if days is None else days,
            agents_per_person=(
                self.agents_per_person if agents_per_person is None else agents_per_person
            ),
            parameters=merged,
        )
