"""Issue 11: ``analyze`` attributes follow-up check-ins to courses (``assessments``, ``pgic``), by hand.

An answer belongs to the course with the latest last session day Dk on or before its day,
provided that day is before the next course's first day (``checkins.course_of``); its
``day`` is its date minus Dk. ``pgic`` is the latest attributed PGIC, ``improved`` for 1 or 2.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paindiary import analysis, db, diary, followup, store
from paindiary.assessments import make_assessment
from paindiary.models import make_treatment
from tests.conftest import Run

# course A: sessions 03-01, 03-03, 03-05 (Dk 2026-03-05); course B: 03-20, 03-22 (Dk 2026-03-22)
SESSIONS = ("2026-03-01", "2026-03-03", "2026-03-05", "2026-03-20", "2026-03-22")


def _sessions(days: tuple[str, ...] = SESSIONS) -> list[Any]:
    return [make_treatment({"started_at": f"{day}T09:00", "name": "ketamine"}) for day in days]


def pgic(at: str, value: int, id_: int) -> Any:
    return make_assessment({"recorded_at": at, "instrument": "pgic", "pgic": value, "id": id_})


def peg(at: str, items: tuple[float, float, float], id_: int) -> Any:
    pain, enjoyment, activity = items
    fields = {"peg_pain": pain, "peg_enjoyment": enjoyment, "peg_activity": activity}
    return make_assessment({"recorded_at": at, "instrument": "peg", **fields, "id": id_})


ANSWERS = [
    pgic("2026-02-28T18:00", 4, 1),  # before the first course: none
    peg("2026-03-04T18:00", (5, 5, 5), 2),  # during course A, before its Dk: none
    pgic("2026-03-05T20:00", 5, 3),  # on A's Dk: A, day 0
    pgic("2026-03-12T18:00", 2, 4),  # A, day 7
    peg("2026-03-12T18:05", (4, 3, 3), 5),  # A, day 7, score (4 + 3 + 3) / 3 = 3.33
    pgic("2026-03-19T18:00", 3, 6),  # the day before B's first day: A, day 14 (A's latest PGIC)
    pgic("2026-03-20T08:00", 6, 7),  # on B's first day, before its Dk: none
    pgic("2026-03-29T18:00", 1, 8),  # B, day 7
]


def _courses(result: analysis.Analysis) -> list[dict[str, Any]]:
    return [{"assessments": c["assessments"], "pgic": c["pgic"]} for c in result.to_dict()["courses"]]  # type: ignore[index]


def _attributed(answers: list[Any], sessions: list[Any] | None = None, **options: Any) -> list[dict[str, Any]]:
    sessions = _sessions() if sessions is None else sessions
    return _courses(followup.with_assessments(analysis.analyze([], sessions, [], **options), sessions, answers))


def test_attribution_at_the_edges_by_hand() -> None:
    course_a, course_b = _attributed(list(reversed(ANSWERS)))  # any order in, oldest first out
    assert course_a["assessments"] == [
        {"id": 3, "recorded_at": "2026-03-05T20:00:00", "instrument": "pgic", "day": 0, "score": 5},
        {"id": 4, "recorded_at": "2026-03-12T18:00:00", "instrument": "pgic", "day": 7, "score": 2},
        {"id": 5, "recorded_at": "2026-03-12T18:05:00", "instrument": "peg", "day": 7, "score": 3.33},
        {"id": 6, "recorded_at": "2026-03-19T18:00:00", "instrument": "pgic", "day": 14, "score": 3},
    ]
    assert course_a["pgic"] == {"score": 3, "label": "minimally improved", "day": 14, "improved": False}
    assert course_b["assessments"] == [
        {"id": 8, "recorded_at": "2026-03-29T18:00:00", "instrument": "pgic", "day": 7, "score": 1}
    ]
    assert course_b["pgic"] == {"score": 1, "label": "very much improved", "day": 7, "improved": True}


def test_the_latest_pgic_is_chosen_and_improved_means_1_or_2() -> None:
    sessions = _sessions(("2026-03-05",))
    for value, improved in ((1, True), (2, True), (3, False), (4, False), (7, False)):
        answers = [pgic("2026-03-12T18:00", 7 if value != 7 else 1, 1), pgic("2026-04-04T18:00", value, 2)]
        (course,) = _attributed(answers, sessions)
        assert course["pgic"]["score"] == value and course["pgic"]["day"] == 30
        assert course["pgic"]["improved"] is improved
    (course,) = _attributed([peg("2026-03-12T18:00", (1, 2, 3), 1)], sessions)
    assert course["pgic"] is None and course["assessments"][0]["score"] == 2.0  # a PEG alone: no PGIC


def test_no_answers_and_no_course_before_them() -> None:
    assert _attributed([]) == [{"assessments": [], "pgic": None}] * 2
    (course,) = _attributed([pgic("2026-02-01T10:00", 2, 1)], _sessions(("2026-03-05",)))
    assert course == {"assessments": [], "pgic": None}


def test_courses_are_grouped_with_the_analysis_course_gap() -> None:
    # with a gap of 20 days the two courses are one (Dk 03-22): everything before 03-22 belongs to none
    (course,) = _attributed(ANSWERS, course_gap=20)
    assert [a["id"] for a in course["assessments"]] == [8]
    assert course["pgic"] == {"score": 1, "label": "very much improved", "day": 7, "improved": True}


def test_since_chooses_courses_but_attribution_sees_them_all() -> None:
    # course B alone is reported; the 03-20 answer still falls on B's first day (none), not to A
    (course_b,) = _attributed(ANSWERS, since="2026-03-15")
    assert [a["id"] for a in course_b["assessments"]] == [8]


# --- through the command ----------------------------------------------------------------


def _fill(path: Path, batches: list[tuple[Any, list[Mapping[str, object]]]]) -> None:
    with db.open_db(path) as handle:
        diary.add_all(handle, batches)


def _diary(path: Path, answers: list[Mapping[str, object]]) -> None:
    entries = [{"recorded_at": f"2026-02-{day:02d}T20:00", "pain": 7} for day in range(22, 29)] + [
        {"recorded_at": f"2026-03-{day:02d}T20:00", "pain": 3} for day in range(6, 13)
    ]
    sessions = [{"started_at": f"2026-03-{day:02d}T09:00", "name": "ketamine"} for day in (1, 3, 5)]
    batches: list[tuple[Any, list[Mapping[str, object]]]] = [(store.ENTRIES, entries), (store.TREATMENTS, sessions)]
    if answers:
        batches.append((store.ASSESSMENTS, answers))
    _fill(path, batches)


ANSWER_ROWS: list[Mapping[str, object]] = [
    {"recorded_at": "2026-03-12T18:00", "instrument": "pgic", "pgic": 2},
    {"recorded_at": "2026-03-12T18:01", "instrument": "peg", "peg_pain": 4, "peg_enjoyment": 3, "peg_activity": 2},
]


def test_analyze_json_gains_the_two_keys_and_keeps_every_other(run: Run, db_path: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    _diary(plain, [])
    _diary(db_path, ANSWER_ROWS)
    before = run.json("--db", str(plain), "analyze")
    after = run.json("analyze")
    (course,) = after["courses"]
    assert list(course)[-2:] == ["assessments", "pgic"]
    assert [(a["instrument"], a["day"], a["score"]) for a in course["assessments"]] == [("pgic", 7, 2), ("peg", 7, 3.0)]
    assert set(course["assessments"][0]) == {"id", "recorded_at", "instrument", "day", "score"}
    assert type(course["assessments"][0]["score"]) is int and type(course["pgic"]["score"]) is int  # "score": 2
    assert course["pgic"] == {"score": 2, "label": "much improved", "day": 7, "improved": True}
    for data in (before, after):
        for each in data["courses"]:
            del each["assessments"], each["pgic"]
    assert after == before  # every existing key and value as it was
    assert run.json("analyze", "--course-gap", "0")["courses"][-1]["pgic"]["day"] == 7  # Dk 03-05 either way


@pytest.mark.parametrize("width", [80, 120])
def test_the_table_shows_the_pgic_and_fits(
    run: Run, db_path: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _diary(db_path, ANSWER_ROWS)
    monkeypatch.setenv("COLUMNS", str(width))
    text = run("analyze").stdout
    lines = text.rstrip("\n").split("\n")
    assert all(len(line) <= width for line in lines), text
    header = next(line for line in lines if line.lstrip().startswith("course")).split()
    assert header[:6] == ["course", "pain", "change", "evidence", "PGIC", "PEG"]
    assert "relief" in header  # the last column shown is whole, not cut
    assert _cell(lines, "PGIC", "PEG") == "2 much improved day 7"
    words = " ".join(text.split())
    assert "NAP 1.00" in words and "95%" in words
    assert "so the interval is a guide, not proof" in words
    assert "PGIC: the latest answer" in words and "1 or 2 (much or very much improved)" in words


def _cell(lines: list[str], name: str, following: str | None) -> str:
    """The words of the first row's cell in column ``name`` (the column before ``following``).

    A row ends at a blank line or where the next begins: a line with a % change in the change column.
    """
    top = next(i for i, line in enumerate(lines) if line.lstrip().startswith("course"))
    lo, hi = lines[top].index(name), None if following is None else lines[top].index(following)
    change = slice(lines[top].index("change"), lines[top].index("evidence"))
    body = [lines[top + 2][lo:hi]]
    for line in lines[top + 3 :]:
        if not line.strip() or "%" in line[change]:
            break
        body.append(line[lo:hi])
    return " ".join(" ".join(body).split())


def test_a_course_without_a_pgic_shows_a_dash(run: Run, db_path: Path) -> None:
    _diary(db_path, [])
    lines = run("analyze").stdout.split("\n")
    assert _cell(lines, "PGIC", "PEG") == "–"


def test_the_demo_analysis_sees_check_ins(tmp_path: Path) -> None:
    from paindiary.cli.analysis import analyze_diary

    path = tmp_path / "d.db"
    _diary(path, ANSWER_ROWS)
    with db.open_db(path, create=False) as handle:
        result, treatments = analyze_diary(handle.conn)
    assert len(treatments) == 3 and result.courses[0].pgic is not None and result.courses[0].pgic.improved


@pytest.mark.parametrize("width", [80, 120])
def test_the_demo_table_with_check_ins_fits_without_cutting_a_column(
    run: Run, db_path: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date, timedelta

    from paindiary import demo
    from tests.conftest import FIXED_NOW

    demo.write(db_path, FIXED_NOW.date())
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DELETE FROM assessments")  # this test's own check-ins, not the demo's
    answers: list[Mapping[str, object]] = []
    for number, course in enumerate(run.json("analyze")["courses"]):
        day = date.fromisoformat(course["last_session"][:10]) + timedelta(days=7)
        answers.append({"recorded_at": f"{day}T18:00", "instrument": "pgic", "pgic": 3 - 2 * number})
    _fill(db_path, [(store.ASSESSMENTS, answers)])
    monkeypatch.setenv("COLUMNS", str(width))
    text = run("analyze").stdout
    lines = text.rstrip("\n").split("\n")
    assert all(len(line) <= width for line in lines), text
    header = next(line for line in lines if line.lstrip().startswith("course")).split()
    assert header[:7] == ["course", "pain", "change", "evidence", "PGIC", "PEG", "relief"]
    assert _cell(lines, "PGIC", "PEG") == "3 minimally improved day 7"
    after_relief = header[header.index("relief") + 1] if header[-1] != "relief" else None
    assert _cell(lines, "relief", after_relief) == "from day 1 23 days"  # the last column shown, whole
    words = " ".join(text.split())
    assert "1 very much improved" in words


@given(
    session_days=st.lists(st.integers(0, 120), min_size=1, max_size=8),
    answer_days=st.lists(st.tuples(st.integers(-10, 200), st.booleans()), max_size=12, unique_by=lambda t: t[0]),
    gap=st.integers(0, 10),
)
def test_analyze_attributes_exactly_as_the_check_in_rules_do(
    session_days: list[int], answer_days: list[tuple[int, bool]], gap: int
) -> None:
    from datetime import date, timedelta

    from paindiary import checkins

    start = date(2026, 1, 1)
    sessions = _sessions(tuple(str(start + timedelta(days=n)) for n in session_days))
    answers = [
        pgic(f"{start + timedelta(days=n)}T12:00", 1 + n % 7, i)
        if is_pgic
        else peg(f"{start + timedelta(days=n)}T12:00", (1, 2, 3), i)
        for i, (n, is_pgic) in enumerate(answer_days, 1)
    ]
    courses = followup.course_days(sessions, gap)
    expected = [[a.id for a in mine] for mine in checkins.attribute(courses, answers)]
    found = _attributed(answers, sessions, course_gap=gap)
    assert [[a["id"] for a in course["assessments"]] for course in found] == expected
    for course, days in zip(found, courses, strict=True):
        assert all(a["day"] == checkins.days_after(days, a["recorded_at"][:10]) >= 0 for a in course["assessments"])
        pgics = [a for a in course["assessments"] if a["instrument"] == "pgic"]
        assert (course["pgic"] is None) == (not pgics)
        if pgics:
            assert course["pgic"]["score"] == pgics[-1]["score"] and course["pgic"]["improved"] == (
                pgics[-1]["score"] <= 2
            )
