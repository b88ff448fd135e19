"""Pinned games: bot games on the shipped scenarios and a generated 40-actor world give the logs they gave
when they were pinned, byte for byte (a digest of the log's JSON lines).

A speed-up of the engine or of the bots (caches, indexes, fewer validations) must not change any game: this
test proves it did not. A change meant to change how games play (a rule, a coefficient, a bot's reasoning, a
scenario) changes these digests too: check that the change is intended, then pin the new digests, printed by
`PYTHONPATH=src python -m tests.engine.test_pinned_games`.
"""

from __future__ import annotations

import hashlib

import pytest

from crisisgame.engine.events import event_to_json
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.engine.support import shipped

TURNS = 8

PINNED: dict[tuple[str, int], tuple[int, str]] = {
    ("baltic", 3): (3995, "1a61fce183dd36e4210b2c8a25bf606f7f7e09b0681c938eae21e4c60c0f4088"),
    ("baltic", 11): (3798, "5e4882d916cda9b7dfa57b02565bd91cf999d7f2c7e3c3607f9656e3f57041af"),
    ("horn-of-africa", 3): (2244, "5d4fbb1f06ce4e50892b1aaaf4e50a9786fb14920a3cfcf53dcca8c1e69c647d"),
    ("horn-of-africa", 11): (2208, "06ec6f336ff3c7aa3bb4b868ae00b35592b936916855c40da8e8853e371b30a6"),
    ("taiwan-strait", 3): (2025, "18c919aefe57eb18752f4245c1d5e1a53721ff00d1799c8e2c0e2b7ab172ac5d"),
    ("taiwan-strait", 11): (1948, "ebe289f8f4a30df79b83d24824f4afef39237e636927f54a7ba49e3405cf6b68"),
    ("world40", 3): (2510, "b7db826c987ea5c5133b0e3b2ed25b1fa9087e97b6c860e530698eadacc1237a"),
    ("world40", 11): (2510, "5e66116291564d1484feb3512e96140731a77da9ba6c92759a5e17f51ec6679b"),
}
"""(scenario, seed) -> (events, sha256 of the log's JSON lines) of a bot game played for `TURNS` turns (pinned
on main once states could join a war on the attacker's side, and found the same with the speed-ups of
issue 14 merged; the shipped scenarios pinned again once bots played to their objectives,
`bots.objective_weight`, and stated their reasons for renouncing)."""


def scenarios() -> dict[str, Scenario]:
    out = {sc.id: sc for sc in shipped()}
    out["world40"] = world(40, seed=1)
    return out


def digest(sc: Scenario, seed: int) -> tuple[int, str]:
    log = play(sc, seed=seed, turns=TURNS).log
    return len(log), hashlib.sha256("\n".join(event_to_json(e) for e in log).encode()).hexdigest()


@pytest.mark.parametrize(("name", "seed"), sorted(PINNED))
def test_a_pinned_bot_game_plays_as_it_did_when_pinned(name: str, seed: int) -> None:
    assert digest(scenarios()[name], seed) == PINNED[name, seed]


def test_every_shipped_scenario_is_pinned() -> None:
    assert {sc.id for sc in shipped()} <= {name for name, _ in PINNED}


if __name__ == "__main__":
    every = scenarios()
    for name, seed in sorted({*PINNED, *((n, s) for n in every for s in (3, 11))}):
        print(f"    ({name!r}, {seed}): {digest(every[name], seed)!r},")
