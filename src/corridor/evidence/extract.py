"""Turn one document's text into observations: number → kind, place, date, actor, quote.

For every sentence: find quantities (numbers.py), time expressions (dates.py), place mentions
(places.py), institutions and trigger words (kinds.py); give each quantity the nearest trigger,
place and time expression that is not cut off from it by another quantity or a clause boundary.
Then, per article, a number with no place of its own takes the place of another mention of the
same caravan (same family of kinds, overlapping range: "about 9,000" … "more than 9,000 that
make up the caravan" in Guatemala). See docs/evidence.md for every rule and its confidence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import asdict, dataclass

from corridor.evidence import gazetteer
from corridor.evidence.confidence import rescore
from corridor.evidence.dates import TimeExpr, find_dates
from corridor.evidence.events import (
    DEFAULT_LEVELS,
    LEVELS_OK,
    MAX_GAP,
    ROLE_FIT,
    find_verbs,
    has_subject,
    is_caravan_article,
)
from corridor.evidence.gazetteer import Place
from corridor.evidence.kinds import (
    Actor,
    find_actors,
    find_triggers,
    refine,
    unit_after,
    unit_before,
)
from corridor.evidence.language import detect, detect_en_es
from corridor.evidence.numbers import Quantity, find_quantities
from corridor.evidence.places import Mention, ScenarioIndex, find_mentions
from corridor.evidence.score import KIND_GROUPS
from corridor.evidence.text import Span, clauses, fold, sentences

COLUMNS = [
    "date", "date_low", "date_high", "place", "place_id", "lat", "lon", "country", "kind", "low",
    "high", "unit", "per", "actor", "language", "source", "url", "quote", "quote_start",
    "quote_end", "confidence", "caravan", "outlet", "published", "published_from",
]
_ANY_DAY = dt.date(2000, 1, 1)  # to spot relative expressions we cannot resolve
US_BORDER = (31.0, -108.0)  # label point of region:border-usa-mex
COREF_WINDOW = 60  # sentences either side searched for another mention of the same caravan
CARAVAN_FAMILY = {"caravan_size", "position", "departed", "arrived"}
PEOPLE_KINDS = {"caravan_size", "position", "departed", "arrived", "detained", "deported",
                "apprehended", "asylum_applications", "deaths", "permits_issued", "other"}
# How well a place's role in the sentence fits a kind (lower is better).
ROLE_COST = {
    # where a group left from: only its origin, never where it is now ("spread out in …")
    "departed": {"origin": 0, "loc": 25, "": 30, "of": 40, "destination": 45},
    # a turn-back is placed where people went back to ("returned to Guatemala") …
    "deported": {"destination": 0, "loc": 5, "of": 8, "": 12, "origin": 25},
    # … a removal where it was carried out ("deportados de México", "desde Toluca",
    # "removed from Guatemala and returned to Honduras")
    "removal": {"origin": 0, "loc": 4, "destination": 6, "of": 8, "": 12},
    "arrived": {"loc": 0, "destination": 2, "of": 6, "": 12, "origin": 30},
    "position": {"loc": 0, "destination": 3, "of": 6, "": 12, "origin": 30},
    # forces are where they were sent ("dispatched to the border"), not where a caravan left
    "troops_deployed": {"loc": 0, "destination": 0, "of": 6, "": 10, "origin": 45},
    # a caravan is not where it is going ("looking to reach the U.S.") nor where it came from
    "caravan_size": {"loc": 0, "of": 6, "": 35, "destination": 40, "origin": 99, "source": 40},
}
DEFAULT_ROLE_COST = {"loc": 0, "destination": 6, "of": 6, "": 10, "origin": 30, "source": 30,
                     "nationality": 99, "dateline": 30, "goal": 99}
LEVEL_COST = {"country": 4, "admin1": 2, "region": 1, "town": 0}
_REPORTING = re.compile(r"^\W*(?:\w+\W+)?(?:announced|said|reported|stated|declared|confirmed|"
                        r"told|informed|dijo|informo|anuncio|senalo|declaro|afirmo|aseguro)\b")
_PRESENT = re.compile(r"\b(?:is|are|has|have|continue|continues|remain|remains|esta|estan|"
                      r"continua|continuan|permanece|permanecen|sigue|siguen)\b")
_BACKREF = re.compile(r"\b(?:que|that|which|who|since|after|tras|desde que|cuando|when|"
                      r"quienes|los que|las que|el que|la que|que ya|had|habia|habian)\s+"
                      r"(?:\w+\s+)?$")
# a count that might be, not one that is: "podría superar las 15.000", "could reach 20,000"
_MODAL = re.compile(r"\b(?:podria|podrian|could|might|may|would|espera|esperan|se espera|"
                    r"expected to|expects|prevé|preve|preven|estima que podria)\s+(?:\w+\s+){0,2}$")
# a Spanish future or past subjunctive in the words before a count ("les tramitarán visas a mil
# migrantes", "recibirán documentos 500"): promised, not done ("eran", "fueran" are not)
_FUTURE_ES = re.compile(r"\b(?!(?:eran|fueran|quedaran|vieran|tuvieran)\b)"
                        r"[a-z]{3,}(?:aran|eran|iran)\s+(?:[\w]+\s+){0,4}$")
# a plan or promise earlier in the sentence governs the count ("the plan was to stay … to wait
# for thousands more", "committed to … deliver as of tomorrow to the 11 thousand")
_PLAN_BEFORE = re.compile(r"\b(?:the plan (?:was|is) to|plans? to|planned to|going to|"
                          r"committed to|offers? to|offered to|promised to|se comprometio|"
                          r"se comprometieron|ofrece|ofrecio|ofrecieron|prometio|prometieron)\b"
                          r"[^.;]*$")
# "thousands more expected to arrive", "otros 2 mil que se espera lleguen": not there yet
_EXPECTED_AFTER = re.compile(r"\s*(?:more\s+|others?\s+|mas\s+)?(?:(?:are|were|is|was)\s+)?"
                             r"(?:expected|due|set|scheduled|que se espera|se esperan?)\b")
# a past time too vague to date an event ("a month ago", "hace semanas")
_VAGUE_PAST = re.compile(r"\b(?:(?:a|one|two|three|four|several|a few|some) (?:weeks?|months?|"
                         r"years?) ago|hace (?:un|una|dos|tres|cuatro|varias|varios|unas|unos|"
                         r"algunas|algunos) (?:semanas?|mes|meses|anos?))\b")
_BETWEEN = re.compile(r"\b(?:between|entre)\s+(?:the\s+|la\s+|el\s+)?$")
# removals by an authority, as against people turning back on their own
_REMOVAL = re.compile(r"\b(?:deport\w*|removed|remov\w+|repatriad[oa]s|repatriated|expelled|"
                      r"expulsad[oa]s|devuelt[oa]s|vuelos?|flights?)\b")
# "several"/"varios" before a noun that is not people (function words go on to a verb)
_ADJECTIVE_OF = re.compile(r"\s+(?!(?:de|of|who|que|were|was|fueron|han|have|had|habian|"
                           r"more|mas|others?|otros|otras|mil|hundred|thousand)\b)[a-z]{3,}\b")
_PERSONAL_A = re.compile(r"\b(?:a|al)\s+$")  # Spanish marks a verb's human object with "a"
_WITH = re.compile(r"\b(?:with|con)\s+$")
_SEQUENCE = re.compile(r"\b(?:later|then|subsequently|afterwards|despues|luego|"
                       r"posteriormente|mas tarde)\b")
_PER_DAY = re.compile(r"^[^.;]{0,40}?\b(?:daily|a day|per day|each day|every day|al dia|"
                      r"diarios|diarias|diariamente|por dia|cada dia)\b")
# a travelling group, then its count in apposition: "los migrantes, unos 4.500", "the caravan
# (about 3,000)"
_APPOSITIVE = re.compile(r"\b(?:migrants|migrantes|personas|people|hondurans|hondurenos|"
                         r"central americans|centroamericanos|integrantes|members|caravans?|"
                         r"caravanas?|contingente|contingent)\s*[,(]\s*$")
_FORCES_APPOSITIVE = re.compile(
    r"\b(?:(soldiers|troops|soldados|militares|guardias|guardsmen)|police|policias|"
    r"policia antimotines|riot police|agents|agentes|officers|elementos)\s*(?:[,(]|--|—|–)\s*"
    r"(?:(?:some|about|around|unos|unas|alrededor de|cerca de)\s+)?$")
# "two small caravans of migrants": a count of groups, not of people
_GROUPS = re.compile(r"\s+(?:[\w-]+\s+)?(?:caravans|caravanas|groups|grupos|contingents|"
                     r"contingentes)\b")
_POPULATION = re.compile(r"\b(?:poblacion|population|censo|census)\s+(?:de|of)\s+(?:\w+\s+)?$")
# a second figure for the same count: "4.500 según las autoridades y 7.500 según …"
_COORDINATED = re.compile(r"^[^\d,;.]{0,50}?\s(?:y|and|o|or)\s+$")
# a photo caption's closing place and date (AP, EPA, Reuters): ", in Tecun Uman, Guatemala,
# Friday, Oct. 19, 2018." / ", en Tapachula, Chiapas, el 21 de octubre de 2018."
_MONTH_WORD = r"[A-Za-zé]{3,10}\.?"
_CAPTION = re.compile(
    r",\s+(in|en)\s+[A-ZÁÉÍÓÚÑ][^,.;]{1,40}(?:,\s+[A-ZÁÉÍÓÚÑ][^,.;]{1,30}){0,2},\s+"
    r"(?:(?:on\s+|el\s+)?[A-Za-zé]+day,?\s+|(?:el\s+)?(?:lunes|martes|mi[eé]rcoles|jueves|viernes|"
    r"s[aá]bado|domingo),?\s+)?"
    r"(?:" + _MONTH_WORD + r"\s+\d{1,2},\s+\d{4}|\d{1,2}\s+(?:de\s+)?" + _MONTH_WORD
    + r"(?:\s+de)?\s+\d{4})\.?\s*(?:\([^)]{0,60}\))?\s*$")
# a relative clause about the place just named: ", donde descansaron", ", where they camped"
_WHERE = re.compile(r",?\s*(?:en )?(?:donde|where|in which|en el que|en la que)\s+"
                    r"(?:[\w-]+\s+){0,4}$")
_CROSSING_NOUN = re.compile(r"\b(?:crossings?|ports? of entry|ports|bridges?|garitas?|cruces?|"
                            r"puertos? fronterizos?|puentes? internacionales?)\b")


@dataclass
class Observation:
    """One dated, placed number with the sentence it comes from."""

    date: str
    date_low: str
    date_high: str
    place: str
    place_id: str
    lat: float | None
    lon: float | None
    country: str
    kind: str
    low: float | None
    high: float | None
    unit: str
    per: str
    actor: str
    language: str
    source: str
    url: str
    quote: str
    quote_start: int
    quote_end: int
    confidence: float
    # where the number sits in the document (not written out; used for ordering and links)
    number_start: int = 0
    caravan: str = ""  # the caravan concerned (YYYY-MM), when the article says which
    outlet: str = ""
    published: str = ""  # the article's publication date, and where it was read
    published_from: str = ""
    # how the row was read (not written out): inputs of the confidence model (confidence.py)
    place_how: str = ""
    date_how: str = ""
    subject: bool = True
    rule_confidence: float = 0.0

    def row(self) -> dict[str, object]:
        d = asdict(self)
        return {k: d[k] for k in COLUMNS}


@dataclass
class _Draft:
    obs: Observation
    place_how: str
    sentence: int
    fallbacks: list[tuple[Mention, str]] | None = None
    fallbacks_prior: bool = False  # a place from an earlier sentence is first in fallbacks


def extract_text(text: str, *, published: dt.date | None = None, source: str = "", url: str = "",
                 scenario: ScenarioIndex | None = None, language: str = "",
                 confidence_model: bool = False) -> list[Observation]:
    """All observations in a document's text (no confidence filter; see ``confidence``;
    ``confidence_model``: the DEV-fitted model of confidence.py instead of the rule score)."""
    gz = gazetteer.load()
    sents = sentences(text)
    actors_by_sent: list[list[Actor]] = [find_actors(s.text) for s in sents]
    masked = [(s.start + a.start, s.start + a.end) for s, acts in zip(sents, actors_by_sent,
                                                                       strict=True) for a in acts]
    mentions = find_mentions(text, sents, gz, masked, scenario)
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sentence, []).append(m)
    doc_lang = language or detect(text) or "en"
    caravan_article = is_caravan_article(fold(text[:20000]))
    # the town the report was filed from (its first dateline), if any
    dateline_town = next((m for m in mentions if m.role == "dateline" and m.place is not None
                          and m.place.level == "town"), None)
    drafts: list[_Draft] = []
    prev_times: list[TimeExpr] = []
    for si, sent in enumerate(sents):
        times = find_dates(sent.text, published)
        unresolved = published is None and bool(find_dates(sent.text, _ANY_DAY))
        carry = None if unresolved else _carry(prev_times, sents, si, sent)
        prev_times = times
        new = _sentence(sent, si, times, carry, by_sent.get(si, []), actors_by_sent[si],
                        published, source, url, scenario, doc_lang, caravan_article,
                        dateline_town)
        for back in (1, 2):  # the sentence before, else the one before it
            if si >= back and any(not d.obs.place_id and not d.fallbacks_prior and
                                  d.obs.kind in _OPERATION_KINDS for d in new):
                _operation_place(new, sents[si - back], by_sent.get(si - back, []))
        drafts.extend(new)
    _story_day(drafts, sents, published)
    _coreference(drafts)
    _caravan_place(drafts, dateline_town)
    _country_doubts(drafts)
    for d in drafts:
        d.obs.place_how = d.place_how if d.obs.place_id else "none"
    obs = _drop_coarser(_merge_restated(_dedupe([d.obs for d in drafts])))
    rescore(obs, confidence_model)
    return obs


def _carry(prev: list[TimeExpr], sents: list[Span], si: int, sent: Span) -> TimeExpr | None:
    """A short past time from the previous sentence of the same paragraph, for a sentence that
    has none and tells a past event ("… shut down two crossings last week. Another … remained
    closed …")."""
    if si == 0 or not prev:
        return None
    folded = fold(sent.text)
    if _SEQUENCE.search(folded):
        # "Trump said in April … Mattis later authorized …": the story goes on in that frame
        frame = [t for t in prev if not t.cumulative]
        return frame[-1] if frame else None
    if sents[si - 1].paragraph != sent.paragraph or _PRESENT.search(folded):
        return None
    short = [t for t in prev if not t.cumulative and (t.high - t.low).days <= 7]
    return short[-1] if short else None


def _sentence(sent: Span, si: int, times: list[TimeExpr], carry: TimeExpr | None,
              mentions: list[Mention], actors: list[Actor], published: dt.date | None,
              source: str, url: str, scenario: ScenarioIndex | None,
              doc_lang: str, caravan_article: bool = False,
              dateline: Mention | None = None) -> list[_Draft]:
    folded = fold(sent.text)
    lang = detect_en_es(sent.text) or doc_lang
    if lang not in ("en", "es"):
        lang = doc_lang
    quants = _drop_breakdowns([q for q in find_quantities(sent.text)
                               if _keep(q, times, folded, sent.text)], folded)
    triggers = find_triggers(folded)
    bounds = clauses(folded)
    verbs = find_verbs(folded)
    out: list[_Draft] = []

    def clause_of(pos: int) -> int:
        for k, (a, b) in enumerate(bounds):
            if a <= pos < b:
                return k
        return len(bounds) - 1

    def blocked(a: int, b: int, q: Quantity) -> bool:
        lo, hi = min(a, b), max(a, b)
        return any(o is not q and lo <= o.start < hi for o in quants)

    counted: list[tuple[Quantity, str, str]] = []  # numbers kept so far: (number, unit, kind)
    for q in quants:
        unit = unit_before(folded, q.start) or unit_after(folded, q.end)
        if unit in ("ignore", "percent", "km", "hours") or \
                _POPULATION.search(folded[max(0, q.start - 30):q.start]) or \
                _GROUPS.match(folded[q.end:q.end + 30]):
            continue  # "una población de mil 300 personas": who lives there, not who came
        cq = clause_of(q.start)
        # "left Tapachula … with nearly 10,000 people": the verb before "with" governs
        # … but "the caravan with 10,000 migrants that left X": the noun, not a verb, is before
        with_before = bool(_WITH.search(folded[max(0, q.start - 8):q.start])) and any(
            t.kind != "caravan_size" and 0 <= q.start - t.end <= 80 for t in triggers)
        object_a = bool(_PERSONAL_A.search(folded[max(0, q.start - 4):q.start]))
        # kind
        best_kind, best_cost = "other", 1e9
        back_story = (0, 0)  # a relative clause on the counted people, when the main verb won
        best_trigger = ""
        for t in triggers:
            if q.start <= t.start < q.end:
                continue  # "close to 800": the hedge, not a closure
            if t.kind == "crossing_closed" and unit not in ("days", "crossings", ""):
                continue
            dist = t.start - q.end if t.start >= q.end else q.start - t.end
            main = t.start > q.end and _main_verb_after_relative(folded, q.end, t.start)
            if dist > (200 if main else 120):
                continue
            cost = max(dist, 0) + 10 * (t.kind == "caravan_size")
            cost += 30 * (with_before and t.start >= q.end)
            # "detuvieron el jueves … a unos 800 integrantes de la caravana": the verb's object
            cost -= 20 * (object_a and t.end <= q.start and t.kind != "caravan_size")
            cost += 40 * blocked(t.start, q.start, q) + 25 * (clause_of(t.start) != cq)
            if main:
                # "1.764 hondureños que salieron de su país …, han sido deportados": the
                # people who left are being deported; the main verb says what the count is
                cost -= 100
            if cost < best_cost:
                best_kind, best_cost = t.kind, cost
                best_trigger = folded[t.start:t.end]
                back_story = (q.end, t.start) if main else (0, 0)
        kind = best_kind
        if kind == "permits_issued" and best_trigger and "atendido" in best_trigger and \
                not any(a.name in ("INM", "COMAR") for a in actors):
            kind = "other"  # "la Cruz Roja ha atendido a 200": care, not papers
        force = _FORCES_APPOSITIVE.search(folded[max(0, q.start - 50):q.start])
        if not unit and force:
            # "Los soldados y la policía antimotines -- unos 450 en total --": the force's size
            unit = "troops" if force.group(1) else "agents"
        if not unit and _APPOSITIVE.search(folded[max(0, q.start - 40):q.start]):
            # "Los migrantes, unos 4.500 según las autoridades …": the group, then its count
            unit, kind = "people", "caravan_size" if kind == "other" else kind
        elif not unit and counted and counted[-1][0].end >= q.start - 60 and \
                _COORDINATED.search(folded[counted[-1][0].end:q.start]) and \
                clause_of(counted[-1][0].start) == cq and best_cost > 30:
            # "… unos 4.500 según las autoridades y 7.500 según los organizadores": the same count
            # (unless the second has its own verb: "… y 300 fueron remitidos a albergues")
            unit, kind = counted[-1][1], counted[-1][2]
        if not unit and q.rule == "vague" and q.high is not None and q.high < 10 and \
                _ADJECTIVE_OF.match(folded[q.end:q.end + 30]):
            continue  # "en varios sitios", "several checkpoints": a few of something else
        if not unit:
            if kind == "other" or (kind == "crossing_closed"):
                continue  # a bare number with no noun and no trigger is not an observation
            if q.rule == "exact" and q.value < 10 and q.text.strip().isalpha():
                continue
            unit = "people" if kind in PEOPLE_KINDS or kind == "troops_deployed" else ""
        if unit == "days" and kind != "crossing_closed":
            continue
        if kind == "crossing_closed" and unit not in ("days", "crossings"):
            kind = "other"
        if unit == "crossings" and kind != "crossing_closed":
            continue
        kind = refine(kind, unit, folded)
        # "about 4,800 decided not to continue", "a caravan of 3,000 left Tapachula": a size in
        # a clause with a movement verb counts the people doing it (the verb's kind)
        if kind in ("caravan_size", "other") and unit == "people":
            near = [(abs(vs - q.start), k) for vs, _ve, k in verbs
                    if clause_of(vs) == cq and abs(vs - q.start) <= 100]
            if near:
                kind = min(near)[1]
        if re.search(r"\ba (?:los|las)\s+$", folded[max(0, q.start - 8):q.start]) and \
                re.search(r"\bse (?:suman|sumaron|agregan|anaden)\b", folded[q.end:q.end + 50]):
            continue  # "A los 1.764 inmigrantes se suman otros 81": the total told before
        if _AMONG_THEM.match(folded[q.end:q.end + 40]):
            continue  # "… 3,500 returned, several hundred children among them": a part
        if (kind == "caravan_size" and _PART_OF.search(folded[max(0, q.start - 40):q.start])) \
                or (_PART_OPENER.match(folded[:q.start]) and (
                    _PART_NOUN.match(re.sub(r"^\s+(?:son|are|eran|were)\b", "",
                                            folded[q.end:q.end + 26])) or
                    re.match(r"\s*(?:no se|no)\b", folded[q.end:q.end + 8]))):
            # "había 2 mil 966 personas, de las cuales mil 696 son hombres", "De los migrantes
            # retornados, 1,758 son hombres, 462 mujeres …": parts of a total told before
            continue
        if kind in _GROUP_KINDS and unit == "people" and q.low is not None and \
                q.low >= 200_000:
            continue  # "like over 7 million other Venezuelans, left her country": no caravan
        counted.append((q, unit, kind))
        # place
        place_m, how, fallbacks = _choose_place(q, kind, mentions, actors, sent, blocked,
                                                clause_of, cq, back_story)
        # "set off from southern Mexico" in a report filed from Tapachula: the dateline town
        if kind in CARAVAN_FAMILY and dateline is not None and dateline.place is not None and \
                (place_m is None or (place_m.place is not None and place_m.role != "dateline"
                                     and place_m.place.level in ("country", "region")
                                     and place_m.place.country == dateline.place.country)):
            place_m, how, fallbacks = dateline, "sentence", []
        # date
        own_times = [t for t in times if not back_story[0] <= t.start < back_story[1]]
        when, date_how = _choose_date(q, own_times, carry, published, folded, clause_of, cq)
        per = "day" if _PER_DAY.search(folded[q.end:]) else "total"
        actor = _actor(q, actors, clause_of, cq)
        conf = _confidence(q, kind, place_m, how, when, date_how)
        if _MODAL.search(folded[max(0, q.start - 30):q.start]) or \
                _FUTURE_ES.search(folded[max(0, q.start - 45):q.start]) or \
                _PLAN_BEFORE.search(folded[max(0, q.start - 90):q.start]) or \
                _EXPECTED_AFTER.match(folded[q.end:q.end + 40]):
            conf = round(max(0.05, conf - 0.45), 2)  # "podría superar las 15.000 personas"
        obs = _make(q.low, q.high, unit, per, kind, place_m, when, actor, lang, source, url,
                    sent, conf, q.start)
        obs.date_how = date_how
        out.append(_Draft(obs, how, si, fallbacks))
    out.extend(_closures_without_number(sent, si, folded, quants, triggers, mentions, times,
                                        carry, published, actors, lang, source, url))
    out.extend(_events(sent, si, folded, out, mentions, times, carry, published, bounds,
                       caravan_article, lang, source, url))
    if _PLANNED.match(folded):
        # "Se preveía que … arribaran otros mil 100": expected, not done (planned moves are
        # not facts, news README); left under the threshold
        for d in out:
            d.obs.confidence = round(max(0.05, d.obs.confidence - 0.45), 2)
    return out


def _events(sent: Span, si: int, folded: str, numbered: list[_Draft], mentions: list[Mention],
            times: list[TimeExpr], carry: TimeExpr | None, published: dt.date | None,
            bounds: list[tuple[int, int]], caravan_article: bool, lang: str, source: str,
            url: str) -> list[_Draft]:
    """Number-less position events of a sentence (events.py): each movement verb takes the
    nearest place whose role fits it; a dateline place only when the sentence has none."""
    verbs = find_verbs(folded)
    cap = _CAPTION.search(sent.text)
    if cap and not any(v[2] in ("position", "arrived", "halted") for v in verbs):
        # a photo caption "… in Ocotepeque, Honduras, Monday, Oct. 15, 2018.": they were there
        verbs = sorted([*verbs, (cap.start(1), cap.end(1), "position")])
    if not verbs:
        return []
    subject = has_subject(folded)
    if not subject and not caravan_article:
        return []

    def clause_of(pos: int) -> int:
        for k, (a, b) in enumerate(bounds):
            if a <= pos < b:
                return k
        return len(bounds) - 1

    placed = [m for m in mentions if m.place is not None and m.role != "qualifier"]
    own = [m for m in placed if m.role != "dateline"]
    dateline = [m for m in placed if m.role == "dateline"]
    found: dict[tuple[str, str], tuple[float, Mention, tuple[int, int, str], str]] = {}
    unplaced: list[tuple[int, int, str]] = []
    for vs, ve, kind in verbs:
        fit = ROLE_FIT[kind]
        levels = LEVELS_OK.get(kind, DEFAULT_LEVELS)
        best: tuple[float, Mention] | None = None
        for m in own:
            if m.possessive or m.place is None or m.place.level not in levels:
                continue
            if m.role not in fit:
                continue
            if kind == "returned" and m.place.country == "USA":
                # "que marchaban hacia Estados Unidos comenzaron a retornar": the goal they gave
                # up, not where they went (turn-backs in the corridor go south)
                continue
            a, b = m.start - sent.start, m.end - sent.start
            after = a >= ve
            dist = a - ve if after else vs - b
            if dist < 0 or dist > MAX_GAP:
                continue
            cost = fit[m.role] + dist / 10 + (0 if after else 6)
            if kind == "transported" and (m.role == "destination" or (
                    after and _TOWARD.search(folded[ve:a]))):
                # "la caravana que llegó hasta Mapastepec, para trasladarlos en autobuses hacia el
                # Centro … en Huixtla": a ride is placed where the group boarded, not where it went
                cost += 8 if after else -6
            cost += 30 * (clause_of(a) != clause_of(vs))
            cost += 10 * any(o[0] != vs and min(a, vs) < o[0] < max(a, vs) for o in verbs)
            cost += 3 * (m.place.level != "town")
            if best is None or cost < best[0]:
                best = (cost, m)
        # "llegaron al ejido de Álvaro Obregón, donde descansaron": the place before "donde"
        rel = _WHERE.search(folded[max(0, vs - 40):vs])
        if rel is not None:
            at = max(0, vs - 40) + rel.start()
            prior = [m for m in own if m.end - sent.start <= at and
                     at - (m.end - sent.start) <= 3 and m.place is not None and
                     m.place.level in levels]
            if prior:
                best = (0.0, prior[-1])
        how = "sentence"
        # a country the verb cannot take ("pushed into Guatemala … had dissipated") leaves the
        # sentence without a place of its own: the dateline's town
        fits = [m for m in own if m.place is not None and m.place.level in levels]
        if best is None and not fits and dateline:
            best, how = (20.0, dateline[0]), "dateline"
        if best is None and not own and kind in _CARRIED_EVENTS and subject:
            # "Los migrantes descansaron el martes": where the article last put the caravan
            # (placed by _caravan_place, or left under the threshold)
            unplaced.append((vs, ve, kind))
            continue
        if best is None or best[0] > 25:
            continue
        bp = best[1].place
        if bp is not None and bp.level == "country" and kind != "returned" and dateline and \
                dateline[0].place is not None and dateline[0].place.country == bp.country:
            # "set out from southern Mexico" in a report filed from Tapachula: from there
            best, how = (best[0], dateline[0]), "dateline"
        chosen = [best[1]]
        # "through Villa Comaltitlán and Escuintla": places joined to the chosen one share it
        k = own.index(best[1]) if best[1] in own else -1
        if _BETWEEN.search(folded[max(0, best[1].start - sent.start - 12):
                                  best[1].start - sent.start]):
            k = -1  # "on the highway between Mazatlan and Culiacan": one stretch of road
        while 0 <= k < len(own) - 1:
            nxt = own[k + 1]
            gap = folded[own[k].end - sent.start:nxt.start - sent.start]
            if not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*y|,?\s*e)\s*", gap) or \
                    nxt.place is None or nxt.place.level != "town":
                break
            chosen.append(nxt)
            k += 1
        for m in chosen:
            # one presence (arrived, halted or position) per place and sentence; others by kind
            group = "presence" if KIND_GROUPS.get(kind) == "presence" else kind
            key = (group, m.place.id if m.place else m.text)
            if key not in found or best[0] < found[key][0]:
                found[key] = (best[0], m, (vs, ve, kind), how)
    out: list[_Draft] = []
    for vs, ve, kind in unplaced[:1]:
        pseudo = Quantity(vs, ve, 0, 0, 0, "event", folded[vs:ve])
        when, date_how = _choose_date(pseudo, times, carry, published, folded, clause_of,
                                      clause_of(vs))
        if date_how != "sentence" and _BACKREF.search(folded[max(0, vs - 14):vs]):
            continue
        conf = 0.8 - 0.45 - (0.1 if date_how == "publication date" else 0)
        obs = _make(None, None, "people", "total", kind, None, when, "", lang, source, url, sent,
                    round(conf, 2), vs)
        obs.date_how = date_how
        out.append(_Draft(obs, "", si))
    for (_group, _pid), (_cost, m, (vs, ve, kind), how) in found.items():
        # the same kind at the same place with a number in this sentence says it already
        if any(d.obs.place_id and m.place is not None and
               KIND_GROUPS.get(d.obs.kind, d.obs.kind) == KIND_GROUPS.get(kind, kind) and
               d.obs.place_id in (m.place.id, m.scenario_id) for d in numbered):
            continue
        pseudo = Quantity(vs, ve, 0, 0, 0, "event", folded[vs:ve])
        when, date_how = _choose_date(pseudo, times, carry, published, folded, clause_of,
                                      clause_of(vs))
        # "the caravan that left San Pedro Sula": a back-reference to an earlier event, not
        # news of the day; without a time of its own it is left out
        if date_how != "sentence" and _BACKREF.search(folded[max(0, vs - 14):vs]):
            continue
        if date_how != "sentence" and _VAGUE_PAST.search(folded[max(0, vs - 60):ve + 40]):
            continue  # "set off a month ago from Honduras": some day we cannot tell
        year = _YEAR_AFTER.match(folded[ve:ve + 60])
        if year and published is not None and int(year.group(1)) != published.year and \
                _BACKREF.search(folded[max(0, vs - 14):vs]):
            continue  # "the kind of caravan that reached the U.S. border in 2018": another year
        conf = 0.8 - (0.25 if not subject else 0) - (0.15 if how == "dateline" else 0)
        conf -= 0.1 if date_how == "publication date" else 0.05 if date_how == "previous sentence" \
            else 0.4 if when is None else 0
        conf -= 0.05 if m.place is not None and m.place.level != "town" else 0
        obs = _make(None, None, "people", "total", kind, m, when, "", lang, source, url, sent,
                    round(conf, 2), vs)
        obs.date_how, obs.subject = date_how, subject
        out.append(_Draft(obs, how, si))
    return out


_PART_NOUN = re.compile(
    r"\s+(?:hondurenos|guatemaltecos|salvadorenos|nicaraguenses|cubanos|haitianos|venezolanos|"
    r"mexicanos|colombianos|ecuatorianos|hondurans|guatemalans|salvadorans|nicaraguans|cubans|"
    r"haitians|venezuelans|mexicans|ninas|ninos|mujeres|hombres|menores|adultos|women|men|"
    r"children|girls|boys|minors|adults)\b")
_PART_GAP = re.compile(r"[^\d;.]{0,30}?(?:,|\by\b|\band\b)\s*$")


def _drop_breakdowns(quants: list[Quantity], folded: str) -> list[Quantity]:
    """'821 hondureños, 38 guatemaltecos, 19 salvadoreños y tres nicaragüenses', '516 niñas, 542
    niños, 1 mil 127 mujeres y 3 mil 877 hombres': three or more counts of parts (nationalities,
    women, men, children) are the breakdown of a total, not facts of their own."""
    parts = [bool(_PART_NOUN.match(folded[q.end:q.end + 20])) for q in quants]
    drop: set[int] = set()
    k = 0
    while k < len(quants):
        j = k
        while j + 1 < len(quants) and parts[j] and parts[j + 1] and \
                _PART_GAP.match(folded[quants[j].end:quants[j + 1].start]):
            j += 1
        if parts[k] and j - k >= 2:
            drop.update(range(k, j + 1))
        k = j + 1
    return [q for i, q in enumerate(quants) if i not in drop]


def _keep(q: Quantity, times: list[TimeExpr], folded: str, text: str) -> bool:
    """Whether a number can be a count (not a time, a year, a share, an ordinal or a photo
    gallery's counter); ``text`` is the sentence as written, ``folded`` its folded form."""
    if _gallery_counter(q, text):
        return False
    if any(t.start < q.end and q.start < t.end for t in times):
        return False
    if q.rule == "exact" and 1900 <= q.value <= 2100 and q.text.isdigit():
        return False  # a year
    if q.low is not None and q.high is not None and 1900 <= q.low < q.high <= 2100 and \
            re.fullmatch(r"\D*(?:19|20)\d\d\D+(?:19|20)\d\d\D*", q.text):
        return False  # "between 2017 and 2021": years
    tail = folded[q.end:q.end + 3]
    return not (tail.startswith("%") or re.match(r"^(?:st|nd|rd|th)\b", tail))


# a photo gallery's counter opening a caption: "2 of 12 Honduran migrants …", "2 of12 …",
# "5 de 12 Migrantes …" (the caption starts with a capital; "12 of 40 migrants were …" is a count)
_GALLERY = re.compile(r"\W*(\d{1,2})\s*(?:of|de|/)\s*(\d{1,2})\s+(?=[A-ZÁÉÍÓÚÑ])")


def _gallery_counter(q: Quantity, text: str) -> bool:
    """Whether ``q`` is part of a photo gallery's "2 of 12" opening the sentence."""
    m = _GALLERY.match(text)
    return bool(m) and q.start < m.end() and int(m.group(1)) <= int(m.group(2))


def _choose_place(q: Quantity, kind: str, mentions: list[Mention], actors: list[Actor],
                  sent: Span, blocked, clause_of, cq: int, back_story: tuple[int, int] = (0, 0)
                  ) -> tuple[Mention | None, str, list[tuple[Mention, str]]]:
    """The best place in the sentence, or none plus fallbacks for the article-level pass."""
    folded = fold(sent.text)
    removal = kind == "deported" and bool(_REMOVAL.search(folded))
    costs = ROLE_COST["removal" if removal else kind] if kind in ROLE_COST else DEFAULT_ROLE_COST
    best, best_cost = None, 40.0
    origins: list[Mention] = []
    for m in mentions:
        if m.place is None or m.role == "qualifier":
            continue
        a = m.start - sent.start
        if m.role == "origin" and kind == "caravan_size":
            origins.append(m)
        cost = 99.0 if m.role == "goal" else float(costs.get(m.role,
                                                               DEFAULT_ROLE_COST.get(m.role, 10)))
        if m.possessive and m.place.level != "region":
            cost += 25
        if kind in _GROUP_KINDS and m.place.level == "country" and \
                _GOVERNMENT_AFTER.match(folded[m.end - sent.start:m.end - sent.start + 30]):
            continue  # "according to U.S. government documents": whose papers, not where
        if kind in ("deported", "returned") and m.role == "destination" and \
                m.place.country == "USA":
            continue  # "que marchaban hacia Estados Unidos comenzaron a retornar": their goal
        cost += LEVEL_COST.get(m.place.level, 0)
        if _PLUPERFECT_RELATIVE.search(folded[max(0, a - 50):a]):
            cost += 20  # "la caravana que se había quedado varada en Mexicali": where it had been
        if back_story[0] <= a < back_story[1]:
            cost += 30  # "… que salieron … hacia Estados Unidos, han sido deportados": back-story
        if kind == "deported" and _governed(folded, a):
            cost -= 10  # "returned to Guatemala", "deportados de México": the verb's own place
        if removal and m.role == "origin" and _listed(m, mentions):
            cost += 20  # "deportados desde Guatemala y México": no single place it happened
        dist = a - q.end if a >= q.end else q.start - (m.end - sent.start)
        cost += max(dist, 0) / 20
        cost += 25 * blocked(a, q.start, q) + 30 * (clause_of(a) != cq)
        if cost < best_cost:
            best, best_cost = m, cost
    if best is not None:
        return best, "sentence", []
    fallbacks: list[tuple[Mention, str]] = []
    if kind in _GROUP_KINDS and kind != "caravan_size":
        # a group's move is not where the institution that told of it sits ("el INM desplegó
        # 5 autobuses en los que subieron 200"): left to the article pass (the caravan's place)
        return None, "", []
    # "Guatemala's Migration Institute revealed that …", "According to Mexico, …"
    for m in mentions:
        if m.place is not None and m.place.level == "country" and (
                m.role == "source" or (m.possessive and any(
                    a.country == m.place.country and 0 <= a.start - (m.end - sent.start) < 4
                    for a in actors))):
            fallbacks.append((m, "reporting institution's country"))
    for act in actors:
        place = gazetteer.load().places.get(f"country:{act.country}") if act.country else None
        if place is not None:
            fallbacks.append((Mention(sent.start + act.start, sent.start + act.end, place.name,
                                      [place], 0, 0, place=place),
                              "reporting institution's country"))
    if kind == "caravan_size":
        # "according to U.S. government documents": no caravan is counted inside the US
        fallbacks = [(m, h) for m, h in fallbacks if m.place is None or m.place.country != "USA"]
    if kind == "caravan_size" and origins:
        north = min(origins, key=lambda m: _km_to_us_border(m.place))
        fallbacks.append((north, "northernmost origin of a caravan heading north"))
    return None, "", fallbacks


_GOVERNED = re.compile(r"\b(?:deported|deportad[oa]s|returned|retornad[oa]s|retornaron|removed|"
                       r"repatriated|repatriad[oa]s|sent back|devuelt[oa]s|regresad[oa]s|"
                       r"regresaron|expelled|expulsad[oa]s)\s+(?:\w+\s+)?(?:to|from|a|al|de|"
                       r"desde|hacia)\s+(?:(?:la ciudad|el estado|el puerto) de\s+|the |el |la )?$")


_GOVERNMENT_AFTER = re.compile(r"\W*(?:government|officials|authorities|administration|embassy|"
                               r"consulate|intelligence|documents|gobierno|autoridades|embajada|"
                               r"consulado|cancilleria)\b")
_TOWARD = re.compile(r"\b(?:hacia|rumbo a|con destino a|toward|towards|bound for)\b")
# what one group does: no caravan or group in the corridor has come near 200,000 people
_GROUP_KINDS = {"caravan_size", "position", "departed", "arrived", "halted", "dispersed",
                "transported"}
_PLANNED = re.compile(r"^\W*(?:se (?:preveia|preve|espera|esperaba|estima que podria)|"
                      r"it is expected|it was expected|(?:they|migrants) (?:are|were) expected)\b")
_YEAR_AFTER = re.compile(r"[^;]*?\b(?:in|en|de|del)\s+((?:19|20)\d\d)\b")
_AMONG_THEM = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:among them|entre ellos|entre ellas|de ellos|"
                         r"de ellas)\b")
_PART_OPENER = re.compile(r"^\W*(?:de|of|among)\s+(?:los|las|the|esos|esas|these|those)\s+"
                          r"(?:[\w-]+\s+){0,3}?[\w-]+\s*,[^.;]*$")
_PART_OF = re.compile(r"\b(?:de (?:las|los) cuales|of whom|of which|among them|entre ellos)\b"
                      r"[^;.]*$")
_PLUPERFECT_RELATIVE = re.compile(r"\b(?:que|who|which|that|donde|where)\s+(?:se\s+)?"
                                  r"(?:habia|habian|had)\b[^,;.]*$")
_RELATIVE = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:que|quienes|who|which|that)\s")
_MAIN_AUX = re.compile(r"(?:,|\b(?:y|and))?\s*\b(?:han sido|ha sido|fueron|habian sido|have been|"
                       r"has been|had been|were|ya)\s+(?:\w+\s+){0,2}?$")


def _main_verb_after_relative(folded: str, end: int, trigger_at: int) -> bool:
    """Whether a trigger is the main verb after a relative clause on the counted people."""
    if trigger_at - end > 200 or not _RELATIVE.match(folded[end:end + 40]):
        return False
    aux = _MAIN_AUX.search(folded[max(end, trigger_at - 40):trigger_at])
    if aux is None:
        return False
    # the auxiliary is not the relative clause's own ("que fueron deportados")
    rel = _RELATIVE.match(folded[end:end + 40])
    return rel is not None and max(end, trigger_at - 40) + aux.start() > end + rel.end() + 3


def _governed(folded: str, at: int) -> bool:
    """Whether a place (at offset `at`) is the object of a return verb right before it."""
    return bool(_GOVERNED.search(folded[max(0, at - 60):at]))


def _listed(m: Mention, mentions: list[Mention]) -> bool:
    """Whether a mention is one of a pair joined by 'y'/'and' with the same role."""
    return any(o is not m and o.role == m.role and o.place is not None and
               (0 < o.start - m.end <= 5 or 0 < m.start - o.end <= 5) for o in mentions)


def _km_to_us_border(place) -> float:
    """Distance to the US–Mexico border (the corridor's end): which origin is furthest along."""
    if place is None or place.lat is None:
        return 1e9
    from corridor.geo import haversine_km

    return float(haversine_km(place.lat, place.lon or 0.0, US_BORDER[0], US_BORDER[1]))


# a relative clause set off by commas: ", que partió el 5 de noviembre desde la frontera sur,"
# ", which left Tapachula on Monday," (to the next comma-and-space, so "6,000" stays inside)
_COMMA_RELATIVE = re.compile(
    r",\s+(?:que|quienes?|los cuales|las cuales|la cual|el cual|which|who)\b.*?(?=,\s|;|$)")


def _choose_date(q: Quantity, times: list[TimeExpr], carry: TimeExpr | None,
                 published: dt.date | None, folded: str, clause_of, cq: int
                 ) -> tuple[TimeExpr | dt.date | None, str]:
    best, best_cost = None, 1e9
    # (for a number-less event, q is its verb; a count's kind may come from a verb anywhere)
    relatives = [m.span() for m in _COMMA_RELATIVE.finditer(folded)] if q.rule == "event" else []
    for t in times:
        if clause_of(t.start) != cq:
            continue
        if any(a <= t.start < b and not a <= q.start < b for a, b in relatives):
            # "una segunda caravana, que comenzó el 20 de noviembre …, estaba en Pijijiapan":
            # the relative clause's day is its own verb's, not the main clause's
            continue
        dist = t.start - q.end if t.start >= q.end else q.start - t.end
        cost = max(dist, 0)
        if _REPORTING.match(folded[t.end:t.end + 30]):
            cost += 60  # "CBP on Tuesday announced …": the day of the announcement
        if t.cumulative and t.start >= q.end:
            cost -= 30  # "2.2 million migrants from January to November"
        if cost < best_cost:
            best, best_cost = t, cost
    if best is not None:
        return best, "sentence"
    if carry is not None:
        return carry, "previous sentence"
    if published is not None:
        return published, "publication date"
    return None, ""


def _actor(q: Quantity, actors: list[Actor], clause_of, cq: int) -> str:
    if not actors:
        return ""
    same = [a for a in actors if clause_of(a.start) == cq] or actors
    names = []
    for a in sorted(same, key=lambda a: abs(a.start - q.start)):
        if a.name not in names:
            names.append(a.name)
    return "; ".join(names[:2])


def _confidence(q: Quantity, kind: str, place: Mention | None, how: str,
                when: TimeExpr | dt.date | None, date_how: str) -> float:
    c = 0.9
    if q.rule == "vague":
        c -= 0.15
        if kind == "caravan_size" and place is not None and (
                how != "sentence" or place.role == "dateline"):
            # "TAPACHULA (Reuters) - A caravan of thousands …": a vague amount that the
            # sentence does not place itself is a scene-setter, not a count (left under the
            # default threshold)
            c -= 0.3
    if kind == "other":
        c = min(c, 0.35)
    if place is None:
        c -= 0.45  # under the default 0.5: a count with no place is not an observation
    elif how != "sentence":
        c -= 0.15
    elif place.margin < 1:
        c -= 0.1
    if when is None:
        c -= 0.3
    elif date_how == "previous sentence":
        c -= 0.1
    elif date_how == "publication date":
        c -= 0.05
    return round(max(c, 0.05), 2)


def _make(low: float | None, high: float | None, unit: str, per: str, kind: str,
          place_m: Mention | None, when: TimeExpr | dt.date | None, actor: str, lang: str,
          source: str, url: str, sent: Span, conf: float, number_start: int) -> Observation:
    if isinstance(when, TimeExpr):
        d, lo, hi = when.date.isoformat(), when.low.isoformat(), when.high.isoformat()
        if lo == hi:
            lo = hi = ""
    elif isinstance(when, dt.date):
        d, lo, hi = when.isoformat(), "", ""
    else:
        d = lo = hi = ""
    p = place_m.place if place_m is not None else None
    pid = (place_m.scenario_id or p.id) if place_m is not None and p is not None else ""
    return Observation(
        date=d, date_low=lo, date_high=hi, place=place_m.text if place_m else "",
        place_id=pid, lat=p.lat if p else None, lon=p.lon if p else None,
        country=p.country if p else "", kind=kind, low=low, high=high, unit=unit, per=per,
        actor=actor, language=lang, source=source, url=url, quote=sent.text,
        quote_start=sent.start, quote_end=sent.end, confidence=conf,
        number_start=sent.start + number_start,
    )


def _closures_without_number(sent: Span, si: int, folded: str, quants: list[Quantity],
                             triggers, mentions: list[Mention], times: list[TimeExpr],
                             carry: TimeExpr | None, published: dt.date | None,
                             actors: list[Actor], lang: str, source: str,
                             url: str) -> list[_Draft]:
    """'… remained closed in Lukeville, Arizona': one closed crossing per named town."""
    if not any(t.kind == "crossing_closed" for t in triggers) or not _CROSSING_NOUN.search(folded):
        return []
    if any(unit_after(folded, q.end) in ("crossings", "days") for q in quants):
        return []
    out = []
    for m in mentions:
        if m.place is None or m.role == "qualifier" or m.place.level != "town":
            continue
        when = times[-1] if times else carry if carry is not None else published
        how = "sentence" if times else "previous sentence" if carry is not None else \
            "publication date" if published else ""
        q = Quantity(m.start - sent.start, m.end - sent.start, 1, 1, 1, "exact", m.text)
        conf = _confidence(q, "crossing_closed", m, "sentence", when, how) - 0.1
        actor = "; ".join(dict.fromkeys(a.name for a in actors))
        obs = _make(1, 1, "crossings", "total", "crossing_closed", m, when, actor, lang, source,
                    url, sent, round(conf, 2), q.start)
        obs.date_how = how
        out.append(_Draft(obs, "sentence", si))
    return out


_OPERATION_KINDS = {"detained", "deported", "permits_issued", "asylum_applications"}


def _operation_place(new: list[_Draft], prev: Span, prev_mentions: list[Mention]) -> None:
    """'Agentes … hicieron recorridos a la orilla del Río Suchiate para detener a los migrantes.
    El personal del INM detuvo a cerca de 20 hondureños.': a count of an operation with no
    place of its own is where the sentence before put the same operation (before the
    institution's country)."""
    kinds = {t.kind for t in find_triggers(fold(prev.text))}
    here = [m for m in prev_mentions if m.place is not None and m.place.level != "country"
            and m.role in ("loc", "", "of", "destination")]
    if not here:
        return
    for d in new:
        if not d.obs.place_id and not d.fallbacks_prior and d.obs.kind in kinds and \
                d.obs.kind in _OPERATION_KINDS:
            d.fallbacks = [(here[0], "the same operation in the sentence before"),
                           *(d.fallbacks or [])]
            d.fallbacks_prior = True


def _coreference(drafts: list[_Draft]) -> None:
    """Numbers with no place of their own: (1) another mention of the same caravan placed in
    its sentence; (2) the sentence's fallbacks (reporting institution's country, northernmost
    origin); (3) another mention of the same caravan placed by (2)."""
    drafts.sort(key=lambda x: x.sentence)
    sent_keys = [x.sentence for x in drafts]
    for step in (1, 2, 3):
        for d in drafts:
            o = d.obs
            if o.place_id:
                continue
            if step == 2:
                if d.fallbacks:
                    m, how = d.fallbacks[0]
                    _set_place(d, m.text, m.scenario_id or (m.place.id if m.place else ""),
                               m.place, how)
                continue
            if o.kind not in CARAVAN_FAMILY or o.low is None:
                continue
            ok = ("sentence",) if step == 1 else ("sentence", "reporting institution's country",
                                                   "northernmost origin of a caravan heading north")
            # only the nearest COREF_WINDOW sentences: linear time on huge inputs (issue 9)
            lo = bisect.bisect_left(sent_keys, d.sentence - COREF_WINDOW)
            hi = bisect.bisect_right(sent_keys, d.sentence + COREF_WINDOW)
            same = [x for x in drafts[lo:hi] if x is not d and x.obs.place_id
                    and x.place_how in ok
                    and x.obs.kind in CARAVAN_FAMILY and x.obs.low is not None
                    and x.obs.low <= (o.high or 0) and (o.low or 0) <= (x.obs.high or 0)]
            if not same:
                continue
            same.sort(key=lambda x: (x.obs.kind != o.kind, abs(x.sentence - d.sentence)))
            src = same[0].obs
            o.place, o.place_id, o.lat, o.lon, o.country = (src.place, src.place_id, src.lat,
                                                            src.lon, src.country)
            o.confidence = round(min(0.9, o.confidence + 0.4 - 0.15), 2)
            d.place_how = "same caravan"


# kinds whose place says where the caravan is (departed: where it was that morning)
_LOCATES = {"position", "halted", "arrived", "departed", "caravan_size"}
_CARRIED = {"caravan_size", "position", "halted"}  # counts placed at the caravan's last place
_CARRIED_EVENTS = {"halted", "position", "dispersed", "transported"}  # … and these events
_POINT_IDS = ("geonames:", "scenario:", "corridor:", "region:suchiate")


BORDER_KM = 40  # a dateline town this close to a town across a border is on that border
_BORDERS = {"region:border-mex-gtm": ("MEX", "GTM"), "region:border-usa-mex": ("USA", "MEX")}


STORY_DAYS = 7  # a story's own day is at most this many days before its publication


def _story_day(drafts: list[_Draft], sents: list[Span], published: dt.date | None) -> None:
    """Undated past facts after a dated one happened on the story's day, not on the day the
    article came out: a wire story published Monday that opens "headed north on Saturday"
    goes on "About 300 … set out from Tapachula" (Saturday too). Each fact the publication
    date was given to takes the day of the last fact before it dated in its own sentence,
    when that day lies 2-7 days before publication (closer, the two are within a day anyway)
    and that fact is in an earlier sentence (in the same one, a dated relative clause "que
    comenzó el 20 de noviembre" is its own); a sentence in the present keeps the publication
    day."""
    if published is None:
        return
    frame: str | None = None
    frame_sentence = -1
    earliest = (published - dt.timedelta(days=STORY_DAYS)).isoformat()
    latest = (published - dt.timedelta(days=2)).isoformat()
    for d in sorted(drafts, key=lambda x: x.sentence):
        o = d.obs
        if o.date_how == "sentence" and o.date and o.date_low == o.date_high:
            frame = o.date if earliest <= o.date <= latest else None
            frame_sentence = d.sentence
        elif o.date_how == "publication date" and frame is not None and \
                d.sentence > frame_sentence and not _PRESENT.search(fold(sents[d.sentence].text)):
            o.date = o.date_low = o.date_high = frame
            o.date_how = "story day"


def _border_town(dateline: Mention | None) -> tuple[Place, set[str]] | None:
    """The dateline town and the borders it lies on (within BORDER_KM of the other side)."""
    if dateline is None or dateline.place is None or dateline.place.lat is None:
        return None
    p = dateline.place
    on = {rid for rid, sides in _BORDERS.items() if p.country in sides and gazetteer.near_country(
        p.lat, p.lon or 0.0, sides[1] if p.country == sides[0] else sides[0], BORDER_KM)}
    return (p, on) if on else None


def _caravan_place(drafts: list[_Draft], dateline: Mention | None) -> None:
    """A caravan count with no place of its own ("Los migrantes, unos 4.500 según las
    autoridades …") is where the article last put the caravan: the town of the latest position,
    halt, arrival or departure told so far (never one dated before it: a back-story "left San
    Pedro Sula on 13 October" does not move it), else the dateline town. A departure town is
    not carried to a number-less event after it: the caravan is no longer there."""
    current: tuple[str, str, float | None, float | None, str] | None = None
    current_date = ""
    if dateline is not None and dateline.place is not None:
        p = dateline.place
        current = (dateline.text, dateline.scenario_id or p.id, p.lat, p.lon, p.country)
    border_town = _border_town(dateline)
    left = False  # the last place is one the caravan left
    for d in drafts:  # in sentence order (_coreference sorted them)
        o = d.obs
        if border_town is not None and o.place_id in border_town[1] and o.kind in _LOCATES | \
                _CARRIED_EVENTS:
            # "stuck at the Guatemala-Mexico border" in a report filed from Tecún Umán: there
            p = border_town[0]
            o.place, o.place_id, o.lat, o.lon, o.country = (dateline.text, dateline.scenario_id
                                                            or p.id, p.lat, p.lon, p.country)
            o.confidence = round(o.confidence - 0.05, 2)
            d.place_how = "border: the dateline town"
        # "el INM ha atendido a 11 mil migrantes": papers are handed out where the caravan is,
        # a town in the institution's country rather than the country itself
        papers = o.kind == "permits_issued" and d.place_how == "reporting institution's country" \
            and current is not None and current[4] == o.country
        if o.place_id and not papers:
            if d.place_how in ("sentence", "dateline") and o.kind in _LOCATES and \
                    o.place_id.startswith(_POINT_IDS) and o.date >= current_date:
                current, current_date = (o.place, o.place_id, o.lat, o.lon, o.country), o.date
                left = o.kind == "departed"
            continue
        if current is None or (o.kind not in (_CARRIED if o.low is not None else
                                              _CARRIED_EVENTS) and not papers):
            continue
        if left and o.low is None:
            # "left Tapachula on Saturday … Mexican troops broke up the caravan": a caravan
            # that has left a town is no longer there; its next stop is not told
            continue
        o.place, o.place_id, o.lat, o.lon, o.country = current
        o.confidence = round(min(0.9, o.confidence + 0.45 - 0.2), 2)
        d.place_how = "caravan's last place"


US_COUNTRY_CAP = 0.3  # a caravan of this corridor is never tracked inside the US
DEPARTED_COUNTRY_CAP = 0.45  # under the default threshold: see _country_doubts
# where caravans form and set out as a whole ("the caravan departed Honduras on Friday")
CARAVAN_HOMELANDS = {"country:HND", "country:GTM", "country:SLV", "country:NIC"}


def _country_doubts(drafts: list[_Draft]) -> None:
    """Caravan moves placed in a whole country are doubtful and left under the default
    threshold: "in the US" is the goal ("U.S.-bound", "toward the US", "US voters"), not where
    a caravan of this corridor is (they stop at the border, on the Mexican side); and a
    departure "from Honduras" or "from southern Mexico" names the origin country (often the
    migrants' nationality, "left her native Venezuela"), while the fact a track needs is
    the town -- except from the Central American countries where caravans form ("departed
    Honduras on Friday" is how their start is told). Other kinds (returns,
    detentions) are kept: a country is often where those happen."""
    for d in drafts:
        o = d.obs
        if o.kind not in _GROUP_KINDS or not o.place_id.startswith("country:"):
            continue
        if o.place_id == "country:USA":
            o.confidence = min(o.confidence, US_COUNTRY_CAP)
        elif o.kind == "departed" and o.place_id not in CARAVAN_HOMELANDS:
            o.confidence = min(o.confidence, DEPARTED_COUNTRY_CAP)


def _set_place(d: _Draft, name: str, pid: str, place, how: str) -> None:
    o = d.obs
    o.place, o.place_id = name, pid
    o.lat, o.lon, o.country = (place.lat, place.lon, place.country) if place else (None, None, "")
    o.confidence = round(min(0.9, o.confidence + 0.4 - 0.15), 2)
    d.place_how = how


def _merge_restated(obs: list[Observation]) -> list[Observation]:
    """One article saying the same thing twice (headline, caption, body) is one fact: a
    number-less event is dropped when an earlier number-less event of the same kind (or both
    "the caravan is there": position, arrived, halted), place
    and date (± 1 day) says it; a number when an earlier number of the same kind, place and
    date overlaps it. Numbers and number-less events are kept side by side ("left Tapachula"
    and "a caravan of 3,000" are two facts)."""
    kept: list[Observation] = []
    index: dict[tuple[str, str, bool], list[Observation]] = {}
    # the body first, so a headline restating a body fact is the one dropped
    for o in sorted(obs, key=lambda o: (o.quote_start == 0, o.number_start)):
        if not o.place_id or not o.date:
            kept.append(o)
            continue
        numbered = o.low is not None
        presence = not numbered and KIND_GROUPS.get(o.kind) == "presence"
        key = ("presence" if presence else o.kind, o.place_id, numbered)
        # a headline (the first line) is dated by publication: its fact may be a few days old
        same = [x for x in index.get(key, []) if abs(
            (dt.date.fromisoformat(x.date) - dt.date.fromisoformat(o.date)).days) <= (
                3 if 0 in (x.quote_start, o.quote_start) else 1)]
        if same and (not numbered or any(x.low is not None and x.low <= (o.high or 0)
                                         and (o.low or 0) <= (x.high or 0) for x in same)):
            continue
        index.setdefault(key, []).append(o)
        kept.append(o)
    kept.sort(key=lambda o: o.number_start)
    return kept


def _drop_coarser(obs: list[Observation]) -> list[Observation]:
    """A number-less event placed in a state or country ("Caravana migrante se disuelve en
    Chiapas") is the same fact as one of its kind group in a town of that state or country
    on the same day (± 3 for the headline): the town is kept, the summary dropped."""
    places = gazetteer.load().places

    def group(o: Observation) -> str:
        return KIND_GROUPS.get(o.kind, o.kind)

    def inside(fine: str, coarse: str) -> bool:
        f, c = places.get(fine), places.get(coarse)
        if f is None or c is None or f.id == c.id or f.level not in ("town", "admin1"):
            return False
        return f.admin1 == c.admin1 if c.level == "admin1" else (
            c.level == "country" and f.country == c.country and f.level == "town")

    out = []
    for o in obs:
        if o.low is None and o.date and o.place_id.startswith(("admin1:", "country:")) and any(
                x is not o and x.date and group(x) == group(o) and inside(x.place_id, o.place_id)
                and abs((dt.date.fromisoformat(x.date) - dt.date.fromisoformat(o.date)).days)
                <= (3 if 0 in (x.quote_start, o.quote_start) else 0) for x in obs):
            continue
        out.append(o)
    return out


def _dedupe(obs: list[Observation]) -> list[Observation]:
    seen, out = set(), []
    # the body first, so a headline restating a body fact is the one dropped
    for o in sorted(obs, key=lambda o: (o.quote_start == 0, o.number_start)):
        key = (o.kind, o.place_id, o.date, o.low, o.high, o.quote_start)
        if key not in seen:
            seen.add(key)
            out.append(o)
    # a number-less event that a count of the same sentence already says (both moved to the
    # dateline town: "… set out from southern Mexico", filed from Tapachula)
    counted = {(o.kind, o.place_id, o.date, o.quote_start) for o in out if o.low is not None}
    return [o for o in out if o.low is not None or not o.place_id
            or (o.kind, o.place_id, o.date, o.quote_start) not in counted]
