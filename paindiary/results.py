"""The results of :mod:`paindiary.analysis`, as frozen dataclasses: read by attribute, printed by ``to_dict()``.

:class:`Analysis` (``paindiary analyze``) holds :class:`Parameters` and one :class:`Course`
per course, each with a :class:`Comparison` per measure of :mod:`paindiary.registry`, its
:class:`Relief` and the follow-up check-ins attributed to it (:class:`CourseAssessment`, and
the latest PGIC as :class:`CoursePgic`, filled in by :func:`paindiary.followup.with_assessments`);
:class:`PeriodSummary` is one row of ``paindiary summary``. ``to_dict()`` gives
exactly the ``--json`` output (its keys and their order are the public contract); the table,
the charts and the report read the attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Parameters:
    """The windows and thresholds an analysis used (``parameters`` in ``analyze --json``)."""

    baseline_days: int
    followup_days: int
    min_days: int
    horizon_days: int
    course_gap_days: int
    relief_threshold_pct: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """One measure over one course: its daily mean in the baseline and follow-up windows."""

    baseline_mean: float | None
    baseline_days: int
    followup_mean: float | None
    followup_days: int
    change: float | None  # follow-up mean - baseline mean
    pct_change: float | None  # change as a percentage of the baseline mean (None when that is 0)
    response: str | None = None  # IMMPACT category, when judged and both windows have enough days
    judged: bool = False  # a response is judged for this measure (pain, PEG): only then is it in the JSON
    nap: float | None = None  # Non-overlap of All Pairs of the daily values (None: a window has no value)
    ci95: tuple[float, float] | None = None  # Welch 95% interval for change (None: a window has < 2 values)
    baseline_slope: float | None = None  # least-squares slope of the baseline per day (None: < 3 values)

    def to_dict(self) -> dict[str, float | int | str | list[float] | None]:
        out: dict[str, float | int | str | list[float] | None] = {
            "baseline_mean": self.baseline_mean,
            "baseline_days": self.baseline_days,
            "followup_mean": self.followup_mean,
            "followup_days": self.followup_days,
            "change": self.change,
            "pct_change": self.pct_change,
        }
        if self.judged:
            out["response"] = self.response
        out["nap"] = self.nap
        out["ci95"] = None if self.ci95 is None else [self.ci95[0], self.ci95[1]]
        out["baseline_slope"] = self.baseline_slope
        return out


@dataclass(frozen=True)
class Relief:
    """Onset (days after the last session; None: no relief) and duration of relief after a course."""

    onset_day: int | None
    duration_days: int
    ongoing: bool

    def to_dict(self) -> dict[str, int | bool | None]:
        return asdict(self)


@dataclass(frozen=True)
class CourseAssessment:
    """A follow-up answer attributed to a course (one element of a course's ``assessments``)."""

    id: int | None
    recorded_at: str
    instrument: str  # "pgic" or "peg"
    day: int  # its day minus the course's last session day Dk
    score: float | int | None  # the PGIC value (a whole number), or the PEG score (mean of its items)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class CoursePgic:
    """The latest PGIC answer attributed to a course (a course's ``pgic``)."""

    score: int  # 1 very much improved .. 7 very much worse
    label: str  # the answer in words
    day: int  # days after the course's last session day Dk
    improved: bool  # 1 or 2: "much" or "very much improved", the anchor of a clinically important change

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Course:
    """The before/after result of one course (one element of ``courses`` in ``analyze --json``)."""

    first_session: str
    last_session: str
    sessions: int
    name: str
    status: str  # "ok" or "insufficient_data"
    metrics: Mapping[str, Comparison]  # every measure of the registry, by name
    same_day_after_pain: float | None
    relief: Relief | None  # None when the status is not ok
    assessments: tuple[CourseAssessment, ...] = ()  # attributed check-ins, oldest first
    pgic: CoursePgic | None = None  # the latest attributed PGIC, if any

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, object]:
        return {
            "first_session": self.first_session,
            "last_session": self.last_session,
            "sessions": self.sessions,
            "name": self.name,
            "status": self.status,
            "metrics": {name: comparison.to_dict() for name, comparison in self.metrics.items()},
            "same_day_after_pain": self.same_day_after_pain,
            "relief": None if self.relief is None else self.relief.to_dict(),
            "assessments": [assessment.to_dict() for assessment in self.assessments],
            "pgic": None if self.pgic is None else self.pgic.to_dict(),
        }


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyze` finds: its parameters and one :class:`Course` per course analysed."""

    parameters: Parameters
    courses: tuple[Course, ...]
    unconverted_opioid_doses: int = 0  # doses that look like opioid doses but are not in MME

    def to_dict(self) -> dict[str, object]:
        """Exactly what ``paindiary analyze --json`` prints."""
        return {
            "parameters": self.parameters.to_dict(),
            "courses": [course.to_dict() for course in self.courses],
            "unconverted_opioid_doses": self.unconverted_opioid_doses,
        }


@dataclass(frozen=True)
class PeriodSummary:
    """One week or month of :func:`summarize`: days logged and the mean daily value of each measure."""

    period: str  # "2026-W10" or "2026-03"
    start: str
    end: str
    days_logged: int
    means: Mapping[str, float | None]  # every measure of the registry, by name

    def to_dict(self) -> dict[str, object]:
        """One element of ``paindiary summary --json``."""
        return {"period": self.period, "start": self.start, "end": self.end, "days_logged": self.days_logged,
                **self.means}  # fmt: skip
