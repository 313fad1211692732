"""`corridor evidence`: extract observations from articles, and score them against a gold file.

Mount in the main CLI with ``app.add_typer(evidence_app, name="evidence")`` where
``from corridor.evidence.cli import app as evidence_app``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from corridor.errors import CorridorError
from corridor.evidence.extract import COLUMNS
from corridor.evidence.io import (
    DEFAULT_MAX_MB,
    EvidenceError,
    collect,
    published_map,
    read_csv,
    write_csv,
)
from corridor.evidence.merge import MERGED_COLUMNS, TIMELINE_COLUMNS, merge, to_timeline
from corridor.evidence.pipeline import extract_files, load_caravans
from corridor.evidence.scenario import append as append_rows
from corridor.evidence.scenario import load_places
from corridor.evidence.score import group_score, score

app = typer.Typer(help="Dated, placed observations from news articles (English and Spanish).",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _fail(message: str) -> None:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(2)


def _model(confidence: str) -> bool:
    from corridor.evidence.confidence import SCORES

    if confidence not in SCORES:
        _fail(f"--confidence: {confidence!r} is not one of {', '.join(SCORES)}")
    return confidence == "dev-model"


@app.command()
def extract(
    articles: list[Path] = typer.Argument(..., help="Text or HTML files, or folders of them."),
    scenario: Path | None = typer.Option(None, "--scenario", help="Scenario folder: match "
                                         "places to its places.csv."),
    out_path: Path | None = typer.Option(None, "--out", help="Write observations to this CSV "
                                         "(default: standard output)."),
    append: bool = typer.Option(False, "--append", help="Add new observations to the "
                                "scenario's observations.csv (needs --scenario)."),
    published: str | None = typer.Option(None, "--published", help="Publication date for "
                                         "files that carry none (YYYY-MM-DD), or a CSV with "
                                         "columns file,published."),
    min_confidence: float = typer.Option(0.5, "--min-confidence", min=0.0, max=1.0,
                                         help="Leave out observations below this confidence."),
    max_mb: float = typer.Option(DEFAULT_MAX_MB, "--max-mb", min=0.001,
                                 help="Skip articles larger than this (MB)."),
    as_: str = typer.Option("csv", "--as", help="csv (observations) or timeline (the "
                            "caravan timeline format)."),
    merge_reports: bool = typer.Option(False, "--merge", help="One row per fact reported by "
                                       "several articles, with every source (csv output)."),
    caravan: str = typer.Option("", "--caravan", help="Caravan id (YYYY-MM) for every "
                                "article (default: resolved per article)."),
    confidence: str = typer.Option("rules", "--confidence", help="rules (the rule score) or "
                                   "dev-model (fitted on the news DEV split; precision ≈ 0.8 "
                                   "there at --min-confidence 0.68, see docs/evidence.md)."),
) -> None:
    """Extract dated, geolocated, quoted observations from ARTICLES."""
    try:
        _extract(articles, scenario, out_path, append, published, min_confidence, max_mb,
                 as_, merge_reports, caravan, _model(confidence))
    except CorridorError as exc:
        _fail(str(exc))


def _extract(articles: list[Path], scenario: Path | None, out_path: Path | None, append: bool,
             published: str | None, min_confidence: float, max_mb: float, as_: str = "csv",
             merge_reports: bool = False, caravan: str = "", model: bool = False) -> None:
    if as_ not in ("csv", "timeline"):
        raise EvidenceError(f"--as: {as_!r} is not csv or timeline")
    if merge_reports and as_ == "timeline":
        raise EvidenceError("--merge and --as timeline: the timeline keeps one row per report "
                            "(use one or the other)")
    if caravan and not re.fullmatch(r"\d{4}-\d{2}[a-z]?", caravan):
        raise EvidenceError(f"--caravan: {caravan!r} is not a caravan id (YYYY-MM)")
    if append and scenario is None:
        raise EvidenceError("--append needs --scenario FOLDER")
    _check_outputs(articles, scenario, out_path, append)
    missing = [str(p) for p in articles if not p.exists()]
    for m in missing:
        err.print(f"{m}: no such file or folder", markup=False)
    files = collect([p for p in articles if p.exists()])
    if not files:
        raise EvidenceError("no article could be read" + (" (no files found)" if not missing
                                                          else ""))
    pub, by_file = published_map(published)
    index = load_places(scenario) if scenario is not None else None
    obs, reports, dropped = extract_files(files, published=pub, published_by_file=by_file,
                                          scenario=index, min_confidence=min_confidence,
                                          max_mb=max_mb, caravan=caravan,
                                          caravans=load_caravans(), confidence_model=model)
    for r in reports:
        line = f"{r.path}: {r.message}" + "".join(f"; {n}" for n in r.notes)
        err.print(("" if r.ok else "skipped: ") + line, markup=False)
    if dropped:
        err.print(f"{dropped} numbers left out: confidence below {min_confidence:g} "
                  "(--min-confidence 0 keeps them) or no resolvable date", markup=False)
    if not any(r.ok for r in reports):
        raise EvidenceError("no article could be read")
    rows = [o.row() for o in obs]
    if append and scenario is not None and index is not None:
        ids = {r["id"] for r in index.rows}
        new, dupes, outside = append_rows(scenario, obs, ids)
        err.print(f"{scenario / 'observations.csv'}: {len(new)} new observations appended, "
                  f"{dupes} already there, {len(outside)} not appended (place not in the "
                  "scenario)", markup=False)
        _table([{**r, "place_id": r["place"], "place": r["place_name"]} for r in new],
               "Appended observations")
    columns = COLUMNS
    what = "observations"
    if as_ == "timeline":
        rows, skipped = to_timeline([_strings(r) for r in rows], caravan)
        columns, what = TIMELINE_COLUMNS, "timeline rows"
        if skipped:
            err.print(f"{skipped} observations of kinds the timeline does not take "
                      "(encounters, troops, closures …) left out", markup=False)
    elif merge_reports:
        before = len(rows)
        rows = merge([_strings(r) for r in rows])
        columns, what = MERGED_COLUMNS, "merged facts"
        err.print(f"{before} observations merged into {len(rows)} facts", markup=False)
    if out_path is not None:
        write_csv(out_path, rows, columns)
        err.print(f"{len(rows)} {what} written to {out_path}", markup=False)
        _table(rows, what.capitalize())
    elif not append:
        sys.stdout.write(write_csv(None, rows, columns))


def _strings(row: dict[str, object]) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in row.items()}


def _header(path: Path) -> list[str]:
    """Column names of a CSV that has no data rows (its first line)."""
    import csv

    first = _first_line(path)
    return [c.strip() for c in next(csv.reader([first]), [])]


def _first_line(path: Path) -> str:
    """The first line of a text file (empty when the file is empty)."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            return fh.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvidenceError(f"{path}: cannot read ({exc})") from None


@app.command("merge")
def merge_cmd(
    inputs: list[Path] = typer.Argument(..., help="Observation CSVs (from extract), or folders "
                                        "of them."),
    out_path: Path | None = typer.Option(None, "--out", help="Write to this CSV (default: "
                                         "standard output)."),
    as_: str = typer.Option("csv", "--as", help="csv (merged facts) or timeline."),
    caravan: str = typer.Option("", "--caravan", help="Caravan id for rows that have none."),
) -> None:
    """One row per fact reported by several articles: every source listed, disagreeing
    numbers kept as a range with the sources of each end."""
    try:
        if as_ not in ("csv", "timeline"):
            raise EvidenceError(f"--as: {as_!r} is not csv or timeline")
        rows: list[dict[str, str]] = []
        for p in inputs:
            files = sorted(p.glob("*.csv")) if p.is_dir() else [p]
            if not files:  # merging nothing is a mistake in the path, not an empty result
                raise EvidenceError(f"{p}: no observation CSVs (*.csv) in this folder")
            for f in files:
                if not f.is_file():
                    raise EvidenceError(f"{f}: no such file")
                got = read_csv(f)
                if not {"date", "kind", "place_id"} <= set(got[0] if got else _header(f)):
                    raise EvidenceError(f"{f}: needs columns date, kind, place_id (an "
                                        "extract output)")
                rows.extend(got)
        if out_path is not None:
            from corridor.runs.claim import check_out_file

            check_out_file(out_path, inputs=list(inputs))
        if as_ == "timeline":
            result, _ = to_timeline(rows, caravan)  # the timeline keeps one row per report
            columns = TIMELINE_COLUMNS
        else:
            result = merge(rows)
            columns = MERGED_COLUMNS
        if out_path is not None:
            write_csv(out_path, result, columns)
            err.print(f"{len(rows)} observations → {len(result)} rows written to {out_path}",
                      markup=False)
        else:
            sys.stdout.write(write_csv(None, result, columns))
    except CorridorError as exc:
        _fail(str(exc))



def _check_outputs(articles: list[Path], scenario: Path | None, out_path: Path | None,
                   append: bool) -> None:
    """Refuse, before reading anything, an --out that would overwrite an input (an article,
    a scenario file) or cannot be written, and an --append target that is not a plain file
    (see corridor.runs.claim for the rules shared by every command)."""
    from corridor.runs.claim import check_out_file

    inputs = [*articles, *([scenario] if scenario is not None else [])]
    if out_path is not None:
        check_out_file(out_path, inputs=inputs)
    if append and scenario is not None:
        target = scenario / "observations.csv"
        check_out_file(target, inputs=articles)


def _table(rows: list[dict[str, object]], title: str) -> None:
    if not rows:
        return
    t = Table(title=title, show_lines=False)
    for c in ("date", "place", "kind", "low", "high", "confidence", "quote"):
        t.add_column(c, overflow="fold", max_width=60 if c == "quote" else None)
    for r in rows:
        quote = str(r.get("quote", ""))
        t.add_row(*(str(r.get(c, "")) for c in ("date", "place", "kind", "low", "high",
                                                 "confidence")),
                  quote[:120] + ("…" if len(quote) > 120 else ""))
    out.print(t)


@app.command("score")
def score_cmd(
    paths: list[Path] = typer.Argument(..., help="PRED GOLD: extracted observations (CSV or "
                                       "folder of CSVs) and the gold (CSV, or a folder of "
                                       "<article id>.csv). With --articles, only GOLD."),
    articles: Path | None = typer.Option(None, "--articles", help="Extract from this folder "
                                         "of article texts (<id>.txt/.html) instead of PRED."),
    index: Path | None = typer.Option(None, "--index", help="articles.csv of the corpus (id, "
                                      "language, event, published): per-language tables and "
                                      "--split."),
    split: str = typer.Option("all", "--split", help="dev, test or all (by event; see "
                              "docs/evidence.md)."),
    published_from_index: bool = typer.Option(False, "--published-from-index", help="Hand each "
                                              "article its publication date from --index "
                                              "(default: read from the article)."),
    min_confidence: float = typer.Option(0.5, "--min-confidence", min=0.0, max=1.0),
    details: bool = typer.Option(True, "--details/--no-details", help="List misses and false "
                                 "hits."),
    confidence: str = typer.Option("rules", "--confidence", help="rules or dev-model (as for "
                                   "extract)."),
    only_found: bool = typer.Option(False, "--only-found", help="With --articles: score only "
                                    "the articles whose text is in the folder (default: the "
                                    "gold of a missing text counts as missed)."),
    bootstrap: int = typer.Option(0, "--bootstrap", min=0, help="Resample the scored "
                                  "articles this many times and print a 5-95 % interval for "
                                  "overall P, R and F1 (0: none)."),
) -> None:
    """Precision, recall and F1 per kind, per language and overall; lists misses and false
    hits. Matching: same article, kind group, place, date ± 1 day, overlapping numbers."""
    try:
        _score(paths, articles, index, split, published_from_index, min_confidence, details,
               _model(confidence), only_found, bootstrap)
    except CorridorError as exc:
        _fail(str(exc))


def _score(paths: list[Path], articles: Path | None, index: Path | None, split: str,
           published_from_index: bool, min_confidence: float, details: bool,
           model: bool = False, only_found: bool = False, resamples: int = 0) -> None:
    from corridor.evidence.corpus import by_group, load, published_of, read_gold

    if split not in ("dev", "test", "all"):
        raise EvidenceError(f"--split: {split!r} is not dev, test or all")
    want = 1 if articles is not None else 2
    if len(paths) != want:
        raise EvidenceError("give PRED GOLD, or GOLD with --articles FOLDER")
    gold_path = paths[-1]
    for p in paths:
        if not p.exists():
            raise EvidenceError(f"{p}: no such file")
    if index is not None and not index.is_file():
        raise EvidenceError(f"--index: {index}: no such file")
    if split != "all" and index is None:
        raise EvidenceError("--split needs --index articles.csv (the split is by event)")
    if articles is not None and not articles.is_dir():
        raise EvidenceError(f"--articles: {articles} is not a folder")
    if gold_path.is_dir() and not any(gold_path.glob("*.csv")):
        raise EvidenceError(f"{gold_path}: no gold files (<article id>.csv) in this folder")
    corpus = load(gold_path, index, split)
    for what, rows in (("gold", corpus.gold),):
        columns = set(rows[0]) if rows else set(_header(gold_path)) if gold_path.is_file() else None
        if columns is not None and not {"date", "kind"} <= columns:
            raise EvidenceError(f"{gold_path}: {what} needs columns date, kind, place "
                                "(or place_id), low, high")
    if index is not None and corpus.articles == {} and split == "all":
        raise EvidenceError(f"--index: {index}: no article of the gold is listed (needs "
                            "columns id, language, event)")
    if articles is not None:
        if not articles.is_dir():
            raise EvidenceError(f"--articles: {articles} is not a folder")
        ids = set(corpus.articles)
        files = [f for f in collect([articles]) if f.stem in ids]
        by_file = {}
        if published_from_index:
            by_file = {f.name: d for f in files
                       if (d := published_of(corpus.articles.get(f.stem, {}))) is not None}
        obs, _, _ = extract_files(files, published_by_file=by_file,
                                  min_confidence=min_confidence, confidence_model=model)
        pred = [{k: ("" if v is None else str(v)) for k, v in o.row().items()} for o in obs]
        err.print(f"{len(files)} articles of {len(ids)} in the split found in {articles}"
                  + ("; only those are scored" if only_found and len(files) < len(ids) else ""),
                  markup=False)
        if only_found:
            found = {f.stem for f in files}
            corpus.articles = {k: v for k, v in corpus.articles.items() if k in found}
            corpus.gold = [g for g in corpus.gold if g.get("source") in found]
    else:
        pred = read_gold(paths[0])
        if corpus.articles:
            pred = [p for p in pred if Path(p.get("source") or "").stem in corpus.articles]
    rep = score(pred, corpus.gold)
    _score_table(rep, f"Evidence score ({split}: {len(corpus.articles) or '?'} articles, "
                 f"{len(corpus.gold)} gold rows)")
    if index is not None:
        t = Table(title="Per language")
        for c in ("language", "tp", "fp", "fn", "precision", "recall", "F1"):
            t.add_column(c, justify="left" if c == "language" else "right")
        for lang, lang_rep in by_group(pred, corpus, "language").items():
            s = lang_rep.overall
            t.add_row(lang, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.2f}",
                      f"{s.recall:.2f}", f"{s.f1:.2f}")
        out.print(t)
    if resamples:
        from corridor.evidence.score import bootstrap

        ids = sorted(corpus.articles) or sorted({Path(g.get("source") or "").stem
                                                 for g in corpus.gold})
        ci = bootstrap(rep, ids, resamples)
        out.print(f"5-95 % over {ci.resamples} resamples of the {ci.articles} articles: "
                  f"precision {ci.precision[0]:.2f}-{ci.precision[1]:.2f}, recall "
                  f"{ci.recall[0]:.2f}-{ci.recall[1]:.2f}, F1 {ci.f1[0]:.2f}-{ci.f1[1]:.2f}")
    dd = group_score(rep, {"detained", "deported"})
    out.print(f"detained+deported: recall {dd.recall:.2f}, precision {dd.precision:.2f}")
    for title, rows in (("Misses (in gold, not extracted)", rep.misses),
                        ("False hits (extracted, not in gold)", rep.false_hits)):
        out.print(f"{title}: {len(rows)}")
        if not details:
            continue
        for r in rows:
            out.print(f"  {r.get('source', '')} {r.get('date', '')} {r.get('kind', '')} "
                      f"{r.get('place', '')} [{r.get('place_id', '')}] "
                      f"{r.get('low', '')}–{r.get('high', '')}: {str(r.get('quote', ''))[:90]}",
                      markup=False)


def _score_table(rep, title: str) -> None:
    t = Table(title=title)
    for c in ("kind", "tp", "fp", "fn", "precision", "recall", "F1"):
        t.add_column(c, justify="left" if c == "kind" else "right")
    for k, s in [*rep.per_kind.items(), ("overall", rep.overall)]:
        t.add_row(k, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.2f}", f"{s.recall:.2f}",
                  f"{s.f1:.2f}")
    out.print(t)
