"""Reminders without a server: an iCalendar (RFC 5545) file a phone or desktop calendar imports.

:func:`calendar_bytes` builds the calendar with the icalendar library (imported
here, when a calendar is made, never on ``log``'s path): a daily recurring
"Log today's pain" event at a time of day, in floating local time (RFC 5545
section 3.3.5: the same wall-clock time wherever the device is), and one all-day
event for each check-in point given. Every event's UID is derived from what it
is, so a calendar made again (to another file, or with ``--force``) holds the
same events with the same UIDs, and a calendar app updates them instead of
adding copies. :func:`checkin_events` makes the check-in events: one for each
check-in point of :mod:`paindiary.followup` still to come or due now, both
instruments of a point in one event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from paindiary import analysis, followup
from paindiary.assessments import Assessment
from paindiary.checkins import CheckinPoint
from paindiary.models import Treatment

PRODID = "-//paindiary//reminders//EN"
DOMAIN = "paindiary.invalid"  # UIDs are name@domain; .invalid is reserved: it names no real host


@dataclass(frozen=True)
class CheckinEvent:
    """An all-day event for one follow-up check-in point."""

    day: str  # YYYY-MM-DD
    summary: str
    description: str
    key: str  # what makes its UID: the course, instrument and day


PENDING = ("due", "upcoming")  # the statuses a calendar reminds of
_INSTRUMENT_WORDS = {"pgic": "PGIC", "peg": "PEG"}
_HOW = {
    "pgic": "paindiary assess pgic SCORE  (1 very much improved ... 4 no change ... 7 very much worse)",
    "peg": "paindiary assess peg PAIN ENJOYMENT ACTIVITY  (each 0-10, over the past week)",
}


def checkin_events(
    treatments: Iterable[Treatment], answers: Sequence[Assessment], as_of: date, course_gap: int = 3
) -> list[CheckinEvent]:
    """An all-day event for every check-in point due or still to come on ``as_of``, in date order.

    Courses are grouped as ``analyze`` groups them (``course_gap``). The instruments of one
    point (PGIC and PEG, day N after a course) share one event, whose UID comes from the
    course's first session and the day, so it stays the same event when one is answered.
    """
    treatments = list(treatments)
    names = {
        course[0].started_at: " + ".join(dict.fromkeys(session.name for session in course))
        for course in analysis.group_courses(treatments, course_gap)
    }
    grouped: dict[tuple[int, int], list[CheckinPoint]] = {}
    for point in followup.points(treatments, answers, as_of, course_gap):
        if point.status in PENDING:
            grouped.setdefault((point.course, point.day), []).append(point)
    events = []
    for points in grouped.values():
        first = points[0]
        instruments = [point.instrument for point in points]
        what = " and ".join(_INSTRUMENT_WORDS[name] for name in instruments)
        course = names[first.first_session]
        dates = first.first_session[:10]
        if first.last_session[:10] != dates:
            dates += f" to {first.last_session[:10]}"
        description = "\n".join(
            [
                f"Follow-up check-in ({what}), day {first.day} after the last session of your {course} course "
                f"({dates}). Answers given from {first.window_start} to {first.window_end} count for it.",
                "Record them with:",
                *(f"  {_HOW[name]}" for name in instruments),
                "or answer what is due with 'paindiary assess'; 'paindiary due' lists every check-in.",
            ]
        )
        events.append(
            CheckinEvent(
                day=first.date,
                summary=f"Check-in: {what}, day {first.day} after your {course} course",
                description=description,
                key=f"{re.sub(r'[^0-9A-Za-z]', '', first.first_session)}-day{first.day}",
            )
        )
    return sorted(events, key=lambda event: (event.day, event.key))


def calendar_bytes(
    *,
    daily_at: time,
    start: date,
    until: date | None,
    stamp: datetime,
    checkins: Sequence[CheckinEvent] = (),
) -> bytes:
    """The calendar: a daily reminder at ``daily_at`` from ``start`` (to ``until``, inclusive) and the check-ins.

    ``stamp`` (the moment it is made) is every event's DTSTAMP.
    """
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "paindiary")
    stamp_utc = stamp.astimezone(timezone.utc)

    daily = Event()
    daily.add("uid", f"paindiary-daily-{daily_at:%H%M}@{DOMAIN}")
    daily.add("dtstamp", stamp_utc)
    daily.add("summary", "Log today's pain")
    daily.add("description", "paindiary log  (or: paindiary log --quick)")
    daily.add("dtstart", datetime.combine(start, daily_at))  # naive: floating local time
    daily.add("duration", timedelta(minutes=5))
    rule: dict[str, object] = {"freq": "daily"}
    if until is not None:
        rule["until"] = datetime.combine(until, daily_at)
    daily.add("rrule", rule)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Log today's pain")
    alarm.add("trigger", timedelta(0))
    daily.add_component(alarm)
    calendar.add_component(daily)

    for checkin in checkins:
        event = Event()
        event.add("uid", f"paindiary-checkin-{checkin.key}@{DOMAIN}")
        event.add("dtstamp", stamp_utc)
        event.add("summary", checkin.summary)
        event.add("description", checkin.description)
        event.add("dtstart", date.fromisoformat(checkin.day))
        event.add("dtend", date.fromisoformat(checkin.day) + timedelta(days=1))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
