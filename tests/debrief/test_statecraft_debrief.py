"""The debrief tells economic terms (issue 12, item 7): a concluded agreement's sanctions and aid terms in
words, a discussion question about who paid for them, and a breach when a party withheld them."""

from __future__ import annotations

from typing import Any

from crisisgame.debrief.history import history
from crisisgame.debrief.summary import summarise
from crisisgame.scenario.model import Scenario, scenario_dict
from crisisgame.simulate import play
from tests.engine.test_commitments import trade_world


def _struck(extra: dict[str, Any] | None = None) -> Scenario:
    """The trade world in which Beta strikes Alpha in turn 1 (its bots then form a coalition against Beta)."""
    doc = scenario_dict(trade_world())
    strike = {"kind": "escalate", "actor": "BETA", "target": "ALPHA", "level": "limited_strike"}
    doc["injects"] = [
        {"id": "strike", "turn": 1, "title": "Beta strikes", "text": "Beta shells Alpha's posts.", "effects": [strike]}
    ]
    doc |= extra or {}
    return Scenario.model_validate(doc)


def test_the_summary_asks_who_paid_for_the_terms_of_a_coalition() -> None:
    summary = summarise(history(play(_struck(), seed=1).log))
    [asked] = [q for q in summary.questions if "Who paid more for these terms" in q]
    assert "binding sanctions on Beta by Gamma, Alpha" in asked
    assert "aid of $" in asked
    assert "a turn from Gamma to Alpha" in asked


def test_a_breach_becomes_the_question() -> None:
    withheld = {
        "id": "coalition",
        "name": "The sanctions coalition",
        "type": "consultation",
        "parties": ["ALPHA", "GAMMA"],
        "strength": 0.5,
        "terms": {"sanctions": [{"target": "BETA"}]},
    }
    doc = scenario_dict(trade_world())
    doc["agreements"] = [*doc["agreements"], withheld]
    for link in doc["trade"]:
        if "GAMMA" in link["between"]:
            link["dependence"] = {"GAMMA": 0.3, "BETA": 0.1}  # sanctions cost Gamma more than Beta
    doc["intent"] = [*doc.get("intent", []), {"of": "GAMMA", "toward": "BETA", "value": 0.1}]
    for actor in doc["actors"]:
        if actor["id"] == "GAMMA":
            actor["temperament"] = "realist"  # the temperament that withholds costly sanctions
    run = play(Scenario.model_validate(doc), seed=2)
    summary = summarise(history(run.log))
    [asked] = [q for q in summary.questions if "withhold them" in q]
    assert "Gamma breached 'The sanctions coalition'" in asked
