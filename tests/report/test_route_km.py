"""Route km stored at run time (route_km.json): the report reads them instead of running a
Dijkstra, gives the same figures as when it computes them, and so never imports scipy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.checked import load_checked
from corridor.engine import simulate
from corridor.errors import RunError
from corridor.report.data import RunData
from corridor.report.html import render_report
from corridor.runs.read import read_routes
from corridor.runs.route_km import ROUTE_KM, read_route_km, route_km_from
from corridor.runs.write import write_run

from tinyscenario import OBSERVATIONS, write_scenario

# positions on the caravan's way: b (reached), c and e (off the shortest way, maybe not reached)
POSITIONS = OBSERVATIONS + "2024-01-07,c,position,,,test,q\n2024-01-09,e,position,,,test,q\n"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("route-km")
    scenario = load_checked(write_scenario(base / "tiny", observations=POSITIONS))
    out = base / "run"
    write_run(simulate(scenario), out)
    return out


def test_run_stores_route_km_from_each_caravan_origin(run_dir: Path) -> None:
    stored = read_route_km(run_dir)
    assert stored is not None and list(stored) == ["a"]  # the one caravan sets out from a
    # a-b 60, b-c 120 (shorter than b-e-c 210), c-d 200, b-e 100
    assert stored["a"] == {"a": 0.0, "b": 60.0, "c": 180.0, "d": 380.0, "e": 160.0}
    assert stored["a"] == route_km_from(read_routes(run_dir), "a")


def test_report_with_stored_km_equals_report_computing_them(run_dir: Path) -> None:
    stored = RunData.load(run_dir)
    computed = RunData.load(run_dir)
    computed.route_km = None  # as an old run folder without route_km.json
    assert stored.route_km is not None
    html = render_report([stored])
    assert html == render_report([computed])
    assert "caravan-head" in html and ">C</text>" in html  # the observed places are drawn


def _modules_after_report(run_dir: Path) -> set[str]:
    """scipy modules loaded by `corridor report RUN_DIR` in a fresh interpreter."""
    probe = ("import sys\nfrom corridor.cli import main\n"
             f"sys.argv = ['corridor', 'report', {str(run_dir)!r}]\n"
             "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
             "print('scipy:' + ','.join(m for m in sys.modules if m.split('.')[0] == 'scipy'))")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=False)
    assert res.returncode == 0, res.stderr
    line = res.stdout.strip().splitlines()[-1]
    assert line.startswith("scipy:"), res.stdout
    return {m for m in line.removeprefix("scipy:").split(",") if m}


def test_report_does_not_import_scipy(run_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "run"  # the same name: the report shows it
    old.mkdir()
    for f in run_dir.iterdir():
        if f.name not in (ROUTE_KM, "report.html"):
            (old / f.name).write_bytes(f.read_bytes())
    assert _modules_after_report(run_dir) == set()
    # an old run folder still reports (and the probe is not blind: it sees scipy then)
    assert "scipy.sparse.csgraph" in _modules_after_report(old)
    assert (run_dir / "report.html").read_bytes() == (old / "report.html").read_bytes()


@pytest.mark.parametrize("text", ["[1, 2]", '{"a": {"b": "far"}}', '{"a": 3}', "{"])
def test_damaged_route_km_is_one_clear_error(tmp_path: Path, text: str) -> None:
    (tmp_path / ROUTE_KM).write_text(text, encoding="utf-8")
    with pytest.raises(RunError, match=r"route_km\.json: "):
        read_route_km(tmp_path)


def test_no_file_means_not_stored(tmp_path: Path) -> None:
    assert read_route_km(tmp_path) is None
    (tmp_path / ROUTE_KM).write_text(json.dumps({}), encoding="utf-8")
    assert read_route_km(tmp_path) == {}
