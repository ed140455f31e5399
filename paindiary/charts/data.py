"""What the charts draw, as plain data: the period, the daily series, the sessions and the courses.

Pure (no matplotlib, typer or rich): :func:`build` calls :mod:`paindiary.analysis`
for every number (daily values, daily MME, courses and their windows), and the
``plan_*`` functions choose what goes on each chart and say what is missing. The
trend view's panels, and the measures each draws, are those of :mod:`paindiary.registry`.
The only arithmetic done here is for drawing: the 7-day rolling mean line of
the trend view (drawn only on days with :data:`MEAN_LEAST_DAYS` logged days in their
window) and the day offsets of the course view.

Measurements from a phone or watch (:mod:`paindiary.measures`) add the trend view's
measured panels (:data:`MEASURED_PANELS`) when the period has any: device sleep beside
the self-rated sleep hours, daily steps and resting heart rate, each a panel of its own
(drawn by :mod:`paindiary.charts.measured`); ``--metric measured`` chooses them. Their
days are diary days: they widen the period like entries do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from paindiary import measures, registry, when
from paindiary.errors import PaindiaryError
from paindiary.measures import Measurement
from paindiary.models import Entry, Medication, Treatment
from paindiary.wording import plural

if TYPE_CHECKING:
    from paindiary.analysis import CourseWindows
    from paindiary.results import Analysis, Course, Parameters

PANELS = tuple(panel.name for panel in registry.panels())
DEFAULT_PANELS = tuple(panel.name for panel in registry.panels() if panel.default)
ROLLING_DAYS = 7
MEAN_LEAST_DAYS = 4  # logged days a 7-day mean needs in its window to be drawn
MAX_COURSES = 8
COURSE_BEFORE_DAYS = 14
COURSE_AFTER_DAYS = 28

MME = registry.MME.name
# the panel drawn when the period has medication (MME may be 0 on every day); a panel of its own
MME_PANEL = registry.MME.panel.name if registry.MME.panel else ""
# panel -> the measures whose data makes it worth drawing (a least-to-worst band alone does not)
PANEL_MEASURES = {
    panel.name: tuple(m.name for m in registry.panel_measures(panel) if not m.band) for panel in registry.panels()
}
_PANEL_WORDS = {panel.name: panel.words for panel in registry.panels()}
_QUIET = {panel.name: panel.quiet for panel in registry.panels()}  # drawn by default only when logged
_CHARTED = tuple(measure.name for measure in registry.measures() if measure.panel is not None)

MEASURED = "measured"  # the --metric name of the measured panels
MEASURED_WORDS = "measurements from a phone or watch"
#: panel -> the measured metrics it draws (with the self-rated sleep hours beside the device's)
MEASURED_PANELS = {"measured_sleep": ("sleep_minutes",), "steps": ("steps",), "resting_hr": ("resting_hr",)}


class MeasuredRow(NamedTuple):
    """How a measured metric is shown in the report's overview: label, factor from its stored unit, digits."""

    metric: str
    label: str
    factor: float
    digits: int


MEASURED_ROWS = (
    MeasuredRow("sleep_minutes", "Sleep, measured (hours)", 1 / 60, 1),
    MeasuredRow("steps", "Steps per day, measured", 1, 0),
    MeasuredRow("resting_hr", "Resting heart rate, measured (/min)", 1, 0),
)


class NothingToDrawError(PaindiaryError):
    """The chosen period holds nothing the chart could show."""


def day_add(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def day_diff(later: str, earlier: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


@dataclass(frozen=True)
class ChartData:
    """Everything a chart needs, already computed by the analysis; build it with :func:`build`.

    ``daily`` and ``mme`` cover the whole diary (windows may reach outside the
    period); ``analysis`` is the analysis of all courses, oldest first, and
    ``windows`` their days and windows (:func:`paindiary.analysis.course_windows`).
    ``measured`` holds the measurements' daily values (metric -> day -> mean over
    sources, :func:`paindiary.measures.daily_means`); empty when there are none.
    """

    start: str
    end: str
    daily: Mapping[str, Mapping[str, float]]
    analysis: Analysis
    mme: Mapping[str, float] = field(default_factory=dict)
    medication_days: frozenset[str] = frozenset()
    sessions: Sequence[Treatment] = ()
    windows: Sequence[CourseWindows] = ()
    patient: str | None = None
    mme_caution: str = ""
    measured: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    medications: Sequence[Medication] = ()  # the doses given (the medication timeline's lanes)
    table: Mapping[str, dict[int, float]] = field(default_factory=dict)  # analysis.daily_table of the diary
    # each drug's first day in the whole diary, when ``medications`` start later (regimen.first_doses)
    first_doses: Mapping[tuple[str, str], str] | None = None

    @property
    def courses(self) -> Sequence[Course]:
        return self.analysis.courses

    @property
    def parameters(self) -> Parameters:
        return self.analysis.parameters

    def series(self, metric: str) -> tuple[list[str], list[float]]:
        """Days in the period with a daily value of ``metric`` (``mme`` and measured ones included), and the values."""
        if metric == MME:
            values = self.mme
        elif metric in self.measured:
            values = self.measured[metric]
        else:
            values = self.daily.get(metric, {})
        days = sorted(day for day in values if self.start <= day <= self.end)
        return days, [values[day] for day in days]

    def has_medication(self) -> bool:
        return any(self.start <= day <= self.end for day in self.medication_days)

    def has_measurements(self) -> bool:
        return any(self.start <= day <= self.end for values in self.measured.values() for day in values)

    def period_courses(self) -> list[tuple[int, Course]]:
        """(number from 1, course) for the courses whose first session falls in the period."""
        chosen = [c for c in self.courses if self.start <= c.first_session[:10] <= self.end]
        return list(enumerate(chosen, start=1))

    def followup_spans(self) -> list[tuple[str, str]]:
        """Each course's follow-up window (first day, last day), as the analysis defines it."""
        return [w.followup for w in self.windows if w.followup is not None]

    def baseline_spans(self) -> list[tuple[str, str]]:
        """Each course's baseline window (first day, last day), as the analysis defines it."""
        return [w.baseline for w in self.windows if w.baseline is not None]

    def period_sessions(self) -> list[Treatment]:
        return [s for s in self.sessions if self.start <= s.started_at[:10] <= self.end]


@dataclass(frozen=True)
class DiarySpan:
    """What a part of a diary's records cannot tell about the whole: its first and last days, each drug's first dose."""

    first: str
    last: str
    first_doses: Mapping[tuple[str, str], str]


def _record_days(
    entries: Iterable[Entry],
    treatments: Iterable[Treatment],
    medications: Iterable[Medication],
    measurements: Iterable[Measurement] = (),
) -> list[str]:
    days = [e.recorded_at[:10] for e in entries]
    days += [t.started_at[:10] for t in treatments]
    days += [m.taken_at[:10] for m in medications]
    days += [m.day for m in measurements]
    return days


def build(
    entries: Sequence[Entry],
    treatments: Sequence[Treatment],
    medications: Sequence[Medication],
    *,
    since: str | None = None,
    until: str | None = None,
    course_gap: int = 3,
    followup_days: int = 7,
    patient: str | None = None,
    measurements: Sequence[Measurement] = (),
    diary: DiarySpan | None = None,
) -> ChartData:
    """Compute the chart data for the period ``since``..``until`` (days; default: the whole diary).

    The period is narrowed to the days the diary has records in (measurements
    included), so charts do not start or end with empty stretches. The records given
    are the whole diary's, or, with ``diary`` (its first and last days and each drug's
    first dose), all of them from some day on (what a report reads: :func:`paindiary.charts.report_period.lookback`).
    """
    from paindiary import analysis

    days = _record_days(entries, treatments, medications, measurements)
    if diary is not None:
        days += [diary.first, diary.last]
    if not days:
        raise NothingToDrawError(
            "The diary is empty: log an entry with 'paindiary log' first (or try 'paindiary demo')."
        )
    start, end = max(since[:10], min(days)) if since else min(days), min(until[:10], max(days)) if until else max(days)
    if start > end:
        asked = f"between {since[:10] if since else 'the start'} and {until[:10] if until else 'the end'}"
        raise NothingToDrawError(
            f"Nothing recorded {asked}: the diary runs from {min(days)} to {max(days)}; "
            "choose another period with --since/--until."
        )
    table = analysis.daily_table(entries, medications)  # computed once for the analysis and the charts
    result = analysis.analyze(
        entries, treatments, medications, course_gap=course_gap, followup_days=followup_days,
        measurements=measurements, daily=table,
    )  # fmt: skip
    p = result.parameters
    windows = analysis.course_windows(
        treatments,
        baseline_days=p.baseline_days,
        followup_days=p.followup_days,
        horizon_days=p.horizon_days,
        course_gap=p.course_gap_days,
    )
    return ChartData(
        start=start,
        end=end,
        daily=analysis.daily_values(entries, table=table),
        analysis=result,
        mme=analysis.daily_mme(entries, medications, table=table),
        medication_days=frozenset(m.taken_at[:10] for m in medications),
        sessions=tuple(sorted(treatments, key=lambda t: when.order_key(t.started_at))),
        windows=tuple(windows),
        patient=patient,
        mme_caution=analysis.MME_CAUTION,
        measured=measures.daily_means(measurements),
        medications=medications,
        table=table,
        first_doses=None if diary is None else diary.first_doses,
    )


def rolling_mean(
    days: Sequence[str], values: Sequence[float], window: int = ROLLING_DAYS, *, least: int = 1
) -> list[float | None]:
    """For each day, the mean of the values on the days within ``day-window+1 .. day`` (``days`` sorted).

    ``None`` where fewer than ``least`` days of the window have a value (the trend view's
    7-day mean is drawn only on days with :data:`MEAN_LEAST_DAYS` logged days behind them).
    """
    out: list[float | None] = []
    lo = 0
    total = 0.0
    for hi, day in enumerate(days):
        total += values[hi]
        while day_diff(day, days[lo]) >= window:
            total -= values[lo]
            lo += 1
        count = hi - lo + 1
        out.append(total / count if count >= least else None)
    return out


@dataclass(frozen=True)
class TrendPlan:
    """The trend view: which panels, their series (days, values) and what is missing."""

    panels: tuple[str, ...]
    series: Mapping[str, tuple[list[str], list[float]]]
    missing: tuple[str, ...]
    sessions: tuple[Treatment, ...]
    courses: tuple[tuple[int, Course], ...]
    followups: tuple[tuple[str, str], ...]
    baselines: tuple[tuple[str, str], ...] = ()


def _period_text(data: ChartData) -> str:
    return f"between {data.start} and {data.end}"


def plan_trend(data: ChartData, panels: Sequence[str] | None = None, *, measured: bool = True) -> TrendPlan:
    """Choose the trend view's panels; a requested panel without data is left out and reported.

    The measured panels follow when the period has measurements, unless ``panels`` leaves
    out :data:`MEASURED` or ``measured`` is false (the report draws them on a page of their own).
    """
    explicit = bool(panels)
    wanted = [p for p in PANELS if p in (panels or DEFAULT_PANELS)]
    series: dict[str, tuple[list[str], list[float]]] = {}
    for metric in (*_CHARTED, *measures.METRICS):
        series[metric] = data.series(metric)
    drawn, missing = [], []
    for panel in wanted:
        if data.has_medication() if panel == MME_PANEL else any(series[m][0] for m in PANEL_MEASURES[panel]):
            drawn.append(panel)
        elif not _QUIET[panel] or explicit:
            missing.append(f"No {_PANEL_WORDS[panel]} logged {_period_text(data)}.")
    words = [_PANEL_WORDS[p] for p in wanted]
    if measured and (not explicit or MEASURED in (panels or ())):
        # the measured panels: each drawn when the period has its metric
        found = [panel for panel, metrics in MEASURED_PANELS.items() if any(series[m][0] for m in metrics)]
        drawn += found
        if explicit and not found:
            missing.append(f"No {MEASURED_WORDS} {_period_text(data)}.")
            words.append(MEASURED_WORDS)
    if not drawn:
        how = "Log entries with 'paindiary log'" if wanted else "Import them with 'paindiary import FILE --format F'"
        raise NothingToDrawError(
            f"Nothing to draw {_period_text(data)}: no {', '.join(words)} logged. "
            f"{how}, or choose another period with --since/--until."
        )
    if "pain" in drawn:
        days = series["pain"][0]
        # the window reaches back before the period, so the line starts with a full week
        all_days = sorted(data.daily.get("pain", {}))
        all_values = [data.daily["pain"][d] for d in all_days]
        means = dict(zip(all_days, rolling_mean(all_days, all_values, least=MEAN_LEAST_DAYS), strict=True))
        series["pain_mean"] = (days, [math.nan if means[d] is None else means[d] for d in days])  # type: ignore[misc]
    followups = tuple((a, b) for a, b in data.followup_spans() if b >= data.start and a <= data.end)
    baselines = tuple((a, b) for a, b in data.baseline_spans() if b >= data.start and a <= data.end)
    return TrendPlan(
        panels=tuple(drawn),
        series=series,
        missing=tuple(missing),
        sessions=tuple(data.period_sessions()),
        courses=tuple(data.period_courses()),
        followups=followups,
        baselines=baselines,
    )


@dataclass(frozen=True)
class CourseLine:
    """One course in the course view: its pain by day offset from its last session."""

    number: int
    course: Course
    offsets: list[int]
    values: list[float]
    baseline: float | None
    baseline_span: tuple[int, int] | None  # offsets of the baseline window, for the course's own baseline mark
    session_offsets: tuple[int, ...] = ()  # the course's session days, as offsets (day 0: the last session)

    def percent(self, value: float) -> float:
        """``value`` as a percentage of this course's own baseline (the course view's y-axis)."""
        assert self.baseline
        return 100 * value / self.baseline


@dataclass(frozen=True)
class CoursePlan:
    lines: tuple[CourseLine, ...]
    left_out: int  # courses in the period not drawn (only the most recent MAX_COURSES are)
    missing: tuple[str, ...]
    reference: CourseLine | None  # the most recent course drawn
    before: int
    after: int


def plan_course(
    data: ChartData,
    *,
    max_courses: int = MAX_COURSES,
    before: int = COURSE_BEFORE_DAYS,
    after: int = COURSE_AFTER_DAYS,
) -> CoursePlan:
    """Pain around each course's last session, cut at the neighbouring courses as in the analysis."""
    chosen = data.period_courses()
    if not chosen:
        raise NothingToDrawError(
            f"No treatment sessions {_period_text(data)}: record one with 'paindiary treatment add', "
            "or choose another period with --since/--until."
        )
    left_out = max(0, len(chosen) - max_courses)
    chosen = chosen[left_out:]
    window_of = {w.first_session: w for w in data.windows}
    pain = data.daily.get("pain", {})
    lines, missing = [], []
    for number, course in chosen:
        w = window_of[course.first_session]
        lo, hi = day_add(w.last_day, -before), day_add(w.last_day, after)
        if w.previous_last_day is not None:
            lo = max(lo, day_add(w.previous_last_day, 1))
        if w.next_first_day is not None:
            hi = min(hi, day_add(w.next_first_day, -1))
        days = sorted(d for d in pain if lo <= d <= hi)
        if not days:
            missing.append(f"No pain logged around the course of {w.first_day} ({course.name}).")
            continue
        baseline = course.metrics["pain"].baseline_mean
        if not baseline or w.baseline is None:  # each course is drawn against its own baseline
            missing.append(
                f"The course of {w.first_day} ({course.name}) has no pain in its baseline window, so it is not drawn "
                "(each course is shown against its own baseline)."
            )
            continue
        span = (day_diff(w.baseline[0], w.last_day), day_diff(w.baseline[1], w.last_day))
        offsets = [day_diff(d, w.last_day) for d in days]
        sessions = tuple(
            sorted({day_diff(s.started_at[:10], w.last_day) for s in data.sessions
                    if w.first_day <= s.started_at[:10] <= w.last_day})
        )  # fmt: skip
        lines.append(CourseLine(number, course, offsets, [pain[d] for d in days], baseline, span, sessions))
    if not lines:
        raise NothingToDrawError(
            f"Nothing to draw around the {plural(len(chosen), 'treatment course')} {_period_text(data)}: "
            + " ".join(missing)
            + " Log pain with 'paindiary log' or choose another period with --since/--until."
        )
    reference = lines[-1]
    return CoursePlan(tuple(lines), left_out, tuple(missing), reference, before, after)


FORMATS = ("png", "svg", "pdf")


def output_format(path: str) -> str:
    """The chart format a file name asks for: its extension (png, svg or pdf)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in FORMATS:
        raise PaindiaryError(f"-o {path}: cannot tell the format from the file name; end it with .png, .svg or .pdf.")
    return suffix
