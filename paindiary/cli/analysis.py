"""``paindiary analyze`` (did a treatment course help?) and ``paindiary summary`` (per week or month).

The commands load records, call :mod:`paindiary.analysis` and render; the
statistics all live there. rich and the analysis module are imported inside the
commands, so start-up stays light.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from paindiary import registry, store
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, SinceOption, UntilOption
from paindiary.wording import plural

if TYPE_CHECKING:
    import sqlite3

    from paindiary.models import Treatment
    from paindiary.results import Analysis, Comparison, CoursePgic, PeriodSummary, Relief


MAX_DAYS = 3650  # every day-count option: at most ten years, so the work stays bounded
BaselineDays = Annotated[
    int, typer.Option("--baseline-days", min=1, max=MAX_DAYS, help="Days before the first session.")
]
FollowupDays = Annotated[int, typer.Option("--followup-days", min=1, max=MAX_DAYS, help="Days after the last session.")]
MinDays = Annotated[int, typer.Option("--min-days", min=1, max=MAX_DAYS, help="Days with pain needed in each window.")]
HorizonDays = Annotated[
    int, typer.Option("--horizon-days", min=1, max=MAX_DAYS, help="How long to follow relief, in days.")
]
CourseGap = Annotated[
    int,
    typer.Option("--course-gap", min=0, max=MAX_DAYS, help="Sessions at most this many days apart form one course."),
]


EVIDENCE_NOTE = (
    "evidence: the change in mean daily pain, after − before. "
    "95% low to high: a 95% interval for that change (Welch's t on the daily values); "
    "day-to-day values are correlated, so the interval is a guide, not proof. "
    "NAP: the share of before/after pairs of days in which pain was lower after (ties count half); "
    "0.50 is what chance gives and 1.00 means every day after was better than every day before."
)


PGIC_NOTE = (
    'PGIC: the latest answer, after the course, to "since your treatment course began, how would you describe the '
    'change in your pain and overall condition?" (1 very much improved to 7 very much worse) and the day after the '
    "last session it was given; 1 or 2 (much or very much improved) is the usual mark of a clinically important "
    "change, and – means no answer yet ('paindiary due' says when to give one)."
)


class Period(str, Enum):
    week = "week"
    month = "month"


@app.command()
def analyze(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    baseline_days: BaselineDays = 7,
    followup_days: FollowupDays = 7,
    min_days: MinDays = 3,
    horizon_days: HorizonDays = 28,
    course_gap: CourseGap = 3,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Did each treatment course help? Pain before and after, response, relief onset and duration.

    --since/--until choose courses by their first session's day; the windows use all data.
    Examples: 'paindiary analyze', 'paindiary analyze --since 2026-01-01 --baseline-days 14 --json'.
    """
    first, last = common.day_option(since, "--since"), common.day_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        result, treatments = analyze_diary(
            handle.conn, baseline_days=baseline_days, followup_days=followup_days, min_days=min_days,
            horizon_days=horizon_days, course_gap=course_gap, since=first, until=last,
        )  # fmt: skip
    if as_json:
        common.print_json(result.to_dict())
    else:
        print_analysis(result, treatments)


def analyze_diary(conn: sqlite3.Connection, **options: Any) -> tuple[Analysis, list[Treatment]]:
    """The analysis of a whole diary with its check-ins attributed to the courses, and the sessions analysed.

    ``options`` are :func:`paindiary.analysis.analyze`'s keyword options (windows, ``since``, ``until``).
    """
    from paindiary import analysis, followup

    entries, treatments, meds = store.load_diary(conn)
    measured = store.select(conn, store.MEASUREMENTS)
    answers = store.select(conn, store.ASSESSMENTS)
    result = analysis.analyze(entries, treatments, meds, measurements=measured, **options)
    return followup.with_assessments(result, treatments, answers), treatments


@app.command()
def summary(
    ctx: typer.Context,
    by: Annotated[
        Period, typer.Option("--by", help="Group by ISO week (from Monday) or calendar month.")
    ] = Period.week,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Mean daily pain, PEG, sleep, mood and MME per week or month.

    Examples: 'paindiary summary', 'paindiary summary --by month --since 2026-01-01 --json'.
    """
    from paindiary import analysis

    first, last = common.day_option(since, "--since"), common.day_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        entries, _, meds = store.load_diary(handle.conn, first, last)
        measured = store.select(handle.conn, store.MEASUREMENTS, since=first, until=last)
    last = common.until_today(last, entries, meds)
    rows = analysis.summarize(entries, meds, by=by.value, since=first, until=last, measurements=measured)
    if as_json:
        common.print_json([row.to_dict() for row in rows])
    else:
        print_summary(rows, analysis.unconverted_opioid_doses(meds))


# --- rendering for people ------------------------------------------------------------


def _f(value: float | None, digits: int = 1, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def _before_after(metric: Comparison) -> str:
    before = f"{_f(metric.baseline_mean)} ({metric.baseline_days}d)"
    after = f"{_f(metric.followup_mean)} ({metric.followup_days}d)"
    return f"{before}\n→ {after}"


def _response(metric: Comparison) -> str:
    pct = "–" if metric.pct_change is None else f"{metric.pct_change:+.0f}%"
    return f"{pct}\n{metric.response or ''}".strip()


def _evidence(metric: Comparison) -> str:
    """The change, its 95% interval and NAP, one per line."""
    lines = [_f(metric.change, sign=True)]
    if metric.ci95 is not None:
        lines.append(f"95% {_f(metric.ci95[0], sign=True)} to {_f(metric.ci95[1], sign=True)}")
    if metric.nap is not None:
        lines.append(f"NAP {metric.nap:.2f}")
    return "\n".join(lines)


def _pgic(pgic: CoursePgic | None) -> str:
    """The latest PGIC: its value and words, and its day after the last session."""
    if pgic is None:
        return "–"
    return f"{pgic.score} {pgic.label}\nday {pgic.day}"


def _relief(relief: Relief | None) -> str:
    if relief is None:
        return "–"
    if relief.onset_day is None:
        return "none"
    days = relief.duration_days
    lasted = f"{days}+ days\n(ongoing)" if relief.ongoing else plural(days, "day")
    return f"from day {relief.onset_day}\n{lasted}"


def print_analysis(result: Analysis, treatments: list[Treatment]) -> None:
    """The analysis as a table, one row per course, with footnotes.

    Columns: pain before → after and its response, the response of every other judged measure
    (PEG), relief, and the change of each measure the registry marks for it (sleep h, mood, MME/day).
    """
    from paindiary import analysis
    from paindiary.console import print_table, print_text, safe

    courses = result.courses
    if not courses:
        common.status("No treatment courses to analyse; record sessions with 'paindiary treatment add'.")
        return
    judged = [m for m in registry.measures() if m.judged and m.name != "pain"]
    changes = [m for m in registry.measures() if m.change_column]
    reasons = analysis.insufficient_reasons(result, treatments)
    rows, notes = [], []
    for number, course in enumerate(courses, 1):
        m = course.metrics
        dates = course.first_session[:10]
        if course.last_session[:10] != dates:
            dates += f" –\n{course.last_session[:10]}"
        if course.first_session in reasons:
            notes.append(f"({number}) {dates.replace(chr(10), ' ')}: not enough data: {reasons[course.first_session]}")
            dates += f" ({number})"
        sessions = f"{course.sessions} session{'s' if course.sessions != 1 else ''}"
        rows.append(
            [f"{dates}\n{course.name}\n{sessions}", _before_after(m["pain"]), _response(m["pain"]),
             _evidence(m["pain"]), _pgic(course.pgic), *(_response(m[measure.name]) for measure in judged),
             _relief(course.relief),
             *(_f(m[measure.name].change, sign=True) for measure in changes)]
        )  # fmt: skip
    p = result.parameters
    columns = ["course", "pain", "change", "evidence", "PGIC", *(m.short for m in judged), "relief",
               *(m.short for m in changes)]  # fmt: skip
    title = "Treatment courses: before and after"
    print_table(columns, rows, title=title, no_wrap=(2, *range(5, 5 + len(judged))))
    responses = ", ".join([columns[2], *columns[5 : 5 + len(judged)]])
    print_text(
        f"pain: mean daily pain in up to {p.baseline_days} days before the first session → in up to "
        f"{p.followup_days} days after the last one (d: days with data). {responses}: % change "
        f"and response (IMMPACT: a drop of 10% is minimal, 30% moderate, 50% substantial). relief: from when and for "
        f"how long the 7-day mean pain stayed {p.relief_threshold_pct}% or more below before, followed for up to "
        f"{p.horizon_days} days. {', '.join(m.short for m in changes)}: change in the daily mean, "
        "after − before."
    )
    print_text(EVIDENCE_NOTE)
    print_text(PGIC_NOTE)
    for note in notes:
        print_text(safe(note))
    _print_measured(result)
    print_text(analysis.MME_CAUTION)
    _say_unconverted(result.unconverted_opioid_doses)


def _say_unconverted(count: int) -> None:
    from paindiary import analysis
    from paindiary.console import print_text

    note = analysis.unconverted_note(count)
    if note is not None:
        print_text(note)


_MEASURED_SHORT = {"sleep_minutes": "sleep min (device)", "steps": "steps", "resting_hr": "resting HR"}


def _print_measured(result: Analysis) -> None:
    """A second table when the diary has measurements: each measured metric before → after, per course."""
    from paindiary import analysis, measures
    from paindiary.console import print_table, print_text

    shown = [name for name in analysis.MEASURED if name in result.courses[0].metrics]
    if not shown:
        return
    rows = []
    for course in result.courses:
        cells = [f"{_before_after(course.metrics[name])}\n{_pct(course.metrics[name])}" for name in shown]
        rows.append([f"{course.first_session[:10]}\n{course.name}", *cells])
    print_table(["course", *(_MEASURED_SHORT[name] for name in shown)], rows, title="Measured by a phone or watch")
    better = "; ".join(
        f"{_MEASURED_SHORT[name]}: {'more' if measures.METRICS[name].higher_is_better else 'lower'} is better"
        for name in shown
    )
    print_text(f"Daily values averaged over sources, in the same windows as pain; {better}.")


def _pct(metric: Comparison) -> str:
    return "–" if metric.pct_change is None else f"{metric.pct_change:+.0f}%"


def print_summary(rows: list[PeriodSummary], unconverted: int = 0) -> None:
    from paindiary import analysis
    from paindiary.console import print_table, print_text

    if not rows:
        common.status("Nothing logged in this period.")
        return
    shown = registry.tabled()
    table = [[row.period, row.days_logged, *(_f(row.means[m.name]) for m in shown)] for row in rows]
    title = f"Mean daily values, {rows[0].start} – {rows[-1].end}"
    columns = ["period", "days logged", *(m.short for m in shown)]
    measured = [name for name in analysis.MEASURED if name in rows[0].means]
    if measured:  # the diary has measurements from a phone or watch: their period means too
        table = [
            [*cells, *(_f(row.means[name], 0) for name in measured)] for cells, row in zip(table, rows, strict=True)
        ]
        columns += [_MEASURED_SHORT[name] for name in measured]
    print_table(columns, table, title=title, no_wrap=(0,))
    print_text(analysis.MME_CAUTION)
    _say_unconverted(unconverted)
