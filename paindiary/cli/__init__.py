"""The ``paindiary`` command: a thin Typer layer (parse, call the domain, render).

One module per command group registers its commands on :data:`app`. Modules
here import only what ``paindiary log`` needs at start-up; heavier imports
(rich, analysis, matplotlib) happen inside the commands that use them.
"""

from __future__ import annotations

from paindiary.cli import (  # noqa: F401  (register commands)
    analysis,
    assess,
    charts,
    due,
    entries,
    info,
    io,
    measurements,
    meds,
    remind,
    safety,
    search,
    today,
    treatments,
)
from paindiary.cli.app import app


def main() -> None:
    app(prog_name="paindiary")


__all__ = ["app", "main"]
