"""Start-up and the everyday commands stay light: no matplotlib, numpy, rich, sqlite_utils or icalendar on the path of
log, list, analyze, import, export (the one check of it: a probe process per command)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from paindiary import db, diary, store

pytestmark = pytest.mark.slow  # every test here starts processes, renders or writes large files

HEAVY = ("matplotlib", "numpy", "rich", "sqlite_utils", "icalendar")

PROBE = """
import json, sys
HEAVY = set(sys.argv[1].split(","))
from paindiary.cli import main
code = 0
if sys.argv[2:]:  # no arguments: only start up (import the CLI)
    sys.argv = ["paindiary", *sys.argv[2:]]
    try:
        main()  # the installed script's entry point
    except SystemExit as exit:
        code = exit.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & HEAVY)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "check_output"),
    [
        ([], lambda out: out == ""),
        (["log", "5", "--at", "2026-03-02"], lambda out: True),
        (["entry", "list", "--json"], lambda out: [e["pain"] for e in json.loads(out)] == [5]),
        (["analyze", "--json"], lambda out: json.loads(out)["courses"] == []),
        (["import", "{csv}"], lambda out: True),
        (["export", "--format", "csv"], lambda out: out.startswith("recorded_at,") and "2026-03-01" in out),
        (["export", "--format", "fhir"], lambda out: json.loads(out)["resourceType"] == "Bundle"),
    ],
    ids=["start-up", "log", "list", "analyze", "import", "export-csv", "export-fhir"],
)
def test_start_up_and_everyday_commands_import_no_heavy_library(
    args: list[str], check_output: Callable[[str], bool], tmp_path: Path, db_path: Path
) -> None:
    """No matplotlib, numpy, rich, sqlite_utils or icalendar on the path of start-up and the everyday commands."""
    with db.open_db(db_path) as handle:
        diary.add(handle, store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-01", "pain": 5}))
    csv = tmp_path / "in.csv"
    csv.write_text("recorded_at,pain\n2026-03-03,4\n")
    argv = [arg.replace("{csv}", str(csv)) for arg in args]
    result = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY), *argv], capture_output=True, text=True)
    outcome = json.loads(result.stderr.strip().splitlines()[-1])
    assert outcome == {"code": 0, "heavy": []}, result.stderr
    assert check_output(result.stdout), result.stdout


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
