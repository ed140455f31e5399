"""``paindiary demo``: a realistic sample diary that never touches the real one."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from paindiary import demo
from paindiary.cli import common
from tests.conftest import Run


@pytest.mark.slow
def test_demo_writes_its_own_file_and_ignores_paindiary_db(run: Run, tmp_path: Path, db_path: Path) -> None:
    result = run("demo")
    target = tmp_path / "paindiary-demo.db"
    assert target.exists() and not db_path.exists()
    assert (target.stat().st_mode & 0o777) == 0o600
    assert "paindiary --db" in result.stderr
    info = run.json("--db", str(target), "info")
    assert 100 <= info["entries"]["count"] <= 120
    assert info["treatments"]["count"] == 4


@pytest.mark.slow
def test_demo_run_again_replaces_its_own_file(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second ``demo`` writes a new diary in place of the first (it is built for the new day)."""
    target = tmp_path / "paindiary-demo.db"
    monkeypatch.setattr(common, "now", lambda: datetime(2026, 5, 1, 9, 0))
    run("demo")
    first = (target.stat().st_ino, run.json("--db", str(target), "entry", "list")[-1]["recorded_at"][:10])
    assert first[1] <= "2026-05-01" and demo.is_untouched_demo(target)
    monkeypatch.setattr(common, "now", lambda: datetime(2026, 5, 20, 9, 0))
    run("demo")
    entries = run.json("--db", str(target), "entry", "list")
    assert target.stat().st_ino != first[0]  # a new file put in place
    assert "2026-05-01" < entries[-1]["recorded_at"][:10] <= "2026-05-20"  # ... holding the new day's demo
    assert [e["recorded_at"] for e in entries] == [e["recorded_at"] for e in demo.build(date(2026, 5, 20)).entries]
    assert demo.is_untouched_demo(target) and (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "demo" in p.name) == [
        "paindiary-demo-report.pdf", "paindiary-demo-trend.png", "paindiary-demo.db"
    ]  # fmt: skip


def test_demo_refuses_to_overwrite_a_foreign_file(run: Run, tmp_path: Path) -> None:
    precious = tmp_path / "notes.db"
    precious.write_text("my notes")
    assert "not a paindiary diary" in run("demo", "--db", str(precious), code=1).stderr
    assert precious.read_text() == "my notes"


def test_demo_story() -> None:
    data = demo.build(date(2026, 5, 1))
    assert data == demo.build(date(2026, 5, 1))  # deterministic
    days = {e["recorded_at"][:10] for e in data.entries}
    assert 100 <= len(days) < demo.DAYS  # some days are missed
    assert [t["started_at"][:10] for t in data.treatments][:3] == ["2026-02-15", "2026-02-16", "2026-02-17"]
    before = [e["pain"] for e in data.entries if e["recorded_at"][:10] < "2026-02-15"]
    after = [e["pain"] for e in data.entries if "2026-02-20" <= e["recorded_at"][:10] <= "2026-03-05"]
    assert sum(after) / len(after) < 0.7 * sum(before) / len(before)  # the course helps
    oxy = [m["dose"] for m in data.medications if m["name"] == "oxycodone"]
    assert oxy[0] == 10 and oxy[-1] == 5 and len(oxy) > 100


def test_demo_has_check_ins_after_its_courses_with_one_overdue_and_one_due(run: Run, tmp_path: Path) -> None:
    from tests.conftest import FIXED_NOW

    target = tmp_path / "demo.db"
    demo.write(target, FIXED_NOW.date())
    found = run.json("--db", str(target), "assess", "list")
    assert [a["instrument"] for a in found].count("pgic") == 5 and [a["instrument"] for a in found].count("peg") == 4
    points = run.json("--db", str(target), "due", "--as-of", FIXED_NOW.date().isoformat())
    status = {(p["course"], p["instrument"], p["day"]): p["status"] for p in points}
    assert {key for key, value in status.items() if value == "done"} == {
        (course, instrument, day)
        for course, days in ((1, (7, 14, 30)), (2, (7, 14)))
        for instrument in ("pgic", "peg")
        for day in days
        if (course, instrument, day) != (2, "peg", 14)
    }
    assert status[2, "peg", 14] == "overdue"
    assert status[2, "pgic", 30] == status[2, "peg", 30] == "due"
    assert (1, "pgic", 60) not in status  # after the booster began: no such point
    pgic = [a["pgic"] for a in found if a["instrument"] == "pgic"]
    assert pgic[:2] == [2, 2] and pgic[2] > 2  # much improved, then relief fades before the booster


@pytest.mark.slow  # the demo draws its charts and writes its PDF report
def test_demo_mentions_due(run: Run) -> None:
    assert "paindiary-demo.db due" in run("demo").stderr
