"""A synthetic patient's diary for ``paindiary demo``: about four months of data.

The story: chronic pain around 6.5/10 with daily noise and missed days, a
three-session ketamine course after six weeks that brings pain down for a few
weeks, a single booster when relief fades, and oxycodone tapering as pain
falls. Each entry has a value of every metric of :mod:`paindiary.registry` that
declares how the demo draws it. After each course the patient answers follow-up
check-ins (PGIC and the past-week PEG, :data:`CHECKINS`), drawn from the diary
itself without randomness; the PEG of the booster's day-14 check-in is missed and
its day-30 check-in falls due on ``today``, so ``paindiary due`` has something to
say. Pure and deterministic: the same ``today`` and ``seed`` give the same diary.

``demo`` never touches a diary it did not write. :func:`write` marks the demo
diary with one row in SQLite's own statistics table, ``sqlite_stat1``
(``tbl = 'paindiary-demo'``, ``stat`` = a SHA-256 fingerprint of every record),
and replaces an existing file only if it carries that mark and its records still
match the fingerprint: a diary someone logged into, edited or emptied since is
refused, like any other diary. Why there: the header's two user fields are taken
(``application_id`` marks a diary, ``user_version`` its schema), a table or row of
our own would be a schema change that restore's layout check and the migrations
would have to know about, while every part of paindiary already ignores
``sqlite_*`` tables, SQLite's query planner ignores a row naming no table, and
backups copy it (a copy of an untouched demo is a demo). Added columns a
migration leaves empty do not change the fingerprint (empty values are left out).
"""

from __future__ import annotations

import os
import random
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from paindiary import registry
from paindiary.errors import PaindiaryError

DAYS = 120
COURSE_START = 45  # day index of the first infusion
COURSE_SESSIONS = 3
BOOSTER = 95
COURSE_END = COURSE_START + COURSE_SESSIONS - 1  # the first course's last session day (Dk)
# follow-up check-ins: (day index of the course's last session, check-in day, days off that day, instruments)
CHECKINS = (
    (COURSE_END, 7, 1, ("pgic", "peg")),
    (COURSE_END, 14, 0, ("pgic", "peg")),
    (COURSE_END, 30, -2, ("pgic", "peg")),
    (BOOSTER, 7, 0, ("pgic", "peg")),
    (BOOSTER, 14, 1, ("pgic",)),  # the PEG is missed: overdue
)


@dataclass
class DemoDiary:
    entries: list[dict[str, Any]] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)
    medications: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)


def _clamp(value: float, low: float = 0.0, high: float = 10.0) -> float:
    return round(min(high, max(low, value)), 1)


def _relief(day: int) -> float:
    """How many points of pain the infusions take away on day index ``day``."""
    relief = 0.0
    if day >= COURSE_START:
        since = day - (COURSE_START + COURSE_SESSIONS - 1)
        peak = 3.2
        if since <= 0:
            relief = peak * 0.5 * (day - COURSE_START + 1) / COURSE_SESSIONS
        elif since <= 18:
            relief = peak
        else:
            relief = max(0.0, peak - 0.4 * (since - 18))
    if day >= BOOSTER:
        since = day - BOOSTER
        relief = max(relief, 2.8 if since <= 18 else max(0.0, 2.8 - 0.3 * (since - 18)))
    return relief


def _draw(rng: random.Random, values: dict[str, float], *, first: bool) -> None:
    """Draw each metric of the registry that has a demo recipe (those drawn first, or the rest), in order."""
    for metric in registry.METRICS:
        if metric.demo is not None and metric.demo_first == first:
            values[metric.name] = _clamp(metric.demo(rng, values), float(metric.low), float(metric.high))


def _stamp(day: date, hour: int, minute: int) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat()


def build(today: date, seed: int = 7) -> DemoDiary:
    """The demo diary ending the day before ``today``."""
    rng = random.Random(seed)
    first = today - timedelta(days=DAYS)
    diary = DemoDiary()
    tags_pool = ["walk", "flare", "physio", "poor sleep", "work", "weather"]
    for index in range(DAYS):
        day = first + timedelta(days=index)
        if rng.random() < 0.08:  # a missed day
            continue
        values: dict[str, float] = {"relief": _relief(index)}
        _draw(rng, values, first=True)  # the values the others follow (pain, sleep hours)
        recorded_at = _stamp(day, 21, rng.randrange(0, 50)) if rng.random() < 0.8 else day.isoformat()
        _draw(rng, values, first=False)
        del values["relief"]
        entry: dict[str, Any] = {"recorded_at": recorded_at, **values}
        entry["tags"] = sorted(set(rng.sample(tags_pool, rng.choice([0, 0, 1, 1, 2]))))
        pain = values["pain"]
        if pain >= 7.5:
            entry["tags"] = sorted({*entry["tags"], "flare"})
            entry["note"] = "Bad flare today; stayed in bed most of the afternoon."
        elif rng.random() < 0.06:
            entry["note"] = rng.choice(
                ["Managed a 20-minute walk.", "Physio session, sore afterwards.", "Slept badly, woke at 4am."]
            )
        diary.entries.append(entry)
        _doses(diary, rng, index, day)
    for index in [*range(COURSE_START, COURSE_START + COURSE_SESSIONS), BOOSTER]:
        _session(diary, rng, index, first + timedelta(days=index))
    _checkins(diary, first)
    return diary


def _pgic(relief: float) -> int:
    """The demo patient's PGIC: much improved while the infusions help, minimally as relief fades."""
    return 2 if relief >= 2.5 else 3 if relief >= 1.0 else 4


def _checkins(diary: DemoDiary, first: date) -> None:
    """The follow-up check-ins of :data:`CHECKINS`: PGIC from the day's relief, the PEG from the past week's entries."""
    for last, day, off, instruments in CHECKINS:
        index = last + day + off
        when = first + timedelta(days=index)
        week = [
            e for e in diary.entries if (when - timedelta(days=6)).isoformat() <= e["recorded_at"][:10] <= str(when)
        ]
        for instrument in instruments:
            answer: dict[str, Any] = {"recorded_at": _stamp(when, 19, 30), "instrument": instrument}
            if instrument == "pgic":
                answer["pgic"] = _pgic(_relief(index))
            else:
                for item, metric in (
                    ("peg_pain", "pain"),
                    ("peg_enjoyment", "enjoyment"),
                    ("peg_activity", "activity"),
                ):
                    answer[item] = float(round(sum(e[metric] for e in week) / len(week)))
            diary.assessments.append(answer)


def _doses(diary: DemoDiary, rng: random.Random, index: int, day: date) -> None:
    """Oxycodone: 10 mg twice a day, tapering to 5 mg twice right after the course, then once."""
    if index < COURSE_START + COURSE_SESSIONS:
        doses = [(8, 10.0), (20, 10.0)]
    elif index < COURSE_START + 30:
        doses = [(8, 5.0), (20, 5.0)]
    else:
        doses = [(20, 5.0)]
    for hour, amount in doses:
        diary.medications.append(
            {
                "taken_at": _stamp(day, hour, rng.randrange(0, 30)),
                "name": "oxycodone",
                "dose": amount,
                "dose_unit": "mg",
            }
        )
    if rng.random() < 0.25:
        diary.medications.append(
            {"taken_at": _stamp(day, 13, 0), "name": "ibuprofen", "dose": 400.0, "dose_unit": "mg"}
        )


def _session(diary: DemoDiary, rng: random.Random, index: int, day: date) -> None:
    booster = index == BOOSTER
    diary.treatments.append(
        {
            "started_at": _stamp(day, 9, 0),
            "name": "ketamine infusion",
            "dose": 0.5,
            "dose_unit": "mg/kg/h",
            "duration_min": 240,
            "route": "IV",
            "provider": "Pain clinic",
            "heart_rate_before": rng.randrange(66, 78),
            "heart_rate_after": rng.randrange(80, 94),
            "systolic_before": rng.randrange(118, 128),
            "diastolic_before": rng.randrange(76, 82),
            "systolic_after": rng.randrange(130, 142),
            "diastolic_after": rng.randrange(82, 90),
            "side_effects": [
                {"name": "nausea", "severity": float(rng.randrange(2, 5))},
                {"name": "dissociation", "severity": float(rng.randrange(4, 8))},
            ],
            "note": "Booster infusion." if booster else None,
        }
    )


MARK = "paindiary-demo"  # sqlite_stat1.tbl of the row marking a demo diary


def fingerprint(conn: sqlite3.Connection) -> str:
    """SHA-256 of every record of the diary (empty values left out), in id order."""
    import hashlib
    import json

    from paindiary import db

    digest = hashlib.sha256()
    for table in db.TABLES:
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
        names = [column[0] for column in cursor.description]
        for row in cursor:
            values = {name: value for name, value in zip(names, row, strict=True) if value is not None}
            digest.update(json.dumps([table, values], sort_keys=True).encode())
    return digest.hexdigest()


def is_untouched_demo(path: Path) -> bool:
    """True if ``path`` is a demo diary written by :func:`write` whose records nobody changed since."""
    from paindiary import db

    try:
        conn = db.connect_existing(path)
    except PaindiaryError:
        return False
    try:
        row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = ? AND idx IS NULL", (MARK,)).fetchone()
        return row is not None and row[0] == fingerprint(conn)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def check_target(target: Path, default: Path | None = None) -> bool:
    """May ``demo`` write ``target``? True to replace an untouched demo, False for a new file.

    Raises :class:`PaindiaryError` for anything else, suggesting ``default``
    (where ``paindiary demo`` writes without --db) when ``target`` is not it.
    """
    from paindiary import db

    if not os.path.lexists(target):
        return False
    if not db.is_paindiary(target):
        raise PaindiaryError(f"{target} exists and is not a paindiary diary; choose another file with --db.")
    if is_untouched_demo(target):
        return True
    if default is not None and target.resolve() != default.resolve():
        hint = f"Run 'paindiary demo' to write ./{default}, or pick an empty path with --db."
    else:
        hint = "Move it away, or pick an empty path with --db."
    raise PaindiaryError(f"{target} holds your own diary; demo did not touch it. {hint}")


def write(target: Path, today: date, default: Path | None = None) -> int:
    """Write the demo diary to ``target`` (replacing an untouched earlier demo); returns the record count.

    The diary is built and marked (see the module's docstring) under a temporary
    name and then put in place, so ``target`` is never half-written; anything at
    ``target`` but an untouched demo is refused (:func:`check_target`).
    """
    from paindiary import db, diary, files
    from paindiary.store import ASSESSMENTS, ENTRIES, MEDICATIONS, TREATMENTS

    replace = check_target(target, default)
    data = build(today)
    files.make_private_dirs(target.parent)
    tmp = target.with_name(f"{files.temp_prefix(target.name)}tmp")
    try:
        with db.open_db(tmp) as handle:
            total = diary.add_all(
                handle,
                [
                    (ENTRIES, data.entries),
                    (TREATMENTS, data.treatments),
                    (MEDICATIONS, data.medications),
                    (ASSESSMENTS, data.assessments),
                ],
            )
            with handle.transaction() as conn:
                conn.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1, without statistics
                conn.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, NULL, ?)", (MARK, fingerprint(conn)))
        if replace:
            os.replace(tmp, target)
        else:
            files.put_in_place(tmp, target)  # never over a file that appeared meanwhile
    except FileExistsError:
        raise PaindiaryError(f"{target} appeared while the demo was written; run 'paindiary demo' again.") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return total
