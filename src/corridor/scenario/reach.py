"""Warn about sources whose people can never arrive: no route joins them to a destination.

Such a scenario is valid (a place may be cut off on purpose) but its runs look like "nobody
moved" with no reason given, so ``validate`` and ``run`` name each such source row.
"""

from __future__ import annotations

from corridor.errors import Problem
from corridor.scenario.model import Scenario


def _components(scenario: Scenario) -> dict[str, str]:
    """Each place id -> a representative of its connected part of the (undirected) network."""
    parent = {pid: pid for pid in scenario.places["id"]}

    def root(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for a, b in zip(scenario.routes["from"], scenario.routes["to"], strict=True):
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    return {p: root(p) for p in parent}


def unreachable_sources(scenario: Scenario) -> list[Problem]:
    """One warning per sources.csv row from which no route reaches where its people go."""
    if scenario.rules != "corridor" or len(scenario.sources) == 0:
        return []  # flee agents spawn at conflict zones and need no destination
    part = _components(scenario)
    kinds = dict(zip(scenario.places["id"], scenario.places["kind"], strict=True))
    reachable = {part[p] for p, kind in kinds.items() if kind == "destination"}
    sources = scenario.sources
    aims = (list(sources["destination"]) if "destination" in sources
            else [""] * len(sources))
    warnings = []
    for row, place, aim in zip(sources["_row"], sources["place"], map(str, aims), strict=True):
        if place not in part:
            continue
        if aim and aim in part:
            if part[aim] != part[place]:
                warnings.append(Problem("sources.csv", f"warning: no route joins {place!r} to "
                                        f"its destination {aim!r}: these people never arrive",
                                        int(row), "destination"))
        elif not reachable:
            warnings.append(Problem("sources.csv", "warning: places.csv has no place of kind "
                                    "destination: these people never arrive", int(row), "place"))
        elif part[place] not in reachable:
            warnings.append(Problem("sources.csv", f"warning: no route joins {place!r} to any "
                                    "destination: these people never arrive", int(row), "place"))
    return warnings
