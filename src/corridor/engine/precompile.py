"""Compile every kernel for the argument types runs pass, so that a wheel can ship numba's cache.

Why: numba compiles a kernel on its first call, 8-10 s of CPU per rule set here, which a user
would wait for on the first run after an install. ``setup.py`` runs ``python -m
corridor.engine.precompile`` on the package it is about to put in the wheel; numba writes its
cache beside the kernel modules (``__pycache__/*.nbi`` and ``*.nbc``) and the wheel ships those
files. numba checks every entry before using it (numba version, a hash of the source file, the
function's bytecode, the CPU it was compiled for): an entry that does not match -- a wheel
built on another machine, another numba -- is ignored, the kernel compiles on first use as
before and is cached then.

``KERNELS`` lists every kernel called from Python with the one signature runs use (the tests
check that a run compiles nothing else), in numba's signature syntax.
"""

from __future__ import annotations

import sys
import time
from importlib import import_module

_I32, _I64, _F64 = "int32[::1]", "int64[::1]", "float64[::1]"
_U8, _B = "uint8[::1]", "boolean[::1]"

# step_agents: the day of every agent (threaded); sweep_agents takes the same arrays
_STEP = (
    "int64", "uint64", _I64, _I32, _I32, "float32[::1]", _U8, _I32, _U8, "int16[::1]",
    _U8, _I32, _I32, _I32, "float32[::1]", _U8, _B, _I64, _I32, _U8, _B,
    "int32[:, ::1]", _I32, _I32, "float32[::1]", "float64[:, ::1]", _U8,
    "float64[:, ::1]", _I32, _F64, _F64, _I64, "int64[:, ::1]", "float64[:, ::1]",
    "int64[:, ::1]", "int64[:, ::1]", _I64, _U8, "int64",
)

KERNELS: dict[str, dict[str, tuple[str, ...]]] = {
    "corridor.engine.rng_kernels": {
        "_draw_array": ("uint64", "uint64", _I64, "int64"),
        "draw": ("uint64", "uint64", "int64", "int64"),
    },
    "corridor.engine.rules.corridor_kernels": {
        "caravan_votes": (_I32, _U8, _I64, _I64, _I64, _I64, "int64", "int64", "uint64",
                          _F64, "float64", "float64", "int64"),
        "choose_edge": (_I32, _F64, "int64", "float64"),
        "step_agents": _STEP,
        # serial runs call the sweep itself (step_agents only when threads are used)
        "sweep_agents": ("int64", "int64", "int64", _U8, *_STEP[1:-2]),
    },
    "corridor.engine.rules.flee_kernels": {
        "place_new_agents": ("int64", "int64", "uint64", "int64", _F64, _I32, _I64),
        "step_day": (
            "int64", "uint64", _I32, _I32, _F64, _F64, _F64, "int32[:, ::1]", _I32, _I32, _U8,
            _U8, _I64, _I64, _I64, _F64, _B, _B, _F64, "float64", "float64", "float64", _I32,
            _I32, _I32, _F64, _F64, _F64, _B, _I64, _I32, _F64, "int32[:, ::1]", _I32,
            "float64", "float64", "boolean", "boolean", _I32, _I64),
    },
}


def signature(args: tuple[str, ...]) -> tuple:
    """The argument types as numba types (the return type is inferred). A tuple, not the
    string: numba's cache keys an entry by the signature object it was compiled for, and a
    call looks it up by the tuple of its arguments' types."""
    from numba.core.sigutils import normalize_signature

    types, _ = normalize_signature("(" + ", ".join(args) + ",)")
    return tuple(types)


def precompile(modules: tuple[str, ...] | None = None) -> dict[str, float]:
    """Compile (or load from the cache) every listed kernel; seconds per kernel."""
    seconds = {}
    for module_name, kernels in KERNELS.items():
        if modules is not None and module_name not in modules:
            continue
        module = import_module(module_name)
        for name, args in kernels.items():
            started = time.perf_counter()
            getattr(module, name).compile(signature(args))
            seconds[f"{module_name}.{name}"] = time.perf_counter() - started
    return seconds


def main() -> None:
    for name, s in precompile().items():
        print(f"{s:6.2f} s  {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
