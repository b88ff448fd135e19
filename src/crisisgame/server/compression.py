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

import hashlib
from collections import OrderedDict
from collections.abc import Sequence

from websockets.extensions.base import Extension, ServerExtensionFactory
from websockets.extensions.permessage_deflate import PerMessageDeflate, ServerPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.typing import ExtensionParameter

THRESHOLD = 1024
"""Messages shorter than this many bytes are sent uncompressed."""
MEMO_ENTRIES = 64
"""Compressed messages kept for reuse: every seat's latest view, for a few games at once."""


class Memo:
    """The compressed form of recent large messages, keyed by a digest of their bytes and the settings."""

    def __init__(self, entries: int = MEMO_ENTRIES) -> None:
        self.entries = entries
        self.kept: OrderedDict[tuple[bytes, int, int], bytes] = OrderedDict()
        self.hits = 0
        self._last: tuple[object, bytes] = (None, b"")
        """The last message's bytes object and digest: the room hands every connection of a seat the
        same object, so a view of a megabyte is hashed once, not once per connection."""

    def encode(self, deflate: PerMessageDeflate, frame: Frame) -> Frame:
        """`deflate.encode(frame)` for a whole message compressed without context, once per content."""
        last, digest = self._last
        if frame.data is not last or type(last) is not bytes:  # (an object that cannot change since)
            digest = hashlib.blake2b(frame.data, digest_size=16).digest()
            self._last = (frame.data, digest)
        key = (digest, frame.opcode, deflate.local_max_window_bits)
        compressed = self.kept.get(key)
        if compressed is not None:
            self.hits += 1
            self.kept.move_to_end(key)
            return Frame(frame.opcode, compressed, fin=True, rsv1=True)
        encoded = deflate.encode(frame)
        self.kept[key] = bytes(encoded.data)
        if len(self.kept) > self.entries:
            self.kept.popitem(last=False)
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

    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], Extension]:
        response, deflate = self.deflate.process_request_params(params, accepted_extensions)
        return response, LargeOnlyDeflate(deflate, self.memo, self.threshold)


def extensions(threshold: int = THRESHOLD) -> list[ServerExtensionFactory]:
    """The server's extensions: per-message deflate for messages of `threshold` bytes or more."""
    return [LargeOnlyDeflateFactory(threshold)]
