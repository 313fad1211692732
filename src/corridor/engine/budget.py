"""Refuse, before allocating anything, a run the machine cannot hold.

A run's memory is about ``agents x bytes per agent + days x (places x bytes per place-day +
edges x 24)``; each rule set declares its two constants (measured, see their ``RuleSet``).
The agents are counted from sources.csv in floating point, so a flow of 1e300 a day or a
caravan of 1e9 people is refused with the estimate and the limit instead of overflowing the
integer spawn plan (which spawned nobody) or ending in a MemoryError.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.engine.core import RuleSet
    from corridor.engine.network import Network
    from corridor.scenario.model import Scenario

EDGE_DAY_BYTES = 24  # int64 flows slot + its share of the flows table written at the end


def source_agents(scenario: Scenario) -> float:
    """Agents that sources.csv spawns within the period (float: never overflows)."""
    total = 0.0
    start, last = 0, scenario.days - 1
    for people, per, first_date, last_date in zip(
        scenario.sources["people"], scenario.sources["per"], scenario.sources["start_date"],
        scenario.sources["end_date"], strict=True,
    ):
        first, end = scenario.day_of(first_date), scenario.day_of(last_date)
        inside = min(end, last) - max(first, start) + 1
        if inside <= 0 or not people > 0:
            continue
        total += float(people) * (inside if per == "day" else inside / (end - first + 1))
    return total * scenario.agents_per_person


def available_bytes() -> tuple[float, str]:
    """Memory this process may still use, and where that figure comes from."""
    limit, where = math.inf, "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                limit, where = float(line.split()[1]) * 1024, "MemAvailable in /proc/meminfo"
    except OSError:
        pass
    if math.isinf(limit) and hasattr(os, "sysconf"):
        try:
            limit = float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
            where = "free physical pages (sysconf)"
        except (ValueError, OSError):
            pass
    cgroup = Path("/sys/fs/cgroup")
    try:  # a container's limit (cgroup v2) can be far below the machine's memory
        high = (cgroup / "memory.max").read_text().strip()
        if high != "max":
            free = float(high) - float((cgroup / "memory.current").read_text())
            if free < limit:
                limit, where = free, "the cgroup limit memory.max"
    except (OSError, ValueError):
        pass
    return limit, where


def check_memory(scenario: Scenario, rules: RuleSet, network: Network, params: dict) -> float:
    """The estimated bytes of the run; CorridorError if that is more than is available."""
    if rules.estimate_agents is not None:
        agents = rules.estimate_agents(scenario, params)
    else:
        agents = source_agents(scenario)
    slots = scenario.days * (network.n_places * rules.bytes_per_place_day
                             + network.n_edges * EDGE_DAY_BYTES)
    need = agents * rules.bytes_per_agent + slots
    limit, where = available_bytes()
    if need <= limit:
        return need
    fits = ""
    if agents * rules.bytes_per_agent > slots and limit > slots:
        scale = scenario.agents_per_person * (limit - slots) / (agents * rules.bytes_per_agent)
        fits = f"; an --agents-scale of {scale:.2g} or less would fit"
    elif slots > limit:
        fits = "; fewer days would fit"
    raise CorridorError(
        f"the run needs about {_gb(need)} of memory ({agents:,.3g} agents x "
        f"{rules.bytes_per_agent} bytes + {scenario.days:,} days x {network.n_places} places "
        f"of recording slots), more than the {_gb(limit)} available ({where}){fits}"
    )


def _gb(n: float) -> str:
    return f"{n / 1e9:,.3g} GB" if n < 1e15 else f"{n / 1e9:.2e} GB"


def check_scenario_memory(scenario: Scenario) -> float:
    """``check_memory`` for a scenario about to be run many times (ensembles, sweeps): refused
    once, before any member starts or any folder is made, instead of failing in every worker."""
    from corridor.engine.core import get_rules, resolve_parameters
    from corridor.engine.network import compile_network

    rules = get_rules(scenario.rules)
    return check_memory(scenario, rules, compile_network(scenario), resolve_parameters(scenario))
