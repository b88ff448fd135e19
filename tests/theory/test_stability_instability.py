"""The stability-instability paradox (Snyder 1965; Jervis 1989): between nuclear-armed states major war
becomes much rarer, and force on the lower rungs of the escalation ladder more frequent.

Mechanism under test (nothing here names the proposition): a computer player values every rung of
the ladder by the same expected-value calculus (`bots/bargaining.py`, `Bargainer.rung_value`): a
battle's lottery, minus its cost of war on that rung, minus the chance that the fight goes nuclear
(`rules.nuclear.escalation_risk_*`) times the catastrophe (`rules.nuclear.catastrophe`) times the
target's nuclear shadow. The escalation risk rises steeply with the rung and is absent below an
armed attack, so against a nuclear-armed target the best rung moves down the ladder.

Schedule: a challenger A makes a demand on B (turn 2); B's computer player accepts or resists it
(turn 3); A's computer player then picks its rung, or none (turn 4). Worlds differ only in whether B
has a secure second-strike arsenal. Ablation: with `nuclear.catastrophe` = 0 the arsenal costs an
attacker nothing and the difference vanishes.

Seeds 0-149 (calibration used 1000-1999).
"""

from __future__ import annotations

from crisisgame.engine.commands import DemandOrder, Orders
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(150)
LOWER = ("grey_zone", "show_of_force", "blockade", "limited_strike")


def rung(seed: int, nuclear: bool, catastrophe: float | None = None) -> str | None:
    """The rung A's computer player chooses after its demand was resisted (None: no force, or it was accepted)."""
    doc, a, b = w.dyad(seed, "stability-instability")
    if nuclear:
        w.configure(doc, b, nuclear={"warheads": 200, "second_strike": True})
    if catastrophe is not None:
        w.rules(doc, "nuclear", catastrophe=catastrophe)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    s, _ = w.advance(s, w.bot_orders(s, seed, [b]))
    force = w.bot_orders(s, seed, [a])[a].force
    return force[0].level if force else None


def rates(nuclear: bool, catastrophe: float | None = None) -> tuple[int, int]:
    """(major wars, uses of force on a lower rung) over the seeds."""
    chosen = [rung(seed, nuclear, catastrophe) for seed in SEEDS]
    return sum(c == "war" for c in chosen), sum(c in LOWER for c in chosen)


def test_nuclear_dyads_fight_fewer_major_wars_and_coerce_more_on_lower_rungs() -> None:
    n = len(SEEDS)
    war_plain, low_plain = rates(nuclear=False)
    war_nuclear, low_nuclear = rates(nuclear=True)
    stats.report(
        "stability-instability",
        major_war=(war_plain / n, war_nuclear / n),
        lower_rungs=(low_plain / n, low_nuclear / n),
    )
    assert war_plain >= 0.1 * n, "the conventional world must have major wars for the comparison to mean anything"
    stats.assert_positive(stats.proportion_difference(war_plain, n, war_nuclear, n), "fewer major wars")
    stats.assert_positive(stats.proportion_difference(low_nuclear, n, low_plain, n), "more lower-rung force")


def test_ablation_without_a_nuclear_catastrophe_the_arsenal_changes_nothing() -> None:
    n = len(SEEDS)
    war_plain, low_plain = rates(nuclear=False, catastrophe=0.0)
    war_nuclear, low_nuclear = rates(nuclear=True, catastrophe=0.0)
    stats.report("stability-instability ablation", major_war=(war_plain / n, war_nuclear / n))
    assert abs(war_plain - war_nuclear) <= 0.03 * n, (war_plain, war_nuclear)
    assert abs(low_plain - low_nuclear) <= 0.03 * n, (low_plain, low_nuclear)
