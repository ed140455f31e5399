"""The report's Summary and Flags (issue 12): sentences read from the PDF of hand-made diaries."""

from __future__ import annotations

import io
import re

import pytest
from chartkit import build, day, dose, entry, session, two_courses
from pypdf import PdfReader

from paindiary.charts import narrative, report

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def first_page(records, **options) -> str:
    pdf = report.render_pdf(report.build(build(records, **options), *records))
    return re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_the_summary_says_what_each_course_did_in_plain_sentences() -> None:
    text = first_page(two_courses())
    assert "Summary" in text
    assert (
        "Course 1, ketamine infusion, 1 session on 2026-01-10: average pain went from 6 in the 7 days before to 3 "
        "in the 7 days after, a 50% reduction (substantial by IMMPACT)." in text
    )
    assert "The 95% interval of the change is" in text and "entirely below zero" in text
    assert "Relief (pain 30% below the baseline) began on day 1" in text
    assert "Course 2, lidocaine infusion, 1 session on 2026-01-20" in text


def test_the_trend_sentence_compares_the_first_and_last_weeks() -> None:
    daily = {"sleep_hours": {day("2026-01-01", i): 5.0 if i < 28 else 7.0 for i in range(70)},
             "mood": {day("2026-01-01", i): 4.0 if i < 28 else 6.0 for i in range(70)}}  # fmt: skip
    text = narrative.trend_sentence(daily, "2026-01-01", "2026-03-11")
    assert text == (
        "Between the period's first and last four weeks, sleep from 5 to 7 hours a night "
        "and mood (10 best) from 4 to 6."
    )
    assert narrative.trend_sentence(daily, "2026-01-01", "2026-01-10") == ""  # too short to compare


def flagged_diary():
    entries = [entry(day("2026-01-01", i), 5.0) for i in range(31)]
    sessions = [
        session("2026-01-10T09:00", systolic_before=130, diastolic_before=85, systolic_after=164, diastolic_after=96,
                heart_rate_before=70, heart_rate_after=92, side_effects=[{"name": "dissociation", "severity": 8}]),
        session("2026-01-11T09:00", systolic_before=120, diastolic_before=80, systolic_after=141, diastolic_after=85,
                heart_rate_before=72, heart_rate_after=121),
    ]  # fmt: skip
    doses = [dose(f"{day('2026-01-01', i)}T08:00", 40, "oxycodone") for i in range(3)]  # 60 MME a day
    doses += [dose("2026-01-20T08:00", 10, "oxycodon"), dose("2026-01-21T08:00", 500, "oxycodone", "mcg")]
    return entries, sessions, doses


def test_each_kind_of_flag_names_its_date_and_value() -> None:
    text = first_page(flagged_diary())
    assert "Flags" in text
    assert "2026-01-10 09:00 · ketamine infusion: blood pressure 164/96 mmHg after the session" in text
    assert "dissociation rated 8 of 10" in text
    assert "2026-01-11 09:00 · ketamine infusion: systolic blood pressure rose from 120 to 141 mmHg (+21)" in text
    assert "heart rate 121/min after the session (at or above 120)" in text
    assert "2026-01-01 to 2026-01-03 · 60 MME a day (3 days), at or above 50 (CDC 2022)" in text
    assert "oxycodon: not counted as an opioid; did you mean oxycodone?" in text
    assert "oxycodone in mcg is not converted to MME" in text
    assert narrative.no_flags_line() not in text


def test_a_diary_with_nothing_to_flag_says_so_in_one_line() -> None:
    text = first_page(([entry(day("2026-01-01", i), 5.0) for i in range(20)], [], []))
    assert narrative.no_flags_line() in text


def test_opioid_use_that_did_not_move_is_said_to_stay() -> None:
    text = first_page(two_courses())  # oxycodone 10 mg every day: 15 MME before and after
    assert "Opioid use stayed at 15 MME a day." in text and "went from 15 to 15" not in text


def _answers():
    from paindiary.assessments import make_assessment

    made = [
        {"recorded_at": "2026-01-17T18:00", "instrument": "pgic", "pgic": 2, "id": 1},  # course 1 (Dk 01-10), day 7
        {"recorded_at": "2026-01-17T18:05", "instrument": "peg", "peg_pain": 4, "peg_enjoyment": 3,
         "peg_activity": 5, "id": 2},
    ]  # fmt: skip
    return [make_assessment(values) for values in made]


def test_check_ins_appear_beside_their_course_and_the_pgic_in_the_summary() -> None:
    from datetime import date

    records = two_courses()
    built = report.build(build(records), *records, assessments=_answers(), as_of=date(2026, 1, 31))
    pdf = report.render_pdf(built)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "The patient rated the change as much improved (PGIC 2) on day 7 (a clinically important change)." in text
    assert "Check-ins after a course" in text
    assert "1 2026-01-17 18:00 day 7 PGIC 2 much improved 2" in text
    assert "1 2026-01-17 18:05 day 7 PEG pain 4, enjoyment 3, activity 5 4" in text
    # course 2 (Dk 01-20): its day-7 window (01-25..01-29) passed unanswered by 01-31
    assert (
        "2026-01-29 · the PGIC check-in of day 7 after course 2 is overdue (its window was 2026-01-25 to 2026-01-29)"
        in text
    )
    assert "the PEG check-in of day 7 after course 2 is overdue" in text
    assert "check-in of day 7 after course 1 is overdue" not in text  # answered


def test_without_check_ins_there_is_no_section_and_no_overdue_flag_without_a_day() -> None:
    records = two_courses()
    pdf = report.render_pdf(report.build(build(records), *records))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Check-ins after a course" not in text and "overdue" not in text
