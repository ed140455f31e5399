"""Shared fixtures: every test gets its own diary in a temporary folder."""

from __future__ import annotations

import functools
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase
from typer.testing import CliRunner

from paindiary.cli import app, common
from paindiary.db import connection, opening, schema

FIXED_NOW = datetime(2026, 3, 15, 10, 30, 45)

# typer's CliRunner builds the Click command tree from the app on every invoke: about 70 ms, more
# than most commands take to run, and the suite invokes the CLI thousands of times. The app is the
# same object for the whole run (its commands are declared when paindiary.cli is imported; what
# they offer, such as the format choices, is looked up when they run), so each app's tree is built
# once. (A process that changes the declarations, like test_registry's probe, builds its own.)
typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]

# Timing-based health checks and deadlines fail at random on a loaded 2-core CI machine;
# they say nothing about correctness, so they are off. Example counts stay Hypothesis' defaults
# (but in the fast loop, below).
# The example database (failing examples, replayed first next time) lives under tests/, not in the
# checkout's root or a test's temporary folder (tests chdir there); .gitignore keeps it out of git.
HYPOTHESIS_HOME = Path(__file__).resolve().parent / ".hypothesis"
set_hypothesis_home_dir(HYPOTHESIS_HOME)  # (its other caches, too)
EXAMPLES = DirectoryBasedExampleDatabase(HYPOTHESIS_HOME / "examples")
settings.register_profile("paindiary", deadline=None, suppress_health_check=[HealthCheck.too_slow], database=EXAMPLES)
# CI (the CI sets CI=true, .ci/run): random exploration as on a desk (derandomize=False), and a
# failure prints the @reproduce_failure blob that replays it; `--hypothesis-seed=N` fixes the seed.
settings.register_profile("ci", settings.get_profile("paindiary"), derandomize=False, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "paindiary")
# The fast inner loop (`-m "not slow"` on a desk) tries fewer examples in the property tests that do
# not set their own count; CI, a full run and `--hypothesis-profile=NAME` keep Hypothesis' default.
FAST_LOOP_EXAMPLES = 25
settings.register_profile("fast", settings.get_profile("paindiary"), max_examples=FAST_LOOP_EXAMPLES)


def pytest_configure(config: pytest.Config) -> None:
    fast_loop = config.getoption("markexpr", "") == "not slow"
    if fast_loop and not os.environ.get("CI") and not config.getoption("hypothesis_profile", None):
        settings.load_profile("fast")


# One seed for the tests' own random sources (the `rng` fixture): PAINDIARY_TEST_SEED repeats a run.
TEST_SEED = int(os.environ.get("PAINDIARY_TEST_SEED") or random.SystemRandom().randrange(1 << 32))


def pytest_report_header(config: pytest.Config) -> str:
    return f"paindiary test seed: {TEST_SEED} (PAINDIARY_TEST_SEED={TEST_SEED} repeats the random choices of the tests)"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int) -> None:
    if exitstatus != 0:  # (the header is hidden by -q): say how to repeat the run's random choices
        terminalreporter.write_line(pytest_report_header(terminalreporter.config))


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    """A random source for one test, seeded from TEST_SEED and the test's id; the seed is printed
    (pytest shows it with a failure) and PAINDIARY_TEST_SEED sets it."""
    print(f"random seed: PAINDIARY_TEST_SEED={TEST_SEED}")
    request.node.user_properties.append(("PAINDIARY_TEST_SEED", TEST_SEED))
    return random.Random(f"{TEST_SEED}:{request.node.nodeid}")


@pytest.fixture(autouse=True)
def diary_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PAINDIARY_DB (and HOME) into the test's folder: no test touches a real home."""
    path = tmp_path / "data" / "diary.db"
    monkeypatch.setenv("PAINDIARY_DB", str(path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


# SQLite waits for the disk at every commit (an fsync, PRAGMA synchronous=FULL): about 6 ms a
# commit on this machine, far more on a busy disk, and the tests commit thousands of times. A sync
# only matters if the machine loses power, which no test does; a killed process loses nothing that
# reached the OS, and the crash tests kill paindiary in processes of its own, which sync as always.
# So the connections made in the tests' process (the CLI runs in it) do not wait for the disk.
@pytest.fixture(autouse=True)
def no_waiting_for_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    configure = connection.configure

    def configure_without_sync(conn: sqlite3.Connection) -> None:
        configure(conn)  # paindiary's settings, all of them
        # (The setting reads the file's header: on a file that is not a diary, or one locked by
        # another program, it fails at once, and paindiary meets that itself, as it would have.)
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("PRAGMA synchronous = OFF")
        except sqlite3.DatabaseError:
            pass
        finally:
            conn.execute(f"PRAGMA busy_timeout = {timeout}")

    monkeypatch.setattr(connection, "configure", configure_without_sync)


# A new diary is the same bytes every time (tests/test_fixtures.py checks it): the migrations are
# deterministic. Creating one runs every migration (some 260 SQL statements, about 10 ms), a large
# cost for most tests; so the session creates one for real, with the code
# under test, and a test's new diaries are copies of it. Tests marked `real_migrations` (creation,
# migration, concurrency) and any test that swaps the migrations, the connection or the migrator
# create theirs by running every migration, as paindiary does.
MIGRATIONS = tuple(schema.MIGRATIONS)
CONNECT, MIGRATE, TOUCH_PRIVATE = connection.connect, schema.migrate, opening.touch_private


@pytest.fixture(scope="session")
def new_diary_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """What ``open_db`` makes of a missing file, made once per session by ``open_db`` itself."""
    path = tmp_path_factory.mktemp("template") / "diary.db"
    with opening.open_db(path):
        pass
    return path.read_bytes()


@pytest.fixture(autouse=True)
def new_diaries_from_template(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, new_diary_bytes: bytes
) -> None:
    """``open_db`` fills a diary file it has just created with the session's new diary (see above)."""
    if request.node.get_closest_marker("real_migrations"):
        return

    def touch_and_fill(path: Path) -> None:
        TOUCH_PRIVATE(path)  # the new file, 0600, as open_db makes it
        untouched = (
            tuple(schema.MIGRATIONS) == MIGRATIONS
            and len(MIGRATIONS) == schema.SCHEMA_VERSION
            and (connection.connect, schema.migrate) == (CONNECT, MIGRATE)
        )
        if untouched:
            with open(path, "r+b") as handle:  # (keeps the file and its mode; it is empty)
                handle.write(new_diary_bytes)

    monkeypatch.setattr(opening, "touch_private", touch_and_fill)


@pytest.fixture
def db_path(diary_env: Path) -> Path:
    return diary_env


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Freeze the CLI's clock at FIXED_NOW."""
    monkeypatch.setattr(common, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
def interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI believe a person is at a terminal."""
    monkeypatch.setattr(common, "is_interactive", lambda: True)


class Run:
    """Invoke the CLI in-process; ``run.json(...)`` parses stdout."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, code: int | None = 0) -> Any:
        result = self.runner.invoke(app, list(args), input=input)
        if code is not None:
            assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture
def file_bytes() -> Callable[[Path], bytes]:
    return lambda path: path.read_bytes()


def paindiary_command() -> list[str]:
    """How to run paindiary as its own process: the installed script, else ``python -m paindiary``."""
    script = Path(sys.executable).parent / "paindiary"
    return [str(script)] if script.exists() else [sys.executable, "-m", "paindiary"]


@pytest.fixture
def spawn(db_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run paindiary in a separate process on the test's diary (``timeout`` bounds it)."""

    def run_process(*args: str, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PAINDIARY_DB": str(db_path), "PYTHONDONTWRITEBYTECODE": "1", **kwargs.pop("env", {})}
        return subprocess.run(
            [*paindiary_command(), *args], env=env, capture_output=True, text=True, timeout=timeout, **kwargs
        )

    return run_process


@pytest.fixture
def paindiary_cmd() -> list[str]:
    return paindiary_command()
