"""HTML tables escape every value and only link http(s) sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import report_fixtures as fx

from corridor.analysis.compare import compare_runs
from corridor.report import tables
from corridor.report.data import RunData

# shared fixtures (see report_fixtures.py for why this is not a conftest.py)
other_run_dir = fx.other_run_dir
run_dir = fx.run_dir


def test_headline_table(run_dir: Path) -> None:
    text = tables.headline_table(RunData.load(run_dir))
    assert "<td>people spawned</td><td>7,000</td>" in text
    assert "<td>at the end: at_place</td><td>4,900</td>" in text
    assert "first arrival at Mexico City</td><td>day 1 (2023-12-25)" in text


def test_observation_table_escapes_quotes(run_dir: Path) -> None:
    scores = pd.DataFrame(
        [
            {
                "date": pd.Timestamp("2023-12-24"),
                "place": "tapachula",
                "kind": "caravan_size",
                "low": 1.0,
                "high": 2.0,
                "simulated": 3.0,
                "distance_km": float("nan"),
                "ok": False,
                "note": "n",
                "quote": "<script>alert(1)</script>",
                "source": "javascript:alert(1)",
            }
        ]
    )
    text = tables.observations_table(scores, RunData.load(run_dir))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "<a " not in text  # only http(s) sources become links
    assert "<td>Tapachula</td>" in text


def test_compare_table(run_dir: Path, other_run_dir: Path) -> None:
    table = compare_runs(run_dir, other_run_dir)
    text = tables.compare_table(table, "a", "b")
    assert (
        "<td>people_spawned</td><td>7,000</td><td>10,500</td><td>+3,500</td><td>+50.0 %</td>"
        in (text)
    )
