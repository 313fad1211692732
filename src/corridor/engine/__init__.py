"""The vectorised engine: network arrays, agent state (struct of arrays), phases, day loop.

Knows nothing of files, the CLI or reports.
"""

from corridor.engine.jit import use_writable_numba_cache

use_writable_numba_cache()  # before any kernel module imports numba

from corridor.engine.core import (  # noqa: E402
    Context,
    Parameter,
    RuleSet,
    RunResult,
    check_rules,
    get_rules,
    register,
    resolve_parameters,
    rule_names,
    simulate,
)
from corridor.engine.network import Network, compile_network  # noqa: E402

__all__ = [
    "Context",
    "Network",
    "Parameter",
    "RuleSet",
    "RunResult",
    "check_rules",
    "compile_network",
    "get_rules",
    "register",
    "resolve_parameters",
    "rule_names",
    "simulate",
]
