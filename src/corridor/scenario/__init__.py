"""Scenario folders: load, validate, save. Knows nothing of the engine."""

from corridor.scenario.load import check_scenario, load_scenario
from corridor.scenario.model import Scenario
from corridor.scenario.save import save_scenario

__all__ = ["Scenario", "check_scenario", "load_scenario", "save_scenario"]
