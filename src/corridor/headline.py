"""The headline table of a run or ensemble summary, shared by every command that prints one."""

from __future__ import annotations

from rich.table import Table


def headline_table(headline: dict) -> Table:
    """Rich table of a summary.json: people, statuses and places at the end, event totals.

    An ensemble's summary (with an ``ensemble`` entry) holds medians and is titled so.
    """
    ensemble = headline.get("ensemble")
    if ensemble:
        title = (f"{headline['scenario']} — median of {ensemble.get('n', '?')} seeds (base seed "
                 f"{headline['seed']}), {headline['days']} days from {headline['start_date']}")
    else:
        title = (f"{headline['scenario']} — seed {headline['seed']}, {headline['days']} days "
                 f"from {headline['start_date']}")
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("median" if ensemble else "value", justify="right")
    table.add_row("people spawned", f"{headline['people_spawned']:,.0f}")
    if "agents" in headline:
        table.add_row("agents", f"{headline['agents']:,.0f}")
    for status, n in headline["people_per_status_end"].items():
        table.add_row(f"at the end: {status}", f"{n:,.0f}")
    for place, n in list(headline["people_per_place_end"].items())[:8]:
        table.add_row(f"at the end in {place}", f"{n:,.0f}")
    for dest, day in headline["first_arrival_day"].items():
        if day is not None:
            table.add_row(f"first arrival at {dest}", f"day {day}")
    for name, caravan in headline.get("caravans", {}).items():
        if caravan.get("head"):
            last = caravan["head"][-1]
            table.add_row(f"caravan {name}: head at the end",
                          f"{last['place']} ({last['km_from_origin']:,.0f} km, "
                          f"{last['members']:,.0f} people)")
    for key, value in headline.items():
        if isinstance(value, int | float) and key.startswith("total_"):
            table.add_row(key.removeprefix("total_").replace("_", " "), f"{value:,.0f}")
    if "runtime_s" in headline:
        table.add_row("runtime", f"{headline['runtime_s']:.2f} s")
    return table
