"""Position events without numbers: where a caravan left from, was, stopped, arrived, broke up,
was put on buses or turned back, and when.

A sentence gives an event when it names a travelling group (caravan, migrants, the group, the
exodus … or "they" in an article about a caravan), a movement verb of one of the kinds below, and
a place whose role fits the verb ("left Tapachula", "llegaron a Huixtla", "camped in Escuintla").
Each verb takes the nearest fitting place in its clause; places joined by "and"/"y"/"," share it
("walked through Villa Comaltitlán and Escuintla"). A dateline town ("HUIXTLA, Mexico (AP) —") is
used only when the sentence names no place of its own. Origins of people ("mostly from Haiti",
"Honduran migrants") are never the place of a position.

Kinds (the caravan timeline's): departed, position, halted, arrived, dispersed, transported,
returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corridor.evidence.text import fold

# kind -> verb patterns (folded text). A verb is matched as whole words.
VERBS: dict[str, str] = {
    "departed": (
        r"left(?! behind)(?!" + r"(?: [\w,]+){0,6}? (?:stranded|homeless|dead|injured|without)\b)|"
        r"leaving(?! behind)|leave(?! behind)|set (?:out|off)|sets (?:out|off)|"
        r"setting (?:out|off)|departed|"
        r"departs|departing|headed out of|head out of|"
        r"exited|exits|exiting|"
        r"(?:headed|heading|moving|walking|pushed|pushing) north from|"
        r"began (?:walking|marching|their (?:trek|"
        r"journey|march|walk))|started (?:walking|marching|the trek|their (?:trek|journey|march|"
        r"walk))|resumed (?:their|its) (?:trek|journey|march|walk)|(?:trek|march|walk) north from|"
        r"pulled out of|"
        # "walked some 15 km from Tapachula to …", "caminaron 40 kilómetros desde Huixtla"
        r"(?:walked|marched|trekked|caminaron|camino|marcharon)(?= (?:[\w.,]+ ){0,4}?"
        r"(?:from|desde)\b)|salio|salieron|sale|salen|partio|partieron|parten|"
        # "parte" leaves, but "formaban parte de la caravana" were part of it
        r"(?<!forma )(?<!forman )(?<!formaba )(?<!formaban )(?<!formar )(?<!formaron )"
        r"(?<!formo )(?<!formando )(?<!formen )(?<!ser )(?<!es )(?<!son )(?<!en )(?<!por )"
        r"(?<!gran )(?<!una )(?<!la )(?<!otra )(?<!su )parte|"
        r"emprendio|emprendieron|emprenden|reanudo|reanudaron|reanudan|abandonaron(?! a )|"
        r"dejaron(?! a )|se puso en marcha|se pusieron en marcha|"
        r"inicio su (?:camino|recorrido|marcha)|"
        r"iniciaron su (?:camino|recorrido|marcha)|retomaron (?:su|el) (?:camino|marcha)|"
        r"retomo (?:su|el) (?:camino|marcha)|"
        # "The caravan … began Friday in San Pedro Sula", "La travesía inició … en San Pedro Sula"
        # (not "el COVID-19 se comenzó a expandir en Honduras")
        r"(?<!se )(?:began|started|inicio|comenzo|arranco)"
        r"(?= (?:[\w,]+ ){0,5}?(?:in|en|from|desde)\b)"),
    "arrived": (
        # "an agreement was reached": nobody arrived
        # "reached 7,000 people", "llegó a tener 7.000 personas": a size, not an arrival
        r"arrived|arrives|arrive|arriving|(?<!was )(?<!were )(?<!been )(?<!be )reached"
        r"(?! (?:about |some |nearly |almost |more than |over |up to )?(?:\d|thousands|hundreds))|"
        r"reaches|reach|made it to|entered|enters|"
        r"poured into|pouring into|pour into|streamed into|streaming into|crossed into|crossed|"
        r"cruzaron|cruzo|(?:llego|llegaron|llegan|llega)(?! a (?:tener|ser|sumar|contar|reunir))|"
        r"arribo|arribaron|arriban|ingreso|ingresaron|ingresan|entraron|entro|alcanzaron|"
        r"alcanzo|cruzaron a|cruzo a|"
        # "sólo logró llegar a Tuzantán", "pudieron llegar hasta Huixtla": they got there
        r"(?:logro|lograron|logran|consiguio|consiguieron|pudo|pudieron|alcanzaron a) llegar|"
        # "penetraron a la fuerza a Guatemala … por El Florido", "stormed into Mexico"
        r"penetraron|penetro|irrumpieron|irrumpio|forced their way|stormed|burst through|"
        r"broke through"),
    "position": (
        r"(?:were|are|was|is|remained|remain|remains) (?:still )?(?:in|at|near)|camped|camp|"
        r"camping|encamped|gathered|gathering|massed|waited|waiting|spent the night|"
        r"slept|sleep|bedded down|bed down|walked through|marched through|passed through|"
        r"moved through|advanced|advancing|advances|trudged|walking through|made (?:its|their) "
        r"way through|se encuentra|se encuentran|se encontraba|se encontraban|estan en|"
        r"estaba en|estaban en|permanecen|permanecian|permanece|permanecia|acampan|acamparon|"
        r"acampaba|pernoctaron|paso la noche|pasaron la noche|pasan la noche|pasaron|paso por|"
        r"pernocta|pernoctan|durmieron|avanza|avanzan|avanzo|avanzaron|recorren|recorrieron|"
        r"al recorrer|caminaron por|caminan por|transitan|transitaron|concentra|se concentran|"
        r"se concentraron|quedaron en|quedo en|esperan en|esperaban en|"
        # "continuaron este viernes su travesía por Guatemala", "continued their trek through"
        r"continu(?:aron|o|an|a) (?:\w+ ){0,3}?(?:su|el) (?:travesia|camino|recorrido|marcha|"
        r"avance|viaje)(?= por)|continued (?:their|its) (?:journey|trek|march|walk)(?= through)|"
        # "pasó sin incidentes el puesto de revisión de La Ventosa", "passed the checkpoint at"
        r"pas(?:o|aron) (?:\w+ ){0,2}?(?:el|la|por el|por la) (?:punto|puesto|reten|garita|caseta)|"
        r"passed (?:through )?(?:a |the )?(?:\w+ )?checkpoint"),
    "halted": (
        r"rested|(?<!the )(?<!el )rest(?! of)|"
        r"resting|rests|stopped|stops|stop|paused|halted|stayed|stay|stuck|"
        r"stranded|held up|pauses|thwarted|blocked|frenaron|frenada|frenado|frenados|"
        # "dejaron de avanzar ante la promesa del INM", "interceptaron al contingente a la altura
        # de Frontera Hidalgo"
        r"dej(?:aron|o) de (?:avanzar|caminar)|interceptaron|intercepto|intercepted|"
        r"contenida|contenidos|a stop|rest day|day of rest|refused to move|se detuvo|se detuvieron|"
        r"se detienen|descansar|descansaron|descansa|descansan|descanso|permanecio|"
        r"permanecieron|suspendio (?:\w+ ){0,3}?su (?:salida|marcha|avance)|suspendieron "
        r"(?:\w+ ){0,3}?su (?:salida|marcha|avance)|detuvo (?:hoy )?su avance|paro|varad[oa]s?|"
        r"se quedaron|se quedo|(?:quedaron|quedo|permanecen|permanecieron|siguen) en espera"),
    "dispersed": (
        r"dissolved|dissolve|disbanded|disband|broke up|break up|broken up|fell apart|"
        r"dispersed|disperse|dispersing|splintered|fizzled|dissipated|dissipates|disipo|"
        r"se disipo|se disolvio|se disuelve|disolvieron|"
        r"disolvio|disuelta|se desintegro|desintegraron|desintegrada|se desintegra|"
        r"desmantelaron|desmantelo|desarticularon|desarticulo|se dispersa|se dispersaron|"
        r"se disperso|dispersaron|se disgrego|se disgrega|disgregaron|disolver|desintegrar|"
        # participles, gerunds and enclitics: "fueron dispersados", "dispersándose", "para
        # dispersarlos", "la caravana quedó disuelta"
        r"dispersad[oa]s?|dispersandose|dispersandolos|dispersarlos|dispersarlas|"
        r"disuelt[oa]s?|disolviendose|disolverla|desintegrandose|desarticulad[oa]s?|"
        r"desmantelad[oa]s?|dismantled|broke apart|broken apart|"
        # people slipping away from an operation leave the caravan: "hid in plantations",
        # "eluded capture", "se escondieron entre la maleza", "huyeron hacia el río"
        r"hid (?:in|among)|hiding (?:in|among)|eluded|evaded|escaped|se escondieron|"
        r"se ocultaron|escaparon|huyeron (?:hacia|a|por|entre)"),
    "transported": (
        r"boarded|board|boarding|bused|bussed|put on buses|onto buses|on buses|in buses|"
        r"buses took|buses carried|transferred|ferried|hitch(?:ed)? (?:a )?rides?|caught rides|"
        r"catch(?:es)? rides|on trucks|onto trucks|handed themselves over|turned themselves in|"
        r"rides? on top of|rode|riding|aboard|buses carrying|a bordo de|subieron|trasladarlos|"
        r"trasladarlas|trasladadas|trasladados|movilizo (?:\w+ ){0,2}(?:buses|autobuses)|"
        r"subidos a|subieron a|abordaron|trasladados|trasladadas|trasladar|trasladaron|traslado|"
        r"trasladan|en autobuses|en camiones|se entregaron|entregarse|"
        # "loaded many onto buses and into army trucks"
        r"loaded (?:[\w,]+ ){0,4}?(?:onto|on|into) (?:\w+ )?(?:buses|trucks|vehicles|vans)"),
    "returned": (
        r"turned back|turn back|returned home|return home|went home|go home|sent back|"
        r"sent home|gave up and|headed home|"
        r"(?:send|sent|sending) (?:[\w,]+ ){1,6}?back (?:home|to)|"
        r"regresaron|regresan|regreso a su|retornaron|"
        # "el grupo regresó a la Estación Siglo XXI" (not "regresó a caminar": resumed)
        r"(?:regreso|retorno) a(?! \w+(?:ar|er|ir)\b)|"
        r"retornan|retornaban|regresaban|volvieron a su pais|desistieron|"
        r"(?:decided|agreed|asked|chose|opted|were allowed) (?:[\w,]+ ){0,5}?to return|"
        r"(?:decidieron|optaron por|pidieron|aceptaron|acordaron|prefirieron) (?:\w+ ){0,3}?"
        r"(?:regresar|retornar|volver)|"
        # "comenzaron a retornar a su país", "began returning home"
        r"(?:comenzaron|empezaron|iniciaron|comienzan|empiezan|inician) a (?:regresar|retornar|"
        r"volver)|(?:began|begin|begun|started|start|starting) (?:to return|returning)"),
}
_VERB_RE = {k: re.compile(r"\b(?:" + p + r")\b") for k, p in VERBS.items()}
_ANY_VERB = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in VERBS.values()) + r")\b")

# Who travels: a caravan, migrants, a group … (folded).
SUBJECT = re.compile(
    r"\b(?:caravans?|caravana|caravanas|migrants?|migrantes?|group|groups|grupo|grupos|"
    r"contingent|contingente|exodus|exodo|marchers|travell?ers|hondurans|guatemalans|"
    r"salvadorans|venezuelans|haitians|cubans|central americans|centroamericanos|"
    r"hondurenos|venezolanos|haitianos|cubanos|salvadorenos|guatemaltecos|asylum seekers|"
    r"solicitantes|extranjeros|indocumentados|foreigners|families|familias|people|personas|"
    r"column|columna|march|marcha|they|ellos)\b")
_CARAVAN_WORD = re.compile(r"\b(?:caravans?|caravana|caravanas|exodus|exodo)\b")
# Places of these roles fit each kind (role names from places.py: origin, destination, loc,
# of, source, qualifier, ''), with a cost; a role not listed does not fit.
ROLE_FIT: dict[str, dict[str, float]] = {
    "departed": {"origin": 0, "of": 4, "": 6, "loc": 12},
    "arrived": {"destination": 0, "loc": 2, "": 6},
    "position": {"loc": 0, "": 6, "of": 8},  # "advancing toward X" is not at X
    "halted": {"loc": 0, "": 5, "of": 8},
    "dispersed": {"loc": 0, "": 5, "of": 6},
    "transported": {"origin": 0, "loc": 1, "": 5, "destination": 8},
    "returned": {"destination": 0, "": 6, "loc": 8},
}
LEVELS_OK = {
    "returned": {"country", "town", "admin1", "region"},
    "departed": {"country", "town", "admin1", "region"},  # "departed Honduras on Friday"
}
DEFAULT_LEVELS = {"town", "admin1", "region"}
MAX_GAP = 90  # characters between a verb and its place


@dataclass(frozen=True)
class Event:
    """A number-less event found in a sentence (offsets in the sentence)."""

    kind: str
    verb_start: int
    verb_end: int
    place_index: int  # index into the sentence's mentions ( -1: the dateline place )


# A verb after these did not (yet) happen: plans, hopes, attempts, futures, conditionals.
_IRREALIS = re.compile(
    r"(?:\bto|\bwill|\bwould|\bcould|\bmay|\bmight|\bshould|\bcan|\bplans? to|\bplanned to|"
    r"\bexpected to|\bhoping to|\bhope to|\bvowed to|\bwant(?:s|ed)? to|\bintend(?:s|ed)? to|"
    r"\bseek(?:s|ing)? to|\btr(?:y|ies|ied|ying) to|\baim(?:s|ed|ing)? to|\bbefore|"
    r"\bpara|\bpodria|\bpodrian|\bpodran|\bpodra|\bintentan|\bintentaron|\bintento|\bbuscan|"
    r"\bbusca|\bpretenden|\bpretende|\bplanean|\bquieren|\bquiere|\bdecidir si|\bsin|"
    r"\bva a|\bvan a|\biban a|\bde no|\bantes de|\bhasta|\bnot|\bno|\bnever|\bnunca|"
    r"\bwhether to|\bor|\bpreveia que|\bpreve que|\bse espera que|\bse esperaba que|"
    r"\bexpected|\bexpects|\besperaban|\besperaba|\bwaiting to|\bwaited to)\s+"
    r"(?:\w+\s+){0,1}$")


# "before"/"antes de que" opening the verb's clause (up to eight words before it, no comma):
# what follows has not happened yet when the main clause did ("… before Blinken arrives")
_BEFORE_CLAUSE = re.compile(r"\b(?:before|antes de que|until|hasta que)\s+(?:[\w.'’-]+\s+){0,8}$")


def irrealis(folded: str, verb_start: int) -> bool:
    """The verb is a plan, hope, attempt, future or negation ("hoping to reach the U.S.",
    "will leave", "para llegar", "no llegaron")."""
    before = folded[max(0, verb_start - 30):verb_start]
    if before.endswith(("only to be ", "only to ", "managed to ", "were able to ",
                        "was able to ", "succeeded in ")):
        return False  # "… only to be halted by police", "managed to reach Huixtla": it happened
    # "for not stopping people from leaving", "kept them from reaching": did not happen
    if _BEFORE_CLAUSE.search(folded[max(0, verb_start - 90):verb_start]):
        return True  # "days before the secretary of state arrives in Mexico City": not yet
    return bool(_IRREALIS.search(before)) or before.endswith("from ")


def find_verbs(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every movement verb in a folded sentence."""
    if not _ANY_VERB.search(folded):
        return []
    out = [(m.start(), m.end(), k) for k, rx in _VERB_RE.items() for m in rx.finditer(folded)]
    out.sort()
    # a longer verb wins over one inside it ("set off" vs "off"; "turned back" vs …)
    keep: list[tuple[int, int, str]] = []
    for v in out:
        if keep and v[0] < keep[-1][1]:
            if v[1] - v[0] > keep[-1][1] - keep[-1][0]:
                keep[-1] = v
            continue
        keep.append(v)
    unreal = [v for v in keep if irrealis(folded, v[0])]
    # "esperaban ser trasladados en autobuses": the ride's second wording is not done either
    return [v for v in keep if v not in unreal and not any(
        u[2] == v[2] and 0 <= v[0] - u[1] <= 3 for u in unreal)]


def has_subject(folded: str) -> bool:
    return bool(SUBJECT.search(folded))


def is_caravan_article(folded_text: str) -> bool:
    """An article about a caravan: the word comes up at least twice."""
    return len(_CARAVAN_WORD.findall(folded_text[:20000])) >= 2


def fold_sentence(text: str) -> str:
    return fold(text)
