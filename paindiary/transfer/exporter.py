"""Export: read the chosen records from the diary and hand them to a format's writer.

Records leave as plain dicts in contract field order (without the local ``id``:
records are matched on their natural keys), chronological, so that exporting,
importing into an empty diary and exporting again gives the same text.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from paindiary import io as formats
from paindiary import store
from paindiary.errors import PaindiaryError
from paindiary.store import KINDS

LATER_KINDS = ("measurements", "assessments")  # kinds added after the first edition's three


def plain(record: Any) -> dict[str, Any]:
    """A record as exported: its contract fields, without ``id``."""
    values: dict[str, Any] = record.to_dict()
    del values["id"]
    return values


def export_text(
    conn: sqlite3.Connection,
    fmt: str,
    *,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    patient: str | None = None,
) -> str:
    """The export as text in the format ``fmt`` (a writing format of :mod:`paindiary.io`); times canonical or None."""
    writers = {f.name: f for f in formats.registry().values() if f.writes}
    if fmt not in writers:
        raise PaindiaryError(f"--format {fmt}: unknown; choose one of {', '.join(writers)}.")
    if kind is not None and kind not in KINDS:
        raise PaindiaryError(f"--kind {kind}: choose {', '.join(KINDS)}.")
    if patient is not None and fmt != "fhir":
        raise PaindiaryError("--patient names the patient in a FHIR bundle; use it with --format fhir.")
    one_kind = writers[fmt].kinds == formats.ONE_KIND  # a file holds one kind: the one asked for, else entries
    kinds = [kind or "entries"] if one_kind else [kind] if kind else list(KINDS)
    selected = {name: store.select(conn, KINDS[name], since=since, until=until) for name in kinds}
    for later in LATER_KINDS:  # a full document lists the later kinds only when the diary has some
        if kind is None and not one_kind and not selected[later]:
            del selected[later]
    if fmt == "fhir":  # (FHIR times carry the UTC offset of their date: only in the years paindiary accepts)
        for name, found in selected.items():
            store.check_years(KINDS[name], found)
    records = {name: [plain(r) for r in found] for name, found in selected.items()}
    data = formats.ExportData(records, whole=not one_kind and kind is None, patient=patient)
    return formats.writer(fmt)(data)
