"""Sensitivity: a parameter with no effect gets indices of about 0; one with an effect does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.analysis.calibrate import ParamRange
from corridor.analysis.sensitivity import OUTPUTS, sample, sensitivity
from corridor.checked import load_checked
from corridor.cli import app
from corridor.errors import CorridorError

from tinyscenario import write_scenario

# the tiny scenario has no checkpoint, so checkpoint staffing cannot change anything
RANGES = [ParamRange("walk_speed_km_per_day", 10, 60),
          ParamRange("checkpoint_agents_for_63pct_stop", 100, 2000)]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("sens") / "tiny", days=12)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_no_effect_parameter_gets_zero(tiny: Path, method: str) -> None:
    result = sensitivity(load_checked(tiny), RANGES, 8, method=method)
    key = "ST" if method == "sobol" else "mu_star"
    table = result.indices.set_index(["output", "parameter"])[key]
    assert set(result.indices["output"]) == set(OUTPUTS)
    for output in OUTPUTS:
        assert abs(table[(output, "checkpoint_agents_for_63pct_stop")]) < 1e-9
    moved = result.samples["people_at_us_border"].std()
    assert moved > 0
    assert table[("people_at_us_border", "walk_speed_km_per_day")] > 0.1 * (
        1 if method == "sobol" else moved)


def test_sobol_needs_a_power_of_two() -> None:
    with pytest.raises(CorridorError, match="power of two"):
        sample(RANGES, 12, "sobol")


def test_cli_writes_folder_and_refuses_existing(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    args = ["sensitivity", str(tiny), "--param", "walk_speed_km_per_day=10:60",
            "--samples", "4", "--workers", "1", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("samples.csv", "indices.csv", "indices.svg", "README.md"):
        assert (out / name).is_file()
    assert CliRunner().invoke(app, args).exit_code != 0
