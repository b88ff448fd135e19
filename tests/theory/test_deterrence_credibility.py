"""Deterrence by credibility (Fearon 1997; Huth 1988): the more credible the target's protector, the
fewer wars a challenger begins.

Mechanism under test (nothing here names the proposition): a computer player deciding on a demand, on
coercion or on force reckons its odds in the target's theatre counting each protector of the target
with its military strength reaching the theatre, weighted by its belief that the protector would
fight, the protector's credibility (step 5, `credibility.b0` x strength x (1 - ambiguity) + ...) read
with a private error of `bargaining.credibility_spread` (`Bargainer.protectors`, `bots/bargaining.py`);
the same weight carries a protector's nuclear shadow. A firmer commitment raises the credibility, so
the challenger's expected value of fighting falls. War is never decided by a rule that mentions
alliances: it follows when fighting, on the challenger's beliefs, beats the peace it expects.

Schedule: whole games played by computer players in every seat through the class's own loop
(`crisisgame.simulate.play`, the engine's `Game` on the live timetable, as `crisisgame simulate`
plays them), four turns: the challenger can demand in turn 1, the target answer in turn 2 and the
challenger use force in turns 3 and 4. Outcome: a war begun by decision (a `war_started` row with
detail `decision` in the runs table of `crisisgame.experiments`, the challenger against the target).

Seeds 0-79 (calibration used 1000-1999). The worlds are built only so that the challenger fights
often when its target is unprotected (a revisionist challenger: the status quo lies near the
target's ideal; a protector that is a great power near the target): on seeds 1000-1029, 80% of
challengers begin a war against a guarantee of strength 0.
"""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise

from crisisgame.experiments import rows_of
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(80)
"""Test seeds 0-79, apart from the calibration seeds (1000-1999)."""
STRENGTHS = (0.0, 0.3, 0.6, 0.9)
"""Strength of the protector's security guarantee (ambiguity 0): the dose of commitment."""
TURNS = 4


def build(seed: int, strength: float, ablate: bool = False) -> tuple[Scenario, str, str]:
    """Three states: a challenger A, stronger than its target B by a random factor of e^0.5 to e^2,
    200-1000 km apart, and B's protector G, larger than A by e^1 to e^2 and 300-1000 km east of A. G
    guarantees B's security (a defence clause, ambiguity 0) at `strength`; nothing else varies. A and
    B quarrel over an issue (A holds 0.9, B 0.1); G states a position of 0.15 without a stake in it, so
    the status quo lies near B's ideal and A is the revisionist."""
    r = w.rng(seed, "credibility")
    doc = w.blank(3, seed, turns=TURNS)
    a, b, g = w.ids(doc)
    challenger = math.exp(r.uniform(0.5, 2.0))
    w.size(doc, a, challenger)
    w.size(doc, b, 1.0)
    w.size(doc, g, challenger * math.exp(r.uniform(1.0, 2.0)))
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(200, 1000), 0)
    w.place(doc, g, r.uniform(300, 1000), r.uniform(-500, 500))
    for x in (a, b, g):
        w.configure(
            doc,
            x,
            temperament="realist",
            power_projection=round(r.uniform(0.3, 0.8), 3),
            reputation=round(r.uniform(0.6, 0.9), 3),
        )
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    doc["issues"][-1]["positions"][g] = 0.15
    w.agreement(doc, "guarantee", "security_guarantee", [g, b], guarantors=[g], strength=strength, ambiguity=0.0)
    if ablate:
        w.rules(doc, "bargaining", expected_help=False)
    return w.scenario(doc), a, b


@cache
def war(seed: int, strength: float, ablate: bool = False) -> tuple[float, float]:
    """(1 if A began a war on B by decision, else 0; G's credibility towards B at the end of the game)."""
    sc, a, b = build(seed, strength, ablate)
    run = play(sc, seed)
    begun = any(
        r["kind"] == "war_started" and r["detail"] == "decision" and r["actor"] == a and r["target"] == b
        for r in rows_of(run.log, 0, seed)
    )
    g = next(x for x in run.state.actors if x not in (a, b))
    return float(begun), run.state.credibility.get(f"{g}>{b}", 0.0)


def slope(outcomes: list[float], doses: tuple[float, ...]) -> float:
    """Least-squares slope of one world's outcomes on the doses: its change in war per unit of strength."""
    mean_dose = sum(doses) / len(doses)
    spread = sum((d - mean_dose) ** 2 for d in doses)
    return sum((d - mean_dose) * y for d, y in zip(doses, outcomes, strict=True)) / spread


def test_a_more_credible_protector_deters_more_wars() -> None:
    """Dose-response: war begun by decision falls as the protector's guarantee firms up.

    Experiment: seeds 0-79, each world played with the guarantee at strength 0, 0.3, 0.6 and 0.9
    (credibility q rising with it, reported). Unit: a world (the same seed at every dose: paired).
    Margins: the mean per-world slope of war on strength below 0 by more than 3 SE, and the paired
    difference in war between strength 0 and 0.9 above 0 by more than 3 SE; the unprotected
    challenger must fight in at least a fifth of the worlds for the comparison to mean anything.
    """
    wars = {s: [war(seed, s)[0] for seed in SEEDS] for s in STRENGTHS}
    q = {s: stats.mean([war(seed, s)[1] for seed in SEEDS]).mean for s in STRENGTHS}
    slopes = [-slope([wars[s][i] for s in STRENGTHS], STRENGTHS) for i in range(len(SEEDS))]
    stats.report(
        "deterrence by credibility",
        war_rate={s: round(stats.mean(wars[s]).mean, 3) for s in STRENGTHS},
        credibility={s: round(v, 3) for s, v in q.items()},
        fall_per_unit_strength=stats.mean(slopes),
    )
    assert all(q[lo] < q[hi] for lo, hi in pairwise(STRENGTHS)), q
    assert stats.mean(wars[STRENGTHS[0]]).mean >= 0.2, "an unprotected target must be attacked in some worlds"
    stats.assert_positive(stats.mean(slopes), "fall in war per unit of the guarantee's strength")
    stats.assert_positive(stats.paired(wars[STRENGTHS[0]], wars[STRENGTHS[-1]]), "war: strength 0 - strength 0.9")


def test_ablation_a_challenger_that_counts_no_protector_is_not_deterred_by_credibility() -> None:
    """Ablation: `bargaining.expected_help` = false, so no computer player counts a protector of the
    target before it has answered a call (no weight in the odds, no extended nuclear shadow). The
    credibility the world assigns is unchanged (step 5 still computes it).

    Experiment: the same seeds 0-79 and worlds at strength 0 and 0.9. Unit: a world. Margins: the
    fall in war from strength 0 to 0.9 is no longer significant (z <= 2.576), and it is more than
    3 SE smaller than with the mechanism (paired by world).
    """
    lo, hi = STRENGTHS[0], STRENGTHS[-1]
    on = [war(seed, lo)[0] - war(seed, hi)[0] for seed in SEEDS]
    off = [war(seed, lo, True)[0] - war(seed, hi, True)[0] for seed in SEEDS]
    stats.report(
        "deterrence by credibility, ablation",
        war_rate_without_expected_help={
            s: round(stats.mean([war(seed, s, True)[0] for seed in SEEDS]).mean, 3) for s in (lo, hi)
        },
        fall_with=stats.mean(on),
        fall_without=stats.mean(off),
    )
    stats.assert_vanishes(stats.mean(off), "war: strength 0 - 0.9, with no protector counted")
    stats.assert_positive(stats.paired(on, off), "deterrence: protectors counted - not counted")
