"""Read and check one scenario CSV table, collecting every problem with file, row and column."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.errors import Problem
from corridor.inputfiles import InputFileError, read_bounded
from corridor.scenario.schema import Column, ColumnType

HEADER_ROW = 1  # row numbers in messages are file line numbers; the header is line 1


def read_text(path: Path, problems: list[Problem], allow_empty: bool = False) -> str | None:
    """The file's text, or None with a problem if it is unreadable, not a regular file, too
    large, empty, binary or not UTF-8."""
    try:
        raw = read_bounded(path)
    except InputFileError as exc:
        problems.append(Problem(path.name, str(exc)))
        return None
    if not raw.strip():
        if allow_empty:  # an optional table with no rows (Flee writes such files)
            return ""
        problems.append(Problem(path.name, "file is empty"))
        return None
    if b"\x00" in raw[:65536]:
        problems.append(Problem(path.name, "file is binary, expected UTF-8 CSV text"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(path.name, f"not valid UTF-8 (byte {exc.start})", row=line))
        return None


def read_table(path: Path, columns: tuple[Column, ...], problems: list[Problem]) -> pd.DataFrame:
    """Parse a CSV as strings, check every column, return a typed DataFrame.

    Problems are appended, never raised, so that validation reports all of them at once.
    The returned frame has a ``_row`` column holding each record's line number in the file.
    """
    empty = empty_table(columns)
    text = read_text(path, problems)
    if text is None:
        return empty
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, ValueError) as exc:
        problems.append(Problem(path.name, f"not a valid CSV table: {str(exc).splitlines()[0]}"))
        return empty
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda s: s.str.strip())
    frame["_row"] = np.arange(len(frame), dtype=np.int64) + HEADER_ROW + 1
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    for name in missing:
        problems.append(Problem(path.name, "missing required column", HEADER_ROW, name))
    if missing:
        return empty
    for column in columns:
        if column.name not in frame.columns:
            frame[column.name] = "" if column.type is ColumnType.STR else None
            frame[column.name] = _convert(frame, column, path.name, problems, check=False)
            continue
        frame[column.name] = _convert(frame, column, path.name, problems)
    return frame


def empty_table(columns: tuple[Column, ...]) -> pd.DataFrame:
    """A table with the right columns and no rows (missing or unusable files)."""
    frame = pd.DataFrame({c.name: pd.Series(dtype=_dtype(c)) for c in columns})
    frame["_row"] = pd.Series(dtype="int64")
    return frame


def _dtype(column: Column) -> str:
    return {
        ColumnType.STR: "object",
        ColumnType.FLOAT: "float64",
        ColumnType.INT: "int64",
        ColumnType.DATE: "object",
    }[column.type]


def _convert(
    frame: pd.DataFrame, column: Column, file: str, problems: list[Problem], check: bool = True
) -> pd.Series:
    """Convert one column to its type, appending a problem per bad cell."""
    raw = frame[column.name].fillna("").astype(str)
    rows = frame["_row"].to_numpy()
    blank = raw == ""
    if check and column.filled:
        for row in rows[blank.to_numpy()]:
            problems.append(Problem(file, "empty value", int(row), column.name))
    if column.type is ColumnType.STR:
        if check and column.choices is not None:
            bad = ~blank & ~raw.isin(column.choices)
            for row, value in zip(rows[bad.to_numpy()], raw[bad], strict=True):
                allowed = ", ".join(sorted(column.choices))
                problems.append(
                    Problem(file, f"unknown value {value!r} (expected one of: {allowed})",
                            int(row), column.name)
                )
        return raw
    if column.type is ColumnType.DATE:
        parsed = pd.to_datetime(raw.where(~blank), format="%Y-%m-%d", errors="coerce")
        bad = ~blank & parsed.isna()
        for row, value in zip(rows[bad.to_numpy()], raw[bad], strict=True):
            problems.append(
                Problem(file, f"not a date {value!r} (expected YYYY-MM-DD)", int(row), column.name)
            )
        return parsed.dt.date.where(parsed.notna(), None)
    numbers = pd.to_numeric(raw.where(~blank), errors="coerce")
    bad = ~blank & (numbers.isna() | ~np.isfinite(numbers.fillna(0)))
    for row, value in zip(rows[bad.to_numpy()], raw[bad], strict=True):
        problems.append(Problem(file, f"not a number {value!r}", int(row), column.name))
    if check:
        ok = numbers.notna()
        if column.strictly_positive:
            low = ok & (numbers <= 0)
            for row, value in zip(rows[low.to_numpy()], numbers[low], strict=True):
                problems.append(Problem(file, f"must be > 0, got {value:g}", int(row), column.name))
        elif column.minimum is not None:
            low = ok & (numbers < column.minimum)
            for row, value in zip(rows[low.to_numpy()], numbers[low], strict=True):
                problems.append(
                    Problem(file, f"must be >= {column.minimum:g}, got {value:g}", int(row),
                            column.name)
                )
    return numbers.astype("float64")
