"""Whole-command wall times: what a user waits for, next to anchors measured in the same run.

Each command runs as a fresh process (as a user types it), ``--repeat`` times; the table shows
the fastest and the median wall time, CPU seconds of the fastest and the median CPU seconds,
the target from issue 12 and the median's ratio to it (``--startup``: only the start-up rows,
5 runs is enough; ``--sections`` picks startup, mexico, mali, car).
Anchors measured here: a bare ``python -c pass`` (interpreter start-up) and, for the first run
after an install, the same ``run`` with an empty numba cache (``NUMBA_CACHE_DIR`` pointed at a
new folder, as on a fresh install) against a warm one. Flee's whole-run time is taken from
../shared/flee/RULES.md (measured there on this machine type) unless ``--flee-python`` names
an interpreter with Flee 3.1 installed, in which case Flee runs each Flee scenario once here,
as a whole process, as the peer. mali runs with the import's (Flee head) settings; car runs with
Flee 3.1's switches (benchmarks/flee_compare.FLEE31) so that both sides simulate the same agents.

    .venv/bin/python benchmarks/commands.py --repeat 3
    .venv/bin/python benchmarks/commands.py --startup --repeat 5
    .venv/bin/python benchmarks/commands.py --sections car --flee-python /tmp/fleevenv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLEE_DATA = ROOT.parent / "shared" / "flee"
SCENARIO = ROOT / "scenarios" / "mexico-2023"
_SCRIPT = Path(sys.executable).parent / "corridor"  # the command a user types
CORRIDOR = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "corridor"]


def kernels_in_use() -> str:
    """Which serial kernels the timed runs used (engine/compiled.py), asked in a fresh process
    with the runs' environment: ahead-of-time ones skip numba's start-up."""
    import subprocess

    code = "from corridor.engine.compiled import aot_available; print(aot_available())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    if done.stdout.strip() == "True":
        return "serial kernels: compiled ahead of time (python -m corridor.engine.aot)"
    return "serial kernels: numba JIT (no up-to-date ahead-of-time build; CORRIDOR_JIT set?)"


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


def flee_anchor(validation: str, version: str) -> tuple[float | None, str]:
    """Flee's whole run of ``validation`` (``head`` or ``3.1``, FabFlee settings) from RULES.md."""
    rules = FLEE_DATA / "RULES.md"
    if not rules.is_file():
        return None, "no ../shared/flee/RULES.md"
    row = re.search(rf"\|\s*{validation}\s*\|\s*{re.escape(version)}\s*\|\s*\d+\s*\|\s*[\d,]+\s*"
                    r"\|\s*([\d.]+)\s*\|", rules.read_text("utf-8"))
    if not row:
        return None, f"{validation} {version} row not found in RULES.md"
    return float(row.group(1)), f"Flee {version}, {validation}, measured in RULES.md (not here)"


def flee_here(python: str, scenario: str) -> tuple[float, str]:
    """Run Flee 3.1 on ``scenario`` once as a process (benchmarks/flee_compare.py's driver:
    the v3.1 run script with a fixed seed); wall time of the whole process."""
    sys.path.insert(0, str(Path(__file__).parent))
    from flee_compare import PAIRS, run_flee  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        info = run_flee(python, scenario, 1, Path(cache), False)
        wall = time.perf_counter() - started
    assert info is not None
    return wall, (f"Flee 3.1, {PAIRS[scenario]}, seed 1, {info['days']} days, "
                  f"{info['agents']:,} agents, run here")


def import_flee(name: str, out: Path) -> list[str]:
    """``corridor import-flee`` of a Flee validation pair with FabFlee's settings."""
    validation = {"mali": "mali2012", "car": "car2013"}[name]
    return [*CORRIDOR, "import-flee", str(FLEE_DATA / "conflict_input" / name),
            str(FLEE_DATA / "conflict_validation" / validation), "--simsetting",
            str(FLEE_DATA / "simsetting_fabflee3_validation.yml"), "--out", str(out)]


def as_flee31(scenario: Path) -> None:
    """Switch an imported scenario to Flee 3.1's behaviour (spawning from refugees.csv, no
    capacity scaling or day-0 reduction: flee_compare.FLEE31), so it runs the agents 3.1 runs."""
    import tomli_w

    sys.path.insert(0, str(Path(__file__).parent))
    from flee_compare import FLEE31  # type: ignore[import-not-found]

    path = scenario / "scenario.toml"
    settings = tomllib.loads(path.read_text("utf-8"))
    settings["parameters"].update(FLEE31)
    path.write_text(tomli_w.dumps(settings), encoding="utf-8")


def agents_of(run: Path) -> int:
    """Agents a run simulated (its summary.json)."""
    return int(json.loads((run / "summary.json").read_text("utf-8"))["agents"])


SECTIONS = ("startup", "mexico", "mali", "car")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--flee-python", help="a Python with Flee 3.1 installed (optional)")
    parser.add_argument("--startup", action="store_true",
                        help="only python start-up, --help, --version and validate")
    parser.add_argument("--sections", default="startup,mexico,mali",
                        help=f"comma-separated, of {', '.join(SECTIONS)} (car: Flee's car2013, "
                        "~16 min of Flee per run)")
    args = parser.parse_args()
    sections = ["startup"] if args.startup else args.sections.split(",")
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="corridor-bench-"))
    # name, measurement, target (s, "≥ N× Flee" or ""), Flee peer ("mali"/"car"/None)
    rows: list[tuple[str, dict[str, float], str, str | None]] = []
    flee: dict[str, tuple[float | None, str]] = {}
    notes: list[str] = []
    try:
        load = os.getloadavg()
        print(f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"at start; {args.repeat} runs each; sections {','.join(sections)}", flush=True)
        python = measure([sys.executable, "-c", "pass"], args.repeat)
        rows.append(("python -c pass (anchor)", python, "", None))
        if "startup" in sections:
            rows.append(("corridor --help", measure([*CORRIDOR, "--help"], args.repeat),
                         "≤ 0.3 s", None))
            rows.append(("corridor --version", measure([*CORRIDOR, "--version"], args.repeat),
                         "", None))
            rows.append(("validate mexico-2023", measure(
                [*CORRIDOR, "validate", str(SCENARIO)], args.repeat), "≤ 0.5 s", None))
            # a user's forecast question: 14 days of one caravan, 2 x 20 members (no target)
            fc = work / "fc"
            rows.append(("forecast tapachula 14 days", measure(
                [*CORRIDOR, "forecast", "--from", "tapachula", "--date", "2024-07-21",
                 "--people", "3000", "--network", str(ROOT / "scenarios" / "caravans"),
                 "--fit", str(ROOT / "data" / "caravans" / "fit"), "--out", str(fc)],
                args.repeat, before=rmtree(fc)), "", None))
        first = second = None
        if "mexico" in sections:
            out = work / "m23"
            clear = rmtree(out)
            # first run after an install: empty numba cache; then the same with the cache warm
            cold_env = os.environ | {"NUMBA_CACHE_DIR": str(work / "numba-cold")}
            first = measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out), "--no-report"], 1,
                            before=clear, env=cold_env)
            second = measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out), "--no-report"], 1,
                             before=clear, env=cold_env)
            rows.append(("run mexico-2023 --no-report, empty numba cache", first,
                         "≤ later + 3 s", None))
            rows.append(("  the same, second run (cache warm)", second, "", None))
            rows.append(("run mexico-2023 --no-report",
                         measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out),
                                  "--no-report"], args.repeat, before=clear), "", None))
            rows.append(("run mexico-2023 (with report)",
                         measure([*CORRIDOR, "run", str(SCENARIO), "--out", str(out)],
                                 args.repeat, before=clear), "", None))
            rows.append(("report mexico-2023",
                         measure([*CORRIDOR, "report", str(out)], args.repeat), "≤ 1 s", None))
        for name in [s for s in ("mali", "car") if s in sections]:
            if not (FLEE_DATA / "conflict_input" / name).is_dir():
                notes.append(f"no ../shared/flee/conflict_input/{name}: {name} rows skipped")
                continue
            scenario = work / name
            # mali: the import's own (head) settings, against Flee head's time in RULES.md
            # unless Flee 3.1 runs here; car: Flee 3.1's behaviour, so both run the same agents
            flee31 = name == "car"
            rows.append((f"import-flee {name}", measure(
                import_flee(name, scenario), args.repeat, before=rmtree(scenario)),
                "", None))
            if flee31:
                as_flee31(scenario)
            mout = work / f"{name}-run"
            mclear = rmtree(mout)
            targets = {"mali": ("≥ 50× Flee", "≥ 30× Flee"), "car": ("≥ 100× Flee", "")}[name]
            rows.append((f"run {name} --no-report", measure(
                [*CORRIDOR, "run", str(scenario), "--out", str(mout), "--no-report"],
                args.repeat, before=mclear), targets[0], name))
            rows.append((f"run {name} (with report)", measure(
                [*CORRIDOR, "run", str(scenario), "--out", str(mout)], args.repeat,
                before=mclear), targets[1], name))
            notes.append(f"corridor {name}: {agents_of(mout):,} agents"
                         + (" (Flee 3.1 switches: flee_compare.FLEE31)" if flee31 else
                            " (the import's Flee-head settings)"))
            if args.flee_python:
                print(f"running Flee 3.1 on {name} ...", flush=True)
                flee[name] = flee_here(args.flee_python, name)
            else:
                validation = {"mali": "mali2012", "car": "car2013"}[name]
                flee[name] = flee_anchor(validation, "3.1" if flee31 else "head")
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at end\n")
        print("| command | min s | median s | CPU s (fastest) | median CPU s | × python start-up "
              "| × faster than Flee (median) | target | median ÷ target |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, m, target, peer in rows:
            flee_s = flee.get(peer, (None, ""))[0] if peer else None
            versus_flee = f"{flee_s / m['median']:.0f}×" if flee_s else ""
            limit = re.fullmatch(r"≤ ([\d.]+) s", target)
            versus_target = f"{m['median'] / float(limit.group(1)):.2f}" if limit else ""
            print(f"| {name} | {m['min']:.2f} | {m['median']:.2f} | {m['cpu']:.2f} | "
                  f"{m['cpu_median']:.2f} | {m['min'] / python['min']:.0f} | {versus_flee} "
                  f"| {target} | {versus_target} |")
        print()
        for name, (seconds, note) in flee.items():
            print(f"Flee {name}: {seconds if seconds is not None else '—'} s ({note})")
        for note in notes:
            print(note)
        print(kernels_in_use())
        if first is not None and second is not None:
            print(f"first run after an install costs {first['min'] - second['min']:+.2f} s "
                  f"(empty vs warm numba cache)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
