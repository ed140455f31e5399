r"""CSV: one kind of record per file, with the contract field names as the header.

Cells hold numbers as written (``7``, ``6.5``), times in canonical form, tags as
``a;b``, side effects as ``nausea:3;dissociation``; an empty cell is no value.

Spreadsheet safety (OWASP CSV injection): on export, a text cell matching
``^'*[=+\-@\t\r]`` gets one ``'`` put in front, so a spreadsheet shows it as
text instead of running it as a formula; on import, a text cell matching
``^'+[=+\-@\t\r]`` loses one leading ``'``. The pair is exactly reversible, so
export then import gives back the same text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any, TextIO

from paindiary import models
from paindiary.errors import PaindiaryError
from paindiary.io import CHUNK_ROWS, ONE_KIND, ExportData, Format, ReadOptions, Section, Table, TableChunk, daylio
from paindiary.io.source import csv_error, csv_reader, header_row

_UNSAFE = re.compile(r"'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"'+[=+\-@\t\r]")
TEXT_FIELDS = ("note", "name", "dose_unit", "route", "provider", "tags", "side_effects")
FIELDS = {name: kind.fields for name, kind in models.KINDS.items()}  # each kind's columns, in record order


def protect(cell: str) -> str:
    """Export side of the injection rule: one ``'`` in front of a cell a spreadsheet would run."""
    return "'" + cell if _UNSAFE.match(cell) else cell


def unprotect(cell: str) -> str:
    """Import side of the injection rule: drop the one ``'`` that :func:`protect` added."""
    return cell[1:] if _PROTECTED.match(cell) else cell


# --- reading --------------------------------------------------------------------


def _tags(cell: str) -> object:
    cell = unprotect(cell)
    return cell.split(";") if cell else ""


def _side_effects(cell: str) -> object:
    cell = unprotect(cell)
    if not cell:
        return ""
    effects = []
    for spec in cell.split(";"):
        name, sep, severity = spec.rpartition(":")  # (as models.parse_side_effect: a ':' in a name is its problem)
        effects.append({"name": name, "severity": severity} if sep else {"name": spec})
    return effects


DECODERS = {
    **{name: unprotect for name in TEXT_FIELDS},
    "tags": _tags,
    "side_effects": _side_effects,
}


def _record_lines(row: list[str]) -> int:
    """Physical lines a record spans (quoted cells may hold line breaks)."""
    breaks = sum(cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in row)
    return 1 + breaks


def _chunks(reader: Any, first_line: int) -> Iterator[TableChunk]:
    recno = 1
    line = first_line  # the line the next record starts on
    while True:
        try:
            rows = list(islice(reader, CHUNK_ROWS))
        except csv.Error as exc:
            raise csv_error(reader, exc) from None
        if not rows:
            return
        consumed = reader.line_num - line + 1
        if consumed == len(rows):  # one line per record: line numbers follow without per-row work
            lines: list[int] | range = range(line, line + len(rows))
        else:
            lines = []
            at = line
            for row in rows:
                lines.append(at)
                at += _record_lines(row) if row else 1
        line = reader.line_num + 1
        if [] in rows:  # blank lines
            kept = [(row, at) for row, at in zip(rows, lines, strict=True) if row]
            rows = [row for row, _ in kept]
            lines = [at for _, at in kept]
        if rows:
            yield TableChunk(recno, lines, rows)
            recno += len(rows)


def read(stream: TextIO, options: ReadOptions) -> list[Section]:
    reader = csv_reader(stream)
    columns = header_row(reader, "The file is empty: a CSV file needs a header row naming its columns.")
    if tuple(columns) in daylio.HEADERS:
        raise PaindiaryError("This looks like a Daylio export; import it with --format daylio.")
    return [Table(columns, _chunks(reader, reader.line_num + 1), DECODERS)]


# --- writing --------------------------------------------------------------------


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def cell(name: str, value: Any) -> str:
    """One field's cell text (text cells protected against formula injection)."""
    if value is None:
        return ""
    if name == "tags":
        return protect(";".join(value))
    if name == "side_effects":
        specs = (e["name"] if e["severity"] is None else f"{e['name']}:{_number(e['severity'])}" for e in value)
        return protect(";".join(specs))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return protect(value) if name in TEXT_FIELDS else str(value)


def write(data: ExportData) -> str:
    if len(data.records) != 1:
        raise PaindiaryError("CSV holds one kind of record per file; choose it with --kind.")
    ((kind, records),) = data.records.items()
    fields = FIELDS[kind]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    writer.writerows([cell(name, record[name]) for name in fields] for record in records)
    return out.getvalue()


FORMAT = Format(
    name="csv",
    description="CSV",
    kinds=ONE_KIND,
    extensions=(".csv",),
    read=read,
    write=write,
)
