"""Reminders without a server: an iCalendar (RFC 5545) file a phone or desktop calendar imports.

:func:`calendar_bytes` builds the calendar with the icalendar library (imported
here, when a calendar is made, never on ``log``'s path): a daily recurring
"Log today's pain" event at a time of day, in floating local time (RFC 5545
section 3.3.5: the same wall-clock time wherever the device is), and one all-day
event for each check-in point given. Every event's UID is derived from what it
is, so a calendar made again (to another file, or with ``--force``) holds the
same events with the same UIDs, and a calendar app updates them instead of
adding copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

PRODID = "-//paindiary//reminders//EN"
DOMAIN = "paindiary.invalid"  # UIDs are name@domain; .invalid is reserved: it names no real host


@dataclass(frozen=True)
class CheckinEvent:
    """An all-day event for one follow-up check-in point."""

    day: str  # YYYY-MM-DD
    summary: str
    description: str
    key: str  # what makes its UID: the course, instrument and day


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
