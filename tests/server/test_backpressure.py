"""A stalled client beside active ones: a phone that stops reading must not slow anyone else down.

The stalled socket has a tiny receive buffer and its transport stops reading, so the server's writes
to it back up. The other teams' deliveries must stay fast; the stalled client is dropped (its closing
handshake bounded, since it never reads the close frame) and can resume to get what it missed.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from crisisgame.server.app import Connection, Limits
from tests.server.support import (
    UNLIMITED,
    Client,
    congest,
    create_game,
    event_at,
    facilitator,
    join,
    running_server,
    short_scenario,
    until,
)

pytestmark = pytest.mark.timing
"""These tests race the wall clock: `make test` runs them after the parallel run, alone."""

MESSAGES = 120
TEXTS = [secrets.token_urlsafe(2900) for _ in range(MESSAGES)]
"""Random text: the frames are compressed (permessage-deflate), and they must stay big on the wire."""


async def drain(ws: ClientConnection) -> None:
    async with asyncio.timeout(5):
        while True:
            await ws.recv()


async def test_a_stalled_client_does_not_delay_the_others_and_is_dropped_then_resumes(tmp_path: Path) -> None:
    limits = Limits(backlog=64 * 1024, close_timeout=1.0, rate=1000, burst=1000)
    async with asyncio.timeout(40), running_server(tmp_path / "games.db", limits=limits, quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA", "GAMMA"])
        game, codes = created["game"], created["codes"]
        alpha = await join(srv, codes["ALPHA"], "Ada", "ALPHA")
        beta = await join(srv, codes["BETA"], "Bea", "BETA")
        control = await facilitator(srv, game)
        await control.ok({"type": "start"})
        await beta.wait(lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "diplomacy")
        room = srv.server.rooms[game]

        # GAMMA signs in on a socket with a tiny receive buffer, then stops reading altogether.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", srv.port))
        stalled = await connect(srv.url, sock=sock, max_queue=1, open_timeout=10)
        await stalled.send(json.dumps({"type": "join", "code": codes["GAMMA"], "name": "Gus"}))
        welcome = json.loads(await asyncio.wait_for(stalled.recv(), 5))
        assert welcome["seat"] == "GAMMA"
        token, joined_at = welcome["token"], welcome["seq"]
        stalled.transport.pause_reading()
        # A congested link: the kernel would otherwise buffer megabytes for it on loopback.
        [server_side] = [s for s in room.subscribers if isinstance(s, Connection) and s.seat == "GAMMA"]
        congest(server_side, 8192)
        assert any(s.seat == "GAMMA" for s in room.subscribers)

        # The others keep talking; every message reaches BETA at once.
        latencies: list[float] = []
        for i in range(MESSAGES):
            since = len(beta.messages)
            sent = time.perf_counter()
            seq = await alpha.ok({"type": "send_message", "channel": "public", "text": TEXTS[i]})
            await beta.wait(event_at(seq), since)
            latencies.append(time.perf_counter() - sent)
        latencies.sort()
        assert latencies[len(latencies) // 2] < 0.1, latencies[-5:]
        assert latencies[-1] < 0.8, latencies[-5:]

        # The stalled client is dropped: unsubscribed, and its connection closed within the bounds.
        await until(lambda: all(s.seat != "GAMMA" for s in room.subscribers), timeout=5)
        await until(lambda: srv.server.per_address == {"127.0.0.1": 4}, timeout=5)  # its handler has returned
        stalled.transport.resume_reading()
        with pytest.raises(ConnectionClosed):  # what was in flight, then the end of the connection
            await drain(stalled)

        # It comes back and gets every message it missed, in order.
        back = await Client.connect(srv.url, "GAMMA")
        assert (await back.sign_in({"type": "resume", "token": token, "last_seq": joined_at}))["type"] == "welcome"
        last = room.state.seq
        await back.wait(lambda m: m["type"] == "event" and m["seq"] == last)
        got = [m["event"]["text"] for m in back.events() if m["event"]["type"] == "message_sent"]
        assert got == TEXTS
        assert back.events() == [m for m in beta.events() if m["seq"] > joined_at]
