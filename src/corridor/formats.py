"""How numbers and ranges are written in tables, shared by the CLI tables and the report (so
report/ does not reach into analysis/ for them)."""

from __future__ import annotations

import math


def _missing(x: object) -> bool:
    """None, NaN (any float type) or pandas' NA."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(x: float) -> str:
    """Whole thousands separated; small values with up to 6 significant digits, never 1e+04."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.6g}"


def format_value(value: float, low: float = math.nan, high: float = math.nan) -> str:
    """``1,234`` or, for an ensemble, ``1,234 [1,100–1,400]``."""
    if _missing(value):
        return "–"
    text = number(value)
    if not (_missing(low) or _missing(high)):
        text += f" [{number(low)}–{number(high)}]"
    return text


def whole(x: float) -> str:
    """A count of people: ``5,500``; empty when missing."""
    return "" if _missing(x) else f"{x:,.0f}"


def format_range(low: float, high: float) -> str:
    """``5,500–6,500``, ``≥ 300``, ``≤ 20`` or empty."""
    if _missing(low) and _missing(high):
        return ""
    if _missing(high):
        return f"≥ {whole(low)}"
    if _missing(low):
        return f"≤ {whole(high)}"
    return whole(low) if low == high else f"{whole(low)}–{whole(high)}"
