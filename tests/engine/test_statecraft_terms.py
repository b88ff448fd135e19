"""Economic statecraft as agreement terms, played through the game (issue 12, item 7): a sanctions
coalition term and an aid term act each turn while the agreement is in force, show in views and the
log, end with the agreement, and a party that withholds them is in breach."""

from __future__ import annotations

from typing import Any

from crisisgame.engine.commands import Accept, AidOrder, Orders, Proposal, Propose, SanctionOrder, SubmitOrders
from crisisgame.engine.events import AgreementEnded, Event, Outcome, SanctionImposed, SanctionLifted
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.view import view, visible_event
from crisisgame.scenario.model import AidTerm, SanctionTerm, Scenario, scenario_dict
from tests.engine.support import Table, made_id
from tests.engine.test_commitments import started, strike, trade_world

COALITION: dict[str, Any] = {
    "id": "coalition",
    "name": "The sanctions coalition",
    "type": "consultation",
    "parties": ["ALPHA", "GAMMA"],
    "strength": 0.5,
    "terms": {"sanctions": [{"target": "BETA", "kind": "embargo"}]},
}
AID: dict[str, Any] = {
    "id": "aid-pact",
    "name": "The aid pact",
    "type": "strategic_partnership",
    "parties": ["ALPHA", "GAMMA"],
    "strength": 0.5,
    "terms": {"aid": [{"donor": "ALPHA", "to": "GAMMA", "value_usd_m": 800}]},
}


def world(*agreements: dict[str, Any], rules: dict[str, Any] | None = None) -> Scenario:
    """The trade world (Alpha and Gamma trade with Beta) with these agreements in place of its own."""
    doc = scenario_dict(trade_world())
    doc["agreements"] = list(agreements)
    if rules:
        doc["rules"] = rules
    return Scenario.model_validate(doc)


def rule(events: list[Event], name: str) -> list[Outcome]:
    return [e for e in events if isinstance(e, Outcome) and e.reason.rule == name]


def refuse_orders(table: Table, actor: str, orders: Orders) -> str:
    table.advance_to("orders")
    return table.refuse(SubmitOrders(by=actor, orders=orders))


def test_a_sanctions_term_makes_every_party_sanction_the_target_each_turn_at_a_cost_to_both() -> None:
    table = started(world(COALITION))
    before = table.state.actors["BETA"]
    events = strike(table, {})
    imposed = [e for e in events if isinstance(e, SanctionImposed)]
    assert [(e.actor, e.target, e.kind, e.agreement) for e in imposed] == [
        ("ALPHA", "BETA", "embargo", "coalition"),
        ("GAMMA", "BETA", "embargo", "coalition"),
    ]
    assert "commits it to" in imposed[0].reason.explanation
    [hit] = rule(events, "economy.sanctions")
    assert hit.reason.inputs["coalition"] == 2
    assert hit.reason.terms["trade_cut"] == 0.3  # the embargo cuts all of Beta's trade with both (0.2 + 0.1)
    assert sorted(e.changes[0].key for e in rule(events, "economy.sanction_cost")) == ["ALPHA", "GAMMA"]
    beta = table.state.actors["BETA"]
    assert beta.milex is not None
    assert before.milex is not None
    assert beta.milex < before.milex
    assert beta.approval < before.approval
    # The next turn the measures are already in force: nothing is imposed again, and the cost goes on.
    events = strike(table, {})
    assert not [e for e in events if isinstance(e, SanctionImposed)]
    assert rule(events, "economy.sanctions")
    assert table.state.sanction_basis == {"ALPHA>BETA": "coalition", "GAMMA>BETA": "coalition"}


def test_a_term_naming_its_sanctioners_binds_only_them() -> None:
    only_gamma = COALITION | {"terms": {"sanctions": [{"target": "BETA", "by": ["GAMMA"]}]}}
    table = started(world(only_gamma))
    events = strike(table, {})
    assert [(e.actor, e.kind) for e in events if isinstance(e, SanctionImposed)] == [("GAMMA", "sanctions")]
    assert "ALPHA" in refuse_orders(table, "ALPHA", Orders(withhold=["coalition"]))


def test_an_aid_term_adds_to_the_recipients_military_spending_every_turn_in_force() -> None:
    table = started(world(AID))
    milex = [table.state.actors["GAMMA"].milex]
    for _ in range(2):
        [aid] = rule(strike(table, {}), "economy.aid_term")
        assert aid.reason.inputs == {"donor": "ALPHA", "value_usd_m": 800.0, "agreement": "aid-pact"}
        assert "under 'The aid pact'" in aid.reason.explanation
        milex.append(table.state.actors["GAMMA"].milex)
    assert milex[0] is not None
    assert milex[1] is not None
    assert milex[2] is not None
    step = 800 * 1000 * table.state.rules.economy.aid_to_milex
    assert abs(milex[1] - milex[0] - step) < 1e-3
    assert abs(milex[2] - milex[1] - step) < 1e-3


def test_aid_costs_the_donor_exactly_what_it_gives() -> None:
    """The donor's military spending falls by the whole amount, the recipient's rises by `aid_to_milex` of
    it, in one outcome whose terms record both (the conservation figure: received = given x aid_to_milex)."""
    table = started(world(AID))
    alpha, gamma = table.state.actors["ALPHA"].milex, table.state.actors["GAMMA"].milex
    [aid] = rule(strike(table, {}), "economy.aid_term")
    assert alpha is not None
    assert gamma is not None
    paid = alpha - (table.state.actors["ALPHA"].milex or 0.0)
    gained = (table.state.actors["GAMMA"].milex or 0.0) - gamma
    efficiency = table.state.rules.economy.aid_to_milex
    assert abs(paid - 800 * 1000) < 1e-3  # COW military expenditure is in thousands of US$
    assert abs(gained - efficiency * paid) < 1e-3
    assert [(c.key, c.field) for c in aid.changes] == [("ALPHA", "milex"), ("GAMMA", "milex")]
    assert aid.reason.terms == {"given_usd_m": 800.0, "received_usd_m": 800.0 * efficiency, "aid_to_milex": efficiency}
    assert "Alpha's military spending falls by $800.0m" in aid.reason.explanation


def test_a_donor_gives_no_more_than_it_has_and_then_nothing() -> None:
    """Alpha (US$ 10 bn of military spending) owes US$ 15 bn a turn: it gives its 10 bn, falls to zero and
    the text says so; the next turn there is nothing left to give, and nothing arrives."""
    too_much = AID | {"terms": {"aid": [{"donor": "ALPHA", "to": "GAMMA", "value_usd_m": 15000}]}}
    table = started(world(too_much))
    gamma = table.state.actors["GAMMA"].milex
    assert gamma is not None
    [aid] = rule(strike(table, {}), "economy.aid_term")
    efficiency = table.state.rules.economy.aid_to_milex
    assert table.state.actors["ALPHA"].milex == 0.0
    assert abs((table.state.actors["GAMMA"].milex or 0.0) - gamma - efficiency * 10_000_000) < 1e-3
    assert aid.reason.terms["given_usd_m"] == 10_000.0
    assert "could give only $10,000.0m" in aid.reason.explanation
    assert "falls to zero" in aid.reason.explanation
    after = table.state.actors["GAMMA"].milex
    [dry] = rule(strike(table, {}), "economy.aid_term")
    assert dry.reason.terms["given_usd_m"] == 0.0
    assert "no military spending left to give" in dry.reason.explanation
    assert table.state.actors["ALPHA"].milex == 0.0
    assert table.state.actors["GAMMA"].milex == after


def test_aid_to_a_sanctioned_state_adds_to_what_the_sanctions_leave() -> None:
    """Sanctions and aid change the same figure in the same step: the recipient ends with both effects."""
    table = started(world())
    strike(table, {"GAMMA": Orders(aid=[AidOrder(to="BETA", value_usd_m=500)])})
    before = table.state.actors["BETA"].milex
    assert before is not None
    events = strike(table, {"ALPHA": Orders(sanctions=[SanctionOrder(target="BETA", kind="embargo")])})
    r = table.state.rules.economy
    [hit] = rule(events, "economy.sanctions")
    expected = before * (1 - r.capability_loss * hit.reason.terms["trade_cut"]) + 500 * 1000 * r.aid_to_milex
    assert abs((table.state.actors["BETA"].milex or 0.0) - expected) < 1e-2


def test_the_terms_end_with_the_agreement() -> None:
    short = COALITION | {"duration": 2, "terms": COALITION["terms"] | AID["terms"]}
    table = started(world(short))
    strike(table, {})
    assert set(table.state.sanctions) == {"ALPHA>BETA", "GAMMA>BETA"}
    events = strike(table, {})
    [ended] = [e for e in events if isinstance(e, AgreementEnded)]
    assert ended.cause == "expired"
    lifted = [e for e in events if isinstance(e, SanctionLifted)]
    assert sorted((e.actor, e.agreement) for e in lifted) == [("ALPHA", "coalition"), ("GAMMA", "coalition")]
    assert all("no longer in force" in e.reason.explanation for e in lifted)
    assert events.index(ended) < events.index(lifted[0])
    assert not table.state.sanctions
    assert not table.state.sanction_basis
    events = strike(table, {})
    assert not rule(events, "economy.sanctions")
    assert not rule(events, "economy.aid_term")
    assert not [e for e in events if isinstance(e, SanctionImposed)]


def test_a_renounced_agreement_takes_its_sanctions_with_it_but_not_a_partys_own() -> None:
    table = started(world(COALITION, rules={"alliance": {"renunciation_notice": 1}}))
    strike(table, {"GAMMA": Orders(renounce=["coalition"])})
    assert set(table.state.sanctions) == {"ALPHA>BETA", "GAMMA>BETA"}  # bound until the notice has run
    events = strike(table, {})
    assert [(e.agreement, e.cause) for e in events if isinstance(e, AgreementEnded)] == [("coalition", "renounced")]
    assert not table.state.sanctions
    # A party's own measure beyond what the term asks (an embargo where it commits to sanctions) outlives it;
    # an order for what the term asks anyway is taken under the agreement, and ends with it.
    mild = {"sanctions": [{"target": "BETA", "kind": "sanctions"}]}
    own = started(world(COALITION | {"duration": 2, "terms": mild}))
    embargo, sanction = SanctionOrder(target="BETA", kind="embargo"), SanctionOrder(target="BETA")
    events = strike(own, {"ALPHA": Orders(sanctions=[embargo]), "GAMMA": Orders(sanctions=[sanction])})
    imposed = [(e.actor, e.kind, e.agreement) for e in events if isinstance(e, SanctionImposed)]
    assert imposed == [("ALPHA", "embargo", None), ("GAMMA", "sanctions", "coalition")]
    assert own.state.sanction_basis == {"GAMMA>BETA": "coalition"}
    strike(own, {})
    assert own.state.sanctions == {"ALPHA>BETA": "embargo"}


def test_withholding_a_term_is_a_breach_in_the_log_that_costs_reputation() -> None:
    table = started(world(COALITION, AID))
    strike(table, {})
    reputation = table.state.actors["GAMMA"].reputation
    events = strike(table, {"GAMMA": Orders(withhold=["coalition"]), "ALPHA": Orders(withhold=["aid-pact"])})
    [lifted] = [e for e in events if isinstance(e, SanctionLifted)]
    assert (lifted.actor, lifted.target, lifted.agreement) == ("GAMMA", "BETA", "coalition")
    breaches = rule(events, "agreement.breach")
    assert sorted(str(b.reason.inputs["by"]) for b in breaches) == ["ALPHA", "GAMMA"]
    by_gamma = next(b for b in breaches if b.reason.inputs["by"] == "GAMMA")
    assert "breached 'The sanctions coalition'" in by_gamma.reason.explanation
    assert "embargo on Beta" in by_gamma.reason.explanation
    assert by_gamma.audience == "public"
    by_alpha = next(b for b in breaches if b.reason.inputs["by"] == "ALPHA")
    assert "aid of $800m to Gamma" in by_alpha.reason.explanation
    assert not rule(events, "economy.aid_term")  # withheld aid is not paid
    cost = table.state.rules.economy.breach_reputation * COALITION["strength"]
    assert abs(table.state.actors["GAMMA"].reputation - (reputation - cost)) < 1e-6
    [hit] = rule(events, "economy.sanctions")
    assert hit.reason.inputs["coalition"] == 1  # Alpha keeps its word
    # The agreement stays in force by default (alliance.violation_ends 0): next turn Gamma is bound again.
    assert table.state.agreements["coalition"].active
    again = strike(table, {})
    assert [(e.actor, e.agreement) for e in again if isinstance(e, SanctionImposed)] == [("GAMMA", "coalition")]


def test_a_breach_can_break_the_agreement_and_end_every_partys_sanctions() -> None:
    table = started(world(COALITION, rules={"alliance": {"violation_ends": 1.0}}))
    strike(table, {})
    events = strike(table, {"GAMMA": Orders(withhold=["coalition"])})
    [broken] = [e for e in events if isinstance(e, AgreementEnded)]
    assert (broken.cause, broken.reason.inputs["by"]) == ("broken", "GAMMA")
    assert "withheld the sanctions or aid" in broken.reason.explanation
    assert not table.state.sanctions


def test_orders_that_would_silently_break_a_term_are_refused_with_the_way_out() -> None:
    table = started(world(COALITION, AID))
    strike(table, {})
    why = refuse_orders(table, "GAMMA", Orders(lift_sanctions=["BETA"]))
    assert "bound by 'coalition'" in why
    assert "withhold" in why
    assert "renounce" in why
    assert "nothing to withhold" in refuse_orders(table, "GAMMA", Orders(withhold=["aid-pact"]))
    assert "no agreement 'nope'" in refuse_orders(table, "GAMMA", Orders(withhold=["nope"]))
    table.do(SubmitOrders(by="GAMMA", orders=Orders(withhold=["coalition"], lift_sanctions=["BETA"])))


def test_proposals_carry_terms_over_to_the_agreement_and_bad_terms_are_refused() -> None:
    table = started(world())
    table.advance_to("diplomacy")
    sanction = SanctionTerm(target="BETA", kind="sanctions")
    aid = AidTerm(donor="GAMMA", to="ALPHA", value_usd_m=300.0)
    base = Proposal(type="consultation", parties=["ALPHA", "GAMMA"])
    bad = {
        "unknown target 'OMEGA'": [SanctionTerm(target="OMEGA")],
        "the target 'ALPHA' is a party": [SanctionTerm(target="ALPHA")],
        "'BETA' is not a party": [SanctionTerm(target="UNION", by=["BETA"])],
    }
    for why, terms in bad.items():
        refusal = table.refuse(Propose(by="ALPHA", proposal=base.model_copy(update={"sanctions": terms})))
        assert why in refusal
        assert refusal.startswith("sanctions[0]")
    self_aid = AidTerm(donor="ALPHA", to="ALPHA", value_usd_m=1.0)
    assert "to itself" in table.refuse(Propose(by="ALPHA", proposal=base.model_copy(update={"aid": [self_aid]})))
    outsider = AidTerm(donor="BETA", to="ALPHA", value_usd_m=1.0)
    assert "donor 'BETA'" in table.refuse(Propose(by="ALPHA", proposal=base.model_copy(update={"aid": [outsider]})))
    good = base.model_copy(update={"sanctions": [sanction], "aid": [aid]})
    pid = made_id(table.do(Propose(by="ALPHA", proposal=good)))
    table.do(Accept(by="GAMMA", proposal_id=pid))
    events = strike(table, {})
    ag = table.state.agreements[f"ag-{pid}"]
    assert ag.sanction_terms == (sanction,)
    assert ag.aid_terms == (aid,)
    assert sorted(e.actor for e in events if isinstance(e, SanctionImposed)) == ["ALPHA", "GAMMA"]
    assert rule(events, "economy.aid_term")


def test_views_show_the_terms_and_which_sanctions_an_agreement_imposed() -> None:
    secret = COALITION | {"public": False}
    table = started(world(secret, AID))
    strike(table, {})
    mine = view(table.state, "GAMMA")
    assert isinstance(mine, TeamView)
    terms = {ag.id: ag.terms for ag in mine.agreements}
    assert [(t.target, t.kind, t.by) for t in terms["coalition"].sanctions] == [("BETA", "embargo", [])]
    assert [(a.donor, a.to, a.value_usd_m) for a in terms["aid-pact"].aid] == [("ALPHA", "GAMMA", 800.0)]
    assert mine.sanction_basis == {"ALPHA>BETA": "coalition", "GAMMA>BETA": "coalition"}
    theirs = view(table.state, "BETA")
    assert "coalition" not in {ag.id for ag in theirs.agreements}
    assert theirs.sanction_basis == {}  # the measures are public; the secret agreement behind them is not
    assert set(theirs.sanctions) == {"ALPHA>BETA", "GAMMA>BETA"}
    # The sanctions are public news; the secret agreement behind them is named only to its parties.
    seen = [e for e in theirs.outcomes if isinstance(e, SanctionImposed)]
    assert [(e.actor, e.agreement, e.reason.rule) for e in seen] == [
        ("ALPHA", None, "economy.imposed"),
        ("GAMMA", None, "economy.imposed"),
    ]
    assert all("coalition" not in e.reason.explanation for e in seen)
    imposed = next(e for e in table.log if isinstance(e, SanctionImposed))
    shown = visible_event(imposed, "BETA", table.state)
    assert isinstance(shown, SanctionImposed)
    assert shown.agreement is None
    assert visible_event(imposed, "GAMMA", table.state) is imposed
    strike(table, {"GAMMA": Orders(withhold=["coalition"])})
    revealed = view(table.state, "BETA").revealed_orders
    assert all(o.withhold == [] for turn in revealed.values() for o in turn.values())
    mine_now = view(table.state, "ALPHA").revealed_orders
    assert ["coalition"] in [o.withhold for turn in mine_now.values() for o in turn.values()]
