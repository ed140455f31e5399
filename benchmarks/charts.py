"""Benchmark: ``paindiary chart`` and ``paindiary report`` against a bare matplotlib script.

The diary (issue 12): ten years of two entries a day (7,306 entries, every score and
sleep, each with a short note of a sentence or two), 40 treatment sessions (ten
4-session ketamine courses, the last inside the report's default period) and five
medications: oxycodone tapering from 20 to 5 mg twice a day, pregabalin 75 mg twice a
day, duloxetine 60 mg every morning, ondansetron 4 mg on session days and ibuprofen
400 mg as needed (on about half of the days). The baseline is a bare matplotlib script
on the same points read from a CSV file: one line of the daily pain values (the mean of
the day's entries), saved to PNG at 150 dpi.
Targets (issue 12), measured in one run: ``paindiary chart -o c.png`` at most 1.5x the
baseline; ``paindiary report -o r.pdf`` (default period, 6 months) at most 2.5x.
It also prints where the chart's and the report's time goes inside one process.

Run: python benchmarks/charts.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from timing import interleaved, report, script, time_process

from paindiary import db, diary, store

YEARS = 10
SESSIONS = 40
COURSE_SESSIONS = 4

BASELINE = """
import csv, sys
from datetime import date
from matplotlib.figure import Figure

with open(sys.argv[1], newline="") as handle:
    rows = list(csv.DictReader(handle))
days = [date.fromisoformat(row["day"]) for row in rows]
pain = [float(row["pain"]) for row in rows]
fig = Figure(figsize=(11, 6))
ax = fig.add_subplot()
ax.plot(days, pain)
fig.savefig(sys.argv[2], dpi=150)
"""

OPENINGS = (
    "Woke stiff and sore", "Slept badly", "A quiet morning", "Back pain after the school run",
    "Better than yesterday", "Headache since lunch", "Long day at work", "Rain again, joints ache",
    "Walked the dog for twenty minutes", "Physio exercises done", "Could not sit through the film",
    "Gardened for an hour", "Pain woke me at 3am", "Visited my sister", "Stayed in bed until ten",
)  # fmt: skip
ENDINGS = (
    "Took it easy in the afternoon.", "Heat pad helped a little.", "Felt sick after the tablets.",
    "Mood fine, just tired.", "Needed a nap.", "Stretching eased it by evening.", "Burning in the left leg.",
    "No real change.", "Managed the shopping.", "Skipped the walk.", "Worse after driving.",
    "Pins and needles in both feet.", "Dizzy when standing up.",
)  # fmt: skip


def note(n: int, evening: int) -> str:
    """A short note of one or two sentences, varying from entry to entry."""
    opening = OPENINGS[(n * 7 + evening * 3) % len(OPENINGS)]
    if (n + evening) % 3 == 0:
        return f"{opening}."
    return f"{opening}, {ENDINGS[(n * 5 + evening) % len(ENDINGS)].lower()} {ENDINGS[(n * 11 + 4) % len(ENDINGS)]}"


def stamp(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour).isoformat()


def build(folder: Path) -> tuple[Path, Path, int]:
    """The diary and the CSV of daily pain; and the number of records."""
    first = date(2016, 1, 1)
    days = (first.replace(year=first.year + YEARS) - first).days
    step = days // (SESSIONS // COURSE_SESSIONS)
    session_days = {
        first + timedelta(days=course * step + 250 + k)
        for course in range(SESSIONS // COURSE_SESSIONS)
        for k in range(COURSE_SESSIONS)
    }
    entries, meds, sessions, daily = [], [], [], []
    for n in range(days):
        day = first + timedelta(days=n)
        pain = round(4 + (n * 37 % 50) / 10, 1)
        values = []
        for evening, hour in enumerate((9, 21)):
            value = min(10.0, pain + 0.5 * evening)
            values.append(value)
            tags = ["flare"] if n % 23 == 0 and evening else ["walk"] if n % 3 == 0 else []
            entries.append(
                {"recorded_at": stamp(day, hour), "pain": value, "worst_pain": min(10.0, value + 1),
                 "least_pain": value - 1, "enjoyment": value, "activity": value, "sleep_hours": 6.5,
                 "sleep_quality": 5, "mood": 5, "note": note(n, evening), "tags": tags}
            )  # fmt: skip
        daily.append((day.isoformat(), sum(values) / len(values)))
        oxycodone = 20.0 - 2.5 * (n * 7 // days)  # 20 mg down to 5 mg, a step every 17 months or so
        for hour in (8, 20):
            meds.append({"taken_at": stamp(day, hour), "name": "oxycodone", "dose": oxycodone, "dose_unit": "mg"})
            meds.append({"taken_at": stamp(day, hour), "name": "pregabalin", "dose": 75.0, "dose_unit": "mg"})
        meds.append({"taken_at": stamp(day, 8), "name": "duloxetine", "dose": 60.0, "dose_unit": "mg"})
        for k in range((n * 13 % 7) // 2):  # 0-3 doses, on about half of the days
            meds.append({"taken_at": stamp(day, 12 + 3 * k), "name": "ibuprofen", "dose": 400.0, "dose_unit": "mg"})
        if day in session_days:
            meds.append({"taken_at": stamp(day, 10), "name": "ondansetron", "dose": 4.0, "dose_unit": "mg"})
            sessions.append(
                {"started_at": stamp(day, 11), "name": "ketamine", "dose": 0.5, "dose_unit": "mg/kg",
                 "duration_min": 40.0, "systolic_before": 124, "diastolic_before": 78, "systolic_after": 138,
                 "diastolic_after": 86, "heart_rate_before": 72, "heart_rate_after": 84,
                 "note": "Infusion went well; a little dizzy afterwards."}
            )  # fmt: skip
    path = folder / "bench.db"
    with db.open_db(path) as opened:
        batches = [(store.ENTRIES, entries), (store.TREATMENTS, sessions), (store.MEDICATIONS, meds)]
        total = diary.add_all(opened, batches)
    table = folder / "pain.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["day", "pain"])
        writer.writerows(daily)
    return path, table, total


@contextmanager
def _timed_pdf() -> Iterator[dict[str, float]]:
    """Seconds spent in PdfPages.savefig (drawing each page) and PdfPages.close (writing the fonts), while inside."""
    from matplotlib.backends.backend_pdf import PdfPages

    spent = {"savefig": 0.0, "close": 0.0}
    originals = {name: getattr(PdfPages, name) for name in spent}

    def timed(name: str) -> Any:
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return originals[name](self, *args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    for name in spent:
        setattr(PdfPages, name, timed(name))
    try:
        yield spent
    finally:
        for name, original in originals.items():
            setattr(PdfPages, name, original)


def breakdown(path: Path) -> None:
    """Where the time of one trend chart and one report goes, in-process (best of 3, after a warm-up)."""
    from paindiary.charts import data as chart_data
    from paindiary.charts import report as reporting
    from paindiary.charts import report_period, style, trend

    steps: dict[str, float] = {}
    for _ in range(4):
        t0 = time.perf_counter()
        with db.open_db(path, create=False) as handle:
            records = store.load_diary(handle.conn)
        t1 = time.perf_counter()
        data = chart_data.build(*records)
        t2 = time.perf_counter()
        plan = chart_data.plan_trend(data)
        fig = trend.trend_figure(plan, data)
        t3 = time.perf_counter()
        style.render(fig, "png")
        t4 = time.perf_counter()
        since, until = reporting.default_period(*records, since=None, until=None)
        part, span = report_period.part_for_report(records, since)  # (as the report command reads it)
        report_data = chart_data.build(*part, since=since, until=until, diary=span)
        t5 = time.perf_counter()
        content = reporting.build(report_data, *part)
        t6 = time.perf_counter()
        with _timed_pdf() as pdf_steps:
            reporting.render_pdf(content, "a4")
        t7 = time.perf_counter()
        drawn, fonts = pdf_steps["savefig"], pdf_steps["close"]
        for name, value in (("chart: load records", t1 - t0), ("chart: analysis (chart data)", t2 - t1),
                            ("chart: plan + build figure", t3 - t2), ("chart: render PNG", t4 - t3),
                            ("report: analysis (chart data)", t5 - t4), ("report: content", t6 - t5),
                            ("report: build the page figures", t7 - t6 - drawn - fonts),
                            ("report: draw the pages (text layout)", drawn),
                            ("report: finish the file (fonts subsetted)", fonts)):  # fmt: skip
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
        path, table, total = build(folder)
        print(f"Diary: {total} records ({YEARS} years of two entries a day with notes, 5 medications, "
              f"{SESSIONS} sessions), built in {time.perf_counter() - start:.1f} s")  # fmt: skip
        exe = script("paindiary")
        env = {"PAINDIARY_DB": str(path)}
        runs = itertools.count()

        def output(suffix: str) -> str:  # a new file each run: the commands never replace a file
            return str(folder / f"{next(runs)}.{suffix}")

        bare = [sys.executable, "-c", BASELINE, str(table)]
        floor = [sys.executable, "-c", "import matplotlib.figure, matplotlib.backends.backend_agg"]
        commands: dict[str, Callable[[], list[str]]] = {
            "baseline": lambda: [*bare, output("png")],
            "floor": lambda: floor,
            "version": lambda: [exe, "--version"],
            "chart": lambda: [exe, "chart", "-o", output("png")],
            "report": lambda: [exe, "report", "-o", output("pdf")],
        }
        cpu: dict[str, list[float]] = {name: [] for name in commands}

        def timed(name: str) -> Callable[[], float]:
            def run() -> float:  # wall seconds; the process's CPU seconds (user + system) go to cpu[name]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                wall = time_process(commands[name](), env=env)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                return wall

            return run

        times = interleaved({name: timed(name) for name in commands}, args.repeat)
        cpus = {name: statistics.median(values[1:]) for name, values in cpu.items()}  # (not the warm-up)
        print(f"Median of {args.repeat} runs each, the commands taking turns (after a warm-up round). On a shared")
        print("machine wall seconds vary with the load; CPU seconds (user + system) vary less: compare the ratios.")
        labels = {
            "baseline": "bare matplotlib script (CSV, 1 line, PNG)",
            "floor": "python + import matplotlib (nothing drawn)",
            "version": "paindiary --version",
            "chart": "paindiary chart -o c.png (trend)",
            "report": "paindiary report -o r.pdf (default period)",
        }
        for name, label in labels.items():
            report(label, times[name], times["baseline"], "baseline")
            report("  (CPU seconds)", cpus[name], cpus["baseline"], "baseline CPU")
        breakdown(path)
        baseline = times["baseline"]
        results = [("chart", times["chart"] / baseline, 1.5), ("report", times["report"] / baseline, 2.5)]
        for label, ratio, target in results:
            print(f"Target: {label} at most {target:.2f}x baseline ({baseline * 1000:.0f} ms): "
                  f"{'PASS' if ratio <= target else 'FAIL'} ({ratio:.2f}x; in CPU seconds "
                  f"{cpus[label] / cpus['baseline']:.2f}x of {cpus['baseline'] * 1000:.0f} ms)")  # fmt: skip
        sys.exit(0 if all(ratio <= target for _, ratio, target in results) else 1)


if __name__ == "__main__":
    main()
