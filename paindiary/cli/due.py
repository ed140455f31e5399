"""``paindiary due``: the follow-up check-ins of each treatment course, and which are due, overdue or next.

The points and their statuses are :func:`paindiary.followup.points` (courses grouped
as ``analyze`` groups them, ``--course-gap``); this module only renders them, with the
command that records each. ``paindiary assess`` and ``paindiary today`` say the same
things through :func:`nothing_due` and :func:`command_for`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from paindiary.cli import common
from paindiary.cli.analysis import CourseGap
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption

if TYPE_CHECKING:
    from paindiary.checkins import CheckinPoint
    from paindiary.db import Diary

COMMANDS = {"pgic": "paindiary assess pgic SCORE", "peg": "paindiary assess peg PAIN ENJOYMENT ACTIVITY"}
NO_COURSE = "No treatment course yet, so no check-in is due; sessions are recorded with 'paindiary treatment add'."

__all__ = ["CourseGap", "command_for", "due", "due_today", "next_upcoming", "nothing_due"]


def due_today(handle: Diary, day: date, course_gap: int = 3) -> list[CheckinPoint]:
    """The check-in points due on ``day`` in the open diary (for ``today`` and ``log``)."""
    from paindiary import followup, store

    treatments = store.select(handle.conn, store.TREATMENTS)
    if not treatments:
        return []
    answers = store.select(handle.conn, store.ASSESSMENTS)
    return followup.due_now(followup.points(treatments, answers, day, course_gap))


def command_for(point: CheckinPoint) -> str:
    """The command that records ``point``'s instrument."""
    return COMMANDS[point.instrument]


def _what(point: CheckinPoint) -> str:
    return f"{point.instrument.upper()}, day {point.day} after course {point.course}"


def next_upcoming(points: Sequence[CheckinPoint]) -> CheckinPoint | None:
    """The upcoming point whose window opens first (in point order on a tie), or ``None``."""
    upcoming = [point for point in points if point.status == "upcoming"]
    return min(upcoming, key=lambda point: point.window_start, default=None)


def _next_line(point: CheckinPoint) -> str:
    return f"Next: {_what(point)}, {point.window_start} to {point.window_end}:\n    {command_for(point)}"


def nothing_due(points: Sequence[CheckinPoint]) -> str:
    """What to say when no check-in is due today: when the next one is, or that there is no course."""
    if not points:
        return NO_COURSE
    upcoming = next_upcoming(points)
    tail = "and none is coming: every check-in point has passed." if upcoming is None else _next_line(upcoming)
    return f"No check-in is due today. {tail}"


@app.command()
def due(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge on this day (default: today).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
    course_gap: CourseGap = 3,
    db: DbOption = None,
) -> None:
    """Which follow-up check-ins (PGIC, PEG; days 7 to 365 after a course) are due, overdue or next.

    Examples: 'paindiary due', 'paindiary due --json', 'paindiary due --as-of 2026-04-01'.
    """
    from paindiary import followup, store

    day = common.day_option(as_of, "--as-of")
    today = common.now().date() if day is None else date.fromisoformat(day)
    with common.open_diary(ctx, db, create=False) as handle:
        treatments = store.select(handle.conn, store.TREATMENTS)
        points = followup.points(treatments, store.select(handle.conn, store.ASSESSMENTS), today, course_gap)
    if as_json:
        common.print_json([point.to_dict() for point in points])
        return
    if not points:
        typer.echo(NO_COURSE)
        return
    latest = max(point.course for point in points)
    due_now = followup.due_now(points)
    overdue = [point for point in points if point.status == "overdue" and point.course == latest]
    last = max(point.last_session for point in points)[:10]
    lines = [f"Check-ins as of {today.isoformat()} (course {latest}: last session {last}):"]
    lines += [f"  Due now: {_what(p)}, until {p.window_end}:\n    {command_for(p)}" for p in due_now]
    lines += [
        f"  Overdue: {_what(p)}, window {p.window_start} to {p.window_end}:\n    {command_for(p)} --at DAY"
        for p in overdue
    ]
    if not due_now and not overdue:
        lines.append("  Nothing is due.")
    upcoming = next_upcoming(points)
    lines.append("  " + (_next_line(upcoming) if upcoming is not None else "No check-in is coming."))
    typer.echo("\n".join(lines))
