"""A seat's outbox keeps the bytes of its newest view only (`room._Outbox`): through a late game's phase
changes it holds about one view a seat, not every view it was sent; a client that resumes from before
two views is sent the newest and what followed, and ends as a client that stayed connected; one that
resumes from between two views is sent exactly what it missed.

The game is the Baltic played by bots (seed 3, every playable actor a team) from the diplomacy of
turn 5, paused, served by a real server over real websockets and SQLite: its views weigh about 100 KB.
The bots' pause is an hour: their moves are played when the facilitator ends a phase, so nothing
happens between the tests' own steps.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from crisisgame.engine.commands import OBSERVER
from crisisgame.engine.events import ClockPaused, Event, GameCreated, PhaseStarted
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.server.room import Room
from crisisgame.simulate import play
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import Client, Msg, Running, facilitator, join, running_server

GAME = "late0001"
TURN = 5
TIMEOUT = 60


def store_late_game(db: Path) -> dict[str, str]:
    """The Baltic played by bots up to the diplomacy of `TURN`, paused, stored with a join code per seat."""
    scenario = load_scenario(find("baltic"))
    log = play(scenario, seed=3).log
    cut = next(i for i, e in enumerate(log) if isinstance(e, PhaseStarted) and (e.turn, e.phase) == (TURN, "diplomacy"))
    teams = [a.id for a in scenario.actors if a.playable]
    created = log[0]
    assert isinstance(created, GameCreated)
    events: list[Event] = [created.model_copy(update={"teams": teams}), *log[1 : cut + 1]]
    events.append(ClockPaused(at=events[-1].at, remaining=600.0))
    store = SqliteStore(db)
    try:
        store.create_game(GAME, "baltic", "Baltic (late)", 0.0)
        store.append(GAME, 0, events, "diplomacy")
        codes = {seat: f"TEST-{i:04d}" for i, seat in enumerate([*teams, OBSERVER])}
        store.set_codes(GAME, codes)
        return codes
    finally:
        store.close()


def game_messages(client: Client, since: int = 0) -> list[Msg]:
    return [m for m in client.messages[since:] if m["type"] in ("view", "event")]


def token_of(client: Client) -> str:
    token = next(m for m in client.messages if m["type"] == "welcome")["token"]
    assert isinstance(token, str)
    return token


async def change_phase(srv: Running, control: Client, clients: list[Client]) -> int:
    """End the phase (or release the results) as the facilitator; the seq once every client has it."""
    state = srv.server.rooms[GAME].state
    release = state.phase == "results" and not state.released
    seq = await control.ok({"type": "release"} if release else {"type": "advance"}, timeout=TIMEOUT)
    await asyncio.gather(*(c.wait(lambda m: m["type"] == "view" and m["seq"] == seq) for c in clients))
    return seq


async def say(srv: Running, sender: Client, text: str, clients: list[Client]) -> int:
    seq = await sender.ok({"type": "send_message", "channel": "public", "text": text})
    await asyncio.gather(*(c.wait(lambda m: m.get("seq") == seq) for c in clients))
    return seq


def resume_message(token: str, last_seq: int) -> Msg:
    return {"type": "resume", "token": token, "last_seq": last_seq}


async def sign_in(srv: Running, message: Msg, label: str) -> Client:
    client = await Client.connect(srv.url, label)
    welcome = await client.sign_in(message)
    assert welcome["type"] == "welcome", welcome
    return client


async def settled(room: Room) -> None:
    """Wait until the room has played what was due (a game opened mid-phase: its bots play at once)."""
    while True:
        seq = room.state.seq
        await asyncio.sleep(0.3)
        if room.state.seq == seq and not room.publishing:
            return


async def caught_up(client: Client, like: Client) -> None:
    """Wait until `client` has the last message `like` (of the same seat, connected throughout) has."""
    seq = game_messages(like)[-1]["seq"]
    await client.wait(lambda m: m["type"] in ("view", "event") and m["seq"] == seq)
    await asyncio.sleep(0.05)  # (nothing more comes)


async def test_a_late_games_outbox_holds_one_view_a_seat_through_its_phase_changes(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    codes = store_late_game(db)
    async with asyncio.timeout(TIMEOUT), running_server(db, bot_pause=3600.0) as srv:
        room = srv.server.rooms[GAME]
        await settled(room)
        control = await facilitator(srv, GAME)
        est = await join(srv, codes["EST"], "Eva", "EST")
        lva = await join(srv, codes["LVA"], "Liga", "LVA")
        plenary = await join(srv, codes[OBSERVER], "Wall", "plenary")
        clients = {"facilitator": control, "EST": est, "LVA": lva, OBSERVER: plenary}
        sent: dict[str, int] = dict.fromkeys(clients, 0)  # bytes of the views each seat was sent
        for change in range(8):
            await say(srv, est, f"before change {change}", list(clients.values()))
            seq = await change_phase(srv, control, list(clients.values()))
            for seat, client in clients.items():
                box = room.outboxes[seat]
                held = [(s, m) for s, is_view, m in box.messages if is_view]
                views = [m for m in client.messages if m["type"] == "view"]
                sent[seat] += len(json.dumps(views[-1]))
                assert [s for s, _ in held] == [seq], f"{seat} holds the views of {[s for s, _ in held]}"
                assert held[0][1] is not None
                assert json.loads(held[0][1]) == views[-1]
                assert box.size == sum(len(m or b"") for _, _, m in box.messages)
                # Besides the view: the events since the view before it, no more. (Before the first change the
                # outbox had no view: it holds the events since the room opened, which came before the
                # client's first view.)
                since = views[-2]["seq"]
                held_events = [(s, json.loads(m)) for s, is_view, m in box.messages if not is_view and m]
                assert change == 0 or all(s > since for s, _ in held_events)
                # (And the bots' moves that open the new phase, after the view, which the client may not have yet.)
                between = [m for m in client.events() if since < m["seq"] <= seq]
                assert [e for s, e in held_events if since < s <= seq] == between
            for seat in room.seats:
                if seat not in clients:  # nobody of the seat is here: its views are not built, nor kept
                    assert not room.outboxes[seat].messages
        largest = max(len(m or b"") for box in room.outboxes.values() for _, _, m in box.messages)
        assert largest > 50_000  # (a late game's view)
        for seat in clients:
            # A seat was sent eight views or more; it holds about one.
            assert room.outboxes[seat].size < sent[seat] / 4, seat
        for client in clients.values():
            await client.close()


async def test_a_client_resuming_from_before_two_views_gets_the_newest_and_ends_as_a_connected_one(
    tmp_path: Path,
) -> None:
    db = tmp_path / "games.db"
    codes = store_late_game(db)
    async with asyncio.timeout(TIMEOUT), running_server(db, bot_pause=3600.0) as srv:
        room = srv.server.rooms[GAME]
        await settled(room)
        control = await facilitator(srv, GAME)
        steady = await join(srv, codes["EST"], "Eva", "steady")
        flaky = await join(srv, codes["EST"], "Enn", "flaky")
        lva = await join(srv, codes["LVA"], "Liga", "LVA")
        everyone = [control, steady, flaky, lva]
        await say(srv, lva, "before the drop", everyone)
        left_at = flaky.last_seq()
        control_at = control.last_seq()
        await flaky.close()
        everyone.remove(flaky)

        # Away across three phase changes (diplomacy -> orders -> results, the adjudication, -> released),
        # with messages between and after.
        for change in range(3):
            await say(srv, lva, f"while away {change}", everyone)
            await change_phase(srv, control, everyone)
        await say(srv, lva, "after the last view", everyone)
        views = [i for i, m in enumerate(steady.messages) if m["type"] == "view" and m["seq"] > left_at]
        assert len(views) == 3

        back = await sign_in(srv, resume_message(token_of(flaky), left_at), "back")
        await settled(room)
        await caught_up(back, steady)
        got = game_messages(back)
        assert got == game_messages(steady, views[-1])
        assert [m["type"] for m in got].count("view") == 1
        assert back.latest_view() == steady.latest_view()  # the same state: the same view, the same events after

        # Control resuming the same way (`facilitate` with a `last_seq`): the newest view and what followed.
        again = await sign_in(
            srv, {"type": "facilitate", "token": srv.token, "game": GAME, "last_seq": control_at}, "c2"
        )
        await caught_up(again, control)
        newest = max(i for i, m in enumerate(control.messages) if m["type"] == "view")
        assert game_messages(again) == game_messages(control, newest)

        # Both live again: the next message reaches them as it reaches those who stayed.
        mark = len(back.messages), len(steady.messages)
        seq = await say(srv, lva, "live again", [*everyone, back, again])
        assert game_messages(back, mark[0]) == game_messages(steady, mark[1])
        assert room.state.seq == seq
        for client in [*everyone, back, again]:
            await client.close()


async def test_a_client_resuming_from_between_two_views_gets_exactly_what_it_missed(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    codes = store_late_game(db)
    async with asyncio.timeout(TIMEOUT), running_server(db, bot_pause=3600.0) as srv:
        room = srv.server.rooms[GAME]
        await settled(room)
        control = await facilitator(srv, GAME)
        steady = await join(srv, codes["EST"], "Eva", "steady")
        flaky = await join(srv, codes["EST"], "Enn", "flaky")
        lva = await join(srv, codes["LVA"], "Liga", "LVA")
        everyone = [control, steady, flaky, lva]
        token = token_of(flaky)
        for change in range(5):  # views the outbox lets go of, up to the orders of turn 6
            await say(srv, lva, f"earlier {change}", everyone)
            await change_phase(srv, control, everyone)
        previous = [m for m in steady.messages if m["type"] == "view"][-1]["seq"]
        left_at = await say(srv, lva, "after the view before", everyone)
        await flaky.close()
        everyone.remove(flaky)

        # Away across one phase change (the adjudication: its events come before its view).
        await say(srv, lva, "while away", everyone)
        newest = await change_phase(srv, control, everyone)
        assert (room.state.turn, room.state.phase) == (TURN + 1, "results")
        await say(srv, lva, "after the newest view", everyone)
        held = [s for s, is_view, _ in room.outboxes["EST"].messages if is_view]
        assert held == [newest]

        back = await sign_in(srv, resume_message(token, left_at), "back")
        await settled(room)
        await caught_up(back, steady)
        missed = [m for m in game_messages(steady) if m["seq"] > left_at]
        assert [m["type"] for m in missed].count("view") == 1
        assert len(missed) > 3
        assert game_messages(back) == missed  # exactly, byte for byte as JSON, in order

        # Cut off between the last event of the view before and that view: the events since, then the
        # newest view (which replaces the one it lacked).
        cut = await sign_in(srv, resume_message(token, previous), "cut")
        await caught_up(cut, steady)
        assert game_messages(cut) == [m for m in game_messages(steady) if m["seq"] > previous]
        # Cut off before the newest view itself: it is sent again, then what followed.
        at_view = await sign_in(srv, resume_message(token, newest), "at-view")
        await caught_up(at_view, steady)
        view = next(m for m in steady.messages if m["type"] == "view" and m["seq"] == newest)
        assert game_messages(at_view) == [view, *(m for m in game_messages(steady) if m["seq"] > newest)]
        for client in [*everyone, back, cut, at_view]:
            await client.close()
