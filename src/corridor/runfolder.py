"""Old import path of the run-folder writer, kept while other branches move to corridor.runs.

New code: ``corridor.runs.write`` (tables, summary, write_run), ``corridor.runs.claim``
(atomic_folder and the output rules), ``corridor.runs.read`` (readers), ``corridor._io``.
"""

from corridor._io import atomic_write_text, write_parquet
from corridor.runs.claim import atomic_folder
from corridor.runs.read import read_summary
from corridor.runs.write import (
    GROUP_COLUMNS,
    RESOLVED,
    counts_table,
    event_totals,
    events_table,
    flows_table,
    groups_table,
    summary,
    write_run,
    write_run_files,
)

__all__ = [
    "GROUP_COLUMNS", "RESOLVED", "atomic_folder", "atomic_write_text", "counts_table",
    "event_totals", "events_table", "flows_table", "groups_table", "read_summary", "summary",
    "write_parquet", "write_run", "write_run_files",
]
