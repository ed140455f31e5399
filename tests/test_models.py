"""Validation of records: the rules behind every way data enters the diary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paindiary import models
from paindiary.errors import PaindiaryError, RecordError, ValidationError


def test_entry_canonical_values() -> None:
    entry = models.make_entry(
        {"recorded_at": "2026-03-01 09:00", "pain": " 5.5 ", "mood": 7, "tags": ["walk", "walk", " flare "]}
    )
    assert entry.recorded_at == "2026-03-01T09:00:00"
    assert entry.pain == 5.5 and entry.mood == 7
    assert entry.tags == ("walk", "flare")
    assert entry.to_dict()["tags"] == ["walk", "flare"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("pain", 11), ("pain", -0.1), ("pain", "abc"), ("mood", "nan"), ("sleep_hours", 25), ("pain", True)],
)
def test_entry_rejects_bad_numbers(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        models.make_entry({"recorded_at": "2026-03-01", field: value})
    assert info.value.field == field
    assert repr(value) in str(info.value)


def test_entry_needs_a_value() -> None:
    with pytest.raises(RecordError, match="at least one score"):
        models.make_entry({"recorded_at": "2026-03-01", "tags": ["x"]})
    assert models.make_entry({"recorded_at": "2026-03-01", "note": "only a note"}).note == "only a note"


def test_entry_empty_note_is_no_note_and_notes_are_not_stripped() -> None:
    assert models.make_entry({"recorded_at": "2026-03-01", "pain": 1, "note": ""}).note is None
    assert models.make_entry({"recorded_at": "2026-03-01", "pain": 1, "note": " x \n"}).note == " x \n"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"pain": 5, "least_pain": 6}, "least_pain"),
        ({"pain": 5, "worst_pain": 4}, "worst_pain"),
        ({"least_pain": 7, "worst_pain": 4}, "least_pain"),
    ],
)
def test_pain_order(values: dict[str, float], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        models.make_entry({"recorded_at": "2026-03-01", **values})


def test_tags_without_semicolons() -> None:
    with pytest.raises(ValidationError, match="tags"):
        models.make_entry({"recorded_at": "2026-03-01", "pain": 1, "tags": ["a;b"]})


def test_unknown_field() -> None:
    with pytest.raises(RecordError, match="Unknown field"):
        models.make_entry({"recorded_at": "2026-03-01", "pian": 1})


def test_treatment_rules() -> None:
    session = models.make_treatment(
        {"started_at": "2026-03-01T09:00", "name": " ketamine infusion ", "dose": "0.5", "heart_rate_before": "72",
         "side_effects": [{"name": "nausea", "severity": 3}, {"name": "dissociation", "severity": None}]}
    )  # fmt: skip
    assert session.name == "ketamine infusion" and session.heart_rate_before == 72
    assert [e.label() for e in session.side_effects] == ["nausea:3", "dissociation"]
    with pytest.raises(ValidationError, match="session happens at a time"):
        models.make_treatment({"started_at": "2026-03-01", "name": "x"})
    for field, value in [("heart_rate_after", 300), ("systolic_before", 40), ("diastolic_after", 170),
                         ("dose", 0), ("duration_min", 1441), ("heart_rate_before", 72.5)]:  # fmt: skip
        with pytest.raises(ValidationError) as info:
            models.make_treatment({"started_at": "2026-03-01T09:00", "name": "x", field: value})
        assert info.value.field == field
    with pytest.raises(ValidationError, match="non-empty"):
        models.make_treatment({"started_at": "2026-03-01T09:00", "name": "  "})


@pytest.mark.parametrize("spec", ["nausea:11", "nau:sea:1", ":3", "a;b"])
def test_bad_side_effects(spec: str) -> None:
    with pytest.raises(ValidationError):
        models.parse_side_effect(spec)


def test_blood_pressure() -> None:
    assert models.parse_bp("128/84", "--bp-before") == (128, 84)
    for bad in ["128", "128/", "a/b", "300/80", "120/20"]:
        with pytest.raises(ValidationError):
            models.parse_bp(bad, "--bp-before")


def test_medication_requires_name_dose_unit() -> None:
    dose = models.make_medication({"taken_at": "2026-03-01T08:00", "name": "oxycodone", "dose": "5", "dose_unit": "mg"})
    assert dose.dose == 5.0
    for missing in ("name", "dose", "dose_unit"):
        values = {"taken_at": "2026-03-01", "name": "x", "dose": 1, "dose_unit": "mg"}
        del values[missing]
        with pytest.raises(ValidationError) as info:
            models.make_medication(values)
        assert info.value.field == missing


@given(st.dictionaries(st.sampled_from([*models.ENTRY_FIELDS, "other"]), st.one_of(st.none(), st.text(), st.floats(),
       st.integers(), st.lists(st.text(max_size=5), max_size=3))))  # fmt: skip
def test_make_entry_raises_only_paindiary_errors(values: dict[str, object]) -> None:
    try:
        entry = models.make_entry(values)
    except PaindiaryError as exc:
        assert str(exc)
        return
    assert entry.recorded_at


def test_an_entry_is_a_frozen_slotted_record_like_the_others() -> None:
    import dataclasses
    import pickle

    entry = models.make_entry({"recorded_at": "2026-03-01", "pain": 3, "tags": ["walk"]})
    bare = models.Entry("2026-03-01")  # every field but the time has its "not given" default
    assert (bare.pain, bare.note, bare.tags, bare.id) == (None, None, (), None)
    assert repr(bare).startswith("Entry(recorded_at='2026-03-01', pain=None, ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.pain = 4  # type: ignore[attr-defined]
    assert not hasattr(entry, "__dict__")  # slotted: a million entries stay small
    assert hash(entry) == hash(models.make_entry({"recorded_at": "2026-03-01", "pain": 3, "tags": ["walk"]}))
    assert pickle.loads(pickle.dumps(entry)) == entry  # found again by module and name
    assert (models.Entry.__module__, models.Entry.__name__) == ("paindiary.models", "Entry")
    assert (
        models.Entry.__doc__ == "A diary entry: when, the metrics of the registry (None: not given), a note and tags."
    )
