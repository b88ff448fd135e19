"""An ally called again in a later battle fights in it by its new answer (step 6 and step 7 agree).

A call closes once every obliged ally has answered; a later attack on the partner opens a new call, and a
computer player answers it anew. The battle of that turn must count the ally by that answer: an ally that
abandoned before and honours now fights, one that honoured before and abandons now stays out, and the
battle's `allies_target` names exactly the allies that honoured in its turn. (Found playing a scenario written
from the docs, tests/scenario/eastmed_2027.yaml: Greece honoured Cyprus's second call, was set at war, yet
was absent from the battle.) World: A (size 4) attacks B (size 1) every turn; C (size 2) is bound to B by a
defence pact. Seeds 0-29 (test seeds).
"""

from __future__ import annotations

from crisisgame.engine.commands import ForceOrder, Orders
from tests.engine.rules.test_join_attack import battle, world
from tests.theory import worlds as w


def test_each_battle_counts_the_ally_by_its_answer_in_that_turn() -> None:
    changed = 0
    for seed in range(30):
        s, a, b, c = world(seed)
        doc_pact = s.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
        w.agreement(doc_pact, "pact", "defence_pact", [b, c], strength=0.6)
        s = w.primed(w.scenario(doc_pact), seed)
        answers: list[bool] = []
        for _ in range(4):
            s, events = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="war")])})
            (answer,) = [e for e in w.outcomes(events, "alliance.answer") if s.actors[c].name in e.reason.explanation]
            honoured = " honoured " in answer.reason.explanation
            answers.append(honoured)
            fighting = str(battle(events).reason.inputs["allies_target"]).split(", ")
            assert (c in fighting) == honoured, f"seed {seed}, turn {s.turn}: answered {honoured}, fought {fighting}"
        changed += len(set(answers)) > 1
    assert changed, "C never changed its answer between battles on the test seeds"
