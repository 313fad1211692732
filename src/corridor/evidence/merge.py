"""One fact, many reports: merge observations from several articles, and write the caravan
timeline format (docs/evidence.md, "Merging" and "Timeline output").

Two rows are the same fact when they have the same kind, the same place id and dates at most one
day apart (a chain of such rows is one fact), whatever their numbers say: reports that disagree
("about 3,000" in one outlet, "more than 5,000" in another) become one row whose range runs from
the lowest low to the highest high, with the sources of each end named (``low_sources``,
``high_sources``). A report without a number still counts as a source of the fact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from corridor.evidence.text import fold_name

MERGED_COLUMNS = [
    "date", "date_first", "date_last", "place", "place_id", "lat", "lon", "country", "kind",
    "low", "high", "unit", "caravan", "n_sources", "sources", "low_sources", "high_sources",
    "urls", "quote", "confidence",
]
TIMELINE_COLUMNS = ["caravan", "date", "place", "place_name", "lat", "lon", "kind", "low",
                    "high", "source", "url", "published", "note"]
# extractor kind -> timeline kind (docs/caravans timeline format); other kinds are not timeline
# facts (counts of encounters, troops, closures …) and are left out, with a count.
TIMELINE_KIND = {
    "departed": "departed", "position": "position", "halted": "halted",
    "dispersed": "dispersed", "transported": "transported", "arrived": "arrived",
    "caravan_size": "size", "size": "size", "detained": "detained", "deported": "returned",
    "returned": "returned", "permits_issued": "permits_issued",
}


def _num(v: object) -> float | None:
    try:
        s = str(v).strip()
        return float(s) if s else None
    except ValueError:
        return None


def _day(v: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def source_name(row: dict[str, str]) -> str:
    """How a report is named: its outlet, else its file."""
    return (row.get("outlet") or "").strip() or (row.get("source") or "").strip()


def merge(rows: Iterable[dict[str, str]]) -> list[dict[str, object]]:
    """Merged facts (see module doc), sorted by date, place and kind. Rows without a date or a
    place id cannot be matched and are kept alone."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    alone: list[list[dict[str, str]]] = []
    for r in rows:
        if _day(r.get("date")) is None or not (r.get("place_id") or "").strip():
            alone.append([r])
            continue
        groups[(r.get("kind", ""), r["place_id"])].append(r)
    clusters: list[list[dict[str, str]]] = []
    for members in groups.values():
        members.sort(key=lambda r: r["date"])
        current: list[dict[str, str]] = []
        last: dt.date | None = None
        for r in members:
            d = _day(r["date"])
            if current and last is not None and d is not None and (d - last).days > 1:
                clusters.append(current)
                current = []
            current.append(r)
            last = d
        if current:
            clusters.append(current)
    out = [_fact(c) for c in clusters + alone]
    out.sort(key=lambda f: (str(f["date"]), str(f["place_id"]), str(f["kind"])))
    return out


def _fact(rows: list[dict[str, str]]) -> dict[str, object]:
    first = rows[0]
    days = sorted(d for r in rows if (d := _day(r.get("date"))) is not None)
    # the day most reports give (the earliest of the most common)
    counts: dict[dt.date, int] = defaultdict(int)
    for d in days:
        counts[d] += 1
    day = min(counts, key=lambda d: (-counts[d], d)) if counts else None
    numbered = [(r, lo, hi) for r in rows if (lo := _num(r.get("low"))) is not None
                and (hi := _num(r.get("high"))) is not None]
    sources = list(dict.fromkeys(source_name(r) for r in rows if source_name(r)))
    fact: dict[str, object] = {
        "date": day.isoformat() if day else first.get("date", ""),
        "date_first": days[0].isoformat() if days else "",
        "date_last": days[-1].isoformat() if days else "",
        "place": first.get("place", ""), "place_id": first.get("place_id", ""),
        "lat": first.get("lat", ""), "lon": first.get("lon", ""),
        "country": first.get("country", ""), "kind": first.get("kind", ""),
        "low": "", "high": "", "unit": first.get("unit", ""),
        "caravan": next((r["caravan"] for r in rows if r.get("caravan")), ""),
        "n_sources": len(sources), "sources": "; ".join(sources),
        "low_sources": "", "high_sources": "",
        "urls": " ".join(dict.fromkeys(r["url"] for r in rows if r.get("url"))),
        "quote": first.get("quote", ""),
        "confidence": max((_num(r.get("confidence")) or 0.0) for r in rows),
    }
    if numbered:
        low = min(lo for _, lo, _ in numbered)
        high = max(hi for _, _, hi in numbered)
        fact["low"], fact["high"] = _int(low), _int(high)
        fact["low_sources"] = "; ".join(dict.fromkeys(
            source_name(r) for r, lo, _ in numbered if lo == low))
        fact["high_sources"] = "; ".join(dict.fromkeys(
            source_name(r) for r, _, hi in numbered if hi == high))
    return fact


def _int(v: float) -> object:
    return int(v) if v == int(v) else v


def slug(name: str) -> str:
    """A timeline place id from a name: lowercase ascii words joined by '-'."""
    return re.sub(r"\s+", "-", fold_name(name)).strip("-")


def to_timeline(rows: Iterable[dict[str, str]], caravan: str = ""
                ) -> tuple[list[dict[str, object]], int]:
    """Rows in the caravan timeline format, sorted by caravan and date, and how many rows had
    a kind the timeline does not take. One row per report (the format keeps disagreeing
    reports as separate rows); the note is generated, never a quote."""
    out: list[dict[str, object]] = []
    skipped = 0
    for r in rows:
        kind = TIMELINE_KIND.get((r.get("kind") or "").strip())
        if kind is None or not r.get("date"):
            skipped += 1
            continue
        pid = (r.get("place_id") or "").strip()
        place_name = (r.get("place") or "").strip()
        if pid.startswith(("geonames:", "country:", "admin1:", "region:", "corridor:")):
            pid = slug(place_name) or slug(pid.split(":", 1)[1])
        src = source_name(r)
        lo, hi = _num(r.get("low")), _num(r.get("high"))
        how = "with a count" if lo is not None else "no count given"
        out.append({
            "caravan": r.get("caravan") or caravan, "date": r["date"], "place": pid,
            "place_name": place_name, "lat": r.get("lat", ""), "lon": r.get("lon", ""),
            "kind": kind, "low": "" if lo is None else _int(lo),
            "high": "" if hi is None else _int(hi), "source": src, "url": r.get("url", ""),
            "published": r.get("published", ""),
            "note": f"extracted by corridor evidence: {kind} at {place_name or pid} ({how})",
        })
    out.sort(key=lambda t: (str(t["caravan"]), str(t["date"]), str(t["place"]),
                            str(t["kind"])))
    return out, skipped
