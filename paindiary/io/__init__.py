"""Import and export formats: what a reader and a writer exchange, and the registry of formats.

Each format is one module and is pure over plain values: a reader turns a text
stream into :class:`Table` or :class:`Records` sections (rows of cells, or
dicts keyed by field name) and knows nothing of the diary; a writer turns an
:class:`ExportData` (plain dicts in contract field order) into text.
Validation, matching and writing are :mod:`paindiary.transfer.importer`'s job; reading
the diary for export is :mod:`paindiary.transfer.exporter`'s.

Each module says what it is in one place, a :class:`Format` record named
``FORMAT`` (name, description, extensions, kinds, reader, writer), and
:data:`MODULES` registers it with one line. Everything else follows from the
registry (:func:`registry`): detection by extension, the ``--format`` choices
of ``import`` and ``export`` and their help text, the exporter's dispatch. So a
new read-only import format is one new module and its line in :data:`MODULES`.
A phone's or watch's export (a file, a folder or a zip, possibly of several GB)
is read by its path instead of as a text stream: its ``FORMAT`` has ``read_path``.
The modules are imported when the registry is first read, not when paindiary
starts: ``paindiary log`` never loads them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

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
    skipped: Mapping[str, int] = field(default_factory=dict)  # what the file held that is not imported, counted


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
PathProgress = Callable[[int, int], None]  # (bytes read so far, bytes to read in all)
PathReader = Callable[[str, "PathProgress | None"], list[Section]]  # a file, folder or zip by its path
Writer = Callable[[ExportData], str]
Kinds = Literal["all", "one"]


ALL_KINDS: Kinds = "all"  # a file may hold every kind of record (a full document)
ONE_KIND: Kinds = "one"  # a file holds one kind of record (export: chosen with --kind, entries by default)


@dataclass(frozen=True)
class Format:
    """What one format module is, declared once as its ``FORMAT`` and registered in :data:`MODULES`.

    ``description`` names the format in help text ("JSON Lines"); ``extensions``
    are the file name endings that mean this format when importing without
    ``--format``; ``kinds`` is :data:`ALL_KINDS` or :data:`ONE_KIND`; ``read``
    and ``write`` are its reader and writer (``None``: it does not read, or
    write); ``mappable`` is False for a fixed layout that ``--map`` and
    ``--date-format`` do not apply to.
    """

    name: str
    description: str
    kinds: Kinds
    extensions: tuple[str, ...] = ()
    read: Reader | None = None
    write: Writer | None = None
    mappable: bool = True
    read_path: PathReader | None = None  # reads by path (exports that are folders or zips), not from a stream

    @property
    def reads(self) -> bool:
        return self.read is not None or self.read_path is not None

    @property
    def writes(self) -> bool:
        return self.write is not None


# The registered formats: one line per module, each declaring its FORMAT. Help text
# and error messages list the formats in this order.
MODULES = (
    "paindiary.io.csv_format",
    "paindiary.io.json_format",
    "paindiary.io.jsonl_format",
    "paindiary.io.daylio",
    "paindiary.io.fhir",
    "paindiary.io.apple_health",
    "paindiary.io.fitbit",
    "paindiary.io.oura",
)


def registry() -> dict[str, Format]:
    """Every registered format by name, in :data:`MODULES` order (importing the modules on first use)."""
    found: dict[str, Format] = {}
    for module_name in MODULES:
        declared = importlib.import_module(module_name).FORMAT
        if not isinstance(declared, Format):
            raise TypeError(f"{module_name}.FORMAT is not a paindiary.io.Format")
        found[declared.name] = declared
    return found


def names(*, reads: bool = False, writes: bool = False) -> tuple[str, ...]:
    """The names of the formats that read (``reads=True``) or write (``writes=True``), in order."""
    return tuple(f.name for f in registry().values() if (f.reads or not reads) and (f.writes or not writes))


def or_list(items: Sequence[str]) -> str:
    """``a, b, c or d``: how help text and messages list choices."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def reader(name: str) -> Reader:
    """The reader of the format ``name`` (one of :func:`names` with ``reads=True``)."""
    read = registry()[name].read
    if read is None:
        raise PaindiaryError(f"--format {name}: paindiary cannot import it; choose {or_list(names(reads=True))}.")
    return read


def writer(name: str) -> Writer:
    """The writer of the format ``name`` (one of :func:`names` with ``writes=True``)."""
    write = registry()[name].write
    if write is None:
        raise PaindiaryError(f"--format {name}: paindiary cannot export it; choose {or_list(names(writes=True))}.")
    return write


def format_for(file: str, given: str | None) -> Format:
    """The import format: ``--format`` if given, else from the file's extension."""
    readers = {f.name: f for f in registry().values() if f.reads}
    if given:
        if given not in readers:
            raise PaindiaryError(f"--format {given}: unknown; choose one of {', '.join(readers)}.")
        return readers[given]
    streams = [name for name, f in readers.items() if f.read is not None]  # (the others read a path)
    if file == "-":
        raise PaindiaryError(f"Reading standard input: say what it holds with --format {or_list(streams)}.")
    suffix = Path(file).suffix.lower()
    by_extension = {extension: f for f in readers.values() for extension in f.extensions}
    if suffix not in by_extension:
        raise PaindiaryError(
            f"Cannot tell the format of {file} from its extension; add --format {or_list(list(readers))}."
        )
    return by_extension[suffix]
