"""Per-message deflate that compresses large messages only.

Compressing a message costs the server about 10 µs per connection (each connection keeps its own
deflate context, and two thousand of them do not fit in a CPU cache), and nearly every message of
a game is a small event sent to many seats: compressing those was a quarter of the server's time
under load, to save a few hundred bytes each. Views and replays, tens of kilobytes to megabytes
of repetitive JSON, are where compression pays. RFC 7692 lets a sender choose message by message
(the RSV1 bit marks a compressed one), so messages under `THRESHOLD` bytes go out as they are,
as Node's `ws` library does by default. The negotiation itself is `websockets`' own.
"""

from __future__ import annotations

from collections.abc import Sequence

from websockets.extensions.base import Extension, ServerExtensionFactory
from websockets.extensions.permessage_deflate import PerMessageDeflate, ServerPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.typing import ExtensionParameter

THRESHOLD = 1024
"""Messages shorter than this many bytes are sent uncompressed."""


class LargeOnlyDeflate(Extension):
    """`websockets`' PerMessageDeflate, except that a whole small message is not compressed."""

    name = PerMessageDeflate.name

    def __init__(self, deflate: PerMessageDeflate, threshold: int = THRESHOLD) -> None:
        self.deflate = deflate
        self.threshold = threshold

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        return self.deflate.decode(frame, max_size=max_size)

    def encode(self, frame: Frame) -> Frame:
        # Only a whole message (never a fragment) may skip compression: its RSV1 bit stays clear.
        whole = frame.fin and frame.opcode in (Opcode.TEXT, Opcode.BINARY)
        if whole and len(frame.data) < self.threshold:
            return frame
        return self.deflate.encode(frame)


class LargeOnlyDeflateFactory(ServerExtensionFactory):
    """Negotiates as `websockets`' default server extension does (12-bit windows, memLevel 5)."""

    name = ServerPerMessageDeflateFactory.name

    def __init__(self, threshold: int = THRESHOLD) -> None:
        self.deflate = ServerPerMessageDeflateFactory(
            server_max_window_bits=12, client_max_window_bits=12, compress_settings={"memLevel": 5}
        )
        self.threshold = threshold

    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], Extension]:
        response, deflate = self.deflate.process_request_params(params, accepted_extensions)
        return response, LargeOnlyDeflate(deflate, self.threshold)


def extensions(threshold: int = THRESHOLD) -> list[ServerExtensionFactory]:
    """The server's extensions: per-message deflate for messages of `threshold` bytes or more."""
    return [LargeOnlyDeflateFactory(threshold)]
