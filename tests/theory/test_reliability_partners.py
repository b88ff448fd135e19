"""A record of honouring alliances attracts partners; defaulters find fewer (Gibler 2008; Crescenzi, Kathman,
Kleinberg & Wood 2012)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.commands import CallAnswer, DemandOrder, Orders
from crisisgame.engine.state import initial_state
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(200)
"""Test seeds 0-199, apart from the calibration seeds (1000-1999)."""


@cache
def courted(seed: int, honour: bool, ablate: bool = False) -> tuple[float, float]:
    """Whether B's bot courts C (proposes a defence pact to it) after C has honoured or abandoned its ally
    E, and C's reputation then.

    Five realists: a strong A; B, near A and believing it aggressive, looking for an ally; E, A's other
    neighbour, protected by C under a defence pact with an extended-deterrence clause; C and D, two
    candidate partners of B of random size and starting reputation, 1000-2500 km from A. A makes a demand
    of E (scripted), which invokes C's commitment; C (a team seat) honours or abandons the call (scripted:
    its record is the treatment); then B's bot, on its own view, chooses whom to court."""
    r = w.rng(seed, "reliability-partners")
    doc = w.blank(5, seed, turns=5)
    a, b, c, d, e = w.ids(doc)
    w.size(doc, a, r.uniform(2.0, 4.0))
    w.size(doc, b, 1.0)
    w.size(doc, e, 0.5)
    w.size(doc, c, r.uniform(1.0, 2.0))
    w.size(doc, d, r.uniform(1.0, 2.0))
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(300, 900), r.uniform(-300, 300))
    w.place(doc, e, -r.uniform(300, 900), r.uniform(-300, 300))
    for x in (c, d):
        w.place(doc, x, r.uniform(1000, 2500), r.uniform(-1500, 1500))
    for x in w.ids(doc):
        w.configure(doc, x, temperament="realist")
    for x in (c, d):
        w.configure(doc, x, reputation=round(r.uniform(0.55, 0.8), 3))
    w.intent(doc, b, a, r.uniform(0.6, 0.9))
    w.agreement(doc, "pact", "defence_pact", [c, e], strength=0.6, ambiguity=0.2)
    doc["agreements"][-1]["obligations"] = ["defence", "extended_deterrence"]
    w.issue(doc, "claim", {a: 0.9, e: 0.1})
    if ablate:
        w.rules(doc, "alliance", reputation_lambda=0.0)
    s, _ = w.advance(initial_state(w.scenario(doc), seed, teams=frozenset({c})))
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=e, issue="claim", position=0.9)])})
    assert s.calls, "the demand on E invokes C's commitment"
    s, _ = w.advance(s, {c: Orders(call_answers=[CallAnswer(call_id=cid, honour=honour) for cid in s.calls])})
    proposal = w.bot(s, b, seed).proposal()
    return float(proposal is not None and c in proposal.parties), s.actors[c].reputation


def test_a_state_that_honoured_its_ally_is_courted_more_than_one_that_defaulted() -> None:
    """Gibler (2008): states that honour their alliance commitments gain allies more easily afterwards,
    and those that break them find fewer partners (Crescenzi et al. 2012: reputations for reliability
    shape alliance formation).

    Mechanism: step 7 moves the answering guarantor's reputation towards 1 if it honoured and 0 if it
    abandoned (`alliance.reputation_lambda`); a computer player looking for an ally weighs each candidate's
    power by its reputation and by how benign it seems (`Bot.partner_score`: CINC x reputation x
    (1 - perceived intent)). No rule mentions a past default when choosing a partner.

    Experiment: seeds 0-199, paired: the same world after C honoured or abandoned E's call. Outcome: B's
    bot proposes its pact to C (rather than to D, or to no one). Margin: the paired difference (honoured -
    abandoned) more than 3 standard errors above 0.
    """
    honoured = [courted(seed, True) for seed in SEEDS]
    defaulted = [courted(seed, False) for seed in SEEDS]
    difference = stats.paired([x[0] for x in honoured], [x[0] for x in defaulted])
    stats.report(
        "reliability and partners",
        reputation_after_honouring=stats.mean([x[1] for x in honoured]),
        reputation_after_default=stats.mean([x[1] for x in defaulted]),
        courted_after_honouring=stats.mean([x[0] for x in honoured]),
        courted_after_default=stats.mean([x[0] for x in defaulted]),
        difference=difference,
    )
    stats.assert_positive(difference, "B courts C: C honoured - C defaulted")


def test_if_reputation_did_not_remember_the_answer_a_defaulter_would_be_courted_as_much() -> None:
    """Ablation: `alliance.reputation_lambda` = 0, so answering a call moves no reputation. Seeds 0-199, the
    same worlds. Margin: the gap (honoured - abandoned) in B's courting of C is no longer significant, and
    more than 3 SE smaller than with the update."""
    on = [courted(s, True)[0] - courted(s, False)[0] for s in SEEDS]
    off = [courted(s, True, True)[0] - courted(s, False, True)[0] for s in SEEDS]
    stats.report("reliability and partners ablation", gap_with_update=stats.mean(on), gap_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "B courts C: honoured - defaulted, reputation not updated")
    stats.assert_positive(stats.paired(on, off), "gap in courting: reputation updated - not")
