"""What a rule set declares (parameters, levers) and the registry of rule sets: everything
`corridor validate` needs, without NumPy or the kernels, so checking a scenario starts fast."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from corridor.errors import CorridorError, Problem, ScenarioError
from corridor.scenario.targets import check_policies

if TYPE_CHECKING:
    from corridor.engine.core import RuleSet
    from corridor.scenario.model import Scenario
    from corridor.scenario.targets import LeverRule


@dataclass(frozen=True)
class Parameter:
    """A rule-set parameter: name with its unit, default, and why that default."""

    name: str
    default: Any
    doc: str
    source: str = ""
    prior: tuple[float, float] | None = None  # plausible range (for calibration), or None


_RULES: dict[str, RuleSet] = {}


def register(rules: RuleSet) -> RuleSet:
    _RULES[rules.name] = rules
    return rules


def get_rules(name: str) -> RuleSet:
    """The registered rule set of that name (a built-in one is imported on first use)."""
    from corridor.engine.rules import BUILTIN

    if name not in _RULES and name in BUILTIN:
        import_module(BUILTIN[name][0])  # registers it
    if name not in _RULES:
        raise CorridorError(f"unknown rule set {name!r} (known: {', '.join(rule_names())})")
    return _RULES[name]


def rule_names() -> list[str]:
    from corridor.engine.rules import BUILTIN

    return sorted(set(_RULES) | set(BUILTIN))


def declared_parameters(name: str) -> tuple[Parameter, ...] | None:
    """A rule set's parameters without importing its kernels (so `validate` needs no numba)."""
    from corridor.engine.rules import BUILTIN

    if name in _RULES:
        return _RULES[name].parameters
    if name in BUILTIN:
        return tuple(import_module(BUILTIN[name][1]).PARAMETERS)
    return None


def declared_levers(name: str) -> Mapping[str, LeverRule] | None:
    """A rule set's policies.csv levers (from the same module as its parameters)."""
    from corridor.engine.rules import BUILTIN

    if name in _RULES:
        return _RULES[name].levers
    if name in BUILTIN:
        return getattr(import_module(BUILTIN[name][1]), "LEVERS", {})
    return None


def check_rules(scenario: Scenario) -> list[Problem]:
    """Problems with the rule set or parameters a scenario asks for."""
    declared = declared_parameters(scenario.rules)
    if declared is None:
        known = ", ".join(rule_names())
        return [Problem("scenario.toml", f"unknown rule set {scenario.rules!r} (known: {known})",
                        column="rules")]
    defaults = {p.name: p.default for p in declared}
    problems = []
    for name, value in scenario.parameters.items():
        if name not in defaults:
            problems.append(Problem("scenario.toml", f"unknown parameter {name!r} for rules "
                                    f"{scenario.rules!r}", column=f"parameters.{name}"))
            continue
        default = defaults[name]
        if isinstance(default, bool) != isinstance(value, bool) or (
            isinstance(default, (int, float)) and not isinstance(value, (int, float))
        ) or (isinstance(default, list) and not isinstance(value, list)):
            problems.append(Problem("scenario.toml", f"parameter {name!r} should be like "
                                    f"{default!r}, got {value!r}", column=f"parameters.{name}"))
    try:
        table = scenario.policy_table
    except ScenarioError as exc:
        return problems + exc.problems
    kinds = dict(zip(map(str, scenario.places["id"]), map(str, scenario.places["kind"]),
                     strict=True))  # plain iteration: validate's tables are not DataFrames
    levers = declared_levers(scenario.rules) or {}
    return problems + check_policies(table, levers, scenario.rules, kinds)
