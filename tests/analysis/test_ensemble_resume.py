"""Ensembles that stop half-way: --resume keeps finished members, failed members are retried
once and reported with their seed and parameters, and the result is the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import corridor.analysis.ensemble as ens
import corridor.analysis.members as mb
from corridor.analysis.members import PLAN, partial_path
from corridor.errors import CorridorError, RunError

from tinyscenario import write_scenario

WALL_CLOCK = {"run.log"}
REAL_RUN_MEMBER = mb.run_member


def files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` but wall-clock timings; summary.json without runtime_s."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name in WALL_CLOCK:
            continue
        data = p.read_bytes()
        if p.name == "summary.json":
            summary = json.loads(data)
            summary.pop("runtime_s", None)
            data = json.dumps(summary).encode()
        out[str(p.relative_to(folder))] = data
    return out


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("resume") / "tiny", days=12)


@pytest.fixture(scope="module")
def reference(scenario_dir: Path) -> Path:
    return ens.run_ensemble(scenario_dir, scenario_dir.parent / "reference", seeds=5)


class Calls:
    """Wraps ``members.run_member``: counts the seeds run, fails chosen seeds, stops after some."""

    def __init__(self, fail: dict[int, int] | None = None, stop_after: int | None = None):
        self.seeds: list[int] = []
        self.fail = dict(fail or {})
        self.stop_after = stop_after

    def __call__(self, scenario: Any, out: Path) -> dict:
        if self.stop_after is not None and len(self.seeds) >= self.stop_after:
            raise KeyboardInterrupt  # what Ctrl-C raises in the main process
        self.seeds.append(scenario.seed)
        if self.fail.get(scenario.seed, 0) > 0:
            self.fail[scenario.seed] -= 1
            raise ValueError("boom in the engine")
        return REAL_RUN_MEMBER(scenario, out)


def test_interrupted_then_resumed_is_the_uninterrupted_ensemble(
        scenario_dir: Path, reference: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ens"
    first = Calls(stop_after=2)
    monkeypatch.setattr(mb, "run_member", first)
    notes: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        ens.run_ensemble(scenario_dir, out, seeds=5, report=notes.append)
    assert notes == [f"interrupted: 2 of 5 members are finished in {partial_path(out)}; the "
                     "same command with --resume runs only the others"]
    assert not out.exists()
    partial = partial_path(out)
    kept = sorted(p.name for p in partial.iterdir() if p.is_dir())
    assert kept == ["seed-000", "seed-001"]  # finished members only, nothing half-written
    assert not [p for p in partial.iterdir() if p.name.startswith(".seed")]

    second = Calls()
    monkeypatch.setattr(mb, "run_member", second)
    notes = []
    counts: list[tuple[int, int]] = []
    ens.run_ensemble(scenario_dir, out, seeds=5, resume=True, report=notes.append,
                     progress=lambda done, total: counts.append((done, total)))
    assert counts == [(2, 5), (3, 5), (4, 5), (5, 5)]
    seeds = json.loads((reference / "ensemble.json").read_text())["seeds"]
    assert second.seeds == seeds[2:]  # the two finished members were not run again
    assert any("2 member folder(s)" in n for n in notes)
    assert files(out) == files(reference)
    assert not partial.exists() and not (out / PLAN).exists()

    again: list[str] = []  # resuming a finished ensemble does nothing
    ens.run_ensemble(scenario_dir, out, seeds=5, resume=True, report=again.append)
    assert len(second.seeds) == 3 and "already complete" in again[0]


def test_without_resume_the_next_run_starts_over(scenario_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ens"
    monkeypatch.setattr(mb, "run_member", Calls(stop_after=1))
    with pytest.raises(KeyboardInterrupt):
        ens.run_ensemble(scenario_dir, out, seeds=3)
    calls = Calls()
    monkeypatch.setattr(mb, "run_member", calls)
    notes: list[str] = []
    ens.run_ensemble(scenario_dir, out, seeds=3, report=notes.append)
    assert len(calls.seeds) == 3 and "discarding the 1 finished member(s)" in notes[0]
    assert not partial_path(out).exists()


def test_interrupted_before_any_member_leaves_nothing(scenario_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mb, "run_member", Calls(stop_after=0))
    with pytest.raises(KeyboardInterrupt):
        ens.run_ensemble(scenario_dir, tmp_path / "ens", seeds=3)
    assert list(tmp_path.iterdir()) == []


def test_resume_refuses_a_partial_ensemble_of_other_settings(
        scenario_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ens"
    monkeypatch.setattr(mb, "run_member", Calls(stop_after=1))
    with pytest.raises(KeyboardInterrupt):
        ens.run_ensemble(scenario_dir, out, seeds=3)
    monkeypatch.setattr(mb, "run_member", Calls())
    with pytest.raises(RunError, match="other settings"):
        ens.run_ensemble(scenario_dir, out, seeds=4, resume=True)
    with pytest.raises(RunError, match="other settings"):
        ens.run_ensemble(scenario_dir, out, seeds=3, resume=True, overrides={"days": 5})
    assert (partial_path(out) / "seed-000" / "summary.json").is_file()  # still there


def test_a_failing_member_is_reported_and_retried_once(
        scenario_dir: Path, reference: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = json.loads((reference / "ensemble.json").read_text())["seeds"]
    calls = Calls(fail={seeds[3]: 1})
    monkeypatch.setattr(mb, "run_member", calls)
    notes: list[str] = []
    out = ens.run_ensemble(scenario_dir, tmp_path / "ens", seeds=5, report=notes.append)
    assert calls.seeds.count(seeds[3]) == 2 and len(calls.seeds) == 6
    assert len(notes) == 1
    assert f"seed-003 (seed {seeds[3]}, parameters " in notes[0]
    assert "boom in the engine" in notes[0] and "retrying" in notes[0]
    assert files(out) == files(reference)


def test_a_member_failing_twice_fails_the_ensemble_and_keeps_the_rest(
        scenario_dir: Path, reference: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = json.loads((reference / "ensemble.json").read_text())["seeds"]
    monkeypatch.setattr(mb, "run_member", Calls(fail={seeds[1]: 2}))
    out = tmp_path / "ens"
    with pytest.raises(RunError, match=rf"1 of 5 members failed twice.*seed-001 \(seed "
                                       rf"{seeds[1]}, parameters .*boom"):
        ens.run_ensemble(scenario_dir, out, seeds=5, report=lambda m: None)
    assert not out.exists()
    kept = sorted(p.name for p in partial_path(out).iterdir() if p.is_dir())
    assert kept == ["seed-000", "seed-002", "seed-003", "seed-004"]  # the others went on
    calls = Calls()
    monkeypatch.setattr(mb, "run_member", calls)
    ens.run_ensemble(scenario_dir, out, seeds=5, resume=True, report=lambda m: None)
    assert calls.seeds == [seeds[1]]
    assert files(out) == files(reference)


# --------------------------------------------------------------------------- the CLI options


def _cli(args: list[str]) -> tuple[int, str]:
    import typer
    from typer.testing import CliRunner

    from corridor.cli_batch import register

    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(app)
    result = CliRunner().invoke(app, args)
    error = result.exception
    if isinstance(error, CorridorError):
        return 2, str(error)
    assert error is None or isinstance(error, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(("extra", "message"), [
    (["--scheduler", "tcp://127.0.0.1:1", "--dask", "local"], "not both"),
    (["--dask", "lokal"], "--dask 'lokal': expected 'local', tcp://HOST:PORT or a scheduler file"),
    (["--scheduler", "somehost"], "--scheduler 'somehost': expected"),
])
def test_bad_backend_options_are_one_line(scenario_dir: Path, tmp_path: Path,
                                          extra: list[str], message: str) -> None:
    code, text = _cli(["ensemble", str(scenario_dir), "--seeds", "2",
                       "--out", str(tmp_path / "e"), *extra])
    assert code == 2 and message in text
    assert not list(tmp_path.iterdir())  # checked before anything is written


def test_without_dask_installed_the_error_says_how_to_get_it(
        scenario_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    code, text = _cli(["ensemble", str(scenario_dir), "--seeds", "2", "--dask", "local",
                       "--out", str(tmp_path / "e")])
    assert code == 2 and "pip install 'corridor[dask]'" in text
    assert not list(tmp_path.iterdir())


def test_cli_resume(scenario_dir: Path, reference: Path, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "e"
    monkeypatch.setattr(mb, "run_member", Calls(stop_after=3))
    with pytest.raises(KeyboardInterrupt):
        ens.run_ensemble(scenario_dir, out, seeds=5)
    calls = Calls()
    monkeypatch.setattr(mb, "run_member", calls)
    code, text = _cli(["ensemble", str(scenario_dir), "--seeds", "5", "--out", str(out),
                       "--resume"])
    assert code == 0, text
    assert len(calls.seeds) == 2 and files(out) == files(reference)


def test_resume_with_nothing_to_resume_says_so_in_one_line(scenario_dir: Path, reference: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "fresh"
    notes: list[str] = []
    ens.run_ensemble(scenario_dir, out, seeds=5, resume=True, report=notes.append)
    assert notes == [f"nothing to resume: no interrupted ensemble at {partial_path(out)}; "
                     "starting a new one"]
    assert files(out) == files(reference)
