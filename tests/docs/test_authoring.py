"""docs/authoring.md stays complete: every field, every allowed value, working examples.

The guide is written by hand for facilitators; these tests fail when the scenario format grows a
field or a value the guide does not mention, when a documented rule default drifts from the
rulebook, or when an example in the guide stops being valid YAML or a valid scenario.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML

from crisisgame.scenario.loader import check_text
from crisisgame.scenario.model import Actor, AgreementType, Effect, Objective, Scenario
from crisisgame.scenario.rulebook import Rulebook
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "authoring.md"
TEXT = GUIDE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the format, walked


def _walk(tp: Any) -> Iterator[Any]:
    """The types inside an annotation, through Annotated, unions, list and dict; Literals whole."""
    origin = get_origin(tp)
    if origin is Annotated:
        yield from _walk(get_args(tp)[0])
    elif origin is Literal:
        yield tp
    elif origin is not None:
        for arg in get_args(tp):
            yield from _walk(arg)
    else:
        yield tp


def _models_in(tp: Any) -> list[type[BaseModel]]:
    return [t for t in _walk(tp) if isinstance(t, type) and issubclass(t, BaseModel)]


def reachable_models() -> list[type[BaseModel]]:
    """Every pydantic model a scenario file can contain, from `Scenario` down."""
    seen: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [Scenario]
    while todo:
        model = todo.pop(0)
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            todo.extend(_models_in(field.annotation))
    return seen


MODELS = reachable_models()
RULE_GROUPS = [model for field in Rulebook.model_fields.values() for model in _models_in(field.annotation)]


@dataclass(frozen=True)
class YamlField:
    model: str
    name: str
    """The name written in YAML: the alias (`with`, `from`) when there is one."""


FIELDS = [
    YamlField(model.__name__, field.alias or name) for model in MODELS for name, field in model.model_fields.items()
]


def literal_values() -> list[str]:
    """Every allowed text value of every field (kinds, types, units, levels, ...), once each."""
    values: list[str] = []
    for model in MODELS:
        for field in model.model_fields.values():
            for tp in _walk(field.annotation):
                if get_origin(tp) is Literal:
                    values += [v for v in get_args(tp) if isinstance(v, str) and v not in values]
    return values


LITERALS = literal_values()


def _kinds(union: Any) -> set[str]:
    return {value for model in _models_in(union) for value in get_args(model.model_fields["kind"].annotation)}


def documented(name: str) -> bool:
    return f"`{name}`" in TEXT


def test_the_walk_reaches_union_members_and_every_rule_group() -> None:
    names = {model.__name__ for model in MODELS}
    members = {model.__name__ for model in _models_in(Objective) + _models_in(Effect)}
    assert len(members) == 16
    assert members <= names
    assert Rulebook in MODELS
    assert len(RULE_GROUPS) == 18
    assert all(group in MODELS for group in RULE_GROUPS)
    assert {"Capabilities", "Milex", "Gdp", "WinSet", "Terms", "Condition", "Phases"} <= names


@pytest.mark.parametrize("field", FIELDS, ids=[f"{f.model}.{f.name}" for f in FIELDS])
def test_every_field_is_documented(field: YamlField) -> None:
    assert documented(field.name), f"docs/authoring.md never writes `{field.name}` (a field of {field.model})"


def test_kinds_and_agreement_types_are_among_the_values_checked() -> None:
    expected = _kinds(Objective) | _kinds(Effect) | set(get_args(AgreementType))
    assert len(expected) == 8 + 8 + 10
    assert expected <= set(LITERALS)


@pytest.mark.parametrize("value", LITERALS)
def test_every_allowed_value_is_documented(value: str) -> None:
    assert documented(value), f"docs/authoring.md never writes `{value}`, an allowed value of the format"


# --------------------------------------------------------------------------- rule defaults


ROW = re.compile(r"^\| `(\w+)` \| (-?\d+(?:\.\d+)?) \|", re.MULTILINE)


def test_rule_defaults_in_the_guide_match_the_rulebook() -> None:
    defaults = {name: field.default for group in RULE_GROUPS for name, field in group.model_fields.items()}
    assert len(defaults) == sum(len(group.model_fields) for group in RULE_GROUPS), "coefficient names are unique"
    documented_defaults = {name: float(value) for name, value in ROW.findall(TEXT) if name in defaults}
    assert sorted(documented_defaults) == sorted(defaults), "every coefficient needs a row in a rules table"
    wrong = {n: (v, defaults[n]) for n, v in documented_defaults.items() if v != defaults[n]}
    assert not wrong, f"guide default differs from the rulebook (guide, rulebook): {wrong}"


# --------------------------------------------------------------------------- examples


@dataclass(frozen=True)
class Block:
    line: int
    """Line of the guide where the block's text starts."""
    text: str


FENCE = re.compile(r"^(?P<indent> *)```yaml[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL)


def yaml_blocks() -> list[Block]:
    blocks: list[Block] = []
    for match in FENCE.finditer(TEXT):
        indent = len(match["indent"])
        body = "".join(line[indent:] + "\n" for line in match["body"].splitlines())
        blocks.append(Block(TEXT.count("\n", 0, match.start("body")) + 1, body))
    return blocks


BLOCKS = yaml_blocks()
SCENARIOS = [b for b in BLOCKS if re.search(r"^id:", b.text, re.MULTILINE)]


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line{b.line}" for b in BLOCKS])
def test_every_yaml_example_is_well_formed(block: Block) -> None:
    YAML(typ="safe").load(block.text)


FRAGMENT_PARENTS: list[type[BaseModel]] = [Scenario, Actor]
"""Fragments in the guide are pieces of a scenario or of an actor, keyed by their YAML names."""


def _partial(error: ErrorDetails) -> bool:
    """An error that only says the fragment is a part: fields left out, one example of a longer list."""
    return error["type"] == "missing" or (error["type"] == "too_short" and len(error["loc"]) == 1)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line{b.line}" for b in BLOCKS])
def test_every_fragment_fits_the_format(block: Block) -> None:
    """Each key of a fragment is a field, and its value the right shape (fields may be left out)."""
    data = YAML(typ="safe").load(block.text)
    if block in SCENARIOS or data is None:
        return
    assert isinstance(data, dict), "a fragment is a mapping of fields"
    parent = next((m for m in FRAGMENT_PARENTS if set(data) <= {f.alias or n for n, f in m.model_fields.items()}), None)
    assert parent is not None, f"keys {sorted(data)} belong to no single part of the format"
    try:
        parent.model_validate(data, context={"references_checked": True})
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors() if not _partial(e)]
    else:
        problems = []
    assert not problems, "\n".join(problems)


def test_the_guide_has_a_complete_scenario() -> None:
    assert SCENARIOS, "the guide should keep one complete, valid scenario (a yaml block with a top-level `id:`)"


@pytest.mark.parametrize("block", SCENARIOS, ids=[f"line{b.line}" for b in SCENARIOS])
def test_every_complete_scenario_in_the_guide_validates(block: Block) -> None:
    scenario, errors = check_text(block.text, f"docs/authoring.md (block at line {block.line})")
    assert errors == [], "\n".join(map(str, errors))
    assert scenario is not None


# --------------------------------------------------------------------------- the validator's messages


VALIDATOR_MODULES = [
    ROOT / "src" / "crisisgame" / "scenario" / name for name in ("loader.py", "checks.py", "plausibility.py")
]
MESSAGE_ARGUMENT = {"add": 1, "Problem": 1, "_Refused": 0, "ScenarioError": 2, "refused": 0}
"""Calls that carry a message the validator prints, and which positional argument holds it."""


def _template(node: ast.expr) -> str | None:
    """A message as the guide writes it: literal text, with `…` for every value filled in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "…" for v in node.values)
    return None


def validator_messages() -> list[str]:
    found: list[str] = []
    for path in VALIDATOR_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                index = MESSAGE_ARGUMENT.get(name)
                if index is not None and len(node.args) > index and (text := _template(node.args[index])):
                    found.append(text)
            elif isinstance(node, ast.FunctionDef) and node.name == "_impossible_date":
                returned = [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None]
                found += [text for value in returned if (text := _template(value))]
    return sorted(set(found))


MESSAGES = validator_messages()
CATALOGUE = TEXT[TEXT.index("### Every message the validator prints") : TEXT.index("## 7. Calibration")]


def test_the_validators_messages_are_found_in_its_code() -> None:
    assert "unknown field '…'" in MESSAGES
    assert "YAML syntax error: this quote is not closed on its line" in MESSAGES
    assert "this is a folder, not a scenario file" in MESSAGES
    assert any(m.startswith("lat … and lon … look swapped") for m in MESSAGES)
    assert len(MESSAGES) >= 55


@pytest.mark.parametrize("message", MESSAGES)
def test_every_message_the_validator_prints_is_in_the_guides_catalogue(message: str) -> None:
    assert f"| `{message}` |" in CATALOGUE, f"docs/authoring.md's catalogue lacks the message `{message}`"


def test_the_guide_says_how_to_run_your_own_scenario_live() -> None:
    section = TEXT[TEXT.index("## 9. Running your own scenario live") :]
    for step in (
        "crisisgame validate --strict",
        "crisisgame simulate",
        "crisisgame serve",
        "Upload a scenario of your own",
    ):
        assert step in section
