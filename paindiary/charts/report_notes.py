"""The report's notes: chosen, not dumped (issue 12), and fitted to at most one page.

The choice is pure; :func:`write` puts the notes on the report's pages. A note is chosen when it is

- an entry's, written within a course's baseline or follow-up window;
- a treatment session's;
- an entry's tagged with one of the chosen tags: ``--notes-tag TAG`` (repeatable), or by
  default every tag the patient used on at most :data:`RARE_SHARE` of the logged days of
  the period, which picks out flares and events over routine.

Chosen notes are listed newest first and the report shows as many as fit one page
(:func:`fit`), then says how many other notes the period holds and how to see them.
``--all-notes`` shows every note of the period, oldest first, as earlier versions did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from paindiary import when
from paindiary.models import Entry, Medication, Treatment

RARE_SHARE = 0.10  # a tag on at most this share of the logged days is an event worth a note


@dataclass(frozen=True)
class Note:
    """One note as the report prints it: when, what it belongs to, the text."""

    when: str
    what: str
    text: str


def all_notes(
    entries: Iterable[Entry], treatments: Iterable[Treatment], medications: Iterable[Medication], start: str, end: str
) -> list[Note]:
    """Every note written in ``start .. end``, oldest first."""
    found: list[Note] = []
    for e in entries:
        if e.note and start <= e.recorded_at[:10] <= end:
            found.append(Note(e.recorded_at, "diary entry" + ("" if e.pain is None else f", pain {e.pain:g}"), e.note))
    for t in treatments:
        if t.note and start <= t.started_at[:10] <= end:
            found.append(Note(t.started_at, f"session: {t.name}", t.note))
    for m in medications:
        if m.note and start <= m.taken_at[:10] <= end:
            found.append(Note(m.taken_at, f"medication: {m.name} {m.dose:g} {m.dose_unit}", m.note))
    return sorted(found, key=lambda note: when.order_key(note.when))


def rare_tags(entries: Iterable[Entry], start: str, end: str) -> tuple[str, ...]:
    """The tags used on at most :data:`RARE_SHARE` of the period's logged days, in name order."""
    days: set[str] = set()
    tag_days: dict[str, set[str]] = {}
    for e in entries:
        day = e.recorded_at[:10]
        if start <= day <= end:
            days.add(day)
            for tag in e.tags:
                tag_days.setdefault(tag, set()).add(day)
    if not days:
        return ()
    return tuple(sorted(tag for tag, used in tag_days.items() if len(used) <= RARE_SHARE * len(days)))


def chosen_notes(
    entries: Iterable[Entry],
    treatments: Iterable[Treatment],
    windows: Sequence[tuple[str, str]],
    tags: Sequence[str],
    start: str,
    end: str,
) -> list[Note]:
    """The chosen notes of ``start .. end`` (see the module's docstring), newest first."""
    wanted = set(tags)
    found: list[Note] = []
    for e in entries:
        day = e.recorded_at[:10]
        if not e.note or not start <= day <= end:
            continue
        in_window = any(first <= day <= last for first, last in windows)
        tagged = sorted(wanted.intersection(e.tags))
        if in_window or tagged:
            what = "diary entry" + ("" if e.pain is None else f", pain {e.pain:g}")
            if tagged:
                what += f", tagged {', '.join(tagged)}"
            found.append(Note(e.recorded_at, what, e.note))
    for t in treatments:
        if t.note and start <= t.started_at[:10] <= end:
            found.append(Note(t.started_at, f"session: {t.name}", t.note))
    return sorted(found, key=lambda note: when.order_key(note.when), reverse=True)


def fit(notes: Sequence[Note], height: Callable[[Note], float], room: float) -> tuple[list[Note], bool]:
    """The first ``notes`` whose heights add up to at most ``room``; True when the first alone is taller.

    A first note taller than the room is still shown (shortened by the caller), so a chosen
    note never silently disappears.
    """
    shown: list[Note] = []
    used = 0.0
    for note in notes:
        need = height(note)
        if used + need > room:
            return (shown, False) if shown else ([note], True)
        shown.append(note)
        used += need
    return shown, False


def other_notes_line(others: int, start: str, end: str) -> str:
    """The line after the notes: how many others the period holds, and how to see them."""
    if others <= 0:
        return ""
    many = "note" if others == 1 else "notes"
    return (
        f"{others} other {many} of the period {'is' if others == 1 else 'are'} not shown here: see every note with "
        f"'paindiary entry list --since {start} --until {end} --json' (and 'treatment list', 'med list'), "
        "or 'paindiary report --all-notes'."
    )


def write(
    flow: Any, notes: Sequence[Note], *, count: int, every: bool, tags: Sequence[str], start: str, end: str
) -> None:
    """The report's notes on ``flow`` (a :class:`paindiary.charts.pdf_layout.Flow`).

    With ``every``, all notes of the period, oldest first; otherwise the chosen ones, newest first,
    as many as fit one page, then a line saying how many others the period holds (``count`` in all).
    """
    from paindiary.charts import style
    from paindiary.charts.pdf_layout import FOOTER, HEADER, MARGIN, chars_for, wrap

    if every:
        flow.heading("Notes written in the period")
        if not notes:
            flow.paragraph("No notes were written in this period.")
        for note in notes:
            _write_note(flow, note)
        return
    flow.heading("Notes chosen for this report")
    tagged = f", and of entries tagged {', '.join(tags)}" if tags else ""
    flow.paragraph(
        f"Newest first: notes of treatment sessions and of entries in each course's baseline and follow-up "
        f"windows{tagged}.",
        8,
        style.GREY,
    )

    def lines(text: str, size: float, indent: float = 0.0) -> int:
        return len(wrap(text, chars_for(flow.text_width - indent, size)))

    def height(note: Note) -> float:
        return 0.06 + lines(_head(note), 8.5) * 8.5 / 72 * 1.35 + lines(note.text, 9, 0.2) * 9 / 72 * 1.35

    room = flow.height - 2 * MARGIN - HEADER - FOOTER - 0.6  # one page, less the heading and the last line
    shown, cut = fit(notes, height, room)
    if not notes:
        flow.paragraph("No note of the period was chosen." if count else "No notes were written in this period.")
    for note in shown:
        if cut:  # a single chosen note longer than a page: its first page's worth
            keep = int(room / (9 / 72 * 1.35)) - 2
            text = "\n".join(wrap(note.text, chars_for(flow.text_width - 0.2, 9))[:keep]) + " …"
            note = Note(note.when, note.what, text)
        _write_note(flow, note)
    line = other_notes_line(count - len(shown), start, end)
    if cut:
        line = ("The newest chosen note is shortened to a page. " + line).strip()
    if line:
        flow.space(0.08)
        flow.paragraph(line, 8, style.GREY)


def _head(note: Note) -> str:
    return f"{note.when.replace('T', ' ')[:16]}{note.when[19:]} · {note.what}"


def _write_note(flow: Any, note: Note) -> None:
    flow.space(0.06)
    flow.paragraph(_head(note), 8.5, weight="bold")
    flow.paragraph(note.text, 9, indent=0.2)
