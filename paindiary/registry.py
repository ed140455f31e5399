"""The registry: every measure a diary holds, declared once, and read by every layer.

A :class:`Metric` is a value of a diary entry (``pain``, ``sleep_hours``...): its
field name (the record attribute, database column, JSON key and CSV column), the
flag people type, its labels, unit, range, prompt and FHIR code, and where it is
shown. :data:`PEG` and :data:`MME` are measures the analysis derives (from the
PEG items, and from medication doses). :data:`SESSION_NUMBERS` holds the ranges of
a treatment session's numbers (duration and vital signs).

What follows from here, with no other list to edit: the entry record and its
validation (:mod:`paindiary.models`), the options and prompts of ``log`` and
``entry edit``, the ``entry list`` columns, the analysis and summaries, the chart
panels, the report's tables, the CSV/JSON column order, the FHIR codes and the
demo diary. The README ("Adding a metric") shows the two files a new metric takes:
this one and a migration adding its column.

The functions below read :data:`METRICS` when called, so everything built from
them sees the same list. ``log`` reads this module at start-up, so it stays cheap:
it imports nothing heavy, and its record classes are made by :func:`declared`
(frozen, keyword-only records, as the type checker is told) instead of dataclasses,
whose code generation would cost ``log`` several milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dataclasses import dataclass as declared
    from random import Random
else:

    def declared(*, frozen: bool, kw_only: bool) -> Callable[[type], type]:
        """``dataclass(frozen=True, kw_only=True)`` without generating code: keyword fields with defaults.

        The fields are the class's (and its bases') annotations in order; a default is the class
        attribute of that name. The instance is read-only once ``__post_init__`` (if any) has run.
        """
        assert frozen and kw_only

        def build(cls: type) -> type:
            names = list(dict.fromkeys(n for c in reversed(cls.__mro__) for n in vars(c).get("__annotations__", {})))
            defaults = {name: getattr(cls, name) for name in names if hasattr(cls, name)}

            def __init__(self: object, **values: object) -> None:
                unknown = sorted(set(values) - set(names))
                if unknown:
                    raise TypeError(f"{cls.__name__}() got unexpected keyword argument(s) {', '.join(unknown)}")
                for name in names:
                    if name not in values and name not in defaults:
                        raise TypeError(f"{cls.__name__}() missing keyword argument {name!r}")
                    object.__setattr__(self, name, values[name] if name in values else defaults[name])
                post_init = getattr(self, "__post_init__", None)
                if post_init is not None:
                    post_init()

            def __setattr__(self: object, name: str, value: object) -> None:
                raise AttributeError(f"cannot assign to field {name!r}: {cls.__name__} is frozen")

            def __repr__(self: object) -> str:
                return f"{cls.__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"

            cls.__init__ = __init__
            cls.__setattr__ = __setattr__
            cls.__repr__ = __repr__
            return cls

        return build


#: How the demo patient's value is drawn: (random generator, the day so far) -> value.
#: The day holds ``relief`` (points of pain the demo's treatments take away that day)
#: and the values drawn before, by field name; the demo clamps to the metric's range.
DemoDraw = Callable[["Random", Mapping[str, float]], float]


class Panel(NamedTuple):
    """A panel of the trend chart, as ``paindiary chart --metric NAME`` chooses it."""

    name: str
    words: str  # what is missing when it has no data: "No {words} logged ..."
    default: bool = True  # drawn when no --metric is given
    quiet: bool = False  # by default drawn only when it has data; its absence is said only when asked for


@declared(frozen=True, kw_only=True)
class Measure:
    """A daily measure: analysed per course, summarised per period, charted and tabled.

    Labels left empty are filled from the others (see ``__post_init__``).
    """

    name: str  # key in the analysis and summary JSON: "pain", "peg", "mme"
    label: str  # for people: "Least pain"
    low: float = 0
    high: float = 10
    lower_is_better: bool = True
    short: str = ""  # column of the summary and analyze tables: "least"
    overview: str = ""  # row of the report's overview, with its unit: "Least pain (0-10)"
    weekly: str = ""  # column of the report's weekly table: "Least"
    group: str = ""  # the topic tables keep together (PEG sits with the pain measures); default: its name
    tabled: bool = True  # shown in the summary table and the report's overview and weekly tables
    change_column: bool = False  # the analyze table shows its change (after - before)
    judged: bool = False  # an IMMPACT response category is judged on its % change
    charted: bool = True  # drawn in a trend chart panel
    panel: Panel | None = None  # that panel (default: a panel of its own, named after ``short``)
    band: bool = False  # drawn as its panel's least-to-worst band, which alone does not make a panel

    def __post_init__(self) -> None:
        self._default("short", self.name)
        self._default("weekly", self.short[:1].upper() + self.short[1:])
        self._default("overview", f"{self.label} ({self.scale})")
        self._default("group", self.name)
        if self.charted and self.panel is None:
            object.__setattr__(self, "panel", Panel(self.short, self.label.lower()))
        if not self.charted:
            object.__setattr__(self, "panel", None)

    def _default(self, attribute: str, value: str) -> None:
        if not getattr(self, attribute):
            object.__setattr__(self, attribute, value)

    @property
    def scale(self) -> str:
        """The range as people read it: ``0-10``."""
        return f"{self.low:g}-{self.high:g}" if math.isfinite(self.high) else f"{self.low:g} or more"


@declared(frozen=True, kw_only=True)
class Metric(Measure):
    """A value a diary entry holds; ``name`` is its field (record attribute, column, JSON key)."""

    flag: str  # the option of log and entry edit: "--least"
    whole: bool = False  # whole numbers only
    unit: str = "{score}"  # UCUM unit, as FHIR Observations give it
    metavar: str = ""  # how --help shows the value: "0-10", "HOURS"
    help: str = ""  # --help text of the option
    prompt: str = ""  # the question ``log`` asks on a terminal
    argument_help: str | None = None  # set on the one metric ``log`` takes as its positional argument
    column: str = ""  # column of ``entry list``
    loinc: str | None = None  # its LOINC code, where one exists
    code: str = ""  # its code in the paindiary code system when it has no LOINC code
    fhir_text: str = ""  # the display text of its FHIR code
    peg: bool = False  # an item of the PEG score (mean of the items)
    quick: bool = False  # asked by ``log --quick`` (the few questions of a busy day)
    demo: DemoDraw | None = None  # how the demo patient's value is drawn (None: the demo never logs it)
    demo_first: bool = False  # drawn before the entry's time (other values follow it)

    def __post_init__(self) -> None:
        self._default("short", self.option)
        super().__post_init__()
        self._default("column", self.short)
        self._default("metavar", self.scale)
        self._default("help", f"{self.label}, {self.scale}.")
        self._default("prompt", f"{self.label} {self.scale}")
        self._default("code", self.name.replace("_", "-"))
        self._default("fhir_text", f"{self.label}, {self.low:g} to {self.high:g}")

    @property
    def option(self) -> str:
        """The flag without its dashes, as ``log`` describes an entry: ``sleep-quality 5``."""
        return self.flag.removeprefix("--")


PAIN_PANEL = Panel("pain", "pain")
SLEEP_PANEL = Panel("sleep", "sleep")

METRICS: tuple[Metric, ...] = (
    Metric(
        name="pain", flag="--pain", label="Average pain", overview="Pain (0-10)", help="Average pain, 0-10.",
        argument_help="Average pain now/today, 0-10.", prompt="Average pain 0-10", group="pain",
        loinc="72514-3", fhir_text="Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        judged=True, peg=True, panel=PAIN_PANEL, quick=True,
        demo=lambda rng, day: 6.6 - day["relief"] + rng.gauss(0, 0.7) + (1.2 if rng.random() < 0.07 else 0),
        demo_first=True,
    ),
    Metric(
        name="worst_pain", flag="--worst", label="Worst pain", group="pain",
        fhir_text="Worst pain, 0 (no pain) to 10 (worst imaginable)", panel=PAIN_PANEL, band=True,
        demo=lambda rng, day: day["pain"] + 1.5 + abs(rng.gauss(0, 0.5)),
    ),
    Metric(
        name="least_pain", flag="--least", label="Least pain", group="pain",
        fhir_text="Least pain, 0 (no pain) to 10 (worst imaginable)", panel=PAIN_PANEL, band=True,
        demo=lambda rng, day: day["pain"] - 1.5 - abs(rng.gauss(0, 0.5)),
    ),
    Metric(
        name="enjoyment", flag="--enjoyment", label="Pain interfered with enjoyment of life", column="enjoy",
        group="pain", tabled=False, charted=False, peg=True, code="peg-enjoyment",
        fhir_text="PEG: pain interfered with enjoyment of life, 0 (not) to 10 (completely)",
        demo=lambda rng, day: day["pain"] + rng.gauss(0, 0.8),
    ),
    Metric(
        name="activity", flag="--activity", label="Pain interfered with general activity", column="activ",
        group="pain", tabled=False, charted=False, peg=True, code="peg-activity",
        fhir_text="PEG: pain interfered with general activity, 0 (not) to 10 (completely)",
        demo=lambda rng, day: day["pain"] - 0.3 + rng.gauss(0, 0.8),
    ),
    Metric(
        name="sleep_hours", flag="--sleep", label="Sleep hours", high=24, lower_is_better=False, unit="h",
        metavar="HOURS", help="Hours slept, 0-24.", prompt="Hours slept", short="sleep h", column="sleep",
        overview="Sleep (hours)", group="sleep", change_column=True, panel=SLEEP_PANEL,
        loinc="93832-4", fhir_text="Sleep duration", quick=True,
        demo=lambda rng, day: 5.4 + 0.35 * (6.6 - day["pain"]) + rng.gauss(0, 0.6), demo_first=True,
    ),
    Metric(
        name="sleep_quality", flag="--sleep-quality", label="Sleep quality", lower_is_better=False,
        help="Sleep quality, 0 very poor - 10 excellent.", prompt="Sleep quality 0 (very poor) - 10 (excellent)",
        short="sleep q", column="sleepQ", overview="Sleep quality (0-10, 10 best)", weekly="Sleep qual.",
        group="sleep", panel=SLEEP_PANEL, fhir_text="Sleep quality, 0 (very poor) to 10 (excellent)",
        demo=lambda rng, day: day["sleep_hours"] - 1.5 + rng.gauss(0, 0.8),
    ),
    Metric(
        name="mood", flag="--mood", label="Mood", lower_is_better=False, help="Mood, 0 worst - 10 best.",
        prompt="Mood 0 (worst) - 10 (best)", overview="Mood (0-10, 10 best)", change_column=True,
        panel=Panel("mood", "mood"), fhir_text="Mood, 0 (worst) to 10 (best)", quick=True,
        demo=lambda rng, day: 9.5 - 0.8 * day["pain"] + rng.gauss(0, 0.7),
    ),
)  # fmt: skip

#: The PEG score (Krebs et al. 2009): the mean of the PEG items, on days that have all of them.
PEG = Measure(
    name="peg", label="PEG score", short="PEG", overview="PEG score (0-10)", group="pain", judged=True,
    panel=Panel("peg", "PEG scores", quiet=True),
)  # fmt: skip
#: Daily opioid use in morphine milligram equivalents, from the medication doses.
MME = Measure(
    name="mme", label="Opioid MME per day", high=math.inf, short="MME/day", overview="Opioid use (MME per day)",
    group="medication", change_column=True, panel=Panel("mme", "medication", quiet=True),
)  # fmt: skip
DERIVED: tuple[Measure, ...] = (PEG, MME)


class Reading(NamedTuple):
    """A number of a treatment session (or of a side effect), with its range; bounds inclusive."""

    name: str
    low: float
    high: float
    whole: bool = False


SESSION_NUMBERS: tuple[Reading, ...] = (
    Reading("duration_min", 0, 1440),
    Reading("heart_rate_before", 20, 250, whole=True),
    Reading("heart_rate_after", 20, 250, whole=True),
    Reading("systolic_before", 50, 260, whole=True),
    Reading("diastolic_before", 30, 160, whole=True),
    Reading("systolic_after", 50, 260, whole=True),
    Reading("diastolic_after", 30, 160, whole=True),
    Reading("severity", 0, 10),  # of a side effect
)


# --- what the layers read ------------------------------------------------------------


def metric_names() -> tuple[str, ...]:
    """The entry fields that are metrics, in declaration order."""
    return tuple(metric.name for metric in METRICS)


def measure(name: str) -> Measure:
    """The measure (a metric, PEG or MME) called ``name``."""
    for candidate in measures():
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def measures() -> tuple[Measure, ...]:
    """Every daily measure in analysis order: the metrics, then PEG and MME (the ``--json`` key order)."""
    return (*METRICS, *DERIVED)


def peg_items() -> tuple[str, ...]:
    """The fields whose mean is the PEG score."""
    return tuple(metric.name for metric in METRICS if metric.peg)


def tabled() -> tuple[Measure, ...]:
    """The measures of the summary and report tables, in their order: grouped by topic, then as declared."""
    shown = [measure for measure in measures() if measure.tabled]
    groups = list(dict.fromkeys(measure.group for measure in shown))
    return tuple(sorted(shown, key=lambda measure: groups.index(measure.group)))


def panels() -> tuple[Panel, ...]:
    """The trend chart's panels, in drawing order (the order their measures are declared in)."""
    return tuple(dict.fromkeys(measure.panel for measure in measures() if measure.panel is not None))


def panel_measures(panel: Panel) -> tuple[Measure, ...]:
    """The measures drawn in ``panel``."""
    return tuple(measure for measure in measures() if measure.panel == panel)


def ranges() -> dict[str, tuple[float, float, bool]]:
    """Field -> (low, high, whole numbers only) of every bounded number: the metrics and :data:`SESSION_NUMBERS`."""
    out = {metric.name: (metric.low, metric.high, metric.whole) for metric in METRICS}
    out.update({reading.name: (reading.low, reading.high, reading.whole) for reading in SESSION_NUMBERS})
    return out
