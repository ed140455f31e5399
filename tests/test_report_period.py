"""A report reads only the part of the diary its period needs (charts/report_period.py), and is the same report.

The oracle: the PDF made from the part is the PDF made from the whole diary, byte for
byte, for periods starting anywhere around courses, gaps and a drug stopped long before
the period and started again in it.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from chartkit import day, dose, entry, session

from paindiary import analysis, regimen
from paindiary.charts import data as chart_data
from paindiary.charts import report as reporting
from paindiary.charts import report_period
from paindiary.models import Entry, Medication, Treatment
from tests.conftest import Run

Records = tuple[list[Entry], list[Treatment], list[Medication]]
START = "2025-01-01"


def long_diary() -> Records:
    """Ten months: entries most days (notes, tags), four courses, oxycodone tapering, pregabalin paused for months."""
    entries, sessions, doses = [], [], []
    course_days = {40, 41, 43, 130, 131, 200, 262, 263, 264}
    for i in range(300):
        d = day(START, i)
        if i % 11 == 5:  # a missing day now and then
            continue
        pain = 4 + (i * 7 % 10) / 4
        tags = ["flare"] if i % 37 == 0 else ["walk"] if i % 5 == 0 else []
        entries.append(
            entry(f"{d}T20:00", pain, worst_pain=min(10, pain + 1.5), least_pain=pain - 1, sleep_hours=6 + i % 3,
                  mood=5, enjoyment=pain, activity=pain, note=f"day {i}" if i % 3 == 0 else None, tags=tags)
        )  # fmt: skip
        doses.append(dose(f"{d}T08:00", 20 - (i // 75) * 5))
        if i < 60 or i > 210:  # pregabalin: stopped on day 60, started again on day 211
            doses.append(dose(f"{d}T09:00", 150 if i < 230 else 300, "Pregabalin"))
        if i in course_days:
            sessions.append(session(f"{d}T11:00", systolic_before=120, diastolic_before=80, systolic_after=165,
                                    diastolic_after=95, note="went well"))  # fmt: skip
            doses.append(dose(f"{d}T10:30", 4, "ondansetron"))
    return entries, sessions, doses


def pdf(records: Records, since: str, until: str, **build: object) -> bytes:
    data = chart_data.build(*records, since=since, until=until, **build)  # type: ignore[arg-type]
    return reporting.render_pdf(reporting.build(data, *records), "a4")


def test_the_part_keeps_the_lookback_and_every_session() -> None:
    records = long_diary()
    since = day(START, 150)
    (entries, sessions, doses), span = report_period.part_for_report(records, since)
    first = day(since, -report_period.LOOKBACK_DAYS)
    assert entries == [e for e in records[0] if e.recorded_at[:10] >= first] and entries[0].recorded_at[:10] <= since
    assert doses == [m for m in records[2] if m.taken_at[:10] >= first]
    assert sessions == records[1]
    assert span is not None and (span.first, span.last) == (START, day(START, 299))
    assert span.first_doses == regimen.first_doses(records[2])
    assert span.first_doses[("pregabalin", "mg")] == START  # (taken before the part starts)


def test_without_a_start_or_anything_left_out_nothing_changes() -> None:
    records = long_diary()
    assert report_period.part_for_report(records, None) == (records, None)
    assert report_period.part_for_report(records, day(START, 10)) == (records, None)


def test_the_lookback_reaches_past_every_window_a_report_looks_at() -> None:
    baseline = inspect.signature(analysis.course_windows).parameters["baseline_days"].default
    assert baseline == inspect.signature(analysis.analyze).parameters["baseline_days"].default
    assert max(baseline, chart_data.COURSE_BEFORE_DAYS, chart_data.ROLLING_DAYS - 1) <= report_period.LOOKBACK_DAYS


@pytest.mark.slow
@pytest.mark.parametrize("offset", [45, 120, 128, 133, 150, 195, 205, 230])
def test_the_report_of_the_part_is_the_report_of_the_whole_diary(offset: int) -> None:
    """Periods from just after a course, inside one, between two and around the pregabalin pause."""
    records = long_diary()
    since, until = day(START, offset), day(START, 299)
    part, span = report_period.part_for_report(records, since)
    assert span is not None and len(part[0]) < len(records[0])
    assert pdf(part, since, until, diary=span) == pdf(records, since, until)


@pytest.mark.slow
def test_a_drug_started_again_in_the_period_is_not_called_started() -> None:
    """What the part cannot tell (pregabalin's first dose, long before it) comes from the span."""
    records = long_diary()
    since, until = day(START, 200), day(START, 299)
    part, span = report_period.part_for_report(records, since)
    data = chart_data.build(*part, since=since, until=until, diary=span)
    content = reporting.build(data, *part)
    from paindiary.charts import meds

    (pregabalin,) = [row for row in meds.regimen_rows(meds.plan_meds(data)) if row[0] == "Pregabalin"]
    assert "started" not in pregabalin[5] and "up 150 → 300 mg" in pregabalin[5]
    without = chart_data.build(*part, since=since, until=until)  # (the part alone would say "started")
    (alone,) = [row for row in meds.regimen_rows(meds.plan_meds(without)) if row[0] == "Pregabalin"]
    assert "started" in alone[5]
    assert content.title == reporting.build(chart_data.build(*records, since=since, until=until), *records).title


@pytest.mark.slow
def test_a_period_opening_after_a_long_gap_keeps_its_first_day() -> None:
    """Nothing logged for weeks before the period: the part's first record is after ``since``, the period is not."""
    entries = [entry(f"{day(START, i)}T20:00", 5, mood=6) for i in [*range(0, 50), *range(120, 200)]]
    doses = [dose(f"{day(START, i)}T08:00") for i in [*range(0, 50), *range(120, 200)]]
    records: Records = (entries, [], doses)
    since, until = day(START, 110), day(START, 199)
    part, span = report_period.part_for_report(records, since)
    assert span is not None and part[0][0].recorded_at[:10] == day(START, 120)
    assert chart_data.build(*part, since=since, until=until, diary=span).start == since
    assert chart_data.build(*part, since=since, until=until).start == day(START, 120)  # (what the span is for)
    assert pdf(part, since, until, diary=span) == pdf(records, since, until)


@pytest.mark.slow
@pytest.mark.parametrize("since", [None, "2025-05-12", "2025-08-20"], ids=["default", "in-a-course", "late"])
def test_the_report_command_reads_only_the_part_and_writes_the_whole_diarys_report(
    since: str | None, run: Run, clock: object, db_path: Path, tmp_path: Path
) -> None:
    """The command reads the latest times, the first doses and the part (store.load_recent); the file is the
    report made from every record."""
    from paindiary import db, store
    from paindiary.cli import common

    records = long_diary()
    with db.open_db(db_path) as handle, handle.transaction() as conn:
        for kind, kept in zip((store.ENTRIES, store.TREATMENTS, store.MEDICATIONS), records, strict=True):
            for record in kept:
                store.insert(conn, kind, record)
    out = tmp_path / "r.pdf"
    run("report", "--paper", "a4", "-o", str(out), *(["--since", since] if since else []))
    whole = store.load_diary(db.open_db(db_path).conn)
    first, last = report_period.default_period(*whole, since=since, until=common.until_today(None, *whole))
    data = chart_data.build(*whole, since=first, until=last)
    expected = reporting.render_pdf(reporting.build(data, *whole, as_of=common.now().date()), "a4")
    assert out.read_bytes() == expected
    if since:
        assert len(store.load_recent(db.open_db(db_path).conn, report_period.lookback(since))[0]) < len(whole[0])


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--since", "2027-01-01"], "Nothing recorded between 2027-01-01 and 2026-01-01: the diary runs from"),
        (["--until", "2020-01-01"], "Nothing recorded between 2019-07-02 and 2020-01-01: the diary runs from"),
    ],
    ids=["since-after-the-diary", "until-before-it"],
)  # fmt: skip
def test_a_period_outside_the_diary_is_named_as_the_whole_diary_names_it(
    options: list[str], said: str, run: Run, tmp_path: Path
) -> None:
    """The part read for a period after the last record is empty; the message still names the period's end."""
    run("log", "5", "--at", "2026-01-01")
    refused = run("report", *options, "-o", str(tmp_path / "r.pdf"), code=1)
    assert said in refused.stderr and not (tmp_path / "r.pdf").exists()
