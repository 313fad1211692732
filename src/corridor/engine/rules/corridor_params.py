"""Rule set ``corridor``: statuses, events, random streams, and every parameter with its source.

Each family of indices is an IntEnum defined once (``E`` events, ``PV`` per-place values,
``S`` random streams, ``C`` kernel scalars); numba compiles IntEnum members in as integer
constants, and ``E_*``/``P_*``/``S_*``/``C_*`` are those members under the names the kernels
use. The kernel scalars are built from one list (``SCALARS``: each name and how it follows
from the parameters), so a new scalar is one line there.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from corridor.engine.declared import Parameter
from corridor.scenario.targets import Country, CountryPair, LeverRule, Place, Route

if TYPE_CHECKING:
    import numpy as np

STATUSES = ("at_place", "in_transit", "arrived", "detained", "deported", "returned",
            "asylum_waiting", "settled")
(AT_PLACE, IN_TRANSIT, ARRIVED, DETAINED, DEPORTED, RETURNED, ASYLUM_WAITING,
 SETTLED) = range(len(STATUSES))
FOOT, VEHICLE, SMUGGLED = 0, 1, 2  # travel modes
F_PERMIT, F_CAN_PAY, F_NEW, F_TRANSFERRED = 1, 2, 4, 8  # flag bits; F_NEW: has not yet left
# its first place; F_TRANSFERRED: left its caravan by accepting an offer (permit, bus, processing)

# A caravan is three groups: its main body (group index = caravan index c, so a caravan without
# vanguard or stragglers draws exactly what it drew before), a vanguard (c + C) and stragglers
# (c + 2C), C = number of caravans. A former member's ``group`` is -2 - c (flow agents: -1).
MAIN, VANGUARD, STRAGGLERS = range(3)
SUBGROUPS = ("main", "vanguard", "stragglers")
# what a group did today (its members' state in groups.parquet)
G_HALTED, G_WALKED, G_RODE = range(3)
# members of a caravan by state at the end of a day (groups.parquet ``members_<state>``)
MEMBER_STATES = ("walking", "halted", "riding", "arrived", "dispersed", "transferred",
                 "detained", "returned")
(M_WALKING, M_HALTED, M_RIDING, M_ARRIVED, M_DISPERSED, M_TRANSFERRED, M_DETAINED,
 M_RETURNED) = range(len(MEMBER_STATES))

# per-day event series written to recorder.extra (people per day x place)
EVENTS = ("stopped", "detained", "deported", "released", "relocated", "permits_issued",
          "asylum_applications", "smuggled", "smuggling_revenue_usd", "entries", "encounters",
          "returned", "settled", "transferred", "turned_back", "rejoined")
E = IntEnum("E", [name.upper() for name in EVENTS], start=0)  # type: ignore[misc]
(E_STOPPED, E_DETAINED, E_DEPORTED, E_RELEASED, E_RELOCATED, E_PERMITS, E_ASYLUM, E_SMUGGLED,
 E_REVENUE, E_ENTRIES, E_ENCOUNTERS, E_RETURNED, E_SETTLED, E_TRANSFERRED, E_TURNED_BACK,
 E_REJOINED) = E
assert E_PERMITS.name == "PERMITS_ISSUED" and E_REVENUE.name == "SMUGGLING_REVENUE_USD"


class PV(IntEnum):
    """Rows of the per-place values the kernel reads (and decrements, for capacities)."""

    STOP = 0
    DETAIN_CAP = 1
    PERMIT_CAP = 2
    ASYLUM_CAP = 3
    PRICE = 4
    PORT_CAP = 5
    RISK = 6
    FULL = 7
    IS_DEST = 8
    IS_PORT = 9
    DET_CAP = 10
    DET_OCC = 11
    HOLD = 12
    TRANSFER = 13
    TRANSFER_TO = 14
    TURNBACK = 15
    RIDE = 16
    HALT = 17


(P_STOP, P_DETAIN_CAP, P_PERMIT_CAP, P_ASYLUM_CAP, P_PRICE, P_PORT_CAP, P_RISK, P_FULL,
 P_IS_DEST, P_IS_PORT, P_DET_CAP, P_DET_OCC, P_HOLD, P_TRANSFER, P_TRANSFER_TO, P_TURNBACK,
 P_RIDE, P_HALT) = PV
N_PLACE_VALUES = len(PV)
# the rows that follow from the policies in force (cached while that set is unchanged and
# copied in each day, which also resets the capacities the kernel used up)
FROM_POLICIES = (PV.STOP, PV.DETAIN_CAP, PV.PERMIT_CAP, PV.ASYLUM_CAP, PV.PORT_CAP, PV.RISK,
                 PV.PRICE, PV.HOLD, PV.TRANSFER, PV.TRANSFER_TO, PV.TURNBACK, PV.RIDE, PV.HALT)

ALL, SPECULATE, DEFERRED = 0, 1, 2  # which agents a sweep runs (corridor_kernels.sweep_agents)

# random streams (see rng.py): one per independent decision of a day. Agents draw in the
# AGENT domain (key: SpawnPlan.key), caravans and their groups in the CARAVAN domain (key:
# SpawnPlan.group_key / CorridorState.g_key); a stream is any int64 and never aliases.
class S(IntEnum):
    """Random streams. Before day 0 (rng.INIT_DAY) an agent's travel mode is MODE and whether
    it could pay a smuggler is PAY; ``HOP + k``, ``STOP_HOP + k`` and ``GROUP_HOP + k`` are
    the k-th same-day hop's route choice and stop draw, and a group's k-th leg of the day."""

    MOVE = 0
    SPLIT = 1
    VOTE = 2
    MODE = 3
    GROUP = 4
    STOP = 5
    DETAIN = 6
    OUTCOME = 7
    ASYLUM = 8
    RETURN = 9
    SMUGGLE = 10
    IRREGULAR = 11
    ENCOUNTER = 12
    PAY = 13
    TRANSFER = 32
    TRANSFER_OUT = 33
    TURNBACK = 34
    REJOIN = 35
    SUBGROUP = 36
    HOP = 100
    STOP_HOP = 200
    # CARAVAN domain: a group's own decisions of the day, and its route on its k-th leg
    G_HALT = 56
    G_RIDE = 57
    G_REFORM = 58
    G_HOLD = 59
    G_REGROUP = 60
    GROUP_HOP = 1100  # (IntEnum would alias a repeated value: CARAVAN streams apart from HOP)


(S_MOVE, S_SPLIT, S_VOTE, S_MODE, S_GROUP, S_STOP, S_DETAIN, S_OUTCOME, S_ASYLUM, S_RETURN,
 S_SMUGGLE, S_IRREGULAR, S_ENCOUNTER, S_PAY, S_TRANSFER, S_TRANSFER_OUT, S_TURNBACK, S_REJOIN,
 S_SUBGROUP, S_HOP, S_STOP_HOP, S_G_HALT, S_G_RIDE, S_G_REFORM, S_G_HOLD, S_G_REGROUP,
 S_GROUP_HOP) = S

# the policies.csv levers these rules act on: target kinds and values (docs/scenario-format.md)
PORT = frozenset({"port_of_entry"})
LEVERS = {
    "checkpoint": LeverRule((Place,), doc="agents deployed at the place"),
    "patrol": LeverRule((Place, Route, Country),
                        doc="agents deployed, split evenly over the places (a country's: its "
                            "border crossings and checkpoints)"),
    "permits": LeverRule((Place,), doc="permits per day"),
    "asylum_office": LeverRule((Place,), doc="applications accepted per day"),
    "smuggling": LeverRule((Place,), doc="base price USD (0 = the parameter)"),
    "port_closed": LeverRule((Place,), place_kinds=PORT, flag=True, doc="1 = closed"),
    "port_capacity": LeverRule((Place,), place_kinds=PORT, doc="regular entries per day"),
    "closure": LeverRule((Place, Route, Country, CountryPair), flag=True,
                         doc="1 = closed: a place's roads, a route, a country's borders, or "
                             "the roads between two countries"),
    "caravan_hold": LeverRule((Place,), maximum=1.0,
                              doc="daily probability a caravan there stays (1 = held)"),
    "transfer": LeverRule((Place,), maximum=1.0,
                          doc="share of caravan members there accepting an offer per day"),
    "transfer_to": LeverRule((Place,), flag=True,
                             doc="1 = those accepting an offer are taken here (the nearest)"),
    "turnback": LeverRule((Place, Route, Country), maximum=1.0,
                          doc="share of people there sent back to their origin per day"),
    "rides": LeverRule((Place, Route, Country), maximum=1.0,
                       doc="daily probability a caravan group leaving there rides vehicles"),
}

P = Parameter
PARAMETERS = (
    P("walk_speed_km_per_day", 25.0, "km walked on a travelling day",
      "seed 002: the Dec 2023 caravan advanced ~70 km Tapachula->Escuintla in 3 days "
      "(24->27 Dec, ~23 km/day); next stage 35 km; the issue's 20-35 km/day", prior=(15.0, 40.0)),
    P("vehicle_speed_km_per_day", 400.0, "km a bus/vehicle traveller covers in a day",
      "estimate: ~50 km/h average over ~8 h of road travel", prior=(200.0, 800.0)),
    P("flow_vehicle_share", 0.5, "share of flow agents who travel by bus or vehicle",
      "estimate: no figure in the seeds; buses and hired vehicles are common on the corridor",
      prior=(0.2, 0.8)),
    P("flow_move_probability", 0.5,
      "daily probability that a flow agent at a (non-destination) place sets out",
      "estimate: one rest/work/waiting day per travelling day on average", prior=(0.2, 0.9)),
    P("caravan_move_probability", 0.8,
      "daily probability that a caravan member wants to walk on (a vote)",
      "estimate: caravans rest about one day in five (seed 002: a 24-hour sit-in planned)",
      prior=(0.5, 1.0)),
    P("caravan_quorum", 0.5,
      "share of members who must want to walk for the caravan to move that day",
      "estimate: a simple majority", prior=(0.3, 0.7)),
    P("caravan_split_probability_per_day", 0.012,
      "daily probability that a member leaves the caravan and travels on their own",
      "estimate: slow attrition of ~1 %/day over a weeks-long walk; seed 002's quick drop "
      "from ~10,000 to a bulk of ~6,000 is groups spreading ahead, not leaving", prior=(0.0, 0.2)),
    P("caravan_split_probability_per_halted_day", 0.0,
      "added to the daily split-off probability on a day after the group did not move (a rest "
      "day, a hold, a blockade), before it arrives",
      "estimate: reported caravans kept their members while walking and lost them while "
      "stopped (data/caravans/timeline.csv: Oct 2018 stayed at ~4,000-7,500 over six weeks on "
      "the road; Jan 2020 fell from 4,000-4,800 to ~800 in three days stopped at the Suchiate; "
      "Dec 2023 from 6,000-8,500 to ~3,800 while stopped in Mapastepec); 0 = off (one rate for "
      "every day); prior up to a third of members a day", prior=(0.0, 0.3)),
    P("route_detour_power", 3.0, "how strongly route choice avoids detours (>= 0)",
      "estimate: a 10 % detour keeps ~75 % of the weight of the shortest road", prior=(0.0, 6.0)),
    P("max_hops_per_day", 4, "most places a vehicle traveller passes in one day",
      "estimate: bounds same-day connections"),
    # enforcement
    P("checkpoint_agents_for_63pct_stop", 800.0,
      "agents deployed at a place that stop 63 % (1 - 1/e) of walkers passing it",
      "estimate: seed 000 - ~800 agents meant to seal El Ceibo with 24-hour surveillance",
      prior=(200.0, 3000.0)),
    P("detentions_per_agent_per_day", 0.5, "people one deployed agent can process per day",
      "estimate: detention is paperwork-bound; a few people per agent per shift"),
    P("bus_stop_factor", 1.5, "stop probability multiplier for bus/vehicle travellers",
      "estimate: INM boards and inspects buses at inland checkpoints"),
    P("foot_stop_factor", 1.0, "stop probability multiplier for walkers", "reference level"),
    P("smuggled_stop_factor", 0.3, "stop probability multiplier for smuggled travellers",
      "estimate: smugglers avoid checkpoints (seed 003: a market because they evade control)"),
    P("caravan_visibility_people", 300.0,
      "caravan size at which members' stop probability halves (k / (k + members))",
      "seed 004: ~6,000 passed the inland checkpoint and 'officers did nothing to stop them'"
      " -> a caravan of 6,000 loses at most ~5 % at a fully manned checkpoint",
      prior=(100.0, 30000.0)),
    P("detention_mean_days", 5.0, "mean days held before deportation, relocation or release",
      "estimate: INM stations hold people days to weeks", prior=(1.0, 20.0)),
    P("deport_share", 0.5, "share of those leaving detention who are deported",
      "estimate: seed 000 - of >9,000, 2,374 returned and 955 referred to authorities",
      prior=(0.2, 0.8)),
    P("relocate_share", 0.3, "share bused back south to where they entered",
      "estimate: relocation to Tapachula/Villahermosa is common practice"),
    P("deportation_capacity_per_day", 1000.0, "people who can be deported per day in total",
      "estimate: a few buses and flights a day"),
    # permits and asylum
    P("asylum_apply_probability", 0.1,
      "daily probability that someone at a place with an asylum office applies",
      "estimate"),
    P("asylum_mean_wait_days", 45.0, "mean days waiting for an asylum decision",
      "estimate: COMAR decisions take weeks to months"),
    P("asylum_settle_share", 0.4, "share of decided applicants who settle in Mexico",
      "estimate"),
    P("asylum_continue_share", 0.4, "share who continue north with papers (rest give up)",
      "estimate"),
    # smuggling
    P("smuggler_base_price_usd", 3000.0,
      "smuggler price to the US border with no enforcement ahead (a smuggling row's value "
      "overrides it)", "estimate: widely reported prices of a few thousand USD"),
    P("smuggler_price_elasticity", 2.0,
      "relative price rise per unit of detection risk ahead: price = base (1 + e risk)",
      "estimate: seed 003 - containment makes crossing a growing, profitable market"),
    P("smuggler_share_can_pay", 0.3, "share of people who could pay a smuggler",
      "estimate"),
    P("smuggler_hire_max_per_day", 0.3,
      "daily hire probability for someone who can pay, at certain detection and zero price",
      "estimate: p = max * risk_ahead * exp(-price / willingness)"),
    P("smuggler_willingness_usd", 6000.0, "price at which demand falls to 1/e", "estimate"),
    # US border
    P("irregular_crossing_probability", 0.3,
      "daily probability that someone waiting at a full or closed port crosses between ports",
      "estimate"),
    P("border_patrol_encounter_probability", 0.8,
      "share of irregular crossers encountered by the Border Patrol",
      "estimate: seed 004 - up to 10,000 apprehended daily in Dec 2023"),
    P("us_release_share", 0.6, "share of encountered people released into the US to proceed",
      "estimate: most Dec 2023 encounters were processed and released with a notice to appear"),
    P("trade_usd_per_closed_port_day", 50e6, "trade blocked per closed port per day (USD)",
      "estimate: 2023 US-Mexico goods trade ~US$ 800 bn (US Census) / 365 days / ~45 "
      "crossings; seed 004 says closures harmed Mexican companies"),
    P("return_base_probability_per_day", 0.0005, "daily probability of giving up and going home",
      "estimate", prior=(0.0, 0.005)),
    P("return_probability_per_day_waited", 0.00005,
      "added daily probability of giving up per day already waited at a place", "estimate"),
    # caravan behaviour (issue 10): every default switches the mechanism off (or is neutral),
    # so a scenario that does not set them moves as it did before
    P("caravan_halt_probability_per_day", 0.0,
      "base daily probability that a caravan group does not move on that day (a rest day at "
      "a place or camped by the road), on top of failed votes; never on its departure day",
      "estimate: reported caravans rested about one day in four to one in three while walking "
      "through Chiapas and Oaxaca (e.g. Oct 2018 rest days in Huixtla and Juchitan, Jan 2024 "
      "days in Huixtla); 0 = off (today's walk); prior spans none to one day in three",
      prior=(0.0, 0.35)),
    P("caravan_halt_probability_per_day_walked", 0.0,
      "added daily halt probability per consecutive day walked since the last rest (fatigue)",
      "estimate: rests cluster after 3-5 days of walking in reported timelines, so ~0.05 per "
      "day walked reaches ~0.2 after four days; 0 = off", prior=(0.0, 0.1)),
    P("caravan_halt_probability_per_1000_members", 0.0,
      "added daily halt probability per 1,000 members (big caravans take longer to organise)",
      "estimate: the largest caravans (7,000-10,000) halted more often than groups of a few "
      "hundred that moved by bus; 0 = off", prior=(0.0, 0.05)),
    P("caravan_halt_shelter_factor", 1.0,
      "multiplier of the halt probability at places of kind `shelter` (towns with a shelter "
      "or sports ground the caravan sleeps in)",
      "estimate: caravans stop where a shelter, church or stadium takes them in; 1 = no "
      "difference", prior=(1.0, 4.0)),
    P("caravan_vanguard_share", 0.0,
      "share of a caravan's members who walk in its vanguard (a faster group ahead)",
      "estimate: reports describe a vanguard of hundreds to ~2,000 a day or more ahead of the "
      "bulk (e.g. Nov 2018 first arrivals in Tijuana days before the main body); 0 = one body",
      prior=(0.0, 0.3)),
    P("caravan_vanguard_speed_factor", 1.4,
      "the vanguard's speed relative to the main body (walking and riding)",
      "estimate: vanguards reached stages ~1 day earlier per 3-4 stages", prior=(1.0, 2.0)),
    P("caravan_straggler_share", 0.0,
      "share of a caravan's members who fall behind as stragglers (a slower group)",
      "estimate: families with children, the sick and injured walk behind; 0 = none",
      prior=(0.0, 0.3)),
    P("caravan_straggler_speed_factor", 0.6,
      "the stragglers' speed relative to the main body",
      "estimate: stragglers catch up on the main body's rest days", prior=(0.3, 1.0)),
    P("caravan_regroup_gap_km", 60.0,
      "a vanguard further ahead of its main body than this waits for it (does not move on)",
      "estimate: vanguards kept about one day's walk ahead and waited at stage towns",
      prior=(10.0, 300.0)),
    P("caravan_ride_probability_per_day", 0.0,
      "daily probability that a caravan group rides trucks, buses or trains instead of "
      "walking, where no `rides` lever sets it for the place",
      "estimate: 0 = the caravan walks (today's behaviour); see the `rides` lever for regions",
      prior=(0.0, 0.6)),
    P("caravan_ride_probability_central_america_per_day", 0.0,
      "added to the daily ride probability at places in Honduras, Guatemala, El Salvador and "
      "Nicaragua (region: place country), where no `rides` lever sets it",
      "estimate: Honduran caravans took minibuses, trucks and lifts to the Guatemala-Mexico "
      "border (Jan 2019: ~300 of ~600 in ~30 minibuses, AP; Jan 2020: on foot and by lifts, "
      "AP/TRT; data/caravans/policies.csv); 0 = as elsewhere; prior up to most days riding",
      prior=(0.0, 0.8)),
    P("caravan_ride_probability_beyond_isthmus_per_day", 0.0,
      "added to the daily ride probability at Mexican and US places west of the Isthmus of "
      "Tehuantepec (longitude < -95.1, i.e. Veracruz, Puebla, Mexico City and the north), "
      "where no `rides` lever sets it",
      "estimate: the Oct 2018 caravan rode trucks and buses from Juchitan/Donaji on and went "
      "Mexico City -> Tijuana mostly by road vehicles (AP, Notimex); Jan 2019 groups rode "
      "buses to Piedras Negras (Reforma); Chiapas caravans walked; 0 = as elsewhere",
      prior=(0.0, 0.8)),
    P("caravan_ride_speed_km_per_day", 300.0,
      "km a caravan group covers on a day it rides vehicles",
      "estimate: Nov 2018 the caravan went Mexico City -> Tijuana (~2,800 km by road) in about "
      "ten days with rest days, several hundred km per riding day (widely reported)",
      prior=(100.0, 700.0)),
    P("caravan_dissolve_below_share", 0.0,
      "when a caravan's members fall below this share of its peak, the rest disperse that day",
      "estimate: after offers were accepted by most, the remainder broke up (Jan 2024, "
      "Oct 2021, Jun 2022 caravans in Chiapas); 0 = never", prior=(0.0, 0.7)),
    P("caravan_rejoin_probability_per_day", 0.0,
      "daily probability that a dispersed member at a place where a group of its caravan "
      "halts rejoins it, and that a vanguard or stragglers at the main body's place merge "
      "back into it",
      "estimate: split-off groups rejoined the body on rest days; 0 = never", prior=(0.0, 0.5)),
    P("caravan_reform_probability_per_day", 0.0,
      "daily probability that a caravan with no members left re-forms where most of its "
      "dispersed members are waiting (members then rejoin it)",
      "estimate: dissolved caravans re-formed days later (e.g. Jan 2020 and Oct 2023 groups "
      "regathering in Tapachula); 0 = never", prior=(0.0, 0.3)),
    P("caravan_reform_min_people", 100.0,
      "dispersed people who must wait at one place for their caravan to re-form there",
      "estimate: reported re-formed caravans had hundreds of members", prior=(20.0, 1000.0)),
    P("caravan_join_share_per_day", 0.0,
      "people joining a caravan on the road on the day after its departure, as a share of "
      "its planned members; later days decay (caravan_join_decay_days); they join the group "
      "with most members where it is",
      "data/caravans/timeline.csv: Oct 2018 ~1,000-3,000 leaving San Pedro Sula (13 Oct), "
      "3,600-5,500 at Tecun Uman (19 Oct, Reuters, La Silla Rota), ~7,100-7,500 at Huixtla "
      "(23-24 Oct, USA Today, DPA); Jan 2019 ~600-800 (14 Jan, AP) to 1,800-2,000 at Tecun "
      "Uman (17 Jan, AFP); Jan 2021 2,000-4,000 (15 Jan, AP) to 6,000-10,000 at Chiquimula "
      "and Vado Hondo (16-17 Jan); estimate: 0.5 a day decaying over 5 days gives the 2018 "
      "growth (x3.5 in ten days); 0 = nobody joins (before this parameter)",
      prior=(0.0, 0.6)),
    P("caravan_join_decay_days", 5.0,
      "e-folding time of the joining rate, in days since departure (day k after departure "
      "gains share * exp(-(k - 1) / decay) of the planned members)",
      "estimate: the reported growth happens in Honduras, Guatemala and at the Mexican border "
      "within the first one to ten days (2018-10, 2019-01, 2021-01, 2021-10 rows); later "
      "reports show sizes falling, so the rate decays; prior from one day to three weeks",
      prior=(1.0, 20.0)),
    P("transfer_detention_share", 0.0,
      "share of those accepting a `transfer` offer who are taken to detention",
      "estimate: INM buses took some caravan members to migration stations (Jan 2020, "
      "Jun 2022); 0 = none", prior=(0.0, 0.5)),
    P("transfer_settle_share", 0.25,
      "share of those accepting a `transfer` offer who stay in Mexico (processing, work "
      "permits); the rest travel on by bus with papers",
      "estimate: many who took INM papers in Chiapas later continued north (widely reported "
      "for the Oct 2021, Jun 2022 and Jan 2024 offers)", prior=(0.0, 0.8)),
)

# the scalar parameters the kernel reads, in one float64 array: name -> value from the
# parameters and agents per person (rates from mean durations). One list: ``C`` and
# ``kernel_scalars`` are built from it.
SCALARS: tuple[tuple[str, Callable[[dict, float], float]], ...] = (
    ("MOVE", lambda p, a: p["flow_move_probability"]),
    ("WALK", lambda p, a: p["walk_speed_km_per_day"]),
    ("VEHICLE", lambda p, a: p["vehicle_speed_km_per_day"]),
    ("MAX_HOPS", lambda p, a: p["max_hops_per_day"]),
    ("FOOT_FACTOR", lambda p, a: p["foot_stop_factor"]),
    ("BUS_FACTOR", lambda p, a: p["bus_stop_factor"]),
    ("SMUGGLED_FACTOR", lambda p, a: p["smuggled_stop_factor"]),
    ("CARAVAN_VISIBILITY", lambda p, a: p["caravan_visibility_people"] * a),
    ("LEAVE_DETENTION", lambda p, a: 1.0 / max(p["detention_mean_days"], 1.0)),
    ("DEPORT_SHARE", lambda p, a: p["deport_share"]),
    ("RELOCATE_SHARE", lambda p, a: p["relocate_share"]),
    ("ASYLUM_APPLY", lambda p, a: p["asylum_apply_probability"]),
    ("ASYLUM_DECIDE", lambda p, a: 1.0 / max(p["asylum_mean_wait_days"], 1.0)),
    ("SETTLE_SHARE", lambda p, a: p["asylum_settle_share"]),
    ("CONTINUE_SHARE", lambda p, a: p["asylum_continue_share"]),
    ("HIRE_MAX", lambda p, a: p["smuggler_hire_max_per_day"]),
    ("WILLING_USD", lambda p, a: p["smuggler_willingness_usd"]),
    ("PEOPLE_PER_AGENT", lambda p, a: 1.0 / a),
    ("IRREGULAR", lambda p, a: p["irregular_crossing_probability"]),
    ("ENCOUNTER", lambda p, a: p["border_patrol_encounter_probability"]),
    ("US_RELEASE", lambda p, a: p["us_release_share"]),
    ("RETURN_BASE", lambda p, a: p["return_base_probability_per_day"]),
    ("RETURN_PER_DAY", lambda p, a: p["return_probability_per_day_waited"]),
    ("REJOIN", lambda p, a: p["caravan_rejoin_probability_per_day"]),
    ("TRANSFER_DETAIN", lambda p, a: p["transfer_detention_share"]),
    ("TRANSFER_SETTLE", lambda p, a: p["transfer_settle_share"]),
)
C = IntEnum("C", [name for name, _ in SCALARS], start=0)  # type: ignore[misc]
(C_MOVE, C_WALK, C_VEHICLE, C_MAX_HOPS, C_FOOT_FACTOR, C_BUS_FACTOR, C_SMUGGLED_FACTOR,
 C_CARAVAN_VISIBILITY, C_LEAVE_DETENTION, C_DEPORT_SHARE, C_RELOCATE_SHARE, C_ASYLUM_APPLY,
 C_ASYLUM_DECIDE, C_SETTLE_SHARE, C_CONTINUE_SHARE, C_HIRE_MAX, C_WILLING_USD,
 C_PEOPLE_PER_AGENT, C_IRREGULAR, C_ENCOUNTER, C_US_RELEASE, C_RETURN_BASE,
 C_RETURN_PER_DAY, C_REJOIN, C_TRANSFER_DETAIN, C_TRANSFER_SETTLE) = C


def kernel_scalars(params: dict, agents_per_person: float) -> np.ndarray:
    """Pack the parameters the kernel needs, in ``C`` order (from ``SCALARS``)."""
    import numpy as np  # here, not at the top: `validate` reads this module and needs no NumPy

    return np.array([float(value(params, agents_per_person)) for _, value in SCALARS],
                    dtype=np.float64)
