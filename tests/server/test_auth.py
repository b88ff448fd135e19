"""Who may send what: every game command and every lobby request against every kind of connection.

The sender of a command (`by`) is the seat of the authenticated connection, never the client's word:
a command that names its sender is refused. A seat that may never send a type of command gets
`forbidden`; a seat that may, gets the command run (here, in a state where the engine accepts it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from crisisgame.engine.commands import FACILITATOR_COMMANDS, TEAM_COMMANDS
from tests.server.support import (
    Client,
    Msg,
    Running,
    assert_structured,
    create_game,
    event_at,
    facilitator,
    join,
    running_server,
    short_scenario,
    until,
    upload,
)

ROLES = ("anonymous", "lobby", "observer", "team", "facilitator")
"""anonymous: connected, not signed in; lobby: the facilitator without a game open; team: ALPHA;
facilitator: Control with the game's console open; observer: the plenary screen."""

PROPOSAL = {"type": "consultation", "parties": ["BETA", "ALPHA"]}


@dataclass(frozen=True)
class Row:
    command: dict[str, Any]
    setup: tuple[tuple[str, dict[str, Any]], ...] = ()
    """Commands run first, by "control" or "BETA" ("@p" in a later command is the last proposal's id)."""
    phase: str = "diplomacy"
    auto_release: bool = True
    allowed: frozenset[str] = field(default_factory=lambda: frozenset({"team"}))


TO_ORDERS = (("control", {"type": "advance"}),)
TO_RESULTS = (("control", {"type": "advance"}), ("control", {"type": "advance"}))
BETA_PROPOSES = (("BETA", {"type": "propose", "proposal": PROPOSAL}),)
FAC = frozenset({"facilitator"})
BETA_ACTS = (
    "BETA",
    {"type": "freeform_action", "what": "Open a corridor", "intended_effect": "relief", "arguments": ["ships ready"]},
)
ACTED = (*TO_ORDERS, BETA_ACTS)
RATED = (
    *ACTED,
    ("control", {"type": "advance"}),
    ("control", {"type": "rate_action", "action_id": "@p", "chance": 1.0, "reason": "sure"}),
)

TABLE: dict[str, Row] = {
    "send_message": Row(
        {"type": "send_message", "channel": "public", "text": "hello"}, allowed=frozenset({"team", "facilitator"})
    ),
    "propose": Row({"type": "propose", "proposal": {"type": "consultation", "parties": ["ALPHA", "GAMMA"]}}),
    "counter": Row(
        {"type": "counter", "proposal_id": "@p", "proposal": {**PROPOSAL, "strength": 0.3}}, setup=BETA_PROPOSES
    ),
    "accept": Row({"type": "accept", "proposal_id": "@p"}, setup=BETA_PROPOSES),
    "reject": Row({"type": "reject", "proposal_id": "@p"}, setup=BETA_PROPOSES),
    "withdraw": Row(
        {"type": "withdraw", "proposal_id": "@p"},
        setup=(("ALPHA", {"type": "propose", "proposal": PROPOSAL}),),
    ),
    "table_resolution": Row({"type": "table_resolution", "kind": "condemn", "target": "BETA", "text": "Condemned."}),
    "vote_resolution": Row(
        {"type": "vote_resolution", "resolution_id": "@p", "vote": "yes"},
        setup=(("BETA", {"type": "table_resolution", "kind": "condemn", "target": "GAMMA", "text": "Condemned."}),),
    ),
    "submit_orders": Row({"type": "submit_orders", "orders": {"defence_spending": 2.5}}, setup=TO_ORDERS),
    "set_ready": Row({"type": "set_ready"}),
    "start": Row({"type": "start"}, phase="lobby", allowed=FAC),
    "pause": Row({"type": "pause"}, allowed=FAC),
    "resume": Row({"type": "resume"}, setup=(("control", {"type": "pause"}),), allowed=FAC),
    "extend": Row({"type": "extend", "seconds": 60}, allowed=FAC),
    "advance": Row({"type": "advance"}, allowed=FAC),
    "inject": Row({"type": "inject", "title": "Breaking news", "text": "A ferry sank."}, allowed=FAC),
    "amend": Row(
        {"type": "amend", "target": "actor", "key": "ALPHA", "field": "approval", "value": 0.6, "reason": "a typo"},
        setup=TO_RESULTS,
        auto_release=False,
        allowed=FAC,
    ),
    "release": Row({"type": "release"}, setup=TO_RESULTS, auto_release=False, allowed=FAC),
    "rollback": Row({"type": "rollback", "reason": "start the turn again"}, allowed=FAC),
    "end": Row({"type": "end"}, allowed=FAC),
    "set_phases": Row({"type": "set_phases", "orders": 120}, allowed=FAC),
    "freeform_action": Row(
        {"type": "freeform_action", "what": "Open a corridor", "intended_effect": "relief", "arguments": ["we can"]},
        setup=TO_ORDERS,
    ),
    "counter_argument": Row({"type": "counter_argument", "action_id": "@p", "text": "it fails"}, setup=ACTED),
    "rate_action": Row(
        {"type": "rate_action", "action_id": "@p", "reason": "the arguments"},
        setup=(*ACTED, ("control", {"type": "advance"})),
        auto_release=False,  # (the scenario's results phase lasts 0 s: the clock would release at once)
        allowed=FAC,
    ),
    "apply_action": Row(
        {
            "type": "apply_action",
            "action_id": "@p",
            "effects": [{"kind": "approval", "actor": "BETA", "delta": -0.1}],
            "reason": "as argued",
        },
        setup=RATED,
        auto_release=False,
        allowed=FAC,
    ),
    "set_freeform": Row({"type": "set_freeform", "counter_arguments": False}, allowed=FAC),
}
"""Every command, and who may send it ("@p" is the id the setup made: a proposal or a draft resolution;
the trio seats all three on its Security Council)."""


def test_the_table_covers_every_command_the_engine_knows() -> None:
    assert set(TABLE) == TEAM_COMMANDS | FACILITATOR_COMMANDS
    for name, row in TABLE.items():
        expected = ({"team"} if name in TEAM_COMMANDS else set()) | (
            {"facilitator"} if name in FACILITATOR_COMMANDS else set()
        )
        assert row.allowed == expected, name


def expected_refusal(role: str, command: str) -> tuple[str, str]:
    if role in ("anonymous", "lobby"):
        return "not_signed_in", "join a game before sending commands"
    if role == "observer":
        return "forbidden", "observers can only watch"
    if role == "facilitator":
        return "forbidden", "the facilitator does not play a state"
    return "forbidden", f"only the facilitator can {command.replace('_', ' ')}"


async def connections(srv: Running, tmp_path: Path, row: Row) -> tuple[str, dict[str, Client]]:
    lobby = await facilitator(srv, label="lobby")
    created = await create_game(
        lobby, short_scenario(tmp_path), ["ALPHA", "BETA", "GAMMA"], auto_release=row.auto_release
    )
    game, codes = created["game"], created["codes"]
    clients = {
        "anonymous": await Client.connect(srv.url, "anonymous"),
        "lobby": lobby,
        "observer": await join(srv, codes["observer"], "projector", "observer"),
        "team": await join(srv, codes["ALPHA"], "Ada", "ALPHA"),
        "facilitator": await facilitator(srv, game),
        "BETA": await join(srv, codes["BETA"], "Bea", "BETA"),
    }
    clients["ALPHA"], clients["control"] = clients["team"], clients["facilitator"]
    return game, clients


def resolve(command: dict[str, Any], made: str | None) -> dict[str, Any]:
    """The command with "@p" (the id of the last proposal or draft resolution the setup made) filled in."""
    return {k: (made if v == "@p" else v) for k, v in command.items()}


@pytest.mark.parametrize("name", sorted(TABLE))
async def test_each_role_may_send_exactly_the_commands_of_its_seat(tmp_path: Path, name: str) -> None:
    row = TABLE[name]
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        game, clients = await connections(srv, tmp_path, row)
        room = srv.server.rooms[game]
        if row.phase != "lobby":
            await clients["control"].ok({"type": "start"})
            await clients["ALPHA"].wait(lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "diplomacy")
        proposal = None
        for who, command in row.setup:
            seq = await clients[who].ok(resolve(command, proposal))
            if command["type"] in ("propose", "table_resolution", "freeform_action"):
                made = await clients[who].wait(event_at(seq))
                proposal = made["event"]["id"]
        command = resolve(row.command, proposal)
        # The bots' round that opens a phase plays on the timetable, after the phase change's ack
        # (a paused game's bots wait for the clock).
        await until(lambda: room.game.bots_idle() or room.state.paused)
        await room.published()

        before = room.state.seq
        for role in [r for r in ROLES if r not in row.allowed]:
            reply = await clients[role].command(command)
            code, message = expected_refusal(role, name)
            assert (reply["type"], reply["code"], reply["message"]) == ("error", code, message), (role, reply)
            assert reply["id"].startswith(clients[role].label)
        assert room.state.seq == before  # nothing refused reached the log

        for role in sorted(row.allowed, reverse=True):  # the team first, where both may (send_message)
            reply = await clients[role].command(command)
            assert reply["type"] == "ack", (role, reply)
            assert reply["game"] == game
            assert before < reply["seq"] <= room.state.seq
        stored = [e for _, e in srv.store.events(game, after=before)]
        assert stored
        assert stored[0].type != "game_created"


@pytest.mark.parametrize("role", ["team", "facilitator", "observer"])
async def test_a_client_cannot_name_the_sender_of_its_command(tmp_path: Path, role: str) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        game, clients = await connections(srv, tmp_path, TABLE["start"])
        room = srv.server.rooms[game]
        for by in ("facilitator", "BETA", "ALPHA", "observer"):
            reply = await clients[role].command({"type": "start", "by": by})
            assert reply["type"] == "error"
            assert (reply["code"], reply["field"]) == ("invalid_message", "command.by"), reply
            reply = await clients[role].command({"type": "send_message", "channel": "public", "text": "x", "by": by})
            assert (reply["code"], reply["field"]) == ("invalid_message", "command.by"), reply
        assert room.state.phase == "lobby"
        assert room.state.seq == 1


async def test_who_may_send_a_command_is_said_before_whether_the_game_still_takes_it(tmp_path: Path) -> None:
    """The engine's seat check is the only one: in an ended game a seat that may never send a command
    is still told so (`forbidden`), and one that may is told the game has ended (`rejected`)."""
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        game, clients = await connections(srv, tmp_path, TABLE["end"])
        await clients["control"].ok({"type": "start"})
        await clients["control"].ok({"type": "end"})
        cases = [
            ("observer", {"type": "set_ready"}, "forbidden", "observers can only watch"),
            ("team", {"type": "pause"}, "forbidden", "only the facilitator can pause"),
            ("facilitator", {"type": "set_ready"}, "forbidden", "the facilitator does not play a state"),
            ("team", {"type": "set_ready"}, "rejected", "the game has ended"),
            ("facilitator", {"type": "pause"}, "rejected", "the game has ended"),
        ]
        for role, command, code, message in cases:
            reply = await clients[role].command(command)
            assert (reply["type"], reply["code"], reply["message"]) == ("error", code, message), (role, reply)
        assert srv.server.rooms[game].state.phase == "ended"


async def test_a_connection_signed_in_again_keeps_no_seat_from_before(tmp_path: Path) -> None:
    """A student's connection that signs in as the facilitator sends no command as the student's seat:
    in the console's lobby it is in no game, and in a game its seat is the facilitator's."""
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        game, clients = await connections(srv, tmp_path, TABLE["set_ready"])
        await clients["control"].ok({"type": "start"})
        ada = clients["team"]
        assert (await ada.sign_in({"type": "facilitate", "token": srv.token}))["type"] == "welcome"
        reply = await ada.command({"type": "set_ready"})
        assert (reply["type"], reply["code"]) == ("error", "not_signed_in"), reply
        assert "ALPHA" not in {s.seat for s in srv.server.rooms[game].subscribers}  # it left its seat
        assert (await ada.sign_in({"type": "facilitate", "token": srv.token, "game": game}))["type"] == "welcome"
        reply = await ada.command({"type": "set_ready"})
        assert (reply["type"], reply["code"], reply["message"]) == (
            "error",
            "forbidden",
            "the facilitator does not play a state",
        ), reply
        assert "ALPHA" not in srv.server.rooms[game].state.ready


LOBBY: dict[str, Msg] = {
    "create_game": {"type": "create_game", "id": "q", "scenario": "baltic", "teams": ["EST"]},
    "list_games": {"type": "list_games", "id": "q"},
    "list_scenarios": {"type": "list_scenarios", "id": "q"},
    "members": {"type": "members", "id": "q"},
    "reseat": {"type": "reseat", "id": "q", "member": "0" * 64, "seat": "BETA"},
    "report": {"type": "report", "id": "q"},
}


async def test_only_the_facilitator_may_use_the_lobby(tmp_path: Path) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        game, clients = await connections(srv, tmp_path, TABLE["start"])
        games_before = len(srv.store.games())
        for name, message in LOBBY.items():
            for role in ("anonymous", "observer", "team"):
                reply = await clients[role].request(message)
                assert (reply["type"], reply["code"], reply["id"]) == ("error", "forbidden", "q"), (name, role, reply)
        assert len(srv.store.games()) == games_before

        control = clients["facilitator"]
        for name, message in LOBBY.items():
            reply = await control.request(message)
            if name == "reseat":  # refused for what it asks (there is no member 000...), not for who asks
                assert (reply["type"], reply["code"]) == ("error", "not_found"), reply
            else:
                assert reply["type"] == "reply", (name, reply)
        data = (await control.request(LOBBY["list_games"]))["data"]
        assert len(data["games"]) == games_before + 1
        assert [s["id"] for s in (await control.request(LOBBY["list_scenarios"]))["data"]["scenarios"]]
        members = (await control.request(LOBBY["members"]))["data"]["members"]
        assert {m["seat"] for m in members} == {"observer", "ALPHA", "BETA"}
        ada = next(m for m in members if m["seat"] == "ALPHA")
        # A student can be moved to another team or the observers, never to Control or a bot's seat.
        for seat in ("facilitator", "UNION", "NOWHERE"):
            refused = await control.request({"type": "reseat", "id": "q", "member": ada["member"], "seat": seat})
            assert (refused["type"], refused["code"], refused["field"]) == ("error", "not_found", "seat"), refused
            assert refused["id"] == "q"
            assert f"no seat '{seat}'" in refused["message"]
        reply = await control.request({"type": "reseat", "id": "q", "member": ada["member"], "seat": "GAMMA"})
        assert reply["data"] == {"member": ada["member"], "seat": "GAMMA"}
        report = await control.request({"type": "report", "id": "q", "game": game})
        assert "<html" in report["data"]["html"].lower()


async def test_a_lobby_request_that_cannot_be_done_gets_a_structured_error_with_its_id(tmp_path: Path) -> None:
    """Like every other refusal: `code`, a message a facilitator can act on, and the field at fault."""
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv)
        scenario = await upload(lobby, short_scenario(tmp_path))
        broken = tmp_path / "broken.yaml"
        broken.write_text("id: broken\nmeta: 12\n", encoding="utf-8")
        cases: list[tuple[dict[str, Any], str, str, str]] = [
            ({"type": "create_game", "scenario": scenario, "teams": ["ALPHA", "ZULU"]}, "not_found", "teams", "ZULU"),
            ({"type": "create_game", "scenario": "atlantis", "teams": ["ALPHA"]}, "not_found", "scenario", "atlantis"),
            # A path is never opened: only catalogue ids name a scenario.
            ({"type": "create_game", "scenario": str(broken), "teams": ["X"]}, "not_found", "scenario", "catalogue"),
            ({"type": "members"}, "not_signed_in", "", "open a game first"),
            ({"type": "reseat", "member": "0" * 64, "seat": None}, "not_signed_in", "", "open a game first"),
            ({"type": "report"}, "not_signed_in", "game", "name a game"),
            ({"type": "report", "game": "deadbeef"}, "not_found", "game", "deadbeef"),
        ]
        for i, (request, code, field, words) in enumerate(cases):
            ident = f"lobby-{i}"
            answer = await lobby.request({**request, "id": ident})
            assert_structured(answer, code, field or None)
            assert answer["id"] == ident
            assert words in answer["message"], answer
        assert srv.store.games() == []  # nothing was created
        created = await create_game(lobby, scenario, ["ALPHA"])
        control = await facilitator(srv, created["game"])
        answer = await control.request({"type": "reseat", "id": "r", "member": "0" * 64, "seat": None})
        assert_structured(answer, "not_found", "member")
