"""A room: one live game in the server. It is the asyncio shell around the engine's `Game`: it
holds the lock, makes events durable, fans them out, and keeps the game's timetable on the clock.
It holds no game rules and no bot schedule (both are the `Game`'s).

Commands for a game are decided one at a time (a lock), each on the game as the steps before it
left it: `Game.propose` (the engine decides, and folds the events once), `Game.commit`, then the
write is queued; once it is committed (the acknowledgement point: the SQLite commit comes before the
ack) the step is published and the room's `state`, what the seats see, moves on to it. A store that
refuses a write leaves the game as the store has it: the room reads it again.
Writes are grouped (`GroupCommit`): every room's step proposed in one turn of the event loop goes
into one store transaction at the end of that turn, so a server under load pays one commit (and,
with `--sync full`, one disk flush) per turn of the loop rather than per command.
The timetable (bot rounds, phase deadlines) runs through the same path: one task sleeps until the
game's `next_wakeup` on the wall clock, then `pump` plays what is due, one step per lock.

The heavy moments of a game (a phase's end, whose adjudication takes tens of milliseconds late in a
game, and each seat's fresh view after it) take turns with every other room's through the loop's
`Turnstile`: one at a time, one per turn of the event loop, so that the loop reads and answers the
other games between any two of them, however many games change phase at the same instant.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import math
import weakref
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from crisisgame.bots.seat import SCHEDULE, seat_commands
from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER, Advance, Command, End, SetReady
from crisisgame.engine.downtime import downtime_events
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.game import CLOCK, Game, Step
from crisisgame.engine.state import State
from crisisgame.engine.view import seen_whole_by_all, view_json, visible_event
from crisisgame.server.limits import REPLAY
from crisisgame.server.protocol import event_message, view_message
from crisisgame.store.base import Append, EventStore, Receipt, StoreError

log = logging.getLogger("crisisgame.room")

OUTBOX = REPLAY + 1
"""Messages kept per seat so a reconnecting client gets exactly what it missed: as many as a resume
replays at most (`limits.REPLAY`; a longer gap gets the newest view and what follows, or one fresh
view) and the view at the client's `last_seq`, which it may not have had. A seat keeps one view at
most, its newest, and no message from before the view before it (`_Outbox`). (Kept in memory for every
seat of every game: under a flood of public messages, whose text and entry every seat shares, each
costs a game about 500 bytes.)..."""
OUTBOX_BYTES = 4 * 1024 * 1024
"""...within this many bytes per seat: a backstop. A seat holds one view (a long game's weighs 0.1-2 MB)
and the events since the view before it (a late Baltic adjudication brings a seat 100-200 KB of them,
Control 300 KB), so this binds only in a game whose view and one phase's events outweigh it; then the
oldest go first, and a client from before them is sent a fresh view. (It was 8 MiB while a seat kept
every view: a late game's outbox then filled with views, a megabyte or more a seat.)"""
RECEIPTS_HELD = 512
"""Command receipts a room holds in memory (the newest; about 250 bytes each): a retry, which comes
within seconds of its command (a client re-sends what was not acknowledged when it resumes), is known
without a query, and a flood of commands does not grow the server. A retry of an older command is
looked up in the store, which keeps every receipt of a running game (`Receipts`)."""
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
PHASE_ENDING = (Advance, SetReady, End)
"""Commands that may end a phase (a team's ready may be the last one): their decision may be a turn's
adjudication, so they take their turn at the `Turnstile` first."""


class Turnstile:
    """Lets its callers through one per turn of the event loop, first come first served.

    A caller awaits its turn, then does its heavy synchronous work (a seat's view, a phase's end) before
    its next await. Whoever comes next is let through in a later turn of the loop, after the loop has
    polled its sockets again: every other game's messages are read and answered between two heavy
    steps. While several callers queue (twenty games whose timers end at the same instant), the next
    goes only after the loop has had `REST` of the last one's time to itself, so that a message of
    another game, which takes a few turns of the loop from its command to its broadcast, meets one
    heavy step on its way rather than one per turn. Every room of a loop shares one (`Turnstile.of`)."""

    REST = 0.5
    """While two or more callers wait: the share of the last heavy step's time the loop has to itself
    before the next goes (heavy steps then take at most two thirds of it)."""
    MAX_REST = 0.05
    """Seconds of rest at most after one heavy step."""

    def __init__(self) -> None:
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._turning = False
        self._let_at: float | None = None
        """When the last caller was let through (loop time), until its heavy step is measured."""
        self.passed = 0
        """Callers let through (for tests)."""
        self.rested = 0
        """Rests taken (for tests)."""
        self.between: Callable[[], object] | None = None
        """Run before each caller is let through, in a turn of the loop of its own (the server's garbage
        collection, `collector.Collector.collect`: a heavy step starts with nothing to collect)."""

    @classmethod
    def of(cls, loop: asyncio.AbstractEventLoop) -> Turnstile:
        found = _TURNSTILES.get(loop)
        if found is None:
            found = _TURNSTILES[loop] = cls()
        return found

    async def turn(self) -> None:
        """Return once it is the caller's turn (in a later turn of the loop than the previous caller's)."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiting.append(waiter)
        if not self._turning:
            self._turning = True
            loop.call_soon(self._next)
        await waiter

    def _next(self) -> None:
        loop = asyncio.get_running_loop()
        if self._let_at is not None:
            # A turn of the loop after the last caller was let through: its heavy step has run.
            held, self._let_at = loop.time() - self._let_at, None
            if len(self._waiting) >= 2 and held * self.REST >= 0.001:
                self.rested += 1
                loop.call_later(min(held * self.REST, self.MAX_REST), self._next)
                return
        if self._waiting and self.between is not None:
            self.between()
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():  # (a caller cancelled meanwhile gives up its turn)
                waiter.set_result(None)
                self.passed += 1
                self._let_at = loop.time()
                break
        if self._waiting or self._let_at is not None:
            loop.call_soon(self._next)  # (the caller let through runs first, in the loop's next turn)
        else:
            self._turning = False


_TURNSTILES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Turnstile] = weakref.WeakKeyDictionary()


class Batch(list[bytes]):
    """Messages (JSON text, UTF-8) that belong together, one step's events and views for one seat. The
    room hands one batch object to every subscriber that is sent these messages (every connection of
    a seat, and of each seat sent the same), so a subscriber may keep on it what it derives from the
    messages for the next one: a connection, the batch's websocket frames (`wire`)."""

    __slots__ = ("longest", "wire")

    def __init__(self, messages: Iterable[bytes] = ()) -> None:
        super().__init__(messages)
        self.longest = max(map(len, self), default=0)
        """The length of the longest message, in bytes."""
        self.wire: bytes | None = None


class Subscriber(Protocol):
    """Where a room sends one connection's messages (the server's `Connection` is one)."""

    seat: str

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        """Messages (JSON text, UTF-8) that belong together, one command's events and views: all of
        them, or a drop. Every connection of a seat is given the same objects (from the room, a
        `Batch`)."""


class Subscribers:
    """A room's subscribers, grouped by the seat each had when it subscribed (a connection changes seat
    only by leaving the room and subscribing again): the fan-out reads a seat's listeners at once."""

    __slots__ = ("_seats", "by_seat")

    def __init__(self) -> None:
        self._seats: dict[Subscriber, str] = {}
        self.by_seat: dict[str, tuple[Subscriber, ...]] = {}
        """Each seat's subscribers, in the order they subscribed, for seats that have any: a tuple made
        anew when one comes or goes, so that each delivery reads it as it is (a delivery may drop one of
        them) without copying it."""

    def add(self, sub: Subscriber) -> None:
        self.discard(sub)
        self._seats[sub] = sub.seat
        self.by_seat[sub.seat] = (*self.by_seat.get(sub.seat, ()), sub)

    def discard(self, sub: Subscriber) -> None:
        seat = self._seats.pop(sub, None)
        if seat is None:
            return
        group = tuple(other for other in self.by_seat[seat] if other is not sub)
        if group:
            self.by_seat[seat] = group
        else:
            del self.by_seat[seat]

    def of(self, seat: str) -> tuple[Subscriber, ...]:
        """The seat's subscribers now (a delivery may drop one of them: the tuple stays as it was)."""
        return self.by_seat.get(seat, ())

    def __iter__(self) -> Iterator[Subscriber]:
        return iter(self._seats)

    def __len__(self) -> int:
        return len(self._seats)

    def __contains__(self, sub: object) -> bool:
        return sub in self._seats


@dataclass
class _Outbox:
    """A seat's messages for a client of the seat that resumes (`Room.missed`): one view at most, the
    newest, and the events since the view before it.

    A view is a whole snapshot of the seat's game (a late game's weighs 0.1-2 MB): a client resuming
    from before the newest view needs that one and what follows, never an older one. So when a view
    comes, the view before it and every message before that are let go; the events between the two
    stay (they are small): a client that had the view before, and stopped somewhere after it, is sent
    every event it missed, as a client that stayed connected was, and reads from them what no view
    carries (why a proposal closed, the phase lengths set: `client/js/model.js`), then the new view.
    A client from before the view before is sent the newest view and what follows.
    A view that was not built (None: no client of the seat was connected) lets go of everything up to
    it: a client from before it gets a fresh view, which needs none of it."""

    messages: deque[tuple[int, bool, bytes | None]] = field(default_factory=deque)
    """(seq, is a view, message) of the seat's messages, oldest first: events, and the newest view among
    them (if it was built and has not fallen out)."""
    complete_after: int = 0
    """The outbox holds every message after this seq: older ones fell out, predate a restart, or came
    before a view that was not built, or up to the view before the newest (a client at that view's seq
    that was cut off before it is sent the events since, which it folds on the view it had, and the
    newest view, which replaces what it folded)."""
    size: int = 0
    """The bytes of the messages held (a message every seat shares counts in each seat's outbox)."""
    view: tuple[int, bool, bytes | None] | None = None
    """The entry of the view held (the newest), or None."""

    def add(self, seq: int, message: bytes | None, is_view: bool = False) -> None:
        self.put((seq, is_view, message))

    def put(self, entry: tuple[int, bool, bytes | None]) -> None:
        """Add a (seq, is a view, message) entry: one that every seat is sent (a public message) is one
        object in every seat's outbox, which then costs each seat a reference only."""
        seq, is_view, message = entry
        if is_view:
            if message is None:
                # Nobody of the seat got the view: whoever resumes from before it gets a fresh one, and a
                # client at its seq (which got no message of that step either) what comes after.
                self.messages.clear()
                self.size, self.view = 0, None
                self.complete_after = max(self.complete_after, seq)
                return
            if (older := self.view) is not None:
                # The view before lets go of itself and of everything before it: a client from before it
                # is sent this one and what follows; one from after it, every event it missed.
                while (old := self.messages.popleft()) is not older:
                    self.size -= len(old[2] or b"")
                self.size -= len(old[2] or b"")
                self.complete_after = max(self.complete_after, older[0])
            self.view = entry
        self.messages.append(entry)
        self.size += len(message or b"")
        if len(self.messages) > OUTBOX or self.size > OUTBOX_BYTES:
            self._trim()

    def put_events(self, entries: Sequence[tuple[int, bool, bytes]], size: int) -> None:
        """`put` each of these entries, events (no view) of `size` bytes in all, in order: what every seat
        is sent of a step of public messages (`Room._publish_to_all`), at once for each seat."""
        messages = self.messages
        messages.extend(entries)
        self.size += size
        if len(messages) > OUTBOX or self.size > OUTBOX_BYTES:
            self._trim()  # (the same as after each: later entries only add to the length and the size)

    def _trim(self) -> None:
        """Let the oldest go while there are more messages than `OUTBOX`, or bytes than `OUTBOX_BYTES`."""
        while len(self.messages) > 1 and (len(self.messages) > OUTBOX or self.size > OUTBOX_BYTES):
            old = self.messages.popleft()
            self.size -= len(old[2] or b"")
            if old is self.view:
                # A view shares its seq with the last event of its batch: once the view is gone, a
                # client that stopped at that seq may lack it, so it no longer counts as held.
                self.view = None
                self.complete_after = old[0] + 1
            else:
                self.complete_after = old[0]

    def missed(self, last_seq: int, limit: int | None = None) -> list[bytes] | None:
        """What a client that has every message up to `last_seq` lacks, in order, or None if the outbox
        does not hold it (the client needs a fresh view): every message after `last_seq` if the outbox
        holds them all (and the view at `last_seq`, if it is the view held: a client cut off between the
        last event of a batch and its view lacks it); else, for a client from before the view held, that
        view and what follows (it replaces every message before it). `limit`: the most messages to send;
        past it, the view held and what follows if they are fewer, else None."""
        out = self._since(last_seq)
        view = self.view
        if out is not None and limit is not None and len(out) > limit and view is not None and last_seq < view[0]:
            out = self._since(view[0])
        return None if out is None or (limit is not None and len(out) > limit) else out

    def _since(self, last_seq: int) -> list[bytes] | None:
        view = self.view
        if last_seq < self.complete_after:
            if view is None or last_seq >= view[0]:
                return None
            last_seq = view[0]
        return [
            text
            for seq, is_view, text in self.messages
            if text is not None and (seq > last_seq or (seq == last_seq and is_view))
        ]


_Pending = tuple[Append, Callable[[int], None], Callable[[StoreError], None], asyncio.Future[int]]
"""An append waiting for the group commit: what to write, what to run once written or refused, the waiter."""


class GroupCommit:
    """One store transaction per turn of the event loop, for the steps of every room of a store.

    A room `submit`s a step's append and waits; the first submit of a turn schedules `flush` for the
    loop's next turn, by which time every command read in this turn has been proposed (several of
    one room, each decided after the one before). `flush` writes them all with
    `EventStore.append_all`, then runs each one's `durable` callback (publish the step) before the
    waiters resume and acknowledge: nothing is acknowledged, or shown to anyone, before its commit;
    or, for a write the store refused, its `failed` callback (the room reads its game again). The
    callbacks run in `flush`, not in the waiters, so a waiter cancelled meanwhile (a server shutting
    down) cannot leave a written step unpublished.
    """

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.pending: list[_Pending] = []
        self.flushes = 0
        """Transactions written (for tests and profiles: appends per transaction is the grouping)."""
        self.holding = False
        """True while `flush` publishes: a subscriber may hold its writes (`hold`) until the flush ends."""
        self._held: list[Callable[[], None]] = []

    @classmethod
    def of(cls, store: EventStore) -> GroupCommit:
        """The one writer of `store` (every room of a server shares it, whatever made them)."""
        writer = _WRITERS.get(store)
        if writer is None:
            writer = _WRITERS[store] = cls(store)
        return writer

    def submit(
        self, append: Append, durable: Callable[[int], None], failed: Callable[[StoreError], None]
    ) -> asyncio.Future[int]:
        """Queue `append` for this turn's transaction; the future gives its new last seq once
        committed (after `durable(seq)` has run), or the store's error (after `failed(error)` has run)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[int] = loop.create_future()
        if not self.pending:
            loop.call_soon(self.flush)
        self.pending.append((append, durable, failed, done))
        return done

    def hold(self, release: Callable[[], None]) -> None:
        """While `holding`: run `release` at the end of this flush, once every step of it is published
        and acknowledged. A connection holds what the flush gives it, its share of every step and the
        acknowledgements of its commands, and writes it all at once then: one system call per
        connection and flush, not one per step and one more per acknowledgement."""
        self._held.append(release)

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            results: list[int | StoreError] = self.store.append_all([a for a, _, _, _ in batch])
        except Exception as exc:
            results = [StoreError(str(exc)) if not isinstance(exc, StoreError) else exc] * len(batch)
        finally:
            self.flushes += 1
        self.holding = True
        try:
            self._settle(batch, results)
        finally:
            self.holding = False
            held, self._held = self._held, []
            for release in held:
                try:
                    release()
                except Exception:
                    log.exception("writing what a group commit published")

    def _settle(self, batch: list[_Pending], results: list[int | StoreError]) -> None:
        for (_, durable, failed, done), result in zip(batch, results, strict=True):
            if isinstance(result, StoreError):
                try:
                    failed(result)
                except Exception:
                    log.exception("after failing to write: %s", result)
                if not done.done():
                    done.set_exception(result)
                continue
            try:
                durable(result)
            except Exception:  # (a bug in a view): the step is durable and adopted; say so, go on
                log.exception("after writing seq %d", result)
            if not done.done():
                done.set_result(result)


_WRITERS: weakref.WeakKeyDictionary[EventStore, GroupCommit] = weakref.WeakKeyDictionary()


SEEN_FIRST = 1 << 15
"""Bytes of the first layer of a room's sketch of its receipts (`Receipts`: 32 KiB, sized for 10,922
receipts); each next layer is twice the size of the one before."""
SEEN_BITS_EACH = 24
"""Bits of the sketch per receipt a layer is sized for (3 bytes)."""
SEEN_HASHES = 8
"""Bits set for each receipt in its layer: with 24 bits a receipt, a full layer answers 'maybe' for
about 4 new receipts in 100,000 (a Bloom filter's (1 - e^(-8/24))^8)."""


class Receipts:
    """A room's command receipts and the seq each command was applied at, as the store has them (it
    writes each with its events): the newest `RECEIPTS_HELD` in memory, in the order they were written,
    and a sketch of all of them: a command whose receipt is neither held nor in the sketch is new,
    without a query; one the sketch may have seen (an older command's retry, or a few in 100,000 by
    chance) is looked up in the store (`lookup`), which reads the game's log for it.

    The sketch is a scalable Bloom filter (Almeida et al., 2007): layers of `SEEN_BITS_EACH` bits per
    receipt, each sized for twice the receipts of the one before and filled in turn, so the chance of
    a needless lookup stays about the same however long the game runs, and the memory grows with the
    game (3 bytes for each receipt its layers are sized for: at most twice those written), never with
    a flood's retries. A receipt's `SEEN_HASHES` bits in a layer come from the two halves of its hash,
    the first plus k times the second (Kirsch and Mitzenmacher, 2006)."""

    __slots__ = ("_held", "_layers", "_room", "lookup")

    def __init__(self, known: Iterable[tuple[Receipt, int]] = ()) -> None:
        """`known`: the game's receipts and seqs, oldest first (`EventReader.receipts_in_order`)."""
        self._held: OrderedDict[Receipt, int] = OrderedDict()
        self._layers: list[bytearray] = [bytearray(SEEN_FIRST)]
        self._room = SEEN_FIRST * 8 // SEEN_BITS_EACH
        """Receipts the newest layer has room for."""
        self.lookup: Callable[[Receipt], int | None] | None = None
        """Where a receipt the room does not hold, but may have seen, is read (the room's store)."""
        for receipt, seq in known:
            self.add(receipt, seq)

    def get(self, receipt: Receipt) -> int | None:
        """The seq the command with this receipt was applied at, or None if it never was."""
        seq = self._held.get(receipt)
        if seq is None and self.lookup is not None:
            h = hash(receipt)
            first, step = h & 0xFFFFFFFF, (h >> 32 & 0xFFFFFFFF) | 1
            for layer in self._layers:
                mask, bit = len(layer) * 8 - 1, first
                for _ in range(SEEN_HASHES):  # (stopping at the first bit not set: most often the first)
                    i = bit & mask
                    if not layer[i >> 3] & (1 << (i & 7)):
                        break
                    bit += step
                else:
                    return self.lookup(receipt)
        return seq

    def add(self, receipt: Receipt, seq: int) -> None:
        """A command written (in the store already, with its events) at `seq`."""
        held = self._held
        held[receipt] = seq
        if len(held) > RECEIPTS_HELD:
            held.popitem(last=False)
        if self._room == 0:
            self._layers.append(bytearray(2 * len(self._layers[-1])))
            self._room = len(self._layers[-1]) * 8 // SEEN_BITS_EACH
        self._room -= 1
        layer = self._layers[-1]
        h = hash(receipt)
        mask, bit, step = len(layer) * 8 - 1, h & 0xFFFFFFFF, (h >> 32 & 0xFFFFFFFF) | 1
        for _ in range(SEEN_HASHES):
            i = bit & mask
            layer[i >> 3] |= 1 << (i & 7)
            bit += step

    def __len__(self) -> int:
        """Receipts held in memory."""
        return len(self._held)


class AlreadyApplied(Exception):
    """A command retried under a receipt that was already applied (at `seq`): it is not run again."""

    def __init__(self, seq: int) -> None:
        super().__init__(f"already applied at seq {seq}")
        self.seq = seq


class Room:
    freeze_history = False
    """Whether a phase change, once published, moves every object alive then out of the cyclic garbage
    collector's reach (`gc.freeze`). A phase's end adds hundreds of outcomes that live as long as the game,
    and a full collection scans every object the collector tracks: with late games in memory one took
    20-30 ms, held the event loop longer than any step of a game, and freed nothing (a game's states and
    events are freed by reference counting, frozen or not). Set by the server while it serves
    (`GameServer.serve`), with its collector thresholds; tools and tests that build rooms in a process of
    their own are left alone."""

    def __init__(
        self,
        game_id: str,
        store: EventStore,
        events: Sequence[Event],
        clock: Callable[[], float],
        *,
        bot_pause: float = BOT_PAUSE,
        receipts: Receipts | None = None,
        ready: Callable[[bytes], Awaitable[None]] | None = None,
    ) -> None:
        """`receipts`: the game's receipts as read with `events` (a room built in a worker thread reads
        both through a reader of its own); read from the store if not given."""
        self.ready = ready
        """What readies a seat's new view for the wire while the event loop goes on, before it is
        delivered to the seat's connections (the server's: its compression, in a worker thread,
        `compression.LargeOnlyDeflateFactory.ready`); None: delivered as built."""
        self.id = game_id
        self.store = store
        self.clock = clock
        self.bot_pause = bot_pause
        self._open(events, receipts)
        self.lock = asyncio.Lock()
        """Held while a step is proposed and queued (no await inside): one step of the game at a time."""
        self.subscribers = Subscribers()
        # A room opened from the log (after a restart) holds no message, not even the view at its last
        # seq: a client that got that seq's events but was cut off before their view gets a fresh one.
        self.outboxes: dict[str, _Outbox] = {seat: _Outbox(complete_after=self.state.seq + 1) for seat in self.seats}
        self._views: dict[str, tuple[int, bytes]] = {}
        self._timetable: asyncio.Task[None] | None = None
        self._rearm = asyncio.Event()
        """Set after a change that brings the game's next wakeup forward: the timetable task reads it again."""
        self._asleep_until: float | None = None
        """The wall-clock time by which the timetable task reads the game's next wakeup again by itself
        (infinity: only when woken), or None while it is not asleep."""
        self.closed = False
        self.writer = GroupCommit.of(store)
        self._inflight: dict[Receipt, asyncio.Future[int] | None] = {}
        """Receipts of commands queued and not yet written, each with the future a retry waits on for
        the first to be written (made when a retry comes)."""

    def _open(self, events: Sequence[Event], receipts: Receipts | None = None) -> None:
        """The game as its log has it (at start, and again after a write the store refused)."""
        self.game = Game(events, bots=seat_commands, schedule=replace(SCHEDULE, pause=self.bot_pause))
        self.game.wake(self.clock())  # a game reopened mid-phase: its bots play at once
        state = self.game.state
        self._seats = [*(a for a in state.actors if a in state.teams), FACILITATOR, OBSERVER]
        self.shown: State = self.game.state
        """The state as far as it is durable and published: what the seats, views and replies see. The
        game (`self.game.state`) may be a few steps ahead, proposed and queued in the group commit."""
        self.durable: State = self.game.state
        """The state as far as it is written (`shown` may lag it while a phase change is published)."""
        self._publishing_tail: asyncio.Task[None] | None = None
        """The publication still under way (a phase change, one seat's view at a time); steps made
        durable meanwhile are published after it, in order."""
        self.receipts = Receipts(self.store.receipts_in_order(self.id)) if receipts is None else receipts
        self.receipts.lookup = functools.partial(self.store.receipt, self.id)
        """The game's command receipts and the seq each was applied at, kept in step with the store
        (which writes each with its events): a retry of a recent command is recognised without a query."""

    @classmethod
    def create(
        cls,
        game_id: str,
        store: EventStore,
        created: GameCreated,
        clock: Callable[[], float],
        *,
        bot_pause: float = BOT_PAUSE,
        ready: Callable[[bytes], Awaitable[None]] | None = None,
    ) -> Room:
        store.append(game_id, 0, [created], "lobby")
        return cls(game_id, store, [created], clock, bot_pause=bot_pause, ready=ready)

    @property
    def state(self) -> State:
        """The game as the seats know it: every event in it is durable and published."""
        return self.shown

    @property
    def seats(self) -> list[str]:
        """The seats a client can hold: the teams (in the scenario's order), the facilitator and the
        observers. A bot's seat has no join code, no member is ever moved to it, and it has no outbox.
        (A game's actors and teams are fixed when it is created.)"""
        return self._seats

    # -- running commands ---------------------------------------------------------------------

    async def execute(
        self,
        command: Command,
        *,
        receipt: Receipt | None = None,
        acknowledge: Callable[[int], None] | None = None,
    ) -> int:
        """Run one command: the seq of its last event once durable, or `Rejected`.

        A `receipt` (member and command id) makes the command idempotent: one already applied under
        it raises `AlreadyApplied` with the seq it was applied at, and is not run again.

        `acknowledge(seq)`, if given, is called once, before this returns, as soon as the step is
        durable and published: for a step published at once, in the group commit's flush itself, so
        that the sender's acknowledgement goes out in the same write as its share of the step.

        The command is decided on the game as the steps queued before it left it (commands of one
        game are pipelined: several go in one group commit), and its step queued; the caller resumes
        once the step is durable and published. A command that may end a phase first waits for its
        turn at the loop's `Turnstile` (its decision may be an adjudication), and lets the bots' moves
        then due go first, each in a turn of its own.
        """
        acked = False

        def ack_once(seq: int) -> None:
            nonlocal acked
            if not acked and acknowledge is not None:
                acked = True
                acknowledge(seq)

        if isinstance(command, PHASE_ENDING):
            turnstile = Turnstile.of(asyncio.get_running_loop())
            await turnstile.turn()
            while self._bots_due_now():
                # Bots' moves due before the command (a round the timetable has not played yet) come
                # first, one per turn of the loop, rather than all in the command's own turn (where
                # its decision may be an adjudication): a team's last ready a moment after its orders
                # woke the bots would otherwise hold the loop for the whole round.
                async with self.lock:
                    if self.closed:
                        break
                    self._queue_due(self.clock())
                await turnstile.turn()
        async with self.lock:
            self._admit(receipt)
            retried: asyncio.Future[int] | None = None
            if receipt is not None and receipt in self._inflight:
                retried = self._inflight[receipt]
                if retried is None:
                    retried = self._inflight[receipt] = asyncio.get_running_loop().create_future()
            else:
                decided = self._decide(command, receipt, ack_once if acknowledge is not None else None)
                if isinstance(decided, int):
                    return decided
                written = decided
        if retried is not None:
            raise AlreadyApplied(await asyncio.shield(retried))
        # (No shield: the future is this caller's alone, and `flush` publishes the step whether or not
        # anyone still waits.)
        seq = await written
        await self.published()
        ack_once(seq)
        self.schedule()
        return seq

    def submit(
        self,
        command: Command,
        *,
        receipt: Receipt,
        acknowledge: Callable[[int], None],
        refused: Callable[[StoreError], None],
    ) -> asyncio.Future[int] | int | None:
        """`execute` for a caller that does not wait (a session, which reads its client's next message
        meanwhile): the command is decided and its step queued now, and the room calls
        `acknowledge(seq)` once the step is durable and published (in the group commit's flush, for a
        step published at once), or `refused(error)` if the store refused its write, then resolves the
        future returned (the write's). An int: the command changed nothing (acknowledged already).

        None, with nothing done, for a command that must go through `execute`: one that may end a phase
        (it takes its turn at the `Turnstile` first) or a retry of a command still being written (it
        waits for the first). Raises `Rejected` and `AlreadyApplied` as `execute` does."""
        if isinstance(command, PHASE_ENDING) or receipt in self._inflight or self.lock.locked():
            return None
        self._admit(receipt)
        return self._decide(command, receipt, acknowledge, refused, schedule=True)

    def _admit(self, receipt: Receipt | None) -> None:
        """Refuse a command while the room closes, or once its receipt is applied (`AlreadyApplied`)."""
        if self.closed:
            raise Rejected("the server is shutting down", "unavailable")
        if receipt is not None and (done := self.receipts.get(receipt)) is not None:
            raise AlreadyApplied(done)

    def _decide(
        self,
        command: Command,
        receipt: Receipt | None,
        acknowledge: Callable[[int], None] | None,
        refused: Callable[[StoreError], None] | None = None,
        *,
        schedule: bool = False,
    ) -> asyncio.Future[int] | int:
        """Decide the command (no await: under the lock, or where nothing else can run) and queue its
        step: the write's future, or the seq at once (acknowledged then) if the command changed nothing."""
        now = self.clock()
        step = self.game.propose(command, now)
        if step.state.turn != step.before.turn or step.state.phase != step.before.phase:
            # Whatever was due before this command (the bots' round that opens a phase, a
            # deadline) happens first, as in the game's own time: a phase ended by the last
            # team's ready must not swallow the bots' moves a slow or just restarted server
            # had not played yet. Their writes go in the same group commit, before this one.
            # (Decided again only if they moved the game: a phase's end may be an adjudication.)
            while self._queue_due(now) is not None:
                pass
            if self.game.state is not step.before:
                step = self.game.propose(command, now)
        if not step.events:
            if acknowledge is not None:
                acknowledge(self.game.state.seq)
            return self.game.state.seq
        return self._queue(step, now, receipt, acknowledge, refused, schedule=schedule)

    def _queue(
        self,
        step: Step,
        now: float,
        receipt: Receipt | None = None,
        acknowledge: Callable[[int], None] | None = None,
        refused: Callable[[StoreError], None] | None = None,
        *,
        schedule: bool = False,
    ) -> asyncio.Future[int]:
        """Adopt the step as the game's (the next command is decided after it) and queue its write;
        once durable, `flush` publishes it and acknowledges it once published (at once, or when the
        publication under way ends), and with `schedule` wakes the timetable (`schedule`). If the
        store refuses it, the game is read again from the store, so the refused step, and any queued
        after it, are gone (`refused`, and their waiters get the error)."""
        self.game.commit(step, now)

        def durable(last: int) -> None:
            retry = None
            if receipt is not None:
                self.receipts.add(receipt, last)
                retry = self._inflight.pop(receipt, None)
            self.durable = step.state
            self._publish_in_order(step)
            if acknowledge is not None:
                if (tail := self._publishing_tail) is None or tail.done():
                    acknowledge(last)  # (published to every seat)
                else:
                    tail.add_done_callback(lambda _: acknowledge(last))
            if retry is not None and not retry.done():
                retry.set_result(last)
            if schedule:
                self.schedule()

        def failed(error: StoreError) -> None:
            retry = self._inflight.pop(receipt, None) if receipt is not None else None
            self._refused()
            if retry is not None and not retry.done():
                retry.set_exception(error)
            if refused is not None:
                refused(error)

        append = Append(self.id, step.before.seq, step.events, step.state.phase, receipt)
        written = self.writer.submit(append, durable, failed)
        if receipt is not None:
            self._inflight[receipt] = None
        return written

    def _bots_due_now(self) -> bool:
        """Whether bots have moves due by now that they have not made (a round begun or due)."""
        due = self.game.bots_due()
        return due is not None and due[0] <= self.clock() and bool(due[1]) and not self.closed

    def _queue_due(self, now: float) -> Step | None:
        """Queue the first step due at `now` (the caller holds the lock; nobody waits for its write:
        the command queued after it does); None when nothing is due."""
        step = self.game.propose_tick(now)
        if step is None:
            return None
        if step.refused is not None:
            log.warning("game %s: bot %s: %s", self.id, step.source, step.refused)
        if step.events:
            written = self._queue(step, now)
            written.add_done_callback(lambda f: f.cancelled() or f.exception())
        return step

    def _refused(self) -> None:
        if self.game.state is self.durable:
            return  # (read again already, for an earlier step of the same batch)
        log.error("game %s: the store refused a write at seq %d; reading the game again", self.id, self.shown.seq)
        self._open([e for _, e in self.store.events(self.id)])
        self._rearm.set()

    def _commit(self, step: Step, now: float) -> None:
        """Write, adopt and publish a step at once, outside the group commit (at start-up)."""
        self.store.append(self.id, step.before.seq, list(step.events), step.state.phase)
        self.game.commit(step, now)
        self.shown = self.durable = step.state
        for _ in self._publishing(step, step.refresh):
            pass

    def _publish_in_order(self, step: Step) -> None:
        """Publish a durable step after those before it: at once if it sends no view (a message, an
        order), else (a phase change: every seat's new view) in a task that builds each seat's view in
        a turn of its own at the loop's `Turnstile`, so that no game's phase change, nor twenty at the
        same instant, stalls every other game (nor the group commit that made it durable)."""
        prior = self._publishing_tail
        refresh = step.refresh
        if prior is not None and prior.done():
            prior = None
        if prior is None and not refresh:
            self.shown = step.state
            self._forget_old_views()  # (`_publishing`, without a view to build: nothing yields)
            if not self._publish_to_all(step):
                for _ in self._publish_seats(step, refresh):
                    pass
            return
        self._publishing_tail = asyncio.get_running_loop().create_task(self._publish_later(prior, step, refresh))

    async def _publish_later(self, prior: asyncio.Task[None] | None, step: Step, refresh: bool) -> None:
        if prior is not None:
            await asyncio.wait([prior])
        self.shown = step.state
        turnstile = Turnstile.of(asyncio.get_running_loop())
        ready = self.ready
        for view in self._publishing(step, refresh):
            if view is None:
                await turnstile.turn()
            elif ready is not None:
                try:
                    await ready(view)
                except Exception:  # (it is sent as it is, then)
                    log.exception("game %s: readying a view of seq %d", self.id, self.state.seq)
        if refresh and self.freeze_history:
            gc.freeze()

    @property
    def publishing(self) -> bool:
        """Whether a durable step is still being published (a phase change, one seat's view at a time)."""
        tail = self._publishing_tail
        return tail is not None and not tail.done()

    async def published(self) -> None:
        """Wait until every durable step is published to every seat (a command is acknowledged after)."""
        while (tail := self._publishing_tail) is not None and not tail.done():
            await asyncio.wait([tail])

    async def pump(self) -> int:
        """Play everything the game has due by the clock now (bots' moves, a deadline), each step
        queued under the lock and waited for until durable; the number of steps played."""
        played = 0
        turnstile = Turnstile.of(asyncio.get_running_loop())
        while not self.closed:
            await turnstile.turn()  # (a bot's move or a deadline: a phase's end may be an adjudication)
            async with self.lock:
                if self.closed:
                    break
                now = self.clock()
                step = self.game.propose_tick(now)
                if step is None:
                    break
                if step.refused is not None:
                    log.warning("game %s: bot %s: %s", self.id, step.source, step.refused)
                written = self._queue(step, now) if step.events else None
            if written is not None:
                await asyncio.shield(written)
                await self.published()
                if step.source == "clock":
                    log.info("game %s: %s of turn %d ended on time", self.id, step.before.phase, step.before.turn)
            played += 1
            await asyncio.sleep(0)  # teams' commands go between two bots' moves, as they arrive
        return played

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
            message = view_message(self.id, self.state.seq, view_json(self.state, seat))
            self._views[seat] = (self.state.seq, message)
        return message

    def _publishing(self, step: Step, refresh: bool) -> Iterator[bytes | None]:
        """Queue each seat's share of the step's events (durable already) to its outbox and its connections;
        yields None before each seat's view is built (`refresh`: the step sends views), where the caller
        may let the event loop run, and the seat's view once built and in its outbox, before it is
        delivered to the seat's connections, where the caller may ready it for the wire (`ready`) while
        the loop runs. It goes to the connections the seat had when it was built and still has: one
        that subscribed meanwhile found it in the outbox.

        A seat's view is built only if a client of that seat is connected (a view of a long game is
        large and slow to build). A failure for one seat (a bug in a view)
        is logged and sends that seat a fresh view instead; it never stops the other seats'
        deliveries nor the command's acknowledgement. Who listens is read again after each yield: a
        client that signed in or resumed meanwhile gets the step from its seat's outbox or from here.
        """
        self._forget_old_views()
        if not refresh and self._publish_to_all(step):
            return
        yield from self._publish_seats(step, refresh)

    def _publish_seats(self, step: Step, refresh: bool) -> Iterator[bytes | None]:
        """`_publishing`, seat by seat: each seat's share of the step, and its view with `refresh`."""
        shared: dict[int, bytes] = {}
        batches: dict[tuple[int, ...], Batch] = {}
        for seat in self.seats:
            if refresh and self.subscribers.of(seat):
                yield None
            subs = self.subscribers.of(seat)
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
            if subs and refresh and texts and texts[-1][1] and (view := texts[-1][2]) is not None:
                yield view
                now = self.subscribers.of(seat)
                subs = tuple(sub for sub in subs if sub in now)
            if subs:
                sent = [text for _, _, text in texts if text is not None]
                if sent:
                    # Seats sent the same messages (a public message's) are handed one batch object.
                    key = tuple(map(id, sent))
                    batch = batches.get(key)
                    if batch is None:
                        batch = batches[key] = Batch(sent)
                    for sub in subs:
                        sub.deliver_all(batch)

    def _publish_to_all(self, step: Step) -> bool:
        """Publish a step that every seat receives whole (public messages, `seen_whole_by_all`): each
        event encoded once, one batch for every connection, without asking seat by seat what it may
        see. False (nothing done) for any other step."""
        events = step.events
        if not all(map(seen_whole_by_all, events)):
            return False
        first, game = step.before.seq + 1, self.id
        texts = [event_message(game, seq, e) for seq, e in enumerate(events, first)]
        entries = [(seq, False, text) for seq, text in enumerate(texts, first)]
        size = sum(map(len, texts))
        batch = Batch(texts)
        by_seat, outboxes = self.subscribers.by_seat, self.outboxes
        for seat in self.seats:
            box = outboxes.get(seat)
            if box is None:
                box = self._outbox(seat)
            box.put_events(entries, size)
            for sub in by_seat.get(seat, ()):  # (a delivery may drop one of them: the tuple stays as it was)
                sub.deliver_all(batch)
        return True

    def _forget_old_views(self) -> None:
        """Let go of the views built for an earlier seq: none is sent again (a resume across them gets a
        fresh one), and a game's views are tens of kilobytes each."""
        seq = self.state.seq
        if self._views and any(at != seq for at, _ in self._views.values()):
            self._views = {seat: kept for seat, kept in self._views.items() if kept[0] == seq}

    def _seat_messages(
        self, seat: str, step: Step, refresh: bool, shared: dict[int, bytes]
    ) -> list[tuple[int, bool, bytes | None]]:
        out: list[tuple[int, bool, bytes | None]] = []
        state = step.state
        seq = step.before.seq
        for event in step.events:
            seq += 1
            shown = visible_event(event, seat, state)
            if shown is None:
                continue
            if shown is event:
                text = shared.get(seq)  # the same event for every seat that sees it whole: built once
                if text is None:
                    text = shared[seq] = event_message(self.id, seq, event)
            else:
                text = event_message(self.id, seq, shown)
            out.append((seq, False, text))
        if refresh:
            out.append((self.state.seq, True, self.view_message(seat)))
        return out

    def missed(self, seat: str, last_seq: int | None, limit: int | None = None) -> list[bytes]:
        """What a seat reconnecting after `last_seq` missed, in order: every message after it if the
        seat's outbox holds them (a client that stopped after the view before the newest); else the
        newest view the outbox holds and what follows it (a client from before that view); else (the gap
        is too old, or holds a view that was not built) a fresh view. A client is never sent a view older
        than the newest: the outbox keeps one (`_Outbox`), which replaces them.

        A view carries the seq of the last event of its batch, so a client cut off between that event
        and the view resumes at the view's own seq: the view sent at `last_seq` is sent again if it is
        the newest (a view is a whole snapshot, so a client that did get it loses nothing by getting it
        twice); if a newer one came since, the client is sent that one.

        `limit`: the most messages to send (`Limits.replay`); past it, the newest view held and what
        follows if they are fewer, else a fresh view.
        """
        box = self._outbox(seat)
        out = None if last_seq is None or last_seq > self.state.seq else box.missed(last_seq, limit)
        return [self.view_message(seat)] if out is None else out

    # -- the timetable -------------------------------------------------------------------------

    def schedule(self) -> None:
        """After any change of state: make sure the timetable task runs and reads the game's next wakeup."""
        if self.closed:
            return
        if self._timetable is None or self._timetable.done():
            self._timetable = asyncio.get_running_loop().create_task(self._run_timetable())
        elif self._asleep_until is not None:
            # A task asleep until before the game's next wakeup reads it again then anyway: only a
            # wakeup brought forward (the bots to answer sooner, a deadline moved in) wakes it now.
            wake = self.game.next_wakeup()
            if wake is None or wake >= self._asleep_until:
                return
        self._rearm.set()

    async def _run_timetable(self) -> None:
        """Sleep until the game has something due on the wall clock, play it, and again."""
        while not self.closed:
            self._rearm.clear()
            wake = self.game.next_wakeup()
            delay = None if wake is None else wake - self.clock()
            if delay is None or delay > 0:
                sleep = None if delay is None else min(delay, TIMER_TICK)
                self._asleep_until = math.inf if sleep is None else self.clock() + sleep
                try:
                    async with asyncio.timeout(sleep):
                        await self._rearm.wait()
                except TimeoutError:
                    pass
                finally:
                    self._asleep_until = None
                continue
            try:
                if await self.pump() == 0:
                    await asyncio.sleep(TIMER_TICK)  # due, yet nothing to play: never spin
            except Exception:
                log.exception("game %s: the timetable failed at seq %d; trying again", self.id, self.state.seq)
                await asyncio.sleep(TIMER_RETRY)

    def close(self) -> None:
        """Stop the timetable. The task is let go too: it ends holding its cancellation, whose traceback
        holds the room, and a room holding the task would make a cycle that only a full collection frees."""
        self.closed = True
        if self._timetable is not None:
            self._timetable.cancel()
            self._timetable = None
