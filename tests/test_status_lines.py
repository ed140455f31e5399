"""Status lines on stderr wrap between words on a terminal and stay whole in a pipe (issue 13: 80 columns)."""

from __future__ import annotations

import io

import pytest

from paindiary.cli import common

LINE = (
    "Check-in due: PGIC, day 14 after course 1 (until 2026-12-06): paindiary assess pgic SCORE, or 'paindiary assess'"
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_status_line_wraps_between_words_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    out = Terminal()
    monkeypatch.setattr("sys.stderr", out)
    monkeypatch.setenv("COLUMNS", "80")
    common.status(LINE)
    lines = out.getvalue().rstrip("\n").split("\n")
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    assert " ".join(lines) == LINE  # every word whole, none split
    assert "paindiary assess pgic SCORE," in out.getvalue().replace("\n", " ")


def test_a_pipe_gets_the_line_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stderr", out)
    monkeypatch.setenv("COLUMNS", "80")
    common.status(LINE)
    assert out.getvalue() == LINE + "\n"
