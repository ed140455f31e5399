"""`paindiary remind --ics`: an all-day event for each check-in point due or to come (issue 13 item 10, issue 11).

The calendar is parsed with the icalendar library. Today is FIXED_NOW (2026-03-15).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from icalendar import Calendar

from paindiary import db, diary, store
from tests.conftest import Run

DAILY = "paindiary-daily-2100@paindiary.invalid"


def _fill(path: Path, sessions: list[str], answers: list[Mapping[str, object]] | None = None) -> None:
    rows = [{"started_at": f"{day}T09:00", "name": "ketamine infusion"} for day in sessions]
    batches: list[tuple[Any, list[Mapping[str, object]]]] = [(store.TREATMENTS, rows)]
    if answers:
        batches.append((store.ASSESSMENTS, answers))
    with db.open_db(path) as handle:
        diary.add_all(handle, batches)


def _events(run: Run, path: Path) -> dict[str, Any]:
    run("remind", "--ics", str(path))
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def _checkins(events: dict[str, Any]) -> list[tuple[date, str]]:
    return [(event.decoded("dtstart"), str(event["summary"])) for uid, event in events.items() if uid != DAILY]


def test_one_all_day_event_per_point_to_come(run: Run, clock: object, db_path: Path, tmp_path: Path) -> None:
    # one course, Dk 2026-03-05; the PGIC of day 7 answered, the PEG of day 7 overdue (window 03-10..03-14)
    _fill(db_path, ["2026-03-01", "2026-03-03", "2026-03-05"], [
        {"recorded_at": "2026-03-12T18:00", "instrument": "pgic", "pgic": 2},
    ])  # fmt: skip
    events = _events(run, tmp_path / "r.ics")
    assert DAILY in events
    course = "after your ketamine infusion course"
    assert _checkins(events) == [
        (date(2026, 3, 19), f"Check-in: PGIC and PEG, day 14 {course}"),
        (date(2026, 4, 4), f"Check-in: PGIC and PEG, day 30 {course}"),
        (date(2026, 5, 4), f"Check-in: PGIC and PEG, day 60 {course}"),
        (date(2026, 6, 3), f"Check-in: PGIC and PEG, day 90 {course}"),
        (date(2026, 9, 1), f"Check-in: PGIC and PEG, day 180 {course}"),
        (date(2027, 3, 5), f"Check-in: PGIC and PEG, day 365 {course}"),
    ]
    event = events["paindiary-checkin-20260301T090000-day14@paindiary.invalid"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert type(start) is date and (start, end) == (date(2026, 3, 19), date(2026, 3, 20))  # all day
    description = str(event["description"])
    assert (
        "paindiary assess pgic SCORE" in description and "paindiary assess peg PAIN ENJOYMENT ACTIVITY" in description
    )
    assert "from 2026-03-17 to 2026-03-21" in description and "(2026-03-01 to 2026-03-05)" in description


def test_a_due_point_stays_the_same_event_when_one_answer_is_given(
    run: Run, clock: object, db_path: Path, tmp_path: Path
) -> None:
    # Dk 2026-03-01: day 14 is 03-15 (today), its window 03-13..03-17 is open: due
    _fill(db_path, ["2026-03-01"])
    uid = "paindiary-checkin-20260301T090000-day14@paindiary.invalid"
    before = _events(run, tmp_path / "a.ics")
    assert str(before[uid]["summary"]) == "Check-in: PGIC and PEG, day 14 after your ketamine infusion course"
    assert before[uid].decoded("dtstart") == date(2026, 3, 15)
    assert "paindiary-checkin-20260301T090000-day7@paindiary.invalid" not in before  # overdue: not in a calendar
    _fill(db_path, [], [{"recorded_at": "2026-03-14T18:00", "instrument": "pgic", "pgic": 4}])
    after = _events(run, tmp_path / "b.ics")
    assert str(after[uid]["summary"]) == "Check-in: PEG, day 14 after your ketamine infusion course"
    assert "assess pgic" not in str(after[uid]["description"])
    assert set(after) == set(before)  # the same UIDs: a calendar updates the event
    peg = {"peg_pain": 3, "peg_enjoyment": 3, "peg_activity": 3}
    _fill(db_path, [], [{"recorded_at": "2026-03-15T08:00", "instrument": "peg", **peg}])
    assert uid not in _events(run, tmp_path / "c.ics")  # done: no event


def test_the_next_course_cuts_the_points(run: Run, clock: object, db_path: Path, tmp_path: Path) -> None:
    # course 1 Dk 2026-03-05, course 2 starts 2026-04-01: course 1 keeps days 14 and 7 (past), loses 30 on
    _fill(db_path, ["2026-03-05", "2026-04-01", "2026-04-02"])
    checkins = _checkins(_events(run, tmp_path / "r.ics"))
    assert [(day, summary.split(", ")[1]) for day, summary in checkins][:3] == [
        (date(2026, 3, 19), "day 14 after your ketamine infusion course"),
        (date(2026, 4, 9), "day 7 after your ketamine infusion course"),
        (date(2026, 4, 16), "day 14 after your ketamine infusion course"),
    ]
    assert len(checkins) == 1 + 7  # course 1: day 14; course 2: all seven points


def test_running_it_again_gives_the_same_calendar(run: Run, clock: object, db_path: Path, tmp_path: Path) -> None:
    _fill(db_path, ["2026-03-01", "2026-03-03"])
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run("remind", "--ics", str(first))
    run("remind", "--ics", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_mode & 0o777 == 0o600


def test_no_diary_no_check_ins_and_no_diary_made(run: Run, clock: object, db_path: Path, tmp_path: Path) -> None:
    assert list(_events(run, tmp_path / "r.ics")) == [DAILY]
    assert not db_path.exists()
