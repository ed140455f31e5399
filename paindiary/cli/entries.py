"""``paindiary log`` and ``paindiary entry list|edit|delete``: the daily entries.

Kept light: importing this module (and running ``log``) never imports rich,
matplotlib or sqlite-utils.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from paindiary import diary, models
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, NoteOption
from paindiary.cli.records import add_list_and_delete
from paindiary.errors import PaindiaryError
from paindiary.models import Entry
from paindiary.store import ENTRIES

entry_app = typer.Typer(help="List, edit and delete diary entries.", no_args_is_help=True)
app.add_typer(entry_app, name="entry")

Score = Annotated[str | None, typer.Option(metavar="0-10", help="Average pain, 0-10.", show_default=False)]
Worst = Annotated[str | None, typer.Option(metavar="0-10", help="Worst pain, 0-10.", show_default=False)]
Least = Annotated[str | None, typer.Option(metavar="0-10", help="Least pain, 0-10.", show_default=False)]
Enjoyment = Annotated[
    str | None, typer.Option(metavar="0-10", help="Pain interfered with enjoyment of life, 0-10.", show_default=False)
]
Activity = Annotated[
    str | None, typer.Option(metavar="0-10", help="Pain interfered with general activity, 0-10.", show_default=False)
]
Sleep = Annotated[str | None, typer.Option(metavar="HOURS", help="Hours slept, 0-24.", show_default=False)]
SleepQuality = Annotated[
    str | None, typer.Option(metavar="0-10", help="Sleep quality, 0 very poor - 10 excellent.", show_default=False)
]
Mood = Annotated[str | None, typer.Option(metavar="0-10", help="Mood, 0 worst - 10 best.", show_default=False)]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="When: ISO date or date-time, now, today, yesterday, -3d or HH:MM.", show_default=False),
]
TagOption = Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeat for several).", show_default=False)]

# (option name people type, contract field, prompt) in the order they are asked
_PROMPTS = (
    ("pain", "pain", "Average pain 0-10"),
    ("worst", "worst_pain", "Worst pain 0-10"),
    ("least", "least_pain", "Least pain 0-10"),
    ("enjoyment", "enjoyment", "Pain interfered with enjoyment of life 0-10"),
    ("activity", "activity", "Pain interfered with general activity 0-10"),
    ("sleep", "sleep_hours", "Hours slept"),
    ("sleep-quality", "sleep_quality", "Sleep quality 0 (very poor) - 10 (excellent)"),
    ("mood", "mood", "Mood 0 (worst) - 10 (best)"),
)


def _ask_values() -> dict[str, Any]:
    """Ask for each value on the terminal; Enter skips, a bad value is asked again."""
    common.status("New entry (press Enter to skip a question).")
    values: dict[str, Any] = {}
    for _, field, question in _PROMPTS:
        while True:
            answer = typer.prompt(question, default="", show_default=False, err=True)
            try:
                value = models.number(field, answer)
            except PaindiaryError as exc:
                common.status(str(exc))
                continue
            if value is not None:
                values[field] = value
            break
    note = typer.prompt("Note", default="", show_default=False, err=True)
    tags = typer.prompt("Tags, separated by commas", default="", show_default=False, err=True)
    values["note"] = note or None
    values["tags"] = [tag.strip() for tag in tags.split(",") if tag.strip()]
    return values


def _values(*given: Any) -> dict[str, Any]:
    """Option values (in _PROMPTS order, then note and tags) keyed by contract field; unset ones dropped."""
    fields = [field for _, field, _ in _PROMPTS] + ["note", "tags"]
    return common.values_given(dict(zip(fields, given, strict=True)))


def describe(entry: Entry) -> str:
    parts = [
        f"{label} {common.num(getattr(entry, field))}"
        for label, field, _ in _PROMPTS
        if getattr(entry, field) is not None
    ]
    if entry.tags:
        parts.append("tags " + ", ".join(entry.tags))
    if entry.note:
        parts.append("a note")
    return ", ".join(parts)


@app.command()
def log(
    ctx: typer.Context,
    pain: Annotated[
        str | None, typer.Argument(metavar="PAIN", help="Average pain now/today, 0-10.", show_default=False)
    ] = None,
    at: AtOption = None,
    worst: Worst = None,
    least: Least = None,
    enjoyment: Enjoyment = None,
    activity: Activity = None,
    sleep: Sleep = None,
    sleep_quality: SleepQuality = None,
    mood: Mood = None,
    note: NoteOption = None,
    tag: TagOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Log today's pain, sleep and mood (with no values on a terminal, it asks).

    Examples: 'paindiary log 6', 'paindiary log 5 --worst 8 --least 3 --sleep 6.5 --mood 4',
    'paindiary log 4 --at yesterday --note "after a long walk" --tag walk'.
    """
    values = _values(pain, worst, least, enjoyment, activity, sleep, sleep_quality, mood, note, tag)
    if not values:
        if not common.is_interactive():
            raise typer.BadParameter("give at least one value (e.g. 'paindiary log 6 --sleep 7').", param_hint="PAIN")
        values = _ask_values()
    values["recorded_at"] = common.when_option(at, default_now=True)
    entry = ENTRIES.make(values)  # validate before the diary is opened or created
    conn, path = common.open_diary(ctx, db)
    entry = diary.add(conn, path, ENTRIES, entry)
    if as_json:
        common.print_json(entry.to_dict())
    common.status(f"Logged entry {entry.id} at {entry.recorded_at}: {describe(entry)}.")


@entry_app.command("edit")
def edit_entry(
    ctx: typer.Context,
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=common.MAX_ID, help="The entry's id (see 'entry list').")
    ],
    pain: Score = None,
    at: AtOption = None,
    worst: Worst = None,
    least: Least = None,
    enjoyment: Enjoyment = None,
    activity: Activity = None,
    sleep: Sleep = None,
    sleep_quality: SleepQuality = None,
    mood: Mood = None,
    note: NoteOption = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Replace the tags (repeat for several).")] = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help="Remove a field's value, e.g. --clear mood.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Change an entry: give only what changes.

    Examples: 'paindiary entry edit 12 --pain 5', 'paindiary entry edit 12 --clear note --tag flare'.
    """
    changes = _values(pain, worst, least, enjoyment, activity, sleep, sleep_quality, mood, note, tag)
    if at is not None:
        changes["recorded_at"] = common.when_option(at)
    conn, path = common.open_diary(ctx, db, create=False)
    entry = diary.edit(conn, path, ENTRIES, entry_id, changes, clear or [])
    common.status(f"Entry {entry.id} at {entry.recorded_at}: {describe(entry)}.")


add_list_and_delete(entry_app, ENTRIES, describe, "paindiary entry list --last 7 --json", "entry")
