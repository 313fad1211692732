"""A scenario folder loaded and checked against its rule set: the one loader every command,
the API and the analyses share (so a problem is reported the same way wherever it is met)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import ScenarioError

if TYPE_CHECKING:
    from corridor.scenario.model import Scenario


def load_checked(folder: Path, *, frames: bool = True) -> Scenario:
    """Load a scenario folder and check its rule set and parameters (every problem at once).

    ``frames=False`` keeps the tables as plain columns (no pandas: ``corridor validate``);
    such a scenario can be counted and checked, not run. Raises ScenarioError.
    """
    from corridor.engine import check_rules
    from corridor.scenario import check_scenario

    scenario, problems = check_scenario(folder, frames=frames)
    if scenario is not None:
        problems += check_rules(scenario)
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario
