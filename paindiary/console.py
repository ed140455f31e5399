"""The only place that builds rich consoles and tables.

rich is imported inside the functions, so commands that print plain lines
(``paindiary log``) never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    caption: str | None = None,
    stderr: bool = False,
    drop_empty: bool = False,
    no_wrap: Sequence[int] = (),
) -> None:
    """Print a table of plain values (``None`` shows as a blank cell).

    ``drop_empty`` leaves out columns with no value in any row; ``no_wrap``
    lists column indexes that must stay on one line (times, ids).
    """
    from rich.table import Table

    cells = [["" if value is None else str(value) for value in row] for row in rows]
    keep = [i for i in range(len(columns)) if not drop_empty or any(row[i] for row in cells)]
    table = Table(title=title, caption=caption, caption_justify="left")
    for i in keep:
        table.add_column(columns[i], overflow="fold", no_wrap=i in no_wrap)
    for row in cells:
        table.add_row(*(row[i] for i in keep))
    console(stderr).print(table)


def print_text(text: str, *, stderr: bool = False) -> None:
    """Print rich-formatted text (``[bold]...[/]`` markup)."""
    console(stderr).print(text)


@contextmanager
def progress_bar(description: str, total: int, done: Callable[[], int]) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; the caller calls the yielded function to refresh it from ``done()``."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.update(task, completed=done())
