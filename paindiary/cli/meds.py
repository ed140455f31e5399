"""``paindiary med add|list|edit|delete``: medication doses."""

from __future__ import annotations

from typing import Annotated

import typer

from paindiary import diary
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, NoteOption
from paindiary.cli.records import add_list_and_delete
from paindiary.models import Medication
from paindiary.store import MEDICATIONS

med_app = typer.Typer(help="Record and review medication doses.", no_args_is_help=True)
app.add_typer(med_app, name="med")

WhenOption = Annotated[
    str | None,
    typer.Option(
        "--at", help="When: ISO date or date-time, now (default), today, yesterday, -3d or HH:MM.", show_default=False
    ),
]


def describe(dose: Medication) -> str:
    return f"{dose.name} {common.num(dose.dose)} {dose.dose_unit}"


@med_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='Medication, e.g. "oxycodone".')],
    dose: Annotated[str, typer.Argument(help="Amount (> 0).")],
    unit: Annotated[str, typer.Argument(help='Unit, e.g. "mg".')],
    at: WhenOption = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record a medication dose.

    Examples: 'paindiary med add oxycodone 5 mg', 'paindiary med add ibuprofen 400 mg --at 08:00'.
    """
    values = {"taken_at": common.when_option(at, default_now=True), "name": name, "dose": dose,
              "dose_unit": unit, "note": note}  # fmt: skip
    record = MEDICATIONS.make(values)  # validate before the diary is opened or created
    with common.open_diary(ctx, db) as handle:
        record = diary.add(handle, MEDICATIONS, record, next_free_second=at is None)
    if as_json:
        common.print_json(record.to_dict())
    common.status(f"Recorded dose {record.id} at {record.taken_at}: {describe(record)}.")
    warning = opioid_warning(record.name, record.dose_unit)
    if warning is not None:
        common.status(warning)


def opioid_warning(name: str, unit: str) -> str | None:
    """A warning when a dose will not count in MME but probably should: a misspelt opioid, or a unit not mg."""
    from paindiary import opioids

    reason = opioids.not_counted(name, unit)
    return None if reason is None else f"Warning: {reason}"


@med_app.command("take")
def take(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(metavar="NAME...", help="Medications taken, as named before.")],
    at: WhenOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record medications you take regularly, each at the dose and unit of its last dose.

    Examples: 'paindiary med take pregabalin duloxetine' (a morning regimen, in one
    command), 'paindiary med take oxycodone --at 08:00'. Names are matched ignoring case.
    """
    taken_at = common.when_option(at, default_now=True)
    assert taken_at is not None
    with common.open_diary(ctx, db, create=False) as handle:
        doses = diary.take(handle, names, taken_at, note)
    for record in doses:
        common.status(f"Recorded dose {record.id} at {record.taken_at}: {describe(record)}.")


@med_app.command("edit")
def edit(
    ctx: typer.Context,
    dose_ref: Annotated[str, common.id_argument("dose", "med")],
    name: Annotated[str | None, typer.Option(show_default=False)] = None,
    dose: Annotated[str | None, typer.Option(show_default=False)] = None,
    unit: Annotated[str | None, typer.Option(show_default=False)] = None,
    at: Annotated[str | None, typer.Option("--at", help="New time.", show_default=False)] = None,
    note: NoteOption = None,
    clear: Annotated[list[str] | None, typer.Option("--clear", help="Remove a field's value: note.")] = None,
    db: DbOption = None,
) -> None:
    """Change a medication dose: give only what changes.

    Examples: 'paindiary med edit 7 --dose 2.5', 'paindiary med edit last --dose 5'.
    """
    changes = common.values_given(
        {"taken_at": common.when_option(at), "name": name, "dose": dose, "dose_unit": unit, "note": note}
    )
    parsed = common.parse_id(dose_ref)
    with common.open_diary(ctx, db, create=False) as handle:
        record = diary.edit(handle, MEDICATIONS, common.resolve_id(handle, MEDICATIONS, parsed), changes, clear or [])
    common.status(f"Dose {record.id} at {record.taken_at}: {describe(record)}.")


add_list_and_delete(med_app, MEDICATIONS, describe, "paindiary med list --last 20", "dose")
