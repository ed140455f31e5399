"""Bad input at scale: whatever bytes, text or JSON reach an importer or a validator, the
only failure is paindiary's own error with a message, and nothing is written."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from paindiary import db, diary, models, store, when
from paindiary import io as formats
from paindiary.errors import PaindiaryError
from paindiary.io import ReadOptions
from paindiary.io.daylio import HEADER as DAYLIO_HEADER
from paindiary.io.source import open_source
from paindiary.transfer import importer

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MANY = settings(SETTINGS, max_examples=150)
EDGE_TIMES = [f"{when.FIRST_YEAR}-01-01T00:00:00", f"{when.LAST_YEAR}-12-31T23:59:59"]  # offsets of both signs
FIELDS = sorted({name for kind in store.KINDS.values() for name in kind.fields} | {"id", "kind", "severity"})

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
# records that look like the contract (known field names, any values) reach the deep validators
field_values = (
    json_values
    | st.sampled_from(["2026-03-01", "2026-03-01T09:30:00", "5", "-1", "1e400", "NaN", "", " ", "10.5", "a;b"])
    | st.integers(min_value=-(10**400), max_value=10**400)
)
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), field_values, max_size=8)
cells = st.text(max_size=12) | st.sampled_from(["2026-03-01", "2026-03-01 09:30", "5", "11", "-", "x;y", '"', ""])
stamps = cells | st.sampled_from(["2026-03-01", "2026-03-02T09:30:00", "2026-03-01T09:30+01:00", "2026-02-30"])


@st.composite
def kind_records(draw: Any) -> dict[str, Any]:
    """A record of one kind: its time field (usually a time) and some of its fields, any values."""
    kind = draw(st.sampled_from(list(store.KINDS.values())))
    names = draw(st.lists(st.sampled_from(kind.fields), max_size=6, unique=True))
    record = {name: draw(field_values) for name in names}
    record[kind.time_field] = draw(stamps | field_values)
    return record


json_documents = st.one_of(
    json_values,
    st.lists(records | kind_records(), max_size=5),
    st.fixed_dictionaries({kind: st.lists(kind_records(), max_size=3) for kind in store.KINDS}),
    st.dictionaries(st.sampled_from([*store.KINDS, "version", "kind"]), json_values | st.lists(records), max_size=4),
)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def csv_texts(draw: Any, header: tuple[str, ...] | None = None) -> str:
    if header:
        columns = list(header)
    elif draw(st.booleans()):  # a kind's columns, so rows reach the field validators
        kind = draw(st.sampled_from(list(store.KINDS.values())))
        columns = [kind.time_field, *draw(st.lists(st.sampled_from(kind.fields), max_size=5, unique=True))]
        columns = list(dict.fromkeys(columns))
    else:
        columns = draw(st.lists(st.sampled_from(FIELDS) | st.text(max_size=8), max_size=6))
    rows = draw(st.lists(st.lists(stamps, min_size=len(columns), max_size=len(columns) + 1), max_size=5))
    return _csv_text(columns, rows)


def inputs(fmt: str) -> st.SearchStrategy[bytes]:
    """Raw bytes, any text, and text shaped like the format, for one importer."""
    if fmt == "json":
        shaped = json_documents.map(json.dumps)
    elif fmt == "jsonl":
        shaped = st.lists(json_documents.map(json.dumps) | kind_records().map(json.dumps), max_size=5).map("\n".join)
    elif fmt == "daylio":
        shaped = csv_texts(DAYLIO_HEADER)
    else:
        shaped = csv_texts()
    texts = st.one_of(shaped, shaped, shaped, st.text(), shaped.map(lambda s: s[: len(s) // 2]))  # cut off, too
    return st.one_of(texts.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary())


@pytest.fixture(scope="module")
def base_diary() -> Iterator[Path]:
    """A diary with a few records, so imports can conflict with what is stored."""
    folder = Path(tempfile.mkdtemp())
    path = folder / "base.db"
    entry = store.ENTRIES.make({"recorded_at": "2026-03-01", "pain": 5, "note": "stored"})
    dose = store.MEDICATIONS.make({"taken_at": "2026-03-01", "name": "x", "dose": 1, "dose_unit": "mg"})
    with db.open_db(path) as handle:
        diary.add(handle, store.ENTRIES, entry)
        diary.add(handle, store.MEDICATIONS, dose)
    yield path
    shutil.rmtree(folder)


def _import(path: Path, data: bytes, fmt: str, options: importer.ImportOptions) -> None:
    with db.open_db(path) as handle, open_source("-", io.BytesIO(data)) as source:
        importer.import_source(handle, source, fmt, options, ReadOptions())


@pytest.mark.slow
@pytest.mark.parametrize("fmt", formats.names(reads=True))
def test_an_importer_fed_anything_raises_only_paindiary_errors_and_writes_nothing(fmt: str, base_diary: Path) -> None:
    work = base_diary.with_name(f"work-{fmt}.db")
    shutil.copyfile(base_diary, work)
    options = [importer.ImportOptions(), importer.ImportOptions(on_conflict="error", ignore_extra=True)]

    @MANY
    @given(data=inputs(fmt), choice=st.sampled_from(options))
    def check(data: bytes, choice: importer.ImportOptions) -> None:
        before = work.read_bytes()
        try:
            _import(work, data, fmt, choice)
        except PaindiaryError as exc:
            assert str(exc).strip(), "an error without a message"
            assert work.read_bytes() == before, "a failed import changed the diary"
        else:  # the odd input that is a valid file: start the next one from the same diary
            shutil.copyfile(base_diary, work)

    check()


@SETTINGS
@given(values=records, kind=st.sampled_from(list(store.KINDS.values())))
def test_validators_fed_anything_raise_only_paindiary_errors(values: dict[str, Any], kind: store.Kind) -> None:
    try:
        record = kind.make(values)
    except PaindiaryError as exc:
        assert str(exc).strip()
    else:
        assert isinstance(record, kind.record_type)


@SETTINGS
@given(
    text=st.text()
    | st.sampled_from(["-99999d", "24:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00-01:00"])
    | st.sampled_from([f"{day}{offset}" for day in EDGE_TIMES for offset in ("+23:59", "-23:59", "+14:00", "-12:00")])
)
def test_time_parsing_fed_anything_raises_only_paindiary_errors(text: str) -> None:
    for parse in (lambda t: when.canonical(t), lambda t: when.parse_when(t, datetime(2026, 3, 15, 10, 30))):
        try:
            stamp = parse(text)
        except PaindiaryError as exc:
            assert str(exc).strip()
        else:
            assert stamp == when.canonical(stamp)


FULL_ENTRY = {
    "recorded_at": "2026-03-01T09:30:00", "pain": 5, "worst_pain": 8, "least_pain": 2.5, "enjoyment": 4, "activity": 6,
    "sleep_hours": 7.25, "sleep_quality": 3, "mood": 6, "note": "a note, with \"quotes\"", "tags": ["walk", "rain"],
}  # fmt: skip


@pytest.mark.slow  # a property test with many examples, each writing a diary
@SETTINGS
@given(values=records)
@example(values=FULL_ENTRY)
def test_every_entry_the_validator_accepts_the_database_stores(values: dict[str, Any]) -> None:
    """The database's CHECK constraints never reject what validation let through."""
    values = {"recorded_at": "2026-03-01", **values}
    try:
        entry = store.ENTRIES.make(values)
    except PaindiaryError:
        return
    folder = Path(tempfile.mkdtemp())
    try:
        with db.open_db(folder / "d.db") as handle:
            added = diary.add(handle, store.ENTRIES, entry)
            stored = store.select(handle.conn, store.ENTRIES)
    finally:
        shutil.rmtree(folder)
    assert stored == [dataclasses.replace(entry, id=added.id)]  # stored as validated: nothing lost or changed


def test_models_turn_huge_numbers_into_validation_errors() -> None:
    with pytest.raises(PaindiaryError):
        models.number("pain", 10**400)
