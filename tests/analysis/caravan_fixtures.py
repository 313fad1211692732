"""A straight-line network and caravan timelines produced by the model itself (known truth)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from corridor.analysis.caravan_sim import (
    CaravanStart,
    caravan_scenario,
    load_network,
    simulate_track,
)

from tinyscenario import write_scenario

TOWNS = 16
STEP_KM = 30.0


def line_network(folder: Path) -> Path:
    """Towns t0 … t15, 30 km apart northwards, and a destination beyond the last one."""
    places = ["id,name,country,lat,lon,kind,capacity,source"]
    for i in range(TOWNS):
        places.append(f"t{i},T{i},MEX,{15 + i * 0.27:.3f},-92.0,town,,test")
    places.append(f"dest,Dest,USA,{15 + TOWNS * 0.27:.3f},-92.0,destination,,test")
    routes = ["from,to,distance_km,mode,source"]
    ids = [f"t{i}" for i in range(TOWNS)] + ["dest"]
    routes += [f"{a},{b},{STEP_KM},road,test" for a, b in zip(ids, ids[1:], strict=False)]
    sources = ("place,start_date,end_date,people,per,group,origin_country,source\n"
               "t0,2024-01-01,2024-01-01,100,total,caravan:x,HND,test\n")
    return write_scenario(folder, days=20, places="\n".join(places) + "\n",
                          routes="\n".join(routes) + "\n", sources=sources,
                          observations="date,place,kind,low,high,source,quote\n")


def synthetic_dataset(network_folder: Path, folder: Path, parameters: dict,
                      caravans: tuple[str, ...] = ("a", "b", "c"), every: int = 2) -> Path:
    """timeline.csv + caravans.csv from model runs with known ``parameters``."""
    network = load_network(network_folder)
    rows, table = [], []
    for k, caravan in enumerate(caravans):
        date = dt.date(2024, 1, 1) + dt.timedelta(days=7 * k)
        start = CaravanStart(caravan, "t0", date, 3000.0, "dest")
        track = simulate_track(caravan_scenario(network, start, 14, parameters, seed=99 + k))
        table.append({"caravan": caravan, "name": caravan, "origin_place": "t0",
                      "departure_date": date.isoformat(), "destination": "dest",
                      "summary": "synthetic", "sources": "model"})
        rows.append({"caravan": caravan, "date": date.isoformat(), "place": "t0",
                     "lat": 15.0, "lon": -92.0, "kind": "departed", "low": 3000, "high": 3000,
                     "source": "model"})
        for r in track.iloc[every::every].itertuples():
            rows.append({"caravan": caravan, "date": r.date.isoformat(), "place": "",
                         "lat": r.lat, "lon": r.lon, "kind": "position",
                         "low": round(r.people * 0.9), "high": round(r.people * 1.1),
                         "source": "model"})
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(folder / "timeline.csv", index=False)
    pd.DataFrame(table).to_csv(folder / "caravans.csv", index=False)
    return folder
