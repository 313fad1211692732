"""Checks on the shipped scenario data (scenarios/*/), read with pandas only.

These tests do not use the loader: they pin down the data itself, so a bad edit to a CSV fails
here even while the loader changes.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = ["mexico-2023", "mexico-2018", "guatemala-2021"]
COLUMNS = {
    "places": ["id", "name", "country", "lat", "lon", "kind", "capacity", "source"],
    "routes": ["from", "to", "distance_km", "mode", "source"],
    "sources": ["place", "start_date", "end_date", "people", "per", "group", "origin_country",
                "destination", "source"],
    "policies": ["lever", "target", "from_date", "to_date", "value", "source"],
    "observations": ["date", "place", "kind", "low", "high", "source", "quote"],
}
KINDS = {"town", "border_crossing", "checkpoint", "shelter", "detention", "port_of_entry",
         "destination"}
LEVERS = {"checkpoint", "patrol", "permits", "asylum_office", "smuggling", "port_closed",
          "port_capacity", "closure", "caravan_hold", "transfer", "transfer_to", "turnback",
          "rides"}
# Corridor bounding box: El Salvador/Honduras in the south-east to California in the north-west.
LAT_RANGE = (12.0, 34.0)
LON_RANGE = (-118.0, -86.0)


def read(name: str, table: str) -> pd.DataFrame:
    return pd.read_csv(SCENARIOS / name / f"{table}.csv", dtype=str, keep_default_na=False)


def period(name: str) -> tuple[date, date]:
    with open(SCENARIOS / name / "scenario.toml", "rb") as f:
        settings = tomllib.load(f)
    start = settings["start_date"]
    return start, start + timedelta(days=settings["days"] - 1)


@pytest.fixture(params=SHIPPED)
def name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_columns_present_and_sources_filled(name: str) -> None:
    for table, columns in COLUMNS.items():
        frame = read(name, table)
        assert list(frame.columns) == columns, table
        assert (frame["source"].str.strip() != "").all(), f"{table}: empty source"


def test_places(name: str) -> None:
    places = read(name, "places")
    assert places["id"].is_unique
    assert places["id"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()
    assert places["kind"].isin(KINDS).all()
    lat, lon = places["lat"].astype(float), places["lon"].astype(float)
    assert lat.between(*LAT_RANGE).all() and lon.between(*LON_RANGE).all()
    capacity = pd.to_numeric(places["capacity"].replace("", None))
    assert (capacity.dropna() >= 0).all()
    assert (places["kind"] == "destination").sum() >= 1


def test_routes(name: str) -> None:
    ids = set(read(name, "places")["id"])
    routes = read(name, "routes")
    assert routes["from"].isin(ids).all() and routes["to"].isin(ids).all()
    assert (routes["from"] != routes["to"]).all()
    assert (routes["distance_km"].astype(float) > 0).all()
    pairs = routes.apply(lambda r: (min(r["from"], r["to"]), max(r["from"], r["to"]), r["mode"]),
                         axis=1)
    assert pairs.is_unique


def test_graph_connects_sources_to_destinations(name: str) -> None:
    places, routes = read(name, "places"), read(name, "routes")
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in zip(routes["from"], routes["to"], strict=True):
        neighbours[a].add(b)
        neighbours[b].add(a)
    start = places["id"].iloc[0]
    seen, todo = {start}, [start]
    while todo:
        for n in neighbours[todo.pop()] - seen:
            seen.add(n)
            todo.append(n)
    assert seen == set(places["id"]), f"not connected: {sorted(set(places['id']) - seen)}"
    assert set(read(name, "sources")["place"]) <= seen


def test_sources_policies_observations(name: str) -> None:
    first, last = period(name)
    ids = set(read(name, "places")["id"])
    routes = read(name, "routes")
    route_keys = set(zip(routes["from"], routes["to"], strict=True))

    def in_period(column: pd.Series) -> bool:
        dates = pd.to_datetime(column).dt.date
        return bool(((dates >= first) & (dates <= last)).all())

    sources = read(name, "sources")
    assert sources["place"].isin(ids).all()
    assert in_period(sources["start_date"]) and in_period(sources["end_date"])
    assert (sources["start_date"] <= sources["end_date"]).all()
    assert (sources["people"].astype(float) >= 0).all()
    assert sources["per"].isin({"total", "day"}).all()
    assert sources["group"].str.fullmatch(r"flow|caravan:[\w.-]+").all()

    policies = read(name, "policies")
    assert policies["lever"].isin(LEVERS).all()
    for target in policies["target"]:
        a, _, b = target.partition(">")
        national = len(target) == 3 and target.isupper()  # a country code: national levers
        assert national or (target in ids) or (a, b) in route_keys or (b, a) in route_keys, target
    assert in_period(policies["from_date"]) and in_period(policies["to_date"])
    kinds = read(name, "places").set_index("id")["kind"]
    ports = policies.loc[policies["lever"] == "port_closed", "target"]
    assert all(kinds.get(t) == "port_of_entry" or ">" in t for t in ports)

    obs = read(name, "observations")
    assert in_period(obs["date"])
    assert obs["place"].isin(ids | {""}).all()
    low = pd.to_numeric(obs["low"].replace("", None))
    high = pd.to_numeric(obs["high"].replace("", None))
    both = low.notna() & high.notna()
    assert (low[both] <= high[both]).all()


def test_article_distances_used() -> None:
    """Seed 002 gives Tapachula->Escuintla about 70 km and Escuintla->Mapastepec 35 km."""
    routes = read("mexico-2023", "routes").set_index(["from", "to"])["distance_km"].astype(float)
    legs = [("tapachula", "huixtla"), ("huixtla", "huixtla-checkpoint"),
            ("huixtla-checkpoint", "escuintla")]
    assert sum(routes[leg] for leg in legs) == pytest.approx(70.0, abs=0.2)
    assert routes[("escuintla", "mapastepec")] == 35.0


def test_same_ids_across_scenarios() -> None:
    """A place id means the same place (same coordinates) in every scenario."""
    frames = [read(n, "places").set_index("id")[["lat", "lon", "country"]] for n in SHIPPED]
    base = frames[0]
    for other in frames[1:]:
        common = base.index.intersection(other.index)
        assert len(common) >= 40
        assert base.loc[common].equals(other.loc[common])


SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not available here")
def test_quotes_are_exact_sentences_of_their_seed(name: str) -> None:
    obs = read(name, "observations")
    for source, quote in zip(obs["source"], obs["quote"], strict=True):
        if quote:
            assert quote in (SEEDS / source).read_text(encoding="utf-8"), quote[:60]
