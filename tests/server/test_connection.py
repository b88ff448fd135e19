"""A connection writes each batch in one write, framing small messages itself: the frames are the ones
`websockets` would write, a batch the room hands several connections is framed once, and a client
with compression and one without get the same messages, in order, views and all."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from websockets.frames import Frame, Opcode

from crisisgame.server.connection import Connection, text_frame
from crisisgame.server.room import Batch
from tests.server.support import (
    UNLIMITED,
    Client,
    create_game,
    event_at,
    facilitator,
    running_server,
    short_scenario,
)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 1023, 65535, 65536, 70000])
def test_a_text_frame_is_what_websockets_writes_for_the_message(size: int) -> None:
    payload = (b'{"text":"\xc3\xbc' + b"x" * size)[:size]
    assert text_frame(payload) == Frame(Opcode.TEXT, payload).serialize(mask=False, extensions=[])


async def test_a_batch_is_framed_once_and_both_kinds_of_client_get_every_message_in_order(tmp_path: Path) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db", quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        game, code = created["game"], created["codes"]["ALPHA"]
        clients = [
            await Client.connect(srv.url, "deflate"),  # (the library's default: permessage-deflate)
            await Client.connect(srv.url, "plain", compression=None),
        ]
        for i, client in enumerate(clients):
            welcome = await client.sign_in({"type": "join", "code": code, "name": f"Student {i}"})
            assert welcome["type"] == "welcome"
        sides = [c for c in srv.server.connections if c.seat == "ALPHA"]
        assert sorted(c.raw_below for c in sides)[0] < len(json.dumps(clients[0].latest_view()))  # (a view is large)

        framed: list[tuple[Connection, Batch, bytes | None]] = []
        deliver = Connection.deliver_all

        def spy(self: Connection, messages: Batch) -> None:
            deliver(self, messages)
            if isinstance(messages, Batch):
                framed.append((self, messages, messages.wire))

        control = await facilitator(srv, game)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Connection, "deliver_all", spy)
            await control.ok({"type": "start"})  # events and a fresh view for every seat
            seq = await clients[0].ok({"type": "send_message", "channel": "public", "text": "hello, all"})
            for client in clients:
                await client.wait(event_at(seq))

        deflate, plain = ([m for m in c.messages[1:] if m["type"] != "ack"] for c in clients)  # (after welcome)
        assert deflate == plain
        assert [m["type"] for m in deflate].count("view") >= 2  # the join's, then the start's

        message_batches = [b for _, b, _ in framed if len(b) == 1 and b"hello, all" in b[0]]
        assert len({id(b) for b in message_batches}) == 1  # one batch for every seat sent the public message
        assert len(message_batches) >= 3  # both students and the facilitator's console
        wires = [wire for _, b, wire in framed if b is message_batches[0]]
        assert all(wire is not None for wire in wires)
        assert len({id(wire) for wire in wires}) == 1  # framed once, the same bytes for every connection
        for client in (*clients, control):
            await client.close()
