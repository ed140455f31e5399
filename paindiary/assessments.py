"""Follow-up assessments (the ``assessments`` kind): a PGIC or a past-week PEG answer, validated.

A check-in after a treatment course records one instrument at a time:

- ``pgic``: the Patient Global Impression of Change, a whole number from 1 (very much
  improved) to 7 (very much worse); 1 and 2 ("much" or "very much improved") are the
  anchor IMMPACT and Farrar 2001 use for a clinically important change.
- ``peg``: the PEG scale over the past week (Krebs 2009): average pain, interference
  with enjoyment of life and with general activity, each 0-10; its score is their mean.

One row per answer, keyed by (``instrument``, ``recorded_at``). :func:`make_assessment`
checks each field (:data:`VALIDATORS`) and the rules between them (a ``pgic`` row has a
PGIC value and no PEG values, a ``peg`` row all three PEG values and no PGIC value), which
the database and the importer enforce too (:data:`BREAKS`). The questions shown on a
terminal are :data:`PGIC_QUESTION` and :data:`PEG_QUESTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from paindiary import checkins, values, when
from paindiary.errors import RecordError, ValidationError

INSTRUMENTS = checkins.INSTRUMENTS  # ("pgic", "peg")
PEG_FIELDS = ("peg_pain", "peg_enjoyment", "peg_activity")
ASSESSMENT_FIELDS = ("recorded_at", "instrument", "pgic", *PEG_FIELDS, "note")
NATURAL_KEY = ("instrument", "recorded_at")

PGIC_LABELS = {
    1: "very much improved",
    2: "much improved",
    3: "minimally improved",
    4: "no change",
    5: "minimally worse",
    6: "much worse",
    7: "very much worse",
}
PGIC_IMPROVED = (1, 2)  # "much" or "very much improved": a clinically important change
PGIC_QUESTION = (
    "Since your treatment course began, how would you describe the change in your pain and overall condition?"
)
# the PEG's three items, in our own words, each over the past week
PEG_QUESTIONS = {
    "peg_pain": "In the past week, what was your pain on average? (0 no pain - 10 pain as bad as you can imagine)",
    "peg_enjoyment": (
        "In the past week, how much did pain interfere with your enjoyment of life? (0 not at all - 10 completely)"
    ),
    "peg_activity": (
        "In the past week, how much did pain interfere with your general activity? (0 not at all - 10 completely)"
    ),
}
INSTRUMENT_NAMES = {"pgic": "PGIC (global impression of change)", "peg": "PEG (past-week pain and interference)"}


@dataclass(frozen=True, slots=True)
class Assessment:
    """One check-in answer: when, which instrument, its values (None: not part of it) and a note."""

    recorded_at: str
    instrument: str
    pgic: int | None = None
    peg_pain: float | None = None
    peg_enjoyment: float | None = None
    peg_activity: float | None = None
    note: str | None = None
    id: int | None = None

    @property
    def score(self) -> float | None:
        """The PGIC value, or the PEG score (the mean of its three items)."""
        if self.instrument == "pgic":
            return None if self.pgic is None else float(self.pgic)
        items = [self.peg_pain, self.peg_enjoyment, self.peg_activity]
        if None in items:
            return None
        return round(sum(item for item in items if item is not None) / 3, 2)

    @property
    def label(self) -> str | None:
        """The PGIC answer in words ("much improved"); None for a PEG."""
        return PGIC_LABELS.get(self.pgic) if self.pgic is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **{name: getattr(self, name) for name in ASSESSMENT_FIELDS}}


def check_instrument(value: object) -> str:
    """``pgic`` or ``peg`` (case and surrounding spaces ignored)."""
    name = value.strip().lower() if isinstance(value, str) else value
    if name not in INSTRUMENTS:
        raise ValidationError("instrument", value, " or ".join(INSTRUMENTS))
    assert isinstance(name, str)
    return name


def check_pgic(value: object) -> int | None:
    """A PGIC answer: a whole number from 1 (very much improved) to 7 (very much worse)."""
    result = values.number("pgic", value, low=1, high=7, whole=True)
    return None if result is None else int(result)


def check_peg_item(field: str, value: object) -> float | None:
    """One PEG item: a number from 0 to 10."""
    return values.number(field, value, low=0, high=10)


Validator = Callable[[object], Any]
VALIDATORS: dict[str, Validator] = {
    "recorded_at": partial(when.stamp, "recorded_at"),
    "instrument": check_instrument,
    "pgic": check_pgic,
    **{name: partial(check_peg_item, name) for name in PEG_FIELDS},
    "note": partial(values.text, "note", strip=False, longest=values.NOTE_MAX),
}
# SQL conditions, fields named in braces, true for a row breaking the rules between fields
BREAKS = (
    "({instrument} = 'pgic' AND ({pgic} IS NULL OR {peg_pain} IS NOT NULL"
    " OR {peg_enjoyment} IS NOT NULL OR {peg_activity} IS NOT NULL))",
    "({instrument} = 'peg' AND ({pgic} IS NOT NULL OR {peg_pain} IS NULL"
    " OR {peg_enjoyment} IS NULL OR {peg_activity} IS NULL))",
)


def check_rules(assessment: Assessment) -> None:
    """The rules between fields (:data:`BREAKS`, in Python); raises :class:`RecordError`."""
    peg = [getattr(assessment, name) for name in PEG_FIELDS]
    if assessment.instrument == "pgic":
        if assessment.pgic is None:
            raise RecordError("A PGIC answer needs its value (pgic, 1-7).")
        if any(item is not None for item in peg):
            raise RecordError("A PGIC answer has no PEG values (peg_pain, peg_enjoyment, peg_activity).")
    else:
        if any(item is None for item in peg):
            raise RecordError("A PEG answer needs all three values: peg_pain, peg_enjoyment and peg_activity (0-10).")
        if assessment.pgic is not None:
            raise RecordError("A PEG answer has no PGIC value (pgic).")


def make_assessment(fields: Mapping[str, object]) -> Assessment:
    """Validate an assessment given as a mapping of contract field names."""
    values.check_unknown(fields, ASSESSMENT_FIELDS)
    checked = {name: check(fields.get(name)) for name, check in VALIDATORS.items()}
    assessment = Assessment(**checked, id=values.record_id(fields))
    check_rules(assessment)
    return assessment
