"""``paindiary backup``, ``restore`` and ``doctor``: keeping the diary safe.

Thin: the work is :mod:`paindiary.backups` (imported inside the commands).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption
from paindiary.console import safe
from paindiary.wording import plural


def _records(counts: dict[str, int]) -> str:
    from paindiary.store import count_phrase

    return count_phrase(counts)


@app.command()
def backup(
    ctx: typer.Context,
    dest: Annotated[
        str | None,
        typer.Argument(
            metavar="[DEST]",
            help="File or folder (an existing one, or a name ending in /) to write (default: a dated file beside the "
            "diary).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Save a consistent, private (0600) copy of the diary; prints its path.

    Examples: 'paindiary backup' (a dated file beside the diary), 'paindiary backup /media/usb/',
    'paindiary backup ~/diary-before-cleanup.db'.
    """
    from paindiary import backups

    with common.open_diary(ctx, db, create=False) as handle:
        path = handle.path
    copy = backups.backup(path, dest, common.now())
    common.echo_path(copy.path)
    common.status(f"Backed up the diary ({_records(copy.counts)}) to {copy.path}.")


@app.command()
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="SRC", help="The backup to restore.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Replace the diary with a backup, keeping a copy of the current diary first.

    The backup is checked (integrity, schema version, that it is a paindiary diary) before
    anything changes. Example: 'paindiary restore diary-backup-20260315-103045.db --yes'.
    """
    from paindiary import backups

    path = common.diary_path(ctx, db)
    incoming = backups.check_diary_file(source)
    if path.exists() and not yes:
        if not common.is_interactive():
            raise typer.BadParameter("refusing to replace the diary without a terminal; add --yes.", param_hint="--yes")
        question = f"Replace the diary {path} with {source} ({_records(incoming.counts)})?"
        if not typer.confirm(safe(question, markup=False), default=False, err=True):
            common.status("Nothing restored.")
            raise typer.Exit(1)
    result = backups.restore(path, source, common.now(), on_backup=common.upgrade_notice)
    if result.safety_copy is not None:
        common.status(f"The diary as it was is saved in {result.safety_copy}.")
    common.status(f"Restored {source} ({_records(incoming.counts)}) to {path}.")


@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Remove temporary copies left beside the diary by paindiary processes that have ended, and "
            "rebuild the search index if it does not agree with the records.",
        ),
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Check the diary: integrity, schema version, permissions, leftover journal files and temporary copies, SQLite.

    Exit status 1 if the diary is damaged, not a paindiary diary, or readable by others.
    Examples: 'paindiary doctor', 'paindiary --db old.db doctor --json', 'paindiary doctor --repair'.
    """
    from paindiary import backups

    report = backups.doctor(common.diary_path(ctx, db), repair=repair)
    if as_json:
        checks = [vars(check) for check in report.checks]
        common.print_json({"path": str(report.path), "healthy": report.healthy, "checks": checks})
    else:
        from paindiary.console import print_table

        print_table(["check", "status", "detail"], [[c.name, c.status, c.detail] for c in report.checks])
        for check in report.checks:
            if check.fix:
                common.status(f"To fix {check.name}: {check.fix}")
        warnings = sum(check.status == backups.WARNING for check in report.checks)
        if not report.healthy:
            common.status("The diary has problems (see above).")
        else:
            above = f" ({plural(warnings, 'warning')} above)" if warnings else ""
            common.status(f"No problems found{above}.")
    if not report.healthy:
        raise typer.Exit(1)
