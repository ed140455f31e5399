"""Promises of the analysis, charts, report, records and times that no test held (issue 15's survivors).

Each test names the promise it holds and was seen to fail with the bug planted by hand: the MME
factor looked up by name only, the chart's 7-day mean restarted at the period's start, follow-up
windows crossing the period's edge dropped, a session on the period's last day not drawn, the
report's "last 7 days" over 8 days, notes from outside the report's period, a side-effect name
with ``:`` accepted, a negative UTC offset read as positive.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import matplotlib.dates as mdates
import pytest
from chartkit import build, day, dose, entry, session

from paindiary import analysis, models, when
from paindiary.charts import report, report_notes, trend
from paindiary.charts.data import plan_trend
from paindiary.errors import ValidationError

# --- analysis: the MME factor depends on the dose's unit, not only the drug ----------------------------


@pytest.mark.parametrize("order", ["mg first", "mcg first"])
def test_mme_counts_a_dose_in_mg_and_not_the_same_drug_in_mcg(order: str) -> None:
    """Oxycodone 10 mg is 15 MME; oxycodone 10000 mcg is not converted (0), whichever comes first."""
    entries = [entry("2026-03-01T21:00", 5), entry("2026-03-02T21:00", 5)]
    doses = [dose("2026-03-01T08:00", 10, "oxycodone", "mg"), dose("2026-03-02T08:00", 10000, "oxycodone", "mcg")]
    if order == "mcg first":
        doses.reverse()
    assert analysis.daily_mme(entries, doses) == {"2026-03-01": 15.0, "2026-03-02": 0.0}
    assert analysis.unconverted_opioid_doses(doses) == 1


# --- charts/data: what the trend view draws at the edges of its period ---------------------------------


def test_chart_7_day_mean_uses_the_days_before_the_period() -> None:
    """The mean line's first day averages the week up to it, days before ``--since`` included."""
    data = build(since="2026-01-12")
    days, means = plan_trend(data).series["pain_mean"]
    assert days[0] == "2026-01-12"
    assert means[0] == pytest.approx((5 * 6 + 2 * 3) / 7)  # 01-06..01-10 at 6, 01-11 and 01-12 at 3
    assert means[1] == pytest.approx((4 * 6 + 3 * 3) / 7)


def test_chart_keeps_follow_up_windows_that_cross_the_edges_of_the_period() -> None:
    """A follow-up window partly inside the period is drawn (clipped by the axes), not dropped."""
    whole = build()
    spans = whole.followup_spans()
    assert len(spans) == 2
    (first_lo, first_hi), (second_lo, second_hi) = spans
    inside = build(since=day(first_lo, 2), until=day(second_lo, 1))  # starts in the first, ends in the second
    assert plan_trend(inside).followups == ((first_lo, first_hi), (second_lo, second_hi))
    assert first_lo < inside.start and second_hi > inside.end  # (both cross an edge)


def test_chart_draws_a_session_on_the_last_day_of_the_period() -> None:
    """``--until`` is inclusive: a session that day is drawn as a session line."""
    data = build(until="2026-01-20")
    plan = plan_trend(data)
    assert [s.started_at for s in plan.sessions] == ["2026-01-10T09:00:00", "2026-01-20T09:30:00"]
    fig = trend.trend_figure(plan, data)
    (markers,) = [c for c in fig.axes[0].collections if c.get_label() == "Treatment session"]
    drawn = [mdates.num2date(seg[0][0]).replace(tzinfo=None) for seg in markers.get_segments()]
    assert drawn == [datetime(2026, 1, 10, 9, 0), datetime(2026, 1, 20, 9, 30)]


# --- report: the overview's last 7 days and the notes of the period -------------------------------------


def test_report_last_7_days_average_is_over_seven_days() -> None:
    """The overview's "last 7 days" is the mean of the period's last 7 days, not 8."""
    entries = [entry(day("2026-02-01", i), 9 if i == 2 else 1) for i in range(10)]  # 02-03 is the 8th day back
    content = report.build(build((entries, [], [])), entries, [], [])
    overview = {row[0]: row[1:] for row in content.overview}
    assert overview["Pain (0-10)"] == [f"{(9 * 1 + 9) / 10:.1f}", "1.0", "10"]


def _noted() -> tuple[list, list, list]:
    entries = [
        entry(f"{day('2026-01-01', i)}T20:00", 5, note=f"note of {day('2026-01-01', i)}", tags=["flare"])
        for i in range(40)
    ]
    sessions = [session("2026-01-02T09:00", note="session before"), session("2026-01-20T09:00", note="session in"),
                session("2026-02-08T09:00", note="session after")]  # fmt: skip
    return entries, sessions, [dose("2026-01-03T08:00", 5, "oxycodone")]


@pytest.mark.parametrize("all_notes", [False, True])
def test_report_notes_are_only_those_written_in_the_period(all_notes: bool) -> None:
    """The report (chosen notes or --all-notes) shows no note from before ``--since`` or after ``--until``."""
    entries, sessions, meds = _noted()
    meds = [models.make_medication({**meds[0].to_dict(), "note": "dose before"})]
    data = build((entries, sessions, meds), since="2026-01-10", until="2026-01-30")
    content = report.build(data, entries, sessions, meds, notes_tags=["flare"], all_notes=all_notes)
    days = sorted(note.when[:10] for note in content.notes)
    assert days[0] == "2026-01-10" and days[-1] == "2026-01-30"
    assert len([n for n in content.notes if n.what.startswith("diary entry")]) == 21
    assert [n.text for n in content.notes if n.what.startswith("session")] == ["session in"]
    assert not [n for n in content.notes if n.what.startswith("medication")]
    assert content.note_count == 22  # 21 entries and a session


def test_report_notes_helpers_keep_to_start_and_end() -> None:
    entries, sessions, _ = _noted()
    chosen = report_notes.chosen_notes(entries, sessions, [], ("flare",), "2026-01-10", "2026-01-12")
    assert sorted(n.when[:10] for n in chosen) == ["2026-01-10", "2026-01-11", "2026-01-12"]
    every = report_notes.all_notes(entries, sessions, [], "2026-01-20", "2026-01-20")
    assert [n.text for n in every] == ["session in", "note of 2026-01-20"]


# --- models: side-effect names survive the CSV round trip -----------------------------------------------


@pytest.mark.parametrize("name", ["nausea:mild", "a:b", "nausea;dizzy"])
def test_side_effect_name_with_a_colon_or_semicolon_is_refused(name: str) -> None:
    """``:`` separates a severity and ``;`` side effects in CSV, so a name holding either is refused."""
    with pytest.raises(ValidationError, match="a side effect name without ':' or ';'"):
        models.make_side_effect({"name": name, "severity": None})
    with pytest.raises(ValidationError):
        models.make_treatment({"started_at": "2026-03-01T09:00", "name": "x", "side_effects": [{"name": name}]})


def test_side_effect_names_round_trip_through_their_csv_spelling() -> None:
    effects = models.parse_side_effects([{"name": "nausea", "severity": 3}, {"name": "dizzy spells"}])
    spelled = ";".join(e.name if e.severity is None else f"{e.name}:{e.severity:g}" for e in effects)
    assert tuple(models.parse_side_effect(spec) for spec in spelled.split(";")) == effects


# --- when: the sign of a UTC offset ------------------------------------------------------------------


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2026-06-01T12:00:00-04:00", "2026-06-01T16:00:00"),  # west of UTC: later in UTC
        ("2026-06-01T12:00:00+04:00", "2026-06-01T08:00:00"),
        ("2026-06-01T22:30:00-03:30", "2026-06-02T02:00:00"),
        ("2026-06-01T01:00:00+05:30", "2026-05-31T19:30:00"),
        ("2026-06-01T12:00:00Z", "2026-06-01T12:00:00"),
    ],
)
def test_a_negative_utc_offset_is_west_of_utc(utc: None, text: str, stored: str) -> None:
    """A time written ``-04:00`` is four hours behind UTC (the sign is read, not dropped)."""
    assert when.canonical(text) == stored
