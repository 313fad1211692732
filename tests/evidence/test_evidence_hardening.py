"""Issue 9 items owned by evidence: linear time on huge articles, CSV formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

from typer.testing import CliRunner

from corridor.evidence import gazetteer
from corridor.evidence.cli import app
from corridor.evidence.extract import extract_text
from corridor.evidence.io import neutralise

PARA = ("About 3,000 migrants from Honduras left Tapachula, Chiapas, on Monday, and the "
        "institute said 200 were detained in Huixtla on Tuesday. ")


def _seconds(text: str) -> float:
    """CPU seconds, the best of three (a loaded machine adds noise, never removes it)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        extract_text(text, published=dt.date(2023, 12, 27))
        best = min(best, time.process_time() - t0)
    return best


def test_time_grows_linearly_with_size() -> None:
    gazetteer.load()
    for unit in (PARA + "\n", PARA, "U.S. and U.N. officials in Mexico said 30 arrived. "):
        small, big = unit * 150, unit * 600  # 4x the text
        _seconds(small)  # warm caches
        ratio = _seconds(big) / max(_seconds(small), 1e-3)
        assert ratio < 7, (unit[:20], ratio)  # linear: ~4; quadratic: ~16


def test_neutralise() -> None:
    for bad in ("=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "  =1", "\t=1"):
        assert neutralise(bad).startswith("'")
    assert neutralise("About 300 migrants") == "About 300 migrants"
    # plain numbers stay numbers (a timeline's longitudes are negative)
    assert neutralise("-90.8506") == "-90.8506" and neutralise("+15") == "+15"


def test_timeline_longitudes_are_numbers(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("About 2,000 migrants left Tapachula on Monday in a caravan.\n",
                   encoding="utf-8")
    out = tmp_path / "t.csv"
    res = CliRunner().invoke(app, ["extract", str(art), "--published", "2023-12-27", "--as",
                                   "timeline", "--out", str(out)])
    assert res.exit_code == 0, res.output
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(float(r["lon"]) < 0 for r in rows)


def test_formula_quotes_are_neutralised_in_csv_and_append(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("=HYPERLINK(\"http://evil\") More than 300 migrants arrived in Tapachula, "
                   "Chiapas, on Monday.\n@SUM 500 migrants left Tapachula on Tuesday.\n",
                   encoding="utf-8")
    scen = tmp_path / "scen"
    scen.mkdir()
    (scen / "places.csv").write_text("id,name,country,lat,lon,kind,capacity,source\n"
                                     "tapachula,Tapachula,MEX,14.905,-92.259,town,,test\n",
                                     encoding="utf-8")
    own = "date,place,kind,low,high,source,quote\n2023-01-01,tapachula,size,1,1,mine,-own\n"
    (scen / "observations.csv").write_text(own, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["extract", str(art), "--published", "2023-12-27"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 2 and all(r["quote"].startswith("'") for r in rows)
    res = runner.invoke(app, ["extract", str(art), "--published", "2023-12-27", "--scenario",
                              str(scen), "--append"])
    assert res.exit_code == 0, res.output
    obs = list(csv.DictReader(io.StringIO((scen / "observations.csv").read_text("utf-8"))))
    assert obs[0]["quote"] == "-own"  # the user's own rows are written back as they were
    assert len(obs) == 3 and all(r["quote"].startswith("'") for r in obs[1:])


def test_capitalised_paragraph_openings_do_not_backtrack() -> None:
    # paragraphs opening with long runs of capitalised words and commas, no dateline marker
    line = ("Tapachula Chiapas Mexico, Guatemala Honduras El Salvador, Nicaragua Costa Rica "
            "Panama, Belize Cuba Haiti Venezuela Colombia Ecuador Peru Brazil Chile " * 2)
    text = "\n".join(line for _ in range(40))
    gazetteer.load()
    assert _seconds(text) < 5
