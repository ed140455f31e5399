"""``paindiary import`` and ``paindiary export``: files in and out of the diary.

Thin: options are parsed here, the work is :mod:`paindiary.transfer.importer` and
:mod:`paindiary.transfer.exporter` (imported inside the commands, so start-up stays light).
The ``--format`` choices and the help text naming the formats come from the format
registry (:mod:`paindiary.io`), read only when a format is chosen or help is shown:
reading it imports every format module, which ``paindiary log`` must not pay for.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._types import TyperChoice  # typer's choice type (what an Enum option becomes), made lazy below
from typer.core import TyperCommand, TyperOption

from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, ForceOption, JsonOption, SinceOption, UntilOption


class KindChoice(str, Enum):
    entries = "entries"
    treatments = "treatments"
    medications = "medications"
    measurements = "measurements"
    assessments = "assessments"


EXPORT_DEFAULT = "json"


def import_formats() -> tuple[str, ...]:
    """The formats ``import`` reads, in registry order."""
    from paindiary import io as formats

    return formats.names(reads=True)


def export_formats() -> tuple[str, ...]:
    """The formats ``export`` writes: the default first, then the others in registry order."""
    from paindiary import io as formats

    return (EXPORT_DEFAULT, *(name for name in formats.names(writes=True) if name != EXPORT_DEFAULT))


class FormatChoice(TyperChoice[str]):
    """A ``--format`` choice whose names come from the format registry when first needed."""

    def __init__(self, names: Callable[[], tuple[str, ...]]) -> None:
        self.case_sensitive = True
        self._names = names

    @property
    def choices(self) -> Sequence[str]:
        return self._names()

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        raise AttributeError("the --format choices come from the format registry")


def _fill(text: str) -> str:
    """Help text with the registered formats put in for {readers}, {writers} and {writer_names}."""
    if "{" not in text:
        return text
    from paindiary import io as formats

    described = {f.name: f.description for f in formats.registry().values()}
    writers = [described[name] for name in export_formats()]
    writers[0] += " (default, to standard output)"  # (export_formats puts the default first)
    return text.format_map(
        {
            "readers": formats.or_list([described[name] for name in import_formats()]),
            "writers": formats.or_list(writers),
            "writer_names": formats.or_list(export_formats()),
        }
    )


class FormatsCommand(TyperCommand):
    """A command whose help text (and its options' help) names the registered formats, filled in when read."""

    @property
    def help(self) -> str | None:
        return None if self._help_template is None else _fill(self._help_template)

    @help.setter
    def help(self, text: str | None) -> None:
        self._help_template = text

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            if isinstance(param, TyperOption) and param.help:
                param.help = _fill(param.help)
        super().format_help(ctx, formatter)


class OnConflict(str, Enum):
    update = "update"
    skip = "skip"
    error = "error"


KindOption = Annotated[KindChoice | None, typer.Option("--kind", help="Which records.", show_default=False)]
PROGRESS_FROM_BYTES = 1 << 20


def _progress(source: Any) -> AbstractContextManager[Callable[[], None]]:
    """A progress bar on stderr for big files, only on a terminal; otherwise a no-op."""
    if not sys.stderr.isatty() or source.size is None or source.size < PROGRESS_FROM_BYTES:
        return nullcontext(lambda: None)
    from paindiary import console

    return console.progress_bar(f"Importing {Path(source.name).name}", source.size, lambda: source.done)


@contextlib.contextmanager
def _path_progress(path: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for reading an export by path, only on a terminal (else None)."""
    if not sys.stderr.isatty():
        yield None
        return
    from paindiary import console

    size = max(
        1, path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    )
    share = [0.0]  # of the bytes to read, as the reader counts them (a zip's members are bigger than the zip)
    with console.progress_bar(f"Reading {path.name}", size, lambda: int(share[0] * size)) as tick:

        def report(done: int, total: int) -> None:
            share[0] = min(1.0, done / total) if total else 1.0
            tick()

        yield report


def _summary(result: dict[str, dict[str, int] | bool]) -> str:
    parts = [
        f"{kind} {c['inserted']} inserted, {c['updated']} updated, {c['unchanged']} unchanged"
        for kind, c in result.items()
        if isinstance(c, dict) and kind != "skipped"
    ]
    head = "Dry run, nothing written; would import" if result["dry_run"] else "Imported"
    skipped = result.get("skipped")
    tail = ""
    if isinstance(skipped, dict) and skipped:
        most = sorted(skipped.items(), key=lambda item: -item[1])[:3]
        tail = f" Skipped, not used: {', '.join(f'{count:,} {what}' for what, count in most)}"
        tail += f" and {len(skipped) - 3} more kinds." if len(skipped) > 3 else "."
    return f"{head}: {'; '.join(parts) if parts else 'no records'}.{tail}"


@app.command("import", cls=FormatsCommand)
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="The file to read, or - for standard input.")],
    kind: KindOption = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", click_type=FormatChoice(import_formats), help="Default: from the extension."),
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="Rename a source column: 'Pain Level=pain'.", show_default=False)
    ] = None,
    date_format: Annotated[str | None, typer.Option(help="How dates are written, e.g. '%d/%m/%Y'.")] = None,
    ignore_extra: Annotated[bool, typer.Option(help="Leave out unknown columns instead of failing.")] = False,
    on_conflict: Annotated[OnConflict, typer.Option(help="When a record is already in the diary.")] = OnConflict.update,
    dry_run: Annotated[bool, typer.Option(help="Check everything and report; write nothing.")] = False,
    mood_map: Annotated[
        list[str] | None,
        typer.Option("--mood-map", help="Daylio: mood label=0-10, e.g. 'super=9'.", show_default=False),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import entries, treatments, medications, measurements or assessments from {readers}, all or nothing.

    Examples: 'paindiary import history.csv', 'paindiary import - --format jsonl < watch.jsonl',
    'paindiary import sheet.csv --map "Pain Level=pain" --map "Date=recorded_at" --date-format "%d/%m/%Y"',
    'paindiary import daylio_export.csv --format daylio --mood-map "super=9" --dry-run'.
    """
    from paindiary.diary import created_whole
    from paindiary.io import ReadOptions
    from paindiary.io.source import open_source
    from paindiary.transfer import importer

    options = importer.ImportOptions(
        kind=kind.value if kind else None, mapping=importer.parse_pairs("--map", mapping or []),
        date_format=date_format, ignore_extra=ignore_extra, on_conflict=on_conflict.value, dry_run=dry_run,
    )  # fmt: skip
    read_options = ReadOptions(mood_map=importer.parse_mood_map(mood_map or []))
    path = common.diary_path(ctx, db)
    with contextlib.ExitStack() as stack:
        if path.exists():
            handle = stack.enter_context(common.open_diary(ctx, db))
        else:  # a new diary appears only if the import succeeds (and is not a dry run)
            handle = stack.enter_context(created_whole(path, keep=lambda: not dry_run))
        if importer.reads_by_path(file, fmt):  # a phone's or watch's export: a file, folder or zip
            report = stack.enter_context(_path_progress(Path(file)))
            result = importer.import_path(handle, file, fmt or "", options, report)
        else:
            source = stack.enter_context(open_source(file, sys.stdin.buffer))
            tick = stack.enter_context(_progress(source))
            result = importer.import_source(handle, source, fmt, options, read_options, tick)
    result_data = result.to_dict()
    if as_json:
        common.print_json(result_data)
    common.status(_summary(result_data))


@app.command("export", cls=FormatsCommand)
def export(
    ctx: typer.Context,
    kind: KindOption = None,
    fmt: Annotated[
        str, typer.Option("--format", click_type=FormatChoice(export_formats), help="{writer_names}.")
    ] = EXPORT_DEFAULT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this new file (0600); see --force.")
    ] = None,
    force: ForceOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    patient: Annotated[str | None, typer.Option(help="FHIR: the patient's name.", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Export the diary as {writers}.

    Examples: 'paindiary export -o diary.json', 'paindiary export --format csv --kind treatments -o sessions.csv',
    'paindiary export --format fhir --patient "Alex Doe" --since 2026-01-01 -o for-my-doctor.json'.
    """
    from paindiary.files import check_target, write_private
    from paindiary.transfer import exporter

    since_at, until_at = common.when_option(since, "--since"), common.when_option(until, "--until")
    with common.open_diary(ctx, db, create=False) as handle:
        if output is not None:
            check_target(output, force=force, protect=handle.path)
        text = exporter.export_text(
            handle.conn, fmt, kind=kind.value if kind else None, since=since_at, until=until_at, patient=patient
        )
    if output is None:
        sys.stdout.write(text)
    else:
        write_private(output, text, force=force, protect=handle.path)
        common.status(f"Wrote {output}.")
