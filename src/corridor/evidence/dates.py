"""Find time expressions in English and Spanish and resolve them against a publication date.

Absolute dates ("January 17, 2021", "17 de enero de 2021", "2021-01-20") need no publication date.
Relative ones ("on Sunday", "yesterday", "el pasado martes", "this week", "from January to
November", "in the first eleven months of 2023") do. A period has ``low``..``high`` and its
``date`` is its last day, clipped to the publication date (a count over a period is known as of
its end). Weeks run Monday–Sunday. Weekday rules: "last X"/"el pasado X" is the X strictly before
publication, "next X"/"el próximo X" the X strictly after, "this X"/"este X" the X of the
publication week, a bare "on X"/"el X" the most recent X on or before publication.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from corridor.evidence.text import fold

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sabado": 5, "domingo": 6,
}
ORDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "un": 1, "uno": 1, "dos": 2, "tres": 3,
    "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "once": 11, "doce": 12,
}
HOLIDAYS = {  # folded name -> (month, day)
    "christmas eve": (12, 24), "nochebuena": (12, 24), "christmas day": (12, 25),
    "christmas": (12, 25), "navidad": (12, 25), "new year's eve": (12, 31),
    "nochevieja": (12, 31), "new year's day": (1, 1), "ano nuevo": (1, 1),
}


@dataclass(frozen=True)
class TimeExpr:
    """A resolved time expression: its span in the sentence, the day, and the period if any."""

    start: int
    end: int
    date: dt.date
    low: dt.date
    high: dt.date
    text: str
    relative: bool  # needed the publication date
    cumulative: bool  # a multi-week period that a count runs over ("January to November")

    @property
    def is_period(self) -> bool:
        return self.low != self.high


_M = r"(?P<{n}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUMW = "|".join(sorted(ORDINALS, key=len, reverse=True))
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"

PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ("mdy", r"\b" + _M.format(n="mon") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
     r"(?:,?\s+" + _YEAR.format(n="y") + r")?\b"),
    ("dmy", r"\b(?P<d>\d{1,2})\s+(?:de\s+)?" + _M.format(n="mon")
     + r"(?:,?\s+(?:de\s+|del\s+)?" + _YEAR.format(n="y") + r")?\b"),
    ("first_months", r"\b(?:in\s+)?(?:the\s+)?(?:first\s+)?(?P<n>\d{1,2}|" + _NUMW
     + r")\s+months\s+(?:of|in)\s+" + _YEAR.format(n="y") + r"\b"),
    ("first_months_es", r"\b(?:en\s+)?(?:los\s+)?(?:primeros\s+)?(?P<n>\d{1,2}|" + _NUMW
     + r")\s+(?:primeros\s+)?meses\s+(?:de|del)\s+(?:ano\s+)?" + _YEAR.format(n="y") + r"\b"),
    ("month_range", r"\b(?:from|between|de|entre|desde)\s+" + _M.format(n="m1")
     + r"\s+(?:to|and|through|until|a|y|hasta|-)\s+" + _M.format(n="m2")
     + r"(?:,?\s+(?:de\s+|of\s+)?" + _YEAR.format(n="y") + r")?\b"),
    ("month_range_dash", r"\b" + _M.format(n="m1") + r"\s*-\s*" + _M.format(n="m2")
     + r"(?:,?\s+(?:de\s+)?" + _YEAR.format(n="y") + r")?\b"),
    ("month", r"\b(?:in|during|since|en|durante|desde|de)\s+(?:early\s+|late\s+|mid-?)?"
     + _M.format(n="mon") + r"(?:,?\s+(?:de\s+|of\s+)?" + _YEAR.format(n="y") + r")?\b"),
    ("month_year", r"\b" + _M.format(n="mon") + r"\s+(?:de\s+)?" + _YEAR.format(n="y") + r"\b"),
    ("holiday", r"\b(?:on\s+|en\s+)?(?P<h>christmas eve|christmas day|christmas|nochebuena"
     r"|navidad|new year's eve|nochevieja|new year's day|ano nuevo)\b"),
    ("ago", r"\b(?:hace\s+(?:apenas\s+|unos\s+|unas\s+|ya\s+)?(?P<n>\d{1,2}|una|" + _NUMW
     + r")\s+(?P<u>dias?|semanas?)|(?P<n2>\d{1,2}|a|" + _NUMW
     + r")\s+(?P<u2>days?|weeks?)\s+ago)\b"),
    ("today", r"\b(?:today|hoy|this morning|esta manana|tonight|esta noche|esta madrugada|"
              r"this afternoon|this evening|esta tarde|earlier today)\b"),
    ("yesterday", r"\b(?:the day before yesterday|anteayer|antier|yesterday|ayer|anoche|"
                  r"last night)\b"),
    ("this_week", r"\b(?:this week|esta semana|earlier this week)\b"),
    ("last_week", r"\b(?:last week|la semana pasada|past week)\b"),
    ("next_week", r"\b(?:next week|la proxima semana|la semana proxima)\b"),
    ("this_month", r"\b(?:this month|este mes|so far this month|en lo que va del mes)\b"),
    ("last_month", r"\b(?:last month|el mes pasado)\b"),
    ("this_year", r"\b(?:this year|este ano|so far this year|en lo que va del ano)\b"),
    ("last_year", r"\b(?:last year|el ano pasado)\b"),
    ("weekday", r"\b(?P<q>last|next|this|earlier|on|el pasado|el proximo|este|el|pasado)?\s*"
     r"(?P<wd>" + _WD + r")(?P<q2>\s+pasado|\s+proximo)?\b"),
]
_COMPILED = [(name, re.compile(p)) for name, p in PATTERNS]
# Cheap test before the patterns: a digit or a word that starts some time expression.
_HINT = re.compile(r"\d|\b(?:" + "|".join(sorted({*MONTHS, *WEEKDAYS}, key=len, reverse=True))
                   + r"|christmas|navidad|nochebuena|nochevieja|new year|ano nuevo|today|hoy|"
                   r"tonight|yesterday|ayer|anteayer|antier|manana|noche|week|semana|month|mes|"
                   r"madrugada|tarde|anoche|night|afternoon|evening|ago|hace|"
                   r"year|ano)\b")


def _year_for_month(month: int, published: dt.date | None) -> int | None:
    """A month named without a year: the most recent such month on or before publication."""
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _period(low: dt.date, high: dt.date, published: dt.date | None) -> tuple[dt.date, dt.date]:
    if published is not None and low <= published < high:
        high = published
    return low, high


def resolve(name: str, m: re.Match[str], published: dt.date | None) -> (
        tuple[dt.date, dt.date, dt.date, bool, bool] | None):
    """(date, low, high, relative, cumulative) for one matched pattern, or None."""
    g = m.groupdict()
    pub = published
    try:
        if name == "iso":
            d = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            return d, d, d, False, False
        if name in ("mdy", "dmy"):
            month = MONTHS[g["mon"]]
            year = int(g["y"]) if g.get("y") else _year_for_month(month, pub)
            if year is None:
                return None
            d = dt.date(year, month, int(g["d"]))
            return d, d, d, g.get("y") is None, False
        if name in ("first_months", "first_months_es"):
            n = int(g["n"]) if g["n"].isdigit() else ORDINALS[g["n"]]
            year = int(g["y"])
            if not 1 <= n <= 12:
                return None
            low, high = _period(dt.date(year, 1, 1), _month_end(year, n), pub)
            return high, low, high, False, True
        if name in ("month_range", "month_range_dash"):
            m1, m2 = MONTHS[g["m1"]], MONTHS[g["m2"]]
            year = int(g["y"]) if g.get("y") else _year_for_month(m2, pub)
            if year is None or m2 < m1:
                return None
            low, high = _period(dt.date(year, m1, 1), _month_end(year, m2), pub)
            return high, low, high, g.get("y") is None, True
        if name in ("month", "month_year"):
            month = MONTHS[g["mon"]]
            if g["mon"] == "may" and name == "month" and not g.get("y"):
                pass  # "in May" is a month; the modal verb never follows "in"
            year = int(g["y"]) if g.get("y") else _year_for_month(month, pub)
            if year is None:
                return None
            low, high = _period(dt.date(year, month, 1), _month_end(year, month), pub)
            return high, low, high, g.get("y") is None, False
        if name == "holiday":
            if pub is None:
                return None
            month, day = HOLIDAYS[g["h"]]
            # the nearest one: "pasarán la Navidad" in a report of 24 December is tomorrow
            d = min((dt.date(y, month, day) for y in (pub.year - 1, pub.year, pub.year + 1)),
                    key=lambda x: (abs((x - pub).days), x > pub))
            return d, d, d, True, False
        if pub is None:
            return None
        monday = pub - dt.timedelta(days=pub.weekday())
        text = m.group(0)
        if name == "today":
            return pub, pub, pub, True, False
        if name == "yesterday":
            back = 2 if ("before" in text or "ante" in text or "antier" in text) else 1
            d = pub - dt.timedelta(days=back)
            return d, d, d, True, False
        if name == "this_week":
            low, high = _period(monday, monday + dt.timedelta(days=6), pub)
            return high, low, high, True, False
        if name == "last_week":
            low = monday - dt.timedelta(days=7)
            high = low + dt.timedelta(days=6)
            return high, low, high, True, False
        if name == "ago":  # "hace apenas 1 semana", "three days ago"
            n_txt = g.get("n") or g.get("n2") or "1"
            n = int(n_txt) if n_txt.isdigit() else ORDINALS.get(n_txt, 1)
            unit = g.get("u") or g.get("u2") or "day"
            d = pub - dt.timedelta(days=n * (7 if unit.startswith(("sem", "week")) else 1))
            return d, d, d, True, False
        if name == "next_week":
            low = monday + dt.timedelta(days=7)
            high = low + dt.timedelta(days=6)
            return high, low, high, True, False
        if name == "this_month":
            low, high = _period(pub.replace(day=1), _month_end(pub.year, pub.month), pub)
            return high, low, high, True, False
        if name == "last_month":
            high = pub.replace(day=1) - dt.timedelta(days=1)
            low = high.replace(day=1)
            return high, low, high, True, False
        if name == "this_year":
            low, high = _period(dt.date(pub.year, 1, 1), dt.date(pub.year, 12, 31), pub)
            return high, low, high, True, True
        if name == "last_year":
            y = pub.year - 1
            return dt.date(y, 12, 31), dt.date(y, 1, 1), dt.date(y, 12, 31), True, True
        if name == "weekday":
            wd = WEEKDAYS[g["wd"]]
            q = (g.get("q") or "").strip()
            q2 = (g.get("q2") or "").strip()
            if not q and not q2 and g["wd"] in ("el", "este"):
                return None
            if q in ("next", "el proximo") or q2 == "proximo":
                ahead = (wd - pub.weekday()) % 7 or 7
                d = pub + dt.timedelta(days=ahead)
            elif q in ("last", "el pasado", "pasado") or q2 == "pasado":
                back = (pub.weekday() - wd) % 7 or 7
                d = pub - dt.timedelta(days=back)
            elif q in ("this", "este"):
                d = monday + dt.timedelta(days=wd)
                if d > pub:  # "apenas este domingo" in Monday's paper: the day before
                    d -= dt.timedelta(days=7)
            else:
                d = pub - dt.timedelta(days=(pub.weekday() - wd) % 7)
            return d, d, d, True, False
    except (ValueError, KeyError):
        return None
    return None


_WEEKDAY_ONLY = re.compile(r"(?:on\s+|el\s+|este\s+)?(?:" + _WD + r")")


_SPANISH_WEEKDAYS = frozenset({"lunes", "martes", "miercoles", "jueves", "viernes", "sabado",
                               "domingo"})


def _weekday_in_name(sentence: str, a: int, b: int) -> bool:
    """A capitalised Spanish weekday next to another capitalised word is part of a name, not a
    day: "Santo Domingo Tehuantepec" is a town, "Domingo Pérez" a person (Spanish writes days in
    lower case; English articles name Santo Domingo too). "El Domingo" alone stays a day."""
    word = sentence[a:b]
    if fold(word) not in _SPANISH_WEEKDAYS or not word[:1].isupper() or word.isupper():
        return False
    before = re.search(r"(\w+)\W{0,2}$", sentence[:a])
    after = re.match(r"\W{0,2}(\w+)", sentence[b:])
    capital = (before is not None and before.group(1)[:1].isupper()
               and fold(before.group(1)) not in {"el", "este", "on", "this", "last", "next"})
    return capital or (after is not None and after.group(1)[:1].isupper())


def find_dates(sentence: str, published: dt.date | None) -> list[TimeExpr]:
    """All time expressions in a sentence that can be resolved (non-overlapping, longest first)."""
    folded = fold(sentence)
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []
    if not _HINT.search(folded):
        return found
    for name, rx in _COMPILED:
        for m in rx.finditer(folded):
            a, b = m.span()
            if b == a or any(x < b and a < y for x, y in taken):
                continue
            if name == "weekday" and _weekday_in_name(sentence, m.start("wd"), m.end("wd")):
                continue
            r = resolve(name, m, published)
            if r is None:
                continue
            d, low, high, relative, cumulative = r
            found.append(TimeExpr(a, b, d, low, high, sentence[a:b].strip(), relative,
                                  cumulative))
            taken.append((a, b))
    found.sort(key=lambda t: t.start)
    # "Monday, Oct. 15, 2018", "el lunes 15 de octubre": the weekday names the written date
    found = [t for k, t in enumerate(found) if not (
        t.relative and k + 1 < len(found) and found[k + 1].low == found[k + 1].high
        and _WEEKDAY_ONLY.fullmatch(folded[found[k + 1].start:found[k + 1].end]) is None
        and re.fullmatch(r"[\s,]*", folded[t.end:found[k + 1].start]) is not None
        and _WEEKDAY_ONLY.fullmatch(folded[t.start:t.end]) is not None)]
    return _day_ranges(found, folded, sentence, published)


# "between January 18 and January 27", "from Jan. 18 to Jan. 27", "desde el 18 de enero hasta
# este lunes", "between Thursday and Saturday" (a weekday's span starts at its space): two
# days bounding one period (a count over it is known as of its last day)
_RANGE_OPEN = re.compile(r"(?:between|from|desde(?: el)?|entre(?: el)?|del)\s+$")
_RANGE_JOIN = re.compile(r"\s*(?:and|to|through|until|till|-|hasta(?: el)?|y(?: el)?|al)\s*")


def _day_ranges(found: list[TimeExpr], folded: str, sentence: str,
                published: dt.date | None) -> list[TimeExpr]:
    out: list[TimeExpr] = []
    k = 0
    while k < len(found):
        t = found[k]
        u = found[k + 1] if k + 1 < len(found) else None
        if u is not None and not t.is_period and not u.is_period and t.date < u.date and \
                _RANGE_OPEN.search(folded[max(0, t.start - 12):t.start].rstrip() + " ") and \
                _RANGE_JOIN.fullmatch(folded[t.end:u.start]):
            high = min(u.date, published) if published is not None and t.date <= published \
                else u.date
            out.append(TimeExpr(t.start, u.end, high, t.date, high,
                                sentence[t.start:u.end].strip(), t.relative or u.relative,
                                True))
            k += 2
            continue
        out.append(t)
        k += 1
    return out


def parse_published(text: str) -> dt.date | None:
    """Parse a publication date given in any common form ('2021-01-20', '20 de enero de 2021')."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    hits = [t for t in find_dates(text, None) if not t.is_period]
    if hits:
        return hits[0].date
    import dateparser  # slow import; only for unusual forms

    parsed = dateparser.parse(text, languages=["en", "es"],
                              settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


_DATELINE = re.compile(
    r"^\W{0,3}(?:[A-ZÁÉÍÓÚÑ][\w .,'()]{0,60}?(?:,|\.|\s[-–—])\s*)?"  # "Tapachula, Chiapas, "
    r"(?:date|dated|fecha|published|publicado|updated|actualizado)?\s*[:\-]?\s*"
    r"(?P<when>(?:19|20)\d\d-\d\d-\d\d|[A-Za-z]+\.? \d{1,2},? (?:19|20)\d\d"
    r"|\d{1,2}(?: de)? [A-Za-záéíóú]+(?: de)? (?:19|20)\d\d)",
    re.IGNORECASE,
)


def dateline(text: str) -> dt.date | None:
    """The date in a dateline at the very start of a document, if any."""
    m = _DATELINE.match(text[:200])
    if not m:
        return None
    return parse_published(m.group("when"))
