"""The Typer application, its global options and the one place errors become exits.

:class:`PaindiaryGroup` wraps every command: a :class:`PaindiaryError` becomes
one line on stderr and its exit status; so does a failed write to standard
output (a full disk or a file-size limit: exit 1, while a reader that stopped
reading, ``| head``, is exit 0); any other failure becomes a one-line apology
without a traceback (``PAINDIARY_DEBUG=1`` shows it, never locals).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from paindiary import __version__
from paindiary.cli.common import AppState
from paindiary.console import safe
from paindiary.errors import PaindiaryError

# A write to standard output failing with one of these (and no file name) is a failed output:
# a full disk, a file-size limit (`ulimit -f`), a quota, an I/O error.
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO}
_LONG_WORD = re.compile(r"\S{81,}")
MAX_LINE = 1000  # characters of one line of an error message (each value in it is cut to 80 already)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Write ``message`` as ``Error: ...`` on stderr, made :func:`safe` and each line cut to :data:`MAX_LINE`."""
    lines = [line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…" for line in message.split("\n")]
    sys.stderr.write(f"Error: {safe(chr(10).join(lines), markup=False)}\n")
    return typer.Exit(code)


class PaindiaryGroup(TyperGroup):
    """Turns paindiary's errors into one line on stderr and an exit status."""

    def invoke(self, ctx: Any) -> Any:
        _buffer_stdout()
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # output still buffered fails here, not unseen at exit
        except PaindiaryError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except sqlite3.Error as exc:
            from paindiary.db import translate

            error = translate(exc)
            raise fail(str(error), error.exit_code) from None
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
            _discard_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.filename is not None or exc.errno not in OUTPUT_ERRNOS:
                raise _unexpected(exc) from None
            _discard_stdout()  # so exiting does not try (and fail) to write the rest again
            raise fail(
                f"Could not write the output ({exc.strerror}); what was written is incomplete. "
                "Free some space and run the command again."
            ) from None
        except KeyboardInterrupt:
            raise fail("interrupted; nothing more was written.", 130) from None
        except (typer.Exit, typer.Abort, typer.TyperException) as exc:
            _shorten(exc)
            raise  # usage errors and exits keep Typer's own handling
        except Exception as exc:
            if _is_cli_framework_error(exc):
                _shorten(exc)
                raise
            raise _unexpected(exc) from None


def _unexpected(exc: Exception) -> Exception:
    if os.environ.get("PAINDIARY_DEBUG"):
        return exc
    return fail(f"unexpected {type(exc).__name__}; please report it (PAINDIARY_DEBUG=1 shows the traceback).")


def _buffer_stdout() -> None:
    """Give standard output a buffer if it has none (``PYTHONUNBUFFERED``, ``python -u``).

    Without one, Python's text layer ignores a short write (a file-size limit
    reached mid-write) and the rest of the output is lost without an error; a
    buffer retries the rest and so reports the failure. Still flushed at each line.
    """
    buffer = getattr(sys.stdout, "buffer", None)
    if isinstance(buffer, io.RawIOBase):
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(buffer), encoding=sys.stdout.encoding, errors=sys.stdout.errors, line_buffering=True
        )


def _discard_stdout() -> None:
    """Point standard output at /dev/null: what could not be written is dropped, quietly."""
    with contextlib.suppress(OSError, ValueError):  # (no file descriptor under a test runner)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _shorten(exc: Exception) -> None:
    """A usage error's message with every long run of characters (a value typed) cut to 80, made :func:`safe`."""
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        exc.message = safe(_LONG_WORD.sub(lambda m: m[0][:79] + "…", message), markup=False)  # type: ignore[attr-defined]


def _is_cli_framework_error(exc: BaseException) -> bool:
    """Usage errors of click (typer < 0.29) or of typer's bundled click (0.29): let them through.

    They carry their own message and exit status 2; matching on the module works
    whichever copy of click raised them.
    """
    return type(exc).__module__.split(".")[0] in ("click", "typer")


app = typer.Typer(
    cls=PaindiaryGroup,
    name="paindiary",
    help="A private pain diary: log pain, sleep, mood, treatments and medication; see how treatments worked.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"paindiary {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="Diary file (default: $PAINDIARY_DB, else your data folder's diary.db).", show_default=False
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """A private pain diary: log pain, sleep, mood, treatments and medication.

    Start with 'paindiary demo' to try it on a sample diary, then
    'paindiary log 6 --sleep 7 --mood 5' every day.
    """
    ctx.obj = AppState(db=db)
