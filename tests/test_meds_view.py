"""The medication timeline (issue 12): `chart --view meds`, a lane per drug, opioids in MME."""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import pytest
from chartkit import build, day, dose, entry, session
from matplotlib.collections import PolyCollection

from paindiary.charts import meds
from paindiary.charts.data import NothingToDrawError

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal


def regimen_diary():
    """January: pregabalin 75 mg twice a day, doubled from 01-15; oxycodone 10 mg on even days; a session 01-10."""
    entries = [entry(day("2026-01-01", i), 5) for i in range(31)]
    doses = []
    for i in range(31):
        d = day("2026-01-01", i)
        amount = 75 if d < "2026-01-15" else 150
        doses += [dose(f"{d}T08:00", amount, "Pregabalin"), dose(f"{d}T20:00", amount, "pregabalin")]
        if i % 2 == 0:
            doses.append(dose(f"{d}T09:00", 10, "OxyContin"))
    return entries, [session("2026-01-10T09:00")], doses


def test_a_lane_per_drug_in_order_of_first_dose_opioids_in_mme() -> None:
    plan = meds.plan_meds(build(regimen_diary()))
    oxycodone, pregabalin = plan.lanes  # both first taken on 01-01: then by name
    assert pregabalin.name == "pregabalin" and not pregabalin.opioid  # (the spelling used most, ties: the latter)
    assert pregabalin.label == "pregabalin, mg per day"
    assert pregabalin.values[:2] == (150, 150) and pregabalin.values[-1] == 300
    assert oxycodone.opioid and oxycodone.label == "OxyContin, MME per day (mg × 1.5)"
    assert set(oxycodone.values) == {15}  # 10 mg oxycodone = 15 MME
    assert oxycodone.days == tuple(day("2026-01-01", i) for i in range(0, 31, 2))  # no bar on days without


def test_the_figure_draws_each_lanes_bars_and_the_sessions() -> None:
    data = build(regimen_diary())
    plan = meds.plan_meds(data)
    fig = meds.meds_figure(plan, data)
    lanes = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in lanes] == [lane.label for lane in plan.lanes]
    for ax, lane in zip(lanes, plan.lanes, strict=True):
        (bars,) = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_zorder() == 3]
        corners = [path.vertices[:4] for path in bars.get_paths()]  # left-bottom, left-top, right-top, right-bottom
        assert [float(top) for (_, bottom), (_, top), *_ in corners] == list(lane.values)
        assert {float(bottom) for (_, bottom), *_ in corners} == {0.0}
        assert {round(float(right - left), 9) for (left, _), _, (right, _), _ in corners} == {0.8}
        middles = [mdates.num2date((left + right) / 2).date().isoformat() for (left, _), _, (right, _), _ in corners]
        assert middles == list(lane.days)
        assert tuple(bars.get_facecolor()[0]) == tuple(bars.get_edgecolor()[0])
        (sessions,) = [c for c in ax.collections if c.get_label() == "Treatment session"]
        assert len(sessions.get_segments()) == 1
    assert "Medication, 2026-01-01 to 2026-01-31" in [t.get_text() for t in fig.texts]


def test_the_regimen_table_gives_usual_doses_and_changes() -> None:
    plan = meds.plan_meds(build(regimen_diary()))
    rows = meds.regimen_rows(plan)
    assert rows[1] == [
        "pregabalin", "2026-01-01", "2026-01-31", "150 mg", "300 mg", "up 150 → 300 mg on 2026-01-15",
    ]  # fmt: skip
    assert rows[0][:5] == ["OxyContin", "2026-01-01", "2026-01-31", "10 mg (15 MME)", "10 mg (15 MME)"]


def test_no_medication_is_a_clear_error() -> None:
    with pytest.raises(NothingToDrawError, match="No medication logged between"):
        meds.plan_meds(build(([entry("2026-01-01", 5)], [], [])))


def test_chart_view_meds_writes_the_timeline(run, tmp_path: Path) -> None:
    run("med", "add", "pregabalin", "75", "mg", "--at", "2026-01-02T08:00")
    run("med", "add", "oxycodone", "5", "mg", "--at", "2026-01-03T08:00")
    result = run("chart", "--view", "meds", "-o", "meds.svg")
    text = (tmp_path / "meds.svg").read_text(encoding="utf-8")
    assert "Medication, 2026-01-02 to 2026-01-03" in text and "oxycodone, MME per day" in text
    assert "meds.svg" in result.stdout
    empty = run("--db", str(tmp_path / "other.db"), "log", "5")
    assert empty.exit_code == 0
    refused = run("--db", str(tmp_path / "other.db"), "chart", "--view", "meds", "-o", "none.png", code=1)
    assert "No medication logged" in refused.stderr and not (tmp_path / "none.png").exists()


def test_the_report_has_a_medication_section_with_the_timeline_and_the_table() -> None:
    import io
    import re

    from pypdf import PdfReader

    from paindiary.charts import report

    records = regimen_diary()
    pdf = report.render_pdf(report.build(build(records), *records))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    [section] = [page for page in pages if "Medication " in page and "Usual daily total" in page]
    assert "OxyContin, MME per day (mg × 1.5)" in section and "pregabalin, mg per day" in section
    assert "up 150 → 300 mg on 2026-01-15" in section and "10 mg (15 MME)" in section
    assert pages.index(section) <= next(i for i, page in enumerate(pages) if "Weekly summary" in page)
    without = ([entry("2026-01-01", 5), entry("2026-01-02", 4)], [], [])
    plain = report.render_pdf(report.build(build(without), *without))
    assert "Usual daily total" not in "".join(page.extract_text() for page in PdfReader(io.BytesIO(plain)).pages)
