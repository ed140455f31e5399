"""The report's check-ins (issue 12, from issue 11): PGIC and past-week PEG answers beside their course.

Each answer belongs to a course as ``analyze`` and ``due`` say
(:func:`paindiary.followup.with_assessments`); the report shows the answers of the courses in its
period in a table, puts the latest PGIC in the course's summary sentence, and flags the check-ins
that are overdue as of the day the report is made (:func:`paindiary.followup.points`). Pure
choice and text, and :func:`write` for the report's pages (no matplotlib imported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from paindiary import followup
from paindiary.assessments import PGIC_LABELS, Assessment
from paindiary.charts.narrative import Flag
from paindiary.models import Treatment
from paindiary.results import Analysis, Course

NAMES = {"pgic": "PGIC", "peg": "PEG"}


def with_answers(analysis: Analysis, treatments: Sequence[Treatment], answers: Sequence[Assessment]) -> Analysis:
    """``analysis`` with each course's attributed answers and latest PGIC."""
    return followup.with_assessments(analysis, treatments, answers)


def pgic_sentence(course: Course) -> str | None:
    """The course's latest PGIC, as a sentence for the summary (None: none recorded)."""
    pgic = course.pgic
    if pgic is None:
        return None
    anchor = " (a clinically important change)" if pgic.improved else ""
    return f"The patient rated the change as {pgic.label} (PGIC {pgic.score}) on day {pgic.day}{anchor}."


def rows(courses: Sequence[tuple[int, Course]], answers: Sequence[Assessment]) -> list[list[str]]:
    """The check-in table: course, when, day, check-in, answer and score, oldest first within each course."""
    by_id = {answer.id: answer for answer in answers}
    out = []
    for number, course in courses:
        for found in course.assessments:
            answer = by_id.get(found.id)
            if answer is None:
                continue
            if answer.instrument == "pgic" and answer.pgic is not None:
                said = f"{answer.pgic} {PGIC_LABELS[answer.pgic]}"
            else:
                said = f"pain {answer.peg_pain:g}, enjoyment {answer.peg_enjoyment:g}, activity {answer.peg_activity:g}"
            score = "" if found.score is None else f"{found.score:g}"
            out.append(
                [str(number), found.recorded_at.replace("T", " ")[:16], f"day {found.day}", NAMES[found.instrument],
                 said, score]
            )  # fmt: skip
    return out


def overdue_flags(
    courses: Sequence[tuple[int, Course]], treatments: Sequence[Treatment], answers: Sequence[Assessment],
    as_of: date, course_gap: int,
) -> list[Flag]:  # fmt: skip
    """A flag for each overdue check-in of the courses in the period, as of ``as_of``."""
    numbers = {course.first_session: number for number, course in courses}
    found = []
    for point in followup.points(treatments, answers, as_of, course_gap):
        number = numbers.get(point.first_session)
        if number is not None and point.status == "overdue":
            found.append(
                Flag(point.window_end, f"the {NAMES[point.instrument]} check-in of day {point.day} after course "
                                       f"{number} is overdue (its window was {point.window_start} to "
                                       f"{point.window_end}).")
            )  # fmt: skip
    return found


def write(flow: Any, table: Sequence[Sequence[str]]) -> None:
    """The check-ins section on the report's first pages (nothing when the period has none)."""
    from paindiary.charts import style
    from paindiary.charts.pdf_layout import Column

    if not table:
        return
    flow.heading("Check-ins after a course")
    flow.paragraph(
        "PGIC: the patient's global impression of change since the course began (1 very much improved .. 7 very "
        "much worse); PEG: the past week's average pain and its interference with enjoyment and activity (0-10), "
        "score their mean. Day: days after the course's last session.",
        7.5,
        style.GREY,
    )
    columns = [
        Column("Course", 0.6), Column("Recorded", 1.2), Column("Day", 0.7), Column("Check-in", 0.8),
        Column("Answer", 2.6), Column("Score", 0.6, "right"),
    ]  # fmt: skip
    flow.table(columns, table, size=8)
