"""corridor: simulate and understand migration through the Central America–Mexico–US corridor.

The Python API (docs/api.md)::

    import corridor
    scenario = corridor.load("scenarios/mexico-2023")
    result = corridor.run(scenario, seed=1)
    result.counts            # people per day, place and status (a DataFrame)
    result.write("runs/mine", report=True)

Names load on first use (PEP 562): ``import corridor`` itself imports nothing heavy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = ("load", "check", "run", "open_run", "score", "ensemble", "sweep", "parameters",
        "with_parameters", "with_tables", "Result", "RunFolder", "Ensemble", "Sweep")
_WHERE = {name: "corridor.api" for name in _API} | {
    "Scenario": "corridor.scenario.model",
    "CorridorError": "corridor.errors",
    "ScenarioError": "corridor.errors",
    "RunError": "corridor.errors",
}
__all__ = [  # the stable API (docs/api.md)
    "CorridorError", "Ensemble", "Result", "RunError", "RunFolder", "Scenario", "ScenarioError",
    "Sweep", "__version__", "check", "ensemble", "load", "open_run", "parameters", "run", "score",
    "sweep", "with_parameters", "with_tables",
]

if TYPE_CHECKING:
    from corridor.api import (
        Ensemble,
        Result,
        RunFolder,
        Sweep,
        check,
        ensemble,
        load,
        open_run,
        parameters,
        run,
        score,
        sweep,
        with_parameters,
        with_tables,
    )
    from corridor.errors import CorridorError, RunError, ScenarioError
    from corridor.scenario.model import Scenario


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'corridor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
