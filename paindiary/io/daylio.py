"""Daylio's CSV export, read as diary entries (mood, tags and a note).

Current header: ``full_date,date,weekday,time,mood,activities,note_title,note``;
older exports: ``year,date,weekday,time,mood,activities,note``, whose ``date``
is read only when it names the month in words ("5 June", "June 5"), the one
way to tell day from month for sure. Rows come newest first; times are
``9:05 pm`` or ``21:05``. Mood labels map to 0-10 (:data:`MOODS`, changed or
extended with ``--mood-map``), activities (``a | b``) become tags, and the
note title and note become the note.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from paindiary.errors import PaindiaryError, ValidationError
from paindiary.io import ONE_KIND, Format, ReadOptions, RecordItem, Records, Section
from paindiary.io.json_format import chunked
from paindiary.io.source import csv_error, csv_reader, header_row

MOODS: dict[str, float] = {"awful": 0.0, "bad": 2.5, "meh": 5.0, "good": 7.5, "rad": 10.0}
HEADER = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
OLD_HEADER = ("year", "date", "weekday", "time", "mood", "activities", "note")
HEADERS = (HEADER, OLD_HEADER)

_Reader = Any  # a csv.reader
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?", re.IGNORECASE)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name: number for number, full in enumerate(_MONTH_NAMES, 1) for name in (full, full[:3])} | {"sept": 9}
_DAY_MONTH = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?")
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits: "²" is a digit to str.isdigit, but int() refuses it
_MONTH_DAY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?")


def _clock(text: str) -> str:
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValidationError("time", text, "a time such as 9:05 pm or 21:05")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise ValidationError("time", text, "a time such as 9:05 pm or 21:05")
        hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError("time", text, "a time such as 9:05 pm or 21:05")
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def _old_date(year: str, text: str) -> str:
    accepted = "a day and a month name, such as 5 June or June 5 (numeric dates are ambiguous)"
    words = text.strip()
    match = _DAY_MONTH.fullmatch(words)
    day, month = (match[1], match[2]) if match else (None, None)
    if match is None:
        match = _MONTH_DAY.fullmatch(words)
        day, month = (match[2], match[1]) if match else (None, None)
    number = _MONTHS.get((month or "").lower())
    if day is None or number is None:
        raise ValidationError("date", text, accepted)
    if not _YEAR.fullmatch(year.strip()):
        raise ValidationError("year", year, "a year of four digits 0-9, e.g. 2024")
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


def _note(title: str, body: str) -> str:
    if title.strip() and body.strip():
        return f"{title}\n{body}"
    return title if title.strip() else body


def _entry(row: Mapping[str, str], moods: Mapping[str, float]) -> dict[str, object]:
    day = row["full_date"].strip() if "full_date" in row else _old_date(row["year"], row["date"])
    label = row["mood"].strip()
    mood = moods.get(label.lower())
    if mood is None:
        known = ", ".join(moods)
        raise PaindiaryError(
            f"mood: {label!r} is not a mood label paindiary knows ({known}); add --mood-map '{label}=VALUE' (0-10)."
        )
    tags = [tag.strip() for tag in row["activities"].split(" | ") if tag.strip()]
    return {
        "recorded_at": f"{day}T{_clock(row['time'])}",
        "mood": mood,
        "tags": tags,
        "note": _note(row.get("note_title", ""), row["note"]),
    }


def _items(reader: _Reader, header: tuple[str, ...], moods: Mapping[str, float]) -> Iterator[RecordItem]:
    number = 0
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise csv_error(reader, exc) from None
        if row is None:
            return
        if not row:
            start = reader.line_num + 1
            continue
        number += 1
        item: object
        try:
            if len(row) != len(header):
                raise PaindiaryError(f"this row has {len(row)} cells where the header has {len(header)}.")
            item = _entry(dict(zip(header, row, strict=True)), moods)
        except PaindiaryError as exc:
            item = exc
        yield number, start, item
        start = reader.line_num + 1


def read(stream: TextIO, options: ReadOptions) -> list[Section]:
    reader = csv_reader(stream)
    header = tuple(header_row(reader, "The file is empty: a Daylio export starts with a header row."))
    if header not in HEADERS:
        raise PaindiaryError(
            "This is not a Daylio CSV export: expected the header "
            f"{','.join(HEADER)} (or the older {','.join(OLD_HEADER)}); found {','.join(header)}."
        )
    moods = {**MOODS, **{label.lower(): value for label, value in options.mood_map.items()}}
    return [Records(chunked(_items(reader, header, moods)), "entries", fixed_fields=True)]


# Daylio exports are .csv files too: import them with --format daylio. Their layout is fixed.
FORMAT = Format(
    name="daylio",
    description="Daylio",
    kinds=ONE_KIND,
    read=read,
    mappable=False,
)
