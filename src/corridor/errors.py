"""Errors a user can cause: one clear line each, exit code 2 from the CLI."""

from __future__ import annotations

from dataclasses import dataclass


class CorridorError(Exception):
    """Base class of every error caused by user input (bad files, bad options)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as we can."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class ScenarioError(CorridorError):
    """A scenario folder has one or more problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else "invalid scenario"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first + more)


class RunError(CorridorError):
    """A run folder is missing or unreadable, or an output location is refused."""
