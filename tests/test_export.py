"""``paindiary export``: JSON document, CSV, JSON Lines and FHIR, lossless and spreadsheet-safe."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def diary(run) -> None:
    run("log", "6", "--at", "2026-03-02T21:00", "--worst", "8", "--sleep", "6.5", "--note", "=cmd|' /C calc'!A0",
        "--tag", "flare", "--tag", "-rain")  # fmt: skip
    run("log", "5", "--at", "2026-03-01", "--mood", "4", "--note", 'line one,\n"two"\nnaïve ☕')
    run("treatment", "add", "--name", "ketamine infusion", "--at", "2026-03-01T09:00", "--dose", "35",
        "--dose-unit", "mg", "--duration", "240", "--hr-before", "72", "--hr-after", "88",
        "--bp-before", "120/80", "--bp-after", "140/90", "--side-effect", "nausea:3",
        "--side-effect", "dissociation", "--provider", "Pain clinic")  # fmt: skip
    run("med", "add", "oxycodone", "10", "mg", "--at", "2026-03-01T08:00")


def test_json_document_holds_every_kind_in_order(run, diary):
    document = json.loads(run("export").stdout)
    assert list(document) == ["format", "version", "entries", "treatments", "medications"]
    assert document["format"] == "paindiary" and document["version"] == 1
    assert [e["recorded_at"] for e in document["entries"]] == ["2026-03-01", "2026-03-02T21:00:00"]
    assert "id" not in document["entries"][0]
    assert document["treatments"][0]["side_effects"] == [
        {"name": "nausea", "severity": 3.0},
        {"name": "dissociation", "severity": None},
    ]


def test_kind_and_time_range(run, diary):
    only = json.loads(run("export", "--kind", "medications").stdout)
    assert only == [{"taken_at": "2026-03-01T08:00:00", "name": "oxycodone", "dose": 10.0, "dose_unit": "mg",
                     "note": None}]  # fmt: skip
    later = json.loads(run("export", "--since", "2026-03-02").stdout)
    assert [e["recorded_at"] for e in later["entries"]] == ["2026-03-02T21:00:00"] and later["treatments"] == []
    first_day = json.loads(run("export", "--until", "2026-03-01", "--kind", "entries").stdout)
    assert [e["recorded_at"] for e in first_day] == ["2026-03-01"]


def test_csv_is_one_kind_and_safe_in_a_spreadsheet(run, diary):
    text = run("export", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][0] == "recorded_at" and len(rows) == 3
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["note"] == "'=cmd|' /C calc'!A0"  # a formula is shown as text
    assert second["tags"] == "flare;-rain"  # only the start of a cell matters
    assert second["pain"] == "6" and second["sleep_hours"] == "6.5"
    sessions = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", "--kind", "treatments").stdout)))
    assert sessions[0]["side_effects"] == "nausea:3;dissociation"


def test_jsonl_is_one_record_per_line(run, diary):
    lines = run("export", "--format", "jsonl", "--kind", "treatments").stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["name"] == "ketamine infusion"


def test_output_file_is_private_whatever_the_umask(run, diary, tmp_path):
    old = os.umask(0o022)
    try:
        run("export", "--format", "csv", "-o", str(tmp_path / "out" / "entries.csv"))
    finally:
        os.umask(old)
    path = tmp_path / "out" / "entries.csv"
    assert path.stat().st_mode & 0o777 == 0o600 and path.read_text().startswith("recorded_at,")


def test_export_mistakes_are_one_line_errors(run, diary):
    assert "use it with --format fhir" in run("export", "--patient", "Alex", code=1).stderr
    error = " ".join(run("export", "--format", "xml", code=2).stderr.replace("│", " ").split())
    assert "Invalid value for '--format': 'xml' is not one of 'json', 'csv'" in error


def test_export_without_a_diary_says_so(run):
    assert "No diary at" in run("export", code=1).stderr


@pytest.mark.parametrize(("fmt", "kind"), [("json", None), ("csv", "entries"), ("csv", "treatments"),
                                           ("csv", "medications"), ("jsonl", "treatments")])  # fmt: skip
def test_export_import_export_is_identical(run, diary, tmp_path, fmt, kind):
    args = ["export", "--format", fmt, *(["--kind", kind] if kind else [])]
    first = run(*args).stdout
    path = tmp_path / f"export.{fmt}"
    path.write_text(first, newline="")
    other = ["--db", str(tmp_path / "other.db")]
    run(*other, "import", str(path), *(["--kind", kind] if kind else []))
    assert run(*other, *args).stdout == first


# --- FHIR ------------------------------------------------------------------------


@pytest.mark.slow  # validates with the FHIR library (its pydantic models take a while to load)
def test_fhir_bundle_validates_and_references_one_patient(run, diary):
    from fhir.resources.R4B.bundle import Bundle

    text = run("export", "--format", "fhir", "--patient", "Alex Doe").stdout
    data = json.loads(text)
    Bundle.model_validate(data)  # raises if the bundle is not valid FHIR
    assert data["type"] == "collection"
    resources = [entry["resource"] for entry in data["entry"]]
    patient = resources[0]
    assert patient["resourceType"] == "Patient" and patient["name"] == [{"text": "Alex Doe"}]
    assert all(r["subject"] == {"reference": f"urn:uuid:{patient['id']}"} for r in resources[1:])
    assert {entry["fullUrl"] for entry in data["entry"]} == {f"urn:uuid:{r['id']}" for r in resources}
    assert len({r["id"] for r in resources}) == len(resources)
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("Procedure") == 1 and kinds.count("MedicationStatement") == 1
    # (the model library checks structure and types, not code values: check the statuses here)
    statuses = {r["resourceType"]: r["status"] for r in resources[1:]}
    assert statuses == {"Observation": "final", "Procedure": "completed", "MedicationStatement": "completed"}
    assert run("export", "--format", "fhir", "--patient", "Alex Doe").stdout == text  # stable ids


def _observations(data: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in data["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Observation":
            found.setdefault(resource["code"]["coding"][0]["code"], []).append(resource)
    return found


def test_fhir_codes_units_and_categories(run, diary):
    data = json.loads(run("export", "--format", "fhir").stdout)
    assert "name" not in data["entry"][0]["resource"]  # anonymous patient
    obs = _observations(data)
    pain = obs["72514-3"]
    assert [o["valueQuantity"]["value"] for o in pain] == [5.0, 6.0]
    assert pain[0]["valueQuantity"] == {"value": 5.0, "unit": "{score}", "system": "http://unitsofmeasure.org",
                                        "code": "{score}"}  # fmt: skip
    assert pain[0]["category"][0]["coding"][0]["code"] == "survey" and pain[0]["status"] == "final"
    assert pain[0]["effectiveDateTime"] == "2026-03-01"  # a whole-day entry is a date
    assert re.fullmatch(r"2026-03-02T21:00:00[+-]\d\d:\d\d", pain[1]["effectiveDateTime"])
    assert obs["93832-4"][0]["valueQuantity"]["code"] == "h"
    assert obs["mood"][0]["code"]["coding"][0]["system"] == "urn:paindiary:observation"
    assert obs["mood"][0]["code"]["text"]
    heart = obs["8867-4"]
    assert [o["valueQuantity"]["value"] for o in heart] == [72, 88]
    assert heart[0]["category"][0]["coding"][0]["code"] == "vital-signs"
    assert heart[0]["valueQuantity"]["code"] == "/min"
    panel = obs["85354-9"][1]
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
            for c in panel["component"]] == [("8480-6", 140, "mm[Hg]"), ("8462-4", 90, "mm[Hg]")]  # fmt: skip
    assert panel["effectiveDateTime"].startswith("2026-03-01T13:00:00")  # after: start + 240 min


def test_fhir_times_carry_the_offset_of_their_date(run, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        run("log", "5", "--at", "2026-01-15T09:00")
        run("log", "5", "--at", "2026-07-15T09:00")
        data = json.loads(run("export", "--format", "fhir").stdout)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    times = [o["effectiveDateTime"] for o in _observations(data)["72514-3"]]
    assert times == ["2026-01-15T09:00:00+01:00", "2026-07-15T09:00:00+02:00"]
