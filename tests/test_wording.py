"""Counts as people say them (issue 13: "1 days", "session(s)" are gone)."""

from __future__ import annotations

from paindiary.wording import plural


def test_plural() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(2, "treatment session") == "2 treatment sessions"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
