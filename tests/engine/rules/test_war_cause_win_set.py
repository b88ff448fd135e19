"""A battle that follows a demand the target could not ratify names that domestic constraint as its cause.

Fearon (1995): war needs a reason why no bargain both sides prefer was struck; Putnam (1988): a government
cannot concede what its home audience would not ratify, and others do not know that win-set. Before, every
battle of 200 bot games of a docs-only Eastern Mediterranean scenario (and of 100 Baltic games) was called
'a deliberate gamble: a bargain was available', Turkey's war on Cyprus at p = 0.97 included, although each
followed a demand outside the target's win-set. World: A (size 4) demands 0.9 on 'land' of B (size 1, ideal
0.1), then attacks; C (size 2) stands by. Seeds 0-7 (test seeds).
"""

from __future__ import annotations

import pytest

from crisisgame.engine.commands import DemandOrder, ForceOrder, Orders
from tests.engine.rules.test_join_attack import battle, row
from tests.theory import worlds as w

SEEDS = range(8)


def _battle_after_a_demand(seed: int, win_set: tuple[float, float] | None) -> str:
    doc, a, b, c = row(seed)
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.85})
    if win_set is not None:
        w.win_set(doc, b, "land", *win_set)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    _, events = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="war")])})
    return str(battle(events).reason.inputs["causes"])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_demand_outside_the_targets_win_set_is_named_as_the_cause(seed: int) -> None:
    causes = _battle_after_a_demand(seed, (0.0, 0.3))
    assert "a domestic constraint" in causes
    assert "could not ratify the demand on land (0.90, outside its win-set)" in causes
    assert "0.30" not in causes, "the win-set's edges are the target's secret; the battle is public"
    assert "a deliberate gamble" not in causes


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_a_demand_inside_the_win_set_names_no_domestic_constraint(seed: int) -> None:
    """Ablation: the same demand and attack, with a win-set that holds the demand (or none at all)."""
    assert "domestic constraint" not in _battle_after_a_demand(seed, (0.0, 1.0))
    assert "domestic constraint" not in _battle_after_a_demand(seed, None)
