"""paindiary's own exceptions: each carries a message a person can act on.

The CLI turns a :class:`PaindiaryError` into one line on stderr and its
``exit_code``; domain code never prints.
"""

from __future__ import annotations

SHOWN_CHARS = 80  # a value echoed in a message is cut to this many characters


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters with "…" (a 1 MB value is not echoed whole)."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to write out (Python refuses past 4,300 digits)
        return "a number too long to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PaindiaryError(Exception):
    """Base class: ``str(error)`` is a complete, user-readable sentence."""

    exit_code = 1


class ValidationError(PaindiaryError):
    """A value given for a field is not acceptable."""

    def __init__(self, field: str, value: object, accepted: str) -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        super().__init__(f"{field}: {shown(value)} is not valid; expected {accepted}.")


class LimitError(ValidationError):
    """A text is longer, or a list has more items, than paindiary keeps."""

    def __init__(self, field: str, count: int, limit: int, unit: str = "characters") -> None:
        self.field, self.value, self.accepted = field, count, f"at most {limit:,} {unit}"
        too = "too long" if unit == "characters" else "too many"
        PaindiaryError.__init__(self, f"{field}: {count:,} {unit} is {too}; at most {limit:,}.")


class LocalTimeError(ValidationError):
    """A local wall-clock time that the clocks skipped (spring forward) or showed twice (fall back)."""

    def __init__(self, field: str, value: object, problem: str, accepted: str) -> None:
        self.field, self.value, self.accepted = field, value, accepted
        PaindiaryError.__init__(self, f"{field}: {shown(value)} {problem}; {accepted}.")


class RecordError(PaindiaryError):
    """A record as a whole is not acceptable (e.g. no values at all)."""


class OrderError(RecordError):
    """Two values of a record are in the wrong order (``low`` above ``high``), e.g. least pain above pain."""

    def __init__(self, low: str, low_value: float, high: str, high_value: float, message: str) -> None:
        self.low, self.low_value, self.high, self.high_value = low, low_value, high, high_value
        super().__init__(message)


class NotFoundError(PaindiaryError):
    """No record has the id asked for."""


class ConflictError(PaindiaryError):
    """A record with the same natural key already exists."""


class DatabaseError(PaindiaryError):
    """The database file cannot be opened, read or written."""


class SchemaTooNewError(DatabaseError):
    """The database was written by a newer paindiary."""


class DatabaseBusyError(DatabaseError):
    """Another process held the database locked past the timeout."""

    exit_code = 3
