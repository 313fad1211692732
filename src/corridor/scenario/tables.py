"""Read and check one scenario CSV table, collecting every problem with file, row and column.

Reading and checking use the stdlib ``csv`` module, not pandas: ``corridor validate`` then
never imports pandas (half a second of a command that should take well under one). A
``Table`` holds plain column lists; ``Table.to_frame`` gives the typed DataFrame the engine
uses, built only when a scenario is loaded to run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.errors import Problem
from corridor.inputfiles import InputFileError, read_bounded
from corridor.scenario.schema import Column, ColumnType

if TYPE_CHECKING:
    import pandas as pd

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


class Table:
    """A scenario table as plain columns: name -> list of values, one per record.

    It answers the few questions the checks ask of a table the same way a DataFrame does
    (``len`` = rows, ``name in table`` = has that column, ``table[name]`` iterates its values),
    so one set of checks serves the tables read here and DataFrames given through the API.
    """

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        self._columns = columns

    def __len__(self) -> int:
        return len(self._columns["_row"]) if "_row" in self._columns else 0

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __getitem__(self, name: str) -> list[Any]:
        return self._columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def to_frame(self, columns: tuple[Column, ...]) -> pd.DataFrame:
        """The typed DataFrame: text columns as strings, numbers float64 (NaN = blank), dates
        ``datetime.date`` or None, ``_row`` int64; columns in file order, then the optional
        ones the file lacks."""
        import numpy as np
        import pandas as pd

        types = {c.name: c.type for c in columns}
        data: dict[str, Any] = {}
        for name, values in self._columns.items():
            kind = types.get(name, ColumnType.STR)
            if name == "_row":
                data[name] = np.array(values, dtype=np.int64)
            elif kind in (ColumnType.FLOAT, ColumnType.INT):
                data[name] = np.array(values, dtype=np.float64)
            elif kind is ColumnType.DATE:
                data[name] = pd.Series(values, dtype=object)
            else:
                data[name] = pd.Series(values, dtype=str)
        return pd.DataFrame(data)


def read_table(path: Path, columns: tuple[Column, ...], problems: list[Problem]) -> pd.DataFrame:
    """``read_columns`` as a typed DataFrame (see ``Table.to_frame``)."""
    return read_columns(path, columns, problems).to_frame(columns)


def read_columns(path: Path, columns: tuple[Column, ...], problems: list[Problem]) -> Table:
    """Parse a CSV as strings, check every column, return its typed columns.

    Problems are appended, never raised, so that validation reports all of them at once.
    The table has a ``_row`` column holding each record's line number in the file.
    """
    empty = empty_columns(columns)
    text = read_text(path, problems)
    if text is None:
        return empty
    parsed = _parse_csv(text)
    if isinstance(parsed, str):
        problems.append(Problem(path.name, f"not a valid CSV table: {parsed}"))
        return empty
    header, records, lines = parsed
    raw = {name: [rec[k].strip() for rec in records] for k, name in enumerate(header)}
    missing = [c.name for c in columns if c.required and c.name not in raw]
    for name in missing:
        problems.append(Problem(path.name, "missing required column", HEADER_ROW, name))
    if missing:
        return empty
    out: dict[str, list[Any]] = dict(raw)
    out["_row"] = lines
    for column in columns:
        if column.name not in raw:
            cells = [""] * len(lines)
            out[column.name] = _convert(cells, lines, column, path.name, problems, check=False)
            continue
        out[column.name] = _convert(raw[column.name], lines, column, path.name, problems)
    return Table(out)


def _parse_csv(text: str) -> tuple[list[str], list[list[str]], list[int]] | str:
    """Header, records (padded to the header's width) and each record's first line; or what
    makes the text no CSV table (a record wider than the header, a quote never closed).

    Lines that are blank are skipped; numbers stay file line numbers all the same.
    """
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    records: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    last = 0
    for record in reader:
        first, last = last + 1, reader.line_num
        if len(record) <= 1 and not "".join(record).strip():
            continue  # a blank line
        if header is None:
            header = _names(record)
            continue
        if len(record) > len(header):
            return (f"Error tokenizing data. C error: Expected {len(header)} fields in line "
                    f"{last}, saw {len(record)}")
        records.append(record + [""] * (len(header) - len(record)))
        lines.append(first)
    if text.count('"') % 2 and records and last == reader.line_num and "\n" in "".join(
            records[-1]):
        return f"Error tokenizing data. C error: EOF inside string starting at row {lines[-1]}"
    return header or [], records, lines


def _names(header: list[str]) -> list[str]:
    """Column names as pandas gives them: stripped, blanks ``Unnamed: k``, repeats ``a.1``."""
    names: list[str] = []
    for k, raw in enumerate(header):
        name = raw.strip() or f"Unnamed: {k}"
        base, n = name, 0
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    return names


def empty_columns(columns: tuple[Column, ...]) -> Table:
    """A table with the right columns and no rows (missing or unusable files)."""
    return Table({**{c.name: [] for c in columns}, "_row": []})


def empty_table(columns: tuple[Column, ...]) -> pd.DataFrame:
    """``empty_columns`` as a typed DataFrame (int64 for INT columns, as before any row)."""
    import pandas as pd

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


def _number(text: str) -> float | None:
    """The value of a number cell, None if it is not one (ASCII digits only: ``float`` would
    take ``1_000`` and other scripts' digits, which a spreadsheet would not)."""
    if not text.isascii() or "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


def _convert(cells: list[str], rows: list[int], column: Column, file: str,
             problems: list[Problem], check: bool = True) -> list[Any]:
    """Convert one column to its type, appending a problem per bad cell."""
    name = column.name
    if check and column.filled:
        problems.extend(Problem(file, "empty value", row, name)
                        for row, cell in zip(rows, cells, strict=True) if cell == "")
    if column.type is ColumnType.STR:
        if check and column.choices is not None:
            allowed = ", ".join(sorted(column.choices))
            problems.extend(
                Problem(file, f"unknown value {cell!r} (expected one of: {allowed})", row, name)
                for row, cell in zip(rows, cells, strict=True)
                if cell != "" and cell not in column.choices)
        return cells
    if column.type is ColumnType.DATE:
        dates = [None if cell == "" else _date(cell) for cell in cells]
        problems.extend(
            Problem(file, f"not a date {cell!r} (expected YYYY-MM-DD)", row, name)
            for row, cell, date in zip(rows, cells, dates, strict=True)
            if cell != "" and date is None)
        return dates
    numbers: list[float] = []
    for row, cell in zip(rows, cells, strict=True):
        value = math.nan if cell == "" else _number(cell)
        if value is None or (cell != "" and not math.isfinite(value)):
            problems.append(Problem(file, f"not a number {cell!r}", row, name))
        numbers.append(math.nan if value is None else value)  # inf stays, as it was read
    if check:
        for row, value in zip(rows, numbers, strict=True):
            if math.isnan(value):
                continue
            if column.strictly_positive and value <= 0:
                problems.append(Problem(file, f"must be > 0, got {value:g}", row, name))
            elif (not column.strictly_positive and column.minimum is not None
                  and value < column.minimum):
                problems.append(Problem(file, f"must be >= {column.minimum:g}, got {value:g}",
                                        row, name))
    return numbers
