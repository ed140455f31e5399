"""The only place that builds rich consoles and tables, and the one gate stored text passes to a terminal.

:func:`safe` is that gate: every note, tag, name, value from a file or path printed
for people goes through it (tables apply it to every cell themselves, status and error
lines in :mod:`paindiary.cli.common` and :mod:`paindiary.cli.app`), so stored text can
neither drive the terminal (escape sequences, OSC 52 clipboard writes, NUL, C1 codes,
bidi overrides) nor be read as rich markup.

rich is imported inside the functions, so commands that print plain lines
(``paindiary log``) never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from paindiary.plaintext import CONTROLS

if TYPE_CHECKING:
    from rich.console import Console


PIPE_WIDTH = 200  # output to a file or pipe is not cut to 80 columns
WORD_MAX = 20  # a text column is at least as wide as its longest word up to this (a date is never split)


def safe(text: object, *, markup: bool = True) -> str:
    """Stored or user text made fit for a terminal: the one way such text is printed.

    Control characters and whole escape sequences (:data:`CONTROLS`) are removed; tab and
    newline stay. With ``markup`` (text going into rich markup), square brackets are escaped
    so they print literally, and trailing backslashes are doubled so they cannot escape a
    tag the program puts after them. ``None`` is the empty string.
    """
    if text is None:
        return ""
    plain = CONTROLS.sub("", text if isinstance(text, str) else str(text))
    if not markup:
        return plain
    from rich.markup import escape

    body = plain.rstrip("\\")
    return escape(body) + "\\" * (2 * (len(plain) - len(body)))


def console(stderr: bool = False) -> Console:
    import os

    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, emoji=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out = Console(stderr=stderr, highlight=False, emoji=False, width=PIPE_WIDTH)
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
    keep_first: int = 2,
) -> None:
    """Print a table of plain values (``None`` shows as a blank cell).

    Every cell passes :func:`safe` and is printed as plain text (never read as markup), so
    a new command cannot forget it. ``drop_empty`` leaves out columns with no value in any
    row; ``no_wrap`` lists column indexes that must stay on one line (times, ids, scores,
    vital signs): they are never cut. Other columns wrap. When the table still does not fit
    the width, columns are left out from the right (never the first ``keep_first``) and a
    line names them. Tables have no vertical borders, so wide ones fit narrow terminals.
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    out = console(stderr)
    cells = [[safe(value, markup=False) for value in row] for row in rows]
    keep = [i for i in range(len(columns)) if not drop_empty or any(row[i] for row in cells)]

    def natural(i: int) -> int:  # its width with no line wrapped
        return max([cell_len(columns[i]), *(cell_len(line) for row in cells for line in row[i].split("\n"))])

    def needed(i: int) -> int:  # the narrowest a column can be: whole values, or text wrapped between words
        if i in no_wrap:
            return natural(i)
        words = (cell_len(word) for row in cells for word in row[i].split())
        return max(min(8, cell_len(columns[i])), min(WORD_MAX, max([0, *words])))

    fits = sum(map(natural, keep)) + 3 * (len(keep) - 1) + 2 <= out.width  # (a pipe: 200 columns)
    left_out: list[str] = []
    # each column is padded by one space on either side, with a one-space rule between columns;
    # the table's two edges take one space each
    while len(keep) > keep_first and sum(map(needed, keep)) + 3 * (len(keep) - 1) + 2 > out.width:
        wrapping = [i for i in keep[keep_first:] if i not in no_wrap]  # text goes first, then values
        drop = (wrapping or keep[keep_first:])[-1]
        keep.remove(drop)
        left_out.insert(0, columns[drop])
    widths = {} if fits else _share(keep, no_wrap, natural, needed, out.width - 3 * (len(keep) - 1) - 2)
    table = Table(title=title, caption=caption, caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i in keep:
        if i in no_wrap:
            table.add_column(columns[i], no_wrap=True, min_width=natural(i))
        elif fits:
            table.add_column(columns[i], overflow="fold", min_width=8, ratio=1)
        else:  # a width of our own: rich's own narrowing can squeeze a column below its words and cut the last
            table.add_column(columns[i], overflow="fold", width=widths[i])
    for row in cells:
        table.add_row(*(Text(row[i]) for i in keep))
    out.print(table)
    if left_out:
        out.print(
            Text(
                f"Left out to fit {out.width} columns: {', '.join(left_out)}; see them with --json or a wider terminal."
            )
        )


def _share(
    keep: Sequence[int], no_wrap: Sequence[int], natural: Callable[[int], int], needed: Callable[[int], int], room: int
) -> dict[int, int]:
    """Widths for the wrapping columns of a table that must wrap: each its ``needed`` width, then the
    room left shared out one column at a time, none wider than its ``natural`` width."""
    wrapping = [i for i in keep if i not in no_wrap]
    widths = {i: needed(i) for i in wrapping}
    spare = room - sum(natural(i) for i in keep if i in no_wrap) - sum(widths.values())
    while spare > 0:
        growing = [i for i in wrapping if widths[i] < natural(i)]
        if not growing:
            break
        for i in growing[:spare]:
            widths[i] += 1
        spare -= min(spare, len(growing))
    return widths


def print_text(text: str, *, stderr: bool = False) -> None:
    """Print rich-formatted text (``[bold]...[/]`` markup) written by the program.

    Stored text interpolated into it must pass :func:`safe` first; control characters
    are removed from the whole line in any case.
    """
    console(stderr).print(CONTROLS.sub("", text))


@contextmanager
def progress_bar(description: str, total: int, done: Callable[[], int]) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr; the caller calls the yielded function to refresh it from ``done()``."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(safe(description), total=total)
        yield lambda: progress.update(task, completed=done())
