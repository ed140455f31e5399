"""The test fixtures' shortcuts are faithful: what they skip would have given the same result.

tests/conftest.py gives each test's new diaries the bytes of one diary the session
created with ``open_db``, instead of running every migration again; that is only
right while creating a diary gives the same bytes every time.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from paindiary import db
from tests.conftest import FAST_LOOP_EXAMPLES


@pytest.mark.real_migrations
def test_every_new_diary_is_the_same_bytes_as_the_sessions(tmp_path: Path, new_diary_bytes: bytes) -> None:
    made = []
    for name in ("one", "two"):
        with db.open_db(tmp_path / name / "diary.db"):
            pass
        made.append((tmp_path / name / "diary.db").read_bytes())
    assert made == [new_diary_bytes, new_diary_bytes]  # a migration writing a time or a random value fails this


def test_a_new_diary_is_the_sessions_copy_private_and_current(tmp_path: Path, new_diary_bytes: bytes) -> None:
    path = tmp_path / "new" / "diary.db"
    with db.open_db(path) as diary:
        assert diary.conn.execute("PRAGMA user_version").fetchone() == (db.SCHEMA_VERSION,)
    assert path.read_bytes() == new_diary_bytes
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["diary.db"]


def test_only_the_fast_loop_tries_fewer_examples(pytestconfig: pytest.Config) -> None:
    """CI and full runs keep Hypothesis' default count; `-m "not slow"` on a desk tries fewer."""
    fast_loop = pytestconfig.getoption("markexpr") == "not slow" and not os.environ.get("CI")
    chosen = pytestconfig.getoption("hypothesis_profile")
    expected = settings.get_profile(chosen).max_examples if chosen else FAST_LOOP_EXAMPLES if fast_loop else 100
    assert settings.default.max_examples == expected  # (100: Hypothesis' default)
