"""A seat's new view is readied for the wire (`Room.ready`: the server compresses it in a worker thread)
while the event loop goes on, between its build and its delivery: it is delivered after, once, to the
connections the seat had when it was built and still has; one that subscribed meanwhile finds it in
the seat's outbox instead, and one that left is not sent it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from crisisgame.engine.commands import FACILITATOR, Advance
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import Listener, create_game, facilitator, join, running_server, short_scenario
from tests.server.test_phase_turnstile import rooms_in_diplomacy


def views(listener: Listener) -> list[bytes]:
    return [got for got in listener.got if got.startswith(b'{"type":"view"')]


async def test_each_view_is_readied_before_any_connection_of_its_seat_is_sent_it(
    store: SqliteStore,
) -> None:
    [room], listeners = await rooms_in_diplomacy(store, 1)
    readied: list[bytes] = []
    delivered_at_ready: list[int] = []

    async def ready(view: bytes) -> None:
        delivered_at_ready.append(sum(view in listener.got for listener in listeners))
        await asyncio.sleep(0.001)  # (the loop runs meanwhile)
        readied.append(view)

    room.ready = ready
    before = [len(views(listener)) for listener in listeners]
    await room.execute(Advance(by=FACILITATOR))
    assert room.state.phase == "orders"
    assert len(readied) == len(room.seats)  # every seat's view, once
    assert not any(delivered_at_ready)  # none was sent before it was readied
    for listener, count in zip(listeners, before, strict=True):
        new = views(listener)[count:]
        assert len(new) == 1
        assert new[0] in readied
    room.close()


async def test_a_client_who_comes_while_the_view_is_readied_gets_it_from_the_outbox_and_one_who_left_does_not(
    store: SqliteStore,
) -> None:
    [room], listeners = await rooms_in_diplomacy(store, 1)
    seat = room.seats[0]
    staying = next(listener for listener in listeners if listener.seat == seat)
    leaving = Listener(seat)
    room.subscribers.add(leaving)
    coming = Listener(seat)
    last_seq = room.state.seq

    calls = 0

    async def ready(view: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # the first seat's view, built and in its outbox, not yet delivered
            room.subscribers.discard(leaving)
            room.subscribers.add(coming)  # a client resuming now: what it missed, from the outbox
            coming.deliver_all(room.missed(seat, last_seq))
        await asyncio.sleep(0)

    room.ready = ready
    await room.execute(Advance(by=FACILITATOR))
    new_view = views(staying)[-1]
    assert b'"phase":"orders"' in new_view
    assert views(coming) == [new_view]  # from the outbox, and not a second time
    assert new_view not in leaving.got
    room.close()


async def test_a_servers_rooms_ready_their_views_through_its_compression(tmp_path: Path) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
        control = await facilitator(srv, created["game"])
        assert srv.server.rooms[created["game"]].ready == srv.server.deflate.ready
        ahead = srv.server.deflate.memo.ahead
        await control.ok({"type": "start"})  # a phase change: every seat's new view
        assert srv.server.deflate.memo.ahead > ahead
