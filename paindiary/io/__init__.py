"""Import and export formats: a small registry of format name -> reader / writer.

Each format is one module and is pure over plain values: a reader turns a text
stream into :class:`Table` or :class:`Records` sections (rows of cells, or
dicts keyed by field name) and knows nothing of the diary; a writer turns an
:class:`ExportData` (plain dicts in contract field order) into text.
Validation, matching and writing are :mod:`paindiary.transfer.importer`'s job; reading
the diary for export is :mod:`paindiary.transfer.exporter`'s. A new format is one new
module and one line in :data:`READERS` or :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from paindiary.errors import PaindiaryError

CHUNK_ROWS = 5000  # rows per chunk: big enough for C-level column work, small enough to keep memory flat


@dataclass
class TableChunk:
    """Consecutive rows of a table: record numbers ``first``, ``first + 1``, ... and their lines."""

    first: int
    lines: Sequence[int]
    rows: list[list[str]]


@dataclass
class Table:
    """A header and rows of text cells (CSV-like sources).

    ``decoders`` turn a cell of a field into what the field's validator takes
    (e.g. ``"a;b"`` into ``["a", "b"]``); fields without one take the cell as is.
    """

    columns: list[str]
    chunks: Iterator[TableChunk]
    decoders: Mapping[str, Callable[[str], object]] = field(default_factory=dict)
    kind: str | None = None
    label: str = ""


# (record number, line or None, the record as field -> value, or why it could not be read)
RecordItem = tuple[int, "int | None", "Mapping[str, object] | PaindiaryError | object"]


@dataclass
class Records:
    """Records as mappings of field names to values (JSON-like sources), in chunks."""

    chunks: Iterator[list[RecordItem]]
    kind: str | None = None
    label: str = ""
    fixed_fields: bool = False  # True when every record has the same fields (e.g. Daylio)


Section = Table | Records


@dataclass(frozen=True)
class ReadOptions:
    mood_map: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportData:
    """What a writer gets: records per kind (plain dicts, contract field order, chronological)."""

    records: Mapping[str, list[dict[str, Any]]]
    whole: bool  # True: the full document of all kinds; False: one kind chosen with --kind
    patient: str | None = None


Reader = Callable[[TextIO, ReadOptions], list[Section]]
Writer = Callable[[ExportData], str]


def _readers() -> dict[str, Reader]:
    from paindiary.io import csv_format, daylio, json_format, jsonl_format

    return {"csv": csv_format.read, "json": json_format.read, "jsonl": jsonl_format.read, "daylio": daylio.read}


def _writers() -> dict[str, Writer]:
    from paindiary.io import csv_format, fhir, json_format, jsonl_format

    return {"json": json_format.write, "csv": csv_format.write, "jsonl": jsonl_format.write, "fhir": fhir.write}


IMPORT_FORMATS = ("csv", "json", "jsonl", "daylio")
EXPORT_FORMATS = ("json", "csv", "jsonl", "fhir")
EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def reader(name: str) -> Reader:
    return _readers()[name]


def writer(name: str) -> Writer:
    return _writers()[name]


def format_for(file: str, given: str | None) -> str:
    """The import format: ``--format`` if given, else from the file's extension."""
    if given:
        if given not in IMPORT_FORMATS:
            raise PaindiaryError(f"--format {given}: unknown; choose one of {', '.join(IMPORT_FORMATS)}.")
        return given
    if file == "-":
        raise PaindiaryError("Reading standard input: say what it holds with --format csv, json, jsonl or daylio.")
    suffix = Path(file).suffix.lower()
    if suffix not in EXTENSIONS:
        raise PaindiaryError(
            f"Cannot tell the format of {file} from its extension; add --format csv, json, jsonl or daylio."
        )
    return EXTENSIONS[suffix]
