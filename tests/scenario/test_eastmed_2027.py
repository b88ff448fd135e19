"""A scenario written from the documentation alone (README.md and docs/authoring.md), the way outside
reviewers test the project: the Eastern Mediterranean in 2027. It validates without errors or warnings;
NATO's Article 5 cannot be called by one ally against another; and eight turns of bot play run without
error and show what the scenario is for: Turkey's force against Cyprus, Cyprus's calls on its
protectors answered both ways, each ally fighting in the battle of the turn it honours (and only then),
and agreements ending."""

from __future__ import annotations

from collections.abc import Sequence

import jsonschema

from crisisgame.engine.events import AgreementEnded, Outcome
from crisisgame.scenario.loader import _parse, diagnose_file, diagnose_text, load_scenario
from crisisgame.scenario.schema import scenario_schema
from crisisgame.simulate import play
from tests.conftest import ROOT
from tests.engine.support import check_invariants

EASTMED = ROOT / "tests" / "scenario" / "eastmed_2027.yaml"
SEEDS = range(4)


def test_the_eastmed_scenario_validates_strictly() -> None:
    diagnosis = diagnose_file(EASTMED)
    assert diagnosis.errors == []
    assert diagnosis.warnings == [], "\n".join(map(str, diagnosis.warnings))
    scenario = diagnosis.scenario
    assert scenario is not None
    assert [a.id for a in scenario.actors] == ["TUR", "GRC", "CYP", "EGY", "ISR", "FRA", "USA", "RUS"]
    assert scenario.turns.count == 8


def test_article_5_cannot_be_called_by_one_ally_against_another() -> None:
    """docs/authoring.md 4.11: no agreement can be called against one of its own parties."""
    text = EASTMED.read_text(encoding="utf-8")
    inject = "      - {kind: intent, of: [GRC], toward: TUR, delta: 0.05}\n"
    assert inject in text
    call = inject + "      - {kind: call, actor: GRC, agreement: nato_art5, against: TUR}\n"
    errors = [str(e) for e in diagnose_text(text.replace(inject, call, 1), "eastmed.yaml").errors]
    assert len(errors) == 1, errors
    assert "TUR is a party" in errors[0]
    assert "own parties" in errors[0], "the hint says why, not to add a clause"


def test_an_objective_an_old_treaty_already_fails_is_a_warning() -> None:
    """The first draft gave Turkey 'no defence pact with Washington', which NATO fails from turn 0 (an objective
    names a type and a partner, not one agreement): the validator warns, at the objective."""
    text = EASTMED.read_text(encoding="utf-8")
    objective = "kind: avoid_agreement, type: basing_rights, with: USA"
    assert objective in text
    diagnosis = diagnose_text(text.replace(objective, "kind: avoid_agreement, type: defence_pact, with: USA"), "e.yaml")
    assert diagnosis.errors == []
    (warning,) = diagnosis.warnings
    assert "objective 'tur-no-bases' is failed from the start: agreement 'nato_art5'" in str(warning)
    assert "only renouncing 'nato_art5' can meet it" in str(warning)


def _battles(log: Sequence[object]) -> list[Outcome]:
    return [e for e in log if isinstance(e, Outcome) and e.reason.rule in ("crisis.war", "crisis.strike")]


def _answers(log: Sequence[object]) -> list[Outcome]:
    return [e for e in log if isinstance(e, Outcome) and e.reason.rule == "alliance.answer"]


def test_eight_turns_of_bot_play_show_force_calls_answered_both_ways_and_agreements_ending() -> None:
    scenario = load_scenario(EASTMED)
    names = {a.id: a.name for a in scenario.actors}
    battles = honoured = abandoned = ended = 0
    for seed in SEEDS:
        run = play(scenario, seed=seed, turns=8)
        state = run.game.state
        assert state.phase == "ended"
        check_invariants(state)
        log = list(run.log)
        fights = _battles(log)
        battles += len(fights)
        for answer in _answers(log):
            (g,) = [c.key for c in answer.changes if c.field == "reputation"]
            yes = " honoured " in answer.reason.explanation
            honoured += yes
            abandoned += not yes
            same_turn = [
                f
                for f in fights
                if f.turn == answer.turn and names[str(f.reason.inputs["target"])] in answer.reason.explanation
            ]
            for fight in same_turn:
                fighting = str(fight.reason.inputs["allies_target"]).split(", ")
                assert (g in fighting) == yes, (seed, answer.turn, g, yes, fighting)
        ended += sum(isinstance(e, AgreementEnded) for e in log)
    assert battles >= len(SEEDS), "Turkey should come to force against Cyprus in most games"
    assert honoured, "no ally ever honoured a call"
    assert abandoned, "no ally ever abandoned a call"
    assert ended >= len(SEEDS), "agreements should end (renounced or expired)"


def test_the_editor_schema_accepts_the_eastmed_scenario() -> None:
    assert EASTMED.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/scenario.schema.json\n"
    )
    validator = jsonschema.Draft202012Validator(scenario_schema())
    assert list(validator.iter_errors(_parse(EASTMED.read_text(encoding="utf-8")).data)) == []
