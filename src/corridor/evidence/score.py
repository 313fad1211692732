"""Score extracted observations against a gold annotation: precision, recall, F1 per kind.

A predicted row matches a gold row when: same kind (``returned`` = ``deported``, ``encounters`` =
``apprehended``), same article (when both name one), same place (same ``place_id`` when both have
one, else the same folded name), dates within ±1 day, and overlapping low–high ranges (rows with
no number match on the other fields). Matching is one-to-one, closest dates first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from corridor.evidence.kinds import KIND_ALIASES
from corridor.evidence.text import fold_name


@dataclass
class KindScore:
    """Counts for one kind (or overall)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores per kind and overall, with the rows that did not match."""

    per_kind: dict[str, KindScore] = field(default_factory=dict)
    overall: KindScore = field(default_factory=KindScore)
    misses: list[dict[str, str]] = field(default_factory=list)
    false_hits: list[dict[str, str]] = field(default_factory=list)
    matches: list[tuple[dict[str, str], dict[str, str]]] = field(default_factory=list)


def kind_of(row: dict[str, str]) -> str:
    k = (row.get("kind") or "").strip()
    return KIND_ALIASES.get(k, k)


def _date(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((s or "").strip()[:10])
    except ValueError:
        return None


def _num(s: object) -> float | None:
    try:
        v = float(str(s).replace(",", ""))
    except (TypeError, ValueError):
        return None
    return v


def _article(row: dict[str, str]) -> str:
    src = (row.get("source") or "").strip()
    return PurePath(src).stem if src else ""


def same_place(a: dict[str, str], b: dict[str, str]) -> bool:
    """Same place id when both have one, else the same folded name (both empty counts)."""
    ia, ib = (a.get("place_id") or "").strip(), (b.get("place_id") or "").strip()
    if ia and ib:
        return ia == ib
    na = fold_name(a.get("place") or "")
    nb = fold_name(b.get("place") or "")
    return na == nb or (bool(ia or ib) and fold_name(ia or ib) in (na, nb))


def date_gap(a: dict[str, str], b: dict[str, str]) -> int | None:
    """Days between the two rows' dates (0 when both are empty, None when only one is)."""
    da, db = _date(a.get("date")), _date(b.get("date"))
    if da is None and db is None:
        return 0
    if da is None or db is None:
        return None
    return abs((da - db).days)


def ranges_overlap(a: dict[str, str], b: dict[str, str]) -> bool:
    la, ha = _num(a.get("low")), _num(a.get("high"))
    lb, hb = _num(b.get("low")), _num(b.get("high"))
    la, ha = (la if la is not None else ha), (ha if ha is not None else la)
    lb, hb = (lb if lb is not None else hb), (hb if hb is not None else lb)
    if la is None or lb is None or ha is None or hb is None:
        return True
    return la <= hb and lb <= ha


# Kinds that describe the same fact from different angles; a prediction matches a gold row of
# its group. "The caravan is at P on D": a position, an arrival, a halt or a size placed at P.
KIND_GROUPS: dict[str, str] = {
    "position": "presence", "arrived": "presence", "halted": "presence",
    "caravan_size": "presence", "size": "presence",
    "dispersed": "ended", "transported": "ended",
    "deported": "returned", "returned": "returned",
    "apprehended": "apprehended", "encounters": "apprehended",
}


def group_of(row: dict[str, str]) -> str:
    """The kind group of a row (its kind when the kind is in no group)."""
    k = (row.get("kind") or "").strip()
    return KIND_GROUPS.get(k, kind_of(row))


def matches(pred: dict[str, str], gold: dict[str, str]) -> int | None:
    """The date gap when ``pred`` matches ``gold``, else None."""
    if group_of(pred) != group_of(gold):
        return None
    ap, ag = _article(pred), _article(gold)
    if ap and ag and ap != ag:
        return None
    if not same_place(pred, gold) or not ranges_overlap(pred, gold):
        return None
    gap = date_gap(pred, gold)
    return gap if gap is not None and gap <= 1 else None


def score(pred: list[dict[str, str]], gold: list[dict[str, str]]) -> Report:
    """Match predictions to gold one-to-one and count per kind."""
    pairs = []
    by_article: dict[str, list[int]] = defaultdict(list)
    for j, g in enumerate(gold):
        by_article[_article(g)].append(j)
    for i, p in enumerate(pred):
        ap = _article(p)
        cands = range(len(gold)) if not ap or "" in by_article else by_article.get(ap, [])
        for j in cands:
            g = gold[j]
            gap = matches(p, g)
            if gap is not None:
                # closest dates first, then the same kind (not only the same group)
                pairs.append((gap, kind_of(p) != kind_of(g), i, j))
    pairs.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    rep = Report()
    for _, _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        rep.matches.append((pred[i], gold[j]))
    per: dict[str, KindScore] = defaultdict(KindScore)
    for _, g in rep.matches:
        per[kind_of(g)].tp += 1  # a hit counts for the gold row's kind
    for i, p in enumerate(pred):
        if i not in used_p:
            per[kind_of(p)].fp += 1
            rep.false_hits.append(p)
    for j, g in enumerate(gold):
        if j not in used_g:
            per[kind_of(g)].fn += 1
            rep.misses.append(g)
    rep.per_kind = dict(sorted(per.items()))
    for k in rep.per_kind.values():
        rep.overall.tp += k.tp
        rep.overall.fp += k.fp
        rep.overall.fn += k.fn
    return rep


def group_score(report: Report, kinds: set[str]) -> KindScore:
    """Counts summed over a group of kinds (e.g. detained + deported)."""
    out = KindScore()
    for k, s in report.per_kind.items():
        if k in kinds:
            out.tp += s.tp
            out.fp += s.fp
            out.fn += s.fn
    return out


@dataclass(frozen=True)
class Interval:
    """A bootstrap interval (5th and 95th percentiles) of precision, recall and F1."""

    precision: tuple[float, float]
    recall: tuple[float, float]
    f1: tuple[float, float]
    resamples: int
    articles: int


def bootstrap(report: Report, articles: list[str], resamples: int = 2000,
              seed: int = 0) -> Interval:
    """Resample the scored articles with replacement and re-sum their hits, false hits and
    misses: how far P, R and F1 would move on another sample of articles like these. Articles
    are the unit because facts within one article are not independent (one misread place
    costs several rows). The interval is wide on a few dozen articles; that is the point."""
    import numpy as np

    index = {a: i for i, a in enumerate(articles)}
    counts = np.zeros((len(articles), 3))
    for column, rows in ((0, [g for _, g in report.matches]), (1, report.false_hits),
                         (2, report.misses)):
        for row in rows:
            i = index.get(_article(row))
            if i is not None:
                counts[i, column] += 1
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(articles), size=(resamples, len(articles)))
    tp, fp, fn = (counts[:, k][picks].sum(axis=1) for k in range(3))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 1.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 1.0)
        f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)

    def band(x: np.ndarray) -> tuple[float, float]:
        return float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95))

    return Interval(band(p), band(r), band(f), resamples, len(articles))
