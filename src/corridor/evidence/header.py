"""The head of a saved article: title, outlet and publication date, from the text itself.

People save articles as a title line, maybe an outlet line, a date line ("Published 3 January
2024", "Date: 2024-01-03", "Fecha: 03/01/2024", "By Jane Roe | Jan. 3, 2024", "Updated …"), then
the text, whose first paragraph often opens with a dateline ("Tapachula, 21 de agosto 2022.-",
"MEXICO CITY (AP) —", "Tapachula (México), 3 ene (EFE).-"). We read only the first lines and the
opening of the first body paragraph, and say which of them gave the date (the ``published_from``
column), so a reader can check it.

Order of preference: a labelled "published/publicado/fecha/date" line; a short line that is
only a date (with a byline or a weekday around it); the dateline opening the text; a labelled
"updated/actualizado" line (the first publication is what relative dates refer to, but an
update is better than nothing).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from corridor.evidence.dates import find_dates
from corridor.evidence.language import detect_en_es
from corridor.evidence.text import fold

HEAD_LINES = 8  # non-empty lines looked at
SHORT_LINE = 140  # a date line, byline or title is at most this long
_LABEL = re.compile(r"^\W*(?:published|publication date|posted|date|dated|fecha|publicado|"
                    r"publicada|fecha de publicacion)\b")
_UPDATED = re.compile(r"\b(?:updated|last updated|modified|actualizado|actualizada|"
                      r"ultima actualizacion)\b")
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d\d)\b")
# "2024/01/02" (a URL path, or a date written year first)
_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)")
# a day and month without the year: "20 ene (EFE)", "Oct 20, (RTRS)"
_MON = (r"(?P<mon>ene|enero|feb|febrero|mar|marzo|abr|abril|may|mayo|jun|junio|jul|julio|ago|"
        r"agosto|sep|sept|septiembre|oct|octubre|nov|noviembre|dic|diciembre|jan|january|"
        r"february|march|apr|april|june|july|aug|august|september|october|november|dec|"
        r"december)\.?")
_DAY_MONTH = re.compile(r"\b(?P<d>\d{1,2})\s+(?:de\s+)?" + _MON + r"(?![\w])|\b"
                        + _MON.replace("?P<mon>", "?P<mon2>") + r"\s+(?P<d2>\d{1,2})\b")
_MONTH_NUM = {"ene": 1, "jan": 1, "feb": 2, "mar": 3, "abr": 4, "apr": 4, "may": 5, "jun": 6,
              "jul": 7, "ago": 8, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dic": 12, "dec": 12}
_ISO_TIME = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)T\d")
# "Tapachula, 21 de agosto 2022.-", "TAPACHULA, Chiapas.- 21 de agosto", "… (EFE).-"
_DATELINE_END = re.compile(r"\.-|\.—|\s[-–—]\s|\((?:ap|efe|afp|reuters|dpa|ansa|notimex|"
                           r"europa press|xinhua|ips)\)")
# Outlet markers in a dateline, and outlet names common in the corridor's news.
_WIRE = re.compile(r"\((AP|EFE|AFP|Reuters|DPA|ANSA|Notimex|Europa Press|Xinhua|IPS)\)")
_OUTLET_WORDS = re.compile(
    r"^(?:the )?(?:associated press|ap|ap news|reuters|efe|agencia efe|afp|bbc(?: news| mundo)?|"
    r"cnn(?: en espanol)?|npr|pbs|al jazeera|the guardian|guardian|new york times|"
    r"the new york times|washington post|the washington post|los angeles times|la times|"
    r"el pais|la jornada|milenio|proceso|el universal|excelsior|infobae|animal politico|"
    r"el financiero|el heraldo(?: de chiapas)?|diario del sur|prensa libre|la prensa(?: grafica)?|"
    r"el faro|univision|telemundo|france 24|dw|deutsche welle|voa|voice of america|"
    r"border report|the hill|fox news|nbc news|cbs news|abc news|axios|politico|"
    r"el sol de mexico|la opinion|el diario|swissinfo|yahoo news|mexico news daily|"
    r"the independent|time|vice|el nuevo herald|el comercio|el tiempo|tn8|hoy|publinews|"
    r"la tribuna|el heraldo hn|unhcr|acnur|oim|iom)$")


@dataclass(frozen=True)
class Header:
    """What the head of an article says about it."""

    title: str
    outlet: str
    published: dt.date | None
    published_from: str  # e.g. 'date line "Published 3 January 2024"' ('' when none)


def _full_date(line: str) -> dt.date | None:
    """A complete date (day, month and year) written in ``line``, if any."""
    m = _ISO_TIME.search(line)
    if m:
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            pass
    for t in find_dates(line, None):
        if not t.is_period and not t.relative:
            return t.date
    m = _YMD.search(line)
    if m:
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            pass
    m = _NUMERIC.search(line)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        # 03/01/2024: day first (Spanish-language outlets and most of the world), month first
        # on an English line; a number over 12 settles it either way
        english = detect_en_es(line) == "en" or bool(
            re.search(r"\b(?:published|updated|posted|by)\b", fold(line)))
        if b > 12 or (english and a <= 12):
            month, day = a, b
        else:
            day, month = a, b
        try:
            return dt.date(y, month, day)
        except ValueError:
            return None
    return None


def _clip(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def read_header(text: str) -> Header:
    """Title, outlet and publication date from the first lines of an article (see module doc)."""
    lines: list[str] = []
    for raw in text[:6000].splitlines():
        if raw.strip():
            lines.append(raw.strip())
        if len(lines) >= HEAD_LINES:
            break
    found: list[tuple[int, int, dt.date, str]] = []  # (rank, line, date, how)
    body_line = next((i for i, ln in enumerate(lines) if len(ln) > SHORT_LINE), len(lines))
    for i, ln in enumerate(lines):
        folded = fold(ln)
        if i < body_line and len(ln) <= SHORT_LINE:
            d = _full_date(ln)
            if d is None:
                continue
            if _LABEL.search(folded):
                found.append((0, i, d, f'date line "{_clip(ln)}"'))
            elif _UPDATED.search(folded):
                found.append((3, i, d, f'updated line "{_clip(ln)}"'))
            elif len(ln.split()) <= 10 or ("|" in ln and _full_date(ln.rsplit("|", 1)[1])):
                # "Wednesday, January 3, 2024", "Jan. 3, 2024 5:00 PM ET", "By … | Jan. 3, 2024"
                # (a longer line with a date is a sentence about the date, not a date line)
                found.append((1, i, d, f'date line "{_clip(ln)}"'))
        elif i <= body_line:
            # the dateline opening the text: a date before the ".-" / "—" / "(EFE)" marker
            m = _DATELINE_END.search(ln[:160])
            head = ln[: m.end()] if m else ln[:80]
            d = _full_date(head)
            if d is not None:
                found.append((2, i, d, f'dateline "{_clip(head)}"'))
            break
    title = lines[0] if lines and len(lines[0]) <= 300 and _full_date(lines[0]) is None else ""
    outlet = ""
    for ln in lines[1:min(4, body_line)]:
        if len(ln) <= 40 and _full_date(ln) is None and not re.search(r"[.!?]$", ln) and \
                not re.match(r"(?i)(?:by|por|de)\s", ln) and \
                (len(ln.split()) <= 5 or _OUTLET_WORDS.match(fold(ln))):
            outlet = ln
            break
    if not outlet:
        m = _WIRE.search(text[:3000])
        outlet = m.group(1) if m else ""
    if not found:
        # a dateline with day and month but no year ("Tegucigalpa, 20 ene (EFE)"): the latest
        # year the text names (a report is about its own year), said so in published_from
        for ln in lines[1:min(len(lines), body_line + 1)]:
            head = ln[:100]
            m = _DAY_MONTH.search(fold(head))
            if not m or not (_DATELINE_END.search(head) or "(" in head or len(ln) <= 60):
                continue
            years = re.findall(r"\b((?:19|20)\d\d)\b", text[:20000])
            if not years:
                break
            year = max(years)  # the latest year named (January reports recall December)
            mon = (m["mon"] or m["mon2"])[:3]
            day = int(m["d"] or m["d2"])
            try:
                d = dt.date(int(year), _MONTH_NUM[mon], day)
            except (KeyError, ValueError):
                break
            return Header(title, outlet, d, f'dateline "{_clip(head)}" (year {year} from the '
                          "text)")
        return Header(title, outlet, None, "")
    found.sort()
    rank, _, d, how = found[0]
    return Header(title, outlet, d, how)

