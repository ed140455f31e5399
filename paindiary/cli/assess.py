"""``paindiary assess``: follow-up check-ins after a treatment course (PGIC, past-week PEG).

``assess pgic SCORE`` and ``assess peg PAIN ENJOYMENT ACTIVITY`` record one answer;
``assess`` alone, on a terminal, asks the check-ins that are due today (see
``paindiary due``, :mod:`paindiary.cli.due`); ``assess list|edit|delete`` work as for
the other kinds. Validation is :func:`paindiary.assessments.make_assessment`; errors
name what the person typed (``SCORE``, ``--pain``), never stored text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from paindiary import assessments, diary, store
from paindiary.assessments import PEG_FIELDS, PEG_QUESTIONS, PGIC_LABELS, PGIC_QUESTION, Assessment
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, NoteOption
from paindiary.cli.due import CourseGap
from paindiary.cli.records import add_list_and_delete
from paindiary.errors import ConflictError, LimitError, PaindiaryError, ValidationError, shown
from paindiary.store import ASSESSMENTS

assess_app = typer.Typer(
    help="Follow-up check-ins after a treatment course: PGIC and past-week PEG (alone: asks what is due).",
    invoke_without_command=True,
)
app.add_typer(assess_app, name="assess")

AtOption = Annotated[
    str | None,
    typer.Option("--at", help="When: ISO date or date-time, now (default), today, yesterday, -3d or HH:MM.",
                 show_default=False),
]  # fmt: skip
Item = Annotated[str | None, typer.Option(show_default=False)]
ASK_HINT = "give the answers: 'paindiary assess pgic SCORE' or 'paindiary assess peg PAIN ENJOYMENT ACTIVITY'"


def describe(answer: Assessment) -> str:
    """One answer in words: ``PGIC 2 (much improved)`` or ``PEG score 5.33 (pain 6, enjoyment 5, activity 5)``."""
    if answer.instrument == "pgic":
        text = f"PGIC {answer.pgic} ({answer.label})"
    else:
        items = ", ".join(
            f"{word} {common.num(getattr(answer, name))}"
            for word, name in zip(("pain", "enjoyment", "activity"), PEG_FIELDS, strict=True)
        )
        text = f"PEG score {common.num(answer.score)} ({items})"
    return text + (", a note" if answer.note else "")


@contextmanager
def _in_words(names: dict[str, str]) -> Iterator[None]:
    """Errors about a field said with what the person typed: ``SCORE (8) is not valid; ...``."""
    try:
        yield
    except ValidationError as exc:
        if isinstance(exc, LimitError) or exc.field not in names:
            raise
        value = str(exc.value)
        value = value if len(value) <= 80 else value[:79] + "…"
        raise PaindiaryError(f"{names[exc.field]} ({value}) is not valid; expected {exc.accepted}.") from None


ARGUMENTS = {"pgic": "SCORE", "peg_pain": "PAIN", "peg_enjoyment": "ENJOYMENT", "peg_activity": "ACTIVITY"}
FLAGS = {"pgic": "--pgic", "peg_pain": "--pain", "peg_enjoyment": "--enjoyment", "peg_activity": "--activity"}


def _store(ctx: typer.Context, db: Path | None, values: dict[str, Any], at: str | None, as_json: bool) -> None:
    """Validate ``values`` (before the diary is opened), store them, and confirm in one line."""
    values["recorded_at"] = common.when_option(at, default_now=True)
    with _in_words(ARGUMENTS):
        answer = ASSESSMENTS.make(common.values_given(values))
    with common.open_diary(ctx, db) as handle:
        answer = _add(handle, answer, next_free_second=at is None)
    if as_json:
        common.print_json(answer.to_dict())
    common.status(f"Recorded assessment {answer.id} at {answer.recorded_at}: {describe(answer)}.")


def _add(handle: Any, answer: Assessment, *, next_free_second: bool) -> Assessment:
    """:func:`diary.add`, with a duplicate said in the words of this command."""
    try:
        return diary.add(handle, ASSESSMENTS, answer, next_free_second=next_free_second)
    except ConflictError:
        existing = store.find_by_key(handle.conn, ASSESSMENTS, answer)
        raise PaindiaryError(
            f"A {answer.instrument.upper()} answer is already recorded at {answer.recorded_at} (id {existing}); "
            f"change it with 'paindiary assess edit {existing} ...', remove it with "
            f"'paindiary assess delete {existing}', or give another time with --at."
        ) from None


def _ask(prompt: str, field: str, *, skip_hint: bool = True) -> Any:
    """Ask one value until it is valid; Enter gives ``None``. Ctrl-C is left to the caller."""
    while True:
        answer = typer.prompt(prompt, default="", show_default=False, err=True)
        try:
            return assessments.VALIDATORS[field](answer)
        except ValidationError as exc:
            value = answer if len(answer) <= 80 else answer[:79] + "…"
            common.status(f"{shown(value)} is not valid; expected {exc.accepted}.")


def ask_pgic() -> dict[str, Any] | None:
    """The PGIC question and its seven answers; the answer, or ``None`` when skipped."""
    common.status(PGIC_QUESTION)
    for value, label in PGIC_LABELS.items():
        common.status(f"  {value} {label}")
    score = _ask("PGIC 1-7 (Enter skips)", "pgic")
    return None if score is None else {"instrument": "pgic", "pgic": score}


def ask_peg() -> dict[str, Any] | None:
    """The three PEG questions; the answers, or ``None`` when the first is skipped."""
    values: dict[str, Any] = {"instrument": "peg"}
    for index, field in enumerate(PEG_FIELDS):
        while True:
            value = _ask(PEG_QUESTIONS[field] + (" (Enter skips the PEG)" if index == 0 else ""), field)
            if value is not None or index == 0:
                break
            common.status("The PEG needs all three answers (Enter at its first question skips it).")
        if value is None:
            return None
        values[field] = value
    return values


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C (or the end of input) at a prompt: nothing stored, exit status 130."""
    try:
        yield
    except typer.Abort:
        common.status("Interrupted; nothing was stored.")
        raise typer.Exit(130) from None


@assess_app.callback()
def assess(ctx: typer.Context, course_gap: CourseGap = 3, db: DbOption = None) -> None:
    """Record a check-in after a treatment course; alone, on a terminal, asks those due today.

    Examples: 'paindiary assess' (asks), 'paindiary assess pgic 2', 'paindiary assess peg 6 5 4',
    'paindiary assess list'. See what is due with 'paindiary due'.
    """
    if ctx.invoked_subcommand is not None:
        if db is not None:  # 'assess --db FILE list': the group's --db holds for its commands
            ctx.find_root().obj = common.AppState(db=db)
        return
    if not common.is_interactive():
        raise typer.BadParameter(f"asking needs a terminal; {ASK_HINT}.", param_hint="assess")
    from paindiary import followup

    today = common.now().date()
    with common.open_diary(ctx, db, create=False) as handle:
        treatments = store.select(handle.conn, store.TREATMENTS)
        points = followup.points(treatments, store.select(handle.conn, ASSESSMENTS), today, course_gap)
        due = followup.due_now(points)
        if not due:
            from paindiary.cli.due import nothing_due

            common.status(nothing_due(points))
            return
        for point in due:
            common.status(f"Due today: {point.instrument.upper()}, day {point.day} after course {point.course} "
                          f"(last session {point.last_session[:10]}), until {point.window_end}.")  # fmt: skip
        asked = [name for name in assessments.INSTRUMENTS if any(point.instrument == name for point in due)]
        common.status("Check-in (press Enter to skip a question, Ctrl-C to stop without saving).")
        with _interruptible():
            answers = [answer for name in asked if (answer := (ask_pgic if name == "pgic" else ask_peg)()) is not None]
        if not answers:
            common.status("Nothing was stored (every question skipped).")
            return
        stamp = common.when_option(None, default_now=True)
        records = [ASSESSMENTS.make({**values, "recorded_at": stamp}) for values in answers]
        for record in records:
            record = _add(handle, record, next_free_second=True)
            common.status(f"Recorded assessment {record.id} at {record.recorded_at}: {describe(record)}.")


@assess_app.command("pgic")
def pgic(
    ctx: typer.Context,
    score: Annotated[
        str | None,
        typer.Argument(
            metavar="SCORE",
            help="1 very much improved, 2 much improved, 3 minimally improved, "
            "4 no change, 5 minimally worse, 6 much worse, 7 very much worse.",
            show_default=False,
        ),
    ] = None,
    at: AtOption = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record a PGIC (Patient Global Impression of Change), 1-7; without SCORE on a terminal, asks.

    Examples: 'paindiary assess pgic 2', 'paindiary assess pgic 4 --at yesterday --note "hard week"'.
    """
    if score is None:
        if not common.is_interactive():
            raise typer.BadParameter("give the score, 1-7 (e.g. 'paindiary assess pgic 2').", param_hint="SCORE")
        with _interruptible():
            values = ask_pgic()
        if values is None:
            common.status("Nothing was stored.")
            raise typer.Exit(1)
    else:
        values = {"instrument": "pgic", "pgic": score}
    _store(ctx, db, {**values, "note": note}, at, as_json)


@assess_app.command("peg")
def peg(
    ctx: typer.Context,
    pain: Annotated[
        str | None, typer.Argument(metavar="PAIN", help="Average pain in the past week, 0-10.", show_default=False)
    ] = None,
    enjoyment: Annotated[
        str | None,
        typer.Argument(
            metavar="ENJOYMENT", help="How much pain interfered with enjoyment of life, 0-10.", show_default=False
        ),
    ] = None,
    activity: Annotated[
        str | None,
        typer.Argument(
            metavar="ACTIVITY", help="How much pain interfered with general activity, 0-10.", show_default=False
        ),
    ] = None,
    at: AtOption = None,
    note: NoteOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record a PEG over the past week: pain, enjoyment and activity, each 0-10 (its score is their mean).

    Examples: 'paindiary assess peg 6 5 4', 'paindiary assess peg 5,5 4 4 --at 2026-03-20'.
    Without the three values on a terminal, asks.
    """
    given = [pain, enjoyment, activity]
    if None in given:
        if any(value is not None for value in given) or not common.is_interactive():
            raise typer.BadParameter(
                "give all three, each 0-10 (e.g. 'paindiary assess peg 6 5 4').", param_hint="PAIN ENJOYMENT ACTIVITY"
            )
        with _interruptible():
            values = ask_peg()
        if values is None:
            common.status("Nothing was stored.")
            raise typer.Exit(1)
    else:
        values = {"instrument": "peg", **dict(zip(PEG_FIELDS, given, strict=True))}
    _store(ctx, db, {**values, "note": note}, at, as_json)


@assess_app.command("edit")
def edit(
    ctx: typer.Context,
    answer_ref: Annotated[str, common.id_argument("assessment", "assess")],
    at: Annotated[str | None, typer.Option("--at", help="New time.", show_default=False)] = None,
    pgic: Annotated[str | None, typer.Option("--pgic", help="New PGIC answer, 1-7.", show_default=False)] = None,
    pain: Annotated[str | None, typer.Option("--pain", help="New PEG pain, 0-10.", show_default=False)] = None,
    enjoyment: Annotated[
        str | None, typer.Option("--enjoyment", help="New PEG enjoyment, 0-10.", show_default=False)
    ] = None,
    activity: Annotated[
        str | None, typer.Option("--activity", help="New PEG activity, 0-10.", show_default=False)
    ] = None,
    note: NoteOption = None,
    clear: Annotated[list[str] | None, typer.Option("--clear", help="Remove a field's value: note.")] = None,
    db: DbOption = None,
) -> None:
    """Change a check-in answer: give only what changes (its instrument stays).

    Examples: 'paindiary assess edit 3 --pgic 2', 'paindiary assess edit last --pain 5 --note "after a flare"'.
    """
    changes = common.values_given(
        {"recorded_at": common.when_option(at), "pgic": pgic, "peg_pain": pain, "peg_enjoyment": enjoyment,
         "peg_activity": activity, "note": note}
    )  # fmt: skip
    parsed = common.parse_id(answer_ref)
    with common.open_diary(ctx, db, create=False) as handle, _in_words(FLAGS):
        answer = diary.edit(handle, ASSESSMENTS, common.resolve_id(handle, ASSESSMENTS, parsed), changes, clear or [])
    common.status(f"Assessment {answer.id} at {answer.recorded_at}: {describe(answer)}.")


add_list_and_delete(assess_app, ASSESSMENTS, describe, "paindiary assess list --since 2026-03-01", "assessment")
