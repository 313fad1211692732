"""Fit the evidence confidence model (corridor/evidence/confidence.py) on the DEV split only.

Extracts every DEV article of the news corpus (texts kept outside the repository) with the
publication date from the index, keeps every row whatever its rule score, labels a row 1 when it
matches a gold row (the scorer's one-to-one matching), and fits an L2-regularised logistic
regression (Newton's method, numpy only) on confidence.features. The threshold is chosen on
out-of-fold probabilities, folds by event (leave one caravan/event out), so the DEV figures
printed are not the fitted rows scoring themselves. Prints the coefficients to paste into
confidence.py and precision/recall/F1 at a few thresholds.

    .venv/bin/python benchmarks/fit_evidence_confidence.py --articles TEXTS [--l2 1.0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import numpy as np

from corridor.evidence import confidence
from corridor.evidence.corpus import load, published_of
from corridor.evidence.pipeline import extract_files
from corridor.evidence.score import score

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO / "tests" / "data" / "evidence" / "news"


def fit(x: np.ndarray, y: np.ndarray, l2: float, iters: int = 50) -> np.ndarray:
    """Weights (intercept first) of an L2-penalised logistic regression (intercept unpenalised)."""
    a = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(a.shape[1])
    pen = np.full(a.shape[1], l2)
    pen[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + pen * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(pen) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(w[0] + x @ w[1:], -30, 30)))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, required=True)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--target-precision", type=float, default=0.8)
    ap.add_argument("--drop", default="", help="comma-separated features left out (weight 0)")
    args = ap.parse_args()
    confidence.COEFFICIENTS = None  # fit on the rule scores, whatever is shipped
    corpus = load(NEWS / "gold", NEWS / "articles.csv", "dev")
    files = [f for f in sorted(args.articles.glob("*.txt")) if f.stem in corpus.articles]
    by_file = {f.name: d for f in files
               if (d := published_of(corpus.articles[f.stem])) is not None}
    obs, _, _ = extract_files(files, published_by_file=by_file, min_confidence=0.0)
    rows = [{k: ("" if v is None else str(v)) for k, v in o.row().items()} for o in obs]
    found = {f.stem for f in files}
    gold = [g for g in corpus.gold if g["source"] in found]
    rep = score(rows, gold)
    hit = {id(p) for p, _ in rep.matches}
    y = np.array([1.0 if id(r) in hit else 0.0 for r in rows])
    crowd: list[int] = []
    by_source: dict[str, list[int]] = {}
    for i, o in enumerate(obs):
        by_source.setdefault(o.source, []).append(i)
    crowd = [0] * len(obs)
    for idx in by_source.values():
        for i, c in zip(idx, confidence.crowding([obs[i] for i in idx]), strict=True):
            crowd[i] = c
    x = np.array([confidence.features(o, c) for o, c in zip(obs, crowd, strict=True)])
    dropped = {d for d in args.drop.split(",") if d}
    unknown = dropped - set(confidence.FEATURES)
    if unknown:
        raise SystemExit(f"error: unknown features {sorted(unknown)}")
    for j, n in enumerate(confidence.FEATURES):
        if n in dropped:
            x[:, j] = 0.0
    event = np.array([corpus.articles[Path(o.source).stem]["event"] for o in obs])
    oof = np.zeros(len(y))
    for ev in sorted(set(event)):
        test = event == ev
        w = fit(x[~test], y[~test], args.l2)
        oof[test] = predict(w, x[test])
    w = fit(x, y, args.l2)
    n_gold = len(gold)
    print(f"DEV: {len(files)} articles, {n_gold} gold rows, {len(rows)} rows at any score, "
          f"{int(y.sum())} of them match; load {os.getloadavg()}")
    rule = np.array([o.rule_confidence for o in obs])
    print("threshold | rule score P R F1 | model (out of fold, by event) P R F1")
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        cells = []
        for s in (rule, oof):
            keep = s >= t
            tp = int(y[keep].sum())  # one-to-one matches kept
            cells.append(prf(tp, int(keep.sum()) - tp, n_gold - tp))
        print(f"{t:.1f} | " + " | ".join(f"{p:.2f} {r:.2f} {f:.2f}" for p, r, f in cells))
    best_f1 = max((prf(int(y[oof >= t].sum()), int((oof >= t).sum()) - int(y[oof >= t].sum()),
                       n_gold - int(y[oof >= t].sum()))[2], t)
                  for t in np.arange(0.05, 0.95, 0.01))
    ok = [t for t in np.arange(0.05, 0.99, 0.01)
          if (oof >= t).sum() >= 10 and y[oof >= t].mean() >= args.target_precision]
    print(f"F1-best threshold (out of fold): {best_f1[1]:.2f} (F1 {best_f1[0]:.2f}); lowest "
          f"threshold with precision >= {args.target_precision}: "
          f"{(f'{ok[0]:.2f}' if ok else 'none')}")
    print(f"\n# fitted on the DEV split ({len(files)} articles, {len(rows)} rows), "
          f"{dt.date.today().isoformat()}, l2 {args.l2}, left out: {sorted(dropped) or 'none'}")
    print(f"INTERCEPT = {w[0]:.4f}")
    print("COEFFICIENTS = {")
    for n, v in zip(confidence.FEATURES, w[1:], strict=True):
        print(f'    "{n}": {v:.4f},')
    print("}")


if __name__ == "__main__":
    main()
