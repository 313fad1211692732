"""Built-in rule sets, imported on first use (their numba kernels are slow to import).

``BUILTIN`` maps a name to (the module whose import registers the rule set, the module holding
its ``PARAMETERS``); `corridor validate` reads only the second, so it never loads numba.
"""

from importlib.util import find_spec

BUILTIN: dict[str, tuple[str, str]] = {
    "corridor": ("corridor.engine.rules.corridor_rules", "corridor.engine.rules.corridor_params"),
}
if find_spec("corridor.engine.rules.flee") is not None:  # the Flee-compatible rules
    BUILTIN["flee"] = ("corridor.engine.rules.flee", "corridor.engine.rules.flee_params")
