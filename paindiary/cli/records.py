"""The ``list`` and ``delete`` commands every kind shares, and record tables.

:func:`add_list_and_delete` registers ``<noun> list`` (rich table or JSON
array) and ``<noun> delete`` (asks first on a terminal) on a kind's Typer app.
"""

# No "from __future__ import annotations": the commands built below need real annotations.

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from paindiary import diary, registry, store
from paindiary.assessments import PEG_FIELDS
from paindiary.cli import common
from paindiary.cli.common import DbOption, JsonOption, SinceOption, UntilOption, num
from paindiary.models import Assessment, Medication, Treatment
from paindiary.store import Kind, R, Record, RecordKind


def _pair(before: Any, after: Any, sep: str = " → ") -> str | None:
    if before is None and after is None:
        return None
    return f"{'?' if before is None else before}{sep}{'?' if after is None else after}"


def _bp(systolic: int | None, diastolic: int | None) -> str | None:
    return None if systolic is None else f"{systolic}/{diastolic}"


def _dose(record: Treatment | Medication) -> str | None:
    return None if record.dose is None else f"{num(record.dose)} {record.dose_unit or ''}".strip()


def _metric_cell(name: str) -> Callable[[Any], Any]:
    return lambda r: num(getattr(r, name))


_COLUMNS: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
    "entries": (
        ("id", lambda r: r.id),
        ("when", lambda r: r.recorded_at),
        *((metric.column, _metric_cell(metric.name)) for metric in registry.METRICS),
        ("tags", lambda r: ", ".join(r.tags)),
        ("note", lambda r: r.note),
    ),
    "treatments": (
        ("id", lambda r: r.id),
        ("started", lambda r: r.started_at),
        ("name", lambda r: r.name),
        ("dose", _dose),
        ("min", lambda r: num(r.duration_min)),
        ("HR", lambda r: _pair(r.heart_rate_before, r.heart_rate_after)),
        ("BP", lambda r: _pair(_bp(r.systolic_before, r.diastolic_before), _bp(r.systolic_after, r.diastolic_after))),
        ("side effects", lambda r: ", ".join(effect.label() for effect in r.side_effects)),
        ("note", lambda r: r.note),
    ),
    "medications": (
        ("id", lambda r: r.id),
        ("taken", lambda r: r.taken_at),
        ("name", lambda r: r.name),
        ("dose", _dose),
        ("note", lambda r: r.note),
    ),
    "measurements": (
        ("id", lambda r: r.id),
        ("day", lambda r: r.day),
        ("metric", lambda r: r.metric),
        ("value", lambda r: num(r.value)),
        ("source", lambda r: r.source),
    ),
    "assessments": (
        ("id", lambda r: r.id),
        ("when", lambda r: r.recorded_at),
        ("check-in", lambda r: r.instrument.upper()),
        ("answer", lambda r: answer_text(r)),
        ("score", lambda r: num(r.score)),
        ("note", lambda r: r.note),
    ),
}


def answer_text(record: Assessment) -> str:
    """An assessment's answer as a table shows it: ``2 much improved`` (PGIC) or ``6 / 5 / 4`` (PEG items)."""
    if record.instrument == "pgic":
        return f"{record.pgic} {record.label}"
    return " / ".join(str(num(getattr(record, name))) for name in PEG_FIELDS)


_TEXT_COLUMNS = {"name", "tags", "note", "side effects", "source"}  # these wrap; numbers, answers and times never do


NARROW = 120  # below this many columns, times are written short


def short_time(stamp: str, year: int) -> str:
    """A stored time as a narrow table shows it: ``12-03 21:00`` within ``year``, else ``2025-12-03 21:00``.

    A time in a repeated hour keeps its UTC offset (``11-01 01:30-04:00``), telling its two moments apart.
    """
    day = stamp[5:10] if stamp[:4] == str(year) else stamp[:10]
    return day if len(stamp) == 10 else f"{day} {stamp[11:16]}{stamp[19:]}"


def print_records(kind: Kind, records: Sequence[Record], *, title: str | None = None) -> None:
    from paindiary.console import console, print_table

    columns = _COLUMNS[kind.name]
    rows = [[getter(record) for _, getter in columns] for record in records]
    if console().width < NARROW:  # a narrow terminal: short times (the year only when it is not this one)
        year = common.now().year
        for row in rows:
            row[1] = short_time(row[1], year)
    no_wrap = [i for i, (name, _) in enumerate(columns) if name not in _TEXT_COLUMNS]
    print_table([name for name, _ in columns], rows, title=title, drop_empty=True, no_wrap=no_wrap)


def list_records(
    ctx: typer.Context,
    kind: Kind,
    since: str | None,
    until: str | None,
    last: int | None,
    as_json: bool,
    db: Path | None,
) -> None:
    """Load the selected records and print them as a table or a JSON array."""
    since_at = common.when_option(since, "--since")
    until_at = common.when_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        records = store.select(handle.conn, kind, since=since_at, until=until_at, last=last)
    if as_json:
        common.print_json([record.to_dict() for record in records])
    elif not records:
        common.status(f"No {kind.name} in this period.")
    else:
        print_records(kind, records, title=kind.count(len(records)))


def add_list_and_delete(
    sub_app: typer.Typer, kind: RecordKind[R], describe: Callable[[R], str], list_example: str, label: str
) -> None:
    """Register ``list`` and ``delete`` for ``kind`` (``label`` names one record: "entry", "dose")."""
    noun = kind.noun

    def list_command(
        ctx: typer.Context,
        since: SinceOption = None,
        until: UntilOption = None,
        last: Annotated[
            int | None, typer.Option("--last", min=1, max=common.MAX_LAST, help="Only the N most recent.")
        ] = None,
        as_json: JsonOption = False,
        db: DbOption = None,
    ) -> None:
        list_records(ctx, kind, since, until, last, as_json, db)

    list_command.__doc__ = f"List {kind.name}, oldest first.\n\nExample: '{list_example}'."

    def delete_command(
        ctx: typer.Context,
        record_ref: Annotated[str, common.id_argument(label, noun)],
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
        db: DbOption = None,
    ) -> None:
        parsed = common.parse_id(record_ref)
        with common.open_diary(ctx, db, create=False) as handle:
            record_id = common.resolve_id(handle, kind, parsed)
            record = store.get(handle.conn, kind, record_id)
            when = getattr(record, kind.time_field)
            common.confirm_delete(label, record_id, f"{when}: {describe(record)}", yes)
            diary.remove(handle, kind, record_id)
        common.status(f"Deleted {label} {record_id}.")

    article = "an" if label[0] in "aeiou" else "a"
    delete_command.__doc__ = (
        f"Delete {article} {label} (asks first on a terminal).\n\n"
        f"Examples: 'paindiary {noun} delete 12 --yes', 'paindiary {noun} delete last'."
    )
    sub_app.command("list")(list_command)
    sub_app.command("delete")(delete_command)
