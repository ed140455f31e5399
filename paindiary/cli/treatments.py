"""``paindiary treatment add|list|edit|delete``: treatment sessions (e.g. ketamine infusions)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from paindiary import diary, models
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, NoteOption
from paindiary.cli.records import add_list_and_delete
from paindiary.models import Treatment
from paindiary.store import TREATMENTS

treatment_app = typer.Typer(
    help="Record and review treatment sessions (e.g. ketamine infusions).", no_args_is_help=True
)
app.add_typer(treatment_app, name="treatment")

Text = Annotated[str | None, typer.Option(show_default=False)]
Vital = Annotated[str | None, typer.Option(help="Heart rate, beats/min.", show_default=False)]
BP = Annotated[str | None, typer.Option(help="Blood pressure SYS/DIA, e.g. 128/84.", show_default=False)]
SideEffects = Annotated[
    list[str] | None,
    typer.Option("--side-effect", help="NAME or NAME:SEVERITY (0-10); repeat for several.", show_default=False),
]


def _changes(
    at: str | None, name: str | None, dose: str | None, dose_unit: str | None, duration: str | None,
    route: str | None, provider: str | None, hr_before: str | None, hr_after: str | None,
    bp_before: str | None, bp_after: str | None, side_effect: list[str] | None, note: str | None,
) -> dict[str, Any]:  # fmt: skip
    values: dict[str, Any] = {
        "started_at": common.when_option(at), "name": name, "dose": dose, "dose_unit": dose_unit,
        "duration_min": duration, "route": route, "provider": provider,
        "heart_rate_before": hr_before, "heart_rate_after": hr_after, "note": note,
    }  # fmt: skip
    for option, value, suffix in (("--bp-before", bp_before, "_before"), ("--bp-after", bp_after, "_after")):
        if value is not None:
            values["systolic" + suffix], values["diastolic" + suffix] = models.parse_bp(value, option)
    if side_effect:
        values["side_effects"] = [_effect(spec) for spec in side_effect]
    return common.values_given(values)


def _effect(spec: str) -> dict[str, Any]:
    effect = models.parse_side_effect(spec)
    return {"name": effect.name, "severity": effect.severity}


def describe(session: Treatment) -> str:
    parts = [session.name]
    if session.dose is not None:
        parts.append(f"{common.num(session.dose)} {session.dose_unit or ''}".strip())
    if session.side_effects:
        parts.append("side effects " + ", ".join(effect.label() for effect in session.side_effects))
    return ", ".join(parts)


@treatment_app.command("add")
def add(
    ctx: typer.Context,
    at: Annotated[str, typer.Option("--at", help="When the session started: a date-time, now or HH:MM.")],
    name: Annotated[str, typer.Option("--name", help='What it was, e.g. "ketamine infusion".')],
    dose: Annotated[str | None, typer.Option(help="Dose amount (> 0).", show_default=False)] = None,
    dose_unit: Annotated[str | None, typer.Option(help='e.g. "mg" or "mg/kg/h".', show_default=False)] = None,
    duration: Annotated[str | None, typer.Option(help="Minutes, 0-1440.", show_default=False)] = None,
    route: Annotated[str | None, typer.Option(help='e.g. "IV".', show_default=False)] = None,
    provider: Text = None,
    hr_before: Vital = None,
    hr_after: Vital = None,
    bp_before: BP = None,
    bp_after: BP = None,
    side_effect: SideEffects = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record a treatment session.

    Example: paindiary treatment add --at "2026-03-02 09:00" --name "ketamine infusion" --dose 0.5
    --dose-unit mg/kg/h --duration 240 --route IV --hr-before 72 --hr-after 88 --bp-before 124/80
    --bp-after 138/86 --side-effect nausea:3 --side-effect dissociation
    """
    values = _changes(at, name, dose, dose_unit, duration, route, provider, hr_before, hr_after,
                      bp_before, bp_after, side_effect, note)  # fmt: skip
    session = TREATMENTS.make(values)  # validate before the diary is opened or created
    with common.open_diary(ctx, db) as handle:
        session = diary.add(handle, TREATMENTS, session, next_free_second=at is None)
    if as_json:
        common.print_json(session.to_dict())
    common.status(f"Recorded treatment {session.id} at {session.started_at}: {describe(session)}.")


@treatment_app.command("edit")
def edit(
    ctx: typer.Context,
    session_ref: Annotated[str, common.id_argument("session", "treatment")],
    at: Annotated[str | None, typer.Option("--at", help="New start date-time.", show_default=False)] = None,
    name: Text = None,
    dose: Text = None,
    dose_unit: Text = None,
    duration: Text = None,
    route: Text = None,
    provider: Text = None,
    hr_before: Vital = None,
    hr_after: Vital = None,
    bp_before: BP = None,
    bp_after: BP = None,
    side_effect: Annotated[list[str] | None, typer.Option("--side-effect", help="Replace the side effects.")] = None,
    note: NoteOption = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help="Remove a field's value, e.g. --clear note.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Change a treatment session: give only what changes.

    Examples: 'paindiary treatment edit 3 --hr-after 90 --side-effect nausea:2',
    'paindiary treatment edit last --note "felt dizzy"'.
    """
    changes = _changes(at, name, dose, dose_unit, duration, route, provider, hr_before, hr_after,
                       bp_before, bp_after, side_effect, note)  # fmt: skip
    parsed = common.parse_id(session_ref)
    with common.open_diary(ctx, db, create=False) as handle:
        session = diary.edit(handle, TREATMENTS, common.resolve_id(handle, TREATMENTS, parsed), changes, clear or [])
    common.status(f"Treatment {session.id} at {session.started_at}: {describe(session)}.")


add_list_and_delete(treatment_app, TREATMENTS, describe, "paindiary treatment list --since 2026-01-01", "treatment")
