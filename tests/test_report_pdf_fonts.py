"""The fonts a PDF embeds: subsets without the layout tables a viewer never reads (they made reports slow).

Text in a PDF is placed glyph by glyph when the file is written, so the GPOS, GSUB,
GDEF and kern tables of an embedded TrueType font are dead weight, and fontTools
spent most of a report's finishing time decompiling them (paindiary.charts.style).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from paindiary import demo as sample
from paindiary.charts import style
from tests.conftest import FIXED_NOW, Run

pytestmark = pytest.mark.slow  # renders a report


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fonts") / "demo.db"
    sample.write(path, FIXED_NOW.date())
    return path


def embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    """Every embedded TrueType font program of ``pdf``, by its PDF name."""
    fonts: dict[str, TTFont] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = descriptor["/FontFile2"].get_object().get_data()
                fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(program))
    return fonts


def test_report_fonts_leave_out_the_layout_tables(demo: Path, run: Run, tmp_path: Path) -> None:
    before = list(subset.Options._drop_tables_default)
    out = tmp_path / "r.pdf"
    run("--db", str(demo), "report", "--patient", "Fine Fiona", "-o", str(out))
    fonts = embedded_fonts(out.read_bytes())
    assert fonts and all("DejaVuSans" in name for name in fonts)
    for name, font in fonts.items():
        assert {"glyf", "loca", "head", "hmtx", "cmap"} <= set(font.keys()), name  # what a viewer draws with
        assert not set(style.LAYOUT_TABLES) & set(font.keys()), name
    assert subset.Options._drop_tables_default == before  # the setting ends with the rendering
    # one subset of each font: without ligatures ("ff" in "Side effects", "fl" in "flare") no glyph
    # stands for two characters, which matplotlib would put in a second subset of its font
    faces = [name.split("+", 1)[1] for name in fonts]
    assert sorted(faces) == ["DejaVuSans", "DejaVuSans-Bold"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Side effects" in text and "Fine Fiona" in text


def test_chart_pdf_fonts_leave_out_the_layout_tables(demo: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    run("--db", str(demo), "chart", "-o", str(out))
    fonts = embedded_fonts(out.read_bytes())
    assert fonts and not any(set(style.LAYOUT_TABLES) & set(font.keys()) for font in fonts.values())


def test_without_the_setting_fonttools_keeps_them() -> None:
    """The check above can fail: fontTools' own subsets keep GPOS and GSUB."""
    font = TTFont(io.BytesIO(subset_of_dejavu()))
    assert {"GPOS", "GSUB"} <= set(font.keys())


def subset_of_dejavu() -> bytes:
    from matplotlib import font_manager

    options = subset.Options()
    font = subset.load_font(font_manager.findfont("DejaVu Sans"), options)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text="Fine")
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


PNG_PROBE = """
import sys
from paindiary.cli import main
sys.argv = ["paindiary", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    assert exit.code == 0, exit.code
print("fontTools.subset" in sys.modules)
"""


def test_a_png_chart_does_not_load_the_font_subsetter(demo: Path, tmp_path: Path) -> None:
    """Importing fontTools' subsetter takes about 80 ms: only PDFs need it."""
    import subprocess
    import sys

    args = ["--db", str(demo), "chart", "-o", str(tmp_path / "c.png")]
    loaded = subprocess.run([sys.executable, "-c", PNG_PROBE, *args], capture_output=True, text=True, check=True)
    assert loaded.stdout.splitlines()[-1] == "False", loaded.stderr
    args = ["--db", str(demo), "chart", "-o", str(tmp_path / "c.pdf")]
    loaded = subprocess.run([sys.executable, "-c", PNG_PROBE, *args], capture_output=True, text=True, check=True)
    assert loaded.stdout.splitlines()[-1] == "True", loaded.stderr  # (the check can tell)
