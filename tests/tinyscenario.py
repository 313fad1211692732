"""Tiny scenario folders written by the tests themselves (imported by test modules)."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

TOML = """format = 1
name = "tiny"
description = "a four-place line: origin, two towns, a destination"
start_date = 2024-01-01
days = {days}
seed = 7
rules = "corridor"
agents_per_person = {scale}

[parameters]
{parameters}
"""

PLACES = """id,name,country,lat,lon,kind,capacity,source
a,A,MEX,14.90,-92.26,town,,test
b,B,MEX,15.30,-92.70,town,,test
c,C,MEX,16.00,-93.50,shelter,{capacity},test
d,D,USA,32.50,-117.00,destination,,test
e,E,MEX,15.60,-93.10,town,,test
"""

ROUTES = """from,to,distance_km,mode,source
a,b,60,road,test
b,c,120,road,test
c,d,200,road,test
b,e,100,road,test
e,c,110,road,test
"""

SOURCES = """place,start_date,end_date,people,per,group,origin_country,source
a,2024-01-01,2024-01-10,50,day,flow,HND,test
a,2024-01-02,2024-01-02,300,total,caravan:test,HND,test
"""

POLICIES = "lever,target,from_date,to_date,value,source\n"
OBSERVATIONS = "date,place,kind,low,high,source,quote\n2024-01-05,b,position,,,test,q\n"


def write_scenario(
    folder: Path,
    *,
    days: int = 20,
    scale: float = 1.0,
    capacity: str = "",
    parameters: str = "",
    **tables: str,
) -> Path:
    """Write a tiny scenario; any table can be replaced by keyword (places=..., routes=...)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "scenario.toml": TOML.format(days=days, scale=scale, parameters=parameters),
        "places.csv": PLACES.format(capacity=capacity),
        "routes.csv": ROUTES,
        "sources.csv": SOURCES,
        "policies.csv": POLICIES,
        "observations.csv": OBSERVATIONS,
    }
    for name, text in tables.items():
        files[f"{name}.csv" if name != "toml" else "scenario.toml"] = text
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_flee_input(folder: Path, days: int = 5) -> Path:
    """A tiny Flee input folder (``input/``) with its validation data (``validation/``)."""
    inp, val = folder / "input", folder / "validation"
    inp.mkdir(parents=True, exist_ok=True)
    val.mkdir(parents=True, exist_ok=True)
    files = {
        inp / "locations.csv": "#name,region,country,lat,lon,location_type,conflict_date,"
        "population\nA,r,Mali,15,0,conflict_zone,0,1000\nB,r,Mali,15,1,town,0,500\n"
        "C,r,Mali,15,2,camp,0,\nD,r,Niger,15,3,camp,0,\n",
        inp / "routes.csv": "#name1,name2,distance,forced_redirection\nA,B,50,0\nA,C,100,0\n"
        "A,D,200,0\nB,C,30,0\n",
        inp / "closures.csv": "#closure_type,name1,name2,start,end\n",
        inp / "conflicts.csv": "#Day,A,B\n" + "".join(f"{d},1,0\n" for d in range(days)),
        inp / "sim_period.csv": f"StartDate,2020-01-01\nLength,{days}\n",
        val / "data_layout.csv": "total,refugees.csv\nC,c.csv\nD,d.csv\n",
        val / "refugees.csv": "Date,n\n2020-01-01,0\n2020-01-03,300\n",
        val / "c.csv": "Date,n\n2020-01-01,0\n",
        val / "d.csv": "Date,n\n2020-01-01,0\n",
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return folder
