"""HL7 FHIR R4 export: a ``collection`` Bundle a provider's system can take in.

One ``Patient`` (named with ``--patient``, otherwise anonymous) that every
resource's ``subject`` references; an ``Observation`` per measured value
(patient-reported values in category ``survey``, heart rate and blood pressure
in ``vital-signs``) with UCUM units; a ``Procedure`` per treatment session and a
``MedicationStatement`` per medication dose; a measurement from a phone or watch
is an ``Observation`` with its LOINC code (sleep duration 93832-4, steps in 24
hours 41950-7, resting heart rate 40443-4; category ``activity``, resting heart
rate ``vital-signs``) on its day, its source in ``device.display``. Values without a LOINC code carry
the paindiary code system :data:`SYSTEM` and a text. A follow-up assessment is an ``Observation``
in category ``survey``: a PEG as the LOINC PEG panel (:data:`PEG_PANEL`) with a component per
past-week item and its score (:data:`PEG_ITEMS`, :data:`PEG_SCORE`); a PGIC, for which no LOINC code
exists, as a code with text only (:data:`PGIC_TEXT`), ``valueInteger`` and its words as the
interpretation. (An entry's daily PEG items keep paindiary codes: the LOINC ones mean the past week.)
Every resource id is a UUID derived from the record's natural key, so re-exports are identical.
Times carry this machine's UTC offset for their date (``offset``), whole-day
entries a date.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from paindiary import assessments, measures, registry, when
from paindiary.io import ALL_KINDS, ExportData, Format

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SYSTEM = "urn:paindiary:observation"
NAMESPACE = uuid.UUID("6f1c0a52-8d1e-5b8e-9d1f-70a1c3d2e4b5")

# field -> (code system, code, text, UCUM unit): each metric's LOINC code, else its paindiary code
ENTRY_CODES: dict[str, tuple[str, str, str, str]] = {
    metric.name: (LOINC, metric.loinc, metric.fhir_text, metric.unit)
    if metric.loinc
    else (SYSTEM, metric.code, metric.fhir_text, metric.unit)
    for metric in registry.METRICS
}
HEART_RATE = (LOINC, "8867-4", "Heart rate", "/min")
BLOOD_PRESSURE = (LOINC, "85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = (LOINC, "8480-6", "Systolic blood pressure", "mm[Hg]")
DIASTOLIC = (LOINC, "8462-4", "Diastolic blood pressure", "mm[Hg]")
# a follow-up PEG (past week): the panel, its items (field -> code; texts in our own words) and its score,
# each 0-10 {score}
PEG_PANEL = (LOINC, "91148-7", "Pain intensity, Enjoyment of life, General activity scale [PEG]")
PEG_ITEMS: dict[str, tuple[str, str, str]] = {
    "peg_pain": (LOINC, "75893-8", "Average pain in the past week (0-10)"),
    "peg_enjoyment": (LOINC, "91145-3", "Pain interference with enjoyment of life in the past week (0-10)"),
    "peg_activity": (LOINC, "91146-1", "Pain interference with general activity in the past week (0-10)"),
}
PEG_SCORE = (LOINC, "91147-9", "Mean score [PEG]")
PGIC_TEXT = "Patient Global Impression of Change"  # no LOINC code exists: a text-only code

Offset = Callable[[str], str]


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _concept(system: str, code: str, text: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": text}], "text": text}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


class _Builder:
    def __init__(self, patient: str | None, offset: Offset) -> None:
        self.offset = offset
        self.patient_id = _id("patient", patient or "")
        self.subject = {"reference": f"urn:uuid:{self.patient_id}"}
        resource: dict[str, Any] = {"resourceType": "Patient", "id": self.patient_id}
        if patient:
            resource["name"] = [{"text": patient}]
        self.resources: list[dict[str, Any]] = [resource]

    def observation(self, rid: str, category: tuple[str, str], code: dict[str, Any], at: str, **more: Any) -> None:
        self.resources.append(
            {"resourceType": "Observation", "id": rid, "status": "final", "category": _category(*category),
             "code": code, "subject": self.subject, "effectiveDateTime": self.offset(at), **more}
        )  # fmt: skip

    def entry(self, entry: dict[str, Any]) -> None:
        at = entry["recorded_at"]
        note = {"note": [{"text": entry["note"]}]} if entry.get("note") else {}
        for field, (system, code, text, unit) in ENTRY_CODES.items():
            if entry.get(field) is not None:
                self.observation(
                    _id("entries", at, field), ("survey", "Survey"), _concept(system, code, text), at,
                    valueQuantity=_quantity(entry[field], unit), **note,
                )  # fmt: skip

    def measurement(self, measured: dict[str, Any]) -> None:
        day, metric, source = measured["day"], measured["metric"], measured["source"]
        spec = measures.METRICS[metric]
        category = ("vital-signs", "Vital Signs") if metric == "resting_hr" else ("activity", "Activity")
        self.observation(
            _id("measurements", day, metric, source), category, _concept(LOINC, spec.loinc, spec.label), day,
            valueQuantity=_quantity(measured["value"], spec.ucum), device={"display": source},
        )  # fmt: skip

    def assessment(self, answer: dict[str, Any]) -> None:
        at, instrument = answer["recorded_at"], answer["instrument"]
        rid, survey = _id("assessments", instrument, at), ("survey", "Survey")
        note = {"note": [{"text": answer["note"]}]} if answer.get("note") else {}
        if instrument == "pgic":
            label = assessments.PGIC_LABELS[answer["pgic"]]
            self.observation(
                rid, survey, {"text": PGIC_TEXT}, at, valueInteger=answer["pgic"],
                interpretation=[{"text": label}], **note,
            )  # fmt: skip
            return
        score = assessments.Assessment(**answer).score
        assert score is not None  # (a stored PEG has all three items: the database refuses one without)
        components = [
            {"code": _concept(*code), "valueQuantity": _quantity(answer[field], "{score}")}
            for field, code in PEG_ITEMS.items()
        ]
        components.append({"code": _concept(*PEG_SCORE), "valueQuantity": _quantity(score, "{score}")})
        self.observation(rid, survey, _concept(*PEG_PANEL), at, component=components, **note)

    def treatment(self, session: dict[str, Any]) -> None:
        start = session["started_at"]
        procedure_id = _id("treatments", start)
        end = start
        if session.get("duration_min") is not None:
            end = when.plus_seconds(start, session["duration_min"] * 60)
        resource: dict[str, Any] = {
            "resourceType": "Procedure", "id": procedure_id, "status": "completed",
            "code": {"text": session["name"]}, "subject": self.subject,
        }  # fmt: skip
        if end != start:
            resource["performedPeriod"] = {"start": self.offset(start), "end": self.offset(end)}
        else:
            resource["performedDateTime"] = self.offset(start)
        if session.get("provider"):
            resource["performer"] = [{"actor": {"display": session["provider"]}}]
        effects = session.get("side_effects") or []
        if effects:
            resource["complication"] = [{"text": _effect_text(effect)} for effect in effects]
        notes = [text for text in (_dose_text(session), session.get("note")) if text]
        if notes:
            resource["note"] = [{"text": text} for text in notes]
        self.resources.append(resource)
        part_of = [{"reference": f"urn:uuid:{procedure_id}"}]
        for moment, at in (("before", start), ("after", end)):
            rate = session.get(f"heart_rate_{moment}")
            if rate is not None:
                self.observation(
                    _id("treatments", start, f"heart_rate_{moment}"), ("vital-signs", "Vital Signs"),
                    _concept(*HEART_RATE[:3]), at, valueQuantity=_quantity(rate, HEART_RATE[3]),
                    partOf=part_of, note=[{"text": f"Measured {moment} the treatment session."}],
                )  # fmt: skip
            components = [
                {"code": _concept(*code[:3]), "valueQuantity": _quantity(session[field], code[3])}
                for code, field in ((SYSTOLIC, f"systolic_{moment}"), (DIASTOLIC, f"diastolic_{moment}"))
                if session.get(field) is not None
            ]
            if components:
                self.observation(
                    _id("treatments", start, f"blood_pressure_{moment}"), ("vital-signs", "Vital Signs"),
                    _concept(*BLOOD_PRESSURE), at, component=components, partOf=part_of,
                    note=[{"text": f"Measured {moment} the treatment session."}],
                )  # fmt: skip

    def medication(self, dose: dict[str, Any]) -> None:
        amount = f"{_num(dose['dose'])} {dose['dose_unit']}"
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement", "id": _id("medications", dose["taken_at"], dose["name"]),
            "status": "completed", "medicationCodeableConcept": {"text": dose["name"]}, "subject": self.subject,
            "effectiveDateTime": self.offset(dose["taken_at"]),
            "dosage": [{"text": amount, "doseAndRate": [{"doseQuantity": {"value": dose["dose"],
                                                                          "unit": dose["dose_unit"]}}]}],
        }  # fmt: skip
        if dose.get("note"):
            resource["note"] = [{"text": dose["note"]}]
        self.resources.append(resource)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _effect_text(effect: dict[str, Any]) -> str:
    if effect.get("severity") is None:
        return str(effect["name"])
    return f"{effect['name']} (severity {_num(effect['severity'])}/10)"


def _dose_text(session: dict[str, Any]) -> str:
    parts = []
    if session.get("dose") is not None:
        parts.append(f"dose {_num(session['dose'])} {session.get('dose_unit') or ''}".rstrip())
    if session.get("route"):
        parts.append(f"route {session['route']}")
    return ("; ".join(parts).capitalize() + ".") if parts else ""


def bundle(data: ExportData, offset: Offset = when.with_local_offset) -> dict[str, Any]:
    """The Bundle as plain JSON-ready data."""
    builder = _Builder(data.patient, offset)
    for entry in data.records.get("entries", []):
        builder.entry(entry)
    for session in data.records.get("treatments", []):
        builder.treatment(session)
    for dose in data.records.get("medications", []):
        builder.medication(dose)
    for measured in data.records.get("measurements", []):
        builder.measurement(measured)
    for answer in data.records.get("assessments", []):
        builder.assessment(answer)
    ids = [resource["id"] for resource in builder.resources]
    return {
        "resourceType": "Bundle",
        "id": _id("bundle", *ids),
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in builder.resources],
    }


def write(data: ExportData) -> str:
    return json.dumps(bundle(data), ensure_ascii=False, indent=2) + "\n"


FORMAT = Format(
    name="fhir",
    description="a FHIR R4 bundle",
    kinds=ALL_KINDS,
    write=write,
)
