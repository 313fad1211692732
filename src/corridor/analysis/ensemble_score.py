"""Score every member of an ensemble and report the spread of each headline metric."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor._io import atomic_write_text, json_text
from corridor.analysis.observations import score_run, score_summary
from corridor.runs.markers import ensemble_members
from corridor.runs.read import read_summary


def member_metrics(run_dir: Path, rules: str, max_distance_km: float = 30.0) -> dict[str, float]:
    """The headline numbers of one member: Flee's ARD/MASE, or the share of observations ok."""
    if rules == "flee":
        from corridor.analysis.flee_metrics import score_flee_run

        result = score_flee_run(run_dir)
        return {k: float(v) for k, v in result.items() if isinstance(v, (int, float))}
    summary = score_summary(score_run(run_dir, max_distance_km=max_distance_km))
    return {k: float(v) for k, v in summary.items() if isinstance(v, (int, float))}


def score_ensemble(folder: Path, max_distance_km: float = 30.0) -> dict:
    """Mean, sd, min and max over members of each metric; written to ``score.json``."""
    folder = Path(folder)
    rules = read_summary(folder).get("rules", "corridor")
    per_member = {m.name: member_metrics(m, rules, max_distance_km)
                  for m in ensemble_members(folder)}
    names = sorted({k for metrics in per_member.values() for k in metrics})
    spread = {}
    for name in names:
        values = np.array([m[name] for m in per_member.values() if name in m], dtype=float)
        spread[name] = {"mean": float(values.mean()), "sd": float(values.std(ddof=1))
                        if len(values) > 1 else 0.0, "min": float(values.min()),
                        "max": float(values.max()), "n": int(len(values))}
    result = {"rules": rules, "members": per_member, "spread": spread}
    atomic_write_text(folder / "score.json", json_text(result))
    return result
