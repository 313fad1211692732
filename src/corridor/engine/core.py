"""The day loop: a rule set is an ordered list of phase functions; the loop runs them.

The loop knows nothing of which rules run (starsim's ``loop.py`` idea): each phase is a function
of the run ``Context`` that mutates the rule set's state arrays and the recorder. Every phase is
timed, so a run's log shows where the time went.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridor.engine.budget import check_memory
from corridor.engine.declared import (  # noqa: F401  (re-exported: the public names)
    Parameter,
    check_rules,
    declared_levers,
    declared_parameters,
    get_rules,
    register,
    rule_names,
)
from corridor.engine.network import Network, compile_network
from corridor.errors import ScenarioError
from corridor.scenario.model import Scenario
from corridor.scenario.targets import LeverRule, Policy

Phase = Callable[["Context"], None]


@dataclass(frozen=True)
class RuleSet:
    """A named set of phases plus the parameters and statuses they declare up front."""

    name: str
    parameters: tuple[Parameter, ...]
    statuses: tuple[str, ...]
    init: Callable[[Context], Any]  # builds the state (struct of arrays) before day 0
    phases: tuple[tuple[str, Phase], ...]
    describe: str = ""
    # the policies.csv levers the rules act on (target kinds, value range); others are errors
    levers: Mapping[str, LeverRule] = field(default_factory=dict)
    # memory a run needs, checked before anything is allocated (engine/budget.py)
    bytes_per_agent: int = 64
    bytes_per_place_day: int = 1024
    estimate_agents: Callable[[Scenario, dict], float] | None = None  # None: from sources.csv

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}


@dataclass
class Recorder:
    """Result slots allocated up front (LASER: never append): day x place x status, day x edge."""

    counts: np.ndarray  # int64 [days, places, statuses] agents at the end of each day
    flows: np.ndarray  # int64 [days, edges] agents who set out along each edge
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # rule-set specific series
    groups: list[dict] = field(default_factory=list)  # caravan rows (day, group, place, km ...)


@dataclass
class Context:
    """Everything a phase may read or change during a run."""

    scenario: Scenario
    network: Network
    params: dict[str, Any]
    recorder: Recorder
    statuses: tuple[str, ...]
    day: int = 0
    day_seed: np.uint64 = np.uint64(0)
    state: Any = None
    in_force: tuple[Policy, ...] = ()  # policies.csv rows in force today (set by the loop)
    policy_key: bytes = b""  # changes exactly when the set of rows in force changes

    @property
    def date(self) -> dt.date:
        return self.scenario.start_date + dt.timedelta(days=self.day)

    @property
    def people_per_agent(self) -> float:
        return 1.0 / self.scenario.agents_per_person


@dataclass
class RunResult:
    """What a run produced, in memory; ``corridor.runs.write`` writes it to disk."""

    scenario: Scenario
    params: dict[str, Any]
    network: Network
    statuses: tuple[str, ...]
    recorder: Recorder
    agents: int
    timings_s: dict[str, float]
    runtime_s: float
    state: Any = None


def resolve_parameters(scenario: Scenario) -> dict[str, Any]:
    """Every parameter of the scenario's rule set: defaults overridden by the scenario."""
    problems = check_rules(scenario)
    if problems:
        raise ScenarioError(problems)
    params = get_rules(scenario.rules).defaults()
    params.update(scenario.parameters)
    return params


def simulate(
    scenario: Scenario,
    *,
    progress: Callable[[int, int], None] | None = None,
    network: Network | None = None,
) -> RunResult:
    """Run a scenario day by day; ``progress(day, days)`` is called after each day."""
    from corridor.engine.rng import day_seed  # numba: loaded only when a run starts

    rules = get_rules(scenario.rules)
    params = resolve_parameters(scenario)
    network = network if network is not None else compile_network(scenario)
    check_memory(scenario, rules, network, params)
    recorder = Recorder(
        counts=np.zeros((scenario.days, network.n_places, len(rules.statuses)), np.int64),
        flows=np.zeros((scenario.days, network.n_edges), np.int64),
    )
    ctx = Context(
        scenario=scenario,
        network=network,
        params=params,
        recorder=recorder,
        statuses=rules.statuses,
    )
    started = time.perf_counter()
    timings = {"init": 0.0} | {name: 0.0 for name, _ in rules.phases}
    ctx.state = rules.init(ctx)
    timings["init"] = time.perf_counter() - started
    policies = scenario.policy_table
    in_force = policies.schedule(scenario.start_date, scenario.days)
    for day in range(scenario.days):
        ctx.day = day
        ctx.day_seed = day_seed(scenario.seed, day)  # counter-based: no sequential generator
        ctx.policy_key = in_force[day].tobytes()
        ctx.in_force = tuple(p for p, on in zip(policies.rows, in_force[day], strict=True) if on)
        for name, phase in rules.phases:
            t0 = time.perf_counter()
            phase(ctx)
            timings[name] += time.perf_counter() - t0
        if progress is not None:
            progress(day + 1, scenario.days)
    agents = int(getattr(ctx.state, "n_agents", recorder.counts[-1].sum()))
    return RunResult(
        scenario=scenario,
        params=params,
        network=network,
        statuses=rules.statuses,
        recorder=recorder,
        agents=agents,
        timings_s=timings,
        runtime_s=time.perf_counter() - started,
        state=ctx.state,
    )
