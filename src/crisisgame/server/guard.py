"""The server's guards against abuse that stays within the protocol: quotas per student and per team,
failed-join back-off per address, Origin and Host checks, and text that is safe to echo.

Everything here is plain bookkeeping on numbers the caller passes in (the time included), so each
guard is cheap to consult on every message and testable without a network.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MEMBER_RATE = 2.0
"""Commands per second a student may send on average, over all their connections (a person types
and clicks at about one per second; a script at hundreds)..."""
MEMBER_BURST = 20.0
"""...and in a burst (submitting orders or answering several proposals sends a handful at once)."""
SEAT_RATE = 5.0
"""Commands per second a team may send on average, over all its students and connections..."""
SEAT_BURST = 40.0
"""...and in a burst. Five students of one team each at their own quota still get only this."""
MEMBER_BYTES_PER_TURN = 32 * 1024
"""Bytes of commands (their JSON) a student may send per turn: about 25 pages of messages."""
SEAT_BYTES_PER_TURN = 64 * 1024
"""Bytes of commands a team may send per turn, over all its students. Every message a team writes is
kept in the game and shown to its readers for the rest of the game: this bounds what one team can
add to every view (a class writes a few kilobytes per team and turn)."""
JOIN_FAILURES_FREE = 10
"""Wrong join codes an address may send before it must wait (a class behind one NAT address mistypes)."""
JOIN_FORGIVE_SECONDS = 30.0
"""One wrong code is forgotten per this many seconds."""
JOIN_BACKOFF_MAX = 60.0
"""Longest wait after wrong codes: the wait doubles with each wrong code past the free ones, up to this."""
GUARD_ENTRIES = 10_000
"""Addresses tracked at most by the join guard; forgiven ones are pruned first."""
ECHO_CHARS = 60
"""Characters of a client's value an error message quotes back at most."""

_LONE_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]", re.ASCII)
_LONE_SURROGATE_ESCAPE_TEXT = re.compile(r"\\u[dD][89a-fA-F]", re.ASCII)


@dataclass(slots=True)
class _Account:
    """One student's or one team's quotas: a token bucket (`tokens` as of `at`) and the bytes `used` in
    `turn`. A new one is a full bucket, whenever it was made (a bucket fills up to its burst, no more)."""

    tokens: float
    at: float
    turn: int = 0
    used: int = 0

    def take(self, rate: float, burst: float, now: float) -> bool:
        self.tokens = min(burst, self.tokens + (now - self.at) * rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class Quotas:
    """Per student (member) and per team (seat of a game): commands per second and bytes per turn.

    The facilitator and the bots are not held to quotas; observers send no commands.
    """

    member_rate: float = MEMBER_RATE
    member_burst: float = MEMBER_BURST
    seat_rate: float = SEAT_RATE
    seat_burst: float = SEAT_BURST
    member_bytes: int = MEMBER_BYTES_PER_TURN
    seat_bytes: int = SEAT_BYTES_PER_TURN
    _accounts: dict[tuple[str, ...], _Account] = field(default_factory=dict)

    def refuse(self, game: str, seat: str, member: str, turn: int, size: int, now: float) -> str | None:
        """Why this command is over a quota (nothing is counted then), or None (it is counted)."""
        accounts = self._accounts
        member_key, seat_key = ("m", game, member), ("s", game, seat)
        mine = accounts.get(member_key)
        if mine is None:
            mine = accounts[member_key] = _Account(self.member_burst, now)
        team = accounts.get(seat_key)
        if team is None:
            team = accounts[seat_key] = _Account(self.seat_burst, now)
        used_member = mine.used if mine.turn == turn else 0
        used_seat = team.used if team.turn == turn else 0
        if used_member + size > self.member_bytes:
            kib = self.member_bytes // 1024
            return f"you have sent {kib} KiB this turn, the most one student may: wait for the next turn"
        if used_seat + size > self.seat_bytes:
            kib = self.seat_bytes // 1024
            return f"your team has sent {kib} KiB this turn, the most one team may: wait for the next turn"
        if not mine.take(self.member_rate, self.member_burst, now):
            return f"too many commands: slow down ({self.member_rate:g} per second per student at most)"
        if not team.take(self.seat_rate, self.seat_burst, now):
            mine.tokens += 1  # (not counted against the student)
            return f"too many commands from your team: slow down ({self.seat_rate:g} per second per team at most)"
        mine.turn, mine.used = turn, used_member + size
        team.turn, team.used = turn, used_seat + size
        return None

    @classmethod
    def off(cls) -> Quotas:
        """Quotas that never bind (`serve --no-quotas`, for load benchmarks)."""
        unbounded = float(2**40)
        return cls(unbounded, unbounded, unbounded, unbounded, 2**40, 2**40)


@dataclass
class _Failures:
    count: float
    at: float
    blocked_until: float = 0.0


@dataclass
class JoinGuard:
    """Wrong join codes per address: some free, then a wait that doubles with each further wrong code.

    Consulted before the code is looked up, so an address that is waiting costs one dict lookup.
    """

    free: int = JOIN_FAILURES_FREE
    forgive: float = JOIN_FORGIVE_SECONDS
    backoff_max: float = JOIN_BACKOFF_MAX
    _seen: dict[str, _Failures] = field(default_factory=dict)

    def wait(self, address: str, now: float) -> float:
        """Seconds this address must wait before its next join attempt (0: it may try now)."""
        entry = self._seen.get(address)
        return max(0.0, entry.blocked_until - now) if entry is not None else 0.0

    def failed(self, address: str, now: float) -> float:
        """Count a wrong code from this address; the seconds it must now wait."""
        entry = self._seen.get(address)
        if entry is None:
            if len(self._seen) >= GUARD_ENTRIES:
                self._prune(now)
            entry = self._seen[address] = _Failures(0.0, now)
        entry.count = max(0.0, entry.count - (now - entry.at) / self.forgive) + 1
        entry.at = now
        excess = entry.count - self.free
        if excess > 0:
            entry.blocked_until = now + min(self.backoff_max, 2 ** min(excess - 1, 16))
        return self.wait(address, now)

    def _prune(self, now: float) -> None:
        stale = [
            a for a, e in self._seen.items() if e.blocked_until <= now and e.count - (now - e.at) / self.forgive <= 0
        ]
        for address in stale or list(self._seen)[: len(self._seen) // 2]:
            del self._seen[address]


# --------------------------------------------------------------------------- origin and host


def _host_name(host_header: str) -> str:
    """The host of a Host header (`name:port`, `[v6]:port`), lowercased, without the port."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_host(host_header: str | None, served: str, origins: Iterable[str]) -> bool:
    """Is the Host header one this server answers to? An address (never a DNS rebinding), `localhost`,
    the host it was started on, or the host of an allowed origin; any other name is refused."""
    if not host_header:
        return False
    name = _host_name(host_header)
    names = {"localhost", served.lower(), *(urlsplit(o).hostname or "" for o in origins)}
    return _is_ip(name) or name in names


def allowed_origin(origin: str | None, host_header: str | None, origins: Iterable[str], allow_none: bool) -> bool:
    """Is a websocket from this Origin allowed? The page's own origin (same host and port as the request),
    or one listed; no Origin at all (a script, not a browser) when `allow_none`."""
    if origin is None:
        return allow_none
    if origin in origins:
        return True
    parts = urlsplit(origin)
    same_host = bool(host_header) and parts.netloc.lower() == (host_header or "").lower()
    return parts.scheme in ("http", "https") and same_host


# --------------------------------------------------------------------------- text


def has_lone_surrogate(raw: str | bytes, data: Any) -> bool:
    """Does the parsed JSON hold a lone surrogate (`\\ud800` written alone), which is no character and
    cannot be encoded, stored or echoed? Walks the data only when the raw text has such an escape."""
    if isinstance(raw, str):
        found = _LONE_SURROGATE_ESCAPE_TEXT.search(raw) is not None
    else:
        found = _LONE_SURROGATE_ESCAPE.search(raw) is not None
    if not found:
        return False
    return _walk_has_surrogate(data)


def _walk_has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_walk_has_surrogate(k) or _walk_has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_walk_has_surrogate(v) for v in value)
    return False


def shown(value: object, limit: int = ECHO_CHARS) -> str:
    """A client's value as an error message may quote it: printable, encodable, and short."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def display_name(raw: str) -> str | None:
    """A display name as others will see it: spaces collapsed and trimmed, no control or format
    characters (which could hide or reorder text); None if nothing readable is left."""
    kept = "".join(" " if ch.isspace() else ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch.isspace())
    name = " ".join(kept.split())
    return name or None
