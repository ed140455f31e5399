"""Follow-up check-ins of a diary's treatment courses: which are due, done or overdue, as of a day.

Glue between :func:`paindiary.analysis.group_courses` (courses grouped exactly as
``analyze`` groups them, with its ``course_gap``) and the pure rules of
:mod:`paindiary.checkins` (points on days 7-365 after a course's last session day,
windows, statuses, attribution of answers to courses). ``paindiary due``, the
interactive ``paindiary assess``, ``today``, the demo and the calendar of
``remind --ics`` all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from paindiary import analysis, checkins
from paindiary.assessments import Assessment
from paindiary.checkins import CheckinPoint, CourseDays
from paindiary.models import Treatment


def course_days(treatments: Iterable[Treatment], course_gap: int = 3) -> list[CourseDays]:
    """The courses of ``treatments`` (as ``analyze`` groups them), as the days that place them in time."""
    return [
        CourseDays(
            first_session=course[0].started_at,
            last_session=course[-1].started_at,
            first_day=course[0].started_at[:10],
            last_day=course[-1].started_at[:10],
        )
        for course in analysis.group_courses(treatments, course_gap)
    ]


def points(
    treatments: Iterable[Treatment], answers: Sequence[Assessment], as_of: date, course_gap: int = 3
) -> list[CheckinPoint]:
    """Every check-in point of every course with its status on ``as_of`` (see :func:`checkins.checkin_points`)."""
    return checkins.checkin_points(course_days(treatments, course_gap), answers, as_of)


def due_now(points_: Sequence[CheckinPoint]) -> list[CheckinPoint]:
    """The points whose window is open and not yet answered."""
    return [point for point in points_ if point.status == "due"]
