"""The lobby: signing in (a team's join code, a session token, the facilitator's token) and the
facilitator's requests outside a game's commands (catalogue, games, creation, codes, members, reports,
uploads). Each answers with data or raises `Refused`, which the session turns into an `error`."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import logging
import math
import secrets
import time
from typing import TYPE_CHECKING, Any

from crisisgame.engine.commands import FACILITATOR, OBSERVER
from crisisgame.engine.events import GameCreated
from crisisgame.scenario.checks import RESERVED_IDS
from crisisgame.scenario.model import Scenario, scenario_dict
from crisisgame.server.connection import Connection
from crisisgame.server.guard import display_name, shown
from crisisgame.server.protocol import (
    MAX_FACILITATOR_MESSAGE_BYTES,
    MAX_MESSAGE_BYTES,
    CreateGame,
    Error,
    ErrorCode,
    Facilitate,
    Join,
    ListGames,
    ListScenarios,
    Members,
    PhaseLengths,
    Report,
    Reseat,
    Resume,
    RotateCodes,
    UploadScenario,
    Welcome,
)
from crisisgame.server.room import Room
from crisisgame.store.base import EventStore, Member
from crisisgame.store.codes import new_code

if TYPE_CHECKING:
    from crisisgame.server.app import GameServer

log = logging.getLogger("crisisgame.server")


class Refused(Exception):
    """A lobby request that cannot be done, answered with a structured `error` (code, message, field)."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


STUDENT_REPORT_SETTING = "student_report:{game}"
"""Store setting that marks a game's student debrief edition as released to its seats."""


def report_page(store: EventStore, game_id: str, edition: str) -> str:
    """A game's debrief page ('full', 'summary' or 'student'), from its log. Run in a worker thread:
    a long game's takes a tenth of a second or more, and the other games go on meanwhile. The log is
    read through a reader of the thread's own: what is committed, never a group commit under way."""
    from crisisgame.debrief.history import history
    from crisisgame.debrief.report import report_html
    from crisisgame.debrief.summary import summarise
    from crisisgame.debrief.summary_html import summary_html

    with store.reader() as stored:  # (a connection of this thread's own: committed events only)
        record = history([e for _, e in stored.events(game_id)])
    if edition == "full":
        return report_html(record)
    return summary_html(summarise(record, "student" if edition == "student" else "facilitator"))


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


async def join(server: GameServer, conn: Connection, msg: Join) -> None:
    """A student joins with a code. Wrong codes are counted per address (`JoinGuard`): past the free
    ones, the address waits before its next try, answered without a look-up. A code works while its
    game runs; the facilitator can replace it (`rotate_codes`)."""
    address = str(conn.ws.remote_address[0]) if conn.ws.remote_address else "?"
    now = time.monotonic()
    wait = server.joins.wait(address, now)
    if wait > 0:
        message = f"too many wrong join codes from your network: wait {math.ceil(wait)} s, then try again"
        conn.send(Error(code="rate_limited", message=message, field="code"))
        return
    name = display_name(msg.name)
    if name is None:
        conn.send(Error(code="invalid_message", message="name: type a name others can read", field="name"))
        return
    found = server.store.seat_for_code(normalise_code(msg.code))
    room = await server.open_room(found[0]) if found is not None else None
    if found is None or room is None or found[1] == FACILITATOR:
        server.joins.failed(address, now)
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
    server.store.add_member(Member(hash_token(token), game_id, seat, name, True))
    enter(server, conn, room, seat, name, token, None, hash_token(token))


async def resume(server: GameServer, conn: Connection, msg: Resume) -> None:
    """A student comes back with the session token they were given on joining."""
    member = server.store.member(hash_token(msg.token))
    room = await server.open_room(member.game_id) if member is not None and member.active else None
    if member is not None and member.seat in (FACILITATOR, ""):
        room = None  # a student is never seated as the facilitator, whatever the log says
    if member is None or room is None:
        conn.send(
            Error(code="unknown_token", message="this session has ended; join again with your code", field="token")
        )
        return
    enter(server, conn, room, member.seat, member.name, None, msg.last_seq, member.token_hash)


async def facilitate(server: GameServer, conn: Connection, msg: Facilitate) -> None:
    """The facilitator signs in with the server's token, into a game or into the lobby."""
    if not hmac.compare_digest(msg.token.encode(), server.facilitator_token.encode()):
        conn.send(Error(code="unknown_token", message="wrong facilitator token", field="token"))
        return
    conn.facilitator = True
    conn.role = FACILITATOR
    conn.ws.protocol.max_message_size = MAX_FACILITATOR_MESSAGE_BYTES  # (scenario uploads)
    # Whatever seat the connection held before, it is now the facilitator's, in no game until it opens
    # one: the seat a command is signed with always matches how the connection signed in.
    if conn.room is not None:
        conn.room.subscribers.discard(conn)
    conn.room, conn.seat, conn.member = None, "", None
    if msg.game is not None:
        room = await server.open_room(msg.game)
        if room is None:
            conn.send(Error(code="not_found", message=f"no game '{shown(msg.game)}'", field="game"))
            return
        enter(server, conn, room, FACILITATOR, "Control", None, msg.last_seq, None)
    else:
        conn.send(Welcome(game=None, seat=FACILITATOR, name="Control", seq=0, now=server.clock()))


def enter(
    server: GameServer,
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
    conn.send(Welcome(game=room.id, seat=seat, name=name, token=token, seq=room.state.seq, now=server.clock()))
    # A long gap (a phone asleep through a busy phase) is caught up faster by the newest view and what
    # followed it, or by one fresh view, which carry the same as the messages it missed.
    conn.deliver_all(room.missed(seat, last_seq, server.limits.replay))
    room.subscribers.add(conn)


async def facilitator_request(server: GameServer, conn: Connection, msg: Any) -> dict[str, Any]:
    if isinstance(msg, ListScenarios):
        return {"scenarios": [{**_listed(e.scenario), "source": e.source} for e in await server.catalogue()]}
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
                    "codes": server.store.codes(g.id),
                }
                for g in server.store.games()
            ]
        }
    if isinstance(msg, CreateGame):
        return await create(server, msg)
    if isinstance(msg, Report):
        return await report(server, conn, msg)
    if isinstance(msg, RotateCodes):
        return rotate_codes(server, conn, msg)
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
                for m in server.store.members(room.id)
            ]
        }
    assert isinstance(msg, Reseat)
    member = server.store.member(msg.member)
    if member is None or member.game_id != room.id:
        raise Refused("not_found", "no such member in this game", "member")
    seats = [*sorted(room.state.teams), OBSERVER]
    if msg.seat is not None and msg.seat not in seats:
        raise Refused("not_found", f"no seat '{msg.seat}' for a student (seats: {', '.join(seats)})", "seat")
    server.store.set_member(member.token_hash, msg.seat or member.seat, msg.seat is not None)
    for sub in list(room.subscribers):
        if isinstance(sub, Connection) and sub.member == member.token_hash:
            sub.drop(4001, "your facilitator moved or removed you")
    return {"member": msg.member, "seat": msg.seat}


async def report(server: GameServer, conn: Connection, msg: Report) -> dict[str, Any]:
    game_id = msg.game or (conn.room.id if conn.room else None)
    if game_id is None:
        raise Refused("not_signed_in", "name a game, or open one first (facilitate with its id)", "game")
    if game_id not in {g.id for g in server.store.games()}:
        raise Refused("not_found", f"no stored game '{game_id}'", "game")
    if msg.release:
        if msg.edition != "student":
            raise Refused("rejected", "only the student edition can be released to the class", "release")
        server.store.set_setting(STUDENT_REPORT_SETTING.format(game=game_id), "released")
    return {"game": game_id, "html": await asyncio.to_thread(report_page, server.store, game_id, msg.edition)}


async def student_report(server: GameServer, conn: Connection, msg: Report) -> dict[str, Any]:
    """The student edition of the seat's own game, once the facilitator has released it."""
    room = conn.room
    if room is None:
        raise Refused("not_signed_in", "join a game first", "game")
    if (msg.game is not None and msg.game != room.id) or msg.release:
        raise Refused("forbidden", "only the facilitator can do this")
    if server.store.setting(STUDENT_REPORT_SETTING.format(game=room.id)) != "released":
        raise Refused("forbidden", "your facilitator has not released the debrief summary yet")
    return {"game": room.id, "html": await asyncio.to_thread(report_page, server.store, room.id, "student")}


async def create(server: GameServer, msg: CreateGame) -> dict[str, Any]:
    scenario = next((e.scenario for e in await server.catalogue() if e.scenario.id == msg.scenario), None)
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
        at=server.clock(),
        scenario=scenario_dict(scenario),
        seed=seed,
        teams=list(msg.teams),
        auto_release=msg.auto_release,
    )
    game_id = secrets.token_hex(4)
    server.store.create_game(game_id, scenario.id, scenario.meta.title, server.clock())
    room = Room.create(
        game_id, server.store, created, server.clock, bot_pause=server.bot_pause, ready=server.deflate.ready
    )
    server.rooms[game_id] = room
    codes = {seat: new_code() for seat in [*msg.teams, OBSERVER]}
    server.store.set_codes(game_id, codes)
    log.info("game %s created from %s with teams %s and seed %d", game_id, scenario.id, msg.teams, seed)
    gc.freeze()
    return {"game": game_id, "codes": codes, "seed": seed}


def rotate_codes(server: GameServer, conn: Connection, msg: RotateCodes) -> dict[str, Any]:
    """New join codes for a game's seats (all, or one): the old ones stop working at once."""
    game_id = msg.game or (conn.room.id if conn.room else None)
    if game_id is None:
        raise Refused("not_signed_in", "name a game, or open one first (facilitate with its id)", "game")
    record = next((g for g in server.store.games() if g.id == game_id), None)
    if record is None:
        raise Refused("not_found", f"no stored game '{shown(game_id)}'", "game")
    if record.phase == "ended":
        raise Refused("rejected", "the game has ended: its codes no longer work", "game")
    seats = server.store.codes(game_id)
    if msg.seat is not None and msg.seat not in seats:
        raise Refused("not_found", f"no seat '{shown(msg.seat)}' (seats: {', '.join(sorted(seats))})", "seat")
    fresh = {seat: new_code() for seat in ([msg.seat] if msg.seat is not None else seats)}
    server.store.replace_codes(game_id, fresh)
    log.info("game %s: new join codes for %s", game_id, ", ".join(sorted(fresh)))
    return {"game": game_id, "codes": server.store.codes(game_id)}


async def upload(server: GameServer, msg: UploadScenario) -> dict[str, Any]:
    """Validate an uploaded scenario with the loader (in a thread: a big file takes a while, and the
    games go on meanwhile) and keep it if valid. Errors are data in the reply, not a failure."""
    name = shown(msg.name, 80) or "upload.yaml"
    scenario, errors = await asyncio.to_thread(server.library.upload, msg.text, name)
    if scenario is not None:
        server.forget_catalogue()
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
