"""`paindiary remind --ics FILE`: an RFC 5545 calendar a phone imports (issue 13 item 10)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from icalendar import Calendar

from tests.conftest import FIXED_NOW, Run


def events(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_a_daily_reminder_at_nine_pm_local_time(run: Run, clock: object, tmp_path: Path) -> None:
    out = tmp_path / "paindiary.ics"
    assert run("remind", "--ics", str(out)).stdout.strip() == str(out)
    assert out.stat().st_mode & 0o777 == 0o600
    (event,) = events(out).values()
    assert event["summary"] == "Log today's pain"
    start = event.decoded("dtstart")
    assert start == datetime.combine(FIXED_NOW.date(), time(21, 0)) and start.tzinfo is None  # floating local time
    assert event["rrule"]["FREQ"] == ["DAILY"] and "UNTIL" not in event["rrule"]
    assert event.walk("VALARM"), "the reminder alerts"
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_daily_time_and_until(run: Run, clock: object, tmp_path: Path) -> None:
    out = tmp_path / "r.ics"
    run("remind", "--ics", str(out), "--daily", "8:05", "--until", "2026-06-30")
    (event,) = events(out).values()
    assert event.decoded("dtstart") == datetime(2026, 3, 15, 8, 5)
    assert event["rrule"]["UNTIL"] == [datetime(2026, 6, 30, 8, 5)]
    assert date(2026, 6, 30) > FIXED_NOW.date()


def test_running_it_again_gives_the_same_events_with_the_same_uids(run: Run, clock: object, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run("remind", "--ics", str(first))
    run("remind", "--ics", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert list(events(first)) == ["paindiary-daily-2100@paindiary.invalid"]


def test_an_existing_file_is_refused_unless_force(run: Run, clock: object, tmp_path: Path, db_path: Path) -> None:
    out = tmp_path / "mine.ics"
    out.write_text("my calendar")
    assert "exists; use --force to replace it" in run("remind", "--ics", str(out), code=1).stderr
    assert out.read_text() == "my calendar"
    run("remind", "--ics", str(out), "--force")
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    run("log", "5")
    assert "is the diary" in run("remind", "--ics", str(db_path), "--force", code=1).stderr


def test_bad_times_are_usage_errors(run: Run, clock: object, tmp_path: Path) -> None:
    out = tmp_path / "r.ics"
    assert "expected a time of day as HH:MM" in run("remind", "--ics", str(out), "--daily", "25:00", code=2).stderr
    assert "is in the past" in run("remind", "--ics", str(out), "--until", "2026-03-14", code=2).stderr
    assert not out.exists()
