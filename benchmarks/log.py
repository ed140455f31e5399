"""How fast is ``paindiary log``? Whole processes against a bare ``python -c pass``.

Run: python benchmarks/log.py [--repeat 20]
Prints the median time of each and the ratio to the baseline measured in the
same run, on an empty diary and on one holding ten years of entries (two a day).
Target: log within jrnl's 13-17x of a bare interpreter; ten years within 10% of empty.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_time, report, script, time_process

from paindiary import db, diary, store


def ten_year_diary(path: Path) -> int:
    start = date(2016, 1, 1)
    rows = []
    for day in range(3650):
        stamp = (start + timedelta(days=day)).isoformat()
        rows.append({"recorded_at": f"{stamp}T08:00:00", "pain": day % 11, "sleep_hours": 7})
        rows.append({"recorded_at": f"{stamp}T20:00:00", "pain": (day + 3) % 11, "mood": 5, "note": "evening"})
    with db.open_db(path) as handle:
        return diary.add_all(handle, [(store.ENTRIES, rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    paindiary = script("paindiary")
    counter = itertools.count()

    def log(path: Path) -> float:
        second = next(counter)
        at = f"2026-01-01T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        return time_process([paindiary, "log", "5", "--sleep", "7", "--at", at, "--db", str(path)])

    with tempfile.TemporaryDirectory() as folder:
        empty, full = Path(folder) / "empty.db", Path(folder) / "ten-years.db"
        count = ten_year_diary(full)
        baseline = median_time(lambda: time_process([sys.executable, "-c", "pass"]), args.repeat)
        report("python -c pass", baseline, baseline, "baseline")
        t_empty = median_time(lambda: log(empty), args.repeat)
        report("paindiary log (empty diary)", t_empty, baseline, "baseline")
        t_full = median_time(lambda: log(full), args.repeat)
        report(f"paindiary log (ten years, {count} entries)", t_full, baseline, "baseline")
        print(f"ten-year diary vs empty: {t_full / t_empty:.3f}x")


if __name__ == "__main__":
    main()
