"""Computer players and economic statecraft as agreement terms (issue 12, item 7): they propose a sanctions
coalition (with aid from an obliged ally) against an attacker, accept terms only where their interest says
so, keep or withhold them by temperament, and let a coalition whose purpose is spent lapse."""

from __future__ import annotations

from typing import Any

from crisisgame.bots.agreements import agreement_orders
from crisisgame.bots.reading import Reading
from crisisgame.bots.statecraft import coalition, sanctions, terms_acceptable, withheld
from crisisgame.engine.commands import Proposal, Start
from crisisgame.engine.events import AgreementConcluded, Outcome, SanctionImposed
from crisisgame.engine.seatview import ProposalView, TeamView
from crisisgame.engine.state import CallState, State, evolve
from crisisgame.engine.view import view
from crisisgame.scenario.model import AidTerm, SanctionTerm, Scenario, scenario_dict
from crisisgame.simulate import play
from tests.engine.support import FAC, Table
from tests.engine.test_commitments import trade_world

CALL = CallState("c1", "guarantee", "ALPHA", "BETA", ("GAMMA",), 1)
"""Beta attacked Alpha, and Alpha called on Gamma, its guarantor."""


def _reading(state: State, seat: str) -> Reading:
    seen = view(state, seat, history=False)
    assert isinstance(seen, TeamView)
    return Reading(seen)


def _started(sc: Scenario) -> State:
    table = Table(sc, teams=[])
    table.do(Start(by=FAC))
    return table.state


def _offer(proposal: Proposal, sender: str) -> ProposalView:
    return ProposalView(
        id="p1", sender=sender, turn=1, status="open", accepted=[sender], counter_of=None, proposal=proposal
    )


def test_an_obliged_ally_offers_the_victim_a_sanctions_coalition_with_aid() -> None:
    s = evolve(_started(trade_world()), calls={"c1": CALL})
    r = _reading(s, "GAMMA")
    offer = coalition(r, "constructivist")
    assert offer is not None
    assert (offer.type, offer.parties) == ("consultation", ["GAMMA", "ALPHA"])
    assert offer.sanctions == [SanctionTerm(target="BETA")]
    [aid] = offer.aid
    milex = s.actors["GAMMA"].milex
    assert milex is not None
    assert (aid.donor, aid.to) == ("GAMMA", "ALPHA")
    assert abs(aid.value_usd_m - milex * s.rules.bots.aid_offer_share / 1000) < 0.1
    assert offer.duration == s.rules.bots.agreement_term  # a term to renew, or let lapse
    # The victim offers the coalition too, without aid (it is the one helped), and nobody offers one without
    # an attack: the coalition answers a call.
    victim = coalition(_reading(s, "ALPHA"), "liberal")
    assert victim is not None
    assert victim.aid == []
    assert coalition(_reading(_started(trade_world()), "GAMMA"), "constructivist") is None


def test_aid_is_offered_only_where_it_helps_the_victim_more_than_it_costs_the_donor() -> None:
    """Aid costs the donor what it gives and adds `economy.aid_to_milex` of it to the victim: Gamma (US$ 800 bn)
    aids Alpha while Alpha spends less than 0.5 x 800 bn, and offers the coalition without aid once it does not."""
    doc = scenario_dict(trade_world())
    alpha = next(a for a in doc["actors"] if a["id"] == "ALPHA")
    for value, aided in ((399, True), (401, False)):
        alpha["capabilities"]["milex"]["value"] = value
        s = evolve(_started(Scenario.model_validate(doc)), calls={"c1": CALL})
        offer = coalition(_reading(s, "GAMMA"), "constructivist")
        assert offer is not None
        assert offer.sanctions == [SanctionTerm(target="BETA")]
        assert bool(offer.aid) is aided, value


def test_a_partner_without_leverage_is_not_committed_to_sanction() -> None:
    doc = scenario_dict(trade_world())
    doc["trade"] = [link for link in doc["trade"] if "ALPHA" not in link["between"]]
    s = evolve(_started(Scenario.model_validate(doc)), calls={"c1": CALL})
    offer = coalition(_reading(s, "GAMMA"), "constructivist")
    assert offer is not None
    assert offer.sanctions == [SanctionTerm(target="BETA", by=["GAMMA"])]  # Alpha has no trade with Beta to cut
    assert terms_acceptable(_reading(s, "ALPHA"), _offer(offer, "GAMMA"), "realist")


def test_bots_accept_only_the_terms_their_interest_supports() -> None:
    r = _reading(evolve(_started(trade_world()), calls={"c1": CALL}), "ALPHA")
    base = Proposal(type="consultation", parties=["GAMMA", "ALPHA"])
    against_beta = base.model_copy(update={"sanctions": [SanctionTerm(target="BETA")]})
    assert terms_acceptable(r, _offer(against_beta, "GAMMA"), "realist")  # Beta needs the trade more than Alpha
    against_union = base.model_copy(update={"sanctions": [SanctionTerm(target="UNION")]})
    assert not terms_acceptable(r, _offer(against_union, "GAMMA"), "liberal")  # no trade to cut: no leverage
    only_gamma = base.model_copy(update={"sanctions": [SanctionTerm(target="UNION", by=["GAMMA"])]})
    assert terms_acceptable(r, _offer(only_gamma, "GAMMA"), "realist")  # commits Alpha to nothing
    to_ally = AidTerm(donor="ALPHA", to="GAMMA", value_usd_m=100.0)
    assert terms_acceptable(r, _offer(base.model_copy(update={"aid": [to_ally]}), "GAMMA"), "realist")
    received = AidTerm(donor="GAMMA", to="ALPHA", value_usd_m=100.0)
    assert terms_acceptable(r, _offer(base.model_copy(update={"aid": [received]}), "GAMMA"), "realist")
    to_beta = Proposal(
        type="consultation", parties=["ALPHA", "BETA"], aid=[AidTerm(donor="ALPHA", to="BETA", value_usd_m=1.0)]
    )
    assert not terms_acceptable(r, _offer(to_beta, "BETA"), "liberal")  # aid only to an ally


COSTLY: dict[str, Any] = {
    "id": "coalition",
    "name": "The sanctions coalition",
    "type": "consultation",
    "parties": ["ALPHA", "GAMMA"],
    "strength": 0.5,
    "duration": 1,
    "terms": {"sanctions": [{"target": "BETA"}]},
}


def costly_world() -> Scenario:
    """Gamma, bound to sanction Beta, needs their trade three times more than Beta does."""
    doc = scenario_dict(trade_world())
    doc["agreements"] = [*doc["agreements"], COSTLY]
    for link in doc["trade"]:
        if "GAMMA" in link["between"]:
            link["dependence"] = {"GAMMA": 0.3, "BETA": 0.1}
    return Scenario.model_validate(doc)


def test_a_realist_withholds_costly_sanctions_once_the_target_is_calm_and_others_keep_their_word() -> None:
    s = _started(costly_world())
    bound = evolve(s, sanctions={"GAMMA>BETA": "sanctions"}, sanction_basis={"GAMMA>BETA": "coalition"})
    calm = evolve(bound, intent=dict(bound.intent) | {"GAMMA>BETA": 0.1})
    r = _reading(calm, "GAMMA")
    assert withheld(r, "realist") == ["coalition"]
    assert withheld(r, "liberal") == []
    assert withheld(r, "constructivist") == []
    assert sanctions(r, "realist")["lift_sanctions"] == []  # bound: it never orders a lift the engine refuses
    attacked = _reading(evolve(calm, calls={"c1": CALL}), "GAMMA")
    assert withheld(attacked, "realist") == []  # while Beta is an attacker, the sanctions are worth their cost
    hostile = _reading(evolve(bound, intent=dict(bound.intent) | {"GAMMA>BETA": 0.9}), "GAMMA")
    assert withheld(hostile, "realist") == []


def test_a_spent_coalition_is_neither_renewed_nor_kept_by_a_realist_or_constructivist() -> None:
    s = _started(costly_world())
    calm = _reading(evolve(s, intent=dict(s.intent) | {"GAMMA>BETA": 0.1}), "GAMMA")
    assert "coalition" not in agreement_orders(calm, "liberal", 7)["renew"]
    assert agreement_orders(calm, "liberal", 7)["renounce"] == []  # the liberal keeps its word to the end
    assert "coalition" in agreement_orders(calm, "realist", 7)["renounce"]
    assert "coalition" in agreement_orders(calm, "constructivist", 7)["renounce"]
    hostile = _reading(evolve(s, intent=dict(s.intent) | {"GAMMA>BETA": 0.9}), "GAMMA")
    assert "coalition" in agreement_orders(hostile, "liberal", 7)["renew"]
    assert "coalition" not in agreement_orders(hostile, "constructivist", 7)["renounce"]


def test_in_a_whole_bot_game_an_attack_brings_a_coalition_that_sanctions_and_pays_aid() -> None:
    doc = scenario_dict(trade_world())
    strike = {"kind": "escalate", "actor": "BETA", "target": "ALPHA", "level": "limited_strike"}
    doc["injects"] = [
        {"id": "strike", "turn": 1, "title": "Beta strikes", "text": "Beta shells Alpha's posts.", "effects": [strike]}
    ]
    run = play(Scenario.model_validate(doc), seed=1)
    [made] = [e for e in run.log if isinstance(e, AgreementConcluded) and e.proposal.sanctions]
    assert [t.target for t in made.proposal.sanctions] == ["BETA"]
    assert [(a.donor, a.to) for a in made.proposal.aid] == [("GAMMA", "ALPHA")]
    imposed = {e.actor for e in run.log if isinstance(e, SanctionImposed) and e.agreement == made.id}
    assert imposed == {"ALPHA", "GAMMA"}
    paid = [e for e in run.log if isinstance(e, Outcome) and e.reason.rule == "economy.aid_term"]
    assert len(paid) >= 2
