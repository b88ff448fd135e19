"""A session does not wait for its client's command to be written (`Room.submit`): it reads the next
message meanwhile, and waits for the write only if that message comes first, so that every client's
messages are still answered in the order it sent them. The room acknowledges the command once its
step is durable and published (after a phase change being published, if one is), or answers a write
the store refused with a server error."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, SetReady, Start
from crisisgame.engine.events import GameCreated
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import Room
from crisisgame.store.base import Append, Receipt, StoreError
from crisisgame.store.sqlite import SqliteStore
from tests.engine.support import trio
from tests.server.support import (
    UNLIMITED,
    Client,
    FakeClock,
    Running,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]


class Traced:
    """A subscriber that writes what it is sent into a trace shared with the test."""

    def __init__(self, seat: str, trace: list[tuple[str, str]]) -> None:
        self.seat = seat
        self.trace = trace

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        self.trace.extend((self.seat, json.loads(m)["type"]) for m in messages)


async def room_in_diplomacy(store: SqliteStore, trace: list[tuple[str, str]]) -> Room:
    sc = trio()
    teams = [a.id for a in sc.actors if a.playable]
    store.create_game("g", sc.id, "t", 0.0)
    room = Room.create(
        "g", store, GameCreated(scenario=scenario_dict(sc), seed=1, teams=teams), FakeClock(), bot_pause=3600
    )
    await room.execute(Start(by=FACILITATOR))
    await room.execute(Advance(by=FACILITATOR))
    assert room.state.phase == "diplomacy"
    for seat in room.seats:
        room.subscribers.add(Traced(seat, trace))
    return room


def never_refused(error: StoreError) -> None:
    raise AssertionError(f"refused: {error}")


async def test_a_submitted_command_is_acknowledged_in_the_flush_that_writes_it(store: SqliteStore) -> None:
    trace: list[tuple[str, str]] = []
    room = await room_in_diplomacy(store, trace)
    before = room.state.seq
    say = SendMessage(by="ALPHA", channel="public", text="hello")
    written = room.submit(
        say, receipt=Receipt("m", "c1"), acknowledge=lambda seq: trace.append(("ack", str(seq))), refused=never_refused
    )
    assert isinstance(written, asyncio.Future)
    assert trace == []  # (nothing is shown before the write)
    assert await written == before + 1
    assert trace[-1] == ("ack", str(before + 1))  # acknowledged once published to every seat
    assert sorted(seat for seat, kind in trace if kind == "event") == sorted(room.seats)
    assert room.receipts.get(Receipt("m", "c1")) == before + 1
    room.close()


async def test_what_must_wait_is_left_to_execute(store: SqliteStore) -> None:
    """A command that may end a phase takes its turn at the Turnstile, and a retry of a command being
    written waits for it: `submit` does nothing with either (None), and the session awaits `execute`."""
    room = await room_in_diplomacy(store, [])
    before = room.state.seq
    acks: list[int] = []
    for command in (SetReady(by="ALPHA"), Advance(by=FACILITATOR)):
        assert room.submit(command, receipt=Receipt("m", "x"), acknowledge=acks.append, refused=never_refused) is None
    say = SendMessage(by="ALPHA", channel="public", text="once")
    written = room.submit(say, receipt=Receipt("m", "c1"), acknowledge=acks.append, refused=never_refused)
    assert isinstance(written, asyncio.Future)
    assert room.submit(say, receipt=Receipt("m", "c1"), acknowledge=acks.append, refused=never_refused) is None
    assert await written == before + 1
    assert acks == [before + 1]
    assert room.game.state.seq == before + 1  # (nothing else was decided)
    room.close()


async def test_a_command_submitted_while_a_phase_change_is_published_is_acknowledged_after_it(
    store: SqliteStore,
) -> None:
    trace: list[tuple[str, str]] = []
    room = await room_in_diplomacy(store, trace)
    advancing = asyncio.ensure_future(room.execute(Advance(by=FACILITATOR)))
    async with asyncio.timeout(5):
        while room.durable.phase != "orders":  # the phase change is durable; its views go out one per turn
            await asyncio.sleep(0)
    assert sum(kind == "view" for _, kind in trace) < len(room.seats)
    say = SendMessage(by="ALPHA", channel="public", text="meanwhile")
    acked = asyncio.get_running_loop().create_future()
    written = room.submit(say, receipt=Receipt("m", "c1"), acknowledge=acked.set_result, refused=never_refused)
    assert isinstance(written, asyncio.Future)
    async with asyncio.timeout(5):
        seq = await acked
    trace.append(("ack", str(seq)))
    await advancing
    views = [i for i, (_, kind) in enumerate(trace) if kind == "view"]
    assert len(views) == len(room.seats)
    assert trace.index(("ack", str(seq))) > max(views)  # every seat had its new view, then the message
    assert room.state.seq == seq
    room.close()


async def test_a_refused_submit_reads_the_game_again_and_says_so(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = await room_in_diplomacy(store, [])
    before = room.state.seq

    def refuse(appends: Sequence[Append]) -> list[int | StoreError]:
        raise StoreError("disk full")

    monkeypatch.setattr(store, "append_all", refuse)
    refusals: list[StoreError] = []
    say = SendMessage(by="ALPHA", channel="public", text="lost")
    written = room.submit(say, receipt=Receipt("m", "c1"), acknowledge=lambda _: None, refused=refusals.append)
    assert isinstance(written, asyncio.Future)
    with pytest.raises(StoreError):
        await written
    assert [str(e) for e in refusals] == ["disk full"]
    assert room.game.state.seq == room.state.seq == before
    assert room.receipts.get(Receipt("m", "c1")) is None
    room.close()


async def playing(srv: Running, tmp_path: Path) -> tuple[str, Client]:
    lobby = await facilitator(srv)
    created = await create_game(lobby, short_scenario(tmp_path, briefing=60), TEAMS)
    control = await facilitator(srv, created["game"])
    await control.ok({"type": "start"})
    await control.ok({"type": "advance"})
    return str(created["game"]), await join(srv, created["codes"]["ALPHA"], "Ada", "ada")


def say(ident: str, text: str, channel: str = "public") -> str:
    return json.dumps(
        {"type": "command", "id": ident, "command": {"type": "send_message", "channel": channel, "text": text}}
    )


async def test_a_clients_messages_are_answered_in_the_order_it_sent_them(tmp_path: Path) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db", quotas=UNLIMITED, bot_pause=3600) as srv:
        _, ada = await playing(srv, tmp_path)
        since = len(ada.messages)
        frames = [
            say("c1", "first"),
            json.dumps({"type": "ping", "t": 1}),
            say("c2", "wrong", channel="telepathy"),
            say("c3", "second"),
            json.dumps({"type": "history", "id": "h", "channel": "public"}),
            say("c4", "third"),
        ]
        for frame in frames:  # (sent at once: the server reads them all before the first is written)
            await ada.send(frame)
        await ada.wait(lambda m: m.get("id") == "c4" and m["type"] == "ack", since)
        answers = [
            (m["type"], m.get("id")) for m in ada.messages[since:] if m["type"] in ("ack", "error", "pong", "reply")
        ]
        assert answers == [("ack", "c1"), ("pong", None), ("error", "c2"), ("ack", "c3"), ("reply", "h"), ("ack", "c4")]
        history = next(m for m in ada.messages[since:] if m.get("id") == "h")
        assert [m["text"] for m in history["data"]["messages"]][-2:] == ["first", "second"]  # (c3 written before)


async def test_a_write_the_store_refuses_is_answered_with_a_server_error_and_the_session_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db", quotas=UNLIMITED, bot_pause=3600) as srv:
        game, ada = await playing(srv, tmp_path)
        room = srv.server.rooms[game]
        before = room.state.seq
        append_all = srv.store.append_all

        def refuse_once(appends: Sequence[Append]) -> list[int | StoreError]:
            monkeypatch.setattr(srv.store, "append_all", append_all)
            raise StoreError("disk full")

        monkeypatch.setattr(srv.store, "append_all", refuse_once)
        since = len(ada.messages)
        await ada.send(say("lost", "lost"))
        await ada.send(say("kept", "kept"))
        await ada.wait(lambda m: m.get("id") == "kept" and m["type"] == "ack", since)
        answers = [(m["type"], m.get("id"), m.get("code")) for m in ada.messages[since:] if m.get("id")]
        assert answers == [("error", "lost", "server_error"), ("ack", "kept", None)]
        texts = [e.text for _, e in srv.store.events(game) if e.type == "message_sent"]
        assert texts == ["kept"]
        assert room.state.seq == before + 1
