"""Headless games: bots in every seat, a simulated clock, the event log as the result.

The same scenario, seed and options give the same events, byte for byte: the game clock jumps to
the next thing the engine's `Game` has due (a bot round on the live timetable, or a deadline), and
every chance draw is keyed by seed, turn and decision. A live room with bots in the same seats plays
the same bot moves at the same game times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from crisisgame.bots.seat import SCHEDULE, seat_commands
from crisisgame.engine.commands import FACILITATOR, Command, End, Release, Start
from crisisgame.engine.events import Event, GameCreated, GameEnded, PhaseStarted
from crisisgame.engine.game import Game
from crisisgame.engine.state import State
from crisisgame.scenario.model import Scenario, scenario_dict


class Run:
    """A game being played headless: the engine's `Game` (bots on the live timetable), its log and
    the game clock."""

    def __init__(self, game: Game, now: float = 0.0) -> None:
        if game.log is None:
            raise ValueError("a headless run keeps its game's log: make the Game with keep_log=True")
        self.game = game
        self.now = now

    @property
    def state(self) -> State:
        return self.game.state

    @property
    def log(self) -> list[Event]:
        assert self.game.log is not None
        return self.game.log

    def run(self, command: Command) -> list[Event]:
        """Play a command now (it must be accepted); its events."""
        return list(self.game.handle(command, self.now).events)


def new_game(scenario: Scenario, seed: int, teams: list[str] | None = None, *, auto_release: bool = True) -> Run:
    """A headless game in the lobby: bots in every seat but `teams`."""
    created = GameCreated(scenario=scenario_dict(scenario), seed=seed, teams=teams or [], auto_release=auto_release)
    return Run(Game([created], bots=seat_commands, schedule=SCHEDULE, keep_log=True))


def bot_round(run: Run) -> None:
    """Every bot seat acts once, now, on its view (to set up a state by hand; `play` keeps the timetable)."""
    for actor in run.state.bots():
        for command in seat_commands(run.state, actor):
            run.run(command)


def play(scenario: Scenario, seed: int, turns: int | None = None, on_turn: Callable[[Run], None] | None = None) -> Run:
    """Play a whole game with bots in every seat; stop after `turns` turns if given."""
    run = new_game(scenario, seed)
    run.run(Start(by=FACILITATOR))
    return play_on(run, min(turns or scenario.turns.count, scenario.turns.count), on_turn)


def play_on(run: Run, last: int, on_turn: Callable[[Run], None] | None = None) -> Run:
    """Continue a game, bots in every empty seat on the live timetable, until it ends or turn `last`
    has its results (`on_turn` is called once per turn, when its results phase is over)."""
    game = run.game
    handled = -1
    while game.state.phase != "ended":
        s = game.state
        if s.phase == "results" and handled != s.turn:
            handled = s.turn
            if not s.released:
                run.run(Release(by=FACILITATOR))  # headless, nobody holds results back
            run.now = max(run.now, game.state.deadline or run.now)
            if on_turn is not None:
                on_turn(run)
            if s.turn >= last:
                run.run(End(by=FACILITATOR))
                break
            continue
        wake = game.next_wakeup()
        if wake is None:
            raise RuntimeError(f"the headless game waits for nobody in the {s.phase} phase of turn {s.turn}")
        run.now = max(run.now, wake)
        game.tick(run.now)
    return run


def turn_summary(game: Run) -> str:
    """One line on the turn just adjudicated."""
    s = game.state
    behaviours = Counter(a.behaviour for a in s.actors.values() if a.kind == "state")
    concluded = [e for e in game.log if e.type == "agreement_concluded" and getattr(e, "turn", None) == s.turn]
    named = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(behaviours.items()))
    return (
        f"turn {s.turn}: tension {s.system.get('tension', 0.0):.2f}, wars {len(s.wars)}, "
        f"agreements concluded {len(concluded)}, behaviour: {named}"
    )


def final_summary(game: Run) -> Iterator[str]:
    ended = next((e for e in reversed(game.log) if isinstance(e, GameEnded)), None)
    if ended is not None:
        ranked = sorted(ended.scores.items(), key=lambda kv: (-kv[1], kv[0]))
        yield "scores: " + ", ".join(f"{a} {v:.0f}" for a, v in ranked)
    yield f"{len(game.log)} events"


__all__ = ["PhaseStarted", "Run", "bot_round", "final_summary", "new_game", "play", "play_on", "turn_summary"]
