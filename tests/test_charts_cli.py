"""``paindiary chart`` and ``paindiary report`` as a person uses them, and ``demo``'s files."""

from __future__ import annotations

import io
import stat
import subprocess
import sys
from pathlib import Path

from chartkit import two_courses
from pypdf import PdfReader

from paindiary import db as dbmod
from paindiary import diary
from paindiary.store import ENTRIES, MEDICATIONS, TREATMENTS


def fill(path: Path, records: tuple[list, list, list]) -> None:
    batches = [
        (kind, [r.to_dict() for r in rs]) for kind, rs in zip((ENTRIES, TREATMENTS, MEDICATIONS), records, strict=True)
    ]
    with dbmod.open_db(path) as handle:
        diary.add_all(handle, batches)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_chart_writes_a_private_png_by_default_and_prints_its_path(run, db_path: Path, tmp_path: Path) -> None:
    fill(db_path, two_courses())
    result = run("chart")
    out = tmp_path / "paindiary-trend.png"
    assert result.stdout.strip() == "paindiary-trend.png"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and mode(out) == 0o600


def test_chart_format_follows_the_extension(run, db_path: Path, tmp_path: Path) -> None:
    fill(db_path, two_courses())
    run("chart", "--view", "course", "-o", "courses.svg")
    assert (tmp_path / "courses.svg").read_text().lstrip().startswith("<?xml")
    run("chart", "--metric", "pain", "--metric", "mme", "-o", "out/trend.pdf", "--patient", "Robin Roe")
    pdf = (tmp_path / "out" / "trend.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and "Robin Roe" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    result = run("chart", "-o", "chart.jpg", code=1)
    assert "end it with .png, .svg or .pdf" in result.stderr and not (tmp_path / "chart.jpg").exists()


def test_chart_dpi_sets_the_png_size(run, db_path: Path, tmp_path: Path) -> None:
    fill(db_path, two_courses())
    run("chart", "-o", "a.png", "--dpi", "50")
    run("chart", "-o", "b.png", "--dpi", "100")
    width = [int.from_bytes((tmp_path / name).read_bytes()[16:20], "big") for name in ("a.png", "b.png")]
    assert width == [550, 1100]  # 11 inches wide


def test_chart_of_an_empty_period_is_a_clear_error(run, db_path: Path) -> None:
    fill(db_path, two_courses())
    result = run("chart", "--since", "2027-01-01", code=1)
    assert result.stderr.startswith("Error: Nothing recorded between 2027-01-01 and the end")
    assert "Traceback" not in result.stderr


def test_chart_without_a_diary_says_what_to_do(run) -> None:
    result = run("chart", code=1)
    assert "No diary at" in result.stderr


def test_sparse_chart_draws_what_exists_and_says_what_is_missing(run, tmp_path: Path) -> None:
    run("log", "--at", "2026-02-01", "--sleep", "7")
    run("log", "--at", "2026-02-02", "--sleep", "6")
    result = run("chart", "--metric", "pain", "--metric", "sleep")
    assert "No pain logged between 2026-02-01 and 2026-02-02." in result.stderr
    assert (tmp_path / "paindiary-trend.png").exists()
    result = run("chart", "--view", "course", code=1)
    assert "No treatment sessions between 2026-02-01 and 2026-02-02" in result.stderr


def test_report_writes_a_private_pdf(run, db_path: Path, tmp_path: Path) -> None:
    fill(db_path, two_courses())
    result = run("report", "--paper", "letter")
    out = tmp_path / "paindiary-report.pdf"
    assert result.stdout.strip() == "paindiary-report.pdf" and mode(out) == 0o600
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 5  # summary (2 pages: many sessions), trend, course; medication, weekly, notes
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == [612.0, 792.0]  # 8.5 x 11 inches
    assert reader.metadata.title == "Pain diary report, 2026-01-01 to 2026-01-31"


def test_report_period_options(run, db_path: Path, tmp_path: Path) -> None:
    fill(db_path, two_courses())
    run("report", "--since", "2026-01-15", "--until", "2026-01-25", "-o", "short.pdf")
    title = PdfReader(tmp_path / "short.pdf").metadata.title
    assert title == "Pain diary report, 2026-01-15 to 2026-01-25"
    result = run("report", "--all", "--until", "2026-01-20", code=2)
    assert "--all" in result.stderr
    result = run("report", "-o", "report.png", code=2)
    assert "PDF" in result.stderr


def test_demo_writes_its_trend_chart_and_report(run, tmp_path: Path) -> None:
    result = run("demo")
    trend, report = tmp_path / "paindiary-demo-trend.png", tmp_path / "paindiary-demo-report.pdf"
    assert f"Wrote the demo's trend chart to {trend.name} and its report to {report.name}." in result.stderr
    assert mode(trend) == 0o600 and mode(report) == 0o600
    assert len(PdfReader(report).pages) == 6


def test_start_up_does_not_import_matplotlib() -> None:
    code = "import sys, paindiary.cli; print(sorted(m for m in ('matplotlib', 'numpy') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
