"""The in-memory scenario: a period, a seed, a rule set, parameters and five tidy tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # tables are DataFrames; importing pandas here would slow `import corridor`
    import pandas as pd

    from corridor.scenario.targets import PolicyTable


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
        """A copy with CLI-level overrides applied (None keeps the scenario's value)."""
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
