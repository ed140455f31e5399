"""The installed script builds only the command it runs (paindiary.cli.app_for), and that command is the same one.

Building Click objects for every command costs about 50 ms of each run; these tests
prove that the command built alone parses, helps and runs as it does in the whole app.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from paindiary.cli import app, app_for, command_name, main

NAMES = sorted(
    [command_name(command) for command in app.registered_commands] + [str(g.name) for g in app.registered_groups]
)
GROUPS = {str(group.name): group for group in app.registered_groups}


def built(args: list[str]) -> list[str]:
    """The names of the commands in the app :func:`app_for` gives for ``args``."""
    chosen = app_for(args)
    return sorted(
        [command_name(c) for c in chosen.registered_commands] + [str(g.name) for g in chosen.registered_groups]
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["log", "5"], ["log"]),
        (["--db", "d.db", "import", "f.csv"], ["import"]),
        (["--db=d.db", "entry", "list"], ["entry"]),
        (["--db", "log", "today"], ["today"]),  # --db's value is a path, even one named like a command
        (["--db", "a.db", "--db", "b.db", "med", "take", "x"], ["med"]),
        (["report", "--help"], ["report"]),
    ],
)
def test_the_command_named_after_the_global_options_is_built_alone(args: list[str], expected: list[str]) -> None:
    assert built(args) == expected


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["--version"], ["--db", "d.db"], ["--db"], ["lgo", "5"], ["--help", "log"], ["-h"], ["--", "log"]],
    ids=["nothing", "help", "version", "db-only", "db-without-value", "unknown", "help-first", "h", "double-dash"],
)
def test_anything_else_gets_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_PAINDIARY_COMPLETE", "bash_complete")
    assert app_for(["log"]) is app


def test_every_command_is_built_alone_and_the_app_itself_is_untouched() -> None:
    assert len(NAMES) == len(set(NAMES)) > 20
    for name in NAMES:
        assert built([name]) == [name]
    assert sorted(typer.main.get_command(app).commands) == NAMES  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_a_command_built_alone_helps_as_in_the_whole_app(name: str) -> None:
    runner = CliRunner()
    """``--help`` of the command (and of each command of a group) is the same text."""
    paths = [[name]]
    if name in GROUPS:
        sub = GROUPS[name].typer_instance
        assert sub is not None
        paths += [[name, command_name(command)] for command in sub.registered_commands]
    for path in paths:
        whole = runner.invoke(app, [*path, "--help"], prog_name="paindiary")
        alone = runner.invoke(app_for(path), [*path, "--help"], prog_name="paindiary")
        assert whole.exit_code == alone.exit_code == 0, (path, whole.output, alone.output)
        assert alone.output == whole.output, path
        assert f"Usage: paindiary {' '.join(path)}" in alone.output


def test_usage_errors_are_the_same_built_alone() -> None:
    runner = CliRunner()
    for args in (["log", "--pian", "5"], ["entry", "lst"], ["med", "take"], ["chart", "--view", "nope"]):
        whole = runner.invoke(app, args, prog_name="paindiary")
        alone = runner.invoke(app_for(args), args, prog_name="paindiary")
        assert whole.exit_code == alone.exit_code == 2, args
        assert alone.output == whole.output, args


def test_main_runs_the_command_it_builds(
    monkeypatch: pytest.MonkeyPatch, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The script's entry point logs and lists through commands built one at a time."""
    built_names: list[str] = []
    build = typer.main.get_command_from_info

    def counting(command_info: typer.models.CommandInfo, **kwargs: object) -> object:
        built_names.append(command_info.callback.__name__)  # type: ignore[union-attr]
        return build(command_info, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(typer.main, "get_command_from_info", counting)
    for args in (["log", "5", "--at", "2026-03-02"], ["entry", "list", "--json"]):
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["paindiary", "--db", str(db_path), *args])
        with pytest.raises(SystemExit) as exit:
            main()
        assert exit.value.code == 0
    assert [entry["pain"] for entry in json.loads(capsys.readouterr().out)] == [5]
    assert "log" in built_names and len(built_names) < 10, built_names  # log, then the entry group's few
