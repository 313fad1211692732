"""The first run after a fresh install against later runs, measured on a real install.

Creates a new virtual environment, ``pip install``s this repository into it (not editable: the
way a user installs), then times ``corridor run … --no-report`` of mexico-2023 and of the
imported Flee mali scenario (flee rules): the first run, then two more. Each scenario starts
with an empty user cache folder (``XDG_CACHE_HOME``), so nothing from an earlier run helps.
Anchors in the same run: the same command with numba's cache pointed at an empty folder
(what the first run costs when nothing compiled is shipped), and the first and second run of
a read-only install (run as another user, or after ``chmod -R a-w`` when not root).
Target (issue 12): first run ≤ 3 s slower than later runs.

    .venv/bin/python benchmarks/first_run.py [--keep /tmp/venv]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from commands import timed  # noqa: E402  (benchmarks/commands.py)

ROOT = Path(__file__).resolve().parents[1]
FLEE = ROOT.parent / "shared" / "flee"
NOBODY = 65534


def run(argv: list[str], env: dict[str, str], as_nobody: bool = False) -> tuple[float, float]:
    """(wall s, CPU s of the child) of one process (commands.timed), as user nobody if asked."""
    if as_nobody:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
    return timed(argv, env)


def series(corridor: str, scenario: Path, work: Path, name: str, extra_env: dict[str, str],
           as_nobody: bool = False, runs: int = 3) -> list[tuple[float, float]]:
    """``runs`` runs of one scenario in a row, starting from an empty user cache folder."""
    home = work / f"home-{name}"
    home.mkdir()
    if as_nobody:
        os.chown(home, NOBODY, NOBODY)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "XDG_CACHE_HOME": str(home / ".cache")} | extra_env
    out = home / "out"
    times = []
    for _ in range(runs):
        times.append(run([corridor, "run", str(scenario), "--out", str(out), "--no-report",
                          "--force"], env, as_nobody))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the venv here and keep it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="corridor-first-run-"))
    os.chmod(work, 0o755)
    venv = args.keep or work / "venv"
    try:
        load = os.getloadavg()
        print(f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              "at start")
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        started = time.perf_counter()
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"pip install (not editable): {time.perf_counter() - started:.0f} s")
        corridor = str(venv / "bin" / "corridor")
        scenarios = {"mexico-2023": ROOT / "scenarios" / "mexico-2023"}
        if (FLEE / "conflict_input" / "mali").is_dir():
            mali = work / "mali"
            subprocess.run([corridor, "import-flee", str(FLEE / "conflict_input" / "mali"),
                            str(FLEE / "conflict_validation" / "mali2012"), "--simsetting",
                            str(FLEE / "simsetting_fabflee3_validation.yml"), "--out",
                            str(mali)], check=True, capture_output=True)
            os.chmod(mali, 0o755)
            scenarios["mali (flee rules)"] = mali
        rows = []
        for label, folder in scenarios.items():
            key = label.split()[0]
            rows.append((label, series(corridor, folder, work, key, {})))
            rows.append((f"{label}, empty numba cache (anchor)",
                         series(corridor, folder, work, key + "-cold",
                                {"NUMBA_CACHE_DIR": str(work / f"numba-{key}")}, runs=2)))
        package = next((venv / "lib").glob("python*/site-packages/corridor"))
        as_nobody = os.geteuid() == 0  # root writes anywhere: run as another user instead
        if not as_nobody:
            subprocess.run(["chmod", "-R", "a-w", str(package)], check=True)
        rows.append(("mexico-2023, read-only install" + (" (as nobody)" if as_nobody else ""),
                     series(corridor, scenarios["mexico-2023"], work, "ro", {}, as_nobody)))
        if not as_nobody:
            subprocess.run(["chmod", "-R", "u+w", str(package)], check=True)
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at end\n")
        print("| corridor run … --no-report | first wall s | later wall s (best) | first CPU s "
              "| later CPU s | first − later (wall) | target |")
        print("|---|---|---|---|---|---|---|")
        for label, times in rows:
            first, later = times[0], min(times[1:])
            target = "" if "anchor" in label else "≤ 3 s"
            print(f"| {label} | {first[0]:.2f} | {later[0]:.2f} | {first[1]:.2f} | "
                  f"{later[1]:.2f} | {first[0] - later[0]:+.2f} | {target} |")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
