"""The asyncio shell's wiring: the `GameServer` state, start-up (recovering games), the heartbeat,
`serve()` and shutdown.

One process serves HTTP (the browser client under `/`, `/healthz`) and the websocket endpoint
`/ws` with the `websockets` library. Each connection signs in (a team join code, a session token,
or the facilitator's token), then sends commands that the game's `Room` runs through the engine.
The concerns live beside this module: `http` (static files, health, schema, request checks),
`lobby` (sign-in and the facilitator's lobby), `sessions` (a websocket's messages), `limits` and
`connection` (what each client is held to).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.protocol import State

from crisisgame.scenario.library import CatalogueEntry, ScenarioLibrary
from crisisgame.server import collector, compression, http, sessions
from crisisgame.server.connection import Connection
from crisisgame.server.guard import JoinGuard, Quotas
from crisisgame.server.limits import Limits
from crisisgame.server.protocol import MAX_MESSAGE_BYTES
from crisisgame.server.reclaim import Reclaimer
from crisisgame.server.room import BOT_PAUSE, GroupCommit, Receipts, Room, Turnstile
from crisisgame.store.base import EventStore

__all__ = ["ALIVE_EVERY", "ALIVE_SETTING", "GC_THRESHOLDS", "RECEIPTS_KEPT", "Connection", "GameServer", "Limits"]

log = logging.getLogger("crisisgame.server")

GC_THRESHOLDS = collector.BACKSTOP
"""The cyclic garbage collector's thresholds while serving (Python's default is 700, 10, 10), when the
server collects by itself (`collector.Collector`): Python collects only after more allocations than a
step makes. A game makes almost no cyclic garbage (its events and states are freed by reference
counting), yet every event adds objects that live as long as the game, and a collection of the older
generations scans all of them: in the load benchmark the default ran a full collection every two
seconds, each pausing every game for 100-200 ms and freeing nothing."""
ALIVE_SETTING = "alive_at"
"""The store setting holding the server's last heartbeat (Unix seconds)."""
ALIVE_EVERY = 1.0
"""Seconds between heartbeats: a crash gives back the time it was down to within this much (and a
restart quicker than this gives back nothing)."""
RECEIPTS_KEPT = 7 * 24 * 3600.0
"""Seconds a game's command receipts (idempotency keys) are kept after it ended (its last event),
before `prune_receipts` retires them; who sent each command is kept for exports. A key is needed
while a client may still send its command again: a running game keeps every key; an ended game
refuses every command, so the only retries left are those sent before the end and still
unanswered, which a client gives up on within seconds (the browser client after `COMMAND_TIMEOUT`,
30 s). A week covers that with room to spare, a server down for days included."""
PRUNE_EVERY = 3600.0
"""Seconds between two prunings of receipts by a running server (and one at start-up)."""
Stamp = tuple[tuple[str, int, int], ...]
"""What the scenarios folder holds, as far as a cache of its catalogue cares: name, mtime, size."""


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
    collector: collector.Collector | None = field(default=None, init=False)
    deflate: compression.LargeOnlyDeflateFactory = field(default_factory=compression.LargeOnlyDeflateFactory)
    """The websocket compression the server negotiates (each large message compressed once, `compression`);
    its rooms ready their views through it (`Room.ready`: in a worker thread, once for all of a seat's
    clients)."""
    """The garbage collector's work while serving (`serve`), in steps of the event loop of its own."""
    _opening: dict[str, asyncio.Task[Room | None]] = field(default_factory=dict, init=False)
    """Ended games being replayed from their logs, in a worker thread, by game id."""
    _catalogue: tuple[Stamp, list[CatalogueEntry]] | None = field(default=None, init=False)
    """The scenarios folder's stamp (`_folder_stamp`) and the catalogue read with it."""
    _catalogue_generation: int = field(default=0, init=False)
    background: set[asyncio.Task[None]] = field(default_factory=set, init=False)
    """Long requests running in tasks of their own (kept here so they are not collected mid-run)."""
    _pruned_at: float = field(default=float("-inf"), init=False)
    """When receipts were last pruned (`prune_receipts`, the server's clock)."""
    reclaimer: Reclaimer = field(default_factory=Reclaimer)
    """What the server gives back over a long run: ended games' idle rooms."""

    def __post_init__(self) -> None:
        token = self.store.setting("facilitator_token")
        if token is None:
            # hex, never base64: a token may then never begin with '-', which a command line would
            # read as an option (`crisisgame fork --token -x...` failed one time in 64)
            token = secrets.token_hex(18)
            self.store.set_setting("facilitator_token", token)
        self.facilitator_token = token
        self.library = ScenarioLibrary(self.scenarios)
        GroupCommit.of(self.store)  # the store's one writer, made here: a room opened in a worker thread finds it

    # -- start-up and shutdown ----------------------------------------------------------------

    def recover(self) -> int:
        """Rebuild every unfinished game from its log and restart its clock; the number rebuilt.

        A game whose log cannot be read or replayed is left out (and logged), so one damaged game
        does not keep the server, and every other game, from starting. Ended games are opened from
        their logs when someone asks for one (`open_room`).
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
        self.prune_receipts()
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
        last note says since when it was down. Every `PRUNE_EVERY` seconds, prune old receipts too; and
        every beat, give back what memory is held for nothing (`reclaim`)."""
        while True:
            await asyncio.sleep(ALIVE_EVERY)
            try:
                self.store.set_setting(ALIVE_SETTING, repr(self.clock()))
            except Exception:
                log.exception("the heartbeat could not be written to the store")
            if self.clock() - self._pruned_at >= PRUNE_EVERY:
                self.prune_receipts()
            self.reclaim()

    def reclaim(self) -> None:
        """Drop the rooms of ended games nobody has looked at for a while (`reclaim`)."""
        dropped = self.reclaimer.drop_idle_rooms(self.rooms, self.clock())
        if dropped:
            log.info("ended game(s) %s left memory (nobody connected); opened from the log when asked for", dropped)

    def prune_receipts(self) -> int:
        """Retire the idempotency keys of games that ended more than `RECEIPTS_KEPT` seconds ago; how many."""
        now = self.clock()
        self._pruned_at = now
        try:
            retired = self.store.prune_receipts(now - RECEIPTS_KEPT)
        except Exception:
            log.exception("old command receipts could not be pruned")
            return 0
        if retired:
            log.info("retired %d command receipts of games ended over %d days ago", retired, RECEIPTS_KEPT // 86400)
        return retired

    def _load(self, game_id: str) -> Room | None:
        """Replay a game from its log (at start-up, or in a worker thread for an ended game). Its events
        and receipts are read through a reader of the calling thread's own (`EventStore.reader`): one
        snapshot of what is committed, never the store's connection, which the event loop writes."""
        try:
            with self.store.reader() as stored:
                events = [e for _, e in stored.events(game_id)]
                receipts = Receipts(stored.receipts_in_order(game_id))
            return Room(
                game_id,
                self.store,
                events,
                self.clock,
                bot_pause=self.bot_pause,
                receipts=receipts,
                ready=self.deflate.ready,
            )
        except Exception:
            log.exception("game %s cannot be rebuilt from its log; it is left out", game_id)
            return None

    async def open_room(self, game_id: str) -> Room | None:
        """A game's room: a running game's, or an ended game's, opened from its log on first request
        (for a debrief after the server restarted: the engine refuses every command of an ended game).

        The replay runs in a worker thread (the 8-turn Baltic takes a tenth of a second or more), so
        the other games go on meanwhile; requests for the same game while it opens share one replay."""
        room = self.rooms.get(game_id)
        if room is not None:
            return room
        opening = self._opening.get(game_id)
        if opening is None:
            if not any(g.id == game_id and g.phase == "ended" for g in self.store.games()):
                return None
            opening = asyncio.get_running_loop().create_task(self._open_ended(game_id))
            self._opening[game_id] = opening
        return await asyncio.shield(opening)

    async def _open_ended(self, game_id: str) -> Room | None:
        try:
            room = await asyncio.to_thread(self._load, game_id)
        finally:
            del self._opening[game_id]
        if room is not None and game_id not in self.rooms:
            self.rooms[game_id] = room
            log.info("ended game %s opened from its log", game_id)
        return self.rooms.get(game_id)

    async def catalogue(self) -> list[CatalogueEntry]:
        """The scenarios a game can be created from, read in a worker thread (validating the shipped
        scenarios takes a fifth of a second, an uploaded file a while too) and kept until an upload
        (`forget_catalogue`) or a change in the scenarios folder (a file copied in by hand)."""
        stamp = self._folder_stamp()
        if self._catalogue is not None and self._catalogue[0] == stamp:
            return self._catalogue[1]
        generation = self._catalogue_generation
        entries = await asyncio.to_thread(self.library.entries)
        if generation == self._catalogue_generation:  # (an upload during the read makes it stale)
            self._catalogue = (stamp, entries)
        return entries

    def _folder_stamp(self) -> Stamp:
        """Name, modification time and size of each scenario file in the folder: a few stat calls."""
        if self.scenarios is None or not self.scenarios.is_dir():
            return ()
        stamp = []
        for path in sorted(self.scenarios.glob("*.yaml")):
            try:
                status = path.stat()
            except OSError:
                continue
            stamp.append((path.name, status.st_mtime_ns, status.st_size))
        return tuple(stamp)

    def forget_catalogue(self) -> None:
        self._catalogue = None
        self._catalogue_generation += 1

    async def serve(self, host: str, port: int, ready: Callable[[int], None] | None = None) -> None:
        """Serve until cancelled; on cancellation close every client with 1001 (going away)."""
        thresholds, freezing = gc.get_threshold(), Room.freeze_history
        gc.set_threshold(*GC_THRESHOLDS)
        Room.freeze_history = True
        collecting = self.collector = collector.Collector()
        turnstile = Turnstile.of(asyncio.get_running_loop())
        turnstile.between = collecting.collect
        collecting.start()
        try:
            await self._serve(host, port, ready)
        finally:
            collecting.stop()
            turnstile.between = None
            gc.set_threshold(*thresholds)
            Room.freeze_history = freezing

    async def _serve(self, host: str, port: int, ready: Callable[[int], None] | None) -> None:
        self.host = host
        self.recover()
        async with serve(
            self.handler,
            host,
            port,
            process_request=self.process_request,
            max_size=MAX_MESSAGE_BYTES,
            extensions=[self.deflate],
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
                try:
                    await self._shut_down(server)
                finally:
                    self.deflate.close()

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

    async def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        return await http.process_request(self, connection, request)

    async def handler(self, ws: ServerConnection) -> None:
        await sessions.handler(self, ws)
