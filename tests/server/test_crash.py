"""Crash recovery: `crisisgame serve` in a subprocess is killed with SIGKILL at random moments while
bots play live and test clients send commands, and restarted on the same database each time.

Proven afterwards: no acknowledged event was lost (every acked seq is in the store, and every event a
client received is stored with the same content), every game's log folds from scratch, and every game
went on after each restart: the phase timer fired again and phases advanced.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from crisisgame.engine.apply import fold
from crisisgame.engine.events import Event
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import BALTIC, TRIO, ServerProcess, short_scenario, start_process

pytestmark = pytest.mark.timing
"""These tests race the wall clock: `make test` runs them after the parallel run, alone."""

KILLS = 5
SEED = 20261123


@dataclass
class Current:
    """The server process of the moment (its port changes at every restart)."""

    server: ServerProcess | None = None
    up: asyncio.Event = field(default_factory=asyncio.Event)
    restarts: int = 0


@dataclass
class Seat:
    """A test client playing one seat of one game, across every crash; what it was told is recorded."""

    game: str
    seat: str
    sign_in: dict[str, Any]
    token: str | None = None
    last_seq: int | None = None
    events: dict[int, dict[str, Any]] = field(default_factory=dict)
    acked: dict[str, int] = field(default_factory=dict)
    phases: list[tuple[int, int, str]] = field(default_factory=list)
    """(restart count, turn, phase) of every view received."""
    view: dict[str, Any] | None = None
    """The latest view (a resume that missed nothing brings none: the client plays on from this one)."""
    ids: itertools.count[int] = field(default_factory=itertools.count)
    refused: list[tuple[int, str, str]] = field(default_factory=list)
    """(restart count, command id, reason) of every command the server refused."""

    def resume_message(self) -> dict[str, Any]:
        if self.token is None:
            return self.sign_in
        message = (
            {**self.sign_in, "last_seq": self.last_seq}
            if self.sign_in["type"] == "facilitate"
            else {
                "type": "resume",
                "token": self.token,
                "last_seq": self.last_seq,
            }
        )
        return {k: v for k, v in message.items() if v is not None}


async def play(seat: Seat, current: Current, stop: asyncio.Event, rng: random.Random) -> None:
    """Connect (or resume), play the seat, and reconnect whenever the server goes away."""
    while not stop.is_set():
        await current.up.wait()
        assert current.server is not None
        try:
            async with asyncio.timeout(5):
                ws = await connect(current.server.url, open_timeout=3, close_timeout=1, max_size=None)
        except (OSError, TimeoutError, InvalidHandshake):
            await asyncio.sleep(0.05)
            continue
        with contextlib.suppress(ConnectionClosed):
            await session(ws, seat, current, stop, rng)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 1)


async def session(ws: ClientConnection, seat: Seat, current: Current, stop: asyncio.Event, rng: random.Random) -> None:
    """One connection: record every message, and play each phase once (on its view, or when quiet)."""
    acting: asyncio.Task[None] | None = None
    acted: set[tuple[int, str]] = set()

    def react() -> None:
        nonlocal acting
        if seat.view is None or seat.sign_in["type"] != "join" or (acting and not acting.done()):
            return
        key = (seat.view["game"]["turn"], seat.view["game"]["phase"])
        if key not in acted:
            acted.add(key)
            acting = asyncio.get_running_loop().create_task(act(ws, seat, seat.view, rng))

    try:
        await ws.send(json.dumps(seat.resume_message()))
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), 0.2)
            except TimeoutError:
                react()  # quiet: make sure this connection has played the current phase
                continue
            msg = json.loads(raw)
            if msg["type"] == "welcome":
                if seat.token is None:
                    seat.token = msg.get("token") or "facilitator"
                continue
            if msg["type"] == "ack":
                seat.acked[msg["id"]] = msg["seq"]
                continue
            if msg["type"] == "error":
                seat.refused.append((current.restarts, str(msg.get("id")), msg["message"]))
                continue
            if msg["type"] == "event":
                seat.events[msg["seq"]] = msg["event"]
            if msg["type"] in ("event", "view"):
                seat.last_seq = max(seat.last_seq or 0, msg["seq"])
            if msg["type"] == "view":
                game = msg["view"]["game"]
                seat.phases.append((current.restarts, game["turn"], game["phase"]))
                seat.view = msg["view"]
                react()
    finally:
        if acting is not None:
            acting.cancel()


def answers_due(view: dict[str, Any], seat: str, rng: random.Random) -> dict[str, Any]:
    """Answers to the calls and demands due this turn (a team cannot be ready without them)."""
    turn = view["game"]["turn"]
    calls = [c["id"] for c in view["calls"] if c["status"] == "open" and seat in c["obligated"] and c["turn"] < turn]
    demands = [d["id"] for d in view["demands"] if d["status"] == "open" and d["target"] == seat and d["turn"] < turn]
    honour = rng.random() < 0.5
    return {
        # One decision for every call: calls from the same ally against the same attacker must be
        # answered alike (the engine refuses orders that split them).
        "call_answers": [{"call_id": c, "honour": honour} for c in calls],
        "demand_answers": [{"demand_id": d, "accept": rng.random() < 0.5} for d in demands],
    }


async def act(ws: ClientConnection, seat: Seat, view: dict[str, Any], rng: random.Random) -> None:
    """What a team does in a phase: talk, then be ready; or submit orders, then be ready."""
    phase, me = view["game"]["phase"], view["me"]
    await asyncio.sleep(rng.uniform(0.05, 0.3))

    async def send(command: dict[str, Any]) -> None:
        await ws.send(json.dumps({"type": "command", "id": f"{seat.seat}-{next(seat.ids)}", "command": command}))

    if phase == "diplomacy":
        await send({"type": "send_message", "channel": "public", "text": f"{seat.seat} in turn {view['game']['turn']}"})
    elif phase == "orders" and me["orders"] is None:
        orders = {"defence_spending": round(rng.uniform(1, 4), 2), **answers_due(view, seat.seat, rng)}
        await send({"type": "submit_orders", "orders": orders})
    if phase in ("diplomacy", "orders") and seat.seat not in view["game"]["ready"]:
        await asyncio.sleep(rng.uniform(0.05, 0.3))
        await send({"type": "set_ready"})


async def lobby(current: Current, tmp_path: Path) -> list[tuple[str, dict[str, str]]]:
    """Create two games (mostly bots) and start them: their ids and join codes."""
    assert current.server is not None
    games = []
    async with connect(current.server.url) as ws:
        await ws.send(json.dumps({"type": "facilitate", "token": current.server.token}))
        json.loads(await ws.recv())
        for i, (base, teams) in enumerate([(BALTIC, ["EST", "LVA"]), (TRIO, ["ALPHA"])]):
            scenario = short_scenario(tmp_path, base, count=50, briefing=1, results=1, name=f"crash{i}.yaml")
            text = scenario.read_text(encoding="utf-8")
            await ws.send(json.dumps({"type": "upload_scenario", "id": f"u{i}", "text": text}))
            uploaded = json.loads(await ws.recv())["data"]["scenario"]["id"]
            request = {"type": "create_game", "id": f"c{i}", "scenario": uploaded, "teams": teams, "seed": i}
            await ws.send(json.dumps(request))
            reply = json.loads(await ws.recv())
            games.append((reply["data"]["game"], reply["data"]["codes"]))
    return games


async def test_sigkill_at_random_moments_loses_no_acknowledged_event_and_every_game_goes_on(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db, log = tmp_path / "games.db", tmp_path / "server.log"
    current = Current()
    stop = asyncio.Event()
    players: list[asyncio.Task[None]] = []
    try:
        async with asyncio.timeout(75):
            current.server = await start_process(db, log)
            current.up.set()
            games = await lobby(current, tmp_path)
            seats: list[Seat] = []
            for game, codes in games:
                token = current.server.token
                seats.append(Seat(game, "facilitator", {"type": "facilitate", "token": token, "game": game}))
                seats += [
                    Seat(game, s, {"type": "join", "code": c, "name": s}) for s, c in codes.items() if s != "observer"
                ]
            players = [asyncio.get_running_loop().create_task(play(s, current, stop, rng)) for s in seats]
            controls = {s.game: s for s in seats if s.seat == "facilitator"}

            async with connect(current.server.url) as ws:  # start both games
                await ws.send(json.dumps({"type": "facilitate", "token": current.server.token}))
                await ws.recv()
                for game, _ in games:
                    await ws.send(json.dumps({"type": "facilitate", "token": current.server.token, "game": game}))
                    await ws.send(json.dumps({"type": "command", "id": "go", "command": {"type": "start"}}))
                    while json.loads(await ws.recv())["type"] != "ack":
                        pass

            for kill in range(KILLS):
                if kill == KILLS - 1:
                    # The last kill lands in a phase only the clock can end (results: 1 s).
                    control = controls[games[1][0]]
                    seen = len(control.phases)
                    while not any(p[2] == "results" for p in control.phases[seen:]):
                        await asyncio.sleep(0.01)
                else:
                    await asyncio.sleep(rng.uniform(0.3, 2.0))
                current.up.clear()
                current.server.proc.send_signal(signal.SIGKILL)
                assert await current.server.proc.wait() == -signal.SIGKILL
                current.restarts += 1
                current.server = await start_process(db, log)
                current.up.set()

            # After the last restart every game goes on: a timer fires and phases advance.
            def advanced(game: str) -> bool:
                after = [(t, p) for r, t, p in controls[game].phases if r == KILLS]
                return len(set(after)) >= 4 and "briefing" in {p for _, p in after}

            try:
                async with asyncio.timeout(30):
                    while not all(advanced(g) for g, _ in games):
                        await asyncio.sleep(0.05)
            except TimeoutError:
                raise AssertionError(
                    {g: [p for p in controls[g].phases if p[0] == KILLS] for g, _ in games}
                    | {"seats": [(s.seat, s.last_seq, s.phases[-3:], s.refused) for s in seats]}
                ) from None
            stop.set()
            await asyncio.gather(*players)
            current.server.proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(current.server.proc.wait(), 15) == 0
    finally:
        stop.set()
        for task in players:
            task.cancel()
        if current.server is not None and current.server.proc.returncode is None:
            current.server.proc.kill()
            await current.server.proc.wait()

    store = SqliteStore(db)
    try:
        for game, _ in games:
            stored: dict[int, Event] = dict(store.events(game))
            state = fold(stored[seq] for seq in sorted(stored))  # the log replays without error
            assert sorted(stored) == list(range(1, state.seq + 1))
            assert next(g for g in store.games() if g.id == game).seq == state.seq
            assert state.turn >= 2
            for seat in (s for s in seats if s.game == game):
                # Every acknowledged command's events are in the store...
                assert seat.acked or seat.seat == "facilitator"
                for ident, seq in seat.acked.items():
                    assert seq in stored, (seat.seat, ident, seq)
                # ...and every event a client received is stored as it was received.
                for seq, received in seat.events.items():
                    kept = stored[seq].model_dump(mode="json")
                    if received["type"] == "outcome" and seat.seat != "facilitator":
                        # A team gets an outcome without other seats' perceptions: a part of the stored one.
                        assert {k: v for k, v in received.items() if k != "changes"} == {
                            k: v for k, v in kept.items() if k != "changes"
                        }
                        assert all(ch in kept["changes"] for ch in received["changes"])
                    else:
                        assert received == kept, (seat.seat, seq)
            # Bots played live in every orders phase the game went through.
            bots = [a for a in state.actors if a not in state.teams]
            submitted = [e for e in stored.values() if e.type == "orders_submitted"]
            assert {e.actor for e in submitted if e.turn == 1} >= set(bots), [
                (seq, e.type, getattr(e, "actor", None), getattr(e, "phase", None)) for seq, e in sorted(stored.items())
            ]
        assert "Traceback" not in log.read_text()
    finally:
        store.close()
