"""Evidence extraction throughput: articles per second and MB/s on one core.

The corpus is the five seed articles (../shared/seeds beside the repository) repeated. Each
article is extracted from scratch (no caching across articles); the gazetteer is loaded once
before timing, as a CLI run does once per call. Rates are per CPU-second of this process (one
core), so other work on the machine does not distort them; the wall-clock rate is shown too.
Prints the ratio to the 50 articles/s target and to a peer: dateparser's ``search_dates`` over
the same text (the off-the-shelf way to find only the dates).

    .venv/bin/python benchmarks/evidence_throughput.py [--repeat 40] [--peer-articles 20]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from pathlib import Path

from corridor.evidence import gazetteer
from corridor.evidence.extract import extract_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "seeds"
META = REPO / "tests" / "data" / "evidence" / "metadata.csv"
TARGET = 50.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=40, help="copies of the five seeds")
    ap.add_argument("--peer-articles", type=int, default=20, help="articles for the peer")
    args = ap.parse_args()
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        print(f"seed articles not found at {SEEDS.resolve()}", file=sys.stderr)
        return 2
    with open(META, encoding="utf-8") as fh:
        pub = {r["file"]: dt.date.fromisoformat(r["published"]) for r in csv.DictReader(fh)}
    docs = [(f.read_text(encoding="utf-8"), pub.get(f.name), f.name) for f in files]
    corpus = docs * args.repeat
    mb = sum(len(t.encode()) for t, _, _ in corpus) / 1e6

    t0 = time.perf_counter()
    gazetteer.load()
    load_s = time.perf_counter() - t0

    w0, c0 = time.perf_counter(), time.process_time()
    n_obs = sum(len(extract_text(t, published=p, source=s)) for t, p, s in corpus)
    wall, secs = time.perf_counter() - w0, time.process_time() - c0
    rate = len(corpus) / secs  # CPU time: robust when other processes share the machine

    import dateparser.search

    peer_docs = corpus[: args.peer_articles]
    c0 = time.process_time()
    for t, p, _ in peer_docs:
        settings = {"RELATIVE_BASE": dt.datetime.combine(p, dt.time())} if p else {}
        dateparser.search.search_dates(t, languages=["en", "es"], settings=settings)
    peer_rate = len(peer_docs) / (time.process_time() - c0)

    print(f"corpus: {len(corpus)} articles ({len(files)} seeds x {args.repeat}), {mb:.2f} MB")
    print(f"gazetteer load (once per call): {load_s * 1000:.0f} ms")
    print(f"extraction: {rate:.1f} articles/s, {mb / secs:.2f} MB/s per CPU-second (one core; "
          f"wall clock {len(corpus) / wall:.1f} articles/s), {n_obs} observations before the "
          "confidence filter")
    print(f"ratio to the {TARGET:.0f} articles/s target: {rate / TARGET:.2f}x")
    print(f"peer (dateparser.search_dates, dates only): {peer_rate:.1f} articles/s; "
          f"ours / peer = {rate / peer_rate:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
