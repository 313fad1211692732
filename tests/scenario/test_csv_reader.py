"""The stdlib CSV reader behind validate: the same tables pandas would give, true line numbers,
and a refusal (not a silent column shift) for records wider than their header."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from corridor.checked import load_checked
from corridor.errors import Problem
from corridor.scenario.schema import TABLES, ColumnType
from corridor.scenario.tables import read_table

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p for p in (ROOT / "scenarios").iterdir() if (p / "scenario.toml").exists())
PLACES_HEAD = "id,name,country,kind,lat,lon,source\n"


def read(tmp_path: Path, text: str, name: str = "places") -> tuple[pd.DataFrame, list[str]]:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return read_table(path, TABLES[name], problems), [str(p) for p in problems]


@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_tables_match_pandas_read_csv(folder: Path) -> None:
    """Each column equals what ``pandas.read_csv`` (the reader before) makes of the file."""
    for name, columns in TABLES.items():
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        problems: list[Problem] = []
        frame = read_table(path, columns, problems)
        assert problems == []
        raw = pd.read_csv(io.StringIO(path.read_text("utf-8-sig")), dtype=str,
                          keep_default_na=False, skipinitialspace=True)
        raw.columns = [c.strip() for c in raw.columns]
        assert frame["_row"].tolist() == list(range(2, len(raw) + 2))
        for column in columns:
            if column.name not in raw:
                continue
            cells = raw[column.name].str.strip()
            if column.type is ColumnType.FLOAT:
                expected = pd.to_numeric(cells.where(cells != ""), errors="coerce")
                pd.testing.assert_series_equal(frame[column.name], expected.astype("float64"))
            elif column.type is ColumnType.DATE:
                dates = pd.to_datetime(cells.where(cells != ""), format="%Y-%m-%d")
                assert frame[column.name].tolist() == [
                    None if pd.isna(d) else d.date() for d in dates]
            else:
                pd.testing.assert_series_equal(frame[column.name], cells)


def test_blank_lines_keep_file_line_numbers(tmp_path: Path) -> None:
    text = PLACES_HEAD + "a,A,MEX,town,1,2,s\n\n   \nb,B,MEX,town,x,2,s\n"
    frame, problems = read(tmp_path, text)
    assert frame["_row"].tolist() == [2, 5]
    assert problems == ["places.csv:5:lat: not a number 'x'"]


def test_wider_record_is_refused_not_shifted(tmp_path: Path) -> None:
    """pandas took a first record with one value too many as an index and shifted it."""
    _, problems = read(tmp_path, PLACES_HEAD + "a,A,MEX,town,1,2,s,extra\n")
    assert problems == ["places.csv: not a valid CSV table: Error tokenizing data. C error: "
                        "Expected 7 fields in line 2, saw 8"]


def test_unclosed_quote_is_refused(tmp_path: Path) -> None:
    _, problems = read(tmp_path, PLACES_HEAD + 'a,"A,MEX,town,1,2,s\nb,B,MEX,town,1,2,s\n')
    assert len(problems) == 1 and "EOF inside string starting at row 2" in problems[0]


@pytest.mark.parametrize(("cell", "message"), [
    ("1_000", "not a number '1_000'"),  # float() takes these; a spreadsheet does not
    ("١٢", "not a number '١٢'"),
    ("inf", "not a number 'inf'"),
    ("-95", "must be >= -90, got -95"),
])
def test_number_cells(tmp_path: Path, cell: str, message: str) -> None:
    _, problems = read(tmp_path, PLACES_HEAD + f"a,A,MEX,town,{cell},2,s\n")
    assert problems == [f"places.csv:2:lat: {message}"]


def test_short_records_are_padded_and_reported(tmp_path: Path) -> None:
    _, problems = read(tmp_path, PLACES_HEAD + "a,A,MEX,town,1\n")
    assert problems == ["places.csv:2:lon: empty value", "places.csv:2:source: empty value"]


def test_plain_columns_and_frames_agree(tiny: Path) -> None:
    """validate's pandas-free scenario counts and checks what the runnable one does."""
    light, full = load_checked(tiny, frames=False), load_checked(tiny)
    for name in TABLES:
        table, frame = getattr(light, name), getattr(full, name)
        assert len(table) == len(frame) and list(table) == list(frame.columns)
    assert light.policy_table == full.policy_table
