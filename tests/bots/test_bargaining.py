"""War as a bargaining failure (`crisisgame.bots.bargaining`): each mechanism, and its ablation.

Worlds are the theory suite's controlled worlds: a strong challenger A and a weaker neighbour B with
an issue between them; the beliefs are read from A's or B's own view, as in a game.
"""

from __future__ import annotations

from typing import Any

import pytest

from crisisgame.bots.bargaining import Bargainer
from tests.theory import worlds as w

SEEDS = range(8)


def world(
    seed: int,
    *,
    nuclear_b: bool = False,
    ally: bool = False,
    divisible: bool = True,
    size_a: float = 4.0,
    **rules: Any,
) -> Any:
    doc = w.blank(3, seed)
    a, b, c = w.ids(doc)
    w.size(doc, a, size_a)
    w.size(doc, b, 1.0)
    w.size(doc, c, 4.0)
    w.place(doc, a, 0, 0)
    w.place(doc, b, 400, 0)
    w.place(doc, c, 900, 300)
    w.issue(doc, "land", {a: 0.9, b: 0.1}, divisible=divisible)
    if nuclear_b:
        w.actor(doc, b)["nuclear"] = {"warheads": 200, "second_strike": True}
    if ally:
        w.configure(doc, c, reputation=0.95)
        w.agreement(doc, "pact", "defence_pact", [b, c], strength=0.9, ambiguity=0.0)
    for group, values in rules.items():
        w.rules(doc, group, **values)
    state = w.primed(w.scenario(doc), seed)
    return state, a, b


def bargainer(state: Any, aid: str, seed: int) -> Bargainer:
    return w.bot(state, aid, seed).bargainer


def dispute(b: Bargainer) -> Any:
    (d,) = b.disputes()
    return d


@pytest.mark.parametrize("seed", SEEDS)
def test_a_nuclear_shadow_turns_major_war_into_a_lower_rung(seed: int) -> None:
    """Stability-instability: against a nuclear-armed target the risk of escalation makes war ruinous
    and a lower rung (a limited strike or coercion short of it) best. Ablation: with no cost of a
    nuclear exchange, the challenger prefers war."""
    shadowed, a, _ = world(seed, nuclear_b=True, war={"cost_of_war": 0.05})
    plain, _, _ = world(seed, nuclear_b=True, war={"cost_of_war": 0.05}, nuclear={"catastrophe": 0.0})
    x = dispute(bargainer(shadowed, a, seed)).mine
    chosen = bargainer(shadowed, a, seed).fight(dispute(bargainer(shadowed, a, seed)), x)[0]
    assert chosen in ("grey_zone", "show_of_force", "blockade", "limited_strike")
    assert bargainer(plain, a, seed).fight(dispute(bargainer(plain, a, seed)), x)[0] == "war"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_credible_ally_deters_before_the_first_shot(seed: int) -> None:
    """The attacker counts the target's ally by its credibility. Ablation: with the credibility
    weights at zero, the same pact does not change the attacker's reckoning."""
    alone, a, b = world(seed)
    allied, _, _ = world(seed, ally=True)
    hollow, _, _ = world(seed, ally=True, credibility={"b0": 0.0, "b1": 0.0, "b2": 0.0, "b3": 0.0})
    assert bargainer(allied, a, seed).odds(a, b) < bargainer(alone, a, seed).odds(a, b) - 0.05
    assert bargainer(hollow, a, seed).odds(a, b) == pytest.approx(bargainer(alone, a, seed).odds(a, b))


def test_an_indivisible_issue_admits_only_all_or_nothing() -> None:
    divisible, a, _ = world(0)
    whole, _, _ = world(0, divisible=False)
    assert len(bargainer(divisible, a, 0).candidates(dispute(bargainer(divisible, a, 0)))) > 1
    assert bargainer(whole, a, 0).candidates(dispute(bargainer(whole, a, 0))) == [0.9]


@pytest.mark.parametrize("seed", SEEDS)
def test_beliefs_diverge_only_with_misperception(seed: int) -> None:
    """Mutual optimism needs private estimates. Ablation: with misperception 0 both sides read the
    same balance, so their estimates of A's chance agree."""
    foggy, a, b = world(seed, war={"misperception": 0.3})
    clear, _, _ = world(seed, war={"misperception": 0.0})
    assert bargainer(clear, a, seed).estimate(a, b) == pytest.approx(bargainer(clear, b, seed).estimate(a, b))
    gaps = [abs(bargainer(foggy, a, s).estimate(a, b) - bargainer(foggy, b, s).estimate(a, b)) for s in range(20)]
    assert max(gaps) > 0.05


def test_a_target_refuses_a_concession_outside_its_win_set() -> None:
    """Two-level games: a target that would give in rather than fight refuses once the concession falls
    outside its domestic win-set (ablation: the same target without the win-set concedes)."""
    state, a, b = world(0, size_a=20.0, war={"cost_of_war": 0.15})
    target = bargainer(state, b, 0)
    assert target.concedes(a, "land", 0.7)
    target.r.view.me.win_sets["land"] = (0.0, 0.3)
    assert not target.concedes(a, "land", 0.7)
    assert target.ratifiable("land", 0.2)


def test_states_read_an_allys_credibility_with_private_error_within_the_spread() -> None:
    """A protector's weight is the world's credibility q times (1 +- `bargaining.credibility_spread`): each
    belief lies in that band, beliefs differ between games, q = 0 stays 0, a spread of 0 gives q itself,
    and `bargaining.expected_help` = false counts no protector at all."""
    beliefs = []
    for seed in range(20):
        state, a, b = world(seed, ally=True)
        (g,) = (x for x in state.actors if x not in (a, b))
        q = state.credibility[f"{g}>{b}"]
        belief = bargainer(state, a, seed).protectors(b, a)[g]
        assert q * 0.5 - 1e-9 <= belief <= q * 1.5 + 1e-9
        beliefs.append(belief / q)
    assert max(beliefs) - min(beliefs) > 0.5, "private beliefs should differ between games"
    state, a, b = world(0, ally=True, bargaining={"credibility_spread": 0.0})
    (g,) = (x for x in state.actors if x not in (a, b))
    assert bargainer(state, a, 0).protectors(b, a) == {g: state.credibility[f"{g}>{b}"]}
    state, a, b = world(0, ally=True, credibility={"b0": 0.0, "b1": 0.0, "b2": 0.0, "b3": 0.0})
    assert set(bargainer(state, a, 0).protectors(b, a).values()) == {0.0}
    state, a, b = world(0, ally=True, bargaining={"expected_help": False})
    assert bargainer(state, a, 0).protectors(b, a) == {}
