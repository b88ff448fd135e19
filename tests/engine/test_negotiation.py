"""Negotiation: messages, proposals (propose, counter, accept, reject, withdraw, expire) and their
ratification at adjudication (Putnam 1988), for every agreement type."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import (
    Accept,
    Advance,
    Counter,
    Proposal,
    Propose,
    Reject,
    SendMessage,
    Start,
    Withdraw,
)
from crisisgame.engine.events import (
    AgreementConcluded,
    Event,
    MessageSent,
    Outcome,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
)
from crisisgame.scenario.model import AgreementType
from tests.engine.support import FAC, Table, check_log

AGREEMENT_TYPES: list[str] = list(get_args(AgreementType))
TERMS: dict[str, dict[str, Any]] = {
    "arms_deal": {"value_usd_m": 250.0, "item": "air defence"},
    "basing_rights": {"host": "BETA", "troops": 800},
}


def in_diplomacy() -> Table:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    return table


def propose(table: Table, by: str, **fields: Any) -> str:
    fields.setdefault("type", "consultation")
    fields.setdefault("parties", [by, "BETA"])
    [made] = table.do(Propose(by=by, proposal=Proposal(**fields)))
    assert isinstance(made, ProposalMade)
    return made.id


def closed(events: list[Event], pid: str) -> ProposalClosed:
    [event] = [e for e in events if isinstance(e, ProposalClosed) and e.id == pid]
    return event


# --------------------------------------------------------------------------- messages


def test_messages_get_distinct_opaque_ids_and_keep_their_channel_and_recipients() -> None:
    table = in_diplomacy()
    events = table.do(SendMessage(by="ALPHA", channel="public", text="to all"))
    events += table.do(SendMessage(by="BETA", channel="private", to=["GAMMA"], text="to you"))
    events += table.do(SendMessage(by="GAMMA", channel="group", to=["ALPHA", "BETA", "ALPHA"], text="to us"))
    events += table.do(SendMessage(by=FAC, channel="private", to=["ALPHA"], text="from Control"))
    sent = [e for e in events if isinstance(e, MessageSent)]
    assert [(m.channel, m.sender, m.to, m.turn) for m in sent] == [
        ("public", "ALPHA", [], 1),
        ("private", "BETA", ["GAMMA"], 1),
        ("group", "GAMMA", ["ALPHA", "BETA"], 1),  # a recipient named twice counts once
        ("private", FAC, ["ALPHA"], 1),
    ]
    assert len({m.id for m in sent}) == 4
    assert all(m.id.startswith("m-") and not m.id.removeprefix("m-").isdigit() for m in sent)
    assert [m for _, m in table.state.messages.held()] == sent


@pytest.mark.parametrize("phase", ["briefing", "diplomacy", "orders", "results"])
def test_messages_flow_in_every_phase_of_a_turn(phase: str) -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to(phase)
    table.do(SendMessage(by="BETA", channel="public", text="still talking"))
    assert len(table.state.messages) == 1


# --------------------------------------------------------------------------- the life of a proposal


def test_a_proposal_is_open_and_accepted_by_its_sender() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA")
    prop = table.state.proposals[pid]
    assert (prop.status, prop.sender, prop.turn) == ("open", "ALPHA", 1)
    assert prop.accepted == frozenset({"ALPHA"})


def test_a_proposal_is_accepted_once_every_party_has_accepted_it() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA", parties=["ALPHA", "BETA", "GAMMA"])
    [answer] = table.do(Accept(by="BETA", proposal_id=pid))
    assert isinstance(answer, ProposalAnswered)
    assert answer.accept
    assert table.state.proposals[pid].status == "open"
    table.do(Accept(by="GAMMA", proposal_id=pid))
    assert table.state.proposals[pid].status == "accepted"
    assert table.refuse(Accept(by="GAMMA", proposal_id=pid)) == f"proposal '{pid}' is not open: it is accepted"


def test_a_rejected_proposal_is_closed_with_who_rejected_it() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA")
    events = table.do(Reject(by="BETA", proposal_id=pid))
    assert closed(events, pid).reason == "rejected by BETA"
    assert table.state.proposals[pid].status == "rejected"
    assert table.refuse(Accept(by="BETA", proposal_id=pid)) == f"proposal '{pid}' is not open: it is rejected"


def test_the_sender_can_withdraw_even_an_accepted_proposal_before_it_is_ratified() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA")
    table.do(Accept(by="BETA", proposal_id=pid))
    events = table.do(Withdraw(by="ALPHA", proposal_id=pid))
    assert closed(events, pid).reason == "withdrawn by ALPHA"
    table.advance_to("results")
    assert table.state.proposals[pid].status == "withdrawn"
    assert f"ag-{pid}" not in table.state.agreements
    assert table.refuse(Withdraw(by="ALPHA", proposal_id=pid)) == f"proposal '{pid}' is not open: it is withdrawn"


def test_a_counter_proposal_replaces_the_original() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA", type="defence_pact")
    [made] = table.do(
        Counter(by="BETA", proposal_id=pid, proposal=Proposal(type="non_aggression", parties=["BETA", "ALPHA"]))
    )
    assert isinstance(made, ProposalMade)
    assert made.counter_of == pid
    assert table.state.proposals[pid].status == "countered"
    assert table.state.proposals[made.id].status == "open"
    assert table.state.proposals[made.id].accepted == {"BETA"}
    assert table.refuse(Accept(by="BETA", proposal_id=pid)) == f"proposal '{pid}' is not open: it is countered"
    counter_again = Counter(
        by="BETA", proposal_id=pid, proposal=Proposal(type="consultation", parties=["BETA", "ALPHA"])
    )
    assert table.refuse(counter_again) == f"proposal '{pid}' is not open: it is countered"


def test_only_a_party_can_counter() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA")
    command = Counter(by="GAMMA", proposal_id=pid, proposal=Proposal(type="consultation", parties=["GAMMA", "ALPHA"]))
    assert table.refuse(command) == f"there is no proposal '{pid}'"  # a non-party learns nothing of it


def test_a_proposal_not_accepted_by_every_party_expires_at_adjudication() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA")
    table.advance_to("orders")
    events = table.do(Advance(by=FAC))
    event = closed(events, pid)
    assert (event.status, event.reason) == ("expired", "not accepted by every party this turn")
    assert not any(isinstance(e, AgreementConcluded) for e in events)


def test_proposals_are_made_and_answered_during_diplomacy_only() -> None:
    table = in_diplomacy()
    pid = propose(table, "ALPHA")
    table.advance_to("orders")
    assert table.refuse(Accept(by="BETA", proposal_id=pid)) == (
        "cannot accept proposals during the orders phase (only during diplomacy)"
    )
    assert table.refuse(Reject(by="BETA", proposal_id=pid)).startswith("cannot reject proposals during the orders")
    command = Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"]))
    assert table.refuse(command).startswith("cannot make proposals during the orders phase")


PROPOSALS_REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"parties": ["ALPHA", "ZED"]}, "unknown party 'ZED'"),
    ({"parties": ["BETA", "GAMMA"]}, "ALPHA can only propose agreements it is a party to"),
    ({"parties": ["ALPHA", "ALPHA"]}, "a party is listed twice in the proposal"),
    ({"parties": ["ALPHA", "BETA"], "guarantors": ["GAMMA"]}, "guarantor 'GAMMA' is not a party to the proposal"),
    ({"parties": ["ALPHA", "BETA"], "host": "ZED"}, "unknown host 'ZED'"),
    ({"parties": ["ALPHA", "BETA"], "issue": "oil", "position": 0.5}, "unknown issue 'oil' (issues: border, status)"),
    ({"parties": ["ALPHA", "BETA"], "issue": "border"}, "a proposal on an issue needs both an issue and a position"),
    ({"parties": ["ALPHA", "BETA"], "position": 0.5}, "a proposal on an issue needs both an issue and a position"),
    ({"parties": ["ALPHA", "BETA"], "type": "arms_deal"}, "an arms deal needs a value (value_usd_m)"),
    ({"parties": ["ALPHA", "BETA"], "type": "basing_rights", "host": "BETA"}, "basing rights need a host and a number"),
]


@pytest.mark.parametrize(("fields", "reason"), PROPOSALS_REFUSED, ids=[r for _, r in PROPOSALS_REFUSED])
def test_a_proposal_must_make_sense(fields: dict[str, Any], reason: str) -> None:
    fields.setdefault("type", "consultation")
    command = Propose(by="ALPHA", proposal=Proposal(**fields))
    assert in_diplomacy().refuse(command).startswith(reason)


# --------------------------------------------------------------------------- ratification


def agreed_and_adjudicated(**fields: Any) -> tuple[Table, str, list[Event]]:
    """ALPHA proposes to BETA (approvals 0.50 and 0.70: no risk of defeat without an issue), BETA accepts."""
    table = in_diplomacy()
    pid = propose(table, "ALPHA", parties=["ALPHA", "BETA"], **fields)
    table.do(Accept(by="BETA", proposal_id=pid))
    table.advance_to("orders")
    events = table.do(Advance(by=FAC))
    return table, pid, events


@pytest.mark.parametrize("kind", AGREEMENT_TYPES)
def test_every_agreement_type_is_concluded_when_both_sides_ratify_it(kind: str) -> None:
    table, pid, events = agreed_and_adjudicated(type=kind, strength=0.7, ambiguity=0.1, **TERMS.get(kind, {}))
    assert closed(events, pid).status == "ratified"
    [concluded] = [e for e in events if isinstance(e, AgreementConcluded)]
    assert concluded.id == f"ag-{pid}"
    assert (concluded.reason.rule, concluded.reason.step, concluded.reason.citations) == (
        "ratification.concluded",
        1,
        ["putnam1988"],
    )
    ag = table.state.agreements[concluded.id]
    assert (ag.type, ag.parties, ag.strength, ag.ambiguity, ag.since_turn, ag.active) == (
        kind,
        ("ALPHA", "BETA"),
        0.7,
        0.1,
        1,
        True,
    )
    for name, value in TERMS.get(kind, {}).items():
        assert getattr(ag, name) == value
    assert table.state.proposals[pid].status == "ratified"
    check_log(table.log, table.state)


def test_a_deal_inside_both_win_sets_is_concluded() -> None:
    # Alpha's win-set on the border is [0.4, 0.7] and Beta's [0.0, 0.5]; two side-payments widen both by 0.1.
    table, pid, events = agreed_and_adjudicated(type="non_aggression", issue="border", position=0.45, side_payments=2)
    assert closed(events, pid).status == "ratified"
    assert table.state.agreements[f"ag-{pid}"].position == 0.45
    votes = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "ratification.winset"]
    assert len(votes) == 2
    assert all("ratified the deal" in v.reason.explanation for v in votes)


def test_a_deal_outside_a_partys_win_set_fails_and_says_why() -> None:
    table, pid, events = agreed_and_adjudicated(type="non_aggression", issue="border", position=0.6)
    event = closed(events, pid)
    assert (event.status, event.reason) == ("failed", "not ratified by BETA")
    assert not any(isinstance(e, AgreementConcluded) for e in events)
    [refusal] = [e for e in events if isinstance(e, Outcome) and "cannot ratify" in e.reason.explanation]
    assert refusal.reason.explanation == "Beta cannot ratify: 0.60 lies outside its win-set [0.00, 0.50] on border."
    assert refusal.reason.citations == ["putnam1988"]
    assert table.state.proposals[pid].status == "failed"
    assert f"ag-{pid}" not in table.state.agreements


def test_a_secret_deals_ratification_is_told_to_its_parties_only() -> None:
    _, _, events = agreed_and_adjudicated(type="non_aggression", public=False)
    votes = [e for e in events if isinstance(e, Outcome) and e.reason.step == 1]
    assert votes
    assert sorted(a for v in votes for a in v.audience) == ["ALPHA", "BETA"]  # each party reads its own vote


def test_ratification_near_the_edge_of_a_win_set_is_a_replayable_gamble() -> None:
    outcomes = set()
    for seed in range(12):
        table = Table(seed=seed)
        table.do(Start(by=FAC))
        table.advance_to("diplomacy")
        pid = propose(table, "ALPHA", type="non_aggression", issue="border", position=0.49)  # Beta's edge is 0.5
        table.do(Accept(by="BETA", proposal_id=pid))
        table.advance_to("results")
        outcomes.add(table.state.proposals[pid].status)
        assert fold(table.log).proposals[pid].status == table.state.proposals[pid].status
    assert outcomes == {"ratified", "failed"}
