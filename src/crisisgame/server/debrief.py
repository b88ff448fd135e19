"""The console's debrief requests that take more than a moment: live forks and the class against bot runs.

A fork becomes a live game in this server: the stored game's log up to turn N's orders, that orders
phase started again on the server's clock (`debrief.fork.reopen`), stored under a new id with its
own join codes, and scheduled like any running game. The distribution plays its bot games in worker
processes from a thread, so the event loop keeps serving every other game; the facilitator's
connection hears `progress` after each run.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crisisgame.debrief.fork import ForkError, fork_title, reopen
from crisisgame.engine.apply import fold
from crisisgame.engine.commands import OBSERVER
from crisisgame.engine.events import Event
from crisisgame.experiments import default_jobs
from crisisgame.server.protocol import Error, ErrorCode, Fork, Progress, Reply, Report
from crisisgame.server.room import Room
from crisisgame.store.codes import new_code

if TYPE_CHECKING:
    from crisisgame.server.app import GameServer
    from crisisgame.server.connection import Connection

log = logging.getLogger("crisisgame.server")


class DebriefRefused(Exception):
    """A debrief request that cannot be done: the error code, the message and the field at fault."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def _stored(server: GameServer, conn: Connection, game: str | None) -> tuple[str, list[Event]]:
    game_id = game or (conn.room.id if conn.room else None)
    if game_id is None:
        raise DebriefRefused("not_signed_in", "name a game, or open one first (facilitate with its id)", "game")
    if game_id not in {g.id for g in server.store.games()}:
        raise DebriefRefused("not_found", f"no stored game '{game_id}'", "game")
    return game_id, [e for _, e in server.store.events(game_id)]


async def open_fork(server: GameServer, conn: Connection, msg: Fork) -> dict[str, Any]:
    """Fork a stored game at turn `msg.turn` into a new live game with a fresh clock; its id and codes."""
    game_id, events = _stored(server, conn, msg.game)
    original = fold(events[:1])
    try:
        title = fork_title(original.scenario.meta.title, game_id, msg.turn, msg.reason)
        now = server.clock()
        forked = await asyncio.to_thread(reopen, events, msg.turn, {}, now)
    except ForkError as exc:
        raise DebriefRefused("rejected", str(exc), "turn") from None
    new_id = secrets.token_hex(4)
    state = fold(forked)
    server.store.create_game(new_id, state.scenario.id, title, now)
    server.store.append(new_id, 0, forked, state.phase)
    room = Room(new_id, server.store, forked, server.clock, bot_pause=server.bot_pause, ready=server.deflate.ready)
    server.rooms[new_id] = room
    room.schedule()
    codes = {seat: new_code() for seat in [*sorted(state.teams), OBSERVER]}
    server.store.set_codes(new_id, codes)
    log.info("game %s forked from %s at turn %d: %s", new_id, game_id, msg.turn, msg.reason)
    return {"game": new_id, "codes": codes, "forked_from": game_id, "turn": msg.turn, "title": title}


def _summary_with_runs(
    events: list[Event], edition: str, runs: int, jobs: int, on_step: Callable[[int, int], None]
) -> str:
    from crisisgame.debrief.against import distribution_section
    from crisisgame.debrief.history import history
    from crisisgame.debrief.summary import summarise
    from crisisgame.debrief.summary_html import summary_html

    h = history(events)
    section = distribution_section(h, runs, jobs, on_step=on_step)
    return summary_html(summarise(h, "student" if edition == "student" else "facilitator"), distribution=section)


async def summary_with_runs(server: GameServer, conn: Connection, msg: Report, jobs: int) -> dict[str, Any]:
    """The summary with the class placed among `msg.runs` bot games, played off the event loop."""
    if msg.edition == "full":
        raise DebriefRefused("rejected", "runs go with the summary or student edition, not the full record", "runs")
    if msg.release:
        raise DebriefRefused("rejected", "release the student edition on its own, without runs", "release")
    assert msg.runs is not None
    game_id, events = _stored(server, conn, msg.game)
    if fold(events).turn < 1:
        raise DebriefRefused("rejected", "the game has not started: there is nothing to compare with bot games", "game")
    loop = asyncio.get_running_loop()

    def step(done: int, total: int) -> None:
        loop.call_soon_threadsafe(conn.send, Progress(id=msg.id, done=done, total=total))

    html = await asyncio.to_thread(_summary_with_runs, events, msg.edition, msg.runs, jobs, step)
    return {"game": game_id, "html": html}


async def request(server: GameServer, conn: Connection, msg: Fork | Report) -> None:
    """A live fork, or a summary with bot runs (in a task of its own: the connection keeps being read
    while the runs play, and hears their progress)."""
    if not conn.facilitator:
        conn.send(Error(id=msg.id, code="forbidden", message="only the facilitator can do this"))
        return

    async def answer() -> None:
        try:
            if isinstance(msg, Fork):
                data = await open_fork(server, conn, msg)
            else:
                data = await summary_with_runs(server, conn, msg, default_jobs())
        except DebriefRefused as exc:
            conn.send(Error(id=msg.id, code=exc.code, message=exc.message, field=exc.field))
            return
        except ValueError as exc:
            conn.send(Error(id=msg.id, code="rejected", message=str(exc), field="runs"))
            return
        conn.send(Reply(id=msg.id, data=data))

    if isinstance(msg, Fork):
        await answer()
        return
    task = asyncio.get_running_loop().create_task(answer())
    server.background.add(task)
    task.add_done_callback(server.background.discard)
