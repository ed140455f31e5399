"""`paindiary today`: the day at a glance, and what is still missing (issue 13 item 7)."""

from __future__ import annotations

from tests.conftest import Run


def test_today_lists_the_days_records_and_what_is_missing(run: Run, clock: object) -> None:
    run("log", "--at", "2026-03-15T08:00", "--sleep", "6")  # today (the clock is 2026-03-15 10:30)
    run("log", "7", "--at", "2026-03-14T21:00")  # yesterday: not today's
    run("med", "add", "pregabalin", "75", "mg", "--at", "2026-03-15T08:05")
    data = run.json("today")
    assert data["date"] == "2026-03-15"
    assert [e["sleep_hours"] for e in data["entries"]] == [6]
    assert [m["name"] for m in data["medications"]] == ["pregabalin"] and data["treatments"] == []
    assert data["missing"] == ["pain", "mood"]
    text = run("today")
    assert "pregabalin" in text.stdout and "Today (2026-03-15): 1 entry" in text.stdout
    assert "Not logged today: average pain, mood." in text.stderr


def test_nothing_logged_today(run: Run, clock: object) -> None:
    run("log", "5", "--at", "2026-03-01")
    result = run("today")
    assert "Nothing logged today (2026-03-15) yet." in result.stderr
    assert run.json("today")["missing"] == ["pain", "sleep_hours", "mood"]
    run("log", "4", "--sleep", "7", "--mood", "6")
    assert run.json("today")["missing"] == []
