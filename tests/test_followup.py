"""followup: check-in points of a diary's courses, grouped as analyze groups them."""

from __future__ import annotations

from datetime import date

from paindiary import followup
from paindiary.assessments import make_assessment
from paindiary.models import make_treatment


def _sessions(*days: str):
    return [make_treatment({"started_at": f"{day}T09:00", "name": "ketamine"}) for day in days]


def test_courses_are_grouped_with_the_course_gap() -> None:
    sessions = _sessions("2026-03-01", "2026-03-03", "2026-03-05", "2026-05-01")
    courses = followup.course_days(sessions, course_gap=3)
    assert [(c.first_day, c.last_day) for c in courses] == [("2026-03-01", "2026-03-05"), ("2026-05-01", "2026-05-01")]
    assert courses[0].first_session == "2026-03-01T09:00:00" and courses[0].last_session == "2026-03-05T09:00:00"
    assert len(followup.course_days(sessions, course_gap=1)) == 4


def test_points_and_what_is_due_now() -> None:
    sessions = _sessions("2026-03-01", "2026-03-05")  # one course, Dk = 2026-03-05
    answers = [make_assessment({"recorded_at": "2026-03-12T18:00", "instrument": "pgic", "pgic": 2})]
    points = followup.points(sessions, answers, date(2026, 3, 19), course_gap=4)
    by = {(p.instrument, p.day): p for p in points}
    assert by[("pgic", 7)].status == "done" and by[("pgic", 7)].date == "2026-03-12"
    assert by[("peg", 7)].status == "overdue"  # window 03-10..03-14 passed unanswered
    assert by[("pgic", 14)].status == "due" and by[("peg", 14)].status == "due"  # window 03-17..03-21
    assert by[("pgic", 30)].status == "upcoming"
    assert [(p.instrument, p.day) for p in followup.due_now(points)] == [("pgic", 14), ("peg", 14)]
