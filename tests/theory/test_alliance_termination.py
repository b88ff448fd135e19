"""Alliance termination (Leeds & Savun 2007): agreements end more often when the circumstances that made them
valuable have changed, here when the threat the alliance faces has fallen.

Mechanism under test (nothing here names the proposition): a computer player deciding whether to renew a
fixed-term agreement reckons what the agreement is worth to it now (`bots/agreements.py`, `Valuer`): the rise
in its chance of holding out against its strongest threat from outside the agreement that the partner's
protection brings (the partner's credibility x strength, as `Bot.holding_chance` counts it), times that threat,
plus its stake in the partner's survival, plus the restraint the agreement buys from the partner, less what it
forgoes and risks, plus a private error of `bots.agreement_value_spread` per unit of strength drawn once per
game. It renews when that value is positive. No rule mentions a fall in threat: the pact is worth less because
the help it brings buys less security against a weaker, less hostile adversary.

Schedule: whole games played by computer players in every seat (`crisisgame.simulate.play`), three turns. The
pact between A and B is in force at the start with two turns left, so it comes up for renewal in turn 3, after
two turns of threat assessment. Outcome: the pact ended (an `agreement_ended` row of the runs table), which
happens when no party renewed it.

Seeds 0-119 (the value spread was set from an existing coefficient, not calibrated; calibration seeds are
1000-1999).
"""

from __future__ import annotations

import math
from functools import cache

from crisisgame.experiments import rows_of
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(120)
"""Test seeds 0-119, apart from the calibration seeds (1000-1999)."""
TURNS = 3


def build(seed: int, threatened: bool, ablate: bool = False) -> Scenario:
    """Three states: allies A and B, 300-800 km apart, with a defence pact (strength 0.5-0.8) that has two
    turns to run, and a third state C 400-900 km from both. With `threatened`, C is larger than A by e^1 to
    e^2 and both allies see it as aggressive (intent 0.6-0.9); otherwise C is as small as B and seen as benign
    (intent 0.05-0.2): the adversary the pact was made against has faded. Nothing else differs. No issue is
    at stake, so no one coerces anyone."""
    r = w.rng(seed, "termination")
    doc = w.blank(3, seed, turns=TURNS)
    a, b, c = w.ids(doc)
    w.size(doc, a, math.exp(r.uniform(0.0, 0.5)))
    w.size(doc, b, 1.0)
    big = math.exp(r.uniform(1.0, 2.0))
    w.size(doc, c, big if threatened else 1.0)
    gap = r.uniform(300, 800)
    w.place(doc, a, 0, 0)
    w.place(doc, b, gap, 0)
    w.place(doc, c, gap / 2, r.uniform(400, 900))
    hostile = r.uniform(0.6, 0.9) if threatened else r.uniform(0.05, 0.2)
    for x in (a, b, c):
        w.configure(
            doc,
            x,
            temperament="realist",
            power_projection=round(r.uniform(0.3, 0.8), 3),
            reputation=round(r.uniform(0.6, 0.9), 3),
        )
    for x in (a, b):
        w.intent(doc, x, c, hostile)
        w.intent(doc, c, x, 0.2)
    w.intent(doc, a, b, 0.1)
    w.intent(doc, b, a, 0.1)
    w.agreement(doc, "pact", "defence_pact", [a, b], strength=r.uniform(0.5, 0.8), ambiguity=0.1)
    doc["agreements"][0]["duration"] = 2
    if ablate:
        w.rules(doc, "bots", agreement_threat_weight=0.0)
    return w.scenario(doc)


@cache
def ended(seed: int, threatened: bool, ablate: bool = False) -> float:
    """1 if the pact ended within the game, else 0."""
    run = play(build(seed, threatened, ablate), seed)
    return float(any(r["kind"] == "agreement_ended" and r["agreement"] == "pact" for r in rows_of(run.log, 0, seed)))


def test_an_alliance_whose_threat_has_faded_ends_more_often() -> None:
    """Leeds & Savun (2007): the pact ends more often when the threat it faces has fallen.

    Experiment: seeds 0-119, each world played with the adversary threatening and faded. Unit: a world (the
    same seed in both: paired). Margin: the paired difference in the share of pacts ended (faded - threatening)
    above 0 by more than 3 SE; pacts must still end in some faded worlds and be renewed in some threatened ones.
    """
    faded = [ended(seed, False) for seed in SEEDS]
    threatened = [ended(seed, True) for seed in SEEDS]
    stats.report(
        "alliance termination",
        ended_when_threat_faded=round(stats.mean(faded).mean, 3),
        ended_when_threatened=round(stats.mean(threatened).mean, 3),
        difference=stats.paired(faded, threatened),
    )
    assert 0 < sum(faded) < len(faded), "a faded pact must end in some worlds and not all"
    assert sum(threatened) < len(threatened), "a threatened pact must be renewed in some worlds"
    stats.assert_positive(stats.paired(faded, threatened), "pacts ended: threat faded - threatening")


def test_ablation_a_value_blind_to_threat_ends_pacts_alike() -> None:
    """Ablation: `bots.agreement_threat_weight` = 0, so the value a bot puts on an agreement no longer depends
    on the threats it faces (security, stake, entrapment and restraint all weigh nothing; the private error,
    what the pact forgoes and the temperament's own terms remain).

    Experiment: the same seeds and worlds. Unit: a world. Margins: the difference between faded and threatening
    worlds is no longer significant (z <= 2.576), and it is more than 3 SE smaller than with the mechanism
    (paired by world).
    """
    on = [ended(seed, False) - ended(seed, True) for seed in SEEDS]
    off = [ended(seed, False, True) - ended(seed, True, True) for seed in SEEDS]
    stats.report(
        "alliance termination, ablation",
        ended_without_threat_weight={
            "faded": round(stats.mean([ended(seed, False, True) for seed in SEEDS]).mean, 3),
            "threatened": round(stats.mean([ended(seed, True, True) for seed in SEEDS]).mean, 3),
        },
        difference_with=stats.mean(on),
        difference_without=stats.mean(off),
    )
    stats.assert_vanishes(stats.mean(off), "pacts ended: faded - threatening, value blind to threat")
    stats.assert_positive(stats.paired(on, off), "termination effect: threat weighed - not weighed")
