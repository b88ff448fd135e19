"""Scenarios survive a trip through YAML: model -> YAML -> model gives an equal model."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from crisisgame.scenario.loader import check_text, load_scenario
from crisisgame.scenario.model import Scenario
from crisisgame.scenario.writer import dump_scenario
from tests.conftest import MINIMAL, SHIPPED
from tests.scenario.strategies import scenarios


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios)
def test_model_yaml_model_round_trip(scenario: Scenario) -> None:
    text = dump_scenario(scenario)
    again, errors = check_text(text)
    assert errors == []
    assert again == scenario


def test_shipped_and_minimal_scenarios_round_trip() -> None:
    for path in [MINIMAL, *SHIPPED]:
        scenario = load_scenario(path)
        again, errors = check_text(dump_scenario(scenario))
        assert errors == []
        assert again == scenario, path.name
