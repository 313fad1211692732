"""Find quantities in English and Spanish text and turn hedges into a low–high range.

The range rules are documented in docs/evidence.md. In short, with N the number and s its *step*
(the unit of its last non-zero digit, capped at N/5): plain digits are exact; "about N" and numbers
written with a scale word or in words ("2.2 million", "dos mil") are N ± s/2; "more than N" is
N..N+s; "nearly N" is N−s/2..N; "up to / less than N" is N−s..N; vague words ("thousands",
"miles") have a fixed range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from corridor.evidence.text import fold

# --- lexicons -------------------------------------------------------------------------------

UNITS_EN = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}
UNITS_ES = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiun": 21,
    "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
    "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400,
    "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
    "novecientos": 900, "novecientas": 900,
}
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "mil": 1_000, "millon": 1_000_000, "millones": 1_000_000, "mm": 1_000_000,
}
CONNECTORS = {"and", "y", "-"}
# Lone words that are far more often articles or pronouns than counts.
WEAK_WORDS = {"a", "an", "one", "un", "uno", "una"}

# Vague quantities: (pattern on folded text, low, high). Longest first.
VAGUE: list[tuple[str, float, float]] = [
    (r"hundreds of thousands|cientos de miles|centenares de miles", 200_000, 999_999),
    (r"tens of thousands|decenas de miles", 20_000, 99_999),
    (r"(?:a )?few thousand|unos pocos miles|unos cuantos miles", 2_000, 5_000),
    (r"(?:a )?few hundred|unos pocos cientos|unos cuantos cientos", 200, 500),
    (r"several thousand|varios miles", 3_000, 9_000),
    (r"several hundred|varios cientos|varios centenares", 300, 900),
    (r"millions|millones", 2_000_000, 9_999_999),
    (r"thousands|miles|millares", 2_000, 9_999),
    (r"hundreds|cientos|centenares", 200, 999),
    (r"dozens|decenas", 24, 99),
    (r"a dozen|una docena", 12, 12),
    (r"a few|a handful of|unos pocos|unas pocas|unos cuantos|unas cuantas", 2, 5),
    (r"several|varios|varias", 3, 9),
]

# Hedges before a number, on folded text, mapped to a rule name. Longest first when compiled.
HEDGES: dict[str, str] = {
    "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "some": "about", "an estimated": "about", "estimated": "about", "circa": "about",
    "approx.": "about", "unos": "about", "unas": "about", "alrededor de": "about",
    "aproximadamente": "about", "cerca de": "nearly", "en torno a": "about",
    "more than": "more", "over": "more", "at least": "more", "upwards of": "more",
    "in excess of": "more", "mas de": "more", "al menos": "more", "por lo menos": "more",
    "poco mas de": "more", "mas de un total de": "more",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    # "closed to" is a common misspelling of "close to" in news copy.
    "closed to": "nearly", "casi": "nearly", "poco menos de": "nearly",
    "less than": "less", "fewer than": "less", "under": "less", "up to": "less",
    "as many as": "less", "menos de": "less", "hasta": "less",
}
_HEDGE_RE = re.compile(
    r"(?:^|[\s(“\"'])(" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True))
    + r")\s*$"
)

_WORDS = sorted({*UNITS_EN, *UNITS_ES, *SCALES} - {"mm"}, key=len, reverse=True)
_NUM_WORD = r"(?:" + "|".join(_WORDS) + r")"
_DIGITS = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE = r"(?:\s*(?:thousand|million|billion|mil|millon|millones|mm)\b)?"
# A number in digits (with an optional scale word) or a run of number words.
_NUMBER_RE = re.compile(
    r"(?<![\w@#/$.,-])(" + _DIGITS + r")(?![\w%])" + r"(" + _SCALE + r")"
    r"|\b(" + _NUM_WORD + r"(?:(?:\s+|\s*-\s*)(?:and\s+|y\s+)?" + _NUM_WORD + r")*)\b"
)
_VAGUE_RE = re.compile(r"\b(" + "|".join(p for p, _, _ in VAGUE) + r")\b")
_PRECEDED_BY_NUMBER = re.compile(r"(?:\d|\b" + _NUM_WORD + r")\s+$")
_RANGE_RE = re.compile(r"^\s*(?:-|–|—|to|a|y|and|or|o)\s*$")


@dataclass(frozen=True)
class Quantity:
    """A number found in text: where it is, its value and the range its wording implies."""

    start: int
    end: int
    value: float
    low: float
    high: float
    rule: str  # exact, rounded, about, more, nearly, less, range, vague
    text: str


def step(value: float) -> float:
    """The unit of the last non-zero digit of ``value``, capped at value/5 (see module doc)."""
    if value <= 0:
        return 0.0
    unit = 10 ** math.floor(math.log10(value))
    # walk down until the value is a multiple of unit (float-safe)
    while unit > 1e-9 and abs(value / unit - round(value / unit)) > 1e-6:
        unit /= 10
    return min(unit, value / 5)


def hedge_range(value: float, rule: str) -> tuple[float, float]:
    """The documented low–high range for ``value`` under a hedge rule."""
    s = step(value)
    if rule in ("about", "rounded"):
        return value - s / 2, value + s / 2
    if rule == "more":
        return value, value + s
    if rule == "nearly":
        return value - s / 2, value
    if rule == "less":
        return max(value - s, 0.0), value
    return value, value


def parse_digits(text: str) -> float:
    """Parse '9,000', '9.000', '2.2', '2,5' (decimal comma) into a float."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", t) and len(set(re.findall(r"[,.]", t))) == 1:
        return float(re.sub(r"[,.]", "", t))
    m = re.fullmatch(r"(\d{1,3}(?:([,.])\d{3})+)([.,])(\d+)", t)
    if m and m.group(2) != m.group(3):
        return float(re.sub(r"[,.]", "", m.group(1)) + "." + m.group(4))
    return float(t.replace(",", "."))


_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
         "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
         "hundred"}


def _split_run(words: str) -> list[tuple[int, str]]:
    """A run of number words split where "y"/"and" joins two numbers rather than tens and
    units ("treinta y cinco" is one number, "siete y nueve mil" two)."""
    parts: list[tuple[int, str]] = []
    start = 0
    for m in re.finditer(r"\s+(?:y|and)\s+", words):
        prev = words[start:m.start()].split()[-1] if words[start:m.start()].split() else ""
        if prev not in _TENS:
            parts.append((start, words[start:m.start()]))
            start = m.end()
    parts.append((start, words[start:]))
    return parts


def _spanish_thousands(text: str, folded: str, found: list[Quantity]) -> list[Quantity]:
    """Mexican papers write 5,632 as "5 mil 632" and 1,064 as "mil 64": a number with "mil"
    followed by a number under 1,000 is one exact number."""
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and re.search(r"\bmil\s*$", folded[q.start:q.end]) and \
                re.fullmatch(r"\s+", folded[q.end:nxt.start]) and nxt.value < 1000 and \
                nxt.text[:1].isdigit() and q.value % 1000 == 0:
            v = q.value + nxt.value
            out.append(Quantity(q.start, nxt.end, v, v, v, "exact", text[q.start:nxt.end]))
            i += 2
            continue
        out.append(q)
        i += 1
    return out


def parse_words(text: str) -> float | None:
    """Parse number words ('nine thousand', 'dos mil', 'twenty-five') into a value."""
    tokens = [t for t in re.split(r"[\s-]+", fold(text)) if t and t not in CONNECTORS]
    total, current, seen = 0.0, 0.0, False
    for tok in tokens:
        if tok in SCALES:
            scale = SCALES[tok]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
            seen = True
        elif tok in UNITS_EN or tok in UNITS_ES:
            current += UNITS_EN.get(tok, UNITS_ES.get(tok, 0))
            seen = True
        else:
            return None
    return total + current if seen else None


_ENGLISH_ONCE = re.compile(r"\s+(?:again|more|large|upon|a|an|the|they|we|it|he|she|in|and|or|"
                           r"there|that|had|was|were|has|have|thriving|proud|powerful|"
                           r"common|popular|bustling)\b|\s*[,.;]")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` (a sentence), with hedges and ranges applied."""
    folded = fold(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _VAGUE_RE.finditer(folded):
        if _PRECEDED_BY_NUMBER.search(folded[max(0, m.start() - 25):m.start()]):
            continue  # "2,5 millones", "diez mil": a scale word, not a vague quantity
        for pattern, low, high in VAGUE:
            if re.fullmatch(pattern, m.group(1)):
                found.append(Quantity(m.start(1), m.end(1), (low + high) / 2, low, high,
                                      "vague", text[m.start(1):m.end(1)]))
                taken.append((m.start(1), m.end(1)))
                break
    for m in _NUMBER_RE.finditer(folded):
        start, end = m.span()
        if any(a < end and start < b for a, b in taken):
            continue
        if m.group(1):
            value = parse_digits(m.group(1))
            scale_word = m.group(2).strip()
            if scale_word:
                value *= SCALES[scale_word]
                rule = "rounded"
            else:
                rule = "exact"
            end = m.end(2) if scale_word else m.end(1)
        else:
            words = m.group(3)
            if all(w in WEAK_WORDS for w in words.split()):
                continue  # "a un promedio de …": articles, not 1 + 1
            if re.search(r"\bonce$", words) and _ENGLISH_ONCE.match(folded[m.end(3):m.end(3) + 12]):
                continue  # "A once large caravan", "at once": English "once", not eleven
            parts = _split_run(words)
            if len(parts) > 1:  # "entre siete y nueve mil": two numbers, not 16,000
                base = m.start(3)
                for off, part in parts:
                    v = parse_words(part)
                    if v:
                        scaled = any(w in SCALES for w in re.split(r"[\s-]+", part))
                        a = base + off
                        found.append(Quantity(a, a + len(part), v, v, v,
                                              "rounded" if scaled and v >= 1000 else "exact",
                                              text[a:a + len(part)]))
                continue
            parsed = parse_words(words)
            if parsed is None or parsed == 0:
                continue
            value = parsed
            has_scale = any(w in SCALES for w in re.split(r"[\s-]+", words))
            rule = "rounded" if has_scale and value >= 1000 else "exact"
            start, end = m.start(3), m.end(3)
        found.append(Quantity(start, end, value, value, value, rule, text[start:end]))
    found.sort(key=lambda q: q.start)
    found = _spanish_thousands(text, folded, found)
    found = [q for q in found if not _not_a_count(folded, q)]
    return _apply_hedges_and_ranges(text, folded, found)


# What looks like a number but is no count of anything: clock times, ages, phone numbers,
# days of a month, money amounts (the caller decides about units; these are the unit-less ones).
_CLOCK_AFTER = re.compile(
    r"^(?:\s*[:h]\d\d|\.\d\d\s*(?:gmt|hrs?|horas|h)\b|\s*(?:a\.?\s?m\b\.?|p\.?\s?m\b\.?|hrs?\b|"
    r"horas\b|gmt\b|o'clock|de la (?:manana|tarde|noche|madrugada)|"
    r"in the (?:morning|afternoon|evening)|at night|hora\b))")
_CLOCK_BEFORE = re.compile(r"(?:\b(?:a las|a la|desde las|hasta las|de las)\s+|\d[:.]|"
                           r"\bat\s+(?=\d+\s*(?:a\.?m|p\.?m|o'clock)))$")
_AGE_AFTER = re.compile(r"^(?:\s*-?\s*years?[- ]old|\s*-?\s*year-olds?|\s+anos de edad|"
                        r"\s+years of age|-ano)")
_AGE_BEFORE = re.compile(r"(?:\baged|\bage|\bde edad de|\btiene|\btenia)\s+$")
_PHONE = re.compile(r"^[-. ]?\d{2,4}[-. ]\d{3,4}\b")
_MONEY_AFTER = re.compile(r"^\s*(?:(?:thousand|million|mil|millones)\s+)?(?:de\s+)?"
                          r"(?:pesos|dollars|dolares|usd|quetzales|lempiras|euros|bucks)\b")
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|january|"
                           r"february|march|april|may|june|july|august|september|october|november|"
                           r"december)\.?\s+$")


_DAY_PAIR = re.compile(r"^\s*(?:y|al|a|-|and|to)\s+(?:el\s+)?\d{1,2}\s+(?:de\s+)?"
                       r"(?:ene|feb|mar|abr|"
                       r"may|jun|jul|ago|sep|oct|nov|dic|jan|apr|aug|dec)")


def _not_a_count(folded: str, q: Quantity) -> bool:
    """A clock time ("6:00 am", "a las 4 de la mañana"), an age ("52-year-old", ", 52,"
    after a name), a phone number, a day of a month ("Nov. 6") or an amount of money."""
    after = folded[q.end:q.end + 30]
    before = folded[max(0, q.start - 16):q.start]
    if q.rule == "vague":
        return False
    if _CLOCK_AFTER.match(after) or _CLOCK_BEFORE.search(before):
        return True
    if _AGE_AFTER.match(after) or _AGE_BEFORE.search(before):
        return True
    if re.search(r"\b(?:kilometro|km|kilometer|kilometre|mile|milla|highway|carretera|route|"
                 r"ruta|no|num|numero|number|siglo|century)\.?\s*$", before) or \
            (q.value <= 31 and re.search(r"\b(?:el|del|al)\s+(?:pasado\s+)?dia\s+$", before)):
        # "el kilómetro 177", "Highway 200": a position on a road, not people; "Estación
        # Migratoria Siglo 21": a name; "desde el pasado día 1": a day of the month
        return True
    # "José Rivera, 52, an unemployed guard": a small number between commas after a name
    if q.value < 120 and re.match(r"^,", after) and re.search(r"[a-z]\w*,\s*$", before):
        return True
    if q.text[:1].isdigit() and (_PHONE.match(after) or re.search(r"\+\s*$", before)):
        return True
    if q.value <= 31 and q.text.isdigit() and (_MONTH_BEFORE.search(before) or re.match(
            r"^\s+(?:de\s+)?(?:ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic|jan|apr|aug|"
            r"dec)\b", after)):
        return True  # "Nov. 6", "20 ene (EFE)"
    # "(18.01.2021)", "entre el 14 y 15 de enero", "del 14 al 16 de enero": dates
    if re.match(r"^[./-]\d{1,4}", after) or (q.value <= 31 and _DAY_PAIR.match(after)):
        return True
    return bool(_MONEY_AFTER.match(after) or re.search(r"(?:us|mx)?\$\s*$", before))


def _apply_hedges_and_ranges(text: str, folded: str, found: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        # "between A and B", "entre A y B", "A-B", "A to B"
        if i + 1 < len(found) and q.rule != "vague" and found[i + 1].rule != "vague":
            nxt = found[i + 1]
            gap = folded[q.end:nxt.start]
            if _RANGE_RE.match(gap) and nxt.value > q.value:
                lead = folded[max(0, q.start - 10):q.start]
                is_range = gap.strip() in ("-", "–", "—", "to", "a") or re.search(
                    r"\b(?:between|entre|from|de)\s*$", lead)
                if is_range:
                    low_v = q.value
                    # "2 to 3 million": the scale of the second applies to the first
                    if nxt.rule == "rounded" and q.rule == "exact" and q.value * 100 < nxt.value:
                        scale = max((SCALES[w] for w in re.split(r"[\s-]+", fold(nxt.text))
                                     if w in SCALES), default=1)
                        low_v = q.value * scale
                    out.append(Quantity(q.start, nxt.end, (low_v + nxt.value) / 2, low_v,
                                        nxt.value, "range", text[q.start:nxt.end]))
                    i += 2
                    continue
        if q.rule != "vague":
            hm = _HEDGE_RE.search(folded[max(0, q.start - 30):q.start])
            if hm:
                rule = HEDGES[hm.group(1)]
                low, high = hedge_range(q.value, rule)
                start = max(0, q.start - 30) + hm.start(1)
                q = Quantity(start, q.end, q.value, low, high, rule, text[start:q.end])
            elif q.rule == "rounded":
                low, high = hedge_range(q.value, "rounded")
                q = Quantity(q.start, q.end, q.value, low, high, "rounded", q.text)
        out.append(q)
        i += 1
    return out


def parse_words_or_digits(text: str) -> float:
    """Value of a bare number text (digits first, then words); 1 when unknown."""
    m = re.match(r"\s*(" + _DIGITS + r")", text)
    if m:
        return parse_digits(m.group(1))
    return parse_words(text) or 1.0
