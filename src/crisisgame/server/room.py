"""A room: one live game in the server. It is the asyncio shell around the engine's `Game`: it
holds the lock, makes events durable, fans them out, and keeps the game's timetable on the clock.
It holds no game rules and no bot schedule (both are the `Game`'s).

Commands for a game run one at a time (a lock), in this order: `Game.propose` (the engine decides,
and folds the events once), `store.append` (the acknowledgement point: the SQLite commit comes
before the ack), `Game.commit`, publish. A store that refuses the write leaves the game unchanged.
The timetable (bot rounds, phase deadlines) runs through the same path: one task sleeps until the
game's `next_wakeup` on the wall clock, then `pump` plays what is due, one step per lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from crisisgame.bots.seat import SCHEDULE, seat_commands
from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER, Command
from crisisgame.engine.downtime import downtime_events
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.game import CLOCK, Game, Step
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.server.protocol import EventMsg, ViewMsg
from crisisgame.store.base import EventStore, Receipt

log = logging.getLogger("crisisgame.room")

OUTBOX = 2000
"""Messages kept per seat so a reconnecting client gets exactly what it missed..."""
OUTBOX_BYTES = 8 * 1024 * 1024
"""...within this many bytes per seat (a view of a long game weighs a megabyte or more)."""
BOT_PAUSE = SCHEDULE.pause
"""Seconds the bots wait, once woken in the middle of a phase, before they play (the bots'
timetable, `crisisgame.bots.seat.SCHEDULE`, in game seconds: in a live room, wall-clock seconds)."""
TIMER_TICK = 1.0
"""Longest sleep of the room's timetable task before it reads the clock again. Deadlines are
wall-clock times (they are stored in the log) and asyncio sleeps on the monotonic clock, which
stops while a laptop sleeps and ignores clock corrections: re-reading the wall clock keeps the
deadline the one shown."""
TIMER_RETRY = 2.0
"""Seconds before the timetable tries again after an unexpected failure (the store refused a write)."""


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
        self.game = Game(events, bots=seat_commands, schedule=replace(SCHEDULE, pause=bot_pause))
        self.game.wake(clock())  # a game reopened mid-phase: its bots play at once
        self.lock = asyncio.Lock()
        self.subscribers: set[Subscriber] = set()
        # A room opened from the log (after a restart) holds no message, not even the view at its last
        # seq: a client that got that seq's events but was cut off before their view gets a fresh one.
        self.outboxes: dict[str, _Outbox] = {seat: _Outbox(complete_after=self.state.seq + 1) for seat in self.seats}
        self._views: dict[str, tuple[int, bytes]] = {}
        self._timetable: asyncio.Task[None] | None = None
        self._rearm = asyncio.Event()
        """Set after every change: the timetable task reads the game's next wakeup again."""
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
    def state(self) -> State:
        return self.game.state

    @property
    def seats(self) -> list[str]:
        return [*self.state.actors, FACILITATOR, OBSERVER]

    # -- running commands ---------------------------------------------------------------------

    async def execute(self, command: Command, *, receipt: Receipt | None = None) -> int:
        """Run one command: the seq of its last event once durable, or `Rejected`.

        A `receipt` (member and command id) makes the command idempotent: one already applied under
        it raises `AlreadyApplied` with the seq it was applied at, and is not run again.
        """
        async with self.lock:
            if self.closed:
                raise Rejected("the server is shutting down", "unavailable")
            if receipt is not None and (done := self.store.receipt(self.id, receipt)) is not None:
                raise AlreadyApplied(done)
            now = self.clock()
            step = self.game.propose(command, now)
            if step.state.turn != step.before.turn or step.state.phase != step.before.phase:
                # Whatever was due before this command (the bots' round that opens a phase, a deadline)
                # happens first, as in the game's own time: a phase ended by the last team's ready must
                # not swallow the bots' moves a slow or just restarted server had not played yet.
                while self._tick(now) is not None:
                    pass
                step = self.game.propose(command, now)
            if step.events:
                self._commit(step, now, receipt)
            seq = self.state.seq
        self.schedule()
        return seq

    def _commit(self, step: Step, now: float, receipt: Receipt | None = None) -> None:
        self.store.append(self.id, step.before.seq, list(step.events), step.state.phase, receipt)
        self.game.commit(step, now)
        self._publish(step)

    async def pump(self) -> int:
        """Play everything the game has due by the clock now (bots' moves, a deadline), each step made
        durable and published under the lock of its own; the number of steps played."""
        played = 0
        while not self.closed:
            async with self.lock:
                if self.closed:
                    break
                if self._tick(self.clock()) is None:
                    break
                played += 1
            await asyncio.sleep(0)  # teams' commands go between two bots' moves, as they arrive
        return played

    def _tick(self, now: float) -> Step | None:
        """Play the first step due at `now`, durable and published (the caller holds the lock); None
        when nothing is due."""
        step = self.game.propose_tick(now)
        if step is None:
            return None
        if step.refused is not None:
            log.warning("game %s: bot %s: %s", self.id, step.source, step.refused)
        if step.events:
            self._commit(step, now)
            if step.source == CLOCK:
                log.info("game %s: %s of turn %d ended on time", self.id, step.before.phase, step.before.turn)
        return step

    def give_back_downtime(self, down_since: float, at_least: float) -> int:
        """At start-up, before anyone connects: record that the server was down since `down_since`
        (if for more than `at_least` seconds) and move the phase's deadline on by that long
        (`engine.downtime`); the seconds given back."""
        before = self.state
        now = self.clock()
        events = downtime_events(before, down_since, now, at_least)
        if not events:
            return 0
        self._commit(Step(before, fold(events, before), tuple(events), CLOCK), now)
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

    def _publish(self, step: Step) -> None:
        """Queue each seat's share of the step's events (durable already) to its outbox and its connections.

        A seat's view is built only if a client of that seat is connected (a view of a long game is
        large and slow to build; bots' seats never have one). A failure for one seat (a bug in a view)
        is logged and sends that seat a fresh view instead; it never stops the other seats'
        deliveries nor the command's acknowledgement.
        """
        refresh = step.refresh
        listening: dict[str, list[Subscriber]] = {}
        for sub in self.subscribers:
            listening.setdefault(sub.seat, []).append(sub)
        shared: dict[int, bytes] = {}
        for seat in self.seats:
            subs = listening.get(seat, [])
            try:
                texts = self._seat_messages(seat, step, refresh and bool(subs), shared)
                if refresh and not subs:
                    texts.append((self.state.seq, True, None))
            except Exception:
                log.exception("game %s: publishing seq %d..%d to %s", self.id, step.first_seq, self.state.seq, seat)
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
        self, seat: str, step: Step, refresh: bool, shared: dict[int, bytes]
    ) -> list[tuple[int, bool, bytes | None]]:
        out: list[tuple[int, bool, bytes | None]] = []
        for seq, shown in step.visible(seat):
            whole = shown is step.events[seq - step.first_seq]
            if whole and seq in shared:
                text = shared[seq]  # the same event for every seat that sees it whole: built once
            else:
                text = EventMsg(game=self.id, seq=seq, event=shown).model_dump_json().encode()
                if whole:
                    shared[seq] = text
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

    # -- the timetable -------------------------------------------------------------------------

    def schedule(self) -> None:
        """After any change of state: make sure the timetable task runs and reads the game's next wakeup."""
        if self.closed:
            return
        if self._timetable is None or self._timetable.done():
            self._timetable = asyncio.get_running_loop().create_task(self._run_timetable())
        self._rearm.set()

    async def _run_timetable(self) -> None:
        """Sleep until the game has something due on the wall clock, play it, and again."""
        while not self.closed:
            self._rearm.clear()
            wake = self.game.next_wakeup()
            delay = None if wake is None else wake - self.clock()
            if delay is None or delay > 0:
                try:
                    async with asyncio.timeout(None if delay is None else min(delay, TIMER_TICK)):
                        await self._rearm.wait()
                except TimeoutError:
                    pass
                continue
            try:
                if await self.pump() == 0:
                    await asyncio.sleep(TIMER_TICK)  # due, yet nothing to play: never spin
            except Exception:
                log.exception("game %s: the timetable failed at seq %d; trying again", self.id, self.state.seq)
                await asyncio.sleep(TIMER_RETRY)

    def close(self) -> None:
        self.closed = True
        if self._timetable is not None:
            self._timetable.cancel()
