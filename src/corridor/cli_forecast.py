"""`corridor forecast`: where one caravan will be in the coming days, and how many with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from corridor.errors import CorridorError

console = Console()

#: the shipped fit: `corridor calibrate data/caravans` on all eleven caravans (data/caravans/fit)
DEFAULT_FIT = Path("data/caravans/fit")
DEFAULT_NETWORK = Path("scenarios/caravans")
#: the lead times printed (the forecast file has every day)
SHOWN_DAYS = (0, 1, 3, 7, 14, 21, 30)


def register(app: typer.Typer) -> None:
    app.command("forecast")(forecast)


def forecast(
    start_place: Annotated[str | None, typer.Option(
        "--from", help="Place id of the network where the caravan is now (e.g. tapachula).")]
        = None,
    date: Annotated[str | None, typer.Option(
        help="The day it is (or was) there, YYYY-MM-DD: day 0 of the forecast (it moves from "
        "the next day).")] = None,
    people: Annotated[float | None, typer.Option(
        help="How many are in it that day.", min=1)] = None,
    timeline: Annotated[Path | None, typer.Option(
        help="Start from the latest report of --caravan in a timeline CSV (data/caravans/"
        "timeline.csv's format, e.g. `corridor evidence extract --as timeline`): its last "
        "reported position and size; --from, --date, --people override.")] = None,
    out: Annotated[Path, typer.Option(help="Folder to write (refused if it exists).")] = Path(
        "forecast"),
    days: Annotated[int, typer.Option(help="Days ahead.", min=1, max=120)] = 14,
    fit: Annotated[Path, typer.Option(
        help="A `corridor calibrate` folder whose best fit and trials drive the members.")] =
        DEFAULT_FIT,
    network: Annotated[Path, typer.Option(
        help="Network scenario the caravan walks on.")] = DEFAULT_NETWORK,
    policies: Annotated[Path | None, typer.Option(
        help="Policies to run with, in data/caravans/policies.csv's format (caravan,lever,"
        "target,from_date,to_date,value,source); with --caravan only that caravan's rows.")] =
        None,
    caravan: Annotated[str, typer.Option(
        help="Name of the caravan (labels the run; selects its rows of --timeline and "
        "--policies).")] = "",
    members: Annotated[int, typer.Option(help="Ensemble members.", min=2)] = 20,
    spread: Annotated[float, typer.Option(
        help="Inflation factor of the members' parameter spread around the fit (the backtest "
        "chose 50, the top of its range, in every fold; 0 = seeds only).", min=0.0)] = 50.0,
    seed: Annotated[int, typer.Option(help="Seed of the members.", min=0)] = 0,
) -> None:
    """Forecast one caravan from where it is now: its main body's position, km travelled
    (5-95 %) and people per day. Skill: the backtest's (README)."""
    from corridor._io import write_csv
    from corridor.analysis.caravan_sim import CaravanStart, load_network
    from corridor.analysis.forecast import ForecastSettings, read_calibration
    from corridor.analysis.forecast import forecast as run_forecast
    from corridor.runs.claim import atomic_folder, check_out_folder
    from corridor.runs.markers import FORECAST

    day = None
    if date is not None:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise CorridorError(f"--date {date!r}: expected YYYY-MM-DD") from None
    if timeline is None and (start_place is None or day is None or people is None):
        raise CorridorError("forecast: give --from, --date and --people, or --timeline FILE "
                            "(--caravan ID) to start from its latest report")
    if out.exists() or out.is_symlink():
        raise CorridorError(f"{out}: exists; choose a new folder")
    check_out_folder(out)
    calibration = read_calibration(fit)
    net = load_network(network)
    on_the_road = True  # --from/--date: where it is that day, moving from the next
    if timeline is not None:
        given_day = day
        start_place, day, people, caravan = _from_timeline(timeline, caravan, net, start_place,
                                                           day, people)
        if given_day is None:
            from corridor.analysis.forecast import departs_on_latest
            from corridor.caravans.timeline import load_timeline

            on_the_road = not departs_on_latest(load_timeline(timeline), caravan)
    assert start_place is not None and day is not None and people is not None
    if start_place not in set(net.places["id"].astype(str)):
        raise CorridorError(f"--from {start_place!r}: not a place id of {network}/places.csv")
    levers = _levers(policies, caravan, net) if policies is not None else None
    name = caravan or "forecast"
    settings = ForecastSettings(days=days, members=members, spread=spread, seed=seed)
    with console.status(f"forecasting {days} days with {members} members x 2 ..."):
        table = run_forecast(net, CaravanStart(name, start_place, day, people,
                                               on_the_road=on_the_road),
                             calibration, settings, levers)
    with atomic_folder(out, kind=FORECAST, replaceable=[]) as tmp:
        write_csv(table, tmp / "forecast.csv", float_format="%.6g")
        started = None if timeline is None else (
            f"Start: the latest report of caravan {caravan} in `{timeline.name}` (options "
            "given on the command line override it).")
        (tmp / "README.md").write_text(_readme(table, start_place, day, people, fit,
                                               calibration, settings, policies, started),
                                       encoding="utf-8")
    console.print(_table(table))
    console.print(f"forecast folder: {out}")


def _from_timeline(path: Path, caravan: str, network, place: str | None,  # noqa: ANN001
                   day: dt.date | None, people: float | None,
                   ) -> tuple[str, dt.date, float, str]:
    """The start from a timeline's latest report; options given on the line win."""
    from corridor.analysis.caravan_skill import RoadGraph
    from corridor.analysis.forecast import latest_start
    from corridor.caravans.timeline import load_timeline

    rows = load_timeline(path)
    if not caravan:
        ids = sorted(set(rows["caravan"]))
        if len(ids) != 1:
            raise CorridorError(f"{path}: holds {len(ids)} caravans ({', '.join(ids[:8])}"
                                f"{' ...' if len(ids) > 8 else ''}); choose one with --caravan")
        caravan = ids[0]
    last_place, last_day, last_people = latest_start(rows, caravan, RoadGraph(network), path)
    console.print(f"{path}: caravan {caravan}: last reported near {last_place} on {last_day} "
                  f"with about {last_people:.0f} people")
    return (place or last_place, day or last_day,
            people if people is not None else last_people, caravan)


def _levers(path: Path, caravan: str, network):  # noqa: ANN001, ANN202
    from corridor.analysis.calibrate import caravan_levers
    from corridor.caravans.scenario import load_policies

    rows = load_policies(path, network)
    if caravan:
        rows = rows[rows["caravan"].astype(str) == caravan]
        if rows.empty:
            raise CorridorError(f"{path}: no rows for caravan {caravan!r}")
        return caravan_levers(rows, caravan)
    return rows[["lever", "target", "from_date", "to_date", "value", "source", "_row"]] \
        .reset_index(drop=True)


def _shown(table):  # noqa: ANN001, ANN202
    last = int(table["day"].max())
    return table[table["day"].isin([d for d in SHOWN_DAYS if d <= last] + [last])]


def _table(table):  # noqa: ANN001, ANN202
    from rich.table import Table  # only when a forecast is printed: --help stays light

    out = Table(title="Forecast: the caravan's main body")
    for column in ("date", "day", "near place", "km 5 %", "km 50 %", "km 95 %", "people",
                   "people 5-95 %"):
        out.add_column(column, justify="right" if column != "near place" else "left",
                       min_width=10 if column == "date" else None, no_wrap=column == "date")
    for row in _shown(table).itertuples():
        out.add_row(str(row.date), str(row.day), row.near_place_name, f"{row.km_q05:.0f}",
                    f"{row.km_q50:.0f}", f"{row.km_q95:.0f}", f"{row.people:.0f}",
                    f"{row.people_q05:.0f}-{row.people_q95:.0f}")
    return out


def _readme(table, place: str, day: dt.date, people: float, fit: Path,  # noqa: ANN001
            calibration, settings, policies: Path | None,  # noqa: ANN001
            started: str | None = None) -> str:
    lines = [
        "# Caravan forecast", "",
        f"From {place} on {day.isoformat()} with {people:.0f} people, {settings.days} days "
        f"ahead; {settings.members} members at the best fit of `{fit.name}` (seeds only) for "
        f"the point forecast, {settings.members} with parameters spread around it (factor "
        f"{settings.spread:g}) for the 5-95 % bands; policies: "
        + (f"`{policies.name}`" if policies else "none (departure-only)") + ".", "",
        *([started, ""] if started else []),
        f"Fit: calibrated on caravans {', '.join(calibration.caravans) or '(not recorded)'}; "
        f"best loss {calibration.best_loss:.3g}.", "",
        "How far to trust it: the same method, tested out of sample on eleven real caravans "
        "(`corridor backtest data/caravans`, README), was a median 117 km off from departure "
        "(71 km given the policies met), and 28-48 km at 1-3 days ahead. Sizes are the weakest "
        "part: at no lead time did the model's size beat keeping the last reported size (1 day "
        "ahead 14 % of later reports in range against 16 %; 8-14 days 4 % against 10 %).", "",
        "| date | day | near place | km 5 % | km 50 % | km 95 % | people | people 5-95 % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r.date} | {r.day} | {r.near_place_name} | {r.km_q05:.0f} | {r.km_q50:.0f} | "
              f"{r.km_q95:.0f} | {r.people:.0f} | {r.people_q05:.0f}-{r.people_q95:.0f} |"
              for r in _shown(table).itertuples()]
    return "\n".join(lines) + "\n"
