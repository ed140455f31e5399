"""The look every chart and report page shares, and turning figures into file bytes.

Readable printed in black and white: the Okabe-Ito colour-blind-safe palette,
always paired with a marker and a line style. Deterministic output: a fixed
SVG hash salt, no creation dates, Type 42 (TrueType) fonts embedded in PDFs.
Text is drawn as written: mathtext and TeX are off for every text (so "$20 and $5"
stays dollars and a note of ``$\\foo$`` cannot break a chart), and :func:`literal`
removes control characters from every text of a figure before it is saved.
This module imports matplotlib; import it only when a chart is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from paindiary.plaintext import CONTROLS

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#6E6E6E"
LIGHT = "#D9D9D9"
# Shading that stays apart printed in grey (tests/test_trend_view.py renders to grey and compares):
BAND_ALPHA = 0.22  # the least-to-worst band: SKY over white, grey level about 232
FOLLOWUP = "#C4C4C4"  # follow-up windows: a flat mid-light grey, level 196
MME_ALPHA = 0.9  # the MME fill: ORANGE over white, level about 170
BASELINE_HATCH = "////"  # baseline windows: a hatch (a pattern, not a level), in HATCH lines
HATCH = "#9E9E9E"

# One (colour, marker, line style) per series: distinguishable in colour and in grey print.
SERIES = (
    (BLUE, "o", "-"),
    (VERMILION, "s", "--"),
    (GREEN, "^", "-."),
    (PURPLE, "D", ":"),
    (ORANGE, "v", "-"),
    (SKY, "P", "--"),
    (BLACK, "X", "-."),
    (GREY, "*", ":"),
)

FORMATS = ("png", "svg", "pdf")
DEFAULT_DPI = 150
HASH_SALT = "paindiary"
# zlib level of PNG files: the same pixels as the default 6, encoded in about 60% of the time, files about 12% larger
# (a ten-year trend chart: 0.11 s instead of 0.17 s, 549 kB instead of 489 kB; benchmarks/charts.py)
PNG_COMPRESSION = 3
# PNG text drawn without the font's hints: FreeType ran DejaVu's TrueType hinting program for every
# glyph drawn, half the time of a chart's text (a ten-year trend chart's 1,300 glyphs: ~60 ms); at
# 150 dpi the hints only snapped stems to whole pixels, and at 60 dpi they made a 5 look like a 6.
# (PDF and SVG text is never hinted.)
PNG_RC: Any = {"text.hinting": "no_hinting"}

RC: Any = {  # typed loosely: matplotlib's stubs list every key as a Literal
    "svg.hashsalt": HASH_SALT,
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": DEFAULT_DPI,
    "path.simplify": True,
    "text.parse_math": False,  # "$" is a dollar sign, never mathtext
    "text.usetex": False,
}


# Tables of a TrueType font that a PDF viewer never reads (the text's glyphs are placed when the PDF is
# written, kerning included): left out of the font subsets a PDF embeds. fontTools decompiles them to
# subset them, the larger part of finishing a report (0.12 s a subset, 0.04 s without; a report has four).
LAYOUT_TABLES = ("GPOS", "GSUB", "GDEF", "JSTF", "BASE", "MATH", "kern")


@contextmanager
def rc() -> Iterator[None]:
    """Apply paindiary's settings while figures are built and saved."""
    with matplotlib.rc_context(RC):
        yield


@contextmanager
def lean_pdf_fonts() -> Iterator[None]:
    """Font subsets made inside this block (matplotlib's PDF backend uses fontTools) leave out :data:`LAYOUT_TABLES`.

    For writing PDFs only (importing fontTools' subsetter takes about 80 ms). Through fontTools'
    default list of tables to drop, which every ``subset.Options`` copies; a fontTools without
    that list subsets as before (tests/test_report_pdf_fonts.py notices).
    """
    from fontTools import subset

    defaults = getattr(subset.Options, "_drop_tables_default", None)
    if not isinstance(defaults, list):
        yield
        return
    subset.Options._drop_tables_default = defaults + [tag for tag in LAYOUT_TABLES if tag not in defaults]
    try:
        yield
    finally:
        subset.Options._drop_tables_default = defaults


def figure(width: float, height: float) -> Figure:
    """A new figure (inches), not registered with pyplot."""
    return Figure(figsize=(width, height), dpi=100)


def literal(fig: Figure) -> Figure:
    """Every text of ``fig`` drawn as written: no mathtext or TeX, control characters removed, no ligatures.

    (Without ligatures each character is its own glyph: "fi" stays two letters, and a PDF embeds
    one subset of each font instead of two, matplotlib putting glyphs of several characters in
    a second one: finishing a report takes about 60 ms less.)

    The ticks an axis has not made yet are left to the drawing (``findobj`` would make them
    all, running every locator once more: 30-50 ms of a ten-year trend chart): their labels
    are the numbers and dates of the axis's formatter, not stored text, and are made under
    :func:`rc` (mathtext and TeX off) when the figure is saved.
    """
    for artist in _texts(fig):
        artist.set_parse_math(False)
        artist.set_usetex(False)
        if hasattr(artist, "set_fontfeatures"):  # (matplotlib 3.11 shapes text; older versions draw no ligatures)
            artist.set_fontfeatures(NO_LIGATURES)
        text = artist.get_text()
        clean = CONTROLS.sub("", text)
        if clean != text:
            artist.set_text(clean)
    return fig


def _texts(fig: Figure) -> Iterator[Any]:
    """Every Text of ``fig`` (as ``findobj(Text)``), but of each axis's ticks only those it has made."""
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    stack: list[Any] = [fig]
    while stack:
        artist = stack.pop()
        if isinstance(artist, Text):
            yield artist
        if isinstance(artist, Axis):  # (Axis.get_children makes the ticks the locator asks for)
            made = vars(artist)
            stack += [artist.label, artist.offsetText, *made.get("majorTicks", ()), *made.get("minorTicks", ())]
        else:
            stack += artist.get_children()


NO_LIGATURES = ("-liga", "-clig", "-dlig")  # OpenType features turned off for every text (see literal)
CHAR_EM = 0.56  # a generous average character width (DejaVu Sans), in ems
PATIENT_LINES = 2  # lines a patient's name may take in a chart's header (then it ends in an ellipsis)
PATIENT_SIZE = 9.5  # points
PATIENT_LINE = 0.19  # inches a line of the patient header takes


def chars_for(width_in: float, size: float) -> int:
    """How many characters of text at ``size`` points fit in ``width_in`` inches."""
    return max(4, int(width_in * 72 / (size * CHAR_EM)))


def shorten(text: str, chars: int) -> str:
    """``text`` in at most ``chars`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= chars else text[: max(0, chars - 1)].rstrip() + "…"


def patient_lines(patient: str | None, width_in: float) -> list[str]:
    """The header lines naming the patient in a chart ``width_in`` inches wide: wrapped, then shortened.

    A name of any length never reaches into the title or past the figure's edge: it takes at most
    :data:`PATIENT_LINES` lines, the last ending in an ellipsis when the name is longer.
    """
    if not patient:
        return []
    import textwrap

    chars = chars_for(width_in, PATIENT_SIZE)
    lines = textwrap.wrap(f"Patient: {patient}", chars, break_on_hyphens=False) or [""]
    if len(lines) > PATIENT_LINES:
        lines = [*lines[: PATIENT_LINES - 1], shorten(" ".join(lines[PATIENT_LINES - 1 :]), chars)]
    return lines


def draw_patient(fig: Any, patient: str | None, left: float, top: float, width_in: float) -> float:
    """Write the patient header from ``top`` (inches from the figure's bottom) down; returns the height used."""
    fig_w, fig_h = fig.get_size_inches()
    lines = patient_lines(patient, width_in)
    for i, line in enumerate(lines):
        y = top - 0.2 - i * PATIENT_LINE
        fig.text(left / fig_w, y / fig_h, line, fontsize=PATIENT_SIZE, color=BLACK, va="baseline")
    return len(lines) * PATIENT_LINE


def plain(text: str) -> str:
    """Text for a file's metadata (title, author): control characters removed."""
    return CONTROLS.sub("", text)


def _metadata(fmt: str, title: str | None) -> dict[str, Any]:
    """No dates (so output is reproducible); the title when there is one."""
    meta: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}.get(fmt, {})
    meta["Creator" if fmt != "png" else "Software"] = "paindiary"
    if title:
        meta["Title"] = plain(title)
    return meta


def render(fig: Figure, fmt: str, *, dpi: int = DEFAULT_DPI, title: str | None = None) -> bytes:
    """The bytes of ``fig`` saved as ``fmt`` (png, svg or pdf); the same figure gives the same bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    buffer = io.BytesIO()
    png: dict[str, Any] = {"pil_kwargs": {"compress_level": PNG_COMPRESSION}} if fmt == "png" else {}
    with (
        rc(),
        matplotlib.rc_context(PNG_RC) if fmt == "png" else nullcontext(),
        lean_pdf_fonts() if fmt == "pdf" else nullcontext(),
    ):
        literal(fig).savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fmt, title), **png)
    return buffer.getvalue()


def date_axis(ax: Any, start: date, end: date) -> None:
    """Dates on the x axis from ``start`` to ``end`` (inclusive), labelled compactly."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(
        locator,
        formats=["%Y", "%b %Y", "%d", "%H:%M", "%H:%M", "%S"],
        zero_formats=["", "%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M"],
        show_offset=False,
    )
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlim(mdates.date2num(start), mdates.date2num(end) + 1)
