"""A room: one live game in the server. It runs commands through the engine, makes their events
durable, then fans out each seat's view of them. It holds no game rules.

Commands for a game run one at a time (a lock), in this order: `decide` on the current state,
`store.append` (the acknowledgement point), `apply`, publish. (The events are folded into a new
state before they are appended, so an event the engine cannot apply is refused instead of being
written to a log that would no longer replay.) The phase timer and the bots in empty seats issue
their commands through the same path as teams.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from crisisgame.bots import UNREAD, policy
from crisisgame.engine.apply import apply, fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER, Advance, Command
from crisisgame.engine.decide import Rejected, decide
from crisisgame.engine.downtime import downtime_events
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.state import State
from crisisgame.engine.view import view, visible_event
from crisisgame.server.protocol import EventMsg, ViewMsg
from crisisgame.store.base import EventStore, Receipt

log = logging.getLogger("crisisgame.room")

OUTBOX = 2000
"""Messages kept per seat so a reconnecting client gets exactly what it missed..."""
OUTBOX_BYTES = 8 * 1024 * 1024
"""...within this many bytes per seat (a view of a long game weighs a megabyte or more)."""
BOT_PAUSE = 1.0
"""Seconds the bots wait, once woken in the middle of a phase, before they play: every command in
that time is answered by the same round (a burst of proposals costs one round, not one each), at a
human pace. Their first round of each phase is at once, so a quick class never ends a phase before
the bots have moved."""
BOT_ROUNDS_PER_PHASE = 12
"""Rounds in which bots act, per phase, that bots may start by themselves (answering each other);
past that, bots still get one round after every command from a team, the facilitator or the clock."""
TIMER_TICK = 1.0
"""Longest sleep of the phase timer before it reads the clock again. Deadlines are wall-clock times
(they are stored in the log) and asyncio sleeps on the monotonic clock, which stops while a laptop
sleeps and ignores clock corrections: re-reading the wall clock keeps the deadline the one shown."""
TIMER_RETRY = 2.0
"""Seconds before the timer tries again after an unexpected failure (the store refused a write)."""
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


class Subscriber(Protocol):
    """Where a room sends one connection's messages (the server's `Connection` is one)."""

    seat: str

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        """Messages (JSON text, UTF-8) that belong together, one command's events and views: all of
        them, or a drop. Every connection of a seat is given the same objects."""


@dataclass
class _Outbox:
    messages: deque[tuple[int, bool, bytes | None]] = field(default_factory=deque)
    """(seq, is a view, message) of every message for the seat, oldest first. A view is None when no
    client of the seat was there to receive it: it was not built, and a resume across it gets a fresh
    view."""
    complete_after: int = 0
    """The outbox holds every message after this seq (older ones fell out, or predate a restart)."""
    size: int = 0

    def add(self, seq: int, message: bytes | None, is_view: bool = False) -> None:
        self.messages.append((seq, is_view, message))
        self.size += len(message or b"")
        while len(self.messages) > 1 and (len(self.messages) > OUTBOX or self.size > OUTBOX_BYTES):
            old, was_view, dropped = self.messages.popleft()
            self.size -= len(dropped or b"")
            # A view shares its seq with the last event of its batch: once the view is gone, a client
            # that stopped at that seq may lack it, so it no longer counts as held.
            self.complete_after = old + 1 if was_view else old


class AlreadyApplied(Exception):
    """A command retried under a receipt that was already applied (at `seq`): it is not run again."""

    def __init__(self, seq: int) -> None:
        super().__init__(f"already applied at seq {seq}")
        self.seq = seq


class Room:
    def __init__(
        self,
        game_id: str,
        store: EventStore,
        events: Sequence[Event],
        clock: Callable[[], float],
        *,
        bot_pause: float = BOT_PAUSE,
    ) -> None:
        self.id = game_id
        self.store = store
        self.clock = clock
        self.bot_pause = bot_pause
        self.state: State = fold(events)
        self.lock = asyncio.Lock()
        self.subscribers: set[Subscriber] = set()
        self.outboxes: dict[str, _Outbox] = {seat: _Outbox(complete_after=self.state.seq) for seat in self.seats}
        self._timer: asyncio.Task[None] | None = None
        self._timer_for: tuple[str, int, float] | None = None
        self._views: dict[str, tuple[int, bytes]] = {}
        self._bots: asyncio.Task[None] | None = None
        self._bots_woken = False
        self._bots_hurry = asyncio.Event()
        """Set when a new phase begins while the bots pause: they open it at once."""
        self._bot_rounds: dict[tuple[int, str], int] = {}
        self.closed = False

    @classmethod
    def create(
        cls,
        game_id: str,
        store: EventStore,
        created: GameCreated,
        clock: Callable[[], float],
        *,
        bot_pause: float = BOT_PAUSE,
    ) -> Room:
        store.append(game_id, 0, [created], "lobby")
        return cls(game_id, store, [created], clock, bot_pause=bot_pause)

    @property
    def seats(self) -> list[str]:
        return [*self.state.actors, FACILITATOR, OBSERVER]

    # -- running commands ---------------------------------------------------------------------

    async def execute(self, command: Command, *, bot: bool = False, receipt: Receipt | None = None) -> int:
        """Run one command: the seq of its last event once durable, or `Rejected`.

        `bot` marks a command from a bot in an empty seat (it does not wake the bots again). A
        `receipt` (member and command id) makes the command idempotent: one already applied under
        it raises `AlreadyApplied` with the seq it was applied at, and is not run again.
        """
        async with self.lock:
            if self.closed:
                raise Rejected("the server is shutting down")
            if receipt is not None and (done := self.store.receipt(self.id, receipt)) is not None:
                raise AlreadyApplied(done)
            before = self.state
            events = decide(before, command, self.clock())
            if not events:
                return before.seq
            after = before
            for e in events:
                after = apply(after, e)
            self.store.append(self.id, before.seq, events, after.phase, receipt)
            self.state = after
            self._publish(events, before.seq + 1)
            seq = after.seq
        self.schedule(bot=bot, wake=any(e.type not in UNREAD for e in events))
        return seq

    def give_back_downtime(self, down_since: float, at_least: float) -> int:
        """At start-up, before anyone connects: record that the server was down since `down_since`
        (if for more than `at_least` seconds) and move the phase's deadline on by that long
        (`engine.downtime`); the seconds given back."""
        before = self.state
        events = downtime_events(before, down_since, self.clock(), at_least)
        if not events:
            return 0
        after = fold(events, before)
        self.store.append(self.id, before.seq, events, after.phase)
        self.state = after
        self._publish(events, before.seq + 1)
        return round(sum(e.seconds for e in events))

    # -- fan-out ------------------------------------------------------------------------------

    def _outbox(self, seat: str) -> _Outbox:
        if seat not in self.outboxes:
            self.outboxes[seat] = _Outbox(complete_after=self.state.seq)
        return self.outboxes[seat]

    def view_message(self, seat: str) -> bytes:
        """The seat's view now, as a message: built once per seat and seq (a class signing in, or
        reconnecting after a network drop, is forty requests for the same few views)."""
        seq, message = self._views.get(seat, (-1, b""))
        if seq != self.state.seq:
            message = ViewMsg(game=self.id, seq=self.state.seq, view=view(self.state, seat)).model_dump_json().encode()
            self._views[seat] = (self.state.seq, message)
        return message

    def _publish(self, events: Sequence[Event], first: int) -> None:
        """Queue each seat's share of `events` (durable already) to its outbox and its connections.

        A seat's view is built only if a client of that seat is connected (a view of a long game is
        large and slow to build; bots' seats never have one). A failure for one seat (a bug in a view)
        is logged and sends that seat a fresh view instead; it never stops the other seats'
        deliveries nor the command's acknowledgement.
        """
        refresh = any(e.type in VIEW_TRIGGERS for e in events)
        listening: dict[str, list[Subscriber]] = {}
        for sub in self.subscribers:
            listening.setdefault(sub.seat, []).append(sub)
        shared: dict[int, bytes] = {}
        for seat in self.seats:
            subs = listening.get(seat, [])
            try:
                texts = self._seat_messages(seat, events, first, refresh and bool(subs), shared)
                if refresh and not subs:
                    texts.append((self.state.seq, True, None))
            except Exception:
                log.exception("game %s: publishing seq %d..%d to %s", self.id, first, self.state.seq, seat)
                try:
                    texts = [(self.state.seq, True, self.view_message(seat) if subs else None)]
                except Exception:
                    log.exception("game %s: no view for %s at seq %d", self.id, seat, self.state.seq)
                    continue
            box = self._outbox(seat)
            for seq, is_view, text in texts:
                box.add(seq, text, is_view)
            batch = [text for _, _, text in texts if text is not None]
            if batch:
                for sub in subs:
                    sub.deliver_all(batch)

    def _seat_messages(
        self, seat: str, events: Sequence[Event], first: int, refresh: bool, shared: dict[int, bytes]
    ) -> list[tuple[int, bool, bytes | None]]:
        out: list[tuple[int, bool, bytes | None]] = []
        for offset, e in enumerate(events):
            shown = visible_event(e, seat, self.state)
            if shown is None:
                continue
            seq = first + offset
            if shown is e and offset in shared:
                text = shared[offset]  # the same event for every seat that sees it whole: built once
            else:
                text = EventMsg(game=self.id, seq=seq, event=shown.model_dump(mode="json")).model_dump_json().encode()
                if shown is e:
                    shared[offset] = text
            out.append((seq, False, text))
        if refresh:
            out.append((self.state.seq, True, self.view_message(seat)))
        return out

    def missed(self, seat: str, last_seq: int | None) -> list[bytes]:
        """What a seat reconnecting after `last_seq` missed, in order; a fresh view if the gap is too old
        (or holds a view that was not built).

        A view carries the seq of the last event of its batch, so a client cut off between that event
        and the view resumes at the view's own seq: the view sent at `last_seq` is sent again (a view
        is a whole snapshot, so a client that did get it loses nothing by getting it twice).
        """
        box = self._outbox(seat)
        if last_seq is None or last_seq < box.complete_after or last_seq > self.state.seq:
            return [self.view_message(seat)]
        out: list[bytes] = []
        for seq, is_view, text in box.messages:
            if seq > last_seq:
                if text is None:
                    return [self.view_message(seat)]
                out.append(text)
            elif seq == last_seq and is_view and text is not None:
                out.append(text)  # (a view not built at `last_seq` reached no client: none was cut off)
        return out

    # -- the clock and the bots ---------------------------------------------------------------

    def schedule(self, *, bot: bool = False, wake: bool = True) -> None:
        """(Re)arm the phase timer and wake the bots, after any change of state (`bot`: made by a bot;
        `wake`: the change may give the bots something to answer)."""
        if self.closed:
            return
        s = self.state
        due = (s.phase, s.turn, s.deadline) if s.phase not in ("lobby", "ended") and not s.paused else None
        if due is None or due[2] is None:
            self._cancel_timer()
        elif due != self._timer_for or self._timer is None or self._timer.done():
            self._cancel_timer()
            self._timer = asyncio.get_running_loop().create_task(self._expire(s.phase, s.turn, due[2]))
            self._timer_for = (s.phase, s.turn, due[2])
        if not wake or s.phase not in ("diplomacy", "orders") or s.paused or not s.bots():
            return
        if self._bots is not None and not self._bots.done():
            if not bot:
                self._bots_woken = True  # the running round may have passed the bot this concerns: look again
            if (s.turn, s.phase) not in self._bot_rounds:
                self._bots_hurry.set()
            return
        if bot and self._bot_rounds.get((s.turn, s.phase), 0) >= BOT_ROUNDS_PER_PHASE:
            return
        self._bots_woken = False
        self._bots = asyncio.get_running_loop().create_task(self._bot_loop())

    def _cancel_timer(self) -> None:
        if self._timer is not None and self._timer is not asyncio.current_task():
            self._timer.cancel()
        self._timer = None
        self._timer_for = None

    async def _expire(self, phase: str, turn: int, deadline: float) -> None:
        while (delay := deadline - self.clock()) > 0:
            await asyncio.sleep(min(delay, TIMER_TICK))
        while not self.closed:
            if self.state.phase != phase or self.state.turn != turn:
                return
            if self.state.phase == "results" and not self.state.released:
                return  # the facilitator releases results; the clock waits for them
            try:
                await self.execute(Advance(by=FACILITATOR, phase=phase))
                log.info("game %s: %s of turn %d ended on time", self.id, phase, turn)
                return
            except Rejected as exc:
                log.info("game %s: timer for %s: %s", self.id, phase, exc.reason)
                return
            except Exception:
                log.exception("game %s: the timer could not end %s of turn %d; trying again", self.id, phase, turn)
                await asyncio.sleep(TIMER_RETRY)

    async def _bot_loop(self) -> None:
        """Rounds of the bots until they have nothing more to do (or their budget for the phase is spent)."""
        while not self.closed:
            opening = (self.state.turn, self.state.phase) not in self._bot_rounds
            try:
                async with asyncio.timeout(0 if opening else self.bot_pause):  # (and let the command be acked)
                    await self._bots_hurry.wait()
            except TimeoutError:
                pass
            self._bots_hurry.clear()
            if self.closed or self.state.phase not in ("diplomacy", "orders") or self.state.paused:
                return
            self._bots_woken = False
            key = (self.state.turn, self.state.phase)
            acted = await self._bot_round()
            self._bot_rounds.setdefault(key, 0)
            if acted:
                self._bot_rounds[key] = self._bot_rounds.get(key, 0) + 1
            if self._bots_woken:
                continue
            if not acted or self._bot_rounds.get(key, 0) >= BOT_ROUNDS_PER_PHASE:
                return

    async def _bot_round(self) -> bool:
        """Each bot plays once on its current view; whether any command was accepted."""
        acted = False
        for bot in self.state.bots():
            if self.closed or self.state.phase not in ("diplomacy", "orders"):
                break
            try:
                commands = policy(view(self.state, bot, history=False), self.state.seed)
            except Exception:
                log.exception("game %s: bot %s failed to choose its commands", self.id, bot)
                continue
            for command in commands:
                try:
                    await self.execute(command, bot=True)
                    acted = True
                except Rejected as exc:
                    log.warning("game %s: bot %s: %s", self.id, bot, exc.reason)
                except Exception:
                    log.exception("game %s: bot %s: %s failed", self.id, bot, command.type)
        return acted

    def close(self) -> None:
        self.closed = True
        for task in (self._timer, self._bots):
            if task is not None:
                task.cancel()
