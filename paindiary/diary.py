"""Use cases on an open diary: add, edit and delete records, each one transaction.

The CLI calls these with plain values (contract field names); validation is
:mod:`paindiary.models`, storage is :mod:`paindiary.store`. :func:`created_whole`
makes a new diary that appears only once the work filling it has succeeded.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from paindiary import files, models, store, when
from paindiary.db import Diary, open_db
from paindiary.errors import DatabaseError, LocalTimeError, PaindiaryError, RecordError
from paindiary.store import Kind, R, RecordKind

_LISTS = ("tags", "side_effects")


NEXT_FREE_TRIES = 60  # seconds a record made "now" may move forward to find a free one


def add(diary: Diary, kind: RecordKind[R], record: R, *, next_free_second: bool = False) -> R:
    """Insert a new, validated record (from ``kind.make``); returns it with its id.

    With ``next_free_second`` (a record timed "now", not by the person), a record whose
    time is taken is stored at the next free second instead of being refused: two
    commands typed within one second both keep their record.
    """
    with diary.transaction() as conn:
        for _ in range(NEXT_FREE_TRIES if next_free_second else 0):
            if store.find_by_key(conn, kind, record) is None:
                break
            stamp = getattr(record, kind.time_field)
            later = when.plus_seconds(stamp, 1)
            record = kind.make({**record.to_dict(), kind.time_field: later})
        record_id = store.insert(conn, kind, record)
        return store.get(conn, kind, record_id)


def clearable(kind: RecordKind[R]) -> tuple[str, ...]:
    """Fields of ``kind`` that may be cleared (everything but key and required fields)."""
    required = {*kind.key, *models.RULES[kind.name].required}
    return tuple(name for name in kind.fields if name not in required)


def edit(
    diary: Diary,
    kind: RecordKind[R],
    record_id: int,
    changes: Mapping[str, object],
    clear: Iterable[str] = (),
) -> R:
    """Change some fields of a stored record (and clear others); returns the result."""
    clear = list(clear)
    allowed = clearable(kind)
    for name in clear:
        if name not in allowed:
            raise RecordError(f"--clear {name}: cannot clear that; clearable fields: {', '.join(allowed)}.")
    if not changes and not clear:
        raise RecordError(
            f"Nothing to change; give the new values as options (see 'paindiary {kind.noun} edit --help')."
        )
    with diary.transaction() as conn:
        values = store.get(conn, kind, record_id).to_dict()
        values.update(changes)
        for name in clear:
            values[name] = [] if name in _LISTS else None
        record = _remake(kind, values, changes)
        store.update(conn, kind, record_id, record)
        return store.get(conn, kind, record_id)


def remove(diary: Diary, kind: RecordKind[R], record_id: int) -> None:
    """Delete a stored record."""
    with diary.transaction() as conn:
        store.delete(conn, kind, record_id)


def add_all(diary: Diary, batches: Iterable[tuple[Kind, Iterable[Mapping[str, object]]]]) -> int:
    """Validate and insert several records of several kinds in one transaction."""
    records = [(kind, kind.make(values)) for kind, batch in batches for values in batch]
    with diary.transaction() as conn:
        for kind, record in records:
            store.insert(conn, kind, record)
    return len(records)


def take(diary: Diary, names: Sequence[str], taken_at: str, note: str | None = None) -> list[models.Medication]:
    """Record each named medication at ``taken_at`` with the dose and unit of its most recent dose.

    Names are matched case-insensitively; all are recorded in one transaction, or none
    (an unknown name is a :class:`RecordError` listing the names the diary knows).
    """
    with diary.transaction() as conn:
        latest = store.latest_doses(conn)
        unknown = [name for name in names if name.strip().casefold() not in latest]
        if unknown:
            known = ", ".join(sorted(dose.name for dose in latest.values())) or "none yet"
            raise RecordError(
                f"No earlier dose of {', '.join(unknown)} to repeat; 'med take' repeats a medication recorded "
                f"before ({known}). Record its first dose with 'paindiary med add NAME DOSE UNIT'."
            )
        taken = []
        for name in dict.fromkeys(name.strip().casefold() for name in names):
            last = latest[name]
            record = store.MEDICATIONS.make(
                {"taken_at": taken_at, "name": last.name, "dose": last.dose, "dose_unit": last.dose_unit, "note": note}
            )
            taken.append(store.get(conn, store.MEDICATIONS, store.insert(conn, store.MEDICATIONS, record)))
        return taken


@contextmanager
def created_whole(path: Path, *, keep: Callable[[], bool] = lambda: True) -> Iterator[Diary]:
    """A new diary for ``path`` that is put there only if the block succeeds and ``keep()`` says so.

    The block fills a private temporary diary beside ``path`` (named by
    :func:`paindiary.files.temp_prefix`); on success it is linked into place,
    never over a diary that appeared meanwhile. On failure, or when not kept
    (a dry run), nothing is left: no file, and no folder this call created.
    """
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    tmp = path.with_name(f"{files.temp_prefix(path.name)}new")
    placed = False
    try:
        try:
            handle = open_db(tmp, backup=False)
        except DatabaseError as exc:  # name the diary, not its temporary
            raise DatabaseError(str(exc).replace(str(tmp), str(path))) from None
        with handle:
            yield handle
        if keep():
            try:
                files.put_in_place(tmp, path)
            except FileExistsError:
                raise PaindiaryError(f"{path} appeared while importing; nothing was imported. Run it again.") from None
            placed = True
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
        if not placed:
            for folder in missing:  # deepest first
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _remake(kind: RecordKind[R], values: dict[str, Any], changes: Mapping[str, object]) -> R:
    """``kind.make(values)``, keeping a stored time that is not being changed as it is.

    A time stored before local times were checked may lie in a daylight-saving gap
    or overlap (see :func:`paindiary.when.check_local`); editing the record's other
    fields must still work and keeps that time.
    """
    try:
        return kind.make(values)
    except LocalTimeError as exc:
        stamp = values.get(kind.time_field)
        if kind.time_field in changes or exc.value != stamp or not isinstance(stamp, str):
            raise
        record = kind.make({**values, kind.time_field: stamp[:10] + "T12:00:00"})
        kept: dict[str, Any] = {kind.time_field: stamp}
        return dataclasses.replace(record, **kept)
