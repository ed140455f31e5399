"""``paindiary.files`` directly: private folders and files, no file written over, the diary never a target,
temporary copies recognised by name (issue 15: the mutation run's survivors in ``files``).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from paindiary import files
from paindiary.errors import PaindiaryError

DEAD = 999_999_999  # no process has that id


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


# --- folders and files ---------------------------------------------------------------------------


def test_folders_paindiary_creates_are_private_and_existing_ones_are_left_alone(tmp_path: Path, open_umask) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    files.make_private_dirs(shared / "a" / "b")
    assert mode(shared / "a") == 0o700 and mode(shared / "a" / "b") == 0o700
    assert mode(shared) == 0o755  # not paindiary's: not changed
    files.make_private_dirs(shared / "a" / "b")  # already there: nothing to do
    assert mode(shared / "a" / "b") == 0o700


def test_a_folder_made_meanwhile_by_another_process_is_not_an_error(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "new" / "deeper"
    real_mkdir = Path.mkdir

    def racing(self: Path, mode: int = 0o777, parents: bool = False, exist_ok: bool = False) -> None:
        if self == tmp_path / "new":
            real_mkdir(self, 0o755)  # another process was first
        real_mkdir(self, mode)

    monkeypatch.setattr(Path, "mkdir", racing)
    files.make_private_dirs(target)
    assert target.is_dir() and mode(target) == 0o700
    assert mode(tmp_path / "new") == 0o755  # theirs: left as they made it


def test_touching_makes_a_private_file_and_keeps_what_it_holds(tmp_path: Path, open_umask) -> None:
    path = tmp_path / "new" / "diary.db"
    files.touch_private(path)
    assert path.read_bytes() == b"" and mode(path) == 0o600 and mode(path.parent) == 0o700
    path.write_bytes(b"kept")
    path.chmod(0o644)
    files.touch_private(path)
    assert path.read_bytes() == b"kept" and mode(path) == 0o600


# --- what may be written ----------------------------------------------------------------------------


def test_the_diary_is_refused_under_any_of_its_names(tmp_path: Path) -> None:
    diary = tmp_path / "diary.db"
    diary.write_bytes(b"diary")
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "hard.db"
    os.link(diary, hard)
    soft = tmp_path / "soft.db"
    soft.symlink_to(diary)
    refused = {
        diary: f"{diary} is the diary; choose another file name.",
        tmp_path
        / "sub"
        / ".."
        / "diary.db": f"{tmp_path}/sub/../diary.db is the diary ({diary}); choose another file name.",
        hard: f"{hard} is the diary ({diary}); choose another file name.",
        soft: f"{soft} is the diary ({diary}); choose another file name.",
        Path(f"{diary}-journal"): f"{diary}-journal is the diary's journal file; choose another file name.",
        Path(f"{diary}-wal"): f"{diary}-wal is the diary's wal file; choose another file name.",
        Path(f"{diary}-shm"): f"{diary}-shm is the diary's shm file; choose another file name.",
    }
    for path, message in refused.items():
        with pytest.raises(PaindiaryError) as caught:
            files.check_target(path, force=True, protect=[tmp_path / "other.db", diary])
        assert str(caught.value) == message
    files.check_target(tmp_path / "new.db", protect=diary)  # another name is fine
    files.check_target(hard, force=True)  # nothing protected


def test_a_link_to_the_diary_s_journal_is_refused(tmp_path: Path) -> None:
    diary = tmp_path / "diary.db"
    journal = Path(f"{diary}-journal")
    journal.write_bytes(b"")
    link = tmp_path / "j.db"
    link.symlink_to(journal)
    with pytest.raises(PaindiaryError) as caught:
        files.check_target(link, force=True, protect=diary)  # the diary itself need not exist
    assert str(caught.value) == f"{link} is the diary's journal file ({journal}); choose another file name."


def test_a_folder_an_existing_file_or_a_dangling_link_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PaindiaryError) as caught:
        files.check_target(tmp_path, force=True)
    assert str(caught.value) == f"{tmp_path} is a folder; give a file name."
    taken = tmp_path / "taken.txt"
    taken.write_text("x")
    with pytest.raises(PaindiaryError) as caught:
        files.check_target(taken)
    assert str(caught.value) == f"{taken} exists; use --force to replace it."
    files.check_target(taken, force=True)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(PaindiaryError, match="exists; use --force"):
        files.check_target(dangling)


def test_a_symlink_loop_is_a_name_like_any_other(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    diary = tmp_path / "diary.db"
    diary.write_bytes(b"diary")
    with pytest.raises(PaindiaryError, match="exists; use --force"):
        files.check_target(loop, protect=diary)
    files.check_target(loop, force=True, protect=diary)


# --- writing ---------------------------------------------------------------------------------------


def test_a_file_is_written_whole_private_and_without_a_temporary_left(tmp_path: Path, open_umask) -> None:
    path = tmp_path / "out" / "notes.txt"
    assert files.write_private(path, "naïve ✓") == path
    assert path.read_bytes() == "naïve ✓".encode() and mode(path) == 0o600
    files.write_private(tmp_path / "out" / "raw.bin", b"\x00\x01")
    assert (tmp_path / "out" / "raw.bin").read_bytes() == b"\x00\x01"
    assert names(tmp_path / "out") == ["notes.txt", "raw.bin"]


def test_force_replaces_a_symlink_itself_never_its_target(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("theirs")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    files.write_private(link, "mine", force=True)
    assert target.read_text() == "theirs" and not link.is_symlink() and link.read_text() == "mine"
    assert names(tmp_path) == ["elsewhere.txt", "link.txt"]


def test_writing_removes_copies_a_killed_process_left_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"  # not the working folder
    folder.mkdir()
    stale = folder / f".paindiary-tmp-{DEAD}-x.json.abc.tmp"
    stale.write_text("health data")
    live = folder / f".paindiary-tmp-{os.getpid()}-y.json.abc.tmp"
    live.write_text("in use")
    files.write_private(folder / "out.json", "{}")
    assert names(folder) == sorted([live.name, "out.json"])


def test_a_file_is_written_as_a_recognisable_temporary_beside_it_first(tmp_path: Path, monkeypatch) -> None:
    seen: list[Path] = []
    real = files.put_in_place

    def spy(tmp: str | Path, path: Path) -> None:
        seen.append(Path(tmp))
        assert Path(tmp).read_bytes() == b"{}" and mode(Path(tmp)) == 0o600
        real(tmp, path)

    monkeypatch.setattr(files, "put_in_place", spy)
    folder = tmp_path / "exports"
    files.write_private(folder / "out.json", "{}")
    (temporary,) = seen
    assert temporary.parent == folder
    assert temporary.name.startswith(f".paindiary-tmp-{os.getpid()}-out.json.") and temporary.name.endswith(".tmp")
    assert names(folder) == ["out.json"]


def test_a_name_taken_while_writing_is_not_written_over(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "out.txt"
    real_link = os.link

    def taken_first(src: object, dst: object) -> None:
        Path(str(dst)).write_text("theirs")
        real_link(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "link", taken_first)
    with pytest.raises(PaindiaryError) as caught:
        files.write_private(path, "mine")
    assert str(caught.value) == f"{path} exists; use --force to replace it."
    assert path.read_text() == "theirs" and names(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS])
def test_without_hard_links_the_name_is_claimed_exclusively(tmp_path: Path, monkeypatch, code: int) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "link", no_links)
    path = tmp_path / "out.txt"
    files.write_private(path, "mine")
    assert path.read_text() == "mine" and mode(path) == 0o600 and names(tmp_path) == ["out.txt"]
    with pytest.raises(PaindiaryError, match="exists; use --force"):
        files.write_private(path, "again")
    assert path.read_text() == "mine" and names(tmp_path) == ["out.txt"]


def test_a_link_that_fails_otherwise_is_an_error_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "link", full)
    path = tmp_path / "out.txt"
    with pytest.raises(PaindiaryError) as caught:
        files.write_private(path, "mine")
    assert str(caught.value) == f"Could not write {path}: No space left on device."
    assert names(tmp_path) == []


def test_a_file_that_cannot_be_written_says_why(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    path = tmp_path / "file" / "out.txt"
    with pytest.raises(PaindiaryError) as caught:
        files.write_private(path, "x")
    assert str(caught.value) == f"Could not write {path}: Not a directory."


# --- temporary copies ------------------------------------------------------------------------------


def test_a_temporary_name_says_paindiary_and_which_process(tmp_path: Path) -> None:
    assert files.temp_prefix("diary.db") == f".paindiary-tmp-{os.getpid()}-diary.db."


def test_temporaries_are_listed_by_process_then_name_with_their_sizes(tmp_path: Path) -> None:
    me = os.getpid()
    for name, size in [(f"{DEAD}-b.tmp", 3), (f"{DEAD}-a.tmp", 2), (f"{me}-c.tmp", 1), ("notapid-d.tmp", 1)]:
        (tmp_path / f".paindiary-tmp-{name}").write_bytes(b"x" * size)
    (tmp_path / "other-7-e.tmp").write_bytes(b"x")
    (tmp_path / f".paindiary-tmp-{DEAD}-link.tmp").symlink_to(tmp_path / "other-7-e.tmp")
    found = [(t.path.name, t.size, t.pid, t.alive) for t in files.temporaries(tmp_path)]
    expected = [
        (f".paindiary-tmp-{me}-c.tmp", 1, me, True),
        (f".paindiary-tmp-{DEAD}-a.tmp", 2, DEAD, False),
        (f".paindiary-tmp-{DEAD}-b.tmp", 3, DEAD, False),
    ]
    assert found == sorted(expected, key=lambda t: (t[2], t[0]))
    assert files.temporaries(tmp_path / "missing") == []
    removed = files.remove_stale(tmp_path)
    assert [t.path.name for t in removed] == [f".paindiary-tmp-{DEAD}-a.tmp", f".paindiary-tmp-{DEAD}-b.tmp"]
    assert [t.path.name for t in files.temporaries(tmp_path)] == [f".paindiary-tmp-{me}-c.tmp"]


def test_a_process_that_runs_as_another_user_counts_as_running(monkeypatch) -> None:
    def not_allowed(pid: int, signal: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "kill", not_allowed)
    assert files._running(12345) is True
    assert files._running(os.getpid()) is True


def test_a_process_that_has_ended_is_not_running() -> None:
    assert files._running(DEAD) is False
    assert files._running(1) is True  # init always runs


def test_without_hard_links_a_name_taken_while_writing_is_not_written_over(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "out.txt"

    def taken_then_no_links(src: object, dst: object) -> None:
        Path(str(dst)).write_text("theirs")  # another program took the name after the check
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", taken_then_no_links)
    with pytest.raises(PaindiaryError) as caught:
        files.write_private(path, "mine")
    assert str(caught.value) == f"{path} exists; use --force to replace it."
    assert path.read_text() == "theirs" and names(tmp_path) == ["out.txt"]


def test_asking_whether_a_process_runs_never_signals_it() -> None:
    import subprocess

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert files._running(child.pid) is True
        with pytest.raises(subprocess.TimeoutExpired):  # still running: only signal 0 (a question) was sent
            child.wait(timeout=0.5)
    finally:
        child.kill()
        child.wait()
