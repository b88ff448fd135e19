"""The whole-scenario checks (`crisisgame.scenario.checks`) on mistakes a facilitator makes, each in a copy of
the Korea scenario (tests/scenario/korea_2027_checks.yaml): fields the engine would ignore, clauses no
party could invoke, effects aimed at oneself, trade and seats given twice, a wrong id in a trigger, a
reserved id. Each is refused at its line and column, with a hint."""

from __future__ import annotations

import time

import pytest

from crisisgame.scenario.loader import check_text, load_scenario
from crisisgame.scenario.model import Scenario, scenario_dict
from tests.scenario.test_korea_2027 import KOREA, Mistake, mistakes, render_mistake

MISTAKES = mistakes("checks")


def test_the_mistakes_are_many() -> None:
    assert len(MISTAKES) >= 15


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_a_mistake_is_reported_at_its_place_with_a_hint(mistake: Mistake) -> None:
    assert render_mistake(mistake) == mistake.says


@pytest.mark.timing
def test_long_lists_are_checked_in_linear_time() -> None:
    """60,000 parties (each listed twice), 60,000 seats in seating.priority: the duplicate and clause checks
    must not compare every entry with every other (that took over 30 s in a draft of these checks)."""
    text = KOREA.read_text(encoding="utf-8")
    text = text.replace("    parties: [USA, KOR]\n", "    parties: [" + ", ".join(["USA", "KOR"] * 30000) + "]\n", 1)
    text = text.replace("priority: [PRK, KOR, USA, CHN, JPN, RUS]", "priority: [" + ", ".join(["PRK"] * 30000) + "]")
    started = time.perf_counter()
    _, errors = check_text(text)
    elapsed = time.perf_counter() - started
    assert len(errors) == 59998 + 29999
    assert elapsed < 15


def test_a_scenario_built_in_python_is_held_to_the_same_checks() -> None:
    """The model's own validator runs these checks on a dump, where every field is present (None when unset)."""
    data = scenario_dict(load_scenario(KOREA))
    assert data["agreements"][2]["id"] == "us-japan-bases"
    data["agreements"][2]["terms"]["position"] = 0.3
    with pytest.raises(ValueError, match="terms give a deal's position but not its issue"):
        Scenario.model_validate(data)
    data["agreements"][2]["terms"]["issue"] = "exercises"
    assert Scenario.model_validate(data).agreements[2].terms.issue == "exercises"
