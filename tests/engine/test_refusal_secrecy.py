"""Refusals and ids keep private objects private (issue 14, item 5).

A seat that is not a party to a proposal, demand or call is refused exactly as if the object did not
exist: the reason names neither who made it nor whom it concerns. Ids of private objects are not
sequential (a seat cannot count or probe others' proposals), yet a replay gives the same ids. A
proposal's adjudicated fate stays hidden until the results are released.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crisisgame.engine.commands import (
    Accept,
    CallAnswer,
    Command,
    Counter,
    DemandAnswer,
    Orders,
    Proposal,
    Propose,
    Reject,
    Release,
    SendMessage,
    Start,
    SubmitOrders,
    Withdraw,
)
from crisisgame.engine.events import MessageSent
from crisisgame.engine.state import CallState, DemandState, evolve
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play
from tests.conftest import ROOT
from tests.engine.support import FAC, Table, made_id

OPAQUE = re.compile(r"^(p|m|d|call)-[0-9a-f]{12}$")


def in_phase(phase: str, seed: int = 7, auto_release: bool = True) -> Table:
    table = Table(seed=seed, auto_release=auto_release)
    table.do(Start(by=FAC))
    table.advance_to(phase)
    return table


def alpha_beta_proposal(table: Table) -> str:
    return made_id(table.do(Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"]))))


NON_PARTY_COMMANDS: dict[str, Callable[[str], Command]] = {
    "accept": lambda i: Accept(by="GAMMA", proposal_id=i),
    "reject": lambda i: Reject(by="GAMMA", proposal_id=i),
    "withdraw": lambda i: Withdraw(by="GAMMA", proposal_id=i),
    "counter": lambda i: Counter(
        by="GAMMA", proposal_id=i, proposal=Proposal(type="consultation", parties=["GAMMA", "ALPHA"])
    ),
}


def test_a_non_party_is_told_a_proposal_does_not_exist_exactly_as_for_a_missing_id() -> None:
    table = in_phase("diplomacy")
    pid = alpha_beta_proposal(table)
    for kind, make in NON_PARTY_COMMANDS.items():
        missing = table.refusal(make("p-000000000000"))
        refusal = table.refusal(make(pid))
        assert refusal.code == missing.code == "no_such_proposal", kind
        assert refusal.reason == f"there is no proposal '{pid}'", kind
        assert "ALPHA" not in refusal.reason
        assert "BETA" not in refusal.reason
    # A party still gets the precise reason (it can see the proposal).
    expected = f"only ALPHA, who made proposal '{pid}', can withdraw it"
    assert table.refuse(Withdraw(by="BETA", proposal_id=pid)) == expected


def test_a_private_demand_is_unknown_to_a_third_party_and_named_to_its_maker() -> None:
    table = in_phase("orders")
    demand = DemandState("d-secret", "ALPHA", "BETA", "border", 0.8, public=False, turn=1)
    table.game.state = evolve(table.state, demands={demand.id: demand})
    answer = Orders(demand_answers=[DemandAnswer(demand_id=demand.id, accept=True)])
    refusal = table.refusal(SubmitOrders(by="GAMMA", orders=answer))
    assert (refusal.code, refusal.reason) == ("no_such_demand", "there is no demand 'd-secret'")
    # The maker sees its own demand: it is told whom it is addressed to.
    assert table.refuse(SubmitOrders(by="ALPHA", orders=answer)) == "demand 'd-secret' is addressed to BETA, not ALPHA"
    table.do(SubmitOrders(by="BETA", orders=answer))


def test_a_call_is_unknown_to_those_it_does_not_concern() -> None:
    table = in_phase("orders")
    call = CallState("call-secret", "alpha-guarantee", "ALPHA", "GAMMA", ("BETA",), 1)
    table.game.state = evolve(table.state, calls={call.id: call})
    answer = Orders(call_answers=[CallAnswer(call_id=call.id, honour=True)])
    refusal = table.refusal(SubmitOrders(by="GAMMA", orders=answer))
    assert (refusal.code, refusal.reason) == ("no_such_call", "there is no call 'call-secret'")
    table.do(SubmitOrders(by="BETA", orders=answer))


def test_ids_of_messages_and_proposals_are_opaque_distinct_and_replay_identically() -> None:
    def ids(seed: int) -> list[str]:
        table = in_phase("diplomacy", seed=seed)
        made = [alpha_beta_proposal(table) for _ in range(3)]
        for _ in range(3):
            [sent] = table.do(SendMessage(by="GAMMA", channel="private", to=["ALPHA"], text="hello"))
            assert isinstance(sent, MessageSent)
            made.append(sent.id)
        return made

    first = ids(7)
    assert all(OPAQUE.match(i) for i in first), first
    assert len(set(first)) == len(first)
    assert ids(7) == first  # replays give the same ids...
    assert not set(ids(8)) & set(first)  # ...another game's seed gives others


def test_demand_and_call_ids_name_no_actor() -> None:
    baltic = load_scenario(ROOT / "scenarios" / "baltic.yaml")
    log = play(baltic, seed=3, turns=3).log
    actors = [a.id for a in baltic.actors]
    private = [e for e in log if e.type in ("demand_opened", "call_opened")]
    assert {e.type for e in private} == {"demand_opened", "call_opened"}
    for e in private:
        ident = e.id
        assert OPAQUE.match(ident), ident
        assert not any(a in ident for a in actors), ident


def test_a_proposal_s_adjudicated_fate_is_not_revealed_before_release() -> None:
    table = in_phase("diplomacy", auto_release=False)
    pid = alpha_beta_proposal(table)
    table.do(Accept(by="BETA", proposal_id=pid))
    table.advance_to("results")
    assert not table.state.released
    fate = table.state.proposals[pid].status
    assert fate in ("ratified", "failed")
    sealed = table.refuse(Withdraw(by="ALPHA", proposal_id=pid))
    assert fate not in sealed
    assert sealed == "proposals cannot be withdrawn until this turn's results are released"
    table.do(Release(by=FAC))
    assert table.refuse(Withdraw(by="ALPHA", proposal_id=pid)) == f"proposal '{pid}' is not open: it is {fate}"
