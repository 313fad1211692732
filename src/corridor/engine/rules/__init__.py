"""Built-in rule sets; importing this package registers them."""

from corridor.engine.rules import corridor_rules  # noqa: F401

try:  # the Flee-compatible rules live in their own module
    from corridor.engine.rules import flee  # noqa: F401
except ImportError:  # pragma: no cover - while the module is being written
    pass
