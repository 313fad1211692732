"""Scenario folders: load, validate, save. Knows nothing of the engine.

Names load on first use (PEP 562) so that ``corridor.scenario.model`` can be imported without
pandas and pycountry (the engine and the CLI's help need only the model).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridor.scenario.load import check_scenario, load_scenario
    from corridor.scenario.model import Scenario
    from corridor.scenario.save import save_scenario

_WHERE = {
    "Scenario": "corridor.scenario.model",
    "check_scenario": "corridor.scenario.load",
    "load_scenario": "corridor.scenario.load",
    "save_scenario": "corridor.scenario.save",
}

__all__ = ["Scenario", "check_scenario", "load_scenario", "save_scenario"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
