"""``paindiary info`` (what is in the diary) and ``paindiary demo`` (a sample diary)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from paindiary import db as dbmod
from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption

DEMO_FILE = "paindiary-demo.db"


@app.command()
def info(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Show where the diary is, its schema version and what it holds.

    Example: 'paindiary info'.
    """
    from paindiary import store

    with common.open_diary(ctx, db, create=False) as handle:
        kinds = {}
        for kind in store.KINDS.values():
            count, first, last = store.stats(handle.conn, kind)
            kinds[kind.name] = {"count": count, "first": first, "last": last}
        version = dbmod.schema_state(handle.conn)[1]
    path = handle.path
    data = {
        "path": str(path),
        "schema_version": version,
        "sqlite_version": sqlite3.sqlite_version,
        **kinds,
    }
    if as_json:
        common.print_json(data)
        return
    from paindiary.console import print_table

    common.status(f"Diary: {path}\nSchema version {data['schema_version']}, SQLite {data['sqlite_version']}")
    rows = [[name, v["count"], v["first"], v["last"]] for name, v in kinds.items()]
    print_table(["kind", "records", "first", "last"], rows)


@app.command()
def demo(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"Where to write the demo diary (default: ./{DEMO_FILE}).", show_default=False),
    ] = None,
) -> None:
    """Write a sample diary (four months, a ketamine course and a booster) to try paindiary on.

    It never touches your own diary: it writes ./paindiary-demo.db (or --db) and
    ignores $PAINDIARY_DB; it replaces only a demo diary it wrote that nobody changed
    since (and its chart and report beside it). Example: 'paindiary demo', then
    'paindiary --db paindiary-demo.db entry list --last 7'.
    """
    from paindiary import demo as demo_data
    from paindiary.cli.charts import demo_files, write_demo_files
    from paindiary.errors import PaindiaryError

    root_db = common.app_state(ctx).db
    target = Path(db or root_db or DEMO_FILE).expanduser()
    replace = demo_data.check_target(target, Path(DEMO_FILE))
    for file in demo_files(target):
        if not replace and os.path.lexists(file):
            raise PaindiaryError(
                f"{file} exists; demo replaces its chart and report only beside its own demo diary. "
                "Move the file away, or pick another folder with --db."
            )
    total = demo_data.write(target, common.now().date(), Path(DEMO_FILE))
    common.status(f"Wrote a demo diary with {total} records to {target}.")
    _print_demo_analysis(target)
    trend, report = write_demo_files(target, replace=replace)
    common.status(f"Wrote the demo's trend chart to {trend} and its report to {report}.")
    common.status(
        "Try next:\n"
        f"  paindiary --db {target} entry list --last 7\n"
        f"  paindiary --db {target} treatment list\n"
        f"  paindiary --db {target} info\n"
        f"  paindiary --db {target} analyze --json\n"
        f"  paindiary --db {target} due   (the check-ins after each course: one is due today)\n"
        f"  paindiary --db {target} summary --by month\n"
        f"  paindiary --db {target} chart --view course -o courses.png\n"
        f"  paindiary --db {target} report --patient 'Demo Patient' -o report.pdf\n"
        f"  paindiary --db {target} export --format csv -o entries.csv"
    )


def _print_demo_analysis(path: Path) -> None:
    """What 'paindiary analyze' says about the demo diary."""
    from paindiary.cli.analysis import analyze_diary, print_analysis

    with dbmod.open_db(path, create=False) as handle:
        result, treatments = analyze_diary(handle.conn)
    print_analysis(result, treatments)
