"""Every model coefficient lives in the rulebook, documented, and a scenario's `rules:` reaches it.

The rule that separates a model coefficient from a structural constant is written in the docstring
of `crisisgame.scenario.rulebook`; `coefficient_literals` below is that rule as a check over the
syntax tree of each rule module and bot.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from crisisgame.bots.policy import Bot
from crisisgame.bots.reading import Reading
from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.commands import Accept, Advance, Proposal, Propose, Start
from crisisgame.engine.events import Event, Outcome, ProposalMade
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.view import view
from crisisgame.scenario.model import Scenario, scenario_dict
from crisisgame.scenario.rulebook import Bots, Legitimacy, Rulebook, War
from crisisgame.simulate import new_game, play
from tests.conftest import ROOT
from tests.engine.support import FAC, Table, trio

SRC = ROOT / "src" / "crisisgame"
RULE_MODULES = sorted([*(SRC / "engine" / "rules").glob("*.py"), *(SRC / "bots").glob("*.py")])

TOLERANCE = 1e-3
"""Numbers below this, compared against, are numeric tolerances ("did it change at all?")."""
IDENTITIES = {0, 1, 2}
"""0 and 1 (bounds, complements 1 - x), and 2 (a pair; rescaling a [0, 1) draw to [-1, 1))."""
MIDPOINT = 0.5


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _structural(tree: ast.AST) -> set[int]:
    """The ids of number nodes whose place makes them structural, by the rulebook's rule."""
    spared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "STEP" for t in node.targets):
            spared.add(id(node.value))  # the module's place in the pipeline
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round":
            spared.update(id(arg) for arg in node.args[1:])  # a rounding precision
        elif isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                value = _number(side)
                if value is not None and 0 < value < TOLERANCE:
                    spared.add(id(side))  # a numeric tolerance
        elif isinstance(node, ast.IfExp) and _number(node.orelse) == MIDPOINT:
            spared.add(id(node.orelse))  # even odds when there is nothing to weigh
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and _number(node.left) == MIDPOINT:
            spared.add(id(node.left))  # distance below the neutral point of a [0, 1] score
    return spared


def coefficient_literals(source: str) -> Iterator[tuple[int, float]]:
    """(line, value) of every number in `source` that the rule counts as a model coefficient."""
    tree = ast.parse(source)
    spared = _structural(tree)
    for node in ast.walk(tree):
        value = _number(node)
        if isinstance(node, ast.Constant) and value is not None and value not in IDENTITIES and id(node) not in spared:
            yield node.lineno, value


@pytest.mark.parametrize("module", RULE_MODULES, ids=[f"{p.parent.name}/{p.name}" for p in RULE_MODULES])
def test_rule_modules_and_bots_hold_no_model_coefficient_as_a_literal(module: Path) -> None:
    found = sorted(coefficient_literals(module.read_text(encoding="utf-8")))
    assert not found, (
        f"{module.relative_to(ROOT)} has numbers that are model coefficients (line, value): {found}. Move each into "
        "src/crisisgame/scenario/rulebook.py with its meaning, unit and source, and document it in docs/rules.md "
        "(unit conversions and display limits go in crisisgame.engine.constants)."
    )


def test_the_check_flags_coefficients_and_spares_structure() -> None:
    structural = """
STEP = 7
def f(s, x, y, total):
    a = round(x, 4) + 1 - y + 2 * x - 1 - (-1.0)
    if abs(x - y) > 1e-6:
        a += 0.5 - y
    return a / total if total > 0 else 0.5
"""
    assert list(coefficient_literals(structural)) == []
    coefficients = """
LIMIT = 0.25
def f(s, x, total):
    y = 0.3 + x * 3000.0
    if x > 0.05:
        y += 0.5 * total
    return y if total > 0 else 0.7
"""
    assert sorted(coefficient_literals(coefficients)) == [
        (2, 0.25),
        (4, 0.3),
        (4, 3000.0),
        (5, 0.05),
        (6, 0.5),
        (7, 0.7),
    ]


def test_the_rule_modules_are_found() -> None:
    names = {p.name for p in RULE_MODULES}
    assert {"threat.py", "crisis.py", "alliance.py", "policy.py", "reading.py"} <= names


# --------------------------------------------------------------------------- documented coefficients


GROUPS: dict[str, type[BaseModel]] = {
    name: field.annotation
    for name, field in Rulebook.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
}
COEFFICIENTS = [(group, name) for group, model in GROUPS.items() for name in model.model_fields]
SOURCES = set(BIBLIOGRAPHY) | {"calibration", "design"}


def test_every_group_of_the_rulebook_is_a_model() -> None:
    assert list(GROUPS) == list(Rulebook.model_fields)


@pytest.mark.parametrize(("group", "name"), COEFFICIENTS, ids=[f"{g}.{n}" for g, n in COEFFICIENTS])
def test_every_coefficient_has_a_meaning_a_unit_a_default_and_a_source(group: str, name: str) -> None:
    field = GROUPS[group].model_fields[name]
    extra = field.json_schema_extra
    assert isinstance(extra, dict), f"{group}.{name} has no unit and source"
    assert extra["unit"], f"{group}.{name} has no unit"
    assert extra["source"] in SOURCES, f"{group}.{name}: source {extra['source']!r} is no bibliography key"
    assert field.description, f"{group}.{name} has no meaning"
    assert len(field.description) > 30, f"{group}.{name}: a meaning needs more than a few words"
    assert f"Unit: {extra['unit']}." in field.description, "the unit shows on hover in editors"
    assert not field.is_required(), f"{group}.{name} has no default"


def test_the_schema_carries_each_coefficients_unit_and_source() -> None:
    schema = Rulebook.model_json_schema()
    threat = schema["$defs"]["Threat"]["properties"]["tau_km"]
    assert (threat["unit"], threat["source"], threat["default"]) == ("km", "walt1987", 1500.0)


def test_the_escalation_ladder_must_rise() -> None:
    assert list(War().ladder().values()) == sorted(War().ladder().values())
    with pytest.raises(ValueError, match="ladder must rise"):
        War(ladder_blockade=0.7)


# --------------------------------------------------------------------------- overrides reach the rules


def _with(rules: Rulebook, sc: Scenario | None = None) -> Scenario:
    return (sc or trio()).model_copy(update={"rules": rules})


def _effective_high(events: list[Event], party_name: str) -> float:
    [vote] = [
        e
        for e in events
        if isinstance(e, Outcome) and e.reason.rule == "ratification.winset" and party_name in e.reason.explanation
    ]
    value = vote.reason.inputs["effective_high"]
    assert isinstance(value, float)
    return value


PARTIES = ("ALPHA", "BETA", "UNION")


def _regional_deal(regional_mandate: float) -> float:
    """Beta's effective upper win-set bound on a regionally mandated deal, under this mandate weight."""
    # A regional mandate is granted, not claimed: the Union, a regional body, is a party to the deal.
    doc = scenario_dict(trio())
    doc["council"] = {"members": ["ALPHA", "BETA", "GAMMA"], "regional_bodies": ["UNION"]}
    sc = Scenario.model_validate(doc)
    table = Table(_with(Rulebook(legitimacy=Legitimacy(regional_mandate=regional_mandate)), sc), teams=[*PARTIES])
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    proposal = Proposal(type="non_aggression", parties=list(PARTIES), issue="border", position=0.45)
    [made] = table.do(Propose(by="ALPHA", proposal=proposal.model_copy(update={"mandate": "regional"})))
    assert isinstance(made, ProposalMade)
    for party in PARTIES[1:]:
        table.do(Accept(by=party, proposal_id=made.id))
    table.advance_to("orders")
    return _effective_high(table.do(Advance(by=FAC)), "Beta")


def test_ratification_reads_the_mandate_weight_legitimacy_reads() -> None:
    # A regional mandate widens win-sets by regional_mandate x mandate_widening (0.1): the scenario's
    # legitimacy override reaches ratification too.
    assert _regional_deal(1.0) - _regional_deal(0.5) == pytest.approx(0.05)


def _spending(rules: Rulebook) -> dict[str, float]:
    game = play(_with(rules), seed=3, turns=1)
    return {aid: a.defence_spending for aid, a in game.state.actors.items() if a.kind == "state"}


def test_the_bots_dispositions_come_from_the_scenarios_rules() -> None:
    # Bots that set their spending never order less than bots.min_spending: raised in the scenario's
    # rules, it lifts them to it (a liberal bot still grows by at most liberal_spending_growth a turn).
    before = _spending(Rulebook())
    after = _spending(Rulebook(bots=Bots(min_spending=20.0, liberal_spending_growth=50.0)))
    assert all(value < 20.0 for value in before.values())
    assert [aid for aid in after if after[aid] == 20.0]
    assert all(after[aid] >= before[aid] for aid in before)


def test_the_bots_loss_of_strength_gradient_is_adjudications() -> None:
    game = new_game(trio(), seed=1)
    seat = view(game.state, "ALPHA", history=False)
    assert isinstance(seat, TeamView)
    near = Reading(seat)._decay("ALPHA", "BETA")
    war = seat.rules.war.model_copy(update={"distance_decay_km": seat.rules.war.distance_decay_km * 2})
    farther = seat.model_copy(update={"rules": seat.rules.model_copy(update={"war": war})})
    assert Reading(farther)._decay("ALPHA", "BETA") > near
    bot = Bot(seat, seed=1)
    assert bot.coef == Bots()
