"""A room: one live game in the server. It runs commands through the engine, makes their events
durable, then fans out each seat's view of them. It holds no game rules.

Commands for a game run one at a time (a lock), in this order: `decide` on the current state,
`store.append` (the acknowledgement point), `apply`, publish. The phase timer and the bots in
empty seats issue their commands through the same path as teams.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crisisgame.bots import policy
from crisisgame.engine.apply import apply, fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER, Advance, Command
from crisisgame.engine.decide import Rejected, decide
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.state import State
from crisisgame.engine.view import event_visible, view
from crisisgame.server.protocol import EventMsg, ViewMsg
from crisisgame.store.base import EventStore

log = logging.getLogger("crisisgame.room")

OUTBOX = 2000
"""Messages kept per seat so a reconnecting client gets exactly what it missed."""
BOT_ROUNDS_PER_PHASE = 12
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


class Subscriber:
    """Where a room sends one connection's messages (the server's connection implements it)."""

    seat: str

    def deliver(self, text: str) -> None:
        raise NotImplementedError


@dataclass
class _Outbox:
    messages: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=OUTBOX))
    complete_after: int = 0
    """The outbox holds every message after this seq (older ones fell out, or predate a restart)."""

    def add(self, seq: int, text: str) -> None:
        if len(self.messages) == self.messages.maxlen:
            self.complete_after = self.messages[0][0]
        self.messages.append((seq, text))


class Room:
    def __init__(self, game_id: str, store: EventStore, events: Sequence[Event], clock: Callable[[], float]) -> None:
        self.id = game_id
        self.store = store
        self.clock = clock
        self.state: State = fold(events)
        self.lock = asyncio.Lock()
        self.subscribers: set[Subscriber] = set()
        self.outboxes: dict[str, _Outbox] = {}
        self._timer: asyncio.Task[None] | None = None
        self._bots: asyncio.Task[None] | None = None
        self._bot_rounds: dict[tuple[int, str], int] = {}
        self.closed = False

    @classmethod
    def create(cls, game_id: str, store: EventStore, created: GameCreated, clock: Callable[[], float]) -> Room:
        store.append(game_id, 0, [created], "lobby")
        return cls(game_id, store, [created], clock)

    @property
    def seats(self) -> list[str]:
        return [*self.state.actors, FACILITATOR, OBSERVER]

    # -- running commands ---------------------------------------------------------------------

    async def execute(self, command: Command) -> int:
        """Run one command: the seq of its last event once durable, or `Rejected`."""
        async with self.lock:
            if self.closed:
                raise Rejected("the server is shutting down")
            events = decide(self.state, command, self.clock())
            first = self.state.seq + 1
            self.store.append(self.id, self.state.seq, events, self._phase_after(events))
            for e in events:
                self.state = apply(self.state, e)
            self._publish(events, first)
        self.schedule()
        return self.state.seq

    def _phase_after(self, events: Sequence[Event]) -> str:
        phase = self.state.phase
        for e in events:
            if e.type == "phase_started":
                phase = getattr(e, "phase", phase)
            elif e.type == "game_ended":
                phase = "ended"
        return phase

    # -- fan-out ------------------------------------------------------------------------------

    def _outbox(self, seat: str) -> _Outbox:
        if seat not in self.outboxes:
            self.outboxes[seat] = _Outbox(complete_after=self.state.seq)
        return self.outboxes[seat]

    def view_message(self, seat: str) -> str:
        return ViewMsg(game=self.id, seq=self.state.seq, view=view(self.state, seat)).model_dump_json()

    def _publish(self, events: Sequence[Event], first: int) -> None:
        refresh = any(e.type in VIEW_TRIGGERS for e in events)
        for seat in self.seats:
            box = self._outbox(seat)
            texts: list[str] = []
            for offset, e in enumerate(events):
                if event_visible(e, seat, self.state):
                    seq = first + offset
                    text = EventMsg(game=self.id, seq=seq, event=e.model_dump(mode="json")).model_dump_json()
                    box.add(seq, text)
                    texts.append(text)
            if refresh:
                text = self.view_message(seat)
                box.add(self.state.seq, text)
                texts.append(text)
            if texts:
                for sub in list(self.subscribers):
                    if sub.seat == seat:
                        for text in texts:
                            sub.deliver(text)

    def missed(self, seat: str, last_seq: int | None) -> list[str]:
        """What a seat reconnecting after `last_seq` missed, in order; a fresh view if the gap is too old."""
        box = self._outbox(seat)
        if last_seq is None or last_seq < box.complete_after or last_seq > self.state.seq:
            return [self.view_message(seat)]
        return [text for seq, text in box.messages if seq > last_seq]

    # -- the clock and the bots ---------------------------------------------------------------

    def schedule(self) -> None:
        """(Re)arm the phase timer and wake the bots, after any change of state."""
        if self.closed:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        s = self.state
        if s.phase not in ("lobby", "ended") and not s.paused and s.deadline is not None:
            self._timer = asyncio.get_running_loop().create_task(self._expire(s.phase, s.turn, s.deadline))
        key = (s.turn, s.phase)
        idle = self._bots is None or self._bots.done()
        if (
            s.phase in ("diplomacy", "orders")
            and s.bots()
            and self._bot_rounds.get(key, 0) < BOT_ROUNDS_PER_PHASE
            and idle
        ):
            self._bots = asyncio.get_running_loop().create_task(self._bot_round())

    async def _expire(self, phase: str, turn: int, deadline: float) -> None:
        delay = max(0.0, deadline - self.clock())
        await asyncio.sleep(delay)
        if self.state.phase != phase or self.state.turn != turn:
            return
        if self.state.phase == "results" and not self.state.released:
            return  # the facilitator releases results; the clock waits for them
        try:
            await self.execute(Advance(by=FACILITATOR, phase=phase))
            log.info("game %s: %s of turn %d ended on time", self.id, phase, turn)
        except Rejected as exc:
            log.info("game %s: timer for %s: %s", self.id, phase, exc.reason)

    async def _bot_round(self) -> None:
        await asyncio.sleep(0)  # let the command that woke us be acknowledged first
        key = (self.state.turn, self.state.phase)
        self._bot_rounds[key] = self._bot_rounds.get(key, 0) + 1
        acted = False
        for bot in self.state.bots():
            if self.state.phase not in ("diplomacy", "orders"):
                return
            for command in policy(view(self.state, bot, history=False), self.state.seed):
                try:
                    await self.execute(command)
                    acted = True
                except Rejected as exc:
                    log.warning("game %s: bot %s: %s", self.id, bot, exc.reason)
        if not acted:
            self._bot_rounds[key] = BOT_ROUNDS_PER_PHASE

    def close(self) -> None:
        self.closed = True
        for task in (self._timer, self._bots):
            if task is not None:
                task.cancel()
