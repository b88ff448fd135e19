"""Headless games: bots in every seat, a simulated clock, the event log as the result.

The same scenario, seed and options give the same events, byte for byte: time advances by the
scenario's phase durations, and every chance draw is keyed by seed, turn and decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crisisgame.bots import policy
from crisisgame.engine.apply import apply
from crisisgame.engine.commands import Advance, Command, End, Start
from crisisgame.engine.decide import decide
from crisisgame.engine.events import Event, GameCreated, GameEnded, PhaseStarted
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.scenario.model import Scenario, scenario_dict

DIPLOMACY_ROUNDS = 2
"""Rounds of bot diplomacy per turn: proposals in the first, answers in the second."""


@dataclass
class Game:
    """A game being played headless: its state and the log so far."""

    state: State
    log: list[Event]
    now: float = 0.0

    def run(self, command: Command) -> list[Event]:
        events = decide(self.state, command, self.now)
        for e in events:
            self.state = apply(self.state, e)
        self.log.extend(events)
        return events


def new_game(scenario: Scenario, seed: int, teams: list[str] | None = None) -> Game:
    created = GameCreated(scenario=scenario_dict(scenario), seed=seed, teams=teams or [])
    return Game(apply(None, created), [created])


def bot_round(game: Game, seed: int) -> None:
    """Every bot seat acts once on its view of the current phase."""
    for actor in game.state.bots():
        for command in policy(view(game.state, actor, history=False), seed):
            game.run(command)


def play(
    scenario: Scenario, seed: int, turns: int | None = None, on_turn: Callable[[Game], None] | None = None
) -> Game:
    """Play a whole game with bots in every seat; stop after `turns` turns if given."""
    game = new_game(scenario, seed)
    game.run(Start(by="facilitator"))
    return play_on(game, seed, min(turns or scenario.turns.count, scenario.turns.count), on_turn)


def play_on(game: Game, seed: int, last: int, on_turn: Callable[[Game], None] | None = None) -> Game:
    """Continue a game with bots in every seat until it ends or turn `last` has its results."""
    while game.state.phase != "ended":
        phase = game.state.phase
        rounds = DIPLOMACY_ROUNDS if phase == "diplomacy" else 1 if phase == "orders" else 0
        for _ in range(rounds):
            bot_round(game, seed)
        game.now = game.state.deadline if game.state.deadline is not None else game.now
        if phase == "results":
            if on_turn is not None:
                on_turn(game)
            if game.state.turn >= last:
                game.run(End(by="facilitator"))
                break
        game.run(Advance(by="facilitator"))
    return game


def turn_summary(game: Game) -> str:
    """One line on the turn just adjudicated."""
    s = game.state
    behaviours = Counter(a.behaviour for a in s.actors.values() if a.kind == "state")
    concluded = [e for e in game.log if e.type == "agreement_concluded" and getattr(e, "turn", None) == s.turn]
    named = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(behaviours.items()))
    return (
        f"turn {s.turn}: tension {s.system.get('tension', 0.0):.2f}, wars {len(s.wars)}, "
        f"agreements concluded {len(concluded)}, behaviour: {named}"
    )


def final_summary(game: Game) -> Iterator[str]:
    ended = next((e for e in reversed(game.log) if isinstance(e, GameEnded)), None)
    if ended is not None:
        ranked = sorted(ended.scores.items(), key=lambda kv: (-kv[1], kv[0]))
        yield "scores: " + ", ".join(f"{a} {v:.0f}" for a, v in ranked)
    yield f"{len(game.log)} events"


__all__ = ["Game", "PhaseStarted", "final_summary", "new_game", "play", "play_on", "turn_summary"]
