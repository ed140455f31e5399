"""The ``paindiary`` command: a thin Typer layer (parse, call the domain, render).

One module per command group registers its commands on :data:`app`. Modules
here import only what ``paindiary log`` needs at start-up; heavier imports
(rich, analysis, matplotlib) happen inside the commands that use them.
:func:`main` (the installed script) builds only the command it runs
(:func:`app_for`): making Click objects of every command costs about 50 ms.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Sequence

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

from paindiary.cli import (  # noqa: F401  (register commands)
    analysis,
    assess,
    charts,
    common,
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

_VALUE_OPTIONS = ("--db",)  # the global options that take a value


def app_for(args: Sequence[str]) -> typer.Typer:
    """:data:`app` with only the command (or command group) ``args`` run, or all of it when that is not certain.

    Certain when the global options (``--db PATH``) are followed by a command's
    name; any other option first (``--help``, ``--version``), no command, an
    unknown name (Click lists the close ones) or shell completion gets the whole app.
    """
    if "_PAINDIARY_COMPLETE" in os.environ:  # shell completion walks the whole tree
        return app
    position = 0
    while position < len(args):  # past the global options
        if args[position] in _VALUE_OPTIONS:
            position += 2
        elif args[position].startswith(tuple(f"{option}=" for option in _VALUE_OPTIONS)):
            position += 1
        else:
            break
    if position >= len(args) or args[position].startswith("-"):
        return app
    name = args[position]
    commands = [command for command in app.registered_commands if command_name(command) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if len(commands) + len(groups) != 1:
        return app
    only = copy.copy(app)
    only.registered_commands, only.registered_groups = commands, groups
    return only


def command_name(command: CommandInfo) -> str:
    """The name a registered command is run by (given, or made from its function's name as Typer does)."""
    return command.name or get_command_name(getattr(command.callback, "__name__", ""))


def main() -> None:
    """The installed ``paindiary`` script."""
    chosen = app_for(sys.argv[1:])
    common.settle_heap()
    chosen(prog_name="paindiary")


__all__ = ["app", "app_for", "command_name", "main"]
