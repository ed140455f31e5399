"""Files and folders paindiary creates: private (0600 files, 0700 folders), written atomically,
never over a file paindiary did not create, and its temporary copies recognisable by name.

Everything paindiary writes is health data.

:func:`write_private` writes to a temporary file beside the target (mode 0600,
whatever the umask), flushes it to disk and then puts it in place: by a hard
link, which fails if the name is taken (so an existing file, or a symlink, is
never written over), or with ``force`` by a rename, which replaces a file or a
symlink itself and never writes through a link. A reader never sees half a
file, and a failure leaves the old file (or nothing). :func:`check_target`
refuses a target that is the diary under any name (the path itself, a hard or
symbolic link to it, its ``-journal``/``-wal``/``-shm`` files), even with ``force``.

Temporary files are named ``.paindiary-tmp-<pid>-...`` (:func:`temp_prefix`),
so a copy left by a killed process can be recognised by the doctor and removed
once the process that made it is gone (:func:`temporaries`, :func:`remove_stale`).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from paindiary.errors import PaindiaryError

TEMP_PREFIX = ".paindiary-tmp-"
DIARY_COMPANIONS = ("", "-journal", "-wal", "-shm")
_NO_HARD_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS)


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and missing parents; folders paindiary creates are 0700."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)


def touch_private(path: Path) -> None:
    """Create ``path`` if missing, readable and writable by its owner only."""
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _same_file(path: Path, other: Path) -> bool:
    """True if ``path`` (or the file a symlink at ``path`` points to) is the file ``other``."""
    try:
        target = os.stat(other)
    except OSError:
        return False
    for look in (os.stat, os.lstat):
        with contextlib.suppress(OSError):
            found = look(path)
            if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
                return True
    return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))


def check_target(path: Path, *, force: bool = False, protect: Path | Iterable[Path] = ()) -> None:
    """Refuse to write ``path`` if it is a protected diary (any name of it), a folder, or, unless ``force``, exists."""
    for diary in [protect] if isinstance(protect, Path) else protect:
        for suffix in DIARY_COMPANIONS:
            companion = Path(f"{diary}{suffix}")
            if _resolved(path) == _resolved(companion) or _same_file(path, companion):
                what = "the diary" if not suffix else f"the diary's {suffix[1:]} file"
                named = "" if str(path) == str(companion) else f" ({companion})"
                raise PaindiaryError(f"{path} is {what}{named}; choose another file name.")
    if path.is_dir():
        raise PaindiaryError(f"{path} is a folder; give a file name.")
    if not force and os.path.lexists(path):
        raise PaindiaryError(f"{path} exists; use --force to replace it.")


def put_in_place(tmp: str | Path, path: Path) -> None:
    """Give the complete file ``tmp`` the name ``path``; raises :class:`FileExistsError` if that name is taken."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here (a FAT USB stick): claim the name, then rename over our own empty file.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def write_private(path: Path, data: bytes | str, *, force: bool = False, protect: Path | Iterable[Path] = ()) -> Path:
    """Atomically write ``data`` to a new file ``path`` with mode 0600; returns ``path``.

    An existing ``path`` is refused unless ``force`` (then replaced, a symlink
    itself rather than its target); a protected diary is always refused (see
    :func:`check_target`).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_target(path, force=force, protect=protect)
    try:
        make_private_dirs(path.parent)
        remove_stale(path.parent)  # left there by a killed export, chart or report
        import tempfile  # (here: log never writes a temporary file)

        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if force:
                os.replace(tmp, path)
            else:
                put_in_place(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except FileExistsError:
        raise PaindiaryError(f"{path} exists; use --force to replace it.") from None
    except OSError as exc:
        raise PaindiaryError(f"Could not write {path}: {exc.strerror or exc}.") from None
    return path


# --- temporary copies ---------------------------------------------------------------


def temp_prefix(label: str) -> str:
    """The start of a temporary file's name: recognisable, and naming the process that owns it."""
    return f"{TEMP_PREFIX}{os.getpid()}-{label}."


@dataclass(frozen=True)
class Temporary:
    """A temporary file paindiary made: its path, size, owning process and whether that process still runs."""

    path: Path
    size: int
    pid: int
    alive: bool


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it runs, as another user
        return True
    return True


def temporaries(folder: Path) -> list[Temporary]:
    """paindiary's temporary files in ``folder`` (by name), oldest process first."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        pid_text = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or not entry.is_file(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError):
            pid = int(pid_text)
            found.append(Temporary(Path(entry.path), entry.stat(follow_symlinks=False).st_size, pid, _running(pid)))
    return sorted(found, key=lambda t: (t.pid, t.path.name))


def remove_stale(folder: Path) -> list[Temporary]:
    """Remove the temporary files in ``folder`` whose process is gone; returns what was removed."""
    removed = []
    for temporary in temporaries(folder):
        if not temporary.alive:
            with contextlib.suppress(OSError):
                temporary.path.unlink()
                removed.append(temporary)
    return removed
