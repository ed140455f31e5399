"""``paindiary chart`` (trend and course views) and ``paindiary report`` (the PDF for an appointment).

Thin: parse the options, load the records, call :mod:`paindiary.charts` and
:mod:`paindiary.charts.report`, write the bytes privately. matplotlib and the analysis
are imported inside the commands, so start-up stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from paindiary import registry
from paindiary.assessments import Assessment
from paindiary.cli import common
from paindiary.cli.analysis import CourseGap, FollowupDays
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, ForceOption, SinceOption, UntilOption
from paindiary.measures import Measurement
from paindiary.models import Entry, Medication, Treatment

if TYPE_CHECKING:
    from paindiary.charts.data import DiarySpan

PatientOption = Annotated[
    str | None, typer.Option("--patient", help="Name to show on the chart or report (none unless given).")
]


class View(str, Enum):
    trend = "trend"
    course = "course"
    meds = "meds"


# the trend chart's panels, as --metric names them: those of the registry, then the measured
# panels (paindiary.charts.data.MEASURED: drawn by default when the period has measurements)
_PANEL_NAMES = [*(panel.name for panel in registry.panels()), "measured"]
Metric = Enum("Metric", [(name, name) for name in _PANEL_NAMES], type=str)  # type: ignore[misc]
_DEFAULT_PANELS = ", ".join(panel.name for panel in registry.panels() if panel.default) + " (and measured, if any)"


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


@app.command()
def chart(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="File to write: .png, .svg or .pdf (default: ./paindiary-VIEW.png); see --force.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    view: Annotated[
        View, typer.Option("--view", help="trend: over time; course: around each course; meds: a lane per medication.")
    ] = View.trend,
    since: SinceOption = None,
    until: UntilOption = None,
    metric: Annotated[
        list[Metric] | None, typer.Option("--metric", help=f"Trend panels (repeat); default {_DEFAULT_PANELS}.")
    ] = None,
    course_gap: CourseGap = 3,
    followup_days: FollowupDays = 7,
    patient: PatientOption = None,
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=1200, help="Resolution of PNG files.")] = 150,
    db: DbOption = None,
) -> None:
    """Draw the diary as a chart: pain over time with every treatment marked, or pain around each course.

    Example: 'paindiary chart --since 2026-01-01 -o pain.png', 'paindiary chart --view course -o courses.pdf',
    'paindiary chart --view meds -o meds.png'
    or 'paindiary chart --metric pain --metric mme -o opioids.svg'.
    """
    from paindiary import store
    from paindiary.files import check_target

    path = output or Path(f"paindiary-{view.value}.png")
    if metric and view is not View.trend:
        common.status(f"--metric chooses the trend view's panels; the {view.value} view does not use it.")
    first, last = common.day_option(since, "--since"), common.day_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        records = store.load_diary(handle.conn)
        measured = store.select(handle.conn, store.MEASUREMENTS)
    last = common.until_today(last, *records)
    check_target(path, force=force, protect=handle.path)
    notes = write_chart(
        path, records, view.value, since=first, until=last,
        panels=[m.value for m in metric or []], course_gap=course_gap, followup_days=followup_days,
        patient=patient, dpi=dpi, force=force, protect=handle.path, measurements=measured,
    )  # fmt: skip
    for note in notes:
        common.status(note)
    common.echo_path(path)


@app.command()
def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF file to write.")] = Path("paindiary-report.pdf"),
    force: ForceOption = False,
    since: SinceOption = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Up to this day (default: the latest record).", show_default=False)
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="The whole diary instead of 6 months.")] = False,
    patient: PatientOption = None,
    paper: Annotated[
        Paper | None,
        typer.Option(
            "--paper",
            help="Paper size (default: from the locale: letter in the US and Canada, else A4).",
            show_default=False,
        ),
    ] = None,
    notes_tag: Annotated[
        list[str] | None,
        typer.Option(
            "--notes-tag",
            help="Show the notes of entries with this tag (repeat; default: rare tags).",
            show_default=False,
        ),
    ] = None,
    all_notes: Annotated[bool, typer.Option("--all-notes", help="Show every note of the period.")] = False,
    db: DbOption = None,
) -> None:
    """Write a PDF report for an appointment: summary, trend and course charts, weekly table and notes.

    The default period is the 6 months up to the latest record. Example:
    'paindiary report --patient "A. Patient" -o visit.pdf' or 'paindiary report --all --paper letter'.
    Notes are chosen (course windows, sessions, rare tags; at most a page): --notes-tag TAG or --all-notes.
    """
    import os

    from paindiary import store
    from paindiary.charts import report as reporting
    from paindiary.files import check_target

    if everything and (until or since):
        raise typer.BadParameter("--all covers the whole diary; leave out --since and --until.", param_hint="--all")
    if output.suffix.lower() != ".pdf":
        raise typer.BadParameter(f"{output}: the report is a PDF; name the file ...pdf.", param_hint="-o")
    first, last = common.day_option(since, "--since"), common.day_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        measured = store.select(handle.conn, store.MEASUREMENTS)
        answers = store.select(handle.conn, store.ASSESSMENTS)
        if everything:
            records, span = store.load_diary(handle.conn), None
        else:
            last, records, span = _report_part(handle.conn, first, last, measured)
    check_target(output, force=force, protect=handle.path)
    write_report(
        output, records, since=first, until=last, everything=everything,
        patient=patient, paper=(paper.value if paper else reporting.paper_for_locale(os.environ)), force=force,
        protect=handle.path, measurements=measured, notes_tags=notes_tag or None, all_notes=all_notes,
        assessments=answers, as_of=common.now().date(), diary=span,
    )  # fmt: skip
    common.echo_path(output)


Records = tuple[list[Entry], list[Treatment], list[Medication]]


def _report_part(
    conn: Any, since: str | None, until: str | None, measured: Sequence[Measurement]
) -> tuple[str | None, Records, DiarySpan | None]:
    """(the period's last day, the records a report of the period reads, what they cannot tell about the diary).

    The last day is ``until``, else today when a record lies after today, else the latest record's day.

    Only the latest time of each kind and each drug's first dose are read from the whole
    diary; then the entries and doses from the lookback before the period on, and every
    session (charts.report_period).
    """
    from paindiary import regimen, store
    from paindiary.charts.data import DiarySpan
    from paindiary.charts.report_period import lookback, period_from

    ends = [store.stats(conn, kind)[1:] for kind in (store.ENTRIES, store.TREATMENTS, store.MEDICATIONS)]
    ends += [(m.day, m.day) for m in (measured[0], measured[-1])] if measured else []
    latest = [last for _, last in ends if last]
    start, end = period_from(latest, since=since, until=common.until_today_of(until, latest))
    if start is None:  # an empty diary: nothing to leave out
        return end, store.load_diary(conn), None
    records = store.load_recent(conn, lookback(start))
    days = [stamp[:10] for pair in ends for stamp in pair if stamp]
    span = DiarySpan(first=min(days), last=max(days), first_doses=regimen.first_days(store.first_doses(conn)))
    return end, records, span  # (the period's end: the part may hold no record of it)


def write_chart(
    path: Path, records: Records, view: str, *, panels: list[str], dpi: int = 150,
    force: bool = False, protect: Path | None = None, **options: Any,
) -> list[str]:  # fmt: skip
    """Draw one chart of ``records`` to a new file ``path`` (0600); returns notes on what is missing or left out.

    An existing ``path`` is replaced only with ``force``; the diary ``protect`` never is.
    """
    from paindiary.charts import data as chart_data
    from paindiary.files import write_private

    fmt = chart_data.output_format(str(path))
    from paindiary.charts.draw import chart_bytes  # (matplotlib)

    common.settle_heap()
    data = chart_data.build(*records, **options)

    payload, notes = chart_bytes(data, view, fmt, panels=panels, dpi=dpi)
    write_private(path, payload, force=force, protect=protect or ())
    return notes


def write_report(
    path: Path, records: Records, *, since: str | None, until: str | None, everything: bool = False,
    patient: str | None = None, paper: str = "a4", force: bool = False, protect: Path | None = None,
    measurements: Sequence[Measurement] = (), notes_tags: Sequence[str] | None = None, all_notes: bool = False,
    assessments: Sequence[Assessment] = (), as_of: date | None = None, diary: DiarySpan | None = None,
) -> None:  # fmt: skip
    """Write the appointment report of ``records`` to a new file ``path`` (0600); see :func:`write_chart`.

    ``measurements`` (from a phone or watch) add their lines to the overview and their panels to the trend chart.
    ``records`` are the whole diary's, or with ``diary`` the part a report reads (:func:`_report_part`).
    """
    from paindiary.charts import data as chart_data
    from paindiary.charts import (
        draw,  # noqa: F401  (matplotlib and the charts, which render_pdf draws with)
        report_period,
    )
    from paindiary.charts import report as reporting
    from paindiary.files import write_private

    common.settle_heap()
    since, until = reporting.default_period(
        *records, since=since, until=until, everything=everything, measurements=measurements
    )
    part, span = (records, diary) if diary is not None else report_period.part_for_report(records, since, measurements)
    data = chart_data.build(
        *part, since=since, until=until, patient=patient, measurements=measurements, diary=span
    )  # fmt: skip
    content = reporting.build(
        data, *part, notes_tags=notes_tags, all_notes=all_notes, assessments=assessments, as_of=as_of
    )
    pdf = reporting.render_pdf(content, paper)
    write_private(path, pdf, force=force, protect=protect or ())


def demo_files(db_path: Path) -> tuple[Path, Path]:
    """Where ``demo`` writes the demo diary's trend chart and report: beside it."""
    return db_path.with_name("paindiary-demo-trend.png"), db_path.with_name("paindiary-demo-report.pdf")


def write_demo_files(db_path: Path, *, replace: bool = False) -> tuple[Path, Path]:
    """The demo diary's trend chart and report, written beside it; returns their paths.

    Existing files are replaced only with ``replace`` (when ``demo`` replaced its own demo diary beside them).
    """
    from paindiary import store
    from paindiary.db import open_db

    with open_db(db_path, create=False) as handle:
        records = store.load_diary(handle.conn)
        answers = store.select(handle.conn, store.ASSESSMENTS)
    trend, report = demo_files(db_path)
    write_chart(trend, records, "trend", panels=[], force=replace, protect=db_path)
    write_report(
        report, records, since=None, until=None, force=replace, protect=db_path, assessments=answers,
        as_of=common.now().date(),
    )  # fmt: skip
    return trend, report
