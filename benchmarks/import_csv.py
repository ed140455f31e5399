"""Benchmark: importing a 100,000-row entries CSV, fully validated (issue 5).

Compares, in one run, whole processes on the same file, taking turns (median of REPEAT rounds):
- ``paindiary import`` into a fresh diary;
- a plain script: the csv module + sqlite3 ``executemany`` in one transaction into a
  bare table (the issue's baseline), and the same into paindiary's own schema
  (with the least conversion it needs: empty cells as NULL, tags as JSON);
- ``sqlite-utils insert --csv`` into a fresh table;
then prints ratios and each one's peak memory, and paindiary's peak memory for
files of growing size (it should stay flat).

paindiary's modules are byte-compiled first, as they are in an installed package
(``pip install`` compiles them; an editable install caches them on first use unless
``PYTHONDONTWRITEBYTECODE`` is set, which would otherwise add compiling paindiary's
source, about 20 ms, to every paindiary run; the baseline only imports the standard
library, which is compiled already).

Run: ``python benchmarks/import_csv.py [ROWS] [REPEAT]``.
"""

from __future__ import annotations

import compileall
import csv
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import interleaved, median_time, report, script, time_process

HEADER = ["recorded_at", "pain", "worst_pain", "least_pain", "enjoyment", "activity", "sleep_hours",
          "sleep_quality", "mood", "note", "tags"]  # fmt: skip
NOTES = ["after a long walk", "bad night, woke at 3", 'felt better, "finally"', "headache, neck stiff"]
TAGS = ["walk", "flare", "work", "rain", "ketamine", "physio"]

PLAIN_BARE = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    header = next(rows)
    conn.execute(f"CREATE TABLE entries ({', '.join(header)})")
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * len(header))})", rows)
    conn.execute("COMMIT")
"""

PLAIN_SCHEMA = """
import csv, json, sqlite3, sys
from paindiary import db
from pathlib import Path
conn = db.open_db(Path(sys.argv[2])).conn
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    header = next(rows)
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO entries ({', '.join(header)}) VALUES ({', '.join('?' * len(header))})",
        ([*(cell or None for cell in row[:-1]), json.dumps(row[-1].split(";") if row[-1] else [])] for row in rows),
    )
    conn.execute("COMMIT")
"""


def write_csv(path: Path, rows: int) -> Path:
    """A realistic diary: several entries a day, PEG items, sleep, mood, some notes and tags."""
    rng = random.Random(5)
    moment = datetime(2000, 1, 1, 8, 0, 0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            moment += timedelta(hours=rng.choice([6, 8, 12]), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
            least = rng.randint(0, 5)
            pain = least + rng.randint(0, 3)
            worst = min(10, pain + rng.randint(0, 3))
            note = rng.choice(NOTES) if rng.random() < 0.2 else (f"note {i}, its own" if rng.random() < 0.05 else "")
            tags = ";".join(rng.sample(TAGS, rng.randint(0, 2)))
            enjoyment, activity, quality, mood = (rng.randint(0, 10) for _ in range(4))
            sleep = rng.choice([5, 6, 6.5, 7, 7.5, 8])
            writer.writerow(
                [moment.isoformat(), pain, worst, least, enjoyment, activity, sleep, quality, mood, note, tags]
            )
    return path


def peak_kb(argv: Sequence[str]) -> int:
    """Peak resident memory (KiB) of one run of ``argv``."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()[-500:] if process.stderr else ''}")
    return int(usage.ru_maxrss)  # KiB on Linux


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    python, paindiary, sqlite_utils = sys.executable, script("paindiary"), script("sqlite-utils")
    package = subprocess.run(
        [python, "-c", "import paindiary; print(paindiary.__file__)"], capture_output=True, text=True
    )
    compileall.compile_dir(Path(package.stdout.strip()).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        data = write_csv(work / "entries.csv", rows)
        fresh = (work / f"run{n}.db" for n in itertools.count())
        commands = {
            "plain csv + sqlite3 executemany (bare table)": lambda db: [python, "-c", PLAIN_BARE, str(data), db],
            "plain script into paindiary's schema": lambda db: [python, "-c", PLAIN_SCHEMA, str(data), db],
            "paindiary import": lambda db: [paindiary, "--db", db, "import", str(data)],
            "sqlite-utils insert --csv": lambda db: [sqlite_utils, "insert", db, "entries", str(data), "--csv"],
            "paindiary --version (start-up only)": lambda db: [paindiary, "--version"],
        }
        if not Path(sqlite_utils).exists():  # not a paindiary dependency: compared only when installed
            print("(sqlite-utils is not installed here: 'pip install sqlite-utils' to compare with it)\n")
            del commands["sqlite-utils insert --csv"]
        print(
            f"{rows:,} rows, {data.stat().st_size / 1e6:.1f} MB; median of {repeat} runs, "
            "the commands taking turns after a warm-up round\n"
        )
        # the commands take turns (the load of a shared machine changes from minute to minute); sqlite-utils,
        # about 10 s a run, is timed once after them
        slow = [label for label in commands if "sqlite-utils" in label]
        times = interleaved(
            {label: lambda argv=argv: time_process(argv(str(next(fresh)))) for label, argv in commands.items()
             if label not in slow},
            repeat,
        )  # fmt: skip
        for label in slow:
            times[label] = median_time(lambda argv=commands[label]: time_process(argv(str(next(fresh)))), 1)
        base = times["plain csv + sqlite3 executemany (bare table)"]
        for label, seconds in times.items():
            report(label, seconds, base, "plain")
        ours = times["paindiary import"]
        schema = times["plain script into paindiary's schema"]
        print(f"\npaindiary import vs plain (bare table):       {ours / base:5.2f}x  (target <= 2.5x)")
        print(f"paindiary import vs plain (paindiary schema): {ours / schema:5.2f}x")
        if "sqlite-utils insert --csv" in times:
            slower = times["sqlite-utils insert --csv"] / ours
            print(f"sqlite-utils vs paindiary import:             {slower:5.2f}x slower (target >= 3x)")
        print("\nPeak memory (MiB):")
        for label in [name for name in commands if name != "paindiary --version (start-up only)"][:1] + [
            name for name in ("paindiary import", "sqlite-utils insert --csv") if name in commands
        ]:
            print(f"  {label:<46} {peak_kb(commands[label](str(next(fresh)))) / 1024:7.1f}")
        for size in (rows // 10, rows, rows * 3):
            sized = write_csv(work / f"e{size}.csv", size)
            kb = peak_kb([paindiary, "--db", str(next(fresh)), "import", str(sized)])
            print(f"  paindiary import, {size:>9,} rows ({sized.stat().st_size / 1e6:5.1f} MB)      {kb / 1024:7.1f}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"\n(benchmark took {time.perf_counter() - start:.0f} s)")
