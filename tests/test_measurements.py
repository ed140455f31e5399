"""The measurements kind (issue 14): the table, ``measurement list|delete``, and CSV/JSON of the kind."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from paindiary import db
from tests.conftest import Run

CSV = (
    "day,metric,value,source\n"
    "2026-03-01,sleep_minutes,421.5,apple-health\n"
    "2026-03-01,steps,8123,apple-health\n"
    "2026-03-02,resting_hr,58,oura\n"
    "2026-03-02,steps,4000,fitbit\n"
)


def imported(run: Run, tmp_path: Path, text: str = CSV, *args: str, code: int = 0, name: str = "m.csv") -> object:
    path = tmp_path / name
    path.write_text(text)
    return run("import", str(path), *args, code=code)


def test_csv_of_the_kind_imports_and_lists(run: Run, tmp_path: Path) -> None:
    imported(run, tmp_path)
    rows = run.json("measurement", "list")
    assert rows == [
        {"id": 1, "day": "2026-03-01", "metric": "sleep_minutes", "value": 421.5, "source": "apple-health"},
        {"id": 2, "day": "2026-03-01", "metric": "steps", "value": 8123, "source": "apple-health"},
        {"id": 3, "day": "2026-03-02", "metric": "resting_hr", "value": 58.0, "source": "oura"},
        {"id": 4, "day": "2026-03-02", "metric": "steps", "value": 4000, "source": "fitbit"},
    ]
    assert isinstance(rows[1]["value"], int)  # steps are whole numbers, also after storage
    steps = run.json("measurement", "list", "--metric", "steps", "--since", "2026-03-02")
    assert [(r["day"], r["source"]) for r in steps] == [("2026-03-02", "fitbit")]
    until = run.json("measurement", "list", "--until", "2026-03-01")
    assert {r["day"] for r in until} == {"2026-03-01"}
    table = run("measurement", "list").stdout
    assert "4 measurements" in table and "apple-health" in table and "8123" in table


def test_unknown_metric_is_refused(run: Run, tmp_path: Path) -> None:
    imported(run, tmp_path)
    result = run("measurement", "list", "--metric", "weight", code=1)
    assert "sleep_minutes, steps, resting_hr" in result.stderr


def test_delete(run: Run, tmp_path: Path) -> None:
    imported(run, tmp_path)
    result = run("measurement", "delete", "2", "--yes")
    assert "Deleted measurement 2" in result.stderr
    assert [r["id"] for r in run.json("measurement", "list")] == [1, 3, 4]
    assert "No measurement has id 2" in run("measurement", "delete", "2", "--yes", code=1).stderr


def test_reimport_matches_on_day_metric_source(run: Run, tmp_path: Path) -> None:
    imported(run, tmp_path)
    again = CSV.replace("8123", "9000") + "2026-03-03,steps,1,csv\n"
    result = imported(run, tmp_path, again, "--json")
    counts = json.loads(result.stdout)["measurements"]
    assert counts == {"inserted": 1, "updated": 1, "unchanged": 3}
    values = {(r["day"], r["metric"], r["source"]): r["value"] for r in run.json("measurement", "list")}
    assert values[("2026-03-01", "steps", "apple-health")] == 9000
    skipped = imported(run, tmp_path, CSV, "--on-conflict", "skip", "--json")
    assert json.loads(skipped.stdout)["measurements"]["inserted"] == 0


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("2026-03-04,steps,250000,fitbit", "200000"),
        ("2026-03-04,resting_hr,300,oura", "resting_hr"),  # above the metric's range (within another's)
        ("2026-03-04,sleep_minutes,5000,oura", "1440"),
        ("2026-03-04,sleep_minutes,1441,oura", "sleep_minutes"),
        ("2026-03-04,resting_hr,19,oura", "resting_hr"),
        ("2026-03-04,steps,12.5,fitbit", "whole number"),
        ("2026-03-04,weight,70,scale", "metric"),
        ("2026-03-04T08:00,steps,1,fitbit", "day"),
        ("2026-02-30,steps,1,fitbit", "day"),
    ],
)
def test_out_of_range_refused_with_its_line_nothing_written(run: Run, tmp_path: Path, row: str, fragment: str) -> None:
    run("log", "5", "--at", "2026-03-01")
    result = imported(run, tmp_path, CSV + row + "\n", code=1)
    assert "line 6" in result.stderr and fragment in result.stderr
    assert "nothing was imported" in result.stderr
    assert run.json("measurement", "list") == []


def test_json_of_the_kind_round_trips(run: Run, tmp_path: Path) -> None:
    imported(run, tmp_path)
    out = tmp_path / "out.json"
    run("export", "--format", "json", "--kind", "measurements", "-o", str(out))
    records = json.loads(out.read_text())
    assert [r["value"] for r in records] == [421.5, 8123, 58.0, 4000]
    jsonl = run("export", "--format", "jsonl", "--kind", "measurements").stdout.splitlines()
    assert json.loads(jsonl[1])["metric"] == "steps"
    csv_text = run("export", "--format", "csv", "--kind", "measurements").stdout
    assert csv_text.splitlines()[0] == "day,metric,value,source"
    other = tmp_path / "other"
    other.mkdir()
    run("--db", str(other / "d.db"), "import", str(out), "--kind", "measurements")
    assert run.json("--db", str(other / "d.db"), "measurement", "list") == run.json("measurement", "list")


def test_full_json_document_lists_measurements_only_when_there_are_some(run: Run, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-03-01")
    assert "measurements" not in json.loads(run("export", "--format", "json").stdout)
    imported(run, tmp_path)
    document = json.loads(run("export", "--format", "json").stdout)
    assert len(document["measurements"]) == 4
    other = tmp_path / "doc.json"
    other.write_text(json.dumps(document))
    run("--db", str(tmp_path / "copy.db"), "import", str(other))
    assert len(run.json("--db", str(tmp_path / "copy.db"), "measurement", "list")) == 4


def test_the_table_refuses_out_of_range_values(db_path: Path) -> None:
    db.open_db(db_path).close()
    conn = sqlite3.connect(db_path)
    insert = "INSERT INTO measurements (day, metric, value, source) VALUES (?, ?, ?, ?)"
    conn.execute(insert, ("2026-03-01", "steps", 200000, "x"))
    for bad in [
        ("2026-03-01", "steps", 200001, "y"),
        ("2026-03-01", "steps", 1.5, "y"),
        ("2026-03-01", "sleep_minutes", 1441, "y"),
        ("2026-03-01", "resting_hr", 251, "y"),
        ("2026-03-01", "weight", 70, "y"),
        ("2026-3-1", "steps", 1, "y"),
        ("2026-02-30", "steps", 1, "y"),
        ("2026-03-01", "steps", "many", "y"),
        ("2026-03-01", "steps", 1, ""),
        ("2026-03-01", "steps", 1, "x"),  # the natural key again
    ]:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(insert, bad)
    conn.close()


def test_fhir_observations_with_loinc_units_and_device(run: Run, tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    imported(run, tmp_path)
    data = json.loads(run("export", "--format", "fhir").stdout)
    Bundle.model_validate(data)  # raises if the bundle is not valid FHIR R4B
    observations = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"]
    found = {(o["code"]["coding"][0]["code"], o["effectiveDateTime"], o["device"]["display"]): o for o in observations}
    sleep = found[("93832-4", "2026-03-01", "apple-health")]
    assert sleep["code"]["coding"][0]["system"] == "http://loinc.org"
    assert sleep["valueQuantity"] == {"value": 421.5, "unit": "min", "system": "http://unitsofmeasure.org",
                                      "code": "min"}  # fmt: skip
    assert sleep["category"][0]["coding"][0]["code"] == "activity"
    steps = found[("41950-7", "2026-03-02", "fitbit")]
    assert steps["valueQuantity"]["value"] == 4000 and steps["valueQuantity"]["code"] == "{steps}"
    resting = found[("40443-4", "2026-03-02", "oura")]
    assert resting["valueQuantity"]["code"] == "/min" and resting["valueQuantity"]["value"] == 58
    assert resting["category"][0]["coding"][0]["code"] == "vital-signs"
    assert len(observations) == 4
    assert run("export", "--format", "fhir").stdout == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
