"""paindiary.opioids: brand names, MME factors and typo suggestions."""

from __future__ import annotations

import pytest

from paindiary import opioids


@pytest.mark.parametrize(
    ("name", "drug"),
    [
        ("OxyContin", "oxycodone"), ("Roxicodone", "oxycodone"), ("Percocet 5/325", "oxycodone"),
        ("endocet", "oxycodone"), ("Norco", "hydrocodone"), ("Vicodin", "hydrocodone"), ("Lortab", "hydrocodone"),
        ("Dilaudid", "hydromorphone"), ("MS Contin", "morphine"), ("Kadian", "morphine"), ("Ultram", "tramadol"),
        ("Nucynta ER", "tapentadol"), ("Opana", "oxymorphone"), ("Dolophine", "methadone"),
        ("Tylenol #3", "codeine"), ("Tylenol with codeine", "codeine"), ("Oxycodone/APAP", "oxycodone"),
        ("oxycodone", "oxycodone"), ("TRAMADOL", "tramadol"),
    ],
)  # fmt: skip
def test_brand_and_generic_names_map_to_their_generic(name: str, drug: str) -> None:
    assert opioids.generic(name) == drug
    assert opioids.mme_factor(name, "mg") == opioids.MME_FACTORS[drug]


@pytest.mark.parametrize("name", ["Tylenol", "ms", "pregabalin", "ibuprofen", "", "123"])
def test_names_that_are_not_opioids(name: str) -> None:
    assert opioids.generic(name) is None
    assert opioids.mme_factor(name, "mg") is None


def test_only_mg_is_converted() -> None:
    assert opioids.mme_factor("oxycodone", " MG ") == 1.5
    assert opioids.mme_factor("oxycodone", "mcg") is None
    assert opioids.mme_factor("OxyContin", "tablet") is None


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("oxycodon", "oxycodone"), ("oxycodine", "oxycodone"), ("tramdol", "tramadol"), ("Oxycontn", "oxycontin"),
     ("morfine", "morphine"), ("hydrocodne 5mg", "hydrocodone")],
)  # fmt: skip
def test_a_name_within_two_letters_of_an_opioid_is_suggested(name: str, suggestion: str) -> None:
    assert opioids.near_miss(name) == suggestion


@pytest.mark.parametrize("name", ["oxycodone", "OxyContin", "pregabalin", "duloxetine", "ibuprofen", "ms", "tea"])
def test_no_suggestion_for_known_opioids_or_unrelated_names(name: str) -> None:
    assert opioids.near_miss(name) is None
