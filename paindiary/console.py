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


PIPE_WIDTH = 200  # output to a file or pipe is not cut to 80 columns


def console(stderr: bool = False) -> Console:
    import os

    from rich.console import Console

    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out = Console(stderr=stderr, highlight=False, width=PIPE_WIDTH)
    return out


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
    Tables have no vertical borders, so wide ones fit narrow terminals.
    """
    from rich import box
    from rich.table import Table

    cells = [["" if value is None else str(value) for value in row] for row in rows]
    keep = [i for i in range(len(columns)) if not drop_empty or any(row[i] for row in cells)]
    table = Table(title=title, caption=caption, caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i in keep:
        if i in no_wrap:
            table.add_column(columns[i], no_wrap=True, min_width=max(len(row[i]) for row in cells) if cells else None)
        else:
            table.add_column(columns[i], overflow="fold", min_width=8, ratio=1)
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
