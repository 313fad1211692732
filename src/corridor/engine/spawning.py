"""Turn sources.csv into a spawn plan: every agent's day, place, caravan and origin up front.

Agents are sorted by spawn day, so spawning on day d is just moving the active boundary to
``offsets[d + 1]``, and each caravan's members are one contiguous range.

An agent's position in that order shifts when a row is added; its random-number ``key``
(engine/rng.py) does not: it is the identity of its sources.csv row (place, dates, group,
origin, destination; not the row's position or size) and its ordinal within the row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.engine.network import Network
from corridor.engine.rng import name_key
from corridor.scenario.model import Scenario


@dataclass(frozen=True)
class SpawnPlan:
    n_agents: int
    offsets: np.ndarray  # int64 [days + 1]: agents with index < offsets[d + 1] exist on day d
    place: np.ndarray  # int32 [agents]
    group: np.ndarray  # int32 [agents], caravan index or -1
    origin: np.ndarray  # uint8 [agents], index into countries
    countries: tuple[str, ...]
    group_names: tuple[str, ...]
    group_origin: np.ndarray  # int32 [groups]: the place a caravan sets out from
    aim: np.ndarray  # uint8 [agents]: 0 = the nearest destination, k = targets[k - 1]
    targets: tuple[int, ...]  # places named in sources.csv's destination column
    group_aim: np.ndarray  # int32 [groups]: a caravan's aim (same coding as ``aim``)
    group_start: np.ndarray  # int64 [groups]: first agent index of the caravan
    group_end: np.ndarray  # int64 [groups]: one past its last agent index
    group_start_day: np.ndarray  # int64 [groups]: the day its first members set out
    key: np.ndarray  # int64 [agents]: random-number key (row identity << 32 | ordinal)
    group_key: np.ndarray  # int64 [groups]: random-number key of each caravan (its name)


ROW_FIELDS = ("place", "start_date", "end_date", "per", "group", "origin_country",
              "destination")


def row_keys(sources: pd.DataFrame) -> np.ndarray:
    """int64 [rows]: a 31-bit identity per sources row from what it says (not its position or
    its number of people); identical rows are told apart by their order of appearance."""
    keys = np.zeros(len(sources), np.int64)
    seen: dict[str, int] = {}
    used: set[int] = set()
    columns = [sources[c].astype(str).tolist() if c in sources else [""] * len(sources)
               for c in ROW_FIELDS]
    for k in range(len(sources)):
        text = "\x1f".join(col[k] for col in columns)
        nth = seen.get(text, 0)
        seen[text] = nth + 1
        key = name_key(f"{text}\x1e{nth}") >> 32
        while key in used:  # a 31-bit clash between two different rows: rare, deterministic
            key = (key + 1) & 0x7FFFFFFF
        used.add(key)
        keys[k] = key
    return keys


def agents_per_day(people: float, per: str, first: int, last: int, scale: float) -> np.ndarray:
    """Agents leaving on each day first..last; cumulative rounding keeps the total exact."""
    days = last - first + 1
    daily = people if per == "day" else people / days
    cumulative = np.rint(np.arange(1, days + 1) * daily * scale).astype(np.int64)
    return np.diff(cumulative, prepend=0)


def plan_spawns(scenario: Scenario, network: Network) -> SpawnPlan:
    """Expand every source row into per-day agent batches, then sort them by day."""
    sources = scenario.sources
    group_names = tuple(sorted({g.partition(":")[2] for g in sources["group"] if g != "flow"}))
    origins = sources.get("origin_country")
    countries = tuple(sorted({c for c in (origins if origins is not None else []) if c}))
    if len(countries) > 255:
        raise ValueError("more than 255 origin countries")
    batches: list[tuple[int, int, int, int, int]] = []  # day, source row, place, group, n
    group_origin = np.full(len(group_names), -1, np.int32)
    aims = sources["destination"] if "destination" in sources else pd.Series([""] * len(sources))
    targets = tuple(dict.fromkeys(network.place(a) for a in aims if a))
    if len(targets) > 254:
        raise ValueError("more than 254 distinct destinations in sources.csv")
    aim_of_row = [targets.index(network.place(a)) + 1 if a else 0 for a in aims]
    group_aim = np.zeros(len(group_names), np.int32)
    for k, row in enumerate(sources.itertuples(index=False)):
        place = network.place(row.place)
        first = max(scenario.day_of(row.start_date), 0)
        last = min(scenario.day_of(row.end_date), scenario.days - 1)
        if last < first:
            continue
        group = -1
        if row.group != "flow":
            group = group_names.index(row.group.partition(":")[2])
            if group_origin[group] < 0:
                group_origin[group] = place
            if aim_of_row[k]:
                group_aim[group] = aim_of_row[k]
        per_day = agents_per_day(float(row.people), row.per, first, last,
                                 scenario.agents_per_person)
        for d, n in zip(range(first, last + 1), per_day, strict=True):
            if n > 0:
                batches.append((d, group, k, place, int(n)))
    batches.sort()  # by day, then caravan (-1 first), then source row: deterministic
    sizes = np.array([b[4] for b in batches], dtype=np.int64)
    n = int(sizes.sum())
    ordinal = np.zeros(n, np.int64)  # an agent's place among its row's agents (by day)
    done = np.zeros(len(sources), np.int64)
    pos = 0
    for b, size in zip(batches, sizes, strict=True):
        ordinal[pos:pos + size] = done[b[2]] + np.arange(size)
        done[b[2]] += size
        pos += size
    if len(done) and done.max() >= 2**32:
        raise ValueError("more than 2**32 agents from one sources row")
    row_of = np.repeat(np.array([b[2] for b in batches], np.int64), sizes)
    key = (row_keys(sources)[row_of] << 32) | ordinal
    origin_codes = [
        countries.index(c) if c else 0
        for c in (origins if origins is not None else [""] * len(sources))
    ]
    place_of = np.repeat(np.array([b[3] for b in batches], np.int32), sizes)
    group_of = np.repeat(np.array([b[1] for b in batches], np.int32), sizes)
    origin = np.repeat(np.array([origin_codes[b[2]] for b in batches], np.uint8), sizes)
    aim = np.repeat(np.array([aim_of_row[b[2]] for b in batches], np.uint8), sizes)
    days = np.repeat(np.array([b[0] for b in batches], np.int64), sizes)
    # offsets[d + 1] = agents with spawn day <= d
    offsets = np.concatenate([[0], np.searchsorted(days, np.arange(scenario.days), side="right")])
    start = np.full(len(group_names), n, np.int64)
    end = np.zeros(len(group_names), np.int64)
    for g in range(len(group_names)):
        idx = np.flatnonzero(group_of == g)
        if len(idx):
            start[g], end[g] = idx[0], idx[-1] + 1
    start_day = np.array([days[i] if i < n else -1 for i in start], dtype=np.int64)
    return SpawnPlan(
        n_agents=n,
        offsets=offsets.astype(np.int64),
        place=place_of,
        group=group_of,
        origin=origin,
        countries=countries or ("",),
        group_names=group_names,
        group_origin=group_origin,
        aim=aim,
        targets=targets,
        group_aim=group_aim,
        group_start=start,
        group_end=end,
        group_start_day=start_day,
        key=key,
        group_key=np.array([name_key(f"caravan:{g}") for g in group_names], np.int64),
    )
