"""paindiary.regimen: each drug's daily totals, usual dose, changes, started and stopped (hand-computed)."""

from __future__ import annotations

from dataclasses import dataclass

from paindiary import regimen
from paindiary.regimen import Change


@dataclass(frozen=True)
class Dose:
    taken_at: str
    name: str
    dose: float
    dose_unit: str = "mg"


def _day(n: int) -> str:
    return f"2026-03-{n:02d}"


def test_a_dose_increase_that_holds_is_a_change_and_one_missed_dose_is_not() -> None:
    doses = []
    for n in range(1, 21):
        per_dose = 75 if n <= 10 else 150
        doses.append(Dose(f"{_day(n)}T08:00:00", "Pregabalin", per_dose))
        if n != 5:  # the evening dose of day 5 was missed: 75 that day, back to 150 the next
            doses.append(Dose(f"{_day(n)}T20:00:00", "pregabalin", per_dose))
    (course,) = regimen.drug_courses(doses, "2026-03-01", "2026-03-20")
    assert (course.name, course.unit, course.first_dose, course.last_dose) == (
        "Pregabalin",
        "mg",
        _day(1),
        _day(20),
    )  # 20 of 39
    assert course.daily[4] == (_day(5), 75) and course.daily[10] == (_day(11), 300)
    assert course.usual_start == 150  # median of days 1-7: 150, 150, 150, 150, 75, 150, 150
    assert course.usual_end == 300
    assert course.changes == (Change(_day(11), "up", 150, 300),)


def test_started_in_the_period_and_stopped_before_its_end() -> None:
    before = [Dose(f"2026-02-{n:02d}T08:00:00", "oxycodone", 10) for n in range(20, 29)]
    oxy = before + [Dose(f"{_day(n)}T08:00:00", "oxycodone", 10 if n <= 3 else 5) for n in range(1, 9)]
    new = [Dose(f"{_day(n)}T09:00:00", "duloxetine", 30) for n in range(10, 21)]
    courses = regimen.drug_courses(oxy + new, "2026-03-01", "2026-03-20")
    assert [c.name for c in courses] == ["oxycodone", "duloxetine"]  # by first dose in the period
    oxycodone, duloxetine = courses
    assert oxycodone.changes == (Change(_day(4), "down", 10, 5), Change(_day(8), "stopped", 5, None))
    assert duloxetine.changes == (Change(_day(10), "started", None, 30),)  # taken to the end: not stopped


def test_a_drug_taken_until_six_days_before_the_end_is_not_stopped_and_units_are_separate_lanes() -> None:
    doses = [Dose(f"{_day(n)}T08:00:00", "morphine", 10) for n in range(1, 15)]
    doses.append(Dose(f"{_day(3)}T09:00:00", "morphine", 2, "ml"))
    courses = regimen.drug_courses(doses, "2026-03-01", "2026-03-20")
    mg = next(c for c in courses if c.unit == "mg")
    assert [c.unit for c in courses] == ["mg", "ml"]
    assert mg.changes == ()  # last dose 03-14, six days before 03-20
    ml = next(c for c in courses if c.unit == "ml")
    assert ml.changes[-1].kind == "stopped" and ml.changes[0].kind == "started"


def test_stopped_exactly_seven_days_before_the_end_and_a_last_day_blip_is_no_change() -> None:
    doses = [Dose(f"{_day(n)}T08:00:00", "tramadol", 50) for n in range(1, 14)]
    doses.append(Dose(f"{_day(13)}T20:00:00", "tramadol", 50))  # 100 on the last dosing day only
    (course,) = regimen.drug_courses(doses, "2026-03-01", "2026-03-20")
    assert course.changes == (Change(_day(13), "stopped", 100, None),)  # 03-13 is 7 days before 03-20
    (kept,) = regimen.drug_courses(doses, "2026-03-01", "2026-03-19")
    assert kept.changes == ()  # 6 days before the end: still taken
