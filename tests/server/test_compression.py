"""Per-message deflate for large messages only: small messages go out uncompressed (RSV1 clear), large
ones compressed without context (so each distinct one is compressed once for every connection), and
a standard client decodes any mix of them, in any order."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.extensions.base import ClientExtensionFactory, Extension
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory, PerMessageDeflate
from websockets.frames import Frame, Opcode
from websockets.typing import ExtensionParameter

from crisisgame.server import compression
from crisisgame.server.compression import THRESHOLD, LargeOnlyDeflate, LargeOnlyDeflateFactory, Memo, deflate_whole
from tests.server.support import create_game, facilitator, running_server, short_scenario


def pair(memo: Memo | None = None) -> tuple[LargeOnlyDeflate, PerMessageDeflate]:
    """The server's side and a standard client's side of one connection, as the server negotiates it
    (each side compresses each message without context)."""
    server = LargeOnlyDeflate(PerMessageDeflate(True, True, 12, 12, {"memLevel": 5}), memo or Memo())
    client = PerMessageDeflate(True, True, 12, 12)
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


def test_a_large_message_sent_to_many_connections_is_compressed_once() -> None:
    memo = Memo()
    view = json.dumps({"outcomes": [{"rule": "balance.walt", "actor": f"A{i}"} for i in range(500)]}).encode()
    connections = [pair(memo) for _ in range(40)]
    sent = [server.encode(Frame(Opcode.TEXT, view)) for server, _ in connections]
    assert memo.hits == 39
    assert len({bytes(f.data) for f in sent}) == 1
    for (_, client), frame in zip(connections, sent, strict=True):
        assert client.decode(frame).data == view
    other = view.replace(b"A1", b"B1")
    assert server_sends(connections[0][0], other) != bytes(sent[0].data)  # another content, compressed anew
    assert memo.hits == 39


def test_a_buffer_changed_between_two_sends_is_compressed_anew() -> None:
    """The memo trusts an object it has seen only if that object is immutable bytes."""
    server, client = pair()
    buffer = bytearray(json.dumps({"outcomes": ["a"] * 800}).encode())
    first = client.decode(server.encode(Frame(Opcode.TEXT, buffer))).data
    buffer[:2] = b"[1"
    second = client.decode(server.encode(Frame(Opcode.TEXT, buffer))).data
    assert (bytes(first[:2]), bytes(second[:2])) == (b'{"', b"[1")


def server_sends(server: LargeOnlyDeflate, data: bytes) -> bytes:
    return bytes(server.encode(Frame(Opcode.TEXT, data)).data)


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

    def __init__(self, deflate: PerMessageDeflate, seen: list[tuple[bool, int, bytes]]) -> None:
        self.deflate, self.seen = deflate, seen

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        decoded = self.deflate.decode(frame, max_size=max_size)
        if frame.opcode in (Opcode.TEXT, Opcode.BINARY):
            self.seen.append((frame.rsv1, len(decoded.data), bytes(frame.data)))
        return decoded

    def encode(self, frame: Frame) -> Frame:
        return self.deflate.encode(frame)


class RecordingFactory(ClientExtensionFactory):
    name = ClientPerMessageDeflateFactory.name

    def __init__(self, seen: list[tuple[bool, int, bytes]]) -> None:
        self.standard = ClientPerMessageDeflateFactory(client_max_window_bits=True)
        self.seen = seen
        self.negotiated: PerMessageDeflate | None = None

    def get_request_params(self) -> Sequence[ExtensionParameter]:
        return self.standard.get_request_params()

    def process_response_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> Extension:
        self.negotiated = self.standard.process_response_params(params, accepted_extensions)
        return Recording(self.negotiated, self.seen)


async def test_the_server_compresses_views_once_for_a_seat_and_not_small_messages(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        seen: dict[str, list[tuple[bool, int, bytes]]] = {"Ada": [], "Al": []}
        for name, frames in seen.items():  # two students of one team
            factory = RecordingFactory(frames)
            async with connect(srv.url, extensions=[factory], compression=None) as ws:
                await ws.send(json.dumps({"type": "join", "code": created["codes"]["ALPHA"], "name": name}))
                welcome, view = json.loads(await ws.recv()), json.loads(await ws.recv())
                await ws.send(json.dumps({"type": "ping"}))
                pong = json.loads(await ws.recv())
            assert factory.negotiated is not None
            assert factory.negotiated.remote_no_context_takeover  # the server declared it
            assert factory.negotiated.local_no_context_takeover  # and asked it of the client
            assert (welcome["type"], view["type"], pong["type"]) == ("welcome", "view", "pong")
            assert [compressed for compressed, _, _ in frames] == [False, True, False]
            assert frames[1][1] > THRESHOLD > max(frames[0][1], frames[2][1])
        assert seen["Ada"][1][2] == seen["Al"][1][2]  # the same view, compressed to the same bytes

        async with connect(srv.url, compression=None) as plain:  # a client without the extension
            await plain.send(json.dumps({"type": "join", "code": created["codes"]["BETA"], "name": "Bea"}))
            assert json.loads(await plain.recv())["type"] == "welcome"
            assert json.loads(await plain.recv())["type"] == "view"


def large_view(tag: str = "A") -> bytes:
    return json.dumps({"outcomes": [{"rule": "balance.walt", "actor": f"{tag}{i}"} for i in range(800)]}).encode()


def test_a_message_compressed_whole_is_what_the_standard_extension_sends_for_it() -> None:
    view = large_view()
    standard = PerMessageDeflate(True, True, 12, 12, {"memLevel": 5})
    assert deflate_whole(view, 12, {"memLevel": 5}) == bytes(standard.encode(Frame(Opcode.TEXT, view)).data)


async def test_a_view_readied_ahead_is_compressed_in_a_worker_thread_and_sent_from_the_memo() -> None:
    factory = LargeOnlyDeflateFactory()
    _, server = factory.process_request_params([], [])
    client = PerMessageDeflate(True, True, 12, 12)
    view = large_view()
    threads: list[str] = []
    deflate = compression.deflate_whole

    def traced(data: bytes, window_bits: int, settings: Mapping[str, Any]) -> bytes:
        threads.append(threading.current_thread().name)
        return deflate(data, window_bits, settings)

    compression.deflate_whole = traced
    try:
        await factory.ready(view)
        await factory.ready(view)  # (the same object again: held already)
        await factory.ready(b'{"type":"ack"}')  # (a small message: sent as it is, nothing to ready)
    finally:
        compression.deflate_whole = deflate
    assert len(threads) == 1
    assert threads[0].startswith("deflate")  # (the compression pool's, not the loop's nor the default pool's)
    assert factory.memo.ahead == 1
    sent = [server.encode(Frame(Opcode.TEXT, view)) for _ in range(3)]  # three connections of a seat
    assert factory.memo.hits == 3
    assert all(client.decode(frame).data == view for frame in sent)


def test_each_bytes_object_is_hashed_once_and_a_new_object_of_the_same_content_found_by_its_digest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memo = Memo()
    server, client = pair(memo)
    hashed: list[int] = []
    digest_of = compression.digest_of

    def counted(data: bytes) -> bytes:
        hashed.append(len(data))
        return digest_of(data)

    monkeypatch.setattr(compression, "digest_of", counted)
    view = large_view()
    for _ in range(5):
        server.encode(Frame(Opcode.TEXT, view))
    assert len(hashed) == 1
    again = bytes(bytearray(view))  # the same content in another object: hashed, then found compressed
    assert again is not view
    assert client.decode(server.encode(Frame(Opcode.TEXT, again))).data == view
    assert len(hashed) == 2
    assert memo.hits == 5


async def test_views_are_compressed_ahead_while_the_default_pool_is_busy_with_slow_work() -> None:
    """A debrief's bot runs, a fork or an ended game read back take the default pool's threads for
    seconds; the views of a phase change meanwhile are compressed in threads of their own."""
    factory = LargeOnlyDeflateFactory()
    loop = asyncio.get_running_loop()
    release = threading.Event()
    slow = [loop.run_in_executor(None, release.wait, 30) for _ in range(64)]  # (more than the pool has threads)
    try:
        async with asyncio.timeout(10):
            await factory.ready(large_view())
        assert factory.memo.ahead == 1
        factory.close()
        async with asyncio.timeout(10):
            await factory.ready(large_view("B"))  # (after `close`, as when a server serves again)
        assert factory.memo.ahead == 2
    finally:
        release.set()
        await asyncio.gather(*slow)
        factory.close()
