"""Properties: lossless round trips over arbitrary valid diaries, and the fast paths agree with the rules."""

from __future__ import annotations

import io
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from paindiary import db, models, store, when
from paindiary import io as formats
from paindiary.assessments import PEG_FIELDS
from paindiary.errors import PaindiaryError
from paindiary.io.csv_format import protect, unprotect
from paindiary.transfer import exporter, importer

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31))
timed = moments.map(lambda m: m.replace(microsecond=0).isoformat())
stamps = st.one_of(days.map(date.isoformat), timed)
scores = st.one_of(st.none(), st.floats(0, 10))
notes = st.one_of(st.none(), st.text(min_size=1, max_size=40))
words = st.text(min_size=1, max_size=12).map(str.strip).filter(lambda w: w != "" and not set(w) & set(";:"))


@st.composite
def entries(draw: Any) -> models.Entry:
    values: dict[str, Any] = {name: draw(scores) for name in models.SCORE_FIELDS}
    low_to_high = ("least_pain", "pain", "worst_pain")
    ordered = sorted(v for v in (values[name] for name in low_to_high) if v is not None)
    for name in low_to_high:
        if values[name] is not None:
            values[name] = ordered.pop(0)
    values.update(
        recorded_at=draw(stamps), sleep_hours=draw(st.one_of(st.none(), st.floats(0, 24))), note=draw(notes),
        tags=draw(st.lists(words, max_size=3)),
    )  # fmt: skip
    try:
        return models.make_entry(values)
    except PaindiaryError:
        assume(False)
        raise


def _vital(name: str) -> st.SearchStrategy[int | None]:
    low, high, _ = models._RANGES[name]
    return st.one_of(st.none(), st.integers(int(low), int(high)))


@st.composite
def treatments(draw: Any) -> models.Treatment:
    vitals = {name: draw(_vital(name)) for name in models.TREATMENT_FIELDS if name.startswith(("heart", "sys", "dia"))}
    for when_ in ("before", "after"):  # the rules: diastolic is not above systolic
        sys_name, dia_name = f"systolic_{when_}", f"diastolic_{when_}"
        if None not in (vitals[sys_name], vitals[dia_name]) and vitals[dia_name] > vitals[sys_name]:
            vitals[sys_name], vitals[dia_name] = vitals[dia_name], vitals[sys_name]
    effects = draw(st.lists(st.fixed_dictionaries({"name": words, "severity": scores}), max_size=3))
    doses = st.one_of(st.none(), st.floats(0.001, models.DOSE_MAX))
    return models.make_treatment(
        {"started_at": draw(timed), "name": draw(words), "dose": draw(doses),
         "dose_unit": draw(st.one_of(st.none(), words)), "duration_min": draw(st.one_of(st.none(), st.floats(0, 1440))),
         "route": draw(st.one_of(st.none(), words)), "provider": draw(st.one_of(st.none(), words)),
         "side_effects": effects, "note": draw(notes), **vitals}
    )  # fmt: skip


medications = st.builds(
    lambda at, name, dose, unit, note: models.make_medication(
        {"taken_at": at, "name": name, "dose": dose, "dose_unit": unit, "note": note}
    ),
    stamps, words, st.floats(0.001, models.DOSE_MAX), words, notes,
)  # fmt: skip


@st.composite
def assessments(draw: Any) -> models.Assessment:
    """A PGIC (1-7) or a past-week PEG (three items, 0-10), as the rules between fields allow."""
    values: dict[str, Any] = {"recorded_at": draw(stamps), "note": draw(notes)}
    if draw(st.booleans()):
        values.update(instrument="pgic", pgic=draw(st.integers(1, 7)))
    else:
        values.update(instrument="peg", **{name: draw(st.floats(0, 10)) for name in PEG_FIELDS})
    return models.ASSESSMENTS.make(values)


diaries = st.fixed_dictionaries(
    {
        "entries": st.lists(entries(), max_size=6, unique_by=lambda e: e.recorded_at),
        "treatments": st.lists(treatments(), max_size=3, unique_by=lambda t: t.started_at),
        "medications": st.lists(medications, max_size=4, unique_by=lambda m: (m.taken_at, m.name)),
        "assessments": st.lists(assessments(), max_size=4, unique_by=lambda a: (a.instrument, a.recorded_at)),
    }
)


def _fill(handle: db.Diary, diary: dict[str, list[Any]]) -> None:
    with handle.transaction() as conn:
        for name, records in diary.items():
            for record in records:
                store.insert(conn, store.KINDS[name], record)


def _assert_same_records(conn: Any, diary: dict[str, list[Any]]) -> None:
    """Nothing was lost on the way: the diary holds exactly the records we started from."""
    for name, records in diary.items():
        kind = store.KINDS[name]
        expected = sorted((exporter.plain(r) for r in records), key=repr)
        assert sorted((exporter.plain(r) for r in store.select(conn, kind)), key=repr) == expected


def _import(handle: db.Diary, fmt: str, text: str, **options: Any) -> importer.ImportResult:
    def read() -> list[formats.Section]:
        return formats.reader(fmt)(io.StringIO(text, newline=""), formats.ReadOptions())

    return importer.run_import(handle, read, importer.ImportOptions(**options))


@SETTINGS
@given(diaries)
def test_json_export_import_export_is_identical(diary):
    with tempfile.TemporaryDirectory() as folder:
        first_path, second_path = Path(folder, "a.db"), Path(folder, "b.db")
        first, second = db.open_db(first_path), db.open_db(second_path)
        _fill(first, diary)
        text = exporter.export_text(first.conn, "json")
        _import(second, "json", text)
        assert exporter.export_text(second.conn, "json") == text
        _assert_same_records(second.conn, diary)
        first.close()
        second.close()


@SETTINGS
@given(diaries)
def test_csv_export_import_export_is_identical(diary):
    with tempfile.TemporaryDirectory() as folder:
        first_path, second_path = Path(folder, "a.db"), Path(folder, "b.db")
        first, second = db.open_db(first_path), db.open_db(second_path)
        _fill(first, diary)
        for kind in diary:
            text = exporter.export_text(first.conn, "csv", kind=kind)
            _import(second, "csv", text)
            assert exporter.export_text(second.conn, "csv", kind=kind) == text
        _assert_same_records(second.conn, diary)
        first.close()
        second.close()


@given(st.text())
def test_the_csv_injection_rule_is_exactly_reversible(text):
    assert unprotect(protect(text)) == text
    assert not protect(text).startswith(("=", "+", "-", "@", "\t", "\r"))


stamp_like = st.one_of(
    stamps,
    st.from_regex(r"\s?[0-9٣]{4}-[0-9]{1,2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9])?)?(Z|[+-]01:00)?)?\s?",
                  fullmatch=True),
    st.text(max_size=20),
)  # fmt: skip


@given(stamp_like)
def test_the_fast_time_check_agrees_with_canonical(text):
    try:
        canonical = when.canonical(text)
    except PaindiaryError:
        canonical = None
    if when.all_canonical([text]):
        assert canonical == text  # the fast path keeps only what the validator would keep unchanged
    if canonical is not None:
        assert when.all_canonical([canonical])  # canonical values do take the fast path


partial_scores = st.dictionaries(
    st.sampled_from(("pain", "worst_pain", "least_pain", "mood")), st.one_of(st.just(""), st.floats(0, 10)), min_size=1
)


@settings(max_examples=60, deadline=None)
@given(stored=st.one_of(st.none(), entries()), row=partial_scores)
def test_merged_record_rules_in_sql_agree_with_the_models(stored, row):
    """Importing some fields over a stored entry succeeds exactly when the merged entry is valid."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "d.db")
        handle = db.open_db(path)
        key = stored.recorded_at if stored else "2026-03-01"
        merged: dict[str, Any] = stored.to_dict() if stored else {"recorded_at": key}
        if stored:
            _fill(handle, {"entries": [stored]})
        merged.update({name: None if value == "" else value for name, value in row.items()})
        try:
            expected: Any = models.make_entry(merged)
        except PaindiaryError as exc:
            expected = exc
        header = ",".join(["recorded_at", *row])
        cells = ",".join([key, *(repr(v) if v != "" else "" for v in row.values())])
        try:
            _import(handle, "csv", f"{header}\n{cells}\n")
        except importer.ImportFailed as exc:
            assert isinstance(expected, PaindiaryError), exc.errors
            assert str(expected) in exc.errors[0]
        else:
            assert not isinstance(expected, PaindiaryError), expected
            (got,) = store.select(handle.conn, store.ENTRIES)
            assert exporter.plain(got) == exporter.plain(expected)
        handle.close()
