"""Mutation testing of paindiary's core, one module group at a time (issue 15; not run in CI).

mutmut (pyproject's ``mutation`` extra, configured under ``[tool.mutmut]``) plants one small
bug at a time in a module and runs the tests that call the changed function; a mutant that
no test notices "survives". This script runs it for one group of modules against the test
files of that group (test selection keeps a run to minutes rather than hours), each group in
its own working folder ``.mutation/GROUP/`` so the groups' results do not overwrite each
other, and prints killed/total per module with the survivors' names::

    pip install -e ".[test,mutation]"
    python tests/mutation.py models            # run (again: only new or changed mutants)
    python tests/mutation.py models --report   # the figures and survivors of the last run
    python tests/mutation.py models --show NAME   # the diff of one mutant

``tests/MUTATION.md`` records the figures and answers every survivor. The group's pytest
options leave out the tests marked ``slow`` where those start processes (a child process
imports the unmutated package, so it cannot see a mutant).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
LINKED = ("paindiary", "tests", "pyproject.toml", "README.md", "CHANGELOG.md", "benchmarks")


@dataclass(frozen=True)
class Group:
    """Modules mutated together and the test files that hold their promises."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]
    pytest_args: tuple[str, ...] = ("-m", "not slow")


GROUPS: dict[str, Group] = {
    "analysis": Group(
        ("paindiary/analysis.py",),
        (
            "tests/test_analysis.py",
            "tests/test_analysis_exact.py",
            "tests/test_evidence.py",
            "tests/test_opioid_counting.py",
            "tests/test_opioids.py",
            "tests/test_measured_analysis.py",
            "tests/test_analysis_cli.py",
            "tests/test_course_checkins.py",
            "tests/test_promises_views.py",
        ),
    ),
    "models": Group(
        ("paindiary/models.py", "paindiary/values.py"),
        (
            "tests/test_models.py",
            "tests/test_models_messages.py",
            "tests/test_registry.py",
            "tests/test_hardening_values.py",
            "tests/test_bad_input.py",
            "tests/test_cli_records.py",
            "tests/test_promises_views.py",
        ),
    ),
    "db": Group(
        ("paindiary/db/*",),
        (
            "tests/test_db.py",
            "tests/test_db_handle.py",
            "tests/test_db_copies.py",
            "tests/test_db_connection.py",
            "tests/test_migrations.py",
            "tests/test_search.py",
            "tests/test_repeated_hour.py",
            "tests/test_safety_commands.py",
            "tests/test_promises_safety.py",
        ),
    ),
    "backups": Group(
        ("paindiary/backups.py", "paindiary/files.py"),
        (
            "tests/test_safety_commands.py",
            "tests/test_hardening_files.py",
            "tests/test_temporaries.py",
            "tests/test_privacy.py",
            "tests/test_backups_doctor.py",
            "tests/test_backups_restore.py",
            "tests/test_files_private.py",
            "tests/test_db.py",
            "tests/test_promises_safety.py",
        ),
    ),
    "importer": Group(
        ("paindiary/transfer/importer.py", "paindiary/transfer/staging.py", "paindiary/io/source.py"),
        (
            "tests/test_import.py",
            "tests/test_import_fast.py",
            "tests/test_formats.py",
            "tests/test_io_properties.py",
            "tests/test_assessments_io.py",
            "tests/test_import_promises.py",
            "tests/test_import_source.py",
            "tests/test_daylio.py",
            "tests/test_promises_import.py",
        ),
    ),
    "csv": Group(
        ("paindiary/io/csv_format.py",),
        (
            "tests/test_formats.py",
            "tests/test_csv_cells.py",
            "tests/test_export.py",
            "tests/test_import.py",
            "tests/test_io_properties.py",
            "tests/test_promises_import.py",
        ),
    ),
    "json": Group(
        ("paindiary/io/json_format.py", "paindiary/io/jsonl_format.py"),
        (
            "tests/test_formats.py",
            "tests/test_json_documents.py",
            "tests/test_export.py",
            "tests/test_import.py",
            "tests/test_io_properties.py",
            "tests/test_assessments_io.py",
            "tests/test_promises_import.py",
        ),
    ),
}


def workdir(name: str) -> Path:
    """``.mutation/NAME/``: links to the checkout's files, and mutmut's ``mutants/`` folder."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    for entry in LINKED:
        link = folder / entry
        if not link.exists() and (ROOT / entry).exists():
            link.symlink_to(ROOT / entry)
    return folder


def run(name: str, group: Group, max_children: int | None, recheck: list[str] | None = None) -> int:
    """Run mutmut for the group in its folder, with the group's modules and tests.

    ``recheck``: run these mutants again, each in a process that imports paindiary afresh. A
    function that runs while a module is imported (the registry's tables, the Entry class)
    is otherwise called before the mutant is switched on, so its mutants look like survivors.
    """
    import mutmut.configuration as configuration  # the mutation extra; not a test dependency

    os.chdir(workdir(name))
    settings = configuration.config()
    settings.only_mutate = list(group.modules)
    missing = [test for test in group.tests if not (ROOT / test).exists()]
    if missing:  # a renamed test file would otherwise drop out of the run unseen
        raise SystemExit(f"{name}: no such test file: {', '.join(missing)}")
    tests = list(group.tests)
    settings.pytest_add_cli_args_test_selection = tests
    settings.pytest_add_cli_args = [*group.pytest_args, "-p", "no:cacheprovider"]
    if recheck:
        settings.process_isolation = configuration.ProcessIsolation.FORKSERVER
        settings.forkserver_warmup = configuration.ForkServerWarmup.NONE
    from mutmut.__main__ import cli  # reads the configuration set above

    patterns = [module.removesuffix(".py").replace("/", ".") + ("" if module.endswith("*") else ".*")
                for module in group.modules]  # fmt: skip
    patterns = recheck or patterns
    args = ["run", *patterns] if max_children is None else ["run", "--max-children", str(max_children), *patterns]
    try:
        cli(args, standalone_mode=False)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


def results(name: str, group: Group) -> dict[str, Counter[str]]:
    """Each mutated module's mutants counted by outcome, read from mutmut's files of the last run."""
    from mutmut.stats import status_by_exit_code

    counts: dict[str, Counter[str]] = {}
    base = workdir(name) / "mutants"
    for module in group.modules:
        for meta in sorted(base.glob(module + ".meta")):
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            counts[str(meta.relative_to(base)).removesuffix(".meta")] = Counter(
                status_by_exit_code[code] for code in codes.values()
            )
    return counts


def survivors(name: str, group: Group) -> list[str]:
    """The names of the mutants that survived the last run, in file order."""
    base = workdir(name) / "mutants"
    found: list[str] = []
    for module in group.modules:
        for meta in sorted(base.glob(module + ".meta")):
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            found += [key for key, code in codes.items() if code == 0]
    return found


def report(name: str, group: Group) -> None:
    """Print killed/total per module (timeouts count as killed, as mutmut counts them) and the survivors."""
    all_killed = all_total = 0
    for module, counts in results(name, group).items():
        total = sum(counts.values())
        if not total:
            continue  # (a module without functions, such as a package's __init__)
        killed = counts["killed"] + counts["timeout"]
        rest = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()) if status not in ("killed",))
        print(f"{module}: {killed}/{total} killed ({100 * killed / total:.1f}%); {rest}")
        all_killed, all_total = all_killed + killed, all_total + total
    if all_total:
        print(f"{name}: {all_killed}/{all_total} killed ({100 * all_killed / all_total:.1f}%)")
    for mutant in survivors(name, group):
        print("survived:", mutant)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("group", choices=sorted(GROUPS))
    parser.add_argument("--report", action="store_true", help="print the last run's figures and survivors")
    parser.add_argument("--recheck", action="store_true", help="run the survivors again with fresh imports")
    parser.add_argument("--show", metavar="MUTANT", help="print one mutant's diff")
    parser.add_argument("--max-children", type=int, help="worker processes (default: the number of CPUs)")
    options = parser.parse_args()
    group = GROUPS[options.group]
    if options.show:
        folder = workdir(options.group)
        return subprocess.call([sys.executable, "-m", "mutmut", "show", options.show], cwd=folder)
    if not options.report:
        recheck = survivors(options.group, group) if options.recheck else None
        if recheck == []:
            print("no survivors to check again")
        code = run(options.group, group, options.max_children, recheck) if recheck != [] else 0
        if code:
            return code
    report(options.group, group)
    return 0


if __name__ == "__main__":
    sys.exit(main())
