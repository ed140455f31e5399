"""Field values as people type them and files hold them: numbers in a range, and texts of a bounded length.

The two validators every record kind is built from (:mod:`paindiary.models`,
:mod:`paindiary.assessments`): :func:`number` (a decimal comma is read as a point,
``6,5`` is 6.5; NaN, infinities and booleans are refused) and :func:`text` (at most
:data:`TEXT_MAX` characters, or :data:`NOTE_MAX` for a note). Each returns the
canonical value or raises :class:`~paindiary.errors.ValidationError` naming the field,
the value and what is accepted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from paindiary.errors import LimitError, RecordError, ValidationError

NOTE_MAX = 100_000  # characters in a note
TEXT_MAX = 200  # characters in a name, dose unit, route, provider, tag or side effect name


def _decimal_point(text: str) -> str:
    """A number as typed, with a decimal comma read as a point (``6,5`` is 6.5); a comma beside a point is not."""
    text = text.strip()
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text


def number(
    field: str,
    value: object,
    *,
    low: float = 0.0,
    high: float = math.inf,
    whole: bool = False,
    positive: bool = False,
) -> float | int | None:
    """Validate a number from ``low`` to ``high`` (above 0 with ``positive``); ``None`` and ``""`` mean absent."""
    if value is None or value == "":
        return None
    if positive:
        accepted = "a number greater than 0" + ("" if high == math.inf else f" and at most {high:,g}")
    elif whole:
        accepted = f"a whole number from {low:g} to {high:g}"
    else:
        accepted = f"a number from {low:g} to {high:g}"
    if isinstance(value, bool):
        raise ValidationError(field, value, accepted)
    try:
        result = float(_decimal_point(value)) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
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


def check_unknown(fields: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    """Refuse a record with a field its kind does not have (``id`` is always allowed)."""
    unknown = sorted(set(fields) - set(allowed) - {"id"})
    if unknown:
        raise RecordError(f"Unknown field(s): {', '.join(unknown)}. Known fields: {', '.join(allowed)}.")


def record_id(fields: Mapping[str, object]) -> int | None:
    """The ``id`` of a record given as a mapping, when it is a whole number (not a bool)."""
    value = fields.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None
