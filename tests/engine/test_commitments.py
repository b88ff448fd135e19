"""Commitments through the game: clauses that bind, one answer per ally, agreements over time,
deals that settle, tied hands at home (issue 12, scripted)."""

from __future__ import annotations

from typing import Any

import pytest

from crisisgame.engine.commands import (
    Accept,
    AidOrder,
    CallAnswer,
    DemandAnswer,
    DemandOrder,
    FireInject,
    ForceOrder,
    Orders,
    Proposal,
    Propose,
    SanctionOrder,
    Start,
    Statement,
    SubmitOrders,
    TableResolution,
    VoteResolution,
)
from crisisgame.engine.events import (
    AgreementEnded,
    CallOpened,
    Event,
    Outcome,
    ResolutionDecided,
    ResolutionTabled,
    SanctionImposed,
    SanctionLifted,
)
from crisisgame.scenario.model import Scenario, scenario_dict
from tests.engine.support import FAC, Table, made_id, trio

GUARANTEE: dict[str, Any] = {
    "id": "guarantee",
    "name": "The guarantee",
    "type": "security_guarantee",
    "parties": ["ALPHA", "GAMMA"],
    "guarantors": ["GAMMA"],
    "strength": 0.6,
    "ambiguity": 0.4,
}


def world(*agreements: dict[str, Any], rules: dict[str, Any] | None = None) -> Scenario:
    """Trio with these agreements in place of its guarantee."""
    doc = scenario_dict(trio())
    doc["agreements"] = list(agreements)
    if rules:
        doc["rules"] = rules
    return Scenario.model_validate(doc)


def strike(table: Table, orders: dict[str, Orders]) -> list[Event]:
    """Play orders for the current turn and adjudicate it; the events of the adjudication."""
    table.advance_to("orders")
    for actor, o in orders.items():
        table.do(SubmitOrders(by=actor, orders=o))
    before = len(table.log)
    table.advance_to("results")
    return table.log[before:]


def started(sc: Scenario, teams: list[str] | None = None) -> Table:
    table = Table(sc, seed=5, teams=teams)
    table.do(Start(by=FAC))
    return table


def rule(events: list[Event], name: str) -> list[Outcome]:
    return [e for e in events if isinstance(e, Outcome) and e.reason.rule == name]


BETA_STRIKES = {"BETA": Orders(force=[ForceOrder(target="ALPHA", level="limited_strike")])}


# --------------------------------------------------------------------------- 1. obligations that bind


def test_a_guarantee_without_obligations_is_a_defence_clause_on_armed_attack() -> None:
    events = strike(started(world(GUARANTEE)), BETA_STRIKES)
    [call] = [e for e in events if isinstance(e, CallOpened)]
    assert call.clause is not None
    assert call.clause.startswith("defence")
    assert "armed attack" in call.clause
    assert "under its defence" in call.reason.explanation


def test_a_consultation_only_pledge_cannot_be_called_on_like_a_defence_pact() -> None:
    tra = GUARANTEE | {"obligations": ["consultation"]}
    events = strike(started(world(tra)), BETA_STRIKES)
    assert not [e for e in events if isinstance(e, CallOpened)]
    [refused] = rule(events, "alliance.call_refused")
    assert "consultation" in refused.reason.explanation
    assert "not fight" in refused.reason.explanation


def test_a_clause_against_a_named_state_is_refused_against_another() -> None:
    named = GUARANTEE | {"obligations": [{"kind": "defence", "trigger": "named_attacker", "attackers": ["UNION"]}]}
    events = strike(started(world(named)), BETA_STRIKES)
    assert not [e for e in events if isinstance(e, CallOpened)]
    [refused] = rule(events, "alliance.call_refused")
    assert "names only UNION, not BETA" in refused.reason.explanation


def test_a_regional_clause_does_not_cover_a_territory_outside_its_region() -> None:
    regional = GUARANTEE | {"obligations": [{"kind": "defence", "scope": "region", "region": ["GAMMA"]}]}
    events = strike(started(world(regional)), BETA_STRIKES)
    [refused] = rule(events, "alliance.call_refused")
    assert "covers only GAMMA" in refused.reason.explanation


def test_coercion_invokes_extended_deterrence_but_not_a_defence_clause() -> None:
    demand = {"BETA": Orders(demands=[DemandOrder(target="ALPHA", issue="border", position=0.2)])}
    defence_only = strike(started(world(GUARANTEE)), demand)
    assert not [e for e in defence_only if isinstance(e, CallOpened)]
    deterrence = GUARANTEE | {"obligations": ["extended_deterrence"]}
    events = strike(started(world(deterrence)), demand)
    [call] = [e for e in events if isinstance(e, CallOpened)]
    assert call.clause is not None
    assert call.clause.startswith("extended deterrence")


def test_a_scripted_call_without_its_trigger_is_refused_with_the_clause() -> None:
    table = started(world(GUARANTEE), teams=["ALPHA", "BETA", "GAMMA"])
    table.do(
        FireInject(
            by=FAC,
            title="Alpha calls",
            text="Alpha invokes the guarantee.",
            effects=[{"kind": "call", "actor": "ALPHA", "agreement": "guarantee", "against": "BETA"}],
        )
    )
    events = strike(table, {})
    [refused] = rule(events, "alliance.call_refused")
    assert "neither attacked nor coerced" in refused.reason.explanation
    assert "defence" in refused.reason.explanation


def test_an_ad_hoc_call_no_clause_could_ever_answer_is_refused_at_once() -> None:
    table = started(world(GUARANTEE | {"obligations": ["consultation"]}))
    reason = table.refuse(
        FireInject(
            by=FAC,
            title="Alpha calls",
            text="Alpha invokes the guarantee.",
            effects=[{"kind": "call", "actor": "ALPHA", "agreement": "guarantee", "against": "BETA"}],
        )
    )
    assert "consultation clause obliges" in reason


def test_a_proposal_whose_clause_names_a_party_as_attacker_is_refused() -> None:
    table = started(world(GUARANTEE))
    table.advance_to("diplomacy")
    bad = Proposal(
        type="defence_pact",
        parties=["ALPHA", "BETA"],
        obligations=[{"kind": "defence", "trigger": "named_attacker", "attackers": ["BETA"]}],
    )
    assert "could never be invoked" in table.refuse(Propose(by="ALPHA", proposal=bad))


@pytest.mark.parametrize(
    ("clause", "says"),
    [
        ({"kind": "defence", "attackers": ["GAMMA"]}, "lists attackers but answers any attacker"),
        ({"kind": "defence", "region": ["ALPHA"]}, "lists a region but covers every party's territory"),
        ({"kind": "consultation", "min_rung": "war"}, "cannot be called on, so its min_rung would change nothing"),
    ],
)
def test_a_proposal_with_a_clause_field_that_would_change_nothing_is_refused(clause: dict[str, Any], says: str) -> None:
    """Left in, the field would be ignored and the team would sign a different promise from the one it wrote."""
    table = started(world(GUARANTEE))
    table.advance_to("diplomacy")
    bad = Proposal(type="defence_pact", parties=["ALPHA", "BETA"], obligations=[clause])
    assert says in table.refuse(Propose(by="ALPHA", proposal=bad))


# --------------------------------------------------------------------------- 2. one answer per ally


def test_layered_commitments_to_one_ally_get_one_answer_explained_clause_by_clause() -> None:
    declaration = GUARANTEE | {"id": "umbrella", "name": "The umbrella", "obligations": ["extended_deterrence"]}
    for seed in range(6):
        table = Table(world(GUARANTEE, declaration), seed=seed, teams=["ALPHA", "BETA"])
        table.do(Start(by=FAC))
        events = strike(table, BETA_STRIKES)
        calls = [e for e in events if isinstance(e, CallOpened)]
        assert {c.agreement for c in calls} == {"guarantee", "umbrella"}
        [answer] = rule(events, "alliance.answer")
        values = {ch.key: ch.value for ch in answer.changes if ch.target == "call"}
        assert len(values) == 2
        assert len(set(values.values())) == 1
        assert "'The guarantee'" in answer.reason.explanation
        assert "'The umbrella'" in answer.reason.explanation
        assert answer.reason.inputs["temperament"] == "constructivist"


def test_a_team_answers_layered_calls_once_and_may_not_split_them() -> None:
    declaration = GUARANTEE | {"id": "umbrella", "name": "The umbrella", "obligations": ["extended_deterrence"]}
    table = started(world(GUARANTEE, declaration))
    calls = [e.id for e in strike(table, BETA_STRIKES) if isinstance(e, CallOpened)]
    table.advance_to("orders")
    split = Orders(call_answers=[CallAnswer(call_id=calls[0], honour=True), CallAnswer(call_id=calls[1], honour=False)])
    assert "one decision" in table.refuse(SubmitOrders(by="GAMMA", orders=split))
    events = strike(table, {"GAMMA": Orders(call_answers=[CallAnswer(call_id=calls[0], honour=True)])})
    [answer] = rule(events, "alliance.answer")
    assert [ch.value for ch in answer.changes if ch.target == "call"] == [True, True]


# --------------------------------------------------------------------------- 3. agreements over time


def test_renunciation_takes_notice_and_costs_reputation_and_approval() -> None:
    table = started(world(GUARANTEE))
    gamma = table.state.actors["GAMMA"]
    events = strike(table, {"GAMMA": Orders(renounce=["guarantee"])})
    [notice] = rule(events, "agreement.renunciation")
    assert table.state.agreements["guarantee"].active
    after = table.state.actors["GAMMA"]
    assert after.reputation < gamma.reputation
    assert after.approval < gamma.approval
    assert "already renounced" in _refuse_orders(table, "GAMMA", Orders(renounce=["guarantee"]))
    ends = [e for _ in range(2) for e in strike(table, {}) if isinstance(e, AgreementEnded)]
    assert [(e.agreement, e.cause) for e in ends] == [("guarantee", "renounced")]
    assert not table.state.agreements["guarantee"].active
    assert notice.reason.inputs["ends_turn"] == 3


def _refuse_orders(table: Table, actor: str, orders: Orders) -> str:
    table.advance_to("orders")
    return table.refuse(SubmitOrders(by=actor, orders=orders))


def test_suspension_ends_an_agreement_at_once() -> None:
    table = started(world(GUARANTEE))
    events = strike(table, {"ALPHA": Orders(suspend=["guarantee"])})
    assert [(e.agreement, e.cause) for e in events if isinstance(e, AgreementEnded)] == [("guarantee", "suspended")]
    assert "no longer in force" in _refuse_orders(table, "ALPHA", Orders(suspend=["guarantee"]))


def test_a_fixed_term_expires_unless_renewed() -> None:
    term = GUARANTEE | {"duration": 2}
    lapsed = started(world(term))
    ends = [e for _ in range(2) for e in strike(lapsed, {}) if isinstance(e, AgreementEnded)]
    assert [(e.agreement, e.cause) for e in ends] == [("guarantee", "expired")]
    renewed = started(world(term))
    strike(renewed, {})
    events = strike(renewed, {"ALPHA": Orders(renew=["guarantee"]), "GAMMA": Orders(renew=["guarantee"])})
    assert len(rule(events, "agreement.renewed")) == 1  # one renewal, however many parties order it
    assert renewed.state.agreements["guarantee"].active
    assert renewed.state.agreements["guarantee"].duration == 2
    assert "nothing to renew" in _refuse_orders(started(world(GUARANTEE)), "ALPHA", Orders(renew=["guarantee"]))


def test_renegotiation_supersedes_and_duplicates_are_refused() -> None:
    table = started(world(GUARANTEE))
    table.advance_to("diplomacy")
    same = Proposal(type="security_guarantee", parties=["ALPHA", "GAMMA"], guarantors=["GAMMA"], strength=0.8)
    assert "already in force" in table.refuse(Propose(by="ALPHA", proposal=same))
    amended = same.model_copy(update={"amends": "guarantee"})
    pid = made_id(table.do(Propose(by="ALPHA", proposal=amended)))
    table.do(Accept(by="GAMMA", proposal_id=pid))
    events = strike(table, {})
    assert [(e.agreement, e.cause) for e in events if isinstance(e, AgreementEnded)] == [("guarantee", "superseded")]
    assert table.state.agreements[f"ag-{pid}"].strength == 0.8


# --------------------------------------------------------------------------- 4. deals that settle


def test_a_ratified_deal_settles_its_issue_and_outsiders_cannot_concede_it_away() -> None:
    table = started(world(GUARANTEE))
    table.advance_to("diplomacy")
    deal = Proposal(type="consultation", parties=["ALPHA", "GAMMA"], issue="border", position=0.5)
    pid = made_id(table.do(Propose(by="ALPHA", proposal=deal)))
    table.do(Accept(by="GAMMA", proposal_id=pid))
    events = strike(table, {"BETA": Orders(demands=[DemandOrder(target="UNION", issue="border", position=0.1)])})
    assert rule(events, "ratification.settles")
    assert table.state.settled["border"] == 0.5
    demand = next(d for d in table.state.demands.values() if d.target == "UNION")
    events = strike(table, {"UNION": Orders(demand_answers=[DemandAnswer(demand_id=demand.id, accept=True)])})
    [gave_in] = [e for e in rule(events, "crisis.demand") if "gave in" in e.reason.explanation]
    assert "keeps it settled" in gave_in.reason.explanation
    assert table.state.settled["border"] == 0.5


# --------------------------------------------------------------------------- 5. two-level games


def _abandon_after_pledge(public: bool | None, rules: dict[str, Any] | None = None) -> float:
    """GAMMA's approval change in the turn it abandons ALPHA, after a pledge (None: no pledge)."""
    table = started(world(GUARANTEE, rules=rules))
    pledge = [] if public is None else [Statement(text="We stand by Alpha.", pledge_to="ALPHA", public=public)]
    calls = [
        e.id for e in strike(table, BETA_STRIKES | {"GAMMA": Orders(statements=pledge)}) if isinstance(e, CallOpened)
    ]
    before = table.state.actors["GAMMA"].approval
    strike(table, {"GAMMA": Orders(call_answers=[CallAnswer(call_id=calls[0], honour=False)])})
    return table.state.actors["GAMMA"].approval - before


def test_abandoning_after_a_pledge_costs_approval_in_proportion_to_publicity() -> None:
    none, private, public = (_abandon_after_pledge(p) for p in (None, False, True))
    assert public < private < none
    off = {"domestic": {"broken_pledge": 0.0}}
    assert _abandon_after_pledge(True, off) == _abandon_after_pledge(None, off)


# --------------------------------------------------------------------------- 6. the Security Council


def council_world(permanent: list[str]) -> Scenario:
    doc = scenario_dict(world(GUARANTEE))
    doc["council"] = {"members": ["ALPHA", "BETA", "GAMMA"], "permanent": permanent, "regional_bodies": ["UNION"]}
    return Scenario.model_validate(doc)


def _vote(table: Table, votes: dict[str, str], kind: str = "authorise_force") -> list[Event]:
    table.advance_to("diplomacy")
    draft = TableResolution(
        by="GAMMA",
        kind=kind,
        target="BETA",
        authorised=[] if kind in ("condemn", "sanctions") else ["ALPHA"],
        text="The Council acts.",
    )
    [tabled] = [e.id for e in table.do(draft) if isinstance(e, ResolutionTabled)]
    for actor, v in votes.items():
        table.do(VoteResolution(by=actor, resolution_id=tabled, vote=v))
    return strike(table, {})


def test_a_mandate_is_granted_by_the_council_not_claimed() -> None:
    claim = Proposal(type="consultation", parties=["ALPHA", "GAMMA"], mandate="unsc")
    table = started(council_world(permanent=[]))
    table.advance_to("diplomacy")
    assert "granted, not claimed" in table.refuse(Propose(by="ALPHA", proposal=claim))
    assert "no seat" in table.refuse(TableResolution(by="UNION", kind="condemn", target="BETA", text="Condemned."))
    [decided] = [
        e for e in _vote(table, {"ALPHA": "yes", "GAMMA": "yes", "BETA": "no"}) if isinstance(e, ResolutionDecided)
    ]
    assert decided.adopted
    assert table.state.mandate_for(["ALPHA"]) == "unsc"
    table.advance_to("diplomacy")
    table.do(Propose(by="ALPHA", proposal=claim))


def test_a_permanent_member_vetoes() -> None:
    table = started(council_world(permanent=["BETA"]))
    [decided] = [
        e for e in _vote(table, {"ALPHA": "yes", "GAMMA": "yes", "BETA": "no"}) if isinstance(e, ResolutionDecided)
    ]
    assert not decided.adopted
    assert decided.vetoed_by == ["BETA"]
    assert "vetoed by" in decided.reason.explanation
    assert table.state.mandate_for(["ALPHA"]) == "none"


def test_a_named_regional_body_grants_a_regional_mandate_and_bots_vote_their_beliefs() -> None:
    table = started(council_world(permanent=["BETA"]), teams=["ALPHA", "GAMMA"])
    table.advance_to("diplomacy")
    regional = Proposal(type="consultation", parties=["ALPHA", "UNION"], mandate="regional")
    table.do(Propose(by="ALPHA", proposal=regional))
    bare = Proposal(type="consultation", parties=["ALPHA", "GAMMA"], mandate="regional")
    assert "no regional body" in table.refuse(Propose(by="ALPHA", proposal=bare))
    intent_before = table.state.intent_of("ALPHA", "BETA")
    events = _vote(table, {"ALPHA": "yes", "GAMMA": "yes"}, kind="condemn")
    [decided] = [e for e in events if isinstance(e, ResolutionDecided)]
    assert decided.votes["BETA"] == "no"  # the bot shields itself, and its veto holds
    assert not decided.adopted
    assert table.state.intent_of("ALPHA", "BETA") <= intent_before + 1e-9


# --------------------------------------------------------------------------- 7. economic statecraft


def trade_world() -> Scenario:
    doc = scenario_dict(council_world(permanent=[]))
    doc["meta"]["sources"].append({"key": "dots", "citation": "A made-up trade table for tests."})
    doc["trade"] = [
        {"between": ["ALPHA", "BETA"], "dependence": {"ALPHA": 0.02, "BETA": 0.2}, "year": 2024, "source": "dots"},
        {"between": ["GAMMA", "BETA"], "dependence": {"GAMMA": 0.01, "BETA": 0.1}, "year": 2024, "source": "dots"},
    ]
    return Scenario.model_validate(doc)


def test_sanctions_cost_both_sides_by_their_dependence_and_coalitions_cut_deeper() -> None:
    alone, coalition = started(trade_world()), started(trade_world())
    before = alone.state.actors["BETA"]
    embargo = [SanctionOrder(target="BETA", kind="embargo")]
    events = strike(alone, {"ALPHA": Orders(sanctions=embargo)})
    assert [(e.actor, e.target) for e in events if isinstance(e, SanctionImposed)] == [("ALPHA", "BETA")]
    [hit] = rule(events, "economy.sanctions")
    [cost] = rule(events, "economy.sanction_cost")
    assert hit.reason.terms["trade_cut"] > cost.reason.terms["trade_given_up"]  # Hirschman: asymmetric dependence
    beta = alone.state.actors["BETA"]
    assert beta.milex is not None
    assert before.milex is not None
    assert beta.milex < before.milex
    strike(coalition, {"ALPHA": Orders(sanctions=embargo), "GAMMA": Orders(sanctions=embargo)})
    assert coalition.state.actors["BETA"].approval < beta.approval
    events = strike(alone, {"ALPHA": Orders(lift_sanctions=["BETA"])})
    assert [e.type for e in events if isinstance(e, SanctionLifted)] == ["sanction_lifted"]
    assert not rule(events, "economy.sanctions")
    assert "no sanctions on BETA" in _refuse_orders(alone, "ALPHA", Orders(lift_sanctions=["BETA"]))


def test_a_council_sanctions_resolution_makes_its_supporters_impose_them() -> None:
    table = started(trade_world())
    events = _vote(table, {"ALPHA": "yes", "GAMMA": "yes", "BETA": "no"}, kind="sanctions")
    assert sorted(e.actor for e in events if isinstance(e, SanctionImposed)) == ["ALPHA", "GAMMA"]


def test_aid_adds_to_the_recipients_military_spending_the_next_turn() -> None:
    table = started(trade_world())
    strike(table, {"ALPHA": Orders(aid=[AidOrder(to="GAMMA", value_usd_m=500)])})
    before = table.state.actors["GAMMA"].milex
    donor = table.state.actors["ALPHA"].milex
    [aid] = rule(strike(table, {}), "economy.aid")
    after = table.state.actors["GAMMA"].milex
    assert before is not None
    assert after is not None
    assert donor is not None
    assert aid.reason.inputs["donor"] == "ALPHA"
    assert after > before
    assert abs(donor - (table.state.actors["ALPHA"].milex or 0.0) - 500 * 1000) < 1e-3  # the donor pays it


BREAKABLE = {"alliance": {"violation_ends": 1.0}}


def test_abandoning_a_call_breaks_the_agreement_it_was_made_under() -> None:
    table = started(world(GUARANTEE, rules=BREAKABLE))
    calls = [e.id for e in strike(table, BETA_STRIKES) if isinstance(e, CallOpened)]
    assert calls
    events = strike(table, {"GAMMA": Orders(call_answers=[CallAnswer(call_id=calls[0], honour=False)])})
    [broken] = [e for e in events if isinstance(e, AgreementEnded)]
    assert (broken.agreement, broken.cause) == ("guarantee", "broken")
    assert broken.reason.inputs["by"] == "GAMMA"
    assert broken.reason.inputs["partner"] == "ALPHA"
    assert "Gamma abandoned Alpha" in broken.reason.explanation
    assert not table.state.agreements["guarantee"].active
    honoured = started(world(GUARANTEE, rules=BREAKABLE))
    calls = [e.id for e in strike(honoured, BETA_STRIKES) if isinstance(e, CallOpened)]
    events = strike(honoured, {"GAMMA": Orders(call_answers=[CallAnswer(call_id=calls[0], honour=True)])})
    assert not [e for e in events if isinstance(e, AgreementEnded)]
    assert honoured.state.agreements["guarantee"].active


def test_attacking_a_partner_breaks_the_agreement_and_the_ablation_keeps_it() -> None:
    pact = GUARANTEE | {"parties": ["ALPHA", "BETA"], "guarantors": ["BETA"]}
    table = started(world(pact, rules=BREAKABLE))
    events = strike(table, BETA_STRIKES)
    assert [(e.agreement, e.cause) for e in events if isinstance(e, AgreementEnded)] == [("guarantee", "broken")]
    assert (
        "Beta used force against Alpha" in next(e for e in events if isinstance(e, AgreementEnded)).reason.explanation
    )
    kept = started(world(pact))  # the default, 0: a violated agreement stays in force
    assert not [e for e in strike(kept, BETA_STRIKES) if isinstance(e, AgreementEnded)]
    assert kept.state.agreements["guarantee"].active


def test_a_suspended_agreement_can_be_resumed_and_only_a_suspended_one() -> None:
    table = started(world(GUARANTEE))
    strike(table, {"ALPHA": Orders(suspend=["guarantee"])})
    assert table.state.agreements["guarantee"].suspended
    events = strike(table, {"ALPHA": Orders(resume=["guarantee"]), "GAMMA": Orders(resume=["guarantee"])})
    [resumed] = rule(events, "agreement.resumed")  # one resumption, however many parties order it
    assert "resumed 'The guarantee'" in resumed.reason.explanation
    ag = table.state.agreements["guarantee"]
    assert (ag.active, ag.suspended) == (True, False)
    assert "cannot be resumed: it is in force" in _refuse_orders(table, "ALPHA", Orders(resume=["guarantee"]))
    assert "not a party" in _refuse_orders(table, "BETA", Orders(resume=["guarantee"]))
    renounced = started(world(GUARANTEE | {"duration": 1}))
    strike(renounced, {})
    strike(renounced, {})
    assert not renounced.state.agreements["guarantee"].active
    refused = _refuse_orders(renounced, "ALPHA", Orders(resume=["guarantee"]))
    assert "ended for good, not by a suspension" in refused
