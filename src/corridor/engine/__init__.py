"""The vectorised engine: network arrays, agent state (struct of arrays), phases, day loop.

Knows nothing of files, the CLI or reports. Names are loaded on first use, so that what only
checks a scenario (``declared``) does not import NumPy or the kernels.
"""

from importlib import import_module
from typing import Any

from corridor.engine.jit import use_writable_numba_cache

use_writable_numba_cache()  # before any kernel module imports numba

_WHERE = {
    "Context": "core", "RuleSet": "core", "RunResult": "core", "resolve_parameters": "core",
    "simulate": "core",
    "Parameter": "declared", "check_rules": "declared", "get_rules": "declared",
    "register": "declared", "rule_names": "declared",
    "Network": "network", "compile_network": "network",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"corridor.engine.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'corridor.engine' has no attribute {name!r}")
