"""Write a scenario back to YAML: for tools that generate or edit scenarios, and for round trips."""

from __future__ import annotations

import io

from ruamel.yaml import YAML

from crisisgame.scenario.model import Scenario, scenario_dict


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text that `load_scenario` reads back to an equal scenario."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # keep the model's field order
    yaml.width = 100
    out = io.StringIO()
    out.write("# yaml-language-server: $schema=../schema/scenario.schema.json\n")
    yaml.dump(scenario_dict(scenario), out)
    return out.getvalue()
