"""Proposition 3, balancing and bandwagoning (walt1987)."""

from __future__ import annotations

from functools import cache

from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(100)
"""Test seeds 0-99, apart from the calibration seeds (1000-1999)."""
BALANCING = ("internal_balancing", "external_balancing")


def random_region(seed: int, ablate: bool = False) -> Scenario:
    """A generated world of eight states squeezed into one region, with random perceptions of intent."""
    r = w.rng(seed, "p03-region")
    doc = w.blank(8, seed)
    everyone = w.ids(doc)
    for a in everyone:
        w.place(doc, a, r.uniform(0, 3000), r.uniform(0, 3000))
        for b in everyone:
            if a != b:
                w.intent(doc, a, b, r.betavariate(2, 3))
    if ablate:
        w.rules(doc, "bots", ally_help=0.0)
    return w.scenario(doc)


def threatened(seed: int, ratio: float, partners: int, ablate: bool = False) -> tuple[Scenario, str]:
    """A realist i next to a threat j whose size is i's divided by `ratio`; `partners` of the other
    three states are available allies (benign both ways), the rest see i and are seen by it as hostile."""
    r = w.rng(seed, "p03-focal")
    doc = w.blank(5, seed)
    i, j, *others = w.ids(doc)
    big = r.uniform(2.0, 4.0)
    w.size(doc, j, big)
    w.size(doc, i, big * ratio * r.uniform(0.8, 1.25))
    w.place(doc, i, 0, 0)
    w.place(doc, j, r.uniform(300, 1000), 0)
    w.intent(doc, i, j, r.uniform(0.6, 0.9))
    w.configure(doc, i, temperament="realist")
    for n, k in enumerate(others):
        w.size(doc, k, r.uniform(0.5, 2.0))
        w.place(doc, k, -r.uniform(500, 2000), r.uniform(-1000, 1000))
        low, high = (0.05, 0.2) if n < partners else (0.6, 0.8)
        w.intent(doc, i, k, r.uniform(low, high))
        w.intent(doc, k, i, r.uniform(low, high))
    if ablate:
        w.rules(doc, "bots", ally_help=0.0)
    return w.scenario(doc), i


@cache
def region(seed: int, ablate: bool = False) -> tuple[int, int]:
    """(states named balancing, states named bandwagoning) in turn 2 of a random region."""
    game = play(random_region(seed, ablate), seed, turns=2)
    labels = [label for label, _ in w.behaviour(e for e in game.log if getattr(e, "turn", None) == 2).values()]
    return sum(label in BALANCING for label in labels), labels.count("bandwagoning")


@cache
def bandwagons(seed: int, ratio: float, partners: int, ablate: bool = False) -> float:
    """1 if the engine names i's behaviour bandwagoning in turn 2 of a bot-played game (turn 1 shows the
    bots their threats, turn 2 is their first answer to them)."""
    sc, i = threatened(seed, ratio, partners, ablate)
    game = play(sc, seed, turns=2)
    return float(w.behaviour(e for e in game.log if getattr(e, "turn", None) == 2)[i][0] == "bandwagoning")


def test_balancing_outnumbers_bandwagoning_which_rises_with_weakness_and_fewer_allies() -> None:
    """Proposition 3 (walt1987): across random worlds balancing outnumbers bandwagoning; bandwagoning
    rises as a state gets weaker and its available allies fewer.

    Mechanism: bots arm against threat (Richardson) and ally against it; a realist bot sides with its top
    threat only when its estimate of holding out against it, counting its protectors' and prospective
    partners' help (bots.ally_help), is below the threshold at which it would give in to a demand
    (bots.yield_hold_chance). Weakness and isolation enter only through that estimate: no bot rule
    names them (an earlier rule bandwagoned exactly when "weak, allied to no one and with no partner
    available", restating the proposition).

    Experiment A: seeds 0-99, generated worlds of eight states in one region (random sizes, temperaments,
    perceptions of intent ~ Beta(2, 3)), two bot-played turns (in the first the bots learn their
    threats); per world, the number of states named balancing in turn 2 minus those named
    bandwagoning. Margin: the mean more than 3 standard errors above 0.
    Experiment B: seeds 0-99, a realist facing an aggressive neighbour; one thing varies at a time:
    its size relative to the threat (1/10, weak, or 1/2) with no ally available, and the number of
    available allies (0 or 3) when weak. Margin: each paired difference in the rate of bandwagoning
    more than 3 standard errors above 0.
    """
    counts = [region(seed) for seed in SEEDS]
    surplus = [float(bal - band) for bal, band in counts]
    balancing, bandwagoning = sum(bal for bal, _ in counts), sum(band for _, band in counts)
    weak_alone = [bandwagons(seed, 0.1, 0) for seed in SEEDS]
    stronger_alone = [bandwagons(seed, 0.5, 0) for seed in SEEDS]
    weak_with_allies = [bandwagons(seed, 0.1, 3) for seed in SEEDS]
    by_weakness = stats.paired(weak_alone, stronger_alone)
    by_allies = stats.paired(weak_alone, weak_with_allies)
    stats.report(
        "P3",
        states_balancing=balancing,
        states_bandwagoning=bandwagoning,
        surplus_per_world=stats.mean(surplus),
        bandwagoning_weak_alone=stats.mean(weak_alone),
        bandwagoning_stronger_alone=stats.mean(stronger_alone),
        bandwagoning_weak_with_allies=stats.mean(weak_with_allies),
    )
    stats.assert_positive(stats.mean(surplus), "states balancing - states bandwagoning per random world")
    stats.assert_positive(by_weakness, "P(bandwagoning): weak (1/10 of the threat) - stronger (1/2)")
    stats.assert_positive(by_allies, "P(bandwagoning) when weak: no available ally - three available")


def test_without_allies_help_in_the_odds_balancing_loses_ground_to_bandwagoning() -> None:
    """Ablation of proposition 3 (experiment A): bots.ally_help = 0, so a bot's estimate of holding out
    counts no protector's or prospective partner's help, only its own strength against its top threat's.
    Seeds 0-99, the same random regions. Margin: the per-world surplus of balancing over bandwagoning
    falls by more than 3 SE (more states find holding out hopeless and side with their threat).
    Experiment B has no separate ablation: weakness acts only through the odds themselves, and the
    available partners through the pact the bot signs instead (step 11 names it balancing or hedging)."""
    on = [region(seed) for seed in SEEDS]
    off = [region(seed, True) for seed in SEEDS]
    surplus_on = [float(bal - band) for bal, band in on]
    surplus_off = [float(bal - band) for bal, band in off]
    stats.report(
        "P3 ablation",
        surplus_with_help=stats.mean(surplus_on),
        surplus_without_help=stats.mean(surplus_off),
        bandwagoning_with_help=sum(band for _, band in on),
        bandwagoning_without_help=sum(band for _, band in off),
    )
    stats.assert_positive(stats.paired(surplus_on, surplus_off), "balancing surplus: allies' help counted - not")
