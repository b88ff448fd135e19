"""Phase changes that do not stall (issue 14): the heavy moments of games (a phase's end, decided once,
and each seat's fresh view) take turns at the loop's turnstile, one per turn of the event loop, so
that other games are read and answered between any two of them, however many games change phase at
the same instant; and none of it runs inside the group commit that made the step durable."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import pytest

from crisisgame.engine.commands import FACILITATOR, Advance, Command, SendMessage, Start
from crisisgame.engine.events import GameCreated
from crisisgame.engine.game import Game, Step
from crisisgame.engine.state import State
from crisisgame.engine.view import view_json
from crisisgame.scenario.model import scenario_dict
from crisisgame.server import room as room_module
from crisisgame.server.room import GroupCommit, Room, Turnstile
from crisisgame.store.sqlite import SqliteStore
from tests.engine.support import trio
from tests.server.support import (
    UNLIMITED,
    FakeClock,
    Listener,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    upload,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]


async def rooms_in_diplomacy(store: SqliteStore, n: int) -> tuple[list[Room], list[Listener]]:
    """`n` trio games in diplomacy, each with a listener on every seat a client can hold."""
    sc = trio()
    teams = [a.id for a in sc.actors if a.playable]
    rooms, listeners = [], []
    for g in range(n):
        store.create_game(f"g{g}", sc.id, "t", 0.0)
        created = GameCreated(scenario=scenario_dict(sc), seed=g, teams=teams)
        room = Room.create(f"g{g}", store, created, FakeClock(), bot_pause=3600)
        await room.execute(Start(by=FACILITATOR))
        await room.execute(Advance(by=FACILITATOR))
        for seat in room.seats:
            listener = Listener(seat)
            room.subscribers.add(listener)
            listeners.append(listener)
        rooms.append(room)
    return rooms, listeners


class Ticker:
    """Writes 'tick' into a trace once per turn of the event loop while it runs."""

    def __init__(self, trace: list[str]) -> None:
        self.trace = trace
        self.running = True
        self.task = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        while self.running:
            self.trace.append("tick")
            await asyncio.sleep(0)

    async def stop(self) -> None:
        self.running = False
        await self.task


def traced_views(monkeypatch: pytest.MonkeyPatch, trace: list[str]) -> None:
    def traced(state: State, seat: str) -> bytes:
        trace.append(f"view {seat}")
        return view_json(state, seat)

    monkeypatch.setattr(room_module, "view_json", traced)


def heavy_entries_each_in_a_loop_turn_of_its_own(trace: list[str], heavy: str) -> bool:
    """Whether the loop turned (a tick) between any two entries of the trace that begin with `heavy`."""
    marks = [i for i, x in enumerate(trace) if x.startswith(heavy)]
    return all("tick" in trace[a:b] for a, b in itertools.pairwise(marks))


async def test_games_changing_phase_at_once_build_their_views_one_per_loop_turn(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rooms, listeners = await rooms_in_diplomacy(store, 3)
    trace: list[str] = []
    traced_views(monkeypatch, trace)
    ticker = Ticker(trace)
    await asyncio.gather(*(room.execute(Advance(by=FACILITATOR)) for room in rooms))
    await ticker.stop()
    views = [x for x in trace if x.startswith("view")]
    assert len(views) == sum(len(room.seats) for room in rooms)  # every seat of every game, once
    assert heavy_entries_each_in_a_loop_turn_of_its_own(trace, "view")
    for room in rooms:
        assert room.state.phase == "orders"
    for listener in listeners:  # every seat's last view is its new one (the bot may have moved since)
        last = max(i for i, got in enumerate(listener.got) if got.startswith(b'{"type":"view"'))
        assert b'"phase":"orders"' in listener.got[last]
        assert all(got.startswith(b'{"type":"event"') for got in listener.got[last + 1 :])
    for room in rooms:
        room.close()


async def test_no_view_is_built_inside_the_group_commit(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    rooms, _ = await rooms_in_diplomacy(store, 3)
    trace: list[str] = []
    traced_views(monkeypatch, trace)
    flush = GroupCommit.flush
    built_inside: list[int] = []

    def traced_flush(self: GroupCommit) -> None:
        before = len(trace)
        flush(self)
        built_inside.append(len(trace) - before)

    monkeypatch.setattr(GroupCommit, "flush", traced_flush)
    await asyncio.gather(*(room.execute(Advance(by=FACILITATOR)) for room in rooms))
    assert built_inside  # the writes made the steps durable; every view came after its write
    assert not any(built_inside)
    assert len(trace) == sum(len(room.seats) for room in rooms)
    for room in rooms:
        room.close()


async def test_a_phase_ending_command_is_decided_once_when_nothing_else_was_due(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    [room], _ = await rooms_in_diplomacy(store, 1)
    decided: list[str] = []
    propose = Game.propose

    def counted(self: Game, command: Command, now: float, *, bot: bool = False) -> Step:
        decided.append(command.type)
        return propose(self, command, now, bot=bot)

    monkeypatch.setattr(Game, "propose", counted)
    await room.execute(Advance(by=FACILITATOR))  # diplomacy -> orders; no bot is due (bot_pause 3600)
    assert room.state.phase == "orders"
    assert decided.count("advance") == 1  # (an adjudication late in a game takes tens of milliseconds)
    room.close()


async def test_bots_moves_due_before_a_phase_ending_command_come_first_each_in_a_loop_turn_of_its_own(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = trio()
    store.create_game("g", sc.id, "t", 0.0)
    created = GameCreated(scenario=scenario_dict(sc), seed=1, teams=["ALPHA"])  # BETA, GAMMA, UNION: bots
    room = Room.create("g", store, created, FakeClock(), bot_pause=3600)
    monkeypatch.setattr(room, "schedule", lambda: None)  # (no timetable: the bots' round stays due)
    await room.execute(Start(by=FACILITATOR))
    await room.execute(Advance(by=FACILITATOR))
    assert room.state.phase == "diplomacy"
    due = room.game.bots_due()
    assert due is not None
    assert len(due[1]) == 3  # the bots open the diplomacy at once: the round is due
    trace: list[str] = []
    bots = room.game.bots
    assert bots is not None

    def traced_bot(state: State, actor: str) -> list[Command]:
        trace.append(f"bot {actor}")
        return list(bots(state, actor))

    propose = Game.propose

    def traced(self: Game, command: Command, now: float, *, bot: bool = False) -> Step:
        if not bot:
            trace.append(f"decide {command.type}")
        return propose(self, command, now, bot=bot)

    room.game.bots = traced_bot
    monkeypatch.setattr(Game, "propose", traced)
    ticker = Ticker(trace)
    await room.execute(Advance(by=FACILITATOR))
    await ticker.stop()
    now_in: str = room.state.phase
    assert now_in == "orders"
    moves = [x for x in trace if not x.startswith("tick")]
    assert moves[:3] == ["bot BETA", "bot GAMMA", "bot UNION"]  # the round, in seat order, before the command
    assert moves[3:] == ["decide advance"]  # decided once, on the game the bots' moves left
    assert heavy_entries_each_in_a_loop_turn_of_its_own([x for x in trace if "advance" not in x], "bot")
    assert "tick" in trace[trace.index("bot UNION") : trace.index("decide advance")]
    room.close()


async def test_games_ending_a_phase_at_once_are_decided_in_loop_turns_of_their_own(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rooms, _ = await rooms_in_diplomacy(store, 3)
    trace: list[str] = []
    propose = Game.propose

    def traced(self: Game, command: Command, now: float, *, bot: bool = False) -> Step:
        trace.append(f"decide {command.type}")
        return propose(self, command, now, bot=bot)

    monkeypatch.setattr(Game, "propose", traced)
    ticker = Ticker(trace)
    await asyncio.gather(*(room.execute(Advance(by=FACILITATOR)) for room in rooms))
    await asyncio.gather(*(room.pump() for room in rooms))  # the bots open the orders (turns of their own)
    # ...while a message of each game, an everyday command, needs no turn
    passed = Turnstile.of(asyncio.get_running_loop()).passed
    await asyncio.gather(*(room.execute(SendMessage(by="ALPHA", channel="public", text="hi")) for room in rooms))
    await ticker.stop()
    assert trace.count("decide advance") == len(rooms)
    assert heavy_entries_each_in_a_loop_turn_of_its_own(trace, "decide advance")
    assert Turnstile.of(asyncio.get_running_loop()).passed == passed
    for room in rooms:
        room.close()


async def test_games_whose_deadlines_pass_at_once_end_their_phases_in_loop_turns_of_their_own(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rooms, _ = await rooms_in_diplomacy(store, 3)
    trace: list[str] = []
    propose_tick = Game.propose_tick

    def traced(self: Game, now: float) -> Step | None:
        step = propose_tick(self, now)
        if step is not None and step.source == "clock":
            trace.append("clock ends the phase")
        return step

    monkeypatch.setattr(Game, "propose_tick", traced)
    for room in rooms:
        deadline = room.game.state.deadline
        assert deadline is not None
        assert isinstance(room.clock, FakeClock)
        room.clock.now = deadline + 1  # the synchronised timers of twenty classes, in small
    ticker = Ticker(trace)
    await asyncio.gather(*(room.pump() for room in rooms))
    await ticker.stop()
    assert trace.count("clock ends the phase") == len(rooms)
    assert heavy_entries_each_in_a_loop_turn_of_its_own(trace, "clock")
    assert all(room.state.phase == "orders" for room in rooms)
    for room in rooms:
        room.close()


async def test_a_cancelled_waiter_gives_up_its_turn() -> None:
    turnstile = Turnstile()
    order: list[str] = []

    async def wait(name: str) -> None:
        await turnstile.turn()
        order.append(name)

    first = asyncio.get_running_loop().create_task(wait("first"))
    gone = asyncio.get_running_loop().create_task(wait("gone"))
    last = asyncio.get_running_loop().create_task(wait("last"))
    await asyncio.sleep(0)  # all three wait
    gone.cancel()
    await asyncio.wait_for(asyncio.gather(first, last, return_exceptions=True), 5)
    assert order == ["first", "last"]
    assert gone.cancelled()


async def test_on_a_live_server_two_games_changing_phase_at_once_leave_the_loop_free_between_any_two_views(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace: list[str] = []
    traced_views(monkeypatch, trace)
    async with running_server(tmp_path / "games.db", quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv)
        scenario = await upload(lobby, short_scenario(tmp_path))
        controls, clients = [], []
        for seed in (1, 2):
            created = await create_game(lobby, scenario, TEAMS, seed=seed)
            control = await facilitator(srv, created["game"])
            await control.ok({"type": "start"})
            controls.append(control)
            clients += [await join(srv, created["codes"][seat], seat) for seat in (*TEAMS, "observer")]
        trace.clear()
        ticker = Ticker(trace)
        await asyncio.wait_for(asyncio.gather(*(c.ok({"type": "advance"}) for c in controls)), 30)
        await ticker.stop()
        views = [x for x in trace if x.startswith("view")]
        assert len(views) >= 2 * (len(TEAMS) + 2)  # every team, the plenary screen and Control, of both games
        assert heavy_entries_each_in_a_loop_turn_of_its_own(trace, "view")
        for c in (lobby, *controls, *clients):
            await c.close()


async def test_while_callers_queue_the_loop_rests_after_each_heavy_step() -> None:
    turnstile = Turnstile()
    loop = asyncio.get_running_loop()
    spans: list[tuple[float, float]] = []

    async def heavy() -> None:
        await turnstile.turn()
        began = loop.time()
        time.sleep(0.02)  # a seat's view of a long game, say
        spans.append((began, loop.time()))

    await asyncio.wait_for(asyncio.gather(*(heavy() for _ in range(4))), 10)
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(spans)]
    # After the first and the second, two or more still waited: the loop had half their time to itself;
    # the last went at once, as a caller alone does (one game's phase change pays no rest).
    assert turnstile.rested == 2
    assert min(gaps[:2]) >= 0.9 * Turnstile.REST * 0.02
