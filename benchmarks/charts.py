"""Benchmark: ``paindiary chart`` and ``paindiary report`` against a bare matplotlib script.

The diary: ten years of daily entries (3,653 days, every score and sleep),
oxycodone every day and 40 treatment sessions (ten 4-session courses). The
baseline is a bare matplotlib script on the same data read from a CSV file:
one line plot of daily pain with 40 vertical lines, saved to PNG at 150 dpi.
Targets (issue 4), measured in one run: the trend chart (all default panels)
at most 2x the baseline; the report (default period, 6 months) at most 4x.
It also prints where the chart's time goes inside one process.

Run: python benchmarks/charts.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from timing import median_time, report, script, time_process

from paindiary import db, diary, store

YEARS = 10
SESSIONS = 40

BASELINE = """
import csv, sys
from datetime import date
from matplotlib.figure import Figure

with open(sys.argv[1], newline="") as handle:
    rows = list(csv.DictReader(handle))
days = [date.fromisoformat(row["day"]) for row in rows]
pain = [float(row["pain"]) for row in rows]
sessions = [date.fromisoformat(line) for line in open(sys.argv[2]).read().split()]
fig = Figure(figsize=(11, 6))
ax = fig.add_subplot()
ax.plot(days, pain)
for day in sessions:
    ax.axvline(day)
fig.savefig(sys.argv[3], dpi=150)
"""


def build(folder: Path) -> tuple[Path, Path, Path, int]:
    """The diary, the CSV of daily pain and the list of session days; and the number of records."""
    first = date(2016, 1, 1)
    days = (first.replace(year=first.year + YEARS) - first).days
    entries, meds, sessions = [], [], []
    for n in range(days):
        day = first + timedelta(days=n)
        pain = round(4 + (n * 37 % 50) / 10, 1)
        entries.append(
            {"recorded_at": datetime(day.year, day.month, day.day, 21).isoformat(), "pain": pain,
             "worst_pain": min(10.0, pain + 1), "least_pain": pain - 1, "enjoyment": pain, "activity": pain,
             "sleep_hours": 6.5, "sleep_quality": 5, "mood": 5}
        )  # fmt: skip
        meds.append({"taken_at": datetime(day.year, day.month, day.day, 8).isoformat(), "name": "oxycodone",
                     "dose": 5.0, "dose_unit": "mg"})  # fmt: skip
    step = days // (SESSIONS // 4)
    for course in range(SESSIONS // 4):
        for k in range(4):
            day = first + timedelta(days=course * step + 30 + k)
            sessions.append({"started_at": datetime(day.year, day.month, day.day, 9).isoformat(), "name": "ketamine"})
    path = folder / "bench.db"
    with db.open_db(path) as opened:
        batches = [(store.ENTRIES, entries), (store.TREATMENTS, sessions), (store.MEDICATIONS, meds)]
        total = diary.add_all(opened, batches)
    table = folder / "pain.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["day", "pain"])
        writer.writerows([e["recorded_at"][:10], e["pain"]] for e in entries)
    session_days = folder / "sessions.txt"
    session_days.write_text("\n".join(s["started_at"][:10] for s in sessions) + "\n")
    return path, table, session_days, total


def breakdown(path: Path) -> None:
    """Where the time of one trend chart goes, in-process (best of 3, after a warm-up)."""
    from paindiary.charts import data as chart_data
    from paindiary.charts import style, trend

    steps: dict[str, float] = {}
    for _ in range(4):
        t0 = time.perf_counter()
        conn = db.open_db(path, create=False).conn
        records = [store.select(conn, kind) for kind in (store.ENTRIES, store.TREATMENTS, store.MEDICATIONS)]
        t1 = time.perf_counter()
        data = chart_data.build(*records)
        t2 = time.perf_counter()
        plan = chart_data.plan_trend(data)
        fig = trend.trend_figure(plan, data)
        t3 = time.perf_counter()
        style.render(fig, "png")
        t4 = time.perf_counter()
        conn.close()
        for name, value in (("load records", t1 - t0), ("analysis (chart data)", t2 - t1),
                            ("plan + build figure", t3 - t2), ("render PNG", t4 - t3)):  # fmt: skip
            steps[name] = min(steps.get(name, value), value)
    for name, value in steps.items():
        print(f"  in-process {name:<36} {value * 1000:9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        start = time.perf_counter()
        path, table, session_days, total = build(folder)
        print(f"Diary: {total} records ({YEARS} years of daily entries and doses, {SESSIONS} sessions), "
              f"built in {time.perf_counter() - start:.1f} s")  # fmt: skip
        exe = script("paindiary")
        env = {"PAINDIARY_DB": str(path)}
        bare = [sys.executable, "-c", BASELINE, str(table), str(session_days), str(folder / "bare.png")]
        baseline = median_time(lambda: time_process(bare), args.repeat)
        chart = median_time(lambda: time_process([exe, "chart", "-o", str(folder / "t.png")], env=env), args.repeat)
        pdf = median_time(lambda: time_process([exe, "report", "-o", str(folder / "r.pdf")], env=env), args.repeat)
        version = median_time(lambda: time_process([exe, "--version"], env=env), args.repeat)
        report("bare matplotlib script (CSV, 1 line, 40 vlines)", baseline, baseline, "baseline")
        report("paindiary --version", version, baseline, "baseline")
        report("paindiary chart (trend, all panels)", chart, baseline, "baseline")
        report("paindiary report (default period)", pdf, baseline, "baseline")
        breakdown(path)
        results = [("chart", chart / baseline, 2.0), ("report", pdf / baseline, 4.0)]
        for label, ratio, target in results:
            print(f"Target: {label} at most {target:.2f}x baseline: {'PASS' if ratio <= target else 'FAIL'} "
                  f"({ratio:.2f}x)")  # fmt: skip
        sys.exit(0 if all(ratio <= target for _, ratio, target in results) else 1)


if __name__ == "__main__":
    main()
