"""What a number counts: its unit (the noun after it), its kind (the trigger words around it)
and the institution that acted (actors are institutions, never named individuals)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corridor.evidence.text import fold

KINDS = (
    "caravan_size", "position", "arrived", "departed", "detained", "deported", "apprehended",
    "troops_deployed", "permits_issued", "crossing_closed", "asylum_applications", "deaths",
    "other",
)
# Other names of a kind, as used by scenarios and analysts.
KIND_ALIASES = {"returned": "deported", "encounters": "apprehended", "registered": "other"}

# unit -> nouns that may follow the number (folded; a few words may come between)
UNIT_NOUNS: dict[str, str] = {
    "troops": r"troops|soldiers|military|guardsmen|marines|militares|soldados|efectivos|"
              r"elementos|guardias|national guard (?:members|officers|troops)",
    "agents": r"agents|officers|officials|police|policemen|agentes|oficiales|policias|"
              r"personnel|staff",
    "people": r"migrants|people|persons|immigrants|refugees|asylum[- ]seekers|children|minors|"
              r"families|adults|men|women|travell?ers|members|individuals|foreigners|"
              r"hondurans|guatemalans|salvadorans|nicaraguans|venezuelans|cubans|haitians|"
              r"mexicans|central americans|nationals|undocumented|applicants|bodies|"
              r"migrantes|personas|inmigrantes|refugiados|solicitantes|ninos|ninas|menores|"
              r"familias|adultos|extranjeros|hondurenos|guatemaltecos|salvadorenos|"
              r"nicaraguenses|venezolanos|cubanos|haitianos|mexicanos|centroamericanos|"
              r"indocumentados|connacionales",
    "days": r"days?|dias?|weeks?|semanas?|nights?|noches?|jornadas?",
    "hours": r"hours?|horas?|minutes?|minutos?",
    "km": r"kilometers|kilometres|km|miles|kilometros",
    "crossings": r"crossings|ports of entry|ports|bridges|border crossings|cruces|garitas|"
                 r"puentes|puertos fronterizos|aduanas",
    "USD": r"dollars|usd|dolares",
    "percent": r"percent|per cent|por ciento",
    "ignore": r"nationalities|nacionalidades|countries|paises|years|anos|times|veces|months|"
              r"meses|tweets|meetings|cases|agreements|municipalities|municipios|states|"
              r"estados|groups|grupos|vehicles|buses|trucks|camiones|autobuses|vehiculos|"
              r"camionetas|patrullas|tractocamiones|"
              r"organizations|cartels|inhabitants|residents|habitantes|pobladores|vecinos",
}
_UNIT_RE = [(u, re.compile(r"^\s*(?:[\w'-]+\s+){0,3}?(?:" + p + r")\b")) for u, p in
            UNIT_NOUNS.items()]

# kind -> trigger patterns (folded). Order matters only for ties.
TRIGGERS: dict[str, str] = {
    "departed": r"left(?! behind)(?!(?: [\w,]+){0,6}? (?:stranded|homeless|dead|injured|"
                r"without)\b)|set out|set off|departed|departure|"
                r"started their (?:journey|trek|march)|"
                r"began their (?:journey|trek|march)|salio|salieron|partio|partieron|"
                r"emprendieron|iniciaron su (?:camino|recorrido|marcha)",
    "arrived": r"arrived|arrival of|(?<!was )(?<!were )(?<!been )reached|made it to|llegaron|"
               r"llego|arribaron|arribo",
    "position": r"(?:are|is|were|remain|remained|stayed|camped|gathered|waiting) (?:still )?"
                r"(?:in|at)|advanced to|se encuentran en|estan en|permanecen en|"
                r"acampan en|esperan en|bulk of|"
                r"continu(?:aron|o|an|a) (?:\w+ ){0,3}?(?:su|el) (?:travesia|camino|recorrido|"
                r"marcha|avance|viaje) por|continued (?:their|its) (?:journey|trek|march|walk) "
                r"through",
    # "hid in plantations to avoid being arrested", "para evitar ser detenidos": nobody was held
    "detained": r"(?<!avoid being )(?<!avoid )(?<!evade )(?<!evitar ser )(?<!evitar )"
                r"(?:detained|detains|detain|detention|arrested|in custody|held|rescued|"
                r"intercepted|captured|deteniendo|interceptaron|interceptados|"
                # "la caravana detuvo hoy su avance": it stopped, nobody was held
                r"detener(?! (?:\w+ )?(?:su|la|el) (?:avance|marcha|paso|camino|recorrido))|"
                r"intercepto|contenidos|contenidas|"
                r"referred to (?:the )?(?:immigration )?authorities|detenid[oa]s|"
                r"detuvo(?! (?:\w+ )?(?:su|la|el) (?:avance|marcha|paso|camino|recorrido))|"
                r"detuvieron|asegurad[oa]s|aseguro|retenid[oa]s|rescatad[oa]s|rescato|"
                r"presentados ante|arrestados|custodia|"
                r"remitid[oa]s a (?:migracion|albergues|(?:la |las )?estacion(?:es)? migratorias?)|"
                r"puestos a disposicion|apprehended by (?:the )?(?:inm|mexican))",
    "deported": r"deported|deportation|returned to|returned|repatriated|expelled|sent back|"
                r"removed|deportad[oa]s?|deporto|deportaron|deports|"
                # headlines in the present: "México deporta a más de 2 mil hondureños"
                r"deporta|deportan|devuelve|devuelven|repatria|repatrian|"
                # "flying and busing hundreds of migrants … back to Honduras"
                r"(?:flying|flew|flown|busing|bussing|bused|bussed|trucking|sending|sent|taking|"
                r"took|carrying|driven|drove) (?:[\w,]+ ){0,10}?back to|"
                r"retornad[oa]s|devuelt[oa]s|devolvio|"
                r"repatriad[oa]s|expulsad[oa]s|regresad[oa]s a|retornaron|retornaban|"
                r"(?:volver|retornar|regresar) a sus? "
                r"(?:pais|paises|hogar|hogares|lugares de origen)|"
                r"returned home|sent home|return home|retorno asistido|retornos voluntarios|"
                r"(?:decided|agreed|asked|chose|opted) (?:[\w,]+ ){0,5}?to return|"
                r"(?:decidieron|optaron por|pidieron|aceptaron|acordaron|prefirieron) "
                r"(?:\w+ ){0,3}?(?:regresar|retornar|volver)|regresaban",
    "apprehended": r"apprehended|apprehensions|encounters|encountered|crossed illegally|"
                   r"illegal crossings|identified|aprehendidos|aprehensiones|encuentros|"
                   r"eventos|cruces irregulares|identificados|detenciones en la frontera",
    "troops_deployed": r"deployed|deploy|deployment|sent|dispatched|stationed|mobilized|"
                       r"authorized|despliegue|desplego|desplegaron|envio|enviaron|"
                       r"movilizo|apostados|despliega",
    "permits_issued": r"permits|visas|humanitarian visas|visitor cards|issued|granted|"
                      r"permisos|tarjetas de visitante|otorgo|otorgaron|expidio|oficios de salida|"
                      r"formas? migratorias? multiples?|fmm|documentos migratorios|"
                      r"(?:migratory|migration|immigration) documents|visas humanitarias|"
                      r"salvoconductos?|safe[- ]conducts?|exit permits|"
                      # papers in hand; "atendido" only with the INM or COMAR (see extract)
                      r"tienen? (?:sus |los )?(?:documentos|papeles)|recibieron (?:sus |los )?"
                      r"(?:documentos|papeles|permisos|visas)|received (?:their )?(?:papers|"
                      r"documents|permits|visas)|(?:ha|han|habia|habian) atendido",
    "crossing_closed": r"close|closed|closing|shut|shut down|suspended|blocked|closure|cerrar|"
                       r"cerro|cerraron|"
                       r"cerrado|cerrados|cierre|suspendio|suspendieron|suspendidas",
    "asylum_applications": r"asylum (?:applications|requests|claims|seekers applied)|"
                           r"applied for asylum|requested asylum|solicitudes de (?:asilo|refugio)"
                           r"|(?:refugee|refuge|protection) (?:requests|applications|claims)"
                           r"|(?:solicitaron|ha solicitado|han solicitado|pidieron|han pedido)"
                           r" (?:asilo|refugio)|solicitudes de proteccion",
    "deaths": r"died|dead|deaths|killed|drowned|bodies|murieron|muertos|muerto|fallecieron|"
              r"fallecidos|perdieron la vida|ahogados",
    "caravan_size": r"caravan|caravana|group of|grupo de|make up the|contingent|exodus|"
                    r"contingente|exodo|"
                    # how many there are now: "has grown to", "suman 5 mil 500", "había 6 mil"
                    r"(?:has|had) grown to|grew to|swelled to|ha crecido a|crecio a|"
                    r"(?:has|had) (?:dwindled|shrunk|shrank|fallen|dropped) to|dwindled to|"
                    r"shrank to|se redujo a|disminuyo a|"
                    r"llego a tener|asciende a|ascendio a|(?<!se )suman|(?<!se )sumaban|habia|"
                    r"albergad[oa]s|alojad[oa]s|hospedad[oa]s|sheltered|housed|"
                    r"(?:estan|estaban) instalad[oa]s",
}
_TRIGGER_RE = {k: re.compile(r"\b(?:" + p + r")\b") for k, p in TRIGGERS.items()}
_ANY_TRIGGER = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in TRIGGERS.values()) + r")\b")
# Verbs outrank the caravan noun when both govern a number ("left … with nearly 10,000").
PRIORITY = {k: (1 if k == "caravan_size" else 0) for k in TRIGGERS}

# CBP or Border Patrol "arrivals"/"crossings" are encounters.
_CBP = re.compile(r"\b(?:cbp|border patrol|customs and border protection|patrulla fronteriza)\b")

# Institutions: pattern (folded) -> (actor name, country).
ACTORS: list[tuple[str, str, str]] = [
    (r"u\.?s\.? customs and border protection|customs and border protection|\bcbp\b",
     "CBP", "USA"),
    (r"\bborder patrol\b|patrulla fronteriza", "US Border Patrol", "USA"),
    (r"department of homeland security|homeland security|\bdhs\b", "DHS", "USA"),
    (r"\bice\b|immigration and customs enforcement", "ICE", "USA"),
    (r"u\.?s\.? military|pentagon|department of defense|defense secretary", "US military",
     "USA"),
    (r"national migration institute|national immigration institute|instituto nacional de "
     r"migracion|\binami?\b|\binm\b|@inami_mx", "INM", "MEX"),
    (r"guardia nacional|national guard|@gn_mexico_?|\bgn\b", "National Guard", ""),
    (r"sedena|secretaria de la defensa nacional|@sedenamx|mexican army|ejercito mexicano",
     "SEDENA", "MEX"),
    (r"\bcomar\b|comision mexicana de ayuda a refugiados", "COMAR", "MEX"),
    (r"guatemala'?s? (?:migration institute|institute of migration)|instituto guatemalteco de "
     r"migracion|\bigm\b", "IGM (Guatemalan Migration Institute)", "GTM"),
    (r"guatemalan police|policia nacional civil|\bpnc\b", "Guatemalan police", "GTM"),
    (r"guatemalan army|ejercito de guatemala", "Guatemalan army", "GTM"),
    (r"un refugee agency|united nations refugee agency|\bunhcr\b|\bacnur\b", "UNHCR", ""),
    (r"\biom\b|\boim\b|international organization for migration", "IOM", ""),
    (r"foreign ministry|secretariat of foreign affairs|foreign relations secretariat|\bsre\b",
     "SRE", "MEX"),
]
_ACTOR_RE = [(re.compile(p), name, c) for p, name, c in ACTORS]
_ANY_ACTOR = re.compile("|".join(f"(?:{p})" for p, _, _ in ACTORS))


@dataclass(frozen=True)
class Actor:
    """An institution named in a sentence."""

    start: int
    end: int
    name: str
    country: str


def find_actors(sentence: str) -> list[Actor]:
    """Institutions named in a sentence (for the actor column and to mask them from places)."""
    folded = fold(sentence)
    out: list[Actor] = []
    if not _ANY_ACTOR.search(folded):
        return out
    for rx, name, country in _ACTOR_RE:
        for m in rx.finditer(folded):
            if not any(a.start < m.end() and m.start() < a.end for a in out):
                out.append(Actor(m.start(), m.end(), name, country))
    out.sort(key=lambda a: a.start)
    return out


def unit_after(folded: str, end: int) -> str:
    """The unit named by the words right after a number ('' when none is recognised)."""
    # "500 GN (National Guard) officers": a parenthesis inside the noun phrase
    after = folded[end:end + 60].replace("(", " ").replace(")", " ")
    if after.startswith("%"):
        return "percent"
    for unit, rx in _UNIT_RE:
        if rx.match(after):
            return unit
    return ""


def unit_before(folded: str, start: int) -> str:
    """'$2 million', 'US$ 5' → USD."""
    return "USD" if re.search(r"(?:us)?\$\s*$", folded[max(0, start - 4):start]) else ""


@dataclass(frozen=True)
class Trigger:
    """A word that says what kind of fact a nearby number is."""

    start: int
    end: int
    kind: str


def find_triggers(folded_sentence: str) -> list[Trigger]:
    """All kind triggers in a (folded) sentence."""
    if not _ANY_TRIGGER.search(folded_sentence):
        return []
    out = [Trigger(m.start(), m.end(), k) for k, rx in _TRIGGER_RE.items()
           for m in rx.finditer(folded_sentence)]
    out.sort(key=lambda t: t.start)
    return out


def refine(kind: str, unit: str, folded_sentence: str) -> str:
    """Adjust a kind by its unit and context (CBP arrivals are encounters, etc.)."""
    if kind in ("arrived", "detained") and _CBP.search(folded_sentence):
        return "apprehended"  # what CBP / Border Patrol count are encounters
    if unit in ("troops", "agents"):
        # a count of soldiers or agents is a deployment whatever verb is nearest ("left …
        # with around 500 officers dispatched to the border"), unless they died or were held
        return kind if kind in ("deaths", "detained") else "troops_deployed"
    if kind == "troops_deployed" and unit == "people":
        return "other"
    return kind
