"""Places: gazetteer lookups, accents and case, disambiguation by context, regions, scenarios."""

from __future__ import annotations

from corridor.evidence import gazetteer
from corridor.evidence.places import ScenarioIndex, find_mentions
from corridor.evidence.text import sentences


def resolved(text: str, scenario: ScenarioIndex | None = None) -> dict[str, str]:
    sents = sentences(text)
    ms = find_mentions(text, sents, gazetteer.load(), [], scenario)
    return {m.text: (m.scenario_id or (m.place.id if m.place else "")) for m in ms}


def test_escuintla_in_chiapas_by_context() -> None:
    got = resolved("The caravan reached Escuintla, a municipality in Chiapas state.")
    assert got["Escuintla"] == "geonames:3527768"  # Escuintla, Chiapas (MEX)


def test_escuintla_in_guatemala_by_context() -> None:
    got = resolved("Los migrantes llegaron a Escuintla, al sur de la Ciudad de Guatemala, "
                   "en Guatemala.")
    assert got["Escuintla"] in ("geonames:3595803", "admin1:GT-05")


def test_accents_and_case() -> None:
    assert resolved("Llegaron a TAPACHULA")["TAPACHULA"] == "geonames:3516266"
    assert resolved("They walked to Mexico")["Mexico"] == "country:MEX"
    assert resolved("Salieron de México")["México"] == "country:MEX"
    assert resolved("migrantes en Estados Unidos")["Estados Unidos"] == "country:USA"


def test_countries_states_and_regions_are_places() -> None:
    got = resolved("Troops went to Mexico's southern border and to Chiapas.")
    assert got["Mexico's southern border"] == "region:border-mex-gtm"
    assert got["Chiapas"] == "admin1:MX-CHP"
    got = resolved("Llegaron a la frontera sur de México.")
    assert "region:border-mex-gtm" in got.values()
    got = resolved("apprehended at the US-Mexico border")
    assert got["US-Mexico border"] == "region:border-usa-mex"


def test_bare_southern_border_follows_the_country() -> None:
    got = resolved("The United States said it will close the southern border.")
    assert got["southern border"] == "region:border-usa-mex"


def test_qualifier_picks_the_state() -> None:
    got = resolved("operations in Nogales, Arizona, were suspended")
    assert "geonames:5306611" in got.values()  # Nogales, AZ, not Nogales, Sonora


def test_people_are_not_places() -> None:
    got = resolved("coordinator Luis Rey García Villagrán said the caravan would go on.")
    assert not any(v.startswith("geonames:") for v in got.values())


def test_lowercase_us_is_not_a_country() -> None:
    assert resolved("They will help us, he said.") == {}


def test_scenario_places_win() -> None:
    rows = [{"id": "escuintla", "name": "Escuintla (Chiapas)", "country": "MEX",
             "lat": "15.317", "lon": "-92.659", "kind": "town"},
            {"id": "la-72", "name": "La 72 Hogar-Refugio (Tenosique)", "country": "MEX",
             "lat": "17.47", "lon": "-91.42", "kind": "shelter"}]
    idx = ScenarioIndex.from_rows(rows)
    got = resolved("About 6,000 are in Escuintla and 300 at La 72 Hogar-Refugio.", idx)
    assert got["Escuintla"] == "escuintla"
    assert got["La 72 Hogar-Refugio"] == "la-72"


def test_a_city_wins_over_namesake_villages() -> None:
    # "Juchitán" alone is Juchitán de Zaragoza (Oaxaca, 88,000 people), not the Guerrero village
    # of that exact name; "Querétaro" is Santiago de Querétaro, not a Chiapas hamlet
    assert resolved("La caravana llegó a Juchitán el martes.")["Juchitán"] == "geonames:3526357"
    assert resolved("Migrants rested in Querétaro.")["Querétaro"] == "geonames:3991164"
    assert resolved("Ya están en Pachuca.")["Pachuca"] == "geonames:3522210"  # Pachuca de Soto
    # … unless the context says otherwise
    got = resolved("Llegaron a Juchitán, Guerrero, el martes.")
    assert got["Juchitán"] == "geonames:3822192"


def test_everyday_names_are_heads_or_after_honorifics() -> None:
    row = {"name": "Santiago de Querétaro", "population": 1_594_212,
           "alternatenames": ["Queretaro", "Querétaro", "Santiago"]}
    assert gazetteer.everyday_names(row) == ["Querétaro"]  # never the saint's name alone
    row = {"name": "Tula de Allende", "population": 28_577, "alternatenames": []}
    assert gazetteer.everyday_names(row) == []  # geonames must list the short name
    row = {"name": "Juchitán de Zaragoza", "population": 5_000, "alternatenames": ["Juchitán"]}
    assert gazetteer.everyday_names(row) == []  # a village keeps its full name only


def test_guatemalas_border_with_mexico_is_the_southern_one() -> None:
    got = resolved("The migrants were stuck on Guatemala's border with Mexico on Saturday.")
    assert got["border with Mexico"] == "region:border-mex-gtm"
    assert resolved("They reached the border with Mexico.")["border with Mexico"] == \
        "region:border-usa-mex"


def test_a_curated_border_post_wins_over_namesake_villages() -> None:
    # "Agua Caliente": the Honduras–Guatemala crossing (placed at Ocotepeque), not a Honduran
    # hamlet nor Agua Caliente, California, the largest namesake (another country's)
    got = resolved("Los hondureños cruzaron el punto fronterizo de Agua Caliente el jueves.")
    assert got["Agua Caliente"] == "admin1:HN-OC"
