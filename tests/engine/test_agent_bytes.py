"""The per-agent byte figures come from the dtypes of a real run's arrays, never by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.engine import simulate
from corridor.engine.rules.corridor_rules import AGENT_ARRAYS, BYTES_PER_AGENT
from corridor.scenario import load_scenario

README = Path(__file__).resolve().parents[2] / "README.md"


def test_agent_arrays_match_a_real_state(tiny: Path) -> None:
    state = simulate(load_scenario(tiny)).state
    n = state.n_agents
    found, seen = {}, set()
    for prefix, obj in (("", state), ("spawn.", state.spawn)):
        for name, value in vars(obj).items():
            if (isinstance(value, np.ndarray) and value.ndim == 1 and len(value) == n
                    and id(value) not in seen):  # the state shares some of the plan's arrays
                found[prefix + name] = value.dtype
                seen.add(id(value))
    assert n > 10 and set(found) == set(AGENT_ARRAYS)
    assert all(found[k] == np.dtype(t) for k, (t, _) in AGENT_ARRAYS.items())
    assert f"{BYTES_PER_AGENT} bytes each" in README.read_text(encoding="utf-8")
