"""Extraction over many files: read each, extract, and say what happened to each one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from corridor.evidence.extract import Observation, extract_text
from corridor.evidence.io import DEFAULT_MAX_MB, ArticleError, read_document
from corridor.evidence.places import ScenarioIndex


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
                  max_mb: float = DEFAULT_MAX_MB
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
                           scenario=scenario, language=doc.language)
        for o in obs:
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
