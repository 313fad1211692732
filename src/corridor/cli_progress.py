"""The progress bar every long command shows: on stderr, transient (it leaves no line behind),
so stdout keeps only results. rich's progress module is imported only when a bar is made."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress


def progress_bar(*, info: bool = False) -> Progress:
    """A bar with description, count and elapsed time; ``info`` adds a ``task.fields[info]``
    text column (calibrate, backtest and sensitivity say what each task is)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[ProgressColumn] = [TextColumn("[bold]{task.description}"), BarColumn(),
                                     MofNCompleteColumn()]
    if info:
        columns.append(TextColumn("{task.fields[info]}"))
    columns.append(TimeElapsedColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)
