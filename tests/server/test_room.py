"""The room's group commit: the steps of every room proposed in one turn of the event loop are
written in one store transaction (several of one room, pipelined, in order), and each is published
and acknowledged only after it; a refused write leaves the game as the store has it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.events import GameCreated
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import AlreadyApplied, GroupCommit, Room
from crisisgame.store.base import Append, Receipt, StoreError
from crisisgame.store.sqlite import SqliteStore
from tests.engine.support import trio
from tests.server.support import FakeClock, Listener


class CountingStore(SqliteStore):
    """A real store that counts its transactions of appends, and can be told to fail them."""

    transactions = 0
    failing = False

    def append_all(self, appends: Sequence[Append]) -> list[int | StoreError]:
        self.transactions += 1
        if self.failing:
            raise StoreError("disk full")
        return super().append_all(appends)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CountingStore]:
    s = CountingStore(tmp_path / "games.db")
    yield s
    s.close()


async def open_rooms(store: SqliteStore, n: int) -> list[Room]:
    sc = trio()
    teams = [a.id for a in sc.actors if a.playable]
    rooms = []
    for g in range(n):
        store.create_game(f"g{g}", sc.id, "t", 0.0)
        created = GameCreated(scenario=scenario_dict(sc), seed=g, teams=teams)
        room = Room.create(f"g{g}", store, created, FakeClock(), bot_pause=3600)
        await room.execute(Start(by=FACILITATOR))
        await room.execute(Advance(by=FACILITATOR))
        assert room.state.phase == "diplomacy"
        rooms.append(room)
    return rooms


async def test_commands_of_many_rooms_in_one_loop_turn_share_one_transaction(store: CountingStore) -> None:
    rooms = await open_rooms(store, 4)
    before = store.transactions
    say = [SendMessage(by="ALPHA", channel="public", text=f"hello {i}") for i in range(len(rooms))]
    seqs = await asyncio.gather(
        *(
            room.execute(cmd, receipt=Receipt("m", f"c{i}"))
            for i, (room, cmd) in enumerate(zip(rooms, say, strict=True))
        )
    )
    assert store.transactions == before + 1
    for room, seq in zip(rooms, seqs, strict=True):
        assert room.state.seq == seq == store.games()[int(room.id[1:])].seq
        assert store.receipt_seqs(room.id)[Receipt("m", f"c{rooms.index(room)}")] == seq
    for room in rooms:
        room.close()


async def test_commands_of_one_room_in_one_turn_are_pipelined_into_one_transaction_in_order(
    store: CountingStore,
) -> None:
    [room] = await open_rooms(store, 1)
    listener = Listener("GAMMA")
    room.subscribers.add(listener)
    before = store.transactions
    first, second = await asyncio.gather(
        room.execute(SendMessage(by="ALPHA", channel="public", text="one")),
        room.execute(SendMessage(by="BETA", channel="public", text="two")),
    )
    assert (first, second) == (room.state.seq - 1, room.state.seq)
    assert store.transactions == before + 1  # the second was decided after the first, and written with it
    assert [e.text for _, e in store.events(room.id) if e.type == "message_sent"] == ["one", "two"]
    assert [b'"text":"one"' in m for m in listener.got] == [True, False]
    room.close()


async def test_a_failed_commit_is_not_adopted_published_or_acknowledged(store: CountingStore) -> None:
    rooms = await open_rooms(store, 2)
    listeners = [Listener("BETA") for _ in rooms]
    for room, listener in zip(rooms, listeners, strict=True):
        room.subscribers.add(listener)
    seqs = [room.state.seq for room in rooms]
    store.failing = True
    outcomes = await asyncio.gather(
        *(room.execute(SendMessage(by="ALPHA", channel="public", text="lost")) for room in rooms),
        return_exceptions=True,
    )
    assert all(isinstance(o, StoreError) for o in outcomes)
    assert [room.state.seq for room in rooms] == seqs
    assert [room.game.state.seq for room in rooms] == seqs  # the game was read again from the store
    assert all(listener.got == [] for listener in listeners)
    store.failing = False  # the rooms go on from where the store is
    for room, seq in zip(rooms, seqs, strict=True):
        assert await room.execute(SendMessage(by="ALPHA", channel="public", text="kept")) == seq + 1
    assert all(len(listener.got) == 1 for listener in listeners)
    for room in rooms:
        room.close()


async def test_one_refused_append_of_a_batch_leaves_the_others_written(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "games.db")
    rooms = await open_rooms(store, 3)
    writer = GroupCommit.of(store)
    assert all(room.writer is writer for room in rooms)
    stale = rooms[1].state.seq - 1  # a writer that missed a step of game g1
    text = SendMessage(by="ALPHA", channel="public", text="x")
    steps = [room.game.propose(text, 0.0) for room in rooms]
    adopted: list[int] = []
    refused: list[bool] = []
    futures = [
        writer.submit(
            Append(room.id, stale if room is rooms[1] else step.before.seq, step.events, "diplomacy"),
            adopted.append,
            lambda _error: refused.append(True),
        )
        for room, step in zip(rooms, steps, strict=True)
    ]
    done = await asyncio.gather(*futures, return_exceptions=True)
    assert isinstance(done[1], StoreError)
    assert "not" in str(done[1])
    assert done[0] == steps[0].state.seq
    assert done[2] == steps[2].state.seq
    assert adopted == [done[0], done[2]]
    assert refused == [True]
    assert [g.seq for g in store.games()] == [steps[0].state.seq, rooms[1].state.seq, steps[2].state.seq]
    for room in rooms:
        room.close()
    store.close()


@pytest.mark.parametrize("refused", [False, True])
async def test_a_retry_racing_its_command_gets_its_seq_once_written_or_the_store_error(
    store: CountingStore, refused: bool
) -> None:
    """A command sent again under the same receipt while the first is queued is not run again: it
    waits for the first's write, then is told the seq it was applied at, or the store's refusal.
    Several retries wait together, and a retry cancelled meanwhile leaves the others waiting."""
    [room] = await open_rooms(store, 1)
    listener = Listener("BETA")
    room.subscribers.add(listener)
    before = room.state.seq
    store.failing = refused
    receipt = Receipt("m", "c1")
    say = SendMessage(by="ALPHA", channel="public", text="once")
    first = asyncio.ensure_future(room.execute(say, receipt=receipt))
    retries = [asyncio.ensure_future(room.execute(say, receipt=receipt)) for _ in range(3)]
    await asyncio.sleep(0)  # every one has taken the lock in turn; the write is not made yet
    retries[0].cancel()
    async with asyncio.timeout(5):
        outcomes = await asyncio.gather(first, *retries[1:], return_exceptions=True)
    assert retries[0].cancelled()
    if refused:
        assert all(isinstance(o, StoreError) for o in outcomes), outcomes
        assert room.state.seq == before
        assert listener.got == []
    else:
        assert outcomes[0] == before + 1
        assert [o.seq for o in outcomes[1:] if isinstance(o, AlreadyApplied)] == [before + 1] * 2
        assert [e.text for _, e in store.events(room.id) if e.type == "message_sent"] == ["once"]
        assert len(listener.got) == 1
    store.failing = False
    assert room._inflight == {}  # (nothing left waiting)
    room.close()
