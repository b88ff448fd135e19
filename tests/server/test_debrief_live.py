"""The console's long debrief requests over the wire: a fork that is a live game, and the class against bot runs."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from crisisgame.cli import main
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import (
    Client,
    FakeClock,
    Running,
    assert_structured,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    stored_state,
)


async def test_a_fork_is_a_live_game_with_its_own_codes_and_a_fresh_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    async with asyncio.timeout(60), running_server(tmp_path / "games.db", clock=clock) as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        game = created["game"]
        control = await facilitator(srv, game)
        await control.ok({"type": "start"})
        while stored_state(srv.store, game).turn < 2:  # play turn 1 to its end, past its orders deadline
            await control.ok({"type": "advance"})
        clock.advance(3600)  # an hour later, in the debrief

        answer = await control.request({"type": "fork", "id": "f", "turn": 1, "reason": "What if BETA had waited?"})
        assert answer["type"] == "reply", answer
        fork = answer["data"]
        assert fork["forked_from"] == game
        assert fork["turn"] == 1
        assert "(fork of " + game + " at turn 1: What if BETA had waited?)" in fork["title"]
        assert set(fork["codes"]) == {"ALPHA", "BETA", "observer"}
        assert not set(fork["codes"].values()) & set(created["codes"].values())
        assert fork["game"] in srv.server.rooms
        state = stored_state(srv.store, fork["game"])
        assert (state.turn, state.phase) == (1, "orders")
        assert state.deadline == clock.now + 30  # the orders phase's full length, from now

        alpha = await join(srv, fork["codes"]["ALPHA"], "Ada", "ALPHA")
        assert alpha.latest_view()["game"]["phase"] == "orders"
        await alpha.ok({"type": "submit_orders", "orders": {"defence_spending": 3.0}})
        clock.advance(10)
        await asyncio.sleep(0.3)
        assert stored_state(srv.store, fork["game"]).phase == "orders"  # the inherited deadline is not adjudicated
        listed = await lobby.request({"type": "list_games", "id": "l"})
        assert fork["title"] in [g["title"] for g in listed["data"]["games"]]

        beyond = await control.request({"type": "fork", "id": "g", "turn": 9, "reason": "later"})
        assert_structured(beyond, "rejected", "turn")
        assert "never reached turn 9" in beyond["message"]
        blank = await control.request({"type": "fork", "id": "h", "turn": 1, "reason": "   "})
        assert_structured(blank, "rejected", "turn")
        assert "say why" in blank["message"]
        cheeky = await alpha.request({"type": "fork", "id": "x", "turn": 1, "reason": "mine"})
        assert_structured(cheeky, "forbidden")


async def test_the_summary_with_runs_reports_progress_and_places_the_class(tmp_path: Path) -> None:
    async with asyncio.timeout(90), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        control = await facilitator(srv, created["game"])
        early = await control.request({"type": "report", "id": "e", "edition": "summary", "runs": 2})
        assert_structured(early, "rejected", "game")
        await control.ok({"type": "start"})
        await control.ok({"type": "advance"})
        since = len(control.messages)
        answer = await control.request({"type": "report", "id": "r", "edition": "summary", "runs": 3}, timeout=60)
        assert answer["type"] == "reply", answer
        assert "3 bot games of the same scenario from the same start" in answer["data"]["html"]
        progress = [(m["done"], m["total"]) for m in control.messages[since:] if m["type"] == "progress"]
        assert progress == [(1, 3), (2, 3), (3, 3)]
        full = await control.request({"type": "report", "id": "x", "edition": "full", "runs": 3})
        assert_structured(full, "rejected", "runs")
        alpha = await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
        cheeky = await alpha.request({"type": "report", "id": "q", "edition": "student", "runs": 2})
        assert_structured(cheeky, "forbidden")


async def _played_turn_one(srv: Running, tmp_path: Path) -> tuple[str, Client]:
    lobby = await facilitator(srv, label="lobby")
    created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
    game = created["game"]
    control = await facilitator(srv, game)
    await control.ok({"type": "start"})
    while stored_state(srv.store, game).turn < 2:
        await control.ok({"type": "advance"})
    return game, control


async def test_cli_fork_reopen_goes_through_the_running_server(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    async with asyncio.timeout(60), running_server(db) as srv:
        game, _ = await _played_turn_one(srv, tmp_path)
        args = ["fork", game, "--at-turn", "1", "--reopen", "--reason", "From the terminal", "--server", srv.url]
        code = await asyncio.to_thread(main, [*args, "--token", srv.token])
        assert code == 0
        forks = [g for g in srv.store.games() if g.id != game]
        assert len(forks) == 1
        assert forks[0].id in srv.server.rooms  # live in the server, not only in the database
        alpha = await join(srv, srv.store.codes(forks[0].id)["ALPHA"], "Ada", "ALPHA")
        assert alpha.latest_view()["game"]["phase"] == "orders"
        wrong = await asyncio.to_thread(main, [*args, "--token", "not-the-token-at-all"])
        assert wrong == 1


async def test_a_fork_made_with_the_server_stopped_is_resumed_without_adjudicating_the_past(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    clock = FakeClock()
    async with asyncio.timeout(60), running_server(db, clock=clock) as srv:
        game, _ = await _played_turn_one(srv, tmp_path)
    args = ["fork", game, "--db", str(db), "--at-turn", "1", "--reopen", "--reason", "Overnight"]
    assert await asyncio.to_thread(main, args) == 1  # the heartbeat is fresh: a server may still be running
    store = SqliteStore(db)
    store.set_setting("alive_at", repr(time.time() - 3600))  # it stopped an hour ago
    store.close()
    assert await asyncio.to_thread(main, args) == 0
    clock.advance(7 * 86_400)  # the class comes back a week later
    async with asyncio.timeout(60), running_server(db, clock=clock) as srv:
        fork = next(g.id for g in srv.store.games() if g.id != game)
        assert fork in srv.server.rooms
        await asyncio.sleep(0.3)
        state = stored_state(srv.store, fork)
        assert (state.turn, state.phase, state.paused) == (1, "orders", True)
        control = await facilitator(srv, fork)
        await control.ok({"type": "resume"})
        assert stored_state(srv.store, fork).deadline == clock.now + 30


async def test_exports_say_which_student_sent_each_message_and_orders(tmp_path: Path) -> None:
    import csv

    db = tmp_path / "games.db"
    async with asyncio.timeout(60), running_server(db) as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        game = created["game"]
        control = await facilitator(srv, game)
        ada = await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
        bob = await join(srv, created["codes"]["ALPHA"], "Bob", "ALPHA")
        await control.ok({"type": "start"})
        await control.ok({"type": "send_message", "channel": "public", "text": "Control speaking"})
        await ada.ok({"type": "send_message", "channel": "public", "text": "Ada speaking"})
        await bob.ok({"type": "send_message", "channel": "public", "text": "Bob speaking"})
        while stored_state(srv.store, game).phase != "orders":
            await control.ok({"type": "advance"})
        await bob.ok({"type": "submit_orders", "orders": {"defence_spending": 3.0}})
        await ada.ok({"type": "submit_orders", "orders": {"defence_spending": 4.0}})
        while stored_state(srv.store, game).turn < 2:
            await control.ok({"type": "advance"})
    out = tmp_path / "export"
    assert await asyncio.to_thread(main, ["export", game, "--db", str(db), "--out", str(out)]) == 0

    def rows(table: str) -> list[dict[str, str]]:
        with (out / f"{table}.csv").open(newline="") as f:
            return list(csv.DictReader(f))

    members = {m["member"] for m in rows("members")}
    assert len(members) == 2
    said = {m["text"]: m["member"] for m in rows("messages")}
    assert said["Control speaking"] == ""
    assert said["Ada speaking"] in members
    assert said["Bob speaking"] in members
    assert said["Ada speaking"] != said["Bob speaking"]
    orders = [o for o in rows("orders") if o["turn"] == "1"]
    alpha = [(o["defence_spending"], o["member"], o["final"]) for o in orders if o["actor"] == "ALPHA"]
    assert alpha == [("3.0", said["Bob speaking"], "0"), ("4.0", said["Ada speaking"], "1")]
    bots = [o for o in orders if o["actor"] not in ("ALPHA", "BETA")]
    assert bots
    assert all(o["member"] == "" and o["human"] == "0" for o in bots)
