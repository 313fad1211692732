"""Plots, maps and the self-contained HTML report of a run (renders only; reads run folders)."""

from corridor.report.html import write_report

__all__ = ["write_report"]
