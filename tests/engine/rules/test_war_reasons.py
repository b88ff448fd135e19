"""Each belligerent's reason for fighting is its own (step 6 and the debrief).

The reasons a battle gives for coming to force (mutual optimism, a commitment problem, an indivisible issue, a
deliberate gamble: Fearon 1995) are the attacker's and the target's. A state that fights for the target, by a
call or by its own choice, or joins the attacker, is not a shift in power between them, and its own reason is
that call or that choice. World: A (size 4) attacks B (size 1) 400 km away; C (size 2) 700 km from A. Seeds
0-15 (test seeds).
"""

from __future__ import annotations

import pytest

from crisisgame.debrief.summary import _cause
from crisisgame.engine.commands import ForceOrder, Orders
from tests.engine.rules.test_join_attack import attack_with, battle, row, world
from tests.theory import worlds as w

SEEDS = range(16)
SHIFT = "commitment problem"


def _war(a: str, b: str) -> Orders:
    return Orders(force=[ForceOrder(target=b, level="war")])


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_a_state_fighting_for_the_target_is_no_shift_in_power(seed: int) -> None:
    """C fighting for B by its own choice (`defend`) lowers A's chance by more than `war.power_shift_threshold`,
    yet the battle names the same causes as without it, and says C fought by its own choice."""
    s, a, b, c = world(seed)
    _, alone = w.advance(s, {a: _war(a, b)})
    _, defended = w.advance(s, {a: _war(a, b), c: Orders(defend=[b])})
    p_alone, p_defended = battle(alone).reason.inputs["p"], battle(defended).reason.inputs["p"]
    assert isinstance(p_alone, float)
    assert isinstance(p_defended, float)
    assert p_alone - p_defended > 1.5 * s.rules.war.power_shift_threshold
    assert battle(defended).reason.inputs["causes"] == battle(alone).reason.inputs["causes"]
    assert SHIFT not in str(battle(defended).reason.inputs["causes"])
    text = battle(defended).reason.explanation
    assert f"{s.actors[c].name} for {s.actors[b].name} by its own choice" in text
    assert battle(defended).reason.inputs["volunteers"] == c


def test_an_ally_answering_the_first_battles_call_is_no_shift_in_power() -> None:
    """B and C share a defence pact; C's computer player answers B's call in the battle that opens it. Where
    it honours, its help is no power shift (the causes are those of the battle without the pact), and the
    battle says it fought under a commitment."""
    honoured, shifted = 0, 0
    for seed in SEEDS:
        doc, a, b, c = row(seed)
        plain = w.primed(w.scenario(doc), seed)
        w.agreement(doc, "pact", "defence_pact", [b, c], strength=0.9)
        s = w.primed(w.scenario(doc), seed)
        _, events = w.advance(s, {a: _war(a, b)})
        fight = battle(events)
        if c not in str(fight.reason.inputs["allies_target"]):
            continue
        honoured += 1
        _, alone = w.advance(plain, {a: _war(a, b)})
        p_alone, p_helped = battle(alone).reason.inputs["p"], fight.reason.inputs["p"]
        assert isinstance(p_alone, float)
        assert isinstance(p_helped, float)
        shifted += p_alone - p_helped > s.rules.war.power_shift_threshold
        assert fight.reason.inputs["causes"] == battle(alone).reason.inputs["causes"]
        assert f"{s.actors[c].name} for {s.actors[b].name} under a commitment to it" in fight.reason.explanation
    assert honoured, "C never honoured the call on the test seeds"
    assert shifted, "C's help never moved A's chance by more than war.power_shift_threshold"


def test_a_joiner_is_named_with_its_own_reason() -> None:
    """C joining A's attack is named on A's side by its own choice; the causes stay the two sides'."""
    s, a, b, c = world(0)
    _, events = w.advance(s, attack_with(a, b, c))
    text = battle(events).reason.explanation
    assert f"{s.actors[c].name} on {s.actors[a].name}'s side by its own choice" in text
    assert f"Why it came to force between {s.actors[a].name} and {s.actors[b].name}:" in text


def test_the_debrief_gives_a_helper_its_own_reason() -> None:
    """The debrief names, as what a state that fought for the target did, its own reason (its choice, or the
    call it answered), not the reasons the attacker and the target came to force."""
    s, a, b, c = world(0)
    after, events = w.advance(s, {a: _war(a, b), c: Orders(defend=[b])})
    why = _cause(events, [c], after)
    names = {x: after.actors[x].name for x in (a, b, c)}
    assert why.startswith(f"{names[c]} fought for {names[b]} by its own choice, bound by no agreement")
    assert f"in {names[a]}'s war on {names[b]}" in why
    assert "came to force" not in why
    # The two sides' own decision is still told with their reasons.
    assert "came to force" in _cause(events, [a], after)
