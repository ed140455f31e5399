"""Files and folders paindiary creates: private (0600 files, 0700 folders), written atomically.

Everything paindiary writes is health data.

:func:`write_private` writes to a temporary file beside the target (mode 0600,
whatever the umask), flushes it to disk and renames it into place, so a reader
never sees half a file and nobody else can read it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from paindiary.errors import PaindiaryError


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


def write_private(path: Path, data: bytes | str) -> Path:
    """Atomically write ``data`` to ``path`` with mode 0600; returns ``path``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        make_private_dirs(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PaindiaryError(f"Could not write {path}: {exc.strerror or exc}.") from None
    return path
