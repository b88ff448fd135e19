"""Step 11, behaviour named: the label follows the moves a state made, and its explanation lists them."""

from __future__ import annotations

from crisisgame.engine.commands import (
    Accept,
    ArmsDelivery,
    Deployment,
    Orders,
    Proposal,
    Propose,
    Start,
    Statement,
    SubmitOrders,
)
from crisisgame.engine.events import Outcome
from tests.engine.support import FAC, Table, made_id

BALANCING_MOVES = Orders(
    deployments=[Deployment(host="GAMMA", troops=1500, kind="tripwire")],
    arms_deliveries=[ArmsDelivery(to="GAMMA", value_usd_m=400, item="air defence radars")],
    statements=[Statement(text="We stand by Gamma.", pledge_to="GAMMA")],
)


def behaviour_of(table: Table, actor: str) -> Outcome:
    """ALPHA's behaviour label in the last turn adjudicated."""
    return [
        e
        for e in table.log
        if isinstance(e, Outcome) and e.reason.rule.startswith("behaviour.") and e.changes[0].key == actor
    ][-1]


def agree(table: Table, deal: Proposal) -> None:
    made = made_id(table.do(Propose(by="ALPHA", proposal=deal)))
    for other in deal.parties:
        if other != "ALPHA":
            table.do(Accept(by=other, proposal_id=made))


def play_turn(orders: Orders, *, basing: bool, amity: bool = False) -> Table:
    """A turn of the trio in which ALPHA (whose top threat is BETA) makes `orders`, and perhaps
    ratifies basing rights with GAMMA; with `amity`, the turn before made a three-party consultation
    treaty that includes BETA (a shared agreement that is no alliance)."""
    table = Table(seed=1)  # a seed on which every legislature ratifies (the risk of defeat is a draw)
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    if amity:
        agree(table, Proposal(type="consultation", parties=["ALPHA", "BETA", "GAMMA"]))
        table.advance_to("diplomacy", turn=2)
        assert any(ag.type == "consultation" for ag in table.state.active_agreements())
    if basing:
        agree(table, Proposal(type="basing_rights", parties=["ALPHA", "GAMMA"], host="GAMMA", troops=800))
    table.advance_to("orders")
    table.do(SubmitOrders(by="ALPHA", orders=orders))
    table.advance_to("results")
    if basing:
        assert any(ag.type == "basing_rights" for ag in table.state.active_agreements()), "setup: basing not ratified"
    return table


def test_a_coherent_balancing_turn_is_labelled_balancing_and_lists_its_evidence() -> None:
    orders = BALANCING_MOVES.model_copy(update={"defence_spending": 4.0})
    table = play_turn(orders, basing=True, amity=True)
    label = behaviour_of(table, "ALPHA")
    assert label.reason.inputs["top_threat"] == "BETA"
    assert label.changes[0].value == "external_balancing"
    text = label.reason.explanation
    for move in (
        "deployed 1,500 troops (tripwire) to GAMMA",
        "delivered air defence radars worth $400m to GAMMA",
        "pledged support to GAMMA",
        "concluded a basing rights with GAMMA",
        "raised defence spending",
    ):
        assert move in text, text
    assert "did nothing" not in text


def test_deployments_arms_and_pledges_alone_are_evidence_of_balancing() -> None:
    assert behaviour_of(play_turn(BALANCING_MOVES, basing=False), "ALPHA").changes[0].value == "external_balancing"


def test_ablation_without_those_moves_the_same_turn_is_not_balancing() -> None:
    label = behaviour_of(play_turn(Orders(), basing=False), "ALPHA")
    assert not str(label.changes[0].value).endswith("balancing")


def test_a_treaty_of_amity_with_the_threat_does_not_cancel_a_basing_deal() -> None:
    with_amity = behaviour_of(play_turn(Orders(), basing=True, amity=True), "ALPHA")
    assert with_amity.changes[0].value == "external_balancing"
    assert "basing rights with GAMMA" in with_amity.reason.explanation


def test_support_sent_to_the_threat_itself_is_bandwagoning() -> None:
    to_threat = Orders(arms_deliveries=[ArmsDelivery(to="BETA", value_usd_m=100)])
    assert behaviour_of(play_turn(to_threat, basing=False), "ALPHA").changes[0].value == "bandwagoning"
