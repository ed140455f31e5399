"""Titles and the patient's name (issue 12): the title is what is shown and the period; a name of any length
goes in a header line that wraps, never cut off, never into the title or past the page."""

from __future__ import annotations

import io
import re

import pytest
from chartkit import build, texts
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from pypdf import PdfReader

from paindiary.charts import course, report, style, trend
from paindiary.charts.data import plan_course, plan_trend

pytestmark = pytest.mark.slow  # renders charts or PDFs, or drives a terminal

LONG = "Maria-Fernanda de los Ángeles Rodríguez-Villanueva Santisteban y Montenegro " * 5


def _figures(patient: str):
    data = build(patient=patient)
    return [
        trend.trend_figure(plan_trend(data), data),
        course.course_figure(plan_course(data), data),
    ]


@pytest.mark.parametrize("patient", ["J. Smith", LONG])
def test_the_title_is_the_view_and_period_and_the_patient_a_header_line(patient: str) -> None:
    for fig in _figures(patient):
        found = texts(fig)
        assert any(t in found for t in ("Pain and treatments, 2026-01-01 to 2026-01-31",
                                        "Pain around each treatment course, 2026-01-01 to 2026-01-31"))  # fmt: skip
        header = [t for t in found if t.startswith("Patient: ")]
        assert header and len(header) <= style.PATIENT_LINES
        assert not any("Pain" in t and patient[:8] in t for t in found)  # the name is not in a title


def test_a_short_name_is_whole_and_a_long_one_wraps_then_ends_in_an_ellipsis() -> None:
    assert style.patient_lines("J. Smith", 10) == ["Patient: J. Smith"]
    lines = style.patient_lines(LONG, 10)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert lines[0].startswith("Patient: Maria-Fernanda")
    assert style.patient_lines(None, 10) == [] and style.patient_lines("", 10) == []


@pytest.mark.parametrize("patient", ["J. Smith", LONG])
def test_no_text_of_a_chart_reaches_past_its_edges_or_overlaps_the_title(patient: str) -> None:
    for fig in _figures(patient):
        renderer = FigureCanvasAgg(fig).get_renderer()
        width = fig.get_size_inches()[0] * fig.dpi
        drawn = [t for t in fig.texts if isinstance(t, Text) and t.get_text()]
        boxes = {t.get_text(): t.get_window_extent(renderer) for t in drawn}
        for text, box in boxes.items():
            assert box.x1 <= width + 1, text  # nothing runs off the right edge
        (title,) = [b for t, b in boxes.items() if t.startswith("Pain ")]
        for text, box in boxes.items():
            if text.startswith("Patient: "):
                assert box.y0 > title.y1, text  # the name sits above the title, apart from it


def test_the_report_names_a_long_patient_whole_on_page_one_and_shortened_in_running_heads() -> None:
    from chartkit import two_courses

    records = two_courses()
    pdf = report.render_pdf(report.build(build(records, patient=LONG), *records))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert "Patient: " + " ".join(LONG.split()) in pages[0]
    assert all("Pain diary report, 2026-01-01 to 2026-01-31 · Maria-Fernanda" in page for page in pages)
    assert all("…" in page for page in pages)
