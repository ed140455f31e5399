"""The registry: metrics declared once, read by every layer; a new metric is one declaration and one migration.

The first test adds a throwaway metric the way a contributor would (a declaration in
paindiary.registry and a migration adding its column) and checks that every layer
picks it up: log --help, log, entry list, export, summary, analyze, FHIR and the
trend chart's panels. The entry record and the commands are built from the registry
when paindiary is imported, so the metric is declared in a fresh process before
that, exactly as editing registry.py would.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from paindiary import models, registry

PROBE = r"""
import json, sqlite3, sys
from paindiary import registry

# 1. the declaration (what a contributor adds to METRICS in paindiary/registry.py)
registry.METRICS = (*registry.METRICS, registry.Metric(
    name="newmetric", flag="--newmetric", label="New metric", help="A new metric, 0-10.",
))

# 2. the migration (what a contributor adds to the migrations): the column, and the metric in the
#    "at least one value" CHECK, which SQLite changes by rebuilding the table
from paindiary import db
from paindiary.db import fulltext, schema

@schema.migration
def add_newmetric(conn: sqlite3.Connection) -> None:
    (create,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'").fetchone()
    column = "newmetric REAL CHECK (newmetric BETWEEN 0 AND 10)"
    create = create.replace("note TEXT CHECK", f"{column},\n  note TEXT CHECK", 1)
    create = create.replace("note) IS NOT NULL", "newmetric, note) IS NOT NULL", 1)
    schema.rebuild_table(conn, "entries", create)  # (its rows and its indexes kept)
    fulltext.rebuild(conn)  # (the old table's search triggers went with it)

schema.SCHEMA_VERSION = len(schema.MIGRATIONS)  # set by the module when it is loaded

# 3. every layer, through the CLI where it has one
from typer.testing import CliRunner
from paindiary import store
from paindiary.cli import app

runner = CliRunner()
out = {}

def run(*args):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    out.setdefault("codes", []).append([list(args), result.exit_code, result.stderr[-300:]])
    return result.stdout

out["help"] = run("log", "--help")
run("log", "--newmetric", "3", "--at", "2026-03-02")
run("log", "6", "--newmetric", "7", "--mood", "4", "--at", "2026-03-03")
run("log", "5", "--at", "2026-03-04", "--note", "zebrafinch")
out["search"] = json.loads(run("search", "zebrafinch", "--json"))  # (the migration made the search triggers again)
run("entry", "edit", "3", "--newmetric", "2.5")
out["refused"] = runner.invoke(app, ["log", "--newmetric", "11"]).stderr
out["list_json"] = json.loads(run("entry", "list", "--json"))
out["list"] = run("entry", "list")
out["csv"] = run("export", "--format", "csv")
out["summary"] = json.loads(run("summary", "--json"))
run("treatment", "add", "--at", "2026-03-03 09:00", "--name", "ketamine")
out["analyze"] = json.loads(run("analyze", "--json"))
out["fhir"] = [
    [e["resource"]["code"]["coding"][0]["code"], e["resource"]["valueQuantity"]["value"]]
    for e in json.loads(run("export", "--format", "fhir"))["entry"]
    if e["resource"]["resourceType"] == "Observation"
]
out["chart_help"] = run("chart", "--help")
run("chart", "--metric", "newmetric", "-o", "new.svg")

from paindiary.charts import data as chart_data
from paindiary.charts import trend

with db.open_db(db.default_path(), create=False) as diary:
    chart = chart_data.build(*store.load_diary(diary.conn))
    out["indexes"] = [row[1] for row in diary.conn.execute("PRAGMA index_list(entries)")]
plan = chart_data.plan_trend(chart)
figure = trend.trend_figure(plan, chart)
out["panels"] = list(plan.panels)
out["ylabels"] = [axes.get_ylabel() for axes in figure.axes]
out["legend"] = [text.get_text() for legend in figure.legends for text in legend.get_texts()]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_a_metric_added_to_the_registry_reaches_every_layer(db_path: Path, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(code == 0 for _, code, _ in out["codes"]), out["codes"]
    # log --help shows its flag and help; log and entry edit store it; its range is checked
    assert "--newmetric" in out["help"] and "A new metric, 0-10." in out["help"]
    assert "--newmetric: '11' is not valid; expected a number from 0 to 10." in out["refused"]
    # entry list --json and the table show it
    assert [entry["newmetric"] for entry in out["list_json"]] == [3, 7, 2.5]
    assert [(hit["kind"], hit["id"]) for hit in out["search"]] == [("entries", 3)]  # the index follows the table
    assert out["indexes"] == ["entries_key"]  # the table's key index, made again after the rebuild
    assert list(out["list_json"][0])[-3:] == ["newmetric", "note", "tags"]  # a metric among the metrics
    assert "newmetric" in out["list"].splitlines()[2]  # the header row
    # export --format csv has its column, after the other metrics
    header, *rows = out["csv"].splitlines()
    assert header.split(",")[-3:] == ["newmetric", "note", "tags"]
    assert [row.split(",")[-3] for row in rows] == ["3", "7", "2.5"]
    # summary and analyze have it; FHIR codes it with the paindiary code system
    assert out["summary"][0]["newmetric"] == (3 + 7 + 2.5) / 3
    assert out["analyze"]["courses"][0]["metrics"]["newmetric"]["baseline_mean"] == 3
    assert ["newmetric", 7] in out["fhir"]
    # the trend chart has a panel for it, drawn with its label and range, and chart --metric takes it
    assert "newmetric" in out["chart_help"]
    assert out["panels"] == ["pain", "mood", "newmetric"]  # by default; no sleep or medication was logged
    assert "New metric (0-10)" in out["ylabels"]
    assert "New metric" in out["legend"]
    assert (tmp_path / "new.svg").stat().st_size > 0


# --- the registry itself -------------------------------------------------------------


def test_each_metric_is_declared_once_with_a_flag_people_type() -> None:
    names = [metric.name for metric in registry.METRICS]
    flags = [metric.flag for metric in registry.METRICS]
    assert len(set(names)) == len(names) and len(set(flags)) == len(flags)
    assert all(name.isidentifier() and flag.startswith("--") for name, flag in zip(names, flags, strict=True))
    assert [metric.name for metric in registry.METRICS if metric.argument_help] == ["pain"]  # log's PAIN
    assert {metric.name: metric.flag for metric in registry.METRICS}["least_pain"] == "--least"


def test_loinc_codes_are_the_documented_ones() -> None:
    # DOMAIN.md: pain severity 72514-3, sleep duration 93832-4; no LOINC code for the other daily ratings
    codes = {metric.name: metric.loinc for metric in registry.METRICS}
    assert codes == {name: None for name in codes} | {"pain": "72514-3", "sleep_hours": "93832-4"}


def test_the_entry_record_has_the_registry_metrics_in_order() -> None:
    fields = [field.name for field in dataclasses.fields(models.Entry)]
    assert fields == ["recorded_at", *registry.metric_names(), "note", "tags", "id"]
    assert models.ENTRIES.fields == tuple(fields[:-1])
    assert models.ENTRY_RULES.any_of[:-1] == tuple(sorted(registry.metric_names(), key=models._ENTRY_NUMBERS.index))


def test_peg_and_the_tables_follow_the_declarations() -> None:
    assert registry.peg_items() == ("pain", "enjoyment", "activity")
    assert [measure.name for measure in registry.tabled()] == [
        "pain", "worst_pain", "least_pain", "peg", "sleep_hours", "sleep_quality", "mood", "mme",
    ]  # fmt: skip
    assert [panel.name for panel in registry.panels()] == ["pain", "sleep", "mood", "peg", "mme"]
    assert [panel.name for panel in registry.panels() if panel.default] == ["pain", "sleep", "mood", "peg", "mme"]
    assert [panel.name for panel in registry.panels() if panel.quiet] == ["peg", "mme"]  # drawn when logged


def test_declarations_are_frozen_keyword_records_with_filled_in_labels() -> None:
    least = registry.measure("least_pain")
    assert isinstance(least, registry.Metric)
    assert (least.short, least.column, least.weekly, least.overview) == ("least", "least", "Least", "Least pain (0-10)")
    assert (least.metavar, least.help, least.prompt, least.code) == ("0-10", "Least pain, 0-10.", "Least pain 0-10",
                                                                     "least-pain")  # fmt: skip
    with pytest.raises(AttributeError, match="frozen"):
        least.flag = "--lowest"  # type: ignore[misc]
    with pytest.raises(TypeError, match="lowest"):
        registry.Metric(name="x", flag="--x", label="X", lowest=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="flag"):
        registry.Metric(name="x", label="X")  # type: ignore[call-arg]
    made = registry.Metric(name="fatigue", flag="--fatigue", label="Fatigue")
    assert made.panel == registry.Panel("fatigue", "fatigue") and made.demo is None
    assert registry.Metric(name="x", flag="--x", label="X", charted=False).panel is None
