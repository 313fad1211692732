"""Reading articles (plain text, HTML, folders) and reading/writing observation CSV files.

Every problem with one input file is an ``ArticleError`` with a one-line message; the caller
reports it and goes on with the other files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import CorridorError
from corridor.evidence.dates import dateline, parse_published
from corridor.evidence.header import read_header
from corridor.evidence.language import NAMES, SUPPORTED, detect

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ""}
DEFAULT_MAX_MB = 10.0
LARGE_MB = 5.0  # above this, say how long extraction will take
RATE_MB_S = 0.2  # measured: 0.15-0.25 MB per CPU-second on repeated news text (docs/evidence.md)
MIN_ARTICLE_WORDS = 12  # less main text than this is a menu or a cookie banner, not an article


class EvidenceError(CorridorError):
    """A user error in the evidence commands (bad option, unreadable CSV, no usable file)."""


class ArticleError(EvidenceError):
    """One article could not be used; the message says why in one line."""


@dataclass
class Document:
    """An article's main text and what we know about it."""

    path: str
    text: str
    published: dt.date | None
    published_how: str  # "html metadata", 'date line "…"', 'dateline "…"', "--published", ""
    url: str
    language: str
    notes: list[str]
    outlet: str = ""
    title: str = ""


def collect(paths: list[Path]) -> list[Path]:
    """Files named on the command line, folders expanded (sorted, hidden files skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file()
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)
                              and f.suffix.lower() in TEXT_SUFFIXES | {".bin", ".dat"}))
        else:
            out.append(p)
    return out


def read_document(path: Path, published: dt.date | None = None,
                  max_mb: float = DEFAULT_MAX_MB) -> Document:
    """Read one article; raise ``ArticleError`` (one line) when it cannot be used."""
    from corridor.inputfiles import InputFileError, describe, read_bounded

    try:
        info = path.stat()
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device has size 0: not "an empty file"
        raise ArticleError(f"not a regular file: {describe(info.st_mode)}")
    size = info.st_size
    if size == 0:
        raise ArticleError("empty file")
    if size > max_mb * 1e6:
        raise ArticleError(f"too large: {size / 1e6:.1f} MB (limit {max_mb:g} MB per article; "
                           "see --max-mb)")
    try:  # non-blocking and bounded, in case the file was swapped for a pipe meanwhile
        raw = read_bounded(path, max_mb=max_mb * 1e6 / 2**20)
    except InputFileError as exc:
        raise ArticleError(str(exc)) from None
    notes: list[str] = []
    if size > LARGE_MB * 1e6:
        notes.append(f"large article ({size / 1e6:.0f} MB): extraction is linear in size, about "
                     f"{RATE_MB_S:g} MB/s per core, so expect ~{size / 1e6 / RATE_MB_S:.0f} s")
    text = decode(raw, notes)
    if not text.strip():
        raise ArticleError("empty file (only whitespace)")
    url = ""
    pub, how = None, ""
    outlet = ""
    if _looks_html(path, text):
        text, url, pub, outlet = _html_main_text(text)
        how = "html metadata" if pub else ""
        if len(re.findall(r"\w+", text)) < MIN_ARTICLE_WORDS:
            raise ArticleError("HTML page with no article text (only navigation/boilerplate)")
    head = read_header(text)
    outlet = outlet or head.outlet
    if pub is None and head.published is not None:
        pub, how = head.published, head.published_from
    if pub is None:
        pub = dateline(text)
        how = "dateline" if pub else ""
    if published is not None:  # the user's date wins over what the article seems to say
        pub, how = published, "--published"
    if pub is None:
        notes.append("no publication date found (use --published); only absolute dates resolved")
    lang = detect(text)
    if lang and lang not in SUPPORTED:
        raise ArticleError(f"language looks like {NAMES.get(lang, lang)}; supported: "
                           + ", ".join(SUPPORTED.values()) + " (skipped)")
    if not url:
        m = re.search(r"https?://[^\s\"'<>]+", text[:2000])
        url = m.group(0) if m and "twitter.com" not in m.group(0) else ""
    return Document(str(path), text, pub, how, url, lang or "en", notes, outlet, head.title)


def decode(raw: bytes, notes: list[str]) -> str:
    """Bytes to text: BOMs honoured, UTF-8 first, Windows-1252 for legacy files; binary refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    head = raw[:8192]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\x00" in head or controls > 0.05 * len(head):
        raise ArticleError("binary file, not text or HTML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = raw.decode("cp1252")
        notes.append(f"not valid UTF-8 (byte {raw[bad]:#04x} at offset {bad}); read as "
                     "Windows-1252")
        return text
    except UnicodeDecodeError:
        notes.append(f"malformed UTF-8 at offset {bad}; undecodable bytes replaced")
        return raw.decode("utf-8", errors="replace")


def _looks_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def _html_main_text(html: str) -> tuple[str, str, dt.date | None, str]:
    """Main text (boilerplate dropped), canonical URL and publication date of an HTML page."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception:  # noqa: BLE001 - a broken page is a user input problem, not a bug
        doc = None
    if doc is None:
        return "", "", None, ""
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    pub = parse_published(data["date"]) if data.get("date") else None
    return text, data.get("url") or "", pub, str(data.get("sitename") or "")


def published_map(value: str | None) -> tuple[dt.date | None, dict[str, dt.date]]:
    """``--published``: a date for every file, or a CSV with columns file,published."""
    if not value:
        return None, {}
    p = Path(value)
    if p.suffix.lower() == ".csv" and p.is_file():
        out: dict[str, dt.date] = {}
        for row in read_csv(p):
            d = parse_published(row.get("published", ""))
            if row.get("file") and d:
                out[Path(row["file"]).name] = d
        return None, out
    d = parse_published(value)
    if d is None:
        raise EvidenceError(f"--published: cannot read a date from {value!r} "
                            "(use YYYY-MM-DD or a CSV with columns file,published)")
    return d, {}


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts of strings (EvidenceError when missing or unreadable)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvidenceError(f"{path}: cannot read ({exc})") from None
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(io.StringIO(text))]


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: str) -> str:
    """A text cell a spreadsheet would execute (``=HYPERLINK(…)``, ``+1``, ``-2+3``, ``@SUM``),
    also after leading spaces, gets a leading apostrophe so it is shown as text. Quotes come
    from articles anyone can write, and end up in observations.csv and every run folder.
    A plain number ("-90.85", a longitude of a row made of strings) is kept as it is: a
    spreadsheet shows it as a number, and a reader of the file needs it as one."""
    if not value.lstrip(" ").startswith(_FORMULA_START):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def write_csv(path: Path | None, rows: Sequence[Mapping[str, object]], columns: list[str],
              *, keep: int = 0) -> str:
    """Write rows (atomically when ``path`` is given); return the CSV text when path is None.

    Text cells are neutralised against formula injection (``neutralise``), except in the first
    ``keep`` rows (a user's own rows of a file we append to are written back unchanged)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for i, r in enumerate(rows):
        if i < keep:
            w.writerow({k: _fmt(r.get(k)) for k in columns})
        else:
            w.writerow({k: _cell(r.get(k)) for k in columns})
    if path is None:
        return buf.getvalue()
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(buf.getvalue(), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)  # a failed write leaves nothing behind
        raise EvidenceError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return ""


def _cell(v: object) -> str:
    return neutralise(v) if isinstance(v, str) else _fmt(v)


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) < 1e15 and v != int(v) else str(int(v))
    return str(v)
