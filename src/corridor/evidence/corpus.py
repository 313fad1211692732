"""An evaluation corpus: gold files in a folder (one ``<article id>.csv`` each), an index of the
articles (``articles.csv``: id, language, event, published …) and the article texts (kept
outside the repository). Used by ``corridor evidence score`` for per-kind and per-language
tables on the dev or test split (``split.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from corridor.evidence.io import EvidenceError, read_csv
from corridor.evidence.score import Report, score
from corridor.evidence.split import split_of


@dataclass
class Corpus:
    """Gold rows (``source`` = article id) and what the index says about each article."""

    gold: list[dict[str, str]] = field(default_factory=list)
    articles: dict[str, dict[str, str]] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return sorted(self.articles)


def read_gold(path: Path) -> list[dict[str, str]]:
    """Gold rows from one CSV or a folder of ``<id>.csv`` (each row's ``source`` = the id)."""
    if path.is_dir():
        rows: list[dict[str, str]] = []
        for f in sorted(path.glob("*.csv")):
            for r in read_csv(f):
                r["source"] = f.stem
                rows.append(r)
        return rows
    if path.is_file():
        return read_csv(path)
    raise EvidenceError(f"{path}: no such file or folder")


def load(gold: Path, index: Path | None, split: str = "all") -> Corpus:
    """The corpus restricted to a split ('dev', 'test' or 'all'); without an index every gold
    file is one article of unknown language and event."""
    rows = read_gold(gold)
    articles: dict[str, dict[str, str]] = {}
    if index is not None:
        for r in read_csv(index):
            if r.get("id"):
                articles[r["id"]] = r
    else:
        ids = sorted({r.get("source", "") for r in rows}) if gold.is_dir() else []
        articles = {i: {"id": i, "language": "", "event": ""} for i in ids}
    if gold.is_dir():  # articles with a gold file (an empty one: nothing to find)
        have = {f.stem for f in gold.glob("*.csv")}
        articles = {k: v for k, v in articles.items() if k in have}
    if split != "all":
        articles = {k: v for k, v in articles.items() if split_of(v.get("event", "")) == split}
    rows = [r for r in rows if r.get("source", "") in articles] if articles or index else rows
    return Corpus(rows, articles)


def published_of(row: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat((row.get("published") or "")[:10])
    except ValueError:
        return None


def by_group(pred: list[dict[str, str]], corpus: Corpus, column: str
             ) -> dict[str, Report]:
    """Scores per value of an article column (e.g. language), each over its own articles."""
    out: dict[str, Report] = {}
    values = sorted({a.get(column, "") for a in corpus.articles.values()})
    for v in values:
        ids = {k for k, a in corpus.articles.items() if a.get(column, "") == v}
        out[v or "?"] = score([p for p in pred if _id(p) in ids],
                              [g for g in corpus.gold if g.get("source") in ids])
    return out


def _id(row: dict[str, str]) -> str:
    return Path(row.get("source") or "").stem
