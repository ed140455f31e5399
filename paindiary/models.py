"""Records (entries, treatment sessions, medication doses) and their validation.

Every value entering paindiary passes through :func:`make_entry`,
:func:`make_treatment` or :func:`make_medication`, which return frozen records
with canonical values or raise :class:`~paindiary.errors.ValidationError`
naming the field, the value and what is accepted. The field names here are the
public contract shared by ``--json`` output and import/export.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from paindiary import when
from paindiary.errors import RecordError, ValidationError

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
        accepted = "a number greater than 0"
    elif whole:
        accepted = f"a whole number from {low:g} to {high:g}"
    else:
        accepted = f"a number from {low:g} to {high:g}"
    if isinstance(value, bool):
        raise ValidationError(field, value, accepted)
    try:
        result = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(field, value, accepted) from None
    if math.isnan(result) or math.isinf(result):
        raise ValidationError(field, value, accepted)
    if positive:
        if result <= 0:
            raise ValidationError(field, value, accepted)
        return result
    if not low <= result <= high or (whole and not result.is_integer()):
        raise ValidationError(field, value, accepted)
    return int(result) if whole else result


def text(field: str, value: object, *, required: bool = False, strip: bool = True) -> str | None:
    """Validate a text field; an empty value is no value."""
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
        seen.setdefault(tag.strip(), None)
    return tuple(seen)


def parse_side_effect(spec: str) -> SideEffect:
    """Parse ``NAME`` or ``NAME:SEVERITY`` as typed on the command line or in CSV."""
    name, sep, severity = spec.partition(":")
    return make_side_effect({"name": name, "severity": severity if sep else None})


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
    return tuple(make_side_effect(item) for item in value)


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


def _record_id(values: Mapping[str, object]) -> int | None:
    value = values.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def make_entry(values: Mapping[str, object]) -> Entry:
    """Validate a diary entry given as a mapping of contract field names."""
    _check_unknown(values, ENTRY_FIELDS)
    scores = {name: number(name, values.get(name)) for name in (*SCORE_FIELDS, "sleep_hours")}
    entry = Entry(
        recorded_at=_stamp("recorded_at", values.get("recorded_at")),
        note=text("note", values.get("note"), strip=False),
        tags=parse_tags(values.get("tags")),
        id=_record_id(values),
        **scores,
    )
    if all(value is None for value in scores.values()) and entry.note is None:
        raise RecordError("An entry needs at least one score, sleep hours or a note.")
    pain, worst, least = entry.pain, entry.worst_pain, entry.least_pain
    if least is not None and worst is not None and least > worst:
        raise RecordError(f"least_pain ({_num_text(least)}) cannot be above worst_pain ({_num_text(worst)}).")
    if pain is not None and least is not None and least > pain:
        raise RecordError(f"least_pain ({_num_text(least)}) cannot be above pain ({_num_text(pain)}).")
    if pain is not None and worst is not None and pain > worst:
        raise RecordError(f"pain ({_num_text(pain)}) cannot be above worst_pain ({_num_text(worst)}).")
    return entry


def make_treatment(values: Mapping[str, object]) -> Treatment:
    """Validate a treatment session given as a mapping of contract field names."""
    _check_unknown(values, TREATMENT_FIELDS)
    started_at = _stamp("started_at", values.get("started_at"))
    if when.is_whole_day(started_at):
        raise ValidationError("started_at", values.get("started_at"), "a date-time (a session happens at a time)")
    name = text("name", values.get("name"), required=True)
    assert name is not None
    vitals = {
        field: number(field, values.get(field))
        for field in TREATMENT_FIELDS
        if field.startswith(("heart_rate", "systolic", "diastolic"))
    }
    return Treatment(
        started_at=started_at,
        name=name,
        dose=number("dose", values.get("dose"), positive=True),
        dose_unit=text("dose_unit", values.get("dose_unit")),
        duration_min=number("duration_min", values.get("duration_min")),
        route=text("route", values.get("route")),
        provider=text("provider", values.get("provider")),
        side_effects=parse_side_effects(values.get("side_effects")),
        note=text("note", values.get("note"), strip=False),
        id=_record_id(values),
        **vitals,  # type: ignore[arg-type]
    )


def make_medication(values: Mapping[str, object]) -> Medication:
    """Validate a medication dose given as a mapping of contract field names."""
    _check_unknown(values, MEDICATION_FIELDS)
    name = text("name", values.get("name"), required=True)
    dose = number("dose", values.get("dose"), positive=True)
    unit = text("dose_unit", values.get("dose_unit"), required=True)
    if dose is None:
        raise ValidationError("dose", values.get("dose"), "a number greater than 0")
    assert name is not None and unit is not None
    return Medication(
        taken_at=_stamp("taken_at", values.get("taken_at")),
        name=name,
        dose=dose,
        dose_unit=unit,
        note=text("note", values.get("note"), strip=False),
        id=_record_id(values),
    )
