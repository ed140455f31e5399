"""Helpers shared by the command modules: the app's state, the diary option, the clock, output.

The global options live in an :class:`AppState` in ``ctx.obj`` (read with
:func:`app_state`). Commands get their diary from :func:`open_diary` (which
calls the one :func:`paindiary.db.open_db`) as ``with common.open_diary(...)
as handle:``, so the connection is closed when the command ends, and read the
clock through :func:`now`, so tests can replace both.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from paindiary import db, when
from paindiary.console import safe
from paindiary.plaintext import JSON_ESCAPES

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Diary file (overrides the global --db and $PAINDIARY_DB).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this day or time (inclusive).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this day or time (inclusive).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Free-text note.")]
MAX_ID = 2**63 - 1  # the largest id SQLite gives a record
MAX_LAST = 1_000_000_000  # --last N
LAST = "last"  # an ID argument may name the most recently recorded row of its kind


def settle_heap() -> None:
    """Keep Python's cycle collector off everything this process holds so far: modules, classes, records read.

    They live until the process ends, yet each full collection walked them all again (a report spent
    about 0.25 s of its 2 s collecting, most of it in matplotlib's modules). ``gc.freeze`` moves them out
    of its reach; what is made afterwards (figures, pages) is collected in larger batches
    (:data:`YOUNG_BATCH` new objects, not 700: a report then spends about 5 ms collecting, not 0.1 s, with
    the same peak memory: what a command makes mostly lives until it ends).
    :func:`paindiary.cli.main` calls it once the CLI is imported, and the drawing commands again once
    matplotlib is.
    """
    import gc

    gc.freeze()
    gc.set_threshold(YOUNG_BATCH, *gc.get_threshold()[1:])


YOUNG_BATCH = 200_000  # new container objects between two collections of the youngest generation


def id_argument(label: str, noun: str) -> Any:
    """The ID argument of edit and delete: a record id, or ``last`` for the most recently recorded one."""
    return typer.Argument(metavar="ID", help=f"The {label}'s id (see '{noun} list'), or 'last': the one recorded last.")


def parse_id(value: str) -> int | None:
    """An ID argument: a whole number 1 to :data:`MAX_ID`, or ``None`` for ``last``; else a usage error (exit 2)."""
    text = value.strip().lower()
    if text == LAST:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 19 or not 1 <= int(text) <= MAX_ID:
        shown = safe(value[:80], markup=False)
        raise typer.BadParameter(f"{shown!r}: expected a record id (1 or more) or 'last'.", param_hint="ID")
    return int(text)


def resolve_id(handle: db.Diary, kind: Any, parsed: int | None) -> int:
    """The id :func:`parse_id` named: itself, or for ``last`` the most recently recorded row of ``kind``."""
    if parsed is not None:
        return parsed
    from paindiary import store
    from paindiary.errors import NotFoundError

    newest = store.last_id(handle.conn, kind)
    if newest is None:
        raise NotFoundError(f"No {kind.name} yet, so there is no last one.")
    return newest


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace the output file if it exists (a symlink itself, never its target; never the diary)."
    ),
]


@dataclass(frozen=True)
class AppState:
    """What the global options say, for every command: ``--db`` (None: the default diary)."""

    db: Path | None = None


def app_state(ctx: typer.Context) -> AppState:
    """The :class:`AppState` the main callback put in the root context (defaults if none)."""
    state = ctx.find_root().obj
    return state if isinstance(state, AppState) else AppState()


def now() -> datetime:
    """The local wall-clock time, read once per command at the edge."""
    return datetime.now()


def is_interactive() -> bool:
    """True when a person is at the keyboard (stdin is a terminal)."""
    return sys.stdin.isatty()


def diary_path(ctx: typer.Context, db_option: Path | None) -> Path:
    """The diary path: the command's --db, else the global --db, else the default."""
    if db_option is None:
        db_option = app_state(ctx).db
    return db.resolve_path(db_option)


def open_diary(ctx: typer.Context, db_option: Path | None, *, create: bool = True) -> db.Diary:
    """The command's diary, opened (and upgraded, saying so): use it as ``with open_diary(...) as handle:``."""
    return db.open_db(diary_path(ctx, db_option), create=create, on_backup=upgrade_notice)


def upgrade_notice(copy: Path) -> None:
    """Said when a diary is upgraded to a new schema: where the copy of the old one is."""
    status(f"Upgrading the diary to this paindiary's format; the diary as it was is saved in {copy}.")


def when_option(value: str | None, field: str = "--at", *, default_now: bool = False) -> str | None:
    """A WHEN option's canonical time (``None`` if not given, unless ``default_now``).

    ``--at``, the time of a record, may not lie in the future (see :func:`paindiary.when.not_future`);
    ``--since`` and ``--until`` select and may.
    """
    if value is None:
        return when.now_stamp(now()) if default_now else None
    clock = now()
    stamp = when.parse_when(value, clock, field)
    return when.not_future(stamp, clock, field, value) if field == "--at" else stamp


def until_today(until: str | None, *record_lists: Sequence[Any]) -> str | None:
    """A default period's last day: ``until`` if given, else today when a record lies after today.

    (Records in the future can only come from before paindiary refused them, or from an
    import; a default period never stretches to them.)
    """
    if until is not None:
        return until
    from paindiary import models

    latest = []
    for records in record_lists:  # chronological: the last is the latest
        record = records[-1] if records else None
        latest.append(next((getattr(record, name) for name in models.TIME_FIELDS if hasattr(record, name)), ""))
    return until_today_of(until, latest)


def until_today_of(until: str | None, latest: Sequence[str]) -> str | None:
    """:func:`until_today` from the latest time of each kind of record."""
    if until is not None:
        return until
    today = now().date().isoformat()
    return today if any(stamp[:10] > today for stamp in latest) else None


def day_option(value: str | None, option: str) -> str | None:
    """A WHEN option reduced to its day (``YYYY-MM-DD``), for options that select days."""
    stamp = when_option(value, option)
    return None if stamp is None else stamp[:10]


def print_json(data: Any) -> None:
    """``--json`` output: UTF-8, the characters a terminal could act on escaped (the same JSON)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2).translate(JSON_ESCAPES) + "\n")


def status(message: str) -> None:
    """A short status line for people: on stderr, so stdout stays data (stored text made :func:`safe`).

    On a terminal, a line longer than the terminal is wrapped between words (a pipe gets it whole).
    """
    text = safe(message, markup=False)
    if sys.stderr.isatty():
        import shutil
        import textwrap

        width = shutil.get_terminal_size().columns
        text = "\n".join(
            "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)) or line
            for line in text.split("\n")
        )
    sys.stderr.write(text + "\n")


def echo_path(path: object) -> None:
    """A path written by a command, on stdout for scripts (made :func:`safe` for the terminal)."""
    typer.echo(safe(path, markup=False))


def num(value: float | None) -> str | None:
    """A number as people write it: 7 rather than 7.0, 0.5, at most 6 decimals (1e-320 is 0)."""
    if value is None:
        return None
    if abs(value) >= 1e15:
        return f"{value:g}"
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def confirm_delete(noun: str, record_id: int, description: str, yes: bool) -> None:
    """Ask before deleting on a terminal; without one, ``--yes`` is required."""
    if yes:
        return
    if not is_interactive():
        raise typer.BadParameter("refusing to delete without a terminal; add --yes to confirm.", param_hint="--yes")
    if not typer.confirm(safe(f"Delete {noun} {record_id} ({description})?", markup=False), default=False, err=True):
        status("Nothing deleted.")
        raise typer.Exit(1)


def values_given(values: dict[str, Any]) -> dict[str, Any]:
    """Drop options that were not given (None / empty lists)."""
    return {key: value for key, value in values.items() if value is not None and value != []}
