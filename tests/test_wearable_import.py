"""``paindiary import --format apple-health|fitbit|oura``: phone and watch exports through the import pipeline."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from paindiary import io as formats
from tests.conftest import Run

WEARABLES = Path(__file__).parent / "data" / "wearables"
APPLE = WEARABLES / "apple_health" / "export.xml"


def test_the_formats_are_registered_as_path_readers() -> None:
    registered = formats.registry()
    for name in ("apple-health", "fitbit", "oura"):
        assert registered[name].read_path is not None and registered[name].reads
        assert not registered[name].writes and not registered[name].extensions


def test_apple_health_imports_and_counts_what_it_skipped(run: Run) -> None:
    result = json.loads(run("import", str(APPLE), "--format", "apple-health", "--json").stdout)
    assert result["measurements"] == {"inserted": 6, "updated": 0, "unchanged": 0}
    assert result["skipped"]["HKQuantityTypeIdentifierHeartRate"] == 3
    assert result["skipped"]["HKCategoryTypeIdentifierSleepAnalysis InBed"] == 1
    rows = run.json("measurement", "list")
    assert {(r["day"], r["metric"]): r["value"] for r in rows} == {
        ("2026-03-07", "sleep_minutes"): 455,
        ("2026-03-07", "steps"): 1850,
        ("2026-03-07", "resting_hr"): 58,
        ("2026-03-08", "sleep_minutes"): 440,
        ("2026-03-08", "steps"): 1550,
        ("2026-03-08", "resting_hr"): 57,
    }
    assert {r["source"] for r in rows} == {"apple-health"}
    assert "Skipped, not used" in run("import", str(APPLE), "--format", "apple-health").stderr


def test_the_zip_is_read_too(run: Run, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(APPLE, "apple_health_export/export.xml")
    result = json.loads(run("import", str(archive), "--format", "apple-health", "--json").stdout)
    assert result["measurements"]["inserted"] == 6


def test_dry_run_and_on_conflict(run: Run) -> None:
    run("log", "5", "--at", "2026-03-01")
    dry = json.loads(run("import", str(APPLE), "--format", "apple-health", "--dry-run", "--json").stdout)
    assert dry["dry_run"] is True and dry["measurements"]["inserted"] == 6
    assert run.json("measurement", "list") == []
    run("import", str(APPLE), "--format", "apple-health")
    again = json.loads(run("import", str(APPLE), "--format", "apple-health", "--json").stdout)
    assert again["measurements"] == {"inserted": 0, "updated": 0, "unchanged": 6}
    refused = run("import", str(APPLE), "--format", "apple-health", "--on-conflict", "error", code=1)
    assert "6 problems" in refused.stderr and "already in the diary" in refused.stderr


def test_a_truncated_export_is_a_clean_error_and_writes_nothing(run: Run, db_path: Path) -> None:
    result = run("import", str(WEARABLES / "apple_health" / "export_truncated.xml"), "--format", "apple-health", code=1)
    assert "line 46" in result.stderr and "Traceback" not in result.stderr
    assert not db_path.exists()  # a new diary appears only if the import succeeds


@pytest.mark.parametrize(
    ("fmt", "path", "sources"),
    [
        ("fitbit", WEARABLES / "fitbit" / "Takeout", {"fitbit"}),
        ("fitbit", WEARABLES / "fitbit" / "fitbit_export_20101015.csv", {"fitbit"}),
        ("oura", WEARABLES / "oura" / "json", {"oura"}),
        ("oura", WEARABLES / "oura" / "csv", {"oura"}),
    ],
)
def test_fitbit_and_oura(run: Run, fmt: str, path: Path, sources: set[str]) -> None:
    result = json.loads(run("import", str(path), "--format", fmt, "--json").stdout)
    rows = run.json("measurement", "list")
    assert result["measurements"]["inserted"] == len(rows) > 0
    assert {r["source"] for r in rows} == sources


def test_the_same_day_from_two_sources_is_kept_apart(run: Run) -> None:
    run("import", str(APPLE), "--format", "apple-health")
    run("import", str(WEARABLES / "oura" / "json"), "--format", "oura")
    march_8 = run.json("measurement", "list", "--since", "2026-03-08", "--until", "2026-03-08", "--metric", "steps")
    assert sorted(r["source"] for r in march_8) == ["apple-health", "oura"]


def test_a_path_format_needs_a_path_and_takes_no_map(run: Run, tmp_path: Path) -> None:
    assert "give its path" in run("import", "-", "--format", "oura", input="", code=1).stderr
    mapped = run("import", str(APPLE), "--format", "apple-health", "--map", "a=day", code=1)
    assert "do not apply" in mapped.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "Error" in run("import", str(empty), "--format", "oura", code=1).stderr
