"""``paindiary remind``: reminders as an iCalendar file (the work is :mod:`paindiary.reminders`)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated

import typer

from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, ForceOption

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@app.command()
def remind(
    ctx: typer.Context,
    ics: Annotated[Path, typer.Option("--ics", help="Calendar file to write (.ics, 0600); see --force.")],
    daily: Annotated[str, typer.Option("--daily", help="Time of the daily reminder, HH:MM (local).")] = "21:00",
    until: Annotated[
        str | None,
        typer.Option("--until", help="Last day of the daily reminder (default: no end).", show_default=False),
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Write reminders as an iCalendar file that a phone or desktop calendar imports.

    A daily "Log today's pain" event at --daily (local time wherever the device is), and
    an all-day event for each follow-up check-in (PGIC and PEG) due now or still to come
    after your treatment courses (as 'paindiary due' lists them). Running it again gives
    the same events with the same ids, so a calendar updates them rather than adding copies.
    Examples: 'paindiary remind --ics paindiary.ics',
    'paindiary remind --ics evening.ics --daily 20:30 --until 2027-06-30'.
    """
    from paindiary import reminders
    from paindiary.files import write_private

    clock = _CLOCK.fullmatch(daily.strip())
    if clock is None:
        raise typer.BadParameter(f"{daily[:80]!r}: expected a time of day as HH:MM, e.g. 21:00.", param_hint="--daily")
    now = common.now()
    last = common.day_option(until, "--until")
    if last is not None and last < now.date().isoformat():
        raise typer.BadParameter(f"{last} is in the past; give today or a later day.", param_hint="--until")
    checkins: list[reminders.CheckinEvent] = []
    if common.diary_path(ctx, db).exists():  # no diary yet: the daily reminder alone
        from paindiary import store

        with common.open_diary(ctx, db, create=False) as handle:
            treatments = store.select(handle.conn, store.TREATMENTS)
            answers = store.select(handle.conn, store.ASSESSMENTS)
        checkins = reminders.checkin_events(treatments, answers, now.date())
    data = reminders.calendar_bytes(
        daily_at=time(int(clock[1]), int(clock[2])),
        start=now.date(),
        until=None if last is None else now.date().fromisoformat(last),
        stamp=now.astimezone(),
        checkins=checkins,
    )
    write_private(ics, data, force=force, protect=common.diary_path(ctx, db))
    common.echo_path(ics)
