"""``paindiary today``: today's entries, doses and sessions at a glance, what is still missing, and check-ins due."""

from __future__ import annotations

import typer

from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption


@app.command()
def today(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Show today's entries, medication doses and treatment sessions, what is not logged yet, and check-ins due.

    Examples: 'paindiary today', 'paindiary today --json'.
    """
    from paindiary import registry, store
    from paindiary.cli.due import command_for, due_today
    from paindiary.cli.records import print_records

    clock = common.now().date()
    day = clock.isoformat()
    with common.open_diary(ctx, db, create=False) as handle:
        found = [(kind, store.select(handle.conn, kind, since=day, until=day)) for kind in store.KINDS.values()]
        due = due_today(handle, clock)
    entries = next(records for kind, records in found if kind.name == store.ENTRIES.name)
    missing = [m.name for m in registry.METRICS if m.quick and all(getattr(e, m.name) is None for e in entries)]
    if as_json:
        data: dict[str, object] = {"date": day}
        data.update({kind.name: [record.to_dict() for record in records] for kind, records in found})
        data["missing"] = missing
        data["due"] = [point.to_dict() for point in due]
        common.print_json(data)
        return
    for kind, records in found:
        if records:
            print_records(kind, records, title=f"Today ({day}): {kind.count(len(records))}")
    if not any(records for _, records in found):
        common.status(f"Nothing logged today ({day}) yet.")
    if missing:
        labels = {m.name: m.label.lower() for m in registry.METRICS}
        words = ", ".join(labels[name] for name in missing)
        common.status(f"Not logged today: {words}. Log it with 'paindiary log' (or 'paindiary log --quick').")
    for point in due:
        common.status(
            f"Check-in due: {point.instrument.upper()}, day {point.day} after course {point.course} "
            f"(until {point.window_end}): {command_for(point)}, or 'paindiary assess' to be asked."
        )
