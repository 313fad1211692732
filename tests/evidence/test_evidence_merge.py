"""Merging reports of one fact, the timeline output, the event split and folder scoring."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from typer.testing import CliRunner

from corridor.evidence.cli import app
from corridor.evidence.merge import merge, to_timeline
from corridor.evidence.split import split_of

runner = CliRunner()


def r(**kw: str) -> dict[str, str]:
    base = {"date": "2023-12-25", "place": "Huixtla", "place_id": "geonames:3526855",
            "kind": "arrived", "low": "", "high": "", "source": "a.txt", "outlet": "AP",
            "quote": "q", "confidence": "0.8"}
    base.update(kw)
    return base


def test_disagreeing_outlets_become_one_range_with_both_ends_named() -> None:
    rows = [r(low="2700", high="3300", outlet="AP"),
            r(date="2023-12-26", low="5000", high="6000", outlet="EFE", source="b.txt"),
            r(outlet="La Jornada", source="c.txt"),  # no number: still a source
            r(kind="departed", place="Tapachula", place_id="geonames:3516266", outlet="AP"),
            r(date="2023-12-29", outlet="Reuters", source="d.txt")]  # 3 days later: apart
    facts = merge(rows)
    arrived = [f for f in facts if f["kind"] == "arrived"]
    assert len(arrived) == 2 and len(facts) == 3
    big = next(f for f in arrived if f["n_sources"] == 3)
    assert (big["low"], big["high"]) == (2700, 6000)
    assert big["low_sources"] == "AP" and big["high_sources"] == "EFE"
    assert set(str(big["sources"]).split("; ")) == {"AP", "EFE", "La Jornada"}
    assert (big["date_first"], big["date_last"]) == ("2023-12-25", "2023-12-26")


def test_timeline_rows_follow_the_format() -> None:
    rows, skipped = to_timeline([r(kind="caravan_size", low="3000", high="3000",
                                   caravan="2023-12", url="https://x.org/a",
                                   published="2023-12-27"),
                                 r(kind="troops_deployed", low="500", high="500")])
    assert skipped == 1
    (t,) = rows
    assert (t["caravan"], t["kind"], t["place"], t["source"]) == ("2023-12", "size", "huixtla",
                                                                  "AP")
    assert "q" not in str(t["note"]).split()  # the note is generated, never the quote


def test_split_rule() -> None:
    assert split_of("2019-01") == "test" and split_of("2024-07") == "test"
    assert split_of("2018-10") == "dev" and split_of("2021-01b") == "dev"
    for slug in ("title-42-end", "darien-closure", "x"):
        first = hashlib.md5(slug.encode()).hexdigest()[0]
        assert split_of(slug) == ("test" if first in "012345" else "dev")


def _corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    gold = tmp_path / "gold"
    gold.mkdir()
    texts = tmp_path / "texts"
    texts.mkdir()
    head = "date,place,place_id,country,kind,low,high,unit,caravan\n"
    (gold / "a1.csv").write_text(head + "2023-12-25,Huixtla,geonames:3526855,MEX,arrived,,,"
                                 "people,2023-12\n", encoding="utf-8")
    (gold / "b1.csv").write_text(head + "2019-01-17,Tecún Umán,geonames:3598129,GTM,arrived,"
                                 ",,people,2019-01\n", encoding="utf-8")
    (texts / "a1.txt").write_text("Caravan reaches Huixtla\nThe migrant caravan arrived in "
                                  "Huixtla on Monday.\n", encoding="utf-8")
    (texts / "b1.txt").write_text("Otra caravana\nLos migrantes llegaron a Tapachula.\n",
                                  encoding="utf-8")
    index = tmp_path / "articles.csv"
    index.write_text("id,url,outlet,language,published,published_basis,event,complete\n"
                     "a1,u,AP,en,2023-12-27,test,2023-12,yes\n"
                     "b1,u,EFE,es,2019-01-18,test,2019-01,yes\n", encoding="utf-8")
    return gold, texts, index


def test_score_over_folders_per_language_and_split(tmp_path: Path) -> None:
    gold, texts, index = _corpus(tmp_path)
    res = runner.invoke(app, ["score", str(gold), "--articles", str(texts), "--index",
                              str(index), "--published-from-index"])
    assert res.exit_code == 0, res.output
    assert "Per language" in res.stdout
    lines = {ln.split("│")[1].strip(): ln for ln in res.stdout.splitlines() if "│" in ln}
    assert lines["en"].split("│")[2].strip() == "1"  # one hit in English
    assert lines["es"].split("│")[4].strip() == "1"  # the Spanish gold row missed
    res = runner.invoke(app, ["score", str(gold), "--articles", str(texts), "--index",
                              str(index), "--split", "dev", "--published-from-index"])
    assert res.exit_code == 0 and "1 gold rows" in res.stdout  # 2023-12 only
    res = runner.invoke(app, ["score", str(gold), "--articles", str(texts), "--split", "dev"])
    assert res.exit_code == 2 and "--split needs --index" in res.stderr


def test_extract_merge_and_timeline_cli(tmp_path: Path) -> None:
    _, texts, _ = _corpus(tmp_path)
    (texts / "c1.txt").write_text("Caravan in Huixtla\nPublished 27 December 2023\nAbout "
                                  "3,000 migrants arrived in Huixtla on Monday, the group "
                                  "said.\n", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(texts), "--published", "2023-12-27", "--merge"])
    assert res.exit_code == 0, res.output
    facts = list(csv.DictReader(io.StringIO(res.stdout)))
    hux = [f for f in facts if f["kind"] == "arrived" and f["place"] == "Huixtla"]
    assert len(hux) == 1 and hux[0]["n_sources"] == "2" and hux[0]["low"] == "2700"
    res = runner.invoke(app, ["extract", str(texts), "--published", "2023-12-27", "--as",
                              "timeline", "--caravan", "2023-12"])
    assert res.exit_code == 0, res.output
    tl = list(csv.DictReader(io.StringIO(res.stdout)))
    assert tl and {t["caravan"] for t in tl} == {"2023-12"}
    assert list(tl[0]) == ["caravan", "date", "place", "place_name", "lat", "lon", "kind",
                           "low", "high", "source", "url", "published", "note"]
    res = runner.invoke(app, ["extract", str(texts), "--as", "xml"])
    assert res.exit_code == 2 and "--as" in res.stderr


def test_bad_inputs_are_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty"
    empty.mkdir()
    texts = tmp_path / "texts"
    texts.mkdir()
    cases = [
        (["merge", str(bad)], "needs columns"),
        (["merge", str(binary)], "cannot read"),
        (["merge", str(tmp_path / "nope.csv")], "no such file"),
        (["merge", str(bad), "--as", "xml"], "--as"),
        (["score", str(empty), "--articles", str(texts)], "no gold files"),
        (["score", str(bad), str(bad)], "needs columns"),
        (["score", str(empty)], "give PRED GOLD"),
        (["score", str(bad), "--articles", str(bad)], "not a folder"),
    ]
    for args, why in cases:
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
        assert why in res.stderr and "Traceback" not in res.output, (args, res.stderr)
