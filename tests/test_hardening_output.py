"""Writes to standard output are checked: a full disk, a file-size limit or /dev/full is one
line on stderr and exit status 1, never exit 0 with a cut-off file; a reader that stops
reading (``| head``) still ends quietly with exit status 0."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test here starts processes, renders or writes large files

LIMIT = 20 * 1024  # `ulimit -f 20`


@pytest.fixture
def big(run, tmp_path: Path, db_path: Path) -> Path:
    """A diary whose every listing and export is well over LIMIT bytes (and a pipe's 64 KiB buffer)."""
    rows = "\n".join(f"2025-{1 + i // 28:02d}-{1 + i % 28:02d},{i % 11},note {i} {'x' * 300}" for i in range(300))
    (tmp_path / "base.csv").write_text("recorded_at,pain,note\n" + rows + "\n")
    run("import", str(tmp_path / "base.csv"))
    run("treatment", "add", "--name", "ketamine infusion", "--at", "2025-02-01T09:00")
    run("med", "add", "oxycodone", "10", "mg", "--at", "2025-02-01T08:00")
    return db_path


def _env(db_path: Path) -> dict[str, str]:
    return {**os.environ, "PAINDIARY_DB": str(db_path), "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "100"}


def _check_failure(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: Could not write the output"), result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr


COMMANDS = {
    "export-json": ["export"],
    "export-csv": ["export", "--format", "csv"],
    "export-jsonl": ["export", "--format", "jsonl"],
    "export-fhir": ["export", "--format", "fhir"],
    "entry-list-json": ["entry", "list", "--json"],
    "entry-list": ["entry", "list"],
    "treatment-list": ["treatment", "list"],
    "med-list-json": ["med", "list", "--json"],
    "info": ["info", "--json"],
    "analyze": ["analyze", "--json"],
    "summary": ["summary"],
    "doctor": ["doctor", "--json"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_output_to_a_full_device_is_an_error(big: Path, paindiary_cmd: list[str], name: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*paindiary_cmd, *COMMANDS[name]], stdout=full, stderr=subprocess.PIPE, text=True,
            env=_env(big), timeout=120,
        )  # fmt: skip
    _check_failure(result)
    assert "No space left on device" in result.stderr


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("name", ["export-json", "export-csv", "entry-list-json", "entry-list"])
def test_output_past_a_file_size_limit_is_an_error(
    big: Path, paindiary_cmd: list[str], tmp_path: Path, name: str, unbuffered: bool
) -> None:
    out = tmp_path / "out.txt"
    env = {key: value for key, value in _env(big).items() if key != "PYTHONUNBUFFERED"}
    if unbuffered:  # Python then drops a short write silently unless paindiary buffers stdout itself
        env["PYTHONUNBUFFERED"] = "1"
    with open(out, "w") as handle:
        result = subprocess.run(
            [*paindiary_cmd, *COMMANDS[name]], stdout=handle, stderr=subprocess.PIPE, text=True,
            env=env, timeout=120, preexec_fn=_limited,
        )  # fmt: skip
    _check_failure(result)
    assert "File too large" in result.stderr
    assert out.stat().st_size <= LIMIT


def test_a_reader_that_stops_reading_still_ends_quietly(big: Path, paindiary_cmd: list[str]) -> None:
    process = subprocess.Popen(
        [*paindiary_cmd, "export", "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(big)
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"recorded_at,pain,")
    process.stdout.close()  # like `| head -c 100`: the rest (over 64 KiB) meets a closed pipe
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0 and stderr == ""


def test_output_that_fits_is_written_whole(big: Path, paindiary_cmd: list[str], tmp_path: Path, run) -> None:
    out = tmp_path / "whole.json"
    with open(out, "w") as handle:
        result = subprocess.run([*paindiary_cmd, "export"], stdout=handle, stderr=subprocess.PIPE, env=_env(big))
    assert result.returncode == 0 and out.read_text() == run("export").stdout
