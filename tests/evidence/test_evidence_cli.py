"""The `corridor evidence` commands: robustness per file, append to a scenario, scoring."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.evidence.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "evidence"

GOOD = ("Mexico deployed about 2,000 National Guard troops to Tapachula, Chiapas, on Monday, "
        "and the INM said 350 migrants were detained there on Sunday.\n")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (d / "french.txt").write_text(
        "Le gouvernement a envoyé des soldats à la frontière pour arrêter la caravane de "
        "migrants qui est partie dimanche. Les autorités ont dit que la situation est calme.",
        encoding="utf-8")
    # Windows-1252 bytes (not UTF-8): "Más de 1.500 migrantes llegaron a Tapachula el lunes."
    (d / "legacy.txt").write_bytes("Más de 1.500 migrantes llegaron a Tapachula el lunes, "
                                   "según el INM.".encode("cp1252"))
    shutil.copy(DATA / "no_article.html", d / "no_article.html")
    shutil.copy(DATA / "article.html", d / "article.html")
    return d


def test_each_bad_file_one_line_and_nothing_lost(corpus: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 50 MB of text
        fh.write((GOOD.encode() * 1000) * 350)
    assert big.stat().st_size > 50e6
    res = run("extract", corpus, big, "--published", "2023-12-27")
    assert res.exit_code == 0, res.output
    err = res.stderr
    for name, why in (("empty.txt", "empty file"), ("binary.bin", "binary file"),
                      ("french.txt", "French"), ("no_article.html", "no article text"),
                      ("big.txt", "too large")):
        lines = [ln for ln in err.splitlines() if name in ln]
        assert len(lines) == 1 and why in lines[0], err
    assert "Windows-1252" in err and "Traceback" not in res.output
    got = rows(res.stdout)
    sources = {r["source"] for r in got}
    assert {"good.txt", "legacy.txt", "article.html"} <= sources
    legacy = [r for r in got if r["source"] == "legacy.txt"]
    assert legacy[0]["kind"] == "arrived" and legacy[0]["low"] == "1500"
    assert legacy[0]["date"] == "2023-12-25" and legacy[0]["language"] == "es"


def test_exit_2_when_no_file_can_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    res = run("extract", tmp_path / "empty.txt", tmp_path / "missing.txt")
    assert res.exit_code == 2
    assert "error: no article could be read" in res.stderr
    assert "Traceback" not in res.output


def test_html_date_from_metadata_and_url() -> None:
    res = run("extract", DATA / "article.html")
    got = rows(res.stdout)
    # numbers (departed, position) and number-less events ("has reached", "rest in")
    assert {r["kind"] for r in got} == {"departed", "position", "arrived", "halted"}
    dep = next(r for r in got if r["kind"] == "departed")
    assert dep["date"] == "2023-12-24" and dep["place"] == "Tapachula"
    assert dep["url"] == "https://example.org/news/caravan"
    assert "html metadata" in res.stderr


def test_no_publication_date_is_reported(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("On January 17, 2021, INM deployed 800 agents to El Ceibo. Yesterday 300 "
                 "migrants arrived in Tapachula.", encoding="utf-8")
    res = run("extract", f)
    assert "no publication date found" in res.stderr
    assert [r["date"] for r in rows(res.stdout)] == ["2021-01-17"]


def test_bad_options_are_one_line(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(GOOD, encoding="utf-8")
    res = run("extract", f, "--append")
    assert res.exit_code == 2 and "--append needs --scenario" in res.stderr
    res = run("extract", f, "--published", "someday")
    assert res.exit_code == 2 and "--published" in res.stderr
    res = run("extract", f, "--scenario", tmp_path / "nowhere")
    assert res.exit_code == 2 and "not a folder" in res.stderr


def _scenario(tmp_path: Path) -> Path:
    s = tmp_path / "scen"
    s.mkdir()
    (s / "places.csv").write_text(
        "id,name,country,lat,lon,kind,capacity,source\n"
        "tapachula,Tapachula,MEX,14.90541,-92.25891,town,,test\n"
        "escuintla,Escuintla (Chiapas),MEX,15.317,-92.659,town,,test\n", encoding="utf-8")
    (s / "observations.csv").write_text(
        "date,place,kind,low,high,source,quote\n"
        "2023-12-24,tapachula,departed,9000,10000,earlier.txt,old quote\n", encoding="utf-8")
    return s


def test_append_to_scenario_without_duplicates(tmp_path: Path) -> None:
    scen = _scenario(tmp_path)
    res = run("extract", DATA / "article.html", "--scenario", scen, "--append")
    assert res.exit_code == 0, res.output
    assert "2 new observations appended, 1 already there" in res.stderr
    assert "Appended observations" in res.stdout and "Escuintla" in res.stdout
    obs = rows((scen / "observations.csv").read_text(encoding="utf-8"))
    # the departure was already there; "has reached Escuintla" (no number) and "about 6,000
    # … are in Escuintla" are new
    assert [(r["place"], r["kind"]) for r in obs] == [("tapachula", "departed"),
                                                      ("escuintla", "arrived"),
                                                      ("escuintla", "position")]
    assert obs[1]["place_name"] == "Escuintla" and obs[0]["quote"] == "old quote"
    assert obs[1]["low"] == "" and obs[2]["low"] == "5500"
    res = run("extract", DATA / "article.html", "--scenario", scen, "--append")
    assert "0 new observations appended, 3 already there" in res.stderr
    assert len(rows((scen / "observations.csv").read_text(encoding="utf-8"))) == 3


def test_scenario_place_ids_in_output(tmp_path: Path) -> None:
    scen = _scenario(tmp_path)
    res = run("extract", DATA / "article.html", "--scenario", scen)
    ids = {r["place_id"] for r in rows(res.stdout)}
    assert {"tapachula", "escuintla"} <= ids and "geonames:3527768" not in ids


def test_score_command(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    pred = tmp_path / "pred.csv"
    head = "date,place,place_id,kind,low,high,source,quote\n"
    gold.write_text(head + "2023-12-24,Tapachula,geonames:3516266,departed,9000,10000,a.txt,q\n"
                    "2023-12-27,Escuintla,geonames:3527768,position,5500,6500,a.txt,q\n",
                    encoding="utf-8")
    pred.write_text(head + "2023-12-25,Tapachula,geonames:3516266,departed,9500,9500,a.txt,q\n"
                    "2023-12-27,Escuintla,geonames:3595803,position,6000,6000,a.txt,q\n",
                    encoding="utf-8")
    res = run("score", pred, gold)
    assert res.exit_code == 0, res.output
    assert "overall" in res.stdout and "Misses (in gold, not extracted): 1" in res.stdout
    assert "False hits (extracted, not in gold): 1" in res.stdout
    res = run("score", pred, gold, "--bootstrap", "100")
    assert "5-95 % over 100 resamples of the 1 articles: precision 0.50-0.50" in res.stdout
    res = run("score", tmp_path / "nope.csv", gold)
    assert res.exit_code == 2 and "no such file" in res.stderr
