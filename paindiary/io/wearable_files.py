"""Opening a phone or watch export: one file, a folder or a zip, as a list of named members read as bytes.

The readers in :mod:`paindiary.io.apple_health`, :mod:`paindiary.io.fitbit` and
:mod:`paindiary.io.oura` pick the members they know by name; a member is
opened only when read, so a zip of several GB is never unpacked to disk or
memory. Read errors (a damaged zip, a file that is not UTF-8) become
:class:`~paindiary.errors.PaindiaryError` naming the member.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from paindiary.errors import PaindiaryError
from paindiary.io import RecordItem, Records, Section
from paindiary.measures import MEASUREMENT_FIELDS, Reading

Progress = Callable[[int, int], None]  # (bytes read so far, bytes to read in all)
CHUNK = 1 << 20


@dataclass(frozen=True)
class Member:
    """One file of an export: its path inside the export (``/`` separators), its size, how to open it."""

    name: str
    size: int
    opener: Callable[[], IO[bytes]]
    inside: bool = True  # False: the file the person named itself

    def label(self, path: str | os.PathLike[str]) -> str:
        """How error messages name this member: the path given, then the member's path inside it."""
        return f"{os.fspath(path)}: {self.name}" if self.inside else os.fspath(path)

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name

    def open(self) -> IO[bytes]:
        return self.opener()


@contextmanager
def export_members(path: str | os.PathLike[str]) -> Iterator[list[Member]]:
    """The files of the export at ``path`` (a file, a folder searched recursively, or a zip), sorted by name."""
    where = Path(path)
    try:
        if where.is_dir():
            yield sorted(_folder(where), key=lambda member: member.name)
            return
        if not where.exists():
            raise PaindiaryError(f"No file or folder {where}; check the name.")
        if not zipfile.is_zipfile(where):
            yield [Member(where.name, where.stat().st_size, _file_opener(where), inside=False)]
            return
        with zipfile.ZipFile(where) as archive:
            yield sorted(_zipped(archive), key=lambda member: member.name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise PaindiaryError(f"{where} is not a readable zip file ({exc}); download the export again.") from None
    except OSError as exc:
        raise PaindiaryError(f"Cannot read {where}: {exc.strerror or exc}.") from None


def _folder(root: Path) -> Iterator[Member]:
    for file in root.rglob("*"):
        if file.is_file() and not file.name.startswith("."):
            yield Member(file.relative_to(root).as_posix(), file.stat().st_size, _file_opener(file))


def _file_opener(file: Path) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        return file.open("rb")

    return opener


def _zipped(archive: zipfile.ZipFile) -> Iterator[Member]:
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() or name.startswith("__MACOSX/") or PurePosixPath(name).name.startswith("."):
            continue
        yield Member(name, info.file_size, partial(archive.open, info))


@contextmanager
def reading(label: str) -> Iterator[None]:
    """Turn the errors of reading a member (a damaged zip or file) into a :class:`PaindiaryError`."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PaindiaryError(f"{label} is damaged ({exc}); download the export again. Nothing was read.") from None
    except OSError as exc:
        raise PaindiaryError(f"Cannot read {label}: {exc.strerror or exc}.") from None


def read_text(member: Member, label: str) -> str:
    """The whole member as text (UTF-8, a BOM dropped)."""
    with reading(label), member.open() as stream:
        data = stream.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PaindiaryError(f"{label} is not UTF-8 text (byte {exc.start + 1}); is it the right file?") from None


def sections(read: Callable[[str, Progress | None], Reading]) -> Callable[[str, Progress | None], list[Section]]:
    """A reader of :mod:`paindiary.measures` as a format's ``read_path``: one section of measurements.

    What the export held besides (other record types, values not used) is counted in the section's ``skipped``.
    """

    def read_sections(path: str, progress: Progress | None) -> list[Section]:
        found = read(path, progress)
        items: list[RecordItem] = [
            (number, None, {name: getattr(m, name) for name in MEASUREMENT_FIELDS})
            for number, m in enumerate(found.measurements, 1)
        ]
        return [Records(iter([items]), kind="measurements", fixed_fields=True, skipped=dict(found.skipped))]

    return read_sections
