"""The everyday commands stay light: no matplotlib on the path of log, list, analyze, import, export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paindiary import db, diary, store

PROBE = """
import json, sys
from paindiary.cli import app
try:
    app(sys.argv[1:], prog_name="paindiary")
except SystemExit as exit:
    code = exit.code
heavy = sorted(m for m in ("matplotlib", "numpy") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["log", "5", "--at", "2026-03-02"],
        ["entry", "list", "--json"],
        ["analyze", "--json"],
        ["import", "{csv}"],
        ["export", "--format", "csv"],
        ["export", "--format", "fhir"],
    ],
    ids=["log", "list", "analyze", "import", "export-csv", "export-fhir"],
)
def test_command_does_not_import_matplotlib(args: list[str], tmp_path: Path, db_path: Path) -> None:
    with db.open_db(db_path) as handle:
        diary.add(handle, store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-01", "pain": 5}))
    csv = tmp_path / "in.csv"
    csv.write_text("recorded_at,pain\n2026-03-03,4\n")
    argv = [arg.replace("{csv}", str(csv)) for arg in args]
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True)
    outcome = json.loads(result.stderr.strip().splitlines()[-1])
    assert outcome == {"code": 0, "heavy": []}, result.stderr


FORMATS_PROBE = """
import json, sys
from paindiary.cli import app
try:
    app(sys.argv[1:], prog_name="paindiary")
except SystemExit as exit:
    code = exit.code
formats = sorted(m for m in sys.modules if m.startswith("paindiary.io"))
print(json.dumps({"code": code, "formats": formats}), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["log", "5", "--at", "2026-03-02"], ["entry", "list", "--json"]], ids=["log", "list"])
def test_everyday_commands_do_not_load_the_format_registry(args: list[str], db_path: Path) -> None:
    """The --format choices of import and export are read from paindiary.io only when needed."""
    with db.open_db(db_path) as handle:  # list reads an existing diary (it never creates one)
        diary.add(handle, store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-01", "pain": 5}))
    result = subprocess.run([sys.executable, "-c", FORMATS_PROBE, *args], capture_output=True, text=True)
    outcome = json.loads(result.stderr.strip().splitlines()[-1])
    assert outcome == {"code": 0, "formats": []}, result.stderr
