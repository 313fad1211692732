"""Issue 11, seventh round: rules found on the errors of the newest DEV articles (the 25 read
for the held-out check of round six, DEV by the split rule since). Vehicles counted in Spanish
are not people; hiding or escaping from an operation is leaving the caravan, not detention;
"logró llegar" / "managed to reach" did reach; a weekday range ("between Thursday and
Saturday") is known as of its last day; "sent back to their home country" is the country of
the migrants' nationality; a town followed by ", said the priest" is still a town; undated
past facts after a dated one keep the story's day; "continuaron su travesía por Guatemala" is a
position; "loaded onto buses" is a ride; a caravan that left a town is not placed there by
the events told after it. Every article here was written for its test."""

from __future__ import annotations

import datetime as dt

from corridor.evidence.dates import find_dates
from corridor.evidence.extract import extract_text

SAT = dt.date(2020, 10, 3)  # a Saturday
MON = dt.date(2021, 8, 30)  # a Monday


def rows(text: str, pub: dt.date | None = SAT) -> list:
    return extract_text(text, published=pub)


def kept(text: str, pub: dt.date | None = SAT) -> set[tuple[str, str]]:
    return {(o.kind, o.place) for o in rows(text, pub) if o.confidence >= 0.5}


def test_spanish_vehicles_are_not_people() -> None:
    got = rows("Los migrantes fueron trasladados a Tapachula a bordo de 45 vehículos, entre ellos "
               "camionetas del INM.")
    assert not any(o.low == 45 for o in got), "45 vehículos are vehicles"
    assert not any(o.low == 12 for o in rows("Llegaron 12 camionetas y 8 patrullas a Huixtla."))
    # people are still counted
    assert any(o.low <= 45 <= o.high for o in rows("Unos 45 migrantes fueron trasladados a "
                                                   "Tapachula."))


def test_hiding_from_an_operation_is_not_a_detention() -> None:
    got = rows("Unos 150 migrantes se escondieron en los cañaverales para evitar ser detenidos, "
               "cerca de Huehuetán.")
    assert not any(o.kind == "detained" for o in got)
    assert any(o.kind == "dispersed" and o.low <= 150 <= o.high for o in got)
    got = rows("Around 80 migrants hid in a banana plantation near Huixtla to avoid arrest.")
    assert not any(o.kind == "detained" for o in got)
    # a detention is still one
    assert any(o.kind == "detained" for o in rows("Around 80 migrants were detained near "
                                                   "Huixtla on Friday."))


def test_managed_to_reach_is_an_arrival() -> None:
    assert ("arrived", "Tuzantán") in kept("Uno de los grupos de la caravana sólo logró llegar a "
                                           "Tuzantán.")
    assert ("arrived", "Escuintla") in kept("The caravan managed to reach Escuintla on Friday.")
    # a hope is still not an arrival
    assert ("arrived", "Escuintla") not in kept("The caravan hopes to reach Escuintla.")


def test_a_weekday_range_is_known_as_of_its_last_day() -> None:
    [t] = find_dates("returned between Thursday and Saturday", SAT)
    assert (t.low, t.high, t.date) == (dt.date(2020, 10, 1), SAT, SAT)
    assert t.text == "Thursday and Saturday"
    [t] = find_dates("regresaron entre el jueves y el sábado", SAT)
    assert t.date == SAT and t.low == dt.date(2020, 10, 1)
    got = [o for o in rows("Police said 1,250 migrants were returned to Honduras between "
                           "Thursday and Saturday.") if o.low == 1250]
    assert got and all(o.date == str(SAT) for o in got)


def test_home_country_is_the_migrants_nationality() -> None:
    got = [o for o in rows("Guatemalan authorities sent about 900 Honduran migrants back to "
                           "their home country.") if o.low is not None]
    assert got and got[0].place_id == "country:HND", "the migrants', not the authorities'"
    got = [o for o in rows("Cerca de 400 salvadoreños decidieron regresar a su país.")
           if o.low is not None]
    assert got and got[0].place_id == "country:SLV"
    # two nationalities of migrants: which home is unknown
    got = [o for o in rows("About 300 Haitian and Cuban migrants returned to their home "
                           "countries.") if o.low is not None]
    assert not got or not got[0].place_id.startswith("country:")
    # a place of the sentence's own wins ("deported from Chiquimula to their country")
    got = [o for o in rows("En Chiquimula, 500 hondureños fueron deportados a su país.")
           if o.low == 500]
    assert got and got[0].place == "Chiquimula"


def test_a_town_before_said_is_a_town() -> None:
    got = [o for o in rows("By Saturday night about 250 had arrived in the town of Escuintla, "
                           "said a priest who runs the shelter.", MON)
           if o.low is not None and o.low <= 250 <= o.high]
    assert got and got[0].place == "Escuintla"
    # a person speaking is still not a town ("Torres said")
    assert not any(o.place == "Torres" for o in rows("Torres said 300 migrants left Tapachula.",
                                                      MON))


def test_undated_facts_keep_the_story_day() -> None:
    text = ("Title\nOutlet\n\nA caravan of hundreds of migrants set out from Tapachula on "
            "Saturday, hoping to reach the US.\n\nThe caravan was stopped near Huehuetán by "
            "National Guard troops.\n\nLater the migrants camped in Huixtla.")
    got = {(o.kind, o.place): o.date for o in rows(text, MON)}
    assert got[("departed", "Tapachula")] == "2021-08-28"
    assert got[("halted", "Huehuetán")] == "2021-08-28", "the story's day, not the paper's"
    assert got[("position", "Huixtla")] == "2021-08-28"
    # a story of the day before publication: nothing moves (within a day anyway)
    got = {(o.kind, o.place): o.date for o in rows(text, dt.date(2021, 8, 29))}
    assert got[("halted", "Huehuetán")] == "2021-08-29"
    # the present tense is today
    text = ("Title\nOutlet\n\nA caravan of hundreds of migrants set out from Tapachula on "
            "Saturday.\n\nThe caravan remains in Huehuetán.")
    got = {(o.kind, o.place): o.date for o in rows(text, MON)}
    assert got[("position", "Huehuetán")] == str(MON)


def test_continuing_the_journey_through_a_place_is_a_position() -> None:
    assert ("position", "Guatemala") in kept("Unos 2.000 migrantes hondureños continuaron este "
                                             "viernes su travesía por Guatemala.")
    assert ("position", "Oaxaca") in kept("The caravan continued its trek through Oaxaca on "
                                          "Friday.")


def test_loaded_onto_buses_is_a_ride() -> None:
    got = kept("The migrants of the caravan were loaded onto buses in Tecún Umán on Friday.")
    assert ("transported", "Tecún Umán") in got


def test_a_town_the_caravan_left_is_not_where_it_broke_up() -> None:
    text = ("Title\nOutlet\n\nA caravan of some 600 migrants left Tapachula on Saturday.\n\n"
            "Mexican troops broke up the caravan.")
    got = [(o.kind, o.place) for o in rows(text, MON) if o.kind == "dispersed"]
    assert got and all(p != "Tapachula" for _, p in got)
    # a town it reached is still carried
    text = ("Title\nOutlet\n\nA caravan of some 600 migrants arrived in Huixtla on Saturday."
            "\n\nMexican troops broke up the caravan.")
    assert ("dispersed", "Huixtla") in {(o.kind, o.place) for o in rows(text, MON)}


def test_southern_mexico_is_the_border_region() -> None:
    got = {(o.kind, o.place_id) for o in rows("A new caravan of migrants set out from southern "
                                               "Mexico on Friday.")}
    assert ("departed", "region:border-mex-gtm") in got
    # "the southern Mexico town of Tapachula" is the town
    got = {(o.kind, o.place) for o in rows("The caravan left the southern Mexico town of "
                                           "Tapachula on Friday.")}
    assert ("departed", "Tapachula") in got


def test_regreso_a_a_place_is_a_return() -> None:
    assert ("returned", "Tapachula") in kept("Esta madrugada el grupo de migrantes regresó a "
                                             "Tapachula.")
    # "regresó a caminar": it went on walking
    assert not any(k == "returned" for k, _ in kept("La caravana regresó a caminar hacia "
                                                    "Huixtla."))
