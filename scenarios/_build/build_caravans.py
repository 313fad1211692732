"""Build scenarios/caravans: one shared Honduras-Guatemala-Mexico-US network for caravan runs.

Run from the repo root with the project venv:

    .venv/bin/python scenarios/_build/build_caravans.py

Places are the union of the shipped scenarios' places.csv (mexico-2018, guatemala-2021,
mexico-2023; they agree row for row) and the extra places the caravan timeline needs
(data/caravans/places.csv). Routes are the union of the scenarios' routes.csv. Each extra place
is put on the road it lies along: the route whose detour through the place (great-circle
u-x-v versus u-v) is smallest is split in two at the place, the two legs sharing the route's
km in proportion to their great-circle lengths; a place more than ``MAX_DETOUR`` off every
route is linked instead to its two nearest places by great-circle km x ``ROAD_DETOUR``. Places
are inserted in id order, so the output is the same on every run.

sources.csv holds one row per caravan of data/caravans/caravans.csv (origin, departure date,
a nominal size, destination when it is a place), policies.csv is empty (a caravan's policies
are in data/caravans/policies.csv, picked by corridor.caravans.scenario) and observations.csv
is empty (the timeline is the observation set).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = ("mexico-2018", "guatemala-2021", "mexico-2023")
OUT = REPO / "scenarios" / "caravans"
ROAD_DETOUR = 1.3  # as in build_places.py: road km ~ great-circle km x 1.3 (estimate)
MAX_DETOUR = 0.25  # a place whose detour exceeds 25 % of the leg is not "on" that road
# places on a road of their own (not along a route of the network): linked to these places.
# Corinto is the Honduras-Guatemala crossing on the Caribbean road (CA-13) from San Pedro Sula;
# beyond it the road runs to Puerto Barrios and the CA-9 inland to Guatemala City (Sanarate is on
# it); with no Puerto Barrios place, Corinto links to Sanarate directly (great-circle x 1.3).
LINKS = {"corinto": ("san-pedro-sula", "sanarate")}


TOML = """format = 1
name = "caravans"
description = "Shared network for single-caravan runs, Honduras to the US border (issue 10)"
start_date = 2018-10-01     # covers every caravan of data/caravans/caravans.csv
days = 2300                 # to 2025-01-17
seed = 20181012
rules = "corridor"
agents_per_person = 0.1     # the whole-period run is a smoke test; single-caravan runs rescale

[parameters]
# Everything uses the corridor rule set's documented defaults (see `corridor params`); the
# single-caravan runs (corridor.caravans.scenario) add a caravan's fitted or chosen parameters.
"""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km (mean Earth radius 6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(table: str, rows: list[dict], columns: list[str]) -> None:
    path = OUT / f"{table}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def union_places() -> dict[str, dict]:
    places: dict[str, dict] = {}
    for name in SCENARIOS:
        for row in read(REPO / "scenarios" / name / "places.csv"):
            if row["id"] in places and places[row["id"]] != row:
                raise SystemExit(f"{name}: place {row['id']} differs from another scenario's")
            places.setdefault(row["id"], row)
    return places


def union_routes() -> list[dict]:
    seen: dict[frozenset, dict] = {}
    for name in SCENARIOS:
        for row in read(REPO / "scenarios" / name / "routes.csv"):
            seen.setdefault(frozenset((row["from"], row["to"])), row)
    return list(seen.values())


def km(places: dict[str, dict], a: str, b: str) -> float:
    pa, pb = places[a], places[b]
    return haversine_km(float(pa["lat"]), float(pa["lon"]), float(pb["lat"]), float(pb["lon"]))


def link(places: dict[str, dict], routes: list[dict], x: str, others: list[str],
         why: str) -> None:
    """Roads from x to each of ``others`` (great-circle km x ROAD_DETOUR), unless present."""
    have = {frozenset((r["from"], r["to"])) for r in routes}
    for p in others:
        if frozenset((x, p)) in have:
            continue
        d = km(places, x, p)
        routes.append({"from": x, "to": p, "distance_km": f"{d * ROAD_DETOUR:.1f}",
                       "mode": "road", "source": f"great-circle {d:.1f} km x {ROAD_DETOUR} "
                       f"detour factor (estimate: {why})"})


def insert_place(places: dict[str, dict], routes: list[dict], x: str) -> str:
    """Put place x on the road it lies along (or link it to its nearest places)."""
    if x in LINKS:
        link(places, routes, x, list(LINKS[x]), "a road of its own, see LINKS")
        return f"{x}: linked to {', '.join(LINKS[x])} (LINKS)"
    best, best_detour = None, math.inf
    for row in routes:
        u, v = row["from"], row["to"]
        direct = km(places, u, v)
        if direct <= 0:
            continue
        detour = (km(places, u, x) + km(places, x, v) - direct) / direct
        if detour < best_detour:
            best, best_detour = row, detour
    if best is not None and best_detour <= MAX_DETOUR:
        u, v = best["from"], best["to"]
        share = km(places, u, x) / (km(places, u, x) + km(places, x, v))
        total = float(best["distance_km"])
        routes.remove(best)
        how = (f"{best['distance_km']} km of the route {u}-{v} ({best['source']}) split at {x} "
               f"in proportion to great-circle km (estimate: {x} lies on that road, detour "
               f"{best_detour:.0%})")
        routes.append({"from": u, "to": x, "distance_km": f"{total * share:.1f}",
                       "mode": best.get("mode", "road"), "source": how})
        routes.append({"from": x, "to": v, "distance_km": f"{total * (1 - share):.1f}",
                       "mode": best.get("mode", "road"), "source": how})
        return f"{x}: on {u}-{v} (detour {best_detour:.0%})"
    others = [p for _, p in sorted((km(places, x, p), p) for p in places if p != x)[:2]]
    link(places, routes, x, others, "link to a nearest place")
    return f"{x}: linked to {', '.join(others)}"


def sources(places: dict[str, dict]) -> list[dict]:
    """One nominal row per caravan (the single-caravan runs replace it)."""
    rows = []
    for c in read(REPO / "data" / "caravans" / "caravans.csv"):
        if c["origin_place"] not in places:
            continue
        destination = c["destination"] if c["destination"] in places else ""
        rows.append({"place": c["origin_place"], "start_date": c["departure_date"],
                     "end_date": c["departure_date"], "people": "1000", "per": "total",
                     "group": f"caravan:{c['caravan']}",
                     "origin_country": places[c["origin_place"]]["country"],
                     "destination": destination,
                     "source": "data/caravans/caravans.csv (origin, departure date); 1000 is a "
                               "nominal size: corridor.caravans.scenario sets the reported one; "
                               "origin_country = the origin place's country (caravans mix "
                               "nationalities; it only labels who is deported)"})
    return rows


def main() -> None:
    places = union_places()
    routes = union_routes()
    extra = sorted(read(REPO / "data" / "caravans" / "places.csv"), key=lambda r: r["id"])
    for row in extra:
        if row["id"] not in places:
            places[row["id"]] = row
    for row in extra:
        print(insert_place(places, routes, row["id"]))
    OUT.mkdir(exist_ok=True)
    place_columns = ["id", "name", "country", "lat", "lon", "kind", "capacity", "source"]
    write("places", [{k: places[p][k] for k in place_columns} for p in sorted(places)],
          place_columns)
    routes.sort(key=lambda r: (r["from"], r["to"]))
    write("routes", routes, ["from", "to", "distance_km", "mode", "source"])
    srcs = sources(places)
    write("sources", srcs, ["place", "start_date", "end_date", "people", "per", "group",
                            "origin_country", "destination", "source"])
    write("policies", [], ["lever", "target", "from_date", "to_date", "value", "source"])
    write("observations", [], ["date", "place", "kind", "low", "high", "source", "quote"])
    first = min(r["start_date"] for r in srcs)
    (OUT / "scenario.toml").write_text(TOML, encoding="utf-8")
    print(f"{len(places)} places, {len(routes)} routes, {len(srcs)} caravans from {first}")


if __name__ == "__main__":
    main()
