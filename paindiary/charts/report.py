"""The appointment report: a multi-page PDF a clinician can read in a minute or two.

Pages: (1) summary (period, days logged, averages, the courses table with the
analysis' before/after results, each session's vital signs and side effects),
(2) the trend chart, (3) the course chart, (4) a weekly summary table, (5) the
notes written in the period. Every number comes from :mod:`paindiary.analysis`
(through :mod:`paindiary.charts.data`); the only arithmetic here is the period
and latest-7-day averages of those daily values. Content is assembled by pure
functions; :func:`render_pdf` draws it with matplotlib (imported only there).
Output is deterministic: no creation date, fixed fonts (Type 42, embedded).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from paindiary import registry
from paindiary.assessments import Assessment
from paindiary.charts import narrative, report_checkins, report_notes
from paindiary.charts.data import MEASURED_ROWS, MME, ChartData, NothingToDrawError, day_add, day_diff
from paindiary.models import Entry, Medication, Treatment
from paindiary.wording import plural

if TYPE_CHECKING:
    from paindiary.results import PeriodSummary, Relief

from paindiary.charts.pdf_layout import PAPERS as PAPERS
from paindiary.charts.pdf_layout import paper_for_locale as paper_for_locale
from paindiary.charts.report_period import DEFAULT_MONTHS as DEFAULT_MONTHS
from paindiary.charts.report_period import default_period as default_period
from paindiary.charts.report_period import months_before as months_before

GREY = "#6E6E6E"

# (measure name in the daily values, label with unit): the registry's tabled measures
OVERVIEW = tuple((measure.name, measure.overview) for measure in registry.tabled())
# (measure name in the weekly summary, column label)
WEEKLY = tuple((measure.name, measure.weekly) for measure in registry.tabled())


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pair(before: Any, after: Any, sep: str = " → ") -> str:
    if before is None and after is None:
        return "–"
    return f"{'?' if before is None else before}{sep}{'?' if after is None else after}"


def overview_rows(data: ChartData) -> list[list[str]]:
    """Measure, period average, latest 7 days' average and days with a value (means of the daily values)."""
    week_start = max(data.start, day_add(data.end, -6))
    rows = []
    for metric, label in OVERVIEW:
        if metric == MME and not data.has_medication():
            continue
        days, values = data.series(metric)
        recent = [v for d, v in zip(days, values, strict=True) if d >= week_start]
        rows.append([label, fmt(_mean(values)), fmt(_mean(recent)), str(len(days))])
    for row in MEASURED_ROWS:  # from a phone or watch: a line each for the metrics measured in the period
        days, values = data.series(row.metric)
        if not days:
            continue
        shown = [value * row.factor for value in values]
        recent = [v for d, v in zip(days, shown, strict=True) if d >= week_start]
        rows.append([row.label, fmt(_mean(shown), row.digits), fmt(_mean(recent), row.digits), str(len(days))])
    return rows


def relief_text(relief: Relief | None) -> tuple[str, str]:
    """(onset, duration) as the courses table shows them."""
    if relief is None:
        return "–", "–"
    if relief.onset_day is None:
        return "none", "–"
    days = relief.duration_days
    duration = f"{days} day{'s' if days != 1 else ''}" + (" (ongoing)" if relief.ongoing else "")
    return f"day {relief.onset_day}", duration


def course_rows(data: ChartData) -> list[list[str]]:
    rows = []
    for number, course in data.period_courses():
        first, last = course.first_session[:10], course.last_session[:10]
        pain, mme = course.metrics["pain"], course.metrics[MME]
        before = f"{fmt(pain.baseline_mean)} ({pain.baseline_days} d)"
        after = f"{fmt(pain.followup_mean)} ({pain.followup_days} d)"
        pct = "–" if pain.pct_change is None else f"{pain.pct_change:+.0f}%".replace("-0%", "0%")
        onset, duration = relief_text(course.relief)
        mme_text = "–"
        if data.has_medication() and mme.baseline_mean is not None and mme.followup_mean is not None:
            mme_text = f"{fmt(mme.baseline_mean)} → {fmt(mme.followup_mean)}"
        rows.append(
            [
                str(number),
                first if first == last else f"{first} to {last}",
                f"{course.name} ({course.sessions})",
                f"{before} → {after}",
                pct,
                pain.response or ("insufficient data" if not course.ok else "–"),
                onset,
                duration,
                mme_text,
            ]
        )
    return rows


def session_rows(data: ChartData) -> list[list[str]]:
    """One row per session in the period: its course number, dose, vital signs and side effects."""
    numbers = {course.first_session: number for number, course in data.period_courses()}
    starts = sorted(course.first_session for course in data.courses)
    rows = []
    for session in data.period_sessions():
        first = max((s for s in starts if s <= session.started_at), default="")
        dose = "" if session.dose is None else f", {session.dose:g} {session.dose_unit or ''}".rstrip()
        duration = "" if session.duration_min is None else f", {session.duration_min:g} min"
        effects = ", ".join(
            e.name if e.severity is None else f"{e.name}\u00a0{e.severity:g}" for e in session.side_effects
        )
        bp_before = None if session.systolic_before is None else f"{session.systolic_before}/{session.diastolic_before}"
        bp_after = None if session.systolic_after is None else f"{session.systolic_after}/{session.diastolic_after}"
        rows.append(
            [
                session.started_at.replace("T", " ")[:16] + session.started_at[19:],
                str(numbers[first]) if first in numbers else "–",
                f"{session.name}{dose}{duration}",
                pair(session.heart_rate_before, session.heart_rate_after),
                pair(bp_before, bp_after),
                effects or "none recorded",
            ]
        )
    return rows


def weekly_rows(summary: Sequence[PeriodSummary], with_mme: bool) -> list[list[str]]:
    rows = []
    for row in summary:
        cells = [row.period, f"{row.start[5:]} to {row.end[5:]}", str(row.days_logged)]
        cells += [fmt(row.means[metric]) for metric, _ in WEEKLY if metric != MME or with_mme]
        rows.append(cells)
    return rows


@dataclass(frozen=True)
class Report:
    """Everything on the report's pages, as text and chart data."""

    data: ChartData
    title: str
    subject: str
    overview: list[list[str]]
    days_logged: int
    courses: list[list[str]]
    course_notes: list[str]
    sessions: list[list[str]]
    weekly: list[list[str]]
    notes: list[report_notes.Note]  # chosen, newest first (or with all_notes, every note, oldest first)
    note_count: int = 0  # notes written in the period
    all_notes: bool = False
    note_tags: tuple[str, ...] = ()  # the tags whose entries' notes were chosen
    unconverted: int = 0  # doses in the period that look like opioid doses but are not in MME
    summary: tuple[str, ...] = ()  # page 1's plain sentences (charts.narrative)
    flags: tuple[narrative.Flag, ...] = ()  # what deserves a look, by date
    checkins: list[list[str]] = field(default_factory=list)  # the check-in table (report_checkins.rows)

    @property
    def head(self) -> str:
        """Each page's running head: the period first, then the patient (a long name is what gets shortened)."""
        who = f" · {self.data.patient}" if self.data.patient else ""
        return f"Pain diary report, {self.data.start} to {self.data.end}{who}"


def build(
    data: ChartData,
    entries: Sequence[Entry],
    treatments: Sequence[Treatment],
    medications: Sequence[Medication],
    *,
    notes_tags: Sequence[str] | None = None,
    all_notes: bool = False,
    assessments: Sequence[Assessment] = (),
    as_of: date | None = None,
) -> Report:
    """The report's content for ``data``'s period (see :func:`paindiary.charts.data.build`).

    Notes are chosen (:mod:`paindiary.charts.report_notes`): ``notes_tags`` names the tags whose
    entries' notes are shown (default: the rare tags); ``all_notes`` shows every note instead.
    ``assessments`` (check-in answers) give each course's PGIC and the check-in table; with ``as_of``
    (the day the report is made), overdue check-ins are flagged.
    """
    from paindiary import analysis

    logged = {e.recorded_at[:10] for e in entries if data.start <= e.recorded_at[:10] <= data.end}
    has_records = logged or data.period_sessions() or data.has_medication() or data.has_measurements()
    if not has_records:
        raise NothingToDrawError(
            f"Nothing to report between {data.start} and {data.end}: no entries, sessions, medication or measurements. "
            "Choose another period with --since/--until, or --all."
        )
    reasons = analysis.insufficient_reasons(data.analysis, treatments)
    course_notes = [
        f"Course {number} ({course.first_session[:10]}): insufficient data: {reasons[course.first_session]}"
        for number, course in data.period_courses()
        if course.first_session in reasons
    ]
    table = dict(data.table) if data.table else None  # the daily values of these entries, computed by data.build
    summary = analysis.summarize(entries, medications, by="week", since=data.start, until=data.end, daily=table)
    horizon = data.parameters.horizon_days
    answered = report_checkins.with_answers(data.analysis, treatments, assessments)
    by_start = {course.first_session: course for course in answered.courses}
    courses = [(number, by_start[course.first_session]) for number, course in data.period_courses()]
    sentences = [
        narrative.course_sentences(number, course, horizon=horizon, pgic=report_checkins.pgic_sentence(course))
        for number, course in courses
    ]
    sentences.append(narrative.trend_sentence(data.daily, data.start, data.end))
    flags = [
        *narrative.session_flags(data.period_sessions()),
        *narrative.mme_flags(data.mme, data.start, data.end),
        *narrative.unconverted_flags(medications, data.start, data.end),
    ]
    if as_of is not None:
        gap = data.parameters.course_gap_days
        flags += report_checkins.overdue_flags(courses, treatments, assessments, as_of, gap)
    every = report_notes.all_notes(entries, treatments, medications, data.start, data.end)
    tags = tuple(notes_tags) if notes_tags is not None else report_notes.rare_tags(entries, data.start, data.end)
    windows = [span for w in data.windows for span in (w.baseline, w.followup) if span is not None]
    chosen = report_notes.chosen_notes(entries, treatments, windows, tags, data.start, data.end)
    who = f" for {data.patient}" if data.patient else ""
    return Report(
        data=data,
        title=f"Pain diary report{who}, {data.start} to {data.end}",
        subject=f"Pain, sleep, mood, treatment sessions and medication from {data.start} to {data.end}",
        overview=overview_rows(data),
        days_logged=len(logged),
        courses=course_rows(data),
        course_notes=course_notes,
        sessions=session_rows(data),
        weekly=weekly_rows(summary, data.has_medication()),
        notes=every if all_notes else chosen,
        note_count=len(every),
        all_notes=all_notes,
        note_tags=tags,
        unconverted=analysis.unconverted_opioid_doses(
            med for med in medications if data.start <= med.taken_at[:10] <= data.end
        ),
        summary=tuple(sentence for sentence in sentences if sentence),
        flags=tuple(sorted(flags, key=lambda flag: flag.when)),
        checkins=report_checkins.rows(courses, assessments),
    )


def period_days(report: Report) -> int:
    return day_diff(report.data.end, report.data.start) + 1


def render_pdf(report: Report, paper: str = "a4") -> bytes:
    """The report as PDF bytes: the same report gives the same bytes."""
    import io

    from matplotlib.backends.backend_pdf import PdfPages

    from paindiary.charts import pdf_layout, style

    size = PAPERS[paper]
    with style.rc():
        charts, problems = _chart_pages(report, size)
        figures = _summary_pages(report, size, problems) + charts
        figures += _text_pages(report, size)
        pdf_layout.number_pages(figures, "paindiary: a patient-kept diary, not a clinical record")
        metadata: dict[str, Any] = {
            "Title": style.plain(report.title),
            "Subject": report.subject,
            "Creator": "paindiary",
            "CreationDate": None,
            "ModDate": None,
        }
        if report.data.patient:
            metadata["Author"] = style.plain(report.data.patient)
        buffer = io.BytesIO()
        with style.lean_pdf_fonts(), PdfPages(buffer, metadata=metadata) as pdf:
            for figure in figures:
                pdf.savefig(style.literal(figure))
    return buffer.getvalue()


def _summary_pages(report: Report, size: tuple[float, float], problems: list[str]) -> list[Any]:
    from paindiary import analysis
    from paindiary.charts.pdf_layout import Column, Flow

    data, p = report.data, report.data.parameters
    flow = Flow(size, report.head)
    flow.heading("Pain diary report", size=16)
    if data.patient:
        flow.paragraph(f"Patient: {data.patient}", size=10)
    days = period_days(report)
    share = round(100 * report.days_logged / days)
    flow.paragraph(
        f"Period: {data.start} to {data.end} ({plural(days, 'day')}). Days logged: {report.days_logged} ({share}%)."
    )
    flow.heading("Summary")
    for sentence in report.summary or ("No treatment course and too little logged to say how things moved.",):
        flow.paragraph(sentence, 9.5)
        flow.space(0.05)
    flow.heading("Flags", size=11)
    if not report.flags:
        flow.paragraph(narrative.no_flags_line(), 9)
    for flag in report.flags:
        flow.paragraph(f"• {flag.when} · {flag.text}", 9, indent=0.1)
    flow.heading("Overview")
    recent = f"Last 7 days ({max(data.start, day_add(data.end, -6))} to {data.end})"
    columns = [Column("Measure", 3), Column("Period average", 1.3, "right"), Column(recent, 2.2, "right")]
    flow.table([*columns, Column("Days with a value", 1.3, "right")], report.overview, size=8)
    flow.paragraph("Averages are means of daily values (a day's value is the mean of its entries).", 7.5, GREY)
    if data.has_measurements():
        flow.paragraph(
            "Measured lines come from a phone or watch (imported files); a day's value is the mean over its sources.",
            7.5,
            GREY,
        )
    if data.has_medication():
        flow.paragraph(data.mme_caution, 7.5, GREY)
    unconverted = analysis.unconverted_note(report.unconverted)
    if unconverted is not None:
        flow.paragraph(unconverted, 7.5, GREY)
    flow.heading("Treatment courses")
    if report.courses:
        flow.table(
            [
                Column("#", 0.3),
                Column("Dates", 1.4),
                Column("Treatment (sessions)", 1.6),
                Column("Pain before → after (days with pain)", 1.95),
                Column("Change", 0.75, "right"),
                Column("Response", 1.15),
                Column("Relief from", 0.75),
                Column("Relief lasted", 0.95),
                Column("MME/day before → after", 1.1),
            ],
            report.courses,
        )
        flow.paragraph(
            f"Before: mean daily pain over the {p.baseline_days} days before a course's first session; after: "
            f"over the {p.followup_days} days after its last session (windows stop at the neighbouring courses). "
            f"Response (IMMPACT): minimal = 10-29%, moderate = 30-49%, substantial = 50% or more decrease, judged "
            f"when both windows have pain on at least {p.min_days} days. Relief: the 7-day mean pain at least "
            f"{p.relief_threshold_pct}% below the baseline; 'from' counts days after the last session; 'ongoing' "
            f"means still below when the next course, the {p.horizon_days}-day horizon or the data ended.",
            7.5,
            GREY,
        )
        for note in report.course_notes:
            flow.paragraph(note, 7.5, GREY)
    else:
        flow.paragraph("No treatment sessions in this period.")
    if report.sessions:
        flow.heading("Sessions: vital signs and side effects")
        flow.table(
            [
                Column("Started", 1.15),
                Column("Course", 0.55),
                Column("Treatment, dose", 2.2),
                Column("Heart rate before → after (/min)", 1.25),
                Column("Blood pressure before → after (mmHg)", 1.55),
                Column("Side effects (severity 0-10)", 1.7),
            ],
            report.sessions,
        )
    report_checkins.write(flow, report.checkins)
    for problem in problems:
        flow.paragraph(problem, 8, GREY)
    return flow.pages


def _chart_pages(report: Report, size: tuple[float, float]) -> tuple[list[Any], list[str]]:
    from paindiary.charts import course, data, pdf_layout, trend

    figures, problems = [], []
    box = (
        pdf_layout.MARGIN - 0.1,
        pdf_layout.MARGIN + 0.2,
        size[0] - 2 * pdf_layout.MARGIN + 0.2,
        size[1] - 2 * pdf_layout.MARGIN - 0.6,
    )
    try:
        plan = data.plan_trend(report.data, measured=False)
        page = pdf_layout.new_page(size, report.head)
        trend.draw_trend(page, plan, report.data, box, patient=False)
        figures.append(page)
    except NothingToDrawError as exc:
        if not report.data.has_measurements():
            problems.append(f"No trend chart: {exc}")
    if report.data.has_measurements():  # the measured panels, on the same dates: a page of their own
        plan = data.plan_trend(report.data, [data.MEASURED])
        page = pdf_layout.new_page(size, report.head)
        heading = f"Measured by a phone or watch, {report.data.start} to {report.data.end}"  # patient: in the header
        trend.draw_trend(page, plan, report.data, box, heading=heading, patient=False)
        figures.append(page)
    try:
        course_plan = data.plan_course(report.data)
        page = pdf_layout.new_page(size, report.head)
        course.draw_course(page, course_plan, report.data, box, legend_below=True, patient=False)
        figures.append(page)
    except NothingToDrawError as exc:
        problems.append(f"No course chart: {exc}")
    return figures, problems


def _text_pages(report: Report, size: tuple[float, float]) -> list[Any]:
    """The medication section, the weekly summary and the notes, flowing one after another."""
    from paindiary.charts.pdf_layout import Flow

    flow = Flow(size, report.head)
    _medication(report, flow)
    _weekly(report, flow)
    _notes(report, flow)
    return flow.pages


def _medication(report: Report, flow: Any) -> None:
    from paindiary.charts import meds

    meds.write_section(flow, report.data)


def _weekly(report: Report, flow: Any) -> None:
    from paindiary.charts.pdf_layout import Column

    flow.heading("Weekly summary")
    flow.paragraph(
        "ISO weeks (Monday to Sunday), cut to the report's period. Each value is the mean of the week's daily "
        "values; – means nothing was logged.",
        8,
        GREY,
    )
    columns = [Column("Week", 0.9), Column("Days", 1.5), Column("Days logged", 0.8, "right")]
    with_mme = report.data.has_medication()
    columns += [Column(label, 0.8, "right") for metric, label in WEEKLY if metric != MME or with_mme]
    if report.weekly:
        flow.table(columns, report.weekly, size=8)
    else:  # (measurements alone, say)
        flow.paragraph("No diary entries in this period.", 10)


def _notes(report: Report, flow: Any) -> None:
    report_notes.write(
        flow, report.notes, count=report.note_count, every=report.all_notes, tags=report.note_tags,
        start=report.data.start, end=report.data.end,
    )  # fmt: skip
