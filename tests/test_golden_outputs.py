"""Every machine-readable output of the demo diary is byte-identical to its golden file.

The golden files in ``tests/data/golden/`` were written before the registry
refactor (issue 9) and hold the public contract: ``--json`` outputs, the
CSV/JSON/JSON Lines/FHIR exports, the tables printed to a pipe, the PDF report
and the SVG charts. A change that alters any of them must be deliberate: set
``PAINDIARY_UPDATE_GOLDEN=1`` to rewrite them, and the test then fails once so
that a rewrite is never mistaken for a pass.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, Run

GOLDEN = Path(__file__).parent / "data" / "golden"
UPDATE = bool(os.environ.get("PAINDIARY_UPDATE_GOLDEN"))

# (golden file name, command arguments after --db); "-o" outputs are written to a file
STDOUT_CASES: list[tuple[str, list[str]]] = [
    ("analyze.json", ["analyze", "--json"]),
    ("analyze.txt", ["analyze"]),
    ("summary-week.json", ["summary", "--json"]),
    ("summary-month.txt", ["summary", "--by", "month"]),
    ("entry-list.json", ["entry", "list", "--json"]),
    ("entry-list.txt", ["entry", "list", "--last", "10"]),
    ("treatment-list.json", ["treatment", "list", "--json"]),
    ("treatment-list.txt", ["treatment", "list"]),
    ("med-list.json", ["med", "list", "--json"]),
    ("med-list.txt", ["med", "list", "--last", "10"]),
    ("export.json", ["export"]),
    ("export-entries.csv", ["export", "--format", "csv"]),
    ("export-treatments.csv", ["export", "--format", "csv", "--kind", "treatments"]),
    ("export-medications.csv", ["export", "--format", "csv", "--kind", "medications"]),
    ("export.jsonl", ["export", "--format", "jsonl"]),
    ("export-fhir.json", ["export", "--format", "fhir", "--patient", "Demo Patient"]),
]
FILE_CASES: list[tuple[str, list[str]]] = [
    ("report.pdf", ["report", "--patient", "Demo Patient"]),
    ("trend.svg", ["chart"]),
    ("course.svg", ["chart", "--view", "course"]),
]


@pytest.fixture(scope="module")
def demo_diary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo diary as of FIXED_NOW, in UTC so FHIR offsets do not depend on the machine."""
    saved_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    target = tmp_path_factory.mktemp("golden") / "demo.db"
    from paindiary import demo

    demo.write(target, FIXED_NOW.date())
    try:
        yield target
    finally:
        if saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved_tz
        time.tzset()


def _compare(name: str, produced: bytes) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
        pytest.fail(f"rewrote {golden}; unset PAINDIARY_UPDATE_GOLDEN and run again")
    assert golden.exists(), f"no golden file {golden}"
    assert produced == golden.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize(("name", "args"), STDOUT_CASES, ids=[case[0] for case in STDOUT_CASES])
def test_stdout_matches_golden(name: str, args: list[str], demo_diary: Path, run: Run, clock: object) -> None:
    result = run("--db", str(demo_diary), *args)
    _compare(name, result.stdout_bytes)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "args"), FILE_CASES, ids=[case[0] for case in FILE_CASES])
def test_file_matches_golden(
    name: str, args: list[str], demo_diary: Path, run: Run, clock: object, tmp_path: Path
) -> None:
    out = tmp_path / name
    run("--db", str(demo_diary), *args, "-o", str(out))
    _compare(name, out.read_bytes())
