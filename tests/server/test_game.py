"""A whole game through the real server: three teams on three real websocket clients, a bot in the
fourth seat, the facilitator and the plenary screen, from the lobby to the final scores.

Each socket must get what its seat may see and nothing else: a private message never reaches a third
team, sealed orders stay with their team until the turn's results, secret objectives and private
intelligence stay with their owner. Bots in empty seats play live, through the same command path.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from crisisgame.bots import policy
from crisisgame.bots import seat as seat_module
from crisisgame.engine.commands import FACILITATOR
from crisisgame.engine.seatview import SeatView
from crisisgame.engine.state import State
from crisisgame.engine.view import view, view_json
from crisisgame.server import room as room_module
from crisisgame.server.room import Room
from tests.server.support import (
    BALTIC,
    Client,
    Msg,
    Pred,
    Running,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    stored_state,
    until,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]
BOT = "UNION"
PRIVATE = "[[ALPHA-TO-BETA-PRIVATE]]"


def phase_is(turn: int, phase: str) -> Pred:
    def pred(m: Msg) -> bool:
        return bool(m["type"] == "view" and m["view"]["game"]["turn"] == turn and m["view"]["game"]["phase"] == phase)

    return pred


def is_event(kind: str, **fields: object) -> Pred:
    def pred(m: Msg) -> bool:
        return (
            m["type"] == "event"
            and m["event"]["type"] == kind
            and all(m["event"].get(k) == v for k, v in fields.items())
        )

    return pred


async def everyone(clients: list[Client], pred: Pred, since: dict[str, int] | None = None) -> None:
    await asyncio.gather(*(c.wait(pred, (since or {}).get(c.label, 0)) for c in clients))


def texts(client: Client) -> str:
    return "\n".join(json.dumps(m) for m in client.messages)


async def test_a_whole_game_from_lobby_to_scores_with_three_teams_and_a_bot(tmp_path: Path) -> None:
    scenario = short_scenario(tmp_path, count=2)
    async with asyncio.timeout(60), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, scenario, TEAMS, seed=11)
        game, codes = created["game"], created["codes"]
        assert set(codes) == {*TEAMS, "observer"}

        control = await facilitator(srv, game)
        teams = {t: await join(srv, codes[t], f"student of {t}", t) for t in TEAMS}
        plenary = await join(srv, codes["observer"], "projector", "observer")
        everybody = [control, plenary, *teams.values()]
        alpha, beta, gamma = teams["ALPHA"], teams["BETA"], teams["GAMMA"]

        # The lobby: start; the briefing (0 s) ends on the timer and diplomacy begins.
        await control.ok({"type": "start"})
        await everyone(everybody, phase_is(1, "diplomacy"))

        # A private message, then a deal among the three teams that every party accepts.
        await alpha.ok({"type": "send_message", "channel": "private", "to": ["BETA"], "text": PRIVATE})
        await beta.wait(lambda m: m["type"] == "event" and m["event"].get("text") == PRIVATE)
        proposal = {"type": "consultation", "parties": TEAMS, "public": True}
        seq = await alpha.ok({"type": "propose", "proposal": proposal})
        made = await beta.wait(is_event("proposal_made", sender="ALPHA"))
        assert made["seq"] == seq
        pid = made["event"]["id"]
        await beta.ok({"type": "accept", "proposal_id": pid})
        await gamma.ok({"type": "accept", "proposal_id": pid})
        await alpha.wait(is_event("proposal_answered", id=pid, actor="GAMMA"))

        for turn in (1, 2):
            if turn == 2:
                await everyone(everybody, phase_is(2, "diplomacy"))
            # Every team ready ends diplomacy long before its 30 seconds.
            mark = {c.label: len(c.messages) for c in everybody}
            for t in TEAMS:
                await teams[t].ok({"type": "set_ready"})
            await everyone(everybody, phase_is(turn, "orders"), mark)

            # Sealed orders from each team; the bot submits its own through the same path.
            for i, t in enumerate(TEAMS):
                await teams[t].ok({"type": "submit_orders", "orders": {"defence_spending": 2.0 + i}})
            room = srv.server.rooms[game]
            await until(lambda r=room, t=turn: BOT in r.state.orders or r.state.turn != t)  # type: ignore[misc]
            mark = {c.label: len(c.messages) for c in everybody}
            for t in TEAMS:
                await teams[t].ok({"type": "set_ready"})
            # Adjudication, results (0 s, released automatically), then the next turn or the end.
            await everyone(everybody, is_event("phase_started", turn=turn, phase="results"), mark)

        ended = [await c.wait(is_event("game_ended")) for c in everybody]
        scores = ended[0]["event"]["scores"]
        assert set(scores) == {*TEAMS, BOT}
        assert all(m["event"] == ended[0]["event"] for m in ended)
        await everyone(everybody, lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "ended")

        # The deal was ratified at the first adjudication and concluded in public.
        room = srv.server.rooms[game]
        log = [e for _, e in srv.store.events(game)]
        closed = [e for e in log if e.type == "proposal_closed" and e.id == pid]
        assert [e.status for e in closed] == ["ratified"], closed
        for c in everybody:
            await c.wait(is_event("agreement_concluded"))  # every seat learns of a public deal

        # The bot played both orders phases live: its orders are in the store under its own name.
        bot_orders = [e for e in log if e.type == "orders_submitted" and e.actor == BOT]
        assert [e.turn for e in bot_orders] == [1, 2]

        # What each socket got: the private message only to its two sides (and Control).
        assert PRIVATE in texts(alpha)
        assert PRIVATE in texts(beta)
        assert PRIVATE in texts(control)
        assert PRIVATE not in texts(gamma)
        assert PRIVATE not in texts(plenary)
        # Sealed orders reach only their team as events (they are revealed later in views, as results).
        for c in everybody:
            seen = {m["event"]["actor"] for m in c.events() if m["event"]["type"] == "orders_submitted"}
            assert seen == ({*TEAMS, BOT} if c is control else {c.label} if c.label in TEAMS else set()), c.label
        # Secret objectives and private intelligence stay with their owner.
        for owner in TEAMS:
            secret = f"{owner}-SECRET-OBJECTIVE"
            for c in everybody:
                assert (secret in texts(c)) == (c.label in (owner, "control")), (secret, c.label)
        for c in everybody:
            assert ("INTEL-ALPHA-TEXT" in texts(c)) == (c.label in ("ALPHA", "control")), c.label
            assert ("INTEL-PAIR-TEXT" in texts(c)) == (c.label in ("BETA", "GAMMA", "control")), c.label

        # Every socket's events come in order, once each; Control got the whole log since it signed in.
        for c in everybody:
            seqs = [m["seq"] for m in c.events()]
            assert seqs == sorted(set(seqs)), c.label
        welcome = next(m for m in control.messages if m["type"] == "welcome")
        assert [(m["seq"], m["event"]) for m in control.events()] == [
            (seq, e.model_dump(mode="json")) for seq, e in srv.store.events(game, after=welcome["seq"])
        ]
        # Every command got its ack or error, and only the command's sender did.
        for t, c in teams.items():
            acks = [m for m in c.messages if m["type"] == "ack"]
            assert acks
            assert all(m["id"].startswith(t) for m in acks)
        # The stored log replays to the live state.
        replayed = stored_state(srv.store, game)
        assert replayed.seq == room.state.seq
        assert view(replayed, FACILITATOR) == view(room.state, FACILITATOR)


async def estonia_among_bots(srv: Running, tmp_path: Path) -> tuple[Client, Client, Room]:
    """The Baltic with one team, Estonia, and a bot in every other seat: the game's console,
    Estonia's client and the game's room."""
    lobby = await facilitator(srv)
    created = await create_game(lobby, short_scenario(tmp_path, BALTIC, count=1), ["EST"], seed=3)
    control = await facilitator(srv, created["game"])
    est = await join(srv, created["codes"]["EST"], "Estonia", "EST")
    return control, est, srv.server.rooms[created["game"]]


async def test_bots_in_empty_seats_play_live_and_answer_a_team_at_any_moment(tmp_path: Path) -> None:
    """One team (Estonia) in the Baltic scenario: every other seat is a bot playing through the server."""
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        control, est, room = await estonia_among_bots(srv, tmp_path)
        game = room.id
        bots = room.state.bots()
        assert "LVA" in bots
        assert len(bots) > 5

        await control.ok({"type": "start"})
        await est.wait(phase_is(1, "diplomacy"))

        # The bots make their opening moves, then fall quiet.
        def settled() -> bool:
            return room.game.bots_idle()  # the bots have nothing in hand or planned

        await until(settled)
        await est.ok({"type": "send_message", "channel": "public", "text": "Estonia calls for calm."})
        await until(settled)
        # Later in the phase, a team's proposal to a bot is still answered by that bot.
        seq = await est.ok({"type": "propose", "proposal": {"type": "consultation", "parties": ["EST", "LVA"]}})
        pid = next(m for m in est.events() if m["seq"] == seq)["event"]["id"]
        await est.wait(
            lambda m: m["type"] == "event" and m["event"].get("id") == pid and m["event"].get("actor") == "LVA"
        )

        await est.ok({"type": "set_ready"})
        await est.wait(phase_is(1, "orders"))
        await until(lambda: set(bots) <= set(room.state.orders), timeout=10)
        stored = [e for _, e in srv.store.events(game) if e.type == "orders_submitted"]
        assert {e.actor for e in stored} == set(bots)
        assert room.state.phase == "orders"  # bots never end a phase the team has not finished
        # Sealed: the team's socket never got a bot's orders.
        assert not [m for m in est.events() if m["event"]["type"] == "orders_submitted"]


@pytest.mark.timing
async def test_bots_answer_at_a_human_pace_once_per_burst_and_are_not_woken_by_talk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mid-phase, bots wait `bot_pause` before they answer, and one round answers every command of that
    time; a message (which no bot reads) costs no round at all. The opening of a phase is at once."""
    rounds: list[tuple[str, float]] = []

    def counted(v: SeatView, seed: int) -> list[Any]:
        rounds.append((v.seat, time.monotonic()))
        return policy(v, seed)

    monkeypatch.setattr(seat_module, "policy", counted)
    pause = 0.5
    async with asyncio.timeout(30), running_server(tmp_path / "games.db", bot_pause=pause) as srv:
        control, est, room = await estonia_among_bots(srv, tmp_path)
        game = room.id
        bots = room.state.bots()

        await control.ok({"type": "start"})
        started = time.monotonic()
        await est.wait(phase_is(1, "diplomacy"))
        await until(lambda: len(rounds) >= len(bots))
        assert rounds[len(bots) - 1][1] - started < pause  # the opening round did not wait
        await until(room.game.bots_idle)

        before = len(rounds)
        for i in range(5):
            await est.ok({"type": "send_message", "channel": "public", "text": f"Estonia calls for calm ({i})."})
        await asyncio.sleep(2 * pause)
        assert len(rounds) == before  # talk woke nobody

        burst = time.monotonic()
        for partner in ("LVA", "LTU", "POL"):
            await est.ok({"type": "propose", "proposal": {"type": "consultation", "parties": ["EST", partner]}})
        await until(room.game.bots_idle)
        answers = rounds[before:]
        assert min(at for _, at in answers) - burst >= pause * 0.9  # a human pace...
        answered = {e.actor for _, e in srv.store.events(game) if e.type == "proposal_answered"}
        assert {"LVA", "LTU", "POL"} <= answered
        # ...and one round answered the whole burst: every bot once, then at most one more round (in which nobody
        # had anything to do), none if the bots' opening rounds have spent the phase's `rounds_per_phase`.
        assert sorted(b for b, _ in answers[: len(bots)]) == sorted(bots)
        assert len(answers) in (len(bots), 2 * len(bots)), len(answers)


async def test_a_class_signing_in_costs_one_view_per_seat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forty students signing in at once, or reconnecting after a network drop, ask for the same few
    views: each seat's is built once per seq, and built again once the game moves on."""
    built: list[str] = []

    def counted(state: State, seat: str) -> bytes:
        built.append(seat)
        return view_json(state, seat)

    monkeypatch.setattr(room_module, "view_json", counted)
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        seats = ["ALPHA"] * 8 + ["BETA"] * 3 + ["GAMMA"]
        students = [await join(srv, created["codes"][seat], f"Student {i}", seat) for i, seat in enumerate(seats)]
        assert sorted(built) == sorted(TEAMS)
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})  # each new phase: every seat with a screen gets a new view
        await asyncio.gather(*(s.wait(phase_is(1, "diplomacy")) for s in students))
        per_seat = {seat: built.count(seat) for seat in TEAMS}
        assert len(set(per_seat.values())) == 1  # eight students or one, the same views were built
        assert per_seat["ALPHA"] >= 2
        late = await join(srv, created["codes"]["ALPHA"], "Late", "ALPHA")
        assert late.messages[-1]["view"]["game"]["phase"] == "diplomacy"
        assert built.count("ALPHA") == per_seat["ALPHA"]  # the latest view, not built again
