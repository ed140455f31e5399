"""paindiary.checkins: check-in points, their windows and statuses, and attribution (hand-computed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paindiary import checkins
from paindiary.checkins import CourseDays

ONE = CourseDays("2026-01-01T09:00:00", "2026-01-03T09:00:00", "2026-01-01", "2026-01-03")
# a booster 20 days after the first course's last day
TWO = CourseDays("2026-01-23T09:00:00", "2026-01-23T09:00:00", "2026-01-23", "2026-01-23")


@dataclass(frozen=True)
class Answer:
    id: int
    recorded_at: str
    instrument: str


def _points(courses: list[CourseDays], answers: list[Answer], as_of: str) -> list[checkins.CheckinPoint]:
    return checkins.checkin_points(courses, answers, date.fromisoformat(as_of))


def test_points_windows_and_the_next_course_cutting_them() -> None:
    points = _points([ONE, TWO], [], "2026-01-01")
    first = [(p.instrument, p.day, p.date, p.window_start, p.window_end) for p in points if p.course == 1]
    # day 7 of course 1 is 01-10 (±2), day 14 is 01-17; day 30 (02-02) is after the booster began: gone
    assert first == [
        ("pgic", 7, "2026-01-10", "2026-01-08", "2026-01-12"),
        ("pgic", 14, "2026-01-17", "2026-01-15", "2026-01-19"),
        ("peg", 7, "2026-01-10", "2026-01-08", "2026-01-12"),
        ("peg", 14, "2026-01-17", "2026-01-15", "2026-01-19"),
    ]
    second = [p for p in points if p.course == 2 and p.instrument == "pgic"]
    assert [p.day for p in second] == list(checkins.POINT_DAYS)
    day30 = second[2]
    assert (day30.date, day30.window_start, day30.window_end) == ("2026-02-22", "2026-02-15", "2026-03-01")
    assert {p.status for p in points} == {"upcoming"}


def test_a_point_on_the_next_course_first_day_does_not_exist() -> None:
    booster_on_day_14 = CourseDays("2026-01-17T09:00:00", "2026-01-17T09:00:00", "2026-01-17", "2026-01-17")
    days = [p.day for p in _points([ONE, booster_on_day_14], [], "2026-01-01") if p.course == 1]
    assert days == [7, 7]  # pgic 7 and peg 7; day 14 (01-17) falls on the booster's first day


def test_statuses_on_the_window_edges() -> None:
    def status(as_of: str, answers: list[Answer] | None = None) -> tuple[str, int | None]:
        point = _points([ONE], answers or [], as_of)[0]  # pgic, day 7: window 01-08 .. 01-12
        return point.status, point.assessment_id

    assert status("2026-01-07") == ("upcoming", None)
    assert status("2026-01-08") == ("due", None)
    assert status("2026-01-12") == ("due", None)
    assert status("2026-01-13") == ("overdue", None)
    assert status("2026-01-13", [Answer(4, "2026-01-12T20:00:00", "pgic")]) == ("done", 4)
    assert status("2026-01-13", [Answer(4, "2026-01-13T08:00:00", "pgic")]) == ("overdue", None)  # outside
    assert status("2026-01-10", [Answer(4, "2026-01-09", "peg")]) == ("due", None)  # other instrument


def test_attribution_at_course_edges() -> None:
    courses = [ONE, TWO]
    assert checkins.course_of(courses, "2025-12-31") is None  # before any course ended
    assert checkins.course_of(courses, "2026-01-02") is None  # during the first course, before its Dk
    assert checkins.course_of(courses, "2026-01-03") == 0  # on Dk: day 0
    assert checkins.course_of(courses, "2026-01-22") == 0  # the day before the booster
    assert checkins.course_of(courses, "2026-01-23") == 1  # the booster's own day
    long = CourseDays("2026-02-01T09:00:00", "2026-02-05T09:00:00", "2026-02-01", "2026-02-05")
    assert checkins.course_of([ONE, long], "2026-02-03") is None  # inside the next course: no course
    assert checkins.course_of([ONE, long], "2026-02-01") is None  # the next course's first day
    assert checkins.course_of([ONE, long], "2026-01-31") == 0
    assert checkins.days_after(ONE, "2026-01-10") == 7


def test_an_answer_after_the_next_course_began_does_not_complete_an_earlier_point() -> None:
    booster_on_day_8 = CourseDays("2026-01-11T09:00:00", "2026-01-11T09:00:00", "2026-01-11", "2026-01-11")
    answer = Answer(1, "2026-01-11T20:00:00", "pgic")  # inside course 1's day-7 window, but the booster's day
    points = _points([ONE, booster_on_day_8], [answer], "2026-01-20")
    assert (points[0].course, points[0].day, points[0].status) == (1, 7, "overdue")
    assert checkins.attribute([ONE, booster_on_day_8], [answer]) == [[], [answer]]
