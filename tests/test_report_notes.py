"""The report's notes are chosen, not dumped, and the report stays short (issue 12); paper from the locale."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from chartkit import build, day, entry, session
from pypdf import PdfReader

from paindiary.charts import report, report_notes

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def _pages(records, **options) -> list[str]:
    pdf = report.render_pdf(report.build(build(records), *records, **options), options.pop("paper", "a4"))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def noted_diary(days: int = 60):
    """Pain with a note every day from 2026-01-01; 'walk' on every day, 'flare' on 2 days; a session on 01-20."""
    entries = []
    for i in range(days):
        d = day("2026-01-01", i)
        tags = ["walk"] + (["flare"] if i in (5, 40) else [])
        entries.append(entry(f"{d}T20:00", 5, note=f"note of {d}", tags=tags))
    return entries, [session("2026-01-20T09:00", note="first infusion went well")], []


def test_rare_tags_are_those_on_at_most_a_tenth_of_the_logged_days() -> None:
    entries, _, _ = noted_diary()
    assert report_notes.rare_tags(entries, "2026-01-01", "2026-03-01") == ("flare",)
    assert report_notes.rare_tags(entries, "2026-01-05", "2026-01-08") == ()  # flare on 1 of 4 days: 25%
    assert report_notes.rare_tags([], "2026-01-01", "2026-03-01") == ()


def test_chosen_notes_are_window_session_and_rare_tag_notes_newest_first() -> None:
    entries, sessions, _ = noted_diary()
    windows = [("2026-01-13", "2026-01-19"), ("2026-01-21", "2026-01-27")]  # baseline and follow-up of 01-20
    chosen = report_notes.chosen_notes(entries, sessions, windows, ("flare",), "2026-01-01", "2026-03-01")
    days = [note.when[:10] for note in chosen]
    assert days == sorted(days, reverse=True)
    assert "2026-02-10" in days and "2026-01-06" in days  # tagged flare (i = 40 and 5)
    assert all(d in days for d in (day("2026-01-13", i) for i in range(15)))  # the windows, the session day
    assert "2026-01-03" not in days and "2026-02-20" not in days  # routine days
    assert [n.what for n in chosen if n.when.startswith("2026-01-20T09")] == ["session: ketamine infusion"]
    flare = next(n for n in chosen if n.when.startswith("2026-01-06"))
    assert flare.what == "diary entry, pain 5, tagged flare"


def test_the_report_shows_chosen_notes_and_says_how_to_see_the_others() -> None:
    pages = _pages(noted_diary())
    text = " ".join(pages)
    assert "Notes chosen for this report" in text and "tagged flare" in text
    assert "note of 2026-01-03" not in text and "note of 2026-02-10" in text and "first infusion went well" in text
    shown = len(re.findall(r"note of 2026-\d\d-\d\d", text.split("Notes chosen for this report")[1]))
    others = re.search(r"(\d+) other notes of the period are not shown here", text)
    assert others and int(others.group(1)) == 61 - shown - 1  # 60 entries and a session, less those shown
    assert "'paindiary entry list --since 2026-01-01 --until 2026-03-01 --json'" in text
    tagged = " ".join(_pages(noted_diary(), notes_tags=["walk"]))
    assert "note of 2026-02-28" in tagged and "note of 2026-02-28" not in text  # --notes-tag walk: walk days


def test_all_notes_restores_every_note_oldest_first() -> None:
    text = " ".join(_pages(noted_diary(), all_notes=True))
    found = re.findall(r"note of (2026-\d\d-\d\d)", text)
    assert found == [day("2026-01-01", i) for i in range(60)]
    assert "Notes written in the period" in text and "not shown here" not in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_six_months_with_a_note_on_every_entry_fit_in_eight_pages(paper: str) -> None:
    entries = []
    for i in range(183):
        d = day("2025-09-01", i)
        for hour in ("08", "20"):
            entries.append(entry(f"{d}T{hour}:00", 5 + (i % 3), note=f"{d} {hour}h: " + "a routine day, " * 12,
                                 tags=["routine"] + (["flare"] if i % 15 == 0 else [])))  # fmt: skip
    sessions = [session(f"{day('2025-11-01', k)}T09:00") for k in (0, 2, 4)] + [session("2026-01-15T09:00")]
    pdf = report.render_pdf(report.build(build((entries, sessions, [])), entries, sessions, []), paper)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) <= 8, len(pages)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    notes = text.split("Notes chosen for this report")[1]
    assert re.search(r"\d+ other notes of the period are not shown here", notes)
    first = next(i for i, page in enumerate(pages) if "Notes chosen for this report" in page.extract_text())
    assert len(pages) - first <= 2  # the notes take at most a page (from wherever they start)


def test_a_single_chosen_note_longer_than_a_page_is_shortened_and_said_so() -> None:
    long = " ".join(f"word{i:04d}" for i in range(3000))
    entries = [entry("2026-01-05", 5, note=long, tags=["flare"])] + [entry(day("2026-01-06", i), 4) for i in range(30)]
    records = (entries, [], [])
    text = " ".join(_pages(records))
    assert "word0000" in text and "word2999" not in text and "shortened to a page" in text


@pytest.mark.parametrize(
    ("environ", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "fr_CA"}, "letter"),
        ({"LANG": "de_DE.UTF-8"}, "a4"),
        ({"LANG": "en_GB.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "letter"),
        ({"LC_ALL": "de_DE.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "a4"),
        ({"LANG": "C"}, "a4"),
        ({}, "a4"),
        ({"LANG": "en_US@euro"}, "letter"),
    ],
)
def test_the_paper_comes_from_the_locale(environ: dict[str, str], paper: str) -> None:
    assert report.paper_for_locale(environ) == paper


def test_report_command_takes_its_paper_from_the_locale(run, tmp_path: Path, monkeypatch) -> None:
    run("log", "5", "--at", "2026-01-02T08:00", "--note", "x")
    for name in ("LC_ALL", "LC_PAPER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    run("report", "-o", "us.pdf")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    run("report", "-o", "de.pdf")
    run("report", "-o", "forced.pdf", "--paper", "letter")
    sizes = {name: [float(v) for v in PdfReader(tmp_path / name).pages[0].mediabox[2:]]
             for name in ("us.pdf", "de.pdf", "forced.pdf")}  # fmt: skip
    assert sizes == {"us.pdf": [612.0, 792.0], "de.pdf": [595.44, 841.68], "forced.pdf": [612.0, 792.0]}
