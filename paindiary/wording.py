"""Counts as people say them: "1 day", "2 days", "1 entry", "3 entries" (never "day(s)" or "1 days")."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` and the noun in the number it needs: ``plural(1, "day")`` is "1 day", ``plural(2, "day")`` "2 days"."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"
