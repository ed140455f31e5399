"""Records (entries, treatment sessions, medication doses, measurements, assessments), their validation, and the kinds.

Every value entering paindiary passes through :func:`make_entry`,
:func:`make_treatment` or :func:`make_medication`, which return frozen records
with canonical values or raise :class:`~paindiary.errors.ValidationError`
naming the field, the value and what is accepted. The field names here are the
public contract shared by ``--json`` output and import/export.

Each kind of record is declared once, as a :class:`RecordKind` (:data:`KINDS`): its names,
table, time field, natural key, fields, record type, maker, validators and rules.
An entry's metrics (their fields, ranges and order) come from :mod:`paindiary.registry`.
A measurement (a phone's or watch's value of a day) is :class:`paindiary.measures.Measurement`,
validated there; its kind is :data:`MEASUREMENTS`. A follow-up check-in answer (PGIC or PEG) is
:class:`paindiary.assessments.Assessment`, validated there; its kind is :data:`ASSESSMENTS`.

Limits (README "Limits"): a note holds at most :data:`NOTE_MAX` characters, a name,
unit, route, provider, tag or side effect name :data:`TEXT_MAX`; an entry has at most
:data:`LIST_MAX` tags and a session as many side effects; a dose is at most
:data:`DOSE_MAX` in any unit; times lie in the years ``when.FIRST_YEAR`` to
``when.LAST_YEAR``. So every CSV cell paindiary writes is one its reader takes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from paindiary import assessments, measures, registry, values, when
from paindiary.assessments import Assessment as Assessment
from paindiary.errors import LimitError, OrderError, RecordError, ValidationError
from paindiary.measures import Measurement as Measurement
from paindiary.values import NOTE_MAX as NOTE_MAX
from paindiary.values import TEXT_MAX as TEXT_MAX
from paindiary.values import text as text
from paindiary.wording import plural

METRIC_FIELDS = registry.metric_names()
SCORE_FIELDS = tuple(metric.name for metric in registry.METRICS if metric.unit == "{score}")  # the 0-10 ratings
ENTRY_FIELDS = ("recorded_at", *METRIC_FIELDS, "note", "tags")
LIST_MAX = 100  # tags of an entry, side effects of a session
DOSE_MAX = 100_000  # a dose, in any unit

# field -> (low, high, whole numbers only); all bounds inclusive
_RANGES: dict[str, tuple[float, float, bool]] = {
    **registry.ranges(),
    "dose": (0, DOSE_MAX, False),  # (greater than 0: see number(positive=True))
}


@dataclass(frozen=True, slots=True)
class SideEffect:
    name: str
    severity: float | None = None

    def label(self) -> str:
        return self.name if self.severity is None else f"{self.name}:{_num_text(self.severity)}"


def _entry_to_dict(self: Entry) -> dict[str, Any]:
    return _record_dict(self, ENTRY_FIELDS, tags=list(self.tags))


def _entry_type() -> type[Entry]:
    """The entry record: ``recorded_at``, one field per metric of the registry, ``note``, ``tags`` and ``id``.

    A frozen, slotted dataclass like the other records, built from :data:`paindiary.registry.METRICS`
    so that a new metric needs no edit here.
    """
    fields: list[tuple[str, object] | tuple[str, object, object]] = [
        ("recorded_at", str),
        *((name, float | None, dataclasses.field(default=None)) for name in METRIC_FIELDS),
        ("note", str | None, dataclasses.field(default=None)),
        ("tags", tuple[str, ...], dataclasses.field(default=())),
        ("id", int | None, dataclasses.field(default=None)),
    ]
    doc = "A diary entry: when, the metrics of the registry (None: not given), a note and tags."
    made = dataclasses.make_dataclass(
        "Entry", fields, frozen=True, slots=True, namespace={"to_dict": _entry_to_dict, "__doc__": doc}
    )
    made.__module__ = __name__
    return cast("type[Entry]", made)


if TYPE_CHECKING:

    @dataclass(frozen=True)
    class Entry:
        """What the type checker knows of an entry (the class itself is :func:`_entry_type`'s)."""

        recorded_at: str
        note: str | None = None
        tags: tuple[str, ...] = ()
        id: int | None = None

        def __init__(self, recorded_at: str, *values: object, **fields: object) -> None: ...

        def __getattr__(self, metric: str) -> float | None: ...  # a metric's value, by field name

        def to_dict(self) -> dict[str, Any]: ...

else:
    Entry = _entry_type()


@dataclass(frozen=True, slots=True)
class Treatment:
    started_at: str
    name: str
    dose: float | None = None
    dose_unit: str | None = None
    duration_min: float | None = None
    route: str | None = None
    provider: str | None = None
    heart_rate_before: int | None = None
    heart_rate_after: int | None = None
    systolic_before: int | None = None
    diastolic_before: int | None = None
    systolic_after: int | None = None
    diastolic_after: int | None = None
    side_effects: tuple[SideEffect, ...] = ()
    note: str | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        effects = [asdict(effect) for effect in self.side_effects]
        return _record_dict(self, TREATMENT_FIELDS, side_effects=effects)


@dataclass(frozen=True, slots=True)
class Medication:
    taken_at: str
    name: str
    dose: float
    dose_unit: str
    note: str | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self, MEDICATION_FIELDS)


TREATMENT_FIELDS = tuple(field.name for field in dataclasses.fields(Treatment) if field.name != "id")
MEDICATION_FIELDS = tuple(field.name for field in dataclasses.fields(Medication) if field.name != "id")


def _record_dict(record: Any, names: tuple[str, ...], **override: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": record.id}
    for name in names:
        out[name] = override[name] if name in override else getattr(record, name)
    return out


def _num_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def number(field: str, value: object, *, positive: bool = False) -> float | int | None:
    """Validate a numeric field in its range (:data:`_RANGES`); ``None`` and ``""`` mean absent."""
    low, high, whole = _RANGES.get(field, (0.0, math.inf, False))
    return values.number(field, value, low=low, high=high, whole=whole, positive=positive)


def parse_tags(value: object) -> tuple[str, ...]:
    """Validate tags: a list of non-empty strings without ``;`` (duplicates dropped)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("tags", value, "a list of tags")
    seen: dict[str, None] = {}
    for tag in value:
        if not isinstance(tag, str) or not tag.strip() or ";" in tag:
            raise ValidationError("tags", tag, "a non-empty tag without ';'")
        if len(tag.strip()) > TEXT_MAX:
            raise LimitError("tags", len(tag.strip()), TEXT_MAX)
        seen.setdefault(tag.strip(), None)
        if len(seen) > LIST_MAX:
            raise LimitError("tags", len(seen), LIST_MAX, "tags")
    return tuple(seen)


def parse_side_effect(spec: str) -> SideEffect:
    """Parse ``NAME`` or ``NAME:SEVERITY`` as typed on the command line or in CSV.

    The severity follows the last ``:``, so a name with a ``:`` in it is reported as
    the name's problem, not as a bad severity.
    """
    name, sep, severity = spec.rpartition(":")
    return make_side_effect({"name": name, "severity": severity} if sep else {"name": spec})


def make_side_effect(value: object) -> SideEffect:
    if not isinstance(value, Mapping) or set(value) - {"name", "severity"}:
        raise ValidationError("side_effects", value, 'an object {"name": ..., "severity": 0-10 or null}')
    name = text("side_effects", value.get("name"), required=True)
    assert name is not None
    if ":" in name or ";" in name:
        raise ValidationError("side_effects", name, "a side effect name without ':' or ';'")
    return SideEffect(name, number("severity", value.get("severity")))


def parse_side_effects(value: object) -> tuple[SideEffect, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("side_effects", value, "a list of side effects")
    effects = []
    for item in value:
        effects.append(make_side_effect(item))
        if len(effects) > LIST_MAX:
            raise LimitError("side_effects", len(effects), LIST_MAX, "side effects")
    return tuple(effects)


def parse_bp(spec: str, field: str) -> tuple[int, int]:
    """Parse a blood pressure written ``SYS/DIA`` (e.g. ``128/84``)."""
    systolic, sep, diastolic = spec.partition("/")
    if not sep:
        raise ValidationError(field, spec, "a blood pressure as SYS/DIA, e.g. 120/80")
    sys_value = number("systolic" + field.removeprefix("--bp").replace("-", "_"), systolic)
    dia_value = number("diastolic" + field.removeprefix("--bp").replace("-", "_"), diastolic)
    if sys_value is None or dia_value is None:
        raise ValidationError(field, spec, "a blood pressure as SYS/DIA, e.g. 120/80")
    return int(sys_value), int(dia_value)


_check_unknown = values.check_unknown
_record_id = values.record_id
_stamp = when.stamp


def _timed_stamp(field: str, value: object) -> str:
    stamp = _stamp(field, value)
    if when.is_whole_day(stamp):
        raise ValidationError(field, value, "a date-time (a session happens at a time)")
    return stamp


# --- the rules, as tables -------------------------------------------------------
#
# One validator per field (value in, canonical value out, ValidationError otherwise),
# and the record-level rules as data. make_entry/make_treatment/make_medication are
# built from these, and the importer applies the same functions column by column and
# the same rules as SQL (paindiary.transfer.importer), so there is one definition of "valid".

Validator = Callable[[object], Any]


def _numbers(*names: str) -> dict[str, Validator]:
    return {name: partial(number, name) for name in names}


# the 0-10 ratings first: the order fields are checked in says which error a person sees first
_ENTRY_NUMBERS = (*SCORE_FIELDS, *(name for name in METRIC_FIELDS if name not in SCORE_FIELDS))
ENTRY_VALIDATORS: dict[str, Validator] = {
    **_numbers(*_ENTRY_NUMBERS),
    "recorded_at": partial(_stamp, "recorded_at"),
    "note": partial(text, "note", strip=False, longest=NOTE_MAX),
    "tags": parse_tags,
}
TREATMENT_VALIDATORS: dict[str, Validator] = {
    "started_at": partial(_timed_stamp, "started_at"),
    "name": partial(text, "name", required=True),
    **_numbers(*(name for name in TREATMENT_FIELDS if name.startswith(("heart_rate", "systolic", "diastolic")))),
    "dose": partial(number, "dose", positive=True),
    "dose_unit": partial(text, "dose_unit"),
    "duration_min": partial(number, "duration_min"),
    "route": partial(text, "route"),
    "provider": partial(text, "provider"),
    "side_effects": parse_side_effects,
    "note": partial(text, "note", strip=False, longest=NOTE_MAX),
}
MEDICATION_VALIDATORS: dict[str, Validator] = {
    "name": partial(text, "name", required=True),
    "dose": partial(number, "dose", positive=True),
    "dose_unit": partial(text, "dose_unit", required=True),
    "taken_at": partial(_stamp, "taken_at"),
    "note": partial(text, "note", strip=False, longest=NOTE_MAX),
}


@dataclass(frozen=True)
class Rules:
    """Record-level rules of one kind (beyond each field being valid on its own)."""

    required: tuple[str, ...] = ()  # each must have a value
    any_of: tuple[str, ...] = ()  # at least one of these must have a value
    not_above: tuple[tuple[str, str], ...] = ()  # (low, high): low <= high when both are given
    # False: the schema has no CHECK for the not_above pairs, so the importer's fast path tests them
    pairs_in_schema: bool = True
    # SQL conditions, fields named in braces ("{value} > 10"), true for a record breaking a rule
    breaks: tuple[str, ...] = ()


ENTRY_RULES = Rules(
    any_of=(*_ENTRY_NUMBERS, "note"),
    not_above=(("least_pain", "worst_pain"), ("least_pain", "pain"), ("pain", "worst_pain")),
)
TREATMENT_RULES = Rules(
    required=("started_at", "name"),
    not_above=(("diastolic_before", "systolic_before"), ("diastolic_after", "systolic_after")),
    pairs_in_schema=False,
)
MEDICATION_RULES = Rules(required=("taken_at", "name", "dose", "dose_unit"))
MEASUREMENT_VALIDATORS: dict[str, Validator] = {
    "day": measures.check_day,
    "metric": measures.check_metric,
    "value": measures.check_any_value,  # the metric's own range is a record rule (MEASUREMENT_RULES)
    "source": measures.check_source,
}
MEASUREMENT_RULES = Rules(
    required=measures.MEASUREMENT_FIELDS,
    breaks=tuple(
        f"({{metric}} = '{m.name}' AND NOT ({{value}} BETWEEN {m.low:g} AND {m.high:g}"
        + (" AND {value} = CAST({value} AS INTEGER)))" if m.whole else "))")
        for m in measures.METRICS.values()
    ),
)


def check_order(rules: Rules, values: Mapping[str, Any]) -> None:
    """The ``not_above`` rules on the values given so far (absent ones are skipped); raises :class:`OrderError`."""
    for low_name, high_name in rules.not_above:
        low, high = values.get(low_name), values.get(high_name)
        if low is not None and high is not None and low > high:
            message = f"{low_name} ({_num_text(low)}) cannot be above {high_name} ({_num_text(high)})."
            raise OrderError(low_name, low, high_name, high, message)


def _check_pairs(rules: Rules, record: Any) -> None:
    check_order(rules, {name: getattr(record, name) for pair in rules.not_above for name in pair})


def check_entry(entry: Entry) -> None:
    """The record-level rules of an entry (:data:`ENTRY_RULES`); raises :class:`RecordError`."""
    if all(getattr(entry, name) is None for name in ENTRY_RULES.any_of):
        raise RecordError("An entry needs at least one score, sleep hours or a note.")
    _check_pairs(ENTRY_RULES, entry)


def make_entry(values: Mapping[str, object]) -> Entry:
    """Validate a diary entry given as a mapping of contract field names."""
    _check_unknown(values, ENTRY_FIELDS)
    checked = {name: check(values.get(name)) for name, check in ENTRY_VALIDATORS.items()}
    entry = Entry(**checked, id=_record_id(values))
    check_entry(entry)
    return entry


def make_treatment(values: Mapping[str, object]) -> Treatment:
    """Validate a treatment session given as a mapping of contract field names."""
    _check_unknown(values, TREATMENT_FIELDS)
    checked = {name: check(values.get(name)) for name, check in TREATMENT_VALIDATORS.items()}
    treatment = Treatment(**checked, id=_record_id(values))
    _check_pairs(TREATMENT_RULES, treatment)
    return treatment


def make_medication(values: Mapping[str, object]) -> Medication:
    """Validate a medication dose given as a mapping of contract field names."""
    _check_unknown(values, MEDICATION_FIELDS)
    checked: dict[str, Any] = {}
    for name, check in MEDICATION_VALIDATORS.items():
        checked[name] = check(values.get(name))
        if name == "dose_unit" and checked["dose"] is None:  # required, checked where it always was
            raise ValidationError("dose", values.get("dose"), "a number greater than 0")
    return Medication(**checked, id=_record_id(values))


# --- the kinds of record --------------------------------------------------------------

# a RecordKind[Entry] is a Kind
R_co = TypeVar("R_co", bound="Entry | Treatment | Medication | Measurement | Assessment", covariant=True)
R = TypeVar(
    "R", bound="Entry | Treatment | Medication | Measurement | Assessment"
)  # for functions: a RecordKind[R] in, R out


@dataclass(frozen=True)
class RecordKind(Generic[R_co]):
    """One kind of record, declared once: how it is named, stored, keyed, built and checked."""

    name: str  # plural, as in --kind and JSON documents: "entries"
    noun: str  # as in command names: "entry", "med"
    singular: str  # one record, as people count them: "dose"
    table: str
    time_field: str
    key: tuple[str, ...]  # the natural key: no two records share it
    fields: tuple[str, ...]  # the contract fields, in record (and CSV/JSON) order
    record_type: type[R_co]
    make: Callable[[Mapping[str, object]], R_co]  # validate a mapping of contract fields into a record
    validators: Mapping[str, Validator]  # field -> its validator (the importer checks columns with these)
    rules: Rules  # the rules between fields
    counted: str = ""  # several records, as people count them ("doses"; default: ``name``)

    def count(self, number: int) -> str:
        """``number`` records as people say it: "1 entry", "3 entries", "666 doses"."""
        return plural(number, self.singular, self.counted or self.name)


ENTRIES: RecordKind[Entry] = RecordKind(
    "entries", "entry", "entry", "entries", "recorded_at", ("recorded_at",),
    ENTRY_FIELDS, Entry, make_entry, ENTRY_VALIDATORS, ENTRY_RULES,
)  # fmt: skip
TREATMENTS: RecordKind[Treatment] = RecordKind(
    "treatments", "treatment", "treatment", "treatments", "started_at", ("started_at",),
    TREATMENT_FIELDS, Treatment, make_treatment, TREATMENT_VALIDATORS, TREATMENT_RULES,
)  # fmt: skip
MEDICATIONS: RecordKind[Medication] = RecordKind(
    "medications", "med", "dose", "medications", "taken_at", ("taken_at", "name"),
    MEDICATION_FIELDS, Medication, make_medication, MEDICATION_VALIDATORS, MEDICATION_RULES, "doses",
)  # fmt: skip
MEASUREMENTS: RecordKind[Measurement] = RecordKind(
    "measurements", "measurement", "measurement", "measurements", "day", measures.NATURAL_KEY,
    measures.MEASUREMENT_FIELDS, Measurement, measures.make_measurement, MEASUREMENT_VALIDATORS, MEASUREMENT_RULES,
)  # fmt: skip
ASSESSMENTS: RecordKind[Assessment] = RecordKind(
    "assessments", "assess", "assessment", "assessments", "recorded_at", assessments.NATURAL_KEY,
    assessments.ASSESSMENT_FIELDS, Assessment, assessments.make_assessment, assessments.VALIDATORS,
    Rules(required=("recorded_at", "instrument"), breaks=assessments.BREAKS),
)  # fmt: skip
Record = Entry | Treatment | Medication | Measurement | Assessment
Kind = RecordKind[Record]  # any kind of record
KINDS: dict[str, Kind] = {kind.name: kind for kind in (ENTRIES, TREATMENTS, MEDICATIONS, MEASUREMENTS, ASSESSMENTS)}
VALIDATORS: dict[str, Mapping[str, Validator]] = {kind.name: kind.validators for kind in KINDS.values()}
RULES: dict[str, Rules] = {kind.name: kind.rules for kind in KINDS.values()}
TIME_FIELDS = tuple(kind.time_field for kind in KINDS.values())


def column_is_canonical(kind: str, field: str, values: Sequence[str]) -> bool:
    """True when a C-level check proves ``VALIDATORS[kind][field]`` returns every value unchanged.

    Only time fields have such a check (:func:`paindiary.when.all_canonical`); it is the
    importer's fast path, and False means "run the validator on each value".
    """
    if field not in TIME_FIELDS or not when.all_canonical(values):
        return False
    if kind == "measurements":  # a day, never a time of day
        return set(map(len, values)) == {10}
    return kind != "treatments" or 10 not in map(len, values)  # sessions need a time of day
