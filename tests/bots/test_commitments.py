"""Computer players' commitments: one replayable answer by temperament, no duplicates, renewal and exit,
Council votes and sanctions (issue 12)."""

from __future__ import annotations

from crisisgame.bots.agreements import Valuer, agreement_orders, shape
from crisisgame.bots.bargaining import Bargainer
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


SEED = 7


def _expiring(threat: dict[str, float], intent: dict[str, float] | None = None, credibility: float = 0.6) -> State:
    """The trio with GAMMA's guarantee of ALPHA in its last turn, GAMMA's credibility towards ALPHA at
    `credibility`, and the threats (and intents) given, keyed 'observer>observed'."""
    start = Table(trio()).state
    ag = start.agreements["guarantee"]
    return evolve(
        start,
        agreements={"guarantee": evolve(ag, duration=1)},
        threat=dict(start.threat) | threat,
        intent=dict(start.intent) | (intent or {}),
        credibility=dict(start.credibility) | {"GAMMA>ALPHA": credibility},
    )


def _valuer(state: State, seat: str, temperament: str) -> Valuer:
    r = _reading(state, seat)
    return Valuer(r, temperament, SEED, Bargainer(r, r.view.rules, SEED, temperament))


def test_before_any_threat_is_reckoned_a_bot_keeps_its_agreements() -> None:
    start = Table(trio()).state
    ag = start.agreements["guarantee"]
    r = _reading(evolve(start, agreements={"guarantee": evolve(ag, duration=1)}), "ALPHA")
    assert not any(r.view.me.threat.values())
    for temperament in ("realist", "liberal", "constructivist"):
        kept = {"renounce": [], "renounce_reasons": {}, "renew": ["guarantee"]}
        assert agreement_orders(r, temperament, SEED) == kept


def test_a_protected_state_values_a_guarantee_by_the_threat_it_faces_and_renews_it() -> None:
    """The guarantee is worth the rise in ALPHA's chance of holding out against BETA that GAMMA's help brings,
    times BETA's threat: more when the threat is graver, nothing when the guarantor would not come."""
    grave = _expiring({"ALPHA>BETA": 0.8})
    faint = _expiring({"ALPHA>BETA": 0.05})
    hollow = _expiring({"ALPHA>BETA": 0.8}, credibility=0.0)
    ag = next(a for a in _reading(grave, "ALPHA").active() if a.id == "guarantee")
    for temperament in ("realist", "liberal", "constructivist"):
        high = _valuer(grave, "ALPHA", temperament).security(ag)[0]
        low = _valuer(faint, "ALPHA", temperament).security(ag)[0]
        assert high > low > 0
        assert _valuer(hollow, "ALPHA", temperament).security(ag) == (0.0, 0.0)
        assert "guarantee" in agreement_orders(_reading(grave, "ALPHA"), temperament, SEED)["renew"]
    blind = _expiring({"ALPHA>BETA": 0.8})
    blind_bots = blind.rules.bots.model_copy(update={"agreement_threat_weight": 0.0})
    rules = blind.rules.model_copy(update={"bots": blind_bots})
    blind = evolve(blind, rules=rules)
    ledger = _valuer(blind, "ALPHA", "realist").ledger(ag)
    assert ledger == (0.0, 0.0)  # with the threat weighed at 0 the guarantee is worth nothing either way


def test_a_guarantor_leaves_a_partner_that_would_entrap_it_and_keeps_one_against_a_common_enemy() -> None:
    """Snyder (1984): GAMMA guards ALPHA against BETA, whom GAMMA sees as aggressive. When BETA does not threaten
    GAMMA, the guarantee draws GAMMA into a quarrel not its own and a realist GAMMA renounces it; when BETA
    threatens GAMMA too, defending ALPHA serves GAMMA and it stays."""
    union = {"GAMMA>UNION": 0.3}
    entrapping = _expiring(union | {"GAMMA>BETA": 0.0}, {"GAMMA>BETA": 0.9})
    keeps = evolve(entrapping, agreements={"guarantee": evolve(entrapping.agreements["guarantee"], duration=None)})
    ag = next(a for a in _reading(keeps, "GAMMA").active() if a.id == "guarantee")
    gain, loss = _valuer(keeps, "GAMMA", "realist").ledger(ag)
    assert loss > gain
    assert agreement_orders(_reading(keeps, "GAMMA"), "realist", SEED)["renounce"] == ["guarantee"]
    shared = _expiring({"GAMMA>BETA": 0.8}, {"GAMMA>BETA": 0.9})
    shared = evolve(shared, agreements={"guarantee": evolve(shared.agreements["guarantee"], duration=None)})
    assert agreement_orders(_reading(shared, "GAMMA"), "realist", SEED)["renounce"] == []


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
