"""``paindiary log`` and ``paindiary entry list|edit|delete``: the daily entries.

Kept light: importing this module (and running ``log``) never imports rich,
matplotlib or sqlite-utils.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer

from paindiary import diary, models, registry
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, NoteOption
from paindiary.cli.records import add_list_and_delete
from paindiary.errors import LimitError, OrderError, PaindiaryError, ValidationError, shown
from paindiary.models import Entry
from paindiary.registry import Metric
from paindiary.store import ENTRIES

Command = TypeVar("Command", bound=Callable[..., None])

entry_app = typer.Typer(help="List, edit and delete diary entries.", no_args_is_help=True)
app.add_typer(entry_app, name="entry")

AtOption = Annotated[
    str | None,
    typer.Option("--at", help="When: ISO date or date-time, now, today, yesterday, -3d or HH:MM.", show_default=False),
]
TagOption = Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeat for several).", show_default=False)]


def _metric_parameter(metric: Metric, *, argument: bool) -> inspect.Parameter:
    """The command parameter of one metric: an option (``--least``), or ``log``'s positional argument."""
    info: object
    if argument:
        info = typer.Argument(metavar=metric.name.upper(), help=metric.argument_help, show_default=False)
    else:
        info = typer.Option(metric.flag, metavar=metric.metavar, help=metric.help, show_default=False)
    annotation = Annotated[str | None, info]
    return inspect.Parameter(metric.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)


def with_metrics(*, argument: bool) -> Callable[[Command], Command]:
    """Give a command one parameter per metric of the registry, taken in as ``**metrics``.

    The first metric comes before ``--at`` (as ``log``'s positional argument when ``argument``),
    the others after it; Typer reads the signature built here.
    """

    def decorate(command: Command) -> Command:
        params = [
            p for p in inspect.signature(command, eval_str=True).parameters.values() if p.kind is not p.VAR_KEYWORD
        ]
        at = next(i for i, p in enumerate(params) if p.name == "at")
        lead, *rest = (
            _metric_parameter(metric, argument=argument and metric.argument_help is not None)
            for metric in registry.METRICS
        )
        params = [*params[:at], lead, params[at], *rest, *params[at + 1 :]]
        command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]
        )
        return command

    return decorate


def _ask_values(given: dict[str, Any], *, quick: bool) -> dict[str, Any]:
    """Ask on the terminal for each value not given (only the quick ones with ``quick``); Enter skips one.

    Every answer is checked as soon as it is typed, against its range and against the
    answers given so far (least <= average <= worst): a problem asks that question again,
    saying why, so no answer is lost. Ctrl-C stores nothing and exits with status 130.
    """
    common.status("New entry (press Enter to skip a question, Ctrl-C to stop without saving).")
    values = dict(given)
    try:
        for metric in registry.METRICS:
            if metric.name in values or (quick and not metric.quick):
                continue
            while True:
                answer = typer.prompt(metric.prompt, default="", show_default=False, err=True)
                try:
                    value = models.number(metric.name, answer)
                    if value is not None:
                        models.check_order(models.ENTRY_RULES, {**values, metric.name: value})
                except PaindiaryError as exc:
                    common.status(_in_flags(exc))
                    continue
                if value is not None:
                    values[metric.name] = value
                break
        if not quick and "note" not in values:
            values["note"] = typer.prompt("Note", default="", show_default=False, err=True) or None
        if not quick and "tags" not in values:
            tags = typer.prompt("Tags, separated by commas", default="", show_default=False, err=True)
            values["tags"] = [tag.strip() for tag in tags.split(",") if tag.strip()]
    except typer.Abort:  # Ctrl-C (or the end of input) at a prompt
        common.status("Interrupted; nothing was stored.")
        raise typer.Exit(130) from None
    return values


def _side(name: str) -> str:
    """How a message names a value of the entry: the flag people type, or the average pain (log's argument)."""
    metric = next((m for m in registry.METRICS if m.name == name), None)
    if metric is None:
        return name
    return f"the {metric.label.lower()}" if metric.argument_help is not None else metric.flag


def _in_flags(exc: PaindiaryError) -> str:
    """An error about an entry's values, in the words people typed: flags, not column names."""
    if isinstance(exc, OrderError):
        low, high = _side(exc.low), _side(exc.high)
        return f"{low} ({common.num(exc.low_value)}) cannot be above {high} ({common.num(exc.high_value)})."
    if isinstance(exc, ValidationError) and not isinstance(exc, LimitError):
        metric = next((m for m in registry.METRICS if m.name == exc.field), None)
        if metric is not None and metric.argument_help is None:
            return f"{metric.flag}: {shown(exc.value)} is not valid; expected {exc.accepted}."
    return str(exc)


@contextmanager
def _flag_errors() -> Iterator[None]:
    """Errors about the values of ``log`` and ``entry edit`` said with the flags people typed."""
    try:
        yield
    except (OrderError, ValidationError) as exc:
        raise PaindiaryError(_in_flags(exc)) from None


def _values(metrics: Mapping[str, str | None], note: str | None, tags: list[str] | None) -> dict[str, Any]:
    """The values given, keyed by contract field; unset ones dropped."""
    return common.values_given({**{m.name: metrics[m.name] for m in registry.METRICS}, "note": note, "tags": tags})


def describe(entry: Entry) -> str:
    parts = [
        f"{metric.option} {common.num(getattr(entry, metric.name))}"
        for metric in registry.METRICS
        if getattr(entry, metric.name) is not None
    ]
    if entry.tags:
        parts.append("tags " + ", ".join(entry.tags))
    if entry.note:
        parts.append("a note")
    return ", ".join(parts)


@app.command()
@with_metrics(argument=True)
def log(
    ctx: typer.Context,
    at: AtOption = None,
    note: NoteOption = None,
    tag: TagOption = None,
    quick: Annotated[bool, typer.Option("--quick", help="Ask only pain, sleep hours and mood.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
    **metrics: str | None,
) -> None:
    """Log today's pain, sleep and mood (with no scores on a terminal, it asks).

    Examples: 'paindiary log 6', 'paindiary log 5 --worst 8 --least 3 --sleep 6.5 --mood 4',
    'paindiary log 4 --at yesterday --note "after a long walk" --tag walk', 'paindiary log --quick'.
    """
    values = _values(metrics, note, tag)
    scores = any(metric.name in values for metric in registry.METRICS)
    if quick and not common.is_interactive():
        raise typer.BadParameter("--quick asks questions, so it needs a terminal.", param_hint="--quick")
    if not scores and common.is_interactive():
        values = _ask_values(values, quick=quick)
    elif not values:
        raise typer.BadParameter("give at least one value (e.g. 'paindiary log 6 --sleep 7').", param_hint="PAIN")
    values["recorded_at"] = common.when_option(at, default_now=True)
    with _flag_errors():
        entry = ENTRIES.make(values)  # validate before the diary is opened or created
    with common.open_diary(ctx, db) as handle:
        entry = diary.add(handle, ENTRIES, entry, next_free_second=at is None)
        checkin = common.is_interactive() and _checkin_due(handle)
    if as_json:
        common.print_json(entry.to_dict())
    common.status(f"Logged entry {entry.id} at {entry.recorded_at}: {describe(entry)}.")
    if checkin:
        common.status("A check-in is due: paindiary assess")


def _checkin_due(handle: Any) -> bool:
    """Is a follow-up check-in due today? (Asked only on a terminal: scripts keep log's fast path.)"""
    from paindiary.cli.due import due_today

    return bool(due_today(handle, common.now().date()))


@entry_app.command("edit")
@with_metrics(argument=False)
def edit_entry(
    ctx: typer.Context,
    entry_ref: Annotated[str, common.id_argument("entry", "entry")],
    at: AtOption = None,
    note: NoteOption = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Replace the tags (repeat for several).")] = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help="Remove a field's value, e.g. --clear mood.")
    ] = None,
    db: DbOption = None,
    **metrics: str | None,
) -> None:
    """Change an entry: give only what changes.

    Examples: 'paindiary entry edit 12 --pain 5', 'paindiary entry edit last --clear note --tag flare'.
    """
    changes = _values(metrics, note, tag)
    if at is not None:
        changes["recorded_at"] = common.when_option(at)
    parsed = common.parse_id(entry_ref)
    with common.open_diary(ctx, db, create=False) as handle, _flag_errors():
        entry = diary.edit(handle, ENTRIES, common.resolve_id(handle, ENTRIES, parsed), changes, clear or [])
    common.status(f"Entry {entry.id} at {entry.recorded_at}: {describe(entry)}.")


add_list_and_delete(entry_app, ENTRIES, describe, "paindiary entry list --last 7 --json", "entry")
