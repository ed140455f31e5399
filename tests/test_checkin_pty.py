"""The evening check-in keeps every answer (issue 13 item 1), driven on a real terminal (a pty).

Each answer is checked as it is typed, against its range and the answers before it;
a conflict asks that question again, Enter skips, ``--quick`` asks three questions,
and Ctrl-C stores nothing and exits with status 130.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import subprocess
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import Run, paindiary_command

pytestmark = pytest.mark.slow  # every test here drives the check-in in its own process on a pty


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pty, so Ctrl-C sends it SIGINT."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """paindiary on a pseudo-terminal: ``expect`` a text on the screen, ``send`` keys."""

    def __init__(self, args: list[str], db: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "PAINDIARY_DB": str(db), "TERM": "dumb", "COLUMNS": "80"}
        self.process = subprocess.Popen(
            [*paindiary_command(), *args], stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=_own_terminal
        )
        os.close(slave)
        self.screen = ""

    def expect(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never appeared; the screen: {self.screen!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # the program ended
                    break
        assert text in self.screen, self.screen
        return self.screen

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def interrupt(self, until: str = "nothing was stored") -> None:
        """Ctrl-C, as the terminal sends it, until ``until`` appears; again if the program was not yet reading.

        The waits grow (a loaded machine can take seconds to answer, and a second Ctrl-C while the
        program is already saying goodbye would cut it short); the last one fails the test.
        """
        for wait in (5, 15, 30):
            self.send("\x03")
            try:
                self.expect(until, timeout=wait)
                return
            except AssertionError:
                if wait == 30:
                    raise

    def answer(self, prompt: str, keys: str) -> None:
        self.expect(prompt)
        self.screen = self.screen[self.screen.index(prompt) + len(prompt) :]
        self.send(keys + "\r")

    def close(self) -> int:
        code = self.process.wait(timeout=30)
        os.close(self.master)
        return code


def entries(run: Run, db: Path) -> list[dict[str, object]]:
    return json.loads(run("--db", str(db), "entry", "list", "--json").stdout)


def test_a_conflict_is_asked_again_and_nothing_typed_is_lost(run: Run, db_path: Path) -> None:
    term = Terminal(["log", "--at", "2026-03-01T21:00"], db_path)
    term.answer("Average pain 0-10", "6.5")
    term.answer("Worst pain", "5")  # below the average: asked again, with the reason
    term.expect("the average pain (6.5) cannot be above --worst (5).")  # least <= average <= worst
    term.answer("Worst pain", "8")
    term.answer("Least pain", "")  # Enter skips
    term.answer("enjoyment", "11")  # out of range: asked again
    term.answer("enjoyment", "5")
    for prompt in ("general activity", "Hours slept", "Sleep quality", "Mood"):
        term.answer(prompt, "")
    term.answer("Note", "after the drive")
    term.answer("Tags", "flare")
    term.expect("Logged entry 1")
    assert term.close() == 0
    (entry,) = entries(run, db_path)
    assert (entry["pain"], entry["worst_pain"], entry["least_pain"], entry["enjoyment"]) == (6.5, 8, None, 5)
    assert (entry["note"], entry["tags"]) == ("after the drive", ["flare"])


def test_quick_asks_pain_sleep_and_mood_only(run: Run, db_path: Path) -> None:
    term = Terminal(["log", "--quick", "--at", "2026-03-01T21:00"], db_path)
    term.answer("Average pain 0-10", "4")
    term.answer("Hours slept", "7,5")
    term.answer("Mood", "6")
    term.expect("Logged entry 1")
    assert "Worst pain" not in term.screen and "Note" not in term.screen
    assert term.close() == 0
    (entry,) = entries(run, db_path)
    assert (entry["pain"], entry["sleep_hours"], entry["mood"], entry["worst_pain"]) == (4, 7.5, 6, None)


def test_a_note_alone_on_a_terminal_asks_for_the_scores_too(run: Run, db_path: Path) -> None:
    term = Terminal(["log", "--note", "long day", "--at", "2026-03-01T21:00"], db_path)
    term.answer("Average pain 0-10", "5")
    for prompt in ("Worst pain", "Least pain", "enjoyment", "general activity", "Hours slept", "Sleep quality", "Mood"):
        term.answer(prompt, "")
    term.answer("Tags", "")
    term.expect("Logged entry 1")
    assert term.close() == 0
    assert [(e["pain"], e["note"]) for e in entries(run, db_path)] == [(5, "long day")]


@pytest.mark.parametrize("after", [0, 2], ids=["at-the-first-question", "after-two-answers"])
def test_ctrl_c_stores_nothing_and_exits_130(run: Run, db_path: Path, after: int) -> None:
    run("log", "3", "--at", "2026-02-01")  # the diary exists, so "nothing stored" is about the entry
    term = Terminal(["log", "--at", "2026-03-01T21:00"], db_path)
    for prompt, keys in [("Average pain 0-10", "6"), ("Worst pain", "8")][:after]:
        term.answer(prompt, keys)
    term.expect("Average pain 0-10: " if after == 0 else "Least pain 0-10: ")  # (the space: input() is waiting)
    term.interrupt()
    term.expect("nothing was stored")
    assert term.close() == 130
    assert [e["recorded_at"] for e in entries(run, db_path)] == ["2026-02-01"]
