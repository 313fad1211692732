"""Read an input file safely: regular files only, and never more than a size cap.

A scenario downloaded from someone else may hold a symlink to /dev/zero (an endless read) or a
named pipe (a read that never returns). Every input is opened without blocking, checked to be a
regular file, and read up to a cap, so such inputs are refused at once with one clear line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from corridor.errors import CorridorError

# estimate: the largest shipped input (a Flee locations/conflicts table) is under 1 MB; 256 MB
# leaves room for national tables while keeping a read bounded by memory the machine has.
MAX_INPUT_MB = 256

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class InputFileError(CorridorError):
    """An input file that cannot be read as a regular file within the size cap."""


def describe(mode: int) -> str:
    """What kind of file system entry ``mode`` is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bounded(path: str | Path, max_mb: float = MAX_INPUT_MB) -> bytes:
    """The bytes of a regular file of at most ``max_mb`` MB; InputFileError (no path) otherwise."""
    limit = int(max_mb * 2**20)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"not a regular file: {describe(info.st_mode)}")
        if info.st_size > limit:
            raise InputFileError(f"file is {info.st_size / 2**20:,.0f} MB, more than the "
                                 f"{max_mb:g} MB an input file may be")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while we read it
            raise InputFileError(f"file is more than the {max_mb:g} MB an input file may be")
        return b"".join(chunks)
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
