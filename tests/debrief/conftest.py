"""Games for the debrief tests: played by bots, so they are real logs, and cached per session."""

from __future__ import annotations

import pytest

from crisisgame.engine.events import Event
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.generate import world
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play


@pytest.fixture(scope="session")
def baltic_log() -> list[Event]:
    return play(load_scenario(find("baltic")), seed=11, turns=4).log


@pytest.fixture(scope="session")
def small_log() -> list[Event]:
    return play(world(6, seed=3, turns=4), seed=3).log
