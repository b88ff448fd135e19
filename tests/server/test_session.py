"""A class session's reliability on the wire: a retried command is applied once (also across a
restart), the server's clock is on every welcome and pong, and the time the server was down is
given back to the phase clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crisisgame.engine.events import MessageSent
from crisisgame.server.app import ALIVE_SETTING
from tests.server.support import (
    WAIT,
    Client,
    FakeClock,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    stored_state,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]


def messages_saying(messages: Iterable[tuple[int, MessageSent]], text: str) -> int:
    return sum(1 for _, m in messages if m.text == text)


async def test_a_retried_command_is_acknowledged_as_a_repeat_and_applied_once(tmp_path: Path) -> None:
    async with running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        game = created["game"]
        control = await facilitator(srv, game)
        await control.ok({"type": "start"})
        alpha = await join(srv, created["codes"]["ALPHA"], "Ada")
        said: dict[str, Any] = {"type": "send_message", "channel": "public", "text": "Once."}
        command = {"type": "command", "id": "same-id", "command": said}
        first = await alpha.request(command)
        again = await alpha.request(command)
        assert first["type"] == again["type"] == "ack"
        assert (first.get("repeat"), again["repeat"]) == (False, True)
        assert again["seq"] == first["seq"]
        assert messages_saying(stored_state(srv.store, game).messages.held(), "Once.") == 1
        # The key is per member: another student may use the same id for a command of their own.
        beta = await join(srv, created["codes"]["BETA"], "Bo")
        other = await beta.request({**command, "command": {**said, "text": "Mine."}})
        assert other["type"] == "ack"
        assert not other["repeat"]
        # Two sends of one id at once (a retry racing the original) are still applied once.
        racing = {
            "type": "command",
            "id": "race",
            "command": {"type": "send_message", "channel": "public", "text": "Race."},
        }
        await alpha.send(racing)
        await alpha.send(racing)
        await alpha.wait(lambda m: m.get("id") == "race" and m.get("repeat") is True)
        assert messages_saying(stored_state(srv.store, game).messages.held(), "Race.") == 1
        # The facilitator is a member too: its ids are keys of its own.
        pause = {"type": "command", "id": "same-id", "command": {"type": "pause"}}
        ack = await control.request(pause)
        assert ack["type"] == "ack"
        assert not ack["repeat"]
        again = await control.request(pause)
        assert again["type"] == "ack"
        assert again["repeat"]
        for c in (lobby, alpha, beta, control):
            await c.close()


async def test_a_retry_after_a_restart_is_not_applied_again(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    async with running_server(db) as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        game, code = created["game"], created["codes"]["ALPHA"]
        control = await facilitator(srv, game)
        await control.ok({"type": "start"})
        await control.close()
        alpha = await join(srv, code, "Ada")
        welcome = next(m for m in alpha.messages if m["type"] == "welcome")
        token = welcome["token"]
        sent = {"type": "command", "id": "c-1", "command": {"type": "send_message", "channel": "public", "text": "Hi."}}
        assert (await alpha.request(sent))["type"] == "ack"
        await alpha.close()
        await lobby.close()
    async with running_server(db) as srv:
        again = await Client.connect(srv.url, "again")
        assert (await again.sign_in({"type": "resume", "token": token}))["type"] == "welcome"
        repeat = await again.request(sent)
        assert repeat["type"] == "ack"
        assert repeat["repeat"]
        assert messages_saying(stored_state(srv.store, game).messages.held(), "Hi.") == 1
        await again.close()


async def test_welcome_and_pong_carry_the_server_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running_server(tmp_path / "games.db", clock=clock) as srv:
        fac = await facilitator(srv)
        welcome = next(m for m in fac.messages if m["type"] == "welcome")
        assert welcome["now"] == clock.now
        clock.advance(12.5)
        await fac.send({"type": "ping", "t": 123.25})
        pong = await fac.wait(lambda m: m["type"] == "pong")
        assert (pong["t"], pong["now"]) == (123.25, clock.now)
        await fac.close()


async def test_the_time_the_server_was_down_is_given_back_to_the_phase(tmp_path: Path) -> None:
    clock = FakeClock()
    db = tmp_path / "games.db"
    async with running_server(db, clock=clock) as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        game = created["game"]
        control = await facilitator(srv, game)
        await control.ok({"type": "start"})
        async with asyncio.timeout(WAIT):  # the briefing of this scenario ends at once, by the clock
            while (state := stored_state(srv.store, game)).phase != "diplomacy":
                await asyncio.sleep(0.01)
        deadline = state.deadline
        assert deadline is not None
        clock.advance(10)
        srv.store.set_setting(ALIVE_SETTING, repr(clock.now))  # the last heartbeat before the crash
        await control.close()
        await lobby.close()
    clock.advance(9)  # nine seconds down
    async with running_server(db, clock=clock) as srv:
        state = stored_state(srv.store, game)
        assert state.deadline == deadline + 9
        last = srv.store.events(game)[-1][1]
        assert last.type == "server_downtime"
        # The students see it: their view's deadline is the new one.
        fac = await facilitator(srv, game)
        view = await fac.wait(lambda m: m["type"] == "view")
        assert view["view"]["game"]["deadline"] == deadline + 9
        await fac.close()


async def test_a_student_sees_who_plays_their_seat_and_who_is_online(tmp_path: Path) -> None:
    async with running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        codes = created["codes"]
        ada = await join(srv, codes["ALPHA"], "Ada")
        bo = await join(srv, codes["ALPHA"], "Bo")
        await join(srv, codes["BETA"], "Cy")
        await bo.close()
        for attempt in range(40):  # (the server notices the closed connection a moment later)
            reply = await ada.request({"type": "teammates", "id": f"t1-{attempt}"})
            if not reply["data"]["members"][1]["online"]:
                break
            await asyncio.sleep(0.05)
        assert reply["data"] == {
            "seat": "ALPHA",
            "members": [{"name": "Ada", "online": True, "you": True}, {"name": "Bo", "online": False, "you": False}],
        }
        refused = await lobby.request({"type": "teammates", "id": "t2"})
        assert (refused["type"], refused["code"]) == ("error", "not_signed_in")


async def test_a_game_created_with_its_own_phase_lengths_uses_them(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running_server(tmp_path / "games.db", clock=clock) as srv:
        lobby = await facilitator(srv, label="lobby")
        phases = {"briefing": 45, "orders": 200}  # (diplomacy and results: the scenario's)
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS, phases=phases)
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})
        state = stored_state(srv.store, created["game"])
        assert state.deadline == clock.now + 45
        assert (state.scenario.turns.phases.orders, state.scenario.turns.phases.diplomacy) == (200, 30)
        await control.ok({"type": "set_phases", "diplomacy": 90})
        await control.ok({"type": "advance"})
        assert stored_state(srv.store, created["game"]).deadline == clock.now + 90


async def test_a_message_names_the_student_who_wrote_it(tmp_path: Path) -> None:
    async with running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})
        ada = await join(srv, created["codes"]["ALPHA"], "Ada")
        said = {"type": "send_message", "channel": "public", "text": "From Ada.", "author": "Someone else"}
        seq = await ada.ok(said)
        event = await control.wait(lambda m: m.get("seq") == seq and m["type"] == "event")
        assert (event["event"]["sender"], event["event"]["author"]) == ("ALPHA", "Ada")
        seq = await control.ok({"type": "send_message", "channel": "public", "text": "From Control."})
        event = await ada.wait(lambda m: m.get("seq") == seq and m["type"] == "event")
        assert event["event"]["author"] is None
