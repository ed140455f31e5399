"""Benchmark: backup, restore and doctor on a large diary (issue 6).

Makes a diary of ROWS entries (default 100,000, with notes) by ``paindiary import``, then
times whole processes, each against baselines measured in the same run:
- ``paindiary backup`` (VACUUM INTO a 0600 temporary file, fsync, integrity_check, rename)
  against ``cp`` of the same file and a plain Python script using sqlite3's backup API;
- ``paindiary doctor`` against a plain script running ``PRAGMA integrity_check``;
- ``paindiary restore --yes`` (check, upgrade copy, safety copy, swap in one transaction)
  against ``cp`` of the backup over the diary.

Run: ``python benchmarks/backup.py [ROWS] [REPEAT]``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_time, report, script, time_process

PLAIN_BACKUP = """
import sqlite3, sys
src = sqlite3.connect(sys.argv[1]); dst = sqlite3.connect(sys.argv[2])
src.backup(dst); dst.close(); src.close()
"""
PLAIN_CHECK = """
import sqlite3, sys
assert sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
"""


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    work = Path(tempfile.mkdtemp())
    diary = work / "diary.db"
    env = {"PAINDIARY_DB": str(diary)}
    csv = work / "entries.csv"
    with open(csv, "w") as handle:
        handle.write("recorded_at,pain,sleep_hours,mood,note,tags\n")
        for i in range(rows):
            day, minute = divmod(i, 1440)
            date = f"{1900 + day // 336:04d}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
            stamp = f"{date}T{minute // 60:02d}:{minute % 60:02d}:00"
            handle.write(f"{stamp},{i % 11},7.5,{i % 9},a note about day {i} and how it went,walk;rain\n")
    time_process([script("paindiary"), "import", str(csv)], env=env)
    size = diary.stat().st_size
    print(f"diary: {rows} entries, {size / 1e6:.1f} MB; median of {repeat} runs\n")

    def fresh(name: str) -> Path:
        target = work / name
        target.unlink(missing_ok=True)
        return target

    cp = median_time(lambda: time_process(["cp", str(diary), str(fresh("cp.db"))]), repeat)
    plain_argv = [sys.executable, "-c", PLAIN_BACKUP, str(diary)]
    plain = median_time(lambda: time_process([*plain_argv, str(fresh("p.db"))]), repeat)
    ours = median_time(lambda: time_process([script("paindiary"), "backup", str(fresh("b.db"))], env=env), repeat)
    report("cp (baseline)", cp, cp, "cp")
    report("python sqlite3 backup API", plain, cp, "cp")
    report("paindiary backup", ours, cp, "cp")
    print(f"{'':<48} {'':>12}  {ours / plain:6.2f}x sqlite3 backup API\n")

    check = median_time(lambda: time_process([sys.executable, "-c", PLAIN_CHECK, str(diary)]), repeat)
    doctor = median_time(lambda: time_process([script("paindiary"), "doctor"], env=env), repeat)
    report("python integrity_check (baseline)", check, check, "integrity_check")
    report("paindiary doctor", doctor, check, "integrity_check")
    print()

    backup = work / "b.db"
    copy_back = median_time(lambda: time_process(["cp", str(backup), str(fresh("restored-cp.db"))]), repeat)

    def restore() -> float:
        for old in work.glob("diary-before-restore-*"):
            os.unlink(old)
        return time_process([script("paindiary"), "restore", str(backup), "--yes"], env=env)

    ours_restore = median_time(restore, repeat)
    report("cp backup over diary (baseline)", copy_back, copy_back, "cp")
    report("paindiary restore --yes", ours_restore, copy_back, "cp")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
