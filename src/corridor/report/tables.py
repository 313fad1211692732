"""HTML tables of a report; every value is escaped, links only to sources the reader may follow."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import pandas as pd

from corridor.formats import format_range, format_value
from corridor.report.data import RunData


def html_table(header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table from already-escaped cell HTML (header cells are escaped here)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    cls_attr = f' class="{html.escape(cls)}"' if cls else ""
    return f"<table{cls_attr}><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def esc(value: Any) -> str:
    """Escaped text of a cell; NA becomes empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def num(value: Any, digits: int = 0) -> str:
    """A number with thousands separators, empty for NA."""
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.{digits}f}"


def headline_table(run: RunData) -> str:
    """The run's headline figures from summary.json, as a two-column table."""
    s = run.summary
    rows: list[tuple[str, str]] = []
    for key, label in [
        ("people_spawned", "people spawned"),
        ("agents", "agents"),
        ("days", "days simulated"),
        ("runtime_s", "runtime (s)"),
    ]:
        if key in s:
            rows.append((label, num(s[key], 1 if key == "runtime_s" else 0)))
    for status, n in sorted(s.get("people_per_status_end", {}).items(), key=lambda kv: -kv[1]):
        rows.append((f"at the end: {status}", num(n)))
    start = pd.Timestamp(s["start_date"]) if s.get("start_date") else None
    for dest, day in s.get("first_arrival_day", {}).items():
        when = "never" if day is None else f"day {day}"
        if day is not None and start is not None:
            when += f" ({start + timedelta(days=int(day)):%Y-%m-%d})"
        rows.append((f"first arrival at {run.place_name(dest)}", when))
    per_place = sorted(s.get("people_per_place_end", {}).items(), key=lambda kv: -kv[1])[:10]
    for place, n in per_place:
        rows.append((f"at the end in {run.place_name(place)}", num(n)))
    return html_table(["figure", "value"], ((esc(a), b) for a, b in rows), cls="headline")


def _source_cell(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return f'<a href="{html.escape(source, quote=True)}">{html.escape(source)}</a>'
    return esc(source)


def observations_table(scores: pd.DataFrame, run: RunData) -> str:
    """Observations with the simulated value and whether it falls within the reported range."""
    header = [
        "date",
        "place",
        "kind",
        "reported",
        "simulated",
        "head km",
        "within range?",
        "note",
        "quote",
        "source",
    ]
    rows = []
    for _, r in scores.iterrows():
        if pd.isna(r["ok"]):
            ok = '<span class="na">–</span>'
        else:
            ok = '<span class="ok">yes</span>' if r["ok"] else '<span class="bad">no</span>'
        rows.append(
            [
                f"{r['date']:%Y-%m-%d}",
                esc(run.place_name(r["place"]) if r["place"] else "(all)"),
                esc(r["kind"]),
                esc(format_range(r["low"], r["high"])),
                num(r["simulated"]),
                num(r["distance_km"]),
                ok,
                esc(r["note"]),
                f"<q>{esc(r['quote'])}</q>" if r["quote"] else "",
                _source_cell(str(r["source"] or "")),
            ]
        )
    return html_table(header, rows, cls="observations")


def compare_table(table: pd.DataFrame, name_a: str, name_b: str) -> str:
    """A compare_runs() table: a, b, b - a and the % difference per metric."""
    rows = []
    for _, r in table.iterrows():
        pct = "" if pd.isna(r["pct_diff"]) else f"{r['pct_diff']:+.1f} %"
        diff = "" if pd.isna(r["diff"]) else f"{r['diff']:+,.0f}"
        rows.append(
            [
                esc(r["metric"]),
                esc(format_value(r["a"], r["a_low"], r["a_high"])),
                esc(format_value(r["b"], r["b_low"], r["b_high"])),
                diff,
                pct,
            ]
        )
    return html_table(["metric", name_a, name_b, "difference", "%"], rows, cls="compare")
