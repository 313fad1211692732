"""Common random numbers: one extra person changes nobody else's draws ("worlds" test).

Two worlds differ by one sources row: a single person who sets out late from another place.
Every draw is keyed by (day, domain, key, stream) and an agent's key by its sources row's
identity and its ordinal in that row, so everyone else must live exactly the same life.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridor.engine import simulate
from corridor.engine.rng import (
    AGENT,
    CARAVAN,
    INIT_DAY,
    day_seed,
    draw,
    draw_array,
    key_base,
    name_key,
    stream_uniform,
)
from corridor.engine.spawning import row_keys
from corridor.scenario import load_scenario

from tinyscenario import SOURCES, write_scenario

POLICIES = ("lever,target,from_date,to_date,value,source\n"
            "checkpoint,b,2024-01-01,2024-01-20,800,test\n")
EXTRA = "e,2024-01-{day:02d},2024-01-{day:02d},1,total,flow,HND,test\n"  # one person, from e


def run(folder: Path, sources: str):  # noqa: ANN201
    scenario = load_scenario(write_scenario(folder, days=20, policies=POLICIES, sources=sources))
    return simulate(scenario)


def by_key(result) -> dict[int, tuple]:  # noqa: ANN001
    """Each agent's end state, by its random-number key."""
    s = result.state
    fields = (s.location, s.status, s.mode, s.days_here, s.flags, s.group, s.km_left)
    return {int(k): tuple(f[i].item() for f in fields) for i, k in enumerate(s.spawn.key)}


@pytest.mark.parametrize(("where", "day"), [("end", 19), ("start", 19), ("start", 5)])
def test_one_extra_person_changes_nobody_elses_draws(tmp_path: Path, where: str,
                                                     day: int) -> None:
    """Row last or first in the file; on day 5 it is sorted before the day's flow agents, so
    their positions in the agent arrays shift (their keys do not)."""
    header, rows = SOURCES.split("\n", 1)
    new = EXTRA.format(day=day)
    extra = f"{header}\n{rows}{new}" if where == "end" else f"{header}\n{new}{rows}"
    first = day - 1  # day index the newcomer sets out
    a = run(tmp_path / "a", SOURCES)
    b = run(tmp_path / "b", extra)
    assert b.agents == a.agents + 1
    # the caravan: the same size and place every day
    assert a.recorder.groups == b.recorder.groups
    # every agent of world a ends the same in world b
    states_a, states_b = by_key(a), by_key(b)
    assert set(states_a) < set(states_b) and len(states_b) == len(states_a) + 1
    assert all(states_b[k] == v for k, v in states_a.items())
    # counts: identical before the newcomer sets out, then differ by exactly one person
    diff = b.recorder.counts - a.recorder.counts
    assert not diff[:first].any()
    for d in range(first, 20):
        assert diff[d].sum() == 1 and (diff[d] >= 0).all() and diff[d].max() == 1
    # the newcomer's flows add, nobody else's change
    assert (b.recorder.flows - a.recorder.flows >= 0).all()
    # the draws did matter: stops at the checkpoint happened
    assert a.recorder.extra["stopped"].sum() > 0


def test_changing_one_rows_size_keeps_other_rows_keys(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    keys = row_keys(scenario.sources)
    bigger = scenario.sources.copy()
    bigger.loc[0, "people"] = 999.0
    np.testing.assert_array_equal(row_keys(bigger), keys)  # size is not identity
    twice = scenario.sources.iloc[[0, 0, 1]].reset_index(drop=True)
    k2 = row_keys(twice)
    assert k2[0] == keys[0] and k2[1] != k2[0] and k2[2] == keys[1]  # identical rows differ


def test_streams_keys_and_domains_never_alias() -> None:
    seed = day_seed(7, 3)
    # the old scheme hashed index * 64 + stream: (1, 0) and (0, 64) were the same number
    assert draw(seed, AGENT, 1, 0) != draw(seed, AGENT, 0, 64)
    assert draw(seed, AGENT, 5, 3) != draw(seed, AGENT, 5, 67)  # no stream % 64
    assert draw(seed, AGENT, 5, 3) != draw(seed, CARAVAN, 5, 3)  # domains apart
    assert draw(seed, AGENT, 5, 3) == stream_uniform(key_base(seed, AGENT, 5), 3)
    assert day_seed(7, 3) != day_seed(7, 4) != day_seed(8, 3)
    assert day_seed(7, INIT_DAY) not in {day_seed(7, d) for d in range(100)}
    assert day_seed(-1, 0) == day_seed(2**64 - 1, 0)  # any int is a seed (mod 2**64)
    assert name_key("caravan:a") != name_key("caravan:b") and name_key("x") >= 0


def test_draws_are_uniform_and_independent_across_streams_and_keys() -> None:
    keys = np.arange(200_000)
    u = draw_array(day_seed(1, 0), AGENT, keys, 0)
    v = draw_array(day_seed(1, 0), AGENT, keys, 1)
    assert ((u >= 0) & (u < 1)).all()
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    expected = len(u) / 20
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 45  # 19 degrees of freedom: p ~ 0.001
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.01  # streams of one key
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01  # neighbouring keys
