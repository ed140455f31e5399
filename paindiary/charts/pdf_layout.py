"""Text pages for the report: headings, paragraphs and tables that flow onto new pages.

A :class:`Flow` lays text out from the top of a page down, in inches, and
starts a new page (repeating a table's header) when the next line does not
fit. Text is wrapped by an estimate of character width, so nothing is cut:
a long note continues on the next page. Builds Figure objects only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.figure import Figure

from paindiary.charts import style
from paindiary.plaintext import CONTROLS

PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
LETTER_TERRITORIES = ("US", "CA")  # where letter paper is the norm (with a few others paindiary does not guess)


def paper_for_locale(environ: Mapping[str, str]) -> str:
    """The paper a locale implies: letter for the US and Canada, A4 otherwise or when the locale says nothing.

    The locale is the first of ``LC_ALL``, ``LC_PAPER`` and ``LANG`` that is set (POSIX precedence),
    e.g. ``en_US.UTF-8`` (letter), ``fr_CA`` (letter), ``de_DE.UTF-8`` (a4), ``C`` (a4).
    """
    value = next((environ[name] for name in ("LC_ALL", "LC_PAPER", "LANG") if environ.get(name)), "")
    territory = value.split(".")[0].split("@")[0].partition("_")[2].upper()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


MARGIN = 0.6  # inches around the page
HEADER = 0.55  # the running header at the top of every page
FOOTER = 0.5
chars_for = style.chars_for


def wrap(text: str, width: int) -> list[str]:
    """Wrap each paragraph of ``text``; long words are broken rather than cut."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]
    return lines


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the text width
    align: str = "left"


class Flow:
    """Pages of text for one part of the report."""

    def __init__(self, paper: tuple[float, float], running_head: str) -> None:
        self.width, self.height = paper
        self.running_head = running_head
        self.pages: list[Figure] = []
        self.y = 0.0  # inches from the bottom of the current page
        self.new_page()

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def page(self) -> Figure:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(new_page((self.width, self.height), self.running_head))
        self.y = self.height - MARGIN - HEADER

    def _fits(self, height: float) -> bool:
        return self.y - height >= MARGIN + FOOTER

    def _text(self, x: float, text: str, **kwargs: Any) -> None:
        line(self.page, x / self.width, self.y / self.height, text, **kwargs)

    def space(self, inches: float) -> None:
        self.y -= inches

    def heading(self, text: str, size: float = 12) -> None:
        if not self._fits(0.9):  # keep a heading with what follows
            self.new_page()
        elif self.y < self.height - MARGIN - HEADER - 0.01:
            self.y -= 0.15  # space above a heading that does not open the page
        self.y -= size / 72 * 1.6
        self._text(MARGIN, text, fontsize=size, weight="bold")
        self.y -= 0.08

    def paragraph(self, text: str, size: float = 9, color: str = style.BLACK, indent: float = 0.0, **kw: Any) -> None:
        step = size / 72 * 1.35
        for line in wrap(text, chars_for(self.text_width - indent, size)):
            if not self._fits(step):
                self.new_page()
            self.y -= step
            self._text(MARGIN + indent, line, fontsize=size, color=color, **kw)

    def figure(self, height: float, draw: Callable[[Figure, tuple[float, float, float, float]], None]) -> None:
        """Reserve ``height`` inches of the page (a new page if it does not fit) and let ``draw`` fill that box.

        ``draw`` gets the page and the box (left, bottom, width, height in inches) as the charts' draw functions take.
        """
        if not self._fits(height):
            self.new_page()
        self.y -= height
        draw(self.page, (MARGIN - 0.1, self.y, self.width - 2 * MARGIN + 0.2, height))

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], size: float = 7.5) -> None:
        """A table whose rows wrap inside their columns and flow onto new pages with the header repeated."""
        step = size / 72 * 1.3
        total = sum(c.width for c in columns)
        widths = [c.width / total * self.text_width for c in columns]
        lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths))]

        def cells(values: Sequence[str]) -> list[list[str]]:
            return [wrap(v, chars_for(w - 0.08, size)) for v, w in zip(values, widths, strict=True)]

        header = cells([c.title for c in columns])

        def draw(lines: list[list[str]], weight: str, shade: bool) -> None:
            height = max(len(c) for c in lines) * step + 0.06
            if shade:
                self.page.add_artist(_band(self, self.y - height, height))
            top = self.y
            for col, left, width, text in zip(columns, lefts, widths, lines, strict=True):
                y = top
                for text_line in text:
                    y -= step
                    x = left + width - 0.06 if col.align == "right" else left + 0.02
                    line(self.page, x / self.width, y / self.height, text_line, align=col.align, fontsize=size,
                             weight=weight)  # fmt: skip
            self.y = top - height

        def draw_header() -> None:
            draw(header, "bold", False)
            self.page.add_artist(_rule(self, self.y + 0.02))

        if not self._fits((max(len(c) for c in header) + 2) * step + 0.2):
            self.new_page()
        self.y -= 0.06
        draw_header()
        for i, row in enumerate(rows):
            lines = cells(row)
            if not self._fits(max(len(c) for c in lines) * step + 0.06):
                self.new_page()
                draw_header()
            draw(lines, "normal", i % 2 == 1)
        self.page.add_artist(_rule(self, self.y - 0.01))


def _rule(flow: Flow, y: float) -> Any:
    from matplotlib.lines import Line2D

    x = [MARGIN / flow.width, (flow.width - MARGIN) / flow.width]
    return Line2D(x, [y / flow.height] * 2, transform=flow.page.transFigure, color=style.GREY, lw=0.6)


def _band(flow: Flow, bottom: float, height: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (MARGIN / flow.width, bottom / flow.height),
        flow.text_width / flow.width,
        height / flow.height,
        transform=flow.page.transFigure,
        color="#F2F2F2",
        lw=0,
        zorder=0,
    )


def new_page(paper: tuple[float, float], running_head: str) -> Figure:
    """A blank page with the running header line."""
    width, height = paper
    page = style.figure(width, height)
    y = (height - MARGIN - 0.15) / height
    head = style.shorten(running_head, chars_for(width - 2 * MARGIN, 8))  # a long patient name: an ellipsis
    line(page, MARGIN / width, y, head, fontsize=8, color=style.GREY)
    page.add_artist(
        _line(page, MARGIN / width, (width - MARGIN) / width, (height - MARGIN - 0.25) / height),
    )
    return page


def _line(page: Figure, x0: float, x1: float, y: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([x0, x1], [y, y], transform=page.transFigure, color=style.LIGHT, lw=0.8)


def number_pages(pages: Sequence[Figure], footer: str) -> None:
    """Write ``footer · page i of n`` at the bottom of every page."""
    for i, page in enumerate(pages, start=1):
        width, height = page.get_size_inches()
        line(page, MARGIN / width, (MARGIN * 0.6) / height, footer, fontsize=7.5, color=style.GREY)
        line(page, (width - MARGIN) / width, (MARGIN * 0.6) / height, f"page {i} of {len(pages)}", fontsize=7.5,
             color=style.GREY, align="right")  # fmt: skip


class Line(Artist):
    """One line of text on a page, drawn as a ``Text`` with ``va="baseline"`` draws it, without its layout.

    A page of the report holds hundreds of them (table cells, wrapped paragraphs); ``Text`` lays
    each out before drawing it (shaping it once more, and building its box), though a line aligned
    on its baseline needs none of that: left-aligned it is drawn at its point, right-aligned at its
    point less its width. Drawn as written, like :func:`paindiary.charts.style.literal` makes every
    ``Text``: control characters removed, no mathtext, no ligatures. ``(x, y)``: figure fractions.
    """

    def __init__(self, x: float, y: float, text: str, *, fontsize: float, color: str, weight: str, align: str) -> None:
        from matplotlib.font_manager import FontProperties

        super().__init__()
        self.xy, self.text, self.color, self.align = (x, y), CONTROLS.sub("", text), color, align
        self.prop = FontProperties(size=fontsize, weight=weight)

    def get_text(self) -> str:
        return self.text

    def get_fontfeatures(self) -> tuple[str, ...]:  # (read by the PDF renderer, as from a Text)
        return style.NO_LIGATURES

    def get_language(self) -> None:
        return None

    def draw(self, renderer: Any) -> None:
        from matplotlib.colors import to_rgba

        if not self.get_visible() or not self.text:
            return
        x, y = self.get_transform().transform(self.xy)
        if self.align == "right":
            x -= renderer.get_text_width_height_descent(self.text, self.prop, ismath=False)[0]
        gc = renderer.new_gc()
        gc.set_foreground(to_rgba(self.color), isRGBA=True)
        gc.set_alpha(None)
        gc.set_antialiased(True)
        gc.set_clip_rectangle(None)  # (the whole page, as a figure's text)
        gc.set_clip_path(None)
        renderer.draw_text(gc, x, y, self.text, self.prop, 0.0, ismath=False, mtext=self)
        gc.restore()


def line(
    page: Figure, x: float, y: float, text: str, *, fontsize: float, color: str = style.BLACK, weight: str = "normal",
    align: str = "left",
) -> None:  # fmt: skip
    """Add a :class:`Line` at figure fractions ``(x, y)`` of ``page`` (its baseline at ``y``)."""
    artist = Line(x, y, text, fontsize=fontsize, color=color, weight=weight, align=align)
    artist.set_transform(page.transFigure)
    page.add_artist(artist)
