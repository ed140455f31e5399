"""JSON Lines: one record (a JSON object with contract field names) per line, one kind per file.

Read line by line, so memory stays flat however long the file; blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from paindiary.errors import PaindiaryError
from paindiary.io import ONE_KIND, ExportData, Format, ReadOptions, RecordItem, Records, Section
from paindiary.io.json_format import chunked, loads


def _items(stream: TextIO) -> Iterator[RecordItem]:
    number = 0
    for line_number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        number += 1
        try:
            item: object = loads(line, "This line")
        except PaindiaryError as exc:
            item = exc
        yield number, line_number, item
    if number == 0:
        raise PaindiaryError("The file is empty: a JSON Lines file needs one JSON object per line.")


def read(stream: TextIO, options: ReadOptions) -> list[Section]:
    return [Records(chunked(_items(stream)))]


def write(data: ExportData) -> str:
    if len(data.records) != 1:
        raise PaindiaryError("JSON Lines holds one kind of record per file; choose it with --kind.")
    ((_, records),) = data.records.items()
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


FORMAT = Format(
    name="jsonl",
    description="JSON Lines",
    kinds=ONE_KIND,
    extensions=(".jsonl", ".ndjson"),
    read=read,
    write=write,
)
