"""Before/after analysis of treatment courses, and period summaries: pure functions over records.

Owns the definitions of issue 3 (documented in the README, "Analysis: definitions"):
daily values, daily MME, grouping sessions into courses, baseline and follow-up
windows, IMMPACT response categories, same-day relief and the onset and duration
of relief. Inputs are :mod:`paindiary.models` records; outputs are frozen
dataclasses (:class:`Analysis`, :class:`PeriodSummary`) whose ``to_dict()`` is the
``--json`` output. The measures come from :mod:`paindiary.registry`: every metric,
the PEG score and MME. Measurements from a phone or watch (:mod:`paindiary.measures`:
sleep_minutes, steps, resting_hr) join them when the diary has any (:data:`MEASURED`):
their daily value is the day's value averaged over sources; they are compared before and
after like the others but never judged (``response`` stays pain and PEG). Nothing here
reads the clock, the database or the terminal.

Days are handled as proleptic ordinals (``date.toordinal()``) inside, and as
``YYYY-MM-DD`` strings in every result.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from paindiary import measures, opioids, registry, stats, when
from paindiary.errors import PaindiaryError
from paindiary.measures import Measurement
from paindiary.models import Entry, Medication, Treatment
from paindiary.results import Analysis, Comparison, Course, Parameters, PeriodSummary, Relief

__all__ = ["Analysis", "Comparison", "Course", "Parameters", "PeriodSummary", "Relief"]  # the results, re-exported

ENTRY_METRICS = registry.metric_names()  # read straight from an entry
PEG, MME = registry.PEG.name, registry.MME.name
METRICS = (*ENTRY_METRICS, PEG)  # daily values from the entries: the metrics and the PEG score
MEASURES = tuple(measure.name for measure in registry.measures())  # every course and period has these
PEG_ITEMS = registry.peg_items()
RESPONSE_METRICS = tuple(measure.name for measure in registry.measures() if measure.judged)
LOWER_IS_BETTER = {measure.name: measure.lower_is_better for measure in registry.measures()}  # NAP's "better"
MEASURED = tuple(measures.METRICS)  # from a phone or watch: in the results only when the diary has measurements
RELIEF_THRESHOLD_PCT = 30
# Response categories (IMMPACT, Dworkin et al. 2008): upper bound of pct_change, label
RESPONSES = ((-50.0, "substantial"), (-30.0, "moderate"), (-10.0, "minimal"))
# Comparisons at a threshold allow this much floating-point error, so that an exact
# 30 % drop (e.g. 6 -> 4.2) is judged as 30 % and not as 29.999999999999996 %.
EPSILON = 1e-9

MME_CAUTION = (
    "MME (morphine milligram equivalents) uses the CDC 2022 conversion factors for opioid doses recorded in mg; "
    "fentanyl patches (mcg/h) and doses in other units are not converted. MME is an estimate for comparing "
    "opioid use over time, never a guide to dosing or to switching opioids."
)

# --- daily values --------------------------------------------------------------


def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def _day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


# an entry's metrics (and PEG items) read by one call each, not a getattr per metric (several names: a tuple)
assert len(ENTRY_METRICS) > 1 and len(PEG_ITEMS) > 1
_READ_METRICS: Callable[[Entry], tuple[Any, ...]] = operator.attrgetter(*ENTRY_METRICS)
_READ_PEG: Callable[[Entry], tuple[Any, ...]] = operator.attrgetter(*PEG_ITEMS)


def _daily(entries: Iterable[Entry]) -> dict[str, dict[int, float]]:
    """metric -> {day ordinal: mean of the day's entries that have it}."""
    lists: dict[str, dict[int, list[float]]] = {metric: {} for metric in METRICS}
    by_metric = [lists[metric] for metric in ENTRY_METRICS]
    read, read_peg = _READ_METRICS, _READ_PEG  # one call per entry instead of a getattr per metric
    ordinals: dict[str, int] = {}
    for entry in entries:
        key = entry.recorded_at[:10]
        day = ordinals.get(key)
        if day is None:
            day = ordinals[key] = _ordinal(key)
        for values, value in zip(by_metric, read(entry), strict=True):
            if value is not None:
                values.setdefault(day, []).append(value)
        items = read_peg(entry)
        if None not in items:
            lists[PEG].setdefault(day, []).append(_peg(items))
    return {metric: {day: math.fsum(v) / len(v) for day, v in by_day.items()} for metric, by_day in lists.items()}


def _daily_measured(measurements: Iterable[Measurement]) -> dict[str, dict[int, float]]:
    """For every metric of :data:`MEASURED` (none if there are no measurements): {day ordinal: mean over sources}."""
    means = measures.daily_means(measurements)
    return {metric: {_ordinal(day): value for day, value in by_day.items()} for metric, by_day in means.items()}


def _peg(items: Sequence[float]) -> float:
    """The PEG score: the items added in order, over their count (as (p + e + a) / 3 always was)."""
    total = items[0]
    for item in items[1:]:
        total += item
    return total / len(items)


Daily = dict[str, dict[int, float]]  # metric (MME too) -> {day ordinal: the day's value}


def daily_table(entries: Sequence[Entry], medications: Iterable[Medication]) -> Daily:
    """Every metric's daily values and the daily MME, by day ordinal: computed once, given to the functions below."""
    daily = _daily(entries)
    daily[MME] = _daily_mme(entries, medications)
    return daily


def daily_values(entries: Iterable[Entry], *, table: Daily | None = None) -> dict[str, dict[str, float]]:
    """For every metric in :data:`METRICS`: {day: mean of that metric over the day's entries}.

    Days without a value for a metric are absent from its dict; days are sorted. ``table``:
    the :func:`daily_table` of these entries, when already computed.
    """
    by_metric = _daily(entries) if table is None else {metric: table[metric] for metric in METRICS}
    names = {day: _day(day) for day in {day for by_day in by_metric.values() for day in by_day}}  # once a day
    return {
        metric: {names[day]: value for day, value in sorted(by_day.items())} for metric, by_day in by_metric.items()
    }


def mme_factor(name: str, unit: str) -> float | None:
    """The CDC 2022 MME factor for a dose of ``name`` in ``unit``, or ``None`` when not converted.

    The drug is the name's first run of letters (``Oxycodone/APAP`` is oxycodone, ``OxyContin``
    too: brand names count as their generic, :mod:`paindiary.opioids`), case-insensitive; only
    doses in mg are converted.
    """
    return opioids.mme_factor(name, unit)


def unconverted_opioid_doses(medications: Iterable[Medication]) -> int:
    """How many doses look like opioid doses but are not counted in MME.

    A dose of a known opioid (generic or brand name) in a unit other than mg, and a dose
    whose name is within two letters of a known opioid without being one (``oxycodon``).
    """
    seen: dict[tuple[str, str], bool] = {}
    count = 0
    for med in medications:
        key = (med.name, med.dose_unit)
        if key not in seen:
            seen[key] = opioids.not_counted(med.name, med.dose_unit) is not None
        count += seen[key]
    return count


def unconverted_note(count: int) -> str | None:
    """What to say about doses that look like opioid doses but are not counted in MME (None: there are none)."""
    if not count:
        return None
    doses = "1 dose looks" if count == 1 else f"{count} doses look"
    return (
        f"{doses} like an opioid but {'is' if count == 1 else 'are'} not counted in MME (a unit other than mg, "
        "or a name within two letters of an opioid's); check them with 'paindiary med list'."
    )


def _daily_mme(entries: Iterable[Entry], medications: Iterable[Medication]) -> dict[int, float]:
    doses: dict[str, list[float]] = {entry.recorded_at[:10]: [] for entry in entries}
    factors: dict[tuple[str, str], float | None] = {}
    for med in medications:
        day = doses.setdefault(med.taken_at[:10], [])
        key = (med.name, med.dose_unit)
        if key not in factors:
            factors[key] = mme_factor(med.name, med.dose_unit)
        factor = factors[key]
        if factor is not None:
            day.append(med.dose * factor)
    return {_ordinal(day): math.fsum(values) for day, values in doses.items()}


def daily_mme(
    entries: Iterable[Entry], medications: Iterable[Medication], *, table: Daily | None = None
) -> dict[str, float]:
    """{day: MME} on every diary day (a day with an entry or a dose), 0 where no opioid was taken."""
    by_day = _daily_mme(entries, medications) if table is None else table[MME]
    return {_day(day): value for day, value in sorted(by_day.items())}


# --- courses and windows ----------------------------------------------------------


def group_courses(treatments: Iterable[Treatment], course_gap: int = 3) -> list[list[Treatment]]:
    """Sessions sorted by ``started_at``, grouped into courses.

    A session whose day is at most ``course_gap`` days after the previous
    session's day joins that session's course.
    """
    if course_gap < 0:
        raise PaindiaryError(f"course gap: {course_gap} is not valid; expected 0 or more days.")
    courses: list[list[Treatment]] = []
    previous: int | None = None
    for session in sorted(treatments, key=lambda t: when.order_key(t.started_at)):
        day = _ordinal(session.started_at[:10])
        if previous is None or day - previous > course_gap:
            courses.append([])
        courses[-1].append(session)
        previous = day
    return courses


@dataclass(frozen=True)
class CourseWindows:
    """The days of one course and of its windows (inclusive ``YYYY-MM-DD``; ``None`` = empty window)."""

    first_session: str
    first_day: str
    last_day: str
    baseline: tuple[str, str] | None
    followup: tuple[str, str] | None
    relief: tuple[str, str]  # the days relief is looked for in (before keeping days with pain)
    previous_last_day: str | None  # the previous course's last day, if any
    next_first_day: str | None  # the next course's first day, if any


@dataclass(frozen=True)
class _Span:
    first: int
    last: int
    base_lo: int
    base_hi: int
    follow_lo: int
    follow_hi: int
    relief_hi: int
    prev_last: int | None
    next_first: int | None


def _spans(courses: Sequence[Sequence[Treatment]], baseline_days: int, followup_days: int, horizon: int) -> list[_Span]:
    bounds = [(_ordinal(c[0].started_at[:10]), _ordinal(c[-1].started_at[:10])) for c in courses]
    spans = []
    for i, (first, last) in enumerate(bounds):
        prev_last = bounds[i - 1][1] if i > 0 else None
        next_first = bounds[i + 1][0] if i + 1 < len(bounds) else None
        base_lo = first - baseline_days if prev_last is None else max(first - baseline_days, prev_last + 1)
        follow_hi = last + followup_days if next_first is None else min(last + followup_days, next_first - 1)
        relief_hi = last + horizon if next_first is None else min(last + horizon, next_first - 1)
        spans.append(_Span(first, last, base_lo, first - 1, last + 1, follow_hi, relief_hi, prev_last, next_first))
    return spans


def course_windows(
    treatments: Iterable[Treatment],
    *,
    baseline_days: int = 7,
    followup_days: int = 7,
    horizon_days: int = 28,
    course_gap: int = 3,
) -> list[CourseWindows]:
    """The windows of every course (all sessions), in course order: for charts and explanations."""
    courses = group_courses(treatments, course_gap)
    out = []
    for course, span in zip(courses, _spans(courses, baseline_days, followup_days, horizon_days), strict=True):
        out.append(
            CourseWindows(
                first_session=course[0].started_at,
                first_day=_day(span.first),
                last_day=_day(span.last),
                baseline=(_day(span.base_lo), _day(span.base_hi)) if span.base_lo <= span.base_hi else None,
                followup=(_day(span.follow_lo), _day(span.follow_hi)) if span.follow_lo <= span.follow_hi else None,
                relief=(_day(span.last + 1), _day(span.relief_hi)),
                previous_last_day=None if span.prev_last is None else _day(span.prev_last),
                next_first_day=None if span.next_first is None else _day(span.next_first),
            )
        )
    return out


# --- one course --------------------------------------------------------------------


def _window(values: dict[int, float], lo: int, hi: int) -> list[tuple[int, float]]:
    """The (day ordinal, daily value) pairs of the days ``lo .. hi`` that have a value, in day order."""
    return [(day, values[day]) for day in range(lo, hi + 1) if day in values]


def response(pct_change: float | None) -> str | None:
    """IMMPACT category of a percent change: substantial, moderate, minimal or none."""
    if pct_change is None:
        return None
    for bound, label in RESPONSES:
        if pct_change <= bound + EPSILON:
            return label
    return "none"


def _metric(values: dict[int, float], span: _Span, min_days: int, judged: bool, lower_is_better: bool) -> Comparison:
    base_points = _window(values, span.base_lo, span.base_hi)
    base = [value for _, value in base_points]
    follow = [value for _, value in _window(values, span.follow_lo, span.follow_hi)]
    base_mean, base_n = _mean(base), len(base)
    follow_mean, follow_n = _mean(follow), len(follow)
    change = None if base_mean is None or follow_mean is None else follow_mean - base_mean
    pct = None if change is None or not base_mean else 100 * change / base_mean  # base_mean 0 -> None
    judgement = None
    if judged and base_n >= min_days and follow_n >= min_days:
        judgement = response(pct)
    return Comparison(
        base_mean, base_n, follow_mean, follow_n, change, pct, judgement, judged,
        nap=stats.nap(base, follow, lower_is_better=lower_is_better),
        ci95=stats.welch_interval(base, follow),
        baseline_slope=stats.slope([(float(day), value) for day, value in base_points]),
    )  # fmt: skip


def relief(pain: dict[int, float], baseline_mean: float, last: int, relief_hi: int) -> Relief:
    """Onset and duration of relief after a course whose last day is ``last`` (ordinals).

    ``pain`` is daily pain by ordinal; relief is looked for on days ``last+1 .. relief_hi``
    that have a value, using the mean over such days within the trailing 7 days.
    """
    threshold = (100 - RELIEF_THRESHOLD_PCT) / 100 * baseline_mean
    days = [day for day in range(last + 1, relief_hi + 1) if day in pain]
    onset: int | None = None
    start = 0  # index of the first day inside the trailing 7-day window
    for i, day in enumerate(days):
        while days[start] < day - 6:
            start += 1
        rolling = math.fsum(pain[d] for d in days[start : i + 1]) / (i + 1 - start)
        if onset is None:
            if rolling <= threshold + EPSILON:
                onset = day
        elif rolling > threshold + EPSILON:
            return Relief(onset - last, day - onset, False)
    if onset is None:
        return Relief(None, 0, False)
    return Relief(onset - last, days[-1] - onset + 1, True)


def _same_day_after(course: Sequence[Treatment], entries_by_day: dict[str, list[Entry]]) -> float | None:
    first_by_day: dict[str, str] = {}
    for session in course:  # sorted: the first seen on a day is the first that day
        first_by_day.setdefault(session.started_at[:10], when.order_key(session.started_at))
    values = [
        entry.pain
        for day, first in first_by_day.items()
        for entry in entries_by_day.get(day, ())
        if entry.pain is not None and len(entry.recorded_at) > 10 and when.order_key(entry.recorded_at) > first
    ]
    return _mean(values)


def _course_name(course: Sequence[Treatment]) -> str:
    return " + ".join(dict.fromkeys(session.name for session in course))


def _check_parameters(**values: int) -> None:
    for name, value in values.items():
        low = 0 if name == "course_gap" else 1
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            option = "--" + name.replace("_", "-")
            raise PaindiaryError(f"{option}: {value!r} is not valid; expected a whole number of at least {low}.")


def analyze(
    entries: Iterable[Entry],
    treatments: Iterable[Treatment],
    medications: Iterable[Medication],
    *,
    baseline_days: int = 7,
    followup_days: int = 7,
    min_days: int = 3,
    horizon_days: int = 28,
    course_gap: int = 3,
    since: str | None = None,
    until: str | None = None,
    measurements: Iterable[Measurement] = (),
    daily: Daily | None = None,
) -> Analysis:
    """The before/after analysis of every course whose first day is within ``since .. until``.

    Its ``to_dict()`` is what ``paindiary analyze --json`` prints. Windows always use all the data given.
    ``daily``: the :func:`daily_table` of these entries and medications, when already computed.
    """
    _check_parameters(
        baseline_days=baseline_days,
        followup_days=followup_days,
        min_days=min_days,
        horizon_days=horizon_days,
        course_gap=course_gap,
    )
    entries, medications = list(entries), list(medications)
    daily = daily_table(entries, medications) if daily is None else daily
    entries_by_day: dict[str, list[Entry]] = {}
    for entry in entries:
        entries_by_day.setdefault(entry.recorded_at[:10], []).append(entry)
    measured = _daily_measured(measurements)
    courses = group_courses(treatments, course_gap)
    lo = None if since is None else _ordinal(since[:10])
    hi = None if until is None else _ordinal(until[:10])
    results = []
    for course, span in zip(courses, _spans(courses, baseline_days, followup_days, horizon_days), strict=True):
        if (lo is not None and span.first < lo) or (hi is not None and span.first > hi):
            continue
        metrics = {
            name: _metric(daily[name], span, min_days, name in RESPONSE_METRICS, LOWER_IS_BETTER[name])
            for name in MEASURES
        }
        metrics.update(
            {
                name: _metric(values, span, min_days, False, not measures.METRICS[name].higher_is_better)
                for name, values in measured.items()
            }
        )
        pain = metrics["pain"]
        ok = pain.baseline_days >= min_days and pain.followup_days >= min_days
        results.append(
            Course(
                first_session=course[0].started_at,
                last_session=course[-1].started_at,
                sessions=len(course),
                name=_course_name(course),
                status="ok" if ok else "insufficient_data",
                metrics=metrics,
                same_day_after_pain=_same_day_after(course, entries_by_day),
                relief=relief(daily["pain"], pain.baseline_mean, span.last, span.relief_hi)
                if ok and pain.baseline_mean is not None
                else None,
            )
        )
    parameters = Parameters(baseline_days, followup_days, min_days, horizon_days, course_gap, RELIEF_THRESHOLD_PCT)
    return Analysis(parameters, tuple(results), unconverted_opioid_doses(medications))


def _window_note(label: str, have: int, window: tuple[str, str] | None, min_days: int, cut: str | None) -> str | None:
    if have >= min_days:
        return None
    length = 0 if window is None else _ordinal(window[1]) - _ordinal(window[0]) + 1
    note = f"pain on {have} of the {length} {label} day{'s' if length != 1 else ''} (needs {min_days})"
    if cut:
        note += f"; {cut}"
    return note


def insufficient_reasons(result: Analysis, treatments: Iterable[Treatment]) -> dict[str, str]:
    """Why each ``insufficient_data`` course of an :func:`analyze` result lacks data.

    Returns {first_session: a sentence}; ``treatments`` must be the ones analysed.
    """
    p = result.parameters
    windows = {
        w.first_session: w
        for w in course_windows(
            treatments,
            baseline_days=p.baseline_days,
            followup_days=p.followup_days,
            horizon_days=p.horizon_days,
            course_gap=p.course_gap_days,
        )
    }
    reasons = {}
    for course in result.courses:
        if course.ok:
            continue
        w = windows[course.first_session]
        pain = course.metrics["pain"]
        base_cut = None
        if w.previous_last_day is not None and (
            w.baseline is None or w.baseline[0] > _shift(w.first_day, -p.baseline_days)
        ):
            base_cut = f"the previous course ended on {w.previous_last_day}"
        follow_cut = None
        if w.next_first_day is not None and (w.followup is None or w.followup[1] < _shift(w.last_day, p.followup_days)):
            follow_cut = f"the next course started on {w.next_first_day}"
        notes = [
            _window_note("baseline", pain.baseline_days, w.baseline, p.min_days, base_cut),
            _window_note("follow-up", pain.followup_days, w.followup, p.min_days, follow_cut),
        ]
        reasons[course.first_session] = "; ".join(note for note in notes if note) + "."
    return reasons


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# --- period summaries ----------------------------------------------------------------


def _period(day: date, by: str) -> tuple[str, date, date]:
    """(label, first day, last day) of the week (ISO, from Monday) or month holding ``day``."""
    if by == "week":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return f"{start.year:04d}-{start.month:02d}", start, following - timedelta(days=1)


def summarize(
    entries: Iterable[Entry],
    medications: Iterable[Medication],
    *,
    by: str = "week",
    since: str | None = None,
    until: str | None = None,
    measurements: Iterable[Measurement] = (),
    daily: Daily | None = None,
) -> list[PeriodSummary]:
    """Per ISO week or calendar month: days logged and the mean daily value of each measure.

    Every period from the first to the last diary day (a day with an entry, a dose or a
    measurement) within ``since .. until`` is listed, empty ones included (``days_logged``
    0, nulls). ``start`` and ``end`` are the period's first and last days, cut to ``since``
    and ``until``. ``days_logged`` counts days with an entry. ``daily``: as for :func:`analyze`.
    """
    if by not in ("week", "month"):
        raise PaindiaryError(f"--by: {by!r} is not valid; expected week or month.")
    entries = list(entries)
    daily = daily_table(entries, medications) if daily is None else daily
    measured = _daily_measured(measurements)
    logged = {_ordinal(key) for key in {entry.recorded_at[:10] for entry in entries}}
    lo = -math.inf if since is None else _ordinal(since[:10])
    hi = math.inf if until is None else _ordinal(until[:10])
    # every day with an entry or a dose has an MME value; measurement days are diary days too
    days = [day for day in {*daily[MME], *(day for values in measured.values() for day in values)} if lo <= day <= hi]
    if not days:
        return []
    out = []
    current = date.fromordinal(min(days))
    last = max(days)
    while current.toordinal() <= last:
        label, start, end = _period(current, by)
        first_day, last_day = max(start.toordinal(), lo), min(end.toordinal(), hi)
        span = range(int(first_day), int(last_day) + 1)
        means = {name: _mean([daily[name][day] for day in span if day in daily[name]]) for name in MEASURES}
        means.update({name: _mean([values[day] for day in span if day in values]) for name, values in measured.items()})
        days_logged = sum(1 for day in span if day in logged)
        out.append(PeriodSummary(label, _day(int(first_day)), _day(int(last_day)), days_logged, means))
        current = end + timedelta(days=1)
    return out
