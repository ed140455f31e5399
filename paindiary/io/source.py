"""Opening an import file: UTF-8 text (a BOM dropped, line ends kept for CSV), its size and progress.

Also the CSV reader every CSV-like format uses: it takes cells up to :data:`CSV_FIELD_LIMIT`
characters (10 times the longest value paindiary keeps, a 100,000-character note, so every
file paindiary writes reads back and a longer note gets the note's own message) and
headers of at most :data:`MAX_COLUMNS` columns.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from paindiary.errors import PaindiaryError, shown

CSV_FIELD_LIMIT = 1_000_000  # characters in one CSV cell
MAX_COLUMNS = 1000  # columns in a CSV header


class _Counting(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


@dataclass
class Source:
    """An opened import file: UTF-8 text (a BOM is dropped, line ends kept for CSV), its size and progress."""

    name: str
    text: TextIO
    size: int | None
    counter: _Counting

    @property
    def done(self) -> int:
        return self.counter.count


@contextmanager
def open_source(file: str, stdin: BinaryIO) -> Iterator[Source]:
    """Open ``file`` (``-``: ``stdin``) for reading."""
    try:
        raw: BinaryIO = stdin if file == "-" else open(file, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise PaindiaryError(f"No file {file}; check the name.") from None
    except IsADirectoryError:
        raise PaindiaryError(f"{file} is a folder; give a file to import.") from None
    except OSError as exc:
        raise PaindiaryError(f"Cannot read {file}: {exc.strerror or exc}.") from None
    size = None if file == "-" else os.fstat(raw.fileno()).st_size
    counter = _Counting(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig", newline="")
    try:
        yield Source(file, text, size, counter)
    finally:
        text.detach()
        if raw is not stdin:
            raw.close()


def csv_reader(stream: TextIO) -> Any:
    """A strict ``csv.reader`` over ``stream`` taking cells of up to :data:`CSV_FIELD_LIMIT` characters."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.reader(stream, strict=True)


def csv_error(reader: Any, exc: csv.Error) -> PaindiaryError:
    """The message for a CSV ``reader`` that failed with ``exc``."""
    if "field larger than field limit" in str(exc):
        return PaindiaryError(
            f"Line {reader.line_num}: a cell is longer than {CSV_FIELD_LIMIT:,} characters; the longest value "
            "paindiary keeps is a note of 100,000 characters."
        )
    return PaindiaryError(f"Line {reader.line_num}: this is not well-formed CSV ({exc}).")


def header_row(reader: Any, empty: str) -> list[str]:
    """The first non-blank row of a CSV ``reader``, its names stripped; ``empty`` is the error for no rows.

    A header of more than :data:`MAX_COLUMNS` columns is refused.
    """
    try:
        header = next(reader, None)
        while header == []:
            header = next(reader, None)
    except csv.Error as exc:
        raise csv_error(reader, exc) from None
    if header is None:
        raise PaindiaryError(empty)
    if len(header) > MAX_COLUMNS:
        raise PaindiaryError(
            f"The header has {len(header):,} columns; paindiary reads at most {MAX_COLUMNS:,}. "
            "Save only the columns to import."
        )
    names = [name.strip() for name in header]
    if len(names) == 1:
        for separator, label in ((";", "';'"), ("\t", "tab"), ("|", "'|'")):
            if separator in names[0]:
                raise PaindiaryError(
                    f"The header is one column, {shown(names[0])}: its values seem to be separated by {label}. "
                    "paindiary reads CSV separated by commas; save the file with commas "
                    "(in a spreadsheet: 'CSV UTF-8 (comma delimited)')."
                )
    return names
