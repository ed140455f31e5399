"""``paindiary search TEXT``: find records by the words in their notes, tags, names and side effects.

Thin: the query runs in :mod:`paindiary.search` (imported inside the command, so
sqlite-utils never loads on the path of ``paindiary log``). On a terminal the
matching words are marked in text already made safe by :func:`paindiary.console.safe`.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from paindiary.cli import common
from paindiary.cli.app import app
from paindiary.cli.common import DbOption, JsonOption, SinceOption, UntilOption
from paindiary.db.fulltext import INDEXED

if TYPE_CHECKING:
    from paindiary.search import Match

KINDS = tuple(INDEXED)
SearchKind = Enum("SearchKind", {name: name for name in KINDS}, type=str)  # type: ignore[misc]
WORD = re.compile(r"\w+")


def highlight(text: str, words: frozenset[str]) -> str:
    """Rich markup for stored ``text``: made safe first, then each matched word marked bold."""
    from paindiary.console import safe
    from paindiary.search import normalize

    plain = safe(text, markup=False)
    out: list[str] = []
    last = 0
    for found in WORD.finditer(plain):
        if normalize(found.group()) in words:
            out.append(safe(plain[last : found.start()]))
            out.append(f"[bold reverse]{safe(found.group())}[/]")
            last = found.end()
    out.append(safe(plain[last:]))
    return "".join(out)


def _shown(value: object) -> str:
    if isinstance(value, list):  # tags, or side effects ({"name", "severity"})
        return ", ".join(
            " ".join(str(v) for v in item.values() if v is not None) if isinstance(item, dict) else str(item)
            for item in value
        )
    return "" if value is None else str(value)


def _print(matches: list[Match]) -> None:
    from paindiary.console import print_text, safe

    for match in matches:
        print_text(f"[bold]{safe(match.time)}[/]  {match.kind} {match.id}")
        for field in match.fields:
            print_text(f"  {field}: {highlight(_shown(match.values[field]), match.words)}")


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to find (all of them must appear).")],
    kind: Annotated[
        SearchKind | None, typer.Option("--kind", help="Search only this kind of record.", show_default=False)
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    raw: Annotated[
        bool, typer.Option("--raw", help='Read TEXT as an FTS5 query: OR, NOT, "a phrase", prefix*, NEAR(a b).')
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Search notes, tags, treatment names and side effects, medication names, assessment notes; newest first.

    Examples: 'paindiary search drive', 'paindiary search "long drive" --kind entries --since 2026-01-01',
    'paindiary search "walk OR swim" --raw --json'.
    """
    from paindiary import search as finder

    since_at = common.when_option(since, "--since")
    until_at = common.when_option(until, "--until")
    kinds = (kind.value,) if kind is not None else KINDS
    with common.open_diary(ctx, db, create=False) as handle:
        matches = finder.search(handle.conn, text, kinds=kinds, since=since_at, until=until_at, raw=raw)
    if as_json:
        common.print_json([match.to_dict() for match in matches])
    elif not matches:
        common.status("Nothing found.")
    else:
        _print(matches)
        common.status(f"{len(matches)} record{'s' if len(matches) != 1 else ''} found.")
