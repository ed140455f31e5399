"""File-system hardening: no command writes over a file it did not create, follows a symlink,
writes to the diary under another name, lets ``demo`` replace a real diary, or creates a diary
by only reading one; files are 0600 whatever was there before."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from chartkit import two_courses

from paindiary import db as dbmod
from paindiary import diary, files
from paindiary.errors import PaindiaryError
from paindiary.store import ENTRIES, MEDICATIONS, TREATMENTS
from tests.conftest import Run


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def fill(path: Path) -> None:
    batches = [
        (kind, [r.to_dict() for r in rs])
        for kind, rs in zip((ENTRIES, TREATMENTS, MEDICATIONS), two_courses(), strict=True)
    ]
    with dbmod.open_db(path) as handle:
        diary.add_all(handle, batches)


@pytest.fixture
def filled(db_path: Path) -> Path:
    fill(db_path)
    return db_path


def others(folder: Path, *keep: str) -> list[str]:
    """Files in ``folder`` other than ``keep``: temporaries left behind would show here."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# --- 1. no overwrite --------------------------------------------------------------------

WRITERS = {
    "export": (["export"], "out.json"),
    "export-csv": (["export", "--format", "csv"], "out.csv"),
    "chart": (["chart"], "out.png"),
    "report": (["report"], "out.pdf"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(WRITERS))
def test_output_refuses_an_existing_file_and_force_replaces_it(run: Run, filled: Path, tmp_path: Path, name: str):
    args, file_name = WRITERS[name]
    out = tmp_path / "outputs" / file_name
    out.parent.mkdir()
    out.write_bytes(b"precious")
    os.chmod(out, 0o644)
    result = run(*args, "-o", str(out), code=1)
    assert result.stderr == f"Error: {out} exists; use --force to replace it.\n"
    assert out.read_bytes() == b"precious" and others(out.parent) == [file_name]
    run(*args, "-o", str(out), "--force")
    assert out.read_bytes() != b"precious" and out.stat().st_size > 100
    assert mode(out) == 0o600 and others(out.parent) == [file_name]


@pytest.mark.slow
def test_report_and_chart_default_paths_are_not_overwritten_by_a_second_run(run: Run, filled: Path, tmp_path: Path):
    run("report")
    first = (tmp_path / "paindiary-report.pdf").read_bytes()
    result = run("report", "--patient", "Someone Else", code=1)
    assert result.stderr == "Error: paindiary-report.pdf exists; use --force to replace it.\n"
    assert (tmp_path / "paindiary-report.pdf").read_bytes() == first
    run("chart")
    assert "paindiary-trend.png exists; use --force" in run("chart", code=1).stderr
    run("chart", "--force")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["export", "chart", "report"])
def test_a_symlink_at_output_is_never_followed(run: Run, filled: Path, tmp_path: Path, name: str) -> None:
    args, file_name = WRITERS[name]
    target = tmp_path / "elsewhere" / file_name
    target.parent.mkdir()
    target.write_bytes(b"precious")
    link = tmp_path / f"link-{file_name}"
    link.symlink_to(target)
    assert "exists; use --force" in run(*args, "-o", str(link), code=1).stderr
    assert link.is_symlink() and target.read_bytes() == b"precious"
    run(*args, "-o", str(link), "--force")  # the link itself is replaced, never written through
    assert not link.is_symlink() and link.stat().st_size > 100 and mode(link) == 0o600
    assert target.read_bytes() == b"precious"
    dangling = tmp_path / f"dangling-{file_name}"
    dangling.symlink_to(tmp_path / "nowhere" / file_name)
    assert "exists; use --force" in run(*args, "-o", str(dangling), code=1).stderr
    run(*args, "-o", str(dangling), "--force")
    assert not dangling.is_symlink() and not (tmp_path / "nowhere").exists()


def _diary_aliases(diary_path: Path, tmp_path: Path) -> dict[str, Path]:
    hard = tmp_path / "hard.json"
    os.link(diary_path, hard)
    soft = tmp_path / "soft.json"
    soft.symlink_to(diary_path)
    return {
        "the diary": diary_path,
        "a hard link": hard,
        "a symlink": soft,
        "relative": Path(os.path.relpath(diary_path)),
        "journal": Path(f"{diary_path}-journal"),
        "wal": Path(f"{diary_path}-wal"),
    }


@pytest.mark.parametrize("alias", ["the diary", "a hard link", "a symlink", "relative", "journal", "wal"])
def test_export_never_writes_to_the_diary_even_with_force(run: Run, filled: Path, tmp_path: Path, alias: str) -> None:
    target = _diary_aliases(filled, tmp_path)[alias]
    before = filled.read_bytes()
    for force in ([], ["--force"]):
        result = run("export", "--since", "2026-01-15", "-o", str(target), *force, code=1)
        assert result.stderr.startswith(f"Error: {target} is the diary") and "choose another" in result.stderr
        assert filled.read_bytes() == before
    assert not Path(f"{filled}-journal").exists() and not Path(f"{filled}-wal").exists()


@pytest.mark.slow
def test_chart_and_report_never_write_to_the_diary(run: Run, filled: Path, tmp_path: Path) -> None:
    before = filled.read_bytes()
    for name in ("x.png", "x.pdf"):
        os.link(filled, tmp_path / name)
    assert "is the diary" in run("chart", "-o", "x.png", "--force", code=1).stderr
    assert "is the diary" in run("report", "-o", "x.pdf", "--force", code=1).stderr
    assert "is the diary" in run("backup", f"{filled}-journal", code=1).stderr
    assert filled.read_bytes() == before and not Path(f"{filled}-journal").exists()


def test_output_to_a_folder_is_refused_even_with_force(run: Run, filled: Path, tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    result = run("export", "-o", "folder.json", "--force", code=1)
    assert "folder.json is a folder" in result.stderr


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(run, filled, tmp_path, monkeypatch) -> None:
    out = tmp_path / "o" / "out.json"
    out.parent.mkdir()
    out.write_bytes(b"precious")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = run("export", "-o", str(out), "--force", code=1)
    assert result.stderr == f"Error: Could not write {out}: No space left on device.\n"
    assert out.read_bytes() == b"precious" and others(out.parent) == ["out.json"]


def test_without_hard_links_a_new_file_is_still_never_written_over(run, filled, tmp_path, monkeypatch) -> None:
    """On file systems without hard links (FAT USB sticks), the name is claimed with O_EXCL instead."""

    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    run("export", "-o", "new.json")
    assert (tmp_path / "new.json").read_text().startswith("{") and mode(tmp_path / "new.json") == 0o600
    assert "exists; use --force" in run("export", "-o", "new.json", code=1).stderr
    assert others(tmp_path, "data", "home", "new.json") == []


def test_write_private_refuses_what_exists_and_protects_the_diary(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    files.write_private(path, "one")
    with pytest.raises(PaindiaryError, match="exists; use --force"):
        files.write_private(path, "two")
    files.write_private(path, "two", force=True)
    assert path.read_text() == "two"
    with pytest.raises(PaindiaryError, match="is the diary"):
        files.write_private(path, "three", force=True, protect=path)


@pytest.mark.parametrize("command", [["export"], ["chart"], ["report"]])
def test_force_is_documented(run: Run, command: list[str]) -> None:
    assert "--force" in run(*command, "--help").stdout


# --- 2. demo never touches a real diary ------------------------------------------------


def test_demo_refuses_a_real_diary_given_with_db(run: Run, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--note", "my own")
    before = db_path.read_bytes()
    for args in (["--db", str(db_path), "demo"], ["demo", "--db", str(db_path)]):
        result = run(*args, code=1)
        assert result.stderr == (
            f"Error: {db_path} holds your own diary; demo did not touch it. "
            "Run 'paindiary demo' to write ./paindiary-demo.db, or pick an empty path with --db.\n"
        )
    assert db_path.read_bytes() == before
    assert others(db_path.parent, "diary.db") == [] and others(tmp_path, "data", "home") == []


@pytest.mark.slow
def test_demo_replaces_its_own_demo_but_not_one_you_wrote_in(run: Run, tmp_path: Path) -> None:
    run("demo")
    target = tmp_path / "paindiary-demo.db"
    run("demo")  # its own, unchanged: replaced
    run("--db", str(target), "log", "3", "--at", "2020-01-01", "--note", "mine now")
    result = run("demo", code=1)
    assert result.stderr.startswith(f"Error: {target.name} holds your own diary; demo did not touch it.")
    assert "pick an empty path with --db" in result.stderr
    assert (
        run.json("--db", str(target), "entry", "list", "--since", "2020-01-01", "--until", "2020-01-01")[0]["note"]
        == "mine now"
    )


@pytest.mark.slow
def test_demo_refuses_an_empty_or_edited_diary(run: Run, tmp_path: Path) -> None:
    run("demo", "--db", "d.db")
    run("--db", "d.db", "entry", "edit", "1", "--mood", "0")
    assert "holds your own diary" in run("demo", "--db", "d.db", code=1).stderr
    run("--db", "empty.db", "med", "add", "x", "1", "mg")
    run("--db", "empty.db", "med", "delete", "1", "--yes")
    assert "holds your own diary" in run("demo", "--db", "empty.db", code=1).stderr


@pytest.mark.slow
def test_a_demo_stays_a_demo_when_backed_up_and_restored_as_is(run: Run, tmp_path: Path) -> None:
    run("demo", "--db", "d.db")
    run("--db", "d.db", "backup", "copy.db")
    run("demo", "--db", "copy.db")  # a copy of a demo is a demo


@pytest.mark.slow
def test_demo_never_writes_over_chart_files_it_did_not_write(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "paindiary-demo-report.pdf"
    mine.write_bytes(b"my report")
    result = run("demo", code=1)
    assert result.stderr.startswith(f"Error: {mine.name} exists")
    assert mine.read_bytes() == b"my report" and not (tmp_path / "paindiary-demo.db").exists()
    assert not (tmp_path / "paindiary-demo-trend.png").exists()


@pytest.mark.slow
def test_demo_replaces_its_own_chart_files(run: Run, tmp_path: Path) -> None:
    run("demo")
    trend = tmp_path / "paindiary-demo-trend.png"
    trend.write_bytes(b"old")
    run("demo")
    assert trend.read_bytes()[:4] == b"\x89PNG"


def test_demo_help_and_readme_agree_with_what_it_does(run: Run) -> None:
    text = " ".join(run("demo", "--help").stdout.split())
    assert "ignores $PAINDIARY_DB" in text and "never touches your own diary" in text
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    assert "it ignores `PAINDIARY_DB`" in readme and "refuses a diary it did not write" in readme


# --- 3. reading commands never create a diary; files are 0600 ------------------------

READERS = [
    ["entry", "list"],
    ["treatment", "list"],
    ["med", "list", "--json"],
    ["info"],
    ["analyze"],
    ["summary"],
    ["chart"],
    ["report"],
    ["export"],
    ["backup"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: "-".join(c))
def test_reading_commands_never_create_a_diary(run: Run, tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "typo" / "diray.db"
    result = run("--db", str(path), *command, code=1)
    assert result.stderr == f"Error: No diary at {path}; `paindiary log` creates one.\n"
    assert not path.parent.exists()
    assert others(tmp_path, "data", "home") == []


def test_doctor_never_creates_a_diary(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "typo" / "diray.db"
    result = run("--db", str(path), "doctor", code=1)
    assert f"no diary at {path}" in result.stdout + result.stderr and "`paindiary log` creates one" in result.stderr
    assert not path.parent.exists()


@pytest.mark.real_migrations
def test_an_existing_empty_file_becomes_a_private_diary(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    os.chmod(path, 0o644)
    assert run("--db", str(path), "info", code=1).stderr.startswith(f"Error: No diary at {path};")
    assert path.stat().st_size == 0  # a reading command leaves it as it was
    run("--db", str(path), "log", "5")
    assert mode(path) == 0o600


def test_a_failed_or_dry_run_import_creates_no_diary(run: Run, db_path: Path, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("recorded_at,pain\n2026-03-01,4\n")
    bad.write_text("recorded_at,pain\n2026-03-01,11\n")
    assert "Dry run" in run("import", str(good), "--dry-run").stderr
    run("import", str(bad), code=1)
    assert not db_path.parent.exists() and others(tmp_path, "home", "good.csv", "bad.csv") == []
    run("import", str(good))
    assert mode(db_path) == 0o600 and run.json("entry", "list")[0]["pain"] == 4
    assert others(db_path.parent, "diary.db") == []


def test_an_import_into_a_diary_that_appears_meanwhile_imports_nothing(run, db_path, tmp_path, monkeypatch) -> None:
    from paindiary.transfer import importer

    good = tmp_path / "good.csv"
    good.write_text("recorded_at,pain\n2026-03-01,4\n")
    real = importer.import_source

    def racing(*args, **kwargs):  # another program creates the diary while this import runs
        result = real(*args, **kwargs)
        with dbmod.open_db(db_path) as handle:
            diary.add(handle, ENTRIES, ENTRIES.make({"recorded_at": "2026-03-02", "pain": 7}))
        return result

    monkeypatch.setattr(importer, "import_source", racing)
    assert "appeared while importing" in run("import", str(good), code=1).stderr
    assert [e["pain"] for e in run.json("entry", "list")] == [7]


# --- 5. smaller ---------------------------------------------------------------------------


@pytest.mark.parametrize("dest", ["newdir/x/", "newdir/x//"])
def test_backup_to_a_path_ending_in_a_separator_is_a_folder(run: Run, clock, tmp_path: Path, dest: str) -> None:
    run("log", "5")
    run("backup", dest)
    folder = tmp_path / "newdir" / "x"
    assert folder.is_dir() and mode(folder) == 0o700
    assert [p.name for p in folder.iterdir()] == ["diary-backup-20260315-103045.db"]


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_db_that_is_not_a_regular_file_is_refused(run: Run, tmp_path: Path, kind: str) -> None:
    path = Path("/dev/null") if kind == "device" else tmp_path / "pipe"
    if kind == "fifo":
        os.mkfifo(path)
    for command in (["log", "5"], ["info"], ["export"]):
        result = run("--db", str(path), *command, code=1)
        assert result.stderr == (
            f"Error: {path} is not a regular file (a device, a pipe or a socket); give a diary file with --db.\n"
        )
