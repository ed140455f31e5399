"""What a person reads when a value is refused, and the small promises of the records (issue 15).

Every refusal names the field, echoes the value and says what is accepted: the tables
below assert the whole message (what the CLI prints on stderr), the field and the value.
Then the record kinds' counting words, the ids records keep, and the importer's fast-path
check (:func:`paindiary.models.column_is_canonical`), which must never accept a column
the validators would change or refuse.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paindiary import models, values
from paindiary.errors import LimitError, OrderError, RecordError, ValidationError

DAY = "2026-03-01"
TIME = "2026-03-01T09:00"
SESSION = {"started_at": TIME, "name": "ketamine"}
DOSE = {"taken_at": TIME, "name": "oxycodone", "dose": 5, "dose_unit": "mg"}
MANY_EFFECTS = [{"name": f"effect{i}"} for i in range(101)]

REFUSALS: list[tuple[str, Callable[[], object], str, object, str | None]] = [
    # (case, call, field, value, the whole message)
    ("side effect given as text", partial(models.parse_side_effects, ["nausea"]), "side_effects", "nausea",
     """side_effects: 'nausea' is not valid; expected an object {"name": ..., "severity": 0-10 or null}."""),
    ("side effect with an unknown key", partial(models.make_side_effect, {"name": "nausea", "dose": 1}),
     "side_effects", {"name": "nausea", "dose": 1},
     """side_effects: {'name': 'nausea', 'dose': 1} is not valid; expected an object {"name": ..., """
     """"severity": 0-10 or null}."""),
    ("side effect name with a colon", partial(models.parse_side_effect, "nau:sea:1"), "side_effects", "nau:sea",
     "side_effects: 'nau:sea' is not valid; expected a side effect name without ':' or ';'."),
    ("side effect name with a semicolon", partial(models.parse_side_effect, "a;b"), "side_effects", "a;b",
     "side_effects: 'a;b' is not valid; expected a side effect name without ':' or ';'."),
    ("side effect without a name", partial(models.parse_side_effect, ":3"), "side_effects", "",
     "side_effects: '' is not valid; expected a non-empty text."),
    ("side effect severity above 10", partial(models.parse_side_effect, "nausea:11"), "severity", "11",
     "severity: '11' is not valid; expected a number from 0 to 10."),
    ("side effects given as text", partial(models.parse_side_effects, "nausea"), "side_effects", "nausea",
     "side_effects: 'nausea' is not valid; expected a list of side effects."),
    ("side effects given as a number", partial(models.parse_side_effects, 3), "side_effects", 3,
     "side_effects: 3 is not valid; expected a list of side effects."),
    ("101 side effects", partial(models.parse_side_effects, MANY_EFFECTS), "side_effects", 101,
     "side_effects: 101 side effects is too many; at most 100."),
    ("tags given as text", partial(models.parse_tags, "walk"), "tags", "walk",
     "tags: 'walk' is not valid; expected a list of tags."),
    ("tags given as a number", partial(models.parse_tags, 3), "tags", 3,
     "tags: 3 is not valid; expected a list of tags."),
    ("an empty tag", partial(models.parse_tags, ["walk", " "]), "tags", " ",
     "tags: ' ' is not valid; expected a non-empty tag without ';'."),
    ("a tag that is not text", partial(models.parse_tags, [3]), "tags", 3,
     "tags: 3 is not valid; expected a non-empty tag without ';'."),
    ("a tag with a semicolon", partial(models.parse_tags, ["a;b"]), "tags", "a;b",
     "tags: 'a;b' is not valid; expected a non-empty tag without ';'."),
    ("a tag of 201 characters", partial(models.parse_tags, [" " + "t" * 201 + " "]), "tags", 201,
     "tags: 201 characters is too long; at most 200."),
    ("101 tags", partial(models.parse_tags, [f"t{i}" for i in range(101)]), "tags", 101,
     "tags: 101 tags is too many; at most 100."),
    ("blood pressure without a slash", partial(models.parse_bp, "128", "--bp-before"), "--bp-before", "128",
     "--bp-before: '128' is not valid; expected a blood pressure as SYS/DIA, e.g. 120/80."),
    ("blood pressure without a diastolic", partial(models.parse_bp, "128/", "--bp-after"), "--bp-after", "128/",
     "--bp-after: '128/' is not valid; expected a blood pressure as SYS/DIA, e.g. 120/80."),
    ("blood pressure without a systolic", partial(models.parse_bp, "/80", "--bp-after"), "--bp-after", "/80",
     "--bp-after: '/80' is not valid; expected a blood pressure as SYS/DIA, e.g. 120/80."),
    ("systolic out of range", partial(models.parse_bp, "300/80", "--bp-before"), "systolic_before", "300",
     "systolic_before: '300' is not valid; expected a whole number from 50 to 260."),
    ("two slashes: the diastolic is what follows the first", partial(models.parse_bp, "120/80/70", "--bp-after"),
     "diastolic_after", "80/70", "diastolic_after: '80/70' is not valid; expected a whole number from 30 to 160."),
    ("a session on a whole day", partial(models.make_treatment, {**SESSION, "started_at": DAY}), "started_at", DAY,
     "started_at: '2026-03-01' is not valid; expected a date-time (a session happens at a time)."),
    ("a session at no real time", partial(models.make_treatment, {**SESSION, "started_at": "soon"}), "started_at",
     "soon", None),
    ("a session without a name", partial(models.make_treatment, {**SESSION, "name": " "}), "name", "",
     "name: '' is not valid; expected a non-empty text."),
    ("a dose given empty", partial(models.make_medication, {**DOSE, "dose": ""}), "dose", "",
     "dose: '' is not valid; expected a number greater than 0."),
    ("a dose of 0", partial(models.make_medication, {**DOSE, "dose": 0}), "dose", 0,
     "dose: 0 is not valid; expected a number greater than 0 and at most 100,000."),
    ("a dose above 100,000", partial(models.make_medication, {**DOSE, "dose": "100000.5"}), "dose", "100000.5",
     "dose: '100000.5' is not valid; expected a number greater than 0 and at most 100,000."),
    ("a dose without a unit", partial(models.make_medication, {**DOSE, "dose_unit": None}), "dose_unit", "",
     "dose_unit: '' is not valid; expected a non-empty text."),
    ("a dose at no real time", partial(models.make_medication, {**DOSE, "taken_at": "soon"}), "taken_at", "soon",
     None),
    ("a pain score above 10", partial(models.make_entry, {"recorded_at": DAY, "pain": "10.5"}), "pain", "10.5",
     "pain: '10.5' is not valid; expected a number from 0 to 10."),
    ("sleep hours below 0", partial(models.make_entry, {"recorded_at": DAY, "sleep_hours": -1}), "sleep_hours", -1,
     "sleep_hours: -1 is not valid; expected a number from 0 to 24."),
    ("a heart rate with a fraction", partial(models.make_treatment, {**SESSION, "heart_rate_after": "72.5"}),
     "heart_rate_after", "72.5", "heart_rate_after: '72.5' is not valid; expected a whole number from 20 to 250."),
    ("a session longer than a day", partial(models.make_treatment, {**SESSION, "duration_min": 1441}),
     "duration_min", 1441, "duration_min: 1441 is not valid; expected a number from 0 to 1440."),
    ("a score given as true", partial(models.make_entry, {"recorded_at": DAY, "mood": True}), "mood", True,
     "mood: True is not valid; expected a number from 0 to 10."),
    ("a note that is not text", partial(models.make_entry, {"recorded_at": DAY, "note": 5}), "note", 5,
     "note: 5 is not valid; expected text."),
    ("a name over 200 characters", partial(models.make_medication, {**DOSE, "name": "n" * 201}), "name", 201,
     "name: 201 characters is too long; at most 200."),
]  # fmt: skip


@pytest.mark.parametrize(("call", "field", "value", "message"), [case[1:] for case in REFUSALS],
                         ids=[case[0] for case in REFUSALS])  # fmt: skip
def test_a_refused_value_names_its_field_the_value_and_what_is_accepted(
    call: Callable[[], object], field: str, value: object, message: str | None
) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert (info.value.field, info.value.value) == (field, value)
    if message is not None:
        assert str(info.value) == message
    assert isinstance(info.value, LimitError) == ("too " in str(info.value))


def test_an_entry_without_any_value_says_what_it_needs() -> None:
    with pytest.raises(RecordError) as info:
        models.make_entry({"recorded_at": DAY, "tags": ["walk"]})
    assert str(info.value) == "An entry needs at least one score, sleep hours or a note."


def test_values_in_the_wrong_order_are_shown_as_typed() -> None:
    with pytest.raises(OrderError) as info:
        models.make_entry({"recorded_at": DAY, "pain": "5", "least_pain": "6.5"})
    assert str(info.value) == "least_pain (6.5) cannot be above pain (5)."
    assert (info.value.low, info.value.low_value, info.value.high, info.value.high_value) == (
        "least_pain", 6.5, "pain", 5.0)  # fmt: skip


def test_a_side_effect_label_keeps_its_severity_as_typed() -> None:
    specs = ["nausea:2.5", "dizziness:3", "itch", "rash:0"]
    effects = [models.parse_side_effect(spec) for spec in specs]
    session = models.make_treatment(
        {**SESSION, "side_effects": [{"name": e.name, "severity": e.severity} for e in effects]}
    )
    assert [effect.label() for effect in session.side_effects] == specs


def test_a_hundred_side_effects_and_tags_are_accepted() -> None:
    assert len(models.parse_side_effects(MANY_EFFECTS[:100])) == 100
    assert len(models.parse_tags([f"t{i}" for i in range(100)] * 2)) == 100


def test_no_tags_and_no_side_effects_are_empty() -> None:
    for empty in (None, ""):
        assert models.parse_tags(empty) == ()
        assert models.parse_side_effects(empty) == ()
    assert models.make_entry({"recorded_at": DAY, "pain": 1, "tags": ""}).tags == ()


@pytest.mark.parametrize(
    ("kind", "values"),
    [("entries", {"recorded_at": DAY, "pain": 3}), ("treatments", SESSION), ("medications", DOSE)],
)
def test_a_record_keeps_the_id_it_was_given(kind: str, values: dict[str, object]) -> None:
    assert models.KINDS[kind].make({**values, "id": 7}).id == 7
    assert models.KINDS[kind].make({**values, "id": True}).id is None  # a bool is not an id
    assert models.KINDS[kind].make(values).id is None


@pytest.mark.parametrize(
    ("kind", "one", "three"),
    [
        ("entries", "1 entry", "3 entries"),
        ("treatments", "1 treatment", "3 treatments"),
        ("medications", "1 dose", "3 doses"),
        ("measurements", "1 measurement", "3 measurements"),
        ("assessments", "1 assessment", "3 assessments"),
    ],
)
def test_records_are_counted_as_people_say_it(kind: str, one: str, three: str) -> None:
    assert (models.KINDS[kind].count(1), models.KINDS[kind].count(3)) == (one, three)
    assert models.KINDS[kind].count(0) == three.replace("3", "0")


@pytest.mark.parametrize(
    ("kind", "field", "column", "fast"),
    [
        ("entries", "recorded_at", ["2026-03-01T09:00:00", "2026-03-02"], True),
        ("entries", "recorded_at", ["2026-03-01 09:00"], False),
        ("entries", "recorded_at", ["2026-02-30"], False),
        ("entries", "note", ["2026-03-01T09:00:00"], False),  # only time fields have the fast check
        ("entries", "pain", ["2026-03-01"], False),
        ("medications", "taken_at", ["2026-03-01", "2026-03-01T08:00:00"], True),
        ("treatments", "started_at", ["2026-03-01T09:00:00", "2026-03-02T10:30:00"], True),
        ("treatments", "started_at", ["2026-03-01T09:00:00", "2026-03-02"], False),  # a session needs a time
        ("treatments", "started_at", ["2026-03-02"], False),
        ("measurements", "day", ["2026-03-01", "2026-03-02"], True),
        ("measurements", "day", ["2026-03-01", "2026-03-02T09:00:00"], False),  # a day, never a time
        ("measurements", "day", ["2026-03-01T09:00:00"], False),
        ("assessments", "recorded_at", ["2026-03-08T09:30:00"], True),
    ],
)
def test_the_fast_path_takes_a_time_column_only_when_the_validator_keeps_it(
    kind: str, field: str, column: list[str], fast: bool
) -> None:
    assert models.column_is_canonical(kind, field, column) is fast
    if fast:
        check = models.VALIDATORS[kind][field]
        assert [check(value) for value in column] == column


@given(
    st.sampled_from([(kind.name, kind.time_field) for kind in models.KINDS.values()]),
    st.lists(st.sampled_from(["2026-03-01", "2026-03-01T09:00:00", "2026-03-01T24:00:00", "1899-12-31",
                              "2026-03-01 09:00", "2026-03-01T09:00:00+01:00", ""]), min_size=1, max_size=4),
)  # fmt: skip
def test_a_column_on_the_fast_path_is_one_the_validator_returns_unchanged(
    kind_field: tuple[str, str], column: list[str]
) -> None:
    kind, field = kind_field
    if models.column_is_canonical(kind, field, column):
        check = models.VALIDATORS[kind][field]
        assert [check(value) for value in column] == column


# --- paindiary.values: the two validators every record is built from ---------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("6,5", 6.5), (" 7 ", 7.0), ("0", 0.0), (10, 10.0), ("10,0", 10.0), (None, None), ("", None), (0.0, 0.0)],
)
def test_a_score_is_read_as_typed_with_a_decimal_comma(value: object, expected: float | None) -> None:
    assert values.number("pain", value, low=0, high=10) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,000.5", "pain: '1,000.5' is not valid; expected a number from 0 to 10."),  # a comma beside a point
        ("1,2,3", "pain: '1,2,3' is not valid; expected a number from 0 to 10."),
        ("nan", "pain: 'nan' is not valid; expected a number from 0 to 10."),
        ("inf", "pain: 'inf' is not valid; expected a number from 0 to 10."),
        (-math.inf, "pain: -inf is not valid; expected a number from 0 to 10."),
        (10**400, "pain: " + repr(10**400)[:79] + "… is not valid; expected a number from 0 to 10."),
        ([5], "pain: [5] is not valid; expected a number from 0 to 10."),
        (False, "pain: False is not valid; expected a number from 0 to 10."),
        (10.001, "pain: 10.001 is not valid; expected a number from 0 to 10."),
        (-0.001, "pain: -0.001 is not valid; expected a number from 0 to 10."),
    ],
)
def test_a_number_outside_its_range_is_refused_with_the_range(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        values.number("pain", value, low=0, high=10)
    assert str(info.value) == message and info.value.field == "pain" and info.value.value is value


def test_a_whole_number_is_returned_as_an_int_and_its_bounds_are_inclusive() -> None:
    for value, expected in [("20", 20), (250.0, 250), ("72", 72)]:
        result = values.number("heart_rate_before", value, low=20, high=250, whole=True)
        assert result == expected and type(result) is int
    for bad in ("19", "251", "72.5", True):
        with pytest.raises(ValidationError) as info:
            values.number("heart_rate_before", bad, low=20, high=250, whole=True)
        assert str(info.value) == f"heart_rate_before: {bad!r} is not valid; expected a whole number from 20 to 250."
    assert type(values.number("pain", "5", low=0, high=10)) is float


def test_a_positive_number_is_above_0_and_at_most_its_high() -> None:
    assert values.number("dose", "1e-9", positive=True) == 1e-9
    assert values.number("dose", "100000", high=100_000, positive=True) == 100_000.0
    assert values.number("dose", "5", low=2, positive=True) == 5.0  # positive: the low bound is 0
    assert values.number("dose", 10**6, positive=True) == 1e6  # no high bound
    for bad, accepted in [
        (0, "a number greater than 0"),
        ("-1", "a number greater than 0"),
        (True, "a number greater than 0"),
        ("nan", "a number greater than 0"),
        ("100000.5", None),
        (0, None),
    ]:
        high = 100_000 if accepted is None else math.inf
        with pytest.raises(ValidationError) as info:
            values.number("dose", bad, high=high, positive=True)
        accepted = accepted or "a number greater than 0 and at most 100,000"
        assert str(info.value) == f"dose: {bad!r} is not valid; expected {accepted}."


def test_a_text_is_stripped_bounded_and_empty_means_none() -> None:
    assert values.text("name", "  oxycodone ") == "oxycodone"
    assert values.text("note", "  a note \n", strip=False) == "  a note \n"
    assert values.text("name", None) is None and values.text("name", "  ") is None
    assert values.text("name", "n" * 200) == "n" * 200
    assert values.text("note", "n" * 1000, strip=False, longest=1000) == "n" * 1000
    refusals: list[tuple[Callable[[], object], str]] = [
        (partial(values.text, "name", None, required=True), "name: '' is not valid; expected a non-empty text."),
        (partial(values.text, "name", " ", required=True), "name: '' is not valid; expected a non-empty text."),
        (partial(values.text, "route", 5), "route: 5 is not valid; expected text."),
        (partial(values.text, "unit", " " + "u" * 201), "unit: 201 characters is too long; at most 200."),
        (partial(values.text, "note", "n" * 1001, longest=1000), "note: 1,001 characters is too long; at most 1,000."),
        (partial(values.text, "note", " " * 1001, strip=False, longest=1000),
         "note: 1,001 characters is too long; at most 1,000."),
    ]  # fmt: skip
    for call, message in refusals:
        with pytest.raises(ValidationError) as info:
            call()
        assert str(info.value) == message


def test_an_unknown_field_is_named_with_the_known_ones() -> None:
    values.check_unknown({"pain": 1, "id": 3}, ("pain", "mood"))
    with pytest.raises(RecordError) as info:
        values.check_unknown({"pian": 1, "id": 3, "Mood": 2, "pain": 1}, ("pain", "mood"))
    assert str(info.value) == "Unknown field(s): Mood, pian. Known fields: pain, mood."


@pytest.mark.parametrize(("value", "expected"), [(5, 5), (0, 0), ("5", None), (5.0, None), (True, None), (None, None)])
def test_a_record_id_is_a_whole_number(value: object, expected: int | None) -> None:
    assert values.record_id({"id": value}) == expected
    assert values.record_id({}) is None


def test_a_number_without_a_declared_range_is_any_number_from_0() -> None:
    assert models.number("unranged", "0.5") == 0.5 and models.number("unranged", 0) == 0.0
    assert values.number("unranged", "0,5") == 0.5 and values.number("unranged", 1e300) == 1e300
    for number in (models.number, values.number):
        with pytest.raises(ValidationError) as info:
            number("unranged", "-0.5")
        assert str(info.value) == "unranged: '-0.5' is not valid; expected a number from 0 to inf."
