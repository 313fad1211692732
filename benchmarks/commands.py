"""Whole-command wall times: what a user waits for, next to anchors measured in the same run.

Each command runs as a fresh process (as a user types it), ``--repeat`` times; the table shows
the fastest and the median wall time, CPU seconds of the fastest and the median CPU seconds,
and the target from issue 12 (``--startup``: only the start-up rows, 5 runs is enough).
Anchors measured here: a bare ``python -c pass`` (interpreter start-up) and, for the first run
after an install, the same ``run`` with an empty numba cache (``NUMBA_CACHE_DIR`` pointed at a
new folder, as on a fresh install) against a warm one. Flee's whole-run time is taken from
../shared/flee/RULES.md (measured there on this machine type) unless ``--flee-python`` names
an interpreter with Flee 3.1 installed, in which case mali is run once here as the peer.

    .venv/bin/python benchmarks/commands.py --repeat 3
    .venv/bin/python benchmarks/commands.py --startup --repeat 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLEE_DATA = ROOT.parent / "shared" / "flee"
SCENARIO = ROOT / "scenarios" / "mexico-2023"
_SCRIPT = Path(sys.executable).parent / "corridor"  # the command a user types
CORRIDOR = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "corridor"]


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall s, CPU s of the child) of one process; fails loudly if the command fails."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return wall, (after.children_user - before.children_user
                  + after.children_system - before.children_system)


def rmtree(path: Path) -> list[str]:
    """A command that removes ``path`` (run untimed before a command that writes it)."""
    return [sys.executable, "-c", f"import shutil; shutil.rmtree({str(path)!r}, True)"]


def measure(argv: list[str], repeat: int, before: list[str] | None = None,
            env: dict[str, str] | None = None) -> dict[str, float]:
    """Fastest and median of ``repeat`` runs; ``before`` runs untimed ahead of each one."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before:
            subprocess.run(before, capture_output=True, check=True)
        wall, cpu = timed(argv, env)
        walls.append(wall)
        cpus.append(cpu)
    best = walls.index(min(walls))
    return {"min": min(walls), "median": statistics.median(walls), "cpu": cpus[best],
            "cpu_median": statistics.median(cpus)}


def flee_anchor() -> tuple[float | None, str]:
    """Flee's whole mali2012 run (head, FabFlee settings) from RULES.md."""
    rules = FLEE_DATA / "RULES.md"
    if not rules.is_file():
        return None, "no ../shared/flee/RULES.md"
    row = re.search(r"\|\s*mali2012\s*\|\s*head\s*\|\s*\d+\s*\|\s*[\d,]+\s*\|\s*([\d.]+)\s*\|",
                    rules.read_text("utf-8"))
    if not row:
        return None, "mali2012 row not found in RULES.md"
    return float(row.group(1)), "Flee head, mali2012, 300 days, measured in RULES.md (not here)"


def flee_here(python: str) -> tuple[float, str]:
    """Run Flee 3.1 on mali once through benchmarks/flee_compare.py's driver."""
    sys.path.insert(0, str(Path(__file__).parent))
    from flee_compare import run_flee  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        run_flee(python, "mali", 1, Path(cache), False)
        return time.perf_counter() - started, "Flee 3.1, mali2012, run here"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--flee-python", help="a Python with Flee 3.1 installed (optional)")
    parser.add_argument("--startup", action="store_true",
                        help="only python start-up, --help, --version and validate")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="corridor-bench-"))
    rows: list[tuple[str, dict[str, float], str]] = []
    try:
        load = os.getloadavg()
        print(f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"at start; {args.repeat} runs each")
        python = measure([sys.executable, "-c", "pass"], args.repeat)
        rows.append(("python -c pass (anchor)", python, ""))
        rows.append(("corridor --help", measure([*CORRIDOR, "--help"], args.repeat), "≤ 0.3 s"))
        rows.append(("corridor --version", measure([*CORRIDOR, "--version"], args.repeat), ""))
        rows.append(("validate mexico-2023",
                     measure([*CORRIDOR, "validate", str(SCENARIO)], args.repeat), "≤ 0.5 s"))
        first = second = None
        flee_s, flee_note = None, "no ../shared/flee: Flee rows skipped"
        if not args.startup:
            out = work / "m23"
            clear = rmtree(out)
            # first run after an install: empty numba cache; then the same with the cache warm
            cold_env = os.environ | {"NUMBA_CACHE_DIR": str(work / "numba-cold")}
            first = measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out), "--no-report"], 1,
                            before=clear, env=cold_env)
            second = measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out), "--no-report"], 1,
                             before=clear, env=cold_env)
            rows.append(("run mexico-2023 --no-report, empty numba cache", first, "≤ later + 3 s"))
            rows.append(("  the same, second run (cache warm)", second, ""))
            rows.append(("run mexico-2023 --no-report",
                         measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out),
                                  "--no-report"], args.repeat, before=clear), ""))
            rows.append(("run mexico-2023 (with report)",
                         measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out)],
                                 args.repeat, before=clear), ""))
            rows.append(("report mexico-2023",
                         measure([*CORRIDOR, "report", str(out)], args.repeat), "≤ 1 s"))
            if (FLEE_DATA / "conflict_input" / "mali").is_dir():
                mali = work / "mali"
                rows.append(("import-flee mali", measure(
                    [*CORRIDOR, "import-flee", str(FLEE_DATA / "conflict_input" / "mali"),
                     str(FLEE_DATA / "conflict_validation" / "mali2012"), "--simsetting",
                     str(FLEE_DATA / "simsetting_fabflee3_validation.yml"), "--out", str(mali)],
                    args.repeat, before=rmtree(mali)), ""))
                mout = work / "mali-run"
                mclear = rmtree(mout)
                flee_s, flee_note = (flee_here(args.flee_python) if args.flee_python
                                     else flee_anchor())
                rows.append(("run mali --no-report", measure(
                    [*CORRIDOR, "run", str(mali), "--out", str(mout), "--no-report"], args.repeat,
                    before=mclear), "≥ 50× Flee"))
                rows.append(("run mali (with report)", measure(
                    [*CORRIDOR, "run", str(mali), "--out", str(mout)], args.repeat, before=mclear),
                    "≥ 30× Flee"))
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at end\n")
        print("| command | min s | median s | CPU s (fastest) | median CPU s | × python start-up "
              "| × faster than Flee | target |")
        print("|---|---|---|---|---|---|---|---|")
        for name, m, target in rows:
            versus_flee = f"{flee_s / m['min']:.0f}×" if flee_s and "mali" in name \
                and "import" not in name else ""
            print(f"| {name} | {m['min']:.2f} | {m['median']:.2f} | {m['cpu']:.2f} | "
                  f"{m['cpu_median']:.2f} | {m['min'] / python['min']:.0f} | {versus_flee} "
                  f"| {target} |")
        if first is not None and second is not None:
            print(f"\nFlee: {flee_s if flee_s is not None else '—'} s ({flee_note})")
            print(f"first run after an install costs {first['min'] - second['min']:+.2f} s "
                  f"(empty vs warm numba cache)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
