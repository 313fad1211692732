"""Flee 3.1 vs corridor's ``flee`` rules on Flee's four validation scenarios: speed and ARD.

For each of mali/mali2012, burundi/burundi2015, car/car2013, ssudan/ssudan2014 (full periods)
this runs Flee 3.1 (PyPI ``flee==3.1``, in a throwaway venv made here if ``--flee-python`` is
not given) and corridor on the same inputs with the same settings
(../shared/flee/simsetting_fabflee3_validation.yml) and Flee 3.1's behaviour: spawning from
the daily increase of refugees.csv, no capacity scaling, no day-0 capacity reduction.
Several seeds each; prints

  scenario | agents | days | Flee s | corridor s | ratio | Flee ARD | corridor ARD

(ARD = Flee's "Error (rescaled)", mean ± sd over seeds; the normal ARD follows in brackets).
Flee takes minutes to tens of minutes per run, so its results are cached per
(scenario, seed) in ``--cache`` and reused; ``--flee-only-cached`` never starts Flee.

    .venv/bin/python benchmarks/flee_compare.py --seeds 3
    .venv/bin/python benchmarks/flee_compare.py --scenarios mali --flee-python /path/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FLEE_DATA = ROOT.parent / "shared" / "flee"
PAIRS = {"mali": "mali2012", "burundi": "burundi2015", "car": "car2013", "ssudan": "ssudan2014"}
# Flee 3.1 ignores these head settings; corridor is set to behave like 3.1 for the comparison
FLEE31 = {"spawn_mode": "refugees", "capacity_scaling": 1.0, "day0_capacity_reduction": False,
          "conflict_spawn_decay_interval_days": 30}

FLEE_DRIVER = r'''"""Run Flee 3.1 on one scenario as its v3.1 runscripts/run.py does, fixed seed.

Arguments: INPUT_DIR VALIDATION_DIR SIMSETTING_YML SEED OUT_CSV. Writes one row per
day (state after day t's moves): per camp "<camp> sim" and "<camp> data", the camp totals and the
agent count, then prints a JSON line with the wall time of the day loop.
"""
import csv
import json
import random
import sys
import tempfile
import time

import numpy as np
from flee import InputGeography, flee, spawning
from flee.datamanager import handle_refugee_data
from flee.SimulationSettings import SimulationSettings

input_dir, validation_dir, simsetting, seed, out_csv = sys.argv[1:6]
random.seed(int(seed))
np.random.seed(int(seed))
with open(f"{input_dir}/sim_period.csv", encoding="utf-8") as f:
    rows = {r[0].strip(): r[1].strip() for r in csv.reader(f) if len(r) > 1}
start_date, end_time = rows["StartDate"], int(rows["Length"])
flee.SimulationSettings.ReadFromYML(simsetting)
flee.SimulationSettings.ConflictInputFile = f"{input_dir}/conflicts.csv"
t0 = time.perf_counter()
e = flee.Ecosystem()
ig = InputGeography.InputGeography()
ig.ReadConflictInputCSV(flee.SimulationSettings.ConflictInputFile)
ig.ReadLocationsFromCSV(f"{input_dir}/locations.csv")
ig.ReadLinksFromCSV(f"{input_dir}/routes.csv")
ig.ReadClosuresFromCSV(f"{input_dir}/closures.csv")
e, lm = ig.StoreInputGeographyInEcosystem(e)
d = handle_refugee_data.RefugeeTable(
    csvformat="generic", data_directory=validation_dir, start_date=start_date,
    data_layout="data_layout.csv",
    population_scaledown_factor=SimulationSettings.optimisations["PopulationScaleDownFactor"])
d.ReadL1Corrections(f"{input_dir}/registration_corrections.csv")
camps = e.get_camp_names()
for name in camps:
    spawning.add_initial_refugees(e, d, lm[name])
out = open(out_csv, "w", newline="")
w = csv.writer(out)
w.writerow(["Day"] + [f"{c} {k}" for c in camps for k in ("sim", "data")]
           + ["refugees in camps (simulation)", "refugees in camps (UNHCR)",
              "total refugees (simulation)"])
peak = 0
for t in range(end_time):
    ig.AddNewConflictZones(e, t)
    spawning.spawn_daily_displaced(e, t, d)
    spawning.refresh_spawn_weights(e)
    e.enact_border_closures(t)
    e.evolve()
    sims = [lm[c].numAgents for c in camps]
    data = [d.get_field(c, t) for c in camps]
    row = [t]
    for s, v in zip(sims, data):
        row += [s, v]
    w.writerow(row + [sum(sims), int(sum(data)), e.numAgents()])
    peak = max(peak, e.numAgents())
out.close()
elapsed = time.perf_counter() - t0
agent_days = 0
print(json.dumps({"seconds": elapsed, "agents": peak, "days": end_time}))
'''


def flee_python(given: str | None) -> str:
    """The python that has flee 3.1: --flee-python, or a temporary venv made on first use."""
    if given:
        return given
    venv = Path(os.environ.get("FLEE_VENV", Path(tempfile.gettempdir()) / "fleevenv"))
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing flee==3.1 into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "flee==3.1"], check=True)
    return str(python)


def run_flee(python: str, scenario: str, seed: int, cache: Path, only_cached: bool
             ) -> dict | None:
    """One Flee 3.1 run (cached): wall seconds, peak agents, and the per-day camp table."""
    validation = PAIRS[scenario]
    out_csv = cache / f"{validation}_seed{seed}.csv"
    out_json = cache / f"{validation}_seed{seed}.json"
    if not out_json.exists():
        if only_cached:
            return None
        cache.mkdir(parents=True, exist_ok=True)
        driver = cache / "flee31_driver.py"
        driver.write_text(FLEE_DRIVER, encoding="utf-8")
        done = subprocess.run(
            [python, str(driver), str(FLEE_DATA / "conflict_input" / scenario),
             str(FLEE_DATA / "conflict_validation" / validation),
             str(FLEE_DATA / "simsetting_fabflee3_validation.yml"), str(seed), str(out_csv)],
            check=True, capture_output=True, text=True)
        out_json.write_text(done.stdout.strip().splitlines()[-1], encoding="utf-8")
    info = json.loads(out_json.read_text(encoding="utf-8"))
    table = pd.read_csv(out_csv, index_col="Day")
    camps = [c[: -len(" sim")] for c in table.columns if c.endswith(" sim")]
    info["sim"] = table[[f"{c} sim" for c in camps]].set_axis(camps, axis=1)
    info["data"] = table[[f"{c} data" for c in camps]].set_axis(camps, axis=1)
    return info


def run_corridor(scenario: str, seeds: list[int]) -> list[dict]:
    """corridor's flee rules on the imported scenario, one run per seed (after a warm-up
    run of a few days so numba's compilation is not timed)."""
    from corridor.analysis.flee_metrics import flee_data, score_frames
    from corridor.engine import simulate
    from corridor.scenario.flee_import import load_flee

    validation = PAIRS[scenario]
    base = load_flee(FLEE_DATA / "conflict_input" / scenario,
                     FLEE_DATA / "conflict_validation" / validation,
                     FLEE_DATA / "simsetting_fabflee3_validation.yml")
    base = base.with_overrides(parameters=FLEE31)
    simulate(base.with_overrides(days=5))
    out = []
    for seed in seeds:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = simulate(base.with_overrides(seed=seed))
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        net = result.network
        camps = [net.ids[p] for p in np.flatnonzero(net.is_kind("camp", "idpcamp"))]
        sim = pd.DataFrame(result.recorder.counts[:, [net.place(c) for c in camps], 0],
                           columns=camps)
        data = flee_data(base.observations, base.start_date, base.days, camps,
                         base.agents_per_person)
        out.append({"seconds": seconds, "cpu_seconds": cpu_seconds, "agents": result.agents,
                    "days": base.days,
                    "sim": sim, "data": data, "score": score_frames(sim, data)})
    return out


def mean_sd(values: list[float]) -> str:
    if not values:
        return "-"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=list(PAIRS), choices=list(PAIRS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--flee-python", default=None)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "corridor-flee-cache")
    parser.add_argument("--flee-only-cached", action="store_true",
                        help="use cached Flee runs only; never start Flee")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    if not FLEE_DATA.exists():
        sys.exit(f"{FLEE_DATA} not found: the Flee validation data is needed")
    from corridor.analysis.flee_metrics import score_frames

    python = None if args.flee_only_cached else flee_python(args.flee_python)
    seeds = list(range(1, args.seeds + 1))
    rows = []
    header = ("scenario", "agents", "days", "Flee s", "corridor s", "speed ratio",
              "Flee ARD (rescaled [normal])", "corridor ARD (rescaled [normal])")
    print(" | ".join(header), f"(load average {os.getloadavg()[0]:.1f})")
    for scenario in args.scenarios:
        ours = run_corridor(scenario, seeds)
        flee_runs = [r for r in (run_flee(python, scenario, s, args.cache, args.flee_only_cached)
                                 for s in seeds) if r is not None]
        for r in flee_runs:
            r["score"] = score_frames(r["sim"], r["data"])
        data_gap = max((float((r["data"].to_numpy() - ours[0]["data"][r["data"].columns]
                               .to_numpy()).__abs__().max()) for r in flee_runs), default=0.0)
        flee_s = statistics.mean(r["seconds"] for r in flee_runs) if flee_runs else float("nan")
        ours_s = statistics.mean(r["seconds"] for r in ours)
        ours_cpu = statistics.mean(r["cpu_seconds"] for r in ours)
        row = {
            "scenario": f"{scenario}/{PAIRS[scenario]}",
            "agents": ours[0]["agents"],
            "flee_agents": flee_runs[0]["agents"] if flee_runs else None,
            "days": ours[0]["days"],
            "flee_seconds": flee_s, "corridor_seconds": ours_s, "corridor_cpu_seconds": ours_cpu,
            "load_average": os.getloadavg()[0],
            "speed_ratio": flee_s / ours_s,
            "flee_seeds": len(flee_runs), "corridor_seeds": len(ours),
            "flee_ard_rescaled": [r["score"]["ard_rescaled"] for r in flee_runs],
            "flee_ard": [r["score"]["ard"] for r in flee_runs],
            "corridor_ard_rescaled": [r["score"]["ard_rescaled"] for r in ours],
            "corridor_ard": [r["score"]["ard"] for r in ours],
            "max_data_difference": data_gap,
        }
        rows.append(row)
        print(" | ".join([
            row["scenario"], f"{row['agents']:,}", str(row["days"]),
            f"{flee_s:.1f} (n={len(flee_runs)})", f"{ours_s:.2f} (cpu {ours_cpu:.2f})",
            f"{row['speed_ratio']:.0f}x",
            f"{mean_sd(row['flee_ard_rescaled'])} [{mean_sd(row['flee_ard'])}]",
            f"{mean_sd(row['corridor_ard_rescaled'])} [{mean_sd(row['corridor_ard'])}]",
        ]), flush=True)
        if data_gap > 0:
            print(f"  note: UNHCR series differ from Flee's by up to {data_gap:g}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
