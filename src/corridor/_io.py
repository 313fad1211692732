"""The one atomic file writer and the one deterministic Parquet writer of corridor.

Every file corridor writes goes through here: a temporary name beside the target (which records
the writing process), then ``os.replace``. A reader never sees half a file and a failed write
leaves no temporary file behind. Parquet files are written with fixed settings and no pandas
metadata, so the same table always gives the same bytes.
"""

from __future__ import annotations

import json
import math
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is heavy; the CLI imports this module for small text files too
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def temp_name(path: Path, kind: str) -> Path:
    """``.NAME.<kind>-<pid>-<random>`` beside ``path``: the pid tells later runs whose it was."""
    return path.with_name(f".{path.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path; it replaces ``path`` when the block ends without error."""
    path = Path(path)
    tmp = temp_name(path, "tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename (umask honoured)."""
    with atomic_file(path) as tmp, open(tmp, "xb") as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` via a temporary file and rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def json_text(obj: object, *, indent: int | None = 2, ensure_ascii: bool = True) -> str:
    """Strict JSON text: JSON has no NaN or Infinity (``json.dumps`` would write them and other
    readers reject the file), so non-finite numbers become null; allow_nan=False checks it."""
    return json.dumps(_finite(obj), indent=indent, ensure_ascii=ensure_ascii,
                      allow_nan=False) + "\n"


def _finite(obj: object) -> object:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet with fixed writer settings (no pandas metadata) so reruns give identical bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    with atomic_file(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", write_statistics=False,
                       store_schema=False)


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ tab or CR
    gets a leading apostrophe (OWASP's advice). Numbers, including negative ones, are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised with ``safe_cell``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(safe_cell)
    return out


def write_csv(frame: pd.DataFrame, path: Path, **to_csv: Any) -> None:
    """A table as CSV (no index), formula cells neutralised, written atomically; ``to_csv``
    options such as ``float_format`` are passed on."""
    with atomic_file(path) as tmp:
        safe_csv_frame(frame).to_csv(tmp, index=False, **to_csv)
