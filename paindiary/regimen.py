"""Each medication's course over a period: daily totals, usual dose at start and end, dose changes.

Pure functions over :class:`paindiary.models.Medication` records, for the
report's medication section and the medication timeline (issue 12). A drug is
its name compared case-insensitively with the same unit (``Pregabalin 75 mg``
and ``pregabalin 75 mg`` are one drug; a drug recorded in two units is two
lanes). Definitions:

* daily total: the sum of a day's doses of the drug;
* usual daily total: the median daily total over the first (or last)
  :data:`USUAL_DAYS` days on which the drug was taken in the period;
* a dose change: the daily total moves to a new level and stays there for at
  least :data:`STEADY_DAYS` dosing days in a row (a single missed or extra dose
  is not a change); ``up`` or ``down``;
* ``started``: the drug's first dose in the whole diary falls inside the period
  after its first day; ``stopped``: the drug's last dose falls at least
  :data:`STOPPED_AFTER_DAYS` days before the period's end.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

USUAL_DAYS = 7
STEADY_DAYS = 3
STOPPED_AFTER_DAYS = 7


class Dose(Protocol):
    """What a medication dose needs to have (a :class:`paindiary.models.Medication` fits)."""

    @property
    def taken_at(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def dose(self) -> float: ...
    @property
    def dose_unit(self) -> str: ...


@dataclass(frozen=True)
class Change:
    """The daily total moved from ``before`` to ``after`` on ``day``."""

    day: str
    kind: str  # "up", "down", "started", "stopped"
    before: float | None
    after: float | None


@dataclass(frozen=True)
class DrugCourse:
    """One drug (name and unit) within a period."""

    name: str  # the spelling used most often
    unit: str
    daily: tuple[tuple[str, float], ...]  # (day, total) for each day with a dose, in order
    first_dose: str
    last_dose: str
    usual_start: float
    usual_end: float
    changes: tuple[Change, ...]


def _key(dose: Dose) -> tuple[str, str]:
    return _drug(dose.name, dose.dose_unit)


def _drug(name: str, unit: str) -> tuple[str, str]:
    """A drug as :func:`drug_courses` tells drugs apart: its name and unit, compared case-insensitively."""
    return (name.strip().casefold(), unit.strip().casefold())


def _steady_changes(daily: Sequence[tuple[str, float]]) -> list[Change]:
    changes: list[Change] = []
    if not daily:
        return changes
    level = daily[0][1]
    i = 1
    while i < len(daily):
        day, total = daily[i]
        if not math.isclose(total, level):
            run = daily[i : i + STEADY_DAYS]
            if len(run) == STEADY_DAYS and all(math.isclose(value, total) for _, value in run):
                changes.append(Change(day, "up" if total > level else "down", level, total))
                level = total
                i += STEADY_DAYS
                continue
        i += 1
    return changes


def first_doses(doses: Iterable[Dose]) -> dict[tuple[str, str], str]:
    """The day each drug (name and unit, compared as :func:`drug_courses` does) was first taken in ``doses``."""
    return first_days((dose.name, dose.dose_unit, dose.taken_at) for dose in doses)


def first_days(firsts: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """:func:`first_doses` from (name, unit, time of a dose) triples, e.g. each name's and unit's first as stored."""
    first: dict[tuple[str, str], str] = {}
    for name, unit, stamp in firsts:
        key, day = _drug(name, unit), stamp[:10]
        if day < first.get(key, "9"):
            first[key] = day
    return first


def drug_courses(
    doses: Iterable[Dose], since: str, until: str, *, first_ever: Mapping[tuple[str, str], str] | None = None
) -> list[DrugCourse]:
    """Every drug taken within ``since .. until`` (inclusive days), ordered by first dose then name.

    Whether a drug was started in the period depends on doses before it: ``doses`` should be
    the whole diary's, or ``first_ever`` give each drug's first day in the whole diary
    (:func:`first_doses` of it) when ``doses`` start later.
    """
    earliest = dict(first_ever or {})
    spellings: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    totals: dict[tuple[str, str], dict[str, float]] = {}
    for dose in doses:
        key, day = _key(dose), dose.taken_at[:10]
        earliest[key] = min(earliest.get(key, day), day)
        if not since <= day <= until:
            continue
        spelling = (dose.name.strip(), dose.dose_unit.strip())
        counts = spellings.setdefault(key, {})
        counts[spelling] = counts.get(spelling, 0) + 1
        by_day = totals.setdefault(key, {})
        by_day[day] = by_day.get(day, 0.0) + dose.dose
    courses = []
    end = date.fromisoformat(until)
    for key, by_day in totals.items():
        daily = tuple(sorted(by_day.items()))
        values = [total for _, total in daily]
        name, unit = max(spellings[key].items(), key=lambda item: (item[1], item[0]))[0]
        changes = _steady_changes(daily)
        if since < earliest[key]:
            changes.insert(0, Change(daily[0][0], "started", None, daily[0][1]))
        if (end - date.fromisoformat(daily[-1][0])).days >= STOPPED_AFTER_DAYS:
            changes.append(Change(daily[-1][0], "stopped", daily[-1][1], None))
        courses.append(
            DrugCourse(
                name=name,
                unit=unit,
                daily=daily,
                first_dose=daily[0][0],
                last_dose=daily[-1][0],
                usual_start=statistics.median(values[:USUAL_DAYS]),
                usual_end=statistics.median(values[-USUAL_DAYS:]),
                changes=tuple(changes),
            )
        )
    return sorted(courses, key=lambda course: (course.first_dose, course.name.casefold()))
