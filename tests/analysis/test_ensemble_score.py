"""Scoring an ensemble reports each metric's spread over its members."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from corridor.analysis.ensemble import run_ensemble
from corridor.analysis.ensemble_score import score_ensemble
from corridor.analysis.observations import score_run, score_summary

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
    # the spread is over the members' own scores, each computed as `corridor score` would
    shares = [score_summary(score_run(out / m))["share_ok"] for m in sorted(result["members"])]
    share = result["spread"]["share_ok"]
    assert share["n"] == 3
    assert share["mean"] == pytest.approx(statistics.mean(shares))
    assert share["sd"] == pytest.approx(statistics.stdev(shares))
    assert (share["min"], share["max"]) == (min(shares), max(shares))
    assert json.loads((out / "score.json").read_text())["spread"]["scored"]["mean"] == 2.0
