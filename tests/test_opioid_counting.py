"""Opioids counted, or said not to be (issue 13): brand names in MME, warnings on `med add`, unconverted doses."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from paindiary import analysis
from paindiary.models import Medication
from tests.conftest import Run


def dose(name: str, amount: float, unit: str = "mg", day: int = 1) -> Medication:
    return Medication(taken_at=f"2026-03-{day:02d}T08:00:00", name=name, dose=amount, dose_unit=unit)


def test_brand_names_count_in_mme_as_their_generic_and_generic_results_do_not_change() -> None:
    meds = [dose("OxyContin", 10), dose("Percocet 5/325", 5), dose("Tylenol #3", 30), dose("oxycodone", 10, day=2)]
    # 10 x 1.5 + 5 x 1.5 + 30 x 0.15 = 27 on day 1; 10 x 1.5 = 15 on day 2, as before
    assert analysis.daily_mme([], meds) == {"2026-03-01": 27.0, "2026-03-02": 15.0}


def test_unconverted_opioid_doses_counts_other_units_and_near_misses_only() -> None:
    meds = [
        dose("oxycodone", 10, "mcg"),  # a known opioid, not in mg
        dose("OxyContin", 1, "tablet"),  # a brand name, not in mg
        dose("oxycodon", 10),  # a typo of an opioid
        dose("oxycodon", 10, day=2),  # (twice)
        dose("oxycodone", 10),  # counted in MME
        dose("pregabalin", 75),  # not an opioid
        dose("Tylenol", 500),  # acetaminophen alone
    ]
    assert analysis.unconverted_opioid_doses(meds) == 4


def test_analyze_json_has_the_count(run: Run, clock: object) -> None:
    run("med", "add", "oxycodone", "10", "mcg", "--at", "2026-03-01T08:00")
    run("med", "add", "oxycodone", "10", "mg", "--at", "2026-03-01T20:00")
    result = run.json("analyze")
    assert result["unconverted_opioid_doses"] == 1
    assert list(result) == ["parameters", "courses", "unconverted_opioid_doses"]


@pytest.mark.parametrize(
    ("args", "warning"),
    [
        (["oxycodon", "10", "mg"], "Warning: oxycodon: not counted as an opioid; did you mean oxycodone?"),
        (["oxycodone", "10", "mcg"], "Warning: oxycodone in mcg is not converted to MME (only doses in mg are)."),
        (["OxyContin", "10", "tablet"], "Warning: oxycodone in tablet is not converted to MME"),
    ],
)
def test_med_add_warns_but_stores(run: Run, clock: object, args: list[str], warning: str) -> None:
    result = run("med", "add", *args)
    assert warning in result.stderr
    assert [m["name"] for m in run.json("med", "list")] == [args[0]]


@pytest.mark.parametrize("args", [["oxycodone", "10", "mg"], ["OxyContin", "20", "mg"], ["pregabalin", "75", "mg"]])
def test_med_add_is_quiet_for_counted_and_other_doses(run: Run, clock: object, args: list[str]) -> None:
    assert "Warning" not in run("med", "add", *args).stderr


def test_summary_analyze_table_and_report_say_how_many_doses_were_not_converted(
    run: Run, clock: object, tmp_path: Path
) -> None:
    run("log", "5", "--at", "2026-03-01")
    for day in (1, 2):
        run("med", "add", "oxycodone", "10", "mcg", "--at", f"2026-03-0{day}T08:00")
    sentence = "2 doses look like an opioid but are not counted in MME"
    assert sentence in " ".join(run("summary").stdout.split())
    run("treatment", "add", "--at", "2026-03-02T09:00", "--name", "ketamine")
    assert sentence in " ".join(run("analyze").stdout.split())
    run("report", "-o", str(tmp_path / "r.pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
    assert sentence in " ".join(text.split())
