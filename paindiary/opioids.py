"""Opioids: which medication names are opioids, their MME factors, and likely typos.

Facts from the CDC Clinical Practice Guideline for Prescribing Opioids for Pain
(2022): morphine milligram equivalents per mg of each generic opioid, and the
common brand and combination names that stand for one. A name is matched on its
first run of letters, case-insensitively (``Oxycodone/APAP`` and ``OxyContin
20mg`` both count), and only doses in mg are converted. MME is an estimate for
comparing opioid use over time, never a guide to dosing.
"""

from __future__ import annotations

import functools
import re

# CDC 2022: MME per mg of the generic drug.
MME_FACTORS: dict[str, float] = {
    "codeine": 0.15,
    "hydrocodone": 1.0,
    "hydromorphone": 5.0,
    "methadone": 4.7,
    "morphine": 1.0,
    "oxycodone": 1.5,
    "oxymorphone": 3.0,
    "tapentadol": 0.4,
    "tramadol": 0.2,
}

# Brand and combination names (their first word, lower case) -> the generic they contain.
BRANDS: dict[str, str] = {
    "oxycontin": "oxycodone",
    "roxicodone": "oxycodone",
    "percocet": "oxycodone",
    "endocet": "oxycodone",
    "norco": "hydrocodone",
    "vicodin": "hydrocodone",
    "lortab": "hydrocodone",
    "dilaudid": "hydromorphone",
    "ms": "morphine",  # MS Contin
    "kadian": "morphine",
    "ultram": "tramadol",
    "nucynta": "tapentadol",
    "opana": "oxymorphone",
    "dolophine": "methadone",
    "tylenol": "codeine",  # Tylenol #3 (and #4): acetaminophen with codeine
}
# Names whose first word alone would be too broad: they count only followed by these words.
_QUALIFIED = {"ms": ("contin",), "tylenol": ("#3", "#4", "3", "4", "with codeine", "w/ codeine")}

_FIRST_WORD = re.compile(r"[^\W\d_]+")


def first_word(name: str) -> str:
    """The name's first run of letters, lower case ('' when it has none)."""
    match = _FIRST_WORD.search(name)
    return "" if match is None else match.group(0).lower()


def generic(name: str) -> str | None:
    """The generic opioid a medication name stands for, or ``None`` when it is not a known opioid."""
    word = first_word(name)
    if word in MME_FACTORS:
        return word
    brand = BRANDS.get(word)
    if brand is None:
        return None
    qualifiers = _QUALIFIED.get(word)
    if qualifiers is not None:
        rest = name.lower()[name.lower().index(word) + len(word) :].strip()
        if not any(rest.startswith(q) for q in qualifiers):
            return None
    return brand


def mme_factor(name: str, unit: str) -> float | None:
    """MME per unit of a dose of ``name`` in ``unit``; ``None`` when it is not converted (not an opioid, not mg)."""
    drug = generic(name)
    if drug is None or unit.strip().lower() != "mg":
        return None
    return MME_FACTORS[drug]


@functools.lru_cache(maxsize=1024)  # asked for every dose of a diary: a few names, thousands of doses
def not_counted(name: str, unit: str) -> str | None:
    """Why a dose that looks like an opioid dose is not counted in MME, as a sentence; ``None`` otherwise.

    A known opioid (generic or brand name) in a unit other than mg, or a name within two
    letters of a known opioid without being one (``oxycodon``). Other doses are not opioids.
    """
    drug = generic(name)
    if drug is None:
        suggestion = near_miss(name)
        return None if suggestion is None else f"{name}: not counted as an opioid; did you mean {suggestion}?"
    if mme_factor(name, unit) is None:
        return f"{drug} in {unit} is not converted to MME (only doses in mg are)."
    return None


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it is certainly above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def near_miss(name: str) -> str | None:
    """A known opioid name within two letters of ``name``'s first word, when it is not one itself.

    ``oxycodon`` -> ``oxycodone``; ``None`` for a known opioid or a name far from all.
    """
    word = first_word(name)
    if len(word) < 4 or generic(name) is not None:
        return None
    known = [*MME_FACTORS, *(brand for brand in BRANDS if brand not in _QUALIFIED)]
    best = min(known, key=lambda candidate: (_distance(word, candidate, 2), candidate))
    return best if _distance(word, best, 2) <= 2 else None
