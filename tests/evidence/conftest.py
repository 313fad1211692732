"""Shared paths for the evidence tests: the seed articles live outside the repository."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / ".." / "shared" / "seeds"
DATA = REPO / "tests" / "data" / "evidence"


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS.resolve()} (../shared/seeds beside the "
                    "repository)")
    return SEEDS


@pytest.fixture(scope="session")
def published() -> dict[str, dt.date]:
    with open(DATA / "metadata.csv", encoding="utf-8") as fh:
        return {r["file"]: dt.date.fromisoformat(r["published"]) for r in csv.DictReader(fh)}


@pytest.fixture(scope="session")
def gold_rows() -> list[dict[str, str]]:
    rows = []
    for f in sorted((DATA / "gold").glob("*.csv")):
        with open(f, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                r["source"] = f.stem + ".txt"
                rows.append(r)
    return rows
