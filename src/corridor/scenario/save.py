"""Write a scenario back to a folder (Flee import, resolved copies in run folders)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import tomli_w

from corridor.scenario.load import SCENARIO_FILE
from corridor.scenario.model import Scenario
from corridor.scenario.schema import OPTIONAL_TABLES, REQUIRED_TABLES, TABLES


def scenario_settings(scenario: Scenario, parameters: dict | None = None) -> dict:
    """The scenario.toml content; ``parameters`` replaces the scenario's (e.g. all defaults)."""
    return {
        "format": scenario.format,
        "name": scenario.name,
        "description": scenario.description,
        "start_date": scenario.start_date,
        "days": int(scenario.days),
        "seed": int(scenario.seed),
        "rules": scenario.rules,
        "agents_per_person": float(scenario.agents_per_person),
        "parameters": dict(parameters if parameters is not None else scenario.parameters),
    }


def write_settings(settings: dict, path: Path) -> None:
    """Write a scenario.toml (dates stay TOML dates)."""
    clean = {k: (v if not isinstance(v, pd.Timestamp) else v.date()) for k, v in settings.items()}
    path.write_text(tomli_w.dumps(clean), encoding="utf-8")


def table_for_csv(scenario: Scenario, name: str) -> pd.DataFrame:
    """A table as it is written to CSV: schema columns in order, then any extra ones."""
    frame = getattr(scenario, name)
    known = [c.name for c in TABLES[name]]
    extra = [c for c in frame.columns if c not in known and not c.startswith("_")]
    out = frame.reindex(columns=known + extra)
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, dt.date)).any():
            out[column] = out[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else "")
    return out


def save_scenario(scenario: Scenario, folder: Path, *, safe_cells: bool = True) -> None:
    """Write a complete scenario folder (the folder must exist).

    Text cells a spreadsheet would run as formulas are neutralised (``corridor._io.write_csv``),
    as in every CSV corridor writes for people to open (import-flee's output is such a folder).
    ``safe_cells=False`` keeps every cell as it is, for a private round trip that is read back
    (``api.check``).
    """
    from corridor._io import write_csv

    write_settings(scenario_settings(scenario), folder / SCENARIO_FILE)
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        table = table_for_csv(scenario, name)
        if safe_cells:
            write_csv(table, folder / f"{name}.csv")
        else:
            table.to_csv(folder / f"{name}.csv", index=False)
