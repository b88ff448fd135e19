"""Per-message deflate that compresses large messages only, and each distinct one only once.

Compressing a message costs the server about 10 µs per connection (each connection keeps its own
deflate context, and two thousand of them do not fit in a CPU cache), and nearly every message of
a game is a small event sent to many seats: compressing those was a quarter of the server's time
under load, to save a few hundred bytes each. Views and replays, tens of kilobytes to megabytes
of repetitive JSON, are where compression pays. RFC 7692 lets a sender choose message by message
(the RSV1 bit marks a compressed one), so messages under `THRESHOLD` bytes go out as they are,
as Node's `ws` library does by default.

The server also declares `server_no_context_takeover` (RFC 7692 lets a server do so whatever the
client offered): each message it compresses is compressed on its own, so the same view sent to the
forty connections of a class is compressed once (`Memo`), not forty times, and no connection keeps
a compressor between messages. A view is far larger than the 4 KiB window that context takeover
would share across messages, so it loses next to nothing. It asks the same of the client
(`client_no_context_takeover`, which RFC 7692 section 7.1.1.2 lets a server ask whatever the
client offered): a client's messages are short commands that a shared window barely shrinks, and
a decompressor kept between messages would hold some 11 KiB for every connection, most of its
memory, where one made per message is freed with it. The negotiation is `websockets`' own.
"""

from __future__ import annotations

import asyncio
import hashlib
import zlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from websockets.extensions.base import Extension, ServerExtensionFactory
from websockets.extensions.permessage_deflate import PerMessageDeflate, ServerPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.typing import ExtensionParameter

THRESHOLD = 1024
"""Messages shorter than this many bytes are sent uncompressed."""
MEMO_ENTRIES = 64
"""Compressed messages kept for reuse: every seat's latest view, for a few games at once."""
WORKERS = 2
"""Threads that compress views ahead (`LargeOnlyDeflateFactory.ready`): a pool of their own, so that
the slow work of the default pool (a debrief's bot runs, a fork, an ended game read back) never
delays the views of a phase change; zlib releases the interpreter lock, and two threads are as many
as the machines a class uses have cores to spare beside the event loop."""


def deflate_whole(data: bytes, window_bits: int, settings: Mapping[str, Any]) -> bytes:
    """`data` compressed as one whole message without context, byte for byte what `websockets`'
    PerMessageDeflate (`encode`, with no context takeover) sends for it."""
    encoder = zlib.compressobj(wbits=-window_bits, **settings)
    compressed = encoder.compress(data) + encoder.flush(zlib.Z_SYNC_FLUSH)
    return compressed[:-4]  # (the empty block a sync flush ends with, which RFC 7692 leaves out)


def digest_of(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Memo:
    """The compressed form of recent large messages, keyed by a digest of their bytes and the settings."""

    def __init__(self, entries: int = MEMO_ENTRIES) -> None:
        self.entries = entries
        self.kept: OrderedDict[tuple[bytes, int, int], bytes] = OrderedDict()
        self.hits = 0
        self.ahead = 0
        """Messages compressed ahead, in a worker thread (`LargeOnlyDeflateFactory.ready`)."""
        self._known: OrderedDict[int, tuple[bytes, bytes]] = OrderedDict()
        """The digests of the last `entries` messages (bytes objects) seen, by identity: the room hands
        every connection of a seat the same object, so a view is hashed once, not once per connection,
        and not again when it was compressed ahead. (The object is kept with its digest, so that its id
        is not reused meanwhile.)"""

    def digest(self, data: bytes | bytearray | memoryview) -> bytes:
        """The digest of a message, hashed once per immutable bytes object."""
        if type(data) is not bytes:  # (a buffer that may change since)
            return digest_of(bytes(data))
        known = self._known.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        found = digest_of(data)
        self.remember(data, found)
        return found

    def remember(self, data: bytes, digest: bytes) -> None:
        self._known[id(data)] = (data, digest)
        self._known.move_to_end(id(data))
        if len(self._known) > self.entries:
            self._known.popitem(last=False)

    def known(self, data: bytes, opcode: int, window_bits: int) -> bool:
        """Whether this very bytes object is held compressed with these settings."""
        known = self._known.get(id(data))
        return known is not None and known[0] is data and (known[1], opcode, window_bits) in self.kept

    def put(self, key: tuple[bytes, int, int], compressed: bytes) -> None:
        self.kept[key] = compressed
        self.kept.move_to_end(key)
        if len(self.kept) > self.entries:
            self.kept.popitem(last=False)

    def encode(self, deflate: PerMessageDeflate, frame: Frame) -> Frame:
        """`deflate.encode(frame)` for a whole message compressed without context, once per content."""
        key = (self.digest(frame.data), frame.opcode, deflate.local_max_window_bits)
        compressed = self.kept.get(key)
        if compressed is not None:
            self.hits += 1
            self.kept.move_to_end(key)
            return Frame(frame.opcode, compressed, fin=True, rsv1=True)
        encoded = deflate.encode(frame)
        self.put(key, bytes(encoded.data))
        return encoded


class LargeOnlyDeflate(Extension):
    """`websockets`' PerMessageDeflate, except that a whole small message is not compressed and a
    whole large one is compressed through the server's `Memo`."""

    name = PerMessageDeflate.name

    def __init__(self, deflate: PerMessageDeflate, memo: Memo, threshold: int = THRESHOLD) -> None:
        self.deflate = deflate
        self.memo = memo
        self.threshold = threshold

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        return self.deflate.decode(frame, max_size=max_size)

    def encode(self, frame: Frame) -> Frame:
        # Only a whole message (never a fragment) may skip compression: its RSV1 bit stays clear.
        whole = frame.fin and frame.opcode in (Opcode.TEXT, Opcode.BINARY)
        if whole and len(frame.data) < self.threshold:
            return frame
        if whole and self.deflate.local_no_context_takeover:
            return self.memo.encode(self.deflate, frame)
        return self.deflate.encode(frame)


class LargeOnlyDeflateFactory(ServerExtensionFactory):
    """Negotiates as `websockets`' default server extension does (12-bit windows, memLevel 5), and
    declares that each side compresses each message without context."""

    name = ServerPerMessageDeflateFactory.name

    def __init__(self, threshold: int = THRESHOLD) -> None:
        self.deflate = ServerPerMessageDeflateFactory(
            server_no_context_takeover=True,
            client_no_context_takeover=True,
            server_max_window_bits=12,
            client_max_window_bits=12,
            compress_settings={"memLevel": 5},
        )
        self.memo = Memo()
        self.threshold = threshold
        self._pool: ThreadPoolExecutor | None = None

    async def ready(self, message: bytes) -> None:
        """Compress a large text message ahead, in a worker thread (zlib and the digest release the
        interpreter lock: the event loop goes on meanwhile), into the memo, where every connection's
        `encode` of the very same bytes object finds it: a seat's view is sent without compressing
        it on the loop. Connections that negotiated other settings (none, from a standard client)
        compress it themselves."""
        bits = self.deflate.server_max_window_bits or 15
        if len(message) < self.threshold or self.memo.known(message, Opcode.TEXT, bits):
            return
        settings = self.deflate.compress_settings or {}
        if self._pool is None:
            self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="deflate")
        digest, compressed = await asyncio.get_running_loop().run_in_executor(
            self._pool, _digest_and_deflate, message, bits, settings
        )
        self.memo.remember(message, digest)
        self.memo.put((digest, Opcode.TEXT, bits), compressed)
        self.memo.ahead += 1

    def close(self) -> None:
        """Let the compressing threads go (when the server stops; `ready` starts them again if needed)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], Extension]:
        response, deflate = self.deflate.process_request_params(params, accepted_extensions)
        return response, LargeOnlyDeflate(deflate, self.memo, self.threshold)


def _digest_and_deflate(data: bytes, window_bits: int, settings: Mapping[str, Any]) -> tuple[bytes, bytes]:
    return digest_of(data), deflate_whole(data, window_bits, settings)


def extensions(threshold: int = THRESHOLD) -> list[ServerExtensionFactory]:
    """The server's extensions: per-message deflate for messages of `threshold` bytes or more."""
    return [LargeOnlyDeflateFactory(threshold)]
