"""Records (entries, treatment sessions, medication doses) and their validation.

Every value entering paindiary passes through :func:`make_entry`,
:func:`make_treatment` or :func:`make_medication`, which return frozen records
with canonical values or raise :class:`~paindiary.errors.ValidationError`
naming the field, the value and what is accepted. The field names here are the
public contract shared by ``--json`` output and import/export.

Limits (README "Limits"): a note holds at most :data:`NOTE_MAX` characters, a name,
unit, route, provider, tag or side effect name :data:`TEXT_MAX`; an entry has at most
:data:`LIST_MAX` tags and a session as many side effects; a dose is at most
:data:`DOSE_MAX` in any unit; times lie in the years ``when.FIRST_YEAR`` to
``when.LAST_YEAR``. So every CSV cell paindiary writes is one its reader takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from paindiary import when
from paindiary.errors import LimitError, RecordError, ValidationError

SCORE_FIELDS = ("pain", "worst_pain", "least_pain", "enjoyment", "activity", "sleep_quality", "mood")
ENTRY_FIELDS = (
    "recorded_at",
    "pain",
    "worst_pain",
    "least_pain",
    "enjoyment",
    "activity",
    "sleep_hours",
    "sleep_quality",
    "mood",
    "note",
    "tags",
)
TREATMENT_FIELDS = (
    "started_at",
    "name",
    "dose",
    "dose_unit",
    "duration_min",
    "route",
    "provider",
    "heart_rate_before",
    "heart_rate_after",
    "systolic_before",
    "diastolic_before",
    "systolic_after",
    "diastolic_after",
    "side_effects",
    "note",
)
MEDICATION_FIELDS = ("taken_at", "name", "dose", "dose_unit", "note")
TIME_FIELDS = ("recorded_at", "started_at", "taken_at")
NOTE_MAX = 100_000  # characters in a note
TEXT_MAX = 200  # characters in a name, dose unit, route, provider, tag or side effect name
LIST_MAX = 100  # tags of an entry, side effects of a session
DOSE_MAX = 100_000  # a dose, in any unit

# field -> (low, high, whole numbers only); all bounds inclusive
_RANGES: dict[str, tuple[float, float, bool]] = {
    **{name: (0, 10, False) for name in SCORE_FIELDS},
    "sleep_hours": (0, 24, False),
    "duration_min": (0, 1440, False),
    "heart_rate_before": (20, 250, True),
    "heart_rate_after": (20, 250, True),
    "systolic_before": (50, 260, True),
    "systolic_after": (50, 260, True),
    "diastolic_before": (30, 160, True),
    "diastolic_after": (30, 160, True),
    "severity": (0, 10, False),
    "dose": (0, DOSE_MAX, False),  # (greater than 0: see number(positive=True))
}


@dataclass(frozen=True, slots=True)
class SideEffect:
    name: str
    severity: float | None = None

    def label(self) -> str:
        return self.name if self.severity is None else f"{self.name}:{_num_text(self.severity)}"


@dataclass(frozen=True, slots=True)
class Entry:
    recorded_at: str
    pain: float | None = None
    worst_pain: float | None = None
    least_pain: float | None = None
    enjoyment: float | None = None
    activity: float | None = None
    sleep_hours: float | None = None
    sleep_quality: float | None = None
    mood: float | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self, ENTRY_FIELDS, tags=list(self.tags))


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


def _record_dict(record: Any, names: tuple[str, ...], **override: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": record.id}
    for name in names:
        out[name] = override[name] if name in override else getattr(record, name)
    return out


def _num_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def number(field: str, value: object, *, positive: bool = False) -> float | int | None:
    """Validate a numeric field; ``None`` and ``""`` mean absent."""
    if value is None or value == "":
        return None
    low, high, whole = _RANGES.get(field, (0.0, math.inf, False))
    if positive:
        accepted = "a number greater than 0" + ("" if high == math.inf else f" and at most {high:,g}")
    elif whole:
        accepted = f"a whole number from {low:g} to {high:g}"
    else:
        accepted = f"a number from {low:g} to {high:g}"
    if isinstance(value, bool):
        raise ValidationError(field, value, accepted)
    try:
        result = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(field, value, accepted) from None
    if math.isnan(result) or math.isinf(result):
        raise ValidationError(field, value, accepted)
    if positive:
        if result <= 0 or result > high:
            raise ValidationError(field, value, accepted)
        return result
    if not low <= result <= high or (whole and not result.is_integer()):
        raise ValidationError(field, value, accepted)
    return int(result) if whole else result


def text(
    field: str, value: object, *, required: bool = False, strip: bool = True, longest: int = TEXT_MAX
) -> str | None:
    """Validate a text field of at most ``longest`` characters; an empty value is no value."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, value, "text")
    if strip:
        value = value.strip()
    if value == "":
        if required:
            raise ValidationError(field, value, "a non-empty text")
        return None
    if len(value) > longest:
        raise LimitError(field, len(value), longest)
    return value


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


def _check_unknown(values: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(allowed) - {"id"})
    if unknown:
        raise RecordError(f"Unknown field(s): {', '.join(unknown)}. Known fields: {', '.join(allowed)}.")


def _stamp(field: str, value: object) -> str:
    if value is None or value == "":
        raise ValidationError(field, value, when.ISO_ACCEPTED)
    if not isinstance(value, str):
        raise ValidationError(field, value, when.ISO_ACCEPTED)
    return when.canonical(value, field)


def _timed_stamp(field: str, value: object) -> str:
    stamp = _stamp(field, value)
    if when.is_whole_day(stamp):
        raise ValidationError(field, value, "a date-time (a session happens at a time)")
    return stamp


def _record_id(values: Mapping[str, object]) -> int | None:
    value = values.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- the rules, as tables -------------------------------------------------------
#
# One validator per field (value in, canonical value out, ValidationError otherwise),
# and the record-level rules as data. make_entry/make_treatment/make_medication are
# built from these, and the importer applies the same functions column by column and
# the same rules as SQL (paindiary.transfer.importer), so there is one definition of "valid".

Validator = Callable[[object], Any]


def _numbers(*names: str) -> dict[str, Validator]:
    return {name: partial(number, name) for name in names}


ENTRY_VALIDATORS: dict[str, Validator] = {
    **_numbers(*SCORE_FIELDS, "sleep_hours"),
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
VALIDATORS: dict[str, dict[str, Validator]] = {
    "entries": ENTRY_VALIDATORS,
    "treatments": TREATMENT_VALIDATORS,
    "medications": MEDICATION_VALIDATORS,
}


@dataclass(frozen=True)
class Rules:
    """Record-level rules of one kind (beyond each field being valid on its own)."""

    required: tuple[str, ...] = ()  # each must have a value
    any_of: tuple[str, ...] = ()  # at least one of these must have a value
    not_above: tuple[tuple[str, str], ...] = ()  # (low, high): low <= high when both are given
    # False: the schema has no CHECK for the not_above pairs, so the importer's fast path tests them
    pairs_in_schema: bool = True


ENTRY_RULES = Rules(
    any_of=(*SCORE_FIELDS, "sleep_hours", "note"),
    not_above=(("least_pain", "worst_pain"), ("least_pain", "pain"), ("pain", "worst_pain")),
)
TREATMENT_RULES = Rules(
    required=("started_at", "name"),
    not_above=(("diastolic_before", "systolic_before"), ("diastolic_after", "systolic_after")),
    pairs_in_schema=False,
)
RULES: dict[str, Rules] = {
    "entries": ENTRY_RULES,
    "treatments": TREATMENT_RULES,
    "medications": Rules(required=("taken_at", "name", "dose", "dose_unit")),
}


def _check_pairs(rules: Rules, record: Any) -> None:
    for low_name, high_name in rules.not_above:
        low, high = getattr(record, low_name), getattr(record, high_name)
        if low is not None and high is not None and low > high:
            raise RecordError(f"{low_name} ({_num_text(low)}) cannot be above {high_name} ({_num_text(high)}).")


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


def column_is_canonical(kind: str, field: str, values: Sequence[str]) -> bool:
    """True when a C-level check proves ``VALIDATORS[kind][field]`` returns every value unchanged.

    Only time fields have such a check (:func:`paindiary.when.all_canonical`); it is the
    importer's fast path, and False means "run the validator on each value".
    """
    if field not in TIME_FIELDS or not when.all_canonical(values):
        return False
    return kind != "treatments" or 10 not in map(len, values)  # sessions need a time of day
