"""Follow-up check-ins of a diary's treatment courses: which are due, done or overdue, as of a day.

Glue between :func:`paindiary.analysis.group_courses` (courses grouped exactly as
``analyze`` groups them, with its ``course_gap``) and the pure rules of
:mod:`paindiary.checkins` (points on days 7-365 after a course's last session day,
windows, statuses, attribution of answers to courses). ``paindiary due``, the
interactive ``paindiary assess``, ``today``, the demo and the calendar of
``remind --ics`` all ask here. :func:`with_assessments` adds the answers attributed
to each course (and its latest PGIC) to an :func:`paindiary.analysis.analyze` result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from paindiary import analysis, checkins
from paindiary.assessments import PGIC_IMPROVED, PGIC_LABELS, Assessment
from paindiary.checkins import CheckinPoint, CourseDays
from paindiary.models import Treatment
from paindiary.results import Analysis, CourseAssessment, CoursePgic


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


def with_assessments(result: Analysis, treatments: Iterable[Treatment], answers: Sequence[Assessment]) -> Analysis:
    """``result`` with each course's attributed answers (oldest first) and its latest PGIC.

    ``treatments`` are all the sessions the analysis saw (its ``--since``/``--until`` chose
    courses, not sessions): courses are grouped with the result's course gap and answers
    attributed by :func:`paindiary.checkins.course_of`, as ``paindiary due`` does.
    """
    courses = course_days(treatments, result.parameters.course_gap_days)
    by_course: dict[str, list[CourseAssessment]] = {}
    latest: dict[str, CoursePgic] = {}
    for answer in sorted(answers, key=lambda a: a.recorded_at):
        index = checkins.course_of(courses, answer.recorded_at[:10])
        if index is None:
            continue
        course = courses[index]
        day = checkins.days_after(course, answer.recorded_at[:10])
        score = answer.pgic if answer.instrument == "pgic" else answer.score
        by_course.setdefault(course.first_session, []).append(
            CourseAssessment(answer.id, answer.recorded_at, answer.instrument, day, score)
        )
        if answer.instrument == "pgic" and answer.pgic is not None:
            latest[course.first_session] = CoursePgic(
                answer.pgic, PGIC_LABELS[answer.pgic], day, answer.pgic in PGIC_IMPROVED
            )
    updated = tuple(
        replace(course, assessments=tuple(by_course.get(key, ())), pgic=latest.get(key))
        for course in result.courses
        for key in (course.first_session,)
    )
    return replace(result, courses=updated)
