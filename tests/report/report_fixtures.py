"""A tiny synthetic run folder, written exactly as the run-folder format documents it.

Not a conftest.py: other test folders import their own ``conftest`` by name, and a second one
here would shadow it. Test modules import these fixtures explicitly.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

START = pd.Timestamp("2023-12-24")
DAYS = 8
PLACES = pd.DataFrame(
    [
        ("tecun_uman", "Tecún Umán", "GTM", 14.676, -92.145, "border_crossing", "", "test"),
        ("tapachula", "Tapachula", "MEX", 14.905, -92.263, "town", "", "test"),
        ("huixtla", "Huixtla", "MEX", 15.139, -92.466, "town", "", "test"),
        ("escuintla", "Escuintla", "MEX", 15.330, -92.660, "shelter", "500", "test"),
        ("arriaga", "Arriaga", "MEX", 16.236, -93.899, "town", "", "test"),
        ("mexico_city", "Mexico City", "MEX", 19.433, -99.133, "destination", "", "test"),
    ],
    columns=["id", "name", "country", "lat", "lon", "kind", "capacity", "source"],
)
ROUTES = pd.DataFrame(
    [
        ("tecun_uman", "tapachula", 35.0, "road", "test"),
        ("tapachula", "huixtla", 40.0, "road", "test"),
        ("huixtla", "escuintla", 30.0, "road", "test"),
        ("escuintla", "arriaga", 170.0, "road", "test"),
        ("arriaga", "mexico_city", 900.0, "bus", "test"),
    ],
    columns=["from", "to", "distance_km", "mode", "source"],
)
# caravan head per day: place reached and km from Tapachula
HEAD = [
    ("tapachula", 0.0),
    ("tapachula", 20.0),
    ("huixtla", 45.0),
    ("huixtla", 60.0),
    ("escuintla", 70.0),
    ("escuintla", 95.0),
    ("escuintla", 120.0),
    ("escuintla", 145.0),
]


def make_run(folder: Path, *, scale: float = 1.0, seed: int = 1, observations: bool = True) -> Path:
    """Write a complete run folder; ``scale`` multiplies every count so two runs differ."""
    folder.mkdir(parents=True, exist_ok=True)
    dates = [START + pd.Timedelta(days=d) for d in range(DAYS)]
    counts, flows, groups = [], [], []
    for d, date in enumerate(dates):
        members = 6000.0 * scale - 200.0 * d
        place, km = HEAD[d]
        counts.append((d, date, place, "at_place", members))
        counts.append((d, date, "tecun_uman", "at_place", 300.0 * scale))
        if d >= 2:
            counts.append((d, date, "huixtla", "in_transit", 50.0 * scale))
        counts.append((d, date, "mexico_city", "arrived", 10.0 * d * scale))
        flows.append((d, date, "tapachula", "huixtla", 100.0 * scale))
        frac = km / 145.0  # head lat/lon interpolated Tapachula -> Escuintla
        lat, lon = 14.905 + frac * (15.330 - 14.905), -92.263 + frac * (-92.660 + 92.263)
        groups.append((d, date, "christmas", place, km, lat, lon, members))
    c = pd.DataFrame(counts, columns=["day", "date", "place", "status", "n"])
    c["day"] = c["day"].astype(np.int32)
    c.to_parquet(folder / "counts.parquet", index=False)
    f = pd.DataFrame(flows, columns=["day", "date", "from", "to", "n"])
    f["day"] = f["day"].astype(np.int32)
    f.to_parquet(folder / "flows.parquet", index=False)
    g = pd.DataFrame(
        groups, columns=["day", "date", "group", "place", "km_from_origin", "lat", "lon", "members"]
    )
    g["day"] = g["day"].astype(np.int32)
    g.to_parquet(folder / "groups.parquet", index=False)
    PLACES.to_csv(folder / "places.csv", index=False)
    ROUTES.to_csv(folder / "routes.csv", index=False)
    last = c[c["day"] == DAYS - 1]
    summary = {
        "scenario": "tiny-caravan",
        "seed": seed,
        "days": DAYS,
        "start_date": f"{START:%Y-%m-%d}",
        "people_spawned": float(7000 * scale),
        "agents": int(7000 * scale),
        "people_per_status_end": last.groupby("status")["n"].sum().to_dict(),
        "people_per_place_end": last.groupby("place")["n"].sum().to_dict(),
        "first_arrival_day": {"mexico_city": 1},
        "caravans": {
            "christmas": {
                "origin": "tapachula",
                "head": [
                    {"day": d, "date": f"{dates[d]:%Y-%m-%d}", "place": p, "km_from_origin": k}
                    for d, (p, k) in enumerate(HEAD)
                ],
            }
        },
        "runtime_s": 0.5,
    }
    (folder / "summary.json").write_text(json.dumps(summary))
    (folder / "scenario.resolved.toml").write_text(
        'format = 1\nname = "tiny-caravan"\n'
        'description = "A <small> test caravan & friends"\n'
        f"start_date = {START:%Y-%m-%d}\ndays = {DAYS}\nseed = {seed}\n"
        'rules = "corridor"\nagents_per_person = 1.0\n\n'
        "[parameters]\nwalk_speed_km_per_day = 25.0\n"
    )
    if observations:
        pd.DataFrame(
            [
                (
                    "2023-12-24",
                    "tapachula",
                    "caravan_size",
                    "5500",
                    "6500",
                    "https://example.org/a",
                    "About 6,000 people set out",
                ),
                (
                    "2023-12-26",
                    "huixtla",
                    "position",
                    "",
                    "",
                    "https://example.org/b",
                    "The caravan reached Huixtla",
                ),
                ("2023-12-28", "arriaga", "position", "", "", "paper-c", "They slept in Arriaga"),
                ("2023-12-27", "", "apprehended", "100", "200", "paper-d", "Some were detained"),
            ],
            columns=["date", "place", "kind", "low", "high", "source", "quote"],
        ).to_csv(folder / "observations.csv", index=False)
    return folder


@pytest.fixture
def run_factory():
    """``make_run`` for tests that need a variant (conftest modules are not importable by name)."""
    return make_run


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "run-a")


@pytest.fixture
def other_run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "run-b", scale=1.5, seed=2, observations=False)


@pytest.fixture(scope="module")
def built_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One full report per test module (rendering takes seconds): (run folder, HTML text)."""
    from corridor.report import write_report

    run = make_run(tmp_path_factory.mktemp("built") / "run-a")
    return run, write_report(run).read_text("utf-8")
