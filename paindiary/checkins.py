"""Follow-up check-ins after a treatment course: which are due, and which course an answer belongs to.

Pure functions over sessions and assessments (issue 11). A course's check-in
points are :data:`POINT_DAYS` days after its last session day Dk (the Stanford
ketamine registry's schedule, NCT05477004), for each instrument in
:data:`INSTRUMENTS`; a point on or after the next course's first day does not
exist. Each point has a window (±2 days for days 7 and 14, ±7 days from day 30
on). An assessment belongs to the course with the latest Dk on or before its
day, provided that day is before the next course's first day.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from paindiary import when

POINT_DAYS = (7, 14, 30, 60, 90, 180, 365)
INSTRUMENTS = ("pgic", "peg")
STATUSES = ("done", "due", "overdue", "upcoming")


def window_half_width(day: int) -> int:
    """Days either side of a check-in point that still count for it."""
    return 2 if day <= 14 else 7


class Answer(Protocol):
    """What attribution needs of an assessment (a :class:`paindiary.models.Assessment` fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def recorded_at(self) -> str: ...
    @property
    def instrument(self) -> str: ...


@dataclass(frozen=True)
class CourseDays:
    """The days that place a course in time (``YYYY-MM-DD``)."""

    first_session: str  # the first session's time, as ``analyze`` names courses
    last_session: str
    first_day: str
    last_day: str  # Dk


@dataclass(frozen=True)
class CheckinPoint:
    """One check-in point of one course and instrument, with its status as of a day."""

    course: int  # 1-based, in course order as in ``analyze``
    first_session: str
    last_session: str
    instrument: str
    day: int
    date: str
    window_start: str
    window_end: str
    status: str
    assessment_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def course_of(courses: Sequence[CourseDays], day: str) -> int | None:
    """The index of the course an answer on ``day`` belongs to, or ``None``.

    ``courses`` are in order; the course is the one with the latest last day on or
    before ``day``, if ``day`` is before the next course's first day.
    """
    last_days = [course.last_day for course in courses]
    index = bisect_right(last_days, day) - 1
    if index < 0:
        return None
    following = courses[index + 1] if index + 1 < len(courses) else None
    if following is not None and day >= following.first_day:
        return None
    return index


def days_after(course: CourseDays, day: str) -> int:
    """``day`` minus the course's last session day, in days."""
    return (date.fromisoformat(day) - date.fromisoformat(course.last_day)).days


def attribute(courses: Sequence[CourseDays], answers: Sequence[Answer]) -> list[list[Answer]]:
    """The answers of each course (same order as ``courses``), oldest first."""
    out: list[list[Answer]] = [[] for _ in courses]
    for answer in sorted(answers, key=lambda a: when.order_key(a.recorded_at)):
        index = course_of(courses, answer.recorded_at[:10])
        if index is not None:
            out[index].append(answer)
    return out


def checkin_points(courses: Sequence[CourseDays], answers: Sequence[Answer], as_of: date) -> list[CheckinPoint]:
    """Every check-in point of every course, with its status on ``as_of``.

    Ordered by course, then instrument (:data:`INSTRUMENTS` order), then day. A
    point is ``done`` when an answer of its instrument attributed to its course
    falls in its window (the first such answer is named), else ``due`` while
    ``as_of`` is inside the window, ``overdue`` after it and ``upcoming`` before.
    """
    by_course = attribute(courses, answers)
    today = as_of.isoformat()
    points = []
    for index, course in enumerate(courses):
        last = date.fromisoformat(course.last_day)
        following = courses[index + 1].first_day if index + 1 < len(courses) else None
        for instrument in INSTRUMENTS:
            mine = [a for a in by_course[index] if a.instrument == instrument]
            for day in POINT_DAYS:
                point = (last + timedelta(days=day)).isoformat()
                if following is not None and point >= following:
                    break
                half = timedelta(days=window_half_width(day))
                start, end = (
                    (last + timedelta(days=day) - half).isoformat(),
                    (last + timedelta(days=day) + half).isoformat(),
                )
                found = next((a for a in mine if start <= a.recorded_at[:10] <= end), None)
                if found is not None:
                    status = "done"
                elif start <= today <= end:
                    status = "due"
                elif today > end:
                    status = "overdue"
                else:
                    status = "upcoming"
                points.append(
                    CheckinPoint(
                        course=index + 1,
                        first_session=course.first_session,
                        last_session=course.last_session,
                        instrument=instrument,
                        day=day,
                        date=point,
                        window_start=start,
                        window_end=end,
                        status=status,
                        assessment_id=None if found is None else found.id,
                    )
                )
    return points
