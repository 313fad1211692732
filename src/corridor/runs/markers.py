"""The marker file that makes a folder corridor's own output, and the folder kinds.

``--force`` replaces a folder only when it carries this marker with a kind the command may
replace, so a typo in ``--out`` can never delete a scenario, a home folder or anything else
corridor did not write. The marker holds no times or versions of the package: the same run
gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

MARKER = ".corridor-output"
MARKER_FORMAT = 1
RUN, ENSEMBLE, SWEEP, FLEE_IMPORT = "run", "ensemble", "sweep", "flee-import"
CALIBRATION, BACKTEST = "calibration", "backtest"  # `corridor calibrate/backtest`
SENSITIVITY = "sensitivity"  # `corridor sensitivity`
FORECAST = "forecast"  # `corridor forecast`
KINDS = frozenset({RUN, ENSEMBLE, SWEEP, FLEE_IMPORT, CALIBRATION, BACKTEST, SENSITIVITY,
                   FORECAST})
RESULT_KINDS = frozenset({RUN, ENSEMBLE, SWEEP})  # what run/ensemble/sweep --force may replace
MEMBER_PREFIX = "seed-"


def marker_text(kind: str) -> str:
    """The marker's content: its kind and the marker format, nothing that changes per run."""
    if kind not in KINDS:
        raise ValueError(f"unknown output kind {kind!r}")
    return json.dumps({"corridor": "output folder", "kind": kind, "format": MARKER_FORMAT}) + "\n"


def write_marker(folder: Path, kind: str) -> None:
    """Mark ``folder`` (a temporary folder about to be renamed into place) as corridor's."""
    (Path(folder) / MARKER).write_text(marker_text(kind), encoding="utf-8")


def read_marker(folder: Path) -> str | None:
    """The kind recorded in ``folder``'s marker, or None when there is no valid marker.

    A symbolic link or anything but a small regular file does not count as a marker.
    """
    path = Path(folder) / MARKER
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 4096:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    return kind if kind in KINDS else None


def is_ensemble(folder: Path) -> bool:
    """An ensemble folder holds ``ensemble.json`` and one ``seed-*`` run folder per member."""
    folder = Path(folder)
    return (folder / "ensemble.json").is_file() and any(
        folder.glob(f"{MEMBER_PREFIX}*/summary.json"))


def ensemble_members(folder: Path) -> list[Path]:
    """The member run folders of an ensemble, sorted by name."""
    return sorted(p.parent for p in Path(folder).glob(f"{MEMBER_PREFIX}*/summary.json"))
