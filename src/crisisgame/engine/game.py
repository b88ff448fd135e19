"""`Game`: one game as a pure object, driven by whoever holds it.

Theory of operation
-------------------
A `Game` is to a crisis game what h11's `Connection` is to HTTP: it holds the state (and with it
the scenario and rulebook), knows what is due and when, and does no I/O. It reads no clock, starts
no task and sleeps nowhere: its owner tells it the time. The server's `Room`, a headless run
(`crisisgame.simulate`), a counterfactual fork and the tests are its owners; each drives the same
object, so there is one loop, not one per door.

Two things move a game:

- `handle(command, now)`: a command from a team or the facilitator. The engine's `decide_step`
  checks it against the rules (`Rejected` with a code and a reason if it breaks one) and returns its
  events together with the state they lead to: each event is folded into the state exactly once.
- `tick(now)`: time has passed. The game does the first thing due at `now` (a bot's command, or the
  phase clock running out, which advances the phase as the facilitator's clock) and returns that
  step, or None when nothing is due. Owners call it until it returns None; `next_wakeup()` says
  when to call it next (in game time, the clock the deadlines are written in).

Each call returns a `Step`: the events, the state after them, the seq of its first event, each
seat's share (`visible(seat)`) and whether seats need a fresh view (`refresh`). A server must make
events durable before it acknowledges them, so both calls come in two halves: `propose` and
`propose_tick` return a step without changing the game, and `commit(step)` adopts it once the
store has written it (`handle` and `tick` do both, for owners with nothing to write).

Bots play empty seats on a timetable that is data in game time (`BotSchedule`): they open each
phase in which they act at once, then answer a move from a team, the facilitator or the clock after
`pause` game-seconds (one round answers every move of that pause), and keep answering one another
for at most `rounds_per_phase` rounds. A round is every bot once, in seat order; each of its
commands is a step of its own (a bot that passes makes a step without events), so a team's command can
fall between two bots' moves as in a live room, and no step holds its owner for more than one bot's
choice. Given the same log, the same commands and the same times, a game replays the same bot moves:
a headless run is the class it simulates.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, Advance, Command, Release
from crisisgame.engine.decide import decide_step
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import Event, GameEnded, PhaseStarted, RolledBack
from crisisgame.engine.state import State
from crisisgame.engine.turns import BOT_PHASES
from crisisgame.engine.view import objectives_moved, visible_event

BotPolicy = Callable[[State, str], Sequence[Command]]
"""What the bot in a seat does now: the state and the seat's actor id in, its commands out."""

VIEW_TRIGGERS = frozenset(
    {
        "phase_started",
        "results_released",
        "rolled_back",
        "game_ended",
        "amended",
        "clock_paused",
        "clock_resumed",
        "clock_extended",
    }
)
"""Events after which every seat is sent a fresh view rather than the event alone."""

_type_of = attrgetter("type")
_NEW_PHASE = (PhaseStarted, GameEnded, RolledBack)
"""Events after which whatever the bots had in hand belonged to the old phase (`Game._after`)."""

CLOCK = "clock"
"""The source of a step the phase clock made (a deadline passed)."""


def _waits_for_release(s: State) -> bool:
    """Results the facilitator must release: those of a game that does not release them itself. (A
    self-releasing game holds its results only for free-form review, and only until the deadline.)"""
    return s.phase == "results" and not s.released and not s.auto_release


@dataclass(frozen=True)
class BotSchedule:
    """When bots in empty seats play, in game seconds (see the module's theory of operation)."""

    pause: float = 1.0
    """Game-seconds between a move that gives bots something to answer and their round."""
    rounds_per_phase: int = 12
    """Rounds per phase that bots may start by answering one another."""
    unread: frozenset[str] = frozenset()
    """Event types no bot reads: they wake nobody."""


@dataclass(frozen=True)
class Step:
    """One command's worth of change: what happened, to which state, and who is told."""

    before: State
    state: State
    events: tuple[Event, ...]
    source: str
    """Who moved: the command's sender, a bot's actor id, or `CLOCK`."""
    bot: bool = False
    """Made by a bot in an empty seat."""
    refused: str | None = None
    """Why a bot's command was refused, or why a bot could not choose (the step has no events)."""

    @property
    def first_seq(self) -> int:
        return self.before.seq + 1

    @property
    def deadline(self) -> float | None:
        """When the phase the step leaves the game in ends by the clock (None: paused, lobby, ended)."""
        return self.state.deadline

    @property
    def refresh(self) -> bool:
        """Whether every seat gets a fresh view after these events (a phase, the clock, results), or after
        a change in whether a team meets one of its objectives (the view carries the engine's verdict)."""
        if not VIEW_TRIGGERS.isdisjoint(map(_type_of, self.events)):
            return True
        return bool(self.events) and objectives_moved(self.before, self.state)

    def visible(self, seat: str) -> list[tuple[int, Event]]:
        """(seq, the event as `seat` sees it) for every event of the step the seat may see."""
        out: list[tuple[int, Event]] = []
        for offset, e in enumerate(self.events):
            shown = visible_event(e, seat, self.state)
            if shown is not None:
                out.append((self.first_seq + offset, shown))
        return out


@dataclass
class _Round:
    """A bot round in progress: bots still to play, and the current bot's remaining commands."""

    key: tuple[int, str]
    began: float
    waiting: deque[str]
    bot: str | None = None
    commands: deque[Command] = field(default_factory=deque)
    acted: bool = False
    woken: bool = False


class Game:
    """A game's state and timetable; see the module docstring."""

    def __init__(
        self,
        events: Iterable[Event],
        *,
        bots: BotPolicy | None = None,
        schedule: BotSchedule | None = None,
        keep_log: bool = False,
    ) -> None:
        listed = list(events) if keep_log else events
        self._open(fold(listed), list(listed) if keep_log else None, bots, schedule)

    @classmethod
    def from_state(
        cls,
        state: State,
        log: list[Event] | None = None,
        *,
        bots: BotPolicy | None = None,
        schedule: BotSchedule | None = None,
    ) -> Game:
        """A game at `state` (its `log`, if kept, already folded into it)."""
        game = cls.__new__(cls)
        game._open(state, log, bots, schedule)
        return game

    def _open(
        self, state: State, log: list[Event] | None, bots: BotPolicy | None, schedule: BotSchedule | None
    ) -> None:
        self.state: State = state
        self.log: list[Event] | None = log
        """Every event, if asked for (headless runs return it; a server has its store)."""
        self.bots = bots
        self.schedule = schedule or BotSchedule()
        self._due: float | None = None
        self._round: _Round | None = None
        self._rounds: dict[tuple[int, str], int] = {}
        self._has_bots: tuple[object, object, bool] = (None, None, False)
        """Whether the game has bots, for the actors and teams it was worked out from (the same objects
        from one step to the next unless an actor changed: a message leaves them as they were)."""

    # -- commands -------------------------------------------------------------------------------

    def propose(self, command: Command, now: float, *, bot: bool = False) -> Step:
        """The step `command` would make now (the game is unchanged until `commit`), or `Rejected`."""
        events, after = decide_step(self.state, command, now)
        return Step(self.state, after, tuple(events), command.by, bot=bot)

    def commit(self, step: Step, now: float | None = None) -> None:
        """Adopt a step (after its events are durable, for an owner that stores them)."""
        if step.before is not self.state:
            raise ValueError(f"step from seq {step.before.seq} is stale: the game is at seq {self.state.seq}")
        self.state = step.state
        if self.log is not None:
            self.log.extend(step.events)
        when = step.events[-1].at if step.events and now is None else now
        self._after(step, when if when is not None else 0.0)

    def handle(self, command: Command, now: float) -> Step:
        """Run a command to the end: propose and commit."""
        step = self.propose(command, now)
        self.commit(step, now)
        return step

    # -- time -----------------------------------------------------------------------------------

    def next_wakeup(self) -> float | None:
        """The game time of the next thing due (a bot round or a deadline), or None."""
        s = self.state
        if s.phase in ("lobby", "ended") or s.paused:
            return None
        times: list[float] = []
        if self._round is not None:
            times.append(self._round.began)  # a round in progress goes on at once
        elif self._due is not None and self._bots_play():
            times.append(self._due)
        if s.deadline is not None and not _waits_for_release(s):
            times.append(s.deadline)
        return min(times) if times else None

    def bots_due(self) -> tuple[float, list[str]] | None:
        """When the bots play next and which (the rest of a round in progress, or all of them), or None."""
        if self._round is not None:
            rest = [self._round.bot] if self._round.commands and self._round.bot is not None else []
            return self._round.began, rest + list(self._round.waiting)
        if self._due is not None and self._bots_play():
            return self._due, self.state.bots()
        return None

    def bots_idle(self) -> bool:
        """Whether the bots have nothing in hand or planned (until something wakes them)."""
        return self._round is None and self._due is None

    def propose_tick(self, now: float) -> Step | None:
        """The first step due at `now` (not yet committed), or None if nothing is due."""
        while self._round is not None or (self._due is not None and self._due <= now):
            if not self._bots_play():
                self._round = None
                break
            if self._round is None:
                bots = self.state.bots()
                self._round = _Round((self.state.turn, self.state.phase), now, deque(bots))
                self._due = None
            r = self._round
            if r.commands:
                command = r.commands.popleft()
                try:
                    return self.propose(command, now, bot=True)
                except Rejected as exc:
                    return Step(self.state, self.state, (), command.by, bot=True, refused=exc.reason)
            if r.waiting:
                r.bot = r.waiting.popleft()
                assert self.bots is not None
                try:
                    r.commands = deque(self.bots(self.state, r.bot))
                except Exception as exc:  # a bug in one bot must not stop the game or the other bots
                    return Step(self.state, self.state, (), r.bot, bot=True, refused=f"{type(exc).__name__}: {exc}")
                if not r.commands:
                    # A bot that passes is a step of its own, without events: each bot's choice is one step
                    # of its owner's loop, however many bots in a row pass (forty bots choosing in one
                    # step held a server's loop for tens of milliseconds).
                    return Step(self.state, self.state, (), r.bot, bot=True)
                continue
            self._finish_round(r, now)
        s = self.state
        if s.paused or s.deadline is None or s.deadline > now or s.phase in ("lobby", "ended"):
            return None
        if _waits_for_release(s):
            return None  # the facilitator releases results; the clock waits for them
        if s.phase == "results" and not s.released:
            # Held back for free-form review in a game that releases results itself: on time, the
            # clock releases them (actions not rated by then lapse), so no class waits on an absent
            # facilitator.
            step = self.propose(Release(by=FACILITATOR), now)
            return Step(step.before, step.state, step.events, CLOCK)
        step = self.propose(Advance(by=FACILITATOR, phase=s.phase), now)
        return Step(step.before, step.state, step.events, CLOCK)

    def tick(self, now: float) -> Step | None:
        """Do the first thing due at `now`; the step, or None if nothing is due."""
        step = self.propose_tick(now)
        if step is not None:
            self.commit(step, now)
        return step

    def run_until(self, now: float) -> list[Step]:
        """Every step due up to `now`, in order (for owners with nothing to write between them)."""
        steps: list[Step] = []
        while (step := self.tick(now)) is not None:
            steps.append(step)
        return steps

    # -- the bots' timetable --------------------------------------------------------------------

    def _bots_play(self) -> bool:
        s = self.state
        return self.bots is not None and s.phase in BOT_PHASES and not s.paused and self._any_bots(s)

    def _any_bots(self, s: State) -> bool:
        actors, teams, any_bots = self._has_bots
        if actors is not s.actors or teams is not s.teams:
            any_bots = bool(s.bots())
            self._has_bots = (s.actors, s.teams, any_bots)
        return any_bots

    def wake(self, now: float) -> None:
        """The owner (re)starts the game (a server after a restart): bots in a phase of theirs play at once."""
        if self._bots_play() and self._round is None:
            self._due = now if self._due is None else min(self._due, now)

    def _finish_round(self, r: _Round, now: float) -> None:
        self._round = None
        if r.key != (self.state.turn, self.state.phase):
            return
        played = self._rounds.get(r.key, 0) + (1 if r.acted else 0)
        self._rounds[r.key] = played
        if r.woken or (r.acted and played < self.schedule.rounds_per_phase):
            self._plan(now + self.schedule.pause)

    def _plan(self, at: float) -> None:
        self._due = at if self._due is None else min(self._due, at)

    def _after(self, step: Step, now: float) -> None:
        """Update the bots' timetable after a committed step."""
        if not step.events:
            return
        if any(isinstance(e, _NEW_PHASE) for e in step.events):
            # A new phase (or the end): whatever the bots had in hand belonged to the old one.
            self._round = None
            self._due = None
            if self._bots_play():
                self._due = now  # bots open each phase of theirs at once
            return
        if step.bot:
            if self._round is not None:
                self._round.acted = True
            return
        if not self._bots_play() or self.schedule.unread.issuperset(map(_type_of, step.events)):
            return
        if self._round is not None:
            self._round.woken = True  # the round may have passed the bot this concerns: one more round
        else:
            self._plan(now + self.schedule.pause)


__all__ = ["CLOCK", "VIEW_TRIGGERS", "BotPolicy", "BotSchedule", "Game", "Step"]
