"""Scoring an ensemble reports each metric's spread over its members."""

from __future__ import annotations

import json
from pathlib import Path

from corridor.analysis.ensemble import run_ensemble
from corridor.analysis.ensemble_score import score_ensemble

from tinyscenario import write_scenario

OBSERVATIONS = """date,place,kind,low,high,source,quote
2024-01-03,b,position,,,test,the caravan reached B
2024-01-05,c,arrived,0,100000,test,people at C
"""


def test_ensemble_score_spread(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "s", days=12, observations=OBSERVATIONS)
    out = run_ensemble(folder, tmp_path / "ens", seeds=3)
    result = score_ensemble(out)
    assert set(result["members"]) == {"seed-000", "seed-001", "seed-002"}
    share = result["spread"]["share_ok"]
    assert share["n"] == 3 and 0.0 <= share["min"] <= share["mean"] <= share["max"] <= 1.0
    assert json.loads((out / "score.json").read_text())["spread"]["scored"]["mean"] == 2.0
