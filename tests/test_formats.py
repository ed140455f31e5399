"""The format registry: each io module declares a Format, io.MODULES registers it, the rest follows.

The proof that a read-only import format is one new module and its registration
line: a throwaway TSV reader is written as a module at test time, registered by
adding its name to ``io.MODULES``, and imported through ``paindiary import``, the
CLI's ``--format`` choices and help text picking it up with nothing else changed.
(The CLI reads the registry when a format is chosen or help is shown, not when it
starts, so a format registered during the test reaches the real command line.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from paindiary import io as formats
from tests.conftest import Run

TSV_MODULE = '''
"""TSV: tab-separated cells under a header of contract field names (a throwaway format of a test)."""

from __future__ import annotations

import csv
from typing import TextIO

from paindiary.io import ONE_KIND, Format, ReadOptions, Section, Table, TableChunk


def read(stream: TextIO, options: ReadOptions) -> list[Section]:
    header, *rows = list(csv.reader(stream, delimiter="\\t"))
    return [Table(header, iter([TableChunk(1, list(range(2, len(rows) + 2)), rows)]))]


FORMAT = Format(name="tsv", description="TSV", kinds=ONE_KIND, extensions=(".tsv",), read=read)
'''


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Help printed 250 columns wide, so no choice list is broken across lines."""
    monkeypatch.setenv("COLUMNS", "250")


def plain(text: str) -> str:
    """Printed text with the boxes and line wrapping taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def plain_help(run: Run, *args: str) -> str:
    return plain(run(*args, "--help").stdout)


def test_the_registry_lists_every_declared_format_in_order() -> None:
    registered = formats.registry()
    assert list(registered) == ["csv", "json", "jsonl", "daylio", "fhir", "apple-health", "fitbit", "oura"]
    assert formats.names(reads=True) == ("csv", "json", "jsonl", "daylio", "apple-health", "fitbit", "oura")
    assert formats.names(writes=True) == ("csv", "json", "jsonl", "fhir")
    assert {name: f.kinds for name, f in registered.items()} == {
        "csv": formats.ONE_KIND, "json": formats.ALL_KINDS, "jsonl": formats.ONE_KIND,
        "daylio": formats.ONE_KIND, "fhir": formats.ALL_KINDS, "apple-health": formats.ONE_KIND,
        "fitbit": formats.ONE_KIND, "oura": formats.ONE_KIND,
    }  # fmt: skip
    readers = [f for f in registered.values() if f.reads]
    extensions = [extension for f in readers for extension in f.extensions]
    assert len(extensions) == len(set(extensions)), "two import formats claim the same extension"
    assert all(extension.startswith(".") and extension == extension.lower() for extension in extensions)
    assert [name for name, f in registered.items() if not f.mappable] == ["daylio", "apple-health", "fitbit", "oura"]
    assert [name for name, f in registered.items() if f.read_path is not None] == ["apple-health", "fitbit", "oura"]


@pytest.mark.parametrize(
    ("file", "expected"),
    [("a.csv", "csv"), ("A.JSON", "json"), ("w.jsonl", "jsonl"), ("w.ndjson", "jsonl"), ("x.csv", "csv")],
)
def test_the_import_format_is_told_by_the_extension(file: str, expected: str) -> None:
    assert formats.format_for(file, None).name == expected
    assert formats.format_for(file, "daylio").name == "daylio"  # --format wins


def test_import_and_export_help_name_the_registered_formats(run: Run) -> None:
    import_help = plain_help(run, "import")
    assert "from CSV, JSON, JSON Lines, Daylio, Apple Health, Fitbit or Oura, all or nothing." in import_help
    assert "--format <csv|json|jsonl|daylio|apple-health|fitbit|oura> Default: from the extension." in import_help
    export_help = plain_help(run, "export")
    assert "Export the diary as JSON (default, to standard output), CSV, JSON Lines or a FHIR R4 bundle." in export_help
    assert "--format <json|csv|jsonl|fhir> json, csv, jsonl or fhir. [default: json]" in export_help
    overview = plain_help(run)
    assert (
        "import Import entries, treatments, medications, measurements or assessments from CSV, JSON, JSON Lines, "
        "Daylio" in overview
    )


def test_a_read_only_format_is_one_module_and_one_registration_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tsv_format.py").write_text(TSV_MODULE)  # the new module ...
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(formats, "MODULES", (*formats.MODULES, "tsv_format"))  # ... and its registration line

    (tmp_path / "week.tsv").write_text("recorded_at\tpain\tnote\n2026-03-01\t4\tfrom a TSV file\n")
    run("import", str(tmp_path / "week.tsv"))  # told by its extension
    run("import", "-", "--format", "tsv", input="recorded_at\tpain\n2026-03-02T08:00:00\t6\n")
    entries = json.loads(run("entry", "list", "--json").stdout)
    assert [(e["recorded_at"], e["pain"], e["note"]) for e in entries] == [
        ("2026-03-01", 4, "from a TSV file"),
        ("2026-03-02T08:00:00", 6, None),
    ]

    import_help = plain_help(run, "import")
    assert "<csv|json|jsonl|daylio|apple-health|fitbit|oura|tsv>" in import_help
    assert "Daylio, Apple Health, Fitbit, Oura or TSV, all or nothing" in import_help
    assert "tsv" not in plain_help(run, "export").lower()  # it only reads
    refused = run("export", "--format", "tsv", code=2)
    assert "'tsv' is not one of 'json', 'csv', 'jsonl', 'fhir'" in plain(refused.stderr)
    assert "--format csv, json, jsonl, daylio or tsv" in run("import", "-", input="x", code=1).stderr
