"""Opening an import file and reading a CSV header (``paindiary.io.source``): the size, the bytes read, a
BOM, line ends, the cell and column limits, and the message a person reads for each refusal (issue 15:
mutation testing of the import group). In-process and fast: the functions are called directly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from paindiary.errors import PaindiaryError
from paindiary.io import source
from paindiary.io.source import CSV_FIELD_LIMIT, csv_error, csv_reader, header_row, open_source


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# --- opening the file (io/source.py) -------------------------------------------------------


def test_a_missing_file_a_folder_or_an_unreadable_path_gets_a_message_saying_what_to_do(tmp_path: Path) -> None:
    stdin = io.BytesIO(b"")
    missing, folder = tmp_path / "nope.csv", tmp_path
    not_a_folder = write(tmp_path / "file.csv", "x") / "inner.csv"
    cases = [
        (missing, f"No file {missing}; check the name."),
        (folder, f"{folder} is a folder; give a file to import."),
        (not_a_folder, f"Cannot read {not_a_folder}: Not a directory."),
    ]
    for path, message in cases:
        with pytest.raises(PaindiaryError) as caught, open_source(str(path), stdin):
            pass
        assert str(caught.value) == message


def test_an_opened_file_drops_the_bom_keeps_line_ends_and_counts_every_byte(tmp_path: Path) -> None:
    body = "recorded_at,note\r\n" + "".join(f'2026-03-01T{i % 24:02d}:00,"é\r\nx"\r\n' for i in range(9000))
    data = b"\xef\xbb\xbf" + body.encode()
    assert len(data) > 3 * (1 << 16)  # several reads of the 64 KiB buffer
    with open_source(str(write(tmp_path / "e.csv", data)), io.BytesIO()) as opened:
        assert opened.name == str(tmp_path / "e.csv") and opened.size == len(data) and opened.done == 0
        assert opened.text.read() == body
        assert opened.done == len(data)


def test_standard_input_has_no_size_and_stays_open_while_a_file_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.BytesIO(b"\xef\xbb\xbfa,b\n")
    with open_source("-", stdin) as opened:
        assert opened.size is None and opened.name == "-"
        assert opened.text.read() == "a,b\n" and opened.done == 7
    assert not stdin.closed and stdin.read() == b""  # still the caller's stream
    handles: list[Any] = []

    def tracked(path: str, mode: str) -> Any:
        handles.append(open(path, mode))  # noqa: SIM115 - closed by open_source
        return handles[-1]

    monkeypatch.setattr(source, "open", tracked, raising=False)
    with open_source(str(write(tmp_path / "e.csv", "a\n")), stdin) as opened:
        assert opened.text.read() == "a\n" and not handles[0].closed
    assert handles[0].closed


def test_a_cell_of_up_to_a_million_characters_is_read_and_a_longer_one_named_with_its_line() -> None:
    cell = "n" * CSV_FIELD_LIMIT
    assert list(csv_reader(io.StringIO(f"a,b\n1,{cell}\n"))) == [["a", "b"], ["1", cell]]
    reader = csv_reader(io.StringIO(f"a,b\n1,2\n3,{cell}n\n"))
    with pytest.raises(csv.Error) as caught:
        list(reader)
    assert str(csv_error(reader, caught.value)) == (
        "Line 3: a cell is longer than 1,000,000 characters; the longest value paindiary keeps is a note of "
        "100,000 characters."
    )


def test_a_quote_inside_a_cell_is_not_well_formed_csv_with_its_line() -> None:
    reader = csv_reader(io.StringIO('a,b\n1,"2"x\n'))
    with pytest.raises(csv.Error) as caught:
        list(reader)
    assert str(csv_error(reader, caught.value)) == ("Line 2: this is not well-formed CSV (',' expected after '\"').")


def test_the_header_is_the_first_row_that_is_not_blank_with_its_names_stripped() -> None:
    reader = csv_reader(io.StringIO("\n\n recorded_at , pain,note\n2026-03-01,5,x\n"))
    assert header_row(reader, "empty") == ["recorded_at", "pain", "note"]
    assert next(reader) == ["2026-03-01", "5", "x"]
    assert header_row(csv_reader(io.StringIO("recorded_at\n")), "empty") == ["recorded_at"]
    assert header_row(csv_reader(io.StringIO("a;b,c\n")), "empty") == ["a;b", "c"]  # two columns: no hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        ('"a"b,c\n', "Line 1: this is not well-formed CSV (',' expected after '\"')."),
        (",".join(["c"] * 1001) + "\n",
         "The header has 1,001 columns; paindiary reads at most 1,000. Save only the columns to import."),
        ("recorded_at;pain\n", "The header is one column, 'recorded_at;pain': its values seem to be separated by "
         "';'. paindiary reads CSV separated by commas; save the file with commas (in a spreadsheet: "
         "'CSV UTF-8 (comma delimited)')."),
        ("recorded_at\tpain\n", "The header is one column, 'recorded_at\\tpain': its values seem to be separated by "
         "tab. paindiary reads CSV separated by commas; save the file with commas (in a spreadsheet: "
         "'CSV UTF-8 (comma delimited)')."),
        ("recorded_at|pain\n", "The header is one column, 'recorded_at|pain': its values seem to be separated by "
         "'|'. paindiary reads CSV separated by commas; save the file with commas (in a spreadsheet: "
         "'CSV UTF-8 (comma delimited)')."),
    ],
)  # fmt: skip
def test_a_header_that_cannot_be_read_is_refused_with_what_to_do(text: str, message: str) -> None:
    with pytest.raises(PaindiaryError) as caught:
        header_row(csv_reader(io.StringIO(text)), "The file is empty.")
    assert str(caught.value) == message


def test_a_header_of_exactly_1000_columns_is_read() -> None:
    names = [f"c{i}" for i in range(1000)]
    assert header_row(csv_reader(io.StringIO(",".join(names) + "\n")), "empty") == names
