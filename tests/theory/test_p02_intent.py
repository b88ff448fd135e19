"""Proposition 2, intent gates power (walt1987)."""

from __future__ import annotations

from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 200


def build(seed: int) -> tuple[Scenario, str, str]:
    """A strong benign state, a weaker aggressive one and four small states, all in one region."""
    r = w.rng(seed, "p02")
    doc = w.blank(6, seed)
    giant, aggressor, *_ = everyone = w.ids(doc)
    for a in everyone:
        w.size(doc, a, r.uniform(0.2, 0.8))
        w.place(doc, a, r.uniform(0, 2000), r.uniform(0, 2000))
        w.configure(doc, a, reputation=round(r.uniform(0.6, 0.9), 3))
    w.size(doc, giant, r.uniform(3.0, 5.0))
    w.size(doc, aggressor, r.uniform(0.8, 1.5))
    for a in everyone:
        for b in everyone:
            if a == b:
                continue
            if b == giant:
                w.intent(doc, a, b, r.uniform(0.05, 0.15))
            elif b == aggressor:
                w.intent(doc, a, b, r.uniform(0.6, 0.9))
            else:
                w.intent(doc, a, b, r.uniform(0.05, 0.3))
    return w.scenario(doc), giant, aggressor


def test_a_strong_benign_state_draws_fewer_balancers_than_a_weaker_aggressive_one() -> None:
    """Proposition 2 (walt1987): a strong benign state draws fewer balancers than a weaker aggressive one.

    Experiment: 200 seeds, each a region of six states with random positions and sizes, one three to
    six times the others' size and seen as benign (intent 0.05-0.15), one larger than the small ones
    but far smaller than the giant and seen as aggressive (intent 0.6-0.9). Three bot-played turns;
    a balancer of X is a state the engine names internally or externally balancing with X as its top
    threat in turn 2 or 3. Margin: the paired difference (balancers of the aggressor - balancers of
    the giant) more than 3 standard errors above 0.
    """
    against_giant: list[float] = []
    against_aggressor: list[float] = []
    for seed in range(SEEDS):
        sc, giant, aggressor = build(seed)
        game = play(sc, seed, turns=3)
        balancers: dict[str, set[str]] = {giant: set(), aggressor: set()}
        for turn in (2, 3):
            labels = w.behaviour(e for e in game.log if getattr(e, "turn", None) == turn)
            for actor, (label, threat) in labels.items():
                if label.endswith("balancing") and threat in balancers:
                    balancers[threat].add(actor)
        against_giant.append(len(balancers[giant]))
        against_aggressor.append(len(balancers[aggressor]))
    difference = stats.paired(against_aggressor, against_giant)
    stats.report(
        "P2",
        balancers_of_aggressor=stats.mean(against_aggressor),
        balancers_of_giant=stats.mean(against_giant),
        difference=difference,
    )
    stats.assert_positive(difference, "balancers of the weaker aggressive state - of the strong benign one")
