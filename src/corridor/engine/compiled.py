"""Kernels compiled ahead of time when the install has them, numba's JIT kernels otherwise.

Why: a JIT kernel costs every process ~0.35 s to import numba and ~0.4 s to load numba's cache
before its first call; mali's whole simulation takes 0.3 s. ``python -m corridor.engine.aot``
(run by ``make install`` and by the wheel build) compiles the kernels of ``AOT_KERNELS`` into
one extension module, ``_aot``, with a manifest of the sources it was built from. A run uses
it only while every source file still hashes as in the manifest (an edited kernel falls back
to the JIT), and ``CORRIDOR_JIT=1`` forces the JIT. Both give the same bytes (tests/engine/
test_aot.py): the same numba front end and LLVM, for a generic CPU of the platform.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import import_module
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

ENGINE = Path(__file__).resolve().parent
PACKAGE = ENGINE.parent.parent  # the folder that holds the corridor package
AOT_MODULE = "corridor.engine._aot"
MANIFEST = ENGINE / "_aot.json"

#: the kernels compiled ahead of time, by module. Only serial kernels (no prange), and only
#: those a run calls from Python; what they call inside is compiled into them.
AOT_KERNELS: dict[str, tuple[str, ...]] = {
    "corridor.engine.rng_kernels": ("_draw_array", "draw"),
    "corridor.engine.rules.corridor_kernels": ("caravan_votes", "choose_edge", "sweep_agents"),
    "corridor.engine.rules.flee_kernels": ("place_new_agents", "step_day"),
}
#: modules whose source the compiled code depends on beyond the kernel modules themselves
#: (constants and inlined helpers)
SHARED_SOURCES: tuple[str, ...] = (
    "corridor.engine.rng", "corridor.engine.rng_kernels", "corridor.engine.rules.corridor_params")


def export_name(module: str, name: str) -> str:
    """The kernel's name inside the extension module (one flat namespace)."""
    return f"{module.rsplit('.', 1)[1]}__{name}"


def source_file(module: str) -> Path:
    """A module's source file, found without importing it (importing could load numba)."""
    return PACKAGE.joinpath(*module.split(".")).with_suffix(".py")


def source_hashes() -> dict[str, str]:
    """SHA-256 of every source the compiled kernels come from, by module name."""
    modules = sorted({*AOT_KERNELS, *SHARED_SOURCES})
    return {m: hashlib.sha256(source_file(m).read_bytes()).hexdigest() for m in modules}


@functools.cache
def _aot_module(manifest: Path = MANIFEST) -> ModuleType | None:
    """The extension module if it is installed and built from today's sources, else None."""
    try:
        built = json.loads(manifest.read_text(encoding="utf-8"))
        if built.get("sources") != source_hashes() or built.get("kernels") != {
                m: list(names) for m, names in AOT_KERNELS.items()}:
            return None
        return import_module(AOT_MODULE)
    except (OSError, ValueError, ImportError):  # not built, unreadable, another platform
        return None


def aot_available() -> bool:
    """True when runs use the ahead-of-time kernels (and so never import numba for them)."""
    return not os.environ.get("CORRIDOR_JIT") and _aot_module() is not None


def kernels(module: str) -> Any:  # noqa: ANN401 (a module or a namespace of the same names)
    """The kernels of ``module``: the compiled ones when available, else the module itself."""
    return _kernels(module, bool(os.environ.get("CORRIDOR_JIT")))


@functools.cache
def _kernels(module: str, jit: bool) -> Any:  # noqa: ANN401
    aot = None if jit else _aot_module()
    if aot is None or module not in AOT_KERNELS:
        return import_module(module)
    return SimpleNamespace(**{n: getattr(aot, export_name(module, n))
                              for n in AOT_KERNELS[module]})
