"""Built-in rule sets; importing this package registers them."""

from importlib.util import find_spec

from corridor.engine.rules import corridor_rules  # noqa: F401

if find_spec("corridor.engine.rules.flee") is not None:  # the Flee-compatible rules
    from corridor.engine.rules import flee  # noqa: F401
