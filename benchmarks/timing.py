"""Shared timing helpers for the benchmark scripts (not tests; not run in CI).

Every benchmark times whole processes against a baseline measured in the same
run and prints ratios, so results compare across machines.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

BIN = Path(sys.executable).parent


def script(name: str) -> str:
    """Path of a console script installed beside this Python (e.g. ``paindiary``)."""
    return str(BIN / name)


def time_process(argv: Sequence[str], *, env: dict[str, str] | None = None, stdin: bytes | None = None) -> float:
    """Wall-clock seconds of one run of ``argv``; fails loudly if it fails."""
    start = time.perf_counter()
    result = subprocess.run(argv, env={**os.environ, **(env or {})}, input=stdin, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed


def median_time(run: Callable[[], float], repeat: int) -> float:
    """Median of ``repeat`` timings (after one warm-up run)."""
    run()
    return statistics.median(run() for _ in range(repeat))


def interleaved(runs: Mapping[str, Callable[[], float]], repeat: int) -> dict[str, float]:
    """Median of ``repeat`` timings of each run, the runs taking turns (after one warm-up round).

    On a shared machine the load changes from minute to minute; taking turns gives every
    command the same share of it, so their ratios are fairer than timing one after the other.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(repeat + 1):
        for name, run in runs.items():
            elapsed = run()
            if round_:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def report(label: str, seconds: float, baseline: float, baseline_label: str) -> None:
    print(f"{label:<48} {seconds * 1000:9.1f} ms  {seconds / baseline:6.2f}x {baseline_label}")
