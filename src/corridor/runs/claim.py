"""Where a command may write, and claiming an output folder atomically.

Rules (the same for every command that writes a folder or a file):

* ``--force`` replaces only a folder that carries corridor's marker (``markers.MARKER``) with a
  kind the command may replace, or an empty folder. Never an input, a folder that contains an
  input or the current folder, never a folder without the marker, a file or a symbolic link.
* The folder (or file) must be creatable: its parent may not be a file, a system folder
  (``/proc``, ``/sys``, ``/dev``) or a folder the user cannot write.
* A folder is built in a temporary sibling ``.NAME.tmp-<pid>-<random>`` and renamed into place
  at the end, so a crash or a kill never leaves half a run. Concurrent writers of the same
  folder are serialised by a lock file ``.NAME.lock`` (``flock``): the second one stops at once
  with a clear error instead of silently replacing the first one's result.
* Temporary folders and files left by processes that no longer exist are removed the next time
  the same output is written.

Every refusal is a ``RunError`` (one line, exit code 2 from the CLI) raised before anything is
written.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from corridor._io import temp_name
from corridor.errors import RunError
from corridor.runs.markers import MARKER, RESULT_KINDS, read_marker, write_marker

try:  # POSIX; elsewhere the final no-replace rename still refuses to overwrite
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))
_SLUG_DROP = re.compile(r"[^A-Za-z0-9._-]+")


# --------------------------------------------------------------------------- names


def safe_slug(name: str, fallback: str = "scenario") -> str:
    """A folder name made from a scenario name: no separators, no ``..``, never absolute.

    ``"/some/folder"`` -> ``some-folder``; ``"../../x"`` -> ``x``; accents are dropped.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = _SLUG_DROP.sub("-", text.replace("/", "-").replace("\\", "-"))
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-_")
    return text[:100] or fallback


def default_out(name: str, suffix: str = "") -> Path:
    """The default output folder ``runs/<safe name><suffix>`` for a scenario name."""
    return Path("runs") / safe_slug(f"{name}{suffix}")


# --------------------------------------------------------------------------- checks


def _absolute(path: Path) -> Path:
    """Absolute path with ``..`` and symbolic links of the parent resolved, the last part kept
    as it is (so a link named as the output is seen as a link, not as its target)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name if path.name else path


def _contains(outer: Path, inner: Path) -> bool:
    return inner == outer or outer in inner.parents


def _check_parent(path: Path) -> None:
    """The folder that will hold ``path`` exists or can be created, and may be written."""
    parent = _absolute(path).parent
    for system in SYSTEM_FOLDERS:
        if _contains(system, parent):
            raise RunError(f"{path}: refusing to write under the system folder {system}")
    probe = parent
    while not os.path.lexists(probe):
        probe = probe.parent
    if not probe.is_dir():
        raise RunError(f"{path}: cannot create it, {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise RunError(f"{path}: cannot write in {probe} (permission denied)")


def _check_not_input(path: Path, inputs: Iterable[Path], what: str) -> None:
    target = _absolute(path)
    for item in inputs:
        given = Path(item)
        if not os.path.lexists(given):
            continue
        inp = given.resolve()
        if _contains(target, inp) or _contains(target, _absolute(given)):
            same = target in (inp, _absolute(given))
            relation = "is" if same else "contains"
            raise RunError(f"{path}: refusing to {what} it, it {relation} the input {item}")
    cwd = Path.cwd().resolve()
    if _contains(target, cwd):
        raise RunError(f"{path}: refusing to {what} it, it contains the current folder")


def check_out_folder(out: Path, *, force: bool = False, inputs: Iterable[Path] = (),
                     replaceable: Iterable[str] = RESULT_KINDS) -> None:
    """Refuse an output folder that cannot or must not be written (see the module rules)."""
    out = Path(out)
    inputs = list(inputs)
    _check_parent(out)
    if not os.path.lexists(out):
        _check_not_input(out, inputs, "write")
        return
    if out.is_symlink():
        raise RunError(f"{out}: is a symbolic link; refusing to replace it (give another --out)")
    if not out.is_dir():
        raise RunError(f"{out}: is a file, not a corridor output folder; refusing to replace "
                       "it (give another --out)")
    if not force:
        raise RunError(f"{out}: output folder exists (use --force to replace it)")
    _check_not_input(out, inputs, "replace")
    kind = read_marker(out)
    allowed = sorted(replaceable)
    if kind is None and not any(out.iterdir()):
        pass  # an empty folder: nothing to lose
    elif kind is None:
        raise RunError(f"{out}: not a folder corridor wrote (no {MARKER} marker); --force "
                       "replaces only corridor output folders, so delete it yourself or give "
                       "another --out")
    elif kind not in allowed:
        raise RunError(f"{out}: holds a corridor {kind} folder; this command replaces only "
                       f"{' / '.join(allowed)} folders")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise RunError(f"{out}: cannot replace it, {out.parent} is not writable")


def check_out_file(path: Path, *, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output file that cannot or must not be written.

    It may replace an existing regular file, but not an input file nor a file inside an input
    folder, a folder, a symbolic link or a special file (FIFO, device).
    """
    path = Path(path)
    _check_parent(path)
    if os.path.lexists(path):
        if path.is_symlink():
            raise RunError(f"{path}: is a symbolic link; refusing to replace it")
        if path.is_dir():
            raise RunError(f"{path}: is a folder, expected a file name")
        if not path.is_file():
            raise RunError(f"{path}: is not a regular file; refusing to replace it")
        target = path.resolve()
        for item in inputs:
            if os.path.lexists(item) and _contains(Path(item).resolve(), target):
                raise RunError(f"{path}: refusing to overwrite a file of the input {item}")
    else:
        for item in inputs:  # a new file inside an input folder is fine, the input itself not
            if os.path.lexists(item) and _absolute(path) == Path(item).resolve():
                raise RunError(f"{path}: refusing to overwrite the input {item}")


# --------------------------------------------------------------------------- stale temps


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(path: Path) -> list[Path]:
    """Remove ``.NAME.tmp-<pid>-*`` / ``.NAME.old-<pid>-*`` left beside ``path`` by dead
    processes; returns what was removed. Temporary names without a pid (older corridor
    versions) are reported on stderr, not removed: their writer cannot be checked."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(tmp|old)-(\d+)-[0-9a-f]+$")
    legacy = re.compile(rf"^\.{re.escape(path.name)}\.(tmp|old)-")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None:
            if legacy.match(entry.name):
                print(f"note: {Path(parent, entry.name)}: temporary folder of an older corridor "
                      "run; remove it if no corridor command is running", file=sys.stderr)
            continue
        if _alive(int(match.group(2))):
            continue
        stale = Path(parent, entry.name)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


# --------------------------------------------------------------------------- claiming


@contextmanager
def out_lock(out: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``out`` for the block: the one writer of ``out``.

    Every command that builds an output folder (``atomic_folder``, an ensemble's partial
    folder) takes it before its second check of ``out`` and keeps it until ``out`` is in place,
    so two commands writing the same folder cannot both succeed: the second gets a RunError
    naming the first one's pid. The lock is an flock, released by the kernel if we die.
    """
    fd = _lock(out)
    try:
        yield
    finally:
        _unlock(out, fd)


def _lock(out: Path) -> int | None:
    """Take ``.NAME.lock`` beside ``out`` (see ``out_lock``)."""
    if fcntl is None:  # pragma: no cover
        return None
    path = out.with_name(f".{out.name}.lock")
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise RunError(f"{out}: cannot create its lock file {path} ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise RunError(f"{out}: another corridor process (pid {holder}) is writing it; "
                           "wait for it to finish or give another --out") from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:  # else the holder removed the file just before we locked it: start over
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _unlock(out: Path, fd: int | None) -> None:
    if fd is None:  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        os.unlink(out.with_name(f".{out.name}.lock"))  # before closing: see _lock
    os.close(fd)


def _make_parents(folder: Path) -> list[Path]:
    """Create missing parent folders; returns those created (deepest last)."""
    missing = []
    probe = Path(os.path.abspath(folder))
    while not os.path.lexists(probe):
        missing.append(probe)
        probe = probe.parent
    for item in reversed(missing):
        try:
            item.mkdir()
        except FileExistsError:
            pass
        except OSError as exc:
            raise RunError(f"{item}: cannot create folder ({exc.strerror})") from None
    return list(reversed(missing))


def _remove_empty(folders: list[Path]) -> None:
    for item in reversed(folders):
        with contextlib.suppress(OSError):
            item.rmdir()


_RENAME_NOREPLACE = 1


def _rename_noreplace(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` only if ``dst`` does not exist (atomically where possible)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            renameat2 = libc.renameat2
        except (OSError, AttributeError):
            renameat2 = None
        if renameat2 is not None:
            at_fdcwd = -100
            if renameat2(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst),
                         _RENAME_NOREPLACE) == 0:
                return
            code = ctypes.get_errno()
            if code not in (errno.ENOSYS, errno.EINVAL):
                raise OSError(code, os.strerror(code), str(dst))
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, "File exists", str(dst))
    os.rename(src, dst)


def install_folder(tmp: Path, out: Path, force: bool) -> None:
    """Put the finished folder ``tmp`` in place of ``out`` (call it holding ``out_lock``).

    A rename that never replaces: if ``out`` appeared meanwhile it is replaced only with
    ``force`` (renamed aside, then removed once ``tmp`` is in place), else RunError.
    """
    try:
        _rename_noreplace(tmp, out)
        return
    except FileExistsError:
        if not force:
            raise RunError(f"{out}: output folder appeared while this command ran; "
                           "nothing was replaced (use --force to replace it)") from None
    old = temp_name(out, "old")
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_folder(out: Path, *, force: bool = False, kind: str = "run",
                  inputs: Iterable[Path] = (),
                  replaceable: Iterable[str] = RESULT_KINDS) -> Iterator[Path]:
    """Claim ``out`` and yield an empty temporary folder that becomes ``out`` at the end.

    The checks of ``check_out_folder`` run first (nothing is written when they refuse), then
    the lock is taken and the checks run again under it. On any error, a kill excepted, the
    temporary folder and any parent folders created for it are removed.
    """
    out = Path(out)
    inputs = list(inputs)
    replaceable = frozenset(replaceable)
    check_out_folder(out, force=force, inputs=inputs, replaceable=replaceable)
    created = _make_parents(out.parent)
    ok = False
    try:
        with out_lock(out):
            clean_stale(out)
            check_out_folder(out, force=force, inputs=inputs, replaceable=replaceable)
            tmp = temp_name(out, "tmp")
            try:
                tmp.mkdir()
            except OSError as exc:
                raise RunError(f"{out}: cannot write here ({exc.strerror})") from None
            try:
                tmp.chmod(0o755)  # a result folder is meant to be shared
                write_marker(tmp, kind)
                yield tmp
                install_folder(tmp, out, force)
                ok = True
            finally:
                if not ok:
                    shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if not ok:
            _remove_empty(created)


@contextmanager
def atomic_output_file(path: Path, *, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Check ``path`` (``check_out_file``), then yield a temporary name that replaces it at
    the end; on error the temporary file and any parent folders created are removed."""
    from corridor._io import atomic_file

    path = Path(path)
    check_out_file(path, inputs=inputs)
    created = _make_parents(path.parent)
    ok = False
    try:
        clean_stale(path)
        with atomic_file(path) as tmp:
            yield tmp
        ok = True
    except OSError as exc:
        raise RunError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if not ok:
            _remove_empty(created)
