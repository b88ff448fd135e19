"""The limits the server holds every client to: backlog, rate, sign-in time, connection caps and the
Origin/Host checks' settings (`serve` options set them; tests tighten them)."""

from __future__ import annotations

from dataclasses import dataclass

REPLAY = 500
"""Messages a resuming client is sent at most to catch up (`Limits.replay`, by default); past that, the
newest view its seat's outbox holds and what followed it, if they are fewer, else one fresh view."""


@dataclass
class Limits:
    """The server's protection against slow, noisy or hostile clients."""

    backlog: int = 4 * 1024 * 1024
    """Bytes written for one client and not yet taken by its network before it is dropped as too
    slow (it can resume). Checked before each batch of messages (one adjudication may bring a seat
    hundreds, or a view of a megabyte), so a batch is written whole if the client is less behind."""
    replay: int = REPLAY
    """Messages a resuming client is sent at most to catch up; past that, the newest view held and what
    followed it if they are fewer, else one fresh view (`Room.missed`). (A room keeps `REPLAY + 1` per
    seat, `room.OUTBOX`: a higher limit replays no longer gap.)"""
    rate: float = 20.0
    """Messages per second a connection may send, on average..."""
    burst: float = 60.0
    """...and in a burst."""
    sign_in_timeout: float = 30.0
    """Seconds from connecting to signing in (join, resume or facilitate) before the server hangs up."""
    close_timeout: float = 5.0
    """Seconds a closing handshake may take before the server drops the TCP connection (a client that
    stopped reading never answers it, and would otherwise hold its connection open forever)."""
    connections_per_address: int = 200
    """A classroom shares one public address behind NAT; this bounds a runaway script, not a class."""
    connections: int = 4000
    """Websocket connections the server holds at most, from all addresses (`serve --max-connections`)."""
    origins: list[str] | None = None
    """Origins allowed besides the page's own (`serve --origins`): a browser page from any other site
    is refused (403), so a site a student visits cannot act with the student's session."""
    allow_no_origin: bool = True
    """Allow websocket clients that send no Origin (scripts and bots; every browser sends one)."""
    check_host: bool = True
    """Refuse requests whose Host is a name this server was not started for (DNS rebinding)."""
    flood_close: int = 200
    """Messages in a row a connection may send past its rate limit before it is closed (1008): the
    limiter answers a flood cheaply, and does not answer it forever."""
