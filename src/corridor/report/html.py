"""A self-contained ``report.html`` for a run: inline CSS, figures as inline SVG, no scripts.

The file opens offline and can be mailed around: nothing is fetched when it is viewed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from corridor._io import atomic_write_text
from corridor.analysis.compare import compare_runs
from corridor.analysis.observations import score_run, score_summary
from corridor.errors import RunError
from corridor.report import map as maps
from corridor.report import plots, tables
from corridor.report.data import RunData
from corridor.report.svg import Figure
from corridor.runs.markers import is_ensemble

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .25rem .6rem; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; }
table.headline td:last-child, table.compare td:not(:first-child) { text-align: right; }
table.observations q { color: #555; font-style: italic; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: #c62828; font-weight: 600; }
.na { color: #999; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .85rem; }
.note { color: #777; font-style: italic; }
"""


def write_report(
    run_dir: Path, out: Path | None = None, *, compare_dirs: Sequence[Path] = (),
    name: str | None = None,
) -> Path:
    """Render the report of ``run_dir`` (others in ``compare_dirs`` overlaid) and return its path.

    Written to a temporary name beside ``out`` (default ``run_dir/report.html``) and renamed.
    ``name`` is the run folder name shown (for a run still in its temporary folder).
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunError(f"{run_dir}: no such run folder")
    out = Path(out) if out is not None else run_dir / "report.html"
    if not out.parent.is_dir():
        raise RunError(f"{out.parent}: folder does not exist")
    runs = [RunData.load(run_dir, name=name)]
    ensembles = []
    for d in map(Path, compare_dirs):
        if not d.is_dir():
            raise RunError(f"{d}: no such run folder")
        if is_ensemble(d):  # an ensemble has no single time series: compared in a table only
            ensembles.append(d)
        else:
            runs.append(RunData.load(d))
    atomic_write_text(out, render_report(runs, ensembles))
    return out


def render_report(runs: Sequence[RunData], ensembles: Sequence[Path] = ()) -> str:
    """The whole HTML page of ``runs[0]``, with ``runs[1:]`` overlaid on the time series and
    ``ensembles`` (median, 5–95 %) compared in tables."""
    main = runs[0]
    parts = [_header(main, runs[1:]), "<h2>Headline</h2>", tables.headline_table(main)]
    others = [(r.path, r.name) for r in runs[1:]] + [(e, e.resolve().name) for e in ensembles]
    for path, name in others:
        table = compare_runs(main.path, path)
        parts += [
            f"<h3>{html.escape(main.name)} vs {html.escape(name)}</h3>",
            tables.compare_table(table, main.name, name),
        ]
    parts += [
        "<h2>Map</h2>",
        _figure(
            "network-map",
            lambda: maps.network_map_figure(main),
            "Places (dots, coloured by kind) and routes (lines). No country outlines: "
            "a plain latitude/longitude grid.",
        ),
        _figure(
            "people-map",
            lambda: maps.people_map_figure(main),
            "People per place on selected days (circle area ∝ people, same scale on "
            "every panel); stars mark caravan heads.",
        ),
        "<h2>Over time</h2>",
        _figure("people-per-place", lambda: plots.people_per_place_figure(runs),
                _overlay_note(runs)),
        _figure("people-per-status", lambda: plots.people_per_status_figure(runs),
                _overlay_note(runs)),
        "<h2>Caravans</h2>",
        _figure(
            "caravan-head",
            lambda: plots.caravan_head_figure(runs),
            "Simulated head (km travelled from the caravan's origin) against places where "
            "reports put the caravan, drawn at their route distance from the origin on the "
            "reported date. A marker on the line is a hit; hollow: the head never got there.",
            missing="No caravans in this run.",
        ),
        _figure(
            "caravan-size",
            lambda: plots.caravan_size_figure(runs),
            "Simulated caravan members against reported sizes.",
            missing="No caravans in this run.",
        ),
        "<h2>Observations</h2>",
        _observations(main),
    ]
    body = "\n".join(parts)
    title = html.escape(f"corridor report: {_scenario_name(main)}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _scenario_name(run: RunData) -> str:
    return str(run.scenario.get("name") or run.summary.get("scenario") or run.name)


def _header(run: RunData, others: Sequence[RunData]) -> str:
    sc, s = run.scenario, run.summary
    start = sc.get("start_date") or s.get("start_date")
    days = sc.get("days") or s.get("days")
    period = ""
    if start and days:
        first = start if isinstance(start, date) else date.fromisoformat(str(start))
        last = first + timedelta(days=int(days) - 1)
        period = f"{first:%Y-%m-%d} – {last:%Y-%m-%d} ({int(days)} days)"
    seed = sc.get("seed", s.get("seed", ""))
    meta = [f"run folder <code>{html.escape(run.name)}</code>"]
    if period:
        meta.append(f"period {html.escape(period)}")
    if seed != "":
        meta.append(f"seed {html.escape(str(seed))}")
    if sc.get("rules"):
        meta.append(f"rules {html.escape(str(sc['rules']))}")
    if others:
        meta.append(
            "compared with " + ", ".join(f"<code>{html.escape(o.name)}</code>" for o in others)
        )
    desc = sc.get("description", "")
    return (
        f"<h1>{html.escape(_scenario_name(run))}</h1>\n"
        + (f"<p>{html.escape(str(desc))}</p>\n" if desc else "")
        + f'<p class="meta">{" · ".join(meta)}</p>'
    )


def _overlay_note(runs: Sequence[RunData]) -> str:
    if len(runs) == 1:
        return ""
    styles = ", ".join(
        f"{r.name}: {plots.RUN_STYLES[i % len(plots.RUN_STYLES)]!r}" for i, r in enumerate(runs)
    )
    return f"Colour = series, line style = run ({styles})."


def _figure(name: str, build: Callable[[], Figure | None], caption: str,
            missing: str = "") -> str:
    """An embedded figure (inline SVG), or a short note when there is nothing to draw."""
    fig = build()
    if fig is None:
        return f'<p class="note">{html.escape(missing or "Nothing to draw.")}</p>'
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{fig.to_svg(caption or name, name=name)}{cap}</figure>"


def _observations(run: RunData) -> str:
    if run.observations.empty:
        return '<p class="note">The scenario has no observations.csv.</p>'
    scores = score_run(run.path, tables=run)
    summ = score_summary(scores)
    share = "" if summ["share_ok"] is None else f" ({summ['share_ok']:.0%})"
    lead = (
        f"<p>{summ['ok']} of {summ['scored']} scored observations are within the reported "
        f"range{share}; {summ['observations'] - summ['scored']} cannot be compared with this "
        "run. Caravan positions pass when the simulated head is within 30 km.</p>"
    )
    return lead + tables.observations_table(scores, run)
