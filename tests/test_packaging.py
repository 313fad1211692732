"""What a plain ``pip install`` needs: extras that dependencies ask for are declared directly.

Old pips (23.2, the one Python 3.11 ships) do not normalise extra names (PEP 685), so a
dependency asking for ``lxml[html_clean]`` gets plain lxml when lxml calls the extra
``html-clean``, and HTML extraction fails with an ImportError. ``make install`` upgrades pip
first and hides it; this test does not depend on the pip that installed the package.
"""

from __future__ import annotations

from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _requires(name: str) -> list[Requirement]:
    try:
        return [Requirement(r) for r in metadata.requires(name) or []]
    except metadata.PackageNotFoundError:
        return []


def _base(req: Requirement) -> bool:
    return req.marker is None or req.marker.evaluate({"extra": ""})


def test_extras_asked_for_by_dependencies_are_declared() -> None:
    ours = _requires("corridor")
    if not ours:
        pytest.skip("corridor is not installed (pip install -e .)")
    declared = {canonicalize_name(r.name) for r in ours if _base(r)}
    missing, seen, todo = [], set(), sorted(declared)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for req in filter(_base, _requires(name)):
            todo.append(canonicalize_name(req.name))
            for extra in req.extras:
                for sub in _requires(req.name):
                    only_extra = sub.marker is not None and not _base(sub) \
                        and sub.marker.evaluate({"extra": extra})
                    if only_extra and canonicalize_name(sub.name) not in declared:
                        missing.append(f"{name} -> {req} -> {sub.name}")
    assert "trafilatura" in seen  # the walk reached the HTML extraction chain
    assert missing == [], f"declare these in pyproject.toml dependencies: {missing}"
