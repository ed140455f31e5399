"""JSON: a list of records of one kind, or the full paindiary document.

The document is ``{"format": "paindiary", "version": 1, "entries": [...],
"treatments": [...], "medications": [...]}``, with ``"measurements"`` and
``"assessments"`` lists when the diary has some; records use the contract field
names. A list of one kind's records is read as the kind its fields say
(``instrument`` makes a record keyed by ``recorded_at`` an assessment).
Strict reading: NaN, Infinity and duplicate keys are rejected, because
another program would read such a file differently; so are numbers of more than
4,300 digits and nesting deeper than Python's parser goes (about 1,000 levels; a
paindiary document is 4 levels deep), each with its own message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from paindiary import models
from paindiary.errors import PaindiaryError
from paindiary.io import ALL_KINDS, CHUNK_ROWS, ExportData, Format, ReadOptions, RecordItem, Records, Section

FORMAT_NAME = "paindiary"
VERSION = 1
KINDS = tuple(models.KINDS)  # the document's lists, in this order


class _Rejected(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _Rejected(f"{name} is not a number JSON allows")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Rejected(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def loads(text: str, where: str = "The file") -> Any:
    """Parse JSON strictly; errors say where and what to fix."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _Rejected as exc:
        raise PaindiaryError(f"{where} is not valid JSON: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise PaindiaryError(f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
    except RecursionError:
        raise PaindiaryError(
            f"{where} is nested too deeply to read (lists or objects inside each other about 1,000 levels deep "
            "or more); a paindiary document is 4 levels deep."
        ) from None
    except ValueError as exc:  # the one other: an integer longer than Python converts
        if "digits" not in str(exc):
            raise
        raise PaindiaryError(
            f"{where} has a number with more than 4,300 digits; no paindiary value is so long."
        ) from None


def chunked(items: Iterable[RecordItem]) -> Iterator[list[RecordItem]]:
    chunk: list[RecordItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _records(items: list[Any], kind: str | None, label: str = "") -> Records:
    return Records(chunked((number, None, item) for number, item in enumerate(items, 1)), kind, label)


def read(stream: TextIO, options: ReadOptions) -> list[Section]:
    text = stream.read()
    if not text.strip():
        raise PaindiaryError("The file is empty: a JSON file needs a list of records or a paindiary document.")
    data = loads(text)
    if isinstance(data, list):
        return [_records(data, None)]
    if isinstance(data, dict) and data.get("format") == FORMAT_NAME:
        if data.get("version") != VERSION:
            raise PaindiaryError(
                f"This paindiary document has version {data.get('version')!r}; this paindiary reads version "
                f"{VERSION}. Export it again with this version, or upgrade paindiary."
            )
        unknown = sorted(set(data) - {"format", "version", *KINDS})
        if unknown:
            raise PaindiaryError(f"Unknown key(s) in the document: {', '.join(unknown)}; expected {', '.join(KINDS)}.")
        sections: list[Section] = []
        for kind in KINDS:
            items = data.get(kind, [])
            if not isinstance(items, list):
                raise PaindiaryError(f'"{kind}" must be a list of records.')
            sections.append(_records(items, kind, kind))
        return sections
    raise PaindiaryError(
        'Expected a JSON list of records or a paindiary document ({"format": "paindiary", "version": 1, ...}).'
    )


def write(data: ExportData) -> str:
    if data.whole:
        document: Any = {"format": FORMAT_NAME, "version": VERSION, **data.records}
    else:
        ((_, document),) = data.records.items()
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


FORMAT = Format(
    name="json",
    description="JSON",
    kinds=ALL_KINDS,
    extensions=(".json",),
    read=read,
    write=write,
)
