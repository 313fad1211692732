"""The memory check before a run: agents counted in floating point, refusal names the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.engine import compile_network, get_rules
from corridor.engine.budget import available_bytes, check_memory, source_agents
from corridor.engine.spawning import plan_spawns
from corridor.errors import CorridorError
from corridor.scenario import load_scenario

from tinyscenario import SOURCES, write_scenario


@pytest.mark.parametrize("scale", [1.0, 0.37, 3.0])
def test_source_agents_matches_the_spawn_plan(tmp_path: Path, scale: float) -> None:
    sources = SOURCES + "b,2024-01-03,2024-01-09,70,total,flow,HND,test\n"
    scenario = load_scenario(write_scenario(tmp_path / "s", days=12, scale=scale,
                                            sources=sources))
    planned = plan_spawns(scenario, compile_network(scenario)).n_agents
    assert source_agents(scenario) == pytest.approx(planned, abs=3)  # rounding per row


def test_refusal_names_estimate_and_limit(tmp_path: Path) -> None:
    scenario = load_scenario(write_scenario(tmp_path / "s"))
    rules, network = get_rules("corridor"), compile_network(scenario)
    fits = check_memory(scenario, rules, network, {})
    assert 0 < fits < available_bytes()[0]
    huge = scenario.with_overrides(agents_per_person=1e12)
    with pytest.raises(CorridorError, match=r"needs about .* GB .* available .*--agents-scale"):
        check_memory(huge, rules, network, {})
