"""Baseline runs: each shipped scenario (small) and a Flee folder, pinned the starsim way.

`tests/test_baselines.py` compares a fresh run with the committed `tests/baselines/<case>.json`
(the whole summary.json plus the sha256 of every Parquet output); `make update-baseline` runs
this module as a script to rewrite them and print which headline figures moved.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BASELINES = REPO / "tests" / "baselines"
OUTPUTS = ("counts.parquet", "flows.parquet", "groups.parquet", "events.parquet")


@dataclass(frozen=True)
class Case:
    """One pinned run: a scenario folder (or a Flee input + validation pair) and its options."""

    name: str
    scenario: str  # repo-relative scenario folder, or "flee:<input>:<validation>" under shared/
    options: tuple[str, ...] = ()


CASES = (
    Case("mexico-2023", "scenarios/mexico-2023", ("--agents-scale", "0.02", "--seed", "7")),
    Case("mexico-2018", "scenarios/mexico-2018", ("--agents-scale", "0.05", "--seed", "7")),
    Case("guatemala-2021", "scenarios/guatemala-2021", ("--agents-scale", "0.1", "--seed", "7")),
    Case("flee-mali", "flee:conflict_input/mali:conflict_validation/mali2012",
         ("--seed", "7", "--days", "60")),
)


def available(case: Case) -> str | None:
    """None when the case can run here, else why not (the Flee data lives outside the repo)."""
    if case.scenario.startswith("flee:") and not (SHARED / "flee").is_dir():
        return f"{SHARED / 'flee'} not found: Flee baseline needs ../shared/flee beside the repo"
    return None


def _invoke(args: list[str]) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"corridor {' '.join(args)} exited {result.exit_code}:\n"
                           f"{result.output}")


def run_case(case: Case, work: Path) -> dict:
    """Run one case into `work` and return {"summary": …, "sha256": {file: digest}}."""
    scenario = REPO / case.scenario
    if case.scenario.startswith("flee:"):
        _, source, validation = case.scenario.split(":")
        scenario = work / "flee-scenario"
        _invoke(["import-flee", str(SHARED / "flee" / source), str(SHARED / "flee" / validation),
                 "--out", str(scenario)])
    out = work / "run"
    _invoke(["run", str(scenario), "--out", str(out), "--no-report", *case.options])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    digests = {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
               for name in OUTPUTS if (out / name).exists()}
    return {"summary": summary, "sha256": digests}


def load_baseline(case: Case) -> dict | None:
    path = BASELINES / f"{case.name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def flat(value: object, prefix: str = "") -> dict[str, object]:
    """Nested summary as {"a.b.c": leaf} so differences can be listed one figure per line."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out |= flat(item, f"{prefix}{key}.")
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out |= flat(item, f"{prefix}{i}.")
        return out
    return {prefix.rstrip("."): value}


def differences(old: dict, new: dict, limit: int = 40) -> list[str]:
    """Lines `figure: old -> new` for every figure that moved (headline figures first)."""
    a, b = flat(old.get("summary", {})), flat(new.get("summary", {}))
    keys = sorted(set(a) | set(b), key=lambda k: (".head." in k or "per_place" in k, k))
    lines = [f"{k}: {a.get(k, '(absent)')} -> {b.get(k, '(absent)')}"
             for k in keys if a.get(k) != b.get(k)]
    for name in sorted(set(old.get("sha256", {})) | set(new.get("sha256", {}))):
        if old.get("sha256", {}).get(name) != new.get("sha256", {}).get(name):
            lines.append(f"{name}: sha256 changed")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
    return lines


def update() -> int:
    """Rewrite every available baseline; print the figures that moved."""
    import tempfile

    BASELINES.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        reason = available(case)
        if reason:
            print(f"{case.name}: skipped ({reason})")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            new = run_case(case, Path(tmp))
        old = load_baseline(case)
        moved = differences(old, new) if old is not None else ["(new baseline)"]
        (BASELINES / f"{case.name}.json").write_text(
            json.dumps(new, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{case.name}: {'unchanged' if not moved else f'{len(moved)} change(s)'}")
        for line in moved:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(update())
