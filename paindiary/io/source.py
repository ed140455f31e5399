"""Opening an import file: UTF-8 text (a BOM dropped, line ends kept for CSV), its size and progress."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from paindiary.errors import PaindiaryError


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


def header_row(reader: Any, empty: str) -> list[str]:
    """The first non-blank row of a CSV ``reader``, its names stripped; ``empty`` is the error for no rows."""
    try:
        header = next(reader, None)
        while header == []:
            header = next(reader, None)
    except csv.Error as exc:
        raise PaindiaryError(f"Line {reader.line_num}: this is not well-formed CSV ({exc}).") from None
    if header is None:
        raise PaindiaryError(empty)
    return [name.strip() for name in header]
