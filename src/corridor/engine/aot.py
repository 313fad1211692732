"""Build the ahead-of-time kernels: ``python -m corridor.engine.aot [FOLDER]``.

Compiles the kernels of ``compiled.AOT_KERNELS`` with numba's ``pycc`` into one extension
module ``_aot`` and writes ``_aot.json`` (the hashes of the sources, the numba and NumPy it was
built with) beside it, in FOLDER (default: this package's engine folder, as ``make install``
wants). Both files are written to a temporary folder first and moved in, the manifest last, so
an interrupted build leaves the JIT in use, never a half-written module. Why AOT and how a run
chooses: engine/compiled.py. ``pycc`` is deprecated in numba but still shipped; if it goes,
this build fails, says so, and runs keep the JIT kernels (nothing else changes).
"""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
import time
from importlib import import_module
from pathlib import Path

from corridor._io import json_text
from corridor.engine.compiled import AOT_KERNELS, ENGINE, MANIFEST, export_name, source_hashes
from corridor.engine.precompile import KERNELS, signature


def build(folder: Path = ENGINE) -> Path:
    """Compile the extension into ``folder``; returns its path."""
    import warnings

    import numba
    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc's own deprecation notice
        from numba.pycc import CC

    hashes = source_hashes()  # before compiling: an edit during the build must not match
    folder.mkdir(parents=True, exist_ok=True)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".aot-") as tmp:
        cc = CC("_aot")
        cc.output_dir = tmp
        cc.verbose = False
        for module_name, names in AOT_KERNELS.items():
            module = import_module(module_name)
            for name in names:
                dispatcher = getattr(module, name)
                args = signature(KERNELS[module_name][name])
                dispatcher.compile(args)  # the return type, as the JIT infers it (cached)
                returns = dispatcher.overloads[args].signature.return_type
                cc.export(export_name(module_name, name), returns(*args))(dispatcher.py_func)
        cc.compile()
        built = Path(tmp) / f"_aot{suffix}"
        manifest = Path(tmp) / MANIFEST.name
        manifest.write_text(json_text({
            "kernels": {m: list(n) for m, n in AOT_KERNELS.items()}, "sources": hashes,
            "numba": numba.__version__, "numpy": np.__version__}), encoding="utf-8")
        target = folder / built.name
        os.replace(built, target)
        os.replace(manifest, folder / MANIFEST.name)
    return target


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ENGINE
    started = time.perf_counter()
    try:
        path = build(folder)
    except Exception as error:  # noqa: BLE001 (any failure: runs keep the JIT kernels)
        print(f"warning: kernels not compiled ahead of time ({type(error).__name__}: {error}); "
              "runs use numba's JIT", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"{time.perf_counter() - started:5.1f} s  {path.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
