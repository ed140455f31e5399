"""``paindiary demo``: a realistic sample diary that never touches the real one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paindiary import demo
from tests.conftest import Run


def test_demo_writes_its_own_file_and_ignores_paindiary_db(run: Run, tmp_path: Path, db_path: Path) -> None:
    result = run("demo")
    target = tmp_path / "paindiary-demo.db"
    assert target.exists() and not db_path.exists()
    assert (target.stat().st_mode & 0o777) == 0o600
    assert "paindiary --db" in result.stderr
    info = run.json("--db", str(target), "info")
    assert 100 <= info["entries"]["count"] <= 120
    assert info["treatments"]["count"] == 4
    run("demo")  # runs again, replacing its own file


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


def test_demo_mentions_due(run: Run) -> None:
    assert "paindiary-demo.db due" in run("demo").stderr
