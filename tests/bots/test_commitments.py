"""Computer players' commitments: one replayable answer by temperament, no duplicates, renewal and exit,
Council votes and sanctions (issue 12)."""

from __future__ import annotations

from crisisgame.bots.agreements import agreement_orders, shape
from crisisgame.bots.reading import Reading
from crisisgame.bots.statecraft import drafts, sanctions
from crisisgame.engine.commands import Proposal, Start
from crisisgame.engine.rules.computer_answers import answer_call, weigh
from crisisgame.engine.rules.computer_votes import vote
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.state import CallState, State, evolve
from crisisgame.engine.view import view
from crisisgame.scenario.rulebook import Alliance
from tests.engine.support import FAC, Table, trio
from tests.engine.test_commitments import trade_world

TERMS = {"intercept": -0.9, "reputation": 1.0, "commitment": 0.8, "interest": 0.4, "expected_cost": -0.5}


def test_each_temperament_weighs_its_own_term() -> None:
    rules = Alliance()
    assert weigh("realist", TERMS, rules)["expected_cost"] == -0.5 * rules.realist_cost_weight
    assert weigh("liberal", TERMS, rules)["commitment"] == 0.8 * rules.liberal_commitment_weight
    assert weigh("constructivist", TERMS, rules)["reputation"] == 1.0 * rules.constructivist_reputation_weight
    realist = answer_call(3, 2, "G", "A", "B", "realist", TERMS, rules)
    liberal = answer_call(3, 2, "G", "A", "B", "liberal", TERMS, rules)
    assert realist.probability < liberal.probability
    assert realist.draw == liberal.draw  # one draw per ally, caller, attacker and turn: replays exactly


def _reading(state: State, seat: str) -> Reading:
    seen = view(state, seat, history=False)
    assert isinstance(seen, TeamView)
    return Reading(seen)


def test_bots_never_duplicate_an_agreement_in_force_and_claim_no_mandate_they_lack() -> None:
    r = _reading(Table(trio()).state, "ALPHA")
    assert shape(r, Proposal(type="security_guarantee", parties=["ALPHA", "GAMMA"], guarantors=["GAMMA"])) is None
    shaped = shape(r, Proposal(type="consultation", parties=["ALPHA", "BETA"], mandate="regional"))
    assert shaped is not None
    assert shaped.mandate == "none"
    assert shaped.duration == r.view.rules.bots.agreement_term


def test_renewal_and_exit_follow_temperament_and_beliefs() -> None:
    start = Table(trio()).state
    ag = start.agreements["guarantee"]
    expiring = evolve(start, agreements={"guarantee": evolve(ag, duration=1)})
    r = _reading(expiring, "ALPHA")
    assert agreement_orders(r, "liberal") == {"renounce": [], "renew": ["guarantee"]}
    hostile = dict(expiring.intent) | {"ALPHA>GAMMA": 0.9}
    r = _reading(evolve(expiring, intent=hostile), "ALPHA")
    assert agreement_orders(r, "liberal")["renew"] == []
    assert agreement_orders(r, "constructivist")["renounce"] == []  # GAMMA is kin: it stays


def test_a_council_member_shields_itself_and_its_partners() -> None:
    s = Table(trio()).state
    assert vote(s, "BETA", "condemn", "BETA", [])[0] == "no"
    assert vote(s, "GAMMA", "condemn", "ALPHA", [])[0] == "no"  # GAMMA guarantees ALPHA


def test_bots_sanction_an_attacker_they_depend_on_less_and_table_a_draft() -> None:
    table = Table(trade_world(), teams=[])
    table.do(Start(by=FAC))
    call = CallState("c1", "guarantee", "ALPHA", "BETA", ("GAMMA",), 1)
    r = _reading(evolve(table.state, calls={"c1": call}), "GAMMA")
    orders = sanctions(r, "realist")
    assert [o.target for o in orders["sanctions"]] == ["BETA"]
    [draft] = drafts(r, "realist")
    assert draft.model_dump()["kind"] == "condemn"
