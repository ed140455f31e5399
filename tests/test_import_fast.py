"""The import's fast path (rows straight into the table) and its fallback to the staged path.

Every case is imported twice into fresh diaries: as paindiary does it, and with the
fast path refused at every chunk (so the staged path does all the work); the exit
status, the messages and the stored rows (ids included) must be the same. Small
chunks make the fast path stop part-way through a file.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paindiary import db, registry, store, when
from paindiary.errors import PaindiaryError
from paindiary.io import csv_format
from paindiary.transfer import staging

HEADER = "recorded_at,pain,worst_pain,least_pain,sleep_hours,note,tags"


def stamp(i: int) -> str:
    return f"2020-01-{1 + i // 24:02d}T{i % 24:02d}:00:00"


def rows(count: int, change: Callable[[int, list[str]], list[str]] = lambda i, cells: cells) -> list[str]:
    return [",".join(change(i, [stamp(i), str(i % 6), "8", "0", "7.5", f"note {i}" if i % 3 else "", "a;b"]))
            for i in range(count)]  # fmt: skip


def csv_text(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def stored(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [tuple(row) for kind in store.KINDS.values() for row in conn.execute(f"SELECT * FROM {kind.table}")]
    finally:
        conn.close()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_format, "CHUNK_ROWS", 4)


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds for which a staging table was made (the fast path makes none)."""
    made: list[str] = []
    init = staging.Stage.__init__

    def spy(self: staging.Stage, conn: sqlite3.Connection, kind: store.Kind) -> None:
        made.append(kind.name)
        init(self, conn, kind)

    monkeypatch.setattr(staging.Stage, "__init__", spy)
    return made


@pytest.fixture
def both(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[Any, Any]]:
    """Import a CSV text fast and staged into two fresh diaries (after ``seed``); return both outcomes."""
    numbers = itertools.count()

    def import_both(text: str, *args: str, seed: Callable[[str], None] = lambda db: None) -> tuple[Any, Any]:
        path = tmp_path / "in.csv"
        path.write_text(text)
        outcomes = []
        for name in ("fast", "staged"):
            diary = tmp_path / f"{name}{next(numbers)}.db"
            seed(str(diary))
            with monkeypatch.context() as patch:
                if name == "staged":
                    patch.setattr(staging.Direct, "add", lambda self, *a: False)
                result = run("--db", str(diary), "import", str(path), *args, code=None)
            outcomes.append((result.exit_code, result.stdout, result.stderr, stored(diary) if diary.exists() else None))
        return outcomes[0], outcomes[1]

    return import_both


def test_a_clean_file_into_an_empty_diary_takes_the_fast_path(both, stages, small_chunks):
    fast, staged = both(csv_text(rows(30)))
    assert fast == staged
    assert fast[0] == 0 and "30 inserted, 0 updated, 0 unchanged" in fast[2]
    assert stages == ["entries"]  # only the staged run made a staging table


def test_the_default_chunk_size_takes_the_fast_path_too(both, stages):
    fast, staged = both(csv_text(rows(30)))
    assert fast == staged and stages == ["entries"]


@pytest.mark.slow
def test_stored_records_outside_the_files_times_keep_the_fast_path(both, stages, small_chunks, run):
    def seed(diary: str) -> None:
        run("--db", diary, "log", "5", "--at", "2019-12-31T08:00")
        run("--db", diary, "log", "6", "--at", "2021-06-01")

    for mode in ("update", "skip", "error"):
        stages.clear()
        fast, staged = both(csv_text(rows(30)), "--on-conflict", mode, seed=seed)
        assert fast == staged and fast[0] == 0
        assert stages == ["entries"], mode


@pytest.mark.parametrize("mode", ["update", "skip", "error"])
def test_a_stored_record_among_the_files_times_sends_the_rest_through_the_stage(
    both, stages, small_chunks, run, mode
):  # fmt: skip
    def seed(diary: str) -> None:
        run("--db", diary, "log", "1", "--at", stamp(13), "--note", "stored")  # matched by record 14
        run("--db", diary, "log", "2", "--at", "2020-01-01T13:30")  # inside the range, matched by none

    fast, staged = both(csv_text(rows(30)), "--on-conflict", mode, seed=seed)
    assert fast == staged
    assert stages == ["entries", "entries"]  # the fast run fell back to a stage too
    if mode == "error":
        assert fast[0] == 1 and "record 14 (line 15)" in fast[2] and "already in the diary" in fast[2]
    else:
        assert fast[0] == 0 and f"29 inserted, {int(mode == 'update')} updated" in fast[2]


def test_a_key_repeated_late_in_the_file_is_reported_the_same(both, small_chunks):
    lines = rows(30)
    lines[25] = lines[2].replace("note 2", "again")
    fast, staged = both(csv_text(lines))
    assert fast == staged
    assert fast[0] == 1 and "record 26 (line 27)" in fast[2] and "already in record 3 of this file" in fast[2]


def indexes(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    finally:
        conn.close()


@pytest.fixture
def key_index_seen(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the entries table's key index was there each time the fast path wrote a chunk."""
    seen: list[bool] = []
    add = staging.Direct.add

    def spy(self: staging.Direct, *args: Any) -> bool:
        query = "SELECT count(*) FROM sqlite_master WHERE name = 'entries_key'"
        seen.append(bool(self.conn.execute(query).fetchone()[0]))
        return bool(add(self, *args))

    monkeypatch.setattr(staging.Direct, "add", spy)
    return seen


def test_into_an_empty_table_the_key_index_is_set_aside_and_made_again(run, tmp_path, small_chunks, key_index_seen):
    new = tmp_path / "new.db"
    db.open_db(new).close()
    (tmp_path / "in.csv").write_text(csv_text(rows(30)))
    run("--db", str(tmp_path / "d.db"), "import", "in.csv")
    assert len(key_index_seen) == 8 and not any(key_index_seen)  # built once, from all the rows, at the end
    assert indexes(tmp_path / "d.db") == indexes(new)
    key_index_seen.clear()
    run("--db", str(tmp_path / "stored.db"), "log", "5", "--at", "2019-12-31T08:00")
    run("--db", str(tmp_path / "stored.db"), "import", "in.csv")
    assert len(key_index_seen) == 8 and all(key_index_seen)  # a table holding records keeps it
    assert indexes(tmp_path / "stored.db") == indexes(new)


@pytest.mark.parametrize("args", [[], ["--dry-run"]], ids=["import", "dry-run"])
@pytest.mark.parametrize("repeat", [True, False], ids=["repeated-key", "clean"])
def test_the_key_index_is_there_after_any_import_into_an_empty_table(run, tmp_path, small_chunks, args, repeat):
    new, diary = tmp_path / "new.db", tmp_path / "d.db"
    for path in (new, diary):  # (a failed import or a dry run into a missing file leaves no diary)
        db.open_db(path).close()
    lines = rows(30)
    if repeat:
        lines[25] = lines[2]
    (tmp_path / "in.csv").write_text(csv_text(lines))
    result = run("--db", str(tmp_path / "d.db"), "import", "in.csv", *args, code=None)
    assert result.exit_code == int(repeat)
    assert indexes(tmp_path / "d.db") == indexes(new)
    result = run("--db", str(tmp_path / "d.db"), "log", "3", "--at", stamp(2), code=None)
    assert result.exit_code == int(not repeat and not args)  # (refused as a duplicate only when imported)


def test_an_import_into_a_diary_missing_a_key_index_is_refused(run, tmp_path):
    diary = tmp_path / "d.db"
    db.open_db(diary).close()
    conn = sqlite3.connect(diary)
    conn.execute("DROP INDEX entries_key")
    conn.close()
    (tmp_path / "in.csv").write_text(csv_text(rows(3) + rows(3)))  # every key twice
    result = run("--db", str(diary), "import", "in.csv", code=1)
    assert result.stderr == (
        "Error: The diary's key index entries_key is missing; run 'paindiary doctor --repair' first.\n"
    )
    assert stored(diary) == []
    run("--db", str(diary), "doctor", "--repair", code=None)
    assert "3 problems in the file" in run("--db", str(diary), "import", "in.csv", code=1).stderr


def test_a_broken_rule_late_in_the_file_is_reported_the_same(both, small_chunks):
    fast, staged = both(csv_text(rows(30, lambda i, cells: [*cells[:3], "9", *cells[4:]] if i == 22 else cells)))
    assert fast == staged
    assert fast[0] == 1 and "record 23 (line 24)" in fast[2] and "least_pain" in fast[2]


def test_every_kind_of_error_is_reported_the_same_with_lines(both, small_chunks):
    lines = rows(40)
    lines[5] = ",".join([stamp(5), "11", "8", "0", "7.5", "", ""])  # out of range
    lines[9] = lines[1]  # repeated key
    lines[30] = ",".join([stamp(30), "", "", "", "", "", "x"])  # no score, sleep or note
    lines[33] = "2020-02-30,5"  # impossible date, too few cells
    text = csv_text(lines[:12]) + "\n" + "\n".join(lines[12:]) + "\n"  # a blank line shifts the rest
    fast, staged = both(text)
    assert fast == staged and fast[0] == 1
    for where in ("record 6 (line 7)", "record 10 (line 11)", "record 31 (line 33)", "record 34 (line 36)"):
        assert where in fast[2]


@pytest.mark.slow
def test_multiline_notes_and_blank_rows_keep_their_lines_after_a_fallback(both, stages, small_chunks):
    lines = rows(24)
    lines[4] = lines[4].replace("note 4", '"a note\nover two lines"')
    lines[7] = ",,,,,,"  # a spreadsheet's row of empty cells
    lines[20] = lines[9]  # repeated key: the fast path stops in the last chunks
    fast, staged = both(csv_text(lines))
    assert fast == staged and fast[0] == 1
    assert "record 21 (line 23)" in fast[2] and "already in record 10 of this file" in fast[2]
    stages.clear()
    lines[20] = lines[20].replace(stamp(9), stamp(40))
    fast, staged = both(csv_text(lines))
    assert fast == staged and fast[0] == 0 and "23 inserted" in fast[2]  # (the blank row is no record)
    assert stages == ["entries"]


def test_a_dry_run_on_the_fast_path_writes_nothing(run, tmp_path, db_path, stages):
    run("log", "5", "--at", "2026-03-01")
    before = db_path.read_bytes()
    path = tmp_path / "e.csv"
    path.write_text(csv_text(rows(10)))
    result = run("import", str(path), "--dry-run")
    assert "would import: entries 10 inserted" in result.stderr
    assert db_path.read_bytes() == before and stages == []


def test_importing_again_is_idempotent_after_a_fast_first_import(run, tmp_path, small_chunks):
    path = tmp_path / "e.csv"
    path.write_text(csv_text(rows(30)))
    run("import", str(path))
    assert "0 inserted, 0 updated, 30 unchanged" in run("import", str(path)).stderr


# --- what the fast path relies on -----------------------------------------------------


@pytest.mark.parametrize("kind", store.KINDS.values(), ids=list(store.KINDS))
def test_each_kinds_key_is_unique_in_the_schema(kind: store.Kind) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for migration in db.schema.MIGRATIONS:
        migration(conn)
    unique = [
        tuple(column for *_, column in conn.execute(f"PRAGMA index_info('{name}')"))
        for _, name, is_unique, *_ in conn.execute(f"PRAGMA index_list('{kind.table}')")
        if is_unique
    ]
    conn.close()
    assert kind.key in unique  # a stored or repeated key makes the fast path's insert fail


def metric_value(metric: registry.Metric) -> st.SearchStrategy[float | None]:
    """None or a value inside the metric's declared range: whole numbers from end to end, and fractions."""
    low, high = int(metric.low), int(metric.high)
    fractions = sorted({value for value in (0.5, 6.5, 9.75, high - 0.25) if low < value < high})
    inside = st.integers(low, high).map(float)
    return st.one_of(st.none(), inside, st.sampled_from(fractions)) if fractions and not metric.whole else inside


# every metric of the registry, inside its range (the ordering rules between metrics decide)...
entry_values = st.fixed_dictionaries(
    {metric.name: metric_value(metric) for metric in registry.METRICS} | {"note": st.sampled_from([None, "n"])}
)
# ... or one of them just outside its range (the schema's range CHECKs must be the registry's ranges)
entry_out_of_range = st.tuples(entry_values, st.sampled_from(registry.METRICS), st.booleans()).map(
    lambda case: {**case[0], case[1].name: case[1].low - 1 if case[2] else case[1].high + 0.5}
)
treatment_values = st.fixed_dictionaries(
    {"name": st.sampled_from([None, "ketamine"]), "dose": st.sampled_from([None, 0.5, 35.0])}
)
medication_values = st.fixed_dictionaries(
    {
        name: st.sampled_from([None, value])
        for name, value in (("name", "pregabalin"), ("dose", 75.0), ("dose_unit", "mg"))
    }
)


def schema_accepts(kind: store.Kind, values: dict[str, Any]) -> bool:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    db.schema.MIGRATIONS[0](conn)  # the schema itself
    row = {kind.time_field: "2026-03-01T09:00:00", **values}
    try:
        conn.execute(
            f"INSERT INTO {kind.table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
    except sqlite3.IntegrityError:
        return False
    finally:
        conn.close()
    return True


def rules_accept(kind: store.Kind, values: dict[str, Any]) -> bool:
    try:
        kind.make({kind.time_field: "2026-03-01T09:00:00", **values})
    except PaindiaryError:
        return False
    return True


@pytest.mark.slow
@settings(max_examples=150)
@given(st.one_of(
    st.tuples(st.just(store.ENTRIES), entry_values),
    st.tuples(st.just(store.ENTRIES), entry_out_of_range),
    st.tuples(st.just(store.TREATMENTS), treatment_values),
    st.tuples(st.just(store.MEDICATIONS), medication_values),
))  # fmt: skip
def test_the_schema_refuses_exactly_the_records_the_rules_refuse(case: tuple[store.Kind, dict[str, Any]]) -> None:
    kind, values = case
    assert schema_accepts(kind, values) == rules_accept(kind, values)


@pytest.mark.slow
@settings(max_examples=200)
@given(st.lists(st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat(timespec="seconds")),
    st.dates().map(str),
    st.sampled_from(["2026-02-30", "2026-13-01", "2026-03-01T24:00:00", "2026-03-01 09:00:00", "２０２６-03-01",
                     "2026-03-01T09:00", ""]),
    st.text(max_size=20),
), max_size=8))  # fmt: skip
def test_all_canonical_agrees_with_canonical_value_by_value(values: list[str]) -> None:
    def is_canonical(value: str) -> bool:
        try:
            return when.canonical(value) == value
        except PaindiaryError:
            return False

    assert when.all_canonical(values) == all(map(is_canonical, values))


# --- blood pressure pairs: the schema has no CHECK for them, so the fast path tests each chunk ---

BP_HEADER = "started_at,name,systolic_before,diastolic_before,systolic_after,diastolic_after"


def sessions(count: int, pressures: dict[int, str]) -> str:
    lines = [f"{stamp(i)},k,{pressures.get(i, '120,80,110,70')}" for i in range(count)]
    return "\n".join([BP_HEADER, *lines]) + "\n"


def test_a_diastolic_above_systolic_is_refused_on_the_fast_path_as_on_the_staged_one(both, stages, small_chunks):
    fast, staged = both(sessions(10, {6: "120,80,90,95"}))
    assert fast == staged and fast[0] == 1 and fast[3] is None  # nothing written, no diary made
    assert "record 7 (line 8): diastolic_after (95) cannot be above systolic_after (90)." in fast[2]
    assert stages == ["treatments", "treatments"]  # the fast run handed the chunk to a stage


def test_equal_or_absent_pressures_keep_the_fast_path(both, stages, small_chunks):
    fast, staged = both(sessions(10, {2: "120,120,95,95", 3: ",80,,70", 4: "120,,110,", 5: ",,,"}))
    assert fast == staged and fast[0] == 0 and "10 inserted" in fast[2]
    assert stages == ["treatments"]  # only the staged run made a staging table


def test_a_pressure_that_is_not_a_number_is_reported_not_compared(both, small_chunks):
    fast, staged = both(sessions(6, {1: "high,80,110,70", 4: "120,80,110,x"}))
    assert fast == staged and fast[0] == 1 and "Traceback" not in fast[2]
    assert "record 2 (line 3): systolic_before: 'high' is not valid" in fast[2]
    assert "record 5 (line 6): diastolic_after: 'x' is not valid" in fast[2]


# --- the fast path's bounds ---------------------------------------------------------------


@pytest.mark.parametrize(("stored_id", "staged"), [((1 << 62) - 1, False), (1 << 62, True)])
def test_a_diary_with_ids_past_2_to_the_62_takes_the_staged_path(run, tmp_path, db_path, stages, stored_id, staged):
    run("log", "5", "--at", "2019-12-31")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE entries SET id = ?", (stored_id,))
    conn.close()
    path = tmp_path / "e.csv"
    path.write_text(csv_text(rows(5)))
    assert "5 inserted, 0 updated, 0 unchanged" in run("import", str(path)).stderr
    assert stages == (["entries"] if staged else [])
    assert len(run.json("entry", "list")) == 6


@pytest.mark.parametrize(("limit", "staged"), [(3, False), (2, True)])
def test_the_fast_path_keeps_a_bounded_number_of_runs_of_lines(
    run, tmp_path, stages, monkeypatch, limit, staged
):  # fmt: skip
    monkeypatch.setattr(staging.Direct, "MAX_RUNS", limit)
    lines = rows(6)
    text = "\n".join([HEADER, *lines[:2], "", *lines[2:4], "", *lines[4:]]) + "\n"  # blank lines: 3 runs
    path = tmp_path / "e.csv"
    path.write_text(text)
    assert "6 inserted" in run("import", str(path)).stderr
    assert stages == (["entries"] if staged else [])
    assert [e["recorded_at"] for e in run.json("entry", "list")] == [stamp(i) for i in range(6)]


def test_a_multiline_note_and_a_row_of_empty_cells_keep_the_lines_of_the_records_after_them(
    run, tmp_path, small_chunks
):
    lines = rows(24)
    lines[4] = lines[4].replace("note 4", '"a note\nover two lines"')  # record 5 spans lines 6-7
    lines[7] = ",,,,,,"  # a spreadsheet's row of empty cells: no record, but a line
    lines[20] = lines[9]  # repeated key in the last chunks: the fast path hands its rows to a stage
    path = tmp_path / "e.csv"
    path.write_text(csv_text(lines))
    error = run("import", str(path), code=1).stderr
    assert error.splitlines()[1:] == [
        f"  record 21 (line 23): {stamp(9)} is already in record 10 of this file; each entry may appear once."
    ]
    lines[20] = lines[20].replace(stamp(9), stamp(40))
    lines[21] = lines[21].replace("8,0,7.5", "8,0,25")  # sleep hours out of range: found while reading
    path.write_text(csv_text(lines))
    error = run("import", str(path), code=1).stderr
    assert error.splitlines()[1:] == [
        "  record 22 (line 24): sleep_hours: '25' is not valid; expected a number from 0 to 24."
    ]


def test_rows_of_empty_cells_are_no_records_and_keep_the_numbers_of_the_records_after_them(
    run, tmp_path, stages, small_chunks
):  # fmt: skip
    lines = rows(24)
    lines[2] = ",,,,,,"  # a row of empty cells in a chunk of one line per record
    lines[4:8] = [",,,,,,"] * 4  # a whole chunk of them
    path = tmp_path / "e.csv"
    path.write_text(csv_text(lines))
    assert "19 inserted, 0 updated, 0 unchanged" in run("import", str(path), "--dry-run").stderr
    assert stages == []  # all on the fast path
    lines[20] = lines[9]
    path.write_text(csv_text(lines))
    error = run("import", str(path), code=1).stderr
    assert error.splitlines()[1:] == [
        f"  record 21 (line 22): {stamp(9)} is already in record 10 of this file; each entry may appear once."
    ]


def test_once_a_problem_is_found_the_fast_path_stops_writing(run, tmp_path, stages, small_chunks):
    lines = rows(12)
    lines[1] = lines[1].replace("8,0,7.5", "8,0,25")
    path = tmp_path / "e.csv"
    path.write_text(csv_text(lines))
    error = run("import", str(path), code=1).stderr
    assert error.splitlines()[1:] == [
        "  record 2 (line 3): sleep_hours: '25' is not valid; expected a number from 0 to 24."
    ]
    assert stages == ["entries"]  # the rest went to a stage, where every other problem is found


@pytest.mark.parametrize(("mode", "counts"), [("update", "29 inserted, 1 updated, 0 unchanged"),
                                              ("skip", "29 inserted, 0 updated, 1 unchanged")])  # fmt: skip
def test_the_counts_after_a_fallback_include_the_rows_written_before_it(run, tmp_path, small_chunks, mode, counts):
    run("log", "1", "--at", stamp(13), "--note", "stored")  # matched by record 14, in the fourth chunk
    path = tmp_path / "e.csv"
    path.write_text(csv_text(rows(30)))
    result = json.loads(run("import", str(path), "--on-conflict", mode, "--json").stdout)
    inserted, updated, unchanged = (int(part.split()[0]) for part in counts.split(", "))
    assert result["entries"] == {"inserted": inserted, "updated": updated, "unchanged": unchanged}
    assert len(run.json("entry", "list")) == 30
