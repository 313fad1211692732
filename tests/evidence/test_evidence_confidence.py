"""The DEV-fitted confidence model is opt-in, gives probabilities, and orders rows by how they
were read; `score --only-found` scores only the articles whose text is there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from corridor.evidence import confidence
from corridor.evidence.cli import app
from corridor.evidence.extract import extract_text

TEXT = ("HUIXTLA, Mexico (AP) — The caravan of about 3,000 migrants rested Monday in Huixtla.\n"
        "Officials said thousands of people were somewhere in the country.")


def test_the_model_is_opt_in_and_keeps_the_rule_score() -> None:
    pub = dt.date(2018, 10, 24)
    rules = extract_text(TEXT, published=pub)
    model = extract_text(TEXT, published=pub, confidence_model=True)
    assert [o.confidence for o in rules] == [o.rule_confidence for o in model]
    assert all(0.0 <= o.confidence <= 1.0 for o in model)
    assert [o.confidence for o in rules] != [o.confidence for o in model]


def test_a_town_scores_above_the_same_row_at_a_country() -> None:
    assert confidence.COEFFICIENTS is not None
    base = extract_text(TEXT, published=dt.date(2018, 10, 24))[0]
    x_town = confidence.features(base, 1)
    x_country = list(x_town)
    x_country[confidence.FEATURES.index("country")] = 1.0
    p = [confidence.probability(x, confidence.COEFFICIENTS, confidence.INTERCEPT)
         for x in (x_town, x_country)]
    assert p[0] > p[1]
    assert len(x_town) == len(confidence.FEATURES)


def test_cli_confidence_choice_and_only_found(tmp_path: Path) -> None:
    runner = CliRunner()
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["extract", str(art), "--published", "2018-10-24",
                              "--confidence", "dev-model", "--min-confidence", "0"])
    assert res.exit_code == 0 and "Huixtla" in res.stdout
    res = runner.invoke(app, ["extract", str(art), "--confidence", "magic"])
    assert res.exit_code == 2 and "--confidence" in res.stderr
    # two gold files, one text: --only-found scores the one article
    gold = tmp_path / "gold"
    gold.mkdir()
    head = "date,place,place_id,country,kind,low,high,unit,caravan\n"
    (gold / "a.csv").write_text(head + "2018-10-22,Huixtla,geonames:3526855,MEX,halted,,,"
                                "people,\n", encoding="utf-8")
    (gold / "b.csv").write_text(head + "2018-10-22,Tapachula,geonames:3516266,MEX,halted,,,"
                                "people,\n", encoding="utf-8")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    index = tmp_path / "articles.csv"
    index.write_text("id,language,event,published\na,en,2018-10,2018-10-24\n"
                     "b,en,2018-10,2018-10-24\n", encoding="utf-8")
    common = ["score", str(gold), "--articles", str(texts), "--index", str(index),
              "--published-from-index", "--no-details"]
    every = runner.invoke(app, common)
    found = runner.invoke(app, [*common, "--only-found"])
    assert every.exit_code == found.exit_code == 0
    assert "Misses (in gold, not extracted): 1" in every.stdout
    assert "Misses (in gold, not extracted): 0" in found.stdout
    assert "only those are scored" in found.stderr
