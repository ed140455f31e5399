"""Benchmark: reading a large Apple Health export.xml (issue 14) for time, throughput and peak memory.

Generates a synthetic export.xml of the size asked (default 1 GB, ``--mb N`` for
another size) in a temporary folder: per day, a night of watch sleep stages with
the phone's InBed, step samples from the watch and the phone (overlapping), 300
heart rates with metadata, 200 active energy samples and a resting heart rate,
about 260 KB a day (1 GB is about ten years). Then times whole processes on it:

- baselines: a bare ``xml.etree.ElementTree.iterparse`` loop that only counts
  elements (clearing each), the same count with expat's start handler only, and
  lxml's iterparse when lxml is installed (paindiary does not depend on it);
- ``paindiary.io.apple_health.read_apple_health`` on export.xml, on a quarter of
  it (memory should stay flat), and with ``--zip`` on the export zip.

Each row gives the median of ``--repeat`` runs (default 3) in wall-clock and CPU
seconds (user + system: less sensitive to other processes sharing the CPU), MB/s
and the ratio to the iterparse baseline for both, and the peak resident memory
(ru_maxrss of the child process). Targets: peak below 100 MiB,
at least 20 MB/s. The generated files are deleted at the end.

Run: ``python benchmarks/apple_health.py [--mb 1000] [--zip] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_US">
 <ExportDate value="2026-03-15 10:00:00 -0400"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>
"""
WATCH = (
    'sourceName="Sam’s Apple Watch" sourceVersion="10.3" device="&lt;&lt;HKDevice: 0x280c1a3f0&gt;, '
    'name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.3&gt;"'
)
PHONE = (
    'sourceName="Sam’s iPhone" sourceVersion="17.3" device="&lt;&lt;HKDevice: 0x280c1b5e0&gt;, '
    'name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,5, software:17.3&gt;"'
)
STAGES = ["AsleepCore", "AsleepCore", "AsleepDeep", "AsleepREM", "Awake"]

BASELINES = {
    "iterparse, count elements (baseline)": """
import sys, xml.etree.ElementTree as ET
n = 0
for _, element in ET.iterparse(sys.argv[1]):
    n += 1
    element.clear()
print(n)
""",
    "expat start handler, count elements": """
import sys
from xml.parsers import expat
n = 0
def start(name, attrs):
    global n
    n += 1
parser = expat.ParserCreate()
parser.StartElementHandler = start
with open(sys.argv[1], "rb") as f:
    parser.ParseFile(f)
print(n)
""",
    "lxml iterparse, count Records": """
import sys
from lxml import etree
n = 0
for _, element in etree.iterparse(sys.argv[1], tag="Record", huge_tree=True):
    n += 1
    element.clear(keep_tail=True)
    while element.getprevious() is not None:
        del element.getparent()[0]
print(n)
""",
}
READER = """
import sys
from paindiary.io.apple_health import read_apple_health
result = read_apple_health(sys.argv[1])
print(len(result.measurements), sum(result.used.values()), sum(result.skipped.values()))
"""


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def record(kind: str, source: str, unit: str, start: datetime, end: datetime, value: object) -> str:
    return (
        f' <Record type="{kind}" {source} unit="{unit}" creationDate="{stamp(end)}" '
        f'startDate="{stamp(start)}" endDate="{stamp(end)}" value="{value}"/>\n'
    )


def one_day(rng: random.Random, day: datetime) -> str:
    """The records of one day (and the night before it)."""
    out: list[str] = []
    sleep, steps = "HKCategoryTypeIdentifierSleepAnalysis", "HKQuantityTypeIdentifierStepCount"
    moment = day - timedelta(hours=1) + timedelta(minutes=rng.randint(0, 60))
    in_bed = (moment - timedelta(minutes=20), moment + timedelta(hours=8))
    out.append(record(sleep, PHONE, "", *in_bed, "HKCategoryValueSleepAnalysisInBed"))
    for _ in range(14):
        length = timedelta(minutes=rng.randint(10, 50))
        out.append(
            record(sleep, WATCH, "", moment, moment + length, "HKCategoryValueSleepAnalysis" + rng.choice(STAGES))
        )
        moment += length
    for hour in range(7, 23):
        for minute in range(0, 60, 10):
            start = day + timedelta(hours=hour, minutes=minute)
            if rng.random() < 0.6:
                end = start + timedelta(minutes=rng.randint(1, 9))
                out.append(record(steps, WATCH, "count", start, end, rng.randint(0, 120)))
            if rng.random() < 0.4:
                end = start + timedelta(minutes=rng.randint(4, 12))
                out.append(record(steps, PHONE, "count", start + timedelta(minutes=2), end, rng.randint(0, 120)))
    for k in range(300):
        start = day + timedelta(seconds=k * 288 + rng.randint(0, 200))
        out.append(
            f' <Record type="HKQuantityTypeIdentifierHeartRate" {WATCH} unit="count/min" '
            f'creationDate="{stamp(start)}" startDate="{stamp(start)}" endDate="{stamp(start)}" '
            f'value="{rng.randint(50, 130)}">\n'
            '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n </Record>\n'
        )
    for k in range(200):
        start = day + timedelta(seconds=k * 400)
        energy = round(rng.random() * 3, 3)
        out.append(
            record(
                "HKQuantityTypeIdentifierActiveEnergyBurned", WATCH, "kcal", start, start + timedelta(minutes=1), energy
            )
        )
    rest = (day + timedelta(minutes=3), day + timedelta(hours=23))
    out.append(record("HKQuantityTypeIdentifierRestingHeartRate", WATCH, "count/min", *rest, rng.randint(52, 70)))
    return "".join(out)


def generate(path: Path, megabytes: float, seed: int = 14) -> int:
    """Write a synthetic export.xml of about ``megabytes`` MB; returns the number of days."""
    rng = random.Random(seed)
    day = datetime(2016, 1, 1, tzinfo=timezone(timedelta(hours=-5)))
    target, days = megabytes * 1_000_000, 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEAD)
        size = len(HEAD.encode())
        while size < target:
            chunk = one_day(rng, day)
            handle.write(chunk)
            size += len(chunk.encode())
            day += timedelta(days=1)
            days += 1
        handle.write("</HealthData>\n")
    return days


def run(argv: Sequence[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak resident memory (MiB) and stdout of one run of ``argv``."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)  # the output is a line: no pipe fills up
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = (stream.read().decode() if stream else "" for stream in (process.stdout, process.stderr))
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} failed: {err[-500:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip()  # ru_maxrss: KiB on Linux


def measure(argv: Sequence[str], repeat: int) -> tuple[float, float, float, str]:
    """The median wall and CPU seconds of ``repeat`` runs, the largest peak memory, the last output."""
    runs = [run(argv) for _ in range(repeat)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    return wall, cpu, max(r[2] for r in runs), runs[-1][3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000, help="size of the generated export.xml in MB (default 1000)")
    parser.add_argument("--zip", action="store_true", help="also time reading the export zip")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median; default 3)")
    args = parser.parse_args()
    python = sys.executable
    package = subprocess.run(
        [python, "-c", "import paindiary; print(paindiary.__file__)"], capture_output=True, text=True
    )
    compileall.compile_dir(Path(package.stdout.strip()).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="paindiary-bench-", dir="/tmp") as folder:
        work = Path(folder)
        export = work / "export.xml"
        began = time.perf_counter()
        days = generate(export, args.mb)
        megabytes = export.stat().st_size / 1e6
        print(f"export.xml: {megabytes:,.0f} MB, {days:,} days, written in {time.perf_counter() - began:.0f} s\n")
        rows: dict[str, tuple[float, float, float, float]] = {}  # wall s, CPU s, MB, peak MiB
        for label, code in BASELINES.items():
            if "lxml" in label and importlib.util.find_spec("lxml") is None:
                print(f"{label:<44} (lxml is not installed: skipped)")
                continue
            wall, cpu, peak, _ = measure([python, "-c", code, str(export)], args.repeat)
            rows[label] = (wall, cpu, megabytes, peak)
        wall, cpu, peak, out = measure([python, "-c", READER, str(export)], args.repeat)
        rows["paindiary read_apple_health"] = (wall, cpu, megabytes, peak)
        found, used, skipped = out.split()
        print(f"the reader found {found} measurements in {used} records ({skipped} records skipped)\n")
        quarter = work / "quarter.xml"
        generate(quarter, args.mb / 4, seed=15)
        wall, cpu, peak, _ = measure([python, "-c", READER, str(quarter)], args.repeat)
        rows["paindiary read_apple_health, a quarter"] = (wall, cpu, quarter.stat().st_size / 1e6, peak)
        quarter.unlink()
        if args.zip:
            archive = work / "export.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
                handle.write(export, "apple_health_export/export.xml")
            wall, cpu, peak, _ = measure([python, "-c", READER, str(archive)], args.repeat)
            rows["paindiary read_apple_health, the zip"] = (wall, cpu, megabytes, peak)
        base = rows["iterparse, count elements (baseline)"]
        print(f"median of {args.repeat} runs; MB/s of export.xml by wall-clock and by CPU time; load {load()}")
        print(
            f"{'':<44} {'wall s':>7} {'MB/s':>6} {'x base':>7} {'CPU s':>7} {'MB/s':>6} {'x base':>7} {'peak MiB':>9}"
        )
        for label, (wall, cpu, size, peak) in rows.items():
            print(
                f"{label:<44} {wall:7.1f} {size / wall:6.1f} {wall / base[0]:7.2f} "
                f"{cpu:7.1f} {size / cpu:6.1f} {cpu / base[1]:7.2f} {peak:9.1f}"
            )
        wall, cpu, _, peak = rows["paindiary read_apple_health"]
        print(
            f"\nthroughput: {megabytes / wall:.1f} MB/s wall-clock, {megabytes / cpu:.1f} MB/s of CPU time"
            f" (target >= 20); peak memory: {peak:.1f} MiB (target < 100)"
        )


def load() -> str:
    """The load averages (1, 5, 15 minutes): other processes on the machine slow wall-clock times."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"\n(benchmark took {time.perf_counter() - start:.0f} s)")
