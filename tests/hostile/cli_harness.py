"""Run the real ``corridor`` command on hostile inputs and check that it refuses them cleanly.

A refusal is: exit code 2, no Python traceback, one clear error line that says what is wrong,
and the working folder (inputs, any out folder, temp leftovers) byte-for-byte as before.
Cases are rows of a table (``Case``); adding a hostile input is adding one row.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

FIFO = "<fifo>"  # in Case.files: replace the file by a named pipe
DEV_ZERO = "<symlink to /dev/zero>"  # in Case.files: replace the file by a symlink to /dev/zero
DELETE = "<delete>"  # in Case.files: remove the file
HUGE = "<sparse 4 GB file>"  # in Case.files: a file larger than any input may be (no disk used)
HASH_LIMIT = 64 * 2**20  # larger files are compared by size and modification time


@dataclass(frozen=True)
class Case:
    """One hostile invocation.

    ``args`` may use {scenario} (a fresh copy of the base scenario), {run} (a fresh copy of a
    finished run of it), {out} (a folder that must not appear) and {work} (the working folder,
    also the current directory). ``toml`` sets keys of scenario.toml to raw TOML values;
    ``files`` replaces scenario files by text or by FIFO / DEV_ZERO / HUGE / DELETE; ``append`` adds
    lines to scenario files (paths inside the copy, e.g. ``input/conflicts.csv``). ``expect``
    is a regular expression the error line must match.
    """

    id: str
    args: tuple[str, ...]
    expect: str
    toml: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    append: dict[str, str] = field(default_factory=dict)
    lines: int = 1  # most stderr lines allowed (validate adds "N problem(s) in ...")
    timeout: float = 60.0
    base: str = "tiny"  # which base folder {scenario} copies (the test module's bases)


def corridor_command() -> list[str]:
    """The installed ``corridor`` script of this interpreter (what a user runs)."""
    script = Path(sys.executable).with_name("corridor")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from corridor.cli import main; main()"]


def run_corridor(args: list[str], cwd: Path, timeout: float = 60.0) -> subprocess.CompletedProcess:
    """Run ``corridor ARGS`` in ``cwd``; a timeout is a hang and fails the test with its args."""
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", TERM="dumb")
    try:
        return subprocess.run(corridor_command() + args, cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"corridor {' '.join(args)} hangs (> {timeout:.0f} s)") from exc


def tree_state(root: Path) -> dict[str, str]:
    """Every entry under ``root`` with a digest of its content; never opens non-regular files."""
    state: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                state[rel] = "link:" + os.readlink(path)
            elif stat.S_ISREG(mode) and os.lstat(path).st_size > HASH_LIMIT:
                info = os.lstat(path)
                state[rel] = f"big:{info.st_size}:{info.st_mtime_ns}"
            elif stat.S_ISREG(mode):
                state[rel] = "file:" + hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISDIR(mode):
                state[rel] = "dir"
            else:
                state[rel] = f"special:{stat.S_IFMT(mode):o}"
    return state


def set_toml(path: Path, values: dict[str, str]) -> None:
    """Set top-level keys of a scenario.toml to raw TOML values (added if missing)."""
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
        line = f"{key} = {value}"
        if pattern.search(text):
            text = pattern.sub(lambda _m, line=line: line, text, count=1)
        else:  # before the first table so it stays a top-level key
            head, sep, tail = text.partition("\n[")
            text = f"{head.rstrip()}\n{line}\n{sep}{tail}" if sep else f"{text}\n{line}\n"
    path.write_text(text, encoding="utf-8")


def prepare(case: Case, work: Path, scenario: Path, run: Path | None = None) -> dict[str, str]:
    """Fill ``work`` with a fresh copy of the scenario (and run) changed as the case says."""
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "scenario"
    shutil.copytree(scenario, folder, symlinks=True)
    if case.toml:
        set_toml(folder / "scenario.toml", case.toml)
    for name, text in case.append.items():
        with (folder / name).open("a", encoding="utf-8") as fh:
            fh.write(text)
    for name, text in case.files.items():
        path = folder / name
        if path.exists() or path.is_symlink():
            path.unlink()
        if text == FIFO:
            os.mkfifo(path)
        elif text == DEV_ZERO:
            path.symlink_to("/dev/zero")
        elif text == HUGE:
            with path.open("wb") as fh:
                fh.truncate(4 * 2**30)
        elif text != DELETE:
            path.write_text(text, encoding="utf-8")
    places = {"scenario": str(folder), "out": str(work / "out"), "work": str(work)}
    if run is not None:
        shutil.copytree(run, work / "run", symlinks=True)
        places["run"] = str(work / "run")
    return places


def assert_refused(case: Case, work: Path, scenario: Path, run: Path | None = None) -> str:
    """Run the case and check the refusal; return the error text (for extra checks)."""
    places = prepare(case, work, scenario, run)
    before = tree_state(work)
    args = [a.format(**places) for a in case.args]
    res = run_corridor(args, cwd=work, timeout=case.timeout)
    output = res.stdout + res.stderr
    shown = f"corridor {' '.join(case.args)}\n--- stdout\n{res.stdout}\n--- stderr\n{res.stderr}"
    assert "Traceback" not in output, shown
    assert res.returncode == 2, f"exit {res.returncode}, expected 2\n{shown}"
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= case.lines, f"expected {case.lines} error line(s)\n{shown}"
    assert re.search(case.expect, res.stderr), f"no line matches {case.expect!r}\n{shown}"
    after = tree_state(work)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"written or changed: {changed}\n{shown}"
    return res.stderr
