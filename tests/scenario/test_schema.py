"""The exported JSON Schema accepts every valid scenario and refuses broken ones, as editors will."""

from __future__ import annotations

from pathlib import Path

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
