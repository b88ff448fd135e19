"""A room's memory does not grow with the messages of its game: a flood that stays under the quotas for
hours must not grow the server without bound. The state keeps each channel's newest messages
(`state.MESSAGE_WINDOW`), each seat's outbox its newest (`room.OUTBOX`) and the room its newest command
receipts (`room.RECEIPTS_HELD`); the store's log keeps everything, and a retry of an old command or a
page of old messages is read there."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Sequence

import pytest

from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.events import GameCreated, MessageSent
from crisisgame.engine.state import MESSAGE_WINDOW
from crisisgame.scenario.model import scenario_dict
from crisisgame.server import room as room_module
from crisisgame.server.room import AlreadyApplied, Room
from crisisgame.store.base import Receipt
from crisisgame.store.sqlite import SqliteStore
from tests.engine.support import trio
from tests.server.support import FakeClock

SEATS = ("ALPHA", "BETA", "GAMMA", "observer", "observer", "facilitator", "ALPHA")
"""Seven connections, as in the press benchmark's games."""
TEXT = "Our delegation proposes talks on the exclusion zone, with observers present, from round %d on."


class Counter:
    """A subscriber that counts what it is sent and keeps none of it (a connection that writes at once)."""

    def __init__(self, seat: str) -> None:
        self.seat = seat
        self.received = 0

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        self.received += len(messages)


async def playing(store: SqliteStore, game: str = "g") -> Room:
    sc = trio()
    store.create_game(game, sc.id, "t", 0.0)
    created = GameCreated(scenario=scenario_dict(sc), seed=3, teams=[a.id for a in sc.actors if a.playable])
    room = Room.create(game, store, created, FakeClock(), bot_pause=3600)
    await room.execute(Start(by=FACILITATOR))
    await room.execute(Advance(by=FACILITATOR))
    return room


async def say(room: Room, first: int, last: int) -> None:
    """Public messages `first`..`last - 1`, each under a receipt of its own (seven members in turn)."""
    for i in range(first, last):
        command = SendMessage(by=("ALPHA", "BETA", "GAMMA")[i % 3], channel="public", text=TEXT % i)
        await room.execute(command, receipt=Receipt(f"member-{i % 7}", f"c{i}"))


def live_messages() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is MessageSent)


async def test_memory_held_per_public_message_stays_flat_as_a_flood_goes_on(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seven connections and a flood of public messages: once the outboxes and the receipts held are full
    (made small here, so that the test is short), a thousand more messages leave the room holding no
    more message bodies, receipts or outbox entries than before, and the memory Python holds grows by
    under 64 bytes per message (it grew by about 1.7 KB per message when the state kept every message
    and the room every receipt)."""
    monkeypatch.setattr(room_module, "OUTBOX", 200)
    monkeypatch.setattr(room_module, "RECEIPTS_HELD", 200)
    elsewhere = live_messages()  # (of other tests in this process)
    room = await playing(store)
    for seat in SEATS:
        room.subscribers.add(Counter(seat))
    await say(room, 0, 400)
    held = (live_messages(), len(room.receipts), sum(len(b.messages) for b in room.outboxes.values()))
    assert held[0] - elsewhere <= MESSAGE_WINDOW + 10
    assert held[1] == 200
    tracemalloc.start()
    try:
        await say(room, 400, 700)  # (what the room holds is then all allocated under the trace)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        await say(room, 700, 1700)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert live_messages() <= held[0]
    assert (len(room.receipts), sum(len(b.messages) for b in room.outboxes.values())) == held[1:]
    assert len(room.state.messages) == 1700
    assert grown / 1000 < 64, f"{grown / 1000:.0f} bytes held per message"
    room.close()


async def test_a_retry_of_a_command_older_than_the_receipts_held_is_known_from_the_store(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The room holds its three newest receipts: a retry of the first of ten commands is still applied
    once (the store has its receipt), live and after the game is read again from the log; a new command
    is run."""
    monkeypatch.setattr(room_module, "RECEIPTS_HELD", 3)
    room = await playing(store)
    await say(room, 0, 10)
    assert len(room.receipts) == 3
    first = store.receipt("g", Receipt("member-0", "c0"))
    assert first is not None
    retry = SendMessage(by="ALPHA", channel="public", text=TEXT % 0)
    for n in range(2):
        again = room if n == 0 else Room("g", store, [e for _, e in store.events("g")], FakeClock(), bot_pause=3600)
        assert len(again.receipts) == 3
        with pytest.raises(AlreadyApplied) as applied:
            await again.execute(retry, receipt=Receipt("member-0", "c0"))
        assert applied.value.seq == first
        seq = await again.execute(retry, receipt=Receipt("member-0", f"new {n}"))
        assert again.receipts.get(Receipt("member-0", f"new {n}")) == seq
        again.close()
    said = [e.text for _, e in store.events("g") if isinstance(e, MessageSent)]
    assert said.count(TEXT % 0) == 3  # the first command once, and each new one


async def test_new_commands_past_the_receipts_held_ask_the_store_nothing(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room that holds 50 receipts knows a thousand new commands are new without a query (its sketch of
    every receipt has seen none of them), and asks the store about a retry of an old one."""
    monkeypatch.setattr(room_module, "RECEIPTS_HELD", 50)
    room = await playing(store)
    await say(room, 0, 100)
    asked: list[Receipt] = []
    lookup = room.receipts.lookup
    assert lookup is not None

    def counted(receipt: Receipt) -> int | None:
        asked.append(receipt)
        return lookup(receipt)

    room.receipts.lookup = counted
    await say(room, 100, 1100)
    assert len(asked) <= 2, "a new command was looked up in the store (the sketch says: one in thousands)"
    asked.clear()
    with pytest.raises(AlreadyApplied):
        await room.execute(SendMessage(by="ALPHA", channel="public", text="x"), receipt=Receipt("member-0", "c0"))
    assert asked == [Receipt("member-0", "c0")]
    room.close()
