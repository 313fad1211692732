"""One real caravan as a scenario on the shared network (scenarios/caravans/).

``caravan_scenario(network, "2023-12", timeline)`` is the network with a single sources row
(the caravan's reported origin, departure date and size, from data/caravans/caravans.csv and
the timeline), its period (departure to its last reported day), its destination (when the
dataset names a border city or US destination of the network; else the nearest US
destination) and the policies reports name for it (data/caravans/policies.csv: checkpoints,
holds, INM offers, turn-backs, rides). Built in memory (``dataclasses.replace``), no files.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corridor.errors import CorridorError, Problem
from corridor.scenario.model import Scenario

DATASET = Path("data/caravans")
NETWORK = Path("scenarios/caravans")
POLICY_COLUMNS = ("caravan", "lever", "target", "from_date", "to_date", "value", "source")
MAX_DAYS = 120
#: kinds of place a caravan may aim at (where it ends its journey)
AIM_KINDS = ("destination", "port_of_entry")


@dataclass(frozen=True)
class CaravanDataset:
    """The caravan dataset: timeline rows, one row per caravan, and their policies."""

    timeline: pd.DataFrame
    caravans: pd.DataFrame
    policies: pd.DataFrame


def load_network(folder: str | Path = NETWORK) -> Scenario:
    """The shared network scenario, validated once (CorridorError on any problem)."""
    from corridor.analysis.caravan_sim import load_network as load

    return load(Path(folder))


def load_dataset(folder: str | Path = DATASET, network: Scenario | None = None
                 ) -> CaravanDataset:
    """timeline.csv, caravans.csv and policies.csv of a caravan dataset folder, checked
    (against the network's places and routes when given)."""
    from corridor.caravans.timeline import load_timeline

    folder = Path(folder)
    places = set(network.places["id"].astype(str)) if network is not None else None
    timeline = load_timeline(folder / "timeline.csv", places)
    path = folder / "caravans.csv"
    try:
        caravans = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CorridorError(f"{path}: unreadable ({exc})") from None
    for column in ("caravan", "origin_place", "departure_date"):
        if column not in caravans:
            raise CorridorError(f"{path}:1: missing column {column!r}")
    policies_path = folder / "policies.csv"
    policies = (load_policies(policies_path, network) if policies_path.exists()
                else pd.DataFrame(columns=[*POLICY_COLUMNS, "_row"]))
    return CaravanDataset(timeline, caravans, policies)


def load_policies(path: str | Path, network: Scenario | None = None) -> pd.DataFrame:
    """data/caravans/policies.csv: caravan,lever,target,from_date,to_date,value,source.

    CorridorError lists every problem as file:row:column (targets and levers are checked
    against the network and its rule set when a network is given)."""
    path = Path(path)
    name = path.name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise CorridorError(f"{path}: unreadable ({exc})") from None
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in POLICY_COLUMNS if c not in header]
    if missing:
        raise CorridorError(f"{path}:1: missing column(s) {', '.join(missing)}")
    problems: list[Problem] = []
    records = []
    for line, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            problems.append(Problem(name, f"{len(raw)} fields, the header has {len(header)}",
                                    line))
            continue
        rec: dict = dict(zip(header, (c.strip() for c in raw), strict=True))
        for column in ("from_date", "to_date"):
            try:
                rec[column] = dt.date.fromisoformat(rec[column])
            except ValueError:
                problems.append(Problem(name, f"not a YYYY-MM-DD date: {rec[column]!r}", line,
                                        column))
        try:
            rec["value"] = float(rec["value"])
        except ValueError:
            problems.append(Problem(name, f"not a number: {rec['value']!r}", line, "value"))
        if not rec["source"]:
            problems.append(Problem(name, "empty: every policy names its source", line,
                                    "source"))
        if (isinstance(rec["from_date"], dt.date) and isinstance(rec["to_date"], dt.date)
                and rec["to_date"] < rec["from_date"]):
            problems.append(Problem(name, "to_date is before from_date", line, "to_date"))
        rec["_row"] = line
        records.append(rec)
    frame = pd.DataFrame(records, columns=[*header, "_row"])
    if not problems and network is not None and len(frame):
        problems += _check_against(name, frame, network)
    if problems:
        shown = "\n".join(str(p) for p in problems[:20])
        raise CorridorError(shown + (f"\n(and {len(problems) - 20} more problems)"
                                     if len(problems) > 20 else ""))
    return frame


def _check_against(name: str, frame: pd.DataFrame, network: Scenario) -> list[Problem]:
    """Targets, levers and values the network's rule set cannot act on."""
    from dataclasses import replace

    from corridor.engine import check_rules

    scenario = replace(network, policies=frame[["lever", "target", "from_date", "to_date",
                                                "value", "source", "_row"]].reset_index(
                                                    drop=True))
    problems = []
    for p in check_rules(scenario):
        problems.append(Problem(name, p.message, p.row, p.column))
    return problems


def caravan_policies(policies: pd.DataFrame, caravan: str) -> pd.DataFrame:
    """The caravan's rows of data/caravans/policies.csv in policies.csv form."""
    rows = policies[policies["caravan"].astype(str) == caravan]
    return rows[["lever", "target", "from_date", "to_date", "value", "source", "_row"]] \
        .reset_index(drop=True)


def caravan_start(network: Scenario, caravan: str, dataset: CaravanDataset):  # noqa: ANN201
    """Where, when and how many set out (a ``CaravanStart``): origin and departure date from
    caravans.csv, size = the median of reports up to the day after departure; destination as
    the module says."""
    from dataclasses import replace

    from corridor.analysis.caravan_skill import departure

    start = departure(caravan, dataset.timeline, dataset.caravans, network)
    kinds = dict(zip(network.places["id"].astype(str), network.places["kind"].astype(str),
                     strict=True))
    aim = start.destination if kinds.get(start.destination) in AIM_KINDS else ""
    return replace(start, destination=aim)


def caravan_days(dataset: CaravanDataset, caravan: str, start_date: dt.date) -> int:
    """Days from the departure to the caravan's last reported day (inclusive), <= MAX_DAYS."""
    dates = dataset.timeline.loc[dataset.timeline["caravan"] == caravan, "date"]
    last = max([d for d in dates if d >= start_date], default=start_date)
    return min((last - start_date).days + 1, MAX_DAYS)


def caravan_scenario(network: Scenario, caravan: str, dataset: CaravanDataset | None = None,
                     params: dict | None = None, *, days: int | None = None, seed: int = 0,
                     with_policies: bool = True) -> Scenario:
    """A scenario that runs one caravan of the dataset over its real period.

    ``params`` override the network's parameters; ``days`` the period (default: to the last
    reported day); ``with_policies=False`` leaves out the caravan's policies."""
    from corridor.analysis.caravan_sim import caravan_scenario as build

    dataset = dataset if dataset is not None else load_dataset(network=network)
    if not (dataset.caravans["caravan"] == caravan).any():
        known = ", ".join(dataset.caravans["caravan"])
        raise CorridorError(f"caravans.csv: no caravan {caravan!r} (known: {known})")
    start = caravan_start(network, caravan, dataset)
    days = days if days is not None else caravan_days(dataset, caravan, start.date)
    policies = caravan_policies(dataset.policies, caravan) if with_policies else None
    return build(network, start, days, params, seed, policies=policies)


def run_caravan(network: Scenario, caravan: str, dataset: CaravanDataset | None = None,
                params: dict | None = None, *, seed: int = 0, with_policies: bool = True
                ) -> pd.DataFrame:
    """Simulate one caravan; its groups.parquet rows (people, not agents) as a DataFrame."""
    from corridor.engine import simulate
    from corridor.runs.write import groups_table

    scenario = caravan_scenario(network, caravan, dataset, params, seed=seed,
                                with_policies=with_policies)
    return groups_table(simulate(scenario))
