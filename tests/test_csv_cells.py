"""CSV cells and rows as the format module reads and writes them (issue 15, the csv mutation group).

What a CSV reader hands the importer (cells decoded, record numbers and the line each record
starts on, blank lines skipped, chunks of :data:`paindiary.io.CHUNK_ROWS`), what the writer
puts in a cell (numbers as written, tags and side effects joined, formula-like text
protected), and the messages a person reads when a file is not one paindiary takes.
"""

from __future__ import annotations

import io

import pytest

from paindiary.errors import PaindiaryError
from paindiary.io import CHUNK_ROWS, ExportData, ReadOptions, Table, TableChunk, csv_format


def read_table(text: str) -> Table:
    (section,) = csv_format.read(io.StringIO(text, newline=""), ReadOptions())
    assert isinstance(section, Table)
    return section


def chunks(text: str) -> list[TableChunk]:
    return list(read_table(text).chunks)


@pytest.mark.parametrize(
    ("cell", "protected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@sum", "'@sum"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("a=b", "a=b"),
        ("'a", "'a"),
        ("", ""),
        ("walk", "walk"),
    ],
)
def test_a_formula_like_cell_gets_one_quote_and_loses_it_on_import(cell: str, protected: str) -> None:
    assert csv_format.protect(cell) == protected
    assert csv_format.unprotect(protected) == cell


@pytest.mark.parametrize("cell", ["'a", "'", "''", "'1", "x'=y"])
def test_a_quote_not_protecting_a_formula_is_kept_on_import(cell: str) -> None:
    assert csv_format.unprotect(cell) == cell


def test_tags_and_side_effects_cells_are_split_for_the_validators() -> None:
    decode = csv_format.DECODERS
    assert decode["tags"]("walk;'=x") == ["walk", "'=x"]
    assert decode["tags"]("'=x;walk") == ["=x", "walk"]
    assert decode["tags"]("") == ""
    assert decode["side_effects"]("nausea:3;itch;a:b:1") == [
        {"name": "nausea", "severity": "3"},
        {"name": "itch"},
        {"name": "a:b", "severity": "1"},
    ]
    assert decode["side_effects"]("'-dizzy:2") == [{"name": "-dizzy", "severity": "2"}]
    assert decode["side_effects"]("") == ""
    for name in csv_format.TEXT_FIELDS:
        if name not in ("tags", "side_effects"):
            assert decode[name]("'=SUM(A1)") == "=SUM(A1)"
    assert "pain" not in decode and "recorded_at" not in decode


def test_rows_come_with_record_numbers_and_the_line_each_starts_on() -> None:
    text = (
        "recorded_at,pain,note\r\n"
        '2026-03-01,3,"two\nlines"\r\n'  # lines 2-3
        "\r\n"  # line 4: blank
        '2026-03-02,4,"old\rmac\r\nand windows"\r\n'  # lines 5-7
        "2026-03-03,5,\r\n"  # line 8
    )
    table = read_table(text)
    assert table.columns == ["recorded_at", "pain", "note"]
    (chunk,) = list(table.chunks)
    assert chunk.first == 1
    assert list(chunk.lines) == [2, 5, 8]
    assert chunk.rows == [
        ["2026-03-01", "3", "two\nlines"],
        ["2026-03-02", "4", "old\rmac\r\nand windows"],
        ["2026-03-03", "5", ""],
    ]


def test_one_line_records_after_a_blank_header_line_keep_their_line_numbers() -> None:
    (chunk,) = chunks("\r\nrecorded_at,pain\r\n2026-03-01,3\r\n2026-03-02,4\r\n")
    assert (chunk.first, list(chunk.lines)) == (1, [3, 4])


def test_blank_lines_between_records_are_skipped_and_counted_as_lines() -> None:
    (chunk,) = chunks("recorded_at,pain\n2026-03-01,3\n\n\n2026-03-02,4\n\n")
    assert chunk.rows == [["2026-03-01", "3"], ["2026-03-02", "4"]]
    assert list(chunk.lines) == [2, 5]


def test_a_header_without_rows_has_no_records() -> None:
    assert chunks("recorded_at,pain\r\n") == []
    assert chunks("recorded_at,pain\r\n\r\n\r\n") == []


def test_a_long_file_is_read_in_chunks_with_numbers_running_on() -> None:
    rows = CHUNK_ROWS + 2
    text = "recorded_at,note\n" + "".join(f'2026-03-01,"n{i}\nx"\n' for i in range(rows))
    first, second = chunks(text)
    assert (first.first, len(first.rows)) == (1, CHUNK_ROWS)
    assert (second.first, len(second.rows)) == (CHUNK_ROWS + 1, 2)
    assert list(first.lines)[:2] == [2, 4] and list(second.lines) == [2 + 2 * CHUNK_ROWS, 4 + 2 * CHUNK_ROWS]
    assert second.rows[-1] == ["2026-03-01", f"n{rows - 1}\nx"]


def test_a_long_file_of_one_line_records_is_numbered_without_gaps() -> None:
    text = "recorded_at,pain\n" + "2026-03-01,3\n" * (CHUNK_ROWS + 1)
    first, second = chunks(text)
    assert first.lines == range(2, 2 + CHUNK_ROWS)
    assert (second.first, list(second.lines)) == (CHUNK_ROWS + 1, [CHUNK_ROWS + 2])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty: a CSV file needs a header row naming its columns."),
        ("\r\n\r\n", "The file is empty: a CSV file needs a header row naming its columns."),
    ],
)
def test_an_empty_file_is_refused_with_what_a_csv_needs(text: str, message: str) -> None:
    with pytest.raises(PaindiaryError) as info:
        csv_format.read(io.StringIO(text), ReadOptions())
    assert str(info.value) == message


def test_a_daylio_export_is_pointed_to_its_format() -> None:
    from paindiary.io import daylio

    header = ",".join(next(iter(daylio.HEADERS)))
    with pytest.raises(PaindiaryError) as info:
        csv_format.read(io.StringIO(header + "\n"), ReadOptions())
    assert str(info.value) == "This looks like a Daylio export; import it with --format daylio."


def test_a_malformed_row_names_its_line() -> None:
    text = 'recorded_at,note\n2026-03-01,ok\n2026-03-02,"open\n'
    with pytest.raises(PaindiaryError) as info:
        chunks(text)
    assert str(info.value) == "Line 3: this is not well-formed CSV (unexpected end of data)."


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("pain", None, ""),
        ("pain", 7.0, "7"),
        ("pain", 6.5, "6.5"),
        ("pain", 7, "7"),
        ("dose", 1e-07, "1e-07"),
        ("dose", 0.1 + 0.2, "0.30000000000000004"),  # every digit kept: the value round-trips
        ("heart_rate_before", 72, "72"),
        ("tags", ["walk", "=x"], "walk;=x"),
        ("tags", ["=x", "walk"], "'=x;walk"),
        ("tags", [], ""),
        ("side_effects", [{"name": "nausea", "severity": 3.0}, {"name": "itch", "severity": None}], "nausea:3;itch"),
        ("side_effects", [{"name": "-dizzy", "severity": 2.5}], "'-dizzy:2.5"),
        ("note", "=HYPERLINK()", "'=HYPERLINK()"),
        ("name", "+oxycodone", "'+oxycodone"),
        ("provider", "@clinic", "'@clinic"),
        ("dose_unit", "-mg", "'-mg"),
        ("route", "\toral", "'\toral"),
        ("recorded_at", "2026-03-01T09:00:00", "2026-03-01T09:00:00"),
        ("source", "-manual", "-manual"),  # not a text field a person types
    ],
)
def test_a_value_is_written_as_its_cell(name: str, value: object, text: str) -> None:
    assert csv_format.cell(name, value) == text


def test_the_writer_gives_the_kinds_columns_in_record_order_with_crlf() -> None:
    records = [
        {"id": 1, "taken_at": "2026-03-01T08:00:00", "name": "=x", "dose": 5.0, "dose_unit": "mg", "note": None},
        {"id": 2, "taken_at": "2026-03-01T20:00:00", "name": "b, c", "dose": 2.5, "dose_unit": "mg", "note": "a\nb"},
    ]
    text = csv_format.write(ExportData({"medications": records}, whole=False))
    assert text == (
        "taken_at,name,dose,dose_unit,note\r\n"
        "2026-03-01T08:00:00,'=x,5,mg,\r\n"
        '2026-03-01T20:00:00,"b, c",2.5,mg,"a\nb"\r\n'
    )
    assert csv_format.write(ExportData({"entries": []}, whole=False)).startswith("recorded_at,pain,")


def test_the_writer_refuses_more_than_one_kind() -> None:
    for records in ({"entries": [], "medications": []}, {}):
        with pytest.raises(PaindiaryError) as info:
            csv_format.write(ExportData(records, whole=True))
        assert str(info.value) == "CSV holds one kind of record per file; choose it with --kind."


def test_the_columns_are_each_kinds_contract_fields() -> None:
    from paindiary import models

    assert {name: kind.fields for name, kind in models.KINDS.items()} == csv_format.FIELDS
    assert csv_format.FORMAT.extensions == (".csv",) and csv_format.FORMAT.kinds == "one"
