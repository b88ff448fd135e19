"""The exported JSON Schema accepts every valid scenario and refuses broken ones, as editors will."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from crisisgame.scenario.loader import _parse
from crisisgame.scenario.schema import scenario_schema
from tests.conftest import MINIMAL, SHIPPED

VALIDATOR = jsonschema.Draft202012Validator(scenario_schema())


@pytest.mark.parametrize("path", [MINIMAL, *SHIPPED], ids=lambda p: p.stem)
def test_schema_accepts_valid_scenarios(path: Path) -> None:
    errors = list(VALIDATOR.iter_errors(_parse(path.read_text(encoding="utf-8")).data))
    assert errors == []


def test_schema_flags_an_unknown_field(minimal_text: str) -> None:
    doc = _parse(minimal_text.replace("strength: 0.6", "strenght: 0.6")).data
    messages = [e.message for e in VALIDATOR.iter_errors(doc)]
    assert any("strenght" in m for m in messages)


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every property of every object in the schema, named `Model.property`."""
    found = [(f"Scenario.{name}", prop) for name, prop in schema["properties"].items()]
    for model, definition in schema["$defs"].items():
        found += [(f"{model}.{name}", prop) for name, prop in definition.get("properties", {}).items()]
    return found


PROPERTIES = _properties(scenario_schema())


def test_the_schema_has_every_property_of_the_format() -> None:
    names = {name for name, _ in PROPERTIES}
    assert {"Scenario.actors", "Actor.position", "Condition.agreement_exists", "Threat.tau_km"} <= names
    assert len(PROPERTIES) > 300


@pytest.mark.parametrize(("name", "prop"), PROPERTIES, ids=[name for name, _ in PROPERTIES])
def test_every_property_is_described_for_editors(name: str, prop: dict[str, Any]) -> None:
    # Editors show the description on hover: an author writing a scenario reads it there.
    description = prop.get("description", "")
    assert len(description) >= 10, f"{name} has no description in the scenario schema"
