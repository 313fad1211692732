"""Extraction over many files: read each, extract, and say what happened to each one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from corridor.evidence.extract import Observation, extract_text
from corridor.evidence.io import DEFAULT_MAX_MB, ArticleError, read_csv, read_document
from corridor.evidence.places import ScenarioIndex

CARAVAN_KINDS = {"departed", "position", "halted", "arrived", "dispersed", "transported",
                 "caravan_size", "returned", "deported", "detained", "permits_issued"}


def load_caravans(path: Path | None = None) -> list[tuple[str, dt.date]]:
    """(caravan id, departure day) from a caravans.csv (default: data/caravans/caravans.csv of
    the repository, when there); [] when there is none."""
    if path is None:
        path = Path(__file__).resolve().parents[3] / "data" / "caravans" / "caravans.csv"
        if not path.is_file():
            return []
    out = []
    for r in read_csv(path):
        try:
            out.append((r["caravan"], dt.date.fromisoformat(r.get("departure_date", "")[:10])))
        except (KeyError, ValueError):
            continue
    return sorted(out, key=lambda t: t[1])


def resolve_caravan(obs: list[Observation], published: dt.date | None,
                    caravans: list[tuple[str, dt.date]] | None) -> str:
    """Which caravan an article is about: the month of the departure it reports (a departed
    event dated up to 90 days before publication), else the latest known caravan that had left
    by publication, up to 75 days before (caravans.csv); '' when neither says."""
    if not any(o.kind in CARAVAN_KINDS for o in obs):
        return ""
    deps = sorted(o.date for o in obs if o.kind == "departed" and o.date)
    for d in deps:
        day = dt.date.fromisoformat(d)
        if published is None or 0 <= (published - day).days <= 90:
            known = [c for c, when in caravans or [] if abs((when - day).days) <= 3]
            return known[0] if known else d[:7]
    if published is not None and caravans:
        before = [(c, when) for c, when in caravans if 0 <= (published - when).days <= 75]
        if before:
            return before[-1][0]
    return ""


@dataclass
class FileReport:
    """What happened to one input file: observations found, or why it was skipped."""

    path: str
    ok: bool
    message: str
    notes: list[str] = field(default_factory=list)
    observations: int = 0


def extract_files(paths: list[Path], *, published: dt.date | None = None,
                  published_by_file: dict[str, dt.date] | None = None,
                  scenario: ScenarioIndex | None = None, min_confidence: float = 0.5,
                  max_mb: float = DEFAULT_MAX_MB, caravan: str = "",
                  caravans: list[tuple[str, dt.date]] | None = None,
                  confidence_model: bool = False,
                  ) -> tuple[list[Observation], list[FileReport], int]:
    """Observations from every readable file, a report per file, and how many numbers were
    left out (low confidence, or no date when the article's publication date is unknown).
    A bad file never stops the others."""
    out: list[Observation] = []
    reports: list[FileReport] = []
    dropped = 0
    for path in paths:
        pub = (published_by_file or {}).get(path.name, published)
        try:
            doc = read_document(path, pub, max_mb)
        except ArticleError as exc:
            reports.append(FileReport(str(path), False, str(exc)))
            continue
        obs = extract_text(doc.text, published=doc.published, source=path.name, url=doc.url,
                           scenario=scenario, language=doc.language,
                           confidence_model=confidence_model)
        article_caravan = caravan or resolve_caravan(obs, doc.published, caravans)
        for o in obs:
            o.caravan = article_caravan if o.kind in CARAVAN_KINDS else ""
            o.outlet = doc.outlet
            o.published = doc.published.isoformat() if doc.published else ""
            o.published_from = doc.published_how
        kept = [o for o in obs if o.confidence >= min_confidence]
        if doc.published is None:  # relative dates could not be resolved
            kept = [o for o in kept if o.date]
        dropped += len(obs) - len(kept)
        out.extend(kept)
        how = f"published {doc.published} ({doc.published_how})" if doc.published else \
            "no publication date"
        reports.append(FileReport(str(path), True, f"{len(kept)} observations; {how}",
                                  doc.notes, len(kept)))
    return out, reports, dropped
