"""Evidence from the news: articles in English and Spanish → dated, placed, quoted observations.

Public API: ``extract_text`` (one text), ``extract_files`` (files, with a report per file),
``score`` (against a gold annotation). The CLI is ``corridor.evidence.cli.app``.
"""

from corridor.evidence.extract import COLUMNS, Observation, extract_text
from corridor.evidence.pipeline import FileReport, extract_files
from corridor.evidence.score import Report, score

__all__ = ["COLUMNS", "FileReport", "Observation", "Report", "extract_files", "extract_text",
           "score"]
