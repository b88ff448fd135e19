"""The room's hot path in one process: CPU time per command, which other load on the machine disturbs little.

`bench_server_load.py` measures the whole server through real sockets, and on a shared machine its
throughput figures say as much about the neighbours as about the server. This one drives the rooms
directly: `--games` games of a shipped scenario in diplomacy, `--clients` subscribers each (students
round-robin over the teams, two observers) that only count what they are sent, and `--rounds`
rounds in which every game gets one `send_message` (alternately public and to a group of three
teams) with a receipt, the games' commands concurrent, as a server's are. It reports CPU and
wall-clock milliseconds per command: the engine, the store (with `--sync`), the fan-out and the
encoding, without websockets, which costs the same per delivery to crisisgame and to a bare server.

Usage: .venv/bin/python benchmarks/bench_room.py [--games 20] [--clients 20] [--rounds 150] [--sync normal]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.events import GameCreated
from crisisgame.scenario.catalogue import shipped
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import Room
from crisisgame.store.base import Receipt
from crisisgame.store.sqlite import SqliteStore


class Counter:
    """A subscriber that counts its messages (a connection that costs nothing)."""

    def __init__(self, seat: str) -> None:
        self.seat = seat
        self.received = 0

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        self.received += len(messages)


async def diplomacy_rooms(store: SqliteStore, scenario: str, games: int) -> tuple[list[str], list[Room]]:
    """`games` games `g0`, `g1`, ... of the shipped scenario `scenario` in `store`, every playable actor a
    team, each started and moved on to diplomacy: the teams and a room per game."""
    entry = next((e for e in shipped() if e.scenario.id == scenario), None)
    if entry is None:
        raise SystemExit(f"no shipped scenario {scenario!r}")
    sc = entry.scenario
    teams = [a.id for a in sc.actors if a.playable]
    rooms: list[Room] = []
    for g in range(games):
        store.create_game(f"g{g}", sc.id, sc.meta.title, 0.0)
        created = GameCreated(scenario=scenario_dict(sc), seed=g, teams=teams)
        room = Room.create(f"g{g}", store, created, time.time, bot_pause=3600)
        await room.execute(Start(by=FACILITATOR))
        await room.execute(Advance(by=FACILITATOR, phase="briefing"))
        rooms.append(room)
    return teams, rooms


async def run(args: argparse.Namespace) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-room-") as tmp:
        store = SqliteStore(Path(tmp) / "games.db", sync=args.sync)
        teams, rooms = await diplomacy_rooms(store, args.scenario, args.games)
        subscribers: list[Counter] = []
        for room in rooms:
            for c in range(args.clients):
                sub = Counter("observer" if c >= args.clients - 2 else teams[c % len(teams)])
                room.subscribers.add(sub)
                subscribers.append(sub)

        async def say(room: Room, r: int) -> None:
            by = teams[r % len(teams)]
            others = [t for t in teams if t != by]
            text = f"round {r}: our delegation proposes talks on the exclusion zone, with observers present."
            if r % 2:
                command = SendMessage(by=by, channel="public", text=text)
            else:
                command = SendMessage(by=by, channel="group", to=others[:2], text=text)
            await room.execute(command, receipt=Receipt(f"member-{r % 7}", f"c{r}"))

        cpu, wall = time.process_time(), time.perf_counter()
        for r in range(args.rounds):
            await asyncio.gather(*(say(room, r) for room in rooms))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        for room in rooms:
            room.close()
        store.close()
    commands = args.rounds * args.games
    deliveries = sum(s.received for s in subscribers)
    return (
        f"{args.games} games × {args.clients} subscribers, {commands} commands, --sync {args.sync}: "
        f"CPU {1000 * cpu / commands:.3f} ms/command, wall {1000 * wall / commands:.3f} ms/command, "
        f"{deliveries / commands:.1f} deliveries/command"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--games", type=int, default=20, help="games (default 20)")
    p.add_argument("--clients", type=int, default=20, help="subscribers per game (default 20)")
    p.add_argument("--rounds", type=int, default=150, help="commands per game (default 150)")
    p.add_argument("--sync", choices=["normal", "full"], default="normal", help="SQLite sync level (default normal)")
    p.add_argument("--scenario", default="taiwan-strait", help="shipped scenario id (default taiwan-strait)")
    args = p.parse_args(argv)
    if not (1 <= args.games <= 500 and 3 <= args.clients <= 200 and 1 <= args.rounds <= 10_000):
        p.error("--games 1..500, --clients 3..200, --rounds 1..10000")
    print(asyncio.run(run(args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
