"""The ``flee`` rule set's parameters and levers, apart from its kernels.

`corridor validate` reads these without importing numba (see ``corridor.engine.rules.BUILTIN``).
"""

from __future__ import annotations

from corridor.engine.declared import Parameter
from corridor.scenario.targets import Country, CountryPair, LeverRule, Place, Route

# the policies.csv levers the flee rules act on (Flee's conflicts.csv and closures.csv)
LEVERS = {
    "conflict": LeverRule((Place,), doc="conflict intensity (> 0: a conflict zone)"),
    "closure": LeverRule((Place, Route, Country, CountryPair), flag=True,
                         doc="1 = closed: a location's links, a link, a country's borders or "
                             "the links between two countries"),
    "camp_closed": LeverRule((Place,), place_kinds=frozenset({"camp", "idpcamp"}), flag=True,
                             doc="1 = the camp takes no one"),
}


__all__ = ["LEVERS", "PARAMETERS"]

FLEE_31 = "Flee 3.1 flee/SimulationSettings.py ReadFromYML"
FABFLEE = "FabFlee flee3_validation simsetting.yml sets "

PARAMETERS = (
    Parameter("max_move_speed_km_per_day", 360.0, "km a traveller covers per day",
              FLEE_31 + " max_move_speed; " + FABFLEE + "200"),
    Parameter("max_walk_speed_km_per_day", 35.0, "km per day on foot (first link with "
              "start_on_foot, or a link's walk_probability)", FLEE_31 + " max_walk_speed"),
    Parameter("camp_movechance", 0.001, "daily chance of leaving a camp",
              FLEE_31 + " camp_movechance"),
    Parameter("idpcamp_movechance", 0.1, "daily chance of leaving an IDP camp",
              FLEE_31 + " idpcamp_movechance"),
    Parameter("conflict_movechance", 1.0, "daily chance of leaving a conflict zone",
              FLEE_31 + " conflict_movechance"),
    Parameter("default_movechance", 0.3, "daily chance of leaving a town",
              FLEE_31 + " default_movechance; " + FABFLEE + "0.5"),
    Parameter("foreign_weight", 1.0, "score multiplier of a location outside the home country",
              FLEE_31 + " foreign_weight"),
    Parameter("camp_weight", 1.0, "score multiplier of a camp",
              FLEE_31 + " camp_weight; " + FABFLEE + "2.0"),
    Parameter("conflict_weight", 1.0 / 3.16227766017, "score multiplier of a conflict zone, "
              "raised to decay x intensity", FLEE_31 + " conflict_weight (1/sqrt(10))"),
    Parameter("softening_km", 10.0, "km added to every path length in the route weight",
              FLEE_31 + " softening"),
    Parameter("weight_softening", 0.0, "added to every score in the route weight",
              FLEE_31 + " weight_softening"),
    Parameter("distance_power", 1.0, "route weight ~ 1 / (softening + km) ** distance_power",
              FLEE_31 + " distance_power"),
    Parameter("weight_power", 1.0, "route weights are raised to this power",
              FLEE_31 + " weight_power"),
    Parameter("awareness_level", 1, "links ahead an agent weighs (paths of 1..3 links)",
              FLEE_31 + " awareness_level"),
    Parameter("capacity_buffer", 0.9, "occupancy share where a camp starts to look full",
              FLEE_31 + " capacity_buffer"),
    Parameter("capacity_scaling", 1.0, "multiplier on camp capacities (Flee 3.1 has none: 1)",
              "Flee head flee/moving.py getCapMultiplier; " + FABFLEE + "1.25"),
    Parameter("start_on_foot", False, "agents walk their first link",
              FLEE_31 + " start_on_foot; " + FABFLEE + "True"),
    Parameter("avoid_short_stints", False, "after a short day's travel agents do not stop in "
              "a town", FLEE_31 + " avoid_short_stints; " + FABFLEE + "True"),
    Parameter("conflict_spawn_decay", [], "spawn/score decay per interval since an outbreak "
              "(empty = none)", FLEE_31 + " conflict_spawn_decay; " + FABFLEE +
              "[1,1,1,0.5,0.1]"),
    Parameter("conflict_spawn_decay_interval_days", 30, "days per conflict_spawn_decay step",
              "Flee head SimulationSettings (3.1 hard-codes 30)"),
    Parameter("spawn_mode", "camps", "'camps': new agents follow the summed camp series "
              "(Flee head, sum_from_camps); 'refugees': the refugees.csv total (Flee 3.1's "
              "run script)", "Flee head flee/spawning.py spawn_daily_displaced"),
    Parameter("insert_day0", True, "camps start with their day-0 UNHCR count",
              "Flee spawning.add_initial_refugees"),
    Parameter("empty_camps_on_day0", False, "camps start empty (overrides insert_day0)",
              "Flee head spawning.add_initial_refugees"),
    Parameter("day0_capacity_reduction", True, "camp capacity -= its day-0 count (Flee head; "
              "3.1 does not)", "Flee head flee/spawning.py spawn_daily_displaced, t == 0"),
)
