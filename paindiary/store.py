"""Queries: records in, records out, for the kinds a diary holds (models.KINDS).

Functions here take an open connection (``diary.conn`` of the handle
:func:`paindiary.db.open_db` returns) and validated records (from
:mod:`paindiary.models`). Writers expect to run inside ``diary.transaction()``;
readers return records in chronological order.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import asdict
from operator import itemgetter
from typing import Any, cast

from paindiary import measures, models, when
from paindiary.errors import ConflictError, NotFoundError, RecordError

# The kinds are declared in paindiary.models; the queries' callers find them here too.
from paindiary.models import ASSESSMENTS as ASSESSMENTS
from paindiary.models import ENTRIES as ENTRIES
from paindiary.models import KINDS as KINDS
from paindiary.models import MEASUREMENTS as MEASUREMENTS
from paindiary.models import MEDICATIONS as MEDICATIONS
from paindiary.models import TREATMENTS as TREATMENTS
from paindiary.models import Kind as Kind
from paindiary.models import R as R
from paindiary.models import Record as Record
from paindiary.models import RecordKind as RecordKind


def column_value(field: str, value: Any) -> Any:
    """How a validated field value is stored: tags and side effects as JSON text, the rest as is."""
    if field == "tags":
        return json.dumps(list(value), ensure_ascii=False)
    if field == "side_effects":
        return json.dumps([asdict(effect) for effect in value], ensure_ascii=False)
    return value


def to_row(record: Record) -> dict[str, Any]:
    """The column values of a record (lists stored as JSON text), without ``id``."""
    return {name: column_value(name, getattr(record, name)) for name in record.to_dict() if name != "id"}


def from_row(kind: RecordKind[R], row: sqlite3.Row) -> R:
    """Build a record from a stored row (already valid: no re-validation)."""
    values = dict(row)
    if kind.record_type is models.Measurement:
        return _BUILDERS[kind.name](tuple(values[name] for name in (*kind.fields, "id")))  # type: ignore[return-value]
    if "tags" in values:
        values["tags"] = tuple(json.loads(values["tags"]))
    if "side_effects" in values:
        values["side_effects"] = tuple(models.SideEffect(**d) for d in json.loads(values["side_effects"]))
    return kind.record_type(**values)


def _builder(kind: RecordKind[R]) -> Callable[[tuple[Any, ...]], R]:
    """A fast :func:`from_row` for rows selected as ``(*kind.fields, id)``: the record's own field order.

    Building records was most of the time of loading a large diary (``benchmarks/analyze.py``):
    positional arguments and skipping ``json.loads`` for empty lists make it about twice as fast.
    """
    names = tuple(field.name for field in dataclasses.fields(kind.record_type))
    assert names == (*kind.fields, "id"), names
    record_type: Callable[..., R] = kind.record_type
    if "tags" in kind.fields:
        i = kind.fields.index("tags")

        def build_entry(row: tuple[Any, ...]) -> R:
            tags = row[i]
            return record_type(*row[:i], () if tags == "[]" else tuple(json.loads(tags)), *row[i + 1 :])

        return build_entry
    if "side_effects" in kind.fields:
        j = kind.fields.index("side_effects")

        def build_treatment(row: tuple[Any, ...]) -> R:
            effects = tuple(models.SideEffect(**d) for d in json.loads(row[j]))
            return record_type(*row[:j], effects, *row[j + 1 :])

        return build_treatment
    if kind.record_type is models.Measurement:  # REAL in the table: whole metrics (steps) back to int
        whole = {metric.name for metric in measures.METRICS.values() if metric.whole}

        def build_measurement(row: tuple[Any, ...]) -> R:
            day, metric, value, source, record_id = row
            return record_type(day, metric, int(value) if metric in whole else value, source, record_id)

        return build_measurement
    return lambda row: record_type(*row)


def _cursor(conn: sqlite3.Connection) -> sqlite3.Cursor:
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor


def find_by_key(conn: sqlite3.Connection, kind: RecordKind[R], record: R) -> int | None:
    """The id of the stored record with the same natural key, if any."""
    where = " AND ".join(f"{name} = ?" for name in kind.key)
    params = [getattr(record, name) for name in kind.key]
    row = conn.execute(f"SELECT id FROM {kind.table} WHERE {where}", params).fetchone()
    return None if row is None else int(row[0])


def _describe_key(kind: RecordKind[R], record: R) -> str:
    return " ".join(str(getattr(record, name)) for name in kind.key)


def _conflict(kind: RecordKind[R], record: R, existing: int) -> ConflictError:
    article = "An" if kind.singular[0] in "aeiou" else "A"
    return ConflictError(
        f"{article} {kind.singular} already exists at {_describe_key(kind, record)} (id {existing}); "
        f"change it with 'paindiary {kind.noun} edit {existing} ...' "
        f"or remove it with 'paindiary {kind.noun} delete {existing}'."
    )


def insert(conn: sqlite3.Connection, kind: RecordKind[R], record: R) -> int:
    """Insert a new record; a record with the same natural key is a :class:`ConflictError`."""
    existing = find_by_key(conn, kind, record)
    if existing is not None:
        raise _conflict(kind, record, existing)
    row = to_row(record)
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cursor = conn.execute(f"INSERT INTO {kind.table} ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def get(conn: sqlite3.Connection, kind: RecordKind[R], record_id: int) -> R:
    row = _cursor(conn).execute(f"SELECT * FROM {kind.table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"No {kind.singular} has id {record_id}; see the ids with 'paindiary {kind.noun} list'.")
    return from_row(kind, row)


def update(conn: sqlite3.Connection, kind: RecordKind[R], record_id: int, record: R) -> None:
    """Replace the stored record ``record_id`` with ``record`` (same or free natural key)."""
    existing = find_by_key(conn, kind, record)
    if existing is not None and existing != record_id:
        raise _conflict(kind, record, existing)
    row = to_row(record)
    assignments = ", ".join(f"{name} = ?" for name in row)
    conn.execute(f"UPDATE {kind.table} SET {assignments} WHERE id = ?", [*row.values(), record_id])


def delete(conn: sqlite3.Connection, kind: RecordKind[R], record_id: int) -> None:
    get(conn, kind, record_id)
    conn.execute(f"DELETE FROM {kind.table} WHERE id = ?", (record_id,))


def time_clauses(column: str, since: str | None, until: str | None) -> tuple[list[str], list[object]]:
    """SQL conditions and their parameters keeping ``column`` within ``since .. until`` (``when.range_bounds``)."""
    lo, hi = when.range_bounds(since, until)
    clauses: list[str] = []
    params: list[object] = []
    if lo is not None:
        clauses.append(f"{column} >= ?")
        params.append(lo)
    if hi is not None:
        clauses.append(f"{column} < ?")
        params.append(hi)
    return clauses, params


def select(
    conn: sqlite3.Connection,
    kind: RecordKind[R],
    *,
    since: str | None = None,
    until: str | None = None,
    last: int | None = None,
) -> list[R]:
    """Records of ``kind`` between ``since`` and ``until`` (canonical times, inclusive).

    ``last`` keeps the N most recent of those; the result is chronological.
    """
    if (since and len(since) == when.WITH_OFFSET) or (until and len(until) == when.WITH_OFFSET):
        return _select_by_moment(conn, kind, since, until, last)
    clauses, params = time_clauses(kind.time_field, since, until)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    table, time_field = kind.table, kind.time_field
    columns = ", ".join((*kind.fields, "id"))
    if last is None:  # (sorted below: SQLite sorted the ids of a time with a temporary b-tree, 40% of reading doses)
        sql = f"SELECT {columns} FROM {table}{where}"
    else:
        newest = f"SELECT {columns} FROM {table}{where} ORDER BY {time_field} DESC, id DESC LIMIT ?"
        sql = f"SELECT * FROM ({newest}) ORDER BY {time_field}, id"
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(sql, [*params, last] if last is not None else params).fetchall()
    at = kind.fields.index(time_field)
    if last is None:
        rows.sort(key=itemgetter(at, -1))  # as ORDER BY time, id (UTF-8 keeps the order of code points)
    if rows and when.WITH_OFFSET in set(map(len, map(itemgetter(at), rows))):
        rows = _in_time_order(cursor, rows, at, f"SELECT {columns} FROM {table}", clauses, params, last, time_field)
    build = cast(Callable[[tuple[Any, ...]], R], _BUILDERS[kind.name])
    return [build(row) for row in rows]


def _select_by_moment(
    conn: sqlite3.Connection, kind: RecordKind[R], since: str | None, until: str | None, last: int | None
) -> list[R]:
    """:func:`select` with a bound in a repeated hour (stored with its offset): its text order is not time order.

    Reads the whole days around the bounds, then keeps the records in time between them.
    """
    around = (
        None if since is None else when.day_before(since[:10]),
        None if until is None else when.next_day(until[:10]),
    )
    first, final = (None if bound is None else when.order_key(bound) for bound in (since, until))
    found = [
        record
        for record in select(conn, kind, since=around[0], until=around[1])
        if (first is None or when.order_key(getattr(record, kind.time_field)) >= first)
        and (final is None or when.order_key(getattr(record, kind.time_field)) <= final)
    ]
    return found if last is None else found[len(found) - last :] if last else []


def _in_time_order(
    cursor: sqlite3.Cursor,
    rows: list[Any],
    at: int,
    query: str,
    clauses: list[str],
    params: list[object],
    last: int | None,
    time_field: str,
) -> list[Any]:
    """``rows`` (in text order of their time, column ``at``) put in time order by ``when.order_key``.

    Times stored with an offset (a repeated hour's) are out of order as text. With
    ``last``, the rows from the day before the oldest kept one up to it are read too
    (``query`` with ``clauses``), since one of them may be later in time than a row the
    text order kept.
    """
    if last is not None and len(rows) == last:
        oldest = rows[0][at]
        before = when.day_before(oldest[:10])
        where = " AND ".join([*clauses, f"{time_field} >= ?", f"{time_field} < ?"])
        rows = [*cursor.execute(f"{query} WHERE {where}", [*params, before, oldest]).fetchall(), *rows]
    rows.sort(key=lambda row: (when.order_key(row[at]), row[-1]))
    return rows if last is None else rows[-last:]


_BUILDERS: dict[str, Callable[[tuple[Any, ...]], Record]] = {name: _builder(kind) for name, kind in KINDS.items()}


def last_id(conn: sqlite3.Connection, kind: RecordKind[R]) -> int | None:
    """The id of the most recently recorded row of ``kind`` (the highest id), or ``None`` when there is none."""
    row = conn.execute(f"SELECT max(id) FROM {kind.table}").fetchone()
    return None if row[0] is None else int(row[0])


def latest_doses(conn: sqlite3.Connection) -> dict[str, models.Medication]:
    """The most recent dose of each medication, by its name compared case-insensitively (``casefold``)."""
    columns = ", ".join((*MEDICATIONS.fields, "id"))
    ranked = (
        f"SELECT {columns}, row_number() OVER (PARTITION BY lower(name) ORDER BY taken_at DESC, id DESC) AS rank "
        "FROM medications"
    )
    build = cast(Callable[[tuple[Any, ...]], models.Medication], _BUILDERS[MEDICATIONS.name])
    latest: dict[str, models.Medication] = {}
    cursor = conn.cursor()
    cursor.row_factory = None
    for row in cursor.execute(f"SELECT {columns} FROM ({ranked}) WHERE rank = 1 ORDER BY taken_at DESC, id DESC"):
        dose = build(row)
        if len(dose.taken_at) == when.WITH_OFFSET:  # in a repeated hour: the latest in time, not in text
            since = when.day_before(dose.taken_at[:10])
            nearby = f"SELECT {columns} FROM medications WHERE lower(name) = lower(?) AND taken_at >= ?"
            dose = build(max(conn.execute(nearby, (dose.name, since)), key=lambda r: (when.order_key(r[0]), r[-1])))
        latest.setdefault(dose.name.casefold(), dose)  # (lower() in SQL folds ASCII only)
    return latest


def stats(conn: sqlite3.Connection, kind: RecordKind[R]) -> tuple[int, str | None, str | None]:
    """(count, first time, last time) of a kind."""
    row = conn.execute(f"SELECT count(*), min({kind.time_field}), max({kind.time_field}) FROM {kind.table}").fetchone()
    return int(row[0]), row[1], row[2]


def load_diary(
    conn: sqlite3.Connection, since: str | None = None, until: str | None = None
) -> tuple[list[models.Entry], list[models.Treatment], list[models.Medication]]:
    """(entries, treatments, medications) of a diary, optionally limited to ``since .. until``.

    For the computations (analysis, summary, charts, report): a record they cannot use, kept
    from before paindiary refused such values at input (a time outside the years
    ``when.FIRST_YEAR``-``when.LAST_YEAR``, a dose above ``models.DOSE_MAX``), is a
    :class:`~paindiary.errors.RecordError` saying how to correct it.
    """
    entries = select(conn, ENTRIES, since=since, until=until)
    treatments = select(conn, TREATMENTS, since=since, until=until)
    medications = select(conn, MEDICATIONS, since=since, until=until)
    _check_usable(entries, treatments, medications)
    return entries, treatments, medications


def load_recent(
    conn: sqlite3.Connection, first_day: str
) -> tuple[list[models.Entry], list[models.Treatment], list[models.Medication]]:
    """As :func:`load_diary`, the entries and doses from ``first_day`` on and every session (a report's part)."""
    entries = select(conn, ENTRIES, since=first_day)
    treatments = select(conn, TREATMENTS)
    medications = select(conn, MEDICATIONS, since=first_day)
    _check_usable(entries, treatments, medications)
    return entries, treatments, medications


def first_doses(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(name, unit, time of the first dose) of each medication name and unit as stored."""
    rows = conn.execute("SELECT name, dose_unit, min(taken_at) FROM medications GROUP BY name, dose_unit").fetchall()
    return [(name, unit, first) for name, unit, first in rows]


def _check_usable(
    entries: list[models.Entry], treatments: list[models.Treatment], medications: list[models.Medication]
) -> None:
    check_years(ENTRIES, entries)
    check_years(TREATMENTS, treatments)
    check_years(MEDICATIONS, medications)
    for dose in medications:
        if dose.dose > models.DOSE_MAX:
            raise _unusable(MEDICATIONS, dose.id, f"has a dose of {dose.dose:g}, above {models.DOSE_MAX:,}", "--dose N")


def check_years(kind: RecordKind[R], records: list[R]) -> None:
    """Refuse (saying how to correct it) a record of chronological ``records`` dated outside the years."""
    for record in records[:1] + records[-1:]:  # chronological: the first and last are the extremes
        stamp = getattr(record, kind.time_field)
        if not when.FIRST_YEAR <= int(stamp[:4]) <= when.LAST_YEAR:
            years = f"{when.FIRST_YEAR} to {when.LAST_YEAR}"
            raise _unusable(kind, record.id, f"is dated {stamp}, outside the years {years}", "--at WHEN")


def _unusable(kind: Kind, record_id: int | None, problem: str, option: str) -> RecordError:
    return RecordError(
        f"{kind.singular.capitalize()} {record_id} {problem}; correct it with 'paindiary {kind.noun} edit {record_id} "
        f"{option}' or remove it with 'paindiary {kind.noun} delete {record_id}'."
    )


def count_phrase(counts: Mapping[str, int]) -> str:
    """How many records of each kind, as people say it: '4 entries, 1 treatment, 0 medications'."""
    return ", ".join(kind.count(counts.get(name, 0)) for name, kind in KINDS.items())
