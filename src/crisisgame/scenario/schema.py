"""The JSON Schema of a scenario, for editors (autocomplete and inline errors while authoring)."""

from __future__ import annotations

import json
from typing import Any

from crisisgame.scenario.model import Scenario

SCHEMA_ID = "https://crisisgame.invalid/schema/scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def scenario_schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
