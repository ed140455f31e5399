"""The report's first words: a summary a clinician can read aloud, and the flags worth a look.

Plain sentences built only from the analysis and the records (no matplotlib, no randomness:
the same diary gives the same words). :func:`summary` says, for each course in the period,
its dates and sessions, pain before -> after with the change in percent and its IMMPACT
category, the 95% interval and whether it stays below zero, how soon relief came and how
long it lasted, the PGIC when one was recorded, and the change in MME; then how sleep, mood
and the PEG moved over the period. :func:`flags` lists what deserves a look, each with its
date and value:

- session vital signs after a session at or above :data:`SYSTOLIC_HIGH`/:data:`DIASTOLIC_HIGH`
  mmHg or :data:`HEART_RATE_HIGH`/min, or a rise of at least :data:`RISE` mmHg systolic or
  :data:`RISE`/min;
- side effects rated :data:`SIDE_EFFECT_HIGH` or more;
- days at or above :data:`MME_HIGH` MME (CDC 2022), as runs of days;
- opioid doses that could not be converted to MME (an unknown name, a unit other than mg);
- check-ins that are overdue (given by the caller).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from paindiary import opioids
from paindiary.models import Medication, Treatment
from paindiary.results import Course
from paindiary.wording import plural

SYSTOLIC_HIGH, DIASTOLIC_HIGH, HEART_RATE_HIGH = 160, 100, 120
RISE = 20  # mmHg systolic, or beats per minute
SIDE_EFFECT_HIGH = 7
MME_HIGH = 50  # MME per day (CDC 2022)
TREND_DAYS = 28  # the period's first and last four weeks, compared


@dataclass(frozen=True)
class Flag:
    """One thing to look at: when (a day or a time), and what, with its value."""

    when: str
    text: str


def _num(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def course_sentences(number: int, course: Course, *, pgic: str | None = None, horizon: int = 28) -> str:
    """What course ``number`` did, in a few sentences."""
    first, last = course.first_session[:10], course.last_session[:10]
    when = f"on {first}" if first == last else f"from {first} to {last}"
    head = f"Course {number}, {course.name}, {plural(course.sessions, 'session')} {when}"
    pain = course.metrics["pain"]
    if not course.ok or pain.baseline_mean is None or pain.followup_mean is None:
        return (
            f"{head}: too few days of pain logged to compare ({pain.baseline_days} before, {pain.followup_days} after)."
        )
    text = (
        f"{head}: average pain went from {_num(pain.baseline_mean)} in the {plural(pain.baseline_days, 'day')} "
        f"before to {_num(pain.followup_mean)} in the {plural(pain.followup_days, 'day')} after"
    )
    if pain.pct_change is not None:
        direction = "reduction" if pain.pct_change < 0 else "increase"
        text += f", a {_num(abs(pain.pct_change), 0)}% {direction}"
        if pain.response:
            text += f" ({pain.response} by IMMPACT)"
    text += "."
    if pain.ci95 is not None:
        low, high = pain.ci95
        where = (
            "entirely below zero"
            if high < 0
            else "entirely above zero"
            if low > 0
            else "crossing zero, so it may be chance"
        )
        text += f" The 95% interval of the change is {_num(low)} to {_num(high)} points, {where}."
    relief = course.relief
    if relief is not None:
        if relief.onset_day is None:
            text += f" Pain did not fall 30% below the baseline within {plural(horizon, 'day')}."
        else:
            lasting = "and was still lasting" if relief.ongoing else f"and lasted {plural(relief.duration_days, 'day')}"
            text += f" Relief (pain 30% below the baseline) began on day {relief.onset_day} {lasting}."
    if pgic:
        text += f" {pgic}"
    mme = course.metrics.get("mme")
    before, after = (None, None) if mme is None else (mme.baseline_mean, mme.followup_mean)
    if before is not None and after is not None and (before or after):  # (no opioid at all: nothing to say)
        moved = (
            f"stayed at {_num(after)}" if _num(before) == _num(after) else f"went from {_num(before)} to {_num(after)}"
        )
        text += f" Opioid use {moved} MME a day."
    return text


def trend_sentence(daily: Mapping[str, Mapping[str, float]], start: str, end: str) -> str:
    """How sleep, mood and the PEG moved between the period's first and last four weeks (or halves)."""
    first_day, last_day = date.fromisoformat(start), date.fromisoformat(end)
    days = (last_day - first_day).days + 1
    span = min(TREND_DAYS, days // 2)
    if span < 7:
        return ""
    early_end = (first_day + timedelta(days=span - 1)).isoformat()
    late_start = (last_day - timedelta(days=span - 1)).isoformat()
    parts = []
    for metric, words, unit in (
        ("sleep_hours", "sleep", " hours a night"),
        ("mood", "mood (10 best)", ""),
        ("peg", "the PEG score", ""),
    ):
        values = daily.get(metric, {})
        early = [v for d, v in values.items() if start <= d <= early_end]
        late = [v for d, v in values.items() if late_start <= d <= end]
        if len(early) >= 4 and len(late) >= 4:
            before, after = sum(early) / len(early), sum(late) / len(late)
            parts.append(f"{words} from {_num(before)} to {_num(after)}{unit}")
    if not parts:
        return ""
    weeks = "four weeks" if span == TREND_DAYS else plural(span, "day")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    text = f"Between the period's first and last {weeks}, {joined}."
    return text[0].upper() + text[1:]


def session_flags(sessions: Sequence[Treatment]) -> list[Flag]:
    """Vital signs after a session at or above the limits, or rising by :data:`RISE`; side effects >= 7."""
    found: list[Flag] = []
    for s in sessions:
        when, what = s.started_at.replace("T", " ")[:16], s.name
        sys_a, dia_a, hr_a = s.systolic_after, s.diastolic_after, s.heart_rate_after
        if sys_a is not None and dia_a is not None and (sys_a >= SYSTOLIC_HIGH or dia_a >= DIASTOLIC_HIGH):
            found.append(
                Flag(when, f"{what}: blood pressure {sys_a}/{dia_a} mmHg after the session "
                           f"(at or above {SYSTOLIC_HIGH}/{DIASTOLIC_HIGH}).")
            )  # fmt: skip
        elif sys_a is not None and s.systolic_before is not None and sys_a - s.systolic_before >= RISE:
            found.append(
                Flag(when, f"{what}: systolic blood pressure rose from {s.systolic_before} to {sys_a} mmHg "
                           f"(+{sys_a - s.systolic_before}).")
            )  # fmt: skip
        if hr_a is not None and hr_a >= HEART_RATE_HIGH:
            found.append(
                Flag(when, f"{what}: heart rate {hr_a}/min after the session (at or above {HEART_RATE_HIGH}).")
            )
        elif hr_a is not None and s.heart_rate_before is not None and hr_a - s.heart_rate_before >= RISE:
            found.append(
                Flag(when, f"{what}: heart rate rose from {s.heart_rate_before} to {hr_a}/min "
                           f"(+{hr_a - s.heart_rate_before}).")
            )  # fmt: skip
        for effect in s.side_effects:
            if effect.severity is not None and effect.severity >= SIDE_EFFECT_HIGH:
                found.append(Flag(when, f"{what}: {effect.name} rated {_num(effect.severity)} of 10."))
    return found


def mme_flags(mme: Mapping[str, float], start: str, end: str) -> list[Flag]:
    """Days at or above :data:`MME_HIGH` MME, as runs of consecutive days with the highest value of each."""
    days = sorted(day for day, value in mme.items() if start <= day <= end and value >= MME_HIGH)
    runs: list[list[str]] = []
    for day in days:
        if runs and date.fromisoformat(day) - date.fromisoformat(runs[-1][-1]) == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    found = []
    for run in runs:
        top = max(mme[day] for day in run)
        when = run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}"
        count = "" if len(run) == 1 else f" ({plural(len(run), 'day')})"
        found.append(Flag(when, f"{_num(top)} MME a day{count}, at or above {MME_HIGH} (CDC 2022)."))
    return found


def unconverted_flags(doses: Sequence[Medication], start: str, end: str) -> list[Flag]:
    """Opioid-looking doses in the period that were not converted to MME, one flag per reason."""
    reasons: dict[str, list[str]] = {}
    for dose in doses:
        if start <= dose.taken_at[:10] <= end:
            reason = opioids.not_counted(dose.name, dose.dose_unit)
            if reason is not None:
                reasons.setdefault(reason, []).append(dose.taken_at[:10])
    found = []
    for reason, days in sorted(reasons.items(), key=lambda item: min(item[1])):
        when = days[0] if min(days) == max(days) else f"{min(days)} to {max(days)}"
        found.append(Flag(when, f"{plural(len(days), 'dose')} not counted in MME: {reason}"))
    return found


def no_flags_line() -> str:
    return "No flags: no vital sign, side effect, opioid dose or check-in in the period calls for attention."
