"""Which language a text is in, from its most frequent function words (enough to tell the
supported English and Spanish apart from each other and from a few common others)."""

from __future__ import annotations

import re
from collections import Counter

from corridor.evidence.text import fold

SUPPORTED = {"en": "English", "es": "Spanish"}
def _words(text: str) -> set[str]:
    return set(text.split())


STOPWORDS: dict[str, set[str]] = {
    "en": _words("the of and to in is that for on with as was were by at from are this have "
                 "has it be which who their said will would they not an or but its about been "
                 "after into"),
    "es": _words("el la de que y en los las del se por un una con para es al lo como mas pero "
                 "sus le ya fue han este esta son entre sobre tambien dijo a unos unas fueron su "
                 "hay ayer desde hacia segun"),
    "fr": _words("le la les des et est dans une pour qui que sur pas avec ce sont du au il "
                 "elle nous vous leur"),
    "pt": _words("o os as da do das dos que e em um uma para com nao por mais como foi sao "
                 "pelo pela"),
    "de": _words("der die das und ist nicht ein eine zu den von mit sich des auf fur im dem "
                 "auch es an werden"),
    "it": _words("il lo gli della delle che e di un una per con non sono nel alla come anche "
                 "piu questo"),
}
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German",
         "it": "Italian"}


def detect(text: str, sample_chars: int = 20000, min_hits: int = 2) -> str:
    """Best-guess language code ('en', 'es', 'fr' …) or '' when there are too few words.

    ``min_hits=1`` suits a single sentence (the best language must then beat the others)."""
    words = re.findall(r"[a-z]+", fold(text[:sample_chars]))
    if len(words) < 3:
        return ""
    counts = Counter(w for w in words if len(w) <= 8)
    scores = {lang: sum(counts[w] for w in sw) for lang, sw in STOPWORDS.items()}
    ranked = sorted(scores, key=lambda k: -scores[k])
    best = ranked[0]
    if scores[best] == scores[ranked[1]]:
        return ""
    return best if scores[best] >= max(min_hits, 0.05 * len(words)) else ""


def detect_en_es(text: str) -> str:
    """Fast per-sentence choice between English and Spanish ('' when undecided)."""
    en = es = 0
    for w in re.findall(r"[a-z]+", fold(text)):
        en += w in _EN
        es += w in _ES
    return "en" if en > es else "es" if es > en else ""


_EN, _ES = STOPWORDS["en"], STOPWORDS["es"]
