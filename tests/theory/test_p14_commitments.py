"""Proposition 14, commitments that bind (leeds2003; fearon1997, tomz2007; fearon1994, weeks2008; voeten2005).

Each test runs the engine on random worlds and switches its mechanism off (the ablation) to show the
effect comes from that mechanism. Seeds 14000 and up are test seeds, apart from any calibration.
"""

from __future__ import annotations

from crisisgame.engine.commands import CallAnswer, DemandOrder, ForceOrder, Orders, Proposal, Statement
from crisisgame.engine.events import CallOpened, ProposalClosed
from crisisgame.engine.state import ProposalState, ResolutionState, evolve
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(14000, 14080)
LEEDS_SEEDS = range(14000, 14200)
"""More worlds for the Leeds test, whose effect is a few hundredths: at 80 worlds it cleared its margin at
z = 3.3; at 200 the expected z is about 5 (4 disjoint blocks of 200 seeds gave 5.0 to 6.4)."""


def _reliability(seed: int, read: bool) -> list[float]:
    """The guarantor's chance of honouring each call made when B strikes A, whose guarantor G wrote either a
    defence clause or only a consultation clause; with `read` False the obligations are dropped (every
    guarantee defends). The engine's own probability is the outcome: the draw adds only noise."""
    r = w.rng(seed, "p14-leeds")
    doc = w.blank(3, seed)
    a, b, g = w.ids(doc)
    defence = r.random() < 0.5
    strength, ambiguity = (r.uniform(0.6, 0.9), r.uniform(0.1, 0.3)) if defence else (r.uniform(0.1, 0.3), 0.8)
    w.agreement(doc, "pledge", "security_guarantee", [a, g], guarantors=[g], strength=strength, ambiguity=ambiguity)
    if read:
        doc["agreements"][0]["obligations"] = ["defence"] if defence else ["consultation"]
    w.configure(doc, g, reputation=round(r.uniform(0.4, 0.9), 3))
    s = w.primed(w.scenario(doc), seed)
    _, events = w.advance(s, {b: Orders(force=[ForceOrder(target=a, level="limited_strike")])})
    return [float(o.reason.inputs["probability"] or 0.0) for o in w.outcomes(events, "alliance.answer")]


def test_reading_obligations_makes_alliances_as_reliable_as_leeds_found() -> None:
    """Leeds (2003): alliances are honoured far more often than older counts said once one asks whether the
    obligations written actually covered the contingency. Experiment: 200 worlds; a guarantee that is either a
    firm defence clause or a vague consultation pledge; B strikes A. Outcome: the guarantor's chance of
    honouring, over the calls made. Ablation: obligations not read (every guarantee callable), so the vague
    pledges are called on too. Margin: the mean with obligations read exceeds the ablation's by more than 3
    standard errors (Welch)."""
    read = [p for seed in LEEDS_SEEDS for p in _reliability(seed, True)]
    ignored = [p for seed in LEEDS_SEEDS for p in _reliability(seed, False)]
    stats.report(
        "P14 Leeds",
        calls_read=len(read),
        calls_ignored=len(ignored),
        read=stats.mean(read),
        ignored=stats.mean(ignored),
    )
    assert len(read) < len(ignored)  # consultation-only pledges are not called on
    stats.assert_positive(stats.difference(read, ignored), "chance of honouring: obligations read - ignored")


def _abandonment_cost(seed: int, pledge: bool, broken_pledge: float | None = None) -> float:
    """Approval G loses in the turn it abandons A (its ally, struck by B), after a public pledge or none."""
    r = w.rng(seed, "p14-tied")
    doc = w.blank(3, seed)
    a, b, g = w.ids(doc)
    w.agreement(doc, "pact", "defence_pact", [a, g], guarantors=[g])
    w.configure(doc, g, regime="democracy", audience_cost_sensitivity=round(r.uniform(0.3, 0.9), 3))
    if broken_pledge is not None:
        w.rules(doc, "domestic", broken_pledge=broken_pledge)
    s = w.primed(w.scenario(doc), seed)
    s = evolve(s, teams=frozenset({g}))
    statements = [Statement(text="We stand by our ally.", pledge_to=a)] if pledge else []
    s, events = w.advance(
        s, {b: Orders(force=[ForceOrder(target=a, level="limited_strike")]), g: Orders(statements=statements)}
    )
    [call] = [e.id for e in events if isinstance(e, CallOpened)]
    before = s.actors[g].approval
    s, _ = w.advance(s, {g: Orders(call_answers=[CallAnswer(call_id=call, honour=False)])})
    return before - s.actors[g].approval


def test_a_public_pledge_ties_hands_at_home() -> None:
    """Fearon (1997), Tomz (2007): a leader who pledges support in public and then backs away is punished at
    home. Experiment: 80 worlds; G, a democracy, is called by its ally A and abandons it, after a public
    pledge or none. Outcome: approval lost that turn. Ablation: `domestic.broken_pledge` = 0.
    Margin: the paired difference (pledge - none) above 3 standard errors, and exactly 0 under the ablation."""
    pledged = [_abandonment_cost(seed, True) for seed in SEEDS]
    silent = [_abandonment_cost(seed, False) for seed in SEEDS]
    stats.report("P14 tied hands", pledged=stats.mean(pledged), silent=stats.mean(silent))
    stats.assert_positive(stats.paired(pledged, silent), "approval lost: pledge - none")
    off = [_abandonment_cost(seed, True, 0.0) - _abandonment_cost(seed, False, 0.0) for seed in SEEDS[:20]]
    assert max(abs(x) for x in off) < 1e-9


def _backdown_cost(seed: int, regime: str, equal_regimes: bool) -> float:
    """Approval A loses for backing down after a public demand on B that B ignored."""
    r = w.rng(seed, "p14-regime")
    doc = w.blank(2, seed)
    a, b = w.ids(doc)
    w.configure(doc, a, regime=regime, audience_cost_sensitivity=round(r.uniform(0.3, 0.9), 3))
    w.issue(doc, "border", {a: 0.8, b: 0.2})
    if equal_regimes:
        w.rules(doc, "domestic", regime_hybrid=1.0, regime_autocracy=1.0)
    s = w.primed(w.scenario(doc), seed)
    s = evolve(s, teams=frozenset({b}))
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="border", position=0.8)])})
    _, events = w.advance(s, {})
    return -sum(o.reason.terms.get("audience_cost", 0.0) for o in w.outcomes(events, "domestic.approval"))


def test_democracies_pay_more_for_backing_down() -> None:
    """Fearon (1994), Weeks (2008): audience costs are largest in democracies, smaller but real in autocracies.
    Experiment: 80 worlds; A makes a public demand that B ignores, and A backs down; A is a democracy or an
    autocracy, all else equal. Outcome: the audience-cost term of A's approval. Ablation: every regime
    factor 1. Margin: paired difference (democracy - autocracy) above 3 standard errors; 0 under ablation."""
    dem = [_backdown_cost(seed, "democracy", False) for seed in SEEDS]
    aut = [_backdown_cost(seed, "autocracy", False) for seed in SEEDS]
    stats.report("P14 regime", democracy=stats.mean(dem), autocracy=stats.mean(aut))
    assert min(aut) > 0  # autocrats still pay (Weeks 2008)
    stats.assert_positive(stats.paired(dem, aut), "audience cost: democracy - autocracy")
    off = [_backdown_cost(s, "democracy", True) - _backdown_cost(s, "autocracy", True) for s in SEEDS[:20]]
    assert max(abs(x) for x in off) < 1e-9


def _ratified_under(seed: int, mandate: str, widening: float | None = None) -> bool:
    """Whether a deal near the edge of A's win-set is ratified, with or without the Council's mandate."""
    r = w.rng(seed, "p14-mandate")
    doc = w.blank(3, seed)
    a, b, c = w.ids(doc)
    doc["council"] = {"members": [a, b, c], "permanent": []}
    upper = r.uniform(0.4, 0.6)
    w.win_set(doc, a, "deal", 0.0, upper)
    w.win_set(doc, b, "deal", 0.0, 1.0)
    w.configure(doc, a, regime="democracy", approval=round(r.uniform(0.4, 0.7), 3))
    w.issue(doc, "deal", {a: 0.0, b: 1.0})
    if widening is not None:
        w.rules(doc, "ratification", mandate_widening=widening)
    s = w.primed(w.scenario(doc), seed)
    granted = ResolutionState("r1", c, "peacekeeping", b, (a,), 1, status="adopted")
    position = round(upper - r.uniform(-0.05, 0.08), 4)
    offer = Proposal(type="consultation", parties=[a, b], issue="deal", position=position, mandate=mandate)
    deal = ProposalState("deal", a, offer, s.turn, "accepted", frozenset({a, b}))
    resolutions = {"r1": granted} if mandate == "unsc" else {}
    _, events = w.advance(evolve(s, proposals={"deal": deal}, resolutions=resolutions))
    closed = next(e for e in events if isinstance(e, ProposalClosed) and e.id == "deal")
    return closed.status == "ratified"


def test_a_council_mandate_widens_what_legislatures_ratify() -> None:
    """Putnam (1988) with Voeten (2005): an international seal of approval widens the win-set at home, so a
    deal near its edge passes more often. Experiment: 80 worlds; A's legislature faces a deal within a few
    hundredths of the edge of its win-set, with a Security Council mandate granted (an adopted resolution)
    or none. Outcome: ratified or not. Ablation: `ratification.mandate_widening` = 0. Margin: paired
    difference (mandate - none) above 3 standard errors; none under the ablation."""
    granted = [1.0 if _ratified_under(seed, "unsc") else 0.0 for seed in SEEDS]
    bare = [1.0 if _ratified_under(seed, "none") else 0.0 for seed in SEEDS]
    stats.report("P14 mandate", mandate=stats.mean(granted), none=stats.mean(bare))
    stats.assert_positive(stats.paired(granted, bare), "ratified: mandate - none")
    off = [float(_ratified_under(s, "unsc", 0.0)) - float(_ratified_under(s, "none", 0.0)) for s in SEEDS[:20]]
    assert max(abs(x) for x in off) == 0.0


def _kept(seed: int, violation_ends: float) -> tuple[bool, bool] | None:
    """(G honoured, the pact still in force) after B strikes A and A calls on G, a computer player whose
    reputation and commitment vary by world; None if no call was answered."""
    r = w.rng(seed, "p14-broken")
    doc = w.blank(3, seed)
    a, b, g = w.ids(doc)
    w.agreement(doc, "pact", "defence_pact", [a, g], guarantors=[g], strength=round(r.uniform(0.2, 0.9), 3))
    w.configure(doc, g, reputation=round(r.uniform(0.1, 0.9), 3))
    w.rules(doc, "alliance", violation_ends=violation_ends)
    s = w.primed(w.scenario(doc), seed)
    s, events = w.advance(s, {b: Orders(force=[ForceOrder(target=a, level="limited_strike")])})
    answers = w.outcomes(events, "alliance.answer")
    if not answers:
        return None
    honoured = any(ch.value is True for ch in answers[0].changes if ch.target == "call")
    return honoured, s.agreements["pact"].active


def test_an_alliance_a_member_violates_ends_early() -> None:
    """Leeds & Savun (2007): alliances end early when a member violates their terms. Experiment: 80 worlds;
    B strikes A, whose ally G (a computer player) honours or abandons the call as its reputation, commitment
    and interest decide. Outcome: whether the pact is still in force after the turn, for the pacts whose
    guarantor honoured against those whose guarantor abandoned, with `alliance.violation_ends` = 1 (a scenario
    that studies termination sets it; the default is 0). Ablation: `alliance.violation_ends` = 0.
    Margin: the share kept after honouring exceeds the share kept after abandoning by more than 3 standard
    errors; in the ablation the two shares are equal."""

    def shares(ends: float) -> tuple[int, int, int, int]:
        seen = [x for seed in SEEDS if (x := _kept(seed, ends)) is not None]
        honoured = [kept for h, kept in seen if h]
        abandoned = [kept for h, kept in seen if not h]
        return sum(honoured), len(honoured), sum(abandoned), len(abandoned)

    k1, n1, k2, n2 = shares(1.0)
    a1, m1, a2, m2 = shares(0.0)
    stats.report("P14 broken", honoured=n1, abandoned=n2, kept_honoured=k1 / n1, kept_abandoned=k2 / n2)
    assert min(n1, n2) >= 5  # both answers occur often enough to compare
    stats.assert_positive(stats.proportion_difference(k1, n1, k2, n2), "pact kept: honoured - abandoned")
    assert (a1, a2) == (m1, m2)  # ablation: every pact is kept, honoured or abandoned
