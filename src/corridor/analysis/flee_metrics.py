"""Flee's validation metrics: averaged relative difference (ARD) and MASE against UNHCR counts.

Follows ``flee/postprocessing/extract-validation-results.py`` (what FabFlee's validate_flee
calls) and ``flee/postprocessing/analysis.py``:

* ARD (``Error (normal)``): the mean over days of
  sum_c |sim_c(t) - data_c(t)| / max(sum_c data_c(t), 1).
* ARD rescaled (``Error (rescaled)``): the same with sim_c(t) scaled by
  sum data(t) / sum sim(t) (0 where no one is simulated in camps), so only the distribution
  over camps is scored. FabFlee reports this one by default.
* MASE7 / MASE30: mean |data - sim_rescaled| over all days divided by the mean
  |data - naive| after day 7 (30), naive = the day-7 (30) value held flat; per camp, and in
  total weighted by each camp's sum of data (``SimulationErrors.get_error``).

Per-day absolute differences are rounded to 4 decimals as Flee's ``abs_diffs`` does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corridor._io import atomic_write_text, json_text
from corridor.errors import RunError
from corridor.runs.read import read_csv, read_resolved, require_table

ROUND_NDIGITS = 4  # flee/postprocessing/analysis.py


def _frames(sim: pd.DataFrame, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Align sim and data on days and camps (data's columns decide the camps)."""
    camps = list(data.columns)
    missing = [c for c in camps if c not in sim.columns]
    if missing:
        raise ValueError(f"simulation has no column for camps {missing}")
    days = data.index.intersection(sim.index)
    return (sim.loc[days, camps].to_numpy(np.float64),
            data.loc[days, camps].to_numpy(np.float64))


def rescale(sim: np.ndarray, data: np.ndarray) -> np.ndarray:
    """sim_c(t) x sum data(t) / sum sim(t), 0 on days with no one simulated in camps."""
    simtot = sim.sum(axis=1, keepdims=True)
    untot = data.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(simtot > 0, sim * untot / simtot, 0.0)


def ard_per_day(sim: pd.DataFrame, data: pd.DataFrame, rescaled: bool = False) -> pd.Series:
    """E(t) = sum_c |sim_c(t) - data_c(t)| / max(sum_c data_c(t), 1)."""
    s, d = _frames(sim, data)
    if rescaled:
        s = rescale(s, d)
    diffs = np.round(np.abs(s - d), ROUND_NDIGITS).sum(axis=1)
    days = data.index.intersection(sim.index)
    return pd.Series(diffs / np.maximum(d.sum(axis=1), 1.0), index=days)


def ard(sim: pd.DataFrame, data: pd.DataFrame, rescaled: bool = False) -> float:
    """Averaged relative difference over all days (DataFrames: day index x camp columns)."""
    return float(ard_per_day(sim, data, rescaled).mean())


def _mase_arrays(forecast: np.ndarray, actual: np.ndarray, start: int) -> float:
    """analysis.calculate_MASE with the flat naive forecast held from day ``start``."""
    if len(actual) <= start + 1:
        return float("nan")
    naive = np.full(len(actual), actual[start])
    offset = start + 1
    naive_error = np.sum(np.abs(actual[offset:] - naive[offset:])) / float(len(actual[offset:]))
    forecast_error = np.sum(np.abs(actual - forecast)) / float(len(actual))
    if naive_error == 0:
        return float("inf") if forecast_error > 0 else float("nan")
    return round(float(forecast_error / naive_error), ROUND_NDIGITS)


def mase(sim: pd.DataFrame, data: pd.DataFrame, start: int = 7) -> dict[str, float]:
    """MASE per camp (rescaled sim vs data, flat naive from day ``start``) and the total
    weighted by each camp's summed data, as extract-validation-results.py reports it."""
    s, d = _frames(sim, data)
    s = rescale(s, d)
    out: dict[str, float] = {}
    weights, values = [], []
    for j, camp in enumerate(data.columns):
        m = _mase_arrays(s[:, j], d[:, j], start)
        out[str(camp)] = m
        if np.isfinite(m):
            weights.append(d[:, j].sum())
            values.append(m)
    total_weight = float(np.sum(weights))
    out["total"] = float(np.dot(weights, values) / total_weight) if total_weight > 0 else float(
        "nan")
    return out


def flee_data(observations: pd.DataFrame, start_date, days: int, camps: list[str],
              scale: float = 1.0) -> pd.DataFrame:  # noqa: ANN001
    """UNHCR camp series as Flee's DataTable.get_field returns them: int(linear interpolation),
    flat before the first and after the last row; day index x camp columns."""
    from corridor.scenario.flee_import import interpolate

    obs = observations[observations["kind"] == "registered"]
    names = obs["series" if "series" in obs.columns else "place"].astype(str)
    out = {}
    for camp in camps:
        rows = obs[names == camp]
        table = [((pd.Timestamp(d).date() - start_date).days, float(v) * scale)
                 for d, v in zip(rows["date"], rows["low"].where(rows["low"].notna(),
                                                                  rows["high"]), strict=True)]
        if not table:
            continue
        out[camp] = [int(interpolate(table, t)) for t in range(days)]
    return pd.DataFrame(out, index=pd.RangeIndex(days, name="day"))


def score_frames(sim: pd.DataFrame, data: pd.DataFrame) -> dict:
    """Every metric for one run: totals and per camp."""
    s, d = _frames(sim, data)
    per_camp = {}
    sr = rescale(s, d)
    untot = np.maximum(d.sum(axis=1), 1.0)
    mase7, mase30 = mase(sim, data, 7), mase(sim, data, 30)
    for j, camp in enumerate(data.columns):
        per_camp[str(camp)] = {
            "ard": float(np.mean(np.round(np.abs(s[:, j] - d[:, j]), ROUND_NDIGITS) / untot)),
            "ard_rescaled": float(np.mean(np.round(np.abs(sr[:, j] - d[:, j]), ROUND_NDIGITS)
                                          / untot)),
            "mase7": mase7[str(camp)],
            "mase30": mase30[str(camp)],
            "sim_last": float(s[-1, j]),
            "data_last": float(d[-1, j]),
        }
    return {
        "ard": ard(sim, data, rescaled=False),
        "ard_rescaled": ard(sim, data, rescaled=True),
        "mase7": mase7["total"],
        "mase30": mase30["total"],
        "days": int(len(s)),
        "camps": per_camp,
        "definition": "Flee postprocessing/extract-validation-results.py: ARD = mean over days "
                      "of sum_c|sim_c-data_c|/max(sum_c data_c,1); rescaled: sim scaled to the "
                      "UNHCR camp total each day; MASE vs flat naive from day 7/30",
    }


def _read_run(run_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    counts = require_table(run_dir, "counts")
    for name in ("observations.csv", "scenario.resolved.toml"):
        if not (run_dir / name).exists():
            raise RunError(f"{run_dir / name}: missing (is {run_dir} a corridor run folder?)")
    settings = read_resolved(run_dir)
    for key in ("start_date", "days"):
        if key not in settings:
            raise RunError(f"{run_dir / 'scenario.resolved.toml'}: no {key} (damaged?)")
    observations = read_csv(run_dir, "observations")
    if observations is None or observations.empty or "kind" not in observations.columns:
        raise RunError(f"{run_dir / 'observations.csv'}: no observations to score against")
    for column in ("low", "high"):
        if column in observations.columns:
            observations[column] = pd.to_numeric(observations[column].replace("", np.nan),
                                                  errors="coerce")
    return counts, observations, settings


def score_flee_run(run_dir: Path) -> dict:
    """Flee's metrics for a run folder: sim = agents at each camp (status at_place) per day,
    data = the UNHCR camp series of the run's observations (people; agents_per_person only
    changes the unit of both)."""
    run_dir = Path(run_dir)
    counts, observations, settings = _read_run(run_dir)
    start = settings["start_date"]
    if isinstance(start, str):
        import datetime as dt

        start = dt.date.fromisoformat(start)
    days = int(settings["days"])
    registered = observations[(observations["kind"] == "registered")
                              & (observations["place"].astype(str) != "")]
    camps = list(dict.fromkeys(registered["place"].astype(str)))
    places_path = run_dir / "places.csv"
    if places_path.exists():  # only camps are scored, as in Flee's output
        places = pd.read_csv(places_path, dtype=str, keep_default_na=False)
        kinds = dict(zip(places["id"], places["kind"], strict=True))
        camps = [c for c in camps if kinds.get(c, "camp") in ("camp", "idpcamp")]
    if not camps:
        raise RunError(f"{run_dir}: the observations have no registered camp counts to score")
    data = flee_data(observations, start, days, camps)
    at = counts[counts["status"].astype(str) == "at_place"]
    sim = (at.pivot_table(index="day", columns="place", values="n", aggfunc="sum")
           .reindex(index=range(days), columns=camps).fillna(0.0))
    result = score_frames(sim, data)
    result["run"] = str(run_dir)
    return result


def write_score(run_dir: Path) -> Path:
    """Write score.json into the run folder atomically."""
    run_dir = Path(run_dir)
    result = score_flee_run(run_dir)
    target = run_dir / "score.json"
    atomic_write_text(target, json_text(result))
    return target


def print_flee_score(run_dir: Path, console) -> dict:  # noqa: ANN001 - a rich Console
    """Print Flee's metrics per camp and in total (the ``corridor score`` table)."""
    from rich.table import Table

    result = score_flee_run(Path(run_dir))
    table = Table(title=f"{Path(run_dir).name}: Flee metrics over {result['days']} days")
    for column in ("camp", "ARD", "ARD rescaled", "MASE7", "MASE30", "sim (last day)",
                   "UNHCR (last day)"):
        table.add_column(column, justify="left" if column == "camp" else "right")
    for camp, m in result["camps"].items():
        table.add_row(camp, f"{m['ard']:.3f}", f"{m['ard_rescaled']:.3f}", f"{m['mase7']:.3f}",
                      f"{m['mase30']:.3f}", f"{m['sim_last']:,.0f}", f"{m['data_last']:,.0f}")
    table.add_row("total", f"{result['ard']:.3f}", f"{result['ard_rescaled']:.3f}",
                  f"{result['mase7']:.3f}", f"{result['mase30']:.3f}", "", "", style="bold")
    console.print(table)
    return result
