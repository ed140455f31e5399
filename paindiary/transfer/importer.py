"""The import pipeline: validate, match on natural keys, write, all in one transaction.

A reader from :mod:`paindiary.io` turns the file into sections of rows or
records. Here every value goes through the field validators of
:mod:`paindiary.models` (``VALIDATORS``). Valid rows of a table (CSV) go
straight into the kind's table while the table's constraints accept them, i.e.
while every row is a new record (:class:`paindiary.transfer.staging.Direct`); otherwise
(and for records: JSON, Daylio) they are staged in a temporary table, the rows
written so far moving there too, and set-based SQL (:mod:`paindiary.transfer.staging`)
finds what a row-by-row check cannot: keys repeated in the file, records that break the
record rules (``models.RULES``) once merged with what is stored, and
conflicts. Only then are staged rows written (``UPDATE ... FROM`` and
``INSERT ... SELECT``), and the counts come from SQLite. Everything, reading
included, happens inside one ``BEGIN IMMEDIATE`` transaction
(:meth:`paindiary.db.Diary.transaction`): any error, ``--dry-run`` or a killed
process leaves the diary exactly as it was.

Speed: tables (CSV) are validated a column of a chunk at a time. A time column
already in canonical form is proven so by C-level checks; other cells run
through the validator once per distinct value (memoised); rows reach SQLite as
tuples through ``executemany``. Memory stays flat: the file is streamed in
chunks, memos are bounded, the fast path keeps a bounded list of runs of record
numbers and lines, and the staging table lives in SQLite's temporary storage (a
file SQLite creates 0600 and deletes), not in Python.
"""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from paindiary import io as formats
from paindiary import models, store, when
from paindiary.db import Diary, fulltext, schema
from paindiary.errors import DatabaseError, PaindiaryError
from paindiary.io.source import Source
from paindiary.store import KINDS, Kind
from paindiary.transfer import staging
from paindiary.transfer.staging import Counts, Direct, Stage

ON_CONFLICT = ("update", "skip", "error")
MAX_SHOWN = 50
_MEMO_LIMIT = 20_000
_KEY_KINDS: dict[str, list[Kind]] = {}  # time field -> the kinds keyed by it
for _kind in KINDS.values():
    _KEY_KINDS.setdefault(_kind.time_field, []).append(_kind)


@dataclass(frozen=True)
class ImportOptions:
    kind: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    date_format: str | None = None
    ignore_extra: bool = False
    on_conflict: str = "update"
    dry_run: bool = False


@dataclass
class ImportResult:
    counts: dict[str, Counts]
    dry_run: bool
    skipped: dict[str, int] = field(default_factory=dict)  # what the file held besides records, counted

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dry_run": self.dry_run}
        for kind, counts in self.counts.items():
            out[kind] = {"inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged}
        if self.skipped:  # (phone and watch exports: record types paindiary does not use)
            out["skipped"] = dict(self.skipped)
        return out


class ImportFailed(PaindiaryError):
    """Some records are not acceptable: nothing was written. ``errors`` lists them all."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported (fix and try again):"]
        lines += [f"  {error}" for error in self.errors[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            lines.append(f"  ... and {count - MAX_SHOWN} more.")
        super().__init__("\n".join(lines))


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def parse_pairs(option: str, specs: Iterable[str]) -> dict[str, str]:
    """``["A=b", ...]`` from a repeated option into ``{"A": "b"}`` (the text before the last ``=``)."""
    pairs: dict[str, str] = {}
    for spec in specs:
        source, sep, target = spec.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise PaindiaryError(f"{option} {spec!r}: write it as NAME=VALUE, e.g. {option} 'Pain Level=pain'.")
        pairs[source.strip()] = target.strip()
    return pairs


def parse_mood_map(specs: Iterable[str]) -> dict[str, float]:
    """``--mood-map LABEL=VALUE`` options into label -> mood (0-10)."""
    moods: dict[str, float] = {}
    for label, value in parse_pairs("--mood-map", specs).items():
        mood = models.number("mood", value)
        if mood is None:
            raise PaindiaryError(f"--mood-map {label}=: give a mood from 0 to 10.")
        moods[label] = float(mood)
    return moods


# --- validating ------------------------------------------------------------------


class _Invalid:
    """A cell that failed validation (kept in place of its value)."""

    __slots__ = ("error",)

    def __init__(self, error: PaindiaryError) -> None:
        self.error = error


class _Memo(dict[Any, Any]):
    """cell -> stored value (or :class:`_Invalid`), computing each distinct cell once."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert
        self.failed = False

    def __missing__(self, cell: Any) -> Any:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        value = self(cell)
        self[cell] = value
        return value

    def __call__(self, cell: Any) -> Any:
        try:
            return self.convert(cell)
        except PaindiaryError as exc:
            self.failed = True
            return _Invalid(exc)


def _converter(kind: Kind, name: str, decode: Callable[[Any], Any] | None, date_format: str | None) -> _Memo:
    """cell -> stored value: decode (format), re-date (--date-format), validate (models), store."""
    validate = models.VALIDATORS[kind.name][name]
    redate = date_format if name == kind.time_field else None

    def convert(cell: Any) -> Any:
        value = decode(cell) if decode is not None else cell
        if redate:
            value = when.parse_with_format(value, redate, name)
        return store.column_value(name, validate(value))

    return _Memo(convert)


@dataclass
class _Run:
    conn: sqlite3.Connection
    options: ImportOptions
    errors: list[tuple[int, int, int, str]] = field(default_factory=list)  # (section, recno, order, message)
    stages: dict[str, Stage] = field(default_factory=dict)
    directs: dict[str, Direct] = field(default_factory=dict)  # kinds on the fast path (no stage)
    section: int = 0
    label: str = ""

    def error(self, recno: int, line: int | None, message: object) -> None:
        where = f"{self.label} record {recno}".strip() if self.label else f"record {recno}"
        if line is not None:
            where += f" (line {line})"
        self.errors.append((self.section, recno, len(self.errors), f"{where}: {message}"))

    def messages(self) -> list[str]:
        return [message for *_, message in sorted(self.errors)]

    def stage(self, kind: Kind) -> Stage:
        if kind.name not in self.stages:
            self.stages[kind.name] = Stage(self.conn, kind)
            if kind.name in self.directs:  # leaving the fast path: its rows join the stage
                self.directs.pop(kind.name).to_stage(self.stages[kind.name])
        return self.stages[kind.name]


def _kind_named(name: str | None, where: str) -> Kind | None:
    if name is None:
        return None
    if name not in KINDS:
        choices = ", ".join(KINDS)
        raise PaindiaryError(f"{where}: unknown kind {name!r}; choose {choices}.")
    return KINDS[name]


def _infer_kind(names: Iterable[str], given: Kind | None) -> Kind:
    if given is not None:
        return given
    columns = set(names)
    times = {name for name in columns if name in _KEY_KINDS}
    if len(times) != 1:
        raise PaindiaryError(
            "Cannot tell which kind of record this is: it needs exactly one of the columns recorded_at (entries; "
            "with instrument, assessments), started_at (treatments), taken_at (medications) or day (measurements); "
            "add --kind, or --map 'Your column=recorded_at'."
        )
    # kinds sharing a time field (entries, assessments) are told apart by the rest of their key
    sharing = sorted(_KEY_KINDS[times.pop()], key=lambda kind: -len(kind.key))
    return next((kind for kind in sharing if columns.issuperset(kind.key)), sharing[-1])


def _stage_table(run: _Run, table: formats.Table, progress: Callable[[], None]) -> None:
    options = run.options
    columns = [options.mapping.get(name, name) for name in table.columns]
    kind = _infer_kind(columns, _kind_named(table.kind or options.kind, "--kind"))
    absent = [source for source in options.mapping if source not in set(table.columns)]
    if absent:
        source = absent[0]
        raise PaindiaryError(
            f"--map {source}={options.mapping[source]}: the file has no column {source}; "
            f"its columns are {', '.join(table.columns)}."
        )
    repeated = sorted(name for name, count in Counter(columns).items() if count > 1)
    if repeated:
        raise PaindiaryError(f"The column(s) {', '.join(repeated)} appear more than once in the header.")
    unknown = [name for name in columns if name not in kind.fields and name != "id"]
    if unknown and not options.ignore_extra:
        raise PaindiaryError(
            f"Unknown column(s) for {kind.name}: {', '.join(unknown)}. Known columns: {', '.join(kind.fields)}. "
            "Rename them with --map 'Column=field', or leave them out with --ignore-extra."
        )
    missing = [name for name in kind.key if name not in columns]
    if missing:
        raise PaindiaryError(f"The required column {', '.join(missing)} is missing (needed to match {kind.name}).")
    present = {name: columns.index(name) for name in kind.fields if name in columns}
    mask = sum(1 << i for i, name in enumerate(kind.fields) if name in present)
    converters = {
        name: _converter(kind, name, table.decoders.get(name), options.date_format) for name in present
    }  # fmt: skip
    stage = run.stages.get(kind.name)
    direct = None
    if stage is None and kind.name not in run.directs:
        direct = run.directs[kind.name] = Direct(run.conn, kind, mask)
    rules = models.RULES[kind.name]
    pairs = [] if rules.pairs_in_schema else [
        (kind.fields.index(low), kind.fields.index(high))
        for low, high in rules.not_above if low in present and high in present
    ]  # fmt: skip
    width = len(columns)
    blank = [""] * width
    key_column = present[kind.time_field]
    for chunk in table.chunks:
        rows, lines, first = chunk.rows, chunk.lines, chunk.first
        skip: set[int] = set()  # rows left out without looking at their cells
        if len(set(map(len, rows))) != 1 or len(rows[0]) != width:
            for i, row in enumerate(rows):
                if len(row) != width:
                    run.error(first + i, lines[i], f"has {len(row)} cells where the header has {width}.")
                    skip.add(i)
            rows = [row if len(row) == width else blank for row in rows]
        cells = list(zip(*rows, strict=True))
        if "" in cells[key_column]:  # maybe rows of empty cells, as spreadsheets leave at the end
            skip.update(i for i, row in enumerate(rows) if row == blank)
        bad = set(skip)
        values: list[Iterable[Any]] = []
        for name in kind.fields:
            if name not in present:
                values.append(repeat(None))
                continue
            column = cells[present[name]]
            memo = converters[name]
            if name == kind.time_field:
                if options.date_format is None and models.column_is_canonical(kind.name, name, column):
                    values.append(column)
                    continue
                checked = list(map(memo, column))  # unique values: no memo
            else:
                checked = list(map(memo.__getitem__, column))
            if memo.failed:
                for i, value in enumerate(checked):
                    if value.__class__ is _Invalid and i not in skip:
                        run.error(first + i, lines[i], value.error)
                        bad.add(i)
            values.append(checked)
        if direct is not None and pairs and _breaks_a_pair(values, pairs, bad):
            direct = None  # the schema would not refuse this chunk: the staged checks must see it
        if direct is not None:
            if _write_direct(run, direct, values, bad, first, lines):
                progress()
                continue
            direct = None
        stage = run.stage(kind)
        recnos = range(first, first + len(rows))
        staged = zip(recnos, lines, repeat(mask), *values)
        if bad:
            keep = [row for i, row in enumerate(staged) if i not in bad]
            stage.add(keep, len(keep), (mask,) if keep else ())
        else:
            stage.add(staged, len(rows), (mask,))
        progress()


def _breaks_a_pair(values: Sequence[Any], pairs: Sequence[tuple[int, int]], bad: set[int]) -> bool:
    """True if a good row has a (low, high) pair of ``models.RULES`` with low > high."""
    for low, high in pairs:
        for i, (a, b) in enumerate(zip(values[low], values[high], strict=True)):
            if a is not None and b is not None and i not in bad and a > b:
                return True
    return False


def _write_direct(
    run: _Run, direct: Direct, values: Sequence[Any], bad: set[int], first: int, lines: Sequence[int]
) -> bool:
    """Write a chunk on the fast path (see :class:`Direct`); False if it must go through a stage."""
    if run.errors:  # the import fails anyway: stop writing (the staged path finds every other problem)
        return False
    kind, mask = direct.kind, direct.mask
    present = [values[i] for i in range(len(kind.fields)) if mask >> i & 1]
    count = len(present[0])
    if not bad and isinstance(lines, range):
        return direct.add(zip(*present, strict=True), [(count, first, lines.start)])
    keep = [i for i in range(count) if i not in bad]  # (bad rows here are blank rows, skipped)
    if not keep:
        return True
    runs = []
    start = prev = keep[0]
    for i in keep[1:]:
        if i != prev + 1 or lines[i] != lines[prev] + 1:
            runs.append((prev - start + 1, first + start, lines[start]))
            start = i
        prev = i
    runs.append((prev - start + 1, first + start, lines[start]))
    return direct.add([row for i, row in enumerate(zip(*present, strict=True)) if i not in bad], runs)


def _stage_records(run: _Run, records: formats.Records, progress: Callable[[], None]) -> None:
    options = run.options
    given = _kind_named(records.kind or options.kind, "--kind")
    kind: Kind | None = None
    for chunk in records.chunks:
        staged = []
        for recno, line, item in chunk:
            if isinstance(item, PaindiaryError):
                run.error(recno, line, item)
                continue
            if not isinstance(item, dict):
                run.error(recno, line, "expected a JSON object of field names and values.")
                continue
            values = {options.mapping.get(name, name): value for name, value in item.items()}
            if kind is None:
                kind = _infer_kind(values, given)
            row = _record_row(run, kind, recno, line, values)
            if row is not None:
                staged.append(row)
        if kind is not None:
            run.stage(kind).add(staged, len(staged), {row[2] for row in staged})
        progress()


def _record_row(
    run: _Run, kind: Kind, recno: int, line: int | None, values: Mapping[str, object]
) -> tuple[Any, ...] | None:
    unknown = sorted(set(values) - set(kind.fields) - {"id"})
    if unknown and not run.options.ignore_extra:
        run.error(recno, line, f"unknown field(s) {', '.join(unknown)}; known fields: {', '.join(kind.fields)}.")
        return None
    row: list[Any] = [recno, line, 0]
    ok = True
    for i, name in enumerate(kind.fields):
        if name not in values:
            if name in kind.key:
                run.error(recno, line, f"{name} is missing (it is needed to match {kind.name}).")
                ok = False
            row.append(None)
            continue
        value = values[name]
        try:
            if name == kind.time_field and run.options.date_format:
                value = when.parse_with_format(value, run.options.date_format, name)
            row.append(store.column_value(name, models.VALIDATORS[kind.name][name](value)))
        except PaindiaryError as exc:
            run.error(recno, line, exc)
            ok = False
            row.append(None)
        row[2] |= 1 << i
    return tuple(row) if ok else None


# --- checking and writing ----------------------------------------------------------


def run_import(
    diary: Diary,
    sections: Callable[[], list[formats.Section]],
    options: ImportOptions,
    progress: Callable[[], None] = lambda: None,
) -> ImportResult:
    """Import the sections a reader makes, all or nothing; see the module docstring."""
    if options.on_conflict not in ON_CONFLICT:
        raise PaindiaryError(f"--on-conflict {options.on_conflict}: choose update, skip or error.")
    _kind_named(options.kind, "--kind")
    for target in options.mapping.values():
        if target not in {name for kind in KINDS.values() for name in kind.fields}:
            raise PaindiaryError(f"--map ...={target}: {target} is not a field paindiary knows.")
    collecting = gc.isenabled()
    gc.disable()  # the pipeline makes no reference cycles; the collector would only slow it down
    try:
        with diary.transaction() as conn, fulltext.bulk(conn):  # the search index: one statement at the end
            result = _run(conn, sections, options, progress)
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    finally:
        if collecting:
            gc.enable()
    return result


def _run(
    conn: sqlite3.Connection,
    sections: Callable[[], list[formats.Section]],
    options: ImportOptions,
    progress: Callable[[], None],
) -> ImportResult:
    missing = schema.missing_key_indexes(conn)
    if missing:  # (only a hand-made change removes one; without it, a repeated key would be stored)
        names = ", ".join(schema.key_index(table) for table in missing)
        raise DatabaseError(f"The diary's key index {names} is missing; run 'paindiary doctor --repair' first.")
    run = _Run(conn, options)
    skipped: Counter[str] = Counter()
    try:
        for number, section in enumerate(sections()):
            if options.kind and section.kind and section.kind != options.kind:
                continue  # a full document: only the kind asked for
            if isinstance(section, formats.Records):
                skipped.update(section.skipped)
            run.section, run.label = number, section.label
            if isinstance(section, formats.Table):
                _stage_table(run, section, progress)
            else:
                _stage_records(run, section, progress)
    except UnicodeDecodeError:
        raise PaindiaryError(
            "The file is not UTF-8 text; save it as UTF-8 (in a spreadsheet: 'CSV UTF-8') and try again."
        ) from None
    for direct in list(run.directs.values()):
        if not direct.finish():  # a key repeated in the file: the staged path reports each one
            run.stage(direct.kind)
    for stage in run.stages.values():
        run.label = stage.kind.name if len(run.stages) > 1 else ""
        if stage.stored_before:  # (into an empty table, the insert itself finds them: see staging.apply)
            staging.check_duplicates(stage, run.error)
        staging.check_rules(stage, options.on_conflict, run.error)
        if options.on_conflict == "error":
            staging.check_conflicts(stage, run.error)
    if run.errors:
        _report_repeats(run)
        raise ImportFailed(run.messages())
    counts = {name: Counts(inserted=direct.rows) for name, direct in run.directs.items()}
    for name, stage in run.stages.items():
        run.label = name if len(run.stages) > 1 else ""
        try:
            counts[name] = staging.apply(stage, options.on_conflict)
        except staging.RepeatedKey:  # (every kind's repeats, not only this one's)
            _report_repeats(run)
            raise ImportFailed(run.messages()) from None
    return ImportResult(counts, options.dry_run, dict(sorted(skipped.items())))


def _report_repeats(run: _Run) -> None:
    """Report the keys repeated in the file for each kind going into an empty table (not checked before)."""
    for stage in run.stages.values():
        if not stage.stored_before:
            run.label = stage.kind.name if len(run.stages) > 1 else ""
            staging.check_duplicates(stage, run.error)


def import_source(
    diary: Diary,
    source: Source,
    fmt: str | None,
    options: ImportOptions,
    read_options: formats.ReadOptions,
    progress: Callable[[], None] = lambda: None,
) -> ImportResult:
    """Read ``source`` in its format (``fmt`` or from the extension) and import it: see :func:`run_import`."""
    declared = formats.format_for(source.name, fmt)
    if not declared.mappable and (options.mapping or options.date_format):
        raise PaindiaryError(f"--map and --date-format do not apply to {declared.description} exports; leave them out.")
    if declared.read_path is not None:
        raise PaindiaryError(f"--format {declared.name} reads a file, folder or zip by its name; give its path, not -.")
    read = formats.reader(declared.name)
    return run_import(diary, lambda: read(source.text, read_options), options, progress)


def reads_by_path(file: str, fmt: str | None) -> bool:
    """True if the format of ``file`` (``fmt`` or from the extension) reads by path: see :func:`import_path`."""
    return file != "-" and fmt is not None and formats.format_for(file, fmt).read_path is not None


def import_path(
    diary: Diary,
    path: str,
    fmt: str,
    options: ImportOptions,
    progress: formats.PathProgress | None = None,
) -> ImportResult:
    """Import a phone's or watch's export (a file, folder or zip) read by its path: see :func:`run_import`.

    ``progress`` is called with (bytes read, bytes in all) as the reader goes.
    """
    declared = formats.format_for(path, fmt)
    read_path = declared.read_path
    if read_path is None:
        raise PaindiaryError(f"--format {declared.name} reads a stream, not a path.")
    if options.mapping or options.date_format:
        raise PaindiaryError(f"--map and --date-format do not apply to {declared.description} exports; leave them out.")
    return run_import(diary, lambda: read_path(path, progress), options)
