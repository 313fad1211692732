"""Column specifications of the scenario tables: one place that says what a valid file is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ColumnType(Enum):
    STR = "str"
    FLOAT = "float"
    INT = "int"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    """One CSV column: its type, whether it must be filled, and its allowed values or range."""

    name: str
    type: ColumnType = ColumnType.STR
    required: bool = True  # the column must exist
    filled: bool = True  # every row must have a value
    choices: frozenset[str] | None = None
    minimum: float | None = None
    strictly_positive: bool = False


PLACE_KINDS = frozenset(
    {
        "town",
        "border_crossing",
        "checkpoint",
        "shelter",
        "detention",
        "port_of_entry",
        "destination",
        # Flee scenarios
        "conflict_zone",
        "camp",
        "idpcamp",
        "forwarding_hub",
        "marker",
    }
)
ROUTE_MODES = frozenset({"road", "foot", "river", "rail", "bus", "air", "boat"})
LEVERS = frozenset(
    {
        "checkpoint",
        "patrol",
        "permits",
        "asylum_office",
        "smuggling",
        "port_closed",
        "port_capacity",
        "closure",
        "conflict",
        "camp_closed",
        "caravan_hold",
        "transfer",
        "transfer_to",
        "turnback",
        "rides",
    }
)
OBSERVATION_KINDS = frozenset(
    {
        "caravan_size",
        "position",
        "arrived",
        "departed",
        "detained",
        "deported",
        "returned",
        "apprehended",
        "encounters",
        "troops_deployed",
        "permits_issued",
        "crossing_closed",
        "asylum_applications",
        "deaths",
        "registered",
        "other",
    }
)

T = ColumnType
TABLES: dict[str, tuple[Column, ...]] = {
    "places": (
        Column("id"),
        Column("name"),
        Column("country"),
        Column("lat", T.FLOAT, minimum=-90.0),
        Column("lon", T.FLOAT, minimum=-180.0),
        Column("kind", choices=PLACE_KINDS),
        Column("capacity", T.FLOAT, required=False, filled=False, minimum=0.0),
        Column("source"),
    ),
    "routes": (
        Column("from"),
        Column("to"),
        Column("distance_km", T.FLOAT, strictly_positive=True),
        Column("mode", required=False, choices=ROUTE_MODES),
        Column("source"),
    ),
    "sources": (
        Column("place"),
        Column("start_date", T.DATE),
        Column("end_date", T.DATE),
        Column("people", T.FLOAT, minimum=0.0),
        Column("per", choices=frozenset({"total", "day"})),
        Column("group"),
        Column("origin_country", required=False),
        Column("destination", required=False, filled=False),
        Column("source"),
    ),
    "policies": (
        Column("lever", choices=LEVERS),
        Column("target"),
        Column("from_date", T.DATE),
        Column("to_date", T.DATE),
        Column("value", T.FLOAT),
        Column("source"),
    ),
    "observations": (
        Column("date", T.DATE),
        Column("place", filled=False),
        Column("kind", choices=OBSERVATION_KINDS),
        Column("low", T.FLOAT, filled=False),
        Column("high", T.FLOAT, filled=False),
        Column("source"),
        Column("quote", required=False, filled=False),
    ),
}
REQUIRED_TABLES = ("places", "routes", "sources")
OPTIONAL_TABLES = ("policies", "observations")

# scenario.toml keys: name -> (python type, required, default)
TOML_KEYS: dict[str, tuple[type | tuple[type, ...], bool, object]] = {
    "format": (int, True, 1),
    "name": (str, True, None),
    "description": (str, False, ""),
    "start_date": (object, True, None),  # a TOML date (or an ISO string)
    "days": (int, True, None),
    "seed": (int, False, 0),
    "rules": (str, False, "corridor"),
    "agents_per_person": ((int, float), False, 1.0),
    "parameters": (dict, False, {}),
}
SUPPORTED_FORMATS = (1,)
