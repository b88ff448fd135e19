"""The asyncio shell: the websocket endpoint, the static client, sign-in, fan-out and abuse limits.

One process serves HTTP (the browser client under `/`, `/healthz`) and the websocket endpoint
`/ws` with the `websockets` library. Each connection signs in (a team join code, a session token,
or the facilitator's token), then sends commands that the game's `Room` runs through the engine.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import json
import logging
import math
import mimetypes
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.commands import FACILITATOR, FACILITATOR_COMMANDS, OBSERVER, TEAM_COMMANDS, Command
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.view import message_page, outcome_page
from crisisgame.scenario.checks import RESERVED_IDS
from crisisgame.scenario.library import ScenarioLibrary
from crisisgame.scenario.model import Scenario, scenario_dict
from crisisgame.server import compression
from crisisgame.server.errors import PROTOCOL_ERRORS
from crisisgame.server.guard import (
    JoinGuard,
    Quotas,
    allowed_host,
    allowed_origin,
    display_name,
    has_lone_surrogate,
    shown,
)
from crisisgame.server.protocol import (
    CLIENT_ADAPTER,
    MAX_FACILITATOR_MESSAGE_BYTES,
    MAX_MESSAGE_BYTES,
    Ack,
    CreateGame,
    Error,
    ErrorCode,
    Facilitate,
    History,
    Join,
    ListGames,
    ListScenarios,
    Members,
    OutcomeHistory,
    PhaseLengths,
    Ping,
    Pong,
    Reply,
    Report,
    Reseat,
    Resume,
    RotateCodes,
    SendCommand,
    Teammates,
    UploadScenario,
    Welcome,
)
from crisisgame.server.room import BOT_PAUSE, AlreadyApplied, Room
from crisisgame.store.base import EventStore, Member, Receipt
from crisisgame.store.codes import new_code

log = logging.getLogger("crisisgame.server")

COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
GC_THRESHOLDS = (50_000, 20, 10)
"""The cyclic garbage collector's thresholds while serving (Python's default is 700, 10, 10). A game
makes almost no cyclic garbage (its events and states are freed by reference counting), yet every
event adds objects that live as long as the game, and a collection of the older generations scans
all of them. In the load benchmark the default ran a full collection every two seconds, each
pausing every game for 100-200 ms and freeing nothing; with these, the young generation is
collected every second or so (under 40 ms), the middle one every 25 s or so, and no full collection
ran in a minute at capacity."""
ALIVE_SETTING = "alive_at"
"""The store setting holding the server's last heartbeat (Unix seconds)."""
ALIVE_EVERY = 1.0
"""Seconds between heartbeats: a crash gives back the time it was down to within this much (and a
restart quicker than this gives back nothing)."""


@dataclass
class Limits:
    """The server's protection against slow, noisy or hostile clients."""

    backlog: int = 4 * 1024 * 1024
    """Bytes written for one client and not yet taken by its network before it is dropped as too
    slow (it can resume). Checked before each batch of messages (one adjudication may bring a seat
    hundreds, or a view of a megabyte), so a batch is written whole if the client is less behind."""
    replay: int = 500
    """Messages a resuming client is sent at most to catch up; past that, one fresh view instead."""
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


class Refused(Exception):
    """A lobby request that cannot be done, answered with a structured `error` (code, message, field)."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


STUDENT_REPORT_SETTING = "student_report:{game}"
"""Store setting that marks a game's student debrief edition as released to its seats."""


def _summary_page(events: list[Event], edition: str) -> str:
    from crisisgame.debrief.history import history
    from crisisgame.debrief.summary import summarise
    from crisisgame.debrief.summary_html import summary_html

    return summary_html(summarise(history(events), "student" if edition == "student" else "facilitator"))


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(raw: str | bytes) -> Any:
    """Strict JSON: no NaN or Infinity (they would be stored as null and break the log's replay)."""
    return json.loads(raw, parse_float=_finite, parse_constant=_constant)


def message_id(data: Any) -> str | None:
    """The `id` a client gave a message (a string of 1 to 64 characters), to echo in an error about
    the message as a whole; None if it gave none."""
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) and 0 < len(ident) <= 64 else None


def with_phases(scenario: Scenario, lengths: PhaseLengths | None) -> Scenario:
    """The scenario with this game's phase lengths, if the facilitator chose some at creation (the
    game's log embeds the scenario, so they hold for this game only, after a restart too)."""
    if lengths is None:
        return scenario
    phases = scenario.turns.phases.model_copy(update=lengths.model_dump(exclude_none=True))
    return scenario.model_copy(update={"turns": scenario.turns.model_copy(update={"phases": phases})})


def normalise_code(code: str) -> str:
    """Accept codes typed loosely: any case, spaces or hyphens, O for 0, I or L for 1."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    raw = raw.translate(str.maketrans("OIL", "011"))
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def _invalid(exc: ValidationError, data: Any, prefix: str | None = None) -> tuple[str | None, str]:
    """The field at fault (a dotted path, as the client wrote it) and what is wrong with it.

    The leading union tag pydantic puts in the path (`join.code`) is the value of `type`, not a
    field: it is left out (`code`); a missing or unknown `type` is reported as the field `type`.
    """
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"]]
    tag = data.get("type") if isinstance(data, dict) else None
    if err["type"] in ("union_tag_invalid", "union_tag_not_found") and not loc:
        loc = ["type"]
    elif loc and loc[0] == tag:
        loc = loc[1:]
    path = [prefix, *loc] if prefix else loc
    return (".".join(path) or None), err["msg"]


def _signed(conn: Connection, command: dict[str, Any]) -> dict[str, Any]:
    """What the server writes into a command: its sender's seat, and on a message the display name of
    the student who wrote it (whatever the client put there), so messages say who wrote them."""
    fields: dict[str, Any] = {"by": conn.seat}
    if command.get("type") == "send_message":
        fields["author"] = conn.name if conn.member is not None else None
    return fields


def _forbidden(role: str, command: str) -> str | None:
    """Why a role may never send this type of command (the engine's command sets), or None.

    The role is how the connection signed in (`Connection.role`), never a seat's name. What a seat
    may do at this moment of the game stays the engine's to say (`rejected`).
    """
    if role == OBSERVER:
        return "observers can only watch"
    if role == FACILITATOR:
        return None if command in FACILITATOR_COMMANDS else "the facilitator does not play a state"
    if command not in TEAM_COMMANDS:
        return f"only the facilitator can {command.replace('_', ' ')}"
    return None


class Connection:
    """One websocket, and the room seat it is subscribed to.

    Messages are written straight into the connection's outgoing buffer, as `websockets.broadcast`
    does: no task, queue or wait per message, and nothing a client does can hold up a delivery to
    anyone else. A client that stops reading lets its buffer grow; once it holds more than
    `limits.backlog` bytes the client is dropped: unsubscribed at once, then closed with 1013 within
    `close_timeout` (it can resume). A client that stops reading while nothing is sent to it is
    ended by the keepalive ping, which it does not answer.
    """

    def __init__(self, ws: ServerConnection, limits: Limits) -> None:
        self.ws = ws
        self.limits = limits
        self.seat = ""
        self.room: Room | None = None
        self.member: str | None = None
        self.name: str | None = None
        """The student's display name (for the author of their messages)."""
        self.facilitator = False
        self.role = ""
        """'facilitator', 'observer' or 'team': how the connection signed in, never read from a seat's name."""
        self.flooding = 0
        self.dropped = False
        self.closing: asyncio.Task[None] | None = None
        self.tokens = limits.burst
        self.refilled = time.monotonic()

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        """Write a batch, unless the client is already `limits.backlog` bytes behind: then drop it."""
        if self.dropped:
            return
        if self.ws.transport.get_write_buffer_size() > self.limits.backlog and not self.facilitator:
            # The facilitator is never dropped for backlog: the console must answer its clock commands
            # through any flood (the students' quotas bound what a flood can queue for it).
            self.drop(1013, "too slow: reconnect to resume")
            return
        for message in messages:
            broadcast((self.ws,), message, text=True)  # (a connection already closing is skipped)

    def send(self, message: Any) -> None:
        try:
            text = message.model_dump_json().encode()
        except ValueError:  # (pydantic's serialisation error): a field the server failed to sanitise
            log.exception("cannot encode a %s for a client", type(message).__name__)
            failed = Error(code="server_error", message="the server failed on this message; it has been logged")
            text = failed.model_dump_json().encode()
        self.deliver_all((text,))

    def drop(self, code: int, reason: str) -> None:
        """Stop sending to this client and close its connection, whatever state its socket is in."""
        if self.dropped:
            return
        self.dropped = True
        log.warning("closing a client (%s) of game %s: %s", self.seat, self.room.id if self.room else "-", reason)
        if self.room is not None:
            self.room.subscribers.discard(self)
        self.closing = asyncio.get_running_loop().create_task(self.close(code, reason))

    async def close(self, code: int, reason: str) -> None:
        """The closing handshake, bounded: a peer that does not read never lets the close frame out."""
        try:
            await asyncio.wait_for(self.ws.close(code, reason), self.limits.close_timeout)
        except TimeoutError:
            self.ws.transport.abort()

    def allow(self) -> bool:
        """Token bucket: may this connection send another message now?"""
        now = time.monotonic()
        self.tokens = min(self.limits.burst, self.tokens + (now - self.refilled) * self.limits.rate)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class GameServer:
    """The server's state: the store, live rooms, and the facilitator's secret."""

    store: EventStore
    client_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.time
    bot_pause: float = BOT_PAUSE
    rooms: dict[str, Room] = field(default_factory=dict)
    per_address: dict[str, int] = field(default_factory=dict)
    connections: set[Connection] = field(default_factory=set)
    facilitator_token: str = ""
    server: Server | None = None
    scenarios: Path | None = None
    """The folder of uploaded scenarios (`serve --scenarios`); None: uploads are refused."""
    library: ScenarioLibrary = field(init=False)
    quotas: Quotas = field(default_factory=Quotas)
    joins: JoinGuard = field(default_factory=JoinGuard)
    host: str = "127.0.0.1"
    """The host the server was started on (`serve --host`), a name the Host check accepts."""

    def __post_init__(self) -> None:
        token = self.store.setting("facilitator_token")
        if token is None:
            token = secrets.token_urlsafe(18)
            self.store.set_setting("facilitator_token", token)
        self.facilitator_token = token
        self.library = ScenarioLibrary(self.scenarios)

    # -- start-up and shutdown ----------------------------------------------------------------

    def recover(self) -> int:
        """Rebuild every unfinished game from its log and restart its clock; the number rebuilt.

        A game whose log cannot be read or replayed is left out (and logged), so one damaged game
        does not keep the server, and every other game, from starting. Ended games are opened from
        their logs when someone asks for one (`_room`).
        """
        for rec in self.store.games():
            if rec.phase == "ended" or rec.id in self.rooms:
                continue
            room = self._load(rec.id)
            if room is None:
                continue
            self.rooms[rec.id] = room
            room.schedule()
            log.info(
                "game %s recovered at seq %d (%s of turn %d)", rec.id, room.state.seq, room.state.phase, room.state.turn
            )
        self.give_back_downtime()
        gc.freeze()  # the rebuilt games live for hours: keep them out of every full collection's scan
        return len(self.rooms)

    def give_back_downtime(self) -> None:
        """Move every live game's deadline on by the time the server was down (since its last heartbeat
        in the store), recorded as a `server_downtime` event, then start the heartbeat afresh."""
        last = self.store.setting(ALIVE_SETTING)
        down_since = float(last) if last is not None else None
        if down_since is not None:
            for room in self.rooms.values():
                try:
                    given = room.give_back_downtime(down_since, ALIVE_EVERY)
                except Exception:
                    log.exception("game %s: the time the server was down could not be given back", room.id)
                    continue
                if given:
                    log.info("game %s: the server was down %d s; its deadline moved on by as much", room.id, given)
        self.store.set_setting(ALIVE_SETTING, repr(self.clock()))

    async def heartbeat(self) -> None:
        """Note in the store, every `ALIVE_EVERY` seconds, that the server is running: after a crash the
        last note says since when it was down."""
        while True:
            await asyncio.sleep(ALIVE_EVERY)
            try:
                self.store.set_setting(ALIVE_SETTING, repr(self.clock()))
            except Exception:
                log.exception("the heartbeat could not be written to the store")

    def _load(self, game_id: str) -> Room | None:
        try:
            events = [e for _, e in self.store.events(game_id)]
            return Room(game_id, self.store, events, self.clock, bot_pause=self.bot_pause)
        except Exception:
            log.exception("game %s cannot be rebuilt from its log; it is left out", game_id)
            return None

    def _room(self, game_id: str) -> Room | None:
        """A game's room: a running game's, or an ended game's, opened from its log on first request
        (for a debrief after the server restarted: the engine refuses every command of an ended game)."""
        room = self.rooms.get(game_id)
        if room is None and any(g.id == game_id and g.phase == "ended" for g in self.store.games()):
            room = self._load(game_id)
            if room is not None:
                self.rooms[game_id] = room
                log.info("ended game %s opened from its log", game_id)
        return room

    async def serve(self, host: str, port: int, ready: Callable[[int], None] | None = None) -> None:
        """Serve until cancelled; on cancellation close every client with 1001 (going away)."""
        thresholds = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            await self._serve(host, port, ready)
        finally:
            gc.set_threshold(*thresholds)

    async def _serve(self, host: str, port: int, ready: Callable[[int], None] | None) -> None:
        self.host = host
        self.recover()
        async with serve(
            self.handler,
            host,
            port,
            process_request=self.process_request,
            max_size=MAX_MESSAGE_BYTES,
            extensions=compression.extensions(),
            ping_interval=20,
            ping_timeout=20,
            close_timeout=5,
        ) as server:
            self.server = server
            bound = next(iter(server.sockets)).getsockname()[1]
            if ready is not None:
                ready(bound)
            beating = asyncio.get_running_loop().create_task(self.heartbeat())
            try:
                await asyncio.get_running_loop().create_future()
            finally:
                beating.cancel()
                for room in self.rooms.values():
                    room.close()
                await self._shut_down(server)

    async def _shut_down(self, server: Server) -> None:
        """Close every client with 1001 (going away); drop the TCP connection of any that does not
        complete the closing handshake in time (a client that stopped reading would block it)."""
        server.close(close_connections=True)
        try:
            await asyncio.wait_for(asyncio.shield(server.wait_closed()), self.limits.close_timeout + 1)
        except TimeoutError:
            # `websockets` bounds a closing handshake only once its data is written, and a client
            # that stopped reading never lets the close frame out: its keepalive would end it, later.
            stuck = [c for c in self.connections if c.ws.state is not State.CLOSED]
            log.warning("dropping %d connection(s) that did not close in time", len(stuck))
            for conn in stuck:
                conn.ws.transport.abort()
            await asyncio.wait_for(server.wait_closed(), self.limits.close_timeout + 1)

    # -- HTTP ---------------------------------------------------------------------------------

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        refusal = self._refuse_request(connection, request, path)
        if refusal is not None:
            return refusal
        if path == "/ws":
            return None
        if path == "/healthz":
            body = json.dumps({"status": "ok", "games": len(self.rooms)}) + "\n"
            return Response(200, "OK", Headers([("Content-Type", "application/json")]), body.encode())
        if path == "/bibliography.json":
            # The full references behind the citation keys that every outcome's reasons carry.
            headers = Headers([("Content-Type", "application/json"), ("Cache-Control", "no-cache")])
            return Response(200, "OK", headers, json.dumps(BIBLIOGRAPHY, indent=1).encode())
        if path == "/schema/protocol.schema.json":
            # The browser client loads the protocol's JSON Schema from here (made from the models, never stale).
            from crisisgame.server.asyncapi import document_text

            headers = Headers([("Content-Type", "application/schema+json"), ("Cache-Control", "no-cache")])
            return Response(200, "OK", headers, document_text("json-schema").encode())
        return self.static(path)

    def _refuse_request(self, connection: ServerConnection, request: Request, path: str) -> Response | None:
        """The Host check (every request), then for the websocket the Origin check and the caps on
        connections, from one address and in all."""
        extra = self.limits.origins or []
        hosts, origins = request.headers.get_all("Host"), request.headers.get_all("Origin")
        if len(hosts) > 1 or len(origins) > 1:
            return connection.respond(HTTPStatus.BAD_REQUEST, "one Host and at most one Origin header\n")
        host = hosts[0] if hosts else None
        if self.limits.check_host and not allowed_host(host, self.host, extra):
            return connection.respond(HTTPStatus.FORBIDDEN, "this server does not answer to that host name\n")
        if path != "/ws":
            return None
        if not allowed_origin(origins[0] if origins else None, host, extra, self.limits.allow_no_origin):
            return connection.respond(HTTPStatus.FORBIDDEN, "pages from that origin may not connect\n")
        address = str(connection.remote_address[0]) if connection.remote_address else "?"
        if self.per_address.get(address, 0) >= self.limits.connections_per_address:
            return connection.respond(HTTPStatus.TOO_MANY_REQUESTS, "too many connections from this address\n")
        if len(self.connections) >= self.limits.connections:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "the server is full; try again shortly\n")
        return None

    def static(self, path: str) -> Response:
        not_found = Response(404, "Not Found", Headers([("Content-Type", "text/plain")]), b"not found\n")
        if self.client_dir is None:
            return Response(404, "Not Found", Headers([("Content-Type", "text/plain")]), b"no client installed\n")
        try:
            root = self.client_dir.resolve()
            target = (root / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root) or not target.is_file():
                return not_found
            body = target.read_bytes()
        except (OSError, ValueError):  # a name too long, a NUL byte, a file unreadable or gone
            return not_found
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix in (".js", ".mjs"):
            kind = "text/javascript"
        headers = Headers(
            [("Content-Type", kind), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        )
        return Response(200, "OK", headers, body)

    # -- websocket ----------------------------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        address = str(ws.remote_address[0]) if ws.remote_address else "?"
        self.per_address[address] = self.per_address.get(address, 0) + 1
        conn = Connection(ws, self.limits)
        self.connections.add(conn)
        try:
            if self.per_address[address] > self.limits.connections_per_address:
                # Handshakes that passed `process_request` together can overshoot the cap: enforce it here.
                await conn.close(1013, "too many connections from this address")
                return
            if len(self.connections) > self.limits.connections:
                await conn.close(1013, "the server is full; try again shortly")
                return
            await self._session(conn)
        except ConnectionClosed:
            pass
        finally:
            self.connections.discard(conn)
            self.per_address[address] -= 1
            if self.per_address[address] <= 0:
                del self.per_address[address]
            if conn.room is not None:
                conn.room.subscribers.discard(conn)

    async def _session(self, conn: Connection) -> None:
        ws = conn.ws
        loop = asyncio.get_running_loop()
        sign_in_by = loop.time() + self.limits.sign_in_timeout
        while True:
            # The deadline runs from connecting, not from the last message: pings do not keep it open.
            timeout = None if (conn.seat or conn.facilitator) else max(0.0, sign_in_by - loop.time())
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout)
            except TimeoutError:
                await conn.close(1008, "sign in with a join code or token")
                return
            if conn.dropped:
                return
            if not conn.allow():
                conn.flooding += 1
                if conn.flooding > self.limits.flood_close:
                    await conn.close(1008, "too many messages past the rate limit")
                    return
                self._rate_limited(conn, raw)
                continue
            conn.flooding = 0
            await self._dispatch(conn, raw)

    def _rate_limited(self, conn: Connection, raw: str | bytes) -> None:
        """Answer a message the rate limit dropped, by its id: the client knows what to send again."""
        try:
            ident = message_id(parse_json(raw))
        except (ValueError, RecursionError):
            ident = None
        rate = f"{self.limits.rate:g} per second, bursts of {self.limits.burst:g}"
        conn.send(Error(id=ident, code="rate_limited", message=f"too many messages: slow down ({rate} at most)"))

    async def _dispatch(self, conn: Connection, raw: str | bytes) -> None:
        try:
            data = parse_json(raw)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            conn.send(Error(code="invalid_json", message=f"not valid JSON: {reason}"))
            return
        if has_lone_surrogate(raw, data):
            message = "not valid text: a lone surrogate escape (\\ud800 to \\udfff) is no character"
            conn.send(Error(code="invalid_json", message=message))
            return
        try:
            msg = CLIENT_ADAPTER.validate_python(data)
        except ValidationError as exc:
            where, why = _invalid(exc, data)
            where = shown(where, 200) if where is not None else None
            message = f"{where}: {why}" if where else why
            conn.send(Error(id=message_id(data), code="invalid_message", message=message, field=where))
            return
        try:
            await self._handle(conn, msg)
        except Exception:
            log.exception("error handling %s", type(msg).__name__)
            ident = getattr(msg, "id", None)
            conn.send(
                Error(
                    id=ident if isinstance(ident, str) else None,
                    code="server_error",
                    message="the server failed on this message; it has been logged",
                )
            )

    async def _handle(self, conn: Connection, msg: Any) -> None:
        if isinstance(msg, Ping):
            conn.send(Pong(t=msg.t, now=self.clock()))
        elif isinstance(msg, Join):
            self._join(conn, msg)
        elif isinstance(msg, Resume):
            member = self.store.member(hash_token(msg.token))
            room = self._room(member.game_id) if member is not None and member.active else None
            if member is not None and member.seat in (FACILITATOR, ""):
                room = None  # a student is never seated as the facilitator, whatever the log says
            if member is None or room is None:
                conn.send(
                    Error(
                        code="unknown_token", message="this session has ended; join again with your code", field="token"
                    )
                )
                return
            self._enter(conn, room, member.seat, member.name, None, msg.last_seq, member.token_hash)
        elif isinstance(msg, Facilitate):
            if not hmac.compare_digest(msg.token.encode(), self.facilitator_token.encode()):
                conn.send(Error(code="unknown_token", message="wrong facilitator token", field="token"))
                return
            conn.facilitator = True
            conn.role = FACILITATOR
            conn.ws.protocol.max_message_size = MAX_FACILITATOR_MESSAGE_BYTES  # (scenario uploads)
            if msg.game is not None:
                room = self._room(msg.game)
                if room is None:
                    conn.send(Error(code="not_found", message=f"no game '{shown(msg.game)}'", field="game"))
                    return
                self._enter(conn, room, FACILITATOR, "Control", None, msg.last_seq, None)
            else:
                conn.send(Welcome(game=None, seat=FACILITATOR, name="Control", seq=0, now=self.clock()))
        elif isinstance(msg, SendCommand):
            await self._command(conn, msg)
        elif isinstance(msg, History):
            self._history(conn, msg)
        elif isinstance(msg, OutcomeHistory):
            self._outcome_history(conn, msg)
        elif isinstance(msg, Teammates):
            self._teammates(conn, msg)
        elif isinstance(msg, Report) and not conn.facilitator and msg.edition == "student":
            try:
                conn.send(Reply(id=msg.id, data=self._student_report(conn, msg)))
            except Refused as exc:
                conn.send(Error(id=msg.id, code=exc.code, message=exc.message, field=exc.field))
        elif isinstance(
            msg, CreateGame | ListGames | ListScenarios | Members | Reseat | Report | RotateCodes | UploadScenario
        ):
            if not conn.facilitator:
                conn.send(Error(id=msg.id, code="forbidden", message="only the facilitator can do this"))
                return
            try:
                data = await self._upload(msg) if isinstance(msg, UploadScenario) else self._lobby(conn, msg)
            except Refused as exc:
                conn.send(Error(id=msg.id, code=exc.code, message=exc.message, field=exc.field))
                return
            conn.send(Reply(id=msg.id, data=data))

    def _join(self, conn: Connection, msg: Join) -> None:
        """A student joins with a code. Wrong codes are counted per address (`JoinGuard`): past the free
        ones, the address waits before its next try, answered without a look-up. A code works while its
        game runs; the facilitator can replace it (`rotate_codes`)."""
        address = str(conn.ws.remote_address[0]) if conn.ws.remote_address else "?"
        now = time.monotonic()
        wait = self.joins.wait(address, now)
        if wait > 0:
            message = f"too many wrong join codes from your network: wait {math.ceil(wait)} s, then try again"
            conn.send(Error(code="rate_limited", message=message, field="code"))
            return
        name = display_name(msg.name)
        if name is None:
            conn.send(Error(code="invalid_message", message="name: type a name others can read", field="name"))
            return
        found = self.store.seat_for_code(normalise_code(msg.code))
        room = self._room(found[0]) if found is not None else None
        if found is None or room is None or found[1] == FACILITATOR:
            self.joins.failed(address, now)
            message = "no game has this join code; check it with your facilitator"
            conn.send(Error(code="unknown_code", message=message, field="code"))
            return
        if room.state.phase == "ended" and found[1] != OBSERVER:
            # A team's code ends with its game (the plenary's still opens the ended game for the debrief:
            # it shows only what every seat may see).
            message = "this game has ended, and its team codes with it; ask your facilitator for the new game's code"
            conn.send(Error(code="unknown_code", message=message, field="code"))
            return
        game_id, seat = found
        token = secrets.token_urlsafe(24)
        self.store.add_member(Member(hash_token(token), game_id, seat, name, True))
        self._enter(conn, room, seat, name, token, None, hash_token(token))

    def _enter(
        self,
        conn: Connection,
        room: Room,
        seat: str,
        name: str,
        token: str | None,
        last_seq: int | None,
        member: str | None,
    ) -> None:
        if conn.room is not None:
            conn.room.subscribers.discard(conn)
        conn.room, conn.seat, conn.member = room, seat, member
        if seat != FACILITATOR:
            # Signed in as a student: the connection keeps no facilitator rights from an earlier sign-in.
            conn.facilitator = False
            conn.role = OBSERVER if seat == OBSERVER else "team"
            conn.ws.protocol.max_message_size = MAX_MESSAGE_BYTES
        conn.name = name
        conn.send(Welcome(game=room.id, seat=seat, name=name, token=token, seq=room.state.seq, now=self.clock()))
        missed = room.missed(seat, last_seq)
        if len(missed) > self.limits.replay:
            # A long gap (a phone asleep through a busy phase) is caught up faster by one fresh view,
            # which carries the same as the messages it missed.
            missed = [room.view_message(seat)]
        conn.deliver_all(missed)
        room.subscribers.add(conn)

    async def _command(self, conn: Connection, msg: SendCommand) -> None:
        room = conn.room
        if room is None or not conn.seat:
            conn.send(Error(id=msg.id, code="not_signed_in", message="join a game before sending commands"))
            return
        if "by" in msg.command:
            conn.send(
                Error(
                    id=msg.id, code="invalid_message", message="commands must not name their sender", field="command.by"
                )
            )
            return
        try:
            command = COMMAND_ADAPTER.validate_python({**msg.command, **_signed(conn, msg.command)})
        except ValidationError as exc:
            where, why = _invalid(exc, msg.command, "command")
            conn.send(
                Error(id=msg.id, code="invalid_message", message=f"{where}: {why}", field=where, seq=room.state.seq)
            )
            return
        refusal = _forbidden(conn.role, command.type)
        if refusal is not None:
            conn.send(Error(id=msg.id, code="forbidden", message=refusal, seq=room.state.seq))
            return
        over = self._over_quota(conn, room, command)
        if over is not None:
            conn.send(Error(id=msg.id, code="rate_limited", message=over, seq=room.state.seq))
            return
        try:
            seq = await room.execute(command, receipt=Receipt(conn.member or conn.seat, msg.id))
        except AlreadyApplied as done:
            conn.send(Ack(id=msg.id, game=room.id, seq=done.seq, repeat=True))
            return
        except Rejected as exc:
            conn.send(
                Error(id=msg.id, code=PROTOCOL_ERRORS[exc.code], message=shown(exc.reason, 500), seq=room.state.seq)
            )
            return
        conn.send(Ack(id=msg.id, game=room.id, seq=seq))

    def _history(self, conn: Connection, msg: History) -> None:
        """Older messages of one channel, as far as the connection's seat may read them (the engine says)."""
        room = conn.room
        if room is None or not conn.seat:
            conn.send(Error(id=msg.id, code="not_signed_in", message="join a game before asking for its messages"))
            return
        try:
            page = message_page(room.state, conn.seat, msg.channel, msg.before, msg.limit)
        except KeyError:
            conn.send(Error(id=msg.id, code="not_found", message="no such message in this channel", field="before"))
            return
        conn.send(Reply(id=msg.id, data=page))

    def _outcome_history(self, conn: Connection, msg: OutcomeHistory) -> None:
        """One turn's results and revealed orders, as far as the connection's seat may see them (the engine says)."""
        room = conn.room
        if room is None or not conn.seat:
            conn.send(Error(id=msg.id, code="not_signed_in", message="join a game before asking for its results"))
            return
        conn.send(Reply(id=msg.id, data=outcome_page(room.state, conn.seat, msg.turn)))

    def _over_quota(self, conn: Connection, room: Room, command: Command) -> str | None:
        """Why a student's command is over their own or their team's quota (`Quotas`), or None.
        The facilitator has none."""
        if conn.role != "team":
            return None
        size = len(command.model_dump_json())
        member = conn.member or str(id(conn))
        return self.quotas.refuse(room.id, conn.seat, member, room.state.turn, size, time.monotonic())

    def _teammates(self, conn: Connection, msg: Teammates) -> None:
        """The students of the asker's seat, with their display names and whether they are online."""
        room = conn.room
        if room is None or conn.facilitator or conn.seat in ("", OBSERVER):
            conn.send(Error(id=msg.id, code="not_signed_in", message="join a team to see your teammates"))
            return
        online = {s.member for s in room.subscribers if isinstance(s, Connection)}
        members = [
            {"name": m.name, "online": m.token_hash in online, "you": m.token_hash == conn.member}
            for m in self.store.members(room.id)
            if m.active and m.seat == conn.seat
        ]
        conn.send(Reply(id=msg.id, data={"seat": conn.seat, "members": members}))

    def _lobby(self, conn: Connection, msg: Any) -> dict[str, Any]:
        if isinstance(msg, ListScenarios):
            return {"scenarios": [{**_listed(e.scenario), "source": e.source} for e in self.library.entries()]}
        if isinstance(msg, ListGames):
            return {
                "games": [
                    {
                        "id": g.id,
                        "scenario": g.scenario,
                        "title": g.title,
                        "created": g.created,
                        "seq": g.seq,
                        "phase": g.phase,
                        "codes": self.store.codes(g.id),
                    }
                    for g in self.store.games()
                ]
            }
        if isinstance(msg, CreateGame):
            return self._create(msg)
        if isinstance(msg, Report):
            return self._report(conn, msg)
        if isinstance(msg, RotateCodes):
            return self._rotate_codes(conn, msg)
        room = conn.room
        if room is None:
            raise Refused("not_signed_in", "open a game first (facilitate with its id)")
        if isinstance(msg, Members):
            return {
                "members": [
                    {
                        "member": m.token_hash,
                        "seat": m.seat,
                        "name": m.name,
                        "active": m.active,
                        "online": any(isinstance(s, Connection) and s.member == m.token_hash for s in room.subscribers),
                    }
                    for m in self.store.members(room.id)
                ]
            }
        assert isinstance(msg, Reseat)
        member = self.store.member(msg.member)
        if member is None or member.game_id != room.id:
            raise Refused("not_found", "no such member in this game", "member")
        seats = [*sorted(room.state.teams), OBSERVER]
        if msg.seat is not None and msg.seat not in seats:
            raise Refused("not_found", f"no seat '{msg.seat}' for a student (seats: {', '.join(seats)})", "seat")
        self.store.set_member(member.token_hash, msg.seat or member.seat, msg.seat is not None)
        for sub in list(room.subscribers):
            if isinstance(sub, Connection) and sub.member == member.token_hash:
                sub.drop(4001, "your facilitator moved or removed you")
        return {"member": msg.member, "seat": msg.seat}

    def _report(self, conn: Connection, msg: Report) -> dict[str, Any]:
        from crisisgame.debrief.history import history
        from crisisgame.debrief.report import report_html

        game_id = msg.game or (conn.room.id if conn.room else None)
        if game_id is None:
            raise Refused("not_signed_in", "name a game, or open one first (facilitate with its id)", "game")
        if game_id not in {g.id for g in self.store.games()}:
            raise Refused("not_found", f"no stored game '{game_id}'", "game")
        events = [e for _, e in self.store.events(game_id)]
        if msg.release:
            if msg.edition != "student":
                raise Refused("rejected", "only the student edition can be released to the class", "release")
            self.store.set_setting(STUDENT_REPORT_SETTING.format(game=game_id), "released")
        if msg.edition == "full":
            return {"game": game_id, "html": report_html(history(events))}
        return {"game": game_id, "html": _summary_page(events, msg.edition)}

    def _student_report(self, conn: Connection, msg: Report) -> dict[str, Any]:
        """The student edition of the seat's own game, once the facilitator has released it."""
        room = conn.room
        if room is None:
            raise Refused("not_signed_in", "join a game first", "game")
        if (msg.game is not None and msg.game != room.id) or msg.release:
            raise Refused("forbidden", "only the facilitator can do this")
        if self.store.setting(STUDENT_REPORT_SETTING.format(game=room.id)) != "released":
            raise Refused("forbidden", "your facilitator has not released the debrief summary yet")
        return {"game": room.id, "html": _summary_page([e for _, e in self.store.events(room.id)], "student")}

    def _create(self, msg: CreateGame) -> dict[str, Any]:
        scenario = self.library.find(msg.scenario)
        if scenario is None:
            # A catalogue id only: never a path, and nothing read from a file is echoed.
            message = f"no scenario '{shown(msg.scenario)}' in the catalogue (list_scenarios gives the ids)"
            raise Refused("not_found", message, "scenario")
        scenario = with_phases(scenario, msg.phases)
        ids = {a.id for a in scenario.actors if a.id.lower() not in RESERVED_IDS}
        unknown = [t for t in msg.teams if t not in ids]
        if unknown:
            raise Refused("not_found", f"unknown actors: {', '.join(shown(t) for t in unknown[:5])}", "teams")
        seed = msg.seed if msg.seed is not None else secrets.randbelow(2**31)
        created = GameCreated(
            at=self.clock(),
            scenario=scenario_dict(scenario),
            seed=seed,
            teams=list(msg.teams),
            auto_release=msg.auto_release,
        )
        game_id = secrets.token_hex(4)
        self.store.create_game(game_id, scenario.id, scenario.meta.title, self.clock())
        room = Room.create(game_id, self.store, created, self.clock, bot_pause=self.bot_pause)
        self.rooms[game_id] = room
        codes = {seat: new_code() for seat in [*msg.teams, OBSERVER]}
        self.store.set_codes(game_id, codes)
        log.info("game %s created from %s with teams %s and seed %d", game_id, scenario.id, msg.teams, seed)
        gc.freeze()
        return {"game": game_id, "codes": codes, "seed": seed}

    def _rotate_codes(self, conn: Connection, msg: RotateCodes) -> dict[str, Any]:
        """New join codes for a game's seats (all, or one): the old ones stop working at once."""
        game_id = msg.game or (conn.room.id if conn.room else None)
        if game_id is None:
            raise Refused("not_signed_in", "name a game, or open one first (facilitate with its id)", "game")
        record = next((g for g in self.store.games() if g.id == game_id), None)
        if record is None:
            raise Refused("not_found", f"no stored game '{shown(game_id)}'", "game")
        if record.phase == "ended":
            raise Refused("rejected", "the game has ended: its codes no longer work", "game")
        seats = self.store.codes(game_id)
        if msg.seat is not None and msg.seat not in seats:
            raise Refused("not_found", f"no seat '{shown(msg.seat)}' (seats: {', '.join(sorted(seats))})", "seat")
        fresh = {seat: new_code() for seat in ([msg.seat] if msg.seat is not None else seats)}
        self.store.replace_codes(game_id, fresh)
        log.info("game %s: new join codes for %s", game_id, ", ".join(sorted(fresh)))
        return {"game": game_id, "codes": self.store.codes(game_id)}

    async def _upload(self, msg: UploadScenario) -> dict[str, Any]:
        """Validate an uploaded scenario with the loader (in a thread: a big file takes a while, and the
        games go on meanwhile) and keep it if valid. Errors are data in the reply, not a failure."""
        name = shown(msg.name, 80) or "upload.yaml"
        scenario, errors = await asyncio.to_thread(self.library.upload, msg.text, name)
        return {
            "scenario": {**_listed(scenario), "source": "uploaded"} if scenario is not None else None,
            "errors": [{"line": e.line, "column": e.column, "message": e.message, "hint": e.hint} for e in errors],
        }


def _listed(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the catalogue lists it to the console."""
    return {
        "id": scenario.id,
        "title": scenario.meta.title,
        "region": scenario.meta.region,
        "actors": [{"id": a.id, "name": a.name, "playable": a.playable} for a in scenario.actors],
        "priority": list(scenario.seating.priority),
        "minimum": scenario.seating.minimum,
    }
