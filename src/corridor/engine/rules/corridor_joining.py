"""Rule set ``corridor``: people joining a caravan on the road (issue 10).

Why: real caravans grew while moving (Oct 2018: ~1,000-3,000 leaving San Pedro Sula, ~7,000
at Huixtla ten days later) and the model could only shed members. Joiners are agents like
any other, planned before day 0 so the struct of arrays stays preallocated and sorted by
spawn day (engine/spawning.py): on day ``k`` after its departure (k >= 1) a caravan of ``n``
planned agents gains ``n * caravan_join_share_per_day * exp(-(k - 1) / caravan_join_decay_days)``
agents, rounded cumulatively (the total is exact). The schedule depends on the days since
departure only, so it is known up front; where the caravan is that day decides where they
join (``join_caravans``, called from the ``spawn`` phase): the group of the caravan with most
members, on its leg; if the caravan has no members left (dispersed, transferred), they wait
where its main body was, as its dispersed members do.

Random numbers: a joiner's key is a 31-bit identity of "the joiners of caravan X" (as if it
were a sources.csv row, never equal to a real row's) and its ordinal, so joiners never change
anybody else's draws, and a share of 0 plans no joiner at all: the run is what it was.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from corridor.engine.rng import name_key
from corridor.engine.rules.corridor_params import AT_PLACE, FOOT
from corridor.engine.spawning import SpawnPlan, row_keys
from corridor.scenario.model import Scenario


def join_schedule(planned: int, share: float, decay_days: float, days: int) -> np.ndarray:
    """Agents joining on each of the ``days`` days after departure (day 1 first); cumulative
    rounding, as ``spawning.agents_per_day``."""
    if planned <= 0 or share <= 0 or days <= 0:
        return np.zeros(max(days, 0), np.int64)
    k = np.arange(days, dtype=np.float64)
    rate = share * np.exp(-k / max(decay_days, 1e-9))
    cumulative = np.rint(np.cumsum(rate) * planned).astype(np.int64)
    return np.diff(cumulative, prepend=0)


def expected_joiners(planned: float, share: float, decay_days: float, days: int) -> float:
    """Agents a caravan of ``planned`` agents gains over ``days`` days (the memory check)."""
    if planned <= 0 or share <= 0 or days <= 0:
        return 0.0
    k = np.arange(days, dtype=np.float64)
    return float(planned * share * np.exp(-k / max(decay_days, 1e-9)).sum())


def joiner_row_key(group_name: str, used: set[int]) -> int:
    """The 31-bit row identity of a caravan's joiners (a real row's key is never reused)."""
    key = name_key(f"caravan-joiners\x1f{group_name}") >> 32
    while key in used:
        key = (key + 1) & 0x7FFFFFFF
    return key


def add_joiners(plan: SpawnPlan, scenario: Scenario, share: float,
                decay_days: float) -> tuple[SpawnPlan, np.ndarray]:
    """The plan with every caravan's joiners added (after the day's other agents), and the
    indices of the joiners in it (sorted). With ``share`` 0: the same plan, no joiners."""
    n_groups = len(plan.group_names)
    none = np.zeros(0, np.int64)
    if share <= 0 or n_groups == 0 or plan.n_agents == 0:
        return plan, none
    days_of = np.repeat(np.arange(scenario.days, dtype=np.int64), np.diff(plan.offsets))
    used = {int(k) for k in row_keys(scenario.sources)}
    new_day, new_group, new_key = [], [], []
    for g, name in enumerate(plan.group_names):
        planned = int(np.count_nonzero(plan.group == g))
        first = int(plan.group_start_day[g])
        if planned == 0 or first < 0:
            continue
        per_day = join_schedule(planned, share, decay_days, scenario.days - 1 - first)
        total = int(per_day.sum())
        if total == 0:
            continue
        row = joiner_row_key(name, used)
        used.add(row)
        new_day.append(np.repeat(np.arange(first + 1, scenario.days, dtype=np.int64), per_day))
        new_group.append(np.full(total, g, np.int32))
        new_key.append((np.int64(row) << np.int64(32)) | np.arange(total, dtype=np.int64))
    if not new_day:
        return plan, none
    day = np.concatenate([days_of, *new_day])
    joiner = np.concatenate([np.zeros(plan.n_agents, bool),
                             np.ones(len(day) - plan.n_agents, bool)])
    order = np.argsort(day * 2 + joiner, kind="stable")  # a day's joiners after its agents
    group = np.concatenate([plan.group, *new_group])
    # a joiner sets out from its caravan's origin, with its country and aim (spawn moves it)
    first_member = plan.group_start[group[plan.n_agents:]]
    place = np.concatenate([plan.place, plan.group_origin[group[plan.n_agents:]]])
    origin = np.concatenate([plan.origin, plan.origin[first_member]])
    aim = np.concatenate([plan.aim, plan.aim[first_member]])
    key = np.concatenate([plan.key, *new_key])
    day, group, place, origin, aim, key = (a[order] for a in (day, group, place, origin, aim,
                                                              key))
    n = len(day)
    start = np.full(n_groups, n, np.int64)
    end = np.zeros(n_groups, np.int64)
    for g in range(n_groups):
        idx = np.flatnonzero(group == g)
        if len(idx):
            start[g], end[g] = idx[0], idx[-1] + 1
    offsets = np.concatenate([[0], np.searchsorted(day, np.arange(scenario.days),
                                                   side="right")]).astype(np.int64)
    new_plan = replace(plan, n_agents=n, offsets=offsets, place=place, group=group,
                       origin=origin, aim=aim, group_start=start, group_end=end, key=key)
    return new_plan, np.flatnonzero(joiner[order]).astype(np.int64)


def join_caravans(s, lo: int, hi: int) -> None:  # noqa: ANN001 (CorridorState: no cycle)
    """Today's joiners (agent indices lo..hi-1 that are in ``s.joiners``) join their caravan
    where it is: the group with most members at the end of yesterday, or, if it has none,
    its main body's place as dispersed members. Call after the other agents spawned."""
    a, b = np.searchsorted(s.joiners, [lo, hi])
    if a == b:
        return
    idx = s.joiners[a:b]
    n = s.n_caravans
    c = s.spawn.group[idx].astype(np.int64)
    groups = c[:, None] + n * np.arange(3)[None, :]
    ends = s.g_end_members[groups]
    g = groups[np.arange(len(idx)), np.argmax(ends, axis=1)]  # the main body wins ties
    alive = ends.max(axis=1) > 0
    s.mode[idx] = FOOT
    s.days_here[idx] = 0
    join, wait = idx[alive], idx[~alive]
    s.group[join] = g[alive]  # the kernel puts them on the group's place and leg
    s.location[join] = s.g_place[g[alive]]
    s.g_members += np.bincount(g[alive], minlength=len(s.g_members))
    s.group[wait] = -2 - c[~alive]
    s.location[wait] = s.g_place[c[~alive]]
    s.next_place[wait] = -1
    s.status[wait] = AT_PLACE
