"""Hand-made diaries for the chart and report tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from paindiary import models
from paindiary.charts import data as chart_data
from paindiary.models import Entry, Medication, Treatment


def day(start: str, offset: int) -> str:
    return (date.fromisoformat(start) + timedelta(days=offset)).isoformat()


def entry(stamp: str, pain: float | None = None, **values: Any) -> Entry:
    return models.make_entry({"recorded_at": stamp, "pain": pain, **values})


def session(stamp: str, name: str = "ketamine infusion", **values: Any) -> Treatment:
    return models.make_treatment({"started_at": stamp, "name": name, **values})


def dose(stamp: str, amount: float = 10, name: str = "oxycodone", unit: str = "mg") -> Medication:
    return models.make_medication({"taken_at": stamp, "name": name, "dose": amount, "dose_unit": unit})


def two_courses() -> tuple[list[Entry], list[Treatment], list[Medication]]:
    """Pain 6 from 2026-01-01, a session on 01-10 (pain 3 after), a second on 01-20, data to 01-31.

    Every day also has worst/least pain, sleep and mood; oxycodone 10 mg every morning.
    """
    entries, meds = [], []
    for i in range(31):
        d = day("2026-01-01", i)
        pain = 6.0 if d < "2026-01-11" else 3.0 if d < "2026-01-20" else 4.0
        entries.append(
            entry(
                d,
                pain,
                worst_pain=pain + 1,
                least_pain=pain - 1,
                sleep_hours=6 + i % 3,
                sleep_quality=5,
                mood=10 - pain,
                enjoyment=pain,
                activity=pain,
            )
        )
        meds.append(dose(f"{d}T08:00"))
    sessions = [
        session("2026-01-10T09:00", side_effects=[{"name": "nausea", "severity": 3}], heart_rate_before=70,
                heart_rate_after=88, systolic_before=120, diastolic_before=80, systolic_after=135, diastolic_after=85),
        session("2026-01-20T09:30", "lidocaine infusion"),
    ]  # fmt: skip
    return entries, sessions, meds


def build(records: tuple[list, list, list] | None = None, **options: Any) -> chart_data.ChartData:
    return chart_data.build(*(records or two_courses()), **options)


def texts(fig: Any) -> list[str]:
    """Every text drawn on a figure (figure texts, titles, labels, tick labels, legends)."""
    found = [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]
    return [t for t in found if t]


def window_days(ax: Any, label: str) -> list[date]:
    """The first day of each window the patch labelled ``label`` shades on ``ax`` (trend.BASELINES_LABEL, ...)."""
    import matplotlib.dates as mdates

    patches = [patch for patch in ax.patches if patch.get_label() == label]
    if not patches:
        return []
    (patch,) = patches
    starts = patch.get_path().vertices[::5, 0]  # (a rectangle a window: five vertices, from its lower left)
    return [mdates.num2date(x).date() for x in starts]
