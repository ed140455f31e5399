"""The report's text lines (pdf_layout.Line) draw exactly what a matplotlib Text on its baseline draws.

Line skips Text's layout (a report has hundreds of lines; the layout shaped each one once
more): these tests compare the page's PDF drawing operators with those of Text, left and
right aligned, bold and grey, with control characters, "$" and letters a font would join.
"""

from __future__ import annotations

import io

import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader

from paindiary.charts import pdf_layout, style

pytestmark = pytest.mark.slow  # renders PDFs

LINES = [
    ("Plain words", "left", "normal", style.BLACK),
    ("12.5", "right", "normal", style.GREY),
    ("$x$ costs ffi → 7/10", "left", "bold", style.BLACK),
    ("a\x1b[31mred\x07 ✓", "right", "bold", style.GREY),
    ("", "left", "normal", style.BLACK),
]


def page_operators(draw: str) -> str:
    """The drawing operators of a one-page PDF with :data:`LINES`, drawn as ``Text`` or as ``Line``."""
    with style.rc():
        fig = Figure(figsize=(8.27, 11.69))
        for i, (text, align, weight, color) in enumerate(LINES):
            y = 0.9 - i * 0.05
            if draw == "text":
                fig.text(0.5, y, text, fontsize=9, va="baseline", ha=align, weight=weight, color=color)
            else:
                pdf_layout.line(fig, 0.5, y, text, fontsize=9, align=align, weight=weight, color=color)
        out = io.BytesIO()
        with style.lean_pdf_fonts(), PdfPages(out, metadata={"CreationDate": None, "ModDate": None}) as pdf:
            pdf.savefig(style.literal(fig))
    data: bytes = PdfReader(out).pages[0].get_contents().get_data()  # type: ignore[union-attr]
    return data.decode("latin-1")


def test_a_line_draws_what_a_baseline_text_draws() -> None:
    lines, texts = page_operators("line"), page_operators("text")
    assert lines.count("BT") == len([text for text, *_ in LINES if text]) == 4
    assert lines == texts


def test_a_line_keeps_its_text_as_written_but_for_control_characters() -> None:
    with style.rc():
        fig = Figure()
        pdf_layout.line(fig, 0.1, 0.1, "a\x1b[31mred $x$", fontsize=9)
    (line,) = [artist for artist in fig.get_children() if isinstance(artist, pdf_layout.Line)]
    assert line.get_text() == "ared $x$"  # (the escape sequence removed whole, as style.literal does)
    assert line.get_fontfeatures() == style.NO_LIGATURES
