"""``paindiary measurement list|delete``: measured sleep, steps and resting heart rate (issue 14).

Measurements come in with ``paindiary import`` (``--format apple-health``,
``fitbit``, ``oura``, or ``csv``/``json`` of the kind); these commands show and
remove them. Tables go through :func:`paindiary.console.print_table`, which
makes stored text (the source) safe to print.
"""

from __future__ import annotations

from typing import Annotated

import typer

from paindiary import diary, measures, store
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, SinceOption, UntilOption
from paindiary.cli.records import print_records
from paindiary.store import MEASUREMENTS

measurement_app = typer.Typer(
    help="Review measurements from a phone or watch (sleep, steps, resting heart rate).", no_args_is_help=True
)
app.add_typer(measurement_app, name="measurement")

MetricOption = Annotated[
    str | None,
    typer.Option("--metric", help=f"Only this metric: {', '.join(measures.METRICS)}.", show_default=False),
]


def describe(record: measures.Measurement) -> str:
    spec = measures.METRICS[record.metric]
    return f"{spec.label} {common.num(record.value)} {spec.unit} from {record.source}"


@measurement_app.command("list")
def list_measurements(
    ctx: typer.Context,
    metric: MetricOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List measurements, oldest day first.

    Example: 'paindiary measurement list --metric steps --since 2026-03-01'.
    """
    chosen = None if metric is None else measures.check_metric(metric)
    since_at = common.when_option(since, "--since")
    until_at = common.when_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        records = store.select(handle.conn, MEASUREMENTS, since=since_at, until=until_at)
    if chosen is not None:
        records = [record for record in records if record.metric == chosen]
    if as_json:
        common.print_json([record.to_dict() for record in records])
    elif not records:
        common.status("No measurements in this period.")
    else:
        title = f"{len(records)} measurement{'s' if len(records) != 1 else ''}"
        print_records(MEASUREMENTS, records, title=title)


@measurement_app.command("delete")
def delete_measurement(
    ctx: typer.Context,
    record_id: Annotated[
        int,
        typer.Argument(metavar="ID", min=1, max=common.MAX_ID, help="The measurement's id (see 'measurement list')."),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete a measurement (asks first on a terminal).

    Example: 'paindiary measurement delete 12 --yes'.
    """
    with common.open_diary(ctx, db, create=False) as handle:
        record = store.get(handle.conn, MEASUREMENTS, record_id)
        common.confirm_delete("measurement", record_id, f"{record.day}: {describe(record)}", yes)
        diary.remove(handle, MEASUREMENTS, record_id)
    common.status(f"Deleted measurement {record_id}.")
