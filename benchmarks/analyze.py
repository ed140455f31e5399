"""Benchmark: ``paindiary analyze --json`` on ten years of data against ``paindiary --version``.

The diary: ten years of entries, two a day (7,305 days), oxycodone twice a day,
100 treatment sessions (20 five-day courses), and a PGIC and a PEG check-in at every
check-in point of every course (days 7-365 after it, up to the next course). The target (issue 3) is at
most 2x the time of ``paindiary --version`` measured in the same run. It also
prints where the time goes inside one run (open, load, analyse, JSON), and
how long reading the rows takes with and without building records.

Run: python benchmarks/analyze.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from timing import median_time, report, script, time_process

from paindiary import analysis, checkins, db, diary, followup, store

YEARS = 10
SESSIONS = 100


def build(path: Path) -> int:
    first = date(2016, 1, 1)
    days = (first.replace(year=first.year + YEARS) - first).days
    entries, meds, sessions = [], [], []
    for n in range(days):
        day = first + timedelta(days=n)
        pain = 4 + (n * 37 % 50) / 10
        for hour, shift in ((9, 0.0), (21, 0.5)):
            stamp = datetime(day.year, day.month, day.day, hour).isoformat()
            entries.append(
                {"recorded_at": stamp, "pain": min(10.0, pain + shift), "enjoyment": pain, "activity": pain,
                 "sleep_hours": 6.5, "sleep_quality": 5, "mood": 5, "tags": ["walk"] if n % 3 else []}
            )  # fmt: skip
            meds.append({"taken_at": stamp, "name": "oxycodone", "dose": 5.0, "dose_unit": "mg"})
    step = days // (SESSIONS // 5)
    for course in range(SESSIONS // 5):
        for k in range(5):
            day = first + timedelta(days=course * step + 10 + k)
            sessions.append({"started_at": datetime(day.year, day.month, day.day, 11).isoformat(), "name": "ketamine"})
    answers = []
    for course in range(SESSIONS // 5):
        last = first + timedelta(days=course * step + 14)
        following = first + timedelta(days=(course + 1) * step + 10)
        for n, point in enumerate(checkins.POINT_DAYS):
            day = last + timedelta(days=point)
            if day >= following or day >= first + timedelta(days=days):
                break
            stamp = datetime(day.year, day.month, day.day, 19).isoformat()
            answers.append({"recorded_at": stamp, "instrument": "pgic", "pgic": 1 + n % 7})
            answers.append({"recorded_at": stamp, "instrument": "peg", "peg_pain": 4, "peg_enjoyment": 3,
                            "peg_activity": 3 + n % 4})  # fmt: skip
    with db.open_db(path) as handle:
        batches = [(store.ENTRIES, entries), (store.TREATMENTS, sessions), (store.MEDICATIONS, meds),
                   (store.ASSESSMENTS, answers)]  # fmt: skip
        total = diary.add_all(handle, batches)
    return total


def breakdown(path: Path) -> None:
    """Where the time of one analysis goes, in-process (best of 3)."""
    steps: dict[str, float] = {}
    for _ in range(3):
        t0 = time.perf_counter()
        conn = db.open_db(path, create=False).conn
        t1 = time.perf_counter()
        entries, sessions = store.select(conn, store.ENTRIES), store.select(conn, store.TREATMENTS)
        meds, answers = store.select(conn, store.MEDICATIONS), store.select(conn, store.ASSESSMENTS)
        t2 = time.perf_counter()
        result = followup.with_assessments(analysis.analyze(entries, sessions, meds), sessions, answers)
        t3 = time.perf_counter()
        json.dumps(result.to_dict(), indent=2)
        t4 = time.perf_counter()
        raw = sqlite3.connect(path)
        for kind in (store.ENTRIES, store.TREATMENTS, store.MEDICATIONS):
            raw.execute(f"SELECT * FROM {kind.table} ORDER BY {kind.time_field}, id").fetchall()
        t5 = time.perf_counter()
        raw.row_factory = sqlite3.Row
        for kind in (store.ENTRIES, store.TREATMENTS, store.MEDICATIONS):
            [store.from_row(kind, row) for row in raw.execute(f"SELECT * FROM {kind.table}")]
        t6 = time.perf_counter()
        raw.close()
        conn.close()
        for name, value in (("open", t1 - t0), ("load records", t2 - t1), ("analyse", t3 - t2),
                            ("json", t4 - t3), ("fetch rows only", t5 - t4),
                            ("fetch + from_row (per-row dicts)", t6 - t5)):  # fmt: skip
            steps[name] = min(steps.get(name, value), value)
    for name, value in steps.items():
        print(f"  in-process {name:<36} {value * 1000:9.1f} ms")
    built = steps["load records"] - steps["fetch rows only"]
    print(f"  building records from rows costs about {built * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        total = build(path)
        print(f"Diary: {total} records ({YEARS} years, 2 entries and 2 doses a day, {SESSIONS} sessions, "
              "PGIC and PEG check-ins), "
              f"built in {time.perf_counter() - start:.1f} s")  # fmt: skip
        exe = script("paindiary")
        env = {"PAINDIARY_DB": str(path)}
        version = median_time(lambda: time_process([exe, "--version"], env=env), args.repeat)
        analyze = median_time(lambda: time_process([exe, "analyze", "--json"], env=env), args.repeat)
        report("paindiary --version", version, version, "--version")
        report("paindiary analyze --json", analyze, version, "--version")
        breakdown(path)
        ratio = analyze / version
        print(f"Target: at most 2.00x --version: {'PASS' if ratio <= 2 else 'FAIL'} ({ratio:.2f}x)")
        sys.exit(0 if ratio <= 2 else 1)


if __name__ == "__main__":
    main()
