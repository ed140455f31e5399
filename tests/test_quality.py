"""The linters are part of the test suite: ruff (lint and format), mypy and the import contracts stay clean.

The import contracts (``[tool.importlinter]`` in pyproject.toml) are the architecture's rules:
domain code never imports typer or rich, only the charts import matplotlib, and a module
imports only from the layers below it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test here starts processes, renders or writes large files

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    script = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if script is None:
        pytest.fail(f"{name} is not installed; install the test extras: pip install -e '.[test]'")
    return [script] if name == "lint-imports" else [sys.executable, "-m", name]


@pytest.mark.parametrize(
    "args",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"], ["lint-imports"]],
    ids=["ruff-check", "ruff-format", "mypy", "import-contracts"],
)
def test_tool_is_clean(args: list[str]) -> None:
    result = subprocess.run([*_tool(args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
