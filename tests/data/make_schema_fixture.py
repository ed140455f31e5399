"""Write tests/data/schema-vN.db and schema-vN.expected.json for the current schema version N.

Run once when a release changes the schema (after adding its migration), with that
release's code, and commit both files; never regenerate an older version's fixture:
tests/test_migrations.py upgrades every committed fixture to the current schema and
checks that its records survive. Usage: python tests/data/make_schema_fixture.py
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from paindiary import db, demo, diary, store

HERE = Path(__file__).resolve().parent

# Values that have tripped up storage code elsewhere: unicode, whole-day and timed
# records, empty and repeated lists, extreme but valid numbers, multi-line notes.
EDGE_ENTRIES = [
    {"recorded_at": "2025-12-31", "note": "Nouvel an 🎆 — pas de douleur notée.\nSecond line; with, punctuation"},
    {"recorded_at": "2026-01-01T00:00:00", "pain": 0, "worst_pain": 10, "least_pain": 0, "tags": ["ß", "new year"]},
    {"recorded_at": "2026-01-02T23:59:59", "sleep_hours": 24, "sleep_quality": 0, "mood": 10, "tags": []},
    {"recorded_at": "2026-01-03", "pain": 7.25, "enjoyment": 9.5, "activity": 0.1, "note": "'quotes' \"double\""},
]
EDGE_TREATMENTS = [
    {
        "started_at": "2026-01-05T08:00:00",
        "name": "Nerve block",
        "side_effects": [{"name": "numbness", "severity": None}, {"name": "soreness", "severity": 2.5}],
        "note": "Injection site: left L4/L5",
    },
]
EDGE_MEDICATIONS = [
    {"taken_at": "2026-01-05", "name": "Paracétamol", "dose": 0.5, "dose_unit": "g"},
    {"taken_at": "2026-01-05", "name": "Ibuprofen", "dose": 400, "dose_unit": "mg", "note": "with food"},
]

EDGE_MEASUREMENTS = [  # (schema 2 on)
    {"day": "2026-01-05", "metric": "sleep_minutes", "value": 431.5, "source": "apple-health"},
    {"day": "2026-01-05", "metric": "sleep_minutes", "value": 0, "source": "oura"},
    {"day": "2026-01-05", "metric": "steps", "value": 200000, "source": "fitbit"},
    {"day": "2026-01-06", "metric": "resting_hr", "value": 20, "source": "Ring · ß"},
]
EDGE_ASSESSMENTS = [  # (schema 3 on)
    {"recorded_at": "2026-01-12T18:00:00", "instrument": "pgic", "pgic": 2, "note": "Much better — mostly"},
    {
        "recorded_at": "2026-01-12T18:00:00",
        "instrument": "peg",
        "peg_pain": 4,
        "peg_enjoyment": 3.5,
        "peg_activity": 10,
    },
    {"recorded_at": "2026-02-04", "instrument": "pgic", "pgic": 7},
    {"recorded_at": "2026-02-04", "instrument": "peg", "peg_pain": 0, "peg_enjoyment": 0, "peg_activity": 0},
]
# Times in a repeated (fall-back) hour, stored with their UTC offset (schema 4 on); written with SQL,
# since whether a local time repeats depends on the time zone the script runs in.
EDGE_WITH_OFFSET = [
    ("entries", "recorded_at", "2026-11-01T01:30:00-04:00", "pain, note", (4, "first 01:30 (New York)")),
    ("entries", "recorded_at", "2026-11-01T01:30:00-05:00", "pain, note", (5, "second 01:30")),
    ("treatments", "started_at", "2026-10-25T02:15:00+01:00", "name", ("ketamine",)),
    ("medications", "taken_at", "2026-10-25T02:15:00+02:00", "name, dose, dose_unit", ("oxycodone", 5, "mg")),
]


def main() -> None:
    version = db.SCHEMA_VERSION
    target = HERE / f"schema-v{version}.db"
    expected = HERE / f"schema-v{version}.expected.json"
    if target.exists() or expected.exists():
        sys.exit(f"{target.name} already exists: fixtures of released versions are never regenerated.")
    sample = demo.build(date(2026, 3, 15))
    handle = db.open_db(target)
    conn = handle.conn
    diary.add_all(
        handle,
        [
            (store.ENTRIES, [*EDGE_ENTRIES, *sample.entries]),
            (store.TREATMENTS, [*EDGE_TREATMENTS, *sample.treatments]),
            (store.MEDICATIONS, [*EDGE_MEDICATIONS, *sample.medications]),
            (store.MEASUREMENTS, EDGE_MEASUREMENTS),
            (store.ASSESSMENTS, EDGE_ASSESSMENTS),
        ],
    )
    with handle.transaction():
        for table, time_field, stamp, columns, values in EDGE_WITH_OFFSET:
            marks = ", ".join("?" * (len(values) + 1))
            conn.execute(f"INSERT INTO {table} ({time_field}, {columns}) VALUES ({marks})", (stamp, *values))
    records = {name: [record.to_dict() for record in store.select(conn, kind)] for name, kind in store.KINDS.items()}
    conn.execute("VACUUM")
    conn.close()
    expected.write_text(json.dumps({"schema_version": version, **records}, ensure_ascii=False, indent=1) + "\n")
    print(f"Wrote {target.name} and {expected.name}: " + ", ".join(f"{len(v)} {k}" for k, v in records.items()))


if __name__ == "__main__":
    main()
