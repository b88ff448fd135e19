"""The press hot path from a client's frame to its broadcast, in one process: CPU time per command.

`bench_room.py` drives the rooms directly; this one starts where the server's sessions start, at the
text a client's websocket frame carries: each game's clients are `Connection`s over an in-memory
websocket (a real `websockets` protocol in the open state, a transport that counts what it is
written), each read by the server's own `sessions.session` loop (the rate limit, the one-pass parse
and validation of a command, the quotas, `Room.submit`, the group commit, the fan-out and the
acknowledgement). As in the load benchmark's press shape (`bench_server_load.py --shape press`),
`--games` games of a shipped scenario in diplomacy, every playable actor a team, `--clients` clients
each (one observer, the rest students round-robin over the teams) and, in each of `--rounds` rounds,
one public `send_message` per game from its next student (`--burst`: from each of its next few
students), the games' commands read in one turn of the event loop, as a loaded server reads them, and
written in one group commit. The garbage collector is set as the
server sets it while serving. The quotas and the rate limit are on but never bind
(`serve --no-quotas --rate-limit ...`).
It leaves out what costs the same per message to crisisgame and to a bare server: the sockets and
the `websockets` frame parsing.

Usage: .venv/bin/python benchmarks/bench_session.py [--games 20] [--clients 7] [--rounds 300] [--burst 1]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from websockets.asyncio.server import ServerConnection
from websockets.protocol import State
from websockets.server import ServerProtocol

from bench_room import diplomacy_rooms
from crisisgame.engine.commands import OBSERVER
from crisisgame.server import collector
from crisisgame.server.app import GC_THRESHOLDS, GameServer
from crisisgame.server.connection import Connection
from crisisgame.server.guard import Quotas
from crisisgame.server.limits import Limits
from crisisgame.server.room import Turnstile
from crisisgame.server.sessions import session
from crisisgame.store.sqlite import SqliteStore

FILLER = "Our delegation proposes talks on the exclusion zone, with observers from both sides present."


class Transport:
    """A socket that takes every write at once and counts it."""

    def __init__(self) -> None:
        self.writes = 0
        self.written = 0
        self.last = b""

    def get_write_buffer_size(self) -> int:
        return 0

    def write(self, data: bytes) -> None:
        self.writes += 1
        self.written += len(data)
        self.last = data

    def abort(self) -> None:
        pass


class Socket:
    """What `Connection` and `session` read of a `websockets` server connection: its protocol (open,
    no extension), its transport, and `recv`, which returns the frames the benchmark queues."""

    def __init__(self) -> None:
        self.protocol = ServerProtocol(state=State.OPEN)
        self.transport = Transport()
        self.send_in_progress = None
        self.remote_address = ("127.0.0.1", 0)
        self.inbox: asyncio.Queue[str] = asyncio.Queue()

    async def recv(self) -> str:
        return await self.inbox.get()


async def run(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-session-") as tmp:
        store = SqliteStore(Path(tmp) / "games.db", sync=args.sync)
        # As the load benchmark's press shape runs it: `serve --no-quotas --rate-limit 400`, whose limits
        # never bind on a stream of a few hundred messages per second per game.
        limits = Limits(rate=1e9, burst=3e9)
        server = GameServer(store=store, quotas=Quotas.off(), limits=limits)
        senders: list[list[Connection]] = []
        sockets: list[Socket] = []
        tasks: list[asyncio.Task[None]] = []
        teams, rooms = await diplomacy_rooms(store, args.scenario, args.games)
        for g, room in enumerate(rooms):
            server.rooms[room.id] = room
            game_senders: list[Connection] = []
            for c in range(args.clients):
                socket = Socket()
                conn = Connection(cast(ServerConnection, socket), server.limits)
                observer = c == args.clients - 1
                conn.room, conn.seat = room, OBSERVER if observer else teams[c % len(teams)]
                conn.member, conn.name = f"member-{g}-{c}", f"Student {c}"
                conn.role = OBSERVER if observer else "team"
                room.subscribers.add(conn)
                sockets.append(socket)
                tasks.append(asyncio.create_task(session(server, conn)))
                if not observer:
                    game_senders.append(conn)
            senders.append(game_senders)
        # The garbage collector as the server has it while serving (`GameServer.serve`).
        thresholds = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
        collecting = collector.Collector()
        Turnstile.of(asyncio.get_running_loop()).between = collecting.collect
        collecting.start()

        def frame(ident: str) -> str:
            text = f"BENCH|{ident}|{time.monotonic():.6f} {FILLER}"
            command: dict[str, Any] = {"type": "send_message", "channel": "public", "text": text}
            return json.dumps({"type": "command", "id": ident, "command": command})

        async def round_of(r: int) -> None:
            """`--burst` commands per game, read in one turn of the loop; back once every game has taken them."""
            targets = [room.state.seq + args.burst for room in rooms]
            for game in senders:
                for k in range(args.burst):
                    conn = game[(r * args.burst + k) % len(game)]
                    cast(Socket, conn.ws).inbox.put_nowait(frame(f"c{r}-{k}"))
            spins = 0
            while any(room.state.seq < target for room, target in zip(rooms, targets, strict=True)):
                spins += 1
                if spins > 10_000:  # (a command refused: say why rather than spin)
                    late = next(g for g, (room, t) in enumerate(zip(rooms, targets, strict=True)) if room.state.seq < t)
                    last = [cast(Socket, conn.ws).transport.last[:300] for conn in senders[late]]
                    raise SystemExit(f"round {r}: g{late} refused a command; its senders were last sent {last}")
                await asyncio.sleep(0)

        for r in range(args.warm):
            await round_of(r)
        base = sum(s.transport.writes for s in sockets), sum(s.transport.written for s in sockets)
        cpu, wall = time.process_time(), time.perf_counter()
        for r in range(args.warm, args.warm + args.rounds):
            await round_of(r)
        for _ in range(3):
            await asyncio.sleep(0)  # (the last round's acknowledgements)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        writes = sum(s.transport.writes for s in sockets) - base[0]
        written = sum(s.transport.written for s in sockets) - base[1]
        collecting.stop()
        gc.set_threshold(*thresholds)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for room in rooms:
            room.close()
        store.close()
    commands = args.rounds * args.games * args.burst
    return (
        f"{args.games} games × {args.clients} clients, {commands} commands, --sync {args.sync}: "
        f"CPU {1000 * cpu / commands:.3f} ms/command, wall {1000 * wall / commands:.3f} ms/command, "
        f"{writes / commands:.1f} writes and {written / commands:.0f} bytes/command"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--games", type=int, default=20, help="games (default 20)")
    p.add_argument("--clients", type=int, default=7, help="clients per game, one of them an observer (default 7)")
    p.add_argument("--rounds", type=int, default=300, help="commands per game, measured (default 300)")
    p.add_argument(
        "--burst", type=int, default=1, help="commands per game read in one turn of the loop, from as many students"
    )
    p.add_argument("--warm", type=int, default=20, help="commands per game before measuring (default 20)")
    p.add_argument("--sync", choices=["normal", "full"], default="normal", help="SQLite sync level (default normal)")
    p.add_argument("--scenario", default="taiwan-strait", help="shipped scenario id (default taiwan-strait)")
    args = p.parse_args(argv)
    if not (1 <= args.games <= 500 and 2 <= args.clients <= 200 and 1 <= args.rounds <= 10_000 and args.warm >= 0):
        p.error("--games 1..500, --clients 2..200, --rounds 1..10000, --warm >= 0")
    if not 1 <= args.burst < args.clients:
        p.error("--burst 1..clients-1 (one command per student and round at most)")
    print(asyncio.run(run(args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
