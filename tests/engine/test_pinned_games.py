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
    ("baltic", 3): (4039, "2955a7d8041afb9a3b599e3e44a4f7c721abea0ec638ecebcb5cda3ca1692bfc"),
    ("baltic", 11): (3905, "5ce0f80cd57e462dfd2b1e5c9b0958cd6a4b8ba31914ced58d7d412aa4cecc60"),
    ("horn-of-africa", 3): (2536, "5120e601a215105a931f2d31906d3af6467f382c5dc7d880d9bd465ce3785f4a"),
    ("horn-of-africa", 11): (2482, "83646d4adeb27243158a27a72646cf699db8fdf85d256840ca3ccb45ab971f5c"),
    ("taiwan-strait", 3): (2070, "c1f3e665e03dced0a57dfdbce42c36d30da091edbbb562576bfa009eb1670c25"),
    ("taiwan-strait", 11): (2036, "bf11a9d8a6ee79dc3a98d4857747b3aca69bf339ae792c0d184aa593312b8b62"),
    ("world40", 3): (2510, "b7db826c987ea5c5133b0e3b2ed25b1fa9087e97b6c860e530698eadacc1237a"),
    ("world40", 11): (2510, "5e66116291564d1484feb3512e96140731a77da9ba6c92759a5e17f51ec6679b"),
}
"""(scenario, seed) -> (events, sha256 of the log's JSON lines) of a bot game played for `TURNS` turns (pinned
on main once states could join a war on the attacker's side, and found the same with the speed-ups of
issue 14 merged)."""


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
