"""Find place mentions in a document and decide which place each one is.

Matching is accent- and case-insensitive on folded names, longest name first ("Mexico City"
before "Mexico", "Mexico's southern border" before "Mexico"); names of three letters or fewer
("US", "U.S.") must be written in capitals (so "us" is a pronoun). *Town* names must be
capitalised in the text and must not touch another capitalised word (so "García" in "Luis Rey
García Villagrán" is a person, not García, Nuevo León); countries, states, regions and scenario
places have no such condition.

Disambiguation (e.g. Escuintla: a town in Chiapas, a city and a department in Guatemala) scores
every candidate and keeps the best:
- a qualifier right after the name ("Nogales, Arizona") that contains the candidate: +6;
- a state or country mentioned in the same sentence that contains the candidate: +3 / +2,
  in the same paragraph +1 / +0.5, elsewhere in the article +0.25 per mention (≤ 1 / ≤ 2);
- another unambiguous town of the article within 150 km: +2;
- level: country +8, state +2.5 (so "Guatemala" is the country unless the context says otherwise);
- size: log10(population) / 3, +1 for a city of a million or more (a news reader's "San Diego"
  is the Californian city unless the sentence says otherwise), +1.5 for a town ten times as
  populous as every namesake ("Juchitán" is Juchitán de Zaragoza, Oaxaca, not a Guerrero
  village).
The winning score and the runner-up are kept so the confidence can reflect a close call.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from corridor.evidence.gazetteer import Gazetteer, Place
from corridor.evidence.regions import (
    CAPITAL_ANAPHORA,
    CAPITAL_NAMES,
    CAPITAL_OF,
    COUNTRY_ANAPHORA,
    DEMONYMS,
    HOME_COUNTRY_PHRASES,
    ROUTE_ADMIN1,
    SMALL_PLACES,
)
from corridor.evidence.text import Span, fold, fold_name

# a region that says where people come from, too wide to be where a fact happened
_ORIGIN_ONLY = frozenset({"region:central-america"})
_SMALL_NAMES = {fold_name(n) for names in SMALL_PLACES.values() for n in names}
# "la capital mexicana": a name written in lower case (see regions.CAPITAL_NAMES)
_CAPITAL_NAMES = {fold_name(n) for names in CAPITAL_NAMES.values() for n in names}
_HOME_RE = re.compile(r"\b(?:" + "|".join(re.escape(fold(p)) for p in HOME_COUNTRY_PHRASES)
                      + r")\b")
_PEOPLE_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:migrants|people|families|nationals|citizens|"
                           r"asylum seekers|travell?ers)\b")
_PEOPLE_BEFORE = re.compile(r"\b(?:migrantes|personas|familias|ciudadanos|nacionales)\s+$")
_DEMONYM_RE = {iso: re.compile(r"\b(?:" + p + r")\b") for iso, p in DEMONYMS.items()}
_ANY_DEMONYM = "(?:" + "|".join(DEMONYMS.values()) + ")"
_DEMONYM_PAIR = re.compile(r"\b" + _ANY_DEMONYM + r"\s*(?:,|and|or|y|e|o)\s+" + _ANY_DEMONYM
                           + r"\b")
_CAPITAL_ANAPHORA_RE = re.compile(r"\b(?:" + "|".join(re.escape(fold(p)) for p in CAPITAL_ANAPHORA)
                                  + r")\b")
_ANAPHORA_RE = re.compile("|".join(re.escape(fold(p)) for p in COUNTRY_ANAPHORA))

ROLE_WORDS: list[tuple[str, str]] = [
    (r"according to|segun|reported by|informo", "source"),
    (r"salio de|salieron de|partio de|partieron de|left|leaving|out of|from|desde|fled|"
     r"procedentes? de|provenientes? de|originari[oa]s de|oriund[oa]s de|naturales de|"
     r"nacionales de|ciudadanos de|mostly from|mainly from|largely from", "origin"),
    (r"toward|towards|into|hacia|rumbo a|reach|reached|to|a|al|llegaron a|llego a|for|"
     r"bound for|headed for|con destino a|camino a|"
     # "trasladados a otros estados como Guerrero", "to other states such as Guerrero"
     r"(?:estados|states|ciudades|cities|municipios|lugares|places) (?:como|such as|like)",
     "destination"),
    (r"in|at|near|inside|within|through|across|along|en|cerca de|dentro de|por|outside|"
     r"a la altura de|a la altura del|at the height of", "loc"),
    (r"of|de|del", "of"),
]
_ROLE_RE = [(re.compile(r"(?:^|\W)(?:" + p + r")\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?"
                        r"(?:[\w-]+\s+){0,2}$"), r) for p, r in ROLE_WORDS]
_ROLE_NEAR = [(re.compile(r"(?:^|\W)(?:" + p + r")\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?$"), r)
              for p, r in ROLE_WORDS]
_GAP_OK = re.compile(r"[ \t.'\-,]{0,3}")
_STOP_CAPS = {
    "the", "a", "an", "and", "or", "in", "on", "at", "of", "to", "from", "la", "el", "los",
    "las", "y", "en", "de", "del", "but", "while", "this", "that", "its", "his", "her", "their",
    "our", "for", "with", "as", "by", "after", "before", "since", "about", "some", "more",
    "than", "according", "meanwhile", "despite", "last", "next", "who", "which",
}


@dataclass
class Mention:
    """A place named in a document, with its candidates and the one chosen."""

    start: int
    end: int
    text: str
    candidates: list[Place]
    sentence: int
    paragraph: int
    role: str = ""
    possessive: bool = False
    qualifier: Place | None = None
    place: Place | None = None
    margin: float = 99.0  # winning score minus the runner-up's
    level_cue: str = ""  # "town" after "la ciudad de", "admin1" after "el estado de"
    how: str = ""
    scenario_id: str = ""


@dataclass
class ScenarioIndex:
    """The places of a scenario, by folded name (parenthetical qualifiers dropped)."""

    rows: list[dict[str, str]] = field(default_factory=list)
    names: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]]) -> ScenarioIndex:
        idx = cls(rows=rows)
        for i, r in enumerate(rows):
            name = r.get("name", "")
            base = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
            for key in {fold_name(name), fold_name(base), fold_name(r["id"].replace("-", " "))}:
                if key:
                    idx.names.setdefault(key, []).append(i)
        return idx

    def places(self, key: str) -> list[Place]:
        """Scenario places named ``key`` (folded), as gazetteer places with a scenario: id."""
        out = []
        for i in self.names.get(key, []):
            r = self.rows[i]
            lat: float | None
            lon: float | None
            try:
                lat, lon = float(r.get("lat", "")), float(r.get("lon", ""))
            except ValueError:
                lat = lon = None
            out.append(Place(f"scenario:{r['id']}", r.get("name", r["id"]), r.get("country", ""),
                             lat, lon, "town"))
        return out

    def match(self, mention_text: str, place: Place | None) -> str:
        """The scenario id for a mention, or '' (same name, same country, within 30 km)."""
        if place is not None and place.id.startswith("scenario:"):
            return place.id.removeprefix("scenario:")
        hits = self.names.get(fold_name(mention_text), [])
        best, best_d = "", 1e9
        for i in hits:
            r = self.rows[i]
            if place is not None and place.country and r.get("country") and \
                    r["country"] != place.country and place.level != "region":
                continue
            d = 0.0
            if place is not None and place.lat is not None and place.level == "town":
                try:
                    d = _km(place.lat, place.lon or 0, float(r["lat"]), float(r["lon"]))
                except (KeyError, ValueError):
                    d = 0.0
                if d > 30:
                    continue
            rank = d + (0 if r.get("kind") in ("town", "border_crossing", "destination") else 1)
            if rank < best_d:
                best, best_d = r["id"], rank
        return best


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from corridor.geo import haversine_km

    return float(haversine_km(lat1, lon1, lat2, lon2))


def find_mentions(text: str, sents: list[Span], gz: Gazetteer, masked: list[tuple[int, int]],
                  scenario: ScenarioIndex | None = None) -> list[Mention]:
    """Every place mention in ``text``, resolved (see module doc)."""
    folded = fold(text)
    mentions: list[Mention] = []
    first = dict(gz.first)
    if scenario is not None:
        for key in scenario.names:
            words = key.split(" ")
            first[words[0]] = max(first.get(words[0], 0), len(words))
    masked = sorted(masked)
    masked_starts = [x for x, _ in masked]
    for si, sent in enumerate(sents):
        first_of_sentence = len(mentions)
        toks = [(m.start() + sent.start, m.end() + sent.start)
                for m in re.finditer(r"\w+", folded[sent.start:sent.end])]
        i = 0
        while i < len(toks):
            a = toks[i][0]
            if (masked_starts and _inside(a, masked_starts, masked)) or \
                    (a > 0 and folded[a - 1] == "@"):
                i += 1
                continue
            hit = None
            longest = first.get(folded[a:toks[i][1]], 0)
            for n in range(min(longest, len(toks) - i), 0, -1):
                if n > 1 and not all(_GAP_OK.fullmatch(folded[toks[i + k][1]:toks[i + k + 1][0]])
                                     for k in range(n - 1)):
                    continue
                key = " ".join(folded[s:e] for s, e in toks[i:i + n])
                cands = gz.lookup(key)
                sc = scenario.places(key) if scenario else []
                if cands or sc:
                    cands = sc + _filter(cands, text, toks, i, n, sent)
                    if cands:
                        hit = (n, cands)
                        break
            if hit is not None and masked_starts and any(
                    _inside(toks[i + k][0], masked_starts, masked) for k in range(1, hit[0])):
                hit = None  # "La Guardia" of "La Guardia Nacional": part of an institution
            if hit is None:
                i += 1
                continue
            n, cands = hit
            s, e = toks[i][0], toks[i + n - 1][1]
            mentions.append(Mention(s, e, text[s:e], cands, si, sent.paragraph))
            i += n
        _anaphora(folded, sent, si, mentions, first_of_sentence)
        _capital_anaphora(folded, sent, si, mentions, first_of_sentence, gz)
        _home_country(folded, sent, si, mentions, first_of_sentence, gz)
    mentions.sort(key=lambda m: m.start)
    _roles(folded, mentions, sents)
    _kind_cues(folded, mentions)
    _datelines(text, sents, mentions)
    _resolve(mentions)
    _this_town(folded, sents, mentions)
    _contextual_borders(folded, sents, mentions, gz)
    _border_with_mexico(folded, mentions, gz)
    _region_then_town(folded, mentions)
    if scenario is not None:
        for m in mentions:
            m.scenario_id = scenario.match(m.text, m.place)
    return mentions


# "HUIXTLA, Mexico (AP) —", "TAPACHULA, Chiapas.-", "Tapachula, Chiapas, 21 de agosto (EFE).-":
# where the reporter filed from, at the start of a paragraph.
_DATELINE_CAPS = re.compile(  # bounded repetitions only: no catastrophic backtracking
    r"[A-ZÁÉÍÓÚÑ]{3,}[A-ZÁÉÍÓÚÑ .'-]{0,30}(?:,[^,\n()—–]{1,30}){0,3}\s*(?:\([^)\n]{1,40}\)\s*)?"
    r"(?:\.-|\.—|—|–|--|:|-(?=\s)|\s*$)")  # or a line of its own: "TAPACHULA, (Reuters)"
_DATELINE_WIRE = re.compile(  # also "Juchitán (México), 18 ene (EFE).-"
    r"[A-ZÁÉÍÓÚÑ][^,\n()—–.]{1,30}(?:\s*\([^)\n]{1,25}\))?(?:,[^,\n()—–]{1,30}){0,3}\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?\.[-—]")


_DATE_LABEL = re.compile(r"\s*(?:date|fecha)\s*:?\s*\d{4}-\d{2}(?:-\d{2})?(?:T[\d:.]+Z?)?\s+")


def _datelines(text: str, sents: list[Span], mentions: list[Mention]) -> None:
    """Mentions inside a dateline get the role "dateline": the place is where the report was
    filed, used only for a sentence that names no place of its own."""
    starts = {}
    for s in sents:
        if s.paragraph not in starts:
            starts[s.paragraph] = s.start
    spans = []
    for pos in starts.values():
        chunk = text[pos:pos + 150].split("\n", 1)[0]
        # a saved copy's "date 2018-11" label before the dateline ("date 2018-11 Tijuana— …")
        label = _DATE_LABEL.match(chunk)
        skip = label.end() if label else 0
        m = _DATELINE_CAPS.match(chunk, skip) or _DATELINE_WIRE.match(chunk, skip)
        if m:
            spans.append((pos + skip, pos + m.end()))
    if not spans:
        return
    for men in mentions:
        if any(a <= men.start < b for a, b in spans):
            men.role = "dateline"


# "this southern Mexico town", "esta ciudad fronteriza", "este municipio": the town the report
# was filed from
# (the words between are adjectives: "este martes al municipio de Huixtla" is a day and then a
# town named after it, "this week in the city of" a time)
_NOT_TOWN_WORD = (r"(?!(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|fin|mes|ano|"
                  r"week|weekend|month|year|morning|afternoon|monday|tuesday|wednesday|thursday|"
                  r"friday|saturday|sunday|al|a|en|de|del|la|el|in|at|to|of|the|por|from|desde)"
                  r"\b)")
_THIS_TOWN = re.compile(r"\b(?:this|esta|este)\s+(?:" + _NOT_TOWN_WORD + r"[\w-]+\s+){0,3}?"
                        r"(?:town|city|village|ciudad|localidad|municipio|poblado|comunidad|"
                        r"pueblo|poblacion)\b")


def _this_town(folded: str, sents: list[Span], mentions: list[Mention]) -> None:
    """'This southern Mexico town' is the dateline town (when the report has one)."""
    town = next((m for m in mentions if m.role == "dateline" and m.place is not None and
                 m.place.level == "town"), None)
    if town is None or town.place is None:
        return
    added = []
    for si, sent in enumerate(sents):
        chunk = folded[sent.start:sent.end]
        if "est" not in chunk and "this" not in chunk:
            continue
        for m in _THIS_TOWN.finditer(chunk):
            s, e = sent.start + m.start(), sent.start + m.end()
            x = Mention(s, e, sent.text[m.start():m.end()], [town.place], si, sent.paragraph,
                        place=town.place, how="this town: the dateline town")
            _roles(folded, [x], sents)
            added.append(x)
    if added:
        mentions.extend(added)
        mentions.sort(key=lambda m: m.start)


def _inside(pos: int, starts: list[int], spans: list[tuple[int, int]]) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


_VENUE = re.compile(
    r"\b(?:unidad deportiva|deportiva|deportivo|albergue|estadio|stadium|shelter|colonia|calle|"
    r"avenida|av\.|boulevard|blvd\.?|parque|park|escuela|school|hospital|aeropuerto|airport|"
    r"internacional|plaza|mercado|market|iglesia|church|casa del migrante|lic\.|licenciado|"
    r"barrio|fraccionamiento|centro de)\s+(?:[\w.'-]+\s+){0,2}$")


# (no comma: "… reached the town of Huixtla, said the priest" ends a clause on the town)
_SPEAKS = re.compile(r"^\s+(?:said|says|told|added|explained|recalled|noted|stated|"
                     r"reported|announced|confirmed|warned|insisted|wrote|tweeted|dijo|"
                     r"recordo|explico|afirmo|senalo|indico|agrego|aseguro|declaro|comento|"
                     r"expreso|manifesto|denuncio|sostuvo|informo|preciso|detallo|anuncio|"
                     r"confirmo|reporto|menciono|aclaro|insistio|advirtio|destaco|subrayo)\b")


def _filter(cands: list[Place], text: str, toks: list[tuple[int, int]], i: int, n: int,
            sent: Span) -> list[Place]:
    """Drop town candidates that look like a common word or part of a person's name."""
    s, e = toks[i][0], toks[i + n - 1][1]
    surface = text[s:e]
    towns_ok = True
    # "US", "U.S." but not the pronoun "us"; a state's abbreviation after a town
    # ("Juchitán, Oax.") is fine
    abbrev = text[e:e + 1] == "." and text[max(0, s - 2):s] == ", " and surface[:1].isupper()
    # "Unidad Deportiva Benito Juárez", "aeropuerto … Adolfo López Mateos", "colonia Emiliano
    # Zapata": a venue, street or district named after a person or town, not the town
    # ("el parque central de Tapachula", "a shelter in Tijuana": the town's venue, the town)
    lead = fold(text[max(0, s - 40):s])
    # ("a stadium near Mexico City's airport": near the town, not named after it)
    if _VENUE.search(lead) and not re.search(r"\s(?:de|del|of|in|en|near|cerca de)\s+$", lead):
        return [c for c in cands if c.level != "town"]
    # "Washington" in the news is the US government, not the state (unless "… state")
    if fold_name(surface) == "washington" and not re.match(r"\s+state\b", text[e:e + 8]):
        return []
    # "Guzmán recordó que …", "Torres said": a person speaking, not a town
    if _SPEAKS.match(fold(text[e:e + 30])):
        return [c for c in cands if c.level != "town"]
    if len(surface.replace(".", "")) <= 3 and not surface.isupper() and not abbrev:
        return []
    if fold_name(surface) in _CAPITAL_NAMES:
        return cands  # "la capital chiapaneca": a capital named by what it is
    if not surface[:1].isupper():
        towns_ok = False
    elif n == 1:
        for j in (i - 1, i + n):
            if 0 <= j < len(toks):
                w = text[toks[j][0]:toks[j][1]]
                gap = text[toks[j][1]:s] if j < i else text[e:toks[j][0]]
                joined = gap.strip() in ("", "-")
                if w[:1].isupper() and w.lower() not in _STOP_CAPS and joined and \
                        not (j == i - 1 and toks[j][0] == sent.start):
                    towns_ok = False
    return [c for c in cands if c.level != "town" or towns_ok]


_GOAL_BEFORE = re.compile(r"\b(?:toward|towards|reach|reaching|reached|bound for|headed to|"
                          r"heading to|continues to|rumbo a|hacia|llegar a|con destino a|"
                          r"destino)\s+"
                          r"(?:the\s+|los\s+|el\s+|la\s+)?$")
_GOAL_AFTER = re.compile(r"\s*(?:-bound|border|frontier|frontera)")


def _anaphora(folded: str, sent: Span, si: int, mentions: list[Mention],
              first_of_sentence: int) -> None:
    """"The country", "el país": the last country named before (this sentence or earlier).
    Only this sentence's mentions are scanned, plus the last country before it (linear time)."""
    chunk = folded[sent.start:sent.end]
    if not _ANAPHORA_RE.search(chunk):
        return
    own = mentions[first_of_sentence:]

    def antecedent(x: Mention) -> bool:
        # "… reaching the United States border": a goal of the journey is not "the country"
        # the article then speaks of
        return x.how != "home country" and any(c.level == "country" for c in x.candidates) \
            and not (
            _GOAL_BEFORE.search(folded[max(0, x.start - 40):x.start])
            or _GOAL_AFTER.match(folded[x.end:x.end + 12]))
    earlier = next((x for x in reversed(mentions[:first_of_sentence]) if antecedent(x)), None)
    for phrase in COUNTRY_ANAPHORA:
        for m in re.finditer(r"\b" + re.escape(fold(phrase)) + r"\b", chunk):
            s = sent.start + m.start()
            if any(x.start <= s < x.end for x in own):
                continue
            prev = [x for x in own if x.start < s and antecedent(x)]
            ref = prev[-1] if prev else earlier
            if ref is not None:
                country = next(c for c in ref.candidates if c.level == "country")
                mentions.append(Mention(s, s + len(phrase), sent.text[m.start():m.end()],
                                        [country], si, sent.paragraph, how="anaphora"))


def _capital_anaphora(folded: str, sent: Span, si: int, mentions: list[Mention],
                      first_of_sentence: int, gz: Gazetteer) -> None:
    """"La capital del país": the capital of the last country named (this sentence or before)."""
    chunk = folded[sent.start:sent.end]
    if not _CAPITAL_ANAPHORA_RE.search(chunk):
        return
    for m in _CAPITAL_ANAPHORA_RE.finditer(chunk):
        s = sent.start + m.start()
        ref = next((x for x in reversed(mentions) if x.start < s and x.candidates
                    and any(c.level == "country" and c.country in CAPITAL_OF
                            for c in x.candidates)), None)
        if ref is None:
            continue
        country = next(c.country for c in ref.candidates
                       if c.level == "country" and c.country in CAPITAL_OF)
        capital = gz.places.get(CAPITAL_OF[country])
        if capital is not None:
            mentions.append(Mention(s, s + len(m.group(0)), sent.text[m.start():m.end()],
                                    [capital], si, sent.paragraph, how="anaphora"))


def _home_country(folded: str, sent: Span, si: int, mentions: list[Mention],
                  first_of_sentence: int, gz: Gazetteer) -> None:
    """"Sent back to their home country", "regresaron a su país": the country of the one
    nationality the sentence names ("Honduran migrants" -> Honduras); none when it names
    several or none, or when the sentence names a place of its own."""
    chunk = folded[sent.start:sent.end]
    if not _HOME_RE.search(chunk):
        return
    found = {iso for iso, rx in _DEMONYM_RE.items() if rx.search(chunk)}
    if _DEMONYM_PAIR.search(chunk):
        return  # "Haitian and Cuban migrants … their home countries": more than one home
    if len(found) > 1:  # "Guatemalan authorities sent Honduran migrants back": the migrants'
        found = {iso for iso, rx in _DEMONYM_RE.items() for m in rx.finditer(chunk)
                 if _PEOPLE_AFTER.match(chunk[m.end():]) or _PEOPLE_BEFORE.search(
                     chunk[:m.start()])}
    if len(found) != 1:
        return
    country = gz.places.get(f"country:{found.pop()}")
    if country is None:
        return
    own = mentions[first_of_sentence:]
    if own:  # "En Chiquimula, 900 … deportados a su país": the place the sentence names wins
        return
    for m in _HOME_RE.finditer(chunk):
        s = sent.start + m.start()
        if not any(x.start <= s < x.end for x in own):
            mentions.append(Mention(s, s + len(m.group(0)), sent.text[m.start():m.end()],
                                    [country], si, sent.paragraph, how="home country"))


# words between "migrants" and "from/de" that make it a movement, not an origin ("los migrantes
# salieron de Matías Romero")
_MOVE_WORDS = (r"(?:salieron|salio|salen|sale|partieron|partio|parten|left|leave|leaving|"
               r"departed|fled|huyeron|escaparon|regresaron|volvieron|returned|came|walked|"
               r"caminaron|marcharon|marched|set|started|began|iniciaron|llegaron|arrived|"
               # "hondureños fueron deportados de México": removed from there, not born there
               r"deportad[oa]s|deported|retornad[oa]s|retornaron|removed|repatriad[oa]s|"
               r"repatriated|expulsad[oa]s|expelled|devuelt[oa]s|regresad[oa]s)\b")
_NATIONALITY = re.compile(
    r"(?:\b(?:migrants?|people|persons|families|refugees|asylum seekers|travell?ers|"
    r"nationals|citizens|hondurans|guatemalans|salvadorans|venezuelans|haitians|cubans|"
    r"central americans|migrantes|personas|familias|refugiados|hondurenos|guatemaltecos|"
    r"salvadorenos|venezolanos|haitianos|cubanos|centroamericanos|extranjeros|ciudadanos|"
    r"nacionales|connacionales|integrantes|members)\s+(?:(?!" + _MOVE_WORDS + r")\w+\s+){0,2}?"
    r"(?:mostly |mainly |largely |mayoritariamente |principalmente |en su mayoria )?"
    r"(?:from|de|del)\s+(?:the\s+|la\s+|el\s+)?$"
    r"|\d+-year-old\s+(?:[\w-]+\s+){0,3}?from\s+(?:the\s+)?$"
    r"|\b(?:mostly|mainly|largely|principally|en su mayoria|mayoritariamente|principalmente)"
    r"\s+(?:from|de)\s+$"
    r"|\b(?:procedentes?|provenientes?|originari[oa]s|oriund[oa]s|naturales|nacionales|"
    r"ciudadanos)\s+(?:\w+\s+){0,3}?(?:de|del)\s+(?:la\s+|el\s+)?$)")


# "fleeing Honduras", "huyen de la violencia en Honduras": why and where from, not where they are
_FLEEING = re.compile(r"\b(?:fleeing|escaping|huyendo de|huyen de|huian de)\s+(?:[\w-]+\s+){0,4}?"
                      r"(?:in\s+|en\s+|de\s+|the\s+|la\s+|el\s+|su\s+)?$")


# "arrived at the municipality of Matías Romero", "arribó al parque central de Tapachula",
# "gathered at a park in the border city of Ciudad Hidalgo": a kind of place or a venue named
# after the town; the town takes the role of the words before that noun
_NOT_ADJ = (r"(?!(?:in|at|on|en|a|al|to|from|de|del|of|the|la|el|los|las|near|toward|towards|"
            r"hacia|desde|into|through|por)\b)")
_PLACE_NOUN = re.compile(
    r"(?:(?:the|a|an|la|el|los|las|un|una)\s+)?(?:" + _NOT_ADJ + r"[\w-]+\s+){0,2}?"
    r"(?:town|city|municipality|village|community|hamlet|capital|port|localidad|municipio|"
    r"ciudad|comunidad|poblado|pueblo|poblacion|cabecera(?: municipal)?|puerto|park|parque|"
    r"plaza|square|zocalo|shelter|shelters|albergue|albergues|stadium|estadio|sports complex|"
    r"unidad deportiva|deportivo|church|iglesia|parroquia|casa del migrante|estado|state|"
    r"departamento|department|province|provincia)"
    r"(?:\s+" + _NOT_ADJ + r"[\w-]+){0,2}?\s+(?:of|de|del|in|en)\s+$")


_GOAL = re.compile(
    r"\b(?:travesia|viaje|camino|trayecto|ruta|rumbo|destino|journey|trek|trip|route|odyssey|"
    r"way north|heading|headed|bound|intencion de llegar|fin de llegar|objetivo de llegar|"
    r"(?:hoping|hope|seeking|seek|trying|try|attempting|attempt|bid|aiming|aim|wanting|want|"
    r"order) to (?:reach|get to|cross into)|esperan llegar|buscan llegar|intentan llegar|"
    r"intentaban llegar|pretenden llegar|para llegar|"
    # "in hopes of reaching the U.S. border", "en su intento por llegar a Estados Unidos"
    r"(?:in )?hopes? of (?:reaching|getting to)|with the (?:aim|goal|hope|intention) of "
    r"reaching|en busca de llegar|en su intento (?:de|por) llegar|pretende llegar|"
    r"quieren? llegar|buscaba llegar|buscaban llegar|intenta llegar|esperaba llegar|"
    r"esperaban llegar)"
    r"\s+(?:(?:north|northward|al norte)\s+)?(?:hacia|a|al|to|for|toward|towards|a los|"
    r"con destino a)?\s*(?:la\s+|el\s+|los\s+|the\s+)?$")


# an intent to get somewhere ("in their quest to reach the U.S. border", "buscaba llegar a la
# Ciudad de México", "who had set out for Guatemala"): a goal for a place of any level, since
# a town or a state can be one as well as a country (the looser cues of _GOAL, "hacia",
# "heading", are kept to countries and regions: "avanzaron hacia Huixtla" may be an arrival)
_INTENT = re.compile(
    r"\b(?:(?:quest|bid|effort|attempt|attempts|hoping|hope|hopes|seeking|trying|aiming|"
    r"wanting|wanted|hoped|sought|tried|intent) to (?:reach|get to|make it to|cross into)|"
    r"(?:set|setting|sets) out for|(?:buscaba|buscaban|buscan|busca|intentaban|intentan|"
    r"intenta|intentaba|pretenden|pretendian|pretende|pretendia|quieren|queria|querian|"
    r"esperan|esperaba|esperaban) llegar|(?:intento|intencion|afan|objetivo|fin) (?:de|por) "
    r"llegar|en busca de llegar)"
    r"\s+(?:(?:hasta|a|al|to)\s+)?(?:la\s+|el\s+|los\s+|the\s+)?(?:[\w-]+\s+){0,1}?$")


def _role_text(folded: str, lo: int, m_start: int) -> str:
    """The words before a mention that say its role, looking through a place noun."""
    before = folded[lo:m_start]
    noun = _PLACE_NOUN.search(before)
    return before[:noun.start()] if noun else before


# "Matías Romero, Oaxaca", "Tapanatepec, en el sureño estado de Oaxaca", "Huixtla, in the
# southern state of Chiapas": what lies between a town and the state that qualifies it
_QUALIFIER_GAP = re.compile(r",\s*(?:(?:en|in)\s+(?:el|la|the)\s+(?:[\w-]+\s+)?(?:estado|state|"
                            r"departamento|department|province|provincia)\s+(?:de|of)\s+)?")


# a departure verb, a few words (a day, a time: "el lunes", "esta madrugada"), then "de X"
_LEFT_ON_DAY = re.compile(r"\b(?:salio|salieron|salen|sale|partio|partieron|parten)\s+"
                          r"(?:[\w,]+\s+){1,4}?(?:de|del)\s+(?:la\s+|el\s+)?(?:[\w-]+\s+){0,2}$")


def _roles(folded: str, mentions: list[Mention], sents: list[Span]) -> None:
    for k, m in enumerate(mentions):
        if m.role == "qualifier":
            continue  # set by the town before it ("…, en el estado de Oaxaca")
        sent = sents[m.sentence]
        before = _role_text(folded, max(sent.start, m.start - 70), m.start)
        for rx, role in _ROLE_NEAR:
            if rx.search(before):
                m.role = role
                break
        else:
            for rx, role in _ROLE_RE:
                if rx.search(before):
                    m.role = role
                    break
        if m.role == "of" and _LEFT_ON_DAY.search(before):
            m.role = "origin"  # "salieron el lunes de Tapachula": where they left from
        # "en su travesía hacia Estados Unidos", "on their journey to the U.S.", "US-bound":
        # where they are going, never where something happened
        if m.candidates and m.candidates[0].level in ("country", "region") and (
                _GOAL.search(before) or folded[m.end:m.end + 6] == "-bound"):
            m.role = "goal"  # … and "U.S.-bound"
        elif m.candidates and _INTENT.search(before):
            m.role = "goal"  # "buscaba llegar a la Ciudad de México": where it wanted to be
        # "migrants from Venezuela", "mostly from Haiti", "procedentes de Honduras": where
        # people come from (a nationality), never where something happened
        if m.candidates and m.candidates[0].id in _ORIGIN_ONLY:
            m.role = "nationality"  # "Central American migrants … through Central America"
        if m.role in ("origin", "of") and _NATIONALITY.search(before):
            m.role = "nationality"
        if _FLEEING.search(before):
            m.role = "nationality"  # "migrants fleeing Honduras": where they come from
        prev = mentions[k - 1] if k > 0 else None
        if prev is not None and prev.sentence == m.sentence and prev.role != "qualifier" and \
                re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or|y|o|,\s*y)\s*", folded[prev.end:m.start]):
            m.role = prev.role  # "from Guatemala, Honduras and El Salvador"
            if re.fullmatch(r"\s*(?:or|o|u)\s*", folded[prev.end:m.start]) and \
                    m.role not in ("nationality", "origin"):
                # "si será a Michoacán o Guerrero": options, not where anything happened
                m.role = prev.role = "goal"
        after = folded[m.end:m.end + 3]
        if after.startswith("'s") or after.startswith("' "):
            m.possessive = True
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        small = m.candidates[0] if len(m.candidates) == 1 and m.candidates[0].level == \
            "admin1" and fold_name(m.text) != fold_name(m.candidates[0].name) else None
        if small is not None and nxt and nxt.sentence == m.sentence and \
                re.fullmatch(r",\s*", folded[m.end:nxt.start]) and any(
                    c.admin1 == small.admin1 for c in nxt.candidates):
            # "Vado Hondo, Chiquimula": a small place (placed at its department) and its
            # department
            nxt.role = "qualifier"
            nxt.candidates = [small]
            m.qualifier = small
        elif nxt and nxt.sentence == m.sentence and _QUALIFIER_GAP.fullmatch(
                folded[m.end:nxt.start]) \
                and any(c.level == "town" for c in m.candidates) and \
                m.candidates[0].level not in ("country", "admin1"):
            # "Matías Romero, Oaxaca": a state or country that contains the town qualifies it
            # (even when a town of that name exists too)
            area = [c for c in nxt.candidates if c.level in ("admin1", "country") and any(
                t.level == "town" and (t.admin1 == c.admin1 if c.level == "admin1"
                                       else t.country == c.country) for t in m.candidates)]
            if area or (nxt.candidates and nxt.candidates[0].level in ("admin1", "country")):
                nxt.role = "qualifier"
                m.qualifier = area[0] if area else next(
                    c for c in nxt.candidates if c.level in ("admin1", "country"))
                if area:
                    nxt.candidates = [area[0]]


# "from the southern border of Mexico, in Tapachula", "en la frontera sur, en Ciudad Hidalgo":
# a region, then the town in it that says where in the region
_REGION_THEN_TOWN = re.compile(r"\s*,\s*(?:in|en|at)\s+(?:the\s+|la\s+|el\s+)?"
                               r"(?:(?:town|city|ciudad|municipio|poblado) (?:of|de)\s+)?")


def _region_then_town(folded: str, mentions: list[Mention]) -> None:
    """The town that narrows a region takes the region's role; the region only qualifies."""
    for m, nxt in zip(mentions, mentions[1:], strict=False):
        if (m.sentence == nxt.sentence and m.candidates and nxt.candidates
                and m.candidates[0].level == "region" and m.role != "qualifier"
                and any(c.level == "town" for c in nxt.candidates)
                and _REGION_THEN_TOWN.fullmatch(folded[m.end:nxt.start])):
            nxt.role, m.role = m.role, "qualifier"


# "la ciudad de Ocotepeque", "the town of Chiquimula": the town, not the department of its name;
# "el estado de Oaxaca", "the state of Chiapas": the state
_TOWN_CUE = re.compile(r"\b(?:ciudad|city|town|municipio|municipality|cabecera(?: municipal)?|"
                       r"localidad|poblado|pueblo|village|villa)\s+(?:de\s+|of\s+)?$")
_STATE_CUE = re.compile(r"\b(?:estado|state|departamento|department|province|provincia)\s+"
                        r"(?:de\s+|of\s+)?$")
# "Guatemala's border town of Tecun Uman", "the Mexican border city of Tijuana": the first
# place only says where the second is
_OF_TOWN = re.compile(r"\s*(?:border\s+|frontier\s+)?(?:town|city|village|municipality|"
                      r"crossing|port)\s+of\s+(?:the\s+)?")


def _kind_cues(folded: str, mentions: list[Mention]) -> None:
    """Level cues in the words before a mention, and a place that only qualifies the next."""
    for k, m in enumerate(mentions):
        before = folded[max(0, m.start - 30):m.start]
        if _TOWN_CUE.search(before):
            m.level_cue = "town"
        elif _STATE_CUE.search(before):
            m.level_cue = "admin1"
        if k + 1 < len(mentions) and m.role != "qualifier":
            nxt = mentions[k + 1]
            if nxt.sentence == m.sentence and _OF_TOWN.fullmatch(folded[m.end:nxt.start]) and \
                    any(c.level == "town" for c in nxt.candidates):
                nxt.role, m.role = m.role, "qualifier"


def _resolve(mentions: list[Mention]) -> None:
    # unique towns only, on a 1-degree grid: linear in the article's length (issue 9)
    unambiguous_towns = {m.candidates[0].id: m.candidates[0] for m in mentions
                         if len(m.candidates) == 1 and m.candidates[0].level == "town"}
    grid: dict[tuple[int, int], list[Place]] = {}
    for u in unambiguous_towns.values():
        if u.lat is not None:
            grid.setdefault((int(u.lat // 1), int((u.lon or 0) // 1)), []).append(u)
    by_sent: dict[int, list[Mention]] = {}
    by_para: dict[int, list[Mention]] = {}
    for x in mentions:
        by_sent.setdefault(x.sentence, []).append(x)
        by_para.setdefault(x.paragraph, []).append(x)
    near_cache: dict[str, bool] = {}

    def near_town(c: Place) -> bool:
        if c.id not in near_cache:
            gy, gx = int((c.lat or 0) // 1), int((c.lon or 0) // 1)
            near_cache[c.id] = any(
                u.id != c.id and u.lat is not None and
                _km(c.lat or 0, c.lon or 0, u.lat, u.lon or 0) < 150
                for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2)
                for u in grid.get((gy + dy, gx + dx), ()))
        return near_cache[c.id]
    doc_admin = Counter(c.admin1 for m in mentions for c in m.candidates[:1]
                        if len(m.candidates) == 1 and c.level == "admin1")
    doc_country = Counter(m.candidates[0].country for m in mentions
                          if len(m.candidates) == 1 and m.candidates[0].level == "country")
    for m in mentions:
        if not m.candidates:
            continue
        if len(m.candidates) == 1:
            m.place, m.how = m.candidates[0], m.how or "only candidate"
            continue
        same_sent = [x for x in by_sent[m.sentence] if x is not m]
        same_para = [x for x in by_para[m.paragraph] if x is not m][:200]
        scored = []
        towns = [c for c in m.candidates if c.level == "town"]
        # only among namesakes of one country (Agua Caliente, California, does not outweigh
        # the Honduran border post for being larger)
        town_pops = sorted((c.population for c in towns), reverse=True) \
            if len({c.country for c in towns}) == 1 else []
        for c in m.candidates:
            score = {"country": 8.0, "admin1": 2.5}.get(c.level, 0.0)
            if m.level_cue and c.level == m.level_cue:
                score += 4.0  # "la ciudad de Ocotepeque", "el estado de Oaxaca"
            if c.level == "town" and c.population >= 1e6 and \
                    fold_name(c.name) == fold_name(m.text) and \
                    any(x.level == "admin1" for x in m.candidates):
                score += 3.0  # "Mexico City" is the city, not the federal entity of its name
            if c.id in SMALL_PLACES and fold_name(m.text) in _SMALL_NAMES:
                score += 3.0  # a curated border post ("Agua Caliente") over namesake villages
            # the one city among villages of its name ("Juchitán": Juchitán de Zaragoza, not a
            # Guerrero village): what a reader takes it to be unless the context says otherwise
            if c.level == "town" and len(town_pops) > 1 and c.population == town_pops[0] and \
                    c.population >= DOMINANT_RATIO * max(town_pops[1], 1):
                score += DOMINANT_BONUS
            if c.id.startswith("scenario:"):
                score += 10  # the scenario's own places come first
            score += math.log10(max(c.population, 1)) / 3 + (1.0 if c.population >= 1e6 else 0)
            # route towns win against namesake towns, never against a state ("Oaxaca")
            score += 1.0 if c.level == "town" and c.admin1 in ROUTE_ADMIN1 and not any(
                x.level == "admin1" for x in m.candidates) else 0.0
            if m.qualifier is not None and (
                    (m.qualifier.level == "admin1" and c.admin1 == m.qualifier.admin1)
                    or (m.qualifier.level == "country" and c.country == m.qualifier.country)):
                score += 6
            for group, wa, wc in ((same_sent, 3.0, 2.0), (same_para, 1.0, 0.5)):
                for x in group:
                    for y in x.candidates[:1]:
                        if y.level == "admin1" and c.admin1 and y.admin1 == c.admin1 and \
                                c.level != "admin1":
                            score += wa
                        elif y.level == "country" and y.country == c.country and \
                                c.level != "country":
                            score += wc
            if c.level != "admin1":
                score += min(1.0, 0.25 * doc_admin.get(c.admin1, 0)) if c.admin1 else 0
            if c.level != "country":
                score += min(2.0, 0.25 * doc_country.get(c.country, 0))
            if c.level == "town" and c.lat is not None and near_town(c):
                score += 2
            scored.append((score, c))
        scored.sort(key=lambda t: -t[0])
        m.place = scored[0][1]
        m.margin = scored[0][0] - scored[1][0]
        m.how = f"context score {scored[0][0]:.1f} vs {scored[1][0]:.1f} ({scored[1][1].id})"


DOMINANT_RATIO = 10  # a town this many times as populous as every namesake (same country) …
DOMINANT_BONUS = 1.5  # … gets this much (a state in the sentence, +3, still overrides it)

_GUATEMALA_SIDE = re.compile(r"(?:guatemala'?s?|guatemalan|de guatemala)\s+(?:\w+\s+){0,2}$")


def _border_with_mexico(folded: str, mentions: list[Mention], gz: Gazetteer) -> None:
    """'Guatemala's border with Mexico', 'la frontera de Guatemala con México': the Mexico–
    Guatemala border, not the US one ('border with Mexico' alone is the US side's phrase)."""
    place = gz.places.get("region:border-mex-gtm")
    for m in mentions:
        if place is None or m.place is None or m.place.id != "region:border-usa-mex":
            continue
        if fold_name(m.text) in ("border with mexico", "frontera con mexico") and \
                _GUATEMALA_SIDE.search(folded[max(0, m.start - 30):m.start]):
            m.place, m.candidates, m.how = place, [place], "Guatemala's border with Mexico"


_BORDER_RE = re.compile(r"\b(southern |northern |sur |norte )?(border|frontera)\b")


def _contextual_borders(folded: str, sents: list[Span], mentions: list[Mention],
                        gz: Gazetteer) -> None:
    """'the southern border', 'its border': pick the border from the nearest country before."""
    by_sent: dict[int, list[Mention]] = {}
    for x in mentions:
        by_sent.setdefault(x.sentence, []).append(x)
    last_before: Mention | None = None  # the last placed mention of the earlier sentences
    added: list[Mention] = []
    for si, sent in enumerate(sents):
        chunk = folded[sent.start:sent.end]
        own = by_sent.get(si, [])
        for m in _BORDER_RE.finditer(chunk):
            s, e = sent.start + m.start(), sent.start + m.end()
            if any(x.start <= s < x.end or x.start < e <= x.end for x in own):
                continue
            side = (m.group(1) or "").strip()
            in_sent = [x for x in own if x.end <= s and x.place is not None
                       and x.place.level in ("country", "town", "admin1")]
            ref = in_sent[-1] if in_sent else (last_before if side else None)
            if ref is None or ref.place is None:
                continue
            country = ref.place.country
            if country == "USA" or (country == "MEX" and side in ("northern", "norte")):
                pid = "region:border-usa-mex"
            elif country == "GTM" or (country == "MEX" and side in ("southern", "sur")):
                pid = "region:border-mex-gtm"
            else:
                continue
            place = gz.places.get(pid)
            if place is None:
                continue
            mention = Mention(s, e, sent.text[m.start():m.end()], [place], si, sent.paragraph,
                              place=place, how=f"border of {country} (nearest country before)")
            _roles(folded, [mention], sents)
            added.append(mention)
        for x in own:
            if x.place is not None and x.place.level in ("country", "town", "admin1"):
                last_before = x
    mentions.extend(added)
    mentions.sort(key=lambda m: m.start)
