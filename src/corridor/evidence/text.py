"""Text utilities shared by the extractors: offset-preserving folding, sentences, clauses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFD", low)[0]
    if base in "’‘`´":
        return "'"
    if base in "“”«»":
        return '"'
    if base in "–—‑":
        return "-"
    return base if base.isascii() or unicodedata.category(base)[0] == "L" else low


_TABLE = {i: _fold_char(chr(i)) for i in range(0x80, 0x2500)}


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one character per character (offsets stay valid)."""
    if text.isascii():
        return text.lower()
    out = text.translate(_TABLE)
    if not out.isascii():  # rare: characters beyond the table
        out = "".join(_fold_char(c) if not c.isascii() else c for c in out)
    return out.lower() if len(out.lower()) == len(out) else out


def fold_name(text: str) -> str:
    """A place name reduced for dictionary lookup: folded, punctuation to spaces, squeezed."""
    t = re.sub(r"[^\w]+", " ", fold(text))
    return " ".join(t.split())


@dataclass(frozen=True)
class Span:
    """A piece of a document: its text and where it starts in the document."""

    start: int
    end: int
    text: str
    paragraph: int


_ABBREV = {
    "u.s", "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "st", "no", "vs", "etc", "jan", "feb",
    "aug", "sept", "sep", "oct", "nov", "dec", "lic", "sr", "sra", "gov", "lt", "col", "sgt",
    "u.n", "ee.uu", "a.m", "p.m", "inc", "corp", "jr", "approx", "e.g", "i.e", "mx", "d.c",
}
# a stop, spaces, a capital; or a stop glued to the next sentence by a copy that lost the space
# ("… para 3 mil.Se preveía …": a lower-case word, a stop, a capitalised word; "EE.UU." and
# "U.S." are capitals and stay whole)
_SENT_END = re.compile(r"[.!?…]+[\"”’)\]]*\s+(?=[\"“‘(¿¡]?[A-ZÁÉÍÓÚÑ0-9@#])"
                       r"|(?<=[a-záéíóúñ]{2}[.!?])(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñ])")


# A line that stops mid-sentence (no closing mark) and a next line that goes on in lower case:
# a hard-wrapped paragraph ("… han sido regresados a\nsu país y …"), one paragraph, not two.
_WRAPPED = re.compile(r"(?<=[^\s.!?…:;\"”’)\]])[ \t]*\n(?=[ \t]*[a-záéíóúñü])")


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Non-blank paragraphs with their offsets; wrapped lines joined (newline read as a space,
    so offsets stay those of the text)."""
    out: list[tuple[int, str]] = []
    for pm in re.finditer(r"(?:[^\n]|" + _WRAPPED.pattern + r")+", text):
        chunk = pm.group(0)
        if chunk.strip():
            out.append((pm.start(), chunk.replace("\n", " ")))
    return out


def sentences(text: str) -> list[Span]:
    """Split a document into sentences with their offsets (paragraphs split on newlines)."""
    out: list[Span] = []
    para = 0
    for start, chunk in _paragraphs(text):
        pos = 0
        for m in _SENT_END.finditer(chunk):
            # the word before the stop (a bounded look-back: linear on long paragraphs)
            word = re.search(r"(\S+?)[.!?…]+[\"”’)\]]*\s+$",
                             chunk[max(pos, m.start() - 60):m.end()])
            token = word.group(1).lower().strip("(\"“") if word else ""
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            _add(out, start + pos, chunk[pos:m.end()], para)
            pos = m.end()
        _add(out, start + pos, chunk[pos:], para)
        para += 1
    return out


MAX_SENTENCE = 2000  # characters; longer runs (no full stop) are cut at a space


def _add(out: list[Span], start: int, piece: str, para: int) -> None:
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    # A "sentence" of megabytes (a file with no full stops) would make the per-sentence
    # pairings quadratic: cut it into pieces so extraction stays linear in the file's size.
    while len(stripped) > MAX_SENTENCE:
        cut = stripped.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
        cut = cut if cut > 0 else MAX_SENTENCE
        out.append(Span(s, s + cut, stripped[:cut], para))
        rest = stripped[cut:]
        s += cut + len(rest) - len(rest.lstrip())
        stripped = rest.lstrip()
    if stripped:
        out.append(Span(s, s + len(stripped), stripped, para))


# Clause boundaries: a contrast or a new subject ("…, while another 955 were …").
_CLAUSE = re.compile(
    r",?\s+(?:while|whereas|but|although|mientras(?: que)?|pero|aunque|sino|debido a que|"
    r"because|porque|ya que)\s+|;\s+|:\s+"
    # "… deportados de México y otros 51 retornaron de Guatemala": a second count, a new clause
    r"|,?\s+(?:y|and)\s+(?=(?:otros|otras|another|other)\s+(?:\d|unos|unas|about|some))"
)


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Character ranges of the clauses of a sentence."""
    bounds, pos = [], 0
    for m in _CLAUSE.finditer(sentence):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(sentence)))
    return [(a, b) for a, b in bounds if b > a]
