"""JSON and JSON Lines as the format modules read and write them (issue 15, the json mutation group).

Strict reading (NaN, Infinity, duplicate keys, 4,300-digit numbers and deep nesting refused, each
with its own message), the paindiary document's version and keys, record numbers and lines,
chunks of :data:`paindiary.io.CHUNK_ROWS`, and the text the writers produce.
"""

from __future__ import annotations

import io
import json

import pytest

from paindiary.errors import PaindiaryError
from paindiary.io import CHUNK_ROWS, ExportData, ReadOptions, Records, json_format, jsonl_format

ENTRY = {"recorded_at": "2026-03-01T09:00:00", "pain": 3}


def sections(text: str) -> list[Records]:
    found = json_format.read(io.StringIO(text), ReadOptions())
    assert all(isinstance(section, Records) for section in found)
    return found  # type: ignore[return-value]


def items(section: Records) -> list[list[object]]:
    return [list(chunk) for chunk in section.chunks]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"pain": NaN}', "The file is not valid JSON: NaN is not a number JSON allows."),
        ("[Infinity]", "The file is not valid JSON: Infinity is not a number JSON allows."),
        ("[-Infinity]", "The file is not valid JSON: -Infinity is not a number JSON allows."),
        ('{"pain": 1, "pain": 2}', "The file is not valid JSON: the key 'pain' appears twice in one object."),
        ('{"pain": }', "The file is not valid JSON: Expecting value (line 1, column 10)."),
        (
            '[\n  {"pain": 1},\n  {"pain" 2}\n]',
            "The file is not valid JSON: Expecting ':' delimiter (line 3, column 11).",
        ),
        (
            "[" * 100_000,
            "The file is nested too deeply to read (lists or objects inside each other about 1,000 levels deep "
            "or more); a paindiary document is 4 levels deep.",
        ),
        ("[" + "7" * 5000 + "]", "The file has a number with more than 4,300 digits; no paindiary value is so long."),
    ],
)
def test_json_that_another_program_would_read_differently_is_refused_with_why(text: str, message: str) -> None:
    with pytest.raises(PaindiaryError) as info:
        json_format.loads(text)
    assert str(info.value) == message
    with pytest.raises(PaindiaryError) as info:
        json_format.loads(text, "Line 3")
    assert str(info.value) == message.replace("The file", "Line 3", 1)


def test_strict_json_still_reads_plain_values() -> None:
    assert json_format.loads('{"a": [1, 2.5, null, "x"], "b": {"c": true}}') == {
        "a": [1, 2.5, None, "x"],
        "b": {"c": True},
    }
    assert json_format.loads("7" * 4300) == int("7" * 4300)


@pytest.mark.parametrize("size", [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, 2 * CHUNK_ROWS + 3])
def test_records_come_in_chunks_of_chunk_rows_in_order(size: int) -> None:
    chunks = list(json_format.chunked((n, None, {}) for n in range(size)))
    assert [len(chunk) for chunk in chunks] == [CHUNK_ROWS] * (size // CHUNK_ROWS) + (
        [size % CHUNK_ROWS] if size % CHUNK_ROWS else []
    )
    assert [item[0] for chunk in chunks for item in chunk] == list(range(size))


def test_a_list_of_records_is_one_section_numbered_from_1() -> None:
    (section,) = sections(json.dumps([ENTRY, {"pain": 4}, 5]))
    assert (section.kind, section.label) == (None, "")
    assert items(section) == [[(1, None, ENTRY), (2, None, {"pain": 4}), (3, None, 5)]]


def test_a_document_gives_one_section_per_kind_in_order() -> None:
    document = {"format": "paindiary", "version": 1, "medications": [{"name": "x"}], "entries": [ENTRY]}
    found = sections(json.dumps(document))
    assert [(section.kind, section.label) for section in found] == [(kind, kind) for kind in json_format.KINDS]
    assert json_format.KINDS == ("entries", "treatments", "medications", "measurements", "assessments")
    by_kind = {section.kind: items(section) for section in found}
    assert by_kind["entries"] == [[(1, None, ENTRY)]]
    assert by_kind["medications"] == [[(1, None, {"name": "x"})]]
    assert by_kind["treatments"] == by_kind["measurements"] == by_kind["assessments"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty: a JSON file needs a list of records or a paindiary document."),
        (" \n\t", "The file is empty: a JSON file needs a list of records or a paindiary document."),
        (
            '{"format": "paindiary", "version": 2}',
            "This paindiary document has version 2; this paindiary reads version 1. Export it again with this "
            "version, or upgrade paindiary.",
        ),
        (
            '{"format": "paindiary"}',
            "This paindiary document has version None; this paindiary reads version 1. Export it again with this "
            "version, or upgrade paindiary.",
        ),
        (
            '{"format": "paindiary", "version": "1"}',
            "This paindiary document has version '1'; this paindiary reads version 1. Export it again with this "
            "version, or upgrade paindiary.",
        ),
        (
            '{"format": "paindiary", "version": 1, "notes": [], "Entries": []}',
            "Unknown key(s) in the document: Entries, notes; expected entries, treatments, medications, "
            "measurements, assessments.",
        ),
        ('{"format": "paindiary", "version": 1, "treatments": {}}', '"treatments" must be a list of records.'),
        ('{"format": "paindiary", "version": 1, "entries": null}', '"entries" must be a list of records.'),
        (
            '{"format": "other", "entries": []}',
            'Expected a JSON list of records or a paindiary document ({"format": "paindiary", "version": 1, ...}).',
        ),
        (
            "7",
            'Expected a JSON list of records or a paindiary document ({"format": "paindiary", "version": 1, ...}).',
        ),
    ],
)
def test_a_json_file_paindiary_cannot_take_is_refused_with_what_to_do(text: str, message: str) -> None:
    with pytest.raises(PaindiaryError) as info:
        sections(text)
    assert str(info.value) == message


def test_the_whole_diary_is_written_as_the_paindiary_document() -> None:
    records = {"entries": [{"id": 1, "note": "café ☕"}], "treatments": []}
    text = json_format.write(ExportData(records, whole=True))
    assert text == (
        '{\n  "format": "paindiary",\n  "version": 1,\n  "entries": [\n    {\n      "id": 1,\n'
        '      "note": "café ☕"\n    }\n  ],\n  "treatments": []\n}\n'
    )


def test_one_kind_is_written_as_a_list() -> None:
    text = json_format.write(ExportData({"medications": [{"id": 2, "name": "ß"}]}, whole=False))
    assert text == '[\n  {\n    "id": 2,\n    "name": "ß"\n  }\n]\n'


# --- JSON Lines -----------------------------------------------------------------------------------


def jsonl_items(text: str) -> list[tuple[int, int | None, object]]:
    (section,) = jsonl_format.read(io.StringIO(text), ReadOptions())
    assert isinstance(section, Records) and (section.kind, section.label) == (None, "")
    return [item for chunk in section.chunks for item in chunk]


def test_json_lines_are_numbered_by_record_and_by_line_blank_lines_skipped() -> None:
    found = jsonl_items('\n{"pain": 1}\n  \n[2]\n{"pain": NaN}\n{"pain": 4}')
    assert [(number, line) for number, line, _ in found] == [(1, 2), (2, 4), (3, 5), (4, 6)]
    assert [item for _, _, item in found if not isinstance(item, PaindiaryError)] == [{"pain": 1}, [2], {"pain": 4}]
    assert str(found[2][2]) == "This line is not valid JSON: NaN is not a number JSON allows."


def test_a_long_json_lines_file_is_read_in_chunks() -> None:
    (section,) = jsonl_format.read(io.StringIO('{"pain": 1}\n' * (CHUNK_ROWS + 1)), ReadOptions())
    assert [len(chunk) for chunk in section.chunks] == [CHUNK_ROWS, 1]


@pytest.mark.parametrize("text", ["", "\n \n\t\n"])
def test_an_empty_json_lines_file_is_refused(text: str) -> None:
    with pytest.raises(PaindiaryError) as info:
        jsonl_items(text)
    assert str(info.value) == "The file is empty: a JSON Lines file needs one JSON object per line."


def test_json_lines_are_written_one_record_a_line() -> None:
    records = [{"id": 1, "note": "é"}, {"id": 2, "note": "a\nb"}]
    text = jsonl_format.write(ExportData({"entries": records}, whole=False))
    assert text == '{"id": 1, "note": "é"}\n{"id": 2, "note": "a\\nb"}\n'
    assert jsonl_format.write(ExportData({"entries": []}, whole=False)) == ""


def test_json_lines_hold_one_kind() -> None:
    for records in ({"entries": [], "treatments": []}, {}):
        with pytest.raises(PaindiaryError) as info:
            jsonl_format.write(ExportData(records, whole=True))
        assert str(info.value) == "JSON Lines holds one kind of record per file; choose it with --kind."


def test_the_json_formats_are_told_by_their_extensions() -> None:
    assert (json_format.FORMAT.name, json_format.FORMAT.extensions, json_format.FORMAT.kinds) == (
        "json",
        (".json",),
        "all",
    )
    assert (jsonl_format.FORMAT.name, jsonl_format.FORMAT.extensions, jsonl_format.FORMAT.kinds) == (
        "jsonl",
        (".jsonl", ".ndjson"),
        "one",
    )
