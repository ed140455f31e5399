"""The README's examples, run in order on a fresh diary, as a person would type them (issue 13).

Every ``paindiary ...`` line of the README's ``sh`` blocks runs here, top to bottom, with the
real clock, in an empty folder whose HOME holds the files the examples name (a history CSV,
the phone and watch exports: small synthetic fixtures from tests/data). A line must succeed
(exit 0), except the lines whose own comment says they ask first or need a terminal: those
must stop with a usage error that says how to run them in a script (the pty tests drive them
on a real terminal). Paths outside the test's folder (``/media/usb/``) are moved inside it.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import zipfile
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
DATA = Path(__file__).resolve().parent / "data"
TERMINAL_ONLY = re.compile(r"#.*\b(on a terminal|asks first)")  # an example's comment saying it asks


def readme_examples(text: str) -> list[tuple[int, str]]:
    """(line number, command line) of every ``paindiary`` line in the README's ``sh`` blocks, in order.

    A line ending in ``\\`` continues on the next one.
    """
    examples: list[tuple[int, str]] = []
    for block in re.finditer(r"```sh\n(.*?)```", text, re.S):
        first = text.count("\n", 0, block.start()) + 2
        pending: tuple[int, str] | None = None
        for offset, line in enumerate(block.group(1).splitlines()):
            if pending is not None:
                pending = (pending[0], pending[1] + " " + line.strip())
            elif line.startswith("paindiary "):
                pending = (first + offset, line.strip())
            if pending is not None and not pending[1].endswith("\\"):
                examples.append(pending)
                pending = None
            elif pending is not None:
                pending = (pending[0], pending[1][:-1])
    return examples


def _zip(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))


def _files_the_examples_name(home: Path, cwd: Path) -> None:
    downloads = home / "Downloads"
    downloads.mkdir(parents=True)
    with zipfile.ZipFile(downloads / "export.zip", "w") as archive:
        archive.write(DATA / "wearables" / "apple_health" / "export.xml", "apple_health_export/export.xml")
    _zip(DATA / "wearables" / "fitbit", downloads / "takeout-20260315T101500Z-001.zip")
    _zip(DATA / "wearables" / "oura" / "json", downloads / "oura-data.zip")
    (cwd / "history.csv").write_text(
        "recorded_at,pain,sleep_hours,mood,note,tags\n"
        "2026-01-05,6,6.5,4,before the first infusion,\n"
        '2026-01-06,7,5,3,"bad night, woke at 3",flare;rain\n',
        encoding="utf-8",
    )
    shutil.copy(DATA / "schema-v1.db", cwd / "old.db")  # a diary an older paindiary wrote (private, as it does)
    (cwd / "old.db").chmod(0o600)
    (cwd / "watch.jsonl").write_text(
        json.dumps({"recorded_at": "2026-01-07T08:00:00", "pain": 5, "mood": 5}) + "\n", encoding="utf-8"
    )


def test_the_readme_names_the_commands_it_shows() -> None:
    examples = readme_examples(README.read_text(encoding="utf-8"))
    commands = {shlex.split(line, comments=True)[1] for _, line in examples}
    assert {"log", "treatment", "med", "entry", "analyze", "chart", "report", "import", "export"} <= commands
    assert len(examples) > 40


@pytest.mark.slow
def test_every_readme_example_runs_in_order_on_a_fresh_diary(run, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    _files_the_examples_name(home, tmp_path)
    monkeypatch.setattr("paindiary.cli.common.is_interactive", lambda: False)
    usb = tmp_path / "media" / "usb"
    for number, line in readme_examples(README.read_text(encoding="utf-8")):
        words = [word.replace("~", str(home), 1) if word.startswith("~/") else word for word in
                 shlex.split(line.replace("/media/usb/", f"{usb}/"), comments=True)]  # fmt: skip
        stdin = None
        if "<" in words:
            at = words.index("<")
            stdin = Path(words[at + 1]).read_text(encoding="utf-8")
            words = words[:at] + words[at + 2 :]
        if words[1:2] == ["restore"]:  # the dated backup the example restores: the diary's own backup, renamed
            name = Path(words[2])
            if not name.exists():
                shutil.copy(next(tmp_path.glob("data/diary-backup-*.db")), name)
        result = run(*words[1:], input=stdin, code=None)
        where = f"README.md line {number}: {line}"
        if TERMINAL_ONLY.search(line) and "--yes" not in words:
            assert result.exit_code == 2, (where, result.exit_code, result.stdout, result.stderr)
            assert any(hint in result.stderr for hint in ("--yes", "terminal", "e.g.")), (where, result.stderr)
        else:
            assert result.exit_code == 0, (where, result.exit_code, result.stdout, result.stderr)
            assert "Traceback" not in result.stdout + result.stderr, where
