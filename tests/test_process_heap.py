"""The installed script keeps the cycle collector off what lives until it ends (paindiary.cli.common.settle_heap).

A report spent about a quarter of a second of its two in full collections walking
matplotlib's modules and the records read again and again; these tests prove the
script freezes them (after the CLI's imports, and again after matplotlib's in the
drawing commands), collects the young in larger batches, and still gives the same file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paindiary import demo
from paindiary.cli.common import YOUNG_BATCH
from tests.conftest import FIXED_NOW

pytestmark = pytest.mark.slow  # starts processes that draw

PROBE = """
import gc, json, sys
baseline = len(gc.get_objects())  # what the interpreter holds before paindiary
from paindiary.cli import main
imported = len(gc.get_objects())
sys.argv = ["paindiary", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "frozen": gc.get_freeze_count(), "imported": imported - baseline,
                  "threshold": gc.get_threshold()[0]}), file=sys.stderr)
"""


def probe(*args: str) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    result: dict[str, int] = json.loads(done.stderr.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("heap") / "demo.db"
    demo.write(path, FIXED_NOW.date())
    return path


def test_every_command_freezes_what_the_cli_imported(diary: Path) -> None:
    listed = probe("--db", str(diary), "entry", "list", "--json")
    assert listed["code"] == 0 and listed["threshold"] == YOUNG_BATCH
    assert listed["frozen"] >= listed["imported"]  # the CLI's modules, and what the interpreter held


def test_the_drawing_commands_freeze_matplotlib_too(diary: Path, tmp_path: Path) -> None:
    listed = probe("--db", str(diary), "entry", "list", "--json")
    chart = probe("--db", str(diary), "chart", "-o", str(tmp_path / "c.png"))
    report = probe("--db", str(diary), "report", "-o", str(tmp_path / "r.pdf"))
    assert chart["code"] == report["code"] == 0
    assert chart["frozen"] > listed["frozen"] + 20_000  # matplotlib's modules: tens of thousands of objects
    assert report["frozen"] > listed["frozen"] + 20_000


def test_a_report_is_the_same_file_with_the_collector_settled(diary: Path, tmp_path: Path) -> None:
    """The collector's schedule changes nothing drawn: the script's report equals one made with the defaults."""
    ours = tmp_path / "ours.pdf"
    probe("--db", str(diary), "report", "-o", str(ours))
    plain = tmp_path / "plain.pdf"
    code = (
        "import sys\nfrom typer.main import get_command\nfrom paindiary.cli import app\n"
        "get_command(app)(sys.argv[1:], prog_name='paindiary')"
    )
    subprocess.run(
        [sys.executable, "-c", code, "--db", str(diary), "report", "-o", str(plain)], check=True, capture_output=True
    )
    assert ours.read_bytes() == plain.read_bytes()
