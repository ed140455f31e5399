"""Stored text reaches a terminal, a PDF or a chart only as literal, harmless text.

Notes, tags and names (typed or imported) pass one console function that strips control
characters (C0 but tab and newline, DEL, C1, whole ESC/CSI/OSC sequences, bidi overrides)
and escapes rich markup; the PDF and charts render text with mathtext off. A hostile corpus
goes through every command that prints stored text, and hypothesis fuzzes the tables.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from typer.testing import CliRunner

from paindiary import console, db, diary, store
from paindiary.cli import app
from paindiary.errors import PaindiaryError

# (what is stored, what must still be readable in the output)
HOSTILE = [
    ("\x1b[2Jcleared", "cleared"),
    ("\x1b]52;c;aGVsbG8=\x07clipboard", "clipboard"),
    ("[/b]closing", "[/b]closing"),
    ("[red]x[/red]styled", "[red]x[/red]styled"),
    ("$\\foo$math", "$\\foo$math"),
    ("nul\x00byte", "nulbyte"),
    ("\u202eoverride", "override"),
    ("\x9b31mcsi", "csi"),
    ("lone\\", "lone\\"),
]
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_characters(text: str) -> list[str]:
    """Characters a terminal could act on: C0 but newline and tab, DEL, C1, bidi controls."""
    return [
        char for char in text if (ord(char) < 0x20 and char not in "\n\t") or 0x7F <= ord(char) <= 0x9F or char in BIDI
    ]


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert unsafe_characters(text) == [], text


def _field(payload: str, *, list_item: bool = False) -> str:
    """A payload fit for a tag or side effect name (no ';' or ':' there)."""
    return payload.replace(";", ",").replace(":", ".") if list_item else payload


def _readable(expected: str, *, list_item: bool = False) -> str:
    return _field(expected, list_item=list_item)


# --- the one function ---------------------------------------------------------------


@pytest.mark.parametrize(("payload", "readable"), HOSTILE)
def test_safe_strips_controls_and_keeps_the_readable_text(payload: str, readable: str) -> None:
    from rich.markup import render

    shown = render(console.safe(payload)).plain
    assert_terminal_safe(shown)
    assert readable.rstrip("\\") in shown
    plain = console.safe(payload, markup=False)
    assert_terminal_safe(plain)
    assert plain == readable


def test_safe_removes_whole_escape_sequences_and_keeps_tab_and_newline() -> None:
    assert console.safe("a\x1b[31;1mb\x1b[0mc", markup=False) == "abc"
    assert console.safe("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", markup=False) == "alinkb"
    assert console.safe("a\x1b]52;c;aGVsbG8=\x07b", markup=False) == "ab"
    assert console.safe("a\x1bPq#0;2;0;0;0\x1b\\b", markup=False) == "ab"  # DCS (sixel)
    assert console.safe("a\x9d0;title\x9cb", markup=False) == "a0;titleb"  # an 8-bit OSC: its controls go
    assert (
        console.safe("\u00e2\x80\x9dquoted\u00e2\x80\x9d", markup=False) == "\u00e2quoted\u00e2"
    )  # text decoded twice
    assert console.safe("line 1\n\tline 2\r\n", markup=False) == "line 1\n\tline 2\n"
    assert console.safe("\u2066a\u2069\u202ab\u202c", markup=False) == "ab"
    assert console.safe(None) == ""
    assert console.safe(7) == "7"


@pytest.mark.parametrize("ending", ["\\", "\\\\", "\\\\\\"])
def test_a_trailing_backslash_cannot_escape_the_programs_markup(ending: str) -> None:
    from rich.markup import render

    shown = render(f"[b]{console.safe('note' + ending)}[/b] after")
    assert shown.plain == "note" + ending + " after"  # literal
    assert [(span.start, span.end) for span in shown.spans] == [(0, len("note" + ending))]  # [/b] still closes


def test_an_error_echoes_at_most_80_characters_of_a_bad_value(run: Any, tmp_path: Path) -> None:
    huge = "7x" * 500_000  # 1 MB
    error = run("log", huge, code=1).stderr
    assert len(error) < 200
    assert "pain: '7x7x7x" in error and "…" in error
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"recorded_at": "2026-03-01", "pain": huge}]))
    error = run("import", str(path), code=1).stderr
    assert len(error) < 300 and "…" in error


def test_an_error_line_is_cut_and_made_safe_whatever_the_message(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("recorded_at," + ",".join(f"\x1b[2Jc{i}" for i in range(300)) + "\n2026-03-01" + "," * 300 + "\n")
    error = run("import", str(path), code=1).stderr
    assert_terminal_safe(error)
    assert max(map(len, error.splitlines())) <= 1000 + len("Error: ")


# --- markup ---------------------------------------------------------------------------


def test_a_note_with_square_brackets_prints_literally(run: Any) -> None:
    note = "pain in [left knee] after the fall"
    run("log", "5", "--at", "2026-03-01", "--note", note, "--tag", "[bold]knee")
    listing = run("entry", "list").stdout
    assert note in listing
    assert "[bold]knee" in listing


@pytest.mark.parametrize("text", ["[/b]", "[red]x[/red]", "[link=file:///etc/passwd]x", "a\\[/b]"])
def test_markup_in_stored_text_never_breaks_or_styles_a_list(run: Any, text: str) -> None:
    run("log", "5", "--at", "2026-03-01", "--note", text)
    run("treatment", "add", "--at", "2026-03-01T09:00", "--name", text, "--note", text)
    run("med", "add", text, "5", "mg", "--at", "2026-03-01", "--note", text)
    for noun in ("entry", "treatment", "med"):
        assert text in run(noun, "list").stdout


@pytest.mark.slow
def test_analyze_shows_a_treatment_name_with_markup_literally(run: Any) -> None:
    for day in range(1, 29):
        run("log", str(7 if day < 15 else 3), "--at", f"2026-02-{day:02d}")
    run("treatment", "add", "--at", "2026-02-15T09:00", "--name", "[/b]ketamine [red]IV")
    result = run("analyze")
    assert "[/b]ketamine [red]IV" in result.stdout


def test_doctor_and_info_show_a_path_with_brackets_literally(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "[/b]diaries [red]"
    path = folder / "d.db"
    run("--db", str(path), "log", "5")
    assert str(path) in run("--db", str(path), "doctor").stdout.replace("\n", "")
    info = run("--db", str(path), "info")
    assert str(path) in info.stderr


# --- the PDF and charts ---------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _diary_with_a_course(run: Any) -> None:
    for day in range(1, 29):
        run("log", str(7 if day < 15 else 3), "--at", f"2026-02-{day:02d}")
    run("treatment", "add", "--at", "2026-02-15T09:00", "--name", "ketamine")


@pytest.mark.slow
def test_the_report_shows_dollar_signs_literally(run: Any, tmp_path: Path) -> None:
    _diary_with_a_course(run)
    run("log", "4", "--at", "2026-02-20T20:00", "--note", "copay was $20 and parking $5")
    out = tmp_path / "r.pdf"
    run("report", "-o", str(out))
    assert "copay was $20 and parking $5" in pdf_text(out)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["$\\foo$", "$x^{$", "\\$5 and $6$"])
def test_mathtext_in_a_note_or_patient_never_breaks_the_report_or_charts(run: Any, tmp_path: Path, text: str) -> None:
    _diary_with_a_course(run)
    run("log", "4", "--at", "2026-02-20T20:00", "--note", text)
    run("treatment", "add", "--at", "2026-02-25T09:00", "--name", text, "--note", text)
    out = tmp_path / "r.pdf"
    run("report", "--patient", text, "-o", str(out))
    shown = pdf_text(out)
    assert f"Patient: {text}" in shown
    assert text in shown.replace("Patient: ", "")
    for view in ("trend", "course"):
        for suffix in ("png", "svg", "pdf"):
            run("chart", "--view", view, "--patient", text, "-o", str(tmp_path / f"{view}.{suffix}"))


def test_charts_draw_text_with_mathtext_and_tex_off() -> None:
    from paindiary.charts import style

    assert style.RC["text.parse_math"] is False
    assert style.RC["text.usetex"] is False


# --- the hostile corpus, through every command that prints stored text -----------------


def _fill_hostile_diary(run: Any) -> None:
    """Daily pain through Feb-May 2026, a session every 10 days, a dose a day; every text field hostile."""
    from datetime import date, timedelta

    start = date(2026, 2, 1)
    for i in range(100):
        payload, _ = HOSTILE[i % len(HOSTILE)]
        args = ["log", str(7 if i < 20 else 4), "--at", str(start + timedelta(days=i)), "--note", payload]
        run(*args, "--tag", _field(payload, list_item=True))
    for i, (payload, _) in enumerate(HOSTILE):
        day = start + timedelta(days=20 + 8 * i)
        run(
            "treatment", "add", "--at", f"{day}T09:00", "--name", payload, "--dose", "0.5",
            "--dose-unit", payload, "--route", payload, "--provider", payload,
            "--side-effect", _field(payload, list_item=True) + ":3", "--note", payload,
        )  # fmt: skip
        run("med", "add", payload, "5", payload, "--at", f"{day}T08:00", "--note", payload)
        run("med", "add", "oxycodone", "5", "mg", "--at", f"{day}T20:00", "--note", payload)


@pytest.mark.slow
def test_a_hostile_corpus_prints_harmlessly_everywhere(
    run: Any, tmp_path: Path, interactive: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs: list[str] = []

    def capture(*args: str, code: int | None = 0, input: str | None = None) -> Any:
        result = run(*args, code=code, input=input)
        outputs.append(result.stdout + result.stderr)
        return result

    _fill_hostile_diary(capture)
    for i, (payload, readable) in enumerate(HOSTILE, 1):  # confirmations of log, add and edit
        first = capture("log", "3", "--at", f"2026-06-{i:02d}T09:00", "--tag", _field(payload, list_item=True))
        assert _readable(readable, list_item=True) in first.stderr
        record = json.loads(capture("entry", "list", "--last", "1", "--json").stdout)[0]
        edited = capture("entry", "edit", str(record["id"]), "--tag", _field(payload, list_item=True) + "2")
        assert _readable(readable, list_item=True) in edited.stderr
        capture("entry", "delete", str(record["id"]), input="n\n", code=1)  # the question names the tags
        added = capture("treatment", "add", "--at", f"2026-06-{i:02d}T10:00", "--name", payload)
        assert readable in added.stderr
        session = json.loads(capture("treatment", "list", "--last", "1", "--json").stdout)[0]
        capture("treatment", "edit", str(session["id"]), "--name", payload + "2")
        capture("treatment", "delete", str(session["id"]), "--yes")
        dose = capture("med", "add", payload, "1", payload, "--at", f"2026-06-{i:02d}T11:00")
        assert readable in dose.stderr
        dose_id = json.loads(capture("med", "list", "--last", "1", "--json").stdout)[0]["id"]
        capture("med", "edit", str(dose_id), "--name", payload + "2")
        capture("med", "delete", str(dose_id), "--yes")
    listings = {noun: capture(noun, "list").stdout for noun in ("entry", "treatment", "med")}
    for payload, readable in HOSTILE:
        for noun in ("treatment", "med"):
            assert readable in listings[noun], (noun, payload)
        assert readable in listings["entry"] or readable.rstrip("\\") in listings["entry"]
    analysis = capture("analyze").stdout
    for _, readable in HOSTILE:
        assert readable in analysis.replace("\n", "")
    capture("summary")
    capture("summary", "--by", "month")
    capture("info")
    capture("doctor")
    _import_errors(capture, tmp_path)
    _hostile_paths(capture, tmp_path)
    for output in outputs:
        assert_terminal_safe(output)

    report = tmp_path / "hostile.pdf"
    run("report", "--all", "--patient", HOSTILE[4][0] + HOSTILE[0][0], "-o", str(report))
    shown = pdf_text(report)
    assert "\x1b" not in shown and "\x00" not in shown and not BIDI & set(shown)
    for _, readable in HOSTILE:
        assert readable in shown, readable
    for view in ("trend", "course"):
        for suffix in ("png", "svg", "pdf"):
            run("chart", "--view", view, "--patient", HOSTILE[0][0], "-o", str(tmp_path / f"{view}.{suffix}"))


def _import_errors(capture: Any, tmp_path: Path) -> None:
    """Import errors can quote values from the file: names, labels, keys."""
    for i, (payload, readable) in enumerate(HOSTILE):
        doses = [{"taken_at": "2026-07-01T08:00", "name": payload, "dose": 1, "dose_unit": "mg"}] * 2
        path = tmp_path / f"doses{i}.json"
        path.write_text(json.dumps(doses))
        failed = capture("import", str(path), code=1)
        assert readable in failed.stderr, failed.stderr
        daylio = tmp_path / f"daylio{i}.csv"
        label = payload.replace("\x00", "")  # the csv module refuses NUL
        daylio.write_text(
            "full_date,date,weekday,time,mood,activities,note_title,note\n"
            f'2026-07-02,July 2,Thursday,21:05,"{label}",,,\n',
            encoding="utf-8",
        )
        failed = capture("import", str(daylio), "--format", "daylio", code=1)
        assert "is not a mood label" in failed.stderr


def _hostile_paths(capture: Any, tmp_path: Path) -> None:
    """Paths are shown by info, doctor, backup and the status lines."""
    folder = tmp_path / ("".join(payload for payload, _ in HOSTILE).replace("\x00", "").replace("/", ""))
    path = folder / "d.db"
    capture("--db", str(path), "log", "5", "--at", "2026-03-01")
    capture("--db", str(path), "info")
    capture("--db", str(path), "doctor")
    capture("--db", str(path), "backup", str(folder / "copy.db"))


# --- fuzz: arbitrary text in every text field, then the lists ---------------------------

texts = st.text(min_size=1, max_size=40)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@FUZZ
@given(
    note=texts, tags=st.lists(texts, max_size=3), name=texts, route=texts, provider=texts, unit=texts,
    effect=texts, med_name=texts, med_unit=texts, med_note=texts,
)  # fmt: skip
def test_fuzz_every_text_field_prints_safely_and_every_row_is_listed(
    note: str, tags: list[str], name: str, route: str, provider: str, unit: str, effect: str,
    med_name: str, med_unit: str, med_note: str,
) -> None:  # fmt: skip
    records = [
        (store.ENTRIES, {"recorded_at": "2026-03-01", "pain": 5, "note": note, "tags": tags}),
        (store.ENTRIES, {"recorded_at": "2026-03-02", "pain": 4, "note": "plain"}),
        (
            store.TREATMENTS,
            {
                "started_at": "2026-03-01T09:00:00",
                "name": name,
                "dose": 1,
                "dose_unit": unit,
                "route": route,
                "provider": provider,
                "side_effects": [{"name": effect, "severity": 3}],
                "note": note,
            },
        ),
        (store.TREATMENTS, {"started_at": "2026-03-02T09:00:00", "name": "plain"}),
        (
            store.MEDICATIONS,
            {"taken_at": "2026-03-01", "name": med_name, "dose": 5, "dose_unit": med_unit, "note": med_note},
        ),
        (store.MEDICATIONS, {"taken_at": "2026-03-02", "name": "plain", "dose": 5, "dose_unit": "mg"}),
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.db"
        ids: dict[str, list[int]] = {"entries": [], "treatments": [], "medications": []}
        with db.open_db(path) as handle:
            for kind, values in records:
                try:
                    record = kind.make(values)
                except PaindiaryError:
                    record = kind.make({**values, **_plain_values(kind)})  # text the rules refuse
                ids[kind.name].append(diary.add(handle, kind, record).id)
        runner = CliRunner()
        for noun, kind in (("entry", "entries"), ("treatment", "treatments"), ("med", "medications")):
            result = runner.invoke(app, ["--db", str(path), noun, "list"])
            assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
            assert_terminal_safe(result.stdout + result.stderr)
            assert set(ids[kind]) <= listed_ids(result.stdout), result.stdout


def listed_ids(table: str) -> set[int]:
    """The ids in a table's id column (the first column; a wrapped row's next lines have it blank)."""
    lines = table.splitlines()
    header = next(line for line in lines if re.match(r"\s*id ", line))
    offset = header.index("id")
    return {int(match[1]) for line in lines if (match := re.match(r"(\d+) ", line[offset:]))}


def _plain_values(kind: store.Kind) -> dict[str, Any]:
    return {
        "entries": {"tags": ["t"]},
        "treatments": {
            "name": "n",
            "side_effects": [{"name": "e", "severity": 3}],
            "route": "r",
            "provider": "p",
            "dose_unit": "u",
        },
        "medications": {"name": "m", "dose_unit": "mg"},
    }[kind.name]


def test_the_fuzz_check_finds_an_unsafe_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: with the cell cleaning switched off, a note with ESC reaches the output."""
    monkeypatch.setattr(console, "safe", lambda text, markup=True: "" if text is None else str(text))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.db"
        with db.open_db(path) as handle:
            diary.add(handle, store.ENTRIES, store.ENTRIES.make({"recorded_at": "2026-03-01", "note": "\x1b[2J"}))
        result = CliRunner().invoke(app, ["--db", str(path), "entry", "list"])
        assert unsafe_characters(result.stdout)
