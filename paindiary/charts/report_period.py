"""The report's period, and the part of a diary a report of it reads.

:func:`default_period` is six months up to the latest record (or what ``--since``,
``--until`` and ``--all`` say). A report of a long diary does not need all of it:
:func:`part_for_report` keeps the entries and doses from :data:`LOOKBACK_DAYS` before
the period on, every session, and a :class:`~paindiary.charts.data.DiarySpan` saying
what that part cannot tell about the whole diary (its first day, each drug's first
dose). The report made from the part is the report made from the whole diary, byte
for byte (tests/test_report_period.py); on ten years of entries it is about 0.1 s quicker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from paindiary import regimen
from paindiary.charts.data import COURSE_BEFORE_DAYS, ROLLING_DAYS, DiarySpan, day_add
from paindiary.measures import Measurement
from paindiary.models import Entry, Medication, Treatment

DEFAULT_MONTHS = 6
# How far before the period a report looks: a course's baseline window (7 days before its first
# session, analysis.course_windows), the course view's days before a course's last session
# (COURSE_BEFORE_DAYS) and the 7-day mean at the period's first days (ROLLING_DAYS - 1) reach no
# further back than the longest of them; twice that, to spare a boundary.
LOOKBACK_DAYS = 2 * max(COURSE_BEFORE_DAYS, ROLLING_DAYS)

Records = tuple[list[Entry], list[Treatment], list[Medication]]


def months_before(day: str, months: int) -> str:
    """The day after the same calendar day ``months`` earlier (clamped to month ends): a span of ``months``."""
    d = date.fromisoformat(day)
    index = d.year * 12 + d.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last_of_month = (following - timedelta(days=1)).day
    return (date(year, month + 1, min(d.day, last_of_month)) + timedelta(days=1)).isoformat()


def default_period(
    entries: Sequence[Entry],
    treatments: Sequence[Treatment],
    medications: Sequence[Medication],
    *,
    since: str | None = None,
    until: str | None = None,
    everything: bool = False,
    measurements: Sequence[Measurement] = (),
) -> tuple[str | None, str | None]:
    """The report's period: ``--all`` the whole diary, else 6 months up to ``until`` (default: the latest record).

    Measurements are records too: the latest may be a day measured by a phone or watch.
    """
    if everything:
        return None, None
    stamps: list[str] = []
    if until is None:  # (the latest record's day ends the period)
        stamps = [e.recorded_at for e in entries] + [t.started_at for t in treatments]
        stamps += [m.taken_at for m in medications] + [m.day for m in measurements]
    return period_from(stamps, since=since, until=until)


def period_from(
    latest: Sequence[str], *, since: str | None = None, until: str | None = None
) -> tuple[str | None, str | None]:
    """:func:`default_period` from the records' times (the latest of each kind is enough)."""
    if until is None:
        if not latest:
            return since, None
        until = max(latest)
    end = until[:10]
    return (since[:10] if since else months_before(end, DEFAULT_MONTHS)), end


def lookback(since: str) -> str:
    """The first day whose entries and doses a report of the period from ``since`` reads."""
    return day_add(since[:10], -LOOKBACK_DAYS)


def part_for_report(
    records: Records, since: str | None, measurements: Sequence[Measurement] = ()
) -> tuple[Records, DiarySpan | None]:
    """The records a report of the period from ``since`` reads, and what they cannot tell about the whole diary.

    Entries and doses from :data:`LOOKBACK_DAYS` before ``since`` on, and every session
    (courses are numbered, and their windows drawn, from all of them). Without ``since``
    (``--all``), or when nothing is left out, the records as they are and no span.
    """
    entries, treatments, medications = records
    if since is None:
        return records, None
    first = lookback(since)
    kept_entries = [e for e in entries if e.recorded_at[:10] >= first]
    kept_doses = [m for m in medications if m.taken_at[:10] >= first]
    if len(kept_entries) == len(entries) and len(kept_doses) == len(medications):
        return records, None
    # (each list is chronological: its first and last records are its extremes)
    days = [e.recorded_at[:10] for e in (entries[0], entries[-1])] if entries else []
    days += [t.started_at[:10] for t in treatments[:1] + treatments[-1:]]
    days += [m.taken_at[:10] for m in medications[:1] + medications[-1:]]
    days += [m.day for m in (measurements[0], measurements[-1])] if measurements else []
    span = DiarySpan(first=min(days), last=max(days), first_doses=regimen.first_doses(medications))
    return (kept_entries, treatments, kept_doses), span
