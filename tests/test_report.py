"""The appointment report: its content (pure) and the PDF (pages, text, metadata, fonts, determinism)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from chartkit import build, day, entry, session, two_courses
from pypdf import PdfReader

from paindiary import demo, models
from paindiary.charts import report
from paindiary.charts.data import NothingToDrawError


def demo_records() -> tuple[list, list, list]:
    data = demo.build(date(2026, 3, 15))
    return (
        [models.make_entry(e) for e in data.entries],
        [models.make_treatment(t) for t in data.treatments],
        [models.make_medication(m) for m in data.medications],
    )


def pdf_for(records: tuple[list, list, list], **options: object) -> bytes:
    since, until = report.default_period(*records)
    data = build(records, since=since, until=until, **options)
    return report.render_pdf(report.build(data, *records))


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_months_before_spans_whole_months() -> None:
    assert report.months_before("2026-03-14", 6) == "2025-09-15"
    assert report.months_before("2026-08-31", 6) == "2026-03-01"  # Feb 28 + 1 day
    assert report.months_before("2026-01-31", 1) == "2026-01-01"


def test_default_period_is_six_months_up_to_the_latest_record() -> None:
    records = ([entry(day("2025-01-01", 3 * i), 5.0) for i in range(150)], [], [])
    assert report.default_period(*records) == ("2025-09-25", "2026-03-24")
    assert report.default_period(*records, until="2025-12-31") == ("2025-07-01", "2025-12-31")
    assert report.default_period(*records, since="2025-11-01") == ("2025-11-01", "2026-03-24")
    assert report.default_period(*records, everything=True) == (None, None)


def test_summary_content_comes_from_the_analysis() -> None:
    records = two_courses()
    content = report.build(build(records), *records)
    overview = {row[0]: row[1:] for row in content.overview}
    # pain: 10 days of 6, 9 of 3, 12 of 4 -> 135/31; last 7 days all 4
    assert overview["Pain (0-10)"] == [f"{135 / 31:.1f}", "4.0", "31"]
    assert overview["Opioid use (MME per day)"] == ["15.0", "15.0", "31"]
    assert content.days_logged == 31
    first, second = content.courses
    assert first == [
        "1", "2026-01-10", "ketamine infusion (1)", "6.0 (7 d) → 3.0 (7 d)", "-50%", "substantial",
        "day 1", "9 days (ongoing)", "15.0 → 15.0",
    ]  # fmt: skip
    assert second[:4] == ["2", "2026-01-20", "lidocaine infusion (1)", "3.0 (7 d) → 4.0 (7 d)"]
    assert content.sessions[0] == [
        "2026-01-10 09:00", "1", "ketamine infusion", "70 → 88", "120/80 → 135/85", "nausea\u00a03",
    ]  # fmt: skip
    assert content.sessions[1][3:] == ["–", "–", "none recorded"]
    assert [row[0] for row in content.weekly] == ["2026-W01", "2026-W02", "2026-W03", "2026-W04", "2026-W05"]


def test_insufficient_courses_get_a_footnote_with_the_reason() -> None:
    records = ([entry(day("2026-01-01", i), 5.0) for i in range(12)], [session("2026-01-10T09:00")], [])
    content = report.build(build(records), *records)
    assert content.courses[0][5] == "insufficient data"
    (note,) = content.course_notes
    assert note.startswith("Course 1 (2026-01-10): insufficient data: pain on 2 of the 7 follow-up days")


def test_the_demo_report_has_its_sections_in_order_on_six_pages() -> None:
    pdf = pdf_for(demo_records(), patient="Alex Example")
    pages = pdf_text(pdf)
    assert len(pages) == 6
    summary, sessions, trend_page, course_page, medication, notes = (flat(p) for p in pages)
    assert "Pain diary report" in summary and "Patient: Alex Example" in summary
    assert "Summary" in summary and "Flags" in summary
    assert "Treatment courses" in summary and "ketamine infusion (3)" in summary
    assert "Sessions: vital signs and side effects" in sessions and "nausea" in sessions
    assert "MME (morphine milligram equivalents)" in summary
    assert "Pain and treatments" in trend_page and "Pain around each treatment course" in course_page
    assert "Medication" in medication and "Weekly summary" in medication and "2026-W10" in medication
    assert "Notes written in the period" in notes and "Bad flare today" in notes
    for i, page in enumerate(pages, start=1):
        assert f"page {i} of 6" in page
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title.startswith("Pain diary report for Alex Example, ")
    assert meta.subject.startswith("Pain, sleep, mood, treatment sessions and medication from ")
    assert "/CreationDate" not in meta


def test_fonts_are_embedded_truetype_not_type3() -> None:
    reader = PdfReader(io.BytesIO(pdf_for(demo_records())))
    subtypes = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            subtypes.add(font["/Subtype"])
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            assert "/FontFile2" in target["/FontDescriptor"], font  # embedded TrueType (Type 42)
    assert "/Type3" not in subtypes


def test_the_report_is_byte_identical_across_runs() -> None:
    records = two_courses()
    assert pdf_for(records) == pdf_for(records)


def test_no_patient_name_unless_given() -> None:
    pdf = pdf_for(two_courses())
    assert "Patient:" not in "".join(pdf_text(pdf))
    assert "/Author" not in PdfReader(io.BytesIO(pdf)).metadata


def test_long_notes_are_kept_whole_across_pages() -> None:
    words = [f"word{i:04d}" for i in range(1500)]
    records = ([entry("2026-01-01", 5.0, note=" ".join(words)), entry("2026-01-02", 4.0)], [], [])
    pages = pdf_text(pdf_for(records))
    notes = flat(" ".join(pages[2:]))  # summary, trend (no course chart: no sessions), then weekly and notes flowing
    assert "No course chart: No treatment sessions between 2026-01-01 and 2026-01-02" in flat(pages[0])
    assert len(pages) > 3
    found = re.findall(r"word\d{4}", notes)
    assert found == words


def test_many_sessions_flow_onto_more_summary_pages_with_the_header_repeated() -> None:
    entries = [entry(day("2025-10-01", i), 5.0) for i in range(180)]
    sessions = [session(f"{day('2025-10-02', 3 * i)}T09:00") for i in range(55)]
    pages = pdf_text(pdf_for((entries, sessions, [])))
    assert len(pages) >= 6
    assert sum("Heart rate" in page for page in pages) >= 2
    stamps = re.findall(r"20\d\d-\d\d-\d\d\s*09:00", " ".join(pages))
    assert len(stamps) == 55


def test_a_period_without_records_is_an_error() -> None:
    records = ([entry("2026-01-01", 5.0), entry("2026-01-31", 5.0)], [], [])
    data = build(records, since="2026-01-10", until="2026-01-20")
    with pytest.raises(NothingToDrawError, match="Nothing to report between 2026-01-10 and 2026-01-20"):
        report.build(data, *records)
