"""Hostile inputs through the real CLI: each is refused with one line, exit 2, nothing written.

Add a case by adding one ``Case`` row to CASES (see cli_harness.Case for the fields).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cli_harness import (
    DEV_ZERO,
    FIFO,
    HUGE,
    Case,
    assert_refused,
    corridor_command,
    prepare,
    run_corridor,
    tree_state,
)
from tinyscenario import write_flee_input, write_scenario

S, OUT, RUN = "{scenario}", "{out}", "{run}"
RUN_S = ("run", S, "--out", OUT, "--no-report")
ROOT = Path(__file__).resolve().parents[2]
DATASET, NETWORK = str(ROOT / "data" / "caravans"), str(ROOT / "scenarios" / "caravans")
FIT = ("--trials", "1", "--seeds", "1", "--network", NETWORK)
WALK = "walk_speed_km_per_day"
CARAVAN_1E9 = "a,2024-01-02,2024-01-02,1e9,total,caravan:huge,HND,test\n"

CASES = [
    # dates and periods that overflow the calendar
    Case("start-9999", ("validate", S), r"scenario\.toml.*(start_date|days).*9999",
         toml={"start_date": "9999-12-25", "days": "10"}, lines=2),
    Case("start-9999-run", RUN_S, r"scenario\.toml.*9999",
         toml={"start_date": "9999-12-25", "days": "10"}),
    Case("days-1e8", ("validate", S), r"scenario\.toml:days", toml={"days": "100000000"},
         lines=2),
    Case("days-option-1e8", (*RUN_S, "--days", "100000000"), r"--days|days"),
    # seeds: refused clearly (numpy seeds are non-negative; see docs/scenario-format.md)
    Case("seed-negative-toml", RUN_S, r"scenario\.toml:seed", toml={"seed": "-1"}),
    Case("seed-negative-option", (*RUN_S, "--seed", "-1"), r"--seed"),
    # populations the machine cannot hold: refused up front with the estimate and the limit
    # (scaled so that no machine holds them: the tiny scenario has 800 people)
    Case("agents-scale-1e9", (*RUN_S, "--agents-scale", "1e9"), r"memory.*GB.*available"),
    Case("caravan-1e9", (*RUN_S, "--agents-scale", "1e4"), r"memory.*GB.*available",
         append={"sources.csv": CARAVAN_1E9}),
    Case("flow-1e300", RUN_S, r"memory.*available|too many",
         files={"sources.csv": "place,start_date,end_date,people,per,group,origin_country,"
                "source\na,2024-01-01,2024-01-10,1e300,day,flow,HND,test\n"}),
    Case("ensemble-agents-scale-1e9", ("ensemble", S, "--seeds", "2", "--agents-scale", "1e9",
                                       "--out", OUT), r"memory.*GB.*available"),
    Case("sweep-agents-scale-1e9", ("sweep", S, "--lever", "patrol.b.value=0,10", "--seeds", "1",
                                    "--agents-scale", "1e9", "--out", OUT),
         r"memory.*GB.*available"),
    # agents_per_person that is not a positive finite number
    Case("agents-per-person-inf", ("validate", S), r"scenario\.toml:agents_per_person",
         toml={"agents_per_person": "inf"}, lines=2),
    Case("agents-per-person-inf-run", RUN_S, r"scenario\.toml:agents_per_person",
         toml={"agents_per_person": "inf"}),
    Case("agents-per-person-nan", ("validate", S), r"agents_per_person",
         toml={"agents_per_person": "nan"}, lines=2),
    Case("agents-per-person-0", ("validate", S), r"agents_per_person",
         toml={"agents_per_person": "0"}, lines=2),
    Case("agents-per-person-negative", ("validate", S), r"agents_per_person",
         toml={"agents_per_person": "-2.5"}, lines=2),
    Case("agents-scale-inf", (*RUN_S, "--agents-scale", "inf"), r"--agents-scale"),
    Case("agents-scale-nan", (*RUN_S, "--agents-scale", "nan"), r"--agents-scale"),
    # inputs that are not regular files, or too large to read
    Case("places-fifo", ("validate", S), r"places\.csv.*not a regular file",
         files={"places.csv": FIFO}, lines=2, timeout=30),
    Case("places-dev-zero", ("validate", S), r"places\.csv.*not a regular file",
         files={"places.csv": DEV_ZERO}, lines=2, timeout=30),
    Case("toml-fifo", ("validate", S), r"scenario\.toml.*not a regular file",
         files={"scenario.toml": FIFO}, lines=2, timeout=30),
    Case("routes-4gb", ("validate", S), r"routes\.csv.*MB", files={"routes.csv": HUGE}, lines=2),
    Case("sources-dev-zero-run", RUN_S, r"sources\.csv.*not a regular file",
         files={"sources.csv": DEV_ZERO}, timeout=30),
    # options of the analysis commands
    Case("score-distance-negative", ("score", RUN, "--max-distance-km", "-5"),
         r"--max-distance-km"),
    Case("score-distance-nan", ("score", RUN, "--max-distance-km", "nan"), r"--max-distance-km"),
    # Flee input folders ({scenario}/input, {scenario}/validation)
    Case("flee-conflicts-extra-value", ("import-flee", f"{S}/input", f"{S}/validation", "--out",
                                        OUT), r"conflicts\.csv:4: 4 values, the header names 3",
         base="flee", files={"input/conflicts.csv": "#Day,A,B\n0,1,0\n1,1,0\n2,0,1,1\n3,1,0\n"
                             "4,1,0\n"}),
    Case("flee-simsetting-unsupported", ("import-flee", f"{S}/input", f"{S}/validation",
                                         "--out", OUT, "--simsetting", f"{S}/simsetting.yml"),
         r"simsetting\.yml:spawn_rules\.conflict_zone_spawning_only", base="flee",
         files={"simsetting.yml": "spawn_rules:\n  conflict_zone_spawning_only: false\n"}),
    Case("flee-locations-fifo", ("import-flee", f"{S}/input", f"{S}/validation", "--out", OUT),
         r"locations\.csv.*not a regular file", base="flee",
         files={"input/locations.csv": FIFO}, timeout=30),
    Case("compare-date-outside", ("compare", RUN, RUN, "--date", "2030-01-01"),
         r"2030-01-01.*outside"),
    # a run overlaid on itself (was "refusing to overwrite a file of the input")
    Case("report-compare-itself", ("report", RUN, "--compare", RUN),
         r"--compare .*is the run this report shows"),
    # the model-fitting commands: refused before any trial or sample runs
    Case("sensitivity-param-twice", ("sensitivity", S, "--param", f"{WALK}=10:20", "--param",
                                     f"{WALK}=20:30", "--out", OUT), rf"--param {WALK}.*twice"),
    Case("sensitivity-out-proc", ("sensitivity", S, "--param", f"{WALK}=10:20", "--out",
                                  "/proc/corridor-qa"), r"/proc"),
    Case("calibrate-out-proc", ("calibrate", DATASET, *FIT, "--out", "/proc/corridor-qa"),
         r"/proc"),
    Case("calibrate-caravans-empty", ("calibrate", DATASET, *FIT, "--caravans", ",", "--out",
                                      OUT), r"--caravans.*no caravan"),
    # an article that is a named pipe (was reported as "empty file")
    Case("evidence-article-fifo", ("evidence", "extract", f"{S}/article.txt"),
         r"article\.txt: not a regular file: a named pipe", files={"article.txt": FIFO},
         lines=2, timeout=30),
    # evidence merge of something that is not an extract output (was exit 0, 0 rows written)
    Case("evidence-merge-not-csv", ("evidence", "merge", f"{S}/scenario.toml", "--out",
                                    f"{OUT}.csv"), r"scenario\.toml: needs columns"),
    Case("evidence-score-not-gold", ("evidence", "score", f"{S}/scenario.toml",
                                     f"{S}/scenario.toml"), r"gold needs columns"),
    # forecast: bad inputs refused before anything runs
    Case("forecast-bad-date", ("forecast", "--from", "tapachula", "--date", "2024-13-01",
                               "--people", "100", "--network", NETWORK, "--fit",
                               f"{DATASET}/fit", "--out", OUT), r"--date.*YYYY-MM-DD"),
    Case("forecast-unknown-place", ("forecast", "--from", "atlantis", "--date", "2024-01-01",
                                    "--people", "100", "--network", NETWORK, "--fit",
                                    f"{DATASET}/fit", "--out", OUT), r"--from 'atlantis'"),
    Case("forecast-fit-not-a-calibration", ("forecast", "--from", "tapachula", "--date",
                                            "2024-01-01", "--people", "100", "--network",
                                            NETWORK, "--fit", S, "--out", OUT),
         r"calibration\.json: missing"),
    Case("backtest-caravans-empty", ("backtest", DATASET, *FIT, "--caravans", ",", "--out",
                                     OUT), r"--caravans.*no caravan"),
    # sweep and sensitivity on Dask: a bad scheduler is refused before anything runs
    Case("sweep-scheduler-file-missing", ("sweep", S, "--lever", "closure.b>c=0,1", "--out", OUT,
                                          "--scheduler", "{work}/none.json"),
         r"--scheduler .*none\.json: no such scheduler file"),
    Case("sensitivity-scheduler-file-missing", ("sensitivity", S, "--param", f"{WALK}=10:20",
                                                "--out", OUT, "--scheduler", "{work}/none.json"),
         r"--scheduler .*none\.json: no such scheduler file"),
    Case("sweep-scheduler-and-dask", ("sweep", S, "--lever", "closure.b>c=0,1", "--out", OUT,
                                      "--scheduler", "tcp://127.0.0.1:1", "--dask", "local"),
         r"--scheduler ADDRESS or --dask local, not both"),
    # usage errors: one line naming the problem and the help to read (was typer's 5-line box)
    Case("usage-unknown-option", ("run", S, "--bogus"),
         r"^error: No such option: --bogus.*see: corridor run --help"),
    Case("usage-missing-argument", ("run",), r"^error: Missing argument 'folder'"),
    Case("usage-bad-value", (*RUN_S, "--days", "0"), r"^error: Invalid value for '--days'"),
    Case("usage-not-a-number", (*RUN_S, "--seed", "x"), r"^error: Invalid value for '--seed'"),
    Case("usage-unknown-command", ("nosuch",), r"^error: No such command 'nosuch'"),
    Case("usage-evidence-option", ("evidence", "extract", "--nope"),
         r"^error: No such option: --nope.*corridor evidence extract --help"),
]

NOT_YET_FIXED: set[str] = set()  # ids of cases that still fail (xfail, not run)


def _params() -> list:
    marks = {i: pytest.mark.xfail(reason="not fixed yet", run=False) for i in NOT_YET_FIXED}
    return [pytest.param(c, id=c.id, marks=marks.get(c.id, ())) for c in CASES]


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The folders cases copy: a tiny scenario, a tiny Flee input, one finished run."""
    root = tmp_path_factory.mktemp("hostile-base")
    scenario = write_scenario(root / "tiny", days=12)
    res = run_corridor(["run", str(scenario), "--out", str(root / "run"), "--no-report"],
                       cwd=root)
    assert res.returncode == 0, res.stderr
    return {"tiny": scenario, "flee": write_flee_input(root / "flee"), "run": root / "run"}


@pytest.fixture(scope="module")
def base(bases: dict[str, Path]) -> tuple[Path, Path]:
    return bases["tiny"], bases["run"]


@pytest.mark.parametrize("case", _params())
def test_refused_cleanly(case: Case, bases: dict[str, Path], tmp_path: Path) -> None:
    run = bases["run"] if any(RUN in a for a in case.args) else None
    assert_refused(case, tmp_path / "work", bases[case.base], run)


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert set(ids) >= NOT_YET_FIXED


def test_harness_notices_a_write(base: tuple[Path, Path], tmp_path: Path) -> None:
    """The harness itself can fail: a command that writes is caught."""
    scenario, _ = base
    case = Case("writes", ("run", S, "--out", OUT, "--no-report"), r".")
    with pytest.raises(AssertionError, match="exit 0"):
        assert_refused(case, tmp_path / "work", scenario)
    shutil.rmtree(tmp_path / "work")


def test_ctrl_c_says_nothing_was_written(base: tuple[Path, Path], tmp_path: Path) -> None:
    """SIGINT during a run: exit 130, the promised line, no traceback, nothing written."""
    if not Path("/proc/self/maps").exists():
        pytest.skip("needs /proc to see when the run has started")
    scenario, _ = base
    work = tmp_path / "work"
    places = prepare(Case("ctrl-c", (), ""), work, scenario)
    before = tree_state(work)
    args = ["run", places["scenario"], "--out", places["out"], "--days", "200000",
            "--agents-scale", "50", "--no-report"]
    proc = subprocess.Popen(corridor_command() + args, cwd=work, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        maps = Path(f"/proc/{proc.pid}/maps")
        # the engine's kernels are loaded (numba's compiler, or the ones compiled ahead of
        # time): the run itself has begun
        while proc.poll() is None and not any(
                lib in maps.read_text(errors="replace") for lib in ("llvmlite", "_aot.")):
            assert time.monotonic() < deadline, "the run did not start within 60 s"
            time.sleep(0.2)
        time.sleep(1.0)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert "Traceback" not in stdout + stderr, stderr
    assert proc.returncode == 130, stderr
    assert "interrupted: nothing was written" in stderr
    assert tree_state(work) == before


def test_run_folder_json_is_strict(base: tuple[Path, Path], tmp_path: Path) -> None:
    """summary.json and score.json parse as standard JSON (no NaN, Infinity)."""
    _, run = base
    folder = shutil.copytree(run, tmp_path / "run")
    res = run_corridor(["score", str(folder)], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    written = sorted(folder.glob("*.json"))
    assert {p.name for p in written} >= {"summary.json", "score.json"}
    for path in written:
        json.loads(path.read_text(encoding="utf-8"),
                   parse_constant=lambda name, p=path: pytest.fail(f"{p.name}: {name}"))


CUT_OFF_ROUTES = "from,to,distance_km,mode,source\na,b,60,road,test\nc,d,200,road,test\n"


def test_unreachable_sources_are_named(base: tuple[Path, Path], tmp_path: Path) -> None:
    """No route from the sources to a destination: validate and run say so, row by row."""
    scenario, _ = base
    places = prepare(Case("cut-off", (), "", files={"routes.csv": CUT_OFF_ROUTES}),
                     tmp_path / "work", scenario)
    expected = {f"sources.csv:{row}:place: warning: no route joins 'a' to any destination"
                for row in (2, 3)}
    for args in (["validate", places["scenario"]],
                 ["run", places["scenario"], "--out", places["out"], "--no-report"]):
        res = run_corridor(args, cwd=tmp_path)
        assert res.returncode == 0, res.stderr
        warned = {line.split(": these")[0] for line in res.stderr.splitlines()
                  if "warning" in line}
        assert warned == expected, res.stderr
    ok = run_corridor(["validate", str(scenario)], cwd=tmp_path)
    assert ok.returncode == 0 and "warning" not in ok.stderr


def test_evidence_merge_empty_folder_refused(tmp_path: Path) -> None:
    """A folder with no CSVs is a wrong path: refused, not an empty merged file (was exit 0)."""
    (tmp_path / "empty").mkdir()
    res = run_corridor(["evidence", "merge", "empty", "--out", "merged.csv"], cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "no observation CSVs" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_help_is_unchanged_by_the_one_line_usage_errors(tmp_path: Path) -> None:
    """--help still prints typer's full help on stdout and exits 0; a bare group its help."""
    for args in (["--help"], ["run", "--help"], ["evidence", "extract", "--help"]):
        res = run_corridor(args, cwd=tmp_path)
        assert res.returncode == 0 and res.stderr == "", (args, res.stderr)
        assert "Usage: corridor" in res.stdout and "--help" in res.stdout
    res = run_corridor([], cwd=tmp_path)
    assert res.returncode == 2 and "Usage: corridor" in res.stdout and "error" not in res.stderr
