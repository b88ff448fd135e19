"""The whole-scenario checks (`crisisgame.scenario.checks`) on mistakes a facilitator makes, each in a copy of
the Korea scenario (tests/scenario/korea_2027_checks.yaml): fields the engine would ignore, clauses no
party could invoke, effects aimed at oneself, trade and seats given twice, a wrong id in a trigger, a
reserved id. Each is refused at its line and column, with a hint."""

from __future__ import annotations

import pytest

from tests.scenario.test_korea_2027 import Mistake, mistakes, render_mistake

MISTAKES = mistakes("checks")


def test_the_mistakes_are_many() -> None:
    assert len(MISTAKES) >= 15


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_a_mistake_is_reported_at_its_place_with_a_hint(mistake: Mistake) -> None:
    assert render_mistake(mistake) == mistake.says
