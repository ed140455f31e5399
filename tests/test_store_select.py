"""store.select builds records from plain rows (a fast path): they must equal store.get's records."""

from __future__ import annotations

from pathlib import Path

from paindiary import db, diary, store


def test_select_builds_the_same_records_as_get(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    handle = db.open_db(path)
    conn = handle.conn
    diary.add_all(
        handle,
        [
            (store.ENTRIES, [{"recorded_at": "2026-03-01", "pain": 4, "tags": ["walk", "flare"], "note": "n"},
                             {"recorded_at": "2026-03-02T08:00", "mood": 6}]),
            (store.TREATMENTS, [{"started_at": "2026-03-01T09:00", "name": "ketamine", "dose": 0.5,
                                 "side_effects": [{"name": "nausea", "severity": 3}, {"name": "dizzy"}],
                                 "heart_rate_before": 70}]),
            (store.MEDICATIONS, [{"taken_at": "2026-03-01T08:00", "name": "oxycodone", "dose": 5, "dose_unit": "mg"}]),
            (store.MEASUREMENTS, [{"day": "2026-03-01", "metric": "steps", "value": 8000, "source": "fitbit"},
                                  {"day": "2026-03-01", "metric": "sleep_minutes", "value": 420.5, "source": "oura"}]),
            (store.ASSESSMENTS, [{"recorded_at": "2026-03-08T18:00", "instrument": "pgic", "pgic": 2, "note": "n"},
                                 {"recorded_at": "2026-03-08T18:00", "instrument": "peg", "peg_pain": 4,
                                  "peg_enjoyment": 3, "peg_activity": 5.5}]),
        ],
    )  # fmt: skip
    for kind in store.KINDS.values():
        records = store.select(conn, kind)
        assert records and records == [store.get(conn, kind, record.id) for record in records]
        assert store.select(conn, kind, last=1) == records[-1:]
    entries = store.select(conn, store.ENTRIES)
    assert entries[0].tags == ("walk", "flare") and entries[1].tags == ()
    assert store.select(conn, store.TREATMENTS)[0].side_effects[1].severity is None


def test_select_gives_records_in_time_order_then_id_order_whatever_order_they_were_stored_in(tmp_path: Path) -> None:
    handle = db.open_db(tmp_path / "d.db")
    doses = [("2026-03-02T08:00", "b"), ("2026-03-01T08:00", "z"), ("2026-03-02T08:00", "a"), ("2026-03-01", "y")]
    for taken_at, name in doses:  # one at a time: ids in this order
        dose = {"taken_at": taken_at, "name": name, "dose": 1, "dose_unit": "mg"}
        diary.add_all(handle, [(store.MEDICATIONS, [dose])])
    got = [(dose.taken_at, dose.name, dose.id) for dose in store.select(handle.conn, store.MEDICATIONS)]
    assert got == [("2026-03-01", "y", 4), ("2026-03-01T08:00:00", "z", 2), ("2026-03-02T08:00:00", "b", 1),
                   ("2026-03-02T08:00:00", "a", 3)]  # fmt: skip
    since = store.select(handle.conn, store.MEDICATIONS, since="2026-03-01T08:00:00", until="2026-03-02T08:00:00")
    assert [dose.id for dose in since] == [2, 1, 3]
