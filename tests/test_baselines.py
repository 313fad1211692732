"""Baseline regression: shipped scenarios (small) give exactly the committed results.

A change that moves results on purpose runs `make update-baseline` and commits the new
tests/baselines/*.json with the figures that moved in the commit message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from baseline_runs import CASES, available, differences, load_baseline, run_case


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_baseline(case, tmp_path: Path) -> None:
    reason = available(case)
    if reason:
        pytest.skip(reason)
    baseline = load_baseline(case)
    assert baseline is not None, f"no baseline for {case.name}: run `make update-baseline`"
    new = run_case(case, tmp_path)
    moved = differences(baseline, new)
    assert not moved, (f"{case.name} moved from its baseline (if on purpose: "
                       "`make update-baseline`, commit, and say which figures moved and why):\n"
                       + "\n".join(moved))
