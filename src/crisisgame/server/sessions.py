"""A websocket session: the connection caps, sign-in deadline and rate limit, strict parsing and
validation of each message, and its dispatch to the lobby or to the game's `Room`."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import from_json
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from crisisgame.engine.commands import OBSERVER, Command
from crisisgame.engine.errors import Rejected
from crisisgame.engine.seatview import MessagePage
from crisisgame.engine.state import State
from crisisgame.engine.view import LogNeeded, message_page, outcome_page
from crisisgame.server import debrief, lobby
from crisisgame.server.connection import Connection
from crisisgame.server.errors import PROTOCOL_ERRORS
from crisisgame.server.guard import has_lone_surrogate, shown
from crisisgame.server.lobby import Refused
from crisisgame.server.protocol import (
    CLIENT_ADAPTER,
    CreateGame,
    Error,
    Facilitate,
    Fork,
    History,
    Join,
    ListGames,
    ListScenarios,
    Members,
    OutcomeHistory,
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
    ack_message,
)
from crisisgame.server.room import AlreadyApplied, Room
from crisisgame.store.base import EventStore, LoggedMessages, Receipt, StoreError

if TYPE_CHECKING:
    from crisisgame.server.app import GameServer

log = logging.getLogger("crisisgame.server")

COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)


class SignedCommand(BaseModel):
    """A `command` message (`protocol.SendCommand`, the same fields and bounds) whose command the server
    has signed (`_sign`), validated with it as the engine's `Command` in one pass."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["command"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    command: Command


SIGNED_COMMAND: TypeAdapter[SignedCommand] = TypeAdapter(SignedCommand)


def _all_finite(container: dict[str, Any] | list[Any]) -> bool:
    """Whether parsed JSON holds no infinite number (pydantic's parser reads 1e999 as one, where `parse_json`
    refuses it; it refuses NaN and Infinity by itself)."""
    values: Iterable[Any] = container.values() if isinstance(container, dict) else container
    for value in values:
        kind = type(value)
        if kind is float:
            if not math.isfinite(value):
                return False
        elif (kind is dict or kind is list) and not _all_finite(value):
            return False
    return True


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_constant)


def parse_json(raw: str | bytes) -> Any:
    """Strict JSON: no NaN or Infinity (they would be stored as null and break the log's replay).
    What `json.loads(raw, parse_float=..., parse_constant=...)` does, with one decoder for every message."""
    if isinstance(raw, str):
        if raw.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", raw, 0)
    else:
        raw = raw.decode(json.detect_encoding(raw), "surrogatepass")
    return _DECODER.decode(raw)


def message_id(data: Any) -> str | None:
    """The `id` a client gave a message (a string of 1 to 64 characters), to echo in an error about
    the message as a whole; None if it gave none."""
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) and 0 < len(ident) <= 64 else None


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


def _sign(conn: Connection, command: dict[str, Any]) -> dict[str, Any]:
    """Write into a command (in place, and return it) what the server decides: its sender's seat, and
    on a message the display name of the student who wrote it (whatever the client put there), so
    messages say who wrote them."""
    command["by"] = conn.seat
    if command.get("type") == "send_message":
        command["author"] = conn.name if conn.member is not None else None
    return command


async def handler(server: GameServer, ws: ServerConnection) -> None:
    address = str(ws.remote_address[0]) if ws.remote_address else "?"
    server.per_address[address] = server.per_address.get(address, 0) + 1
    conn = Connection(ws, server.limits)
    server.connections.add(conn)
    try:
        if server.per_address[address] > server.limits.connections_per_address:
            # Handshakes that passed `process_request` together can overshoot the cap: enforce it here.
            await conn.close(1013, "too many connections from this address")
            return
        if len(server.connections) > server.limits.connections:
            await conn.close(1013, "the server is full; try again shortly")
            return
        await session(server, conn)
    except ConnectionClosed:
        pass
    finally:
        server.connections.discard(conn)
        server.per_address[address] -= 1
        if server.per_address[address] <= 0:
            del server.per_address[address]
        if conn.room is not None:
            conn.room.subscribers.discard(conn)
        if conn.pending is not None:  # (a write the store refuses was answered: its error is no news)
            conn.pending.add_done_callback(lambda written: written.cancelled() or written.exception())


async def session(server: GameServer, conn: Connection) -> None:
    ws = conn.ws
    loop = asyncio.get_running_loop()
    sign_in_by = loop.time() + server.limits.sign_in_timeout
    while True:
        # The deadline runs from connecting, not from the last message: pings do not keep it open.
        if conn.seat or conn.facilitator:
            raw = await ws.recv()
        else:
            try:
                raw = await asyncio.wait_for(ws.recv(), max(0.0, sign_in_by - loop.time()))
            except TimeoutError:
                await conn.close(1008, "sign in with a join code or token")
                return
        if conn.dropped:
            return
        if conn.pending is not None:
            await settle(conn)
        if not conn.allow():
            conn.flooding += 1
            if conn.flooding > server.limits.flood_close:
                await conn.close(1008, "too many messages past the rate limit")
                return
            rate_limited(server, conn, raw)
            continue
        conn.flooding = 0
        answering = dispatch(server, conn, raw)
        if answering is not None:
            await answering


async def settle(conn: Connection) -> None:
    """Wait until the client's last command is answered (acknowledged once durable and published, or
    refused by the store) before its next message is read: a client's messages are answered in the
    order it sent them, as when the session waited for each command (`execute_command` does not)."""
    written, conn.pending = conn.pending, None
    if written is None:
        return
    try:  # noqa: SIM105 (`contextlib.suppress` costs a context manager per command: 0.3 µs)
        await written  # (done already, unless the client's next message came before the flush)
    except StoreError:
        pass  # (a refused write was answered by `refused`)
    room = conn.room
    if room is not None and room.publishing:
        await room.published()  # (a step published after a phase change is acknowledged then)


def rate_limited(server: GameServer, conn: Connection, raw: str | bytes) -> None:
    """Answer a message the rate limit dropped, by its id: the client knows what to send again."""
    try:
        ident = message_id(parse_json(raw))
    except (ValueError, RecursionError):
        ident = None
    rate = f"{server.limits.rate:g} per second, bursts of {server.limits.burst:g}"
    conn.send(Error(id=ident, code="rate_limited", message=f"too many messages: slow down ({rate} at most)"))


def signed_command(conn: Connection, raw: str | bytes) -> SignedCommand | None:
    """A signed-in connection's `command` message, parsed and validated in one pass with its command
    signed (`SignedCommand`); None for any other message, and for anything the pass refuses, which
    `parsed` then reads again and answers (what is wrong with it, as precisely as ever).

    The pass accepts what `parsed` and `run_command` accept, and nothing else: the same JSON (pydantic's
    parser refuses NaN, Infinity, lone surrogates and numbers of thousands of digits by itself, and
    `_all_finite` a number too large for a float; it leaves a frame in another encoding than UTF-8 to
    `parse_json`), the message's fields and bounds (`SendCommand`'s), no `by` of the client's, and the
    command validated with the server's fields, as `run_command` validates it."""
    if conn.room is None or not conn.seat:
        return None
    try:
        data = from_json(raw, allow_inf_nan=False)
    except ValueError:
        return None
    if type(data) is not dict or data.get("type") != "command" or not _all_finite(data):
        return None
    command = data.get("command")
    if type(command) is not dict or "by" in command:
        return None
    _sign(conn, command)
    try:
        return SIGNED_COMMAND.validate_python(data)
    except ValidationError:
        return None


def parsed(conn: Connection, raw: str | bytes) -> Any:
    """The client's message as a protocol model, or None once the client is told what is wrong with it."""
    try:
        data = parse_json(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        conn.send(Error(code="invalid_json", message=f"not valid JSON: {reason}"))
        return None
    if has_lone_surrogate(raw, data):
        message = "not valid text: a lone surrogate escape (\\ud800 to \\udfff) is no character"
        conn.send(Error(code="invalid_json", message=message))
        return None
    try:
        return CLIENT_ADAPTER.validate_python(data)
    except ValidationError as exc:
        where, why = _invalid(exc, data)
        where = shown(where, 200) if where is not None else None
        message = f"{where}: {why}" if where else why
        conn.send(Error(id=message_id(data), code="invalid_message", message=message, field=where))
        return None


def dispatch(server: GameServer, conn: Connection, raw: str | bytes) -> Coroutine[Any, Any, None] | None:
    """One message from the client: a signed-in connection's command takes the one-pass path
    (`signed_command`), anything else (or anything that path refuses) is parsed, validated and answered.
    What can be done at once is (a command the room takes without waiting: no coroutine per command);
    the rest is returned, a coroutine for the session to await."""
    msg: Any = signed_command(conn, raw)
    if msg is None and (msg := parsed(conn, raw)) is None:
        return None
    try:
        if isinstance(msg, SignedCommand) and conn.room is not None:
            waiting = submit_command(server, conn, conn.room, msg.id, msg.command)
            if waiting is None:
                return None
        else:
            waiting = handle(server, conn, msg)
    except Exception:
        _failed(conn, msg)
        return None
    return _answering(conn, msg, waiting)


async def _answering(conn: Connection, msg: Any, waiting: Coroutine[Any, Any, None]) -> None:
    try:
        await waiting
    except Exception:
        _failed(conn, msg)


def _failed(conn: Connection, msg: Any) -> None:
    log.exception("error handling %s", type(msg).__name__)
    ident = getattr(msg, "id", None)
    conn.send(
        Error(
            id=ident if isinstance(ident, str) else None,
            code="server_error",
            message="the server failed on this message; it has been logged",
        )
    )


async def handle(server: GameServer, conn: Connection, msg: Any) -> None:
    if isinstance(msg, Ping):
        conn.send(Pong(t=msg.t, now=server.clock()))
    elif isinstance(msg, Join):
        await lobby.join(server, conn, msg)
    elif isinstance(msg, Resume):
        await lobby.resume(server, conn, msg)
    elif isinstance(msg, Facilitate):
        await lobby.facilitate(server, conn, msg)
    elif isinstance(msg, SendCommand):
        await run_command(server, conn, msg)
    elif isinstance(msg, History):
        await history(server, conn, msg)
    elif isinstance(msg, OutcomeHistory):
        outcome_history(conn, msg)
    elif isinstance(msg, Teammates):
        teammates(server, conn, msg)
    elif isinstance(msg, Fork) or (isinstance(msg, Report) and msg.runs is not None):
        await debrief.request(server, conn, msg)
    elif isinstance(msg, Report) and not conn.facilitator and msg.edition == "student":
        try:
            conn.send(Reply(id=msg.id, data=await lobby.student_report(server, conn, msg)))
        except Refused as exc:
            conn.send(Error(id=msg.id, code=exc.code, message=exc.message, field=exc.field))
    elif isinstance(
        msg, CreateGame | ListGames | ListScenarios | Members | Reseat | Report | RotateCodes | UploadScenario
    ):
        if not conn.facilitator:
            conn.send(Error(id=msg.id, code="forbidden", message="only the facilitator can do this"))
            return
        try:
            if isinstance(msg, UploadScenario):
                data = await lobby.upload(server, msg)
            else:
                data = await lobby.facilitator_request(server, conn, msg)
        except Refused as exc:
            conn.send(Error(id=msg.id, code=exc.code, message=exc.message, field=exc.field))
            return
        conn.send(Reply(id=msg.id, data=data))


async def run_command(server: GameServer, conn: Connection, msg: SendCommand) -> None:
    """A game command, signed with the connection's seat. Which seat may send it, and when, is the
    engine's one check to make (`Rejected` codes become protocol errors in `errors.PROTOCOL_ERRORS`:
    `seat` is `forbidden`); the server adds only the student's quotas."""
    room = conn.room
    if room is None or not conn.seat:
        conn.send(Error(id=msg.id, code="not_signed_in", message="join a game before sending commands"))
        return
    if "by" in msg.command:
        conn.send(
            Error(id=msg.id, code="invalid_message", message="commands must not name their sender", field="command.by")
        )
        return
    try:
        command = COMMAND_ADAPTER.validate_python(_sign(conn, dict(msg.command)))
    except ValidationError as exc:
        where, why = _invalid(exc, msg.command, "command")
        conn.send(Error(id=msg.id, code="invalid_message", message=f"{where}: {why}", field=where, seq=room.state.seq))
        return
    await execute_command(server, conn, room, msg.id, command)


async def execute_command(server: GameServer, conn: Connection, room: Room, ident: str, command: Command) -> None:
    """A signed and validated command of a connection signed in to `room`: the quotas, then the room."""
    waiting = submit_command(server, conn, room, ident, command)
    if waiting is not None:
        await waiting


def submit_command(
    server: GameServer, conn: Connection, room: Room, ident: str, command: Command
) -> Coroutine[Any, Any, None] | None:
    """`execute_command` as far as it goes at once: None once the command is answered or handed to the
    room (which acknowledges it once durable), else what waits for the room (`Room.execute`)."""
    over = over_quota(server, conn, room, command)
    if over is not None:
        conn.send(Error(id=ident, code="rate_limited", message=over, seq=room.state.seq))
        return None

    def acknowledge(seq: int) -> None:
        # (Called by the room once the step is durable and published: in the group commit's flush, the
        # acknowledgement goes out in the same write as the sender's share of the step.)
        conn.deliver_all((ack_message(ident, room.id, seq),))

    def refused(error: StoreError) -> None:
        log.error("error handling a command of game %s: %s", room.id, error)
        conn.send(Error(id=ident, code="server_error", message="the server failed on this message; it has been logged"))

    receipt = Receipt(conn.member or conn.seat, ident)
    try:
        # The session goes on reading while the step is written: it waits for the write only if the
        # client's next message comes first (`settle`). One turn of the loop less per command.
        written = room.submit(command, receipt=receipt, acknowledge=acknowledge, refused=refused)
    except (AlreadyApplied, Rejected) as exc:
        _not_run(conn, room, ident, exc)
        return None
    if written is None:
        return _execute(conn, room, ident, command, receipt, acknowledge)
    if not isinstance(written, int):
        conn.pending = written
    return None


async def _execute(
    conn: Connection, room: Room, ident: str, command: Command, receipt: Receipt, acknowledge: Callable[[int], None]
) -> None:
    """A command the room runs while the session waits (`Room.execute`: one that may end a phase, a retry)."""
    try:
        await room.execute(command, receipt=receipt, acknowledge=acknowledge)
    except (AlreadyApplied, Rejected) as exc:
        _not_run(conn, room, ident, exc)


def _not_run(conn: Connection, room: Room, ident: str, exc: AlreadyApplied | Rejected) -> None:
    """Answer a command the room did not run: acknowledged again (a retry), or refused by the engine."""
    if isinstance(exc, AlreadyApplied):
        conn.deliver_all((ack_message(ident, room.id, exc.seq, repeat=True),))
    else:
        conn.send(Error(id=ident, code=PROTOCOL_ERRORS[exc.code], message=shown(exc.reason, 500), seq=room.state.seq))


async def history(server: GameServer, conn: Connection, msg: History) -> None:
    """Older messages of one channel, as far as the connection's seat may read them (the engine says). The
    room's state keeps each channel's newest messages only: a page of older ones is read from the game's
    log, in a worker thread through a reader of its own (a sparse channel of a long game may take many
    rows to fill a page), on the state as it was when the request came."""
    room = conn.room
    if room is None or not conn.seat:
        conn.send(Error(id=msg.id, code="not_signed_in", message="join a game before asking for its messages"))
        return
    state, seat = room.state, conn.seat
    try:
        try:
            page = message_page(state, seat, msg.channel, msg.before, msg.limit)
        except LogNeeded:
            page = await asyncio.to_thread(_logged_page, server.store, room.id, state, seat, msg)
    except KeyError:
        conn.send(Error(id=msg.id, code="not_found", message="no such message in this channel", field="before"))
        return
    conn.send(Reply(id=msg.id, data=page))


def _logged_page(store: EventStore, game_id: str, state: State, seat: str, msg: History) -> MessagePage:
    with store.reader() as reader:
        return message_page(state, seat, msg.channel, msg.before, msg.limit, log=LoggedMessages(reader, game_id))


def outcome_history(conn: Connection, msg: OutcomeHistory) -> None:
    """One turn's results, revealed orders and proposals, as far as the connection's seat may see them (the
    engine says); a turn the game has not reached is `not_found`."""
    room = conn.room
    if room is None or not conn.seat:
        conn.send(Error(id=msg.id, code="not_signed_in", message="join a game before asking for its results"))
        return
    try:
        page = outcome_page(room.state, conn.seat, msg.turn)
    except KeyError as exc:  # (the seat is the connection's own: only the turn can be wrong)
        conn.send(Error(id=msg.id, code="not_found", message=str(exc.args[0]), field="turn"))
        return
    conn.send(Reply(id=msg.id, data=page))


def over_quota(server: GameServer, conn: Connection, room: Room, command: Command) -> str | None:
    """Why a student's command is over their own or their team's quota (`Quotas`), or None.
    The facilitator has none."""
    if conn.role != "team":
        return None
    text = command.__pydantic_serializer__.to_json(command)  # (`model_dump_json()`, without its wrapper)
    size = len(text) if text.isascii() else len(text.decode())  # (in characters)
    member = conn.member or str(id(conn))
    return server.quotas.refuse(room.id, conn.seat, member, room.state.turn, size, time.monotonic())


def teammates(server: GameServer, conn: Connection, msg: Teammates) -> None:
    """The students of the asker's seat, with their display names and whether they are online."""
    room = conn.room
    if room is None or conn.facilitator or conn.seat in ("", OBSERVER):
        conn.send(Error(id=msg.id, code="not_signed_in", message="join a team to see your teammates"))
        return
    online = {s.member for s in room.subscribers if isinstance(s, Connection)}
    members = [
        {"name": m.name, "online": m.token_hash in online, "you": m.token_hash == conn.member}
        for m in server.store.members(room.id)
        if m.active and m.seat == conn.seat
    ]
    conn.send(Reply(id=msg.id, data={"seat": conn.seat, "members": members}))
