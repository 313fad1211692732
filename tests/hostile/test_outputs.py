"""Outputs never destroy data: --force rules, safe default names, atomic and exclusive claims,
damaged run folders, formula-safe CSVs, workers that die with the command.

Refusals go through the real CLI entry point (``corridor.cli.main``) and check: exit 2, no
traceback, one error line, and the whole working folder (inputs, victims, out) unchanged.
Cases that need a separate process (concurrency, kill) run the installed ``corridor`` script.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from cli_harness import corridor_command, run_corridor, tree_state
from tinyscenario import write_scenario

FLEE = Path(__file__).resolve().parents[2].parent / "shared" / "flee"


def cli(args: list[str | Path], cwd: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``corridor ARGS`` in-process through ``main()`` (exit code, stdout, stderr)."""
    from corridor.cli import main

    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["corridor", *map(str, args)])
    monkeypatch.setenv("COLUMNS", "200")
    capsys.readouterr()
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def refused(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """``refused(args, work, expect)``: exit 2, one line matching ``expect``, ``work`` unchanged."""

    def check(args: list[str | Path], work: Path, expect: str) -> str:
        before = tree_state(work)
        code, out, err = cli(args, work, monkeypatch, capsys)
        shown = f"corridor {' '.join(map(str, args))}\n--- stdout\n{out}\n--- stderr\n{err}"
        assert "Traceback" not in out + err, shown
        assert code == 2, f"exit {code}\n{shown}"
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, shown
        assert re.search(expect, err), f"no match for {expect!r}\n{shown}"
        after = tree_state(work)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert not changed, f"written or changed: {changed}\n{shown}"
        return err

    return check


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tiny scenario and a finished (marked) run of it, copied into each test's work folder."""
    root = tmp_path_factory.mktemp("outputs-base")
    scenario = write_scenario(root / "tiny", days=12)
    res = run_corridor(["run", str(scenario), "--out", str(root / "run"), "--no-report"],
                       cwd=root)
    assert res.returncode == 0, res.stderr
    return scenario, root / "run"


@pytest.fixture
def work(tmp_path: Path, base: tuple[Path, Path]) -> Path:
    """work/ holds scenario/ (P/S layout: work/parent/scenario), run/, victim/ and a file."""
    scenario, run = base
    w = tmp_path / "work"
    shutil.copytree(scenario, w / "parent" / "scenario")
    shutil.copytree(run, w / "run")
    (w / "victim").mkdir()
    (w / "victim" / "thesis.txt").write_text("years of work\n")
    (w / "notes.txt").write_text("a file\n")
    return w


S = "parent/scenario"


# --------------------------------------------------------------------------- --force targets


@pytest.mark.parametrize("command", ["run", "ensemble"])
def test_force_never_replaces_the_scenario_or_its_parent(command: str, work: Path,
                                                         refused) -> None:  # noqa: ANN001
    extra = ["--seeds", "1"] if command == "ensemble" else ["--no-report"]
    refused([command, S, "--out", S, "--force", *extra], work, r"is the input")
    refused([command, S, "--out", "parent", "--force", *extra], work, r"contains the input")
    refused([command, S, "--out", ".", "--force", *extra], work, r"contains the input")


def test_sweep_force_never_replaces_the_scenario(work: Path, refused) -> None:  # noqa: ANN001
    lever = ["--lever", "checkpoint.b.value=0,10", "--seeds", "1"]
    refused(["sweep", S, *lever, "--out", S, "--force"], work, r"is the input")
    refused(["sweep", S, *lever, "--out", "parent", "--force"], work, r"contains the input")
    refused(["sweep", S, *lever, "--out", "victim", "--force"], work, r"not a folder corridor")


@pytest.mark.parametrize("command", ["run", "ensemble"])
def test_force_replaces_only_corridor_folders(command: str, work: Path,
                                              refused) -> None:  # noqa: ANN001
    extra = ["--seeds", "1"] if command == "ensemble" else ["--no-report"]
    refused([command, S, "--out", "victim", "--force", *extra], work, r"not a folder corridor")
    refused([command, S, "--out", "notes.txt", "--force", *extra], work, r"is a file")
    (work / "link").symlink_to("run")  # a link to a real run folder is still refused
    refused([command, S, "--out", "link", "--force", *extra], work, r"symbolic link")
    refused([command, S, "--out", "victim"], work, r"exists \(use --force")


def test_force_never_replaces_the_current_folder(work: Path, refused) -> None:  # noqa: ANN001
    # the current folder is a marked run folder: still refused
    refused(["run", "../parent/scenario", "--out", ".", "--force", "--no-report"], work / "run",
            r"contains the current folder")
    refused(["run", "../parent/scenario", "--out", "..", "--force", "--no-report"], work / "run",
            r"contains the input|contains the current folder")


def test_a_fake_marker_of_another_kind_is_refused(work: Path, refused) -> None:  # noqa: ANN001
    (work / "victim" / ".corridor-output").write_text('{"kind": "flee-import", "format": 1}')
    refused(["run", S, "--out", "victim", "--force", "--no-report"], work, r"flee-import")
    (work / "victim" / ".corridor-output").write_text("not json")
    refused(["run", S, "--out", "victim", "--force", "--no-report"], work, r"no \.corridor-out")


def test_force_replaces_a_marked_run_folder(work: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (work / "run" / "extra.txt").write_text("old")
    code, _, err = cli(["run", S, "--out", "run", "--force", "--no-report", "--days", "3"],
                       work, monkeypatch, capsys)
    assert code == 0, err
    assert not (work / "run" / "extra.txt").exists()
    assert json.loads((work / "run" / "summary.json").read_text())["days"] == 3
    assert json.loads((work / "run" / ".corridor-output").read_text())["kind"] == "run"
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []  # no .old-/.lock


@pytest.mark.parametrize("name", ["/ABS", "../../escape", "..", "a/../../b", ""])
def test_scenario_name_never_leaves_runs(name: str, work: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    if name == "/ABS":
        name = str(work / "victim")  # a downloaded scenario naming a folder to replace
    toml = work / S / "scenario.toml"
    toml.write_text(re.sub(r'^name = .*$', f"name = {json.dumps(name)}", toml.read_text(),
                           flags=re.M))
    before = tree_state(work / "victim")
    code, out, err = cli(["run", S, "--force", "--no-report"], work, monkeypatch, capsys)
    assert code in (0, 2) and "Traceback" not in out + err
    assert tree_state(work / "victim") == before
    written = [p for p in work.rglob("summary.json") if "run" not in p.parts[-2:-1]]
    for path in written:
        assert (work / "runs") in path.parents, path


def test_default_name_is_a_safe_slug() -> None:
    from corridor.runs.claim import default_out, safe_slug

    assert safe_slug("/some/folder") == "some-folder"
    assert safe_slug("../../x") == "x"
    assert safe_slug("..") == "scenario"
    assert safe_slug("México 2023") == "Mexico-2023"
    assert default_out("../../x", "-ensemble") == Path("runs/x-ensemble")
    for hostile in ("/etc", "..\\..\\win", "a/./b/../c", "\0x", "~root"):
        slug = safe_slug(hostile)
        assert "/" not in slug and "\\" not in slug and ".." not in slug and slug


def test_import_flee_never_replaces_its_input(work: Path, refused) -> None:  # noqa: ANN001
    if not (FLEE / "conflict_input" / "testcity").is_dir():
        pytest.skip("shared Flee data not available")
    shutil.copytree(FLEE / "conflict_input" / "testcity", work / "flee-in")
    refused(["import-flee", "flee-in", "--out", "flee-in", "--force"], work, r"is the input")
    refused(["import-flee", "flee-in", "--out", ".", "--force"], work, r"contains the input")
    refused(["import-flee", "flee-in", "--out", "victim", "--force"], work, r"not a folder")
    # a run folder is corridor's, but not import-flee's to replace
    refused(["import-flee", "flee-in", "--out", "run", "--force"], work, r"corridor run folder")


# --------------------------------------------------------------------------- where --out may go


@pytest.mark.parametrize("command", ["run", "ensemble", "import-flee", "compare", "evidence"])
def test_out_that_cannot_be_written(command: str, work: Path, refused) -> None:  # noqa: ANN001
    article = work / "article.txt"
    article.write_text("On 3 May 2024, 300 migrants left Tapachula.\n")
    for out in ("notes.txt/x", "/proc/corridor-x", "/proc/self/x"):
        args = {
            "run": ["run", S, "--out", out, "--no-report"],
            "ensemble": ["ensemble", S, "--seeds", "1", "--out", out],
            "import-flee": ["import-flee", "victim", "--out", out],
            "compare": ["compare", "run", "run", "--out", out],
            "evidence": ["evidence", "extract", str(article), "--out", out],
        }[command]
        refused(args, work, r"is a file, not a folder|system folder /proc")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_out_under_an_unwritable_folder(work: Path, refused) -> None:  # noqa: ANN001
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        refused(["run", S, "--out", "locked/x", "--no-report"], work, r"permission denied")
    finally:
        locked.chmod(0o755)


def test_file_outputs_never_overwrite_inputs(work: Path, refused) -> None:  # noqa: ANN001
    refused(["compare", "run", "run", "--out", "run/summary.json"], work, r"file of the input")
    refused(["compare", "run", "run", "--out", "victim"], work, r"is a folder")
    (work / "link.csv").symlink_to("notes.txt")
    refused(["compare", "run", "run", "--out", "link.csv"], work, r"symbolic link")
    article = work / "article.txt"
    article.write_text("On 3 May 2024, 300 migrants left Tapachula.\n")
    refused(["evidence", "extract", "article.txt", "--out", "article.txt"], work, r"input")
    refused(["evidence", "extract", "article.txt", "--scenario", S, "--out",
             f"{S}/places.csv"], work, r"file of the input")
    (work / S / "observations.csv").unlink()
    (work / S / "observations.csv").symlink_to("../../notes.txt")
    refused(["evidence", "extract", "article.txt", "--scenario", S, "--append"], work,
            r"symbolic link")


def test_score_and_report_do_not_write_through_links(work: Path, refused) -> None:  # noqa: ANN001
    (work / "run" / "score.json").symlink_to("../notes.txt")
    refused(["score", "run"], work, r"score\.json.*symbolic link")
    (work / "run" / "report.html").symlink_to("../notes.txt")
    refused(["report", "run"], work, r"report\.html.*symbolic link")


def test_failed_evidence_out_leaves_no_temp_file(tmp_path: Path) -> None:
    from corridor.evidence.io import EvidenceError, write_csv

    target = tmp_path / "obs.csv"
    target.mkdir()  # the final rename fails: a folder is in the way
    with pytest.raises(EvidenceError):
        write_csv(target, [{"a": "=1+1"}], ["a"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obs.csv"]


# --------------------------------------------------------------------------- damaged run folders


def _damage(run: Path, name: str, how: str) -> None:
    path = run / name
    if how == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "delete":
        path.unlink()
    else:
        path.write_bytes(how.encode())


DAMAGE = [
    ("counts.parquet", "truncate", ["score", "report", "compare", "info-ok"]),
    ("counts.parquet", "delete", ["score", "report", "compare"]),
    ("summary.json", "[1, 2, 3]", ["info", "compare", "score", "report"]),
    ("summary.json", "{}", ["info", "compare", "score", "report"]),
    ("summary.json", '{"scenario": "x", "seed": 1, "days": 3, "start_date": "2024-01-01"}',
     ["info"]),
    ("scenario.resolved.toml", "name = = broken [", ["report"]),
    ("observations.csv", "\x00\x01\x02PK\x03\x04\x00\x00", ["score"]),
    ("observations.csv", "date,place,kind\nnot-a-date,b,position\n", ["score"]),
]


@pytest.mark.parametrize(("name", "how", "commands"), DAMAGE,
                         ids=[f"{n}-{h[:8]}" for n, h, _ in DAMAGE])
def test_damaged_run_folder(name: str, how: str, commands: list[str], work: Path,
                            refused) -> None:  # noqa: ANN001
    _damage(work / "run", name, how)
    expect = re.escape(name)
    for command in commands:
        if command == "info-ok":
            continue  # info reads only summary.json
        args = {"compare": ["compare", "run", "run"], "report": ["report", "run"]}.get(
            command, [command, "run"])
        refused(args, work, expect)


# --------------------------------------------------------------------------- atomic steps


def test_report_is_written_inside_the_atomic_step(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import corridor.report.html as report_html

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed while writing the report")

    monkeypatch.setattr(report_html, "write_report", boom)
    with pytest.raises(RuntimeError):
        cli(["run", S, "--out", "new/deeper/out"], work, monkeypatch, capsys)
    assert not (work / "new").exists()  # no run without its report, no temp, no parents
    code, _, err = cli(["run", S, "--out", "fresh", "--no-report"], work, monkeypatch, capsys)
    assert code == 0, err
    monkeypatch.undo()


def test_stale_temporaries_of_dead_processes_are_cleaned(work: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    stale = work / f".out.tmp-{pid}-0123abcd"
    (stale / "seed-000").mkdir(parents=True)
    (work / f".out.old-{pid}-89abcdef").mkdir()
    alive = work / f".out.tmp-{os.getppid()}-00000000"  # a live process: left alone
    alive.mkdir()
    code, _, err = cli(["run", S, "--out", "out", "--no-report"], work, monkeypatch, capsys)
    assert code == 0, err
    assert not stale.exists() and not (work / f".out.old-{pid}-89abcdef").exists()
    assert alive.exists()
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".out")) == [alive.name]


def test_concurrent_runs_one_wins(work: Path) -> None:
    """Two `corridor run ... --out X` at once without --force: exactly one succeeds."""
    env = dict(os.environ, COLUMNS="200")
    for attempt in range(1):
        out = work / f"race-{attempt}"
        procs = [subprocess.Popen([*corridor_command(), "run", S, "--out", str(out),
                                   "--no-report", "--seed", str(seed)], cwd=work, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for seed in (1, 2)]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
        codes = sorted(code for code, _ in results)
        assert codes == [0, 2], results
        loser = next(err for code, err in results if code == 2)
        assert "Traceback" not in loser and re.search(r"exists|another corridor process", loser)
        winner = [1, 2][[code for code, _ in results].index(0)]
        assert json.loads((out / "summary.json").read_text())["seed"] == winner
        assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_ensemble_leaves_no_workers(work: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    slow = write_scenario(work / "slow", days=400)
    proc = subprocess.Popen([*corridor_command(), "ensemble", str(slow), "--seeds", "40",
                             "--workers", "2", "--out", str(work / "ens")], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 90
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        below = _descendants(proc.pid)
        if len(below) >= 3 and any(work.glob(".ens.*/seed-*")):  # fork server + 2 workers
            workers = below
            break
        time.sleep(0.2)
    assert workers, "the ensemble's workers never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    left = [p for p in workers if _alive(p)]
    for p in left:  # do not leave them running even when the test fails
        os.kill(p, signal.SIGKILL)
    assert not left, f"worker processes outlived the killed ensemble: {left}"
    assert not (work / "ens").exists()
    # the next command writing the same folder cleans what the killed one left
    code, _, err = cli(["ensemble", S, "--seeds", "1", "--out", "ens"], work, monkeypatch,
                       capsys)
    assert code == 0, err
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".ens")) == []


# --------------------------------------------------------------------------- formula-safe CSVs


def test_run_folder_csv_cells_cannot_run_as_formulas(work: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    obs = work / S / "observations.csv"
    from corridor._io import safe_cell

    assert safe_cell("\rx") == "'\rx" and safe_cell("-3") == "-3" and safe_cell("a=b") == "a=b"
    hostile = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "-x", "@x"]
    with obs.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["date", "place", "kind", "low", "high", "source", "quote"])
        w.writerows(["2024-01-05", "b", "position", "", "", "test", q] for q in hostile)
        w.writerow(["2024-01-05", "b", "departed", "-3", "5", "test", "plain"])
    code, _, err = cli(["run", S, "--out", "out", "--no-report"], work, monkeypatch, capsys)
    assert code == 0, err
    copy = pd.read_csv(work / "out" / "observations.csv", dtype=str, keep_default_na=False)
    for cell in copy.to_numpy().ravel():
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert not (cell.startswith("-") and not re.fullmatch(r"-[\d.]+", cell)), cell
    assert float(copy["low"].iloc[-1]) == -3  # numbers stay numbers
    from corridor.runs.read import read_observations

    assert list(read_observations(work / "out")["quote"][:len(hostile)]) == hostile  # read back
    code, _, err = cli(["compare", "out", "out", "--out", "table.csv"], work, monkeypatch, capsys)
    assert code == 0, err
    assert (work / "table.csv").is_file()


# --------------------------------------------------------------------------- the claim itself


def test_a_held_claim_stops_a_second_writer(tmp_path: Path) -> None:
    from corridor.errors import RunError
    from corridor.runs.claim import atomic_folder

    out = tmp_path / "out"
    with atomic_folder(out) as tmp:
        (tmp / "a.txt").write_text("first")
        with pytest.raises(RunError, match="another corridor process"), atomic_folder(out):
            pass
    assert (out / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # lock and temp gone


def test_an_empty_folder_may_be_forced_and_a_late_rival_is_not_replaced(tmp_path: Path) -> None:
    from corridor.errors import RunError
    from corridor.runs.claim import atomic_folder

    out = tmp_path / "out"
    out.mkdir()
    with atomic_folder(out, force=True) as tmp:
        (tmp / "x").write_text("1")
    assert (out / "x").read_text() == "1"
    other = tmp_path / "other"
    with pytest.raises(RunError, match="appeared while"), atomic_folder(other) as tmp:
        (tmp / "x").write_text("mine")
        other.mkdir()  # someone else (not using the lock) wrote it meanwhile
        (other / "theirs").write_text("keep")
    assert (other / "theirs").read_text() == "keep" and not (other / "x").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", "out"]
