"""Reconnect and resume: a client that drops out mid-phase and comes back with its session token and
the last `seq` it saw gets exactly the messages it missed, in order: the same messages, byte for byte,
as a client of the same seat that never left, but for the views older than the newest (a seat's outbox
keeps one view: `test_outbox_views.py`). A gap too old to replay (or no `last_seq`) gets a fresh view
instead.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from crisisgame.server import room as room_module
from crisisgame.server.app import Limits
from tests.server.support import (
    UNLIMITED,
    Client,
    Msg,
    Pred,
    Running,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]


def in_phase(phase: str) -> Pred:
    return lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == phase


def game_messages(client: Client, since: int = 0) -> list[Msg]:
    """The messages about the game (what the outbox replays): views and events, not welcomes or acks."""
    return [m for m in client.messages[since:] if m["type"] in ("view", "event")]


async def setup(srv: Running, tmp_path: Path) -> tuple[str, dict[str, str], Client, dict[str, Client]]:
    lobby = await facilitator(srv, label="lobby")
    created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
    game, codes = created["game"], created["codes"]
    control = await facilitator(srv, game)
    teams = {t: await join(srv, codes[t], t, t) for t in TEAMS}
    await control.ok({"type": "start"})
    await asyncio.gather(*(c.wait(in_phase("diplomacy")) for c in [control, *teams.values()]))
    return game, codes, control, teams


async def resume(srv: Running, token: str, last_seq: int | None, label: str) -> Client:
    client = await Client.connect(srv.url, label)
    message: Msg = {"type": "resume", "token": token}
    if last_seq is not None:
        message["last_seq"] = last_seq
    welcome = await client.sign_in(message)
    assert welcome["type"] == "welcome", welcome
    return client


async def test_a_client_resuming_mid_phase_gets_exactly_what_it_missed_in_order(tmp_path: Path) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        game, codes, control, teams = await setup(srv, tmp_path)
        beta, gamma = teams["BETA"], teams["GAMMA"]
        steady = await join(srv, codes["ALPHA"], "Ada", "steady")  # a second student of team ALPHA
        flaky = await join(srv, codes["ALPHA"], "Bob", "flaky")
        token = next(m for m in flaky.messages if m["type"] == "welcome")["token"]

        seq = await gamma.ok({"type": "send_message", "channel": "public", "text": "before the drop"})
        await flaky.wait(lambda m: m.get("seq") == seq)
        await steady.wait(lambda m: m.get("seq") == seq)
        last_seq = flaky.last_seq()
        assert flaky.messages[-1]["type"] == "event"
        await flaky.close()

        # While it is away: private and public messages, a deal, the clock paused (a view) and the
        # messages of a pause. (A client away across two views or more is sent the newest only:
        # test_outbox_views.py.)
        await beta.ok({"type": "send_message", "channel": "private", "to": ["ALPHA"], "text": "for Alpha's eyes"})
        await beta.ok({"type": "send_message", "channel": "private", "to": ["GAMMA"], "text": "not for Alpha"})
        await beta.ok({"type": "propose", "proposal": {"type": "consultation", "parties": ["BETA", "ALPHA"]}})
        paused = await control.ok({"type": "pause"})
        await steady.wait(lambda m: m["type"] == "view" and m["seq"] == paused)
        final = await gamma.ok({"type": "send_message", "channel": "public", "text": "while paused"})
        await steady.wait(lambda m: m.get("seq") == final)
        missed = [m for m in game_messages(steady) if m["seq"] > last_seq]
        assert len(missed) >= 5
        assert [m["type"] for m in missed].count("view") == 1

        back = await resume(srv, token, last_seq, "back")
        welcome = back.messages[0]
        assert welcome["seat"] == "ALPHA"
        assert welcome["seq"] == final
        assert welcome["token"] is None
        await back.wait(lambda m: m.get("seq") == final)
        assert game_messages(back) == missed

        # Back in the live stream: the next messages reach both of the seat's sockets alike.
        mark_steady, mark_back = len(steady.messages), len(back.messages)
        seq = await gamma.ok({"type": "send_message", "channel": "group", "to": ["ALPHA", "BETA"], "text": "all"})
        await back.wait(lambda m: m.get("seq") == seq, mark_back)
        await steady.wait(lambda m: m.get("seq") == seq, mark_steady)
        assert game_messages(back, mark_back) == game_messages(steady, mark_steady)
        assert not any("not for Alpha" in str(m) for m in back.messages)
        assert srv.server.rooms[game].state.seq == seq


async def test_a_client_cut_off_between_an_event_and_its_view_gets_the_view(tmp_path: Path) -> None:
    """A view carries the seq of the last event of its batch: resuming at that seq must still bring the view."""
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        _, _codes, control, teams = await setup(srv, tmp_path)
        token = next(m for m in teams["ALPHA"].messages if m["type"] == "welcome")["token"]
        seq = await control.ok({"type": "pause"})
        alpha = teams["ALPHA"]
        paused_view = await alpha.wait(lambda m: m["type"] == "view" and m["seq"] == seq)
        assert paused_view["view"]["game"]["paused"] is True
        [event] = [m for m in alpha.events() if m["seq"] == seq]
        assert event["event"]["type"] == "clock_paused"

        back = await resume(srv, token, seq, "back")
        got = await back.wait(lambda m: m["type"] == "view")
        assert got == paused_view
        assert game_messages(back) == [paused_view]


async def test_a_resume_with_a_gap_too_old_or_no_last_seq_gets_a_fresh_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(room_module, "OUTBOX", 4)  # each seat keeps its last four messages only
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        game, _codes, _control, teams = await setup(srv, tmp_path)
        alpha = teams["ALPHA"]
        token = next(m for m in alpha.messages if m["type"] == "welcome")["token"]
        old = alpha.last_seq()
        for i in range(6):
            seq = await teams["BETA"].ok({"type": "send_message", "channel": "public", "text": f"news {i}"})
        await alpha.wait(lambda m: m.get("seq") == seq)
        await alpha.close()

        for last_seq in (old, None, seq + 1000):
            client = await resume(srv, token, last_seq, f"resume-{last_seq}")
            fresh = await client.wait(lambda m: m["type"] == "view")
            assert fresh["seq"] == seq
            assert fresh["view"]["seat"] == "ALPHA"
            assert "news 5" in str(fresh["view"]["messages"])
            await asyncio.sleep(0.05)
            assert game_messages(client) == [fresh]
            await client.close()

        # A recent enough seq is still replayed message by message.
        client = await resume(srv, token, seq - 1, "recent")
        got = await client.wait(lambda m: m["type"] == "event" and m["seq"] == seq)
        assert got["event"]["text"] == "news 5"
        assert srv.server.rooms[game].state.seq == seq


async def test_resuming_after_a_server_restart_and_with_a_bad_token(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    async with asyncio.timeout(30):
        async with running_server(db) as srv:
            game, _codes, control, teams = await setup(srv, tmp_path)
            token = next(m for m in teams["ALPHA"].messages if m["type"] == "welcome")["token"]
            seq = await teams["BETA"].ok({"type": "send_message", "channel": "public", "text": "before restart"})
            await teams["ALPHA"].wait(lambda m: m.get("seq") == seq)
            earlier = seq - 1
            fac_token = srv.token

        async with running_server(db) as srv:
            assert srv.token == fac_token  # the facilitator's token is kept in the database
            up_to_date = await resume(srv, token, seq, "up-to-date")
            await asyncio.sleep(0.1)
            # Nothing happened since, yet the server cannot know whether the view of its last seq reached
            # the client before the restart: one fresh view, at that same seq, and nothing else.
            assert [(m["type"], m["seq"]) for m in game_messages(up_to_date)] == [("view", seq)]
            behind = await resume(srv, token, earlier, "behind")
            fresh = await behind.wait(lambda m: m["type"] == "view")  # the outbox did not survive: a view
            assert fresh["seq"] == seq
            assert "before restart" in str(fresh["view"]["messages"])

            control = await Client.connect(srv.url, "control")
            welcome = await control.sign_in({"type": "facilitate", "token": fac_token, "game": game, "last_seq": seq})
            assert welcome["type"] == "welcome"
            assert welcome["seat"] == "facilitator"

            stranger = await Client.connect(srv.url, "stranger")
            error = await stranger.sign_in({"type": "resume", "token": "x" * 32, "last_seq": 1})
            assert (error["type"], error["code"], error["field"]) == ("error", "unknown_token", "token")

            # A student the facilitator removed cannot come back with the old token.
            members = await control.request({"type": "members", "id": "m"})
            ada = next(m for m in members["data"]["members"] if m["seat"] == "ALPHA")
            reply = await control.request({"type": "reseat", "id": "r", "member": ada["member"], "seat": None})
            assert reply["data"] == {"member": ada["member"], "seat": None}
            closed = await up_to_date.wait_closed()
            assert closed.rcvd is not None
            assert closed.rcvd.code == 4001
            error = await (await Client.connect(srv.url, "removed")).sign_in({"type": "resume", "token": token})
            assert error["code"] == "unknown_token"


async def test_a_gap_longer_than_the_replay_limit_is_resumed_with_one_view(tmp_path: Path) -> None:
    """A long gap is caught up by one fresh view rather than message by message."""
    limits = Limits(replay=10, rate=1000, burst=1000)
    async with asyncio.timeout(30), running_server(tmp_path / "games.db", limits=limits, quotas=UNLIMITED) as srv:
        game, _, _, teams = await setup(srv, tmp_path)
        alpha = teams["ALPHA"]
        token = next(m for m in alpha.messages if m["type"] == "welcome")["token"]
        left_at = alpha.last_seq()
        await alpha.close()
        for i in range(30):
            seq = await teams["BETA"].ok({"type": "send_message", "channel": "public", "text": f"news {i}"})

        back = await resume(srv, token, left_at, "back")
        fresh = await back.wait(lambda m: m["type"] == "view")
        assert fresh["seq"] == seq
        assert "news 29" in str(fresh["view"]["messages"])
        seq = await teams["BETA"].ok({"type": "send_message", "channel": "public", "text": "live again"})
        live = await back.wait(lambda m: m["type"] == "event" and m["seq"] == seq)
        assert live["event"]["text"] == "live again"
        assert back.closed is None
        assert game_messages(back) == [fresh, live]
        assert srv.server.rooms[game].state.seq == seq


async def test_a_gap_longer_than_the_replay_limit_across_a_view_is_resumed_from_that_view(tmp_path: Path) -> None:
    """Past the replay limit, the newest view the seat's outbox holds and what followed it, if they are
    fewer, catch the client up: no fresh view is built for it."""
    limits = Limits(replay=10, rate=1000, burst=1000)
    async with asyncio.timeout(30), running_server(tmp_path / "games.db", limits=limits, quotas=UNLIMITED) as srv:
        _game, codes, control, teams = await setup(srv, tmp_path)
        alpha, beta = teams["ALPHA"], teams["BETA"]
        steady = await join(srv, codes["ALPHA"], "Ada", "steady")
        token = next(m for m in alpha.messages if m["type"] == "welcome")["token"]
        left_at = alpha.last_seq()
        await alpha.close()
        for i in range(15):
            await beta.ok({"type": "send_message", "channel": "public", "text": f"news {i}"})
        paused = await control.ok({"type": "pause"})
        for i in range(3):
            seq = await beta.ok({"type": "send_message", "channel": "public", "text": f"while paused {i}"})
        await steady.wait(lambda m: m.get("seq") == seq)

        back = await resume(srv, token, left_at, "back")
        await back.wait(lambda m: m.get("seq") == seq)
        await asyncio.sleep(0.05)
        view = next(m for m in steady.messages if m["type"] == "view" and m["seq"] == paused)
        assert game_messages(back) == [view, *(m for m in game_messages(steady) if m["seq"] > paused)]
        assert len(game_messages(back)) == 4
