"""Per-message deflate for large messages only: small messages go out uncompressed (RSV1 clear), large
ones compressed, and a standard client decodes any mix of them, in any order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.extensions.base import ClientExtensionFactory, Extension
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory, PerMessageDeflate
from websockets.frames import Frame, Opcode
from websockets.typing import ExtensionParameter

from crisisgame.server.compression import THRESHOLD, LargeOnlyDeflate
from tests.server.support import create_game, facilitator, running_server, short_scenario


def pair() -> tuple[LargeOnlyDeflate, PerMessageDeflate]:
    """The server's side and a standard client's side of one negotiated connection."""
    server = LargeOnlyDeflate(PerMessageDeflate(False, False, 12, 12, {"memLevel": 5}))
    client = PerMessageDeflate(False, False, 12, 12)
    return server, client


def test_a_small_message_is_sent_as_it_is_and_a_large_one_compressed() -> None:
    server, client = pair()
    small = Frame(Opcode.TEXT, b'{"type":"ack","seq":12}')
    large = Frame(Opcode.TEXT, json.dumps([{"actor": "USA", "cinc": 0.14}] * 200).encode())
    assert len(small.data) < THRESHOLD <= len(large.data)

    sent_small, sent_large = server.encode(small), server.encode(large)
    assert not sent_small.rsv1
    assert sent_small.data == small.data
    assert sent_large.rsv1
    assert len(sent_large.data) < len(large.data) // 10
    assert client.decode(sent_large).data == large.data
    assert client.decode(sent_small).data == small.data


def test_fragments_and_control_frames_follow_the_standard_extension() -> None:
    server, client = pair()
    first = server.encode(Frame(Opcode.TEXT, b"part one, ", fin=False))
    rest = server.encode(Frame(Opcode.CONT, b"part two"))
    assert first.rsv1  # a fragmented message is compressed whole, however short
    assert bytes(client.decode(first).data) + bytes(client.decode(rest).data) == b"part one, part two"
    ping = Frame(Opcode.PING, b"keepalive")
    assert server.encode(ping) == ping


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 4 * THRESHOLD), min_size=1, max_size=30))
def test_any_mix_of_small_and_large_messages_decodes_in_order(sizes: list[int]) -> None:
    """Uncompressed messages between compressed ones leave both deflate contexts in step."""
    server, client = pair()
    words = [b"alliance ", b"threat ", b"USA ", b"0.25 ", b'{"seq":', b"}"]
    for i, size in enumerate(sizes):
        body = b"".join(words[(i * 7 + k) % len(words)] for k in range(size // 5 + 1))[:size]
        frame = server.encode(Frame(Opcode.TEXT, body))
        assert frame.rsv1 == (size >= THRESHOLD)
        assert client.decode(frame).data == body


class Recording(Extension):
    """A client's standard per-message deflate that notes, per message, whether it came compressed."""

    name = PerMessageDeflate.name

    def __init__(self, deflate: Extension, seen: list[tuple[bool, int]]) -> None:
        self.deflate, self.seen = deflate, seen

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        decoded = self.deflate.decode(frame, max_size=max_size)
        if frame.opcode in (Opcode.TEXT, Opcode.BINARY):
            self.seen.append((frame.rsv1, len(decoded.data)))
        return decoded

    def encode(self, frame: Frame) -> Frame:
        return self.deflate.encode(frame)


class RecordingFactory(ClientExtensionFactory):
    name = ClientPerMessageDeflateFactory.name

    def __init__(self, seen: list[tuple[bool, int]]) -> None:
        self.standard = ClientPerMessageDeflateFactory(client_max_window_bits=True)
        self.seen = seen

    def get_request_params(self) -> Sequence[ExtensionParameter]:
        return self.standard.get_request_params()

    def process_response_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> Extension:
        return Recording(self.standard.process_response_params(params, accepted_extensions), self.seen)


async def test_the_server_compresses_views_but_not_small_messages(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        seen: list[tuple[bool, int]] = []
        async with connect(srv.url, extensions=[RecordingFactory(seen)], compression=None) as ws:
            await ws.send(json.dumps({"type": "join", "code": created["codes"]["ALPHA"], "name": "Ada"}))
            welcome, view = json.loads(await ws.recv()), json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "ping"}))
            pong = json.loads(await ws.recv())
        assert (welcome["type"], view["type"], pong["type"]) == ("welcome", "view", "pong")
        assert [compressed for compressed, _ in seen] == [False, True, False]
        assert seen[1][1] > THRESHOLD > max(seen[0][1], seen[2][1])

        async with connect(srv.url, compression=None) as plain:  # a client without the extension
            await plain.send(json.dumps({"type": "join", "code": created["codes"]["BETA"], "name": "Bea"}))
            assert json.loads(await plain.recv())["type"] == "welcome"
            assert json.loads(await plain.recv())["type"] == "view"
