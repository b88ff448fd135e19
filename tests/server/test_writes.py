"""What a group commit publishes goes out in one write per connection: a sender's event and its
acknowledgement together, and every step of one flush together (one system call, not one per step
and one more per acknowledgement). Real server, real websockets, real SQLite."""

from __future__ import annotations

import asyncio
from pathlib import Path

from crisisgame.engine.commands import SendMessage
from crisisgame.server.connection import Connection
from tests.server.support import (
    UNLIMITED,
    Client,
    Running,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]


def record_writes(srv: Running, seat: str) -> list[bytes]:
    """Every write to the server's connection of `seat` from now on."""
    [conn] = [c for c in srv.server.connections if isinstance(c, Connection) and c.seat == seat]
    transport = conn.ws.transport
    write = transport.write
    writes: list[bytes] = []

    def recorded(data: bytes | bytearray | memoryview) -> None:
        writes.append(bytes(data))
        write(data)

    transport.write = recorded  # type: ignore[method-assign]
    return writes


async def playing(srv: Running, tmp_path: Path) -> tuple[str, dict[str, Client]]:
    lobby = await facilitator(srv)
    created = await create_game(lobby, short_scenario(tmp_path, briefing=60), TEAMS)
    control = await facilitator(srv, created["game"])
    await control.ok({"type": "start"})
    await control.ok({"type": "advance"})
    assert srv.server.rooms[created["game"]].state.phase == "diplomacy"
    students = {seat: await join(srv, created["codes"][seat], seat) for seat in TEAMS}
    return created["game"], students


async def test_a_senders_event_and_its_ack_go_out_in_one_write(tmp_path: Path) -> None:
    async with running_server(tmp_path / "games.db", quotas=UNLIMITED, bot_pause=3600) as srv:
        _, students = await playing(srv, tmp_path)
        sender, listener = record_writes(srv, "ALPHA"), record_writes(srv, "BETA")
        seq = await students["ALPHA"].ok({"type": "send_message", "channel": "public", "text": "one write"})
        await students["BETA"].wait(lambda m: m["type"] == "event" and m["seq"] == seq)
        assert len(sender) == 1, sender
        assert b'"type":"event"' in sender[0]
        assert b'"type":"ack"' in sender[0]
        assert sender[0].index(b'"type":"event"') < sender[0].index(b'"type":"ack"')  # the event, then its ack
        assert len(listener) == 1
        assert b'"type":"ack"' not in listener[0]


async def test_the_steps_of_one_group_commit_reach_a_connection_in_one_write(tmp_path: Path) -> None:
    async with running_server(tmp_path / "games.db", quotas=UNLIMITED, bot_pause=3600) as srv:
        game, students = await playing(srv, tmp_path)
        room = srv.server.rooms[game]
        listener = record_writes(srv, "GAMMA")
        flushes = room.writer.flushes
        seqs = await asyncio.gather(
            room.execute(SendMessage(by="ALPHA", channel="public", text="first")),
            room.execute(SendMessage(by="BETA", channel="public", text="second")),
        )
        assert room.writer.flushes == flushes + 1  # (both proposed in one turn of the loop: one transaction)
        await students["GAMMA"].wait(lambda m: m["type"] == "event" and m["seq"] == seqs[1])
        assert len(listener) == 1, listener
        assert listener[0].count(b'"type":"event"') == 2
        texts = [m["event"]["text"] for m in students["GAMMA"].events() if m["event"]["type"] == "message_sent"]
        assert texts[-2:] == ["first", "second"]
